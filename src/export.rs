//! What the page exports for course material: every visible run's history as CSV or JSON
//! (the faded run before the last change included), and a chart as SVG. The PNG comes from the
//! canvas itself, at the screen's resolution, in the page.

use crate::chart::{ChartBackend, ChartRun, Metric, Surface};
use crate::playground::Playground;
use crate::train::{Confusion, LayerInstruments};
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use serde::Serialize;
use std::fmt::Write as _;

/// A run's name in an export: its legend label, or what it is when the legend has none.
fn run_name(run: &ChartRun) -> String {
    match (run.label.as_str(), run.faded) {
        ("", true) => "previous run".to_string(),
        ("", false) => "current run".to_string(),
        (label, _) => label.to_string(),
    }
}

/// A CSV field, quoted, with quotes doubled: labels and settings hold commas.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// One row per run, seed and epoch:
/// `run,faded,seed,epoch,loss,accuracy,val_loss,val_accuracy,settings,link`. `seed` counts the
/// run's training seeds from 0 (the multi-seed band); a diverged epoch's figures are `NaN` or
/// `inf`, as Keras's history holds them. `settings[i]` is run `i`'s settings as a link writes
/// them, `link` the page's address: a file read months later still says what was trained.
pub fn histories_csv(runs: &[ChartRun], settings: &[String], link: &str) -> String {
    let mut out =
        String::from("run,faded,seed,epoch,loss,accuracy,val_loss,val_accuracy,settings,link\n");
    let link = quoted(link);
    for (i, run) in runs.iter().enumerate() {
        let name = quoted(&run_name(run));
        let settings = quoted(settings.get(i).map_or("", String::as_str));
        for (seed, h) in run.histories.iter().enumerate() {
            for e in 0..h.epochs() {
                let _ = writeln!(
                    out,
                    "{name},{},{seed},{},{},{},{},{},{settings},{link}",
                    run.faded,
                    e + 1,
                    h.loss[e],
                    h.accuracy[e],
                    h.val_loss[e],
                    h.val_accuracy[e]
                );
            }
        }
    }
    out
}

#[derive(Serialize)]
struct RunExport<'a> {
    run: String,
    faded: bool,
    planned_epochs: usize,
    /// The run's settings as a link writes them.
    settings: &'a str,
    /// The page's address when exported.
    link: &'a str,
    /// One per training seed; Keras's key names.
    histories: &'a [&'a crate::History],
    /// The validation confusion matrix of a run on the chart that has ended (its first
    /// seed's); `null` for a faded run and while training.
    confusion: Option<&'a Confusion>,
    /// Its first seed's per-layer instruments, per epoch; empty for a faded run.
    instruments: &'a [Vec<LayerInstruments>],
}

/// What a run on the chart has besides its histories, for the JSON export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunExtras {
    /// Its validation confusion matrix, once it has ended.
    pub confusion: Option<Confusion>,
    /// Its first seed's per-layer instruments, per epoch.
    pub instruments: Vec<Vec<LayerInstruments>>,
}

/// `[{run, faded, planned_epochs, settings, link, histories: [{loss, accuracy, val_loss,
/// val_accuracy}], confusion: {classes, counts} | null, instruments: [[{grad_norm, weight_norm,
/// update_ratio, dead_share, saturated_share}]]}]`; non-finite figures (a diverged run) become
/// `null`. `settings` and `link` as for [`histories_csv`]; `extras[i]` is run `i`'s validation
/// confusion matrix, if it has one, and instruments (the CSV, one row per epoch and run, has
/// neither).
pub fn histories_json(
    runs: &[ChartRun],
    settings: &[String],
    extras: &[RunExtras],
    link: &str,
) -> String {
    let export: Vec<RunExport> = runs
        .iter()
        .enumerate()
        .map(|(i, run)| RunExport {
            run: run_name(run),
            faded: run.faded,
            planned_epochs: run.epochs,
            settings: settings.get(i).map_or("", String::as_str),
            link,
            histories: &run.histories,
            confusion: extras.get(i).and_then(|e| e.confusion.as_ref()),
            instruments: extras.get(i).map_or(&[], |e| &e.instruments),
        })
        .collect();
    serde_json::to_string_pretty(&export).expect("plain data serialises")
}

/// The curves and the diagnosis in a few sentences: what a screen reader announces when a run
/// finishes, and what stands in for the charts for anyone who cannot see them.
pub fn text_summary(playground: &Playground) -> String {
    let pct = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{:.1}%", 100.0 * v));
    let num = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{v:.3}"));
    let mut out = String::new();
    for f in playground.figures() {
        let name = match f.label.as_str() {
            "" => "The run".to_string(),
            crate::playground::OUTSIDE_LABEL => "Your run".to_string(),
            label => format!("Run {label}"),
        };
        let status = match f.status {
            crate::Status::Training => "training".to_string(),
            crate::Status::Finished => "finished".to_string(),
            crate::Status::Diverged { epoch } => format!("diverged at epoch {epoch}"),
            crate::Status::EarlyStopped { epoch } => {
                crate::train::early_stop_text(epoch, f.restored_epoch.unwrap_or(epoch))
            }
        };
        let best = match (f.best_val_accuracy, f.best_epoch) {
            (Some(b), Some(e)) => format!(" (best {} at epoch {e})", pct(Some(b))),
            _ => String::new(),
        };
        let _ = write!(
            out,
            "{name}: epoch {} of {}, {status}. Training loss {}, accuracy {}; validation loss {}, accuracy {}{best}. ",
            f.epoch,
            f.epochs,
            num(f.loss),
            pct(f.accuracy),
            num(f.val_loss),
            pct(f.val_accuracy),
        );
    }
    if let Some(top) = playground
        .diagnosis()
        .as_ref()
        .and_then(|d| d.top().cloned())
    {
        let _ = write!(out, "Likely cause: {}", top.explanation);
    }
    out.trim_end().to_string()
}

/// `metric`'s chart as the page draws it, with the diagnosis's markers, as an SVG document of
/// `width` × `height` pixels.
pub fn chart_svg(
    playground: &Playground,
    metric: Metric,
    (width, height): (u32, u32),
) -> Result<String, String> {
    if !(200..=4000).contains(&width) || !(150..=4000).contains(&height) {
        return Err(format!(
            "svg size {width}×{height}: allowed 200 to 4000 wide and 150 to 4000 high"
        ));
    }
    let mut svg = String::new();
    let p = {
        // Through `ChartBackend`, like the page's canvases: one compiled copy of the drawing.
        let area = ChartBackend::Svg(SVGBackend::with_string(&mut svg, (width, height)))
            .into_drawing_area();
        let plot = playground
            .draw_chart(&area, metric, Surface::estimated(1.0))
            .map_err(|e| format!("drawing the {metric:?} chart as SVG failed: {e}"))?;
        area.present()
            .map_err(|e| format!("writing the {metric:?} chart as SVG failed: {e}"))?;
        plot
    };
    // Where the curves are ("x y width height"), as the page's canvases say it: a course's
    // tooling (and the page's tests) can place things beside the plot without guessing.
    Ok(svg.replacen(
        "<svg ",
        &format!(
            "<svg data-plot=\"{} {} {} {}\" ",
            p.x, p.y, p.width, p.height
        ),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart;
    use crate::History;

    fn history(epochs: usize, offset: f64) -> History {
        let series = |base: f64| (0..epochs).map(|e| base + offset + e as f64).collect();
        History {
            loss: series(0.0),
            accuracy: series(0.1),
            val_loss: series(0.2),
            val_accuracy: series(0.3),
        }
    }

    fn run<'a>(label: &str, histories: Vec<&'a History>, faded: bool) -> ChartRun<'a> {
        ChartRun {
            label: label.to_string(),
            train_color: chart::BLUE,
            val_color: chart::VERMILLION,
            histories,
            epochs: 5,
            faded,
        }
    }

    #[test]
    fn csv_has_a_row_per_run_seed_and_epoch_with_labels_quoted() {
        let (a, b, c) = (history(2, 0.0), history(2, 10.0), history(3, f64::NAN));
        let runs = [
            run("before: lr=0.01, epochs=5", vec![&a], true),
            run("", vec![&b, &c], false),
        ];
        let settings = ["lr=0.01&hidden=8,4".to_string(), "lr=0.1".to_string()];
        let csv = histories_csv(&runs, &settings, "https://example.org/#lr=0.1");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 2 + 2 + 3);
        assert_eq!(
            lines[1],
            "\"before: lr=0.01, epochs=5\",true,0,1,0,0.1,0.2,0.3,\
             \"lr=0.01&hidden=8,4\",\"https://example.org/#lr=0.1\""
        );
        assert!(lines[3].starts_with("\"current run\",false,0,1,10,10.1,10.2,10.3,\"lr=0.1\","));
        assert!(lines[7].starts_with("\"current run\",false,1,3,NaN"));
    }

    #[test]
    fn json_keeps_every_seed_and_turns_nan_into_null() {
        let (a, b) = (history(1, 0.0), history(1, f64::NAN));
        let matrix = Confusion {
            classes: vec!["no".into(), "yes".into()],
            counts: vec![vec![4, 1], vec![2, 3]],
        };
        let json = histories_json(
            &[
                run("lr 0.1", vec![&a, &b], false),
                run("before", vec![&a], true),
            ],
            &["lr=0.1".to_string(), "lr=0.01".to_string()],
            &[
                RunExtras {
                    confusion: Some(matrix),
                    instruments: vec![vec![Default::default()]],
                },
                RunExtras::default(),
            ],
            "https://example.org/#lr=0.1",
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value[0]["settings"], "lr=0.1");
        assert_eq!(value[0]["link"], "https://example.org/#lr=0.1");
        assert_eq!(value[0]["run"], "lr 0.1");
        assert_eq!(value[0]["planned_epochs"], 5);
        assert_eq!(value[0]["histories"][0]["val_accuracy"][0], 0.3);
        assert!(value[0]["histories"][1]["loss"][0].is_null());
        assert_eq!(
            value[0]["confusion"]["classes"],
            serde_json::json!(["no", "yes"])
        );
        assert_eq!(value[0]["confusion"]["counts"][1][0], 2);
        assert!(value[1]["confusion"].is_null());
    }
}

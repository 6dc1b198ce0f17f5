//! The diagnosis panel: the diagnosed run's diagnosis with the experiments measured so far,
//! its table of causes, and the markers it puts on the charts.

use super::lane::Lane;
use super::machine::{ExperimentsPhase, Playground};
use super::outside_run::OutsideView;
use crate::chart::{self, Marker, Metric};
use crate::diagnose::{
    Answer, Cause, CauseId, Diagnosis, Evidence, Experiment, MIN_EPOCHS, PRESENT,
};
use crate::train::Confusion;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A vertical marker on one of the charts, as the page's tests read them.
#[derive(Debug, Serialize)]
pub struct MarkerInfo {
    /// `"loss"` or `"accuracy"`.
    pub chart: &'static str,
    pub epoch: usize,
    pub label: String,
}

/// The diagnosis panel: which run is diagnosed, the diagnosis, and the markers it puts on
/// the charts.
#[derive(Serialize)]
pub struct Panel {
    /// Index of the diagnosed run among [`Playground::figures`], and every run's label (a
    /// comparison lets the student choose).
    pub focus: usize,
    pub runs: Vec<String>,
    /// The diagnosed seed (the config's own), and how many seeds each run has: in the
    /// multi-seed mode the curves show the mean, the diagnosis this one seed.
    pub seed: u32,
    pub seeds: usize,
    pub diagnosis: Diagnosis,
    pub markers: Vec<MarkerInfo>,
    /// What the panel leads with: the experiments' answer once they are done (setup causes,
    /// ties as ties), the rules' first guess before; the data's limit and the placebo beside
    /// it (see [`Answer`]).
    #[serde(flatten)]
    pub answer: Answer,
    /// The causes as the panel's table lists them: the rules' hypotheses first, re-ranked by
    /// the experiments as their evidence arrives.
    pub table: Vec<Row>,
    /// The plateau in one sentence, naming the markers' epochs.
    pub plateau: String,
    /// Every cause's title, by id: the table's names, and the causes the experiments' answer
    /// names.
    pub titles: BTreeMap<CauseId, &'static str>,
    /// The confidence from which a cause is present rather than possible ([`PRESENT`]): the
    /// confidence meter's low mark.
    pub present_at: f64,
    /// Too few epochs for the rules to read the curves' shapes ([`MIN_EPOCHS`]): no cause can
    /// be named yet.
    pub too_few_epochs: bool,
    /// The diagnosed run's validation confusion matrix once it has ended
    /// ([`Playground::confusion`]).
    pub confusion: Option<Confusion>,
    /// A run made elsewhere, diagnosed from its curves alone: the diagnosis is its, and this
    /// says what that means.
    pub outside: Option<OutsideView>,
}

/// A cause's name as the panel titles it.
pub fn title(id: CauseId) -> &'static str {
    match id {
        CauseId::UnscaledFeatures => "Unscaled features",
        CauseId::LrTooHigh => "Learning rate too high",
        CauseId::LrTooLow => "Learning rate too low",
        CauseId::Overfitting => "Overfitting",
        CauseId::Underfitting => "Underfitting",
        CauseId::NoisyValidation => "Noisy validation set",
        // True of both its forms: at a plateau ("nothing is wrong with training") and still
        // creeping up without one ("still learning, but only just").
        CauseId::Converged => "Near what the data allows",
        CauseId::MoreData => "The data's limit",
        CauseId::Placebo => "Seed noise alone (placebo)",
    }
}

/// One cause in the panel's table: what the rules suspected and what its fix measurably did.
#[derive(Serialize)]
pub struct Row {
    pub cause: CauseId,
    /// The rules' confidence, when they suspected it.
    pub confidence: Option<f64>,
    /// Whether the rules found it present ([`Cause::is_present`]) rather than possible; false
    /// when they did not suspect it.
    pub present: bool,
    /// The rules' confidence as the panel prints it (two decimals), when they suspected it.
    pub confidence_text: Option<String>,
    /// The rules' figures in words when they suspected it; else why the row is there.
    pub explanation: Option<String>,
    /// The figures the rules' suspicion rests on, in [`Evidence`]'s order, as
    /// `(name in words, figure as printed)`; empty when they did not suspect it.
    pub evidence: Vec<(String, String)>,
    /// The fix (tested, or offered by the rules) as `Config::set` pairs.
    pub fix: Vec<(String, String)>,
    /// For a run made elsewhere, the fix as a line of Keras to try.
    pub keras_fix: Option<String>,
    /// The fix's measured effect over the seeds finished so far.
    pub experiment: Option<Experiment>,
    /// That effect in one sentence, once a seed is measured.
    pub effect: Option<String>,
    /// `"helps"`, `"no_effect"`, `"inconclusive"`, `"hurts"` (tested to the end; `"noise"` for
    /// a placebo whose figure moved), `"measuring"`
    /// (some seeds in),
    /// `"queued"` (waiting for its turn or for the run to finish), `"untested"` (no fix),
    /// `"suspected"` (a run made elsewhere: a suspicion no experiment here can test), or
    /// once the student stopped the experiments `"stopped"` (some seeds in, kept) or
    /// `"not_run"` (none).
    pub status: &'static str,
    /// A suspected cause whose fix did nothing: "ruled out by experiment".
    pub ruled_out: bool,
}

/// The panel's table: tested fixes in the experiments' ranking (each with its cause's rule
/// figures when the rules suspected it), then suspected causes with nothing to test; before any
/// experiment, the rules' causes in their order. Once the student `stopped` the experiments,
/// a fix keeps what it measured ("stopped") or says it was never run ("not_run").
fn table(diagnosis: &Diagnosis, stopped: bool) -> Vec<Row> {
    let rule = |id: CauseId| diagnosis.causes.iter().find(|c| c.id == id);
    let mut rows: Vec<Row> = diagnosis
        .ranked_experiments()
        .into_iter()
        .map(|e| {
            let cause = rule(e.cause);
            let status = match (e.complete, e.seeds, stopped) {
                (true, _, _) => e.verdict_word(),
                (false, 0, false) => "queued",
                (false, _, false) => "measuring",
                (false, 0, true) => "not_run",
                (false, _, true) => "stopped",
            };
            Row {
                fix: e.fix.clone(),
                effect: effect_text(e, stopped),
                experiment: Some(e.clone()),
                status,
                ruled_out: cause.is_some() && diagnosis.ruled_out(e.cause),
                ..rules_row(e.cause, cause)
            }
        })
        .collect();
    for c in &diagnosis.causes {
        if rows.iter().any(|r| {
            r.cause == c.id || (c.id.is_setup() && r.cause.fix_family() == c.id.fix_family())
        }) {
            continue;
        }
        rows.push(Row {
            fix: c.fix.clone(),
            status: if c.keras_fix.is_some() {
                "suspected"
            } else if c.fix.is_empty() || !diagnosis.experiments.is_empty() {
                "untested"
            } else {
                "queued"
            },
            ruled_out: diagnosis.ruled_out(c.id),
            ..rules_row(c.id, Some(c))
        });
    }
    rows
}

/// A row with what the rules said of the cause (nothing when they did not suspect it), its
/// fix untested.
fn rules_row(id: CauseId, cause: Option<&Cause>) -> Row {
    Row {
        cause: id,
        confidence: cause.map(|c| c.confidence),
        present: cause.is_some_and(Cause::is_present),
        confidence_text: cause.map(|c| format!("{:.2}", c.confidence)),
        explanation: Some(cause.map_or_else(
            || untested_by_rules(id).to_string(),
            |c| c.explanation.clone(),
        )),
        evidence: cause.map_or_else(Vec::new, |c| evidence_figures(&c.evidence)),
        fix: Vec::new(),
        keras_fix: cause.and_then(|c| c.keras_fix.clone()),
        experiment: None,
        effect: None,
        status: "untested",
        ruled_out: false,
    }
}

/// Why a row the rules did not suspect is in the table.
fn untested_by_rules(id: CauseId) -> &'static str {
    match id {
        CauseId::Placebo => {
            "The unchanged settings on fresh training seeds, measured exactly as a fix: what \
             seed noise alone does to these figures."
        }
        CauseId::MoreData => {
            "More rows are a resource, not a change to the setup: this is the data's limit, \
             reported beside the answer, never as it."
        }
        _ => "Tested because its fix applies to these settings.",
    }
}

/// A fix's measured effect in words: fixed − unchanged, ± one standard error over the seeds
/// (the precisions of [`Experiment`]'s table row).
/// A fix the student `stopped` part way says so beside its seeds.
fn effect_text(e: &Experiment, stopped: bool) -> Option<String> {
    if e.seeds == 0 {
        return None;
    }
    let seeds = if e.complete {
        format!("{} seeds", e.seeds)
    } else if stopped {
        format!(
            "{} seed{}, stopped",
            e.seeds,
            if e.seeds == 1 { "" } else { "s" }
        )
    } else {
        format!("{} of {} seeds so far", e.seeds, e.seeds_planned)
    };
    let signed = |x: f64, digits: usize| {
        format!("{}{:.*}", if x >= 0.0 { '+' } else { '−' }, digits, x.abs())
    };
    let percent = |x: f64| format!("{:.1}%", 100.0 * x);
    Some(format!(
        "Measured ({}, {seeds}): final validation accuracy {} ± {:.1} points ({} → {}), \
         validation loss {} ± {:.3}.",
        e.description,
        signed(e.val_accuracy_change, 1),
        e.val_accuracy_se,
        percent(e.base_val_accuracy),
        percent(e.fixed_val_accuracy),
        signed(e.val_loss_change, 3),
        e.val_loss_se,
    ))
}

/// The evidence's figures in its fields' order, as `(name in words, figure as printed)`. Read
/// back from its JSON, so every field the page sees is listed and none is named twice.
pub fn evidence_figures(evidence: &Evidence) -> Vec<(String, String)> {
    let json = serde_json::to_string(evidence).expect("evidence serializes to JSON");
    let Fields(fields) = serde_json::from_str(&json).expect("evidence is a JSON object");
    fields
        .into_iter()
        .map(|(name, value)| (name.replace('_', " "), figure_text(&value)))
        .collect()
}

/// A JSON object's fields in the order written (`serde_json::Map` sorts them).
struct Fields(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(field) = map.next_entry()? {
                    fields.push(field);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

/// An evidence figure as a student reads it: whole numbers as they are, with thousands
/// separators, others to 3 significant digits; "–" for one not measured.
pub fn figure_text(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "–".to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => grouped(&i.to_string()),
            (None, Some(x)) if x.fract() == 0.0 && x.abs() < 1e21 => {
                grouped(&(x as i128).to_string())
            }
            (None, Some(x)) => three_significant(x),
            (None, None) => n.to_string(),
        },
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// 10000 → "10,000".
fn grouped(integer: &str) -> String {
    let (sign, digits) = integer.split_at(usize::from(integer.starts_with('-')));
    let mut out = sign.to_string();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `x` rounded to 3 significant digits, written in the fewest digits that give it back
/// (0.000123, 12300, 1.23e-7).
fn three_significant(x: f64) -> String {
    let rounded: f64 = format!("{x:.2e}")
        .parse()
        .expect("a float's own text parses");
    let size = rounded.abs();
    if size != 0.0 && !(1e-6..1e21).contains(&size) {
        format!("{rounded:e}").replace("e", if size >= 1.0 { "e+" } else { "e" })
    } else {
        format!("{rounded}")
    }
}

impl Playground {
    /// The diagnosed run's diagnosis, as it stands after the epochs trained so far, with the
    /// experiments measured so far.
    pub fn diagnosis(&self) -> Option<Diagnosis> {
        if let Some(outside) = self.outside_diagnosis() {
            return Some(outside.clone());
        }
        let mut diagnosis = self.lanes.get(self.focus).map(Lane::diagnosis)?;
        diagnosis.experiments = match &self.experiments {
            ExperimentsPhase::Running { experiments, .. } => experiments.report(),
            ExperimentsPhase::Done(report) | ExperimentsPhase::Stopped(report, _) => report.clone(),
            ExperimentsPhase::Waiting | ExperimentsPhase::Unavailable(_) => Vec::new(),
        };
        Some(diagnosis)
    }

    /// The answer the panel leads with: what the experiments showed once they are done, the
    /// rules' top cause before.
    pub fn answer(&self) -> Option<CauseId> {
        self.diagnosis()?.answer()
    }

    /// The diagnosis panel: the diagnosis and the markers it puts on the charts.
    pub fn panel(&self) -> Option<Panel> {
        let diagnosis = self.diagnosis()?;
        let markers = self
            .markers(&diagnosis)
            .into_iter()
            .map(|(metric, m)| MarkerInfo {
                chart: match metric {
                    Metric::Loss => "loss",
                    Metric::Accuracy => "accuracy",
                },
                epoch: m.epoch,
                label: m.label,
            })
            .collect();
        let outside = self.outside();
        let (focus, runs, seeds) = match &outside {
            Some(o) => (0, vec![o.label.to_string()], 1),
            None => (
                self.focus,
                self.lanes.iter().map(|l| l.label.clone()).collect(),
                self.seeds,
            ),
        };
        Some(Panel {
            focus,
            runs,
            seed: self.lanes[self.focus].config.seed,
            seeds,
            answer: diagnosis.answer_summary(),
            table: table(
                &diagnosis,
                matches!(self.experiments, ExperimentsPhase::Stopped(..)),
            ),
            plateau: diagnosis.plateau.sentence(diagnosis.epochs),
            titles: CauseId::ALL.into_iter().map(|id| (id, title(id))).collect(),
            present_at: PRESENT,
            too_few_epochs: diagnosis.epochs < MIN_EPOCHS,
            confusion: self.confusion(),
            outside,
            diagnosis,
            markers,
        })
    }

    /// The diagnosed run's markers; in a comparison they name the run, and in the multi-seed
    /// mode the seed (the curves show the mean, the markers one seed's epochs).
    pub(super) fn markers(&self, diagnosis: &Diagnosis) -> Vec<(Metric, Marker)> {
        if self.showing_outside() {
            return super::diagnosis_markers(diagnosis, "", chart::GREEN);
        }
        let Some(lane) = self.lanes.get(self.focus) else {
            return Vec::new();
        };
        // In a comparison the markers take the diagnosed run's colour (green is a run there).
        let (prefix, best_color) = if self.lanes.len() > 1 {
            (format!("{}: ", lane.label), lane.colors.0)
        } else {
            (String::new(), chart::GREEN)
        };
        let mut markers = super::diagnosis_markers(diagnosis, &prefix, best_color);
        if self.seeds > 1 {
            for (_, m) in &mut markers {
                m.label += &format!(" (seed {})", lane.config.seed);
            }
        }
        markers
    }
}

#[cfg(test)]
mod tests {
    //! The panel's titles, flags and figures are the engine's: they must say what its
    //! definitions and its own text (the CLI's `Display`) say.
    use super::*;
    use serde_json::json;
    use std::cell::Cell;

    /// A playground on a clock that moves 1 ms a reading, set as the link says.
    fn playground(hash: &str) -> Playground {
        let now = Cell::new(0.0);
        let clock = move || {
            let t = now.get();
            now.set(t + 1.0);
            t
        };
        let mut p = Playground::new(Box::new(clock)).unwrap();
        assert!(p.apply_hash(hash).is_empty());
        p
    }

    /// After the runs and the experiments the link asks for.
    fn worked(hash: &str) -> Playground {
        let mut p = playground(hash);
        while p.working() {
            p.step_for(50.0, 0);
        }
        p
    }

    #[test]
    fn the_titles_are_the_pages_words_for_every_cause() {
        let p = worked("#samples=60&epochs=3&hidden=8&batch-size=16");
        let titles = p.panel().unwrap().titles;
        let expected = [
            (CauseId::UnscaledFeatures, "Unscaled features"),
            (CauseId::LrTooHigh, "Learning rate too high"),
            (CauseId::LrTooLow, "Learning rate too low"),
            (CauseId::Overfitting, "Overfitting"),
            (CauseId::Underfitting, "Underfitting"),
            (CauseId::NoisyValidation, "Noisy validation set"),
            (CauseId::Converged, "Near what the data allows"),
            (CauseId::MoreData, "The data's limit"),
            (CauseId::Placebo, "Seed noise alone (placebo)"),
        ];
        assert_eq!(titles, BTreeMap::from(expected));
        // The page indexes them by the cause's id, as the diagnosis names it.
        let json = serde_json::to_value(&titles).unwrap();
        assert_eq!(json["converged"], json!("Near what the data allows"));
    }

    #[test]
    fn the_flags_are_the_rules_thresholds() {
        let short = worked("#samples=60&epochs=3&hidden=8&batch-size=16")
            .panel()
            .unwrap();
        assert!(short.diagnosis.epochs < MIN_EPOCHS && short.too_few_epochs);
        assert!(short.diagnosis.to_string().contains("too few to read"));
        let long = worked("#samples=100&hidden=64&epochs=30").panel().unwrap();
        assert!(!long.too_few_epochs);
        assert_eq!(long.present_at, PRESENT);
    }

    #[test]
    fn each_rows_figures_are_the_engines_text() {
        let panel = worked("#samples=100&hidden=64&epochs=30").panel().unwrap();
        let d = &panel.diagnosis;
        let text = d.to_string();
        let mut suspected = 0;
        let mut measured = 0;
        for row in &panel.table {
            match d.causes.iter().find(|c| c.id == row.cause) {
                Some(c) => {
                    suspected += 1;
                    assert_eq!(row.present, c.is_present());
                    let kind = if row.present { "" } else { ", possible" };
                    let confidence = row.confidence_text.as_deref().unwrap();
                    let said = format!("{} (confidence {confidence}{kind})", c.id);
                    assert!(text.contains(&said), "{said} in\n{text}");
                    // Every field once, in the order the page's JSON has them.
                    let json = serde_json::to_string(&c.evidence).unwrap();
                    let at = |name: &str| json.find(&format!("\"{}\":", name.replace(' ', "_")));
                    let places: Vec<Option<usize>> =
                        row.evidence.iter().map(|(name, _)| at(name)).collect();
                    assert!(places.iter().all(Option::is_some), "{places:?} in {json}");
                    assert!(places.windows(2).all(|w| w[0] < w[1]), "{json}");
                    let fields = serde_json::to_value(&c.evidence).unwrap();
                    assert_eq!(row.evidence.len(), fields.as_object().unwrap().len());
                }
                None => {
                    assert!(!row.present && row.confidence_text.is_none());
                    assert!(row.evidence.is_empty());
                }
            }
            if let Some(e) = &row.experiment {
                measured += 1;
                let effect = row.effect.as_deref().unwrap();
                // The table row the CLI prints has the same changes at the same precision.
                let line = e.to_string();
                let accuracy = format!("{:+.1} ± {:.1}", e.val_accuracy_change, e.val_accuracy_se);
                let loss = format!("{:+.3} ± {:.3}", e.val_loss_change, e.val_loss_se);
                for change in [accuracy, loss] {
                    assert!(line.contains(&change), "{change} in {line}");
                    let shown = change.replacen('-', "−", 1);
                    assert!(effect.contains(&shown), "{shown} in {effect}");
                }
                let base = format!("{:.1}%", 100.0 * e.base_val_accuracy);
                assert!(effect.contains(&format!("({base} → ")), "{effect}");
            }
        }
        assert!(suspected > 0 && measured > 0, "{text}");
    }

    #[test]
    fn the_experiments_percent_is_the_one_the_stop_notice_prints() {
        let mut p = playground("#samples=100&hidden=64&epochs=30");
        while p.experiments().state != "running" || p.experiments().done == 0 {
            p.step_for(50.0, 0);
        }
        let percent = p.experiments().percent;
        assert!(percent < 100);
        p.stop();
        let stopped = p.experiments().text;
        assert!(
            stopped.contains(&format!("at {percent}% trained")),
            "{stopped}"
        );
    }

    #[test]
    fn evidence_figures_read_as_the_page_printed_them() {
        for (value, text) in [
            (json!(null), "–"),
            (json!(true), "true"),
            (json!(10000), "10,000"),
            (json!(-1234), "-1,234"),
            (json!(1234567.0), "1,234,567"),
            (json!(0.123456), "0.123"),
            (json!(0.30000000000000004), "0.3"),
            (json!(-0.5), "-0.5"),
            (json!(12345.6), "12300"),
            (json!(999.96), "1000"),
            (json!(0.000123456), "0.000123"),
            (json!(1.23456e-7), "1.23e-7"),
            (json!(2.5e21), "2.5e+21"),
        ] {
            assert_eq!(figure_text(&value), text, "{value}");
        }
    }
}

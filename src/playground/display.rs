//! What the page shows of the state machine: the controls' state, the faded runs and the
//! figures under the charts, and the charts themselves.

use super::course::LessonInfo;
use super::lane::{figures, Faded, Figures, Lane};
use super::machine::Playground;
use super::outside_run::OutsideView;
use super::own_data::{FileInUse, WantedFile};
use super::trainee::Trainee;
use crate::chart::{self, ChartRun, Marker, Metric, PlotRect, Surface};
use crate::config::{Config, PRESETS};
use crate::train::{Confusion, History};
use crate::view::View;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};
use serde::Serialize;

/// What the controls show: the settings, and which preset or comparison they match.
#[derive(Serialize)]
pub struct State {
    pub settings: Config,
    pub comparison: Option<String>,
    pub preset: Option<String>,
    pub training: bool,
    /// Training seeds per run (the multi-seed mode), one of [`SEED_COUNTS`](super::machine::SEED_COUNTS).
    pub seeds: usize,
    /// In a comparison, the run whose settings the controls show and edit (the diagnosed
    /// one); `None` for a single run.
    pub editing: Option<String>,
    /// What follows the run's name in the controls' note: where another run is chosen, and
    /// what a change does. Without the diagnosis panel (an embed) it names no hidden part.
    pub editing_note: Option<String>,
    /// A caution about the state, e.g. a comparison on one seed.
    pub note: Option<String>,
    /// What an embed shows.
    pub view: View,
    /// The lesson being followed, and a lesson file the page still has to fetch.
    pub lesson: Option<LessonInfo>,
    pub lesson_to_fetch: Option<String>,
    /// The lessons `#lesson=` names without a file: they open where no file can be fetched
    /// (the single file, opened from disk).
    pub built_in_lessons: [&'static str; 1],
    /// The student's file the runs train on, and a link's file this page does not have yet.
    pub data_file: Option<FileInUse>,
    pub wanted_file: Option<WantedFile>,
    /// A run made elsewhere shown in place of the page's own runs.
    pub outside: Option<OutsideView>,
}

/// A faded run, as the page's tests read it: the run before the last change.
#[derive(Serialize)]
pub struct FadedRun {
    pub label: String,
    pub settings: Config,
    /// Its first seed's history, as it was when it faded.
    pub history: History,
}

/// The settings that differ between two configs, as `key=value` of `from`, e.g. "lr=0.01".
fn difference(from: &Config, to: &Config) -> String {
    let old = from.to_query();
    let new = to.to_query();
    let changed: Vec<&str> = old
        .split('&')
        .zip(new.split('&'))
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a)
        .collect();
    changed.join(", ")
}

impl Playground {
    /// The runs before the last change, as the chart labels them.
    pub fn faded(&self) -> Vec<FadedRun> {
        self.faded
            .iter()
            .map(|f| FadedRun {
                label: self.faded_label(f),
                settings: f.config.clone(),
                history: f.histories[0].clone(),
            })
            .collect()
    }

    /// Completed epochs of the first run (all runs of a comparison advance together).
    pub fn epoch(&self) -> usize {
        self.lanes.first().map_or(0, |l| l.run().epoch())
    }

    /// The runs on the chart (not the faded ones): each one's legend label and settings.
    pub fn run_configs(&self) -> Vec<(String, Config)> {
        self.lanes
            .iter()
            .map(|l| (l.label.clone(), l.config.clone()))
            .collect()
    }

    pub fn figures(&self) -> Vec<Figures> {
        if let Some(outside) = self.outside_figures() {
            return vec![outside];
        }
        self.lanes.iter().map(figures).collect()
    }

    /// Each run's history (its first seed's, in the multi-seed mode).
    pub fn histories(&self) -> Vec<&History> {
        if let Some(run) = self.outside_chart_run() {
            return run.histories;
        }
        self.lanes.iter().map(|l| l.run().history()).collect()
    }

    pub fn state(&self) -> State {
        let preset = match self.comparison {
            Some(name) => Some(name.to_string()),
            None => PRESETS
                .iter()
                .find(|p| Config::preset(p).ok().as_ref() == Some(&self.config))
                .map(|p| p.to_string()),
        };
        let comparing = self.lanes.len() > 1;
        State {
            settings: self.config.clone(),
            comparison: self.comparison.map(str::to_string),
            preset,
            training: self.training(0),
            seeds: self.seeds,
            editing: comparing.then(|| self.lanes[self.focus].label.clone()),
            editing_note: comparing.then(|| self.editing_note()),
            note: (comparing && self.seeds == 1).then(|| {
                "One seed cannot show whether these runs differ: a tie, or a gap, may be that \
                 seed's luck. Choose 5 seeds to see the spread."
                    .to_string()
            }),
            view: self.course.view.clone(),
            lesson: self.course.info(),
            lesson_to_fetch: self.lesson_to_fetch(),
            built_in_lessons: [crate::lesson::ARTICLE_NAME],
            data_file: self.file_in_use.clone(),
            wanted_file: self.wanted_file.clone(),
            outside: self.outside(),
        }
    }

    fn editing_note(&self) -> String {
        if self.course.view.panel {
            " (choose another under the diagnosis); changing one starts a single run from it."
                .to_string()
        } else {
            format!(
                ". Changing one ends the comparison: that run goes on alone with your change, \
                 and the {} compared runs stay on the chart, faded.",
                self.lanes.len()
            )
        }
    }

    /// The runs as the chart takes them: faded ones labelled by what has changed since.
    fn faded_label(&self, faded: &Faded) -> String {
        let what = match (faded.label.as_str(), self.lanes.len() == 1) {
            ("", _) | (_, true) => difference(&faded.config, &self.config),
            (label, false) => label.to_string(),
        };
        if what.is_empty() {
            "previous run".to_string()
        } else {
            format!("before: {what}")
        }
    }

    pub fn chart_runs(&self) -> Vec<ChartRun<'_>> {
        if let Some(run) = self.outside_chart_run() {
            return vec![run];
        }
        let faded = self.faded.iter().map(|f| ChartRun {
            label: self.faded_label(f),
            train_color: f.colors.0,
            val_color: f.colors.1,
            histories: f.histories.iter().collect(),
            epochs: f.config.epochs,
            faded: true,
        });
        let current = self.lanes.iter().map(|l| ChartRun {
            label: l.label.clone(),
            train_color: l.colors.0,
            val_color: l.colors.1,
            histories: l.seeds.iter().map(Trainee::history).collect(),
            epochs: l.config.epochs,
            faded: false,
        });
        faded.chain(current).collect()
    }

    /// Each of [`Self::chart_runs`]' settings, in its order, as a link writes them.
    pub fn chart_settings(&self) -> Vec<String> {
        if self.showing_outside() {
            return vec![String::new()]; // a run made elsewhere has no settings here
        }
        let faded = self.faded.iter().map(|f| f.config.to_query());
        faded
            .chain(self.lanes.iter().map(|l| l.config.to_query()))
            .collect()
    }

    /// Draws `metric`'s chart, with the diagnosed run's markers, filling `area`; returns
    /// where the plot went.
    pub fn draw_chart<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        metric: Metric,
        surface: Surface,
    ) -> Result<PlotRect, DrawingAreaErrorKind<DB::ErrorType>> {
        let markers: Vec<Marker> = self
            .diagnosis()
            .map_or_else(Vec::new, |d| self.markers(&d))
            .into_iter()
            .filter(|(m, _)| *m == metric)
            .map(|(_, marker)| marker)
            .collect();
        chart::draw(area, metric, &self.chart_runs(), &markers, surface)
    }

    /// Draws `gauge` of the focused run's per-layer instruments (its own seed's) on `area`.
    pub fn draw_inside<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        gauge: chart::Gauge,
        surface: Surface,
    ) -> Result<PlotRect, DrawingAreaErrorKind<DB::ErrorType>> {
        let lane = self.lanes.get(self.focus);
        let (hidden, epochs) =
            lane.map_or((&[][..], 1), |l| (&l.config.hidden[..], l.config.epochs));
        // What the diagnosis found in the instruments, at its epoch.
        let markers: Vec<Marker> = self.diagnosis().map_or_else(Vec::new, |d| {
            d.inside
                .iter()
                .map(|f| Marker {
                    epoch: f.epoch,
                    label: f.label.to_string(),
                    color: chart::INK,
                })
                .collect()
        });
        chart::draw_inside(
            area,
            gauge,
            self.instruments(),
            hidden,
            epochs,
            &markers,
            surface,
        )
    }

    /// The focused run's hidden layer sizes.
    pub(super) fn focused_hidden(&self) -> Vec<usize> {
        self.lanes
            .get(self.focus)
            .map_or_else(Vec::new, |l| l.config.hidden.clone())
    }

    /// Each of [`Self::chart_runs`]' validation confusion matrices, in its order: a run on the
    /// chart that has ended has one (its first seed's), a faded run none.
    pub fn chart_confusions(&self) -> Vec<Option<Confusion>> {
        if self.showing_outside() {
            return vec![None];
        }
        let faded = self.faded.iter().map(|_| None);
        faded
            .chain(self.lanes.iter().map(Lane::confusion))
            .collect()
    }

    /// Each of [`Self::chart_runs`]' confusion matrix and instruments, for the JSON export.
    pub fn chart_extras(&self) -> Vec<crate::export::RunExtras> {
        if self.showing_outside() {
            // One run, made elsewhere: no network here to count with or to look inside.
            return vec![crate::export::RunExtras {
                confusion: None,
                instruments: Vec::new(),
            }];
        }
        let instruments = self
            .faded
            .iter()
            .map(|_| Vec::new())
            .chain(self.lanes.iter().map(|l| l.run().instruments().to_vec()));
        self.chart_confusions()
            .into_iter()
            .zip(instruments)
            .map(|(confusion, instruments)| crate::export::RunExtras {
                confusion,
                instruments,
            })
            .collect()
    }

    /// The focused run's validation confusion matrix (its own seed's), once it has ended:
    /// rows the true class, columns the predicted one. With early stopping it is the restored
    /// (best) epoch's network's.
    pub fn confusion(&self) -> Option<Confusion> {
        if self.showing_outside() {
            return None;
        }
        self.lanes.get(self.focus)?.confusion()
    }

    /// The focused run's per-layer instruments (its own seed's), per shown epoch.
    pub fn instruments(&self) -> &[Vec<crate::train::LayerInstruments>] {
        if self.showing_outside() {
            return &[];
        }
        self.lanes
            .get(self.focus)
            .map_or(&[], |l| l.run().instruments())
    }
}

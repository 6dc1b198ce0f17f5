//! The diagnosis panel: the diagnosed run's diagnosis with the experiments measured so far,
//! its table of causes, and the markers it puts on the charts.

use super::lane::Lane;
use super::machine::{ExperimentsPhase, Playground};
use crate::chart::{self, Marker, Metric};
use crate::diagnose::{CauseId, Diagnosis, Experiment};
use serde::Serialize;

/// A vertical marker on one of the charts, as the page's tests read them.
#[derive(Serialize)]
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
    /// What the panel leads with: the experiments' answer once they are done, the rules' top
    /// cause before (see `Diagnosis::answer`).
    pub answer: Option<CauseId>,
    /// The causes as the panel's table lists them: the rules' hypotheses first, re-ranked by
    /// the experiments as their evidence arrives.
    pub table: Vec<Row>,
    /// The plateau in one sentence, naming the markers' epochs.
    pub plateau: String,
}

/// One cause in the panel's table: what the rules suspected and what its fix measurably did.
#[derive(Serialize)]
pub struct Row {
    pub cause: CauseId,
    /// The rules' confidence, when they suspected it.
    pub confidence: Option<f64>,
    /// The rules' figures in words, when they suspected it.
    pub explanation: Option<String>,
    /// The fix (tested, or offered by the rules) as `Config::set` pairs.
    pub fix: Vec<(String, String)>,
    /// The fix's measured effect over the seeds finished so far.
    pub experiment: Option<Experiment>,
    /// `"helps"`, `"no_effect"`, `"inconclusive"`, `"hurts"` (tested to the end), `"measuring"`
    /// (some seeds in),
    /// `"queued"` (waiting for its turn or for the run to finish) or `"untested"` (no fix).
    pub status: &'static str,
    /// A suspected cause whose fix did nothing: "ruled out by experiment".
    pub ruled_out: bool,
}

/// The panel's table: tested fixes in the experiments' ranking (each with its cause's rule
/// figures when the rules suspected it), then suspected causes with nothing to test; before any
/// experiment, the rules' causes in their order.
fn table(diagnosis: &Diagnosis) -> Vec<Row> {
    let rule = |id: CauseId| diagnosis.causes.iter().find(|c| c.id == id);
    let mut rows: Vec<Row> = diagnosis
        .ranked_experiments()
        .into_iter()
        .map(|e| {
            let cause = rule(e.cause);
            let status = match (e.complete, e.seeds) {
                (true, _) => e.verdict.as_str(),
                (false, 0) => "queued",
                (false, _) => "measuring",
            };
            Row {
                cause: e.cause,
                confidence: cause.map(|c| c.confidence),
                explanation: cause.map(|c| c.explanation.clone()),
                fix: e.fix.clone(),
                experiment: Some(e.clone()),
                status,
                ruled_out: cause.is_some() && diagnosis.ruled_out(e.cause),
            }
        })
        .collect();
    for c in &diagnosis.causes {
        if rows
            .iter()
            .any(|r| r.cause.fix_family() == c.id.fix_family())
        {
            continue;
        }
        rows.push(Row {
            cause: c.id,
            confidence: Some(c.confidence),
            explanation: Some(c.explanation.clone()),
            fix: c.fix.clone(),
            experiment: None,
            status: if c.fix.is_empty() || !diagnosis.experiments.is_empty() {
                "untested"
            } else {
                "queued"
            },
            ruled_out: false,
        });
    }
    rows
}

impl Playground {
    /// The diagnosed run's diagnosis, as it stands after the epochs trained so far, with the
    /// experiments measured so far.
    pub fn diagnosis(&self) -> Option<Diagnosis> {
        let mut diagnosis = self.lanes.get(self.focus).map(Lane::diagnosis)?;
        diagnosis.experiments = match &self.experiments {
            ExperimentsPhase::Running { experiments, .. } => experiments.report(),
            ExperimentsPhase::Done(report) => report.clone(),
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
        Some(Panel {
            focus: self.focus,
            runs: self.lanes.iter().map(|l| l.label.clone()).collect(),
            seed: self.lanes[self.focus].config.seed,
            seeds: self.seeds,
            answer: diagnosis.answer(),
            table: table(&diagnosis),
            plateau: diagnosis.plateau.sentence(diagnosis.epochs),
            diagnosis,
            markers,
        })
    }

    /// The diagnosed run's markers; in a comparison they name the run, and in the multi-seed
    /// mode the seed (the curves show the mean, the markers one seed's epochs).
    pub(super) fn markers(&self, diagnosis: &Diagnosis) -> Vec<(Metric, Marker)> {
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

//! A run made elsewhere, shown in place of the page's own (*Paste your history*): its Keras
//! history read by `diagnose::read_history`, drawn on the same charts as one run ("your
//! run"), and diagnosed from its curves alone (`diagnose::diagnose_history`), each cause with
//! its line of Keras to try.
//!
//! While it is shown the page's own runs wait where they were: nothing trains, and the
//! experiments do not start (they need the model and the data, which a history does not
//! carry). Play, Step, or any change to a control returns to them ([`Playground::close_history`];
//! the page calls it on every change).

use super::lane::{best_val_accuracy, last_finite, Figures};
use super::machine::Playground;
use crate::chart::{self, ChartRun};
use crate::config::limits;
use crate::diagnose::{
    diagnose_history, read_history, unknowns_text, Diagnosis, HistoryError, Known,
    FROM_CURVES_ALONE,
};
use crate::train::History;
use plotters::prelude::RGBColor;
use serde::Serialize;
use std::fmt;

/// The legend's, the figures' and the panel's name for a run made elsewhere.
pub const OUTSIDE_LABEL: &str = "your run";

/// What the transport button says, and what Play, Step or any change does, while a run made
/// elsewhere is shown.
pub const BACK_TO_PLAYGROUND: &str = "Back to the playground";

/// A run made elsewhere, as the page holds it while it is shown.
pub(super) struct OutsideRun {
    /// Where the history came from: the file's name, or "pasted text".
    pub(super) name: String,
    pub(super) history: History,
    pub(super) known: Known,
    pub(super) diagnosis: Diagnosis,
}

/// What is wrong with a pasted history or with what is known beside it, and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub enum OutsideError {
    /// The history itself (the parser's own error, naming the line, key or limit).
    History { name: String, error: HistoryError },
    /// The number of classes is not a whole number in the engine's range.
    Classes(String),
    /// The validation rows are not a whole number of 1 or more.
    ValRows(String),
}

impl fmt::Display for OutsideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutsideError::History { name, error } => write!(f, "{name}: {error}"),
            OutsideError::Classes(v) => {
                let (lo, hi) = limits::CLASSES;
                write!(
                    f,
                    "classes: '{v}' is not a whole number from {lo} to {hi} (or empty: two)"
                )
            }
            OutsideError::ValRows(v) => write!(
                f,
                "validation rows: '{v}' is not a whole number of 1 or more (or empty: unknown)"
            ),
        }
    }
}

impl std::error::Error for OutsideError {}

/// What is known beside the curves, from the page's two optional fields (empty: unknown),
/// read as `plateau diagnose --classes K --val-rows N` reads them.
pub fn known_from_fields(classes: &str, val_rows: &str) -> Result<Known, OutsideError> {
    let (classes, val_rows) = (classes.trim(), val_rows.trim());
    let (lo, hi) = limits::CLASSES;
    let classes = match classes {
        "" => None,
        v => Some(
            v.parse()
                .ok()
                .filter(|k| (lo..=hi).contains(k))
                .ok_or_else(|| OutsideError::Classes(v.to_string()))?,
        ),
    };
    let val_samples = match val_rows {
        "" => None,
        v => Some(
            v.parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| OutsideError::ValRows(v.to_string()))?,
        ),
    };
    Ok(Known {
        classes,
        val_samples,
    })
}

/// What the page shows of the run made elsewhere beside its curves and its diagnosis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutsideView {
    pub label: &'static str,
    /// The file's name, or "pasted text".
    pub name: String,
    pub epochs: usize,
    pub known: Known,
    /// The one honest line: read from the curves alone, the causes are suspicions.
    pub note: &'static str,
    /// What the known facts leave open (empty when nothing is).
    pub unknowns: String,
    /// How to return to the page's own runs.
    pub back: String,
}

impl Playground {
    /// Reads `text` (the file `name`: a Keras history as JSON or a CSV file) and shows it in
    /// place of the page's own runs, diagnosed from its curves with what `classes` and
    /// `val_rows` say (empty: unknown). A history that cannot be read changes nothing: the
    /// error is the parser's, naming what was wrong and what is allowed.
    pub fn show_history(
        &mut self,
        name: &str,
        text: &str,
        classes: &str,
        val_rows: &str,
    ) -> Result<(), OutsideError> {
        let known = known_from_fields(classes, val_rows)?;
        let history = read_history(text).map_err(|error| OutsideError::History {
            name: name.to_string(),
            error,
        })?;
        let diagnosis = diagnose_history(&history, known);
        self.outside = Some(Box::new(OutsideRun {
            name: name.to_string(),
            history,
            known,
            diagnosis,
        }));
        Ok(())
    }

    /// Back to the page's own runs, as they were; whether a run made elsewhere was shown.
    pub fn close_history(&mut self) -> bool {
        self.outside.take().is_some()
    }

    /// The run made elsewhere being shown, if any.
    pub fn outside(&self) -> Option<OutsideView> {
        let o = self.outside.as_ref()?;
        Some(OutsideView {
            label: OUTSIDE_LABEL,
            name: o.name.clone(),
            epochs: o.history.epochs(),
            known: o.known,
            note: FROM_CURVES_ALONE,
            unknowns: unknowns_text(&o.known),
            back: format!(
                "Its curves replace the playground's runs, which wait where they were: \
                 {BACK_TO_PLAYGROUND}, Step, or any change to a control returns to them."
            ),
        })
    }

    /// The run made elsewhere as the charts draw it: one run, training blue and validation
    /// vermillion like the page's own single run, its x axis its own epochs.
    pub(super) fn outside_chart_run(&self) -> Option<ChartRun<'_>> {
        let o = self.outside.as_ref()?;
        Some(ChartRun {
            label: OUTSIDE_LABEL.to_string(),
            ..ChartRun::single(&o.history, o.history.epochs())
        })
    }

    /// The figures under the charts for the run made elsewhere: its last finite values and
    /// its best validation accuracy, all its epochs done.
    pub(super) fn outside_figures(&self) -> Option<Figures> {
        let o = self.outside.as_ref()?;
        let h = &o.history;
        let RGBColor(r, g, b) = chart::BLUE;
        let best = best_val_accuracy(h);
        Some(Figures {
            label: OUTSIDE_LABEL.to_string(),
            color: format!("#{r:02x}{g:02x}{b:02x}"),
            epoch: h.epochs(),
            epochs: h.epochs(),
            loss: last_finite(&h.loss),
            accuracy: last_finite(&h.accuracy),
            val_loss: last_finite(&h.val_loss),
            val_accuracy: last_finite(&h.val_accuracy),
            best_val_accuracy: best.map(|(_, v)| v),
            best_epoch: best.map(|(i, _)| i + 1),
            status: o.diagnosis.status,
            restored_epoch: None,
        })
    }

    /// The run made elsewhere's diagnosis, from its curves alone.
    pub(super) fn outside_diagnosis(&self) -> Option<&Diagnosis> {
        self.outside.as_ref().map(|o| &o.diagnosis)
    }

    /// Whether a run made elsewhere is shown in place of the page's own.
    pub(super) fn showing_outside(&self) -> bool {
        self.outside.is_some()
    }
}

#[cfg(test)]
mod tests;

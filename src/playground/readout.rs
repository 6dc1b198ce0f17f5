//! The values under the pointer (or the keyboard's epoch) on a chart: every run on the chart,
//! faded ones and seed bands included, at one epoch, and the focused run's instruments there.
//! The page shows them beside the chart and announces them to screen readers.

use super::machine::Playground;
use crate::train::{History, LayerInstruments};
use serde::Serialize;

/// One figure of a run at an epoch: the mean over its seeds, and their range when it has
/// several.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Value {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// One run at the epoch; `None` figures where the run has not reached it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunValues {
    pub label: String,
    pub faded: bool,
    pub seeds: usize,
    pub loss: Option<Value>,
    pub accuracy: Option<Value>,
    pub val_loss: Option<Value>,
    pub val_accuracy: Option<Value>,
}

/// What the page shows at one epoch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readout {
    /// 1-based, as the chart's x axis.
    pub epoch: usize,
    pub runs: Vec<RunValues>,
    /// The focused run's instruments at the epoch (its own seed), one per hidden layer, with
    /// each layer's units; empty before the epoch is trained.
    pub layers: Vec<LayerInstruments>,
    pub units: Vec<usize>,
}

/// `series(h)[epoch - 1]` over the seeds that reached the epoch.
fn value(histories: &[&History], epoch: usize, series: fn(&History) -> &[f64]) -> Option<Value> {
    let at: Vec<f64> = histories
        .iter()
        .filter_map(|h| series(h).get(epoch.checked_sub(1)?).copied())
        .collect();
    if at.is_empty() {
        return None;
    }
    Some(Value {
        mean: at.iter().sum::<f64>() / at.len() as f64,
        min: at.iter().copied().fold(f64::INFINITY, f64::min),
        max: at.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    })
}

impl Playground {
    /// Every run on the chart at `epoch` (1-based), as the chart draws them: the mean of its
    /// seeds, with their range.
    pub fn readout(&self, epoch: usize) -> Readout {
        let runs = self
            .chart_runs()
            .iter()
            .map(|r| RunValues {
                label: match (&r.label[..], r.faded) {
                    ("", false) => "this run".to_string(),
                    ("", true) => "before the change".to_string(),
                    (label, _) => label.to_string(),
                },
                faded: r.faded,
                seeds: r.histories.len(),
                loss: value(&r.histories, epoch, |h| &h.loss),
                accuracy: value(&r.histories, epoch, |h| &h.accuracy),
                val_loss: value(&r.histories, epoch, |h| &h.val_loss),
                val_accuracy: value(&r.histories, epoch, |h| &h.val_accuracy),
            })
            .collect();
        let layers = epoch
            .checked_sub(1)
            .and_then(|e| self.instruments().get(e))
            .cloned()
            .unwrap_or_default();
        let units = match layers.is_empty() {
            true => Vec::new(),
            false => self.focused_hidden(),
        };
        Readout {
            epoch,
            runs,
            layers,
            units,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_the_mean_of_the_seeds_that_reached_the_epoch_with_their_range() {
        let a = History {
            loss: vec![1.0, 0.5],
            ..History::default()
        };
        let b = History {
            loss: vec![3.0],
            ..History::default()
        };
        let both = [&a, &b];
        let first = value(&both, 1, |h| &h.loss).unwrap();
        assert_eq!((first.mean, first.min, first.max), (2.0, 1.0, 3.0));
        let second = value(&both, 2, |h| &h.loss).unwrap();
        assert_eq!((second.mean, second.min, second.max), (0.5, 0.5, 0.5));
        assert_eq!(value(&both, 3, |h| &h.loss), None);
        assert_eq!(value(&both, 0, |h| &h.loss), None);
    }
}

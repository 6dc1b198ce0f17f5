//! Keras `EarlyStopping`: which figure it watches, its settings, and its state over epochs.

use super::History;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monitor {
    Loss,
    Accuracy,
    ValLoss,
    ValAccuracy,
}

/// Keras `EarlyStopping(monitor, min_delta, patience, restore_best_weights)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    pub monitor: Monitor,
    pub min_delta: f64,
    pub patience: usize,
    pub restore_best_weights: bool,
}

/// One sample's worth of mean binary cross-entropy over `rows` rows: the change when one row's
/// probability for its true class goes from 0.4 (just wrong) to 0.6 (just right),
/// `ln(0.6/0.4) / rows`. Over the validation rows it is the `min_delta` a config's
/// `EarlyStopping` uses and the unit the diagnosis's plateau counts validation loss in, so the
/// two agree on which epoch was the best.
pub fn one_sample_loss(rows: usize) -> f64 {
    (0.6f64 / 0.4).ln() / rows.max(1) as f64
}

impl Monitor {
    /// Keras's key for this figure in `history` and in `EarlyStopping(monitor=…)`.
    pub fn name(self) -> &'static str {
        match self {
            Monitor::Loss => "loss",
            Monitor::Accuracy => "accuracy",
            Monitor::ValLoss => "val_loss",
            Monitor::ValAccuracy => "val_accuracy",
        }
    }

    /// Keras's `mode="auto"`: losses are minimised, accuracies (direction "up") maximised.
    fn maximised(self) -> bool {
        matches!(self, Monitor::Accuracy | Monitor::ValAccuracy)
    }

    pub(super) fn latest(self, h: &History) -> Option<f64> {
        let series = match self {
            Monitor::Loss => &h.loss,
            Monitor::Accuracy => &h.accuracy,
            Monitor::ValLoss => &h.val_loss,
            Monitor::ValAccuracy => &h.val_accuracy,
        };
        series.last().copied()
    }
}

/// Keras `EarlyStopping`'s running state (`baseline=None`, `start_from_epoch=0`).
#[derive(Clone, Debug)]
pub(super) struct EarlyState {
    pub(super) config: EarlyStopping,
    pub(super) best: Option<f64>,
    pub(super) wait: usize,
    /// Parameters at the end of the best epoch (restore_best_weights only).
    pub(super) best_params: Option<Vec<f32>>,
}

impl EarlyState {
    fn is_improvement(&self, current: f64, best: f64) -> bool {
        let delta = self.config.min_delta.abs();
        if self.config.monitor.maximised() {
            current - delta > best
        } else {
            current + delta < best
        }
    }

    /// Keras `on_epoch_end` for epoch index `epoch` (0-based); true when training must stop.
    pub(super) fn on_epoch_end(&mut self, epoch: usize, current: f64, params: &[f32]) -> bool {
        let restore = self.config.restore_best_weights;
        if restore && self.best_params.is_none() {
            self.best_params = Some(params.to_vec());
        }
        self.wait += 1;
        if self
            .best
            .is_none_or(|best| self.is_improvement(current, best))
        {
            self.best = Some(current);
            if let Some(saved) = self.best_params.as_mut() {
                saved.copy_from_slice(params);
            }
            self.wait = 0;
            return false;
        }
        self.wait >= self.config.patience && epoch > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds a monitored series to Keras's EarlyStopping logic; returns the 1-based stop epoch.
    fn stop_epoch(
        monitor: Monitor,
        min_delta: f64,
        patience: usize,
        series: &[f64],
    ) -> Option<usize> {
        let mut s = EarlyState {
            config: EarlyStopping {
                monitor,
                min_delta,
                patience,
                restore_best_weights: false,
            },
            best: None,
            wait: 0,
            best_params: None,
        };
        (0..series.len())
            .find(|&e| s.on_epoch_end(e, series[e], &[]))
            .map(|e| e + 1)
    }

    #[test]
    fn early_stopping_follows_keras() {
        let falling_then_flat = [1.0, 0.9, 0.8, 0.85, 0.82, 0.81, 0.7];
        // patience 2: epochs 4 and 5 fail to beat 0.8 → stop after epoch 5.
        assert_eq!(
            stop_epoch(Monitor::ValLoss, 0.0, 2, &falling_then_flat),
            Some(5)
        );
        // patience 0 stops at the first non-improvement, but never after the first epoch.
        assert_eq!(stop_epoch(Monitor::Loss, 0.0, 0, &[1.0, 1.0]), Some(2));
        assert_eq!(stop_epoch(Monitor::Loss, 0.0, 0, &[1.0]), None);
        // min_delta: improvements smaller than it do not count (its sign is ignored).
        assert_eq!(
            stop_epoch(Monitor::ValLoss, 0.15, 1, &[1.0, 0.9, 0.7]),
            Some(2)
        );
        assert_eq!(
            stop_epoch(Monitor::ValLoss, -0.15, 1, &[1.0, 0.9, 0.7]),
            Some(2)
        );
        // Accuracies are maximised.
        assert_eq!(
            stop_epoch(Monitor::ValAccuracy, 0.0, 1, &[0.5, 0.6, 0.7, 0.7]),
            Some(4)
        );
        assert_eq!(stop_epoch(Monitor::Accuracy, 0.0, 1, &[0.5, 0.4]), Some(2));
    }
}

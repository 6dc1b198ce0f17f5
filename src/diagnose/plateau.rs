//! Where validation stopped improving, with Keras `EarlyStopping` semantics.

use crate::train::one_sample_loss;
use serde::Serialize;

/// How long "not improving" must last, and how small an improvement does not count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PlateauSettings {
    /// Epochs without improvement that make a plateau. 10 is Keras's `ReduceLROnPlateau`
    /// default, the library's own answer to "how long is stuck"; `EarlyStopping`'s default
    /// of 0 would call every noisy epoch a plateau.
    pub patience: usize,
    /// Validation accuracy moves in whole samples, so any new best (at least one more sample
    /// right) is a real improvement: 0, Keras's default.
    pub min_delta_accuracy: f64,
    /// The same "one sample" unit for the validation loss: the change in mean loss when one
    /// validation sample's probability for its true class goes from 0.4 (just wrong) to 0.6
    /// (just right), `ln(0.6/0.4) / n_val` ([`one_sample_loss`]). Smaller gains are polishing,
    /// not learning. A config's early stopping uses the same `min_delta`, so it stops
    /// `patience` epochs after the best this plateau counts and restores that epoch.
    pub min_delta_loss: f64,
}

impl PlateauSettings {
    /// The defaults for a validation set of `val_samples` rows.
    pub fn for_validation_size(val_samples: usize) -> Self {
        PlateauSettings {
            patience: 10,
            min_delta_accuracy: 0.0,
            min_delta_loss: one_sample_loss(val_samples),
        }
    }
}

/// The validation curves' turning points. Epochs are 1-based, as Keras prints them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plateau {
    /// The epoch at which neither validation accuracy nor validation loss had improved for
    /// `patience` epochs, in the plateau the run ends in: where Keras `EarlyStopping`
    /// watching both would stop. `None` while the run is still improving.
    pub plateau_epoch: Option<usize>,
    /// The first epoch with the best validation accuracy. `None` without any finite epoch.
    pub best_epoch: Option<usize>,
    pub best_val_accuracy: Option<f64>,
    /// The epoch with the lowest validation loss, raw (what `restore_best_weights` on
    /// `val_loss` with `min_delta` 0 would keep). The rules read it; the texts name
    /// `counted_loss_epoch`.
    pub val_loss_best_epoch: Option<usize>,
    pub best_val_loss: Option<f64>,
    /// The last epoch that improved validation accuracy or loss.
    pub last_improvement_epoch: Option<usize>,
    /// The validation-loss monitor's best: the last epoch whose loss beat the best before it
    /// by more than `min_delta_loss` (Keras's `best` with `min_delta`). No later epoch is
    /// lower by more than `min_delta_loss` (one sample's worth, invisible on the chart), so
    /// this, not the lowest value, is what the plateau, its marker, its sentence and the
    /// causes' texts use, and the epoch a config's early stopping restores (its `min_delta` is
    /// the same unit).
    pub counted_loss_epoch: Option<usize>,
    pub counted_val_loss: Option<f64>,
    pub settings: PlateauSettings,
}

/// Scans the validation curves like Keras's `EarlyStopping.on_epoch_end`: each monitor keeps
/// its best; an epoch improves a monitor when it beats that best by more than `min_delta`;
/// the wait counter restarts whenever either monitor improves. Only the finite prefix of the
/// curves is read (a diverged run ends in NaN).
pub fn find_plateau(val_accuracy: &[f64], val_loss: &[f64], settings: PlateauSettings) -> Plateau {
    let epochs = finite_prefix(val_accuracy).min(finite_prefix(val_loss));
    let mut best_acc: Option<(usize, f64)> = None;
    let mut best_loss: Option<(usize, f64)> = None;
    let mut last_improvement = None;
    for i in 0..epochs {
        let epoch = i + 1;
        let (acc, loss) = (val_accuracy[i], val_loss[i]);
        let acc_improves = best_acc.is_none_or(|(_, b)| acc - settings.min_delta_accuracy > b);
        let loss_improves = best_loss.is_none_or(|(_, b)| loss + settings.min_delta_loss < b);
        if acc_improves {
            best_acc = Some((epoch, acc));
        }
        if loss_improves {
            best_loss = Some((epoch, loss));
        }
        if acc_improves || loss_improves {
            last_improvement = Some(epoch);
        }
    }
    // A val_loss "best" under min_delta is the last epoch that beat the previous best by
    // min_delta; the lowest value itself is what the student sees on the chart.
    let lowest_loss = (0..epochs).min_by(|&a, &b| val_loss[a].total_cmp(&val_loss[b]));
    let plateau_epoch = last_improvement
        .map(|last| last + settings.patience)
        .filter(|&confirmed| confirmed <= epochs);
    Plateau {
        plateau_epoch,
        best_epoch: best_acc.map(|(e, _)| e),
        best_val_accuracy: best_acc.map(|(_, a)| a),
        val_loss_best_epoch: lowest_loss.map(|i| i + 1),
        best_val_loss: lowest_loss.map(|i| val_loss[i]),
        last_improvement_epoch: last_improvement,
        counted_loss_epoch: best_loss.map(|(e, _)| e),
        counted_val_loss: best_loss.map(|(_, l)| l),
        settings,
    }
}

impl Plateau {
    /// The first epoch of the plateau the run ends in: its last improvement, the latest of
    /// the best accuracy and the counted best loss. `None` while still improving.
    pub fn start_epoch(&self) -> Option<usize> {
        self.plateau_epoch.and(self.last_improvement_epoch)
    }

    /// The plateau in one sentence, naming exactly the epochs the chart's markers sit at (the
    /// playground draws them from these same fields): the plateau's start, the best validation
    /// accuracy and the counted best validation loss, both at or before the start. `epochs`
    /// is how many epochs were read.
    pub fn sentence(&self, epochs: usize) -> String {
        let (Some(loss_epoch), Some(loss)) = (self.counted_loss_epoch, self.counted_val_loss)
        else {
            return "No finite epoch to read yet.".to_string();
        };
        // A history from elsewhere may have no accuracy: the loss alone is then named.
        let accuracy = match (self.best_epoch, self.best_val_accuracy) {
            (Some(best), Some(acc)) => format!(
                "best validation accuracy {:.1}% at epoch {best}, ",
                100.0 * acc
            ),
            _ => String::new(),
        };
        let bests = format!("{accuracy}best validation loss {loss:.3} at epoch {loss_epoch}");
        let s = &self.settings;
        // Without the validation rows (a history from elsewhere) there is no sample's worth.
        let unit = if s.min_delta_loss > 0.0 {
            format!(
                "smaller loss changes than {:.4}, one validation sample's worth, do not count",
                s.min_delta_loss
            )
        } else {
            "any lower validation loss counts, as in Keras's EarlyStopping with min_delta=0"
                .to_string()
        };
        let watched = if accuracy.is_empty() {
            "the loss did not improve"
        } else {
            "neither accuracy nor loss improved"
        };
        match self.start_epoch() {
            Some(start) => format!(
                "Validation plateaued at epoch {start}: in the {} epochs since, {watched} \
                 ({bests}; {unit}).",
                epochs - start,
            ),
            None => format!(
                "No plateau yet: validation improved within the last {} epochs ({bests}).",
                s.patience
            ),
        }
    }
}

/// How many leading values are finite.
pub(crate) fn finite_prefix(values: &[f64]) -> usize {
    values
        .iter()
        .position(|v| !v.is_finite())
        .unwrap_or(values.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> PlateauSettings {
        PlateauSettings {
            patience: 3,
            min_delta_accuracy: 0.0,
            min_delta_loss: 0.01,
        }
    }

    #[test]
    fn a_plateau_is_confirmed_patience_epochs_after_the_last_improvement() {
        let acc = [0.5, 0.6, 0.7, 0.7, 0.65, 0.7, 0.7, 0.7];
        let loss = [0.7, 0.6, 0.5, 0.495, 0.5, 0.5, 0.5, 0.5];
        let p = find_plateau(&acc, &loss, settings());
        assert_eq!(p.best_epoch, Some(3));
        assert_eq!(p.last_improvement_epoch, Some(3));
        assert_eq!(p.plateau_epoch, Some(6));
        assert_eq!(
            p.val_loss_best_epoch,
            Some(4),
            "the lowest value, not the last counted gain"
        );
        assert_eq!(
            p.counted_loss_epoch,
            Some(3),
            "0.495 is within min_delta of 0.5"
        );
        assert_eq!(p.start_epoch(), Some(3));
        let sentence = p.sentence(8);
        assert!(
            sentence.starts_with("Validation plateaued at epoch 3: in the 5 epochs since"),
            "{sentence}"
        );
        assert!(sentence.contains("loss 0.500 at epoch 3"), "{sentence}");
    }

    #[test]
    fn either_monitor_improving_means_no_plateau_yet() {
        // Accuracy flat, loss still falling by more than min_delta each epoch.
        let acc = [0.7; 8];
        let loss = [0.8, 0.78, 0.76, 0.74, 0.72, 0.70, 0.68, 0.66];
        let p = find_plateau(&acc, &loss, settings());
        assert_eq!(p.plateau_epoch, None);
        assert_eq!(
            p.best_epoch,
            Some(1),
            "ties keep the first epoch, as Keras does"
        );
    }

    #[test]
    fn gains_below_min_delta_accumulate_until_they_count() {
        // 0.004 per epoch: the third epoch beats the best by 0.012 > 0.01 and counts.
        let acc = [0.7; 9];
        let loss = [0.5, 0.496, 0.492, 0.488, 0.484, 0.480, 0.476, 0.472, 0.468];
        let p = find_plateau(&acc, &loss, settings());
        assert_eq!(p.last_improvement_epoch, Some(7));
        assert_eq!(p.plateau_epoch, None);
    }

    #[test]
    fn only_the_finite_prefix_is_read() {
        let acc = [0.5, 0.6, f64::NAN, 0.9];
        let loss = [0.7, 0.6, f64::NAN, 0.1];
        let p = find_plateau(&acc, &loss, settings());
        assert_eq!(p.best_epoch, Some(2));
        assert_eq!(p.best_val_loss, Some(0.6));
        let empty = find_plateau(&[], &[], settings());
        assert_eq!((empty.best_epoch, empty.plateau_epoch), (None, None));
    }

    #[test]
    fn the_loss_unit_is_one_sample_crossing_the_boundary() {
        let s = PlateauSettings::for_validation_size(40);
        assert!((s.min_delta_loss - 0.010_137).abs() < 1e-6);
    }
}

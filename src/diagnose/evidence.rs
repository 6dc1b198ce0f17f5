//! The figures each cause rests on, as the JSON gives them; its explanation in plain words is
//! written from them (each cause's text is in its file under `causes/`).

use super::Chance;
use serde::Serialize;

/// The figures a cause rests on. Serialised as a plain object of the variant's fields.
/// Accuracies are fractions (0.82), `*_points` are percentage points (18.0).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Evidence {
    UnscaledFeatures {
        /// Standard deviations of the features reaching the network (constant ones left out).
        largest_std: f64,
        smallest_std: f64,
        /// largest / smallest.
        spread: f64,
        constant_features: usize,
        /// The first epoch's training loss.
        initial_loss: Option<f64>,
        /// What unit-scale inputs start near: ln k (ln 2 for two classes, whatever their
        /// shares; `Chance::start_loss`).
        unit_scale_initial_loss: f64,
    },
    LrTooHigh {
        learning_rate: f64,
        /// It learned, then fell back to chance (loss ≈ chance's, accuracy not above it).
        collapsed: bool,
        peak_val_accuracy: Option<f64>,
        peak_epoch: Option<usize>,
        /// Mean of the last `FINAL_EPOCHS` epochs, like every final figure in the text.
        final_train_accuracy: Option<f64>,
        /// Share of hidden ReLU units dead on the training rows, when read (`units.rs`).
        dead_relu_fraction: Option<f64>,
        diverged_epoch: Option<usize>,
        /// First epoch with training loss below `MEMORISED_LOSS`.
        memorised_epoch: Option<usize>,
        /// ... within `HANDFUL_EPOCHS` and `HANDFUL_STEPS` optimizer steps.
        memorised_at_once: bool,
        /// The best validation loss as the plateau counts it (`Plateau::counted_loss_epoch`).
        val_loss_best_epoch: Option<usize>,
        /// Training loss's total climbing over its total fall.
        climb_ratio: f64,
        lowest_train_loss: Option<f64>,
        final_train_loss: Option<f64>,
        /// The lowest validation loss, raw (the text says it "never fell below" it).
        lowest_val_loss: Option<f64>,
        /// The lowest validation loss is still `EXTREME_LOSS` × ln k (ln 2 for two classes)
        /// or more.
        overconfident_at_once: bool,
        /// Adam or RMSprop at `ADAPTIVE_HIGH_LR` or more, and the training rows not fitted.
        unfit_at_adaptive_rate: bool,
        /// Adam or RMSprop at `ADAPTIVE_HIGH_LR` or more: steps the size of the weights.
        adaptive_high_rate: bool,
        /// Chance on this data, which the texts compare with. In the JSON (as `classes`,
        /// `chance_accuracy` and `chance_loss`) only when the classes are not two balanced
        /// ones.
        #[serde(flatten)]
        chance: Chance,
    },
    LrTooLow {
        learning_rate: f64,
        /// Training loss fallen in the first half of the run and in the second.
        first_half_drop: f64,
        second_half_drop: f64,
        /// second / first.
        pace_ratio: f64,
        /// Share of second-half epochs that lowered the training loss.
        falling_share: f64,
        final_train_loss: f64,
        final_train_accuracy: f64,
        /// No plateau: validation improved within the patience.
        still_improving: bool,
        /// Training accuracy still at chance while the loss falls steadily.
        not_started: bool,
        /// The last epoch that improved validation accuracy or loss (the headline's "within
        /// the last epochs"; the best accuracy may be older).
        last_improvement_epoch: Option<usize>,
        /// Chance on this data (in the JSON only off two balanced classes, as for
        /// `LrTooHigh`).
        #[serde(flatten)]
        chance: Chance,
    },
    Overfitting {
        train_accuracy: f64,
        val_accuracy: f64,
        gap_points: f64,
        gap_standard_errors: f64,
        /// The best validation loss as the plateau counts it (`Plateau::counted_loss_epoch`):
        /// the epoch the headline, the markers and early stopping name. The raw lowest may be
        /// a later epoch, lower by less than one validation sample's worth.
        val_loss_best_epoch: usize,
        best_val_loss: f64,
        final_val_loss: f64,
        /// The final loss's rise above the best, in "one validation sample" loss units: at
        /// least -1, since no later epoch beats the best by a whole unit.
        val_loss_rise_samples: f64,
        /// Share of validation loss's gain (from chance's loss, or the first epoch if worse,
        /// down to its best) undone since (negative for a final loss below the best); 99
        /// without a gain.
        val_loss_given_back: f64,
        /// Training loss ended below where it was at the best epoch: the classic picture.
        training_loss_kept_falling: bool,
        parameters: usize,
        train_samples: usize,
        parameters_per_sample: f64,
        /// Chance on this data (in the JSON only off two balanced classes, as for
        /// `LrTooHigh`).
        #[serde(flatten)]
        chance: Chance,
    },
    Underfitting {
        train_accuracy: f64,
        val_accuracy: f64,
        pace_ratio: f64,
        parameters: usize,
        train_samples: usize,
        parameters_per_sample: f64,
        /// A linear network (or none): a linear model whatever its width.
        linear: bool,
        /// The narrowest hidden layer's units when it is a bottleneck (0: no hidden layer,
        /// or a linear network); `None` for a wider network.
        bottleneck: Option<usize>,
        /// The bottleneck leads the other setup causes (the network has left chance, and the
        /// rate is not one whose steps are the weights' size).
        leads: bool,
        /// No plateau yet (validation improved within the patience): the curves are then
        /// not called flat, which the headline would contradict.
        no_plateau: bool,
    },
    NoisyValidation {
        val_samples: usize,
        /// Accuracy points one validation sample is worth.
        points_per_sample: f64,
        /// Half-width of the 95% interval of the final validation accuracy.
        ci95_points: f64,
        val_accuracy: f64,
    },
    Converged {
        train_accuracy: f64,
        val_accuracy: f64,
        best_val_accuracy: Option<f64>,
        plateau_epoch: Option<usize>,
        train_samples: usize,
        /// No plateau yet: converging, still learning but only just, so not "converged".
        still_learning: bool,
        /// The last epoch that improved validation accuracy or loss.
        last_improvement_epoch: Option<usize>,
        /// A setup problem is present (this is then only possible, and its text says so
        /// rather than "nothing is wrong" under the problem it names).
        behind_others: bool,
        /// The rows are a file's, all there are: more rows cannot be measured. In the JSON
        /// only when true.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        rows_fixed: bool,
    },
    /// A run made elsewhere, read from its curves alone (`causes/from_curves.rs`): its first
    /// training loss far above where unit-scale inputs start (a suspicion of unscaled
    /// features).
    FirstLoss {
        initial_loss: f64,
        /// ln k for the classes given, or ln 2 when they were not (`classes_assumed`).
        unit_scale_initial_loss: f64,
        /// initial_loss / unit_scale_initial_loss.
        times: f64,
        classes_assumed: bool,
    },
    /// A run made elsewhere whose training was unstable: it diverged, its validation loss
    /// was extreme from the start, it memorised its rows at once, or its loss climbs back.
    Unstable {
        diverged_epoch: Option<usize>,
        lowest_val_loss: Option<f64>,
        /// The lowest validation loss is `EXTREME_LOSS` × ln k or more.
        overconfident_at_once: bool,
        /// First epoch with training loss below `MEMORISED_LOSS`, within `HANDFUL_EPOCHS`.
        memorised_epoch: Option<usize>,
        val_loss_best_epoch: Option<usize>,
        /// Training loss's total climbing over its total fall.
        climb_ratio: f64,
    },
    /// A run made elsewhere whose training loss still falls steadily, or which has no plateau
    /// yet.
    SlowFall {
        first_half_drop: f64,
        second_half_drop: f64,
        pace_ratio: f64,
        falling_share: f64,
        /// No plateau: validation improved within the patience.
        still_improving: bool,
        last_improvement_epoch: Option<usize>,
    },
    /// A run made elsewhere whose validation loss rose from its best while training loss
    /// kept falling, with the accuracy gap when the history has accuracy.
    Gap {
        train_accuracy: Option<f64>,
        val_accuracy: Option<f64>,
        gap_points: Option<f64>,
        /// Only with the validation rows given: without them the gap's noise is unknown.
        gap_standard_errors: Option<f64>,
        val_loss_best_epoch: usize,
        best_val_loss: f64,
        final_val_loss: f64,
        /// Share of validation loss's gain (from ln k, or the first epoch if worse, down to
        /// its best) undone since; 99 without a gain.
        val_loss_given_back: f64,
        training_loss_kept_falling: bool,
        /// ln k: the loss of knowing nothing on k balanced classes (two when not given).
        knowing_nothing_loss: f64,
    },
}

impl Evidence {
    /// The cause in plain words, with its figures.
    pub fn explanation(&self) -> String {
        super::causes::explanation(self)
    }
}

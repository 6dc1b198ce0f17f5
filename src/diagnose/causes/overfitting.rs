//! Overfitting: validation loss rises while training loss keeps falling, or a significant
//! gap with capacity to memorise. The rule, its fix (a smaller model or an L2 penalty) and its
//! explanation.

use super::fixes::{hidden_list, pair, plain_number};
use super::{cause, pct, rounded, Observations};
use crate::config::{limits, Config};
use crate::diagnose::curves::mean_last;
use crate::diagnose::thresholds::{
    FINAL_EPOCHS, GIVE_BACK, MEMORISING_PARAMETERS, MENTION, MIN_EPOCHS, POSSIBLE, RISE_SAMPLES,
    SIGNIFICANT_SE,
};
use crate::diagnose::{parameter_count, Cause, CauseId, Evidence};

pub(super) fn detect(run: &Observations) -> Option<Cause> {
    if run.epochs() < MIN_EPOCHS {
        return None;
    }
    let (train, val) = (run.train_accuracy(), run.val_accuracy());
    let gap_se = (train - val) / run.val_accuracy_se();
    // The best epoch as the plateau counts it (the headline's, the markers' and early
    // stopping's): the rise, the share of the gain undone and the text all start there.
    let p = run.plateau;
    let (best_epoch, best) = p.counted_loss_epoch.zip(p.counted_val_loss)?;
    let final_val_loss = mean_last(run.val_loss, FINAL_EPOCHS);
    let rise_samples = (final_val_loss - best) / p.settings.min_delta_loss;
    // What validation gained from knowing nothing (chance's loss: ln 2 on two balanced
    // classes, or the first epoch if worse) down to its best, and the share of that gain the
    // later epochs undid.
    let gained = run.val_loss[0].max(run.chance.loss) - best;
    let given_back = if gained > 0.0 {
        (final_val_loss - best) / gained
    } else {
        f64::INFINITY
    };
    // The classic picture: validation gets worse while training keeps getting better.
    let train_kept_falling = mean_last(run.loss, FINAL_EPOCHS) < run.loss[best_epoch - 1];
    let worsening = if rise_samples >= RISE_SAMPLES && train_kept_falling {
        (given_back / GIVE_BACK).min(1.0)
    } else {
        0.0
    };
    let significant_gap = gap_se >= SIGNIFICANT_SE;
    let can_memorise = run.parameters_per_sample() >= MEMORISING_PARAMETERS;
    // Worsening validation is the sign; a gap alone (0.3) is the normal generalisation gap
    // and, with capacity to memorise (0.1), still only possible overfitting. Without that
    // capacity, the rise is overconfidence on a few rows that a penalty does not turn into
    // accuracy: possible, never present (see `MEMORISING_PARAMETERS`).
    let confidence =
        0.6 * worsening + 0.3 * significant_gap as u8 as f64 + 0.1 * can_memorise as u8 as f64;
    let confidence = if can_memorise {
        confidence
    } else {
        confidence.min(POSSIBLE)
    };
    if confidence < MENTION {
        return None;
    }
    let evidence = Evidence::Overfitting {
        train_accuracy: train,
        val_accuracy: val,
        gap_points: rounded(100.0 * (train - val), 1),
        gap_standard_errors: rounded(gap_se, 2),
        val_loss_best_epoch: best_epoch,
        best_val_loss: best,
        final_val_loss,
        val_loss_rise_samples: rounded(rise_samples, 1),
        val_loss_given_back: rounded(given_back.min(99.0), 3),
        training_loss_kept_falling: train_kept_falling,
        parameters: run.parameters,
        train_samples: run.train_samples,
        parameters_per_sample: rounded(run.parameters_per_sample(), 1),
        chance: run.chance,
    };
    Some(cause(
        CauseId::Overfitting,
        confidence,
        evidence,
        fix(run.config, run.train_samples),
    ))
}

/// Halve every hidden layer when that leaves fewer parameters than training rows, so the model
/// can no longer memorise them (the article's "too much capacity"). Otherwise halving still
/// leaves room to memorise, so add Keras's default L2 penalty, `L2()` = 0.01 (or ten times the
/// current one), which limits how far weights grow to fit single rows, whatever the size.
pub(super) fn fix(config: &Config, train_samples: usize) -> Vec<(String, String)> {
    let halved: Vec<usize> = config.hidden.iter().map(|&h| (h / 2).max(1)).collect();
    let shrinks = halved != config.hidden;
    if shrinks && parameter_count(config.features, &halved) < train_samples {
        vec![pair("hidden", hidden_list(&halved))]
    } else {
        let l2 = if config.l2 > 0.0 {
            10.0 * config.l2
        } else {
            0.01
        };
        vec![pair("l2", plain_number(l2.min(limits::L2.1)))]
    }
}

/// The cause in plain words, with its figures.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
        Evidence::Overfitting {
            train_accuracy,
            val_accuracy,
            gap_points,
            gap_standard_errors,
            val_loss_best_epoch,
            best_val_loss,
            final_val_loss,
            val_loss_rise_samples,
            val_loss_given_back,
            training_loss_kept_falling,
            parameters,
            train_samples,
            parameters_per_sample,
            chance,
        } => {
            let mut s = format!(
                "Training accuracy {} against validation {} (means of the last \
                     {FINAL_EPOCHS} epochs; a gap of {gap_points:.1} points, \
                     {gap_standard_errors:.1} standard errors).",
                pct(*train_accuracy),
                pct(*val_accuracy)
            );
            if *val_loss_rise_samples >= RISE_SAMPLES {
                // The share of the gain undone says little when there was no gain worth the
                // name, or when a saturated first epoch makes any later rise a sliver of it:
                // the rise is then given in the headline's unit.
                let samples = format!("{val_loss_rise_samples:.0}× one validation sample's worth");
                let (nothing, chance_loss) = (chance.nothing_words(), chance.loss);
                let (best, undone) = if *best_val_loss >= chance_loss {
                    (
                        format!(
                            "{best_val_loss:.2}, no better than the {chance_loss:.2} of {nothing}"
                        ),
                        samples,
                    )
                } else if *final_val_loss > chance_loss {
                    let undone = format!("worse than {nothing} ({chance_loss:.2})");
                    (format!("{best_val_loss:.2}"), undone)
                } else if 100.0 * val_loss_given_back >= 0.5 {
                    let undone = format!("undoing {:.0}% of its gain", 100.0 * val_loss_given_back);
                    (format!("{best_val_loss:.2}"), undone)
                } else {
                    let undone = format!("{samples} but under 1% of its gain");
                    (format!("{best_val_loss:.2}"), undone)
                };
                let training = if *training_loss_kept_falling {
                    "while training loss kept falling: the model memorises the training rows \
                     and grows overconfident"
                } else {
                    "though training loss did not fall below where it was then"
                };
                s += &format!(
                    " Validation loss was best at epoch {val_loss_best_epoch} ({best}) and rose \
                         to {final_val_loss:.2}, {undone}, {training}."
                );
            } else {
                s += " Validation loss is not rising, so this is mostly the usual gap.";
            }
            let capacity = if *parameters_per_sample >= MEMORISING_PARAMETERS {
                ""
            } else {
                ": too few to memorise them, so a penalty or a smaller model has little to take \
                 away, and this stays a possible cause"
            };
            s + &format!(
                " {parameters} parameters for {train_samples} training rows \
                     ({parameters_per_sample:.1} per row){capacity}."
            )
        }
        _ => unreachable!("not Overfitting evidence"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::Chance;

    /// The rise's words agree with its numbers: a share of the gain only when there was a
    /// gain that the share describes.
    #[test]
    fn the_rise_is_worded_by_what_the_numbers_say() {
        let text_on = |chance: Chance, best: f64, final_loss: f64, rise: f64, given_back: f64| {
            explanation(&Evidence::Overfitting {
                train_accuracy: 1.0,
                val_accuracy: 0.8,
                gap_points: 20.0,
                gap_standard_errors: 3.0,
                val_loss_best_epoch: 14,
                best_val_loss: best,
                final_val_loss: final_loss,
                val_loss_rise_samples: rise,
                val_loss_given_back: given_back,
                training_loss_kept_falling: true,
                parameters: 705,
                train_samples: 160,
                parameters_per_sample: 4.4,
                chance,
            })
        };
        let text = |best, final_loss, rise, given_back| {
            text_on(Chance::balanced(2), best, final_loss, rise, given_back)
        };
        // From below knowing nothing to above it.
        let crossed = text(0.56, 1.14, 28.1, 4.45);
        assert!(crossed.contains("best at epoch 14 (0.56) and rose to 1.14, worse than knowing nothing (0.69), while"), "{crossed}");
        // A share of a real gain.
        let share = text(0.45, 0.55, 10.0, 0.4);
        assert!(
            share.contains("(0.45) and rose to 0.55, undoing 40% of its gain,"),
            "{share}"
        );
        // A saturated first epoch makes the gain huge: no "undoing 0%".
        let sliver = text(0.30, 0.35, 5.0, 0.004);
        assert!(
            sliver.contains(
                "rose to 0.35, 5× one validation sample's worth but under 1% of its gain,"
            ),
            "{sliver}"
        );
        assert!(!sliver.contains("undoing"), "{sliver}");
        // Never better than knowing nothing (the distorted unscaled run: 0.87 → 1.76), or no
        // gain at all: the rise in the headline's unit, no share and no "worse than" as news.
        for given_back in [0.004, 99.0] {
            let never = text(0.87, 1.76, 88.0, given_back);
            assert!(
                never.contains("best at epoch 14 (0.87, no better than the 0.69 of knowing nothing) and rose to 1.76, 88× one validation sample's worth, while"),
                "{never}"
            );
            assert!(!never.contains("of its gain"), "{never}");
        }
        // Under two samples' worth is no rise.
        assert!(text(0.5, 0.51, 1.0, 0.05).contains("Validation loss is not rising"));
        // On a 63/37 file knowing nothing but the shares costs 0.66, not ln 2: a best of 0.67
        // is no better than that, and a rise to 0.68 is worse than it.
        let file = Chance::of_counts(&[168, 287]);
        let never = text_on(file, 0.67, 1.2, 20.0, 99.0);
        assert!(
            never.contains("(0.67, no better than the 0.66 of predicting the class shares)"),
            "{never}"
        );
        let crossed = text_on(file, 0.60, 0.68, 8.0, 1.4);
        assert!(
            crossed.contains("rose to 0.68, worse than predicting the class shares (0.66),"),
            "{crossed}"
        );
    }

    #[test]
    fn the_fix_halves_the_model_only_when_that_stops_memorising() {
        let mut c = Config::preset("overfit").unwrap();
        // 64,32 would still have 3,521 parameters for 80 rows: halving cannot stop memorising.
        assert_eq!(fix(&c, 80), vec![pair("l2", "0.01")]);
        c.l2 = 0.01;
        assert_eq!(fix(&c, 80), vec![pair("l2", "0.1")]);
        c.hidden = vec![32];
        assert_eq!(fix(&c, 1000), vec![pair("hidden", "16")]);
        c.hidden = vec![1];
        assert_eq!(fix(&c, 1000), vec![pair("l2", "0.1")]);
    }
}

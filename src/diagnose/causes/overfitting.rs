//! Overfitting: validation loss rises while training loss keeps falling, or a significant
//! gap with capacity to memorise. The rule, its fix (a smaller model or an L2 penalty) and its
//! explanation.

use super::fixes::{hidden_list, pair, plain_number};
use super::{cause, pct, rounded, Observations};
use crate::config::{limits, Config};
use crate::diagnose::curves::mean_last;
use crate::diagnose::thresholds::{
    CHANCE_LOSS, FINAL_EPOCHS, GIVE_BACK, MENTION, MIN_EPOCHS, RISE_SAMPLES, SIGNIFICANT_SE,
};
use crate::diagnose::{parameter_count, Cause, CauseId, Evidence};

pub(super) fn detect(run: &Observations) -> Option<Cause> {
    if run.epochs() < MIN_EPOCHS {
        return None;
    }
    let (train, val) = (run.train_accuracy(), run.val_accuracy());
    let gap_se = (train - val) / run.val_accuracy_se();
    let lowest_epoch = run.plateau.val_loss_best_epoch?;
    let lowest = run.plateau.best_val_loss?;
    let final_val_loss = mean_last(run.val_loss, FINAL_EPOCHS);
    let rise_samples = (final_val_loss - lowest) / run.plateau.settings.min_delta_loss;
    // What validation gained from knowing nothing (ln 2, or the first epoch if worse) down
    // to its lowest, and the share of that gain the later epochs undid.
    let gained = run.val_loss[0].max(CHANCE_LOSS) - lowest;
    let given_back = if gained > 0.0 {
        (final_val_loss - lowest) / gained
    } else {
        f64::INFINITY
    };
    // The classic picture: validation gets worse while training keeps getting better.
    let train_kept_falling = mean_last(run.loss, FINAL_EPOCHS) < run.loss[lowest_epoch - 1];
    let worsening = if rise_samples >= RISE_SAMPLES && train_kept_falling {
        (given_back / GIVE_BACK).min(1.0)
    } else {
        0.0
    };
    let significant_gap = gap_se >= SIGNIFICANT_SE;
    let can_memorise = run.parameters_per_sample() >= 1.0;
    // Worsening validation is the sign; a gap alone (0.3) is the normal generalisation gap
    // and, with capacity to memorise (0.1), still only possible overfitting.
    let confidence =
        0.6 * worsening + 0.3 * significant_gap as u8 as f64 + 0.1 * can_memorise as u8 as f64;
    if confidence < MENTION {
        return None;
    }
    let evidence = Evidence::Overfitting {
        train_accuracy: train,
        val_accuracy: val,
        gap_points: rounded(100.0 * (train - val), 1),
        gap_standard_errors: rounded(gap_se, 2),
        val_loss_best_epoch: lowest_epoch,
        lowest_val_loss: lowest,
        final_val_loss,
        val_loss_rise_samples: rounded(rise_samples, 1),
        val_loss_given_back: rounded(given_back.min(99.0), 3),
        parameters: run.parameters,
        train_samples: run.train_samples,
        parameters_per_sample: rounded(run.parameters_per_sample(), 1),
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
            lowest_val_loss,
            final_val_loss,
            val_loss_rise_samples,
            val_loss_given_back,
            parameters,
            train_samples,
            parameters_per_sample,
        } => {
            let mut s = format!(
                "Training accuracy {} against validation {} (means of the last \
                     {FINAL_EPOCHS} epochs; a gap of {gap_points:.1} points, \
                     {gap_standard_errors:.1} standard errors).",
                pct(*train_accuracy),
                pct(*val_accuracy)
            );
            if *val_loss_rise_samples >= RISE_SAMPLES {
                let undone = if *val_loss_given_back > 1.0 {
                    format!("worse than knowing nothing ({CHANCE_LOSS:.2})")
                } else {
                    format!("undoing {:.0}% of its gain", 100.0 * val_loss_given_back)
                };
                s += &format!(
                    " Validation loss was lowest at epoch {val_loss_best_epoch} \
                         ({lowest_val_loss:.2}) and rose to {final_val_loss:.2}, {undone}, \
                         while training loss kept falling: the model memorises the training \
                         rows and grows overconfident."
                );
            } else {
                s += " Validation loss is not rising, so this is mostly the usual gap.";
            }
            s + &format!(
                " {parameters} parameters for {train_samples} training rows \
                     ({parameters_per_sample:.1} per row)."
            )
        }
        _ => unreachable!("not Overfitting evidence"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

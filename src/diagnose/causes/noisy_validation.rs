//! The validation set is too small to read: one sample moves its accuracy by points. The
//! rule and its explanation: a caveat on how to read the result, with no fix of its own (more
//! rows are the data's limit, measured apart).

use super::{cause, rounded, Observations};
use crate::diagnose::thresholds::{NOISE_CERTAIN_POINTS, NOISY_STEP_POINTS};
use crate::diagnose::{Cause, CauseId, Evidence};

pub(super) fn detect(run: &Observations) -> Option<Cause> {
    let p = (!run.val_accuracy.is_empty()).then(|| run.val_accuracy());
    of_validation(run.val_samples, p)
}

/// The rule on `val_samples` rows whose final validation accuracy is `p` (`None`: unknown,
/// read as 50%, where the interval is widest).
pub(super) fn of_validation(val_samples: usize, p: Option<f64>) -> Option<Cause> {
    let n = val_samples.max(1) as f64;
    let points_per_sample = 100.0 / n;
    if points_per_sample < NOISY_STEP_POINTS {
        return None;
    }
    let p = p.unwrap_or(0.5);
    // 2.5 points → 0.25, 5 → 0.5, 10 or more → 1.
    let confidence = points_per_sample / NOISE_CERTAIN_POINTS;
    let evidence = Evidence::NoisyValidation {
        val_samples,
        points_per_sample: rounded(points_per_sample, 2),
        ci95_points: rounded(100.0 * wilson_half_width(p, n), 1),
        val_accuracy: p,
    };
    Some(cause(
        CauseId::NoisyValidation,
        confidence,
        evidence,
        Vec::new(),
    ))
}

/// Half the width of the Wilson score 95% interval of an accuracy `p` measured on `n` rows.
/// Not the usual `1.96 √(p(1−p)/n)`: that is 0 at 100%, where 36 rows said "uncertain by
/// ±0 points" of a figure one row would move by 2.8.
fn wilson_half_width(p: f64, n: f64) -> f64 {
    let z2 = 1.96_f64 * 1.96;
    1.96 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n)
}

/// The cause in plain words, with its figures.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
        Evidence::NoisyValidation {
            val_samples,
            points_per_sample,
            ci95_points,
            ..
        } => format!(
            "The validation set has {val_samples} rows, so one sample moves validation \
                 accuracy by {points_per_sample:.1} points and the final figure is uncertain by \
                 ±{ci95_points:.0} points (95%): differences of a few points are noise."
        ),
        _ => unreachable!("not NoisyValidation evidence"),
    }
}

#[cfg(test)]
mod tests {
    use super::wilson_half_width;

    #[test]
    fn a_perfect_score_on_few_rows_is_still_uncertain() {
        // 36 rows at 100%: the Wilson interval is 90.4%–100%.
        assert!((wilson_half_width(1.0, 36.0) - 0.0482).abs() < 5e-4);
        // Away from the ends it is close to the usual interval: 80 rows at 50%, ±10.7 / ±11.0.
        let usual = 1.96 * (0.25_f64 / 80.0).sqrt();
        assert!((wilson_half_width(0.5, 80.0) - usual).abs() < 0.005);
    }
}

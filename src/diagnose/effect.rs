//! The statistics of an experiment, in one place: when a fix *helps*, *hurts*, has no
//! effect, or was not measured precisely enough to tell, against the seed-to-seed noise of
//! paired runs.
//!
//! A fix and the unchanged config are trained with the same training seeds (same initial
//! weights where the shapes allow, same shuffles), so each seed gives one paired difference
//! `fixed − base` of the final validation accuracy (in points) and of the final validation
//! loss. "Final" is the mean of the last [`FINAL_EPOCHS`] epochs of each run.
//!
//! Over `n` seeds the change is the mean difference and its standard error `sd / √n`. A change
//! counts when it is both
//! - at least Student's t 98.75% line (two-sided, `n − 1` degrees of freedom: 4.32 standard
//!   errors on 5 seeds, 3.11 on 10, 2.76 on 20) from zero, the standard error floored at a
//!   fifth of the smallest change that counts, so that a difference identical on every seed
//!   (sd 0, as when every run collapses to chance alike) is not taken as infinitely certain; and
//! - at least the smallest change that counts: one validation sample for accuracy (at least
//!   [`MIN_ACCURACY_POINTS`]), [`MIN_LOSS_CHANGE`] for the loss.
//!
//! Why 98.75%: two figures may decide (accuracy, then the loss when accuracy did not move),
//! and on a fix that changes nothing each calls a change on its own share of seeds, so the
//! verdict's false alarms are up to the two shares together. At 95% each the placebo alarmed
//! in 7 of 100 configurations, 3 of them by the loss; at 97.5% each (a 5% budget) in 5 of the
//! bank's 70, 4 of them on 20 seeds, which is what a 5% budget gives (5 or more of 70 happen
//! 27% of the time), so a bank held to 95% needs a budget well under 5%. Each figure holds
//! 1.25% (Bonferroni), 2.5% together: 2 of 70. Measured against a truth of 40 seeds, the
//! stricter line lost no right answer (67 of 70 either way; 19 of 20 held out against 18), as
//! what it no longer settles on 5 seeds gets more seeds (`Experiments::add_seeds`).
//!
//! The question is about validation *accuracy*, so accuracy decides first: a fix that raises
//! it helps, one that lowers it hurts. Validation loss decides only when accuracy did not
//! clearly move (lower helps, higher hurts), so a fix that helps by the loss never costs
//! accuracy beyond the noise. A rise in the loss does not veto an accuracy gain: a network
//! that learns after sitting at chance is confidently wrong on a few rows, which is still the
//! fix the student needs.
//!
//! At the ceiling, the loss cannot stand in for a gain: when the unchanged runs' mean
//! accuracy is within one smallest change of 100%, no fix can raise it by a change that
//! counts, so a fix that only lowers the validation loss there does not help (the question is
//! about accuracy). It still may hurt: accuracy can fall from the ceiling, and the loss warns
//! of it. On wine (36 validation rows, 100% on most seeds) a rate of 0.01 had been the answer
//! for a loss 0.03 lower.
//!
//! An accuracy gain that leaves the fixed runs at chance is no gain (a network at chance has
//! learned nothing); the loss decides then. "At chance" is `Chance::at_chance`'s line (the
//! rules' too) for the fixed runs' mean, counted as `n` runs over their own validation rows.
//!
//! The loss decides only in the accuracy's direction, so that every word agrees with the
//! figures beside it: a fix helps by the loss only when the mean accuracy did not fall, and
//! hurts by the loss only when it did not rise. And a fix that lowers the validation loss by
//! not learning (the training accuracy falls beyond the noise too, as a rate ten times lower
//! does in a run that barely moves) cannot help: the student asked for a better model, and a
//! less confident one is not that.
//!
//! A change within the noise is *no effect* only when the noise excludes a helpful change of
//! the smallest size that counts; otherwise it is *inconclusive*, and the cause is not ruled
//! out (`Diagnosis::answer`): absence of evidence is not evidence of absence.
//!
//! Why these lines and not others (Student's t, a loss veto, one validation set's chance
//! line), with the measurements on the diagnosis banks: `docs/decisions.md`, "Diagnosis:
//! effect statistics".

use super::thresholds::FINAL_EPOCHS;
use super::Chance;
use serde::{Deserialize, Serialize};

/// Below one point of accuracy a change is too small to teach anything, even on thousands of
/// validation rows.
pub const MIN_ACCURACY_POINTS: f64 = 1.0;

/// Validation loss changes smaller than 0.02 (3% of ln 2, the loss of knowing nothing about
/// two balanced classes) are too small to matter, whatever the noise.
pub const MIN_LOSS_CHANGE: f64 = 0.02;

/// The standard error is floored at this share of the smallest change that counts. A fifth:
/// then a change identical on every seed (sd 0) settles on the first 5 seeds, the floor times
/// the verdict's line (4.3 on 5 seeds) staying within 0.87 of the smallest change, so a
/// steady change below 0.13 of it is ruled "no effect" rather than left open (below 0.37 of
/// it on 10 seeds).
pub const SE_FLOOR_SHARE: f64 = 0.2;

/// What the experiments measured about one fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Helps,
    /// Within the noise, and the noise excludes a helpful change that counts.
    NoEffect,
    /// Within the noise, but the noise is too wide to exclude a helpful change that counts.
    Inconclusive,
    Hurts,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Helps => "helps",
            Verdict::NoEffect => "no_effect",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Hurts => "hurts",
        }
    }
}

/// Student's t two-sided 95% quantile for `df` degrees of freedom: how many standard errors a
/// mean over `df + 1` paired seeds must be from zero to count as one test on its own (the
/// tie between two fixes is one such test). On few seeds the usual 2 would call about one
/// placebo in eight a change; with t it is one in twenty.
pub fn t_line(df: usize) -> f64 {
    const T975: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    quantile(&T975, 1.960, 2.4, df)
}

/// Student's t two-sided 98.75% quantile (the 0.99375 point) for `df` degrees of freedom:
/// the verdict's line, each of its two figures holding half of a 2.5% false-alarm budget (see
/// the module's doc). What that stricter line leaves unsettled gets more seeds instead
/// (`Experiments::add_seeds`).
pub fn verdict_line(df: usize) -> f64 {
    const T99375: [f64; 30] = [
        50.923, 8.860, 5.392, 4.315, 3.810, 3.521, 3.335, 3.206, 3.111, 3.038, 2.981, 2.934, 2.896,
        2.864, 2.837, 2.813, 2.793, 2.775, 2.759, 2.744, 2.732, 2.720, 2.710, 2.700, 2.692, 2.684,
        2.676, 2.669, 2.663, 2.657,
    ];
    quantile(&T99375, 2.498, 4.8, df)
}

/// A t quantile for `df` degrees of freedom from its table for 1–30 (0 read as 1), beyond
/// it the normal quantile `z` plus `slope / df`, which meets the table at 30 within 0.002.
fn quantile(table: &[f64; 30], z: f64, slope: f64, df: usize) -> f64 {
    match df {
        0 => table[0],
        1..=30 => table[df - 1],
        _ => z + slope / df as f64,
    }
}

/// One figure's paired change over seeds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Mean of `fixed − base` over the seeds.
    pub mean: f64,
    /// Its standard error, floored (see the module's doc).
    pub se: f64,
    /// The smallest change that counts.
    pub floor: f64,
    /// Paired seeds it was measured on.
    pub n: usize,
}

impl Change {
    /// `differences` are `fixed − base`, one per seed.
    pub fn of(differences: &[f64], floor: f64) -> Change {
        let n = differences.len();
        let mean = if n == 0 {
            0.0
        } else {
            differences.iter().sum::<f64>() / n as f64
        };
        let sd = if n > 1 {
            (differences.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let se = (sd / (n.max(1) as f64).sqrt()).max(SE_FLOOR_SHARE * floor);
        Change { mean, se, floor, n }
    }

    /// How many standard errors from zero a change must be to count in a verdict, on its
    /// seeds.
    pub fn significance(&self) -> f64 {
        verdict_line(self.n.saturating_sub(1))
    }

    /// How far the change counts as real: `+1` up, `-1` down, `0` within the noise.
    pub fn direction(&self) -> i8 {
        let line = (self.significance() * self.se).max(self.floor);
        if self.mean >= line {
            1
        } else if self.mean <= -line {
            -1
        } else {
            0
        }
    }

    /// Whether the seeds agree so well that the standard error is its floor's.
    pub fn steady(&self) -> bool {
        self.se <= SE_FLOOR_SHARE * self.floor * (1.0 + 1e-9)
    }

    /// Whether the change is at least the verdict's line of standard errors from zero: the
    /// seeds agree on it, whether or not it reaches the smallest change that counts.
    pub fn clear_of_noise(&self) -> bool {
        self.mean.abs() >= self.significance() * self.se
    }

    /// Why a change that does not count does not: "within the noise" when the seeds
    /// disagree about it, else (steady on every seed, yet smaller than the smallest change
    /// that counts) "below the smallest change that counts ({floor})". A student reads "+0.8 ± 0.2 points,
    /// within the noise" as a contradiction; the floor is what held it.
    ///
    /// A change two standard errors or more from zero is what a reader takes for a real one,
    /// so there the words give the line that held it, and the smallest change that counts
    /// when that is further out: "within the noise: 2.4 standard errors from zero, and on 20
    /// seeds a change counts from 2.8 and 2.5 points" (the L2 row of `#preset=unscaled`: +1.2
    /// ± 0.5 points, on 40 validation rows).
    pub fn why_it_does_not_count(&self, floor: &str) -> String {
        if self.clear_of_noise() {
            format!("below the smallest change that counts ({floor})")
        } else if self.mean.abs() >= 2.0 * self.se {
            let and_floor = if self.floor > self.significance() * self.se {
                format!(" and {floor}")
            } else {
                String::new()
            };
            // Its own distance to the nearest tenth, as the rounded figures beside it read
            // ("+2.6 ± 1.0", 2.59 standard errors: 2.6, not 2.5); but never shown at the line
            // it missed, which it would seem to reach: "+5.2 ± 1.2", 4.29 standard errors
            // against a line of 4.3, is cut to 4.2.
            let distance = self.mean.abs() / self.se;
            let line = (self.significance() * 10.0).round() / 10.0;
            let nearest = (distance * 10.0).round() / 10.0;
            let away = if nearest < line {
                nearest
            } else {
                (distance * 10.0).floor() / 10.0
            };
            format!(
                "within the noise: {away:.1} standard errors from zero, and on {} seeds a change \
                 counts from {:.1}{and_floor}",
                self.n,
                self.significance()
            )
        } else {
            "within the noise".to_string()
        }
    }

    /// Whether a change of at least the floor in direction `better` (`1` up, `-1` down) is
    /// still within the noise: mean plus the significance line reaches it.
    pub fn may_reach(&self, better: f64) -> bool {
        better * self.mean + self.significance() * self.se >= self.floor
    }
}

/// Mean of the last [`FINAL_EPOCHS`] of a finite curve; `None` when it has no epoch.
pub fn final_figure(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| super::curves::mean_last(values, FINAL_EPOCHS))
}

/// The final figures of one run: validation accuracy (fraction) and loss, and training
/// accuracy (fraction), which tells a fix that calms the loss by not learning.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Finals {
    pub val_accuracy: f64,
    pub val_loss: f64,
    pub train_accuracy: f64,
}

/// Which figure decided a verdict: the page says so beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// The validation accuracy moved beyond the noise.
    Accuracy,
    /// The accuracy stayed within the noise; the validation loss moved beyond it.
    Loss,
    /// Neither moved beyond the noise.
    Neither,
}

/// The measured effect of a fix: the paired changes and the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Effect {
    /// Paired seeds measured.
    pub seeds: usize,
    /// Fixed − base, in percentage points.
    pub accuracy: Change,
    pub loss: Change,
    /// Fixed − base training accuracy, in percentage points.
    pub train_accuracy: Change,
    pub verdict: Verdict,
    pub decided_by: Figure,
    /// How far the unchanged runs' mean validation accuracy is from 100%, in points.
    pub headroom: f64,
}

impl Effect {
    /// The effect of `fixed` against `base`, paired by index, measured on `val_samples`
    /// validation rows; `fixed_val_samples` is the fixed runs' own validation size (more data
    /// means more validation rows), which judges, with the data's `chance`, whether they ended
    /// at chance. (A fix leaves the classes' shares as they are: the base's chance is theirs.)
    pub fn measure(
        base: &[Finals],
        fixed: &[Finals],
        val_samples: usize,
        fixed_val_samples: usize,
        chance: &Chance,
    ) -> Effect {
        let accuracy_floor = (100.0 / val_samples.max(1) as f64).max(MIN_ACCURACY_POINTS);
        let pairs = || base.iter().zip(fixed);
        let acc: Vec<f64> = pairs()
            .map(|(b, f)| 100.0 * (f.val_accuracy - b.val_accuracy))
            .collect();
        let loss: Vec<f64> = pairs().map(|(b, f)| f.val_loss - b.val_loss).collect();
        let train: Vec<f64> = pairs()
            .map(|(b, f)| 100.0 * (f.train_accuracy - b.train_accuracy))
            .collect();
        let accuracy = Change::of(&acc, accuracy_floor);
        let loss = Change::of(&loss, MIN_LOSS_CHANGE);
        let train_accuracy = Change::of(&train, accuracy_floor);
        let n = acc.len();
        let mean_accuracy = |runs: &[Finals]| {
            runs.iter().take(n).map(|r| r.val_accuracy).sum::<f64>() / n.max(1) as f64
        };
        let fixed_accuracy = mean_accuracy(fixed);
        let headroom = 100.0 * (1.0 - mean_accuracy(base));
        // The fixed figure is a mean over `n` runs: at chance when `n` runs predicting the
        // majority class (`n` coin tosses on two balanced classes) on every validation row
        // would score as well (see the module's doc).
        let ends_at_chance = |p: f64| n > 0 && chance.at_chance(p, n * fixed_val_samples);
        let at_ceiling = below_one_change(n, headroom, accuracy_floor);
        let mut better = (accuracy.direction(), -loss.direction());
        let may_help = if at_ceiling {
            // Nothing can raise it by a change that counts; the loss does not stand in.
            false
        } else if ends_at_chance(fixed_accuracy) {
            // A gain of accuracy that leaves the network at chance is no gain: the loss
            // decides, as when accuracy did not move; a helpful accuracy change is then one
            // that leaves chance, within the significance line of the change.
            better.0 = better.0.min(0);
            !ends_at_chance(fixed_accuracy + accuracy.significance() * accuracy.se / 100.0)
                || loss.may_reach(-1.0)
        } else {
            accuracy.may_reach(1.0) || loss.may_reach(-1.0)
        };
        // The loss speaks only in the accuracy's direction, and never for a fix that stopped
        // the network learning (see the module's doc).
        let loss_void = match better.1 {
            1 => accuracy.mean < 0.0 || train_accuracy.direction() < 0 || at_ceiling,
            -1 => accuracy.mean > 0.0,
            _ => false,
        };
        if loss_void {
            better.1 = 0;
        }
        let decided_by = match better {
            (0, 0) => Figure::Neither,
            (0, _) => Figure::Loss,
            _ => Figure::Accuracy,
        };
        Effect {
            seeds: n,
            accuracy,
            loss,
            train_accuracy,
            verdict: match verdict(better.0, better.1) {
                Verdict::NoEffect if may_help => Verdict::Inconclusive,
                v => v,
            },
            decided_by,
            headroom,
        }
    }
}

impl Effect {
    /// What holds an inconclusive verdict is the smallest change that counts, not the seeds'
    /// disagreement: every figure steady on every seed, or the accuracy risen clear of the
    /// noise by less than one validation sample (+0.9 ± 0.3 points on 120 rows). Saying "the
    /// seeds disagree" beside three standard errors would contradict the figure.
    pub fn near_the_smallest_change(&self) -> bool {
        (self.accuracy.steady() && self.loss.steady())
            || (self.accuracy.mean > 0.0 && self.accuracy.clear_of_noise())
    }

    /// The unchanged runs' mean validation accuracy is within the smallest change that counts
    /// of 100%: no fix can raise it (see the module's doc).
    pub fn at_ceiling(&self) -> bool {
        below_one_change(self.seeds, self.headroom, self.accuracy.floor)
    }

    /// How much better the fix made validation, for ranking fixes that helped: the accuracy
    /// gain in points if it counts (else 0), then the fall in loss if it counts (else 0).
    pub fn gain(accuracy: &Change, loss: &Change) -> (f64, f64) {
        let counted = |c: &Change, sign: f64| {
            if c.direction() as f64 * sign > 0.0 {
                sign * c.mean
            } else {
                0.0
            }
        };
        (counted(accuracy, 1.0), counted(loss, -1.0))
    }
}

/// Measured on `seeds` runs, the unchanged accuracy's `headroom` to 100% is less than the
/// smallest change that counts (`floor`): the ceiling, for [`Effect::measure`] and
/// [`Effect::at_ceiling`] alike.
fn below_one_change(seeds: usize, headroom: f64, floor: f64) -> bool {
    seeds > 0 && headroom < floor
}

/// `accuracy` and `loss` are +1 for better, -1 for worse, 0 for no clear change; accuracy
/// decides, the loss breaks a tie.
fn verdict(accuracy: i8, loss: i8) -> Verdict {
    match if accuracy != 0 { accuracy } else { loss } {
        1 => Verdict::Helps,
        -1 => Verdict::Hurts,
        _ => Verdict::NoEffect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finals(pairs: &[(f64, f64)]) -> Vec<Finals> {
        pairs
            .iter()
            .map(|&(val_accuracy, val_loss)| Finals {
                train_accuracy: 1.0,
                val_accuracy,
                val_loss,
            })
            .collect()
    }

    /// `measure` on `n` validation rows for both arms, two balanced classes.
    fn measure(base: &[Finals], fixed: &[Finals], n: usize) -> Effect {
        Effect::measure(base, fixed, n, n, &Chance::balanced(2))
    }

    #[test]
    fn paired_changes_beyond_the_noise_decide() {
        // Five seeds, as the page starts with: each case's three figures, then its first two
        // again (on three seeds the verdict's line is 8.9 standard errors, too wide to tell
        // a steady change of one sample from none).
        let finals = |pairs: &[(f64, f64)]| -> Vec<Finals> {
            let v = finals(pairs);
            v.iter().cycle().take(5).copied().collect()
        };
        // The base runs are off chance (70% on 80 rows, where chance reaches 61%): only the
        // next test is about fixes that leave the network at chance.
        let base = finals(&[(0.70, 0.69), (0.72, 0.69), (0.68, 0.70)]);
        // +25 points on every seed, loss lower: helps.
        let better = finals(&[(0.95, 0.45), (0.97, 0.44), (0.93, 0.46)]);
        let e = measure(&base, &better, 80);
        assert_eq!(e.verdict, Verdict::Helps);
        assert!((e.accuracy.mean - 25.0).abs() < 1e-9, "{e:?}");
        // Same figures: no effect, and a zero sd does not make it certain.
        let e = measure(&base, &base, 80);
        assert_eq!(e.verdict, Verdict::NoEffect);
        assert!(e.accuracy.se > 0.0 && e.loss.se > 0.0);
        // Accuracy decides: better loss but worse accuracy hurts, the reverse helps.
        let trade = finals(&[(0.60, 0.60), (0.61, 0.60), (0.59, 0.61)]);
        assert_eq!(measure(&base, &trade, 80).verdict, Verdict::Hurts);
        let lifted = finals(&[(0.95, 0.95), (0.96, 0.99), (0.94, 0.97)]);
        assert_eq!(measure(&base, &lifted, 80).verdict, Verdict::Helps);
        // Accuracy unchanged: the loss decides.
        let calmer = finals(&[(0.70, 0.40), (0.72, 0.41), (0.68, 0.39)]);
        assert_eq!(measure(&base, &calmer, 80).verdict, Verdict::Helps);
        // A change of a tenth of a validation sample is no change, however steady (on 5
        // seeds the floored standard error leaves room for up to 0.13 of one).
        let tiny = finals(&[(0.7025, 0.69), (0.7225, 0.69), (0.6825, 0.70)]);
        assert_eq!(measure(&base, &tiny, 40).verdict, Verdict::NoEffect);
        // Large but inconsistent across seeds: within the noise, yet the noise does not
        // exclude a real gain either.
        let noisy = finals(&[(0.95, 0.69), (0.45, 0.69), (0.75, 0.70)]);
        assert_eq!(measure(&base, &noisy, 80).verdict, Verdict::Inconclusive);
        // The same spread around no change on average: a gain of one sample (1.25 points)
        // is still within the noise, so this is inconclusive too; steady and small is not.
        let wobble = finals(&[(0.80, 0.69), (0.62, 0.69), (0.68, 0.70)]);
        assert_eq!(measure(&base, &wobble, 80).verdict, Verdict::Inconclusive);
        let steady = finals(&[(0.701, 0.69), (0.721, 0.69), (0.681, 0.70)]);
        assert_eq!(measure(&base, &steady, 80).verdict, Verdict::NoEffect);
        // Two standard errors and more, yet within the line: the words give the line.
        let near = Change {
            mean: 1.2,
            se: 0.5,
            floor: 2.5,
            n: 20,
        };
        assert_eq!(near.direction(), 0);
        assert_eq!(
            near.why_it_does_not_count("2.5 points"),
            "within the noise: 2.4 standard errors from zero, and on 20 seeds a change counts \
             from 2.8 and 2.5 points"
        );
        // The same on 400 validation rows, where 2.8 standard errors are more than one row.
        let many_rows = Change { floor: 1.0, ..near };
        assert_eq!(
            many_rows.why_it_does_not_count("1.0 points"),
            "within the noise: 2.4 standard errors from zero, and on 20 seeds a change counts \
             from 2.8"
        );
        // Just inside the line on 5 seeds: its own distance is cut, not rounded up to the
        // line's 4.3 (the rounded figures, +5.2 ± 1.2, read as 4.33).
        let at_the_line = Change {
            mean: 5.15,
            se: 1.2,
            floor: 1.0,
            n: 5,
        };
        assert_eq!(at_the_line.direction(), 0);
        assert_eq!(
            at_the_line.why_it_does_not_count("1.0 points"),
            "within the noise: 4.2 standard errors from zero, and on 5 seeds a change counts \
             from 4.3"
        );
        // Otherwise its distance is rounded as the figures beside it are: `overfit` on seed
        // 2, L2's +2.65 ± 1.02 points read "+2.6 ± 1.0", 2.59 standard errors: 2.6, not 2.5.
        let rounded = Change {
            mean: 2.65,
            se: 1.0241,
            floor: 5.0,
            n: 20,
        };
        assert_eq!(
            rounded.why_it_does_not_count("5.0 points"),
            "within the noise: 2.6 standard errors from zero, and on 20 seeds a change counts \
             from 2.8 and 5.0 points"
        );
        let far_inside = Change { mean: 0.9, ..near };
        assert_eq!(
            far_inside.why_it_does_not_count("2.5 points"),
            "within the noise"
        );
        // Worse beyond the noise on the loss, the accuracy unclear and not higher: it hurts.
        let costly = finals(&[(0.79, 0.80), (0.62, 0.80), (0.68, 0.81)]);
        assert_eq!(measure(&base, &costly, 80).verdict, Verdict::Hurts);
    }

    /// Wine's case: 36 validation rows and the unchanged runs at 100% on every seed. A rate
    /// that lowers the loss by 0.025 cannot raise the accuracy, so it does not help; off the
    /// ceiling the same loss decides, and at the ceiling a fix can still hurt.
    #[test]
    fn at_the_ceiling_a_calmer_loss_does_not_help() {
        let at = |acc: f64, losses: [f64; 5]| -> Vec<Finals> { finals(&losses.map(|l| (acc, l))) };
        let base = at(1.0, [0.055, 0.05, 0.06, 0.055, 0.05]);
        let calmer = at(1.0, [0.03, 0.025, 0.035, 0.03, 0.025]);
        let e = measure(&base, &calmer, 36);
        assert!(e.at_ceiling(), "{e:?}");
        assert_eq!(
            e.loss.direction(),
            -1,
            "the loss fell beyond the noise: {e:?}"
        );
        assert_eq!(e.verdict, Verdict::NoEffect, "{e:?}");
        let below = measure(
            &at(0.9, [0.355, 0.35, 0.36, 0.355, 0.35]),
            &at(0.9, [0.33, 0.325, 0.335, 0.33, 0.325]),
            36,
        );
        assert!(!below.at_ceiling());
        assert_eq!(
            (below.verdict, below.decided_by),
            (Verdict::Helps, Figure::Loss)
        );
        let worse = measure(&base, &at(0.95, [0.2, 0.21, 0.19, 0.2, 0.2]), 36);
        assert_eq!(worse.verdict, Verdict::Hurts, "{worse:?}");
    }

    /// A collapse case (400 rows, 64,64, Adam at 0.3), its per-seed figures shaped
    /// like the measured means: every run collapses to chance (48.9% on 80 rows).
    #[test]
    fn an_accuracy_gain_that_leaves_the_network_at_chance_does_not_count() {
        let base = finals(&[
            (0.49, 0.693),
            (0.50, 0.693),
            (0.48, 0.694),
            (0.49, 0.693),
            (0.485, 0.694),
        ]);
        // lr=1: +2.3 ± 0.3 points, every seed still at chance (51.2%), the loss +0.6. Once
        // reported as helping; the accuracy gain does not count, the loss decides.
        let faster = finals(&[
            (0.515, 1.10),
            (0.52, 1.60),
            (0.505, 1.00),
            (0.51, 1.40),
            (0.51, 1.40),
        ]);
        let e = measure(&base, &faster, 80);
        assert_eq!(
            e.accuracy.direction(),
            1,
            "steady enough to count off chance: {e:?}"
        );
        // The loss rose, but the accuracy's mean did not fall: "hurts" would stand beside a
        // positive figure, so the loss does not decide against it.
        assert!(
            matches!(e.verdict, Verdict::NoEffect | Verdict::Inconclusive),
            "{e:?}"
        );
        // More data: +2.7 points, the loss a hair lower, still at chance over 5 × 320 rows.
        let more = finals(&[
            (0.515, 0.69),
            (0.52, 0.69),
            (0.51, 0.69),
            (0.52, 0.68),
            (0.515, 0.68),
        ]);
        let e = Effect::measure(&base, &more, 80, 320, &Chance::balanced(2));
        assert_eq!(e.accuracy.direction(), 1, "{e:?}");
        assert!(
            matches!(e.verdict, Verdict::NoEffect | Verdict::Inconclusive),
            "{e:?}"
        );
        // One seed rescued: 56.8% on average, off chance over 5 × 80 rows but not by a change
        // beyond the seeds' noise: inconclusive, not ruled out.
        let one = finals(&[
            (0.85, 0.60),
            (0.50, 0.69),
            (0.49, 0.69),
            (0.50, 0.69),
            (0.50, 0.69),
        ]);
        let e = measure(&base, &one, 80);
        assert_eq!(e.verdict, Verdict::Inconclusive, "{e:?}");
        // Still at chance, but far better calibrated (an overconfident base): the loss
        // decides, as it does whenever accuracy did not move.
        let calmer = finals(&[
            (0.50, 0.40),
            (0.51, 0.41),
            (0.49, 0.39),
            (0.50, 0.40),
            (0.50, 0.40),
        ]);
        assert_eq!(measure(&base, &calmer, 80).verdict, Verdict::Helps);
        // Rescued on every seed: helps, though the loss rises (confidently wrong on a few
        // rows after predicting 0.5 everywhere; see the module's doc).
        let lower = finals(&[
            (0.85, 1.00),
            (0.86, 0.95),
            (0.84, 1.05),
            (0.86, 0.98),
            (0.87, 1.02),
        ]);
        assert_eq!(measure(&base, &lower, 80).verdict, Verdict::Helps);
    }

    /// On a file whose majority class is 63% of the rows, a network that predicts it for every
    /// row scores 63%: a fix lifting the runs from 58% to 66% has not left chance, though it
    /// would have on two balanced classes.
    #[test]
    fn chance_is_the_majority_share_of_the_runs_data() {
        let spread = |p: f64, loss: f64| {
            finals(&[
                (p, loss),
                (p + 0.005, loss),
                (p - 0.005, loss),
                (p, loss),
                (p, loss),
            ])
        };
        let base = spread(0.58, 0.66);
        let fixed = spread(0.66, 0.66);
        let file = Chance::of_counts(&[168, 287]);
        let e = Effect::measure(&base, &fixed, 114, 114, &file);
        assert_eq!(e.accuracy.direction(), 1, "{e:?}");
        assert!(
            matches!(e.verdict, Verdict::NoEffect | Verdict::Inconclusive),
            "{e:?}"
        );
        let coin = Effect::measure(&base, &fixed, 114, 114, &Chance::balanced(2));
        assert_eq!(coin.verdict, Verdict::Helps, "{coin:?}");
    }
}

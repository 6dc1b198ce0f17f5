//! What one fix did over the seeds: its measured effect and verdict, the fix in words, its row
//! in the table, and the experiments re-ranked by what helped. The statistics are in
//! `effect.rs`; `experiments.rs` trains the runs.

use super::effect::{t_line, Change, Effect, Figure, Finals, Verdict};
use super::MIN_LOSS_CHANGE;
use super::{parameter_count, CauseId, Chance};
use crate::config::Config;
use serde::Serialize;
use std::fmt;

/// What one fix did, over the seeds finished so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Experiment {
    pub cause: CauseId,
    pub fix: Vec<(String, String)>,
    /// The fix in words: "lowering the learning rate from 0.1 to 0.01".
    pub description: String,
    /// Seeds whose two runs both finished with a figure, and the seeds planned.
    pub seeds: usize,
    pub seeds_planned: usize,
    /// Every planned pair has finished: the verdict is final.
    pub complete: bool,
    /// Fixed − base, mean over the seeds: final validation accuracy in points, and its
    /// standard error; final validation loss, and its standard error (see `effect.rs`).
    pub val_accuracy_change: f64,
    pub val_accuracy_se: f64,
    pub val_loss_change: f64,
    pub val_loss_se: f64,
    /// Fixed − base final training accuracy, in points: a fix that calms the validation loss
    /// by not learning shows here.
    pub train_accuracy_change: f64,
    /// On the seeds measured so far; final once `complete`.
    pub verdict: Verdict,
    /// The figure that decided the verdict.
    pub decided_by: Figure,
    /// The verdict with the figure that decided it, as the page's badge and the CLI say it:
    /// "helps (validation loss −0.22 ± 0.05; accuracy within the noise)".
    pub verdict_text: String,
    /// The changes with their noise and floors, as `effect.rs` judged them.
    #[serde(skip)]
    pub effect: Effect,
    /// Each seed's final figures of the fixed run (`None` while not finished), by seed index:
    /// every arm trains the same seeds, so two fixes compare seed by seed (`tied_with`).
    #[serde(skip)]
    pub fixed_by_seed: Vec<Option<Finals>>,
    /// Mean final figures of the unchanged runs and of the fixed ones, over the same seeds.
    pub base_val_accuracy: f64,
    pub fixed_val_accuracy: f64,
    pub base_val_loss: f64,
    pub fixed_val_loss: f64,
}

impl Experiment {
    /// The fix `fix` of `cause`, measured on the paired final figures of the seeds finished so
    /// far (`base[i]` and `fixed[i]` share a seed), on data whose chance is `chance`: its
    /// effect and the figures the table shows.
    pub(crate) fn measured(
        (cause, fix, description): (CauseId, Vec<(String, String)>, String),
        (seeds_planned, complete): (usize, bool),
        base: &[Finals],
        fixed: &[Finals],
        (val_samples, fixed_val_samples, chance): (usize, usize, &Chance),
    ) -> Experiment {
        let effect = Effect::measure(base, fixed, val_samples, fixed_val_samples, chance);
        let mean = |v: &[Finals], f: fn(&Finals) -> f64| {
            v.iter().map(f).sum::<f64>() / v.len().max(1) as f64
        };
        Experiment {
            cause,
            fix,
            description,
            seeds: effect.seeds,
            seeds_planned,
            complete,
            val_accuracy_change: effect.accuracy.mean,
            val_accuracy_se: effect.accuracy.se,
            val_loss_change: effect.loss.mean,
            val_loss_se: effect.loss.se,
            train_accuracy_change: effect.train_accuracy.mean,
            verdict: effect.verdict,
            decided_by: effect.decided_by,
            verdict_text: verdict_text(&effect, cause == CauseId::Placebo),
            effect,
            fixed_by_seed: Vec::new(),
            base_val_accuracy: mean(base, |f| f.val_accuracy),
            fixed_val_accuracy: mean(fixed, |f| f.val_accuracy),
            base_val_loss: mean(base, |f| f.val_loss),
            fixed_val_loss: mean(fixed, |f| f.val_loss),
        }
    }

    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The verdict as the table and the panel name it: `"noise"` for a placebo whose figure
    /// moved beyond the line (it changes nothing, so what moved was noise), else the verdict.
    pub fn verdict_word(&self) -> &'static str {
        match self.verdict {
            Verdict::Helps | Verdict::Hurts if self.cause == CauseId::Placebo => "noise",
            v => v.as_str(),
        }
    }

    /// Whether this fix, which helped too, cannot be told from `best`: on the seeds both
    /// finished, the per-seed difference best − this is not surely at least the smallest
    /// change that counts (one validation sample, or 0.02 of loss). The figure compared is
    /// the accuracy unless both helped by the loss alone. "Surely" is the difference's lower
    /// 95% line (one test, not two figures as a verdict is); a difference that only clears zero is not enough to rank two
    /// fixes, since the smallest change that counts is what tells a fix from none.
    pub fn tied_with(&self, best: &Experiment) -> bool {
        if self.verdict != Verdict::Helps {
            return false;
        }
        let pairs: Vec<(Finals, Finals)> = self
            .fixed_by_seed
            .iter()
            .zip(&best.fixed_by_seed)
            .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
            .collect();
        if pairs.len() < 2 {
            return false;
        }
        let by_loss = best.decided_by == Figure::Loss && self.decided_by == Figure::Loss;
        let change = if by_loss {
            let d: Vec<f64> = pairs.iter().map(|(a, b)| a.val_loss - b.val_loss).collect();
            Change::of(&d, MIN_LOSS_CHANGE)
        } else {
            let d: Vec<f64> = pairs
                .iter()
                .map(|(a, b)| 100.0 * (b.val_accuracy - a.val_accuracy))
                .collect();
            Change::of(&d, best.effect.accuracy.floor)
        };
        change.mean - t_line(change.n.saturating_sub(1)) * change.se < change.floor
    }
}

/// "helps (validation accuracy +5.7 ± 1.4 points)", "helps (validation accuracy +5.9 ± 1.2
/// points; the validation loss rose +0.74 ± 0.07: accuracy decides)", "hurts (validation loss
/// +0.30 ± 0.05; accuracy within the noise)", "no effect (both within the noise)".
///
/// The `placebo` changes nothing, so when its figure moves beyond the line, that is noise
/// alone, and the word says so: "Seed noise alone (placebo): helps" had read as if
/// re-rolling the seeds were a fix.
fn verdict_text(effect: &Effect, placebo: bool) -> String {
    let word = match effect.verdict {
        Verdict::Helps | Verdict::Hurts if placebo => "moved by noise alone",
        Verdict::Helps => "helps",
        Verdict::Hurts => "hurts",
        Verdict::NoEffect => "no effect",
        Verdict::Inconclusive => "inconclusive",
    };
    let minus = |s: String| s.replacen('-', "−", 1);
    let accuracy = minus(format!(
        "{:+.1} ± {:.1} points",
        effect.accuracy.mean, effect.accuracy.se
    ));
    // Two decimals, or three when the standard error would round to "± 0.00" (its floor is
    // 0.004): a student reads "± 0.00" as exact, beside words that say the seeds disagree.
    let places = if effect.loss.se < 0.005 { 3 } else { 2 };
    let loss = minus(format!(
        "{:+.places$} ± {:.places$}",
        effect.loss.mean, effect.loss.se
    ));
    let accuracy_quiet = effect
        .accuracy
        .why_it_does_not_count(&format!("{:.1} points", effect.accuracy.floor));
    let loss_quiet = effect
        .loss
        .why_it_does_not_count(&format!("{}", effect.loss.floor));
    match (effect.verdict, effect.decided_by) {
        // The loss moved beyond the noise the other way: the fixed network is right more
        // often but more confidently wrong where it errs. A student sees the loss row beside
        // the badge, so the badge says it too.
        (_, Figure::Accuracy)
            if effect.loss.direction() != 0
                && (effect.loss.direction() > 0) == (effect.accuracy.mean > 0.0) =>
        {
            let way = if effect.loss.mean > 0.0 {
                "rose"
            } else {
                "fell"
            };
            format!(
                "{word} (validation accuracy {accuracy}; the validation loss {way} {loss}: \
                 accuracy decides)"
            )
        }
        (_, Figure::Accuracy) => format!("{word} (validation accuracy {accuracy})"),
        (_, Figure::Loss) if accuracy_quiet == "within the noise" => {
            format!("{word} (validation loss {loss}; accuracy within the noise)")
        }
        (_, Figure::Loss) => {
            format!("{word} (validation loss {loss}; accuracy {accuracy}, {accuracy_quiet})")
        }
        // The loss fell, but the unchanged runs are at the ceiling: nothing can raise their
        // accuracy, so a calmer loss is not the help the student asked for.
        (_, Figure::Neither) if effect.at_ceiling() && effect.loss.direction() < 0 => {
            let room = if effect.headroom < 0.005 {
                "already at 100%".to_string()
            } else {
                // Two decimals: "+3.3 points" beside "3.3 points from 100%" would read as
                // a full sample gained (iris: 3.27 points of headroom, one sample 3.33).
                format!(
                    "already {:.2} points from 100%, less than one validation sample ({:.2} \
                     points), so no fix can add a change that counts",
                    effect.headroom, effect.accuracy.floor
                )
            };
            format!(
                "{word} (accuracy {accuracy}: the unchanged runs were {room}; the loss fell \
                 {loss}, which cannot raise it)"
            )
        }
        // The loss moved, but against the accuracy's mean (or for a fix that stopped
        // learning), so it did not decide: say so rather than "within the noise".
        (_, Figure::Neither) if effect.loss.direction() != 0 => format!(
            "{word} (accuracy {accuracy}, {accuracy_quiet}; the loss moved {loss}, against \
             the accuracy or by not learning, so it does not decide)"
        ),
        // Inconclusive with every seed alike: a steady change close enough to the smallest
        // that counts that these seeds cannot rule it in or out; the seeds do not disagree.
        (Verdict::Inconclusive, _) if effect.accuracy.steady() && effect.loss.steady() => {
            format!(
                "{word} (accuracy {accuracy}, loss {loss}: steady over {} seeds, but too \
                 close to the smallest change that counts to tell)",
                effect.seeds
            )
        }
        // Risen clear of the noise, by less than one validation sample: the seeds agree, and
        // what they cannot tell is whether it reaches the smallest change that counts.
        (Verdict::Inconclusive, _) if effect.near_the_smallest_change() => format!(
            "{word} (accuracy {accuracy}, loss {loss}: clear of the noise, but too close to \
             the smallest change that counts ({:.1} points) to tell)",
            effect.accuracy.floor
        ),
        // Two standard errors or more, yet inside the line: the seeds lean one way, so the
        // words give the distance and the line rather than say they disagree.
        (Verdict::Inconclusive, _) if accuracy_quiet != "within the noise" => {
            format!("{word} (accuracy {accuracy}, {accuracy_quiet}; loss {loss})")
        }
        (Verdict::Inconclusive, _) => format!(
            "{word} (accuracy {accuracy}, loss {loss}: the seeds disagree too much to tell)"
        ),
        _ if accuracy_quiet == loss_quiet && loss_quiet == "within the noise" => {
            format!("{word} (accuracy {accuracy}, loss {loss}: both within the noise)")
        }
        _ => format!("{word} (accuracy {accuracy}, {accuracy_quiet}; loss {loss}, {loss_quiet})"),
    }
}

/// The experiments re-ranked by what helped. First the fixes that raised validation accuracy
/// beyond the noise, the largest gain first; then those that helped by the loss alone, the
/// largest fall first; in both, fixes of a problem come before more data (which helps almost
/// any model trained on a few hundred rows, and changes nothing about the settings). Then
/// those still being measured, in the rules' order; then the inconclusive ones; then those
/// with no effect; those that hurt last.
pub fn rank_experiments(experiments: &[Experiment]) -> Vec<&Experiment> {
    let gain = |e: &Experiment| Effect::gain(&e.effect.accuracy, &e.effect.loss);
    let class = |e: &Experiment| match (e.is_complete(), e.verdict) {
        _ if e.cause == CauseId::Placebo => 8,
        (true, Verdict::Helps) => {
            let by_loss_only = gain(e).0 <= 0.0;
            2 * u8::from(by_loss_only) + u8::from(!e.cause.is_setup())
        }
        (false, _) => 4,
        (true, Verdict::Inconclusive) => 5,
        (true, Verdict::NoEffect) => 6,
        (true, Verdict::Hurts) => 7,
    };
    let mut ranked: Vec<&Experiment> = experiments.iter().collect();
    ranked.sort_by(|a, b| {
        class(a).cmp(&class(b)).then_with(|| {
            if class(a) < 4 {
                let (ga, gb) = (gain(a), gain(b));
                gb.0.total_cmp(&ga.0).then(gb.1.total_cmp(&ga.1))
            } else {
                std::cmp::Ordering::Equal
            }
        })
    });
    ranked
}

/// What the fix changes, in words: "lowering the learning rate from 0.1 to 0.01".
pub fn describe_fix(base: &Config, fixed: &Config, fix: &[(String, String)]) -> String {
    let hidden = |c: &Config| {
        let h: Vec<String> = c.hidden.iter().map(|h| h.to_string()).collect();
        if h.is_empty() {
            "none".to_string()
        } else {
            h.join(",")
        }
    };
    let parts: Vec<String> = fix
        .iter()
        .map(|(key, value)| match key.as_str() {
            "standardize" if fixed.standardize => "standardizing the features".to_string(),
            "lr" => format!(
                "{} the learning rate from {} to {}",
                if fixed.learning_rate < base.learning_rate {
                    "lowering"
                } else {
                    "raising"
                },
                base.learning_rate,
                fixed.learning_rate
            ),
            "hidden" => format!(
                "a {} model (hidden {} → {})",
                if parameter_count(fixed.features, &fixed.hidden)
                    < parameter_count(base.features, &base.hidden)
                {
                    "smaller"
                } else {
                    "bigger"
                },
                hidden(base),
                hidden(fixed)
            ),
            "activation" => format!(
                "a nonlinearity ({} instead of {})",
                value,
                crate::config::activation_name(base.activation)
            ),
            "l2" => format!("an L2 penalty of {value}"),
            "dropout" => format!("dropout {value}"),
            "early-stopping" => format!("early stopping with patience {value}"),
            // Other rows also mean another validation set: say so, since the
            // two figures are then measured on different rows.
            "samples" => format!(
                "{} samples instead of {} (each measured on its own validation set)",
                fixed.samples, base.samples
            ),
            _ => format!("{key}={value}"),
        })
        .collect();
    parts.join(" and ")
}

impl fmt::Display for Experiment {
    /// One row of the table: cause, fix, the two changes with their noise, the verdict.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fix: Vec<String> = self.fix.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let verdict = if self.is_complete() {
            self.verdict_word().to_string()
        } else {
            format!("({} of {} seeds)", self.seeds, self.seeds_planned)
        };
        write!(
            f,
            "{:<18} {:<26} {:>+7.1} ± {:<5.1} {:>+7.3} ± {:<6.3} {verdict}",
            self.cause.as_str(),
            fix.join(" "),
            self.val_accuracy_change,
            self.val_accuracy_se,
            self.val_loss_change,
            self.val_loss_se,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{Chance, Finals};

    /// A placebo whose figure moved past the line is named as noise, in the badge's words and
    /// in the table; a fix with the same figures helps.
    #[test]
    fn a_placebo_that_moved_is_noise_not_help() {
        let run = |val_accuracy: f64| Finals {
            val_accuracy,
            val_loss: 0.6,
            train_accuracy: 1.0,
        };
        let base: Vec<Finals> = (0..10).map(|i| run(0.70 + 0.01 * i as f64)).collect();
        let fixed: Vec<Finals> = base.iter().map(|b| run(b.val_accuracy + 0.08)).collect();
        let measured = |cause| {
            Experiment::measured(
                (cause, Vec::new(), String::new()),
                (10, true),
                &base,
                &fixed,
                (100, 100, &Chance::balanced(2)),
            )
        };
        let placebo = measured(CauseId::Placebo);
        assert_eq!(placebo.verdict, Verdict::Helps, "the figure moved");
        assert_eq!(placebo.verdict_word(), "noise");
        assert!(
            placebo
                .verdict_text
                .starts_with("moved by noise alone (validation accuracy +8.0"),
            "{}",
            placebo.verdict_text
        );
        assert!(placebo.to_string().ends_with("noise"), "{placebo}");
        let fix = measured(CauseId::Overfitting);
        assert_eq!(fix.verdict_word(), "helps");
        assert!(
            fix.verdict_text.starts_with("helps ("),
            "{}",
            fix.verdict_text
        );
    }

    /// A fix that raises accuracy beyond the noise while the loss rises beyond it too (more
    /// confidently wrong) says both: the badge sits beside the loss figure.
    #[test]
    fn an_accuracy_verdict_says_when_the_loss_moved_the_other_way() {
        let run = |val_accuracy: f64, val_loss: f64| Finals {
            val_accuracy,
            val_loss,
            train_accuracy: 1.0,
        };
        let base: Vec<Finals> = (0..8).map(|i| run(0.70 + 0.002 * i as f64, 0.60)).collect();
        let both = |loss: f64| -> Vec<Finals> {
            base.iter()
                .map(|b| run(b.val_accuracy + 0.08, loss))
                .collect()
        };
        let text = |fixed: &[Finals]| {
            verdict_text(
                &Effect::measure(&base, fixed, 100, 100, &Chance::balanced(2)),
                false,
            )
        };
        let worse = text(&both(1.30));
        assert!(
            worse.starts_with("helps (validation accuracy +8.0"),
            "{worse}"
        );
        assert!(worse.contains("the validation loss rose +0.70"), "{worse}");
        let same = text(&both(0.60));
        assert!(
            same.starts_with("helps (validation accuracy +8.0") && !same.contains("loss"),
            "{same}"
        );
    }

    /// A change steady on every seed but smaller than the smallest that counts (one
    /// validation row of 100: 1.0 point) is said to be that, not "within the noise", which a
    /// student reads beside "+0.8 ± 0.2" as a contradiction; nor do steady seeds "disagree".
    /// One the seeds disagree about is within the noise.
    #[test]
    fn a_steady_change_below_what_counts_is_not_called_noise() {
        let run = |val_accuracy: f64, val_loss: f64| Finals {
            val_accuracy,
            val_loss,
            train_accuracy: 1.0,
        };
        let base: Vec<Finals> = (0..10).map(|i| run(0.70 + 0.01 * i as f64, 0.60)).collect();
        let text = |fixed: Vec<Finals>| {
            verdict_text(
                &Effect::measure(&base, &fixed, 100, 100, &Chance::balanced(2)),
                false,
            )
        };
        let close = text(
            base.iter()
                .map(|b| run(b.val_accuracy + 0.005, 0.605))
                .collect(),
        );
        assert!(
            close.starts_with("inconclusive") && close.contains("steady over 10 seeds"),
            "{close}"
        );
        // As L2 on breast cancer standardized: accuracy steady at +0.8 on every seed, the loss
        // up beyond its noise (against the accuracy, so it does not decide).
        let against = text(
            base.iter()
                .map(|b| run(b.val_accuracy + 0.008, 0.66))
                .collect(),
        );
        assert!(
            against
                .contains("+0.8 ± 0.2 points, below the smallest change that counts (1.0 points)")
                && !against.contains("noise"),
            "{against}"
        );
        let noisy = text(
            base.iter()
                .enumerate()
                .map(|(i, b)| run(b.val_accuracy + [0.05, -0.04][i % 2], 0.60))
                .collect(),
        );
        assert!(
            noisy.contains("within the noise") || noisy.contains("disagree"),
            "{noisy}"
        );
        // Inconclusive at two standard errors and more, yet inside the line: the seeds lean
        // one way, so the badge gives the distance and the line, not "the seeds disagree".
        let leaning = text(
            base.iter()
                .enumerate()
                .map(|(i, b)| run(b.val_accuracy + 0.009 + [0.011, -0.011][i % 2], 0.60))
                .collect(),
        );
        assert_eq!(
            leaning,
            "inconclusive (accuracy +0.9 ± 0.4 points, within the noise: 2.5 standard errors \
             from zero, and on 10 seeds a change counts from 3.1; loss +0.000 ± 0.004)"
        );
    }
}

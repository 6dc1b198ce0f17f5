//! The answer a student reads: which setup causes the experiments showed, with ties said as
//! ties; the data's limit beside it; and what noise alone does (the placebo).
//!
//! The question is "what in my setup stops validation improving?", so the answer is chosen
//! among the setup causes only, the ones the student's own controls fix (`CauseKind::Setup`).
//! More rows help almost any run on a few hundred of them: that is the data's limit, reported
//! apart, never as the answer. Every fix trains on the same seeds, so two fixes are compared
//! seed by seed (`Experiment::tied_with`); fixes that cannot be told from the best one are a
//! tie, and the answer names all of them, best first.

use super::cause::{CauseId, CauseKind};
use super::effect::{Figure, Verdict};
use super::experiment::Experiment;
use super::Diagnosis;
use serde::Serialize;

/// What more rows did: the data's limit, beside the answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataLimit {
    pub fix: Vec<(String, String)>,
    pub val_accuracy_change: f64,
    pub val_accuracy_se: f64,
    pub val_loss_change: f64,
    pub verdict: Verdict,
    /// The line under the answer: "With 4× the rows (800): +18.6 ± 0.9 points. Beyond the
    /// setup, the data limits this run."
    pub text: String,
}

/// The whole answer, as the CLI's JSON and the page's panel carry it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Answer {
    /// Setup causes whose fixes helped and cannot be told from the best, best first; before
    /// the experiments end, the rules' first guess. Never the data's limit.
    pub answers: Vec<CauseId>,
    /// `answers[0]`, or `converged` when no setup fix helps; `None` before the rules can read
    /// the curves.
    pub answer: Option<CauseId>,
    /// Whether the experiments have ended: the answer is theirs, not the rules' guess.
    pub by_experiment: bool,
    pub data_limit: Option<DataLimit>,
    /// The unchanged settings on fresh seeds, measured exactly as a fix.
    pub placebo: Option<Experiment>,
    /// The placebo in one line, with a warning when noise alone moved a figure.
    pub placebo_text: String,
    /// Training seeds the experiments used (they add seeds until the answer is settled).
    pub seeds_used: usize,
    /// The answer in words, with its figures; for a tie, why both work. Empty before the
    /// experiments end.
    pub answer_text: String,
}

/// One sentence on why two fixes that help about equally both work, for the pairs that tie
/// in practice; `None` for the others, which the answer then names without a reason.
pub fn why_tied(a: CauseId, b: CauseId) -> Option<&'static str> {
    use CauseId::*;
    let pair = if a <= b { (a, b) } else { (b, a) };
    Some(match pair {
        (UnscaledFeatures, LrTooLow) => {
            "A higher rate moves the weights of the small-scale features further, and Adam's \
             per-weight steps make up for part of the scale."
        }
        (UnscaledFeatures, Underfitting) => {
            "More units give the small-scale features more weights to be picked up by, which \
             makes up for part of the scale."
        }
        (LrTooHigh, Overfitting) => {
            "Both keep the network from fitting its training rows as closely: smaller steps \
             stop earlier on the way, an L2 penalty keeps the weights small."
        }
        (LrTooLow, Underfitting) => {
            "Both let the network learn more in the same epochs: bigger steps, or more units \
             to learn with."
        }
        (LrTooLow, Overfitting) | (LrTooHigh, Underfitting) => {
            "Both change how far the network gets in these epochs; the experiments cannot \
             tell their effects apart on these seeds."
        }
        _ => return None,
    })
}

fn signed(x: f64, decimals: usize) -> String {
    format!("{x:+.decimals$}").replacen('-', "−", 1)
}

/// A helping fix's figure, as the answer quotes it.
fn figure(e: &Experiment) -> String {
    match e.decided_by {
        // The loss decided because accuracy did not clearly move: both are said, so a student
        // who reads "helps" beside a flat accuracy sees why.
        super::effect::Figure::Loss => format!(
            "validation loss {} ± {:.2}; accuracy {} ± {:.1} points{}",
            signed(e.val_loss_change, 2),
            e.val_loss_se,
            signed(e.val_accuracy_change, 1),
            e.val_accuracy_se,
            if e.effect.accuracy.direction() == 0 {
                let floor = format!("{:.1} points", e.effect.accuracy.floor);
                format!(", {}", e.effect.accuracy.why_it_does_not_count(&floor))
            } else {
                String::new()
            }
        ),
        _ => format!(
            "{} ± {:.1} points",
            signed(e.val_accuracy_change, 1),
            e.val_accuracy_se
        ),
    }
}

/// "a", "a or b", "a, b, or c" (with `word` "or"; likewise "and").
fn joined<S: AsRef<str>>(items: &[S], word: &str) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.as_slice() {
        [] => String::new(),
        [a] => a.to_string(),
        [a, b] => format!("{a} {word} {b}"),
        [init @ .., last] => format!("{}, {word} {last}", init.join(", ")),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl Diagnosis {
    /// Every experiment has finished all its seeds.
    pub fn experiments_done(&self) -> bool {
        !self.experiments.is_empty() && self.experiments.iter().all(|e| e.complete)
    }

    /// The rules' first guess: the first present setup cause in their ranking, else
    /// `converged`; `None` when they named nothing (too few epochs).
    pub fn rules_answer(&self) -> Option<CauseId> {
        if self.causes.is_empty() {
            return None;
        }
        self.causes
            .iter()
            .find(|c| c.id.is_setup() && c.is_present())
            .map(|c| c.id)
            .or(Some(CauseId::Converged))
    }

    /// The helping setup experiments in the answer: the best, and every one tied with it.
    fn answering(&self) -> Vec<&Experiment> {
        let helping: Vec<&Experiment> = self
            .ranked_experiments()
            .into_iter()
            .filter(|e| e.complete && e.verdict == Verdict::Helps && e.cause.is_setup())
            .collect();
        let Some(best) = helping.first() else {
            return Vec::new();
        };
        helping
            .iter()
            .filter(|e| std::ptr::eq(**e, *best) || e.tied_with(best))
            .copied()
            .collect()
    }

    /// The setup causes in the answer, best first (see [`Answer::answers`]).
    pub fn answers(&self) -> Vec<CauseId> {
        if !self.experiments_done() {
            return self
                .rules_answer()
                .filter(|c| c.is_setup())
                .into_iter()
                .collect();
        }
        self.answering().iter().map(|e| e.cause).collect()
    }

    /// The answer a student reads: the best setup cause by experiment once they are done
    /// (`converged` when no setup fix helps), the rules' first guess before.
    pub fn answer(&self) -> Option<CauseId> {
        if !self.experiments_done() {
            return self.rules_answer();
        }
        Some(
            self.answers()
                .first()
                .copied()
                .unwrap_or(CauseId::Converged),
        )
    }

    fn experiment_of(&self, kind: CauseKind) -> Option<&Experiment> {
        self.experiments
            .iter()
            .find(|e| e.complete && e.cause.kind() == kind)
    }

    /// What more rows did, once measured.
    pub fn data_limit(&self) -> Option<DataLimit> {
        let e = self.experiment_of(CauseKind::DataLimit)?;
        // "800 samples instead of 200 (each measured on its own validation set)".
        let rows = capitalised(&e.description);
        let figures = figure(e);
        let text = match e.verdict {
            // Only the loss moved (overfit: 4x the rows, −0.59 loss and +0.0 points): the
            // rows do not limit the accuracy the student asks about, so that is not claimed.
            Verdict::Helps if e.decided_by == Figure::Loss => format!(
                "{rows}: {figures}. More rows make the network less confidently wrong, not \
                 measurably more accurate."
            ),
            Verdict::Helps => {
                format!("{rows}: {figures}. Beyond the setup, the data limits this run.")
            }
            Verdict::Hurts => format!("{rows}: {figures}."),
            Verdict::NoEffect => format!(
                "{rows}: {figures}, within the noise: more data would not help this run either."
            ),
            Verdict::Inconclusive => {
                format!("{rows}: {figures}, too noisy to tell what more data would do.")
            }
        };
        Some(DataLimit {
            fix: e.fix.clone(),
            val_accuracy_change: e.val_accuracy_change,
            val_accuracy_se: e.val_accuracy_se,
            val_loss_change: e.val_loss_change,
            verdict: e.verdict,
            text,
        })
    }

    /// The placebo, once measured.
    pub fn placebo(&self) -> Option<&Experiment> {
        self.experiment_of(CauseKind::Placebo)
    }

    /// Training seeds the experiments used.
    pub fn seeds_used(&self) -> usize {
        self.experiments
            .iter()
            .map(|e| e.seeds_planned)
            .max()
            .unwrap_or(0)
    }

    /// The answer with everything beside it (see [`Answer`]).
    pub fn answer_summary(&self) -> Answer {
        Answer {
            answers: self.answers(),
            answer: self.answer(),
            by_experiment: self.experiments_done(),
            data_limit: self.data_limit(),
            placebo: self.placebo().cloned(),
            placebo_text: self.placebo_text(),
            seeds_used: self.seeds_used(),
            answer_text: self.answer_text(),
        }
    }

    /// The placebo in one line: "Re-rolling the seeds alone (placebo): no effect (…)." When
    /// noise alone moved a figure beyond its line, the line says so: changes of that size are
    /// then weaker evidence than their badges claim.
    pub fn placebo_text(&self) -> String {
        let Some(p) = self.placebo() else {
            return String::new();
        };
        let warning = if matches!(p.verdict, Verdict::Helps | Verdict::Hurts) {
            " Read changes of this size with care."
        } else {
            ""
        };
        format!(
            "Re-rolling the seeds alone (placebo): {}.{warning}",
            p.verdict_text
        )
    }

    /// The answer in words: the fix (or, for a tie, every fix) with its figure.
    pub fn answer_text(&self) -> String {
        if !self.experiments_done() {
            return String::new();
        }
        let seeds = self.seeds_used();
        let answering = self.answering();
        match answering.as_slice() {
            [] => {
                // A setup fix still too noisy to judge at the last seed may help a little: the
                // words say so rather than claim the settings are at the data's limit outright.
                // What held each open fix, as its badge says: the noise, or the smallest
                // change that counts.
                let (near, noisy): (Vec<&Experiment>, Vec<&Experiment>) = self
                    .experiments
                    .iter()
                    .filter(|e| e.cause.is_setup() && e.verdict == Verdict::Inconclusive)
                    .partition(|e| e.effect.near_the_smallest_change());
                let names = |v: &[&Experiment]| -> Vec<String> {
                    v.iter().map(|e| e.description.clone()).collect()
                };
                let mut held = Vec::new();
                if !noisy.is_empty() {
                    held.push(format!(
                        "{} stayed too close to the noise",
                        joined(&names(&noisy), "and")
                    ));
                }
                if let Some(first) = near.first() {
                    held.push(format!(
                        "{} {}too close to the smallest change that counts ({:.1} points)",
                        joined(&names(&near), "and"),
                        if noisy.is_empty() { "stayed " } else { "" },
                        first.effect.accuracy.floor
                    ));
                }
                if held.is_empty() {
                    format!(
                        "No change to the setup helped validation beyond the seed noise over \
                         {seeds} seeds: these settings are near what the data allows."
                    )
                } else {
                    format!(
                        "No change to the setup helped validation beyond the seed noise over \
                         {seeds} seeds. {} to tell, so as far as these seeds can tell, these \
                         settings are near what the data allows.",
                        capitalised(&held.join(", and "))
                    )
                }
            }
            [best] => format!(
                "{} helps most ({}, over {seeds} seeds).",
                capitalised(&best.description),
                figure(best)
            ),
            [first, rest @ ..] => {
                let names: Vec<String> = answering.iter().map(|e| e.description.clone()).collect();
                let figures: Vec<String> = answering.iter().map(|e| figure(e)).collect();
                let why = rest
                    .iter()
                    .find_map(|e| why_tied(first.cause, e.cause))
                    .map(|w| format!(" {w}"))
                    .unwrap_or_default();
                format!(
                    "{}: {} help, and the experiments cannot tell which helps more ({}, over \
                     {seeds} seeds).{why}",
                    capitalised(&joined(&names, "or")),
                    if answering.len() == 2 { "both" } else { "all" },
                    figures.join(" and "),
                )
            }
        }
    }
}

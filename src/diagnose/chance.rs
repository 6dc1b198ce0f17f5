//! Chance for a run's data: what a network that learned nothing from the features scores, in
//! accuracy and in loss. Every rule and text that compares a run with chance reads it here, so
//! that a student's file whose majority class is 63% of the rows is not read as learning when
//! its network predicts that class for every row.
//!
//! The best a network can do without the features is to predict the class shares for every
//! row: its accuracy is then the majority class's share, and its loss (cross-entropy) the
//! entropy of the shares, `−Σ p ln p`. Two balanced classes give the familiar 50% and ln 2,
//! `k` balanced classes `1/k` and ln k.

use super::causes::accuracy_se;
use super::thresholds::{LEFT_CHANCE_SHARE, SIGNIFICANT_SE};
use crate::config::{Config, Prepared};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// Chance for one run's data (see the module's doc).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chance {
    /// How many classes the labels have.
    pub classes: usize,
    /// The majority class's share: the accuracy of predicting it for every row.
    pub accuracy: f64,
    /// The entropy of the class shares: the loss of predicting the shares for every row.
    pub loss: f64,
}

impl Chance {
    /// `k` balanced classes: `1/k` each, by design (make_classification's classes).
    pub fn balanced(k: usize) -> Chance {
        let k = k.max(1);
        Chance {
            classes: k,
            accuracy: 1.0 / k as f64,
            loss: (k as f64).ln(),
        }
    }

    /// The classes' shares among `counts` (rows per class, every class listed, even one with
    /// no row).
    pub fn of_counts(counts: &[usize]) -> Chance {
        let total: usize = counts.iter().sum();
        if total == 0 {
            return Chance::balanced(counts.len());
        }
        let share = |c: usize| c as f64 / total as f64;
        let accuracy = counts.iter().map(|&c| share(c)).fold(0.0, f64::max);
        let loss = counts
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| -share(c) * share(c).ln())
            .sum::<f64>();
        Chance {
            classes: counts.len().max(1),
            accuracy,
            loss,
        }
    }

    /// Chance for a run: make_classification's design shares for generated data (balanced),
    /// the training rows' shares for a file (what a network trained on them can learn without
    /// the features).
    pub fn of_run(config: &Config, prepared: &Prepared) -> Chance {
        let k = config.class_count();
        if config.data.is_none() {
            return Chance::balanced(k);
        }
        let mut counts = vec![0; k];
        for &label in &prepared.train.y {
            let class = label as usize;
            if class >= counts.len() {
                counts.resize(class + 1, 0);
            }
            counts[class] += 1;
        }
        Chance::of_counts(&counts)
    }

    /// Every class has the same share.
    pub fn is_balanced(&self) -> bool {
        self.accuracy == 1.0 / self.classes as f64
    }

    /// Two balanced classes: 50% and ln 2, which the texts name as such.
    pub fn is_coin_toss(&self) -> bool {
        self.classes == 2 && self.is_balanced()
    }

    /// The loss of predicting `1/k` for every class, ln k, whatever the shares: where a network
    /// whose initial logits are near 0 (unit-scale inputs through Glorot weights) starts.
    pub fn start_loss(&self) -> f64 {
        (self.classes as f64).ln()
    }

    /// Training accuracy from which a network has started to separate the classes (see
    /// [`LEFT_CHANCE_SHARE`]): 60% on two balanced classes.
    pub fn left_at(&self) -> f64 {
        self.accuracy + LEFT_CHANCE_SHARE * (1.0 - self.accuracy)
    }

    /// An accuracy `p` on `n` rows within the noise of predicting the majority class for every
    /// row: less than [`SIGNIFICANT_SE`] standard errors above its share (a one-sided binomial
    /// test). On two balanced classes and the article's 40 validation rows that is below 65%,
    /// on 80 rows below 61%.
    pub fn at_chance(&self, p: f64, n: usize) -> bool {
        p - self.accuracy < SIGNIFICANT_SE * accuracy_se(p, n)
    }

    /// The loss of knowing nothing in words, for a text that gives it as a figure: "knowing
    /// nothing" when the classes are balanced (predicting `1/k` is then the best one can),
    /// else what it is.
    pub fn nothing_words(&self) -> &'static str {
        if self.is_balanced() {
            "knowing nothing"
        } else {
            "predicting the class shares"
        }
    }
}

/// In a cause's evidence (flattened into its fields) only when the classes are not two
/// balanced ones: for them the texts say 50% and ln 2, and generated data's JSON is as it was.
impl Serialize for Chance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_coin_toss() {
            return s.serialize_struct("Chance", 0)?.end();
        }
        let mut out = s.serialize_struct("Chance", 3)?;
        out.serialize_field("classes", &self.classes)?;
        out.serialize_field("chance_accuracy", &self.accuracy)?;
        out.serialize_field("chance_loss", &self.loss)?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::LN_2;

    #[test]
    fn two_balanced_classes_are_the_coin_toss_the_rules_were_measured_on() {
        let c = Chance::balanced(2);
        // Exactly the figures the rules read before chance was the data's.
        assert_eq!(c.accuracy, 0.5);
        assert_eq!(c.loss, LN_2);
        assert_eq!(c.start_loss(), LN_2);
        assert_eq!(c.left_at(), 0.6);
        assert!(c.is_coin_toss());
        // Counted rows give the same, to rounding.
        let counted = Chance::of_counts(&[80, 80]);
        assert_eq!(counted.accuracy, 0.5);
        assert!((counted.loss - LN_2).abs() < 1e-15);
        assert!(counted.is_coin_toss());
        // 65% on 40 rows is two standard errors above 50%, not below.
        assert!(c.at_chance(0.625, 40));
        assert!(!c.at_chance(0.675, 40));
    }

    #[test]
    fn k_balanced_classes_are_one_in_k_and_ln_k() {
        for k in 3..=10 {
            let c = Chance::balanced(k);
            assert_eq!(c.accuracy, 1.0 / k as f64);
            assert!((c.loss - (k as f64).ln()).abs() < 1e-15);
            assert!(c.is_balanced() && !c.is_coin_toss());
            let counted = Chance::of_counts(&vec![7; k]);
            assert_eq!(counted.accuracy, c.accuracy);
            assert!((counted.loss - c.loss).abs() < 1e-12, "{k}: {counted:?}");
            // A fifth of the way from 1/k to every row.
            assert!((c.left_at() - (0.2 + 0.8 / k as f64)).abs() < 1e-15);
        }
    }

    #[test]
    fn an_unbalanced_file_is_its_majority_share_and_its_entropy() {
        // Breast cancer's 357 benign and 212 malignant rows: 62.7%.
        let c = Chance::of_counts(&[212, 357]);
        let p = 357.0 / 569.0;
        assert!((c.accuracy - p).abs() < 1e-15);
        let entropy = -(p * p.ln() + (1.0 - p) * (1.0 - p).ln());
        assert!((c.loss - entropy).abs() < 1e-15);
        assert!(c.loss < LN_2 && c.loss > 0.65, "{c:?}");
        // A network starts at ln 2 all the same: two outputs at 50% each.
        assert_eq!(c.start_loss(), LN_2);
        assert!(!c.is_balanced());
        assert_eq!(c.nothing_words(), "predicting the class shares");
        // Predicting the majority for every row is at chance; 60% is below it.
        assert!(c.at_chance(p, 114));
        assert!(c.at_chance(0.6, 114));
        assert!(!c.at_chance(0.80, 114));
        // Left chance a fifth of the way to 100%, below 1 however large the majority.
        assert!((c.left_at() - (p + 0.2 * (1.0 - p))).abs() < 1e-15);
        assert!(Chance::of_counts(&[1, 99]).left_at() < 1.0);
        // A class with no training row counts as a class with no share.
        let absent = Chance::of_counts(&[3, 0, 1]);
        assert_eq!(absent.classes, 3);
        assert_eq!(absent.accuracy, 0.75);
        assert_eq!(absent.start_loss(), 3f64.ln());
    }

    #[test]
    fn the_json_names_chance_only_off_the_coin_toss() {
        let json = |c: Chance| serde_json::to_value(c).unwrap();
        assert_eq!(json(Chance::balanced(2)), serde_json::json!({}));
        let file = json(Chance::of_counts(&[212, 357]));
        assert_eq!(file["classes"], 2);
        assert!((file["chance_accuracy"].as_f64().unwrap() - 357.0 / 569.0).abs() < 1e-15);
        assert_eq!(json(Chance::balanced(3))["classes"], 3);
    }
}

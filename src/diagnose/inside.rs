//! What the instruments show inside the network, as evidence beside the causes: units that
//! died, steps far larger than the weights can take, units saturated at their limits. Each
//! finding names its epoch and layer, and the chart marks the epoch. They read the run's
//! per-layer instruments (`Run::with_instruments`), never its rules: the causes and the
//! experiments are decided without them.

use super::chance::Chance;
use crate::train::LayerInstruments;
use serde::Serialize;

/// A layer whose ReLUs are this dead is past a collapse: half its units get no gradient.
pub const DEAD_SHARE: f64 = 0.5;
/// A step this large against the weights (a hundred times the usual 0.001) can jump across
/// the loss's valleys rather than descend them; whether it did is the training loss's to say.
pub const LARGE_STEP: f64 = 0.1;
/// Large steps fitted the training rows when the training loss ended below this share of the
/// loss a network that knows nothing starts at (ln k); they did not descend when it ended
/// above `NOT_DESCENDED_SHARE` of it.
const FITTED_SHARE: f64 = 0.1;
const NOT_DESCENDED_SHARE: f64 = 0.9;
/// A layer with this share of saturated units passes almost no gradient through them.
pub const SATURATED_SHARE: f64 = 0.5;

/// `x` to two significant digits, with thousands grouped: 1957 → "2,000", 333 → "330".
fn two_digits(x: f64) -> String {
    let unit = 10f64.powi((x.log10().floor() as i32 - 1).max(0));
    let rounded = ((x / unit).round() * unit) as u64;
    let digits = rounded.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One instrument's figure, read from a layer's epoch.
type Figure = fn(&LayerInstruments) -> f64;
/// A finding's sentence from its epoch, layer and figure.
type Sentence<'a> = &'a dyn Fn(usize, usize, f64) -> String;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    DeadUnits,
    LargeSteps,
    SaturatedUnits,
}

/// One finding: where (the epoch, 1-based, and the hidden layer, 1-based), the figure, and
/// the sentence a student reads.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InsideFinding {
    pub kind: FindingKind,
    pub epoch: usize,
    pub layer: usize,
    pub value: f64,
    pub text: String,
    /// The chart's marker label.
    pub label: &'static str,
}

/// A loss to two significant digits, in decimals however small: 0.000034, 0.0012, 0.69, 13.
fn loss_text(x: f64) -> String {
    if !(x.is_finite() && x > 0.0) || x >= 10.0 {
        return format!("{x:.0}");
    }
    let digits = (1 - x.log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

/// What large steps did to the training loss (`loss`: per epoch; `start`: the loss of knowing
/// nothing), so that their sentence agrees with the curve beside it: at a rate of 0.1 they
/// often fit the rows within a few epochs, at 0.3 they can leave the network at chance.
fn large_steps_outcome(loss: &[f64], start: f64) -> String {
    let Some(&last) = loss.last() else {
        return String::new();
    };
    let (n, at, nothing) = (loss.len(), loss_text(last), loss_text(start));
    if last < start * FITTED_SHARE {
        format!(
            " Steps that large can jump across the loss's valleys, but these still fitted the \
             training rows: the training loss fell to {at} by epoch {n} ({nothing} is knowing \
             nothing)."
        )
    } else if last > start * NOT_DESCENDED_SHARE {
        format!(
            " Steps that large jump across the loss's valleys rather than descend them: the \
             training loss ended at {at} in epoch {n}, no lower than knowing nothing ({nothing})."
        )
    } else {
        format!(
            " Steps that large can jump across the loss's valleys: the training loss ended at \
             {at} in epoch {n} ({nothing} is knowing nothing)."
        )
    }
}

/// The findings in a run's instruments (`units`: each hidden layer's width; `loss`: the run's
/// training loss per epoch, on `classes` classes), each kind at its first epoch over its
/// threshold, in the layer where it shows first.
pub fn read_instruments(
    instruments: &[Vec<LayerInstruments>],
    units: &[usize],
    loss: &[f64],
    classes: usize,
) -> Vec<InsideFinding> {
    let start = Chance::balanced(classes.max(2)).start_loss();
    let units_of = |layer: usize| units.get(layer - 1).copied().unwrap_or(0);
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    // Each kind: its figure, its threshold, its label, and its sentence.
    let kinds: [(FindingKind, Figure, f64, &str, Sentence); 3] = [
        (
            FindingKind::LargeSteps,
            |f| f.update_ratio,
            LARGE_STEP,
            "large steps",
            &|epoch, layer, v| {
                format!(
                "In epoch {epoch} each batch moved layer {layer} by {} of its weights, about {} \
                 times the usual pace of 0.1%.{}",
                pct(v),
                two_digits(v / 1e-3),
                large_steps_outcome(loss, start)
            )
            },
        ),
        (
            FindingKind::DeadUnits,
            |f| f.dead_share,
            DEAD_SHARE,
            "units died",
            &|epoch, layer, v| {
                format!(
                "By epoch {epoch}, {} of layer {layer}'s {} ReLUs were dead (0 on every training \
                 row): a dead unit gets no gradient, so it stays dead, and the layer learns with \
                 what is left.",
                pct(v),
                units_of(layer)
            )
            },
        ),
        (
            FindingKind::SaturatedUnits,
            |f| f.saturated_share,
            SATURATED_SHARE,
            "saturated",
            &|epoch, layer, v| {
                format!(
                "By epoch {epoch}, {} of layer {layer}'s {} units sat at their limits on nearly \
                 every row, where their slope is about 0: little gradient passes through them.",
                pct(v),
                units_of(layer)
            )
            },
        ),
    ];
    let mut found: Vec<InsideFinding> = kinds
        .iter()
        .filter_map(|(kind, figure, threshold, label, text)| {
            // The first epoch, and in it the first layer, over the threshold.
            let (epoch, layer, value) =
                instruments.iter().enumerate().find_map(|(e, layers)| {
                    let (l, f) = layers
                        .iter()
                        .enumerate()
                        .find(|(_, f)| figure(f) >= *threshold)?;
                    Some((e + 1, l + 1, figure(f)))
                })?;
            Some(InsideFinding {
                kind: *kind,
                epoch,
                layer,
                value,
                text: text(epoch, layer, value),
                label,
            })
        })
        .collect();
    found.sort_by_key(|f| f.epoch);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch(update_ratio: f64, dead_share: f64, saturated_share: f64) -> LayerInstruments {
        LayerInstruments {
            grad_norm: 1.0,
            weight_norm: 1.0,
            update_ratio,
            dead_share,
            saturated_share,
        }
    }

    #[test]
    fn times_read_to_two_digits() {
        assert_eq!(two_digits(1957.0), "2,000");
        assert_eq!(two_digits(333.3), "330");
        assert_eq!(two_digits(100.0), "100");
        assert_eq!(two_digits(12_345.0), "12,000");
    }

    #[test]
    fn each_kind_is_found_at_its_first_epoch_over_its_threshold() {
        let healthy = epoch(0.004, 0.0, 0.0);
        let run = vec![
            vec![epoch(0.28, 0.0, 0.0), healthy],
            vec![healthy, epoch(0.05, 0.41, 0.0)],
            vec![healthy, epoch(0.02, 0.55, 0.0)],
            vec![healthy, epoch(0.01, 0.8, 0.0)],
        ];
        let found = read_instruments(&run, &[64, 32], &[], 2);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].kind, found[0].epoch, found[0].layer),
            (FindingKind::LargeSteps, 1, 1)
        );
        assert!(
            found[0]
                .text
                .contains("by 28% of its weights, about 280 times"),
            "{}",
            found[0].text
        );
        assert_eq!(
            (found[1].kind, found[1].epoch, found[1].layer),
            (FindingKind::DeadUnits, 3, 2)
        );
        assert!(
            found[1].text.contains("55% of layer 2's 32 ReLUs"),
            "{}",
            found[1].text
        );
        let tanh = vec![vec![epoch(0.001, 0.0, 0.6)]];
        assert_eq!(
            read_instruments(&tanh, &[16], &[], 2)[0].kind,
            FindingKind::SaturatedUnits
        );
        assert!(read_instruments(&[vec![healthy]], &[8], &[], 2).is_empty());
        assert!(read_instruments(&[], &[], &[], 2).is_empty());
    }

    /// The large steps' sentence says what the training loss did: fitted, stuck at knowing
    /// nothing, or in between, with the loss in decimals however small.
    #[test]
    fn large_steps_say_what_the_training_loss_did() {
        let ln2 = 2f64.ln();
        let fitted = large_steps_outcome(&[0.6, 0.01, 0.000_042], ln2);
        assert!(
            fitted.contains("still fitted") && fitted.contains("0.000042"),
            "{fitted}"
        );
        let stuck = large_steps_outcome(&[13.4, 0.7, 0.6908], ln2);
        assert!(
            stuck.contains("rather than descend") && stuck.contains("0.69"),
            "{stuck}"
        );
        let between = large_steps_outcome(&[0.7, 0.3], ln2);
        assert!(
            !between.contains("fitted") && !between.contains("rather than"),
            "{between}"
        );
        assert_eq!(large_steps_outcome(&[], ln2), "");
        assert_eq!(loss_text(0.0012), "0.0012");
        assert_eq!(loss_text(13.4), "13");
    }
}

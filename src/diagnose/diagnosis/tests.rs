//! The whole diagnosis on synthetic curves shaped like Keras's on the article's experiments:
//! which cause leads, its fix, and how experiments change the answer.

use super::*;
use crate::diagnose::{candidate_fixes, Finals};
use crate::train::Samples;

fn prepared(train: usize, val: usize, feature_std: Vec<f64>) -> Prepared {
    let samples = |n: usize| Samples {
        x: vec![0.0; n * feature_std.len()],
        y: vec![0.0; n],
        features: feature_std.len(),
    };
    Prepared {
        train: samples(train),
        val: samples(val),
        feature_std,
    }
}

/// A small deterministic wobble, like shuffling noise on an epoch mean.
fn wobble(i: usize, size: f64) -> f64 {
    size * (((i * 7919) % 13) as f64 - 6.0) / 6.0
}

/// `f(epoch)` for epochs 1..=n.
fn curve(n: usize, f: impl Fn(f64) -> f64) -> Vec<f64> {
    (1..=n).map(|e| f(e as f64)).collect()
}

fn history(
    loss: Vec<f64>,
    accuracy: Vec<f64>,
    val_loss: Vec<f64>,
    val_accuracy: Vec<f64>,
) -> History {
    History {
        loss,
        accuracy,
        val_loss,
        val_accuracy,
    }
}

/// Memorises slowly; validation loss lowest at 10 then rising to 1.2; accuracy flat ~0.82.
fn overfit_history() -> History {
    history(
        curve(100, |e| 0.65 * (-e / 9.0).exp() + 0.0005),
        curve(100, |e| (1.0 - 0.45 * (-e / 8.0).exp()).min(1.0)),
        curve(100, |e| {
            0.5 + 0.12 * (e - 10.0).abs().sqrt() * (e > 10.0) as u8 as f64
        }),
        curve(100, |e| {
            if e < 45.0 {
                0.6 + 0.005 * e
            } else {
                0.8 + wobble(e as usize, 0.025)
            }
        }),
    )
}

fn unit_std() -> Vec<f64> {
    vec![1.0; 20]
}

/// The overfit preset's shape of run: memorised training rows, validation loss rising.
fn overfit_diagnosis() -> Diagnosis {
    let config = Config::preset("overfit").unwrap();
    diagnose(
        &config,
        &prepared(80, 20, unit_std()),
        &overfit_history(),
        Status::Finished,
    )
}

fn top(d: &Diagnosis) -> CauseId {
    d.top().expect("a cause").id
}

/// A finished experiment testing `cause`'s fix with these per-seed final figures.
fn tested(cause: CauseId, base: &[(f64, f64)], fixed: &[(f64, f64)]) -> Experiment {
    let finals = |v: &[(f64, f64)]| -> Vec<Finals> {
        v.iter()
            .map(|&(val_accuracy, val_loss)| Finals {
                train_accuracy: 1.0,
                val_accuracy,
                val_loss,
            })
            .collect()
    };
    Experiment::measured(
        (cause, Vec::new(), String::new()),
        (base.len(), true),
        &finals(base),
        &finals(fixed),
        (40, 40, &Chance::balanced(2)),
    )
}

#[test]
fn a_test_too_noisy_to_tell_rules_nothing_out() {
    let base = [
        (0.60, 0.70),
        (0.40, 1.30),
        (0.45, 0.90),
        (0.65, 0.68),
        (0.68, 0.67),
    ];
    // Big gains on some seeds, none on others: within the noise, but not ruled out.
    let noisy = [
        (0.57, 0.66),
        (0.65, 0.79),
        (0.62, 0.73),
        (0.70, 0.64),
        (0.68, 0.57),
    ];
    // The same on every seed (runs off chance): no effect, and the noise excludes a gain of
    // one sample.
    let flat: Vec<(f64, f64)> = noisy.to_vec();
    let mut d = overfit_diagnosis();
    d.experiments = vec![tested(CauseId::Overfitting, &base, &noisy)];
    assert_eq!(d.experiments[0].verdict, Verdict::Inconclusive, "{d}");
    assert!(!d.ruled_out(CauseId::Overfitting), "{d}");
    // Not ruled out, but not shown to help either: no setup fix helped, so the answer is
    // near what the data allows, and the row stays "inconclusive".
    assert_eq!(d.answer(), Some(CauseId::Converged), "{d}");
    assert!(d.answers().is_empty(), "{d}");
    d.experiments = vec![tested(CauseId::Overfitting, &noisy, &flat)];
    assert_eq!(d.experiments[0].verdict, Verdict::NoEffect, "{d}");
    assert!(d.ruled_out(CauseId::Overfitting), "{d}");
    assert_eq!(d.answer(), Some(CauseId::Converged), "{d}");
}

/// An open fix is said to be held by what holds it, in its badge and in the answer: a gain
/// clear of the noise yet under one validation sample (40 rows: 2.5 points) is too close to
/// the smallest change that counts, not noise; one the seeds disagree about is noise. (An
/// off-preset run, 16,8 sigmoid under RMSprop on 600 distorted rows, had read "+0.9 ± 0.3
/// points: the seeds disagree too much to tell".)
#[test]
fn an_open_fix_is_held_by_the_noise_or_by_the_smallest_change_as_its_figures_say() {
    let base: Vec<(f64, f64)> = (0..20).map(|i| (0.60 + 0.005 * i as f64, 0.6)).collect();
    // Per seed, `mean` ± `spread` points, alternating.
    let shifted = |mean: f64, spread: f64| -> Vec<(f64, f64)> {
        base.iter()
            .enumerate()
            .map(|(i, &(a, l))| {
                let d = mean + if i % 2 == 0 { spread } else { -spread };
                (a + d / 100.0, l)
            })
            .collect()
    };
    let mut near = tested(CauseId::Underfitting, &base, &shifted(2.0, 2.5));
    near.description = "a bigger model".into();
    let mut noisy = tested(CauseId::Overfitting, &base, &shifted(1.0, 5.0));
    noisy.description = "an L2 penalty".into();
    assert_eq!(near.verdict, Verdict::Inconclusive, "{near}");
    assert_eq!(noisy.verdict, Verdict::Inconclusive, "{noisy}");
    assert!(
        near.verdict_text.contains(
            "clear of the noise, but too close to the smallest change that counts (2.5 points)"
        ),
        "{}",
        near.verdict_text
    );
    assert!(
        noisy
            .verdict_text
            .contains("the seeds disagree too much to tell"),
        "{}",
        noisy.verdict_text
    );
    let mut d = overfit_diagnosis();
    d.experiments = vec![near, noisy];
    assert_eq!(d.answer(), Some(CauseId::Converged), "{d}");
    assert_eq!(
        d.answer_text(),
        "No change to the setup helped validation beyond the seed noise over 20 seeds. An L2 \
         penalty stayed too close to the noise, and a bigger model too close to the smallest \
         change that counts (2.5 points) to tell, so as far as these seeds can tell, these \
         settings are near what the data allows."
    );
}

#[test]
fn memorising_with_rising_validation_loss_is_overfitting() {
    let d = overfit_diagnosis();
    assert_eq!(top(&d), CauseId::Overfitting, "{d}");
    assert_eq!(d.top().unwrap().fix, vec![("l2".into(), "0.01".into())]);
    assert!(d.plateau_epoch().is_some(), "{d}");
    assert!(
        d.causes.iter().any(|c| c.id == CauseId::NoisyValidation),
        "{d}"
    );
    assert!(!d.causes.iter().any(|c| c.id == CauseId::LrTooHigh), "{d}");
}

/// Training loss near zero within a few epochs, validation loss climbing, validation
/// accuracy flat at 0.78 with `noise`.
fn memorised_at_once(noise: f64) -> History {
    history(
        curve(100, |e| 0.6 * (-(e - 1.0) / 1.2).exp() + 1e-4),
        curve(100, |e| (0.8 + 0.05 * e).min(1.0)),
        curve(100, |e| 0.45 + 0.85 * (1.0 - (-(e - 1.0) / 30.0).exp())),
        curve(100, |e| 0.78 + wobble(e as usize, noise)),
    )
}

#[test]
fn collapse_within_a_handful_of_epochs_is_lr_too_high_not_overfitting() {
    let config = Config::preset("lr-high").unwrap();
    let h = memorised_at_once(0.025);
    let d = diagnose(
        &config,
        &prepared(160, 40, unit_std()),
        &h,
        Status::Finished,
    );
    assert_eq!(top(&d), CauseId::LrTooHigh, "{d}");
    assert_eq!(d.top().unwrap().fix, vec![("lr".into(), "0.01".into())]);
    assert!(d.causes.iter().any(|c| c.id == CauseId::Overfitting), "{d}");
}

/// The same curves on 8,000 training rows at Adam's default rate: memorised within a
/// handful of epochs, but after hundreds of small steps, so it is the model's capacity
/// (overfitting), not the step size.
#[test]
fn memorising_after_many_small_steps_is_overfitting() {
    let config = Config {
        samples: 10_000,
        hidden: vec![256, 256, 256],
        ..Config::default()
    };
    let h = memorised_at_once(0.0005);
    let d = diagnose(
        &config,
        &prepared(8000, 2000, unit_std()),
        &h,
        Status::Finished,
    );
    assert_eq!(top(&d), CauseId::Overfitting, "{d}");
    assert!(!d.causes.iter().any(|c| c.id == CauseId::LrTooHigh), "{d}");
}

#[test]
fn a_straight_falling_loss_is_lr_too_low_with_no_plateau() {
    let config = Config::preset("lr-low").unwrap();
    let h = history(
        curve(100, |e| 0.72 - 0.0022 * e + wobble(e as usize, 0.001)),
        curve(100, |e| 0.53 + 0.0022 * e),
        curve(100, |e| 0.71 - 0.0015 * e),
        curve(100, |e| 0.51 + 0.0014 * e),
    );
    let d = diagnose(
        &config,
        &prepared(160, 40, unit_std()),
        &h,
        Status::Finished,
    );
    assert_eq!(top(&d), CauseId::LrTooLow, "{d}");
    assert_eq!(d.plateau_epoch(), None);
    assert_eq!(d.top().unwrap().fix, vec![("lr".into(), "0.001".into())]);
    assert!(d.top().unwrap().says_still_learning(), "{d}");
    assert_eq!(d.headline_contradiction(), None, "{d}");
}

#[test]
fn a_bent_curve_with_steady_validation_is_converged() {
    let config = Config::preset("lr-good").unwrap();
    let h = history(
        curve(100, |e| 0.05 + 0.65 * (-e / 20.0).exp()),
        curve(100, |e| 0.99 - 0.3 * (-e / 20.0).exp()),
        curve(100, |e| 0.5 + 0.2 * (-e / 15.0).exp()),
        curve(100, |e| {
            if e < 50.0 {
                0.6 + 0.003 * e
            } else {
                0.76 + wobble(e as usize, 0.025)
            }
        }),
    );
    let d = diagnose(
        &config,
        &prepared(160, 40, unit_std()),
        &h,
        Status::Finished,
    );
    assert_eq!(top(&d), CauseId::Converged, "{d}");
    assert!(d.plateau_epoch().is_some(), "{d}");
    assert_eq!(d.headline_contradiction(), None, "{d}");
    // The same causes under "No plateau yet" would contradict the headline.
    let mut unsettled = d.clone();
    unsettled.plateau.plateau_epoch = None;
    let contradiction = unsettled.headline_contradiction().expect("a contradiction");
    assert!(
        contradiction.contains("Nothing is wrong"),
        "{contradiction}"
    );
    let overfitting = d
        .causes
        .iter()
        .find(|c| c.id == CauseId::Overfitting)
        .unwrap();
    assert!(
        !overfitting.is_present(),
        "a gap alone is only possible overfitting: {d}"
    );
}

#[test]
fn no_fix_is_offered_where_a_limit_is_already_reached() {
    let h = history(
        curve(100, |e| 0.05 + 0.65 * (-e / 20.0).exp()),
        curve(100, |e| 0.99 - 0.3 * (-e / 20.0).exp()),
        curve(100, |e| 0.5 + 0.2 * (-e / 15.0).exp()),
        curve(100, |e| {
            if e < 50.0 {
                0.6 + 0.003 * e
            } else {
                0.76 + wobble(e as usize, 0.025)
            }
        }),
    );
    let fix_at = |samples: usize| {
        let config = Config {
            samples,
            ..Config::preset("lr-good").unwrap()
        };
        let d = diagnose(
            &config,
            &prepared(160, 40, unit_std()),
            &h,
            Status::Finished,
        );
        assert_eq!(top(&d), CauseId::Converged, "{d}");
        // More rows are the data's limit, measured apart: "converged" offers no fix.
        assert!(d.top().unwrap().fix.is_empty(), "{d}");
        let train = prepared(160, 40, unit_std()).train.len();
        candidate_fixes(&config, &d.causes, train)
            .into_iter()
            .find(|(id, _)| *id == CauseId::MoreData)
            .map(|(_, fix)| fix)
            .unwrap_or_default()
    };
    assert_eq!(fix_at(200), vec![("samples".into(), "800".into())]);
    assert_eq!(fix_at(8000), vec![("samples".into(), "10000".into())]);
    assert!(
        fix_at(10_000).is_empty(),
        "the largest dataset has no bigger one"
    );

    let widest = Config {
        hidden: vec![256, 256],
        ..Config::default()
    };
    let d = diagnose(
        &widest,
        &prepared(160, 40, unit_std()),
        &h,
        Status::Finished,
    );
    let mut cause = d.causes[0].clone();
    cause.fix = vec![("hidden".into(), "256,256".into())];
    drop_no_op_fix(&widest, &mut cause);
    assert!(cause.fix.is_empty());
    cause.fix = vec![("l2".into(), "0.01".into())];
    drop_no_op_fix(&widest, &mut cause);
    assert_eq!(cause.fix.len(), 1, "a real change stays");
}

#[test]
fn low_and_flat_on_both_sides_is_underfitting() {
    let config = Config {
        samples: 2000,
        hidden: vec![1],
        ..Config::default()
    };
    let h = history(
        curve(100, |e| {
            0.45 + 0.25 * (-e / 4.0).exp() + wobble(e as usize, 0.002)
        }),
        curve(100, |e| 0.78 - 0.25 * (-e / 4.0).exp()),
        curve(100, |e| 0.46 + 0.25 * (-e / 4.0).exp()),
        curve(100, |e| {
            0.77 - 0.25 * (-e / 4.0).exp() + wobble(e as usize, 0.005)
        }),
    );
    let d = diagnose(
        &config,
        &prepared(1600, 400, unit_std()),
        &h,
        Status::Finished,
    );
    assert_eq!(top(&d), CauseId::Underfitting, "{d}");
    assert!(
        !d.causes.iter().any(|c| c.id == CauseId::NoisyValidation),
        "{d}"
    );
    // Doubling one unit to two is no test of capacity: at least the article's 32.
    assert_eq!(d.top().unwrap().fix, vec![("hidden".into(), "32".into())]);
    // Its validation gains a sample by chance late in the run, so the headline says "No
    // plateau yet": the flat training loss is then not called flat, nor still learning.
    assert_eq!(d.plateau_epoch(), None, "{d}");
    assert!(!d.to_string().contains("flat"), "{d}");
    assert_eq!(d.headline_contradiction(), None, "{d}");
}

#[test]
fn unscaled_features_rank_first_whatever_else_is_seen() {
    let config = Config::preset("unscaled").unwrap();
    let mut std = unit_std();
    std[0] = 180.0;
    std[1] = 0.018;
    let mut h = overfit_history();
    h.loss[0] = 4.1;
    let d = diagnose(&config, &prepared(160, 40, std), &h, Status::Finished);
    assert_eq!(top(&d), CauseId::UnscaledFeatures, "{d}");
    let Evidence::UnscaledFeatures {
        spread,
        initial_loss,
        ..
    } = d.causes[0].evidence
    else {
        panic!()
    };
    assert!((spread - 10_000.0).abs() < 1e-6);
    assert_eq!(initial_loss, Some(4.1));
    assert_eq!(d.causes[0].confidence, 1.0);
    assert!(d.causes.iter().any(|c| c.id == CauseId::Overfitting), "{d}");
}

/// A rate too low beside scales short of saturating the first layer: the rate first (in the
/// bank raising it gained at least as much); past `SATURATING_SPREAD`, the scales first.
#[test]
fn a_low_rate_comes_before_scales_short_of_saturating() {
    let config = Config {
        activation: crate::nn::Activation::Tanh,
        ..Config::preset("lr-low").unwrap()
    };
    let h = history(
        curve(100, |e| 0.72 - 0.0022 * e + wobble(e as usize, 0.001)),
        curve(100, |e| 0.53 + 0.0022 * e),
        curve(100, |e| 0.71 - 0.0015 * e),
        curve(100, |e| 0.51 + 0.0014 * e),
    );
    let ranked = |largest: f64, smallest: f64| {
        let mut std = unit_std();
        std[0] = largest;
        std[1] = smallest;
        let d = diagnose(&config, &prepared(160, 40, std), &h, Status::Finished);
        let present: Vec<CauseId> = d
            .causes
            .iter()
            .filter(|c| c.is_present())
            .map(|c| c.id)
            .collect();
        assert!(present.contains(&CauseId::UnscaledFeatures), "{d}");
        assert!(present.contains(&CauseId::LrTooLow), "{d}");
        top(&d)
    };
    // Tanh saturates from a spread of 10⁴ whatever the loss shows: present at both spreads.
    assert_eq!(ranked(180.0, 0.018), CauseId::LrTooLow);
    assert_eq!(ranked(1000.0, 0.001), CauseId::UnscaledFeatures);
}

#[test]
fn constant_features_are_left_out_of_the_spread() {
    let config = Config::default();
    let mut std = unit_std();
    std[3] = 0.0;
    let d = diagnose(
        &config,
        &prepared(160, 40, std),
        &overfit_history(),
        Status::Finished,
    );
    assert!(
        !d.causes.iter().any(|c| c.id == CauseId::UnscaledFeatures),
        "{d}"
    );
    let all_constant = diagnose(
        &config,
        &prepared(160, 40, vec![0.0; 20]),
        &overfit_history(),
        Status::Finished,
    );
    assert!(!all_constant
        .causes
        .iter()
        .any(|c| c.id == CauseId::UnscaledFeatures));
}

/// A strong L2 penalty on a deep network at a slow rate: the loss starts near ln 2 plus
/// the penalty (~6) and falls slowly as the penalty is worked off, accuracy at chance.
/// Read as cross-entropy the loss would say "predictions extreme at once".
#[test]
fn a_loss_made_of_l2_penalty_is_not_overconfidence() {
    let config = Config {
        hidden: vec![16, 32, 8],
        l2: 0.1,
        learning_rate: 0.0003,
        optimizer: crate::config::OptimizerKind::RmsProp,
        samples: 100,
        ..Config::default()
    };
    let h = history(
        curve(100, |e| 0.69 + 5.5 * (-e / 60.0).exp()),
        curve(100, |_| 0.51),
        curve(100, |e| 0.69 + 5.4 * (-e / 60.0).exp()),
        curve(100, |_| 0.55),
    );
    let d = diagnose(&config, &prepared(80, 20, unit_std()), &h, Status::Finished);
    assert!(!d.causes.iter().any(|c| c.id == CauseId::LrTooHigh), "{d}");
    assert_eq!(top(&d), CauseId::LrTooLow, "{d}");
}

/// Adam at 0.3 fits the training rows within a dozen epochs and validation loss climbs
/// after: overfitting by its look, but the rate comes first.
#[test]
fn adam_at_the_weights_scale_is_lr_too_high_before_overfitting() {
    let config = Config {
        learning_rate: 0.3,
        activation: crate::nn::Activation::Sigmoid,
        samples: 400,
        epochs: 50,
        ..Config::default()
    };
    let h = history(
        curve(50, |e| 0.7 * (-e / 6.0).exp() + 0.001),
        curve(50, |e| (0.6 + 0.05 * e).min(1.0)),
        curve(50, |e| 0.35 + 0.01 * (e - 7.0).abs()),
        curve(50, |e| 0.82 + wobble(e as usize, 0.0125)),
    );
    let d = diagnose(
        &config,
        &prepared(320, 80, unit_std()),
        &h,
        Status::Finished,
    );
    assert_eq!(top(&d), CauseId::LrTooHigh, "{d}");
    assert!(d.causes.iter().any(|c| c.id == CauseId::Overfitting), "{d}");
    assert!(d.to_string().contains("whole initial size"), "{d}");
}

/// Still at chance, the loss falling step after step at a low rate: not started yet.
#[test]
fn at_chance_and_still_falling_is_lr_too_low() {
    let config = Config {
        learning_rate: 0.0001,
        ..Config::default()
    };
    let h = history(
        curve(100, |e| 0.66 + 0.04 * (-e / 30.0).exp()),
        curve(100, |_| 0.49),
        curve(100, |_| 0.695),
        curve(100, |_| 0.5),
    );
    let d = diagnose(
        &config,
        &prepared(160, 40, unit_std()),
        &h,
        Status::Finished,
    );
    assert_eq!(top(&d), CauseId::LrTooLow, "{d}");
    assert!(d.to_string().contains("not started"), "{d}");
}

#[test]
fn a_diverged_run_is_lr_too_high_and_reads_only_finite_epochs() {
    let config = Config {
        learning_rate: 1.0,
        ..Config::default()
    };
    let h = history(
        vec![0.9, 25.0, f64::NAN],
        vec![0.6, 0.5, 0.5],
        vec![0.8, 40.0, f64::NAN],
        vec![0.6, 0.5, 0.5],
    );
    let d = diagnose(
        &config,
        &prepared(160, 40, unit_std()),
        &h,
        Status::Diverged { epoch: 3 },
    );
    assert_eq!(d.epochs, 2);
    assert_eq!(top(&d), CauseId::LrTooHigh, "{d}");
    assert_eq!(d.causes[0].confidence, 1.0);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["causes"][0]["evidence"]["diverged_epoch"], 3);
    assert_eq!(json["status"]["state"], "diverged");
}

#[test]
fn one_epoch_or_none_gives_no_verdict_on_the_curves() {
    let config = Config::default();
    let one = history(vec![0.7], vec![0.5], vec![0.69], vec![0.55]);
    let d = diagnose(
        &config,
        &prepared(160, 40, unit_std()),
        &one,
        Status::Finished,
    );
    assert_eq!((d.plateau_epoch(), d.best_epoch()), (None, Some(1)));
    assert!(
        d.causes
            .iter()
            .all(|c| !c.id.is_setup() || c.id == CauseId::UnscaledFeatures),
        "{d}"
    );
    assert!(d.to_string().contains("too few"), "{d}");
    let none = diagnose(
        &config,
        &prepared(160, 40, unit_std()),
        &History::default(),
        Status::Training,
    );
    assert_eq!(none.best_epoch(), None);
    assert!(none.to_string().contains("No finite epoch"));
}

#[test]
fn two_validation_rows_make_noise_the_top_cause() {
    let config = Config {
        samples: 10,
        ..Config::default()
    };
    let h = history(
        curve(30, |e| 0.05 + 0.65 * (-e / 8.0).exp()),
        curve(30, |e| 1.0 - 0.4 * (-e / 8.0).exp()),
        curve(30, |e| 0.6 + 0.1 * (-e / 8.0).exp()),
        curve(30, |e| {
            if (e as usize).is_multiple_of(3) {
                0.5
            } else {
                1.0
            }
        }),
    );
    let d = diagnose(&config, &prepared(8, 2, unit_std()), &h, Status::Finished);
    assert_eq!(top(&d), CauseId::NoisyValidation, "{d}");
    let Evidence::NoisyValidation {
        points_per_sample, ..
    } = d.causes[0].evidence
    else {
        panic!()
    };
    assert_eq!(points_per_sample, 50.0);
    assert!(d.to_string().contains("50.0 points"), "{d}");
}

#[test]
fn json_has_the_agreed_field_names() {
    let d = overfit_diagnosis();
    let json = serde_json::to_value(&d).unwrap();
    for key in ["plateau_epoch", "best_epoch", "causes", "experiments"] {
        assert!(json.get(key).is_some(), "{key} missing: {json}");
    }
    let cause = &json["causes"][0];
    assert_eq!(cause["id"], "overfitting");
    assert!(cause["confidence"].is_number());
    assert!(cause["evidence"]["gap_points"].is_number(), "{cause}");
    assert_eq!(cause["fix"][0][0], "l2");
}

#[test]
fn parameters_of_the_article_models() {
    assert_eq!(
        parameter_count(20, &[128, 64]),
        20 * 128 + 128 + 128 * 64 + 64 + 65
    );
    assert_eq!(parameter_count(20, &[32]), 705);
    assert_eq!(parameter_count(20, &[]), 21);
}

/// A 63/37 file the size of breast cancer's split: 287 of 455 training rows in the majority
/// class, 114 validation rows, two unit-scale features. Its config, and its prepared data
/// with those labels.
fn majority_file() -> (Config, Prepared) {
    let csv: String = (0..20)
        .map(|i| format!("{i},{},{}\n", i % 3, (i < 13) as u8))
        .collect();
    let file = crate::config::DataFile::read("majority.csv", &format!("a,b,y\n{csv}"), None)
        .expect("a valid file");
    let config = Config::default().with_data_file(file);
    let mut data = prepared(455, 114, vec![1.0; 2]);
    for (i, y) in data.train.y.iter_mut().enumerate() {
        *y = (i < 287) as u8 as f32;
    }
    (config, data)
}

/// The same run's curves on generated data: balanced classes, the same validation rows.
fn balanced_twin(file: &Config) -> Config {
    Config {
        samples: 569,
        features: 20,
        data: None,
        ..file.clone()
    }
}

/// A network that only ever predicts the majority class of a 63/37 file: its curves settle
/// flat at the shares' entropy (0.659) and validation accuracy at the majority's 63%. That is
/// chance, so the run cannot have reached "what the data allows"; on balanced classes the same
/// 63% is 2.9 standard errors above chance, and there it may.
#[test]
fn predicting_a_files_majority_class_is_at_chance() {
    let (config, data) = majority_file();
    let chance = Chance::of_run(&config, &data);
    assert!((chance.accuracy - 287.0 / 455.0).abs() < 1e-12);
    // From ln 2 down to the entropy within a few epochs (the output's bias learning the
    // shares), then flat.
    let start = std::f64::consts::LN_2 - chance.loss;
    let h = history(
        curve(100, |e| chance.loss + start * (1.0 - e / 8.0).max(0.0)),
        curve(100, |_| 287.0 / 455.0),
        curve(100, |_| 0.662),
        curve(100, |_| 72.0 / 114.0),
    );
    let on_file = diagnose(&config, &data, &h, Status::Finished);
    let on_generated = diagnose(&balanced_twin(&config), &data, &h, Status::Finished);
    let converged = |d: &Diagnosis| d.causes.iter().any(|c| c.id == CauseId::Converged);
    assert!(!converged(&on_file), "{on_file}");
    assert!(converged(&on_generated), "{on_generated}");
}

/// The same network moving off ln 2 towards the shares' entropy step after step at a low rate,
/// training accuracy at the majority's share: it has not started to separate the classes, and
/// the text says what chance is. On balanced classes 63% would have left chance (60%).
#[test]
fn a_files_majority_share_has_not_left_chance() {
    let (config, data) = majority_file();
    let config = Config {
        learning_rate: 0.0001,
        ..config
    };
    let chance = Chance::of_run(&config, &data);
    let h = history(
        curve(100, |e| {
            chance.loss + (std::f64::consts::LN_2 - chance.loss) * (-e / 25.0).exp()
        }),
        curve(100, |_| 0.635),
        curve(100, |_| 0.662),
        curve(100, |_| 72.0 / 114.0),
    );
    let on_file = diagnose(&config, &data, &h, Status::Finished);
    assert_eq!(top(&on_file), CauseId::LrTooLow, "{on_file}");
    let text = on_file.to_string();
    assert!(text.contains("not started"), "{text}");
    assert!(
        text.contains("at chance (63.5%, mean of the last 5 epochs; the majority class is 63.1% of the training rows)"),
        "{text}"
    );
    // The evidence names chance, which is not the coin toss the JSON otherwise leaves out.
    let json = serde_json::to_value(&on_file).unwrap();
    let evidence = &json["causes"][0]["evidence"];
    assert_eq!(evidence["classes"], 2, "{evidence}");
    assert!((evidence["chance_loss"].as_f64().unwrap() - chance.loss).abs() < 1e-15);
    let on_generated = diagnose(&balanced_twin(&config), &data, &h, Status::Finished);
    let not_started = |d: &Diagnosis| d.to_string().contains("not started");
    assert!(!not_started(&on_generated), "{on_generated}");
    let json = serde_json::to_value(&on_generated).unwrap();
    assert!(json.to_string().find("chance_loss").is_none(), "{json}");
}

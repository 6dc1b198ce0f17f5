//! The diagnosis on real training runs: the article's six presets over 10 training seeds,
//! configurations that are not presets, edge cases, and the experiments.
//!
//! Each detection test prints its tally (run with `--nocapture` to see it).

use plateau::config::OptimizerKind::{RmsProp, Sgd};
use plateau::diagnose::{diagnose, CauseId, Diagnosis, Evidence, Experiments, Verdict};
use plateau::nn::Activation::Tanh;
use plateau::{Config, Run, Status};

fn diagnose_config(config: &Config) -> Diagnosis {
    let (mut run, prepared) = config.start().unwrap();
    let status = run.finish();
    diagnose(config, &prepared, run.history(), status)
}

/// The top cause for training seeds `0..seeds`. Every diagnosis must also agree with its
/// headline (issue 10: no plateau ⇒ "still learning" leads).
fn top_causes(config: &Config, seeds: u32) -> Vec<Option<CauseId>> {
    (0..seeds)
        .map(|seed| {
            let d = diagnose_config(&Config {
                seed,
                ..config.clone()
            });
            assert_eq!(d.headline_contradiction(), None, "seed {seed}: {d}");
            d.top().map(|c| c.id)
        })
        .collect()
}

/// Asserts that at least `needed` of the seeds' top causes are among `allowed`, and prints
/// the tally.
fn check(name: &str, config: &Config, seeds: u32, needed: usize, allowed: &[CauseId]) {
    let tops = top_causes(config, seeds);
    let hits = tops
        .iter()
        .filter(|t| t.is_some_and(|t| allowed.contains(&t)))
        .count();
    let names: Vec<&str> = tops.iter().map(|t| t.map_or("-", |t| t.as_str())).collect();
    eprintln!("{name}: {hits}/{seeds} [{}]", names.join(" "));
    assert!(
        hits >= needed,
        "{name}: top cause in {allowed:?} for {hits}/{seeds} seeds: {names:?}"
    );
}

fn with(change: impl Fn(&mut Config)) -> Config {
    let mut c = Config::default();
    change(&mut c);
    c
}

#[test]
fn presets_are_diagnosed_as_the_article_intends() {
    use CauseId::*;
    let expected: [(&str, &[CauseId]); 6] = [
        ("overfit", &[Overfitting]),
        ("unscaled", &[UnscaledFeatures]),
        ("lr-high", &[LrTooHigh]),
        ("lr-low", &[LrTooLow]),
        ("scaled", &[Converged, Overfitting, NoisyValidation]),
        ("lr-good", &[Converged, Overfitting, NoisyValidation]),
    ];
    for (name, allowed) in expected {
        check(name, &Config::preset(name).unwrap(), 10, 9, allowed);
    }
}

#[test]
fn a_too_low_learning_rate_beyond_the_presets() {
    let cases = [
        (
            "SGD lr 0.001",
            with(|c| {
                c.optimizer = Sgd;
                c.learning_rate = 0.001;
            }),
        ),
        (
            "tanh, Adam lr 1e-4",
            with(|c| {
                c.activation = Tanh;
                c.learning_rate = 1e-4;
            }),
        ),
        (
            "RMSprop lr 3e-5, 400 samples",
            with(|c| {
                c.optimizer = RmsProp;
                c.learning_rate = 3e-5;
                c.samples = 400;
            }),
        ),
    ];
    for (name, config) in cases {
        check(name, &config, 3, 3, &[CauseId::LrTooLow]);
    }
}

/// Issue 10's case: SGD at 0.01 ends with both accuracy curves still rising, and the headline
/// says "No plateau yet" on most seeds. The first cause must then say it is still learning,
/// and none may call the curves flat or the run converged.
#[test]
fn sgd_at_0_01_still_learning_leads_while_there_is_no_plateau() {
    let config = with(|c| {
        c.optimizer = Sgd;
        c.learning_rate = 0.01;
    });
    let mut unsettled = 0;
    for seed in 0..5 {
        let d = diagnose_config(&Config {
            seed,
            ..config.clone()
        });
        assert_eq!(d.headline_contradiction(), None, "seed {seed}: {d}");
        if d.plateau_epoch().is_none() {
            unsettled += 1;
            let top = d.top().unwrap();
            assert_eq!(top.id, CauseId::LrTooLow, "seed {seed}: {d}");
            assert!(top.says_still_learning(), "seed {seed}: {d}");
            assert!(
                matches!(
                    top.evidence,
                    Evidence::LrTooLow {
                        still_improving: true,
                        ..
                    }
                ),
                "seed {seed}: {d}"
            );
            let text = d.to_string();
            assert!(
                !text.contains("flat") && !text.contains("Nothing is wrong"),
                "seed {seed}: {d}"
            );
        }
    }
    // Seeds 0, 1, 2 and 4 end without a plateau: the check above is not vacuous.
    assert!(unsettled >= 3, "{unsettled} seeds without a plateau");
}

#[test]
fn a_too_high_learning_rate_beyond_the_presets() {
    let cases = [
        (
            "RMSprop lr 0.1",
            with(|c| {
                c.optimizer = RmsProp;
                c.learning_rate = 0.1;
            }),
        ),
        (
            "tanh, Adam lr 0.1",
            with(|c| {
                c.activation = Tanh;
                c.learning_rate = 0.1;
            }),
        ),
        ("Adam lr 1.0", with(|c| c.learning_rate = 1.0)),
        (
            "Adam lr 0.3, 400 samples, 64 units",
            with(|c| {
                c.learning_rate = 0.3;
                c.samples = 400;
                c.hidden = vec![64];
            }),
        ),
    ];
    for (name, config) in cases {
        check(name, &config, 3, 3, &[CauseId::LrTooHigh]);
    }
}

#[test]
fn overfitting_beyond_the_presets() {
    let cases = [
        (
            "60 samples, 256 units",
            with(|c| {
                c.samples = 60;
                c.hidden = vec![256];
            }),
        ),
        (
            "150 samples, 50 features (4 informative), 64 units",
            with(|c| {
                c.samples = 150;
                c.features = 50;
                c.informative = 4;
                c.hidden = vec![64];
            }),
        ),
        (
            "SGD lr 0.1, 100 samples, 128→64",
            with(|c| {
                c.samples = 100;
                c.hidden = vec![128, 64];
                c.optimizer = Sgd;
                c.learning_rate = 0.1;
            }),
        ),
    ];
    for (name, config) in cases {
        check(name, &config, 3, 3, &[CauseId::Overfitting]);
    }
}

#[test]
fn underfitting_with_too_little_capacity_for_many_samples() {
    let cases = [
        (
            "1 hidden unit, 2000 samples",
            with(|c| {
                c.samples = 2000;
                c.hidden = vec![1];
            }),
        ),
        (
            "logistic regression, 2000 samples",
            with(|c| {
                c.samples = 2000;
                c.hidden = vec![];
            }),
        ),
        (
            "tanh, 2 units, 1000 samples",
            with(|c| {
                c.samples = 1000;
                c.hidden = vec![2];
                c.activation = Tanh;
            }),
        ),
    ];
    for (name, config) in cases {
        check(name, &config, 3, 3, &[CauseId::Underfitting]);
    }
}

#[test]
fn unscaled_features_beyond_the_presets() {
    let unscaled = |change: &dyn Fn(&mut Config)| {
        with(|c| {
            c.distort = true;
            c.standardize = false;
            change(c);
        })
    };
    let cases = [
        ("distortion ×10,000", unscaled(&|c| c.distortion = 10_000.0)),
        (
            "SGD lr 0.01",
            unscaled(&|c| {
                c.optimizer = Sgd;
                c.learning_rate = 0.01;
            }),
        ),
        (
            "tanh, 400 samples",
            unscaled(&|c| {
                c.activation = Tanh;
                c.samples = 400;
            }),
        ),
    ];
    for (name, config) in cases {
        check(name, &config, 3, 3, &[CauseId::UnscaledFeatures]);
    }
    // Raw make_classification features are within a factor of ~5 of each other: no cause.
    let raw = with(|c| c.standardize = false);
    let d = diagnose_config(&raw);
    assert!(
        d.causes.iter().all(|c| c.id != CauseId::UnscaledFeatures),
        "{d}"
    );
}

#[test]
fn plenty_of_data_and_a_right_sized_model_converge() {
    let config = with(|c| c.samples = 600);
    check(
        "600 samples, 32 units",
        &config,
        3,
        3,
        &[CauseId::Converged],
    );
}

#[test]
fn a_diverged_run_reads_its_finite_epochs() {
    // SGD at lr 1 on unscaled features blows up in its second or third epoch.
    let config = with(|c| {
        c.distort = true;
        c.standardize = false;
        c.optimizer = Sgd;
        c.learning_rate = 1.0;
    });
    let d = diagnose_config(&config);
    assert!(matches!(d.status, Status::Diverged { .. }), "{d}");
    assert_eq!(d.top().unwrap().id, CauseId::UnscaledFeatures, "{d}");
    let lr = d
        .causes
        .iter()
        .find(|c| c.id == CauseId::LrTooHigh)
        .unwrap();
    assert_eq!(lr.confidence, 1.0);
    let Evidence::LrTooHigh { diverged_epoch, .. } = lr.evidence else {
        panic!("{d}")
    };
    assert_eq!(Some(d.epochs + 1), diverged_epoch);
    assert!(serde_json::to_string(&d).is_ok());
    assert!(d.to_string().contains("diverged"), "{d}");
}

#[test]
fn one_epoch_is_too_few_to_read_the_curves() {
    let config = with(|c| c.epochs = 1);
    let d = diagnose_config(&config);
    assert_eq!(
        (d.epochs, d.plateau_epoch(), d.best_epoch()),
        (1, None, Some(1))
    );
    assert!(d.causes.iter().all(|c| !c.is_present()), "{d}");
    assert!(d.to_string().contains("too few"), "{d}");
}

#[test]
fn constant_features_do_not_count_as_unscaled() {
    let config = Config::default();
    let mut prepared = config.prepare().unwrap();
    // Feature 3 made constant, as a dataset with a dead column would have it.
    for samples in [&mut prepared.train, &mut prepared.val] {
        for row in samples.x.chunks_mut(config.features) {
            row[3] = 0.0;
        }
    }
    prepared.feature_std[3] = 0.0;
    let mut run = Run::new(
        config.train_spec(),
        prepared.train.clone(),
        prepared.val.clone(),
    )
    .unwrap();
    let status = run.finish();
    let d = diagnose(&config, &prepared, run.history(), status);
    assert!(
        d.causes.iter().all(|c| c.id != CauseId::UnscaledFeatures),
        "{d}"
    );
    assert!(d
        .top()
        .is_some_and(|c| !c.id.is_setup() || c.id == CauseId::Overfitting));
}

#[test]
fn ten_samples_leave_two_validation_rows_and_noise_first() {
    let config = with(|c| c.samples = 10);
    let d = diagnose_config(&config);
    let top = d.top().unwrap();
    assert_eq!(top.id, CauseId::NoisyValidation, "{d}");
    assert_eq!(top.confidence, 1.0);
    assert!(d.to_string().contains("50.0 points"), "{d}");
}

#[test]
fn experiments_step_incrementally_and_report_what_each_fix_did() {
    let config = Config {
        epochs: 30,
        ..Config::preset("lr-low").unwrap()
    };
    let fixes = [
        (
            CauseId::LrTooLow,
            vec![("lr".to_string(), "0.001".to_string())],
        ),
        (
            CauseId::Overfitting,
            vec![("l2".to_string(), "0.01".to_string())],
        ),
    ];
    let data = std::rc::Rc::new(config.prepare().unwrap());
    let mut ex = Experiments::new(&config, &fixes, 0, 2, |_| Ok(data.clone())).unwrap();
    // The unchanged runs, two fixes and the placebo, two seeds each.
    assert_eq!(ex.progress(), (0, 4 * 2 * 30));
    assert!(ex.report().iter().all(|e| e.seeds == 0 && !e.complete));
    // The first fix's evidence comes first: its two pairs (4 runs) before the second fix.
    while ex.report()[0].seeds < 2 {
        assert!(ex.step_batch().unwrap());
    }
    let partial = ex.report();
    assert!(partial[0].complete && partial[1].seeds == 0, "{partial:?}");
    assert_eq!(ex.progress().0, 4 * 30);
    while ex.step_batch().unwrap() {}
    let report = ex.report();
    assert!(ex.is_done() && !ex.step_batch().unwrap());
    assert_eq!(report.len(), 3);
    assert_eq!(report[2].cause, CauseId::Placebo);
    assert!(report.iter().all(|e| e.complete && e.seeds == 2));
    assert!(
        report[0].description.contains("raising the learning rate"),
        "{}",
        report[0].description
    );
    // Same seeds: the unchanged runs are the plain config's runs.
    let plain = diagnose_config(&config);
    let final_acc = |h: &[f64]| h[h.len() - 5..].iter().sum::<f64>() / 5.0;
    let (mut run, _) = config.start().unwrap();
    run.finish();
    assert_eq!(plain.epochs, 30);
    let seed0 = final_acc(&run.history().val_accuracy);
    let seed1 = {
        let (mut r, _) = Config {
            seed: 1,
            ..config.clone()
        }
        .start()
        .unwrap();
        r.finish();
        final_acc(&r.history().val_accuracy)
    };
    assert!((report[0].base_val_accuracy - (seed0 + seed1) / 2.0).abs() < 1e-12);
}

/// Every fix on the three cheap presets whose effect is certain, with the same 3 seeds.
#[test]
fn experiments_on_the_presets() {
    for name in ["unscaled", "lr-high", "lr-low"] {
        let config = Config::preset(name).unwrap();
        let d = diagnose_config(&config)
            .with_experiments(&config, 3)
            .unwrap();
        eprintln!("{name}:\n{d}");
        // From 3 seeds, more while the answer is unsettled.
        assert!(d.experiments.iter().all(|e| e.complete && e.seeds >= 3));
        let verdict = |id: CauseId| d.experiment_for(id).expect("tested").verdict;
        match name {
            // Raising lr 10× lets the slow run converge: clearly better.
            "lr-low" => assert_eq!(verdict(CauseId::LrTooLow), Verdict::Helps, "{d}"),
            // Lowering lr stops the memorisation: the loss falls.
            "lr-high" => assert_eq!(verdict(CauseId::LrTooHigh), Verdict::Helps, "{d}"),
            _ => assert_eq!(verdict(CauseId::UnscaledFeatures), Verdict::Helps, "{d}"),
        }
        let answer = d.answers()[0];
        assert_eq!(
            d.experiment_for(answer).unwrap().verdict,
            Verdict::Helps,
            "{d}"
        );
        assert!(d.to_string().contains("Answer, by experiment"), "{d}");
    }
}

//! Training histories against the real Keras (fixtures from tests/fixtures/gen_keras.py):
//! same data, same initial weights, `shuffle=False`, so every history number must agree to
//! float32 round-off. Plus the run-level behaviours: divergence, early stopping, dropout,
//! seeding.

use plateau::nn::{Activation, LayerWeights, Optimizer};
use plateau::train::{EarlyStopping, History, Monitor, Run, Samples, Status, TrainSpec};
use serde::Deserialize;
use std::path::PathBuf;

/// Relative tolerance on every history number.
const RTOL: f64 = 1e-5;
/// Floor on the denominator, only so that a value of exactly 0 cannot divide by zero:
/// |ours - keras| <= RTOL * max(|keras|, ABS_FLOOR). The smallest fixture value (a training
/// loss of 1.7e-4 with Adam lr 0.1) is far above it, so every comparison is purely relative.
const ABS_FLOOR: f64 = 1e-6;

#[derive(Deserialize)]
struct Data {
    features: usize,
    x_train: Vec<f32>,
    y_train: Vec<f32>,
    x_val: Vec<f32>,
    y_val: Vec<f32>,
}

#[derive(Deserialize)]
struct Config {
    hidden: Vec<usize>,
    activation: Activation,
    optimizer: Optimizer,
    epochs: usize,
    batch_size: usize,
    l2: f32,
    /// Absent for the sigmoid cases.
    #[serde(default = "two")]
    classes: usize,
}

fn two() -> usize {
    2
}

#[derive(Deserialize)]
struct Case {
    data: String,
    train_rows: usize,
    config: Config,
    weights: Vec<LayerWeights>,
    history: History,
}

const CASES: &[&str] = &[
    "adam",
    "adam_partial_batch",
    "batch_50",
    "adam_lr_0.1",
    "adam_lr_0.0001",
    "sgd",
    "sgd_momentum",
    "sgd_nesterov",
    "rmsprop",
    "rmsprop_momentum",
    "two_hidden",
    "tanh",
    "sigmoid",
    "linear",
    "l2",
    "unscaled",
    // 100 epochs of L2 with Adam on 1000 rows: the engine flushes subnormals from about
    // epoch 66, as TensorFlow does.
    "l2_subnormal",
    // 100 epochs of RMSprop 0.003 + tanh + 16,16, long past fitting the training rows (from
    // gen_keras_long.py): no drift appears once the loss is tiny.
    "long_rmsprop-tanh_0",
    // A softmax output with sparse categorical cross-entropy, on make_classification's 3 and
    // 4 classes: Adam + relu; SGD + tanh + L2; RMSprop, two hidden layers and a partial batch;
    // unscaled inputs, whose first mean loss (28.5) is above the -ln(1e-7) = 16.1 a 1e-7 clip
    // would cap every row at: Keras's fit computes it from the logits.
    "softmax3_adam",
    "softmax4_sgd_tanh_l2",
    "softmax3_rmsprop_two_hidden_partial",
    "softmax4_unscaled",
];

fn fixture<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", "keras"]
        .iter()
        .collect::<PathBuf>()
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn samples(data: &Data, rows: Option<usize>) -> (Samples, Samples) {
    let n = rows.unwrap_or(data.y_train.len());
    let train = Samples {
        x: data.x_train[..n * data.features].to_vec(),
        y: data.y_train[..n].to_vec(),
        features: data.features,
    };
    let val = Samples {
        x: data.x_val.clone(),
        y: data.y_val.clone(),
        features: data.features,
    };
    (train, val)
}

fn spec_of(c: &Config) -> TrainSpec {
    TrainSpec {
        hidden: c.hidden.clone(),
        activation: c.activation,
        optimizer: c.optimizer,
        epochs: c.epochs,
        batch_size: c.batch_size,
        shuffle: false,
        l2: c.l2,
        dropout: 0.0,
        early_stopping: None,
        seed: 0,
        classes: c.classes,
    }
}

/// Largest relative error over the four series, with the floor `floor` (see ABS_FLOOR).
fn max_rel_error(ours: &History, keras: &History, floor: f64) -> f64 {
    let pairs = [
        (&ours.loss, &keras.loss),
        (&ours.accuracy, &keras.accuracy),
        (&ours.val_loss, &keras.val_loss),
        (&ours.val_accuracy, &keras.val_accuracy),
    ];
    let mut worst = 0.0f64;
    for (a, b) in pairs {
        assert_eq!(a.len(), b.len(), "epoch count");
        for (&x, &y) in a.iter().zip(b) {
            worst = worst.max((x - y).abs() / y.abs().max(floor));
        }
    }
    worst
}

#[test]
fn histories_match_keras() {
    let mut failures = vec![];
    for &name in CASES {
        let case: Case = fixture(name);
        let data: Data = fixture(&format!("data_{}", case.data));
        let (train, val) = samples(&data, Some(case.train_rows));
        let mut run = Run::with_weights(spec_of(&case.config), train, val, case.weights)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(run.finish(), Status::Finished, "{name}");
        let err = max_rel_error(run.history(), &case.history, ABS_FLOOR);
        let pure = max_rel_error(run.history(), &case.history, 0.0);
        println!("{name:20} max relative error {err:.2e} (without the floor {pure:.2e})");
        if err > RTOL {
            failures.push(format!("{name}: {err:.2e}"));
        }
    }
    assert!(failures.is_empty(), "beyond {RTOL}: {failures:?}");
}

fn scaled_run(spec: TrainSpec) -> Run {
    let data: Data = fixture("data_scaled");
    let (train, val) = samples(&data, None);
    Run::new(spec, train, val).unwrap()
}

fn base_spec() -> TrainSpec {
    TrainSpec {
        hidden: vec![32],
        activation: Activation::Relu,
        optimizer: Optimizer::adam(0.001),
        epochs: 15,
        batch_size: 32,
        shuffle: true,
        l2: 0.0,
        dropout: 0.0,
        early_stopping: None,
        seed: 1,
        classes: 2,
    }
}

#[test]
fn huge_learning_rate_diverges_without_panic() {
    let mut spec = base_spec();
    spec.optimizer = Optimizer::sgd(1e30);
    spec.hidden = vec![64, 64];
    let mut run = scaled_run(spec);
    let status = run.finish();
    let Status::Diverged { epoch } = status else {
        panic!("expected divergence, got {status:?}");
    };
    let h = run.history();
    assert_eq!(
        h.epochs(),
        epoch - 1,
        "history keeps the finite epochs only"
    );
    for series in [&h.loss, &h.accuracy, &h.val_loss, &h.val_accuracy] {
        assert!(series.iter().all(|v| v.is_finite()));
    }
    // Stepping a diverged run is a no-op.
    assert_eq!(run.step_batch(), status);
    assert_eq!(run.step_epoch(), status);
}

#[test]
fn early_stopping_stops_and_restores_best_weights() {
    let mut spec = base_spec();
    spec.optimizer = Optimizer::adam(0.05); // overfits fast, so val_loss turns up early
    spec.epochs = 200;
    spec.early_stopping = Some(EarlyStopping {
        monitor: Monitor::ValLoss,
        min_delta: 0.0,
        patience: 3,
        restore_best_weights: true,
    });
    let mut run = scaled_run(spec.clone());
    let status = run.finish();
    let Status::EarlyStopped { epoch } = status else {
        panic!("expected an early stop, got {status:?}");
    };
    let h = run.history().clone();
    assert_eq!(h.epochs(), epoch);
    let best = (0..h.epochs())
        .min_by(|&a, &b| h.val_loss[a].total_cmp(&h.val_loss[b]))
        .unwrap();
    // Keras semantics: stop once `patience` epochs in a row failed to improve on the best.
    assert_eq!(
        epoch,
        best + 1 + 3,
        "stopped patience epochs after the best"
    );

    // The restored weights are those at the end of the best epoch: a fresh run to that
    // epoch ends with the same weights.
    spec.early_stopping = None;
    spec.epochs = best + 1;
    let mut replay = scaled_run(spec);
    replay.finish();
    assert_eq!(run.weights(), replay.weights());
}

#[test]
fn early_stopping_on_accuracy_maximises() {
    let mut spec = base_spec();
    spec.epochs = 300;
    spec.optimizer = Optimizer::adam(0.01);
    spec.early_stopping = Some(EarlyStopping {
        monitor: Monitor::Accuracy,
        min_delta: 0.0,
        patience: 5,
        restore_best_weights: false,
    });
    let mut run = scaled_run(spec);
    let status = run.finish();
    let Status::EarlyStopped { epoch } = status else {
        panic!("training accuracy reaches 1.0 and stops improving; got {status:?}");
    };
    let acc = &run.history().accuracy;
    let best = acc[..epoch - 5].iter().cloned().fold(f64::MIN, f64::max);
    assert!(acc[epoch - 5..].iter().all(|&a| a <= best));
}

#[test]
fn dropout_zero_equals_no_dropout_and_dropout_changes_training() {
    let spec = base_spec();
    let mut plain = scaled_run(spec.clone());
    plain.finish();
    let mut zero = scaled_run(TrainSpec {
        dropout: 0.0,
        ..spec.clone()
    });
    zero.finish();
    assert_eq!(plain.history(), zero.history());
    let mut dropped = scaled_run(TrainSpec {
        dropout: 0.3,
        ..spec
    });
    dropped.finish();
    assert_ne!(plain.history().loss, dropped.history().loss);
    assert!(dropped.history().loss.iter().all(|v| v.is_finite()));
}

#[test]
fn same_seed_same_history_different_seed_different_history() {
    let spec = TrainSpec {
        dropout: 0.2,
        l2: 0.001,
        ..base_spec()
    };
    let history = |seed| {
        let mut run = scaled_run(TrainSpec {
            seed,
            ..spec.clone()
        });
        run.finish();
        run.history().clone()
    };
    assert_eq!(history(7), history(7));
    assert_ne!(history(7).loss, history(8).loss);
}

#[test]
fn batch_and_epoch_steps_agree() {
    let spec = TrainSpec {
        epochs: 3,
        ..base_spec()
    };
    let mut by_batch = scaled_run(spec.clone());
    assert_eq!(by_batch.batches_per_epoch(), 5);
    // 160 training rows in 5 batches, then 40 validation rows in 2 chunks of 32.
    assert_eq!(by_batch.steps_per_epoch(), 7);
    let mut steps = 0;
    while by_batch.step_batch() == Status::Training {
        steps += 1;
    }
    assert_eq!(steps + 1, 3 * 7);
    let mut by_epoch = scaled_run(spec);
    assert_eq!(by_epoch.step_epoch(), Status::Training);
    assert_eq!(by_epoch.epoch(), 1);
    assert_eq!(by_epoch.finish(), Status::Finished);
    assert_eq!(by_batch.history(), by_epoch.history());
    assert_eq!(by_batch.epoch(), 3);
}

#[test]
fn invalid_requests_name_the_field() {
    let data: Data = fixture("data_scaled");
    let (train, val) = samples(&data, None);
    let attempt = |spec: TrainSpec, train: Samples, val: Samples| {
        Run::new(spec, train, val).err().map(|e| e.field)
    };
    let ok = base_spec();
    let t = || train.clone();
    let v = || val.clone();
    assert_eq!(attempt(ok.clone(), t(), v()), None);
    let empty = Samples {
        x: vec![],
        y: vec![],
        features: 20,
    };
    assert_eq!(attempt(ok.clone(), empty.clone(), v()), Some("train"));
    assert_eq!(attempt(ok.clone(), t(), empty), Some("val"));
    let narrow = Samples {
        x: val.x[..40 * 19].to_vec(),
        y: val.y.clone(),
        features: 19,
    };
    assert_eq!(attempt(ok.clone(), t(), narrow), Some("val.features"));
    let mut bad_y = t();
    bad_y.y[3] = 2.0;
    assert_eq!(attempt(ok.clone(), bad_y, v()), Some("train.y"));
    let classes = |k| TrainSpec {
        classes: k,
        ..ok.clone()
    };
    assert_eq!(attempt(classes(1), t(), v()), Some("classes"));
    // The binary labels are valid class indices of 3 classes; 2.5 and 3 are not.
    assert_eq!(attempt(classes(3), t(), v()), None);
    for bad in [2.5, 3.0, -1.0] {
        let mut bad_y = t();
        bad_y.y[7] = bad;
        let err = Run::new(classes(3), bad_y, v()).err().unwrap();
        assert_eq!(err.field, "train.y");
        assert!(err.message.contains("0..=2"), "{}", err.message);
    }
    let mut bad_x = t();
    bad_x.x[5] = f32::NAN;
    assert_eq!(attempt(ok.clone(), bad_x, v()), Some("train.x"));
    let cases: Vec<(TrainSpec, &str)> = vec![
        (
            TrainSpec {
                batch_size: 0,
                ..ok.clone()
            },
            "batch_size",
        ),
        (
            TrainSpec {
                epochs: 0,
                ..ok.clone()
            },
            "epochs",
        ),
        (
            TrainSpec {
                hidden: vec![8, 0],
                ..ok.clone()
            },
            "hidden",
        ),
        (
            TrainSpec {
                dropout: 1.0,
                ..ok.clone()
            },
            "dropout",
        ),
        (
            TrainSpec {
                dropout: -0.1,
                ..ok.clone()
            },
            "dropout",
        ),
        (
            TrainSpec {
                l2: -1.0,
                ..ok.clone()
            },
            "l2",
        ),
        (
            TrainSpec {
                optimizer: Optimizer::adam(0.0),
                ..ok.clone()
            },
            "optimizer.learning_rate",
        ),
        (
            TrainSpec {
                optimizer: Optimizer::sgd(f32::INFINITY),
                ..ok.clone()
            },
            "optimizer.learning_rate",
        ),
        (
            TrainSpec {
                optimizer: Optimizer::Sgd {
                    learning_rate: 0.1,
                    momentum: 1.5,
                    nesterov: false,
                },
                ..ok.clone()
            },
            "optimizer.momentum",
        ),
    ];
    for (spec, field) in cases {
        assert_eq!(attempt(spec, t(), v()), Some(field));
    }
    // Weight shapes.
    let wrong = vec![LayerWeights {
        kernel: vec![0.0; 20],
        bias: vec![0.0],
    }];
    let err = Run::with_weights(ok.clone(), t(), v(), wrong)
        .err()
        .unwrap();
    assert_eq!(err.field, "weights");
    assert!(err.to_string().starts_with("weights: "));
    let wrong = vec![
        LayerWeights {
            kernel: vec![0.0; 20 * 31],
            bias: vec![0.0; 31],
        },
        LayerWeights {
            kernel: vec![0.0; 31],
            bias: vec![0.0],
        },
    ];
    let err = Run::with_weights(ok, t(), v(), wrong).err().unwrap();
    assert!(err.message.contains("20×32"), "{}", err.message);
}

//! A validation confusion matrix: how many validation rows of each class the network predicts
//! as each class, by the rule its accuracy counts with, so that the diagonal over the total is
//! the history's `val_accuracy` exactly.

use super::{Samples, TrainSpec};
use crate::nn::Network;
use serde::{Deserialize, Serialize};

/// `counts[true class][predicted class]` over a run's validation rows, with each class's name
/// in `classes` (strings: a file's labels, or the indices `"0"`, `"1"`, … as
/// [`Run::confusion`](super::Run::confusion) gives them, until [`Confusion::named`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    pub classes: Vec<String>,
    pub counts: Vec<Vec<u32>>,
}

impl Confusion {
    /// The same counts under the given class names; `names` must have one per class, else the
    /// indices stay (a mismatch is a caller's bug, not worth a wrong label).
    pub fn named(mut self, names: Vec<String>) -> Confusion {
        debug_assert_eq!(names.len(), self.counts.len(), "one name per class");
        if names.len() == self.counts.len() {
            self.classes = names;
        }
        self
    }

    /// Validation rows counted.
    pub fn total(&self) -> u32 {
        self.counts.iter().flatten().sum()
    }

    /// Rows predicted as their own class: the diagonal.
    pub fn correct(&self) -> u32 {
        self.counts.iter().enumerate().map(|(i, row)| row[i]).sum()
    }

    /// `correct / total`, divided as the history's `val_accuracy` is.
    pub fn accuracy(&self) -> f64 {
        self.correct() as f64 / self.total() as f64
    }
}

/// The matrix of `net`'s weights over `val`, forward in chunks of `batch_size` rows as the
/// epoch's validation runs them (the same rows through the same arithmetic), on a network of
/// its own so that the run's buffers are left as they are.
pub(super) fn tally(net: &Network, spec: &TrainSpec, val: &Samples) -> Confusion {
    let classes = spec.classes.max(2);
    let n = val.len();
    let chunk = spec.batch_size.clamp(1, n.max(1));
    let mut probe = Network::new(
        net.layout().clone(),
        spec.activation,
        0.0,
        0.0,
        net.params().to_vec(),
        chunk,
    );
    let mut counts = vec![vec![0u32; classes]; classes];
    let mut start = 0;
    while start < n {
        let end = (start + chunk).min(n);
        probe.load_range(&val.x, &val.y, start..end);
        probe.forward(None);
        probe.count_predictions(&mut counts);
        start = end;
    }
    Confusion {
        classes: (0..classes).map(|c| c.to_string()).collect(),
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{Activation, Optimizer};
    use crate::rng::RandomState;
    use crate::train::{EarlyStopping, Monitor, Run, Status};

    /// Rows whose class is a noisy function of the features, so a network learns part of it.
    fn samples(rng: &mut RandomState, rows: usize, features: usize, classes: usize) -> Samples {
        let x: Vec<f32> = (0..rows * features)
            .map(|_| rng.uniform(-2.0, 2.0) as f32)
            .collect();
        let y = (0..rows)
            .map(|r| {
                let s = x[r * features] + 0.5 * x[r * features + 1] + rng.uniform(-1.0, 1.0) as f32;
                ((s + 3.0) / 6.0 * classes as f32).clamp(0.0, classes as f32 - 1.0) as usize as f32
            })
            .collect();
        Samples { x, y, features }
    }

    fn spec(classes: usize, activation: Activation, batch_size: usize) -> TrainSpec {
        TrainSpec {
            hidden: vec![6, 4],
            activation,
            optimizer: Optimizer::adam(0.02),
            epochs: 6,
            batch_size,
            shuffle: true,
            l2: 0.001,
            dropout: 0.1,
            early_stopping: None,
            seed: 5,
            classes,
        }
    }

    fn class_counts(val: &Samples, classes: usize) -> Vec<u32> {
        let mut counts = vec![0; classes];
        for &y in &val.y {
            counts[y as usize] += 1;
        }
        counts
    }

    /// Without a restore the matrix is the last epoch's network: its diagonal over its total is
    /// the last `val_accuracy` bit for bit, and each row holds its class's validation rows. A
    /// batch size that does not divide the rows leaves a short last chunk.
    #[test]
    fn the_diagonal_is_the_last_val_accuracy_and_rows_are_the_classes() {
        let mut rng = RandomState::new(11);
        for (classes, activation, batch_size) in [
            (2, Activation::Relu, 7),
            (2, Activation::Tanh, 64),
            (3, Activation::Relu, 7),
            (5, Activation::Sigmoid, 16),
        ] {
            let (train, val) = (
                samples(&mut rng, 120, 4, classes),
                samples(&mut rng, 45, 4, classes),
            );
            let mut run =
                Run::new(spec(classes, activation, batch_size), train, val.clone()).unwrap();
            run.finish();
            let m = run.confusion();
            let h = run.history();
            assert_eq!(
                m.accuracy().to_bits(),
                h.val_accuracy.last().unwrap().to_bits(),
                "{classes} classes, {activation:?}: {m:?}"
            );
            assert_eq!(m.total() as usize, val.len());
            let rows: Vec<u32> = m.counts.iter().map(|r| r.iter().sum()).collect();
            assert_eq!(rows, class_counts(&val, classes), "{classes} classes");
            assert_eq!(
                m.classes,
                (0..classes).map(|c| c.to_string()).collect::<Vec<_>>()
            );
            // Something was learned and something was missed: the matrix is not one column.
            assert!(m.correct() > 0 && m.correct() < m.total(), "{m:?}");
        }
    }

    /// With `restore_best_weights` the run ends with its best epoch's network, so the matrix
    /// is that network's: the matrix of the same run planned to end at the restored epoch,
    /// whose accuracy is that epoch's `val_accuracy`; not the matrix of the last epoch's.
    #[test]
    fn after_a_restore_the_matrix_is_the_best_epochs_network() {
        let mut rng = RandomState::new(4);
        let (train, val) = (samples(&mut rng, 40, 4, 3), samples(&mut rng, 60, 4, 3));
        let mut spec = spec(3, Activation::Relu, 8);
        spec.hidden = vec![32, 32];
        spec.epochs = 200;
        spec.dropout = 0.0;
        spec.l2 = 0.0;
        let plain = spec.clone();
        let planned = |epochs: usize| {
            let mut run = Run::new(
                TrainSpec {
                    epochs,
                    ..plain.clone()
                },
                train.clone(),
                val.clone(),
            )
            .unwrap();
            run.finish();
            run.confusion()
        };
        spec.early_stopping = Some(EarlyStopping {
            monitor: Monitor::ValLoss,
            min_delta: 0.0,
            patience: 3,
            restore_best_weights: true,
        });
        let mut run = Run::new(spec, train.clone(), val.clone()).unwrap();
        let status = run.finish();
        let Status::EarlyStopped { epoch } = status else {
            panic!("expected an early stop, got {status:?}");
        };
        let restored = status.restored_epoch(3).unwrap();
        let m = run.confusion();
        assert_eq!(m.accuracy(), run.history().val_accuracy[restored - 1]);
        assert_eq!(m, planned(restored), "restored at {restored}");
        assert_ne!(m, planned(epoch), "stopped at {epoch}");
    }

    /// Epoch by epoch, the recorded matrix is the one the same run stopped after that epoch
    /// ends with, with and without `restore_best_weights` (a patience long enough that the
    /// best and the last part ways).
    #[test]
    fn each_epochs_recorded_matrix_is_that_of_the_run_stopped_there() {
        let mut rng = RandomState::new(9);
        let (train, val) = (samples(&mut rng, 60, 4, 3), samples(&mut rng, 40, 4, 3));
        let mut recorded = Vec::new();
        for restore in [false, true] {
            let mut spec = spec(3, Activation::Relu, 8);
            spec.epochs = 12;
            spec.early_stopping = Some(EarlyStopping {
                monitor: Monitor::ValLoss,
                min_delta: 0.0,
                patience: 50,
                restore_best_weights: restore,
            });
            let mut recording = Run::new(spec.clone(), train.clone(), val.clone())
                .unwrap()
                .with_instruments();
            recording.finish();
            let by_epoch = recording.confusions_by_epoch();
            assert_eq!(by_epoch.len(), 12);
            assert_eq!(by_epoch.last(), Some(&recording.confusion()));
            for epochs in 1..=12 {
                let mut stopped = Run::new(spec.clone(), train.clone(), val.clone()).unwrap();
                while stopped.epoch() < epochs {
                    stopped.step_epoch();
                }
                stopped.stop_at(epochs);
                assert_eq!(
                    by_epoch[epochs - 1],
                    stopped.confusion(),
                    "restore {restore}, stopped after {epochs}"
                );
            }
            recorded.push(by_epoch.to_vec());
        }
        assert_ne!(
            recorded[0], recorded[1],
            "the best and the last never parted"
        );
    }

    #[test]
    fn names_replace_the_indices_when_there_is_one_per_class() {
        let m = Confusion {
            classes: vec!["0".into(), "1".into()],
            counts: vec![vec![3, 1], vec![2, 4]],
        };
        assert_eq!((m.total(), m.correct()), (10, 7));
        let named = m.named(vec!["cat".into(), "dog".into()]);
        assert_eq!(named.classes, ["cat", "dog"]);
        assert_eq!(named.counts, vec![vec![3, 1], vec![2, 4]]);
    }
}

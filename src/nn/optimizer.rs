//! An optimizer with its slots (Keras's "momentums"/"velocities"), updating a network's flat
//! parameter vector in place. Every Keras update is elementwise, so one pass over the flat
//! vector is exactly Keras's per-variable update.

use super::{adam, rmsprop, sgd, Optimizer};

#[derive(Clone, Debug)]
pub struct OptimizerState {
    optimizer: Optimizer,
    /// Updates applied so far (Keras `optimizer.iterations`).
    iterations: u64,
    /// Adam `m`, SGD momentum, RMSprop velocity.
    slot_a: Vec<f32>,
    /// Adam `v`, RMSprop momentum.
    slot_b: Vec<f32>,
    /// `1 - beta_1`, `1 - beta_2` (Adam) or `1 - rho` (RMSprop), as Keras computes them.
    one_minus: [f32; 2],
}

/// `1 - h` the way Keras computes it: hyperparameters are Python floats there, so `1 - 0.999`
/// is evaluated in f64 and only the result is rounded to f32 (0.001). Ours are f32, and
/// `1 - 0.999f32` is 0.00099998713, a 1.3e-5 relative error in every Adam `v` update that
/// shifts the whole training curve measurably. The shortest decimal that round-trips the f32
/// is the number the user wrote, so we subtract from that instead.
fn keras_one_minus(h: f32) -> f32 {
    let typed: f64 = h.to_string().parse().unwrap_or(h as f64);
    (1.0 - typed) as f32
}

impl OptimizerState {
    /// Zeroed slots for `params` parameters, allocated once.
    pub fn new(optimizer: Optimizer, params: usize) -> Self {
        OptimizerState {
            optimizer,
            iterations: 0,
            slot_a: vec![0.0; params],
            slot_b: vec![0.0; params],
            one_minus: match optimizer {
                Optimizer::Adam { beta_1, beta_2, .. } => {
                    [keras_one_minus(beta_1), keras_one_minus(beta_2)]
                }
                Optimizer::RmsProp { rho, .. } => [keras_one_minus(rho), 0.0],
                Optimizer::Sgd { .. } => [0.0, 0.0],
            },
        }
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// The rate of the steps from now on (the learning-rate finder raises it step by step);
    /// the slots carry on.
    pub fn set_learning_rate(&mut self, rate: f32) {
        match &mut self.optimizer {
            Optimizer::Adam { learning_rate, .. }
            | Optimizer::Sgd { learning_rate, .. }
            | Optimizer::RmsProp { learning_rate, .. } => *learning_rate = rate,
        }
    }

    /// One step: `params` moves against `grads`.
    pub fn update(&mut self, params: &mut [f32], grads: &[f32]) {
        self.iterations += 1;
        let (a, b) = (&mut self.slot_a[..], &mut self.slot_b[..]);
        match self.optimizer {
            Optimizer::Adam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
            } => adam::update(
                self.iterations,
                learning_rate,
                [beta_1, beta_2],
                self.one_minus,
                epsilon,
                params,
                grads,
                a,
                b,
            ),
            Optimizer::Sgd {
                learning_rate,
                momentum,
                nesterov,
            } => sgd::update(learning_rate, momentum, nesterov, params, grads, a),
            Optimizer::RmsProp {
                learning_rate,
                rho,
                momentum,
                epsilon,
            } => rmsprop::update(
                learning_rate,
                [rho, self.one_minus[0]],
                momentum,
                epsilon,
                params,
                grads,
                a,
                b,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first Adam step moves every weight by about `lr` against the gradient's sign.
    #[test]
    fn adam_first_step_is_lr_times_sign() {
        let mut s = OptimizerState::new(Optimizer::adam(0.01), 3);
        let mut w = [1.0f32, 1.0, 1.0];
        s.update(&mut w, &[0.5, -2.0, 1e-3]);
        assert!((w[0] - 0.99).abs() < 1e-6);
        assert!((w[1] - 1.01).abs() < 1e-6);
        assert!((w[2] - 0.99).abs() < 1e-4);
    }

    #[test]
    fn one_minus_matches_python() {
        assert_eq!(keras_one_minus(0.999), 0.001f32);
        assert_eq!(keras_one_minus(0.9), 0.1f32);
        assert_eq!(keras_one_minus(0.0), 1.0f32);
    }

    #[test]
    fn sgd_momentum_and_nesterov_follow_keras() {
        let opt = |nesterov| Optimizer::Sgd {
            learning_rate: 0.1,
            momentum: 0.9,
            nesterov,
        };
        let mut s = OptimizerState::new(opt(false), 1);
        let mut w = [0.0f32];
        s.update(&mut w, &[1.0]); // m = -0.1, w = -0.1
        s.update(&mut w, &[1.0]); // m = -0.19, w = -0.29
        assert!((w[0] + 0.29).abs() < 1e-6);
        let mut s = OptimizerState::new(opt(true), 1);
        let mut w = [0.0f32];
        s.update(&mut w, &[1.0]); // m = -0.1, w += -0.09 - 0.1
        assert!((w[0] + 0.19).abs() < 1e-6);
    }

    #[test]
    fn rmsprop_first_step() {
        let mut s = OptimizerState::new(Optimizer::rmsprop(0.001), 1);
        let mut w = [0.0f32];
        s.update(&mut w, &[2.0]); // v = 0.4, inc = 0.002/sqrt(0.4)
        assert!((w[0] + 0.002 / 0.4f32.sqrt()).abs() < 1e-7);
    }
}

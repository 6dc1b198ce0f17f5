//! The network: dense layers, activations, the loss, and the optimizers, in f32 like Keras.
//!
//! One file per concept: `matmul` (the f32 kernels; `matvec` for a single output unit), `activation`, `loss`, `init`,
//! `dropout`, `network` (the layer stack, forward and backward), `optimizer` with `adam`,
//! `sgd` and `rmsprop`. `train.rs` drives them with Keras `fit` semantics.

use serde::{Deserialize, Serialize};

mod activation;
mod adam;
mod dropout;
mod f32x4;
mod ftz;
mod init;
mod loss;
mod matmul;
mod matvec;
mod network;
mod optimizer;
mod rmsprop;
mod sgd;

pub use dropout::fill_mask as dropout_mask;
pub use f32x4::{multiply_add_loop, MULTIPLY_ADD_LOOP_FLOPS};
pub use init::glorot_uniform;
pub use loss::{binary_crossentropy_from_logit, predicts_positive, sigmoid};
#[cfg(test)]
pub(crate) use network::reference_loss;
pub use network::{Layout, Network};
pub use optimizer::OptimizerState;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    Relu,
    Tanh,
    Sigmoid,
    Linear,
}

/// Keras optimizers with Keras's formulas; `Optimizer::adam(lr)` etc. give Keras defaults.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "lowercase")]
pub enum Optimizer {
    Adam {
        learning_rate: f32,
        beta_1: f32,
        beta_2: f32,
        epsilon: f32,
    },
    Sgd {
        learning_rate: f32,
        momentum: f32,
        nesterov: bool,
    },
    #[serde(rename = "rmsprop")]
    RmsProp {
        learning_rate: f32,
        rho: f32,
        momentum: f32,
        epsilon: f32,
    },
}

impl Optimizer {
    pub fn adam(learning_rate: f32) -> Self {
        Optimizer::Adam {
            learning_rate,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
        }
    }
    pub fn sgd(learning_rate: f32) -> Self {
        Optimizer::Sgd {
            learning_rate,
            momentum: 0.0,
            nesterov: false,
        }
    }
    pub fn rmsprop(learning_rate: f32) -> Self {
        Optimizer::RmsProp {
            learning_rate,
            rho: 0.9,
            momentum: 0.0,
            epsilon: 1e-7,
        }
    }
    pub fn learning_rate(&self) -> f32 {
        match *self {
            Optimizer::Adam { learning_rate, .. }
            | Optimizer::Sgd { learning_rate, .. }
            | Optimizer::RmsProp { learning_rate, .. } => learning_rate,
        }
    }
}

/// One dense layer's parameters: `kernel` is `fan_in × fan_out`, row-major (Keras's layout).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerWeights {
    pub kernel: Vec<f32>,
    pub bias: Vec<f32>,
}

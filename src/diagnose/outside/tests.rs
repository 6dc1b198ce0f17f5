use super::*;
use crate::diagnose::CauseId;

/// Keras's article overfit picture: training loss falls to almost nothing while validation
/// loss, best at epoch 10, climbs back past where it started.
fn overfit(with_accuracy: bool) -> History {
    let n = 40;
    let loss: Vec<f64> = (0..n).map(|i| 0.7 * (-0.15 * i as f64).exp()).collect();
    let val_loss: Vec<f64> = (0..n)
        .map(|i| {
            let d = i as f64 - 9.0;
            0.45 + 0.0025 * d * d * if d < 0.0 { 1.0 } else { 0.5 }
        })
        .collect();
    let (accuracy, val_accuracy) = if with_accuracy {
        (
            (0..n).map(|i| (0.6 + 0.02 * i as f64).min(1.0)).collect(),
            (0..n).map(|i| (0.6 + 0.02 * i as f64).min(0.8)).collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    History {
        loss,
        accuracy,
        val_loss,
        val_accuracy,
    }
}

fn ids(d: &Diagnosis) -> Vec<CauseId> {
    d.causes.iter().map(|c| c.id).collect()
}

#[test]
fn a_rising_validation_loss_under_a_falling_training_loss_is_suspected_overfitting() {
    let d = diagnose_history(&overfit(true), Known::default());
    let top = d.top().expect("a cause");
    assert_eq!(top.id, CauseId::Overfitting, "{d}");
    assert!(top.is_present(), "{d}");
    assert!(top.fix.is_empty(), "no config to change");
    assert!(top
        .keras_fix
        .as_deref()
        .unwrap()
        .contains("kernel_regularizer=keras.regularizers.L2(0.01)"));
    assert!(
        top.explanation
            .contains("its noise unknown without the validation rows"),
        "{}",
        top.explanation
    );
    // From 0.45 at epoch 10 to above ln 2 by the end.
    assert!(
        top.explanation
            .contains("and rose to 1.43, worse than knowing nothing (0.69), while"),
        "{}",
        top.explanation
    );
    assert_eq!(d.plateau.counted_loss_epoch, Some(10));
    assert_eq!(d.status, Status::Finished);
    // The validation rows make the gap's noise known: 20 points on 40 rows is significant.
    let known = Known {
        classes: Some(2),
        val_samples: Some(40),
    };
    let with_rows = diagnose_history(&overfit(true), known);
    let c = with_rows.top().unwrap();
    assert_eq!(c.id, CauseId::Overfitting);
    assert!(
        c.confidence > top.confidence,
        "{} vs {}",
        c.confidence,
        top.confidence
    );
    assert!(
        ids(&with_rows).contains(&CauseId::NoisyValidation),
        "40 rows: 2.5 points a row"
    );
    // Without accuracy the loss curves alone still show it.
    let loss_only = diagnose_history(&overfit(false), Known::default());
    assert_eq!(loss_only.top().unwrap().id, CauseId::Overfitting);
    assert_eq!(loss_only.plateau.best_epoch, None);
    let text = loss_only.to_string();
    assert!(
        text.contains("best validation loss 0.450 at epoch 10"),
        "{text}"
    );
    assert!(!text.contains("accuracy"), "{text}");
    assert!(text.contains("the loss did not improve"), "{text}");
    assert!(text.contains("min_delta=0"), "{text}");
}

#[test]
fn a_first_loss_far_above_ln_k_points_to_unscaled_features() {
    let mut h = overfit(true);
    h.loss[0] = 4.0;
    let d = diagnose_history(&h, Known::default());
    let c = d.top().unwrap();
    assert_eq!(c.id, CauseId::UnscaledFeatures, "{d}");
    assert_eq!(c.confidence, 1.0);
    assert!(
        c.explanation.contains("read as two classes"),
        "{}",
        c.explanation
    );
    assert!(c.keras_fix.as_deref().unwrap().contains("StandardScaler"));
    // Ten classes start near ln 10 = 2.3: 4.0 is not far above it.
    let ten = Known {
        classes: Some(10),
        val_samples: None,
    };
    assert!(!ids(&diagnose_history(&h, ten)).contains(&CauseId::UnscaledFeatures));
}

#[test]
fn a_nan_is_a_divergence_at_its_epoch() {
    let h = History {
        loss: vec![0.7, 0.6, 0.5, 0.55, f64::NAN, f64::NAN],
        accuracy: vec![],
        val_loss: vec![0.7, 0.6, 0.5, 0.6, f64::NAN, f64::NAN],
        val_accuracy: vec![],
    };
    let d = diagnose_history(&h, Known::default());
    assert_eq!(d.status, Status::Diverged { epoch: 5 });
    assert_eq!(d.epochs, 4);
    let c = d.top().unwrap();
    assert_eq!((c.id, c.confidence), (CauseId::LrTooHigh, 1.0));
    assert!(
        c.explanation.contains("NaN or infinite from epoch 5"),
        "{}",
        c.explanation
    );
}

#[test]
fn a_steady_fall_is_a_rate_too_low_and_a_converged_run_has_no_cause() {
    let n = 30;
    let falling = History {
        loss: (0..n).map(|i| 0.7 - 0.01 * i as f64).collect(),
        accuracy: (0..n).map(|i| 0.5 + 0.005 * i as f64).collect(),
        val_loss: (0..n).map(|i| 0.7 - 0.009 * i as f64).collect(),
        val_accuracy: (0..n).map(|i| 0.5 + 0.004 * i as f64).collect(),
    };
    let d = diagnose_history(&falling, Known::default());
    assert_eq!(d.top().unwrap().id, CauseId::LrTooLow, "{d}");
    assert_eq!(d.plateau_epoch(), None);
    // Converged: fell fast, then flat, validation flat too.
    // (Any lower loss counts without the validation rows, so the flat part wobbles above
    // its lowest, as a real curve does.)
    let jitter = [0.0, 0.004, 0.002];
    let settled = History {
        loss: (0..n).map(|i| (0.7 - 0.05 * i as f64).max(0.3)).collect(),
        accuracy: vec![0.85; n],
        val_loss: (0..n)
            .map(|i| (0.7 - 0.05 * i as f64).max(0.32) + jitter[i % 3])
            .collect(),
        val_accuracy: vec![0.84; n],
    };
    let d = diagnose_history(&settled, Known::default());
    assert!(d.causes.is_empty(), "{d}");
    assert!(d.plateau_epoch().is_some());
}

#[test]
fn the_unknowns_are_said() {
    let both = unknowns_text(&Known::default());
    assert!(both.starts_with("Read as two classes"), "{both}");
    assert!(both.contains("validation rows are unknown"), "{both}");
    let none = unknowns_text(&Known {
        classes: Some(3),
        val_samples: Some(50),
    });
    assert_eq!(none, "");
}

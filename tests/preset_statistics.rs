//! Across seeds, the article's experiments must tell the same story in our engine as in the
//! real Keras: our initial weights and shuffles come from our own generator, so single runs
//! differ, but the means over 10 seeds must agree (fixture: `fixtures/gen_keras_presets.py`).

use plateau::Config;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Stat {
    mean: Vec<f64>,
    std: Vec<f64>,
}

#[derive(Deserialize)]
struct Preset {
    accuracy: Stat,
    val_accuracy: Stat,
    loss: Stat,
    val_loss: Stat,
}

#[derive(Deserialize)]
struct Fixture {
    seeds: usize,
    epochs_at: Vec<usize>,
    presets: BTreeMap<String, Preset>,
}

/// Picks one series out of a history.
type Series = fn(&plateau::History) -> &Vec<f64>;

fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (
        mean,
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt(),
    )
}

#[test]
fn preset_means_over_seeds_match_keras() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/keras/presets.json"
    );
    let fixture: Fixture = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(fixture.presets.len(), plateau::config::PRESETS.len());
    let mut failures = Vec::new();
    for (name, keras) in &fixture.presets {
        let config = Config::preset(name).unwrap();
        let histories: Vec<_> = (0..fixture.seeds as u32)
            .map(|seed| {
                let (mut run, _) = Config {
                    seed,
                    ..config.clone()
                }
                .start()
                .unwrap();
                run.finish();
                run.history().clone()
            })
            .collect();
        let series: [(&str, &Stat, Series); 4] = [
            ("accuracy", &keras.accuracy, |h| &h.accuracy),
            ("val_accuracy", &keras.val_accuracy, |h| &h.val_accuracy),
            ("loss", &keras.loss, |h| &h.loss),
            ("val_loss", &keras.val_loss, |h| &h.val_loss),
        ];
        for (key, stat, get) in series {
            for (i, &epoch) in fixture.epochs_at.iter().enumerate() {
                let ours: Vec<f64> = histories.iter().map(|h| get(h)[epoch - 1]).collect();
                let (mean, std) = mean_std(&ours);
                // Two independent means of n seeds: allow 3 standard errors of their
                // difference, and at least 0.03 (accuracy) or 10% (loss) where both runs
                // have saturated and the spread is ~0. A loss under 0.01 means every training
                // probability is past 0.99: memorised either way, so 0.01 absolute suffices.
                let n = fixture.seeds as f64;
                let se = ((stat.std[i].powi(2) + std.powi(2)) / n).sqrt();
                let floor = if key.contains("loss") {
                    (0.1 * stat.mean[i]).max(0.01)
                } else {
                    0.03
                };
                let allowed = (3.0 * se).max(floor);
                let diff = (mean - stat.mean[i]).abs();
                println!(
                    "{name:9} {key:13} @{epoch:3}: ours {mean:.3} ± {std:.3}, keras {:.3} ± {:.3}, |Δ| {diff:.3} ≤ {allowed:.3}",
                    stat.mean[i], stat.std[i]
                );
                if diff > allowed {
                    failures.push(format!(
                        "{name} {key} @{epoch}: ours {mean:.3} vs keras {:.3}",
                        stat.mean[i]
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

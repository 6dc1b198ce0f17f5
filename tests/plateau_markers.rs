//! The plateau's marker, its sentence and the best-loss marker never contradict each other
//! (issue 11, item 5), over a seeded sweep of configs: small and large data, narrow and wide
//! networks, learning rates from crawling to diverging, scaled and unscaled features.

use plateau::chart::{self, Metric};
use plateau::diagnose::diagnose;
use plateau::rng::RandomState;
use plateau::Config;
use std::time::Instant;

/// One config of the sweep, drawn from `rng` as URL-hash settings.
fn random_config(rng: &mut RandomState) -> String {
    let mut pick =
        |choices: &[&str]| choices[rng.randint(choices.len() as u32) as usize].to_string();
    let settings = [
        ("samples", pick(&["100", "200", "500", "1000"])),
        ("hidden", pick(&["8", "32", "64,32", "128,64"])),
        ("lr", pick(&["0.0001", "0.001", "0.01", "0.1", "0.5"])),
        ("optimizer", pick(&["adam", "sgd", "rmsprop"])),
        ("epochs", pick(&["12", "30", "60"])),
        ("batch-size", pick(&["16", "32", "64"])),
        ("distort", pick(&["true", "false"])),
        ("standardize", pick(&["true", "false"])),
        ("seed", pick(&["0", "1", "2", "3", "4", "5", "6", "7"])),
    ];
    let pairs: Vec<String> = settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join("&")
}

#[test]
fn the_plateau_marker_its_sentence_and_the_best_markers_agree_over_a_sweep() {
    let started = Instant::now();
    let mut rng = RandomState::new(2026);
    let (mut plateaus, mut still_improving, mut lower_later) = (0, 0, 0);
    for _ in 0..60 {
        let query = random_config(&mut rng);
        let (config, problems) = Config::from_query(&query);
        assert!(problems.is_empty(), "{query}: {problems:?}");
        let (mut run, prepared) = config.start().unwrap();
        let status = run.finish();
        let d = diagnose(&config, &prepared, run.history(), status);
        let p = &d.plateau;
        let markers = plateau::playground::diagnosis_markers(&d, "", chart::GREEN);
        let at = |metric: Metric, label: &str| {
            let found: Vec<usize> = markers
                .iter()
                .filter(|(m, marker)| *m == metric && marker.label == label)
                .map(|(_, marker)| marker.epoch)
                .collect();
            assert!(found.len() <= 1, "{query}: two '{label}' markers");
            found.first().copied()
        };
        let sentence = p.sentence(d.epochs);
        let context = format!("#{query}: {sentence}");
        assert!(
            d.to_string().contains(&sentence),
            "{context}: the CLI says the same"
        );
        let best = at(Metric::Accuracy, "best val acc");
        let best_loss = at(Metric::Loss, "best val loss");
        assert_eq!(best, p.best_epoch, "{context}");
        assert_eq!(best_loss, p.counted_loss_epoch, "{context}");
        let (val_acc, val_loss) = (&run.history().val_accuracy, &run.history().val_loss);
        if d.epochs == 0 {
            continue; // diverged in the first epoch: nothing to mark
        }
        let (best, best_loss) = (best.unwrap(), best_loss.unwrap());
        assert!(sentence.contains(&format!("at epoch {best},")), "{context}");
        assert!(
            sentence.contains(&format!("at epoch {best_loss};"))
                || sentence.contains(&format!("at epoch {best_loss})")),
            "{context}"
        );
        // No later epoch beats either best by more than what the plateau ignores.
        let min_delta = p.settings.min_delta_loss;
        for e in best..d.epochs {
            assert!(
                val_acc[e] <= val_acc[best - 1],
                "{context}: epoch {}",
                e + 1
            );
        }
        for e in best_loss..d.epochs {
            assert!(
                val_loss[e] >= val_loss[best_loss - 1] - min_delta,
                "{context}: epoch {}",
                e + 1
            );
            if val_loss[e] < val_loss[best_loss - 1] {
                lower_later += 1;
            }
        }
        let plateau = at(Metric::Accuracy, "plateau");
        assert_eq!(plateau, at(Metric::Loss, "plateau"), "{context}");
        match plateau {
            Some(start) => {
                plateaus += 1;
                assert_eq!(Some(start), p.start_epoch(), "{context}");
                assert_eq!(
                    start,
                    best.max(best_loss),
                    "{context}: the plateau starts at the later best"
                );
                assert!(start + p.settings.patience <= d.epochs, "{context}");
                assert!(
                    sentence.starts_with(&format!(
                        "Validation plateaued at epoch {start}: in the {} epochs since",
                        d.epochs - start
                    )),
                    "{context}"
                );
            }
            None => {
                still_improving += 1;
                assert!(sentence.starts_with("No plateau yet"), "{context}");
                assert!(
                    best.max(best_loss) + p.settings.patience > d.epochs,
                    "{context}: an improvement within the last {} epochs",
                    p.settings.patience
                );
            }
        }
    }
    println!(
        "60 configs: {plateaus} plateaus, {still_improving} still improving, {lower_later} \
         epochs after a best loss lower by less than one sample's worth; {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        plateaus > 5 && still_improving > 5,
        "the sweep covers both cases"
    );
    assert!(
        lower_later > 0,
        "the sweep covers loss dips the plateau does not count"
    );
}

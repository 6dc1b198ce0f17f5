//! One definition of "the best epoch": the validation-loss monitor's best as Keras
//! `EarlyStopping(monitor="val_loss", min_delta=one validation sample's loss)` counts it. The
//! headline, every cause text that names a validation-loss epoch, the loss chart's marker and,
//! with early stopping, the epoch it restored all name that one epoch, on the article's six
//! presets at two seeds, with and without early stopping.

use plateau::chart::{self, Metric};
use plateau::config::PRESETS;
use plateau::diagnose::diagnose_run;
use plateau::train::early_stop_text;
use plateau::{Config, Status};

const PATIENCE: usize = 10;

/// The number right after the first `marker` in `text` (after `from`, when given).
fn epoch_after(text: &str, from: &str, marker: &str) -> Option<usize> {
    let start = text.find(from)? + from.len();
    let rest = &text[start..];
    let digits: String = rest[rest.find(marker)? + marker.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Every epoch a text names for the validation loss: each clause that starts at
/// "validation loss" and says "at epoch N" before its first comma, bracket or full stop.
fn val_loss_epochs(text: &str) -> Vec<usize> {
    let lower = text.to_lowercase();
    lower
        .match_indices("validation loss")
        .filter_map(|(i, _)| {
            let clause = &lower[i..];
            let end = clause.find([',', '(', '.', ';']).unwrap_or(clause.len());
            epoch_after(&clause[..end], "", "at epoch ")
        })
        .collect()
}

#[test]
fn the_headline_the_causes_the_marker_and_early_stopping_name_one_best_epoch() {
    let (mut texts, mut stops, mut lower_later) = (0, 0, 0);
    for preset in PRESETS {
        for seed in [0, 1] {
            for early_stopping in [0, PATIENCE] {
                let query = format!("preset={preset}&seed={seed}&early-stopping={early_stopping}");
                let (config, problems) = Config::from_query(&query);
                assert!(problems.is_empty(), "{query}: {problems:?}");
                let (mut run, prepared) = config.start().unwrap();
                let status = run.finish();
                let d = diagnose_run(&config, &prepared, &run);
                let p = &d.plateau;
                let sentence = p.sentence(d.epochs);
                let context = format!("#{query}: {sentence}");

                // The headline's "best validation loss 0.565 at epoch N".
                let best = epoch_after(&sentence, "best validation loss", " at epoch ")
                    .unwrap_or_else(|| panic!("{context}: no best validation loss epoch"));
                assert_eq!(Some(best), p.counted_loss_epoch, "{context}");
                if p.val_loss_best_epoch != Some(best) {
                    lower_later += 1;
                }

                // Every cause text naming a validation-loss epoch names the same one, and none
                // names the raw lowest as "lowest".
                for cause in &d.causes {
                    let text = &cause.explanation;
                    assert!(!text.contains("lowest at epoch"), "{context}\n{text}");
                    for epoch in val_loss_epochs(text) {
                        assert_eq!(epoch, best, "{context}\n{}: {text}", cause.id);
                        texts += 1;
                    }
                }

                // The loss chart's marker.
                let markers = plateau::playground::diagnosis_markers(&d, "", chart::GREEN);
                let marked: Vec<usize> = markers
                    .iter()
                    .filter(|(m, marker)| *m == Metric::Loss && marker.label == "best val loss")
                    .map(|(_, marker)| marker.epoch)
                    .collect();
                assert_eq!(marked, [best], "{context}");

                // Early stopping restored that epoch: it stopped `patience` epochs after it,
                // and its words say so.
                match status {
                    Status::EarlyStopped { epoch } => {
                        stops += 1;
                        assert_eq!(epoch - PATIENCE, best, "{context}: stopped after {epoch}");
                        assert_eq!(status.restored_epoch(PATIENCE), Some(best), "{context}");
                        let words = early_stop_text(epoch, best);
                        assert_eq!(
                            epoch_after(&words, "best validation loss", " at epoch "),
                            Some(best),
                            "{words}"
                        );
                    }
                    _ => assert!(
                        early_stopping == 0 || best + PATIENCE > d.epochs,
                        "{context}: {PATIENCE} epochs past the best without stopping"
                    ),
                }
            }
        }
    }
    println!(
        "{texts} cause texts name a validation-loss epoch, {stops} runs stopped early, \
         {lower_later} runs have a lower loss later (by less than one sample's worth)"
    );
    // Not vacuous: cause texts name the epoch, runs stop early, and the raw lowest differs
    // from the counted best (where the old texts, and min_delta 0, disagreed with the headline).
    assert!(texts >= 6, "{texts} cause texts name an epoch");
    assert!(stops >= 6, "{stops} early stops");
    assert!(
        lower_later >= 3,
        "{lower_later} runs with a lower loss later"
    );
}

#[test]
fn the_clause_parser_finds_what_the_texts_say() {
    assert_eq!(
        val_loss_epochs(
            "Validation loss was best at epoch 14 (0.56) and rose to 1.14. The network \
             learned (validation accuracy 75.0% at epoch 3)."
        ),
        [14]
    );
    assert_eq!(
        val_loss_epochs("so the training set is memorised, and validation loss is best at epoch 3 and climbs after."),
        [3]
    );
    assert_eq!(
        val_loss_epochs("validation accuracy or loss improved at epoch 9"),
        Vec::<usize>::new()
    );
}

//! Everything a link, a student or a script hands the engine, from fuzzed bytes: a URL hash
//! (`Config::from_query`, the page's `Playground::apply_hash`), one setting (`Config::set`),
//! a training step on whatever the hash opened, and the whole input as a Keras history
//! (`read_history`, then `diagnose_history`). Checks what tests/properties.rs checks:
//! no panic, a valid config always, each problem naming a key of the input, a rejected value
//! quoted in its error and changing nothing. `cargo xtask fuzz [--seconds N]` runs it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plateau::config::{percent_decode, Config, SETTINGS};
use plateau::playground::Playground;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    // The whole input as a history made elsewhere: read, and diagnosed when it reads.
    if let Ok(history) = plateau::diagnose::read_history(&text) {
        assert!((2..=1000).contains(&history.epochs()));
        assert_eq!(history.val_loss.len(), history.epochs());
        let diagnosis =
            plateau::diagnose::diagnose_history(&history, plateau::diagnose::Known::default());
        let _ = diagnosis.to_string();
    }
    // The first line is a hash; the second picks a setting and the rest is its value.
    let mut lines = text.splitn(2, '\n');
    let hash = lines.next().unwrap_or("");
    let rest = lines.next().unwrap_or("");

    let (config, problems) = Config::from_query(hash);
    assert!(config.validate().is_ok(), "{hash:?} gave an invalid config");
    let query = hash.strip_prefix('#').unwrap_or(hash);
    let keys: Vec<String> = query
        .split('&')
        .map(|pair| percent_decode(pair.split('=').next().unwrap_or(pair)))
        .collect();
    for problem in &problems {
        assert!(keys.contains(&problem.field), "{problem} names no key of {hash:?}");
    }

    let key = SETTINGS[rest.bytes().next().unwrap_or(0) as usize % SETTINGS.len()];
    let value = rest.get(1..).unwrap_or("");
    let mut changed = config.clone();
    if let Err(e) = changed.set(key, value) {
        assert_eq!(changed, config, "a rejected value changes nothing");
        assert_eq!(e.field, key);
        assert!(e.message.contains(value), "{e} does not quote {value:?}");
    }

    // The page: bounded work only (hashes that open 10,000 rows are fine; one step each).
    let mut page = Playground::new(Box::new(|| 0.0)).expect("the default experiment starts");
    let _notices = page.apply_hash(hash);
    assert!(!page.figures().is_empty(), "{hash:?} left the page without a run");
    page.step_for(0.0, 0);
});

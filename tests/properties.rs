//! Bad input is fuzzed, not sampled: property tests over everything a student, a link or a
//! script can hand the engine (the URL hash, one setting, every CLI flag) and over training
//! with extreme but valid settings. No panic ever; every bad value is named in the error or
//! notice; NaN and infinity end as a diverged run with its epoch. `cargo xtask fuzz` runs the
//! same checks as a coverage-guided fuzz target (fuzz/).
#![cfg(not(target_arch = "wasm32"))]

use plateau::chart::{Metric, Surface};
use plateau::config::{Config, OptimizerKind, ACTIVATIONS, COMPARISONS, PRESETS, SETTINGS};
use plateau::playground::Playground;
use plateau::Status;
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use proptest::prelude::*;
use proptest::sample::select;
use std::process::Command;

/// `cases` random inputs; a failure prints its minimal input rather than saving it to a file.
fn cases(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Values that have broken parsers somewhere: numbers at and past every limit, NaN and
/// infinities, empty, whitespace, hex, exponents, lists, percent escapes, markup, unicode.
const TRICKY: [&str; 34] = [
    "",
    " ",
    "0",
    "-0",
    "1",
    "-1",
    "1e-5",
    "1e-6",
    "0.00001",
    "1e400",
    "-1e400",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "infinity",
    "0x10",
    " 5 ",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "10000",
    "10001",
    "1,2,3,4",
    "256,256,256",
    ",",
    "0,0",
    "true",
    "false",
    "relu",
    "%zz",
    "%E2%82%AC",
    "<img src=x onerror=alert(1)>",
    "é€😀",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        select(TRICKY.to_vec()).prop_map(String::from),
        "[-+0-9.eE,]{0,12}",
        any::<f64>().prop_map(|f| f.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<String>(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(SETTINGS.to_vec()).prop_map(String::from),
        1 => select(vec!["preset", "compare", "seeds"]).prop_map(String::from),
        1 => "[a-z<>%&=#-]{0,8}",
    ]
}

/// A URL hash made of `key=value` pairs, with the odd bare key, `&&` and `#`.
fn hash() -> impl Strategy<Value = String> {
    let pair = prop_oneof![
        6 => (key(), value()).prop_map(|(k, v)| format!("{k}={}", v.replace(['&', '#'], ""))),
        1 => key(),
        1 => Just(String::new()),
    ];
    (prop::collection::vec(pair, 0..8), any::<bool>())
        .prop_map(|(pairs, sharp)| format!("{}{}", if sharp { "#" } else { "" }, pairs.join("&")))
}

/// A key or value as `Config::from_query` reads it, and so as the notices quote it.
fn decoded(s: &str) -> String {
    plateau::config::percent_decode(s)
}

proptest! {
    #![proptest_config(cases(512))]

    /// Any text at all: the config comes back valid, with no more problems than pairs.
    #[test]
    fn from_query_never_panics_and_always_gives_a_valid_config(query in any::<String>()) {
        let (config, problems) = Config::from_query(&query);
        prop_assert!(config.validate().is_ok());
        prop_assert!(problems.len() <= query.split('&').count());
    }

    /// Every problem names a key of the hash, and a problem with a known setting quotes the
    /// value that was given for it.
    #[test]
    fn from_query_names_every_bad_key_and_value(query in hash()) {
        let (config, problems) = Config::from_query(&query);
        prop_assert!(config.validate().is_ok());
        let pairs: Vec<(String, String)> = query
            .strip_prefix('#').unwrap_or(&query)
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decoded(k), decoded(v))
            })
            .collect();
        for problem in &problems {
            let given: Vec<&String> = pairs
                .iter()
                .filter(|(k, _)| *k == problem.field)
                .map(|(_, v)| v)
                .collect();
            prop_assert!(!given.is_empty(), "{problem} names no key of {query:?}");
            if SETTINGS.contains(&problem.field.as_str()) {
                prop_assert!(
                    given.iter().any(|v| problem.message.contains(v.as_str())),
                    "{problem} quotes none of {given:?}"
                );
            }
        }
    }

    /// One setting: accepted means valid and round-tripping through the hash; rejected means
    /// unchanged, with an error naming the key and quoting the value as given.
    #[test]
    fn set_names_the_key_and_the_value_or_changes_nothing(
        start in select(PRESETS.to_vec()),
        key in select(SETTINGS.to_vec()),
        value in value(),
    ) {
        let mut config = Config::preset(start).unwrap();
        let before = config.clone();
        match config.set(key, &value) {
            Ok(()) => {
                prop_assert!(config.validate().is_ok());
                let (back, problems) = Config::from_query(&config.to_query());
                prop_assert!(problems.is_empty(), "{problems:?}");
                prop_assert_eq!(back, config);
            }
            Err(e) => {
                prop_assert_eq!(&config, &before, "a rejected value changes nothing");
                prop_assert_eq!(e.field.as_str(), key);
                prop_assert!(e.message.contains(&value), "{e} does not quote {value:?}");
            }
        }
    }
}

proptest! {
    // Each case prepares a dataset of up to 10,000 rows: fewer cases.
    #![proptest_config(cases(96))]

    /// A mangled link: the page still has a run, reopens its own hash without a notice, can
    /// train a step, and every notice begins with a key that was in the link.
    #[test]
    fn apply_hash_keeps_the_page_working_and_names_each_problem(query in hash()) {
        let mut p = Playground::new(Box::new(|| 0.0)).unwrap();
        let notices = p.apply_hash(&query);
        prop_assert!(!p.figures().is_empty());
        prop_assert!(p.state().settings.validate().is_ok());
        let keys: Vec<String> = query
            .strip_prefix('#').unwrap_or(&query)
            .split('&')
            .map(|pair| pair.split('=').next().unwrap_or(pair).to_string())
            // The page reads a first key's extra '#'s ("##lr") as the hash's own.
            .flat_map(|k| [decoded(&k), k.trim_start_matches('#').to_string(), k])
            .collect();
        for notice in &notices {
            prop_assert!(
                keys.iter().any(|k| notice.starts_with(&format!("{k}:"))),
                "{notice:?} names no key of {query:?}"
            );
        }
        let mut q = Playground::new(Box::new(|| 0.0)).unwrap();
        let again = q.apply_hash(&p.to_hash());
        prop_assert!(again.is_empty(), "{:?} reopened with {again:?}", p.to_hash());
        prop_assert_eq!(q.to_hash(), p.to_hash());
        p.step_for(0.0, 0);
    }
}

/// Trains `config` to the end and checks what the page and the CLI rely on: every recorded
/// figure is finite, a NaN or infinity ends the run as diverged in the epoch after the last
/// recorded one, the diagnosis reads it, the page's figures say it and its charts draw.
fn check_extreme_run(config: &Config) -> Status {
    let mut p = Playground::new(Box::new(|| 0.0)).unwrap();
    let notices = p.apply_hash(&config.to_query());
    assert!(notices.is_empty(), "{notices:?}");
    while p.training(0) {
        p.step_for(1e9, 0);
    }
    let figures = &p.figures()[0];
    let history = p.histories()[0].clone();
    let all = [
        &history.loss,
        &history.accuracy,
        &history.val_loss,
        &history.val_accuracy,
    ];
    assert!(
        all.iter().all(|c| c.iter().all(|v| v.is_finite())),
        "{history:?}"
    );
    match figures.status {
        Status::Diverged { epoch } => assert_eq!(epoch, history.epochs() + 1),
        Status::Finished => assert_eq!(history.epochs(), config.epochs),
        Status::EarlyStopped { epoch } => assert_eq!(epoch, history.epochs()),
        Status::Training => panic!("still training"),
    }
    let diagnosis = p.diagnosis().unwrap();
    if let Status::Diverged { epoch } = figures.status {
        assert!(diagnosis
            .to_string()
            .contains(&format!("diverged (NaN or infinity) in epoch {epoch}")));
    }
    for (metric, title) in [
        (Metric::Loss, ">\nLoss\n<"),
        (Metric::Accuracy, ">\nAccuracy\n<"),
    ] {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (640, 360)).into_drawing_area();
            p.draw_chart(&area, metric, Surface::estimated(1.0))
                .unwrap();
        }
        assert!(svg.contains(title), "the {metric:?} chart drew its title");
    }
    figures.status
}

fn extreme(query: &str) -> Config {
    let (config, problems) = Config::from_query(query);
    assert!(problems.is_empty(), "{query}: {problems:?}");
    config
}

/// The issue's list of extremes, each run once: the largest data and network, batch 1,
/// learning rate 1, distortion 10⁴ without scaling, sigmoid and linear layers.
#[test]
fn extreme_valid_settings_train_diverge_or_finish_cleanly() {
    let cases = [
        "samples=10000&hidden=256,256,256&epochs=1&batch-size=32",
        "samples=300&hidden=256,256,256&epochs=1&batch-size=1&lr=1&activation=sigmoid",
        "samples=200&hidden=64&epochs=3&lr=1&activation=linear&optimizer=sgd&distort=true&distortion=10000&standardize=false",
        "samples=10&epochs=2&batch-size=1024&lr=0.00001",
        "samples=200&hidden=&epochs=2&lr=1&optimizer=rmsprop&distort=true&distortion=10000&standardize=false&l2=1&dropout=0.9",
    ];
    let mut diverged = 0;
    for query in cases {
        let status = check_extreme_run(&extreme(query));
        println!("{query}: {status:?}");
        diverged += usize::from(matches!(status, Status::Diverged { .. }));
    }
    assert!(
        diverged > 0,
        "one of the extremes diverges, so that path is exercised"
    );
}

fn small_config() -> impl Strategy<Value = Config> {
    let hidden = prop::collection::vec(prop_oneof![Just(1usize), Just(64), 1usize..=32], 0..=3);
    (
        (
            10usize..=400,
            hidden,
            select(ACTIVATIONS.to_vec()),
            select(OptimizerKind::ALL.to_vec()),
        ),
        (
            prop_oneof![Just(1e-5), Just(1.0), -5.0f64..=0.0],
            1usize..=3,
        ),
        (
            select(vec![1usize, 2, 7, 32, 1024]),
            prop_oneof![Just(0.0), Just(1.0), 0.0f64..=1.0],
        ),
        (
            0.0f64..=0.9,
            any::<bool>(),
            any::<bool>(),
            prop_oneof![Just(1e4), 1.0f64..=1e4],
        ),
        (any::<u32>(), 0usize..=3),
    )
        .prop_map(
            |(model, (lr, epochs), (batch_size, l2), data, (seed, early))| {
                let (samples, hidden, (_, activation), (_, optimizer)) = model;
                let (dropout, distort, standardize, distortion) = data;
                Config {
                    samples,
                    hidden,
                    activation,
                    optimizer,
                    learning_rate: if lr <= 0.0 { 10f64.powf(lr) } else { lr }.clamp(1e-5, 1.0),
                    epochs,
                    batch_size,
                    l2,
                    dropout,
                    distort,
                    standardize,
                    distortion,
                    seed,
                    early_stopping: early,
                    ..Config::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(cases(48))]

    /// Random valid settings near the limits train without a panic and end cleanly.
    #[test]
    fn any_valid_small_run_ends_cleanly(config in small_config()) {
        prop_assume!(config.validate().is_ok());
        check_extreme_run(&config);
    }
}

// ---- The command line ------------------------------------------------------------------

fn plateau(args: &[String]) -> (i32, String) {
    // Random argument lists include `--svg NAME`, which writes NAME into the working folder:
    // a scratch folder, not the repository (stray SVGs named `--epochs` were once committed).
    let scratch = std::env::temp_dir().join("plateau-properties");
    std::fs::create_dir_all(&scratch).expect("a scratch folder in the temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_plateau"))
        .current_dir(&scratch)
        .args(args)
        .output()
        .expect("the plateau binary runs");
    let code = out.status.code().expect("exited, not killed by a signal");
    (code, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `plateau run`'s flags: one per setting (`--distort` and `--standardize` are switches),
/// and the others.
fn run_flags() -> Vec<&'static str> {
    let others = [
        "preset",
        "seeds",
        "svg",
        "no-distort",
        "no-standardize",
        "json",
        "help",
    ];
    SETTINGS.iter().copied().chain(others).collect()
}

const DATA_FLAGS: [&str; 17] = [
    "samples",
    "features",
    "informative",
    "redundant",
    "repeated",
    "classes",
    "clusters-per-class",
    "weights",
    "flip-y",
    "class-sep",
    "shift",
    "scale",
    "data-seed",
    "test-size",
    "no-hypercube",
    "no-shuffle",
    "csv",
];

proptest! {
    // Each case starts the binary.
    #![proptest_config(cases(64))]

    /// `plateau run --FLAG=VALUE` on a one-epoch run: it trains (exit 0) or says what was
    /// wrong with that flag and value (exit 2); it never panics (exit 101).
    #[test]
    fn every_run_flag_is_answered_with_a_result_or_a_named_error(
        flag in select(run_flags()),
        value in value(),
        equals in any::<bool>(),
    ) {
        prop_assume!(!value.starts_with('-') || equals);
        prop_assume!(flag != "svg"); // writes files; tests/cli.rs covers it
        let mut args: Vec<String> =
            ["run", "--epochs", "1", "--samples", "50", "--seeds", "0", "--csv"].map(String::from).to_vec();
        if equals {
            args.push(format!("--{flag}={value}"));
        } else {
            args.extend([format!("--{flag}"), value.clone()]);
        }
        let (code, stderr) = plateau(&args);
        prop_assert!(code == 0 || code == 2, "{args:?}: exit {code}\n{stderr}");
        if code == 2 {
            prop_assert!(stderr.contains(&format!("--{flag}")), "{args:?}: {stderr}");
        }
    }

    /// `plateau data --FLAG VALUE --csv`: CSV or a named error, never a panic.
    #[test]
    fn every_data_flag_is_answered_with_a_result_or_a_named_error(
        flag in select(DATA_FLAGS.to_vec()),
        value in value(),
    ) {
        prop_assume!(!value.starts_with('-'));
        let args: Vec<String> = vec!["data".into(), format!("--{flag}={value}"), "--csv".into()];
        let (code, stderr) = plateau(&args);
        prop_assert!(code == 0 || code == 2, "{args:?}: exit {code}\n{stderr}");
    }

    /// Any argument list at all: an answer or an error, never a panic.
    #[test]
    fn any_arguments_are_answered(args in prop::collection::vec(
        prop_oneof![
            select(run_flags()).prop_map(|f| format!("--{f}")),
            select(vec!["run", "data", "bench", "--", "-", "--=", "--help"]).prop_map(String::from),
            value(),
        ], 0..5)
    ) {
        let mut all = vec!["run".to_string(), "--epochs=1".into(), "--samples=50".into(), "--seeds=0".into()];
        all.extend(args);
        let (code, stderr) = plateau(&all);
        prop_assert!(code == 0 || code == 2, "{all:?}: exit {code}\n{stderr}");
    }
}

#[test]
fn the_comparisons_are_documented_presets_of_the_page() {
    // The README's `#preset=NAME` list: every name opens without a notice.
    for name in PRESETS.iter().chain(COMPARISONS.iter().map(|(n, _)| n)) {
        let mut p = Playground::new(Box::new(|| 0.0)).unwrap();
        assert!(
            p.apply_hash(&format!("#preset={name}")).is_empty(),
            "{name}"
        );
    }
}

proptest! {
    #![proptest_config(cases(48))]

    /// Any valid data settings, prepared in bounded steps of any size (changing from step to
    /// step), give exactly `Config::prepare`'s data, and no step does more than its budget.
    #[test]
    fn preparing_in_any_steps_is_prepare_to_the_bit(
        samples in 10usize..3000,
        features in 4usize..40,
        informative_share in 0.0f64..1.0,
        data_seed in any::<u32>(),
        test_size in 0.05f64..0.6,
        distort in any::<bool>(),
        distortion in 1.0f64..10_000.0,
        standardize in any::<bool>(),
        budgets in prop::collection::vec(1usize..5000, 1..8),
    ) {
        let informative = 2 + ((features - 4) as f64 * informative_share) as usize;
        let config = Config {
            samples, features, informative, data_seed, test_size, distort, distortion,
            standardize, ..Config::default()
        };
        prop_assume!(config.validate().is_ok());
        let want = config.prepare().unwrap();
        let mut preparing = config.preparing().unwrap();
        let got = (0..).find_map(|i| {
            let budget = budgets[i % budgets.len()];
            let before = preparing.rows_done();
            let out = preparing.step(budget);
            assert!(preparing.rows_done() - before <= budget);
            out
        }).unwrap();
        let bits32 = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits32(&got.train.x), bits32(&want.train.x));
        prop_assert_eq!(bits32(&got.val.x), bits32(&want.val.x));
        prop_assert_eq!(&got.train.y, &want.train.y);
        prop_assert_eq!(&got.val.y, &want.val.y);
        let bits64 = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits64(&got.feature_std), bits64(&want.feature_std));
    }
}

/// A cell of a CSV file as a student's spreadsheet might hold it, tricky or not.
fn csv_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        select(TRICKY.to_vec()).prop_map(String::from),
        any::<f64>().prop_map(|v| v.to_string()),
        select(vec![
            "\"",
            "\"a\"\"b\"",
            "\"x,y\"",
            "\u{feff}",
            "\r",
            "yes",
            "no"
        ])
        .prop_map(String::from),
    ]
}

/// A label that needs no trimming, some needing quotes.
const LABELS: [&str; 8] = ["0", "1", "cat", "a,b", "say \"hi\"", "10", "-1", "ü"];

fn quoted(cell: &str) -> String {
    if cell.contains([',', '"']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// Any rows of tricky cells: a table or an error, never a panic, and an error's line is
    /// one of the file's.
    #[test]
    fn any_csv_text_reads_or_names_a_line_of_it(
        rows in prop::collection::vec(prop::collection::vec(csv_cell(), 0..5), 0..14),
    ) {
        let text: String = rows.iter().map(|r| r.join(",") + "\n").collect();
        let lines = text.split('\n').count() as u64;
        if let Err(e) = plateau::config::DataFile::read("f.csv", &text, None) {
            let message = e.to_string();
            if let Some(rest) = message.strip_prefix("line ") {
                let line: u64 = rest.split([' ', ',', ':']).next().unwrap().parse().unwrap();
                prop_assert!((1..=lines).contains(&line), "{message} in {text:?}");
            }
        }
    }

    /// A table written as a CSV file (with or without a header, the target anywhere, labels
    /// quoted where they must be) reads back to the same numbers and the same labels.
    #[test]
    fn a_written_table_reads_back(
        features in 1usize..5,
        values in prop::collection::vec(-1e6f64..1e6, 5 * 40),
        labels in prop::collection::vec(0usize..LABELS.len(), 40),
        rows in 10usize..40,
        target_at in 0usize..5,
        header in any::<bool>(),
    ) {
        let target_at = target_at.min(features);
        let mut labels: Vec<&str> = labels[..rows].iter().map(|&i| LABELS[i]).collect();
        // Two classes at least; a text label first is over other text (else it reads as a
        // name over a column of numbers: a header).
        (labels[0], labels[1], labels[2]) = ("cat", "0", "cat");
        let mut text = String::new();
        if header {
            let mut names: Vec<String> = (0..features).map(|j| format!("f{j}")).collect();
            names.insert(target_at, "t".into());
            text += &(names.join(",") + "\n");
        }
        for (i, label) in labels.iter().enumerate() {
            let mut cells: Vec<String> =
                values[i * features..(i + 1) * features].iter().map(f64::to_string).collect();
            cells.insert(target_at, quoted(label));
            text += &(cells.join(",") + "\r\n");
        }
        let target = if header { "t".to_string() } else { (target_at + 1).to_string() };
        let file = plateau::config::DataFile::read("f.csv", &text, Some(&target)).unwrap();
        let t = &file.table;
        prop_assert_eq!(t.has_header, header);
        prop_assert_eq!(&t.x.data[..], &values[..rows * features]);
        for (i, label) in labels.iter().enumerate() {
            prop_assert_eq!(&t.classes[t.y[i]].label, label);
        }
    }
}

/// A value as Python's `json.dumps` writes a float: its repr, `NaN` and `Infinity` for a
/// diverged run.
fn python_float(v: f64) -> String {
    match v {
        v if v.is_nan() => "NaN".into(),
        f64::INFINITY => "Infinity".into(),
        f64::NEG_INFINITY => "-Infinity".into(),
        v => format!("{v:?}"),
    }
}

/// A history's value: mostly ordinary losses, some NaN, infinities and extremes.
fn history_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => 0.0f64..5.0,
        1 => select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -1.0, 1e300, 5e-324]),
    ]
}

/// Text that looks like a history half the time: the keys and punctuation of both formats.
fn history_like_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"loss\"",
            "\"val_loss\"",
            "\"accuracy\"",
            "\"val_acc\"",
            "NaN",
            "Infinity",
            "-Infinity",
            "null",
            "\n",
            "\r\n",
            "epoch",
            "loss",
            "val_loss",
            "acc",
            "\"",
            "'",
            "\u{feff}",
            " ",
            "0",
            "1",
            "-1",
        ])
        .prop_map(String::from),
        any::<f64>().prop_map(|v| v.to_string()),
        any::<String>(),
    ];
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(cases(512))]

    /// Any text, JSON-like, CSV-like or not: a history or an error, never a panic. A history
    /// has 2 to 1000 epochs, every series as long as the loss or empty, and diagnosing it
    /// (with anything known or not) never panics either.
    #[test]
    fn any_text_reads_as_a_history_or_a_named_error(
        text in prop_oneof![history_like_text(), any::<String>()],
        classes in prop::option::of(2usize..=10),
        val_samples in prop::option::of(1usize..500),
    ) {
        match plateau::diagnose::read_history(&text) {
            Ok(h) => {
                prop_assert!((2..=1000).contains(&h.epochs()));
                prop_assert_eq!(h.val_loss.len(), h.epochs());
                for s in [&h.accuracy, &h.val_accuracy] {
                    prop_assert!(s.is_empty() || s.len() == h.epochs());
                }
                let known = plateau::diagnose::Known { classes, val_samples };
                let d = plateau::diagnose::diagnose_history(&h, known);
                prop_assert!(d.epochs <= h.epochs());
                let _ = d.to_string();
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// A history written as Python's json.dumps writes it, or as a CSVLogger-like file with
    /// its columns in any order, reads back to the same values, NaN and infinities included.
    #[test]
    fn a_written_history_reads_back_from_json_and_csv(
        epochs in 2usize..30,
        values in prop::collection::vec(history_value(), 4 * 30),
        with_accuracy in any::<bool>(),
        order in Just(["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]).prop_shuffle(),
        first_epoch in 0usize..2,
    ) {
        let series = |k: usize| values[k * 30..k * 30 + epochs].to_vec();
        let names = ["loss", "accuracy", "val_loss", "val_accuracy"];
        let kept: Vec<usize> = (0..4).filter(|&k| with_accuracy || k % 2 == 0).collect();
        let list = |k: usize| series(k).iter().map(|&v| python_float(v)).collect::<Vec<_>>().join(", ");
        let json = format!(
            "{{{}, \"learning_rate\": [0.001]}}",
            kept.iter().map(|&k| format!("\"{}\": [{}]", names[k], list(k))).collect::<Vec<_>>().join(", ")
        );
        let columns: Vec<&str> = order.iter().copied().filter(|c| with_accuracy || !c.contains("accuracy")).collect();
        let mut csv = columns.join(",") + "\n";
        for e in 0..epochs {
            let cells: Vec<String> = columns.iter().map(|c| match *c {
                "epoch" => (e + first_epoch).to_string(),
                name => {
                    let k = names.iter().position(|n| *n == name).unwrap();
                    // CSVLogger writes Python's str(float): nan, inf.
                    python_float(series(k)[e]).replace("NaN", "nan").replace("Infinity", "inf")
                }
            }).collect();
            csv += &(cells.join(",") + "\n");
        }
        let bits = |v: &[f64]| v.iter().map(|x| if x.is_nan() { u64::MAX } else { x.to_bits() }).collect::<Vec<_>>();
        for text in [&json, &csv] {
            let h = plateau::diagnose::read_history(text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            prop_assert_eq!(bits(&h.loss), bits(&series(0)));
            prop_assert_eq!(bits(&h.val_loss), bits(&series(2)));
            if with_accuracy {
                prop_assert_eq!(bits(&h.accuracy), bits(&series(1)));
                prop_assert_eq!(bits(&h.val_accuracy), bits(&series(3)));
            } else {
                prop_assert!(h.accuracy.is_empty() && h.val_accuracy.is_empty());
            }
        }
    }
}

//! The `plateau` command line: the stable interface for scripts and course authors.
//! Flags map one to one onto `Config` keys, so the CLI, the URL hash and the page share one
//! set of names, defaults, ranges and error messages.

use plateau::config::{limits, Config, ConfigError, BENCH_WORKLOADS, COMPARISONS, PRESETS};
use plateau::data::{self, ClassificationParams, TestSize};
use std::fmt::Write as _;
use std::process::ExitCode;

/// A flag of `plateau run`: `--NAME VALUE` sets the Config key of the same name.
struct RunFlag {
    name: &'static str,
    arg: &'static str,
    help: String,
}

fn run_flags() -> Vec<RunFlag> {
    use limits::*;
    let d = Config::default();
    let f = |name: &'static str, arg: &'static str, help: String| RunFlag { name, arg, help };
    vec![
        f("samples", "N", format!("rows generated, before the split [{}; {}..={}]", d.samples, SAMPLES.0, SAMPLES.1)),
        f("features", "N", format!("features [{}; {}..={}]", d.features, FEATURES.0, FEATURES.1)),
        f("informative", "N", format!("informative features [{}; 2..=features-2]", d.informative)),
        f("hidden", "LIST", format!("hidden layer sizes, e.g. 128,64 or \"\" for none [32; up to {HIDDEN_LAYERS} layers of {}..={}]", HIDDEN_UNITS.0, HIDDEN_UNITS.1)),
        f("activation", "NAME", "hidden activation: relu, tanh, sigmoid, linear [relu]".into()),
        f("optimizer", "NAME", "adam, sgd, rmsprop, with Keras's defaults [adam]".into()),
        f("lr", "X", format!("learning rate [{}; {}..={}]", d.learning_rate, LEARNING_RATE.0, LEARNING_RATE.1)),
        f("epochs", "N", format!("[{}; {}..={}]", d.epochs, EPOCHS.0, EPOCHS.1)),
        f("batch-size", "N", format!("[{}; {}..={}]", d.batch_size, BATCH_SIZE.0, BATCH_SIZE.1)),
        f("l2", "X", format!("L2 kernel regularisation [{}; {}..={}]", d.l2, L2.0, L2.1)),
        f("dropout", "X", format!("dropout rate after each hidden layer [{}; {}..={}]", d.dropout, DROPOUT.0, DROPOUT.1)),
        f("early-stopping", "N", format!("EarlyStopping patience on val_loss, 0 = off [{}; {}..={}]", d.early_stopping, EARLY_STOPPING.0, EARLY_STOPPING.1)),
        f("distortion", "X", format!("feature 0 × X, feature 1 ÷ X when distorting [{}; {}..={}]", d.distortion, DISTORTION.0, DISTORTION.1)),
        f("seed", "N", format!("weight init, shuffles and dropout [{}; 0..=4294967295]", d.seed)),
        f("data-seed", "N", format!("make_classification / train_test_split random_state [{}]", d.data_seed)),
        f("test-size", "F", format!("validation fraction [{}; {}..={}]", d.test_size, TEST_SIZE.0, TEST_SIZE.1)),
    ]
}

fn main_help() -> String {
    format!(
        "plateau — why does validation accuracy stop improving?\n\n\
         USAGE:\n  plateau run  [--preset NAME] [flags] [--json|--csv]   train one model, print its history\n  \
         plateau data [flags] --csv                             print make_classification's data\n  \
         plateau bench [--repeat N] [--epochs N] [--json]       time the benchmark workloads natively\n  \
         plateau export python|data [run flags]                 the experiment as a Python script, or its data\n\n\
         `plateau run --help` and `plateau data --help` list every flag with its default and range.\n\
         Presets (the article's experiments): {}.\nComparisons drawn together on the page: {}.\n",
        PRESETS.join(", "),
        COMPARISONS
            .iter()
            .map(|(n, p)| format!("{n} ({})", p.join(" vs ")))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn run_help() -> String {
    let mut s = String::from(
        "plateau run [--preset NAME] [flags] [--json|--csv]\n\n\
         Trains a Dense network with Keras's `fit` semantics on scikit-learn's make_classification\n\
         data and prints the per-epoch history. Flags override the preset. [default; range]\n\n",
    );
    let _ = writeln!(s, "  {:<22}one of {}", "--preset NAME", PRESETS.join(", "));
    for flag in run_flags() {
        let _ = writeln!(
            s,
            "  {:<22}{}",
            format!("--{} {}", flag.name, flag.arg),
            flag.help
        );
    }
    s.push_str(
        "  --distort | --no-distort          distort feature scales (×100 / ×0.01) [no]\n  \
         --standardize | --no-standardize  StandardScaler fitted on the training rows [yes]\n  \
         --svg FILE  also draw the loss and accuracy charts, with the diagnosis's markers, as SVG\n  \
         --seeds N  seeds for the experiments (every applicable fix against the unchanged\n             settings) [5; 0..=20, 0 skips]\n  \
         --json   print {\"config\", \"status\", \"history\", \"diagnosis\"} as JSON\n  \
         --csv    print epoch,loss,accuracy,val_loss,val_accuracy\n",
    );
    s
}

const DATA_HELP: &str = "plateau data [flags] --csv\n\n\
Prints scikit-learn's make_classification(...) followed by train_test_split(...), bit for bit:\n\
header index,split,y,x0,x1,…; rows in make_classification's order; split is train or val.\n\n\
  --samples N             n_samples [100]\n  --features N            n_features [20]\n  \
--informative N         n_informative [2]\n  --redundant N           n_redundant [2]\n  \
--repeated N            n_repeated [0]\n  --classes N             n_classes [2]\n  \
--clusters-per-class N  n_clusters_per_class [2]\n  --weights a,b           class weights [none]\n  \
--flip-y F              label noise fraction [0.01]\n  --class-sep F           [1.0]\n  \
--no-hypercube          hypercube=False\n  --shift F|none          [0.0; none draws per feature]\n  \
--scale F|none          [1.0; none draws per feature]\n  --no-shuffle            shuffle=False\n  \
--data-seed N           random_state [42]\n  --test-size F|N         fraction in (0,1) or a count [0.25]\n  \
--csv                   CSV output (the only format)\n";

#[derive(Debug)]
struct CliError(String);

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError(format!("--{e}"))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => {
            print!("{}", main_help());
            Ok(())
        }
        Some("run") => cmd_run(&args[1..]),
        Some("data") => cmd_data(&args[1..]),
        Some("bench") => cmd_bench(&args[1..]),
        Some("export") => cmd_export(&args[1..]),
        Some(other) => Err(CliError(format!(
            "unknown command '{other}'; allowed: run, data, bench, export (see plateau --help)"
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Splits `--flag value` / `--flag=value` pairs; bare switches get `None`.
fn parse_flags(
    args: &[String],
    switches: &[&str],
) -> Result<Vec<(String, Option<String>)>, CliError> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let Some(body) = arg.strip_prefix("--") else {
            // Most often a value given to a switch: name it, so the student knows where.
            let after = match out.last() {
                Some((name, None)) => format!(" after --{name}, which takes no value"),
                _ => String::new(),
            };
            return Err(CliError(format!(
                "unexpected argument '{arg}'{after}; flags start with --"
            )));
        };
        if let Some((name, value)) = body.split_once('=') {
            if switches.contains(&name) {
                return Err(CliError(format!(
                    "--{name} takes no value (given '{value}')"
                )));
            }
            out.push((name.to_string(), Some(value.to_string())));
        } else if switches.contains(&body) {
            out.push((body.to_string(), None));
        } else {
            let value = it
                .next()
                .ok_or_else(|| CliError(format!("--{body} needs a value")))?;
            out.push((body.to_string(), Some(value.clone())));
        }
    }
    Ok(out)
}

/// The experiment the flags describe: `--preset NAME`, then every Config key
/// (`--lr 0.01`, `--distort`, …) on top. Returns it with the flags that are not settings,
/// for the command's own options.
fn experiment(flags: &[Flag]) -> Result<(Config, Vec<Flag>), CliError> {
    let mut config = Config::default();
    if let Some((_, Some(name))) = flags.iter().find(|(n, _)| n == "preset") {
        config = Config::preset(name)?;
    }
    let known: Vec<&str> = run_flags().iter().map(|f| f.name).collect();
    let mut settings = Vec::new();
    let mut rest = Vec::new();
    for (name, value) in flags {
        match (name.as_str(), value.as_deref()) {
            ("preset", _) => {}
            ("distort", None) => settings.push(("distort", "true")),
            ("no-distort", None) => settings.push(("distort", "false")),
            ("standardize", None) => settings.push(("standardize", "true")),
            ("no-standardize", None) => settings.push(("standardize", "false")),
            (key, Some(value)) if known.contains(&key) => settings.push((key, value)),
            _ => rest.push((name.clone(), value.clone())),
        }
    }
    match config.apply(&settings).into_iter().next() {
        Some(e) => Err(e.into()),
        None => Ok((config, rest)),
    }
}

/// The switches every command that takes an experiment's flags accepts.
const EXPERIMENT_SWITCHES: [&str; 5] = [
    "help",
    "distort",
    "no-distort",
    "standardize",
    "no-standardize",
];

/// `plateau export python|data [run flags]`: the experiment as a scikit-learn + Keras script
/// ("Copy as Python" on the page), or the exact float32 arrays the network trains on, as JSON
/// (what the CI check compares the script's data with).
fn cmd_export(args: &[String]) -> Result<(), CliError> {
    let what = args.first().map(String::as_str);
    let flags = parse_flags(args.get(1..).unwrap_or(&[]), &EXPERIMENT_SWITCHES)?;
    if what.is_none() || flags.iter().any(|(n, _)| n == "help") {
        print!("{EXPORT_HELP}");
        return Ok(());
    }
    let (config, rest) = experiment(&flags)?;
    if let Some((name, _)) = rest.first() {
        return Err(CliError(format!(
            "unknown flag --{name} (plateau export takes the flags of plateau run)"
        )));
    }
    match what {
        Some("python") => print!("{}", plateau::python::script(&config, "")),
        Some("data") => {
            let p = config.prepare()?;
            let doc = serde_json::json!({
                "features": p.train.features,
                "x_train": p.train.x, "y_train": p.train.y,
                "x_val": p.val.x, "y_val": p.val.y,
            });
            println!("{doc}");
        }
        Some(other) => {
            return Err(CliError(format!(
                "unknown export '{other}'; allowed: python, data"
            )))
        }
        None => unreachable!("help was printed"),
    }
    Ok(())
}

const EXPORT_HELP: &str = "plateau export python|data [--preset NAME] [flags of plateau run]\n\n\
  python  a runnable script: the same data with scikit-learn, the same model and fit with Keras,\n\
          the history plotted with matplotlib (the page's Copy as Python)\n\
  data    the float32 arrays the network trains on, as JSON {features, x_train, y_train, x_val, y_val}\n";

type Flag = (String, Option<String>);

#[derive(PartialEq)]
enum Format {
    Text,
    Json,
    Csv,
}

fn cmd_run(args: &[String]) -> Result<(), CliError> {
    let switches = [&EXPERIMENT_SWITCHES[..], &["json", "csv"]].concat();
    let flags = parse_flags(args, &switches)?;
    if flags.iter().any(|(n, _)| n == "help") {
        print!("{}", run_help());
        return Ok(());
    }
    let (config, rest) = experiment(&flags)?;
    let mut format = Format::Text;
    let mut experiment_seeds = 5;
    let mut svg_path = None;
    for (name, value) in &rest {
        match (name.as_str(), value) {
            ("svg", Some(path)) => svg_path = Some(path.clone()),
            ("seeds", Some(v)) => {
                experiment_seeds = v.parse().ok().filter(|s| *s <= 20).ok_or_else(|| {
                    CliError(format!("--seeds: '{v}' is not a whole number from 0 to 20"))
                })?
            }
            ("json", None) => format = Format::Json,
            ("csv", None) => format = Format::Csv,
            _ => {
                return Err(CliError(format!(
                    "unknown flag --{name} (see plateau run --help)"
                )))
            }
        }
    }
    let (mut run, prepared) = config.start()?;
    let status = run.finish();
    let history = run.history();
    let mut diagnosis = plateau::diagnose::diagnose_run(&config, &prepared, &run);
    if experiment_seeds > 0 && format != Format::Csv {
        diagnosis = diagnosis.with_experiments(&config, experiment_seeds)?;
    }
    if let Some(path) = &svg_path {
        write_svg(path, history, config.epochs, &diagnosis)?;
    }
    let mut out = String::new();
    match format {
        Format::Json => {
            let mut diagnosis_json = serde_json::to_value(&diagnosis).expect("plain data");
            // What the experiments showed (the rules' top cause without them).
            diagnosis_json["answer"] = serde_json::json!(diagnosis.answer());
            let doc = serde_json::json!({
                "config": config,
                "status": status,
                "history": history,
                "diagnosis": diagnosis_json,
            });
            out = serde_json::to_string(&doc).expect("plain data serialises");
            out.push('\n');
        }
        Format::Csv => {
            out.push_str("epoch,loss,accuracy,val_loss,val_accuracy\n");
            for e in 0..history.epochs() {
                let _ = writeln!(
                    out,
                    "{},{},{},{},{}",
                    e + 1,
                    history.loss[e],
                    history.accuracy[e],
                    history.val_loss[e],
                    history.val_accuracy[e]
                );
            }
        }
        Format::Text => {
            let _ = writeln!(out, "# plateau run {}", config.to_query().replace('&', " "));
            let _ = writeln!(
                out,
                "{:>5}  {:>8}  {:>8}  {:>8}  {:>8}",
                "epoch", "loss", "acc", "val_loss", "val_acc"
            );
            for e in 0..history.epochs() {
                let _ = writeln!(
                    out,
                    "{:>5}  {:>8.4}  {:>8.4}  {:>8.4}  {:>8.4}",
                    e + 1,
                    history.loss[e],
                    history.accuracy[e],
                    history.val_loss[e],
                    history.val_accuracy[e]
                );
            }
            let _ = writeln!(out, "status: {status:?}\n\n{diagnosis}");
        }
    }
    print!("{out}");
    Ok(())
}

fn cmd_data(args: &[String]) -> Result<(), CliError> {
    const SWITCHES: [&str; 4] = ["help", "csv", "no-hypercube", "no-shuffle"];
    let flags = parse_flags(args, &SWITCHES)?;
    if flags.iter().any(|(n, _)| n == "help") {
        print!("{DATA_HELP}");
        return Ok(());
    }
    fn num<T: std::str::FromStr>(flag: &str, v: &str, what: &str) -> Result<T, CliError> {
        v.trim()
            .parse()
            .map_err(|_| CliError(format!("--{flag}: '{v}' is not {what}")))
    }
    let optional = |flag: &str, v: &str| -> Result<Option<f64>, CliError> {
        if v == "none" {
            Ok(None)
        } else {
            num(flag, v, "a number or none").map(Some)
        }
    };
    let mut p = ClassificationParams::default();
    let mut test_size = TestSize::Fraction(0.25);
    let mut csv = false;
    for (name, value) in &flags {
        let v = value.as_deref().unwrap_or("");
        let whole = "a whole number";
        match name.as_str() {
            "csv" => csv = true,
            "no-hypercube" => p.hypercube = false,
            "no-shuffle" => p.shuffle = false,
            "samples" => p.n_samples = num(name, v, whole)?,
            "features" => p.n_features = num(name, v, whole)?,
            "informative" => p.n_informative = num(name, v, whole)?,
            "redundant" => p.n_redundant = num(name, v, whole)?,
            "repeated" => p.n_repeated = num(name, v, whole)?,
            "classes" => p.n_classes = num(name, v, whole)?,
            "clusters-per-class" => p.n_clusters_per_class = num(name, v, whole)?,
            "weights" => {
                p.weights = Some(
                    v.split(',')
                        .map(|w| num(name, w, "a comma-separated list of numbers"))
                        .collect::<Result<_, _>>()?,
                )
            }
            "flip-y" => p.flip_y = num(name, v, "a number")?,
            "class-sep" => p.class_sep = num(name, v, "a number")?,
            "shift" => p.shift = optional(name, v)?,
            "scale" => p.scale = optional(name, v)?,
            "data-seed" => p.random_state = num(name, v, "a whole number from 0 to 4294967295")?,
            "test-size" => {
                test_size = if v.contains('.') || v.contains('e') {
                    TestSize::Fraction(num(name, v, "a fraction or a count")?)
                } else {
                    TestSize::Count(num(name, v, "a fraction or a count")?)
                }
            }
            _ => {
                return Err(CliError(format!(
                    "unknown flag --{name} (see plateau data --help)"
                )))
            }
        }
    }
    if !csv {
        return Err(CliError(
            "plateau data needs --csv (the only output format)".into(),
        ));
    }
    check_data_size(&p)?;
    let data_err =
        |e: data::DataError| CliError(format!("--{}: {}", data_flag(e.param), e.message));
    let (x, y) = data::make_classification(&p).map_err(data_err)?;
    let (_, val) =
        data::train_test_split(p.n_samples, test_size, p.random_state).map_err(data_err)?;
    let mut is_val = vec![false; p.n_samples];
    for i in val {
        is_val[i] = true;
    }
    let mut out = String::from("index,split,y");
    for j in 0..x.cols {
        let _ = write!(out, ",x{j}");
    }
    out.push('\n');
    for i in 0..x.rows {
        let _ = write!(
            out,
            "{i},{},{}",
            if is_val[i] { "val" } else { "train" },
            y[i]
        );
        for v in x.row(i) {
            // Display prints the shortest text that parses back to the same f64.
            let _ = write!(out, ",{v}");
        }
        out.push('\n');
    }
    print!("{out}");
    Ok(())
}

/// Values `plateau data` generates at most: the page's largest dataset (10,000 rows × 100
/// features). scikit-learn has no limit, but 50 million rows here took 20 GB before a byte
/// was printed (found by tests/properties.rs).
const MAX_DATA_VALUES: usize = 1_000_000;

fn check_data_size(p: &ClassificationParams) -> Result<(), CliError> {
    let values = p.n_samples.saturating_mul(p.n_features);
    if values > MAX_DATA_VALUES {
        return Err(CliError(format!(
            "--samples {} × --features {} is {values} values; allowed at most {MAX_DATA_VALUES}",
            p.n_samples, p.n_features
        )));
    }
    // Every cluster has a centroid of n_informative values, samples or not.
    let centroids = p
        .n_classes
        .saturating_mul(p.n_clusters_per_class)
        .saturating_mul(p.n_informative);
    if centroids > MAX_DATA_VALUES {
        return Err(CliError(format!(
            "--classes {} × --clusters-per-class {} × --informative {} is {centroids} centroid \
             values; allowed at most {MAX_DATA_VALUES}",
            p.n_classes, p.n_clusters_per_class, p.n_informative
        )));
    }
    Ok(())
}

/// The `plateau data` flag for a scikit-learn parameter name, so errors name what to change.
fn data_flag(param: &str) -> String {
    match param {
        "random_state" => "data-seed".into(),
        p => p.trim_start_matches("n_").replace('_', "-"),
    }
}

/// Times each of `BENCH_WORKLOADS` natively, median of `--repeat` runs: the data preparation
/// (make_classification → split → scale) and the training (weight init and the whole `fit`,
/// validation included) separately, so training can be set beside TensorFlow.js, which is
/// handed ready data; plus the subnormal workload's per-epoch times and this core's f32 peak.
/// `cargo xtask bench` puts these beside the wasm and TensorFlow.js figures.
fn cmd_bench(args: &[String]) -> Result<(), CliError> {
    let flags = parse_flags(args, &["json"])?;
    let mut repeat = 5usize;
    let mut max_epochs = None;
    let mut max_samples = None;
    let mut json = false;
    let whole = |name: &str, v: &str, max: usize| {
        v.parse()
            .ok()
            .filter(|r| (1..=max).contains(r))
            .ok_or_else(|| {
                CliError(format!(
                    "--{name}: '{v}' is not a whole number from 1 to {max}"
                ))
            })
    };
    for (name, value) in &flags {
        match (name.as_str(), value) {
            ("json", None) => json = true,
            ("repeat", Some(v)) => repeat = whole(name, v, 100)?,
            ("epochs", Some(v)) => max_epochs = Some(whole(name, v, limits::EPOCHS.1)?),
            ("samples", Some(v)) => max_samples = Some(whole(name, v, limits::SAMPLES.1)?),
            _ => {
                return Err(CliError(format!(
                    "unknown flag --{name}; allowed: --repeat N, --epochs N and --samples N \
                     (cap every workload's epochs and rows: a quick check), --json"
                )))
            }
        }
    }
    let config_of = |name: &str, query: &str| {
        let (mut config, problems) = Config::from_query(query);
        assert!(
            problems.is_empty(),
            "benchmark workload {name} is invalid: {problems:?}"
        );
        if let Some(cap) = max_epochs {
            config.epochs = config.epochs.min(cap);
        }
        if let Some(cap) = max_samples {
            config.samples = config.samples.min(cap.max(limits::SAMPLES.0));
        }
        config
    };
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let start = std::time::Instant::now();
    let clock = || start.elapsed().as_secs_f64() * 1e3;
    let ms = |t: std::time::Instant| t.elapsed().as_secs_f64() * 1e3;
    let mut results = Vec::new();
    for (name, query) in BENCH_WORKLOADS {
        let config = config_of(name, query);
        let (mut prep, mut train) = (Vec::new(), Vec::new());
        let mut last = None;
        for _ in 0..repeat {
            // Config::start, in two timed halves.
            let t = std::time::Instant::now();
            let prepared = config.prepare()?;
            prep.push(ms(t));
            let t = std::time::Instant::now();
            let mut run = config.start_with(&prepared)?;
            let status = run.finish();
            train.push(ms(t));
            last = Some((status, run.history().clone(), prepared));
        }
        let (status, history, prepared) = last.expect("repeat is at least 1");
        let (prep_ms, train_ms) = (median(prep), median(train));
        let flops =
            plateau::bench::training_flops(&config, prepared.train.len(), prepared.val.len())
                * history.epochs() as f64
                / config.epochs as f64;
        let gflops = flops / (train_ms * 1e6);
        let val_accuracy = history.val_accuracy.last().copied();
        if !json {
            println!(
                "{name:<18} {train_ms:>9.2} ms training ({gflops:>5.1} GFLOP/s) + {prep_ms:>7.2} ms \
                 data  (median of {repeat}); final val_accuracy {}",
                val_accuracy.map_or("-".into(), |a| format!("{a:.4}"))
            );
        }
        results.push(serde_json::json!({
            "name": name,
            "query": config.to_query(),
            "ms": prep_ms + train_ms,
            "prep_ms": prep_ms,
            "train_ms": train_ms,
            "flops": flops,
            "gflops": gflops,
            "repeat": repeat,
            "status": status,
            "epochs": history.epochs(),
            "loss": history.loss.last(),
            "accuracy": history.accuracy.last(),
            "val_loss": history.val_loss.last(),
            "val_accuracy": val_accuracy,
        }));
    }

    let (name, query) = plateau::bench::SUBNORMAL_WORKLOAD;
    let config = config_of(name, query);
    let epoch_ms = plateau::bench::epoch_times(&config, repeat.min(3), &clock)?;
    let ratio = plateau::bench::late_to_early_ratio(&epoch_ms, 20);
    let peak = plateau::bench::peak_gflops(&clock, 100.0);
    let peak_fma = plateau::bench::peak_gflops_fma(&clock, 100.0);
    if json {
        let out = serde_json::json!({
            "workloads": results,
            "subnormal": {
                "name": name,
                "query": config.to_query(),
                "epoch_ms": epoch_ms,
                "last_20_over_first_20": ratio,
            },
            "peak_gflops": peak,
            "peak_gflops_fma": peak_fma,
        });
        println!("{out}");
    } else {
        let total: f64 = epoch_ms.iter().sum();
        println!(
            "{name:<18} {total:>9.2} ms for {} epochs; last 20 / first 20 epochs: {}",
            epoch_ms.len(),
            ratio.map_or("-".into(), |r| format!("{r:.2}×"))
        );
        println!(
            "peak f32 (4-lane multiply + add, the kernels' instructions): {peak:.1} GFLOP/s; \
             with AVX2 FMA: {}",
            peak_fma.map_or("not available".into(), |p| format!("{p:.1} GFLOP/s"))
        );
    }
    Ok(())
}

/// The page's two charts, loss above accuracy, as one SVG: for slides and course notes.
fn write_svg(
    path: &str,
    history: &plateau::History,
    epochs: usize,
    diagnosis: &plateau::diagnose::Diagnosis,
) -> Result<(), CliError> {
    use plateau::chart::{self, ChartRun, Metric, Surface};
    use plotters::prelude::{IntoDrawingArea, SVGBackend};
    let runs = [ChartRun {
        label: String::new(),
        train_color: chart::BLUE,
        val_color: chart::VERMILLION,
        histories: vec![history],
        epochs,
        faded: false,
    }];
    let markers = chart::diagnosis_markers(diagnosis, "", chart::GREEN);
    let root = SVGBackend::new(path, (800, 900)).into_drawing_area();
    let (top, bottom) = root.split_vertically(450);
    for (area, metric) in [(&top, Metric::Loss), (&bottom, Metric::Accuracy)] {
        let mine: Vec<_> = markers
            .iter()
            .filter(|(m, _)| *m == metric)
            .map(|(_, marker)| marker.clone())
            .collect();
        chart::draw(area, metric, &runs, &mine, Surface::estimated(1.25))
            .map_err(|e| CliError(format!("--svg {path}: cannot draw the chart: {e}")))?;
    }
    root.present()
        .map_err(|e| CliError(format!("--svg {path}: cannot write the file: {e}")))
}

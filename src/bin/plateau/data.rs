//! `plateau data`: scikit-learn's make_classification and train_test_split, as CSV.

use crate::flags::parse_flags;
use crate::CliError;
use plateau::data::{self, ClassificationParams, TestSize};
use std::fmt::Write as _;

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

pub fn cmd_data(args: &[String]) -> Result<(), CliError> {
    const SWITCHES: [&str; 4] = ["help", "csv", "no-hypercube", "no-shuffle"];
    let flags = parse_flags(args, &|name| SWITCHES.contains(&name))?;
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

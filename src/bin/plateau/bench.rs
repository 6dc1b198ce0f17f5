//! `plateau bench`: the benchmark workloads timed natively.

use crate::flags::parse_flags;
use crate::CliError;
use plateau::config::{limits, Config, BENCH_WORKLOADS};

/// Times each of `BENCH_WORKLOADS` natively, median of `--repeat` runs: the data preparation
/// (make_classification → split → scale) and the training (weight init and the whole `fit`,
/// validation included) separately, so training can be set beside TensorFlow.js, which is
/// handed ready data; the training again with its per-layer instruments recorded (their cost,
/// as a share of the training's); plus the subnormal workload's per-epoch times and this core's f32 peak.
/// `cargo xtask bench` puts these beside the wasm and TensorFlow.js figures.
pub fn cmd_bench(args: &[String]) -> Result<(), CliError> {
    let flags = parse_flags(args, &|name| name == "json")?;
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
        let (mut prep, mut train, mut probed) = (Vec::new(), Vec::new(), Vec::new());
        let mut last = None;
        for i in 0..repeat {
            // Config::start, in two timed halves.
            let t = std::time::Instant::now();
            let prepared = config.prepare()?;
            prep.push(ms(t));
            // The same run recording its per-layer instruments beside it, first on every
            // other repeat: the second of two equal runs measured ~10% slower on this VM.
            let mut probed_run = || -> Result<(), CliError> {
                let t = std::time::Instant::now();
                config.start_with(&prepared)?.with_instruments().finish();
                probed.push(ms(t));
                Ok(())
            };
            if i % 2 == 1 {
                probed_run()?;
            }
            let t = std::time::Instant::now();
            let mut run = config.start_with(&prepared)?;
            let status = run.finish();
            train.push(ms(t));
            if i % 2 == 0 {
                probed_run()?;
            }
            last = Some((status, run.history().clone(), prepared));
        }
        let (status, history, prepared) = last.expect("repeat is at least 1");
        let (prep_ms, train_ms) = (median(prep), median(train));
        let instruments_overhead = median(probed) / train_ms - 1.0;
        let flops =
            plateau::bench::training_flops(&config, prepared.train.len(), prepared.val.len())
                * history.epochs() as f64
                / config.epochs as f64;
        let gflops = flops / (train_ms * 1e6);
        let val_accuracy = history.val_accuracy.last().copied();
        if !json {
            println!(
                "{name:<18} {train_ms:>9.2} ms training ({gflops:>5.1} GFLOP/s) + {prep_ms:>7.2} ms \
                 data  (median of {repeat}); final val_accuracy {}; instruments {:+.1}%",
                val_accuracy.map_or("-".into(), |a| format!("{a:.4}")),
                instruments_overhead * 100.0
            );
        }
        results.push(serde_json::json!({
            "name": name,
            "query": config.to_query(),
            "ms": prep_ms + train_ms,
            "prep_ms": prep_ms,
            "train_ms": train_ms,
            "instruments_overhead": instruments_overhead,
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

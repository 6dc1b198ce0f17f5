//! `cargo xtask bench`: our engine natively, the same engine as wasm in headless Chromium, and
//! TensorFlow.js in that browser, on the same workloads (`BENCH_WORKLOADS` in
//! src/config/presets.rs), printed side by side with the sizes of what the page loads. It
//! prints figures and writes them to target/bench.json; it never asserts a timing.
//!
//! Rust does the orchestration; tests/e2e/bench.mjs (node + playwright-core) drives
//! www/bench.html, merges in the native figures, and prints the table, since it has JSON.

use crate::bail;
use crate::util::{self, root, Result, Stages};
use crate::{serve, site, tools};
use std::fs;
use std::path::Path;
use std::process::Command;

const USAGE: &str = "\
cargo xtask bench [--repeat N] [--tfjs-repeat N] [--cpu-budget SECONDS] [--tiny] [--json]

  1. builds `plateau` in release and runs `plateau bench --json --repeat N` (native; with the
     subnormal workload's per-epoch times and the f32 peak)
  2. builds the playground (release wasm, SIMD128, wasm-opt) into target/bench-page, served
     for what the page downloads before its first chart, and the bench site (the same plus the `bench` feature's
     entry points and bench.html) into target/bench-site, with TensorFlow.js from
     tests/e2e/node_modules copied into its tfjs/ folder, and serves the latter on 127.0.0.1
  3. opens bench.html in headless Chromium: our wasm engine, TF.js (wasm backend), TF.js (cpu
     backend) train every workload on the same data; each figure is the median of timed runs
     after a warm-up; then the subnormal workload and the f32 peak in wasm, and the playground
     page itself (a change to the whole overfit run drawn; the 5-seed band and the experiments)
  4. opens the playground's build in a fresh headless Chromium and records what it and its
     workers fetch until the first run is drawn (the download figure, gzip -9 per file; the
     datasets and lessons it fetches only when opened are listed apart)
  5. prints the table and the download sizes, and writes target/bench.json

  --repeat N            timed runs of our engine, native and wasm (default 5; they are cheap)
  --tfjs-repeat N       timed runs of TF.js per backend, after a warm-up (default 3)
  --cpu-budget SECONDS  a TF.js cpu-backend figure that would take longer than this is cut
                        short and only estimated (default 20)
  --tiny                every workload capped at 2 epochs and 1,000 rows, one timed run each: checks that the
                        whole bench works, in a few minutes; its figures mean nothing
  --json                end with the headline figures as one JSON object on one line (the
                        last line of the output; also in target/bench-summary.json)";

/// The TF.js files the bench page loads (and their packages' .wasm files), from
/// tests/e2e/node_modules/@tensorflow, copied flat into the site's tfjs/ folder.
const TFJS_FILES: [&str; 7] = [
    "tfjs-core/dist/tf-core.min.js",
    "tfjs-backend-cpu/dist/tf-backend-cpu.min.js",
    "tfjs-layers/dist/tf-layers.min.js",
    "tfjs-backend-wasm/dist/tf-backend-wasm.min.js",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm",
    "tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm",
];

pub fn cmd(args: &[String]) -> Result {
    run(args, None)
}

/// The bench; `built_page`: the playground already built from this tree (the test suite's
/// site), measured for its download instead of built again.
fn run(args: &[String], built_page: Option<&Path>) -> Result {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return Ok(());
    }
    let mut repeat = 5u32;
    let mut tfjs_repeat = 3u32;
    let mut cpu_budget = 20u32;
    let json = args.iter().any(|a| a == "--json");
    let tiny = args.iter().any(|a| a == "--tiny");
    let args: Vec<String> = args
        .iter()
        .filter(|a| *a != "--json" && *a != "--tiny")
        .cloned()
        .collect();
    for (name, value) in crate::options(&args, &["--repeat", "--tfjs-repeat", "--cpu-budget"])? {
        let n: u32 = value
            .parse()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| format!("{name} takes a whole number from 1 to 100, not `{value}`"))?;
        match name.as_str() {
            "--repeat" => repeat = n,
            "--tfjs-repeat" => tfjs_repeat = n,
            _ => cpu_budget = n,
        }
    }

    if tiny {
        (repeat, tfjs_repeat) = (1, 1);
    }
    let mut stages = Stages::new();
    let target = util::target_dir();
    let native_json = target.join("bench-native.json");
    let site = target.join("bench-site");
    let page_site = built_page.map_or_else(|| target.join("bench-page"), Path::to_path_buf);
    let out_json = target.join("bench.json");
    let summary_json = target.join("bench-summary.json");
    let report = target.join("bench.txt");
    let e2e = root().join("tests/e2e");

    stages.run("native: plateau bench (release)", || {
        native(repeat, tiny, &native_json)
    })?;
    stages.run("chromium", tools::ensure_chromium)?;
    stages.run("node + npm", tools::ensure_node)?;
    stages.run("npm ci (tests/e2e: playwright-core, TF.js)", || {
        tools::npm_ci(&e2e)
    })?;
    if built_page.is_none() {
        stages.run("playground build (release), for its size", || {
            site::build(&page_site)
        })?;
    }
    stages.run("bench site build (release, bench feature) + TF.js", || {
        site::build_bench(&site)?;
        copy_tfjs(&e2e.join("node_modules/@tensorflow"), &site.join("tfjs"))
    })?;
    let url = stages.run("static server", || Ok(serve::site_in_background(&site)?))?;
    // The playground's own build, for what it downloads before its first chart.
    let page_url = stages.run("static server (playground build)", || {
        Ok(serve::site_in_background(&page_site)?)
    })?;
    // "Chromium 156.0.8078.108 built on Debian…" -> "Chromium 156.0.8078.108"
    let chromium = util::output(Command::new(tools::CHROMIUM).arg("--version"))
        .map(|v| v.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "Chromium".into());
    stages.run("browser: wasm engine and TF.js (bench.mjs)", || {
        util::run(
            Command::new("node")
                .arg("bench.mjs")
                .args([
                    &native_json,
                    &site,
                    &page_site,
                    &out_json,
                    &report,
                    &summary_json,
                ])
                .current_dir(&e2e)
                .env("PLATEAU_URL", &url)
                .env("PLATEAU_PAGE_URL", &page_url)
                .env("BENCH_REPEAT", repeat.to_string())
                .env("BENCH_TFJS_REPEAT", tfjs_repeat.to_string())
                .env("BENCH_CPU_BUDGET_MS", (cpu_budget * 1000).to_string())
                .env("BENCH_PAGE_CHANGES", if tiny { "3" } else { "20" })
                .env("BENCH_CHROMIUM", &chromium),
        )
    })?;
    stages.summary();
    println!();
    print!("{}", fs::read_to_string(&report)?);
    println!("(also written to {})", out_json.display());
    if json {
        let line = fs::read_to_string(&summary_json)?;
        let line = line.trim();
        if !line.starts_with('{') || line.contains('\n') {
            bail!(
                "{} is not one JSON object on one line",
                summary_json.display()
            );
        }
        println!("{line}");
    }
    Ok(())
}

/// Epochs per workload under `--tiny`.
const TINY_EPOCHS: u32 = 2;
/// Rows per workload under `--tiny`: the largest setting's one epoch is ~40 s in TF.js's wasm
/// backend on a busy machine, and a check that the bench runs needs none of it.
const TINY_SAMPLES: u32 = 1000;

/// `plateau bench --json`, built in release; its output (the workloads, their queries and the
/// native figures) is what the browser side runs.
fn native(repeat: u32, tiny: bool, out: &Path) -> Result {
    util::run(util::cargo().args(["build", "--release", "-p", "plateau", "--bin", "plateau"]))?;
    let exe = util::target_dir().join(format!("release/plateau{}", std::env::consts::EXE_SUFFIX));
    let mut cmd = Command::new(&exe);
    cmd.args(["bench", "--json", "--repeat", &repeat.to_string()]);
    if tiny {
        cmd.args(["--epochs", &TINY_EPOCHS.to_string()]);
        cmd.args(["--samples", &TINY_SAMPLES.to_string()]);
    }
    println!(
        "$ {} {:?}",
        exe.display(),
        cmd.get_args().collect::<Vec<_>>()
    );
    let output = cmd
        .output()
        .map_err(|e| format!("could not start {}: {e}", exe.display()))?;
    if !output.status.success() {
        bail!(
            "plateau bench failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let json = String::from_utf8(output.stdout)?;
    if !json.trim_start().starts_with('{') {
        bail!("plateau bench --json printed something else than a JSON object:\n{json}");
    }
    fs::write(out, &json)?;
    println!("native figures written to {}", out.display());
    Ok(())
}

fn copy_tfjs(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to)?;
    for file in TFJS_FILES {
        let src = from.join(file);
        let name = Path::new(file).file_name().expect("a file name");
        fs::copy(&src, to.join(name)).map_err(|e| {
            format!(
                "{}: {e} (are tests/e2e's TF.js packages installed?)",
                src.display()
            )
        })?;
    }
    println!("TF.js copied into {}", to.display());
    Ok(())
}

/// The keys `--json` promises, per workload and at the top level.
const WORKLOAD_KEYS: [&str; 6] = [
    "plateau_wasm_ms",
    "plateau_native_ms",
    "tfjs_wasm_ms",
    "tfjs_cpu_ms",
    "gflops_wasm",
    "gflops_native",
];
const TOP_KEYS: [&str; 11] = [
    "peak_gflops_native",
    "peak_gflops_wasm",
    "payload_gzip_bytes",
    "first_load_files",
    "page",
    "change_to_full_run_ms",
    // When a once-a-frame check saw that drawing (up to a frame after it).
    "seen_at_frame_ms",
    // Where a change's time goes in the worker (issue 23: measured first, then cut).
    "worker_heard_ms",
    "worker_run_ms",
    "band_and_experiments_ms",
    "workers",
];

/// What is missing from a `--json` line (without a JSON parser: xtask has no dependencies).
/// Every workload's object must hold every workload key with a number (a TF.js figure may be
/// null: skipped over its budget); the top-level keys must be there with a value.
fn missing_keys(line: &str, workloads: &[&str]) -> Vec<String> {
    let mut missing = Vec::new();
    for w in workloads {
        let Some(at) = line.find(&format!("\"{w}\":{{")) else {
            missing.push(format!("workload {w}"));
            continue;
        };
        let object = &line[at..at + line[at..].find('}').unwrap_or(line.len() - at)];
        for key in WORKLOAD_KEYS {
            let value = object
                .split(&format!("\"{key}\":"))
                .nth(1)
                .map(|v| v.trim_start());
            let number = value.is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()));
            let null_ok = key.starts_with("tfjs") && value.is_some_and(|v| v.starts_with("null"));
            if !number && !null_ok {
                missing.push(format!("{w}.{key}"));
            }
        }
    }
    for key in TOP_KEYS {
        if !line.contains(&format!("\"{key}\":")) {
            missing.push(key.to_string());
        }
    }
    missing
}

/// What is wrong with a `--json` line's `first_load_files` (what the page fetched before its
/// first chart): it must hold the page and its engine, and nothing the page fetches only on
/// demand (a built-in dataset, a lesson).
fn first_load_problems(line: &str) -> Vec<String> {
    let key = "\"first_load_files\":[";
    let Some(at) = line.find(key) else {
        return vec!["no first_load_files list".into()];
    };
    let rest = &line[at + key.len()..];
    let list = &rest[..rest.find(']').unwrap_or(rest.len())];
    let files: Vec<&str> = list
        .split(',')
        .map(|f| f.trim().trim_matches('"'))
        .filter(|f| !f.is_empty())
        .collect();
    let mut problems = Vec::new();
    for needed in ["index.html", "pkg/plateau_bg.wasm"] {
        if !files.contains(&needed) {
            problems.push(format!("the first load lacks {needed}"));
        }
    }
    for f in files {
        if f.starts_with("datasets/") || f.starts_with("lessons/") {
            problems.push(format!("the first load counts {f}, fetched only on demand"));
        }
    }
    problems
}

/// For `cargo xtask test`: the whole bench on `--tiny` settings, checking that it runs and
/// prints every promised key. Never a timing.
/// `built_page`: the playground the suite has built from this tree.
pub fn tiny_check(built_page: &Path) -> Result {
    run(
        &["--tiny".to_string(), "--json".to_string()],
        Some(built_page),
    )?;
    let line = fs::read_to_string(util::target_dir().join("bench-summary.json"))?;
    let workloads = [
        "overfit", "unscaled", "scaled", "lr-high", "lr-low", "lr-good", "largest",
    ];
    let mut missing = missing_keys(line.trim(), &workloads);
    missing.extend(first_load_problems(line.trim()));
    if !missing.is_empty() {
        bail!("cargo xtask bench --json lacks {}", missing.join(", "));
    }
    println!("bench --tiny: every workload and key present");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_keys_and_accepts_skipped_tfjs() {
        let w = r#""overfit":{"plateau_wasm_ms":1.5,"plateau_native_ms":1,"tfjs_wasm_ms":9,"tfjs_cpu_ms":null,"gflops_wasm":2,"gflops_native":3}"#;
        let top = r#""peak_gflops_native":20,"peak_gflops_wasm":18,"payload_gzip_bytes":1,"first_load_files":[],"page":{"change_to_full_run_ms":3,"change_breakdown":{"seen_at_frame_ms":5,"worker_heard_ms":1,"worker_run_ms":2},"band_and_experiments_ms":4,"workers":0}"#;
        let line = format!("{{{w},{top}}}");
        assert!(missing_keys(&line, &["overfit"]).is_empty());
        assert_eq!(
            missing_keys(&line, &["overfit", "largest"]),
            ["workload largest"]
        );
        let bad = line.replace("\"gflops_wasm\":2", "\"gflops_wasm\":null");
        assert_eq!(missing_keys(&bad, &["overfit"]), ["overfit.gflops_wasm"]);
        let no_page = line.replace("\"workers\":0", "");
        assert_eq!(missing_keys(&no_page, &["overfit"]), ["workers"]);
    }

    #[test]
    fn the_first_load_holds_the_page_and_no_on_demand_file() {
        let good = r#"{"payload_gzip_bytes":9,"first_load_files":["app.js","index.html","pkg/plateau_bg.wasm"],"page":{}}"#;
        assert!(first_load_problems(good).is_empty());
        let dataset = good.replace("\"app.js\"", "\"datasets/iris.csv\"");
        assert_eq!(
            first_load_problems(&dataset),
            ["the first load counts datasets/iris.csv, fetched only on demand"]
        );
        let no_wasm = good.replace(",\"pkg/plateau_bg.wasm\"", "");
        assert_eq!(
            first_load_problems(&no_wasm),
            ["the first load lacks pkg/plateau_bg.wasm"]
        );
        assert_eq!(
            first_load_problems(r#"{"page":{}}"#),
            ["no first_load_files list"]
        );
    }
}

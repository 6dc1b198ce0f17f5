//! `cargo xtask test`: every test, native and in a real headless Chromium, failing fast.

use crate::bail;
use crate::util::{self, root, Background, Result, Stages};
use crate::{floor, fuzz, python, serve, site, tools};
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Pass/fail counts gathered from the test runners' own summary lines.
#[derive(Default)]
struct Counts {
    passed: u64,
    failed: u64,
    skipped: u64,
}

impl Counts {
    /// cargo test / wasm-bindgen-test: `test result: ok. 3 passed; 0 failed; 1 ignored; ...`
    fn add_cargo(&mut self, lines: &[String]) {
        for line in lines {
            let Some(rest) = line.trim().strip_prefix("test result: ") else {
                continue;
            };
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(what), Some(n)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(n) = n.parse::<u64>() else { continue };
                match what {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.skipped += n,
                    _ => {}
                }
            }
        }
    }

    /// pytest: `8 passed in 5.47s`, `1 failed, 7 passed, 2 skipped in 16.38s` (maybe framed
    /// by `=`).
    fn add_pytest(&mut self, lines: &[String]) {
        for line in lines {
            let line = line.trim().trim_matches('=').trim();
            let Some((counts, _)) = line.rsplit_once(" in ") else {
                continue;
            };
            let parts: Vec<(u64, &str)> = counts
                .split(", ")
                .filter_map(|part| {
                    let (n, what) = part.split_once(' ')?;
                    Some((n.parse().ok()?, what))
                })
                .collect();
            if parts.is_empty() || parts.len() != counts.split(", ").count() {
                continue;
            }
            for (n, what) in parts {
                match what {
                    "passed" => self.passed += n,
                    "failed" | "error" | "errors" => self.failed += n,
                    "skipped" => self.skipped += n,
                    _ => {}
                }
            }
        }
    }

    /// node --test (spec or tap reporter): `ℹ pass 3` / `# pass 3`, same for fail and skipped.
    fn add_node(&mut self, lines: &[String]) {
        for line in lines {
            let line = line.trim().trim_start_matches(['#', 'ℹ']).trim();
            let mut words = line.split_whitespace();
            let (Some(what), Some(n), None) = (words.next(), words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            match what {
                "pass" => self.passed += n,
                "fail" => self.failed += n,
                "skipped" => self.skipped += n,
                _ => {}
            }
        }
    }
}

/// Long enough to replay the seeds and corpus and try some thousands of new inputs; the long
/// runs are `cargo xtask fuzz --seconds N`.
const FUZZ_SMOKE_SECONDS: u64 = 30;

const USAGE: &str = "\
cargo xtask test [--skip native,fuzz,python,wasm,e2e]

Runs, in order, stopping at the first failure:
  1. the wasm32 target (rustup target add if missing)
  2. native tests: cargo test --workspace (the property tests in tests/properties.rs too)
  3. a fuzz smoke: `cargo xtask fuzz --seconds 30` (installs cargo-fuzz once)
  4. python: a venv with scikit-learn from PyPI (once per machine), then pytest tests/python:
     Copy as Python's data is exactly the playground's
  5. Chromium + ChromeDriver (apt-get install chromium chromium-driver if missing)
  6. node + npm
  7. wasm-bindgen-cli at the Cargo.lock version (built into ~/.cache/plateau once per machine)
  8. wasm tests in headless Chromium: every tests/wasm_*.rs, via wasm-bindgen-test-runner
  9. the site (release build) and its single-file form (esbuild from npm), the site served
     on 127.0.0.1, then npm ci and
     node --test tests/e2e/*.test.mjs with PLATEAU_URL set (the native CLI they compare with
     is built first)
 10. cargo xtask bench --tiny --json: the bench runs end to end (its figures are not checked)
--skip is for quick local loops only; CI runs everything.";

pub fn cmd(args: &[String]) -> Result {
    let mut skip: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--skip" => {
                let v = it
                    .next()
                    .ok_or("--skip needs a value, e.g. --skip native")?;
                skip.extend(v.split(',').map(str::to_string));
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    for s in &skip {
        if !matches!(s.as_str(), "native" | "fuzz" | "python" | "wasm" | "e2e") {
            bail!("--skip takes native, fuzz, python, wasm or e2e, not `{s}`");
        }
    }
    let skipped = |s: &str| skip.iter().any(|x| x == s);

    let mut stages = Stages::new();
    let mut counts = Counts::default();
    let res = run_all(&mut stages, &mut counts, &skipped);
    stages.summary();
    println!();
    println!(
        "tests: {} passed, {} failed, {} skipped",
        counts.passed, counts.failed, counts.skipped
    );
    if !skip.is_empty() {
        println!("(stages skipped on request: {})", skip.join(", "));
    }
    res
}

fn run_all(stages: &mut Stages, counts: &mut Counts, skipped: &dyn Fn(&str) -> bool) -> Result {
    // Downloads first, in the background: on a fresh machine apt's Chromium and pip's
    // scikit-learn arrive while the native tests build.
    let browser = !(skipped("wasm") && skipped("e2e"));
    let chromium = browser.then(|| Background::start(tools::ensure_chromium));
    let venv = (!skipped("python")).then(|| Background::start(python::ensure_venv));
    stages.run("wasm32 target", tools::ensure_wasm_target)?;

    if !skipped("native") {
        let mut lines = Vec::new();
        let res = stages.run("native tests (cargo test --workspace)", || {
            util::run_tee(util::cargo().args(["test", "--workspace"]), &mut lines)
        });
        counts.add_cargo(&lines);
        res?;
    }

    if !skipped("fuzz") {
        let runs = stages.run(
            &format!("fuzz smoke ({FUZZ_SMOKE_SECONDS} s, cargo-fuzz)"),
            || fuzz::run(FUZZ_SMOKE_SECONDS),
        )?;
        println!("fuzz smoke: {runs} inputs, no panic and no failed check");
    }

    if !skipped("python") {
        let venv = venv.expect("started when python is not skipped");
        let python = stages.run("python venv (scikit-learn, in the background)", || {
            venv.wait()
        })?;
        let mut lines = Vec::new();
        let res = stages.run("python tests (Copy as Python)", || {
            python::tests(&python, &mut lines)
        });
        counts.add_pytest(&lines);
        res?;
    }

    let Some(chromium) = chromium else {
        return Ok(());
    };
    stages.run("chromium + chromedriver (in the background)", || {
        chromium.wait()
    })?;
    let wb = stages.run("wasm-bindgen-cli", tools::ensure_wasm_bindgen)?;

    if !skipped("wasm") {
        let mut lines = Vec::new();
        let res = stages.run("wasm tests in headless chromium", || {
            wasm_tests(&wb, &mut lines)
        });
        counts.add_cargo(&lines);
        res?;
        // The measurement crate behind `cargo xtask size-floor` still compiles against the
        // engine and the charts (nothing else builds it).
        stages.run("size-floor crate (cargo check, wasm32)", floor::check)?;
        counts.passed += 1;
    }

    if !skipped("e2e") {
        stages.run("node + npm", tools::ensure_node)?;
        let site = util::target_dir().join("e2e-site");
        stages.run("site build (release)", || site::build(&site))?;
        let single = util::target_dir().join("e2e-single/plateau.html");
        stages.run("single-file build (esbuild)", || {
            fs::create_dir_all(single.parent().expect("a file has a folder"))?;
            site::single_file(&site, &single)
        })?;
        let url = stages.run("static server", || Ok(serve::site_in_background(&site)?))?;
        let e2e = root().join("tests/e2e");
        stages.run("npm ci (tests/e2e)", || tools::npm_ci(&e2e))?;
        // The browser tests compare the page with the native CLI: built here, once, so that no
        // cargo runs during them (PLATEAU_CLI_BUILT). (Building the bench's wasm beside them
        // saves nothing: cargo recompiles on every switch of the bench feature.)
        stages.run("native CLI (release)", || {
            util::run(util::cargo().args([
                "build",
                "--release",
                "-p",
                "plateau",
                "--bin",
                "plateau",
            ]))
        })?;
        let mut lines = Vec::new();
        let res = stages.run("browser tests (node --test)", || {
            node_tests(&e2e, &url, &mut lines)
        });
        counts.add_node(&lines);
        res?;
        // The bench on tiny settings: it runs end to end and prints every key (no timing).
        // It measures the download of the site built above rather than building it again.
        stages.run("cargo xtask bench --tiny --json", || {
            crate::bench::tiny_check(&site)
        })?;
        counts.passed += 1;
    }
    Ok(())
}

/// Files in `dir` whose names start with `prefix` and end with `suffix`, sorted.
fn files_like(dir: &Path, prefix: &str, suffix: &str) -> Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Browser tests written in Rust: each `tests/wasm_*.rs` is a test target that is empty
/// natively (`#![cfg(target_arch = "wasm32")]`) and runs in Chromium here.
fn wasm_tests(wb: &tools::WasmBindgen, lines: &mut Vec<String>) -> Result {
    let files = files_like(&root().join("tests"), "wasm_", ".rs")?;
    if files.is_empty() {
        bail!("no tests/wasm_*.rs test files: there is nothing to run in the browser");
    }
    let mut cmd = util::cargo();
    cmd.args([
        "test",
        "-p",
        "plateau",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    for f in &files {
        cmd.arg("--test")
            .arg(f.file_stem().expect("a file has a stem"));
    }
    cmd.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        &wb.test_runner,
    )
    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
    .env(
        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
        root().join("webdriver.json"),
    )
    .env("WASM_BINDGEN_USE_BROWSER", "1")
    // Else a failing test also dumps the runner's own (native, uninteresting) backtrace.
    .env_remove("RUST_BACKTRACE");
    // The runner's default 20 s per test file is short for debug-built training in wasm.
    if env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
        cmd.env("WASM_BINDGEN_TEST_TIMEOUT", "300");
    }
    util::run_tee(&mut cmd, lines)?;
    if !lines
        .iter()
        .any(|l| l.contains("Running headless tests in Chrome"))
    {
        bail!(
            "no wasm test ran in headless Chrome (do the tests/wasm_*.rs files hold any \
             #[wasm_bindgen_test]? are CHROMEDRIVER and webdriver.json right?)"
        );
    }
    Ok(())
}

fn node_tests(e2e: &Path, url: &str, lines: &mut Vec<String>) -> Result {
    let files = files_like(e2e, "", ".test.mjs")?;
    if files.is_empty() {
        bail!("no tests/e2e/*.test.mjs files");
    }
    let mut cmd = Command::new("node");
    // One file at a time: each launches its own Chromium, and CI has two cores.
    cmd.args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(&files)
        .current_dir(e2e)
        .env("PLATEAU_URL", url)
        .env("PLATEAU_CLI_BUILT", "1")
        .env(
            "PLATEAU_SINGLE_FILE",
            util::target_dir().join("e2e-single/plateau.html"),
        );
    util::run_tee(&mut cmd, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    #[test]
    fn counts_cargo_summaries() {
        let mut c = Counts::default();
        c.add_cargo(&lines(
            "test result: ok. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
             test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 filtered out; finished in 0.03s",
        ));
        assert_eq!((c.passed, c.failed, c.skipped), (6, 3, 1));
    }

    #[test]
    fn counts_pytest_summaries() {
        let mut c = Counts::default();
        c.add_pytest(&lines(
            "........ [100%]\n8 passed in 5.47s\n= 1 failed, 7 passed, 2 skipped in 16.38s =\nruns in 3 s",
        ));
        assert_eq!((c.passed, c.failed, c.skipped), (15, 1, 2));
    }

    #[test]
    fn counts_node_summaries() {
        let mut c = Counts::default();
        c.add_node(&lines(
            "ℹ tests 3\nℹ suites 0\nℹ pass 2\nℹ fail 1\nℹ cancelled 0\nℹ skipped 0\n✔ pass 2 things (3ms)",
        ));
        assert_eq!((c.passed, c.failed, c.skipped), (2, 1, 0));
        c.add_node(&lines("# pass 5\n# fail 0\n# skipped 1"));
        assert_eq!((c.passed, c.failed, c.skipped), (7, 1, 1));
    }
}

//! `cargo xtask fuzz [--seconds N]`: the coverage-guided fuzz target in fuzz/ (cargo-fuzz and
//! libFuzzer) for a bounded time. `cargo xtask test` runs a short smoke of it.
//!
//! The toolchain is stable. cargo-fuzz's instrumentation (`-Cpasses=sancov-module`, the
//! libFuzzer runtime) works there; only its sanitizers need nightly, so it runs with
//! `--sanitizer none` and `RUSTC_BOOTSTRAP=1` for the one `-Z` flag cargo-fuzz always passes.
//! Safe Rust has no memory errors for AddressSanitizer to find; what the target hunts is
//! panics and broken promises (its assertions).

use crate::bail;
use crate::util::{self, root, Result};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

const USAGE: &str = "\
cargo xtask fuzz [--seconds N]

Fuzzes fuzz/fuzz_targets/inputs.rs (the URL hash, one setting, the page's apply_hash and a
training step) for N seconds (default 60), starting from fuzz/seeds and the corpus kept in
target/fuzz-corpus. Installs cargo-fuzz from crates.io if missing. A crash fails with the
input that caused it (in fuzz/artifacts/inputs/).";

pub fn cmd(args: &[String]) -> Result {
    let mut seconds = 60u64;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                let v = it.next().ok_or("--seconds needs a value")?;
                seconds = parse_seconds(v)?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    let runs = run(seconds)?;
    println!("fuzz: {runs} inputs in {seconds} s, no panic and no failed check");
    Ok(())
}

fn parse_seconds(v: &str) -> Result<u64> {
    match v.parse::<u64>() {
        Ok(n) if (1..=86_400).contains(&n) => Ok(n),
        _ => bail!("--seconds takes a whole number from 1 to 86400, not `{v}`"),
    }
}

/// cargo-fuzz, installed from crates.io (pinned by its own lock file) when missing.
pub fn ensure_cargo_fuzz() -> Result {
    if util::output(util::cargo().args(["fuzz", "--version"])).is_some() {
        return Ok(());
    }
    println!("cargo-fuzz is missing: installing it from crates.io (a few minutes, once)");
    util::run(util::cargo().args(["install", "cargo-fuzz", "--locked"]))
}

/// Fuzzes for `seconds`; returns how many inputs were tried.
pub fn run(seconds: u64) -> Result<u64> {
    ensure_cargo_fuzz()?;
    let fuzz = root().join("fuzz");
    let corpus = util::target_dir().join("fuzz-corpus");
    std::fs::create_dir_all(&corpus)?;
    let mut cmd = util::cargo();
    cmd.current_dir(&fuzz)
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", "run", "inputs", "--sanitizer", "none"])
        .arg(&corpus)
        .arg(fuzz.join("seeds"))
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-dict={}", fuzz.join("inputs.dict").display()))
        .arg("-max_len=256")
        .stderr(Stdio::piped());
    println!(
        "$ RUSTC_BOOTSTRAP=1 cargo fuzz run inputs --sanitizer none … -max_total_time={seconds}"
    );
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start cargo fuzz: {e}"))?;
    let stderr = child.stderr.take().expect("stderr was piped");
    let mut runs = None;
    for line in BufReader::new(stderr).lines() {
        let line = line?;
        // libFuzzer's pulses and new-coverage lines are many; keep the log readable.
        if !line.contains(" NEW ") && !line.contains(" REDUCE ") && !line.contains("NEW_FUNC") {
            eprintln!("{line}");
        }
        if let Some(n) = done_runs(&line) {
            runs = Some(n);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!(
            "the fuzz target failed ({status}); the input is in {} (replay: cd fuzz && \
             RUSTC_BOOTSTRAP=1 cargo fuzz run inputs --sanitizer none <file>)",
            fuzz.join("artifacts/inputs").display()
        );
    }
    runs.ok_or_else(|| "cargo fuzz ended without libFuzzer's `Done N runs` line".into())
}

/// libFuzzer's last line: `Done 377 runs in 21 second(s)`.
fn done_runs(line: &str) -> Option<u64> {
    line.strip_prefix("Done ")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzers_summary_and_checks_seconds() {
        assert_eq!(done_runs("Done 377 runs in 21 second(s)"), Some(377));
        assert_eq!(done_runs("#377\tDONE   cov: 965"), None);
        assert!(parse_seconds("60").is_ok());
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("abc").is_err());
    }
}

//! The Python check of "Copy as Python": a virtualenv with the real scikit-learn and numpy
//! (pinned to the versions the fidelity fixtures were made with), built once per machine.

use crate::bail;
use crate::util::{self, root, Result};
use std::path::PathBuf;
use std::process::Command;

/// What the check needs from PyPI. numpy and scikit-learn are the fixtures' versions
/// (tests/fixtures/gen_*.py); pandas reads a file in the script of a CSV file of one's own.
const PACKAGES: [&str; 4] = [
    "numpy==2.4.6",
    "scikit-learn==1.9.1",
    "pandas==3.1.1",
    "pytest==9.2.0",
];

/// The venv's python, keyed by the package pins so a change of pin builds a fresh one.
fn venv_dir() -> PathBuf {
    let key: String = PACKAGES.join("_").replace(['=', '.'], "");
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home)
            .join(".cache/plateau")
            .join(format!("py-{key}")),
        None => util::target_dir().join(format!("py-{key}")),
    }
}

/// A python with [`PACKAGES`] installed, made with `python3 -m venv` and pip if missing.
pub fn ensure_venv() -> Result<PathBuf> {
    let dir = venv_dir();
    let python = dir.join("bin/python");
    let ready = dir.join(".complete");
    if ready.exists() {
        println!("python venv ready in {}", dir.display());
        return Ok(python);
    }
    if !util::on_path("python3") {
        bail!("python3 is not on PATH: the Copy-as-Python check needs it (apt-get install python3-venv)");
    }
    util::run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&dir),
    )?;
    util::run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(PACKAGES),
    )?;
    std::fs::write(&ready, PACKAGES.join("\n"))?;
    Ok(python)
}

/// Runs tests/python with pytest against the release CLI (built here if needed).
pub fn tests(python: &PathBuf, lines: &mut Vec<String>) -> Result {
    util::run(util::cargo().args(["build", "--release", "-p", "plateau", "--bin", "plateau"]))?;
    let bin = util::target_dir().join("release/plateau");
    util::run_tee(
        Command::new(python)
            .args([
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/python",
            ])
            .current_dir(root())
            .env("PLATEAU_BIN", bin),
        lines,
    )
}

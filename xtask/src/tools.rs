//! External tools the build needs: the wasm32 target, wasm-bindgen-cli, Chromium, Node.

use crate::bail;
use crate::util::{self, output, root, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The pinned wasm-bindgen-cli binaries.
pub struct WasmBindgen {
    pub version: String,
    pub bindgen: PathBuf,
    pub test_runner: PathBuf,
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock_path = root().join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let versions = locked_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [v] => Ok(v.clone()),
        [] => bail!("no `wasm-bindgen` package in Cargo.lock"),
        many => bail!("Cargo.lock holds several wasm-bindgen versions ({many:?}); keep one"),
    }
}

/// Every version of package `name` in a Cargo.lock's text.
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    let mut found = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                found.push(v.to_string());
            }
        }
    }
    found
}

/// Where the pinned CLI lives: a per-user cache keyed by version, so every clone on this
/// machine (CI's fresh clones included) builds it once; without a home, the target dir.
fn tools_root(version: &str) -> PathBuf {
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home)
            .join(".cache/plateau")
            .join(format!("wasm-bindgen-cli-{version}")),
        None => util::target_dir().join("tools"),
    }
}

fn reports_version(bin: &Path, version: &str) -> bool {
    output(Command::new(bin).arg("--version"))
        .map(|out| out.split_whitespace().nth(1) == Some(version))
        .unwrap_or(false)
}

/// Make sure `wasm-bindgen{,-test-runner}` exist at the Cargo.lock version, building them
/// from crates.io if not (a few minutes, once per machine).
pub fn ensure_wasm_bindgen() -> Result<WasmBindgen> {
    let version = locked_wasm_bindgen_version()?;
    let dir = tools_root(&version);
    let tools = WasmBindgen {
        bindgen: dir.join("bin/wasm-bindgen"),
        test_runner: dir.join("bin/wasm-bindgen-test-runner"),
        version,
    };
    if reports_version(&tools.bindgen, &tools.version)
        && reports_version(&tools.test_runner, &tools.version)
    {
        println!(
            "wasm-bindgen-cli {} already in {}",
            tools.version,
            dir.display()
        );
        return Ok(tools);
    }
    println!(
        "installing wasm-bindgen-cli {} into {} (built from crates.io; takes a few minutes)",
        tools.version,
        dir.display()
    );
    let t = Instant::now();
    let install = |locked: bool| {
        let mut cmd = util::cargo();
        cmd.args(["install", "wasm-bindgen-cli", "--force", "--version"])
            .arg(format!("={}", tools.version))
            .arg("--root")
            .arg(&dir);
        if locked {
            cmd.arg("--locked");
        }
        util::run(&mut cmd)
    };
    // --locked is reproducible, but its lock file can name versions the registry no longer
    // (or not yet) serves; then resolve afresh.
    if let Err(e) = install(true) {
        println!("`--locked` install failed ({e}); retrying without --locked");
        install(false)?;
    }
    if !reports_version(&tools.bindgen, &tools.version) {
        bail!(
            "{} does not report version {} after install",
            tools.bindgen.display(),
            tools.version
        );
    }
    println!(
        "installed wasm-bindgen-cli {} in {}",
        tools.version,
        util::secs(t.elapsed())
    );
    Ok(tools)
}

/// Make sure the wasm32 target is installed for the pinned toolchain.
pub fn ensure_wasm_target() -> Result {
    if util::on_path("rustup") {
        let mut list = Command::new("rustup");
        list.current_dir(root())
            .args(["target", "list", "--installed"]);
        let installed = output(&mut list).unwrap_or_default();
        if installed.lines().any(|l| l.trim() == WASM_TARGET) {
            println!("{WASM_TARGET} is installed");
            return Ok(());
        }
        return util::run(Command::new("rustup").current_dir(root()).args([
            "target",
            "add",
            WASM_TARGET,
        ]));
    }
    // No rustup: accept a toolchain that ships the target's std.
    let sysroot = output(Command::new("rustc").args(["--print", "sysroot"]))
        .ok_or("neither rustup nor rustc found")?;
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .is_dir()
    {
        println!("{WASM_TARGET} is installed (no rustup)");
        Ok(())
    } else {
        bail!("the {WASM_TARGET} target is missing and rustup is not available to add it")
    }
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// Make sure Debian's chromium and chromium-driver are installed; install them with apt-get if
/// not. A machine without them fails here: browser tests are never skipped.
pub fn ensure_chromium() -> Result {
    let present = || Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file();
    if !present() {
        println!(
            "{CHROMIUM} or {CHROMEDRIVER} missing: installing Debian's chromium + chromium-driver"
        );
        if !is_root() {
            bail!(
                "chromium is not installed and we are not root; run \
                 `sudo apt-get update && sudo apt-get install -y chromium chromium-driver`"
            );
        }
        if !util::on_path("apt-get") {
            bail!("chromium is not installed and there is no apt-get to install it");
        }
        util::run(
            Command::new("apt-get")
                .arg("update")
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
        util::run(
            Command::new("apt-get")
                .args(["install", "-y", "chromium", "chromium-driver"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
        if !present() {
            bail!("apt-get finished but {CHROMIUM} / {CHROMEDRIVER} are still missing");
        }
    }
    let browser = output(Command::new(CHROMIUM).arg("--version"))
        .ok_or_else(|| format!("`{CHROMIUM} --version` failed"))?;
    let driver = output(Command::new(CHROMEDRIVER).arg("--version"))
        .ok_or_else(|| format!("`{CHROMEDRIVER} --version` failed"))?;
    println!("{browser}\n{driver}");
    let major = |s: &str| {
        s.split_whitespace()
            .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .and_then(|v| v.split('.').next().map(str::to_string))
    };
    if major(&browser) != major(&driver) {
        bail!("chromium and chromedriver major versions differ: `{browser}` vs `{driver}`");
    }
    Ok(())
}

/// wasm-opt's passes for the playground's module: speed first (-O3; -Oz saves only 0.3 KiB
/// gzip more here), with exactly the wasm features rustc's wasm32 target emits (SIMD128 from
/// .cargo/config.toml), and no debug or producer sections.
pub const WASM_OPT_ARGS: [&str; 10] = [
    "-O3",
    "--enable-simd",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
    "--strip-debug",
    "--strip-producers",
];

/// binaryen's npm package, pinned in tests/e2e/package.json (with playwright-core and TF.js).
/// Not Debian's `binaryen` (108): its -O3 swaps the two tables of a wasm-bindgen module (the
/// `__wbindgen_externrefs` export then names the function table and the page fails to start).
const BINARYEN_VERSION: &str = "132";

/// Make sure the pinned `wasm-opt` is installed (`npm ci` in tests/e2e when it is missing or
/// another version), and return it.
pub fn ensure_wasm_opt() -> Result<PathBuf> {
    let e2e = root().join("tests/e2e");
    let wasm_opt = e2e.join("node_modules/binaryen/bin/wasm-opt");
    let version = || output(Command::new("node").arg(&wasm_opt).arg("--version"));
    // "wasm-opt version 132 (version_132)"
    let pinned = |v: &str| v.contains(&format!("version {BINARYEN_VERSION} "));
    if !version().is_some_and(|v| pinned(&v)) {
        ensure_node()?;
        npm_ci(&e2e)?;
    }
    let v =
        version().ok_or_else(|| format!("{} --version fails after npm ci", wasm_opt.display()))?;
    if !pinned(&v) {
        bail!(
            "{} is `{v}`, not binaryen {BINARYEN_VERSION} as pinned",
            wasm_opt.display()
        );
    }
    println!("{v}");
    Ok(wasm_opt)
}

/// Make sure node (>= 20, for `node --test` and playwright-core) and npm are present.
pub fn ensure_node() -> Result {
    let node = output(Command::new("node").arg("--version"))
        .ok_or("node is not installed (Node.js >= 20 is needed for the browser tests)")?;
    let npm = output(Command::new("npm").arg("--version")).ok_or("npm is not installed")?;
    let major: u32 = node
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        bail!("node {node} is too old; the browser tests need Node.js >= 20");
    }
    println!("node {node}, npm {npm}");
    Ok(())
}

/// `npm ci` in `dir`: exactly the locked packages, quietly.
pub fn npm_ci(dir: &Path) -> Result {
    util::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .env("NPM_CONFIG_UPDATE_NOTIFIER", "false"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_versions_in_a_lock_file() {
        let lock = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.130"
"#;
        assert_eq!(locked_versions(lock, "wasm-bindgen"), ["0.2.130"]);
        assert!(locked_versions(lock, "js-sys").is_empty());
    }

    #[test]
    fn the_lock_file_pins_one_wasm_bindgen() {
        let v = locked_wasm_bindgen_version().unwrap();
        assert!(v.starts_with("0.2."), "{v}");
    }
}

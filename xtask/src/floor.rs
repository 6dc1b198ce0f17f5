//! `cargo xtask size-floor`: the least the page's first load can weigh. The first chart needs a
//! run trained and drawn, so the engine and the charts are in it whatever else is split off.
//! This builds xtask/size-floor's module, which does only that with the playground's own
//! engine and chart code, exactly as the site build does (release, SIMD128, wasm-bindgen,
//! wasm-opt), and prints its download beside the training alone and the drawing alone.

use crate::bail;
use crate::site::{bind_and_optimise, gzip_len};
use crate::tools;
use crate::util::{self, root, Result};
use std::fs;

/// The target for the page's whole first load, gzip.
const TARGET_KIB: f64 = 150.0;

/// (cargo feature, what the module does).
const FLOORS: [(&str, &str); 3] = [
    (
        "both",
        "one run trained and drawn (loss and accuracy charts)",
    ),
    ("engine", "the training alone"),
    ("charts", "the drawing alone"),
];

pub fn cmd(args: &[String]) -> Result {
    if !args.is_empty() {
        bail!("size-floor takes no options");
    }
    tools::ensure_wasm_target()?;
    let wasm_opt = tools::ensure_wasm_opt()?;
    let bindgen = tools::ensure_wasm_bindgen()?.bindgen;
    let target = util::target_dir().join("size-floor");
    let mut rows = Vec::new();
    for (feature, what) in FLOORS {
        cargo_floor(&["build", "--release"], feature)?;
        let wasm = target.join("wasm32-unknown-unknown/release/size_floor.wasm");
        let out = target.join(format!("pkg-{feature}"));
        let _ = fs::remove_dir_all(&out);
        bind_and_optimise(&bindgen, &wasm_opt, &wasm, &out)?;
        let sizes = |name: &str| -> Result<(u64, u64)> {
            let bytes = fs::read(out.join(name))?;
            let gz = gzip_len(&bytes).ok_or("gzip is needed to measure the download")?;
            Ok((bytes.len() as u64, gz))
        };
        rows.push((what, sizes("size_floor_bg.wasm")?, sizes("size_floor.js")?));
    }
    let kib = |b: u64| b as f64 / 1024.0;
    println!(
        "\nthe floor under the first load (raw / gzip -9 KiB; wasm after wasm-opt, and its glue):"
    );
    for (what, wasm, glue) in &rows {
        println!(
            "  {what:<54} wasm {:>6.1} / {:>5.1}   glue {:>5.1} / {:>4.1}   together {:>5.1} gzip",
            kib(wasm.0),
            kib(wasm.1),
            kib(glue.0),
            kib(glue.1),
            kib(wasm.1 + glue.1)
        );
    }
    let (_, wasm, glue) = rows[0];
    let floor = kib(wasm.1 + glue.1);
    println!(
        "  of the {TARGET_KIB:.0} KiB target, {floor:.1} go to training and drawing the first run; \
         {:.1} KiB are left for the page's HTML, CSS, scripts, controls, panel and diagnosis",
        TARGET_KIB - floor
    );
    Ok(())
}

/// `cargo check` of each floor, for the test command: the crate is outside the workspace, so
/// nothing else compiles it, and a change to the engine's or the charts' API would otherwise
/// break `size-floor` unseen.
pub fn check() -> Result {
    for (feature, _) in FLOORS {
        cargo_floor(&["check"], feature)?;
    }
    Ok(())
}

/// `cargo <args>` on xtask/size-floor for wasm32 with `feature`, in its own target folder, after
/// copying the playground's lockfile beside it so that it uses the very same crate versions.
fn cargo_floor(args: &[&str], feature: &str) -> Result {
    let dir = root().join("xtask/size-floor");
    fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))?;
    util::run(
        util::cargo()
            .args(args)
            .args(["--target", "wasm32-unknown-unknown", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(util::target_dir().join("size-floor"))
            .args(["--features", feature]),
    )
}

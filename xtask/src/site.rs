//! Building the static site: the wasm module, its JS glue, and the page from www/.

use crate::bail;
use crate::tools::{self, WasmBindgen};
use crate::util::{self, root, Result};
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// A file in every folder xtask builds, so it only ever deletes folders it made itself.
const MARKER: &str = ".plateau-site";

/// The bench page's files in www/: only the bench site has them (the playground's would
/// fail without TF.js, which only `cargo xtask bench` copies in).
const BENCH_PAGE: [&str; 2] = ["bench.html", "bench.js"];

/// Build the playground into `out` (emptied first): release wasm, optimised by wasm-opt, its
/// wasm-bindgen glue in `out/pkg`, and www/ without the bench page. Prints the sizes of what a
/// browser downloads.
pub fn build(out: &Path) -> Result {
    build_site(out, false)
}

/// The bench site: the playground plus the bench page, with the engine built with the
/// `bench` feature (its timing entry points). `cargo xtask bench` adds TF.js to it.
pub fn build_bench(out: &Path) -> Result {
    build_site(out, true)
}

fn build_site(out: &Path, bench: bool) -> Result {
    let www = root().join("www");
    if !www.join("index.html").is_file() {
        bail!("{} is missing", www.join("index.html").display());
    }
    tools::ensure_wasm_target()?;
    let wasm_opt = tools::ensure_wasm_opt()?;
    let mut cargo = util::cargo();
    cargo.args([
        "build",
        "--lib",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "plateau",
    ]);
    if bench {
        cargo.args(["--features", "bench"]);
    }
    util::run(&mut cargo)?;
    let wasm = util::target_dir().join("wasm32-unknown-unknown/release/plateau.wasm");
    if !wasm.is_file() {
        bail!("cargo build succeeded but {} is missing", wasm.display());
    }
    let WasmBindgen { bindgen, .. } = tools::ensure_wasm_bindgen()?;

    clean_dir(out)?;
    bind_and_optimise(&bindgen, &wasm_opt, &wasm, &out.join("pkg"))?;
    let skip: &[&str] = if bench { &[] } else { &BENCH_PAGE };
    copy_dir(&www, out, true, skip)?;
    // The built-in datasets, fetched by the page only when a student opens one.
    fs::create_dir_all(out.join("datasets"))?;
    copy_dir(&root().join("datasets"), &out.join("datasets"), false, &[])?;
    println!("site written to {}", out.display());
    print_sizes(out)?;
    Ok(())
}

/// wasm-bindgen's web glue for rustc's module `wasm` into `pkg`, then wasm-opt over the module
/// it writes there (`<name>_bg.wasm`), as every module the page loads is built.
pub fn bind_and_optimise(bindgen: &Path, wasm_opt: &Path, wasm: &Path, pkg: &Path) -> Result {
    util::run(
        Command::new(bindgen)
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(pkg)
            .arg(wasm),
    )?;
    let stem = wasm
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let module = pkg.join(format!("{stem}_bg.wasm"));
    util::run(
        Command::new("node")
            .arg(wasm_opt)
            .args(tools::WASM_OPT_ARGS)
            .arg(&module)
            .arg("-o")
            .arg(&module),
    )
}

/// Bundles the built site in `site` into one HTML file `out` (wasm, scripts and styles inlined)
/// with esbuild, pinned in xtask/js and installed from npm on first use.
pub fn single_file(site: &Path, out: &Path) -> Result {
    tools::ensure_node()?;
    let js = root().join("xtask/js");
    tools::npm_ci(&js)?;
    util::run(
        Command::new("node")
            .arg(js.join("single-file.mjs"))
            .arg(site)
            .arg(out),
    )?;
    let bytes = fs::read(out)?;
    let gz = gzip_len(&bytes).map_or("gzip unavailable".into(), util::size);
    println!(
        "single file: {} raw / {gz} gzip",
        util::size(bytes.len() as u64)
    );
    Ok(())
}

/// Empty `dir` (or create it). Refuses to delete a non-empty folder xtask did not make.
pub fn clean_dir(dir: &Path) -> Result {
    if dir.exists() {
        let empty = fs::read_dir(dir)?.next().is_none();
        if !empty && !dir.join(MARKER).exists() {
            bail!(
                "{} exists and was not made by xtask (no {MARKER}); remove it yourself",
                dir.display()
            );
        }
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join(MARKER),
        "built by `cargo xtask`; this folder is replaced on every build\n",
    )?;
    Ok(())
}

/// Copy the page's files, but the top-level ones named in `skip`. A stray www/pkg (from some
/// other build) is not copied over ours.
fn copy_dir(from: &Path, to: &Path, top: bool, skip: &[&str]) -> Result {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if top && name == "pkg" {
            println!("note: ignoring www/pkg; the site's pkg/ comes from this build");
            continue;
        }
        if top && skip.iter().any(|s| name == *s) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&dst)?;
            copy_dir(&src, &dst, false, &[])?;
        } else {
            fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

pub fn gzip_len(bytes: &[u8]) -> Option<u64> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

fn print_sizes(out: &Path) -> Result {
    println!("sizes (raw / gzip -9):");
    for name in ["pkg/plateau_bg.wasm", "pkg/plateau.js"] {
        let bytes = fs::read(out.join(name)).map_err(|e| format!("{name}: {e}"))?;
        let gz = gzip_len(&bytes).map_or("gzip unavailable".into(), util::size);
        println!("  {name:<22} {:>11} / {gz}", util::size(bytes.len() as u64));
    }
    Ok(())
}

/// Root-relative or absolute URLs in the page's files: they break when the site is hosted in a
/// sub-folder (a course page, GitHub Pages project site), or reach off-origin.
pub fn non_relative_urls(site: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(site)? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "css" | "js" | "mjs") {
            continue;
        }
        let text = fs::read_to_string(&path)?;
        for (i, line) in text.lines().enumerate() {
            if let Some(bad) = find_non_relative(line) {
                found.push(format!(
                    "{}:{}: {bad}",
                    path.file_name().unwrap().to_string_lossy(),
                    i + 1
                ));
            }
        }
    }
    Ok(found)
}

fn find_non_relative(line: &str) -> Option<String> {
    const OPENERS: [&str; 10] = [
        "src=\"",
        "src='",
        "href=\"",
        "href='",
        "from \"",
        "from '",
        "import(\"",
        "import('",
        "url(",
        "url(\"",
    ];
    for opener in OPENERS {
        let mut rest = line;
        while let Some(at) = rest.find(opener) {
            let after = &rest[at + opener.len()..];
            let after = after.trim_start_matches(['"', '\'']);
            if after.starts_with('/') || after.starts_with("http:") || after.starts_with("https:") {
                let end = after.find(['"', '\'', ')', ' ']).unwrap_or(after.len());
                return Some(format!("{opener}{}", &after[..end]));
            }
            rest = &rest[at + opener.len()..];
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_pass_and_rooted_ones_are_found() {
        assert_eq!(find_non_relative(r#"<script src="./app.js">"#), None);
        assert_eq!(
            find_non_relative("import init from './pkg/plateau.js';"),
            None
        );
        assert_eq!(
            find_non_relative(r#"<link rel="icon" href="data:,">"#),
            None
        );
        assert_eq!(find_non_relative("a { background: url(img/x.png) }"), None);
        assert!(find_non_relative(r#"<script src="/app.js">"#).is_some());
        assert!(find_non_relative("import x from '/pkg/plateau.js';").is_some());
        assert!(find_non_relative(r#"<link href="https://cdn.example/x.css">"#).is_some());
        assert!(find_non_relative("b { font: url(//fonts.example/f.woff2) }").is_some());
    }
}

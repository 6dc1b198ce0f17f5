//! The project's commands: `cargo xtask <command>` (see USAGE).
//!
//! Small on purpose: a fresh clone builds this in seconds and needs nothing but cargo (its one
//! dependency, httparse, parses the development server's requests).

mod bench;
mod floor;
mod fuzz;
mod python;
mod serve;
mod site;
mod test;
mod tools;
mod util;

use util::{root, Result};

const USAGE: &str = "\
usage: cargo xtask <command>

  build [--out DIR]   build the site (release wasm + glue + www/) into target/site or DIR
  serve [--port N]    build, then serve the site on http://127.0.0.1:N/ (default 8000;
                      a busy port moves to the next free one). Ctrl-C stops it.
  dist [--single-file]
                      write a self-contained static site to dist/ (relative URLs only);
                      --single-file: one dist/plateau.html with the wasm and scripts inlined,
                      for opening from disk or uploading to an LMS
  test [--skip ...]   run every test: native, Python (Copy as Python vs scikit-learn), wasm in
                      headless Chromium, page end-to-end
                      (`cargo xtask test --help` for the stages)
  bench [--repeat N]  time this engine natively, as wasm in headless Chromium, and
                      TensorFlow.js there; print ratios and download sizes
                      (`cargo xtask bench --help`)
  fuzz [--seconds N]  fuzz the hash, settings and page with cargo-fuzz for N s (default 60)
  size-floor          build the least module a first chart needs (one run trained and drawn,
                      with the playground's engine and charts) and print its download";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or(&[]);
    let res = match args.first().map(String::as_str) {
        Some("build") => build(rest),
        Some("serve") => serve_cmd(rest),
        Some("dist") => dist(rest),
        Some("test") => test::cmd(rest),
        Some("bench") => bench::cmd(rest),
        Some("fuzz") => fuzz::cmd(rest),
        Some("size-floor") => floor::cmd(rest),
        None | Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}").into()),
    };
    if let Err(e) = res {
        eprintln!("\nxtask: error: {e}");
        std::process::exit(1);
    }
}

/// Parse `--name VALUE` / `--name=VALUE` options; anything else is an error.
fn options(args: &[String], known: &[&str]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => {
                let v = it.next().ok_or_else(|| format!("{arg} needs a value"))?;
                (arg.clone(), v.clone())
            }
        };
        if !known.contains(&name.as_str()) {
            return Err(format!("unknown option `{arg}`\n\n{USAGE}").into());
        }
        out.push((name, value));
    }
    Ok(out)
}

fn build(args: &[String]) -> Result {
    let mut out = util::target_dir().join("site");
    for (_, v) in options(args, &["--out"])? {
        out = std::env::current_dir()?.join(v);
    }
    site::build(&out)?;
    warn_non_relative(&out)?;
    Ok(())
}

fn serve_cmd(args: &[String]) -> Result {
    let mut port = 8000u16;
    for (_, v) in options(args, &["--port"])? {
        port = v
            .parse()
            .map_err(|_| format!("--port takes a number, not `{v}`"))?;
    }
    let site = util::target_dir().join("site");
    site::build(&site)?;
    warn_non_relative(&site)?;
    let listener = serve::bind(port, 20).map_err(|e| {
        format!(
            "cannot listen on 127.0.0.1 ports {port}..{}: {e}",
            port.saturating_add(19)
        )
    })?;
    let addr = listener.local_addr()?;
    println!();
    println!(
        "serving {} at http://{addr}/  (Ctrl-C to stop)",
        site.display()
    );
    serve::serve(listener, site, true)?;
    Ok(())
}

fn dist(args: &[String]) -> Result {
    let single_file = match args {
        [] => false,
        [flag] if flag == "--single-file" => true,
        _ => return Err(format!("dist takes only --single-file\n\n{USAGE}").into()),
    };
    let out = root().join("dist");
    if single_file {
        let site = util::target_dir().join("single-file-site");
        site::build(&site)?;
        site::clean_dir(&out)?;
        let file = out.join("plateau.html");
        site::single_file(&site, &file)?;
        println!("dist/plateau.html is ready: open it from disk or upload the one file");
        return Ok(());
    }
    site::build(&out)?;
    let bad = site::non_relative_urls(&out)?;
    if !bad.is_empty() {
        return Err(format!(
            "dist/ must work from any static host and sub-folder, but these URLs are not \
             relative:\n  {}",
            bad.join("\n  ")
        )
        .into());
    }
    println!("dist/ is ready: copy the folder to any static host");
    Ok(())
}

fn warn_non_relative(site: &std::path::Path) -> Result {
    for b in site::non_relative_urls(site)? {
        println!("warning: not a relative URL (breaks `cargo xtask dist`): {b}");
    }
    Ok(())
}

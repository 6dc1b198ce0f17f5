//! Small helpers shared by the commands: paths, running child processes, stage timing.

use std::env;
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// `bail!("...")`: return an error built from a format string.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => { return Err(format!($($arg)*).into()) };
}

/// The workspace root (the folder holding the top-level Cargo.toml).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR` like cargo does.
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                env::current_dir().unwrap_or_else(|_| root()).join(dir)
            }
        }
        _ => root().join("target"),
    }
}

/// A `cargo` command (the same cargo that runs xtask), started in the workspace root.
pub fn cargo() -> Command {
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    cmd.current_dir(root());
    cmd
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.contains(' ') || arg.is_empty() {
            s.push_str(&format!(" '{arg}'"));
        } else {
            s.push(' ');
            s.push_str(&arg);
        }
    }
    s
}

/// Run a command with inherited stdio; an error if it can't start or exits non-zero.
/// A step started on its own thread, to be waited for where its result is needed: the
/// downloads (apt, pip) that need little CPU overlap the builds that need it all.
pub struct Background<T>(std::thread::JoinHandle<std::result::Result<T, String>>);

impl<T: Send + 'static> Background<T> {
    pub fn start(step: impl FnOnce() -> Result<T> + Send + 'static) -> Self {
        Background(std::thread::spawn(move || {
            step().map_err(|e| e.to_string())
        }))
    }

    pub fn wait(self) -> Result<T> {
        match self.0.join() {
            Ok(result) => result.map_err(Into::into),
            Err(_) => bail!("a background step panicked"),
        }
    }
}

pub fn run(cmd: &mut Command) -> Result {
    let line = describe(cmd);
    println!("$ {line}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Like [`run`], but also collects every line the command prints on stdout (echoed live)
/// into `lines`, which keeps them when the command fails.
pub fn run_tee(cmd: &mut Command, lines: &mut Vec<String>) -> Result {
    let line = describe(cmd);
    println!("$ {line}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    let stdout = child.stdout.take().expect("stdout was piped");
    for l in BufReader::new(stdout).lines() {
        let l = l?;
        println!("{l}");
        lines.push(l);
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Capture a command's stdout (trimmed); `None` if it can't start or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Whether `name` is an executable found on PATH.
pub fn on_path(name: &str) -> bool {
    env::var_os("PATH")
        .map(|paths| env::split_paths(&paths).any(|p| p.join(name).is_file()))
        .unwrap_or(false)
}

/// Named, timed stages: each prints a header, and a summary table can be printed at the end.
pub struct Stages {
    done: Vec<(String, Duration, bool)>,
    started: Instant,
}

impl Stages {
    pub fn new() -> Self {
        Stages {
            done: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Run one stage; on failure the error names the stage.
    pub fn run<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        println!();
        println!("==> {name}");
        let t = Instant::now();
        let res = f();
        let took = t.elapsed();
        self.done.push((name.to_string(), took, res.is_ok()));
        match res {
            Ok(v) => {
                println!("<== {name}: ok ({})", secs(took));
                Ok(v)
            }
            Err(e) => {
                println!("<== {name}: FAILED ({})", secs(took));
                Err(format!("stage `{name}` failed: {e}").into())
            }
        }
    }

    pub fn summary(&self) {
        println!();
        println!("stage timings:");
        for (name, took, ok) in &self.done {
            let mark = if *ok { "ok    " } else { "FAILED" };
            println!("  {mark} {:>8}  {name}", secs(*took));
        }
        println!("  total  {:>8}", secs(self.started.elapsed()));
    }
}

pub fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// Human size, e.g. `1.23 MiB`.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.2} MiB", bytes as f64 / (1u64 << 20) as f64)
    } else if bytes >= 1 << 10 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

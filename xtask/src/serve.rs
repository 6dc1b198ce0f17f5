//! The development and test server: static files from the site folder on 127.0.0.1, served
//! by tiny_http (HTTP parsing, keep-alive and HEAD are its job).
//!
//! What is ours: the right MIME types (`application/wasm` lets the browser compile while
//! downloading), `Cache-Control: no-cache` so a rebuild is picked up on reload, no way out of
//! the site folder, and the strict Content-Security-Policy an LMS host would send, so a
//! violation shows up while developing, not in a course.

use std::fs;
use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::thread;
use tiny_http::{Header, Method, Request, Response, Server};

/// The policy `www/index.html` declares in its meta tag, sent as a header too (a test keeps
/// the two equal): nothing leaves the origin; 'wasm-unsafe-eval' lets the engine compile;
/// inline style attributes are how plotters measures chart text.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' \
    'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src \
    'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/// Bind 127.0.0.1:`port`, or the next free port among the following `tries - 1`.
/// Port 0 asks the OS for any free port.
pub fn bind(port: u16, tries: u16) -> io::Result<TcpListener> {
    let mut last_err = None;
    for p in (0..tries.max(1)).filter_map(|i| port.checked_add(i)) {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, p)) {
            Ok(listener) => {
                if p != port {
                    println!("using port {p} instead of {port}");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == ErrorKind::AddrInUse => {
                println!("port {p} is in use");
                last_err = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::new(ErrorKind::AddrInUse, "no port to try")))
}

/// Serve `root` on `listener` until the process ends. `log` prints one line per request.
pub fn serve(listener: TcpListener, root: PathBuf, log: bool) -> io::Result<()> {
    let root = root.canonicalize()?;
    let server = Server::from_listener(listener, None).map_err(io::Error::other)?;
    for request in server.incoming_requests() {
        // One thread per request: a response written to a connection the browser is not
        // reading yet (the wasm, while it waits for a script queued behind it) must not hold
        // up every other request. Answered in turn, the page could hang loading.
        let root = root.clone();
        thread::spawn(move || {
            let line = format!("{} {}", request.method(), request.url());
            let status = respond(&root, request);
            if log {
                match status {
                    Ok(code) => println!("{line} -> {code}"),
                    Err(e) => eprintln!("{line} -> {e}"),
                }
            }
        });
    }
    Ok(())
}

/// Serve `site` on any free loopback port in the background; returns its URL (for the
/// browser tests and the benchmark).
pub fn site_in_background(site: &Path) -> io::Result<String> {
    let addr = spawn(bind(0, 1)?, site.to_path_buf())?;
    let url = format!("http://{addr}/");
    println!("serving {} at {url}", site.display());
    Ok(url)
}

/// Start [`serve`] on a background thread; returns the address it listens on.
pub fn spawn(listener: TcpListener, root: PathBuf) -> io::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    let root = root.canonicalize()?;
    thread::spawn(move || serve(listener, root, false));
    Ok(addr)
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("header names and values here are ASCII")
}

/// Answers one request; returns the status code sent.
fn respond(root: &Path, request: Request) -> io::Result<u16> {
    let (code, content_type, body, location) = match request.method() {
        Method::Get | Method::Head => lookup(root, request.url()),
        _ => (
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n".to_vec(),
            None,
        ),
    };
    let mut response = Response::from_data(body)
        .with_status_code(code)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Content-Security-Policy", CONTENT_SECURITY_POLICY));
    if code == 405 {
        response.add_header(header("Allow", "GET, HEAD"));
    }
    if let Some(location) = location {
        response.add_header(header("Location", &location));
    }
    request.respond(response)?;
    Ok(code)
}

type Found = (u16, &'static str, Vec<u8>, Option<String>);

fn not_found() -> Found {
    (
        404,
        "text/plain; charset=utf-8",
        b"no such file\n".to_vec(),
        None,
    )
}

/// The file a request target names inside `root`, a redirect for a folder without its
/// trailing slash, or a 404.
fn lookup(root: &Path, target: &str) -> Found {
    let path_part = target.split(['?', '#']).next().unwrap_or("");
    let Some(rel) = path_part
        .starts_with('/')
        .then(|| safe_relative_path(path_part))
        .flatten()
    else {
        return not_found();
    };
    let mut file = root.join(&rel);
    if file.is_dir() {
        if !path_part.ends_with('/') {
            // Relative URLs in index.html resolve against the folder only with a trailing slash.
            return (
                301,
                "text/plain; charset=utf-8",
                Vec::new(),
                Some(format!("{path_part}/")),
            );
        }
        file = file.join("index.html");
    }
    // Symlinks must not lead out of the site either.
    let inside = file
        .canonicalize()
        .map(|c| c.starts_with(root))
        .unwrap_or(false);
    match fs::read(&file) {
        Ok(body) if inside && file.is_file() => (200, mime_type(&file), body, None),
        _ => not_found(),
    }
}

/// The request path as a relative path inside the site, or `None` if it tries to leave it
/// (`..`), is not valid percent-encoding / UTF-8, or names something odd (NUL, backslash).
fn safe_relative_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    let mut rel = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => continue,
            ".." => return None,
            s if s.contains(['\\', '\0']) => return None,
            s => rel.push(s),
        }
    }
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Some(rel)
    } else {
        None
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(safe_relative_path("/"), Some(PathBuf::new()));
        assert_eq!(
            safe_relative_path("/pkg/plateau.js"),
            Some(PathBuf::from("pkg/plateau.js"))
        );
        assert_eq!(safe_relative_path("/./a//b"), Some(PathBuf::from("a/b")));
        assert_eq!(
            safe_relative_path("/my%20file.txt"),
            Some(PathBuf::from("my file.txt"))
        );
        assert_eq!(safe_relative_path("/../etc/passwd"), None);
        assert_eq!(safe_relative_path("/pkg/../../x"), None);
        assert_eq!(safe_relative_path("/%2e%2e/etc/passwd"), None);
        assert_eq!(safe_relative_path("/a%2f..%2f..%2fx"), None);
        assert_eq!(safe_relative_path("/a%5c..%5cx"), None);
        assert_eq!(safe_relative_path("/a%00"), None);
        assert_eq!(safe_relative_path("/bad%zz"), None);
        assert_eq!(safe_relative_path("/bad%"), None);
    }

    #[test]
    fn mime_types() {
        assert_eq!(
            mime_type(Path::new("a/plateau_bg.wasm")),
            "application/wasm"
        );
        assert_eq!(
            mime_type(Path::new("app.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            mime_type(Path::new("INDEX.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(mime_type(Path::new("x")), "application/octet-stream");
    }

    /// The header is the policy the pages declare, so the dev server enforces what an LMS
    /// host copying it would, and the two cannot drift apart.
    #[test]
    fn the_header_policy_is_the_pages_own() {
        for page in ["www/index.html", "www/bench.html"] {
            let html = fs::read_to_string(crate::util::root().join(page)).unwrap();
            let meta = html
                .split("http-equiv=\"Content-Security-Policy\"")
                .nth(1)
                .and_then(|rest| rest.split("content=\"").nth(1))
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{page} declares no Content-Security-Policy"));
            assert_eq!(meta, CONTENT_SECURITY_POLICY, "{page}");
        }
    }

    fn get(addr: SocketAddr, request: &str) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn serves_files_over_http() {
        let dir = std::env::temp_dir().join(format!("xtask-serve-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::write(dir.join("index.html"), "<h1>hi</h1>").unwrap();
        fs::write(dir.join("pkg/m.wasm"), b"\0asm").unwrap();
        let addr = spawn(bind(0, 1).unwrap(), dir.clone()).unwrap();
        let close = "Connection: close\r\n\r\n";

        let r = get(addr, &format!("GET / HTTP/1.1\r\nHost: x\r\n{close}"));
        assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
        assert!(r.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(r.contains("Cache-Control: no-cache\r\n"));
        assert!(r.contains(&format!(
            "Content-Security-Policy: {CONTENT_SECURITY_POLICY}\r\n"
        )));
        assert!(r.ends_with("<h1>hi</h1>"));

        let r = get(addr, &format!("HEAD /pkg/m.wasm?v=1 HTTP/1.1\r\n{close}"));
        assert!(r.contains("Content-Type: application/wasm\r\n"), "{r}");
        assert!(r.ends_with("\r\n\r\n"), "HEAD has no body: {r}");

        let get = |target: &str| get(addr, &format!("GET {target} HTTP/1.1\r\n{close}"));
        assert!(get("/pkg").contains("Location: /pkg/\r\n"));
        assert!(get("/nope").starts_with("HTTP/1.1 404"));
        assert!(get("/../../etc/passwd").starts_with("HTTP/1.1 404"));
        assert!(get("/%2e%2e/%2e%2e/etc/passwd").starts_with("HTTP/1.1 404"));
        let post = super::tests::get(
            addr,
            &format!("POST / HTTP/1.1\r\nContent-Length: 0\r\n{close}"),
        );
        assert!(post.starts_with("HTTP/1.1 405"), "{post}");
        assert!(post.contains("Allow: GET, HEAD\r\n"));
        let _ = fs::remove_dir_all(&dir);
    }
}

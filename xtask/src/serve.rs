//! The development and test server: static files from the site folder on 127.0.0.1.
//!
//! One thread per connection, for the connection's whole keep-alive life. A browser's first
//! load opens several connections at once and keeps them open; a server whose pool threads
//! each sit on one idle connection leaves the last of such a burst unanswered, and the page
//! never finishes loading (tiny_http 0.12 did exactly that with the 5th connection, see
//! `a_burst_of_keep_alive_connections_is_answered`). Requests are parsed by httparse (hyper's
//! parser); the rest is a status line and a few headers.
//!
//! What is ours: the right MIME types (`application/wasm` lets the browser compile while
//! downloading), `Cache-Control: no-cache` so a rebuild is picked up on reload, no way out of
//! the site folder, and the strict Content-Security-Policy an LMS host would send, so a
//! violation shows up while developing, not in a course.

use std::fs;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// The policy `www/index.html` declares in its meta tag, sent as a header too (a test keeps
/// the two equal): nothing leaves the origin; 'wasm-unsafe-eval' lets the engine compile;
/// inline style attributes are how plotters measures chart text.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' \
    'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src \
    'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/// A request head larger than this is refused (431); the browser's are a few hundred bytes.
const MAX_HEAD: usize = 16 * 1024;
/// A connection idle this long is closed, so threads of abandoned tabs do not pile up.
const IDLE: Duration = Duration::from_secs(120);

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
    let root = Arc::new(root.canonicalize()?);
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = Arc::clone(&root);
        thread::spawn(move || {
            if let Err(e) = connection(stream, &root, log) {
                if log && !quiet_end(&e) {
                    eprintln!("connection: {e}");
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

/// The browser closing a connection, or leaving it idle, is how connections normally end.
fn quiet_end(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionReset
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof
            | ErrorKind::WouldBlock
            | ErrorKind::TimedOut
    )
}

/// Answers the requests of one connection in turn until the client closes it, asks to close
/// it, or leaves it idle for [`IDLE`].
fn connection(stream: TcpStream, root: &Path, log: bool) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let Some(head) = read_head(&mut reader)? else {
            return Ok(());
        };
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        let parsed = match head {
            Head::Complete(ref bytes) => request.parse(bytes).ok(),
            Head::TooLarge => None,
        };
        let (Some(httparse::Status::Complete(_)), Some(method), Some(target)) =
            (parsed, request.method, request.path)
        else {
            let code = if matches!(head, Head::TooLarge) {
                431
            } else {
                400
            };
            let body = b"malformed request\n".to_vec();
            write_response(
                &mut writer,
                code,
                "text/plain; charset=utf-8",
                &body,
                None,
                true,
                true,
            )?;
            return Ok(());
        };
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).to_ascii_lowercase())
        };
        // HTTP/1.0 closes unless asked to keep alive; HTTP/1.1 keeps alive unless asked to close.
        let connection_header = header("connection").unwrap_or_default();
        let mut close = if request.version == Some(0) {
            !connection_header.contains("keep-alive")
        } else {
            connection_header.contains("close")
        };
        let (code, content_type, body, location) = match method {
            "GET" | "HEAD" => lookup(root, target),
            _ => {
                // A body we do not read would be taken for the next request: close instead.
                close = true;
                (
                    405,
                    "text/plain; charset=utf-8",
                    b"only GET and HEAD\n".to_vec(),
                    None,
                )
            }
        };
        if log {
            println!("{method} {target} -> {code}");
        }
        let has_body = header("content-length").is_some_and(|n| n.trim() != "0")
            || header("transfer-encoding").is_some();
        close |= has_body;
        let head_only = method == "HEAD";
        write_response(
            &mut writer,
            code,
            content_type,
            &body,
            location.as_deref(),
            close,
            !head_only,
        )?;
        if close {
            return Ok(());
        }
    }
}

enum Head {
    Complete(Vec<u8>),
    TooLarge,
}

/// The bytes up to and including the blank line that ends a request head; `None` when the
/// client closed the connection between requests.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Head>> {
    let mut head = Vec::new();
    loop {
        let n = reader
            .by_ref()
            .take(MAX_HEAD as u64 + 1)
            .read_until(b'\n', &mut head)?;
        if n == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(ErrorKind::UnexpectedEof.into())
            };
        }
        if head.len() > MAX_HEAD {
            return Ok(Some(Head::TooLarge));
        }
        if head == b"\r\n" || head == b"\n" {
            // A stray blank line before a request is allowed (RFC 9112, 2.2).
            head.clear();
        } else if head.ends_with(b"\r\n\r\n") || head.ends_with(b"\n\n") {
            return Ok(Some(Head::Complete(head)));
        }
    }
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "",
    }
}

fn write_response(
    out: &mut impl Write,
    code: u16,
    content_type: &str,
    body: &[u8],
    location: Option<&str>,
    close: bool,
    send_body: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {code} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\
         Content-Security-Policy: {CONTENT_SECURITY_POLICY}\r\n",
        reason(code),
        body.len()
    );
    if code == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if send_body {
        out.write_all(body)?;
    }
    out.flush()
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

    /// A first page load opens several keep-alive connections at once and the browser keeps
    /// them open. Every one must be answered while the others stay open: a server whose
    /// threads each sit on one idle connection would leave the last of a burst unanswered.
    #[test]
    fn a_burst_of_keep_alive_connections_is_answered() {
        let dir = std::env::temp_dir().join(format!("xtask-burst-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.html"), "<h1>hi</h1>").unwrap();
        let addr = spawn(bind(0, 1).unwrap(), dir.clone()).unwrap();
        for round in 0..20 {
            let mut open = Vec::new();
            for _ in 0..12 {
                let s = TcpStream::connect(addr).unwrap();
                s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
                    .unwrap();
                open.push(s);
            }
            for (i, s) in open.iter_mut().enumerate() {
                s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                while !seen.ends_with(b"<h1>hi</h1>") {
                    match s.read(&mut buf) {
                        Ok(0) => panic!("round {round}: connection {i} closed unanswered"),
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                        Err(e) => panic!("round {round}: connection {i} unanswered: {e}"),
                    }
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
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
        let bad = super::tests::get(addr, "GET /\r\n\r\n");
        assert!(bad.starts_with("HTTP/1.1 400"), "{bad}");
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(super::tests::get(addr, &huge).starts_with("HTTP/1.1 431"));

        // Keep-alive: two requests on one connection, then the client's close ends it.
        let two = super::tests::get(
            addr,
            &format!("GET / HTTP/1.1\r\n\r\nGET /pkg/m.wasm HTTP/1.1\r\n{close}"),
        );
        assert_eq!(two.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{two}");
        assert!(
            two.contains("Content-Length: 11\r\n")
                && two.contains("\r\n\r\n<h1>hi</h1>HTTP/1.1 200")
        );
        assert!(two.ends_with("Connection: close\r\n\r\n\0asm"), "{two}");
        let _ = fs::remove_dir_all(&dir);
    }
}

//! A small static file server: HTTP/1.1 GET and HEAD on 127.0.0.1, one thread per connection.
//!
//! Enough for the playground and its browser tests: right MIME types (`application/wasm` lets
//! the browser compile while downloading), `Cache-Control: no-cache` so a rebuild is picked up
//! on reload, 404s, and no way out of the site folder.

use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

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
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                eprintln!("serve: accept failed: {e}");
                continue;
            }
        };
        let root = Arc::clone(&root);
        thread::spawn(move || {
            if let Err(e) = handle(stream, &root, log) {
                if log {
                    eprintln!("serve: {e}");
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

struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn text(status: &'static str, msg: &str) -> Self {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status}\n{msg}\n").into_bytes(),
            location: None,
        }
    }
}

fn handle(mut stream: TcpStream, root: &Path, log: bool) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    // Connection: close after each response keeps this simple; loopback connections are cheap.
    let head = match read_head(&mut stream)? {
        Some(h) => h,
        None => return Ok(()),
    };
    let request_line = head.lines().next().unwrap_or("").to_string();
    let mut parts = request_line.split_whitespace();
    let (method, target, version) = (parts.next(), parts.next(), parts.next());
    let (response, is_head) = match (method, target, version) {
        (Some(m @ ("GET" | "HEAD")), Some(t), Some(v)) if v.starts_with("HTTP/1.") => {
            (respond(root, t), m == "HEAD")
        }
        (Some(_), Some(_), Some(v)) if v.starts_with("HTTP/1.") => (
            Response::text("405 Method Not Allowed", "only GET and HEAD"),
            false,
        ),
        _ => (
            Response::text("400 Bad Request", "malformed request"),
            false,
        ),
    };
    if log {
        println!("{request_line} -> {}", response.status);
    }
    let mut out = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    if response.status.starts_with("405") {
        out.push_str("Allow: GET, HEAD\r\n");
    }
    if let Some(loc) = &response.location {
        out.push_str(&format!("Location: {loc}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    if !is_head {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// Read up to the blank line ending the request head (bodies are not expected).
fn read_head(stream: &mut TcpStream) -> io::Result<Option<String>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.windows(2).any(|w| w == b"\n\n") {
            return Ok(Some(String::from_utf8_lossy(&buf).into_owned()));
        }
        if buf.len() > 16 * 1024 {
            return Ok(Some(String::from_utf8_lossy(&buf).into_owned()));
        }
    }
}

fn respond(root: &Path, target: &str) -> Response {
    let path_part = target.split(['?', '#']).next().unwrap_or("");
    if !path_part.starts_with('/') {
        return Response::text("400 Bad Request", "request target must start with /");
    }
    let Some(rel) = safe_relative_path(path_part) else {
        return Response::text("404 Not Found", "no such file");
    };
    let mut file = root.join(&rel);
    if file.is_dir() {
        if !path_part.ends_with('/') {
            // Relative URLs in index.html resolve against the folder only with a trailing slash.
            let mut r = Response::text("301 Moved Permanently", "");
            r.location = Some(format!("{path_part}/"));
            return r;
        }
        file = file.join("index.html");
    }
    // Symlinks must not lead out of the site either.
    let inside = file
        .canonicalize()
        .map(|c| c.starts_with(root))
        .unwrap_or(false);
    if !inside || !file.is_file() {
        return Response::text("404 Not Found", "no such file");
    }
    match fs::read(&file) {
        Ok(body) => Response {
            status: "200 OK",
            content_type: mime_type(&file),
            body,
            location: None,
        },
        Err(_) => Response::text("404 Not Found", "no such file"),
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

        let r = get(addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
        assert!(r.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(r.contains("Cache-Control: no-cache\r\n"));
        assert!(r.ends_with("<h1>hi</h1>"));

        let r = get(addr, "HEAD /pkg/m.wasm?v=1 HTTP/1.1\r\n\r\n");
        assert!(r.contains("Content-Type: application/wasm\r\n"), "{r}");
        assert!(r.contains("Content-Length: 4\r\n"));
        assert!(r.ends_with("\r\n\r\n"), "HEAD has no body: {r}");

        assert!(get(addr, "GET /pkg HTTP/1.1\r\n\r\n").contains("Location: /pkg/\r\n"));
        assert!(get(addr, "GET /nope HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
        assert!(get(addr, "GET /../../etc/passwd HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
        assert!(get(addr, "POST / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405"));
        assert!(get(addr, "nonsense\r\n\r\n").starts_with("HTTP/1.1 400"));
        let _ = fs::remove_dir_all(&dir);
    }
}

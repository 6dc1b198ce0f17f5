//! The URL-hash codec: a config as `key=value&…` text and back, so that a link reopens the
//! same state.

use super::{Config, ConfigError, Setting, SETTING_TABLE};

/// Settings a link names only away from their default: `classes`, whose default is what
/// every link meant before it existed.
pub const WRITTEN_IF_CHANGED: [&str; 1] = ["classes"];

impl Config {
    /// The URL-hash form, e.g. `samples=200&hidden=32&lr=0.001&…`: every field, so a link
    /// reopens exactly this state even if the defaults change later; but settings added after
    /// links were shared ([`WRITTEN_IF_CHANGED`]) only when they differ from their default,
    /// so that every other config writes the link it wrote before.
    pub fn to_query(&self) -> String {
        let default = Config::default();
        SETTING_TABLE
            .iter()
            .filter(|s| {
                !WRITTEN_IF_CHANGED.contains(&s.key) || (s.write)(self) != (s.write)(&default)
            })
            .map(|s| format!("{}={}", s.key, (s.write)(self)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a URL hash (with or without the leading `#`). A `preset=` key applies first;
    /// every unknown or bad key is reported and left at its default, so a damaged link still
    /// opens a working page.
    pub fn from_query(query: &str) -> (Config, Vec<ConfigError>) {
        let query = query.strip_prefix('#').unwrap_or(query);
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (percent_decode(k), percent_decode(v)),
                None => (percent_decode(p), String::new()),
            })
            .collect();
        let mut config = Config::default();
        let mut problems = Vec::new();
        for (k, v) in pairs.iter().filter(|(k, _)| k == "preset") {
            match Config::preset(v) {
                Ok(c) => config = c,
                Err(e) => problems.push(ConfigError::new(k.as_str(), e.message)),
            }
        }
        let settings: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(k, _)| k != "preset")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        problems.extend(config.apply(&settings));
        (config, problems)
    }
}

/// `query` (`key=value&…`) with every number outside its setting's range replaced by the
/// nearest allowed value, and a notice for each: a link with `samples=5` opens with the least
/// dataset the page allows, and says so, rather than dropping the value for the default.
pub fn clamp_query(query: &str) -> (String, Vec<String>) {
    let mut notices = Vec::new();
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let clamped = pair.split_once('=').and_then(|(k, v)| {
                let setting = Setting::find(&percent_decode(k))?;
                let (value, notice) = setting.clamp(&percent_decode(v))?;
                notices.push(notice);
                Some(format!("{k}={value}"))
            });
            clamped.unwrap_or_else(|| pair.to_string())
        })
        .collect();
    (pairs.join("&"), notices)
}

/// The URL-hash form of a key or value decoded: `%2C` → `,`, `+` → space; a stray `%` stays.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

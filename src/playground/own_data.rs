//! A CSV file of the student's own in place of make_classification: read, checked, trained on,
//! named in the link by its name and the first 12 hex digits of its text's SHA-256
//! (`data=NAME@HASH12`), and cleared again.
//!
//! A worker is started from a config's link, which holds no file, so while a file is in use
//! the page trains in its own time slices; the workers take over again once it is cleared.
//! The file's text itself stays with the page (IndexedDB): a link opened where the file is not
//! known waits for the student to choose it.

use super::dispatch::Dispatch;
use super::machine::Playground;
use crate::config::{Config, ConfigError, DataFile};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Files kept in memory for links to find (the one in use and a few before it).
const KNOWN_FILES: usize = 4;

/// A file the page has given the engine: its text, so a link naming it can read it again
/// (with that link's target column).
pub(super) struct KnownFile {
    name: String,
    hash: String,
    text: String,
}

/// The file in use: what its link says.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileInUse {
    pub name: String,
    /// The first 12 hex digits of the SHA-256 of its text.
    pub hash: String,
    /// The target column the student chose, if not the parser's default.
    pub target: Option<String>,
    /// `iris.csv: 150 rows × 4 features, target 'species' (0 = …)`.
    pub summary: String,
}

/// A link's file that this page does not have: the link's state waits for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WantedFile {
    pub name: String,
    pub hash: String,
    /// A built-in dataset's file in the site's `datasets/` folder, which the page fetches
    /// itself; `None` for a student's file, which only the student can give.
    pub dataset_file: Option<&'static str>,
    /// The link's experiment part, applied once the file is chosen.
    #[serde(skip)]
    pub(super) state: String,
}

/// The first 12 hex digits of the SHA-256 of `text`: the file's name in a link.
pub fn file_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A link's `data=` value: `NAME@HASH12`.
pub(super) fn data_value(name: &str, hash: &str) -> String {
    format!("{}@{hash}", data_value_part(name))
}

/// `text` percent-encoded where it would break the hash (`&`, `=`, `#`, spaces, …).
pub(super) fn data_value_part(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' | '.' | '~' => out.push(c),
            _ => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// A decoded `data=` value split into the file's name and hash, or why it is not one.
pub(super) fn parse_data_value(value: &str) -> Result<(String, String), ConfigError> {
    let bad = || {
        ConfigError::new(
            "data",
            format!(
                "'{value}' is not a file's name and hash; allowed: NAME@HASH, the hash 12 hex \
                 digits"
            ),
        )
    };
    let (name, hash) = value.rsplit_once('@').ok_or_else(bad)?;
    let hex = hash.len() == 12 && hash.chars().all(|c| c.is_ascii_hexdigit());
    if name.is_empty() || !hex {
        return Err(bad());
    }
    Ok((name.to_string(), hash.to_ascii_lowercase()))
}

impl Playground {
    /// Reads `text`, the file `name`, with the target column `target` (by default one named
    /// target, label, class or y, else the last), and trains on it with the current settings,
    /// the current run fading; if a link was waiting for this very file, the link's settings
    /// are applied instead, and its notices returned. A file that cannot be read or trained
    /// changes nothing: the error names the line, the column and the value, or the limit.
    pub fn load_data_file(
        &mut self,
        name: &str,
        text: &str,
        target: Option<&str>,
    ) -> Result<Vec<String>, ConfigError> {
        let file = read_file(name, text, target)?;
        let hash = file_hash(text);
        if let Some(wanted) = self.wanted_file.clone().filter(|w| w.hash == hash) {
            // The link's settings on this file; a file no settings can train is refused here,
            // before the link's state replaces the page's.
            Config::default().with_data_file(file).validate()?;
            self.remember(name, &hash, text);
            return Ok(self.apply_state(&wanted.state));
        }
        let next = self.config.clone().with_data_file(file.clone());
        next.validate()?;
        let summary = file.summary();
        self.remember(name, &hash, text);
        self.restart_with(next)?;
        self.file_in_use = Some(FileInUse {
            name: name.to_string(),
            hash,
            target: target.map(str::to_string),
            summary,
        });
        self.wanted_file = None;
        self.settle_workers()?;
        Ok(Vec::new())
    }

    /// Gives the engine a file's text without training on it: a link naming it (a reload)
    /// then finds it. Returns its hash.
    pub fn add_data_file(&mut self, name: &str, text: &str) -> String {
        let hash = file_hash(text);
        self.remember(name, &hash, text);
        hash
    }

    /// Back to make_classification with the dataset controls' defaults; the other settings
    /// stay, the file's run fades, and the workers (if the page has them) train again.
    pub fn clear_data_file(&mut self) -> Result<(), ConfigError> {
        self.wanted_file = None;
        if self.config.data.is_none() {
            self.file_in_use = None;
            return Ok(());
        }
        let defaults = Config::default();
        let next = Config {
            data: None,
            samples: defaults.samples,
            features: defaults.features,
            informative: defaults.informative,
            ..self.config.clone()
        };
        self.restart_with(next)?;
        self.file_in_use = None;
        self.settle_workers()
    }

    /// The file the runs train on, if any.
    pub fn data_file(&self) -> Option<&FileInUse> {
        self.file_in_use.as_ref()
    }

    /// The file a link named that this page does not have yet.
    pub fn wanted_file(&self) -> Option<&WantedFile> {
        self.wanted_file.as_ref()
    }

    fn remember(&mut self, name: &str, hash: &str, text: &str) {
        self.known_files.retain(|f| f.hash != hash);
        if self.known_files.len() == KNOWN_FILES {
            self.known_files.remove(0);
        }
        self.known_files.push(KnownFile {
            name: name.to_string(),
            hash: hash.to_string(),
            text: text.to_string(),
        });
    }

    /// A link's `data=NAME@HASH` (with its `target=`, if any): the file read again, if this
    /// page has it.
    pub(super) fn known_file(
        &self,
        hash: &str,
        target: Option<&str>,
    ) -> Option<Result<(DataFile, FileInUse), ConfigError>> {
        let known = self.known_files.iter().find(|f| f.hash == hash)?;
        Some(read_file(&known.name, &known.text, target).map(|file| {
            let summary = file.summary();
            (
                file,
                FileInUse {
                    name: known.name.clone(),
                    hash: known.hash.clone(),
                    target: target.map(str::to_string),
                    summary,
                },
            )
        }))
    }

    /// Puts the training where it belongs: in the workers when the page has them and no run
    /// needs a file (a worker's link cannot carry one), else in the page's own slices. The
    /// runs are restarted on their new side; runs already given to workers are cancelled
    /// with the next orders.
    pub(super) fn settle_workers(&mut self) -> Result<(), ConfigError> {
        if self.config.data.is_none() {
            self.file_in_use = None;
        }
        let needs_file = self.lanes.iter().any(|l| l.config.data.is_some());
        let want = self.workers_wanted && !needs_file;
        if want == self.pool.is_some() {
            return Ok(());
        }
        if want {
            self.pool = Some(self.parked.take().unwrap_or_default());
        } else {
            self.parked = self.pool.take();
        }
        for lane in &mut self.lanes {
            lane.restart(self.seeds, self.pool.as_mut())?;
        }
        self.restart_experiments();
        Ok(())
    }

    /// Cancels for runs given to the workers before the page took the training back.
    pub(super) fn parked_orders(&mut self) -> Vec<super::messages::Order> {
        let parked: Option<&mut Dispatch> = self.parked.as_mut();
        parked.map_or_else(Vec::new, |p| p.take(&[]))
    }
}

/// [`DataFile::read`] with its error as the engine's: the field `data`, and the file named.
fn read_file(name: &str, text: &str, target: Option<&str>) -> Result<DataFile, ConfigError> {
    DataFile::read(name, text, target)
        .map_err(|e| ConfigError::new("data", format!("the file {name}: {e}")))
}

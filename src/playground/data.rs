//! The data of the last few configs, prepared at once for a change (the student waits for
//! that run) or in bounded steps for the experiments (which must never hold up a frame: a fix with
//! 4× the rows can mean 10,000 rows, tens of milliseconds in wasm).

use crate::config::{Config, ConfigError, DataSettings, Prepared, Preparing};
use std::rc::Rc;

/// Rows of data preparation one time slice may do for the experiments (every pass over the data
/// counts its rows; see [`Preparing`]): 10,000 rows, standardized, are about 172,000 such rows
/// of work, so about 11 slices.
pub const PREPARE_ROWS_PER_SLICE: usize = 16_384;

/// Most controls (learning rate, layers, optimizer, seed…) leave the data as it was, so it is
/// prepared once per dataset, not once per change.
#[derive(Default)]
pub(super) struct DataCache {
    entries: Vec<(DataSettings, Rc<Prepared>)>,
    /// A dataset part way through its bounded steps.
    pending: Option<(DataSettings, Preparing)>,
    /// Rows of preparation done so far, at once or in steps.
    rows: usize,
}

impl DataCache {
    /// Enough for a comparison's datasets, the one before a change, and the experiments'
    /// (standardized, more rows).
    const CAPACITY: usize = 6;

    pub(super) fn cached(&self, config: &Config) -> Option<Rc<Prepared>> {
        let key = config.data_settings();
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, p)| p.clone())
    }

    /// What `config.prepare()` does, with the data from the cache when it is there.
    pub(super) fn prepared(&mut self, config: &Config) -> Result<Rc<Prepared>, ConfigError> {
        config.validate()?;
        if let Some(prepared) = self.cached(config) {
            return Ok(prepared);
        }
        loop {
            if let Some(prepared) = self.step(config, usize::MAX)? {
                return Ok(prepared);
            }
        }
    }

    /// True when `config`'s data is ready; else prepares at most `rows` rows of it (and says
    /// false, even if that finished it: the caller's slice has had its share).
    pub(super) fn ready_or_step(
        &mut self,
        config: &Config,
        rows: usize,
    ) -> Result<bool, ConfigError> {
        if self.cached(config).is_some() {
            return Ok(true);
        }
        self.step(config, rows)?;
        Ok(false)
    }

    /// One bounded step of `config`'s preparation, continuing the pending one if it is for the
    /// same data (a different one is dropped: the experiments it was for has been replaced).
    fn step(&mut self, config: &Config, rows: usize) -> Result<Option<Rc<Prepared>>, ConfigError> {
        let key = config.data_settings();
        if self.pending.as_ref().is_none_or(|(k, _)| *k != key) {
            self.pending = Some((key, config.preparing()?));
        }
        let (_, preparing) = self.pending.as_mut().expect("set above");
        let before = preparing.rows_done();
        let done = preparing.step(rows);
        self.rows += preparing.rows_done() - before;
        let Some(prepared) = done else {
            return Ok(None);
        };
        let (key, _) = self.pending.take().expect("stepped above");
        if self.entries.len() == Self::CAPACITY {
            self.entries.remove(0);
        }
        let prepared = Rc::new(prepared);
        self.entries.push((key, prepared.clone()));
        Ok(Some(prepared))
    }

    /// Rows of preparation done so far, over every dataset.
    pub(super) fn rows(&self) -> usize {
        self.rows
    }
}

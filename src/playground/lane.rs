//! A run on the chart (`Lane`: one config over one or more seeds, with its diagnosis) and a
//! run from before the last change (`Faded`), and the figures the page shows for a lane.

use super::dispatch::Dispatch;
use super::trainee::{Remote, Trainee};
use crate::config::{Config, ConfigError, Prepared};
use crate::diagnose::{diagnose_with_units, Diagnosis};
use crate::train::{early_stop_text, Confusion, History, Status};
use plotters::prelude::RGBColor;
use serde::Serialize;
use std::rc::Rc;

type DiagnosedFor = (usize, usize, Status);

/// A run being trained on the page: one config, trained with one or more seeds
/// (`config.seed`, `config.seed + 1`, …); the first is the run the figures and the diagnosis
/// are about, the others make the multi-seed band.
pub(super) struct Lane {
    /// Legend text in a comparison; empty for a single run.
    pub(super) label: String,
    pub(super) config: Config,
    pub(super) data: Rc<Prepared>,
    pub(super) colors: (RGBColor, RGBColor),
    pub(super) seeds: Vec<Trainee>,
    /// The diagnosis and what it was made for (epochs shown, epochs planned, status): a redraw
    /// reads it for the panel and again for the chart's markers, and once the run has ended it
    /// reads the network too (dead units), once.
    diagnosed: std::cell::RefCell<Option<(DiagnosedFor, Diagnosis)>>,
    /// The planned epochs, once the student pressed Stop (`config.epochs` is then the
    /// epochs the run stops after).
    pub(super) stopped_from: Option<usize>,
}

impl Lane {
    pub(super) fn new(
        label: String,
        config: Config,
        data: Rc<Prepared>,
        colors: (RGBColor, RGBColor),
        seeds: usize,
        pool: Option<&mut Dispatch>,
    ) -> Result<Lane, ConfigError> {
        let mut lane = Lane {
            label,
            config,
            data,
            colors,
            seeds: Vec::new(),
            diagnosed: std::cell::RefCell::new(None),
            stopped_from: None,
        };
        lane.set_seeds(seeds, pool)?;
        Ok(lane)
    }

    /// Keeps the runs of the seeds it already has, adds or drops the others; new runs go to
    /// the workers when there is a `pool`.
    pub(super) fn set_seeds(
        &mut self,
        seeds: usize,
        mut pool: Option<&mut Dispatch>,
    ) -> Result<(), ConfigError> {
        self.seeds.truncate(seeds);
        while self.seeds.len() < seeds {
            let config = Config {
                seed: self.config.seed.wrapping_add(self.seeds.len() as u32),
                ..self.config.clone()
            };
            // Only the run with the config's own seed shows its instruments.
            let shown = self.seeds.is_empty();
            let trainee = match pool.as_deref_mut() {
                Some(pool) => {
                    config.validate()?;
                    let id = pool.start(&config, 0, shown);
                    Trainee::Remote(Box::new(Remote::new(id, &config)))
                }
                None => {
                    let run = config.start_with(&self.data)?;
                    Trainee::local(if shown { run.with_instruments() } else { run })
                }
            };
            self.seeds.push(trainee);
        }
        Ok(())
    }

    /// The run with the config's own seed.
    pub(super) fn run(&self) -> &Trainee {
        &self.seeds[0]
    }

    pub(super) fn diagnosis(&self) -> Diagnosis {
        let run = self.run();
        let key = (run.epoch(), self.config.epochs, run.status());
        let mut diagnosed = self.diagnosed.borrow_mut();
        if let Some((made_for, d)) = &*diagnosed {
            if *made_for == key {
                return d.clone();
            }
        }
        let dead = run.dead_units(&self.config, &self.data);
        let d = diagnose_with_units(&self.config, &self.data, run.history(), run.status(), dead)
            .with_instruments(
                run.instruments(),
                &self.config.hidden,
                &run.history().loss,
                self.config.class_count(),
            );
        *diagnosed = Some((key, d.clone()));
        d
    }

    /// Its run's validation confusion matrix (the config's own seed's) once it has ended,
    /// its classes named as the config names them.
    pub(super) fn confusion(&self) -> Option<Confusion> {
        let matrix = self.run().confusion()?.clone();
        Some(matrix.named(self.config.class_names()))
    }

    /// Its runs from scratch, every seed, trained here or (with a `pool`) in the workers.
    pub(super) fn restart(
        &mut self,
        seeds: usize,
        pool: Option<&mut Dispatch>,
    ) -> Result<(), ConfigError> {
        self.seeds.clear();
        self.diagnosed.take();
        self.set_seeds(seeds, pool)
    }

    pub(super) fn remote_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.seeds.iter().filter_map(|t| t.remote().map(|r| r.id))
    }

    /// Training steps done and planned over its seeds (an ended run plans no more).
    pub(super) fn steps(&self) -> (usize, usize) {
        self.seeds.iter().fold((0, 0), |(done, total), s| {
            let (d, t) = s.steps();
            (done + d, total + t)
        })
    }

    /// Ends every seed's training with the same epoch, the first all of them can stop at.
    pub(super) fn stop(&mut self, mut pool: Option<&mut Dispatch>) {
        let training = self.seeds.iter().filter(|s| s.status() == Status::Training);
        let Some(epochs) = training.map(|s| s.earliest_stop()).max() else {
            return;
        };
        for trainee in &mut self.seeds {
            let epochs = trainee.stop_at(epochs);
            if let (Some(remote), Some(pool)) = (trainee.remote(), pool.as_deref_mut()) {
                pool.stop(remote.id, epochs);
            }
        }
        self.stopped_from.get_or_insert(self.config.epochs);
        self.config.epochs = epochs;
    }

    /// How its run ended, as the state and the words of the status line.
    pub(super) fn ending(&self) -> (&'static str, String) {
        let epoch = self.run().epoch();
        match (self.run().status(), self.stopped_from) {
            (Status::Diverged { epoch }, _) => (
                "diverged",
                format!("diverged at epoch {epoch} (a loss became NaN or infinite)"),
            ),
            (status @ Status::EarlyStopped { epoch }, _) => (
                "early_stopped",
                early_stop_text(
                    epoch,
                    status
                        .restored_epoch(self.config.early_stopping)
                        .unwrap_or(epoch),
                ),
            ),
            (_, Some(planned)) => (
                "stopped",
                format!("stopped by you after epoch {epoch} of {planned}"),
            ),
            _ => ("finished", format!("finished: {epoch} epochs")),
        }
    }
}

/// A run from before the student's last change, drawn faded for comparison.
pub(super) struct Faded {
    pub(super) label: String,
    pub(super) config: Config,
    /// One per seed; the chart draws their mean.
    pub(super) histories: Vec<History>,
    pub(super) colors: (RGBColor, RGBColor),
}

/// What the page shows under the charts for one run.
#[derive(Serialize)]
pub struct Figures {
    pub label: String,
    /// The run's colour on the chart, as CSS `#rrggbb`, for the table's swatch.
    pub color: String,
    /// Completed epochs, and the planned number.
    pub epoch: usize,
    pub epochs: usize,
    pub loss: Option<f64>,
    pub accuracy: Option<f64>,
    pub val_loss: Option<f64>,
    pub val_accuracy: Option<f64>,
    pub best_val_accuracy: Option<f64>,
    /// 1-based epoch of the best validation accuracy (the first, if tied).
    pub best_epoch: Option<usize>,
    pub status: Status,
    /// After an early stop, the epoch whose weights it restored: the best validation loss the
    /// diagnosis names.
    pub restored_epoch: Option<usize>,
}

pub(super) fn last_finite(values: &[f64]) -> Option<f64> {
    values.last().copied().filter(|v| v.is_finite())
}

/// The best finite validation accuracy and its 0-based epoch (the first, if tied).
pub(super) fn best_val_accuracy(h: &History) -> Option<(usize, f64)> {
    h.val_accuracy
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .fold(None, |best: Option<(usize, f64)>, (i, &v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((i, v)),
        })
}

pub(super) fn figures(lane: &Lane) -> Figures {
    let (label, run, epochs) = (&lane.label, lane.run(), lane.config.epochs);
    let RGBColor(r, g, b) = lane.colors.0;
    let h = run.history();
    let best = best_val_accuracy(h);
    Figures {
        label: label.to_string(),
        color: format!("#{r:02x}{g:02x}{b:02x}"),
        epoch: run.epoch(),
        epochs,
        loss: last_finite(&h.loss),
        accuracy: last_finite(&h.accuracy),
        val_loss: last_finite(&h.val_loss),
        val_accuracy: last_finite(&h.val_accuracy),
        best_val_accuracy: best.map(|(_, v)| v),
        best_epoch: best.map(|(i, _)| i + 1),
        status: run.status(),
        restored_epoch: run.status().restored_epoch(lane.config.early_stopping),
    }
}

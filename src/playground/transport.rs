//! The transport: whether the page trains (Play, Pause, Step one epoch, Stop), the slider
//! drag that must fade only the run it started from, and the status line with its progress
//! and the time left at the measured pace.

use super::pool::Dispatch;
use super::progress::{eta_text, percent, RunStatus};
use super::{Lane, Playground, Proof};
use crate::train::Status;

/// Whether the page trains: playing, paused, or training one more epoch then pausing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Mode {
    Playing,
    Paused,
    /// "Step one epoch": every run trains up to this epoch, then the page pauses.
    Stepping(usize),
}

impl Lane {
    /// Training steps done and planned over its seeds (an ended run plans no more).
    fn steps(&self) -> (usize, usize) {
        self.seeds.iter().fold((0, 0), |(done, total), s| {
            let (d, t) = s.steps();
            (done + d, total + t)
        })
    }

    /// Ends every seed's training with the same epoch, the first all of them can stop at.
    fn stop(&mut self, mut pool: Option<&mut Dispatch>) {
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
    fn ending(&self) -> (&'static str, String) {
        let epoch = self.run().epoch();
        match (self.run().status(), self.stopped_from) {
            (Status::Diverged { epoch }, _) => (
                "diverged",
                format!("diverged at epoch {epoch} (a loss became NaN or infinite)"),
            ),
            (Status::EarlyStopped { epoch }, _) => (
                "early_stopped",
                format!("stopped early after epoch {epoch}"),
            ),
            (_, Some(planned)) => (
                "stopped",
                format!("stopped by you after epoch {epoch} of {planned}"),
            ),
            _ => ("finished", format!("finished: {epoch} epochs")),
        }
    }
}

impl Playground {
    /// One animation frame's work, as the controls ask: training slices while playing (the
    /// runs, then the proof), up to the next epoch while stepping, nothing while paused.
    /// Measures the pace for the time estimates. Returns the epochs completed.
    pub fn frame(&mut self, budget_ms: f64) -> usize {
        let start = (self.clock)();
        self.run_pacer.frame_starts(start);
        self.proof_pacer.frame_starts(start);
        let until = match self.mode {
            Mode::Paused => return 0,
            Mode::Playing => 0,
            Mode::Stepping(until) => until,
        };
        let training = self.training(until);
        let proving = until == 0 && !training;
        let (steps, proof_epochs) = (self.steps().0, self.proof_progress().0);
        let epochs = self.step_for(budget_ms, until);
        if training {
            let done = self.steps().0 - steps;
            self.run_pacer.worked(start, done as f64);
        } else if proving && matches!(self.proof, Proof::Running { .. }) {
            let done = self.proof_progress().0.saturating_sub(proof_epochs);
            self.proof_pacer.worked(start, done as f64);
        }
        if self.mode == Mode::Stepping(until) && !self.training(until) {
            self.mode = Mode::Paused;
        }
        epochs
    }

    /// Whether [`Playground::frame`] has work to do, so the page asks for another frame.
    pub fn wants_frame(&self) -> bool {
        match self.mode {
            Mode::Playing => self.working(),
            Mode::Stepping(until) => self.training(until),
            Mode::Paused => false,
        }
    }

    pub fn play(&mut self) {
        self.mode = Mode::Playing;
    }

    pub fn pause(&mut self) {
        self.mode = Mode::Paused;
    }

    pub fn playing(&self) -> bool {
        self.mode != Mode::Paused
    }

    /// Trains every run one more epoch, then pauses.
    pub fn step_epoch(&mut self) {
        self.mode = Mode::Stepping(self.epoch() + 1);
    }

    /// The student's Stop: the runs on the chart end with the epoch under way, and are then
    /// the runs planned with that many epochs (the link says so), so the diagnosis reads them
    /// as finished and the proof starts. Once they have ended, Stop ends the proof instead.
    pub fn stop(&mut self) {
        if self.training(0) {
            for lane in &mut self.lanes {
                lane.stop(self.pool.as_mut());
            }
            self.follow_focus();
            if self.mode == Mode::Paused {
                self.mode = Mode::Playing; // the epoch under way ends, then the proof
            }
        } else if matches!(self.proof, Proof::Waiting | Proof::Running { .. }) {
            let (done, total) = self.proof_progress();
            self.proof = Proof::Unavailable(format!(
                "You stopped the proof at {}% trained. Reset, or change a setting, to measure \
                 again.",
                percent(done, total)
            ));
        }
    }

    /// A slider's drag begins: until it ends, the run from before it is the faded one.
    pub fn begin_drag(&mut self) {
        self.dragging = Some(false);
    }

    pub fn end_drag(&mut self) {
        self.dragging = None;
    }

    /// Training steps done and planned over the runs on the chart.
    fn steps(&self) -> (usize, usize) {
        self.lanes
            .iter()
            .map(Lane::steps)
            .fold((0, 0), |(d, t), (ld, lt)| (d + ld, t + lt))
    }

    /// Epochs trained and planned over the proof's runs (0, 0 before it starts).
    fn proof_progress(&self) -> (usize, usize) {
        match &self.proof {
            Proof::Running { experiments, .. } => experiments.progress(),
            _ => (0, 0),
        }
    }

    /// The status line: what the runs on the chart are doing, how far they are, how long
    /// the rest will take at the measured pace.
    pub fn status(&self) -> RunStatus {
        let (done, total) = self.steps();
        let playing = self.playing();
        let Some(first) = self.lanes.first() else {
            return RunStatus {
                state: "ready",
                text: "no run".into(),
                done,
                total,
                eta_seconds: None,
                playing,
            };
        };
        let (epoch, epochs) = (first.run().epoch(), first.config.epochs);
        let pct = percent(done, total);
        let training = self.training(0);
        let eta_seconds = (training && playing)
            .then(|| self.run_pacer.eta_ms((total - done) as f64))
            .flatten()
            .map(|ms| ms / 1000.0);
        let (state, text) = if !training {
            let endings: Vec<(&str, String)> = self.lanes.iter().map(Lane::ending).collect();
            let state = endings[0].0;
            let mut texts: Vec<String> = Vec::new();
            for (lane, (_, text)) in self.lanes.iter().zip(&endings) {
                if endings.iter().all(|(s, _)| *s == state) {
                    texts = vec![text.clone()];
                    break;
                }
                texts.push(format!("{}: {text}", lane.label));
            }
            (state, texts.join("; "))
        } else if !playing && done == 0 {
            (
                "ready",
                format!("ready: press Play to train {epochs} epochs"),
            )
        } else if !playing {
            (
                "paused",
                format!("paused at epoch {epoch} of {epochs} ({pct}%): press Play to go on"),
            )
        } else {
            let stopping = self.lanes.iter().any(|l| l.stopped_from.is_some());
            let (state, what) = if stopping {
                ("stopping", "stopping after this epoch")
            } else {
                ("training", "training")
            };
            let left = eta_seconds.map_or("estimating the time left".to_string(), eta_text);
            (
                state,
                format!("{what}: epoch {epoch} of {epochs} · {pct}% · {left}"),
            )
        };
        RunStatus {
            state,
            text,
            done,
            total,
            eta_seconds,
            playing,
        }
    }
}

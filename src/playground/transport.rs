//! The transport: whether the page trains (Play, Pause, Step one epoch, Stop), the time
//! slices that train the runs on the chart (then the experiments), the slider drag that must
//! fade only the run it started from, and the status line with its progress and the time
//! left at the measured pace.

use super::lane::Lane;
use super::machine::{ExperimentsPhase, Mode, Playground, KEY_PAUSE_MS};
use super::progress::{eta_text, percent, RunStatus};
use super::schedule::Slice;
use super::trainee::Trainee;
use crate::config::ConfigError;
use crate::train::Status;

impl Playground {
    /// One animation frame's work, as the controls ask: training slices while playing (the
    /// runs, then the experiments), up to the next epoch while stepping, nothing while paused.
    /// Measures the pace for the time estimates. Returns the epochs completed.
    pub fn frame(&mut self, budget_ms: f64) -> usize {
        let start = (self.clock)();
        self.run_pacer.frame_starts(start);
        self.experiments_pacer.frame_starts(start);
        if self.showing_outside() {
            return 0; // the page's runs wait while a run made elsewhere is shown
        }
        let until = match self.mode {
            Mode::Paused => return 0,
            Mode::Playing => 0,
            Mode::Stepping(until) => until,
        };
        let training = self.training(until);
        let proving = until == 0 && !training;
        let (steps, experiment_epochs) = (self.steps().0, self.experiments_progress().0);
        let epochs = self.step_for(budget_ms, until);
        if training {
            let done = self.steps().0 - steps;
            self.run_pacer.worked(start, done as f64);
        } else if proving && matches!(self.experiments, ExperimentsPhase::Running { .. }) {
            let done = self
                .experiments_progress()
                .0
                .saturating_sub(experiment_epochs);
            self.experiments_pacer.worked(start, done as f64);
        }
        if self.mode == Mode::Stepping(until) && !self.training(until) {
            self.mode = Mode::Paused;
        }
        epochs
    }

    /// Whether [`Playground::frame`] has work to do, so the page asks for another frame.
    pub fn wants_frame(&self) -> bool {
        if self.showing_outside() {
            return false;
        }
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

    /// What the transport button does now (its word is [`RunStatus::button`]).
    fn play_button(&self) -> Button {
        if self.showing_outside() {
            return Button::Back;
        }
        match (self.training(0), self.playing()) {
            (true, true) => Button::Pause,
            (true, false) => Button::Play,
            (false, false) if self.working() => Button::Play,
            (false, _) => Button::RunAgain,
        }
    }

    /// The transport button pressed: pauses, plays, or runs the ended runs again.
    pub fn press_play(&mut self) -> Result<(), ConfigError> {
        match self.play_button() {
            Button::Back => {
                self.close_history();
            }
            Button::Pause => self.pause(),
            Button::Play => self.play(),
            Button::RunAgain => {
                self.reset()?;
                self.play();
            }
        }
        Ok(())
    }

    /// Trains every run one more epoch, then pauses.
    pub fn step_epoch(&mut self) {
        self.close_history();
        self.mode = Mode::Stepping(self.epoch() + 1);
    }

    /// The student's Stop: the runs on the chart end with the epoch under way, and are then
    /// the runs planned with that many epochs (the link says so), so the diagnosis reads them
    /// as finished and the experiments start. Once they have ended, Stop ends the experiments instead.
    pub fn stop(&mut self) {
        if self.training(0) {
            for lane in &mut self.lanes {
                lane.stop(self.pool.as_mut());
            }
            self.follow_focus();
            if self.mode == Mode::Paused {
                self.mode = Mode::Playing; // the epoch under way ends, then the experiments
            }
        } else if matches!(
            self.experiments,
            ExperimentsPhase::Waiting | ExperimentsPhase::Running { .. }
        ) {
            let (done, total) = self.experiments_progress();
            let report = match &self.experiments {
                ExperimentsPhase::Running { experiments, .. } => experiments.report(),
                _ => Vec::new(),
            };
            let kept = if report.iter().any(|e| e.seeds > 0) {
                " What they measured is kept, each fix with its number of seeds."
            } else {
                ""
            };
            self.experiments = ExperimentsPhase::Stopped(
                report,
                format!(
                    "You stopped the experiments at {}% trained.{kept} Reset, or change a \
                     setting, to measure again.",
                    percent(done, total)
                ),
            );
        }
    }

    /// A slider's drag begins: until it ends, the run from before it is the faded one.
    pub fn begin_drag(&mut self) {
        self.dragging = Some(false);
        self.keys_at = None;
    }

    /// The drag, or the run of key presses, ends (the thumb let go, focus left the slider).
    pub fn end_drag(&mut self) {
        self.dragging = None;
        self.keys_at = None;
    }

    /// A key press that moves a slider, before its change: presses less than
    /// [`KEY_PAUSE_MS`] apart are one change, as a drag is, so the faded run is the one from
    /// before the first press. A pause, or [`Playground::end_drag`], ends them.
    pub fn key_press(&mut self) {
        let now = (self.clock)();
        let goes_on =
            self.dragging.is_some() && self.keys_at.is_some_and(|at| now - at < KEY_PAUSE_MS);
        if !goes_on {
            self.dragging = Some(false);
        }
        self.keys_at = Some(now);
    }

    /// Training steps done and planned over the runs on the chart.
    fn steps(&self) -> (usize, usize) {
        self.lanes
            .iter()
            .map(Lane::steps)
            .fold((0, 0), |(d, t), (ld, lt)| (d + ld, t + lt))
    }

    /// Epochs trained and planned over the experiments' runs (0, 0 before it starts).
    fn experiments_progress(&self) -> (usize, usize) {
        match &self.experiments {
            ExperimentsPhase::Running { experiments, .. } => experiments.progress(),
            _ => (0, 0),
        }
    }

    /// The status line: what the runs on the chart are doing, how far they are, how long
    /// the rest will take at the measured pace.
    pub fn status(&self) -> RunStatus {
        let (done, total) = self.steps();
        let playing = self.playing();
        if let Some(outside) = self.outside() {
            return RunStatus {
                state: "outside",
                text: format!(
                    "{}: {} epochs from {}, read from its curves",
                    capitalized(outside.label),
                    outside.epochs,
                    outside.name
                ),
                done,
                total,
                eta_seconds: None,
                playing,
                button: self.play_button().word(),
            };
        }
        let Some(first) = self.lanes.first() else {
            return RunStatus {
                state: "ready",
                text: "no run".into(),
                done,
                total,
                eta_seconds: None,
                playing,
                button: self.play_button().word(),
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
            button: self.play_button().word(),
        }
    }

    fn wants_batch(run: &Trainee, until_epoch: usize) -> bool {
        run.status() == Status::Training && (until_epoch == 0 || run.epoch() < until_epoch)
    }

    /// Trains for at most about `budget_ms`: batch after batch, always of the run that is
    /// furthest behind so that compared runs (and seeds) grow together, and never starting a
    /// batch that is expected to overrun the budget (except the slice's first, so training
    /// always advances). `until_epoch` > 0 stops each run there (the "step one epoch" button).
    /// Once every run on the chart is done, the rest of the budget goes to the experiments.
    /// Returns how many epochs of the runs on the chart were completed, so the page redraws
    /// only when something changed.
    pub fn step_for(&mut self, budget_ms: f64, until_epoch: usize) -> usize {
        let mut slice = Slice::new(&self.clock, budget_ms);
        // The workers' epochs first: showing them costs nothing.
        let mut epochs: usize = self
            .lanes
            .iter_mut()
            .flat_map(|l| &mut l.seeds)
            .filter_map(Trainee::remote_mut)
            .map(|r| r.show(until_epoch))
            .sum();
        while let Some((run, pace)) = self
            .lanes
            .iter_mut()
            .flat_map(|l| &mut l.seeds)
            .filter(|s| Self::wants_batch(s, until_epoch))
            .filter_map(Trainee::local_mut)
            .min_by_key(|(_, pace)| pace.batches)
        {
            if !slice.admits(&self.clock, pace.batch_ms) {
                return epochs;
            }
            epochs += usize::from(pace.step(run, &self.clock));
        }
        if until_epoch == 0 {
            self.step_experiments(slice);
        }
        epochs
    }

    /// Rows of data preparation done so far (every pass over the data counts its rows): a
    /// slice of the experiments adds at most [`PREPARE_ROWS_PER_SLICE`](super::data::PREPARE_ROWS_PER_SLICE).
    pub fn rows_prepared(&self) -> usize {
        self.data.rows()
    }

    /// Whether any run on the chart would train further with `until_epoch` (0: to the end).
    pub fn training(&self, until_epoch: usize) -> bool {
        self.lanes
            .iter()
            .flat_map(|l| &l.seeds)
            .any(|s| Self::wants_batch(s, until_epoch))
    }

    /// Whether `step_for` has anything left to do: runs to train, or the experiments.
    pub fn working(&self) -> bool {
        self.training(0)
            || matches!(
                self.experiments,
                ExperimentsPhase::Waiting | ExperimentsPhase::Running { .. }
            )
    }
}

/// The transport button's states.
#[derive(Clone, Copy)]
enum Button {
    Pause,
    Play,
    RunAgain,
    /// A run made elsewhere is shown: back to the page's own runs.
    Back,
}

impl Button {
    /// The word on the button.
    fn word(self) -> &'static str {
        match self {
            Button::Pause => "Pause",
            Button::Play => "Play",
            Button::RunAgain => "Run again",
            Button::Back => super::outside_run::BACK_TO_PLAYGROUND,
        }
    }
}

/// `text` with its first letter upper-case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

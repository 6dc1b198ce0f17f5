//! How far the page's work has come and how long the rest will take: the wall-clock pace of
//! the animation frames that did the work (training slices, drawing and the browser's own
//! time together, since that is what the student waits for), and the words for it.

use serde::Serialize;

/// A gap between two frames longer than this is not work (a paused page, a hidden tab): it
/// is left out of the pace.
const MAX_FRAME_GAP_MS: f64 = 1_000.0;

/// An estimate needs this much measured time behind it; before, the page says "estimating".
const MIN_MEASURED_MS: f64 = 1_000.0;

/// Wall-clock milliseconds per unit of work (a training step, an experiment's epoch), measured over
/// the frames that did such work: each frame's time runs until the next frame starts.
#[derive(Default)]
pub(super) struct Pacer {
    /// The last working frame's start and the units it completed, until the next frame says
    /// how long it lasted.
    pending: Option<(f64, f64)>,
    wall_ms: f64,
    units: f64,
}

impl Pacer {
    /// A frame starts at `now`: the previous working frame lasted until now.
    pub(super) fn frame_starts(&mut self, now: f64) {
        if let Some((start, units)) = self.pending.take() {
            let gap = now - start;
            if (0.0..=MAX_FRAME_GAP_MS).contains(&gap) {
                self.wall_ms += gap;
                self.units += units;
            }
        }
    }

    /// The frame that started at `start` worked and completed `units` (possibly 0: an
    /// epoch can take many frames).
    pub(super) fn worked(&mut self, start: f64, units: f64) {
        self.pending = Some((start, units));
    }

    /// Milliseconds left for `remaining` units at the pace so far, once measured.
    pub(super) fn eta_ms(&self, remaining: f64) -> Option<f64> {
        (self.wall_ms >= MIN_MEASURED_MS && self.units > 0.0)
            .then(|| remaining * self.wall_ms / self.units)
    }
}

/// The runs on the chart as the status line shows them.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct RunStatus {
    /// `"ready"` (paused before the first step), `"training"`, `"stopping"` (the student
    /// pressed Stop: the epoch under way ends first), `"paused"`, or, once every run has
    /// ended, `"finished"`, `"stopped"` (by the student), `"diverged"`, `"early_stopped"`;
    /// `"outside"` while a run made elsewhere is shown in their place.
    pub state: &'static str,
    /// The status line, e.g. "training: epoch 12 of 100 · 12% · about 1 min 20 s left".
    pub text: String,
    /// Training steps (batches and validation chunks) done and planned over every run on
    /// the chart, for the progress bar.
    pub done: usize,
    pub total: usize,
    /// Seconds left at the measured pace, while training and once measured.
    pub eta_seconds: Option<f64>,
    /// Whether the page trains (Play) or waits (Pause).
    pub playing: bool,
    /// The transport button's word, and what pressing it does: "Pause" or "Play" while the
    /// runs on the chart train, "Run again" (a reset) once they have ended ("Play" if the page
    /// was paused with experiments still to train), or "Back to the playground" while a run
    /// made elsewhere is shown.
    pub button: &'static str,
}

/// "about 1 min 20 s left", rounded to what a person can use.
pub fn eta_text(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s {
        0..=4 => "a few seconds left".to_string(),
        5..=59 => format!("about {} s left", s.div_ceil(5) * 5),
        60..=599 => {
            let s = s.div_ceil(10) * 10;
            match s % 60 {
                0 => format!("about {} min left", s / 60),
                r => format!("about {} min {r} s left", s / 60),
            }
        }
        _ => format!("about {} min left", s.div_ceil(60)),
    }
}

/// `done` of `total` as a whole percentage, never 100 before the end.
pub fn percent(done: usize, total: usize) -> usize {
    if total == 0 || done >= total {
        return 100;
    }
    (100 * done / total).min(99)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_counts_working_frames_and_skips_long_gaps() {
        let mut p = Pacer::default();
        for i in 0..100 {
            let now = 16.0 * i as f64;
            p.frame_starts(now);
            p.worked(now, 2.0);
        }
        // 99 measured frames of 16 ms, 2 units each: 8 ms per unit.
        assert_eq!(p.eta_ms(10.0), Some(80.0));
        p.frame_starts(16.0 * 99.0 + 60_000.0); // a minute away: not work
        assert_eq!(p.eta_ms(10.0), Some(80.0));
        assert_eq!(Pacer::default().eta_ms(1.0), None, "nothing measured yet");
    }

    #[test]
    fn times_are_said_as_a_person_would() {
        assert_eq!(eta_text(2.0), "a few seconds left");
        assert_eq!(eta_text(41.0), "about 45 s left");
        assert_eq!(eta_text(80.0), "about 1 min 20 s left");
        assert_eq!(eta_text(120.0), "about 2 min left");
        assert_eq!(eta_text(1_000.0), "about 17 min left");
        assert_eq!(
            (percent(1, 3), percent(999, 1000), percent(5, 5)),
            (33, 99, 100)
        );
    }
}

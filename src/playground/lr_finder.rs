//! The learning-rate finder on the page: the range test on the focused run's settings and
//! data, trained in the page's time slices when the student asks, its curve drawn, its
//! suggestion one click from the rate control, and beside it what the experiments found when
//! they changed the rate.

use super::machine::Playground;
use crate::chart::{self, PlotRect, Surface};
use crate::config::{limits, Config, ConfigError};
use crate::train::{LrFinder, RULE, STEPS};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Serialize;

/// A finder under way or done, and the settings it was run on.
pub(super) struct FinderRun {
    finder: LrFinder,
    settings: String,
}

/// The settings a finder's curve belongs to: everything but the rate, which it chooses.
fn settings_of(config: &Config) -> String {
    Config {
        learning_rate: limits::LEARNING_RATE.0,
        ..config.clone()
    }
    .to_query()
}

/// What the page shows of the finder.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LrFindView {
    pub running: bool,
    pub steps_done: usize,
    pub steps: usize,
    /// Within the rate control's range, so that "use it" is one click; `None` without a valley.
    pub suggested_lr: Option<f64>,
    pub suggested_text: Option<String>,
    pub rule: &'static str,
    /// Whether the focused run still has the settings the finder ran on (the rate aside).
    pub current: bool,
    /// What the experiments found when they changed the rate: one line per such fix.
    pub experiments: Vec<String>,
}

impl Playground {
    /// Starts the range test on the focused run's settings and data (it replaces any other).
    pub fn start_lr_find(&mut self) -> Result<(), ConfigError> {
        let lane = self
            .lanes
            .get(self.focus)
            .ok_or_else(|| ConfigError::new("lr-find", "there is no run to find a rate for"))?;
        let finder = LrFinder::new(
            &lane.config.train_spec(),
            lane.data.train.clone(),
            lane.data.val.clone(),
            STEPS,
        )
        .map_err(|e| ConfigError::new(e.field, e.message))?;
        self.lr_finder = Some(Box::new(FinderRun {
            finder,
            settings: settings_of(&lane.config),
        }));
        Ok(())
    }

    /// Trains the finder for about `budget_ms`; returns whether it is still running.
    pub fn step_lr_find(&mut self, budget_ms: f64) -> bool {
        let Some(run) = self.lr_finder.as_deref_mut() else {
            return false;
        };
        let start = (self.clock)();
        while run.finder.step() {
            if (self.clock)() - start >= budget_ms {
                return true;
            }
        }
        false
    }

    /// The finder's state for the page; `None` before it was asked for.
    pub fn lr_find_view(&self) -> Option<LrFindView> {
        let run = self.lr_finder.as_deref()?;
        let found = run.finder.found();
        let suggested = found
            .suggested_lr
            .map(|lr| lr.clamp(limits::LEARNING_RATE.0, limits::LEARNING_RATE.1));
        let (done, steps) = run.finder.progress();
        let lane = self.lanes.get(self.focus);
        let experiments = self
            .diagnosis()
            .map(|d| d.experiments)
            .unwrap_or_default()
            .iter()
            .filter(|e| e.complete && e.fix.iter().any(|(key, _)| key == "lr"))
            .map(|e| format!("{}: {}", e.description, e.verdict_text))
            .collect();
        Some(LrFindView {
            running: !run.finder.done(),
            steps_done: done,
            steps,
            suggested_lr: suggested,
            suggested_text: suggested.map(chart::format_rate),
            rule: RULE,
            current: lane.is_some_and(|l| settings_of(&l.config) == run.settings),
            experiments,
        })
    }

    /// Draws the finder's curve so far on `area`.
    pub fn draw_lr_find<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        surface: Surface,
    ) -> Result<PlotRect, DrawingAreaErrorKind<DB::ErrorType>> {
        let found = self.lr_finder.as_deref().map(|r| r.finder.found());
        let (lrs, losses, suggested) = match &found {
            Some(f) => (&f.lrs[..], &f.losses[..], f.suggested_lr),
            None => (&[][..], &[][..], None),
        };
        chart::draw_lr_find(area, lrs, losses, suggested, surface)
    }
}

//! Diagnosis by experiment: every applicable fix, trained over a few seeds next to the
//! unchanged config (paired by seed), and what each measurably did. Steppable one batch at a
//! time, so the page spreads the work over its time slices; `run_to_end` for the CLI and the
//! tests. What each fix did is an [`Experiment`] (`experiment.rs`); the statistics are in
//! `effect.rs`.
//!
//! Order of work: the fixes in the rules' order (their most likely cause first), and within a
//! fix seed after seed, each unchanged run trained just before its first pair, so the first
//! fix's evidence arrives first and every later fix costs only its own runs. The placebo (the
//! unchanged settings on fresh seeds, measured exactly as a fix) comes last.
//!
//! Seeds are added while the answer is not settled: from [`FIRST_SEEDS`] seeds, [`SEED_STEP`]
//! more at a time up to [`MAX_SEEDS`], to the unchanged runs, the placebo and every setup fix
//! that helped or was inconclusive (`Experiments::add_seeds`).

use super::causes::fix_for;
use super::curves::finite;
use super::effect::{final_figure, Finals, Verdict};
use super::experiment::{describe_fix, Experiment};
use super::{Cause, CauseId, Chance, Diagnosis};
use crate::config::{Config, ConfigError, Prepared};
use crate::train::{History, Run, Status};
use std::rc::Rc;

/// Seeds the experiments start with: enough for a first verdict on most fixes.
pub const FIRST_SEEDS: usize = 5;
/// Seeds added at a time while the answer is not settled.
pub const SEED_STEP: usize = 5;
/// At most this many seeds: beyond it a fix too noisy to judge stays inconclusive.
pub const MAX_SEEDS: usize = 20;
/// The placebo's seeds are the experiments' own plus this: fresh initial weights and shuffles,
/// far from any seed a student or a test uses.
pub const PLACEBO_SEED_OFFSET: u32 = 0x4000_0000;

/// One seed's run of a config: not started, training, or its final figures.
enum Slot {
    Waiting,
    Training(Box<Run>),
    /// Trained elsewhere (a worker): the epochs done so far.
    Elsewhere(usize),
    /// `None`: diverged before its first epoch, no figure to compare.
    Done(Option<Finals>),
}

impl Slot {
    fn finals(&self) -> Option<Option<Finals>> {
        match self {
            Slot::Done(f) => Some(*f),
            _ => None,
        }
    }
}

/// The figures a run is compared by; `None` when it diverged before its first epoch.
fn finals(h: &History) -> Option<Finals> {
    match (
        final_figure(finite(&h.val_accuracy)),
        final_figure(finite(&h.val_loss)),
    ) {
        (Some(val_accuracy), Some(val_loss)) => Some(Finals {
            val_accuracy,
            val_loss,
            train_accuracy: final_figure(finite(&h.accuracy)).unwrap_or(f64::NAN),
        }),
        _ => None,
    }
}

/// One config trained over the seeds: the unchanged one, or one fix.
struct Arm {
    config: Config,
    data: Rc<Prepared>,
    /// The config's validation rows, from its settings: for runs trained in the page's
    /// workers `data` is the base's stand-in, and "more data" validates on more rows.
    val_rows: usize,
    /// Added to every seed: 0, but for the placebo's fresh seeds.
    seed_offset: u32,
    slots: Vec<Slot>,
}

impl Arm {
    fn new(config: Config, data: Rc<Prepared>, seeds: usize) -> Result<Arm, ConfigError> {
        Ok(Arm {
            val_rows: config.validation_rows()?,
            config,
            data,
            seed_offset: 0,
            slots: (0..seeds).map(|_| Slot::Waiting).collect(),
        })
    }

    /// One step of seed `i`'s run (starting it first). Returns whether it is done.
    fn step(&mut self, i: usize, seed: u32) -> Result<bool, ConfigError> {
        let seed = seed.wrapping_add(self.seed_offset);
        if let Slot::Elsewhere(_) = self.slots[i] {
            return Err(ConfigError::new(
                "experiments",
                "this run is trained by a worker, not stepped here",
            ));
        }
        if let Slot::Waiting = self.slots[i] {
            let run = Config {
                seed,
                ..self.config.clone()
            }
            .start_with(&self.data)?;
            self.slots[i] = Slot::Training(Box::new(run));
        }
        if let Slot::Training(run) = &mut self.slots[i] {
            if run.status() == Status::Training {
                run.step_batch();
            }
            if run.status() != Status::Training {
                self.slots[i] = Slot::Done(finals(run.history()));
            }
        }
        Ok(matches!(self.slots[i], Slot::Done(_)))
    }

    fn epochs_done(&self) -> usize {
        self.slots
            .iter()
            .map(|s| match s {
                Slot::Waiting => 0,
                Slot::Training(run) => run.epoch(),
                Slot::Elsewhere(epochs) => *epochs,
                Slot::Done(_) => self.config.epochs,
            })
            .sum()
    }
}

/// A fix to test: the cause it answers and the `Config::set` pairs.
struct Candidate {
    cause: CauseId,
    fix: Vec<(String, String)>,
    description: String,
    arm: Arm,
}

/// The fixes and the unchanged config, one run each per seed.
pub struct Experiments {
    seeds: Vec<u32>,
    base: Arm,
    candidates: Vec<Candidate>,
    /// Every run trains elsewhere (the page's workers): new seeds' slots wait for them.
    elsewhere: bool,
    /// Chance on the unchanged config's data, which no fix changes (no fix touches the
    /// labels): whether a fix's runs ended at chance is judged against it.
    chance: Chance,
}

/// No setup fix left inconclusive in `report`.
fn settled(report: &[Experiment]) -> bool {
    report
        .iter()
        .all(|e| !e.cause.is_setup() || e.verdict != Verdict::Inconclusive)
}

/// The fixes worth testing for `config`, most suspected first: the rules' causes in their
/// order, then every other cause's fix (the data's limit, more rows, among them); one per
/// distinct change. Fixes that change nothing are left out.
pub fn candidate_fixes(
    config: &Config,
    suspected: &[Cause],
    train_samples: usize,
) -> Vec<(CauseId, Vec<(String, String)>)> {
    let suspected = suspected.iter().map(|c| (c.id, c.fix.clone()));
    let others = CauseId::ALL
        .iter()
        .map(|&id| (id, fix_for(id, config, train_samples)));
    let mut out: Vec<(CauseId, Vec<(String, String)>)> = Vec::new();
    let mut seen: Vec<Config> = Vec::new();
    for (id, fix) in suspected.chain(others) {
        let same_family = |o: &CauseId| id.fix_family() == o.fix_family();
        if fix.is_empty() || out.iter().any(|(o, _)| same_family(o)) {
            continue;
        }
        let Ok(fixed) = fixed_config(config, &fix) else {
            continue;
        };
        if fixed == *config || seen.contains(&fixed) {
            continue;
        }
        seen.push(fixed);
        out.push((id, fix));
    }
    out
}

/// `config` with `fix` applied.
pub fn fixed_config(config: &Config, fix: &[(String, String)]) -> Result<Config, ConfigError> {
    let mut fixed = config.clone();
    for (key, value) in fix {
        fixed.set(key, value)?;
    }
    Ok(fixed)
}

impl Experiments {
    /// Seeds `first_seed, first_seed + 1, …`: the unchanged config and each fix, one run each,
    /// with the data each needs (`data(config)` is called once per fix; the page gives its
    /// cache). Nothing is trained yet.
    pub fn new(
        config: &Config,
        fixes: &[(CauseId, Vec<(String, String)>)],
        first_seed: u32,
        seeds: usize,
        mut data: impl FnMut(&Config) -> Result<Rc<Prepared>, ConfigError>,
    ) -> Result<Experiments, ConfigError> {
        let base = Arm::new(config.clone(), data(config)?, seeds)?;
        let chance = Chance::of_run(config, &base.data);
        let candidates = fixes
            .iter()
            .map(|(cause, fix)| {
                let fixed = fixed_config(config, fix)?;
                Ok(Candidate {
                    cause: *cause,
                    fix: fix.clone(),
                    description: describe_fix(config, &fixed, fix),
                    arm: Arm::new(fixed.clone(), data(&fixed)?, seeds)?,
                })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let mut experiments = Experiments {
            seeds: (0..seeds as u32)
                .map(|i| first_seed.wrapping_add(i))
                .collect(),
            base,
            candidates,
            elsewhere: false,
            chance,
        };
        if !experiments.candidates.is_empty() {
            let mut arm = Arm::new(config.clone(), data(config)?, seeds)?;
            arm.seed_offset = PLACEBO_SEED_OFFSET;
            experiments.candidates.push(Candidate {
                cause: CauseId::Placebo,
                fix: Vec::new(),
                description: "the same settings on fresh training seeds".into(),
                arm,
            });
        }
        Ok(experiments)
    }

    /// Every applicable fix of `diagnosis` for `config`, over `seeds` seeds from `config.seed`
    /// (the seeds the page and the CLI show).
    pub fn for_diagnosis(
        config: &Config,
        diagnosis: &Diagnosis,
        seeds: usize,
    ) -> Result<Experiments, ConfigError> {
        let base = Rc::new(config.prepare()?);
        let fixes = candidate_fixes(config, &diagnosis.causes, base.train.len());
        Experiments::new(config, &fixes, config.seed, seeds, |c| {
            if c.data_settings() == config.data_settings() {
                Ok(base.clone())
            } else {
                Ok(Rc::new(c.prepare()?))
            }
        })
    }

    /// One step (a batch or a validation chunk) of the next run in the order of work.
    /// Returns whether anything is left.
    pub fn step_batch(&mut self) -> Result<bool, ConfigError> {
        for c in 0..self.candidates.len() {
            for i in 0..self.candidates[c].arm.slots.len() {
                let seed = self.seeds[i];
                if !matches!(self.base.slots[i], Slot::Done(_)) {
                    self.base.step(i, seed)?;
                    return Ok(true);
                }
                let arm = &mut self.candidates[c].arm;
                if !matches!(arm.slots[i], Slot::Done(_)) {
                    arm.step(i, seed)?;
                    return Ok(!self.is_done());
                }
            }
        }
        Ok(false)
    }

    pub fn is_done(&self) -> bool {
        self.candidates
            .iter()
            .all(|c| c.arm.slots.iter().all(|s| matches!(s, Slot::Done(_))))
            && (self.candidates.is_empty()
                || self.base.slots.iter().all(|s| matches!(s, Slot::Done(_))))
    }

    /// `(epochs trained, epochs planned)` over all runs, for a progress bar.
    pub fn progress(&self) -> (usize, usize) {
        if self.candidates.is_empty() {
            return (0, 0);
        }
        let arms = || std::iter::once(&self.base).chain(self.candidates.iter().map(|c| &c.arm));
        let done = arms().map(Arm::epochs_done).sum();
        let total = arms().map(|a| a.config.epochs * a.slots.len()).sum();
        (done, total)
    }

    /// Trains every run, adding seeds until the answer is settled.
    pub fn run_to_end(&mut self) -> Result<Vec<Experiment>, ConfigError> {
        loop {
            while self.step_batch()? {}
            if !self.add_seeds() {
                return Ok(self.report());
            }
        }
    }

    /// Training seeds drawn so far (the unchanged runs have them all).
    pub fn seeds_used(&self) -> usize {
        self.seeds.len()
    }

    /// Whether the answer is settled: every setup fix measured to the end has a verdict the
    /// noise does not leave open (helps, no effect or hurts), not *inconclusive*.
    pub fn settled(&self) -> bool {
        settled(&self.report())
    }

    /// Once every run is done and the answer is not settled, [`SEED_STEP`] more seeds (up to
    /// [`MAX_SEEDS`]) for the unchanged runs and for every setup fix that helped or was
    /// inconclusive: the fixes that can be the answer, and the ties between them. Returns
    /// whether seeds were added (their runs are then waiting to be trained).
    pub fn add_seeds(&mut self) -> bool {
        if !self.is_done() || self.seeds.len() >= MAX_SEEDS {
            return false;
        }
        let report = self.report();
        if settled(&report) {
            return false;
        }
        let first = self.seeds[0];
        let from = self.seeds.len();
        let to = (from + SEED_STEP).min(MAX_SEEDS);
        self.seeds
            .extend((from..to).map(|i| first.wrapping_add(i as u32)));
        let waiting = |elsewhere: bool| {
            if elsewhere {
                Slot::Elsewhere(0)
            } else {
                Slot::Waiting
            }
        };
        let elsewhere = self.elsewhere;
        self.base.slots.resize_with(to, || waiting(elsewhere));
        for (c, e) in self.candidates.iter_mut().zip(&report) {
            let answers =
                e.cause.is_setup() && matches!(e.verdict, Verdict::Helps | Verdict::Inconclusive);
            // The placebo grows with the unchanged runs: it is measured as the answer is.
            if answers || e.cause == CauseId::Placebo {
                c.arm.slots.resize_with(to, || waiting(elsewhere));
            }
        }
        true
    }

    /// Every fix, in the order tested, with its effect over the seeds finished so far.
    pub fn report(&self) -> Vec<Experiment> {
        self.candidates
            .iter()
            .map(|c| {
                let (mut base, mut fixed) = (Vec::new(), Vec::new());
                for (b, f) in self.base.slots.iter().zip(&c.arm.slots) {
                    if let (Some(Some(b)), Some(Some(f))) = (b.finals(), f.finals()) {
                        base.push(b);
                        fixed.push(f);
                    }
                }
                let complete = c.arm.slots.iter().all(|s| s.finals().is_some());
                let mut e = Experiment::measured(
                    (c.cause, c.fix.clone(), c.description.clone()),
                    (c.arm.slots.len(), complete),
                    &base,
                    &fixed,
                    (self.base.val_rows, c.arm.val_rows, &self.chance),
                );
                e.fixed_by_seed = c.arm.slots.iter().map(|s| s.finals().flatten()).collect();
                e
            })
            .collect()
    }
}

/// Experiments whose runs train elsewhere (the page's workers): the playground hands out
/// each run and records its end.
impl Experiments {
    /// Every run, in the order of work: `(arm, seed index, config with its seed)`, arm 0
    /// being the unchanged config and arm `c + 1` the `c`-th fix.
    pub fn runs(&self) -> Vec<(usize, usize, Config)> {
        let mut runs = Vec::new();
        for c in 0..self.candidates.len() {
            for i in 0..self.candidates[c].arm.slots.len() {
                for (arm, a) in [(0, &self.base), (c + 1, &self.candidates[c].arm)] {
                    if !runs.iter().any(|&(r, s, _)| (r, s) == (arm, i)) {
                        runs.push((
                            arm,
                            i,
                            Config {
                                seed: self.seeds[i].wrapping_add(a.seed_offset),
                                ..a.config.clone()
                            },
                        ));
                    }
                }
            }
        }
        runs
    }

    /// The same experiments, every run to be trained elsewhere: none of them is stepped
    /// here any more (`step_batch` says so), so an arm's data can be a stand-in.
    pub fn trained_elsewhere(mut self) -> Experiments {
        let arms =
            std::iter::once(&mut self.base).chain(self.candidates.iter_mut().map(|c| &mut c.arm));
        for arm in arms {
            arm.slots.fill_with(|| Slot::Elsewhere(0));
        }
        self.elsewhere = true;
        self
    }

    /// What a worker reported for `arm`'s run of seed index `i`: `epochs` done, and its
    /// history once it has ended.
    pub fn record(&mut self, arm: usize, i: usize, epochs: usize, ended: Option<&History>) {
        let arm = match arm {
            0 => &mut self.base,
            c => &mut self.candidates[c - 1].arm,
        };
        if !matches!(arm.slots[i], Slot::Done(_)) {
            arm.slots[i] = match ended {
                Some(history) => Slot::Done(finals(history)),
                None => Slot::Elsewhere(epochs),
            };
        }
    }
}

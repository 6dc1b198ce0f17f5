//! The URL hash and the page's state, both ways: a link's hash opens a state (with the view
//! flags and the lesson it names), and a state writes the hash that reopens it. Lessons are
//! opened through the same code, step by step.

use super::course::LessonInfo;
use super::machine::{
    comparison_named, error_text, seeds_error, Playground, COMPARISON_SEEDS, SEED_COUNTS,
};
use super::own_data::{data_value, data_value_part, parse_data_value, WantedFile};
use crate::config::{clamp_query, percent_decode, Config, ConfigError, COMPARISONS};
use crate::data::{built_in, built_in_names};
use crate::lesson::LessonError;
use crate::view::View;

impl Playground {
    /// Applies a link's hash: the view flags and lesson (`course.rs`), then the experiment.
    /// A lesson link with no experiment of its own opens its step's state.
    /// Returns what was wrong with it; bad values fall back to defaults and the page goes on.
    pub fn apply_hash(&mut self, hash: &str) -> Vec<String> {
        let (experiment, mut notices) = self.course.read_link(hash);
        if let (true, Some(lesson)) = (experiment.is_empty(), self.course.info()) {
            let step = self.open_step(lesson.step);
            notices.extend(
                step.iter()
                    .map(|n| format!("lesson step {}, state: {n}", lesson.step)),
            );
            return notices;
        }
        notices.extend(self.apply_state(&experiment));
        notices
    }

    /// What is wrong with `state` as a link: the notices opening it would give (opened in a
    /// scratch playground, so by the same code).
    pub fn problems_of(state: &str) -> Vec<String> {
        match Playground::new(Box::new(|| 0.0)) {
            Ok(mut scratch) => {
                let (experiment, mut notices) = scratch.course.read_view(state);
                notices.extend(scratch.apply_state(&experiment));
                notices
            }
            Err(e) => vec![error_text(&e)],
        }
    }

    /// A lesson file the page should fetch (same origin, relative) for the link it applied.
    pub fn lesson_to_fetch(&self) -> Option<String> {
        self.course.lesson_to_fetch().map(str::to_string)
    }

    /// The fetched lesson file: checked, then, when the link named no experiment of its own,
    /// its step is opened. A file that is not a lesson is an error; otherwise the notices
    /// name each step with a problem (the lesson box marks them too), and the other steps
    /// work.
    pub fn load_lesson(&mut self, path: &str, json: &str) -> Result<Vec<String>, LessonError> {
        if self.course.load(path, json, Playground::problems_of)? {
            self.open_step(self.course.info().map_or(1, |i| i.step));
        }
        Ok(self.course.notices())
    }

    /// Opens step `step` (1-based) of the lesson: its whole state, view flags included. A flag
    /// the step does not set goes back to the lesson's own (the page's default, unless the
    /// lesson's link set it), so Back and Next each bring a step back as it was written.
    pub fn lesson_step(&mut self, step: usize) -> Result<(), LessonError> {
        let steps = self.course.info().map_or(0, |i| i.steps);
        if step == 0 || step > steps {
            return Err(LessonError {
                place: "step".into(),
                message: format!("there is no step {step}; this lesson has 1 to {steps}"),
            });
        }
        self.open_step(step);
        Ok(())
    }

    /// [`Self::lesson_step`] for a step that exists; returns the notices its state gives (a
    /// bad step opens with its valid settings, and its problems are marked in the lesson).
    fn open_step(&mut self, step: usize) -> Vec<String> {
        match self.course.go_to(step - 1) {
            Some(experiment) => self.apply_state(&experiment),
            None => Vec::new(),
        }
    }

    pub fn lesson(&self) -> Option<LessonInfo> {
        self.course.info()
    }

    pub fn view(&self) -> &View {
        &self.course.view
    }

    /// The link to this state with the view flags `flags` (`show=lr&panel=off`, the defaults
    /// for flags it does not name) instead of the page's own: the Embed dialog's URL.
    pub fn embed_link(&self, flags: &str) -> Result<String, ConfigError> {
        let mut view = View::default();
        for pair in flags.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            view.set(key, value)?;
        }
        Ok(self.course.link_with(&self.experiment_hash(), &view))
    }

    /// Applies the experiment's part of a hash: `compare=NAME` (or `preset=NAME`, as the
    /// README documents it) for a comparison, otherwise [`Config::from_query`]; `seeds=N`
    /// sets the multi-seed mode either way.
    pub(super) fn apply_state(&mut self, hash: &str) -> Vec<String> {
        let query = hash.strip_prefix('#').unwrap_or(hash);
        let key_is = |p: &&str, key: &str| p.split('=').next() == Some(key);
        fn value_of<'a>(pair: &&'a str) -> &'a str {
            pair.split_once('=').map_or("", |(_, v)| v)
        }
        let (seeds, rest): (Vec<&str>, Vec<&str>) = query
            .split('&')
            .filter(|p| !p.is_empty())
            .partition(|p| key_is(p, "seeds"));
        let names_comparison = |p: &&str| {
            key_is(p, "compare") || (key_is(p, "preset") && comparison_named(value_of(p)).is_some())
        };
        let (compare, rest): (Vec<&str>, Vec<&str>) = rest.into_iter().partition(names_comparison);
        let (file_keys, rest): (Vec<&str>, Vec<&str>) = rest
            .into_iter()
            .partition(|p| key_is(p, "data") || key_is(p, "target") || key_is(p, "dataset"));
        let data = file_keys.iter().rev().find(|p| key_is(p, "data"));
        let dataset = file_keys.iter().rev().find(|p| key_is(p, "dataset"));
        let target = file_keys
            .iter()
            .rev()
            .find(|p| key_is(p, "target"))
            .map(|p| percent_decode(value_of(p)));
        self.wanted_file = None;
        let mut notices = Vec::new();
        let mut chosen_seeds = None;
        if let Some(pair) = seeds.last() {
            let value = value_of(pair);
            match value.parse::<usize>() {
                Ok(n) if SEED_COUNTS.contains(&n) => chosen_seeds = Some(n),
                _ => notices.push(format!(
                    "{}; the default is used",
                    error_text(&seeds_error(value))
                )),
            }
        }
        self.seeds = chosen_seeds.unwrap_or(1);
        if let Some(pair) = compare.first() {
            let name = value_of(pair);
            if comparison_named(name).is_some() {
                // A re-rolled comparison: every run with this training seed.
                let mut seed = None;
                for pair in file_keys.iter().copied().chain(rest) {
                    let key = pair.split('=').next().unwrap_or(pair);
                    if key == "seed" {
                        let mut config = Config::default();
                        match config.set("seed", &percent_decode(value_of(&pair))) {
                            Ok(()) => seed = Some(config.seed),
                            Err(e) => {
                                notices.push(format!("{}; the default is used", error_text(&e)))
                            }
                        }
                        continue;
                    }
                    notices.push(format!(
                        "{key}: ignored; a comparison fixes every setting but the seed"
                    ));
                }
                let seeds = chosen_seeds.unwrap_or(COMPARISON_SEEDS);
                if let Err(e) = self.open_comparison(name, seeds, seed) {
                    notices.push(error_text(&e));
                }
                self.faded.clear();
                return notices;
            }
            let allowed: Vec<&str> = COMPARISONS.iter().map(|(n, _)| *n).collect();
            notices.push(format!(
                "compare: unknown comparison '{name}'; allowed: {}",
                allowed.join(", ")
            ));
        }
        // A file's link: the file if this page has it; else the defaults until the student
        // chooses it (`load_data_file` then applies this state).
        let mut file = None;
        // A built-in dataset is its file's name and hash, the file fetched by the page.
        let named = match (data, dataset) {
            (Some(pair), _) => Some(parse_data_value(&percent_decode(value_of(pair)))),
            (None, Some(pair)) => {
                let name = percent_decode(value_of(pair));
                Some(match built_in(&name) {
                    Some(d) => Ok((d.name.to_string(), d.hash.to_string())),
                    None => Err(ConfigError::new(
                        "dataset",
                        format!("unknown dataset '{name}'; allowed: {}", built_in_names()),
                    )),
                })
            }
            (None, None) => None,
        };
        if let Some(named) = named {
            match named {
                Err(e) => notices.push(format!("{}; generated data is used", error_text(&e))),
                Ok((name, hash)) => match self.known_file(&hash, target.as_deref()) {
                    Some(Ok(found)) => file = Some(found),
                    Some(Err(e)) => {
                        notices.push(format!("{}; generated data is used", error_text(&e)))
                    }
                    None => {
                        let dataset_file =
                            built_in(&name).filter(|d| d.hash == hash).map(|d| d.file);
                        if dataset_file.is_none() {
                            notices.push(format!(
                                "This link used your file {name}; choose it to continue"
                            ));
                        }
                        self.wanted_file = Some(WantedFile {
                            name,
                            hash,
                            dataset_file,
                            state: query.to_string(),
                        });
                        self.config = Config::default();
                        if let Ok(lane) = self.single_lane(&Config::default()) {
                            self.replace_lanes(vec![lane]);
                        }
                        self.comparison = None;
                        self.faded.clear();
                        let _ = self.settle_workers();
                        return notices;
                    }
                },
            }
        } else if target.is_some() {
            notices
                .push("target: ignored; it names a column of a file, and the link has none".into());
        }
        // With a file its rows and features are the file's: the link's own are not checked
        // against make_classification's ranges.
        let rest: Vec<&str> = match file {
            Some(_) => rest
                .into_iter()
                .filter(|p| !key_is(p, "samples") && !key_is(p, "features"))
                .collect(),
            None => rest,
        };
        // The leading '&' keeps a first key that begins with '#' ("##lr=1") as it was given,
        // so its notice names it.
        let (query, clamped) = clamp_query(&format!("&{}", rest.join("&")));
        notices.extend(clamped);
        let (mut config, problems) = Config::from_query(&query);
        notices.extend(
            problems
                .iter()
                .map(|e| format!("{}; the default is used", error_text(e))),
        );
        let in_use = file.map(|(file, in_use)| {
            config = config.clone().with_data_file(file);
            in_use
        });
        match self.single_lane(&config) {
            Ok(lane) => {
                self.replace_lanes(vec![lane]);
                self.config = config;
            }
            Err(e) => {
                // Every key was valid on its own but the combination cannot start: fall back
                // to the default experiment rather than leave the page without a run.
                notices.push(format!("{}; the default settings are used", error_text(&e)));
                self.config = Config::default();
                if let Ok(lane) = self.single_lane(&Config::default()) {
                    self.replace_lanes(vec![lane]);
                }
            }
        }
        self.comparison = None;
        self.faded.clear();
        self.file_in_use = in_use.filter(|_| self.config.data.is_some());
        if let Err(e) = self.settle_workers() {
            notices.push(error_text(&e));
        }
        notices
    }

    /// The URL hash that reopens this state, lesson step and view flags included.
    pub fn to_hash(&self) -> String {
        // While the page fetches a built-in dataset a link named, the link stays the one
        // opened: a reload during the fetch must not lose the dataset (its state is applied
        // once the file arrives, whatever the defaults showed meanwhile).
        if let Some(wanted) = self
            .wanted_file
            .as_ref()
            .filter(|w| w.dataset_file.is_some())
        {
            return self.course.link(&wanted.state);
        }
        self.course.link(&self.experiment_hash())
    }

    /// `compare=NAME`, with `&seed=N` once it was re-rolled (its runs share that seed).
    fn comparison_hash(&self, name: &str) -> String {
        let preset_seed = comparison_named(name)
            .and_then(|(_, presets)| Config::preset(presets[0]).ok())
            .map(|c| c.seed);
        match self.lanes.first().map(|l| l.config.seed) {
            Some(seed) if Some(seed) != preset_seed => format!("compare={name}&seed={seed}"),
            _ => format!("compare={name}"),
        }
    }

    /// The experiment's part of the hash.
    fn experiment_hash(&self) -> String {
        let (state, default_seeds) = match self.comparison {
            Some(name) => (self.comparison_hash(name), COMPARISON_SEEDS),
            None => (self.config.to_query(), 1),
        };
        let built_in_file = self
            .file_in_use
            .as_ref()
            .and_then(|f| built_in(&f.name).filter(|d| d.hash == f.hash && f.target.is_none()));
        let state = match (&self.file_in_use, self.comparison) {
            (Some(_), None) if built_in_file.is_some() => {
                format!("{state}&dataset={}", built_in_file.map_or("", |d| d.name))
            }
            (Some(file), None) => {
                let target = file
                    .target
                    .as_deref()
                    .map(|t| format!("&target={}", data_value_part(t)))
                    .unwrap_or_default();
                format!(
                    "{state}&data={}{target}",
                    data_value(&file.name, &file.hash)
                )
            }
            _ => state,
        };
        if self.seeds == default_seeds {
            state
        } else {
            format!("{state}&seeds={}", self.seeds)
        }
    }
}

//! Course material on top of the playground's state: the embed's view flags
//! ([`crate::view`]) and the lesson being followed ([`crate::lesson`]). These hash keys say
//! how the page is shown and which step of which lesson it is on; every other key is the
//! experiment, which the playground itself reads.

use crate::lesson::{self, Lesson, LessonError, Source, StepProblem};
use crate::view::{self, View};
use serde::Serialize;

#[derive(Default)]
pub struct Course {
    pub view: View,
    /// The lesson named by the link; `lesson` is `None` until its file is loaded and checked.
    source: Option<Source>,
    lesson: Option<Lesson>,
    /// 0-based.
    step: usize,
    /// Whether the last link named an experiment of its own (then a lesson loaded later
    /// keeps it rather than opening its step).
    link_has_experiment: bool,
    /// Whether the last link named a step: kept in the link while the lesson is not loaded,
    /// so a reload after a fix opens the same step.
    link_names_step: bool,
    /// The view flags the last link set, and the step it opened (0-based): the lesson's own
    /// view is these flags less the ones that step names itself (see [`Self::base_view`]).
    link_view: View,
    linked_step: usize,
    /// The lesson file was fetched and is not a lesson: it is not fetched again until the
    /// next link, and the link keeps naming it so that a reload after a fix opens it.
    failed: bool,
}

/// The lesson as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonInfo {
    pub title: String,
    /// 1-based, of `steps`.
    pub step: usize,
    pub steps: usize,
    pub caption: String,
    pub question: String,
    /// What is wrong with any step of the lesson, in step order, so the box can mark them.
    pub problems: Vec<StepMark>,
}

/// A problem of one step, for the lesson box: `Step 2, state: lr: 7 is out of range; …`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepMark {
    /// 1-based.
    pub step: usize,
    #[serde(flatten)]
    pub problem: StepProblem,
}

/// The hash's `key=value` parts, each as `(key, value, the part as written)`.
fn pairs(query: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    query
        .trim_start_matches('#')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (key, value) = p.split_once('=').unwrap_or((p, ""));
            (key, value, p)
        })
}

impl Course {
    /// Reads a whole link: the view flags it sets (the others back to their defaults) and the
    /// lesson it names. Returns the experiment's part of the hash and what was wrong.
    pub fn read_link(&mut self, hash: &str) -> (String, Vec<String>) {
        self.view = View::default();
        let (rest, mut notices) = self.read_view(hash);
        let mut experiment = Vec::new();
        let (mut source, mut step) = (None, None);
        for (key, value, part) in pairs(&rest) {
            match key {
                "lesson" => match Source::parse(value) {
                    Ok(s) => source = Some(s),
                    Err(e) => notices.push(format!("lesson: {}", e.message)),
                },
                "step" => match value.parse::<usize>() {
                    Ok(n) if n >= 1 => step = Some(n - 1),
                    _ => notices.push(format!(
                        "step: '{value}' is not a step number (1, 2, …); the first step is used"
                    )),
                },
                _ => experiment.push(part),
            }
        }
        self.link_has_experiment = !experiment.is_empty();
        self.link_names_step = step.is_some();
        self.link_view = self.view.clone();
        self.failed = false;
        if step.is_some() && source.is_none() {
            notices.push("step: ignored without a lesson".into());
        }
        let same = source.is_some() && source == self.source;
        self.source = source;
        if !same {
            self.lesson = None;
        }
        self.step = step.unwrap_or(0);
        if self.source == Some(Source::Article) && self.lesson.is_none() {
            // Built in: checked by the tests, so it cannot fail here.
            self.lesson = Some(
                Lesson::parse(lesson::ARTICLE, |_| Vec::new()).expect("the built-in lesson parses"),
            );
        }
        if let Some(lesson) = &self.lesson {
            self.step = self.step.min(lesson.steps.len() - 1);
        }
        self.linked_step = self.step;
        (experiment.join("&"), notices)
    }

    /// The view a step starts from: the flags the link set, less those the step it opened
    /// names itself. A lesson linked with `chrome=off` keeps it on every step; a flag that
    /// belongs to one step (`show=lr` on step 3, reloaded from its link) goes back to its
    /// default on the others.
    fn base_view(&self) -> View {
        let mut base = self.link_view.clone();
        let linked = self
            .lesson
            .as_ref()
            .and_then(|l| l.steps.get(self.linked_step));
        if let Some(step) = linked {
            for (key, _, _) in pairs(&step.state) {
                base.reset(key);
            }
        }
        base
    }

    /// Takes the view flags a hash sets out of it (the others stay as they are); returns the
    /// rest and what was wrong.
    pub fn read_view(&mut self, hash: &str) -> (String, Vec<String>) {
        let mut rest = Vec::new();
        let mut notices = Vec::new();
        for (key, value, part) in pairs(hash) {
            if view::KEYS.contains(&key) {
                if let Err(e) = self.view.set(key, value) {
                    notices.push(format!("{}: {}; the default is used", e.field, e.message));
                }
            } else {
                rest.push(part);
            }
        }
        (rest.join("&"), notices)
    }

    /// A lesson file the page has to fetch: its relative path, while it is not loaded.
    pub fn lesson_to_fetch(&self) -> Option<&str> {
        match (&self.source, &self.lesson) {
            (Some(Source::File(path)), None) if !self.failed => Some(path),
            _ => None,
        }
    }

    /// Takes the fetched text of [`Self::lesson_to_fetch`]'s file, checked with `problems_of`
    /// (the page's own hash check). A file that is not a lesson is an error and the page goes
    /// on, the link still naming it; a bad step is only marked (see [`Lesson::parse`]).
    /// Returns whether the step's state should open (the link named no experiment).
    pub fn load(
        &mut self,
        path: &str,
        json: &str,
        problems_of: impl Fn(&str) -> Vec<String>,
    ) -> Result<bool, LessonError> {
        if self.lesson_to_fetch() != Some(path) {
            return Err(LessonError {
                place: "file".into(),
                message: format!("'{path}' is not the lesson this link names"),
            });
        }
        match Lesson::parse(json, problems_of) {
            Ok(lesson) => {
                self.step = self.step.min(lesson.steps.len() - 1);
                self.linked_step = self.step;
                self.lesson = Some(lesson);
                Ok(!self.link_has_experiment)
            }
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }

    /// The loaded lesson's notices: one per problem of a step, naming the step.
    pub fn notices(&self) -> Vec<String> {
        self.lesson.as_ref().map_or_else(Vec::new, Lesson::notices)
    }

    /// Moves to step `index` (0-based): the step's whole view (the lesson's own view, then
    /// the flags the step sets), and returns the experiment's part of its state to open;
    /// `None` past either end.
    pub fn go_to(&mut self, index: usize) -> Option<String> {
        let state = self.lesson.as_ref()?.steps.get(index)?.state.clone();
        self.step = index;
        self.view = self.base_view();
        // A bad flag is one of the step's marked problems; the others apply.
        let (experiment, _) = self.read_view(&state);
        Some(experiment)
    }

    pub fn info(&self) -> Option<LessonInfo> {
        let lesson = self.lesson.as_ref()?;
        let step = &lesson.steps[self.step];
        Some(LessonInfo {
            title: lesson.title.clone(),
            step: self.step + 1,
            steps: lesson.steps.len(),
            caption: step.caption.clone(),
            question: step.question.clone(),
            problems: lesson
                .steps
                .iter()
                .enumerate()
                .flat_map(|(i, s)| {
                    s.problems.iter().map(move |p| StepMark {
                        step: i + 1,
                        problem: p.clone(),
                    })
                })
                .collect(),
        })
    }

    /// The link for `experiment` (the playground's own hash part): the lesson and its step
    /// first, the view flags that differ from the defaults last.
    pub fn link(&self, experiment: &str) -> String {
        self.link_with(experiment, &self.view)
    }

    /// [`Self::link`] with another view: what the Embed dialog offers.
    pub fn link_with(&self, experiment: &str, view: &View) -> String {
        let mut parts = Vec::new();
        if let Some(source) = &self.source {
            parts.push(format!("lesson={}", source.name()));
            if self.lesson.is_some() || self.link_names_step {
                parts.push(format!("step={}", self.step + 1));
            }
        }
        // A lesson link that is not loaded yet (or whose file is not a lesson) stays the
        // link that was followed: written with the default experiment, a reload after a fix
        // would keep that experiment instead of opening the step.
        let waiting = self.source.is_some() && self.lesson.is_none() && !self.link_has_experiment;
        if !experiment.is_empty() && !waiting {
            parts.push(experiment.to_string());
        }
        parts.extend(view.to_query());
        parts.join("&")
    }
}

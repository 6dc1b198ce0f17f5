//! Course material on top of the playground's state: the embed's view flags
//! ([`crate::view`]) and the lesson being followed ([`crate::lesson`]). These hash keys say
//! how the page is shown and which step of which lesson it is on; every other key is the
//! experiment, which the playground itself reads.

use crate::lesson::{self, Lesson, LessonError, Source};
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
        (experiment.join("&"), notices)
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
            (Some(Source::File(path)), None) => Some(path),
            _ => None,
        }
    }

    /// Takes the fetched text of [`Self::lesson_to_fetch`]'s file, checked with `problems_of`
    /// (the page's own hash check). On an error the lesson is dropped and the page goes on.
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
                self.lesson = Some(lesson);
                Ok(!self.link_has_experiment)
            }
            Err(e) => {
                self.source = None;
                Err(e)
            }
        }
    }

    /// The current step's state, to open when the link names no experiment of its own.
    pub fn step_state(&self) -> Option<&str> {
        let lesson = self.lesson.as_ref()?;
        Some(&lesson.steps[self.step].state)
    }

    /// Moves to step `index` (0-based) and returns its state; `None` past either end.
    pub fn go_to(&mut self, index: usize) -> Option<String> {
        let lesson = self.lesson.as_ref()?;
        let step = lesson.steps.get(index)?;
        self.step = index;
        Some(step.state.clone())
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
            if self.lesson.is_some() {
                parts.push(format!("step={}", self.step + 1));
            }
        }
        if !experiment.is_empty() {
            parts.push(experiment.to_string());
        }
        parts.extend(view.to_query());
        parts.join("&")
    }
}

//! Guided lessons: a short list of steps, each a playground state (a URL hash) with a caption
//! and a question. A course author writes one as a JSON file served beside the page
//! (`#lesson=lessons/my-lesson.json`); the seed article's lesson is built in (`#lesson=article`)
//! so it also works in the single-file build. The format is in `docs/lessons.md`.

use serde::Deserialize;
use std::fmt;

/// The built-in lesson: the article's three experiments, with what really happens, and the
/// scaling lesson on a real dataset (its claims are checked in tests/playground/links.rs).
pub const ARTICLE: &str = include_str!("../www/lessons/article.json");

/// The name `#lesson=` takes for the built-in lesson.
pub const ARTICLE_NAME: &str = "article";

/// Limits that keep a lesson a lesson (and a hostile file from freezing the page).
pub const MAX_STEPS: usize = 50;
pub const MAX_TEXT: usize = 2_000;
pub const MAX_BYTES: usize = 200_000;

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The playground state, as the URL hash after `#` (`preset=overfit`, `lr=0.1&hidden=64`).
    pub state: String,
    pub caption: String,
    #[serde(default)]
    pub question: String,
    /// What is wrong with this step, found by [`Lesson::parse`]. A bad step is named rather
    /// than sinking the lesson: the other steps work, and this one opens with what it can.
    #[serde(skip)]
    pub problems: Vec<StepProblem>,
}

/// One thing wrong with a step: the field (`state`, `caption`, `question`) and what is
/// wrong, in the words the page would use for the same value in a link.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StepProblem {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub title: String,
    pub steps: Vec<Step>,
}

/// What is wrong with a lesson file: where (`step 2, state`) and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonError {
    pub place: String,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "lesson {}: {}", self.place, self.message)
    }
}

impl std::error::Error for LessonError {}

fn error(place: impl Into<String>, message: impl Into<String>) -> LessonError {
    LessonError {
        place: place.into(),
        message: message.into(),
    }
}

fn check_text(place: impl Into<String>, text: &str, required: bool) -> Result<(), LessonError> {
    if required && text.trim().is_empty() {
        return Err(error(place, "is empty; write a sentence or two"));
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT {
        return Err(error(
            place,
            format!("is {chars} characters long; allowed at most {MAX_TEXT}"),
        ));
    }
    Ok(())
}

/// A step's text, checked: a problem is recorded, and a text too long is cut to the limit
/// (with an ellipsis), so that the box stays a box.
fn check_step_text(
    field: &str,
    text: &mut String,
    required: bool,
    problems: &mut Vec<StepProblem>,
) {
    if let Err(e) = check_text(field, text, required) {
        problems.push(StepProblem {
            field: e.place,
            message: e.message,
        });
        if text.chars().count() > MAX_TEXT {
            *text = text.chars().take(MAX_TEXT - 1).chain(['…']).collect();
        }
    }
}

impl Lesson {
    /// Reads and checks a lesson. `problems_of` lists what is wrong with a step's state (the
    /// playground's own hash check, in the notices the page would show). A file that is not a
    /// lesson is an error; a step with a problem is kept, with its problems, so that one bad
    /// step does not take the others down.
    pub fn parse(
        json: &str,
        problems_of: impl Fn(&str) -> Vec<String>,
    ) -> Result<Lesson, LessonError> {
        if json.len() > MAX_BYTES {
            return Err(error(
                "file",
                format!("is {} bytes; allowed at most {MAX_BYTES}", json.len()),
            ));
        }
        let mut lesson: Lesson = serde_json::from_str(json).map_err(|e| {
            error(
                "file",
                format!(
                    "is not a lesson: {e}. Expected {{\"title\": \"…\", \"steps\": [{{\"state\": \"…\", \"caption\": \"…\", \"question\": \"…\"}}]}}"
                ),
            )
        })?;
        check_text("title", &lesson.title, true)?;
        if lesson.steps.is_empty() || lesson.steps.len() > MAX_STEPS {
            return Err(error(
                "steps",
                format!("has {} steps; allowed 1 to {MAX_STEPS}", lesson.steps.len()),
            ));
        }
        for step in &mut lesson.steps {
            let mut problems = Vec::new();
            check_step_text("caption", &mut step.caption, true, &mut problems);
            check_step_text("question", &mut step.question, false, &mut problems);
            let state = |message: String| StepProblem {
                field: "state".into(),
                message,
            };
            if step.state.contains("lesson=") || step.state.contains("step=") {
                problems.push(state(
                    "cannot name a lesson or a step; it is one playground state".into(),
                ));
            }
            problems.extend(problems_of(&step.state).into_iter().map(state));
            step.problems = problems;
        }
        Ok(lesson)
    }

    /// Every step's problems as the page's notices name them: `lesson step 2, state: …`.
    pub fn notices(&self) -> Vec<String> {
        let mut notices = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            for p in &step.problems {
                let place = format!("step {}, {}", i + 1, p.field);
                notices.push(error(place, p.message.clone()).to_string());
            }
        }
        notices
    }
}

/// Where `#lesson=VALUE` points: the built-in lesson, or a JSON file on the page's own origin.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Article,
    /// A relative path such as `lessons/my-lesson.json`.
    File(String),
}

impl Source {
    /// Only a relative `.json` path on the page's origin: a lesson link must not make the page
    /// fetch from elsewhere.
    pub fn parse(value: &str) -> Result<Source, LessonError> {
        if value == ARTICLE_NAME {
            return Ok(Source::Article);
        }
        let allowed = "allowed: article, or a relative path to a .json file beside the page, such as lessons/my-lesson.json";
        let bad = value.is_empty()
            || !value.ends_with(".json")
            || value.starts_with('/')
            || value.starts_with('\\')
            || value.contains("..")
            || value.contains(':')
            || value.contains("//")
            || value
                .chars()
                .any(|c| c.is_control() || c == '?' || c == '#');
        if bad {
            return Err(error(
                "link",
                format!("'{value}' is not a lesson; {allowed}"),
            ));
        }
        Ok(Source::File(value.to_string()))
    }

    pub fn name(&self) -> &str {
        match self {
            Source::Article => ARTICLE_NAME,
            Source::File(path) => path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_problems(_: &str) -> Vec<String> {
        Vec::new()
    }

    #[test]
    fn the_article_lesson_parses_and_has_its_experiments() {
        let lesson = Lesson::parse(ARTICLE, no_problems).unwrap();
        assert!(lesson.steps.len() >= 3);
        assert_eq!(
            lesson.notices(),
            Vec::<String>::new(),
            "its texts pass the checks"
        );
        let states: Vec<&str> = lesson.steps.iter().map(|s| s.state.as_str()).collect();
        assert!(states.contains(&"preset=overfit"));
        assert!(states.iter().any(|s| s.starts_with("compare=scaling")));
        assert!(states.contains(&"compare=learning-rate"));
        assert!(states.contains(&"dataset=breast-cancer&standardize=false"));
    }

    #[test]
    fn a_file_that_is_not_a_lesson_says_where_and_what_is_allowed() {
        let check = |json: &str| Lesson::parse(json, no_problems).unwrap_err().to_string();
        assert!(check("nope").contains("is not a lesson"));
        assert!(check(r#"{"title": "t", "steps": []}"#).contains("allowed 1 to 50"));
        assert!(
            check(r#"{"title": " ", "steps": [{"state": "", "caption": "c"}]}"#)
                .starts_with("lesson title: is empty")
        );
        let e = check(r#"{"title": "t", "steps": [{"state": "", "caption": "c", "colour": 1}]}"#);
        assert!(e.contains("unknown field `colour`"), "{e}");
    }

    /// Each step's problems, as the notices word them.
    fn notices_of(json: &str) -> Vec<String> {
        Lesson::parse(json, no_problems).unwrap().notices()
    }

    #[test]
    fn a_bad_step_is_named_and_the_lesson_keeps_its_other_steps() {
        let n = notices_of(r#"{"title": "t", "steps": [{"state": "lr=0.1", "caption": " "}]}"#);
        assert_eq!(
            n,
            ["lesson step 1, caption: is empty; write a sentence or two"]
        );
        let long = "x".repeat(MAX_TEXT + 1);
        let json = format!(
            r#"{{"title": "t", "steps": [{{"state": "", "caption": "ok"}}, {{"state": "", "caption": "{long}"}}]}}"#
        );
        let lesson = Lesson::parse(&json, no_problems).unwrap();
        assert_eq!(lesson.notices().len(), 1);
        assert!(lesson.notices()[0]
            .starts_with("lesson step 2, caption: is 2001 characters long; allowed at most 2000"));
        assert_eq!(
            lesson.steps[1].caption.chars().count(),
            MAX_TEXT,
            "cut to the limit"
        );
        assert!(lesson.steps[0].problems.is_empty());
        let n =
            notices_of(r#"{"title": "t", "steps": [{"state": "lesson=article", "caption": "c"}]}"#);
        assert_eq!(n.len(), 1);
        assert!(
            n[0].starts_with("lesson step 1, state: cannot name a lesson"),
            "{n:?}"
        );
    }

    #[test]
    fn a_state_the_page_cannot_open_is_named_with_the_pages_words() {
        let json = r#"{"title": "t", "steps": [{"state": "lr=0.1", "caption": "ok"},
                      {"state": "lr=7&hidden=8", "caption": "too fast"}, {"state": "", "caption": "ok"}]}"#;
        let lesson = Lesson::parse(json, |state| {
            if state.starts_with("lr=7") {
                vec!["lr: 7 is out of range; allowed 0.00001 to 1".into()]
            } else {
                Vec::new()
            }
        })
        .unwrap();
        assert_eq!(lesson.steps.len(), 3);
        assert_eq!(
            lesson.steps[1].problems,
            [StepProblem {
                field: "state".into(),
                message: "lr: 7 is out of range; allowed 0.00001 to 1".into()
            }]
        );
        assert_eq!(
            lesson.notices(),
            ["lesson step 2, state: lr: 7 is out of range; allowed 0.00001 to 1"]
        );
    }

    #[test]
    fn only_relative_json_paths_on_the_same_origin_are_lesson_sources() {
        assert_eq!(Source::parse("article").unwrap(), Source::Article);
        assert_eq!(
            Source::parse("lessons/a-b_1.json").unwrap(),
            Source::File("lessons/a-b_1.json".into())
        );
        for bad in [
            "",
            "https://evil.example/x.json",
            "//evil.example/x.json",
            "/abs.json",
            "../up.json",
            "lessons/x.txt",
            "data:application/json,{}",
            "x.json?y",
        ] {
            let e = Source::parse(bad).unwrap_err().to_string();
            assert!(e.contains("allowed: article"), "{bad}: {e}");
        }
    }
}

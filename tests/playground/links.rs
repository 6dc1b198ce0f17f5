//! Links: the URL hash both ways, embeds' view flags, and lessons opened from a link.

use crate::harness::*;

#[test]
fn the_hash_round_trips_and_a_garbage_hash_is_listed_not_fatal() {
    let mut p = playground();
    p.set("hidden", "64,0,16").unwrap();
    p.set("distort", "true").unwrap();
    let hash = p.to_hash();
    let mut q = playground();
    assert!(q.apply_hash(&format!("#{hash}")).is_empty());
    assert_eq!(q.state().settings, p.state().settings);

    let notices = q.apply_hash("#lr=abc&<img src=x onerror=alert(1)>=1&compare=zzz&epochs=7");
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices.iter().any(|n| n.starts_with("lr:")));
    assert!(notices.iter().any(|n| n.starts_with("compare:")));
    assert_eq!(q.state().settings.epochs, 7, "good keys still apply");
    assert_eq!(q.figures().len(), 1);

    let notices = q.apply_hash("#compare=scaling&lr=0.1");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(q.figures().len(), 2);
}

#[test]
fn embed_flags_live_in_the_hash_and_bad_ones_get_a_notice() {
    let mut p = playground();
    let notices = p.apply_hash("#preset=overfit&show=lr,hidden&panel=off&chrome=off&chart=loss");
    assert!(notices.is_empty(), "{notices:?}");
    let view = p.state().view;
    assert_eq!(
        view.show,
        Some(vec!["lr".to_string(), "hidden".to_string()])
    );
    assert!(!view.panel && !view.chrome);
    let hash = p.to_hash();
    assert!(
        hash.ends_with("&show=lr,hidden&panel=off&chrome=off&chart=loss"),
        "{hash}"
    );
    // A change keeps the view; the link reopens the same view and experiment.
    p.set("lr", "0.01").unwrap();
    let hash = p.to_hash();
    let mut q = playground();
    assert!(q.apply_hash(&hash).is_empty());
    assert_eq!(q.state().view, p.state().view);
    assert_eq!(q.state().settings, p.state().settings);
    // Unknown flags and values are named, like any bad hash value; the page goes on.
    let notices = q.apply_hash("#show=lr,colour&chart=pie&panel=maybe&epochs=7");
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices[0].starts_with("show: unknown control 'colour'; allowed: lr,"));
    assert_eq!(q.state().settings.epochs, 7);
    assert_eq!(q.state().view, plateau::view::View::default());
}

#[test]
fn the_article_lesson_opens_each_step_and_the_link_keeps_the_step() {
    let mut p = playground();
    assert!(p.apply_hash("#lesson=article").is_empty());
    let lesson = p.lesson().expect("built in");
    assert_eq!((lesson.step, lesson.steps), (1, 4));
    assert_eq!(p.state().preset.as_deref(), Some("overfit"));
    assert!(p
        .to_hash()
        .starts_with("lesson=article&step=1&samples=100&"));
    p.lesson_step(2).unwrap();
    assert_eq!(p.state().comparison.as_deref(), Some("scaling"));
    assert_eq!(p.state().seeds, 5);
    p.lesson_step(3).unwrap();
    assert_eq!(p.figures().len(), 3, "the learning-rate comparison");
    let e = p.lesson_step(5).unwrap_err();
    assert!(e.to_string().contains("1 to 4"), "{e}");
    // A student's change stays in the lesson's link and reopens as they left it.
    p.lesson_step(4).unwrap();
    p.set("lr", "0.01").unwrap();
    let hash = p.to_hash();
    assert!(hash.starts_with("lesson=article&step=4&"), "{hash}");
    let mut q = playground();
    assert!(q.apply_hash(&hash).is_empty());
    assert_eq!(q.lesson().unwrap().step, 4);
    assert_eq!(q.state().settings.learning_rate, 0.01);
    // Every step of the built-in lesson opens without a notice.
    for step in 1..=4 {
        q.lesson_step(step).unwrap();
        let mut r = playground();
        let notices = r.apply_hash(&q.to_hash());
        assert!(notices.is_empty(), "step {step}: {notices:?}");
        assert_eq!(r.lesson(), q.lesson());
    }
}

#[test]
fn a_lesson_file_is_fetched_checked_and_a_bad_one_is_named() {
    let mut p = playground();
    assert!(p.apply_hash("#lesson=lessons/mine.json&step=2").is_empty());
    assert_eq!(p.lesson_to_fetch().as_deref(), Some("lessons/mine.json"));
    assert!(p.lesson().is_none(), "not loaded yet");
    let good = r#"{"title": "Mine", "steps": [
        {"state": "lr=0.1", "caption": "one"},
        {"state": "hidden=8&epochs=5&chart=accuracy", "caption": "two", "question": "why?"}]}"#;
    p.load_lesson("lessons/mine.json", good).unwrap();
    let info = p.lesson().unwrap();
    assert_eq!((info.step, info.caption.as_str()), (2, "two"));
    assert_eq!(p.state().settings.epochs, 5, "the step's state opened");
    assert_eq!(p.state().view.chart, plateau::view::Charts::Accuracy);
    assert_eq!(p.lesson_to_fetch(), None);

    let mut q = playground();
    q.apply_hash("#lesson=lessons/bad.json");
    let bad = r#"{"title": "Bad", "steps": [{"state": "lr=7", "caption": "too fast"}]}"#;
    let e = q
        .load_lesson("lessons/bad.json", bad)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("lesson step 1, state: lr:"), "{e}");
    assert!(q.lesson().is_none() && q.lesson_to_fetch().is_none());
    assert_eq!(q.figures().len(), 1, "the page still has its run");
    let notices = q.apply_hash("#lesson=https://evil.example/x.json");
    assert!(notices[0].starts_with("lesson: 'https://evil.example/x.json' is not a lesson"));
}

#[test]
fn the_embed_link_is_this_state_with_the_chosen_view() {
    let mut p = playground();
    p.apply_hash("#preset=overfit&chart=loss");
    let link = p.embed_link("show=lr&panel=off").unwrap();
    assert!(link.ends_with("&show=lr&panel=off"), "{link}");
    assert!(
        !link.contains("chart="),
        "the page's own view is not carried over"
    );
    let mut q = playground();
    assert!(q.apply_hash(&link).is_empty());
    assert_eq!(q.state().settings, p.state().settings);
    let e = p.embed_link("show=everything").unwrap_err();
    assert!(e.to_string().contains("allowed: lr,"), "{e}");
}

#[test]
fn the_readmes_preset_links_open_the_comparisons() {
    let mut p = playground();
    for name in ["scaling", "learning-rate"] {
        let notices = p.apply_hash(&format!("#preset={name}"));
        assert!(notices.is_empty(), "#preset={name}: {notices:?}");
        assert_eq!(p.state().comparison.as_deref(), Some(name));
        assert_eq!(p.to_hash(), format!("compare={name}"));
    }
    let notices = p.apply_hash("#preset=nope");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("'nope'") && notices[0].contains("overfit"));
}

/// The lesson docs/lessons.md shows is the one the page ships, and it loads.
#[test]
fn the_documented_example_lesson_is_shipped_and_loads() {
    let example = include_str!("../../www/lessons/example.json");
    let docs = include_str!("../../docs/lessons.md");
    assert!(
        docs.contains(example),
        "docs/lessons.md shows www/lessons/example.json as it is"
    );
    let mut p = playground();
    assert!(p
        .apply_hash("#lesson=lessons/example.json&step=2")
        .is_empty());
    p.load_lesson("lessons/example.json", example).unwrap();
    assert_eq!(p.lesson().unwrap().step, 2);
    assert_eq!(p.state().settings.samples, 1000);
}

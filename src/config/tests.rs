use super::*;

#[test]
fn every_preset_is_valid_and_round_trips_through_the_hash() {
    for name in PRESETS {
        let c = Config::preset(name).unwrap();
        c.validate().unwrap();
        let (back, problems) = Config::from_query(&c.to_query());
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert_eq!(back, c, "{name}");
    }
}

#[test]
fn settings_that_limit_each_other_apply_in_any_order() {
    let small = "features=4&informative=2";
    let (c, problems) = Config::from_query(small);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!((c.features, c.informative), (4, 2));
    let (back, problems) = Config::from_query(&c.to_query());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(back, c, "a hash the page writes reopens the same state");
    // A pair that cannot fit is refused under the key that was given, the rest applies.
    let (c, problems) = Config::from_query("features=4&lr=0.01");
    assert_eq!(c.learning_rate, 0.01);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "features");
    assert!(
        problems[0].message.contains("informative"),
        "{}",
        problems[0]
    );
}

#[test]
fn bench_workloads_are_valid() {
    for (name, query) in BENCH_WORKLOADS {
        let (c, problems) = Config::from_query(query);
        assert!(problems.is_empty(), "{name}: {problems:?}");
        c.validate().unwrap();
    }
}

#[test]
fn presets_follow_the_article() {
    let overfit = Config::preset("overfit").unwrap();
    assert_eq!(
        (overfit.samples, overfit.hidden.clone()),
        (100, vec![128, 64])
    );
    let unscaled = Config::preset("unscaled").unwrap();
    assert!(unscaled.distort && !unscaled.standardize);
    assert_eq!(Config::preset("lr-high").unwrap().learning_rate, 0.1);
    assert_eq!(Config::preset("lr-low").unwrap().learning_rate, 0.0001);
    for name in PRESETS {
        let c = Config::preset(name).unwrap();
        assert_eq!(
            (c.epochs, c.batch_size, c.data_seed, c.test_size),
            (100, 32, 42, 0.2)
        );
        assert_eq!(c.optimizer, OptimizerKind::Adam);
    }
    assert!(Config::preset("nope")
        .unwrap_err()
        .message
        .contains("overfit"));
}

#[test]
fn bad_values_name_the_field_and_the_range() {
    let mut c = Config::default();
    let e = c.set("lr", "5").unwrap_err();
    assert_eq!(e.field, "lr");
    assert!(
        e.message.contains("1e-5") || e.message.contains("0.00001"),
        "{e}"
    );
    assert!(c.set("lr", "NaN").is_err());
    assert!(c
        .set("hidden", "32,abc")
        .unwrap_err()
        .message
        .contains("whole numbers"));
    assert!(c
        .set("hidden", "8,8,8,8")
        .unwrap_err()
        .message
        .contains("at most 3"));
    assert!(c
        .set("activation", "gelu")
        .unwrap_err()
        .message
        .contains("relu"));
    assert_eq!(
        c,
        Config::default(),
        "a rejected value leaves the config unchanged"
    );
    c.set("hidden", "64,0,16").unwrap();
    assert_eq!(c.hidden, vec![64, 16]);
}

#[test]
fn a_garbage_hash_gives_defaults_and_lists_every_problem() {
    let (c, problems) =
        Config::from_query("#lr=abc&<script>=1&samples=5&preset=zzz&epochs=7&hidden");
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["preset", "lr", "<script>", "samples"]);
    assert_eq!(c.epochs, 7);
    assert_eq!(c.learning_rate, Config::default().learning_rate);
    assert!(c.hidden.is_empty());
}

#[test]
fn settings_lists_every_key_of_the_query() {
    let query = Config::default().to_query();
    let keys: Vec<&str> = query
        .split('&')
        .map(|p| p.split('=').next().unwrap())
        .collect();
    let written: Vec<&str> = SETTINGS
        .into_iter()
        .filter(|k| !super::query::WRITTEN_IF_CHANGED.contains(k))
        .collect();
    assert_eq!(keys, written);
    let mut three = Config::default();
    three.set("classes", "3").unwrap();
    assert_eq!(three.to_query(), format!("{query}&classes=3"));
    assert_eq!(Config::from_query(&three.to_query()), (three, vec![]));
}

#[test]
fn classes_need_enough_informative_features_for_their_clusters() {
    let (c, problems) = Config::from_query("informative=3&classes=4");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!((c.classes, c.train_spec().classes), (4, 4));
    assert_eq!(c.classification_params().n_classes, 4);
    // 5 classes × 2 clusters = 10 vertices > 2^3 = 8.
    let e = Config {
        informative: 3,
        classes: 5,
        ..Config::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(e.field, "classes");
    assert!(e.message.contains("2**n_informative"), "{e}");
    assert!(
        e.message.contains("at most 4 classes with 3 informative"),
        "{e}"
    );
    assert!(e.message.contains("informative ≥ 4"), "{e}");
    let mut c = Config::default();
    assert_eq!(c.set("classes", "11").unwrap_err().field, "classes");
    assert_eq!(c.set("classes", "1").unwrap_err().field, "classes");
    c.set("classes", "10").unwrap();
    // Lowering informative below what 10 classes need is refused under its own key.
    let e = c.set("informative", "4").unwrap_err();
    assert_eq!(e.field, "informative");
    assert!(e.message.contains("classes"), "{e}");
    c.prepare().unwrap();
}

#[test]
fn percent_decoding() {
    assert_eq!(percent_decode("a%2Cb+c%zz%"), "a,b c%zz%");
}

#[test]
fn the_table_reads_back_what_it_writes_and_ranks_each_setting_once() {
    let c = Config::preset("overfit").unwrap();
    for s in SETTING_TABLE {
        let mut back = Config::default();
        (s.read)(&mut back, &(s.write)(&c)).unwrap();
        assert_eq!((s.write)(&back), (s.write)(&c), "{}", s.key);
    }
    let mut ranks: Vec<u8> = SETTING_TABLE.iter().map(|s| s.help_rank).collect();
    ranks.sort();
    assert_eq!(ranks, (0..SETTING_TABLE.len() as u8).collect::<Vec<_>>());
}

#[test]
fn a_link_with_a_number_out_of_range_is_clamped_with_a_notice() {
    let (query, notices) = super::clamp_query("samples=5&lr=7&epochs=100&hidden=999&optimizer=x");
    assert_eq!(query, "samples=10&lr=1&epochs=100&hidden=999&optimizer=x");
    assert_eq!(
        notices,
        [
            "samples: 5 is out of range; allowed 10 to 10000; 10 is used",
            "lr: 7 is out of range; allowed 0.00001 to 1; 1 is used",
        ]
    );
    let (config, problems) = Config::from_query(&query);
    assert_eq!((config.samples, config.learning_rate), (10, 1.0));
    assert_eq!(
        problems.len(),
        2,
        "hidden and optimizer are still refused: {problems:?}"
    );
    // In range, or not a number: untouched.
    assert_eq!(super::clamp_query("samples=20&lr=abc").1.len(), 0);
}

/// The JSON of a config carries its classes at the default two as well: the page's classes
/// slider reads them there (it showed "undefined" while the default was left out), and JSON
/// written before the field still reads as two.
#[test]
fn the_json_carries_two_classes_and_old_json_reads_as_two() {
    let json = serde_json::to_value(Config::default()).unwrap();
    assert_eq!(json["classes"], 2);
    let mut old = json.as_object().unwrap().clone();
    old.remove("classes");
    let read: Config = serde_json::from_value(old.into()).unwrap();
    assert_eq!(read, Config::default());
}

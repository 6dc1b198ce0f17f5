//! The data pipeline against fixtures made by the real scikit-learn
//! (tests/fixtures/gen_sklearn.py): X to 1e-12 absolute, labels and indices exactly.

use plateau::config::Prepared;
use plateau::data::{
    make_classification, scale_features, train_test_split, ClassificationParams, Generation,
    Matrix, RowBudget, StandardScaler, TestSize,
};
use plateau::Config;
use serde_json::Value;
use std::path::Path;

const TOLERANCE: f64 = 1e-12;

fn fixtures() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sklearn");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 8, "fixtures missing in {}", dir.display());
    out
}

/// Floats are stored as strings of Python's repr, which `str::parse` reads exactly.
fn float(v: &Value) -> f64 {
    v.as_str().expect("float as string").parse().unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(float).collect()
}

fn matrix(v: &Value) -> Matrix {
    let rows: Vec<Vec<f64>> = v.as_array().unwrap().iter().map(floats).collect();
    Matrix {
        rows: rows.len(),
        cols: rows.first().map_or(0, Vec::len),
        data: rows.concat(),
    }
}

fn indices(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_u64().unwrap() as usize)
        .collect()
}

fn params(v: &Value) -> ClassificationParams {
    let n = |k: &str| v[k].as_u64().unwrap() as usize;
    let f = |k: &str| v[k].as_f64().unwrap();
    ClassificationParams {
        n_samples: n("n_samples"),
        n_features: n("n_features"),
        n_informative: n("n_informative"),
        n_redundant: n("n_redundant"),
        n_repeated: n("n_repeated"),
        n_classes: n("n_classes"),
        n_clusters_per_class: n("n_clusters_per_class"),
        weights: v["weights"]
            .as_array()
            .map(|w| w.iter().map(|x| x.as_f64().unwrap()).collect()),
        flip_y: f("flip_y"),
        class_sep: f("class_sep"),
        hypercube: v["hypercube"].as_bool().unwrap(),
        shift: v["shift"].as_f64(),
        scale: v["scale"].as_f64(),
        shuffle: v["shuffle"].as_bool().unwrap(),
        random_state: n("random_state") as u32,
    }
}

fn max_abs_diff(got: &[f64], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    got.iter()
        .zip(want)
        .map(|(a, b)| (a - b).abs())
        .fold(
            0.0,
            |m, d| if d.is_nan() { f64::INFINITY } else { m.max(d) },
        )
}

fn assert_close(case: &str, what: &str, got: &[f64], want: &[f64]) -> f64 {
    let d = max_abs_diff(got, want);
    assert!(d <= TOLERANCE, "{case}: {what} differs by {d:e}");
    if d > 0.0 {
        println!("{case}: {what}: {d:e}");
    }
    d
}

#[test]
fn every_fixture_matches_scikit_learn() {
    for (name, fx) in fixtures() {
        let p = params(&fx["params"]);
        let (x, y) = make_classification(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want_x = matrix(&fx["X"]);
        assert_eq!(
            (x.rows, x.cols),
            (want_x.rows, want_x.cols),
            "{name}: shape"
        );
        let mut worst = assert_close(&name, "X", &x.data, &want_x.data);
        assert_eq!(y, indices(&fx["y"]), "{name}: y");

        let split = &fx["split"];
        let test_size = match split["test_size"].get("count") {
            Some(c) => TestSize::Count(c.as_u64().unwrap() as usize),
            None => TestSize::Fraction(split["test_size"]["fraction"].as_f64().unwrap()),
        };
        let seed = split["random_state"].as_u64().unwrap() as u32;
        let (train, test) = train_test_split(x.rows, test_size, seed).unwrap();
        assert_eq!(train, indices(&split["train"]), "{name}: train indices");
        assert_eq!(test, indices(&split["test"]), "{name}: test indices");

        for s in fx["scalers"].as_array().unwrap() {
            let mut xv = x.clone();
            let distort: Vec<(usize, f64)> = s["distort"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| (d[0].as_u64().unwrap() as usize, d[1].as_f64().unwrap()))
                .collect();
            scale_features(&mut xv, &distort);
            for c in s["constant_columns"].as_array().unwrap() {
                let (j, v) = (c[0].as_u64().unwrap() as usize, c[1].as_f64().unwrap());
                for i in 0..xv.rows {
                    xv.data[i * xv.cols + j] = v;
                }
            }
            let (x_train, x_test) = (xv.select_rows(&train), xv.select_rows(&test));
            let scaler = StandardScaler::fit(&x_train);
            let what = format!("scaler {distort:?}");
            for (part, got, want) in [
                ("mean", &scaler.mean, floats(&s["mean"])),
                ("scale", &scaler.scale, floats(&s["scale"])),
                (
                    "train",
                    &scaler.transform(&x_train).data,
                    matrix(&s["train_scaled"]).data,
                ),
                (
                    "test",
                    &scaler.transform(&x_test).data,
                    matrix(&s["test_scaled"]).data,
                ),
            ] {
                let d = assert_close(&name, &format!("{what} {part}"), got, &want);
                worst = worst.max(d);
            }
        }
        println!("{name}: max abs diff {worst:e}");
    }
}

#[test]
fn constant_features_keep_scale_one() {
    let (_, fx) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "reservoir_no_shuffle")
        .unwrap();
    let scale = floats(&fx["scalers"][0]["scale"]);
    assert_eq!((scale[2], scale[4]), (1.0, 1.0));
}

fn article(n_samples: usize) -> ClassificationParams {
    ClassificationParams {
        n_samples,
        n_features: 20,
        n_informative: 10,
        ..Default::default()
    }
}

#[test]
fn article_data_has_the_documented_shape() {
    let (x, y) = make_classification(&article(200)).unwrap();
    assert_eq!((x.rows, x.cols), (200, 20));
    let ones = y.iter().filter(|&&c| c == 1).count();
    assert_eq!((200 - ones, ones), (99, 101));

    let (train, test) = train_test_split(200, TestSize::Fraction(0.2), 42).unwrap();
    let count = |rows: &[usize]| rows.iter().filter(|&&i| y[i] == 1).count();
    assert_eq!((160 - count(&train), count(&train)), (77, 83));
    assert_eq!((40 - count(&test), count(&test)), (22, 18));
}

/// Each bad parameter is refused with an error naming it.
#[test]
fn invalid_params_name_the_parameter() {
    let base = article(100);
    let cases: Vec<(&str, ClassificationParams)> = vec![
        (
            "n_samples",
            ClassificationParams {
                n_samples: 0,
                ..base.clone()
            },
        ),
        (
            "n_features",
            ClassificationParams {
                n_features: 0,
                ..base.clone()
            },
        ),
        (
            "n_informative",
            ClassificationParams {
                n_informative: 0,
                ..base.clone()
            },
        ),
        (
            "n_classes",
            ClassificationParams {
                n_classes: 0,
                ..base.clone()
            },
        ),
        (
            "n_clusters_per_class",
            ClassificationParams {
                n_clusters_per_class: 0,
                ..base.clone()
            },
        ),
        (
            "flip_y",
            ClassificationParams {
                flip_y: 1.5,
                ..base.clone()
            },
        ),
        (
            "flip_y",
            ClassificationParams {
                flip_y: f64::NAN,
                ..base.clone()
            },
        ),
        (
            "class_sep",
            ClassificationParams {
                class_sep: 0.0,
                ..base.clone()
            },
        ),
        (
            "shift",
            ClassificationParams {
                shift: Some(f64::INFINITY),
                ..base.clone()
            },
        ),
        (
            "scale",
            ClassificationParams {
                scale: Some(0.0),
                ..base.clone()
            },
        ),
        // 10 + 8 + 3 > 20
        (
            "n_features",
            ClassificationParams {
                n_redundant: 8,
                n_repeated: 3,
                ..base.clone()
            },
        ),
        // 3 * 2 clusters need at least 3 informative features
        (
            "n_informative",
            ClassificationParams {
                n_informative: 2,
                n_classes: 3,
                ..base.clone()
            },
        ),
        (
            "weights",
            ClassificationParams {
                weights: Some(vec![0.2, 0.3, 0.5]),
                ..base.clone()
            },
        ),
        (
            "weights",
            ClassificationParams {
                weights: Some(vec![1.2]),
                ..base.clone()
            },
        ),
        (
            "weights",
            ClassificationParams {
                weights: Some(vec![0.5, f64::NAN]),
                ..base.clone()
            },
        ),
    ];
    for (param, p) in cases {
        let err = make_classification(&p).expect_err(param);
        assert_eq!(err.param, param, "{err}");
        assert!(err.to_string().starts_with(param), "{err}");
    }
    // The boundary itself is allowed: 2 * 2 clusters on 2 informative features.
    let p = ClassificationParams {
        n_informative: 2,
        n_redundant: 0,
        ..base
    };
    assert!(make_classification(&p).is_ok());
}

#[test]
fn invalid_split_sizes_name_test_size() {
    for t in [
        TestSize::Fraction(1.0),
        TestSize::Count(0),
        TestSize::Count(100),
    ] {
        assert_eq!(train_test_split(100, t, 0).unwrap_err().param, "test_size");
    }
}

/// fidelity.md's seed-42 column order: shuffled column j holds unshuffled column order[j]
/// (rows are permuted too, so compare each column's sorted values).
#[test]
fn article_column_order_is_the_documented_one() {
    let order = [
        16, 10, 13, 0, 19, 17, 8, 9, 15, 7, 4, 1, 11, 14, 3, 6, 18, 5, 12, 2,
    ];
    let (shuffled, _) = make_classification(&article(200)).unwrap();
    let plain = ClassificationParams {
        shuffle: false,
        ..article(200)
    };
    let (unshuffled, _) = make_classification(&plain).unwrap();
    let sorted_column = |m: &Matrix, j: usize| {
        let mut c: Vec<f64> = (0..m.rows).map(|i| m.get(i, j)).collect();
        c.sort_by(f64::total_cmp);
        c
    };
    for (j, &src) in order.iter().enumerate() {
        assert_eq!(
            sorted_column(&shuffled, j),
            sorted_column(&unshuffled, src),
            "column {j}"
        );
    }
}

/// `Generation` in pieces of `piece` rows, checking no step touches more than its budget.
fn generate_in_pieces(p: &ClassificationParams, piece: usize) -> (Matrix, Vec<usize>) {
    let mut generation = Generation::new(p).unwrap();
    for _ in 0..1_000_000 {
        let mut budget = RowBudget::new(piece);
        if let Some(done) = generation.step(&mut budget) {
            return done;
        }
        assert!(
            budget.spent(),
            "a step that stops early has spent its budget"
        );
    }
    panic!("the generation never finished in pieces of {piece}");
}

/// The generator gives the same data to the bit whatever its pieces (`make_classification` is
/// one unbounded piece, checked against scikit-learn above), for every fixture's parameters (hypercube or not, weights, repeated features, random shift and
/// scale, with and without shuffling) and piece sizes from 1 row to more than the data.
#[test]
fn make_classification_in_any_pieces_is_the_same_to_the_bit() {
    for (name, fx) in fixtures() {
        let p = params(&fx["params"]);
        let (want_x, want_y) = make_classification(&p).unwrap();
        for piece in [1, 2, 7, 64, 1000, usize::MAX] {
            let (x, y) = generate_in_pieces(&p, piece);
            let bits = |m: &Matrix| m.data.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                (x.rows, x.cols),
                (want_x.rows, want_x.cols),
                "{name} {piece}"
            );
            assert!(
                bits(&x) == bits(&want_x),
                "{name}: X differs in pieces of {piece}"
            );
            assert_eq!(y, want_y, "{name}: y in pieces of {piece}");
        }
    }
}

fn same_bits(a: &Prepared, b: &Prepared) -> bool {
    let f32s = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let f64s = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    f32s(&a.train.x) == f32s(&b.train.x)
        && f32s(&a.train.y) == f32s(&b.train.y)
        && f32s(&a.val.x) == f32s(&b.val.x)
        && f32s(&a.val.y) == f32s(&b.val.y)
        && f64s(&a.feature_std) == f64s(&b.feature_std)
        && (a.train.features, a.val.features) == (b.train.features, b.val.features)
}

/// The page's preparation in bounded steps equals `Config::prepare` (one unbounded step) to the
/// bit, and no step
/// does more rows of work than its budget: distortion (×100 and ×10⁴), standardizing, the
/// largest dataset, odd sizes and split fractions, many features.
#[test]
fn preparing_in_bounded_steps_is_prepare_to_the_bit() {
    let cases = [
        "samples=200",
        "samples=10000",
        "samples=10000&distort=true&standardize=false",
        "samples=10000&distort=true&standardize=true&distortion=10000",
        "samples=777&features=50&informative=7&test-size=0.35&standardize=true",
        "samples=10&features=4&informative=2",
        "samples=11&distort=true&distortion=3&standardize=true",
        "samples=1001&data-seed=7&test-size=0.5&features=100&informative=98",
    ];
    for case in cases {
        let (config, errors) = Config::from_query(case);
        assert!(errors.is_empty(), "{case}: {errors:?}");
        let want = config.prepare().unwrap();
        for budget in [1, 3, 500, 4096, usize::MAX] {
            if budget == 1 && config.samples > 1000 {
                continue; // a row at a time is covered on the smaller sets
            }
            let mut preparing = config.preparing().unwrap();
            let mut steps = 0usize;
            let got = loop {
                let before = preparing.rows_done();
                let out = preparing.step(budget);
                let rows = preparing.rows_done() - before;
                assert!(
                    rows <= budget,
                    "{case}: a step did {rows} rows on a budget of {budget}"
                );
                steps += 1;
                if let Some(done) = out {
                    break done;
                }
                assert_eq!(
                    rows, budget,
                    "{case}: an unfinished step uses its whole budget"
                );
            };
            assert!(
                same_bits(&got, &want),
                "{case}: differs in steps of {budget} rows"
            );
            println!(
                "{case}: {} rows of work, {steps} steps of {budget}",
                preparing.rows_done()
            );
            assert!(preparing.step(budget).is_none(), "{case}: done stays done");
        }
    }
}

#[test]
fn a_bad_config_fails_before_preparing_any_row() {
    let config = Config {
        samples: 5,
        ..Config::default()
    };
    let err = config.preparing().unwrap_err();
    assert_eq!(err.field, "samples");
}

/// The `classes` setting: a config with `classes=k` prepares scikit-learn's
/// `make_classification(n_classes=k)` data, split and scaled as the fixture is.
#[test]
fn the_classes_setting_prepares_scikit_learns_data() {
    for k in [3, 5] {
        let name = format!("article_200_{k}_classes");
        let (_, fx) = fixtures().into_iter().find(|(n, _)| *n == name).unwrap();
        let (config, problems) = Config::from_query(&format!("classes={k}"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            config.classification_params(),
            params(&fx["params"]),
            "{name}"
        );
        let prepared = config.prepare().unwrap();
        let y = indices(&fx["y"]);
        let labels =
            |rows: &Value| -> Vec<f32> { indices(rows).iter().map(|&i| y[i] as f32).collect() };
        assert_eq!(prepared.train.y, labels(&fx["split"]["train"]), "{name}");
        assert_eq!(prepared.val.y, labels(&fx["split"]["test"]), "{name}");
        let classes: std::collections::BTreeSet<usize> = y.iter().copied().collect();
        assert_eq!(classes.len(), k, "{name}: every class present");
        let scaled = |m: &Value| -> Vec<f32> { matrix(m).data.iter().map(|&v| v as f32).collect() };
        let scaler = &fx["scalers"][0];
        assert_eq!(prepared.train.x, scaled(&scaler["train_scaled"]), "{name}");
        assert_eq!(prepared.val.x, scaled(&scaler["test_scaled"]), "{name}");
    }
}

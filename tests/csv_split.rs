//! A CSV file of one's own through the data pipeline, against what the real scikit-learn
//! makes of the same file (tests/fixtures/gen_csv_split.py): LabelEncoder's classes,
//! train_test_split's rows with random_state 42, the distortion and StandardScaler, exactly.

use plateau::config::DataFile;
use plateau::data::{train_test_split, TestSize};
use plateau::Config;
use serde_json::Value;
use std::path::Path;

fn fixture() -> (String, Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv");
    let text = std::fs::read_to_string(dir.join("split.csv")).unwrap();
    let json = std::fs::read_to_string(dir.join("split.json")).unwrap();
    (text, serde_json::from_str(&json).unwrap())
}

/// The fixture's rows as the network gets them: Python's repr parsed exactly, then f32.
fn rows_f32(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().iter())
        .map(|x| x.as_str().unwrap().parse::<f64>().unwrap() as f32)
        .collect()
}

fn whole(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_u64().unwrap() as usize)
        .collect()
}

#[test]
fn a_files_split_and_scaling_are_scikit_learns() {
    let (text, doc) = fixture();
    let file = DataFile::read("split.csv", &text, None).unwrap();
    let labels: Vec<&str> = file
        .table
        .classes
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    let want: Vec<&str> = doc["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(labels, want, "LabelEncoder's sorted classes");
    let test_size = doc["test_size"].as_f64().unwrap();
    let seed = doc["random_state"].as_u64().unwrap() as u32;
    for (name, case) in doc["cases"].as_object().unwrap() {
        let (train, val) =
            train_test_split(file.table.rows(), TestSize::Fraction(test_size), seed).unwrap();
        assert_eq!(train, whole(&case["train_index"]), "{name}: train rows");
        assert_eq!(val, whole(&case["val_index"]), "{name}: validation rows");
        let config = Config {
            test_size,
            data_seed: seed,
            distort: case["distort"].as_bool().unwrap(),
            standardize: case["standardize"].as_bool().unwrap(),
            ..Config::default()
        }
        .with_data_file(file.clone());
        let p = config.prepare().unwrap();
        assert_eq!(p.train.x, rows_f32(&case["x_train"]), "{name}: x_train");
        assert_eq!(p.val.x, rows_f32(&case["x_val"]), "{name}: x_val");
        let ys = |s: &[f32]| s.iter().map(|&y| y as usize).collect::<Vec<_>>();
        assert_eq!(ys(&p.train.y), whole(&case["y_train"]), "{name}: y_train");
        assert_eq!(ys(&p.val.y), whole(&case["y_val"]), "{name}: y_val");
    }
}

#[test]
fn a_file_prepared_in_steps_is_the_same_to_the_bit() {
    let (text, _) = fixture();
    let config = Config {
        distort: true,
        ..Config::default()
    }
    .with_data_file(DataFile::read("split.csv", &text, None).unwrap());
    let whole = config.prepare().unwrap();
    let mut preparing = config.preparing().unwrap();
    let stepped = loop {
        if let Some(p) = preparing.step(5) {
            break p;
        }
    };
    let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&stepped.train.x), bits(&whole.train.x));
    assert_eq!(bits(&stepped.val.x), bits(&whole.val.x));
    assert_eq!(stepped.feature_std, whole.feature_std);
}

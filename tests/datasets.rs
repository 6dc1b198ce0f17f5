//! The built-in datasets (`datasets/*.csv`) as Plateau reads them equal scikit-learn's
//! `load_*` (fixture: `fixtures/gen_datasets.py`, which wrote both the files and, from
//! scikit-learn's arrays, their shape, class counts, first and last rows and exact column sums).

use plateau::config::DataFile;
use plateau::data::{built_in, BUILT_IN};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Expected {
    rows: usize,
    features: usize,
    feature_names: Vec<String>,
    classes: BTreeMap<String, usize>,
    first_row: Vec<f64>,
    last_row: Vec<f64>,
    column_sums: Vec<f64>,
}

#[derive(Deserialize)]
struct Fixture {
    datasets: BTreeMap<String, Expected>,
}

fn fixture() -> Fixture {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/datasets.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_built_in_dataset_reads_as_scikit_learn_loads_it() {
    let fixture = fixture();
    assert_eq!(fixture.datasets.len(), BUILT_IN.len());
    for (name, expected) in &fixture.datasets {
        let listed = built_in(name).unwrap_or_else(|| panic!("{name} is listed"));
        let path = format!("{}/datasets/{}", env!("CARGO_MANIFEST_DIR"), listed.file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            plateau::playground::file_hash(&text),
            listed.hash,
            "{name}: the hash a link knows it by"
        );
        let table = DataFile::read(name, &text, Some("target")).unwrap().table;
        assert_eq!(
            (table.rows(), table.features(), table.classes.len()),
            (expected.rows, expected.features, expected.classes.len()),
            "{name}: shape"
        );
        assert_eq!(
            (listed.rows, listed.features, listed.classes),
            (expected.rows, expected.features, expected.classes.len()),
            "{name}: the list's figures"
        );
        assert_eq!(table.feature_names, expected.feature_names, "{name}");
        let counts: BTreeMap<String, usize> = table
            .classes
            .iter()
            .map(|c| (c.label.clone(), c.count))
            .collect();
        assert_eq!(counts, expected.classes, "{name}: classes");
        let row = |i: usize| &table.x.data[i * table.features()..(i + 1) * table.features()];
        assert_eq!(row(0), expected.first_row.as_slice(), "{name}: first row");
        assert_eq!(
            row(table.rows() - 1),
            expected.last_row.as_slice(),
            "{name}"
        );
        for (j, want) in expected.column_sums.iter().enumerate() {
            let sum: f64 = (0..table.rows()).map(|i| row(i)[j]).sum();
            assert!(
                (sum - want).abs() <= 1e-12 * want.abs().max(1.0),
                "{name}: column {j} sums to {sum}, scikit-learn's to {want}"
            );
        }
    }
}

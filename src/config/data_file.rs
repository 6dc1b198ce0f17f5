//! A config's data from a file of one's own instead of make_classification: the table read
//! from a CSV file, under the engine's limits, and what it changes in a config.
//!
//! A config with a file has `samples` and `features` set to the file's rows and feature
//! columns, so that everything reading them (the validation rows, the parameter counts, the
//! page's progress) reads the file's; `informative` does not apply.

use super::{limits, Config, ConfigError};
use crate::data::{self, CsvError, Table, TableLimits};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;

/// What a file may hold: the generated data's most rows and features, 2 to 10 classes.
pub const TABLE_LIMITS: TableLimits = TableLimits {
    rows: limits::SAMPLES,
    max_features: limits::FILE_FEATURES.1,
    classes: limits::CLASSES,
};

/// A table read from a file, and the file's name. Cheap to clone: configs of one experiment
/// (every fix, every seed) share the table.
#[derive(Clone)]
pub struct DataFile {
    pub name: String,
    pub table: Arc<Table>,
}

impl DataFile {
    /// Reads `text`, the file called `name`, with the target column `target` (by default one
    /// named target, label, class or y, else the last).
    pub fn read(name: &str, text: &str, target: Option<&str>) -> Result<DataFile, CsvError> {
        Ok(DataFile {
            name: name.to_string(),
            table: Arc::new(data::read_csv(text, target, &TABLE_LIMITS)?),
        })
    }

    /// The file in one line: `iris.csv: 150 rows × 4 features, target 'species' (0 = …)`.
    pub fn summary(&self) -> String {
        let t = &self.table;
        format!(
            "{}: {} rows × {} features, target '{}' ({})",
            self.name,
            t.rows(),
            t.features(),
            t.target,
            t.classes_text()
        )
    }
}

/// The summary, not 10,000 rows, in a config's debug output and a failed test's message.
impl std::fmt::Debug for DataFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataFile({})", self.summary())
    }
}

impl PartialEq for DataFile {
    fn eq(&self, other: &DataFile) -> bool {
        self.name == other.name
            && (Arc::ptr_eq(&self.table, &other.table) || self.table == other.table)
    }
}

/// The JSON names the file and describes its table, without its rows.
impl Serialize for DataFile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = &self.table;
        let classes: Vec<_> = t
            .classes
            .iter()
            .map(|c| serde_json::json!({"label": c.label, "count": c.count}))
            .collect();
        let mut out = s.serialize_struct("DataFile", 6)?;
        out.serialize_field("file", &self.name)?;
        out.serialize_field("rows", &t.rows())?;
        out.serialize_field("feature_names", &t.feature_names)?;
        out.serialize_field("target", &t.target)?;
        out.serialize_field("has_header", &t.has_header)?;
        out.serialize_field("classes", &classes)?;
        out.end()
    }
}

/// The JSON holds no rows, so a config with a file cannot be read back from it: refused,
/// rather than silently trained on generated data.
impl<'de> Deserialize<'de> for DataFile {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<DataFile, D::Error> {
        Err(serde::de::Error::custom(
            "a config's data file cannot be read from JSON: read the CSV file itself",
        ))
    }
}

impl Config {
    /// This config on `file`'s data: its rows and features become the config's.
    pub fn with_data_file(self, file: DataFile) -> Config {
        Config {
            samples: file.table.rows(),
            features: file.table.features(),
            data: Some(file),
            ..self
        }
    }

    /// The checks of a config with a file, in place of make_classification's.
    pub(super) fn validate_file(&self, file: &DataFile) -> Result<(), ConfigError> {
        let t = &file.table;
        if self.samples != t.rows() {
            return Err(ConfigError::new(
                "samples",
                format!(
                    "{} given, but the file {} has {} rows; with a file, leave samples to it",
                    self.samples,
                    file.name,
                    t.rows()
                ),
            ));
        }
        if self.features != t.features() {
            return Err(ConfigError::new(
                "features",
                format!(
                    "{} given, but the file {} has {} feature columns; with a file, leave \
                     features to it",
                    self.features,
                    file.name,
                    t.features()
                ),
            ));
        }
        if self.distort && t.features() < 2 {
            return Err(ConfigError::new(
                "distort",
                format!(
                    "distorting scales feature 0 and feature 1, but the file {} has 1 feature; \
                     allowed only with 2 or more",
                    file.name
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `rows` rows of `features` features and a 0/1 label.
    fn table_text(rows: usize, features: usize) -> String {
        (0..rows)
            .map(|i| {
                let cells: Vec<String> = (0..features).map(|j| (i + j).to_string()).collect();
                format!("{},{}\n", cells.join(","), i % 2)
            })
            .collect()
    }

    fn file(text: &str) -> DataFile {
        DataFile::read("f.csv", text, None).unwrap()
    }

    #[test]
    fn the_engine_limits_are_the_files() {
        let most = file(&table_text(limits::SAMPLES.1, 2));
        assert_eq!(most.table.rows(), 10_000);
        let e = DataFile::read("f.csv", &table_text(limits::SAMPLES.1 + 1, 2), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the file has 10001 data rows; allowed at most 10000"
        );
        let widest = file(&table_text(20, limits::FEATURES.1));
        assert_eq!(widest.table.features(), 100);
        let e = DataFile::read("f.csv", &table_text(20, limits::FEATURES.1 + 1), None).unwrap_err();
        assert!(
            e.to_string()
                .contains("101 feature columns; allowed at most 100"),
            "{e}"
        );
        let e = DataFile::read("f.csv", &table_text(limits::SAMPLES.0 - 1, 2), None).unwrap_err();
        assert!(e.to_string().contains("at least 10"), "{e}");
    }

    #[test]
    fn a_file_sets_the_rows_and_features_and_keeps_them() {
        let config = Config::default().with_data_file(file(&table_text(30, 3)));
        assert_eq!((config.samples, config.features), (30, 3));
        // Fewer features than generated data allows, and informative does not apply.
        config.validate().unwrap();
        let prepared = config.prepare().unwrap();
        assert_eq!((prepared.train.len(), prepared.val.len()), (24, 6));
        let mut changed = config.clone();
        assert_eq!(changed.set("samples", "60").unwrap_err().field, "samples");
        assert_eq!(changed.set("features", "4").unwrap_err().field, "features");
        changed.set("standardize", "false").unwrap();
        assert_ne!(changed.data_settings(), config.data_settings());
        let other = Config::default().with_data_file(file(&table_text(30, 2)));
        assert_ne!(other.data_settings(), config.data_settings());
    }

    #[test]
    fn a_file_of_three_classes_trains_a_softmax_over_its_class_indices() {
        let text: String = (0..30).map(|i| format!("{i},{}\n", i % 3)).collect();
        let three = file(&text);
        assert_eq!(three.table.classes.len(), 3);
        let config = Config::default().with_data_file(three);
        config.validate().unwrap();
        assert_eq!(config.train_spec().classes, 3);
        let prepared = config.prepare().unwrap();
        let mut labels = prepared.train.y.clone();
        labels.extend(&prepared.val.y);
        labels.sort_by(f32::total_cmp);
        labels.dedup();
        assert_eq!(labels, [0.0, 1.0, 2.0]);
        // The `classes` setting is make_classification's: a file's own count wins.
        let mut generated = Config::default();
        generated.set("classes", "5").unwrap();
        assert_eq!(
            generated.clone().with_data_file(file(&text)).class_count(),
            3
        );
    }

    /// The confusion matrix's rows and columns: a file's labels in its class order, else the
    /// generated classes' indices.
    #[test]
    fn class_names_are_the_files_labels_or_the_indices() {
        let text: String = ["emu", "cat", "dog"]
            .iter()
            .cycle()
            .take(30)
            .enumerate()
            .map(|(i, label)| format!("{i},{label}\n"))
            .collect();
        let config = Config::default().with_data_file(file(&text));
        assert_eq!(config.class_names(), ["cat", "dog", "emu"]);
        let mut generated = Config::default();
        assert_eq!(generated.class_names(), ["0", "1"]);
        generated.set("classes", "4").unwrap();
        assert_eq!(generated.class_names(), ["0", "1", "2", "3"]);
    }

    #[test]
    fn distorting_needs_two_features() {
        let config = Config {
            distort: true,
            ..Config::default()
        };
        let e = config
            .with_data_file(file(&table_text(20, 1)))
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "distort");
    }

    #[test]
    fn the_json_describes_the_file_and_is_not_read_back() {
        let config = Config::default().with_data_file(file(
            "a,y\n1,no\n2,yes\n3,no\n4,no\n5,yes\n6,no\n7,no\n8,yes\n9,no\n10,no\n",
        ));
        let json = serde_json::to_value(&config).unwrap();
        assert_eq!(json["data"]["file"], "f.csv");
        assert_eq!(json["data"]["rows"], 10);
        assert_eq!(json["data"]["classes"][1]["label"], "yes");
        assert_eq!(json["data"]["classes"][1]["count"], 3);
        let e = serde_json::from_value::<Config>(json).unwrap_err();
        assert!(e.to_string().contains("read the CSV file itself"), "{e}");
        // Generated data has no `data` key: its JSON is as it was.
        let plain = serde_json::to_value(Config::default()).unwrap();
        assert!(plain.get("data").is_none());
        assert_eq!(
            serde_json::from_value::<Config>(plain).unwrap(),
            Config::default()
        );
    }
}

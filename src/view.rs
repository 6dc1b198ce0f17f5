//! What an embedded page shows: hash flags a teacher sets so an iframe holds one focused
//! experiment. `show=lr,hidden` keeps only those controls, `panel=off` hides the diagnosis,
//! `chrome=off` drops the title, the experiments bar and the footer, and
//! `chart=loss|accuracy|both` picks the charts. The defaults show everything, and only flags
//! that differ from them are written back to the hash.

use crate::config::ConfigError;

/// The controls `show=` can name, as the page groups them, each with the name the page's
/// controls give it (the Embed dialog shows the names).
pub const CONTROLS: [(&str, &str); 16] = [
    ("lr", "Learning rate"),
    ("optimizer", "Optimizer"),
    ("epochs", "Epochs"),
    ("batch-size", "Batch size"),
    ("hidden", "Hidden layers"),
    ("activation", "Activation"),
    ("l2", "L2 penalty"),
    ("dropout", "Dropout"),
    ("early-stopping", "Early stopping patience"),
    ("samples", "Dataset size"),
    ("classes", "Classes"),
    ("distort", "Distort feature scales"),
    ("distortion", "Distortion strength"),
    ("standardize", "Standardize features"),
    ("seed", "Training seed"),
    ("seeds", "Seeds"),
];

/// Whether `key` is one of [`CONTROLS`].
fn is_control(key: &str) -> bool {
    CONTROLS.iter().any(|(k, _)| *k == key)
}

/// The hash keys this module owns.
pub const KEYS: [&str; 4] = ["show", "panel", "chrome", "chart"];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Charts {
    #[default]
    Both,
    Loss,
    Accuracy,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct View {
    /// The controls to show, in [`CONTROLS`]' words; `None` shows them all.
    pub show: Option<Vec<String>>,
    pub panel: bool,
    pub chrome: bool,
    pub chart: Charts,
    /// Every control `show` can name, for the page's Embed dialog.
    pub controls: Controls,
    /// Their names, `{key: name}`, for the dialog to show instead of the keys.
    pub control_names: ControlNames,
}

/// [`CONTROLS`]' names as an object `{key: name}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ControlNames;

impl serde::Serialize for ControlNames {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(CONTROLS)
    }
}

/// [`CONTROLS`]' keys, serialized with the view so the page offers the engine's list rather
/// than a copy of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Controls;

impl serde::Serialize for Controls {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(CONTROLS.iter().map(|(key, _)| key))
    }
}

impl Default for View {
    fn default() -> Self {
        View {
            show: None,
            panel: true,
            chrome: true,
            chart: Charts::Both,
            controls: Controls,
            control_names: ControlNames,
        }
    }
}

fn on_off(key: &str, value: &str) -> Result<bool, ConfigError> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(ConfigError::new(
            key,
            format!("'{value}' is not one of on, off"),
        )),
    }
}

impl View {
    /// Sets one flag; a bad value changes nothing and names what is allowed.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        match key {
            "show" => {
                let names: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect();
                if let Some(bad) = names.iter().find(|n| !is_control(n)) {
                    return Err(ConfigError::new(
                        key,
                        format!(
                            "unknown control '{bad}'; allowed: {}",
                            CONTROLS.map(|(key, _)| key).join(", ")
                        ),
                    ));
                }
                self.show = Some(names);
            }
            "panel" => self.panel = on_off(key, value)?,
            "chrome" => self.chrome = on_off(key, value)?,
            "chart" => {
                self.chart = match value {
                    "both" => Charts::Both,
                    "loss" => Charts::Loss,
                    "accuracy" => Charts::Accuracy,
                    _ => {
                        return Err(ConfigError::new(
                            key,
                            format!("'{value}' is not one of loss, accuracy, both"),
                        ))
                    }
                }
            }
            _ => return Err(ConfigError::new(key, "not a view flag")),
        }
        Ok(())
    }

    /// Puts flag `key` back to its default; any other key changes nothing.
    pub fn reset(&mut self, key: &str) {
        let default = View::default();
        match key {
            "show" => self.show = default.show,
            "panel" => self.panel = default.panel,
            "chrome" => self.chrome = default.chrome,
            "chart" => self.chart = default.chart,
            _ => {}
        }
    }

    /// The flags that differ from the defaults, as `key=value` pairs in [`KEYS`]' order.
    pub fn to_query(&self) -> Vec<String> {
        let default = View::default();
        let mut pairs = Vec::new();
        if let Some(show) = &self.show {
            pairs.push(format!("show={}", show.join(",")));
        }
        let word = |on: bool| if on { "on" } else { "off" };
        if self.panel != default.panel {
            pairs.push(format!("panel={}", word(self.panel)));
        }
        if self.chrome != default.chrome {
            pairs.push(format!("chrome={}", word(self.chrome)));
        }
        if self.chart != default.chart {
            let name = match self.chart {
                Charts::Both => "both",
                Charts::Loss => "loss",
                Charts::Accuracy => "accuracy",
            };
            pairs.push(format!("chart={name}"));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_carries_the_controls_for_the_page() {
        let json = serde_json::to_value(View::default()).unwrap();
        assert_eq!(
            json["controls"],
            serde_json::json!(CONTROLS.map(|(key, _)| key))
        );
        // Every control has a name, and the names are words, not keys.
        for (key, _) in CONTROLS {
            let name = json["control_names"][key].as_str().unwrap();
            assert!(
                name.starts_with(char::is_uppercase) && name != key,
                "{key}: {name}"
            );
        }
    }

    #[test]
    fn flags_round_trip_and_defaults_are_not_written() {
        assert!(View::default().to_query().is_empty());
        let mut v = View::default();
        for (k, val) in [
            ("show", "lr,hidden"),
            ("panel", "off"),
            ("chrome", "off"),
            ("chart", "loss"),
        ] {
            v.set(k, val).unwrap();
        }
        let query = v.to_query();
        assert_eq!(
            query,
            ["show=lr,hidden", "panel=off", "chrome=off", "chart=loss"]
        );
        let mut back = View::default();
        for pair in &query {
            let (k, val) = pair.split_once('=').unwrap();
            back.set(k, val).unwrap();
        }
        assert_eq!(back, v);
    }

    #[test]
    fn bad_flags_name_what_is_allowed_and_change_nothing() {
        let mut v = View::default();
        let e = v.set("show", "lr,colour").unwrap_err();
        assert_eq!(e.field, "show");
        assert!(e.message.contains("'colour'") && e.message.contains("allowed: lr,"));
        assert!(v
            .set("panel", "maybe")
            .unwrap_err()
            .message
            .contains("on, off"));
        assert!(v
            .set("chart", "pie")
            .unwrap_err()
            .message
            .contains("loss, accuracy, both"));
        assert_eq!(v, View::default());
        // `show=` with nothing keeps the charts only: an embed that is just the curves.
        v.set("show", "").unwrap();
        assert_eq!(v.show, Some(vec![]));
        assert_eq!(v.to_query(), ["show="]);
    }
}

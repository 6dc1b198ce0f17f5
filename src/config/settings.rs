//! Every setting of a [`Config`] in one table: its URL-hash key (also its CLI flag), how the
//! CLI's help names and explains it, what it allows, and how to read it from text into a
//! config and write it back. The hash codec, [`Config::set`], the CLI's flags and its help all
//! come from this table, so a new setting is one entry.

use super::{limits, Config, ConfigError, OptimizerKind, ACTIVATIONS};

/// One setting of a [`Config`].
#[derive(Clone, Copy)]
pub struct Setting {
    /// The URL-hash key and the CLI flag (`--key VALUE`).
    pub key: &'static str,
    /// What the CLI's help calls the value (`N`, `X`, `LIST`, …); `None` for a true/false
    /// setting, which the CLI takes as the switches `--key` and `--no-key`.
    pub arg: Option<&'static str>,
    /// The CLI's help, before `[default; allowed]`; `{choices}` stands for the names allowed.
    pub help: &'static str,
    pub allowed: Allowed,
    /// Where `plateau run --help` lists it: the data's size and the model and its training
    /// first, the seeds and the split after, the switches last.
    pub help_rank: u8,
    /// Parses the text form into the config's field, without validating the config; the
    /// error says what was expected (the caller names the key).
    pub read: fn(&mut Config, &str) -> Result<(), String>,
    /// The text form that `read` parses back to the same value.
    pub write: fn(&Config) -> String,
}

/// What a setting allows, as the CLI's help states it after the default.
#[derive(Clone, Copy, Debug)]
pub enum Allowed {
    /// Not stated: any value of the field's type.
    Unstated,
    /// Whole numbers from the first to the second, inclusive.
    Whole((usize, usize)),
    /// Numbers from the first to the second, inclusive.
    Number((f64, f64)),
    /// Stated in words, for a bound that depends on another setting.
    Words(&'static str),
    /// At most `layers` hidden layers of `units.0..=units.1` units each.
    Layers {
        layers: usize,
        units: (usize, usize),
    },
    /// One of these names.
    OneOf(&'static [&'static str]),
    /// true or false.
    Switch,
}

const WHOLE: &str = "a whole number";
const SEED: &str = "a whole number from 0 to 4294967295";
const NUMBER: &str = "a number";
const BOOL: &str = "true or false";
const SEED_RANGE: (usize, usize) = (0, u32::MAX as usize);

/// The names of a list of `(name, value)` choices.
const fn names<T: Copy, const N: usize>(list: &[(&'static str, T); N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = list[i].0;
        i += 1;
    }
    out
}

const ACTIVATION_NAMES: [&str; ACTIVATIONS.len()] = names(&ACTIVATIONS);
const OPTIMIZER_NAMES: [&str; OptimizerKind::ALL.len()] = names(&OptimizerKind::ALL);

fn parse<T: std::str::FromStr>(value: &str, what: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' is not {what}"))
}

/// The value of `list` whose name is `value`.
fn one_of<T: Copy>(list: &[(&str, T)], value: &str) -> Result<T, String> {
    list.iter()
        .find(|(n, _)| *n == value)
        .map(|(_, x)| *x)
        .ok_or_else(|| {
            let names: Vec<&str> = list.iter().map(|(n, _)| *n).collect();
            format!("'{value}' is not one of {}", names.join(", "))
        })
}

/// `read` for a field parsed with `FromStr`, and `write` for one shown with `Display`.
macro_rules! parsed {
    ($field:ident, $what:expr) => {
        |c, v| {
            c.$field = parse(v, $what)?;
            Ok(())
        }
    };
}
macro_rules! shown {
    ($field:ident) => {
        |c| c.$field.to_string()
    };
}

/// Every setting, in the order [`Config::to_query`] writes them.
pub const SETTING_TABLE: &[Setting] = &[
    Setting {
        key: "samples",
        arg: Some("N"),
        help: "rows generated, before the split",
        allowed: Allowed::Whole(limits::SAMPLES),
        help_rank: 0,
        read: parsed!(samples, WHOLE),
        write: shown!(samples),
    },
    Setting {
        key: "features",
        arg: Some("N"),
        help: "features",
        allowed: Allowed::Whole(limits::FEATURES),
        help_rank: 1,
        read: parsed!(features, WHOLE),
        write: shown!(features),
    },
    Setting {
        key: "informative",
        arg: Some("N"),
        help: "informative features",
        // make_classification needs room for the 2 redundant features; see Config::validate.
        allowed: Allowed::Words("2..=features-2"),
        help_rank: 2,
        read: parsed!(informative, WHOLE),
        write: shown!(informative),
    },
    Setting {
        key: "data-seed",
        arg: Some("N"),
        help: "make_classification / train_test_split random_state",
        allowed: Allowed::Unstated,
        help_rank: 15,
        read: parsed!(data_seed, SEED),
        write: shown!(data_seed),
    },
    Setting {
        key: "test-size",
        arg: Some("F"),
        help: "validation fraction",
        allowed: Allowed::Number(limits::TEST_SIZE),
        help_rank: 16,
        read: parsed!(test_size, NUMBER),
        write: shown!(test_size),
    },
    Setting {
        key: "distort",
        arg: None,
        help: "distort feature scales (×100 / ×0.01)",
        allowed: Allowed::Switch,
        help_rank: 17,
        read: parsed!(distort, BOOL),
        write: shown!(distort),
    },
    Setting {
        key: "distortion",
        arg: Some("X"),
        help: "feature 0 × X, feature 1 ÷ X when distorting",
        allowed: Allowed::Number(limits::DISTORTION),
        help_rank: 13,
        read: parsed!(distortion, NUMBER),
        write: shown!(distortion),
    },
    Setting {
        key: "standardize",
        arg: None,
        help: "StandardScaler fitted on the training rows",
        allowed: Allowed::Switch,
        help_rank: 18,
        read: parsed!(standardize, BOOL),
        write: shown!(standardize),
    },
    Setting {
        key: "hidden",
        arg: Some("LIST"),
        help: "hidden layer sizes, e.g. 128,64 or \"\" for none",
        allowed: Allowed::Layers {
            layers: limits::HIDDEN_LAYERS,
            units: limits::HIDDEN_UNITS,
        },
        help_rank: 4,
        read: |c, v| {
            c.hidden = if v.trim().is_empty() {
                Vec::new()
            } else {
                v.split(',')
                    .map(|s| parse::<usize>(s, "a comma-separated list of whole numbers"))
                    .collect::<Result<Vec<_>, _>>()?
            };
            // 0 removes a layer, as on the page's sliders.
            c.hidden.retain(|&h| h > 0);
            Ok(())
        },
        write: |c| {
            let hidden: Vec<String> = c.hidden.iter().map(|h| h.to_string()).collect();
            hidden.join(",")
        },
    },
    Setting {
        key: "activation",
        arg: Some("NAME"),
        help: "hidden activation: {choices}",
        allowed: Allowed::OneOf(&ACTIVATION_NAMES),
        help_rank: 5,
        read: |c, v| {
            c.activation = one_of(&ACTIVATIONS, v)?;
            Ok(())
        },
        write: |c| super::activation_name(c.activation).to_string(),
    },
    Setting {
        key: "optimizer",
        arg: Some("NAME"),
        help: "{choices}, with Keras's defaults",
        allowed: Allowed::OneOf(&OPTIMIZER_NAMES),
        help_rank: 6,
        read: |c, v| {
            c.optimizer = one_of(&OptimizerKind::ALL, v)?;
            Ok(())
        },
        write: |c| c.optimizer.name().to_string(),
    },
    Setting {
        key: "lr",
        arg: Some("X"),
        help: "learning rate",
        allowed: Allowed::Number(limits::LEARNING_RATE),
        help_rank: 7,
        read: parsed!(learning_rate, NUMBER),
        write: shown!(learning_rate),
    },
    Setting {
        key: "epochs",
        arg: Some("N"),
        help: "",
        allowed: Allowed::Whole(limits::EPOCHS),
        help_rank: 8,
        read: parsed!(epochs, WHOLE),
        write: shown!(epochs),
    },
    Setting {
        key: "batch-size",
        arg: Some("N"),
        help: "",
        allowed: Allowed::Whole(limits::BATCH_SIZE),
        help_rank: 9,
        read: parsed!(batch_size, WHOLE),
        write: shown!(batch_size),
    },
    Setting {
        key: "l2",
        arg: Some("X"),
        help: "L2 kernel regularisation",
        allowed: Allowed::Number(limits::L2),
        help_rank: 10,
        read: parsed!(l2, NUMBER),
        write: shown!(l2),
    },
    Setting {
        key: "dropout",
        arg: Some("X"),
        help: "dropout rate after each hidden layer",
        allowed: Allowed::Number(limits::DROPOUT),
        help_rank: 11,
        read: parsed!(dropout, NUMBER),
        write: shown!(dropout),
    },
    Setting {
        key: "early-stopping",
        arg: Some("N"),
        help: "EarlyStopping patience on val_loss, 0 = off",
        allowed: Allowed::Whole(limits::EARLY_STOPPING),
        help_rank: 12,
        read: parsed!(early_stopping, WHOLE),
        write: shown!(early_stopping),
    },
    Setting {
        key: "seed",
        arg: Some("N"),
        help: "weight init, shuffles and dropout",
        allowed: Allowed::Whole(SEED_RANGE),
        help_rank: 14,
        read: parsed!(seed, SEED),
        write: shown!(seed),
    },
    // Last: a link names it only away from its default (see `WRITTEN_IF_CHANGED`), so every
    // setting before it keeps its place in every link.
    Setting {
        key: "classes",
        arg: Some("N"),
        help: "classes (≥ 3: a softmax output; classes × 2 ≤ 2^informative)",
        allowed: Allowed::Whole(limits::CLASSES),
        help_rank: 3,
        read: parsed!(classes, WHOLE),
        write: shown!(classes),
    },
];

/// Every setting's key, as [`Config::to_query`] writes them and [`Config::set`] reads them.
pub const SETTINGS: [&str; SETTING_TABLE.len()] = {
    let mut out = [""; SETTING_TABLE.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = SETTING_TABLE[i].key;
        i += 1;
    }
    out
};

impl Setting {
    /// For a number outside this setting's range (`samples=5` where 10 is the least): the
    /// nearest allowed value, as text, and a notice naming the value given and the range. `None`
    /// for a value in range, not a number, or a setting without a plain range.
    pub fn clamp(&self, value: &str) -> Option<(String, String)> {
        let v: f64 = value.trim().parse().ok().filter(|v: &f64| v.is_finite())?;
        let (lo, hi, whole) = match self.allowed {
            Allowed::Whole((lo, hi)) => (lo as f64, hi as f64, true),
            Allowed::Number((lo, hi)) => (lo, hi, false),
            _ => return None,
        };
        if (lo..=hi).contains(&v) {
            return None;
        }
        let text = |x: f64| match whole {
            true => format!("{}", x as usize),
            false => format!("{x}"),
        };
        let used = text(v.clamp(lo, hi));
        let notice = format!(
            "{}: {} is out of range; allowed {} to {}; {used} is used",
            self.key,
            value.trim(),
            text(lo),
            text(hi)
        );
        Some((used, notice))
    }

    /// The setting whose key is `key`.
    pub fn find(key: &str) -> Option<&'static Setting> {
        SETTING_TABLE.iter().find(|s| s.key == key)
    }

    /// [`Setting::help`] with the allowed names in place of `{choices}`.
    pub fn help_text(&self) -> String {
        match self.allowed {
            Allowed::OneOf(names) => self.help.replace("{choices}", &names.join(", ")),
            _ => self.help.to_string(),
        }
    }

    /// The default value as the CLI's help shows it (`yes`/`no` for a switch).
    pub fn default_text(&self) -> String {
        let default = (self.write)(&Config::default());
        match (self.allowed, default.as_str()) {
            (Allowed::Switch, "true") => "yes".into(),
            (Allowed::Switch, "false") => "no".into(),
            _ => default,
        }
    }

    /// What is allowed, as the CLI's help states it after the default (`10..=10000`); `None`
    /// where the help's text or the value's type already says it.
    pub fn allowed_text(&self) -> Option<String> {
        match self.allowed {
            Allowed::Whole((lo, hi)) => Some(format!("{lo}..={hi}")),
            Allowed::Number((lo, hi)) => Some(format!("{lo}..={hi}")),
            Allowed::Words(words) => Some(words.to_string()),
            Allowed::Layers {
                layers,
                units: (lo, hi),
            } => Some(format!("up to {layers} layers of {lo}..={hi}")),
            Allowed::Unstated | Allowed::OneOf(_) | Allowed::Switch => None,
        }
    }
}

impl Config {
    /// Sets one field from its text form; the error names the key, the value as given and
    /// what is allowed. A rejected value leaves the config unchanged.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        self.set_checked(key, value).map_err(|e| {
            if e.field != key || e.message.contains(value) {
                e
            } else {
                // Range errors print the parsed number ("5 is out of range"), list errors the
                // bad item: say what was typed too, so the student finds it.
                ConfigError::new(key, format!("{} (given '{value}')", e.message))
            }
        })
    }

    fn set_checked(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let setting = Setting::find(key).ok_or_else(|| {
            ConfigError::new(
                key,
                format!("unknown setting; allowed: {}", SETTINGS.join(", ")),
            )
        })?;
        let mut next = self.clone();
        (setting.read)(&mut next, value).map_err(|message| ConfigError::new(key, message))?;
        next.validate().map_err(|e| {
            if e.field == key {
                e
            } else {
                // Valid alone, but not with another setting (features below informative + 2).
                ConfigError::new(key, format!("'{value}' does not fit {e}"))
            }
        })?;
        *self = next;
        Ok(())
    }

    /// Sets every `(key, value)` it can and returns the errors of those it cannot. Settings
    /// that limit each other (`features` bounds `informative`) may come in any order: a
    /// setting refused now is tried again after the others, as long as that makes progress.
    pub fn apply(&mut self, settings: &[(&str, &str)]) -> Vec<ConfigError> {
        let mut pending: Vec<(&str, &str)> = settings.to_vec();
        loop {
            let before = pending.len();
            pending.retain(|(k, v)| self.set(k, v).is_err());
            if pending.is_empty() || pending.len() == before {
                break;
            }
        }
        // Each error names the key that was given, even when the check that refused it is
        // another field's (features=4 leaves no room for informative=10).
        pending
            .iter()
            .filter_map(|(k, v)| self.set(k, v).err().map(|e| (k, v, e)))
            .map(|(k, v, e)| match e.field == *k {
                true => e,
                false => {
                    ConfigError::new(*k, format!("'{v}' does not fit the other settings: {e}"))
                }
            })
            .collect()
    }
}

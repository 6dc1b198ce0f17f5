//! What was wrong with a setting, and the range check most settings share.

use std::fmt;

/// What was wrong with a setting, naming it and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    pub field: String,
    pub message: String,
}

impl ConfigError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}

pub(super) fn check_range<T: PartialOrd + fmt::Display + Copy>(
    field: &str,
    value: T,
    (lo, hi): (T, T),
) -> Result<(), ConfigError> {
    // Written so that NaN fails too.
    if value >= lo && value <= hi {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            format!("{value} is out of range; allowed {lo} to {hi}"),
        ))
    }
}

//! Each cause's fix as `Config::set` pairs, looked up by cause: the rules offer it ("try it")
//! and the experiments test it. The fixes themselves are in their causes' files.

use super::{lr_too_high, lr_too_low, overfitting, underfitting, unscaled_features};
use crate::config::{limits, Config};
use crate::diagnose::CauseId;

/// Each cause's fix, as `Config::set` pairs, in one place: the rules offer it ("try it") and
/// the experiments test it. Empty when the cause has no fix for this config.
pub fn fix_for(id: CauseId, config: &Config, train_samples: usize) -> Vec<(String, String)> {
    match id {
        CauseId::UnscaledFeatures => unscaled_features::fix(config),
        CauseId::LrTooHigh => lr_too_high::fix(config),
        CauseId::LrTooLow => lr_too_low::fix(config),
        CauseId::Overfitting => overfitting::fix(config, train_samples),
        CauseId::Underfitting => underfitting::fix(config),
        CauseId::MoreData => more_data(config),
        CauseId::NoisyValidation | CauseId::Converged | CauseId::Placebo => Vec::new(),
    }
}

/// The data's limit: four times the rows (up to the largest dataset), which also halves the
/// standard error of the validation accuracy. None for a file: its rows are all there are.
fn more_data(config: &Config) -> Vec<(String, String)> {
    if config.data.is_some() {
        return Vec::new();
    }
    vec![pair("samples", (4 * config.samples).min(limits::SAMPLES.1))]
}

/// Why a file's data has no "more data" experiment, in one line for the CLI and the page.
pub const NO_MORE_DATA_FOR_A_FILE: &str =
    "The data's limit is not measured: a file's rows are all there are, so the experiments \
     leave out \"more data\".";

pub(super) fn pair(key: &str, value: impl ToString) -> (String, String) {
    (key.to_string(), value.to_string())
}

/// A number as `Config::set` reads it, without binary noise (0.0001 × 10 → "0.001").
pub(super) fn plain_number(x: f64) -> String {
    format!("{:.6e}", x).parse::<f64>().unwrap_or(x).to_string()
}

/// Hidden widths as `Config::set` reads them: "64,32".
pub(super) fn hidden_list(hidden: &[usize]) -> String {
    hidden
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_has_no_more_data_fix() {
        let text: String = (0..20).map(|i| format!("{i},{}\n", i % 2)).collect();
        let file = crate::config::DataFile::read("f.csv", &text, None).unwrap();
        let config = Config::default().with_data_file(file);
        assert!(fix_for(CauseId::MoreData, &config, 16).is_empty());
        assert_eq!(
            fix_for(CauseId::MoreData, &Config::default(), 160),
            [pair("samples", 800)]
        );
    }

    #[test]
    fn fixes_are_plain_config_values() {
        assert_eq!(plain_number(0.0001 * 10.0), "0.001");
        assert_eq!(plain_number(0.1 / 10.0), "0.01");
        assert_eq!(hidden_list(&[64, 32]), "64,32");
    }
}

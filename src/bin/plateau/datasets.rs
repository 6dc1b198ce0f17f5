//! The built-in datasets' texts (the engine lists them in `plateau::data::BUILT_IN`): embedded
//! here, in the CLI, so that the engine's wasm does not carry them.

use plateau::data::{built_in, built_in_names};

/// The CSV text of the built-in dataset `name`, or what the names are.
pub fn text(name: &str) -> Result<&'static str, String> {
    let Some(dataset) = built_in(name) else {
        return Err(format!(
            "--dataset: '{name}' is not a built-in dataset; the names are {}",
            built_in_names()
        ));
    };
    Ok(match dataset.name {
        "breast-cancer" => include_str!("../../../datasets/breast-cancer.csv"),
        "wine" => include_str!("../../../datasets/wine.csv"),
        "iris" => include_str!("../../../datasets/iris.csv"),
        "digits" => include_str!("../../../datasets/digits.csv"),
        other => unreachable!("built-in dataset {other} has no text here"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_dataset_has_its_text() {
        for d in plateau::data::BUILT_IN {
            let text = text(d.name).unwrap();
            assert_eq!(
                text.lines().count(),
                d.rows + 1,
                "{}: a header and its rows",
                d.name
            );
        }
        assert!(text("mnist")
            .unwrap_err()
            .contains("breast-cancer, wine, iris or digits"));
    }
}

//! The real datasets Plateau knows by name: scikit-learn's bundled ones, as CSV files in the
//! repository's `datasets/` folder (written by `tests/fixtures/gen_datasets.py`, read by the
//! same CSV reader as a student's file). The texts stay out of the engine, so a build that
//! does not open them (the page's wasm) does not carry them: the CLI embeds them, and a page
//! would fetch one when it is chosen.

/// One built-in dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltIn {
    /// Its name in flags and links, e.g. `breast-cancer`.
    pub name: &'static str,
    /// Its file in `datasets/`.
    pub file: &'static str,
    /// scikit-learn's loader, for the Python side.
    pub loader: &'static str,
    pub rows: usize,
    pub features: usize,
    pub classes: usize,
    /// What it teaches here, in one line.
    pub about: &'static str,
    /// The first 12 hex digits of its file's SHA-256, as a link names a file: a page that
    /// fetched the file knows it by this (tests/datasets.rs checks it against the file).
    pub hash: &'static str,
}

/// Every built-in dataset, in the order listed to a student.
pub const BUILT_IN: [BuiltIn; 4] = [
    BuiltIn {
        name: "breast-cancer",
        file: "breast-cancer.csv",
        loader: "load_breast_cancer",
        rows: 569,
        features: 30,
        classes: 2,
        about: "30 tumour measurements whose spreads run from 0.003 to 569: the scaling lesson on real data",
        hash: "75a1d74a59df",
    },
    BuiltIn {
        name: "wine",
        file: "wine.csv",
        loader: "load_wine",
        rows: 178,
        features: 13,
        classes: 3,
        about: "chemical analyses of three cultivars",
        hash: "cd80158fad3d",
    },
    BuiltIn {
        name: "iris",
        file: "iris.csv",
        loader: "load_iris",
        rows: 150,
        features: 4,
        classes: 3,
        about: "Fisher's flowers, four measurements",
        hash: "0ba79ae755c6",
    },
    BuiltIn {
        name: "digits",
        file: "digits.csv",
        loader: "load_digits",
        rows: 1797,
        features: 64,
        classes: 10,
        about: "8×8 images of handwritten digits",
        hash: "59834b81e552",
    },
];

/// The built-in dataset called `name`.
pub fn built_in(name: &str) -> Option<&'static BuiltIn> {
    BUILT_IN.iter().find(|d| d.name == name)
}

/// Their names, for messages: "breast-cancer, wine, iris or digits".
pub fn built_in_names() -> String {
    let names: Vec<&str> = BUILT_IN.iter().map(|d| d.name).collect();
    let (last, rest) = names.split_last().expect("at least one dataset");
    format!("{} or {last}", rest.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_and_listed() {
        assert_eq!(built_in("wine").map(|d| d.classes), Some(3));
        assert_eq!(built_in("Wine"), None);
        assert_eq!(built_in_names(), "breast-cancer, wine, iris or digits");
    }
}

//! A table of one's own: numeric features and a class a row, as read from a CSV file
//! (`csv.rs`), with its classes' labels and counts.

use super::Matrix;
use std::collections::BTreeMap;

/// A labelled table: the rows' features in the file's order, and each row's class.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Row-major features, one row per data row of the file, in its order.
    pub x: Matrix,
    /// Each row's class: an index into `classes`.
    pub y: Vec<usize>,
    /// The feature columns' names, in the file's order: the header's, or `column N`
    /// (1-based, counting every column) in a file without one.
    pub feature_names: Vec<String>,
    /// The target column's name, the same way.
    pub target: String,
    /// The target column's place among the file's columns, from 0.
    pub target_column: usize,
    pub has_header: bool,
    /// Class `i` is `classes[i]`, in sorted order (see [`classes_of`]).
    pub classes: Vec<ClassCount>,
}

/// One class: its label as the file spells it, and how many rows have it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassCount {
    pub label: String,
    pub count: usize,
}

impl Table {
    pub fn rows(&self) -> usize {
        self.x.rows
    }

    pub fn features(&self) -> usize {
        self.x.cols
    }

    /// The classes in one line: `0 = setosa (50), 1 = versicolor (50)`.
    pub fn classes_text(&self) -> String {
        self.classes
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{i} = {} ({})", c.label, c.count))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The classes of `labels` with their counts, and each label's class index. The order is
/// sorted, so that the same file always maps to the same classes: by value when every label
/// is a whole number (`-1 < 1 < 10`), otherwise by text in byte order (`"cat" < "dog"`).
pub fn classes_of(labels: &[String]) -> (Vec<ClassCount>, Vec<usize>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for label in labels {
        *counts.entry(label).or_default() += 1;
    }
    let mut classes: Vec<ClassCount> = counts
        .into_iter()
        .map(|(label, count)| ClassCount {
            label: label.to_string(),
            count,
        })
        .collect();
    let whole: Option<Vec<i64>> = classes.iter().map(|c| c.label.parse().ok()).collect();
    if let Some(values) = whole {
        let mut by_value: Vec<(i64, ClassCount)> = values.into_iter().zip(classes).collect();
        by_value.sort_by_key(|(v, _)| *v);
        classes = by_value.into_iter().map(|(_, c)| c).collect();
    }
    let index: BTreeMap<&str, usize> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.label.as_str(), i))
        .collect();
    let y = labels.iter().map(|l| index[l.as_str()]).collect();
    (classes, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn whole_numbers_sort_by_value() {
        let (classes, y) = classes_of(&labels(&["10", "-1", "2", "10"]));
        let order: Vec<&str> = classes.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(order, ["-1", "2", "10"]);
        assert_eq!(classes[2].count, 2);
        assert_eq!(y, [2, 0, 1, 2]);
    }

    #[test]
    fn text_labels_sort_by_text() {
        // "10" and "cat" together are text: "10" < "9" < "cat".
        let (classes, y) = classes_of(&labels(&["cat", "9", "10", "cat"]));
        let order: Vec<&str> = classes.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(order, ["10", "9", "cat"]);
        assert_eq!(y, [2, 1, 0, 2]);
    }
}

//! What is wrong with a CSV file, naming the line, the column and the value, and what is
//! allowed.

use super::ClassCount;
use std::fmt;

/// A column of the file: its 1-based number, and its header name if the file has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub number: usize,
    pub name: Option<String>,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "column '{name}'"),
            None => write!(f, "column {}", self.number),
        }
    }
}

/// What is wrong with a CSV file. Lines are the file's own, from 1.
#[derive(Clone, Debug, PartialEq)]
pub enum CsvError {
    /// Nothing but blank lines.
    Empty,
    /// The CSV reader could not read a record.
    Unreadable {
        line: u64,
        message: String,
    },
    /// Fewer than two columns: a feature and the target are needed.
    TooFewColumns {
        line: u64,
        found: usize,
    },
    TooManyFeatures {
        features: usize,
        limit: usize,
    },
    /// A row with another number of cells than the first: `column` is the first one missing,
    /// or the first one too many (with its `value`).
    Ragged {
        line: u64,
        expected: usize,
        found: usize,
        column: Column,
        value: Option<String>,
    },
    /// An empty cell.
    Missing {
        line: u64,
        column: Column,
    },
    /// A feature cell that is not a finite number.
    NotANumber {
        line: u64,
        column: Column,
        value: String,
    },
    /// `--target` names no column; `allowed` says what may be named.
    UnknownTarget {
        target: String,
        allowed: String,
    },
    TooFewRows {
        rows: usize,
        min: usize,
    },
    TooManyRows {
        rows: usize,
        limit: usize,
    },
    /// Fewer classes than allowed (one: every row has the same label).
    TooFewClasses {
        column: Column,
        classes: Vec<ClassCount>,
        min: usize,
    },
    /// More classes than allowed: `first` are a few of them.
    TooManyClasses {
        column: Column,
        count: usize,
        max: usize,
        first: Vec<String>,
    },
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Empty => write!(
                f,
                "the file is empty; expected comma-separated rows of numeric features and a \
                 target column"
            ),
            CsvError::Unreadable { line, message } => {
                write!(f, "line {line}: cannot read the row: {message}")
            }
            CsvError::TooFewColumns { line, found } => write!(
                f,
                "line {line} has {found} column(s); expected at least 2 separated by commas (the \
                 features, then the target)"
            ),
            CsvError::TooManyFeatures { features, limit } => write!(
                f,
                "the file has {features} feature columns; allowed at most {limit} (besides the \
                 target)"
            ),
            CsvError::Ragged {
                line,
                expected,
                found,
                column,
                value,
            } => match value {
                Some(value) => write!(
                    f,
                    "line {line} has {found} cells, the first row {expected}: {column} \
                     ('{value}') is one too many; every row needs the same columns"
                ),
                None => write!(
                    f,
                    "line {line} has {found} cells, the first row {expected}: {column} is \
                     missing; every row needs the same columns"
                ),
            },
            CsvError::Missing { line, column } => write!(
                f,
                "line {line}, {column}: the value is missing; every cell needs a value"
            ),
            CsvError::NotANumber {
                line,
                column,
                value,
            } => write!(
                f,
                "line {line}, {column}: '{value}' is not a number; feature cells must be finite \
                 numbers (only the target may hold text)"
            ),
            CsvError::UnknownTarget { target, allowed } => {
                write!(f, "no target column '{target}'; allowed: {allowed}")
            }
            CsvError::TooFewRows { rows, min } => write!(
                f,
                "the file has {rows} data rows; at least {min} are needed"
            ),
            CsvError::TooManyRows { rows, limit } => {
                write!(f, "the file has {rows} data rows; allowed at most {limit}")
            }
            CsvError::TooFewClasses {
                column,
                classes,
                min,
            } => {
                let only = match classes.first() {
                    Some(c) => format!("only '{}' ({} rows)", c.label, c.count),
                    None => "none".into(),
                };
                write!(
                    f,
                    "the target {column} has {} class(es), {only}; a classifier needs {min} or \
                     more",
                    classes.len()
                )
            }
            CsvError::TooManyClasses {
                column,
                count,
                max,
                first,
            } => write!(
                f,
                "the target {column} has {count} distinct values ({}, …); allowed at most {max} \
                 classes (is it the right target column?)",
                first.join(", ")
            ),
        }
    }
}

impl std::error::Error for CsvError {}

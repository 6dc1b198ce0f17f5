//! Reading the history of a run made elsewhere into a [`History`], to be diagnosed from its
//! curves alone (`outside.rs`).
//!
//! What it reads:
//! - Keras's `history.history` as JSON, as `print(json.dumps(history.history))` prints it:
//!   `loss` and `val_loss`, and optionally `accuracy` and `val_accuracy` (`acc` and `val_acc`
//!   in older Keras; `binary_accuracy` and the like for a metric given as a class). Other keys
//!   (`learning_rate`, …) are ignored. Python writes a diverged run's NaN as `NaN`, which JSON
//!   has no word for: it is read, and so are `Infinity` and `-Infinity`;
//! - a CSV file with a header row naming `loss` and `val_loss` (and optionally the accuracy
//!   columns and `epoch`) in any order: Keras's `CSVLogger` file (epochs from 0), or any other
//!   (pandas' `to_csv` adds a nameless index column, which is ignored like any other column).
//!   An `epoch` column must count up by one; without one the rows are the epochs in order.
//!
//! Missing accuracy is carried as empty `accuracy` and `val_accuracy` vectors: a series is
//! complete or empty, never padded. Non-finite values are kept: they mark where the run
//! diverged, as in one of Plateau's own runs.
//!
//! This sits in `diagnose` rather than `data` because it makes a `History` (the `train`
//! module's, which `data` is below) under the engine's epoch limit (`config`'s), and what it
//! reads is only ever read to be diagnosed.

use crate::config::limits;
use crate::train::History;
use std::fmt;

/// Epochs a history needs: two points make the first curve; the rules say themselves when
/// the shapes need more.
pub const MIN_HISTORY_EPOCHS: usize = 2;

/// The names the accuracy series goes by, in the order they are looked for: Keras 3's,
/// older Keras's `acc`, and the names a metric given as a class gets.
const ACCURACY_NAMES: [&str; 5] = [
    "accuracy",
    "acc",
    "binary_accuracy",
    "sparse_categorical_accuracy",
    "categorical_accuracy",
];

/// What is wrong with a history, and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryError {
    /// Nothing but whitespace.
    Empty,
    /// Text starting with `{` that is not JSON; `python` when it looks like Python's own
    /// `print(history.history)` (single quotes).
    NotJson {
        line: usize,
        column: usize,
        message: String,
        python: bool,
    },
    /// JSON that is not an object of series (a list, a number).
    NotAnObject,
    /// No `loss` or no `val_loss`; `found` are the keys or columns there are.
    Missing {
        name: String,
        found: Vec<String>,
    },
    /// A JSON key whose value is not a list of numbers.
    NotASeries {
        key: String,
    },
    /// A value that is not a number: in JSON at `key` and 1-based `epoch`; in CSV at `line`
    /// and `column`.
    NotANumber {
        place: String,
        value: String,
    },
    /// Series of different lengths (JSON), or a row with another number of cells (CSV).
    Ragged {
        place: String,
        found: usize,
        expected: usize,
    },
    /// An `epoch` column that does not count up by one.
    EpochOrder {
        line: u64,
        found: String,
        expected: String,
    },
    /// The CSV reader could not read a record.
    Unreadable {
        line: u64,
        message: String,
    },
    TooFewEpochs {
        epochs: usize,
    },
    TooManyEpochs {
        epochs: usize,
    },
}

const ALLOWED: &str = "a history is Keras's history.history as JSON \
    (print(json.dumps(history.history))) or a CSV file with a header row (CSVLogger's), with \
    loss and val_loss, and optionally accuracy and val_accuracy (acc and val_acc too)";

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::Empty => write!(f, "the file is empty; {ALLOWED}"),
            HistoryError::NotJson {
                line,
                column,
                message,
                python,
            } => {
                write!(f, "line {line}, column {column}: not JSON ({message})")?;
                if *python {
                    write!(
                        f,
                        "; this looks like Python's print(history.history): print it as JSON \
                         with print(json.dumps(history.history))"
                    )
                } else {
                    write!(f, "; {ALLOWED}")
                }
            }
            HistoryError::NotAnObject => write!(
                f,
                "the JSON is not an object of named series; {ALLOWED}, e.g. \
                 {{\"loss\": [0.69, 0.52], \"val_loss\": [0.68, 0.55]}}"
            ),
            HistoryError::Missing { name, found } => {
                let found = if found.is_empty() {
                    "nothing".to_string()
                } else {
                    found.join(", ")
                };
                write!(
                    f,
                    "no {name} (found {found}); a history needs loss and val_loss (fit with \
                     validation_data or validation_split), and optionally accuracy and \
                     val_accuracy"
                )
            }
            HistoryError::NotASeries { key } => write!(
                f,
                "\"{key}\" is not a list of numbers; each series is one number per epoch, e.g. \
                 \"{key}\": [0.69, 0.52]"
            ),
            HistoryError::NotANumber { place, value } => write!(
                f,
                "{place}: '{value}' is not a number; the values are numbers (NaN and infinity \
                 mark a run that diverged)"
            ),
            HistoryError::Ragged {
                place,
                found,
                expected,
            } => write!(
                f,
                "{place} has {found} values where the others have {expected}; every series has \
                 one value per epoch"
            ),
            HistoryError::EpochOrder {
                line,
                found,
                expected,
            } => write!(
                f,
                "line {line}, column 'epoch': epoch '{found}' where {expected} was expected; \
                 epochs count up by one from 0 or 1 (a CSVLogger file appended to by two fits \
                 holds two runs: keep one)"
            ),
            HistoryError::Unreadable { line, message } => {
                write!(f, "line {line}: cannot read the row: {message}")
            }
            HistoryError::TooFewEpochs { epochs } => write!(
                f,
                "{epochs} epoch(s): a history needs at least {MIN_HISTORY_EPOCHS} to draw its \
                 curves"
            ),
            HistoryError::TooManyEpochs { epochs } => write!(
                f,
                "{epochs} epochs: at most {} are read, the engine's own limit",
                limits::EPOCHS.1
            ),
        }
    }
}

impl std::error::Error for HistoryError {}

/// Reads a history in either format (see the module's doc): JSON when the text starts with
/// `{` or `[`, CSV otherwise.
pub fn read_history(text: &str) -> Result<History, HistoryError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(HistoryError::Empty);
    }
    let history = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        read_json(text)?
    } else {
        read_csv(text)?
    };
    let epochs = history.loss.len();
    if epochs < MIN_HISTORY_EPOCHS {
        return Err(HistoryError::TooFewEpochs { epochs });
    }
    if epochs > limits::EPOCHS.1 {
        return Err(HistoryError::TooManyEpochs { epochs });
    }
    Ok(history)
}

/// Marks a number's text, kept as a string so that Rust reads it (serde_json's own reading
/// can miss the nearest float by one bit). Raw control characters cannot be in a JSON
/// string, so no text of the file's own starts with it.
const NUMBER_MARK: char = '\u{1}';

/// How [`rewrite`] treats the numbers outside strings.
#[derive(Clone, Copy, PartialEq)]
enum Rewrite {
    /// Python's words (NaN, Infinity, -Infinity) become numbers of the same length, so that
    /// serde_json's line and column of an error are the file's own.
    SameLength,
    /// Every number and word becomes a marked string, read by [`number_of`].
    Marked,
}

/// The text with its numbers rewritten (see [`Rewrite`]), strings left as they are.
fn rewrite(text: &str, how: Rewrite) -> String {
    const WORDS: [(&str, &str); 3] = [
        ("-Infinity", "-0.000000"),
        ("Infinity", "0.000000"),
        ("NaN", "0.0"),
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else {
            let word = WORDS.iter().find(|(w, _)| rest.starts_with(w));
            let token = match word {
                Some((w, _)) => Some(*w),
                None if c == '-' || c.is_ascii_digit() => {
                    let end = rest
                        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
                        .unwrap_or(rest.len());
                    Some(&rest[..end])
                }
                None => None,
            };
            if let Some(token) = token {
                match (how, word) {
                    (Rewrite::SameLength, Some((_, same))) => out.push_str(same),
                    (Rewrite::SameLength, None) => out.push_str(token),
                    (Rewrite::Marked, _) => {
                        out.push('"');
                        out.push_str("\\u0001");
                        out.push_str(token);
                        out.push('"');
                    }
                }
                rest = &rest[token.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A series' item: a number's marked text (see [`NUMBER_MARK`]), read by Rust.
fn number_of(item: &serde_json::Value) -> Option<f64> {
    let serde_json::Value::String(s) = item else {
        return None;
    };
    match s.strip_prefix(NUMBER_MARK)? {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        number => number.parse().ok(),
    }
}

fn read_json(text: &str) -> Result<History, HistoryError> {
    // Checked first as written, so that an error's line and column are the file's.
    serde_json::from_str::<serde::de::IgnoredAny>(&rewrite(text, Rewrite::SameLength)).map_err(
        |e| HistoryError::NotJson {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
            python: text.trim_start().starts_with("{'"),
        },
    )?;
    let value: serde_json::Value =
        serde_json::from_str(&rewrite(text, Rewrite::Marked)).map_err(|e| {
            HistoryError::NotJson {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
                python: false,
            }
        })?;
    let serde_json::Value::Object(map) = value else {
        return Err(HistoryError::NotAnObject);
    };
    let found: Vec<String> = map.keys().cloned().collect();
    let series = |key: &str| -> Result<Option<Vec<f64>>, HistoryError> {
        let Some(value) = map.get(key) else {
            return Ok(None);
        };
        let serde_json::Value::Array(items) = value else {
            return Err(HistoryError::NotASeries { key: key.into() });
        };
        let numbers = items.iter().enumerate().map(|(i, item)| {
            let number = number_of(item);
            number.ok_or_else(|| HistoryError::NotANumber {
                place: format!("\"{key}\", epoch {}", i + 1),
                value: match item {
                    serde_json::Value::String(s) => match s.strip_prefix(NUMBER_MARK) {
                        Some(number) => number.to_string(),
                        None => item.to_string(),
                    },
                    other => other.to_string(),
                },
            })
        });
        numbers.collect::<Result<Vec<f64>, _>>().map(Some)
    };
    let required = |key: &str| {
        series(key)?.ok_or_else(|| HistoryError::Missing {
            name: format!("\"{key}\""),
            found: found.clone(),
        })
    };
    let loss = required("loss")?;
    let val_loss = required("val_loss")?;
    let first_of = |names: &mut dyn Iterator<Item = String>| -> Result<_, HistoryError> {
        for name in names {
            if let Some(s) = series(&name)? {
                return Ok(Some((name, s)));
            }
        }
        Ok(None)
    };
    let accuracy = first_of(&mut ACCURACY_NAMES.iter().map(|n| n.to_string()))?;
    let val_accuracy = first_of(&mut ACCURACY_NAMES.iter().map(|n| format!("val_{n}")))?;
    let expected = loss.len();
    let check = |key: &str, s: &[f64]| {
        if s.len() != expected {
            return Err(HistoryError::Ragged {
                place: format!("\"{key}\""),
                found: s.len(),
                expected,
            });
        }
        Ok(())
    };
    check("val_loss", &val_loss)?;
    for (key, s) in accuracy.iter().chain(&val_accuracy) {
        check(key, s)?;
    }
    Ok(History {
        loss,
        accuracy: accuracy.map(|(_, s)| s).unwrap_or_default(),
        val_loss,
        val_accuracy: val_accuracy.map(|(_, s)| s).unwrap_or_default(),
    })
}

/// A CSV column's place and name.
struct Named {
    index: usize,
    name: String,
}

fn read_csv(text: &str) -> Result<History, HistoryError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records().filter_map(|r| match r {
        Ok(record) if record.len() == 1 && record[0].is_empty() => None,
        Ok(record) => Some(Ok(record)),
        Err(e) => Some(Err(HistoryError::Unreadable {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })),
    });
    let header = records.next().ok_or(HistoryError::Empty)??;
    let names: Vec<String> = header.iter().map(str::to_lowercase).collect();
    let column = |wanted: &str| {
        names.iter().position(|n| n == wanted).map(|index| Named {
            index,
            name: header[index].to_string(),
        })
    };
    let found: Vec<String> = header.iter().map(|n| format!("'{n}'")).collect();
    let required = |name: &str| {
        column(name).ok_or_else(|| HistoryError::Missing {
            name: format!("column '{name}' in the header row"),
            found: found.clone(),
        })
    };
    let loss_at = required("loss")?;
    let val_loss_at = required("val_loss")?;
    let accuracy_at = ACCURACY_NAMES.iter().find_map(|n| column(n));
    let val_accuracy_at = ACCURACY_NAMES
        .iter()
        .find_map(|n| column(&format!("val_{n}")));
    let epoch_at = column("epoch");
    let mut history = History::default();
    let mut next_epoch: Option<i64> = None;
    let mut row = 0;
    while let Some(record) = records.next() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != header.len() {
            return Err(HistoryError::Ragged {
                place: format!("line {line}"),
                found: record.len(),
                expected: header.len(),
            });
        }
        let number = |at: &Named| {
            let cell = &record[at.index];
            cell.parse::<f64>().map_err(|_| HistoryError::NotANumber {
                place: format!("line {line}, column '{}'", at.name),
                value: cell.to_string(),
            })
        };
        if let Some(at) = &epoch_at {
            let cell = &record[at.index];
            let epoch = cell.parse::<i64>().ok();
            let expected = next_epoch.map_or("0 or 1".to_string(), |e| e.to_string());
            let fits = match (epoch, next_epoch) {
                (Some(e), None) => e == 0 || e == 1,
                (Some(e), Some(n)) => e == n,
                (None, _) => false,
            };
            if !fits {
                return Err(HistoryError::EpochOrder {
                    line,
                    found: cell.to_string(),
                    expected,
                });
            }
            next_epoch = epoch.map(|e| e + 1);
        }
        // Counted before the rows are kept, so a huge file is refused without being held.
        if row >= limits::EPOCHS.1 {
            return Err(HistoryError::TooManyEpochs {
                epochs: row + 1 + records.count(),
            });
        }
        row += 1;
        history.loss.push(number(&loss_at)?);
        history.val_loss.push(number(&val_loss_at)?);
        if let Some(at) = &accuracy_at {
            history.accuracy.push(number(at)?);
        }
        if let Some(at) = &val_accuracy_at {
            history.val_accuracy.push(number(at)?);
        }
    }
    Ok(history)
}

#[cfg(test)]
mod tests;

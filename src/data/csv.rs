//! Reading a CSV file of one's own into a [`Table`]: numeric feature columns and one target
//! column of class labels.
//!
//! The rules, as the README states them:
//! - fields are separated by commas; quoting, CRLF line ends and a UTF-8 byte-order mark are
//!   read as spreadsheets write them; blank lines are skipped;
//! - the header row is optional: the first row is a header when one of its cells is text
//!   over a column of numbers;
//! - the target is the column named by `target` (a header name, or a 1-based column number
//!   in a file without a header); by default the one named `target`, `label`, `class` or `y`
//!   (any case), else the last column;
//! - every other cell is a finite number; the labels are whole numbers or text, mapped to
//!   classes 0..k-1 in sorted order ([`classes_of`]).
//!
//! The CSV syntax is the `csv` crate's: quoted fields (R's `write.csv` and Excel quote text),
//! doubled quotes and CRLF are where a hand-written splitter goes wrong, and it reports the
//! line each record starts on. What a cell must hold, and the errors, are ours.

use super::csv_error::{Column, CsvError};
use super::table::{classes_of, Table};
use super::Matrix;

/// What a file may hold. The engine's settings give the figures (`config::limits`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TableLimits {
    /// Data rows (the header not counted), inclusive.
    pub rows: (usize, usize),
    /// Feature columns at most (the target not counted).
    pub max_features: usize,
    /// Classes, inclusive.
    pub classes: (usize, usize),
}

/// Header names taken as the target by default, compared in any case.
pub const TARGET_NAMES: [&str; 4] = ["target", "label", "class", "y"];

/// Reads `text` as a CSV file of features and a target column (see the module's rules).
pub fn read_csv(text: &str, target: Option<&str>, limits: &TableLimits) -> Result<Table, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let records = reader.records().filter_map(|r| match r {
        // A line of spaces is a record of one empty field: blank, like an empty line.
        Ok(record) if record.len() == 1 && record[0].is_empty() => None,
        Ok(record) => Some(Ok((line_of(&record), record))),
        Err(e) => Some(Err(CsvError::Unreadable {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })),
    });
    // Every row is kept (up to one past the limit, the rest only counted): whether the first
    // row is a header depends on the columns below it.
    let mut rows: Vec<(u64, csv::StringRecord)> = Vec::new();
    let mut count = 0;
    for row in records {
        let row = row?;
        count += 1;
        if count <= limits.rows.1 + 1 {
            rows.push(row);
        }
    }
    let first = rows.first().ok_or(CsvError::Empty)?;
    let columns = first.1.len();
    if columns < 2 {
        return Err(CsvError::TooFewColumns {
            line: first.0,
            found: columns,
        });
    }
    if columns - 1 > limits.max_features {
        return Err(CsvError::TooManyFeatures {
            features: columns - 1,
            limit: limits.max_features,
        });
    }
    let has_header = is_header(&rows);
    let data_rows = count - usize::from(has_header);
    if data_rows > limits.rows.1 {
        return Err(CsvError::TooManyRows {
            rows: data_rows,
            limit: limits.rows.1,
        });
    }
    let names: Option<Vec<String>> = has_header.then(|| first.1.iter().map(String::from).collect());
    let column = |j: usize| Column {
        number: j + 1,
        name: names
            .as_ref()
            .map(|n| n[j].clone())
            .filter(|n| !n.is_empty()),
    };
    let target_at = target_column(names.as_deref(), columns, target)?;
    let mut x = Vec::with_capacity(data_rows * (columns - 1));
    let mut labels = Vec::with_capacity(data_rows);
    for (line, record) in &rows[usize::from(has_header)..] {
        let line = *line;
        if record.len() != columns {
            // The first column missing, or the first one too many (which has no name).
            let first_off = match record.len() < columns {
                true => column(record.len()),
                false => Column {
                    number: columns + 1,
                    name: None,
                },
            };
            return Err(CsvError::Ragged {
                line,
                expected: columns,
                found: record.len(),
                column: first_off,
                value: record.get(columns).map(String::from),
            });
        }
        for (j, cell) in record.iter().enumerate() {
            if cell.is_empty() {
                return Err(CsvError::Missing {
                    line,
                    column: column(j),
                });
            }
            if j == target_at {
                labels.push(cell.to_string());
            } else {
                x.push(number(cell).ok_or_else(|| CsvError::NotANumber {
                    line,
                    column: column(j),
                    value: cell.to_string(),
                })?);
            }
        }
    }
    if data_rows < limits.rows.0 {
        return Err(CsvError::TooFewRows {
            rows: data_rows,
            min: limits.rows.0,
        });
    }
    let (classes, y) = classes_of(&labels);
    if classes.len() < limits.classes.0 {
        return Err(CsvError::TooFewClasses {
            column: column(target_at),
            classes,
            min: limits.classes.0,
        });
    }
    if classes.len() > limits.classes.1 {
        return Err(CsvError::TooManyClasses {
            column: column(target_at),
            count: classes.len(),
            max: limits.classes.1,
            first: classes.iter().take(4).map(|c| c.label.clone()).collect(),
        });
    }
    let name = |j: usize| match &names {
        Some(n) if !n[j].is_empty() => n[j].clone(),
        _ => format!("column {}", j + 1),
    };
    Ok(Table {
        x: Matrix {
            rows: data_rows,
            cols: columns - 1,
            data: x,
        },
        y,
        feature_names: (0..columns).filter(|&j| j != target_at).map(name).collect(),
        target: name(target_at),
        target_column: target_at,
        has_header,
        classes,
    })
}

fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, |p| p.line())
}

/// A cell as a feature value: a finite number (`1`, `-2.5`, `3e-4`), or `None`.
fn number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The first row is a header when one of its cells is text over a column of numbers: a name
/// over a feature column. Text over a column with text in it (labels) says nothing, and
/// neither does an empty cell (a missing value) nor a short row below.
fn is_header(rows: &[(u64, csv::StringRecord)]) -> bool {
    let Some(((_, first), below)) = rows.split_first() else {
        return false;
    };
    first.iter().enumerate().any(|(j, name)| {
        let cells = || {
            below
                .iter()
                .filter_map(|(_, r)| r.get(j))
                .filter(|c| !c.is_empty())
        };
        !name.is_empty()
            && number(name).is_none()
            && cells().next().is_some()
            && cells().all(|c| number(c).is_some())
    })
}

/// The target's column index: `target` (a header name, exactly or else in any case; without a
/// header a 1-based number), or by default the first column named one of [`TARGET_NAMES`],
/// else the last.
fn target_column(
    names: Option<&[String]>,
    columns: usize,
    target: Option<&str>,
) -> Result<usize, CsvError> {
    let Some(target) = target else {
        let named = names.and_then(|n| {
            n.iter()
                .position(|name| TARGET_NAMES.iter().any(|t| t.eq_ignore_ascii_case(name)))
        });
        return Ok(named.unwrap_or(columns - 1));
    };
    let target = target.trim();
    let found = match names {
        Some(n) => n
            .iter()
            .position(|name| name == target)
            .or_else(|| n.iter().position(|name| name.eq_ignore_ascii_case(target))),
        None => target
            .parse::<usize>()
            .ok()
            .filter(|j| (1..=columns).contains(j))
            .map(|j| j - 1),
    };
    found.ok_or_else(|| CsvError::UnknownTarget {
        target: target.to_string(),
        allowed: match names {
            Some(n) => format!("a column of the header: {}", n.join(", ")),
            None => format!("the file has no header row, so a column number from 1 to {columns}"),
        },
    })
}

#[cfg(test)]
mod tests;

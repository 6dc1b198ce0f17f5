use super::*;
use crate::data::ClassCount;

/// Small limits, so that each limit is met by a few lines.
const LIMITS: TableLimits = TableLimits {
    rows: (2, 6),
    max_features: 3,
    classes: (2, 3),
};

fn read(text: &str) -> Result<Table, CsvError> {
    read_csv(text, None, &LIMITS)
}

fn labels(t: &Table) -> Vec<&str> {
    t.classes.iter().map(|c| c.label.as_str()).collect()
}

#[test]
fn a_header_names_the_columns_and_the_target_by_default() {
    let t = read("a,Label,b\n1,yes,2\n3,no,4\n5,yes,6\n").unwrap();
    assert!(t.has_header);
    assert_eq!(t.target, "Label");
    assert_eq!(t.feature_names, ["a", "b"]);
    assert_eq!((t.rows(), t.features()), (3, 2));
    assert_eq!(t.x.data, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(labels(&t), ["no", "yes"]);
    assert_eq!(t.y, [1, 0, 1]);
    assert_eq!(
        t.classes[1],
        ClassCount {
            label: "yes".into(),
            count: 2
        }
    );
}

#[test]
fn without_a_header_the_last_column_is_the_target() {
    let t = read("1.5,-2,1\n3e-1,4,0\n").unwrap();
    assert!(!t.has_header);
    assert_eq!(t.target, "column 3");
    assert_eq!(t.feature_names, ["column 1", "column 2"]);
    assert_eq!(t.x.data, [1.5, -2.0, 0.3, 4.0]);
    assert_eq!(t.y, [1, 0]);
}

#[test]
fn string_labels_without_a_header_are_not_a_header() {
    // Text over text is labels, not names: both rows are data.
    let t = read("1,2,cat\n3,4,dog\n").unwrap();
    assert!(!t.has_header);
    assert_eq!(t.rows(), 2);
    assert_eq!(labels(&t), ["cat", "dog"]);
}

#[test]
fn a_text_label_over_mixed_labels_is_not_a_header() {
    // The first row's "cat" is over a column holding text too: labels, not a name.
    let t = read_csv("cat,1\n0,2\ncat,3\n", Some("1"), &LIMITS).unwrap();
    assert!(!t.has_header);
    assert_eq!(labels(&t), ["0", "cat"]);
    assert_eq!(t.x.data, [1.0, 2.0, 3.0]);
    // A name over whole-number labels is a header.
    assert!(read("x,y\n1,0\n2,1\n").unwrap().has_header);
}

#[test]
fn each_default_target_name_is_found_in_any_case() {
    for name in ["target", "LABEL", "Class", "y"] {
        let t = read(&format!("{name},f\n0,1\n1,2\n")).unwrap();
        assert_eq!(t.target, name);
        assert_eq!(t.x.data, [1.0, 2.0], "{name}");
    }
}

#[test]
fn the_target_is_chosen_by_name_or_by_number_without_a_header() {
    let text = "a,b,c\n0,1,2\n1,1,3\n";
    let t = read_csv(text, Some("a"), &LIMITS).unwrap();
    assert_eq!(
        (t.target.as_str(), t.feature_names.clone()),
        ("a", vec!["b".into(), "c".into()])
    );
    assert_eq!(read_csv(text, Some("A"), &LIMITS).unwrap().target, "a");
    let t = read_csv("0,1,2\n1,1,3\n", Some("1"), &LIMITS).unwrap();
    assert_eq!(t.target, "column 1");
    assert_eq!(t.x.data, [1.0, 2.0, 1.0, 3.0]);
}

#[test]
fn an_unknown_target_lists_what_is_allowed() {
    let e = read_csv("a,b\n0,1\n1,2\n", Some("z"), &LIMITS).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no target column 'z'; allowed: a column of the header: a, b"
    );
    let e = read_csv("0,1\n1,2\n", Some("3"), &LIMITS).unwrap_err();
    assert!(
        e.to_string()
            .contains("no header row, so a column number from 1 to 2"),
        "{e}"
    );
}

#[test]
fn quotes_crlf_a_bom_spaces_and_blank_lines_are_read() {
    let t = read("\u{feff}\"x\",\"the, class\"\r\n1.5,\"a \"\"b\"\"\"\r\n\r\n   \r\n 2 ,c\r\n")
        .unwrap();
    assert!(t.has_header);
    assert_eq!(t.feature_names, ["x"]);
    assert_eq!(t.target, "the, class");
    assert_eq!(labels(&t), ["a \"b\"", "c"]);
    assert_eq!(t.x.data, [1.5, 2.0]);
}

#[test]
fn a_non_numeric_cell_names_its_line_column_and_value() {
    let e = read("a,b,y\n1,2,0\n3,oops,1\n").unwrap_err();
    assert_eq!(
        e,
        CsvError::NotANumber {
            line: 3,
            column: Column {
                number: 2,
                name: Some("b".into())
            },
            value: "oops".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "line 3, column 'b': 'oops' is not a number; feature cells must be finite numbers \
         (only the target may hold text)"
    );
    // Without a header the column is its number; infinities and NaN are not numbers either.
    for bad in ["inf", "NaN", "1e999"] {
        let e = read(&format!("1,0\n{bad},1\n")).unwrap_err();
        assert_eq!(
            e.to_string().split(':').next(),
            Some("line 2, column 1"),
            "{bad}"
        );
        assert!(e.to_string().contains(&format!("'{bad}'")), "{e}");
    }
}

#[test]
fn a_missing_cell_names_its_line_and_column() {
    let e = read("a,b,y\n1,2,0\n3,,1\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3, column 'b': the value is missing; every cell needs a value"
    );
    // A missing label too, and in the first row of a file without a header.
    let e = read("1,2,\n3,4,1\n").unwrap_err();
    assert_eq!(e.to_string().split(':').next(), Some("line 1, column 3"));
}

#[test]
fn ragged_rows_name_the_line_and_the_column_missing_or_extra() {
    let e = read("a,b,y\n1,2,0\n3,4\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3 has 2 cells, the first row 3: column 'y' is missing; every row needs the same \
         columns"
    );
    let e = read("a,b,y\n1,2,0\n3,4,1,9\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3 has 4 cells, the first row 3: column 4 ('9') is one too many; every row needs \
         the same columns"
    );
}

#[test]
fn class_counts_outside_the_limits_are_refused() {
    let e = read("a,y\n1,0\n2,0\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "the target column 'y' has 1 class(es), only '0' (2 rows); a classifier needs 2 or more"
    );
    let e = read("1,a\n2,b\n3,c\n4,d\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "the target column 2 has 4 distinct values (a, b, c, d, …); allowed at most 3 classes \
         (is it the right target column?)"
    );
}

#[test]
fn row_and_feature_limits_name_the_limit() {
    let e = read("1,2,3,4,0\n1,2,3,4,1\n").unwrap_err();
    assert_eq!(
        e,
        CsvError::TooManyFeatures {
            features: 4,
            limit: 3
        }
    );
    assert!(e.to_string().contains("allowed at most 3"), "{e}");
    let many: String = (0..9).map(|i| format!("{i},{}\n", i % 2)).collect();
    let e = read(&many).unwrap_err();
    assert_eq!(e, CsvError::TooManyRows { rows: 9, limit: 6 });
    assert_eq!(e.to_string(), "the file has 9 data rows; allowed at most 6");
    let e = read("x,y\n1,0\n").unwrap_err();
    assert_eq!(e, CsvError::TooFewRows { rows: 1, min: 2 });
}

#[test]
fn empty_and_one_column_files_say_what_is_expected() {
    assert_eq!(read(""), Err(CsvError::Empty));
    assert_eq!(read("\n  \n"), Err(CsvError::Empty));
    // A semicolon-separated file reads as one column.
    let e = read("a;b;y\n1;2;0\n").unwrap_err();
    assert_eq!(e, CsvError::TooFewColumns { line: 1, found: 1 });
    assert!(e.to_string().contains("separated by commas"), "{e}");
}

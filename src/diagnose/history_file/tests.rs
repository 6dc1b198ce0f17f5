use super::*;

fn err(text: &str) -> String {
    read_history(text).unwrap_err().to_string()
}

#[test]
fn keras_json_with_accuracy_reads_every_series_and_ignores_other_keys() {
    let text = r#"{"accuracy": [0.5, 0.75, 0.875], "loss": [0.69, 0.5, 0.25],
        "val_accuracy": [0.5, 0.6, 0.7], "val_loss": [0.7, 0.6, 0.65],
        "learning_rate": [0.001, 0.001]}"#;
    let h = read_history(text).unwrap();
    assert_eq!(h.loss, [0.69, 0.5, 0.25]);
    assert_eq!(h.accuracy, [0.5, 0.75, 0.875]);
    assert_eq!(h.val_loss, [0.7, 0.6, 0.65]);
    assert_eq!(h.val_accuracy, [0.5, 0.6, 0.7]);
}

#[test]
fn older_keras_acc_and_no_accuracy_at_all() {
    let h = read_history(
        r#"{"acc": [0.5, 0.6], "loss": [1, 2], "val_acc": [0.4, 0.5], "val_loss": [3, 4]}"#,
    )
    .unwrap();
    assert_eq!(h.accuracy, [0.5, 0.6]);
    assert_eq!(h.val_accuracy, [0.4, 0.5]);
    // Without accuracy the series are empty, not padded.
    let h = read_history(r#"{"loss": [1, 2], "val_loss": [3, 4]}"#).unwrap();
    assert!(h.accuracy.is_empty() && h.val_accuracy.is_empty());
    assert_eq!(h.epochs(), 2);
}

#[test]
fn pythons_nan_and_infinity_mark_a_divergence() {
    let h = read_history(r#"{"loss": [0.7, NaN, NaN], "val_loss": [0.7, Infinity, -Infinity]}"#)
        .unwrap();
    assert_eq!(h.loss[0], 0.7);
    assert!(h.loss[1].is_nan());
    assert_eq!(h.val_loss[2], f64::NEG_INFINITY);
    // Inside a string a word is text: a key may be called NaN.
    let h = read_history(r#"{"NaN": 1, "loss": [1, 2], "val_loss": [3, 4]}"#).unwrap();
    assert_eq!(h.loss, [1.0, 2.0]);
}

#[test]
fn csvlogger_files_in_any_column_order() {
    let text =
        "epoch,accuracy,loss,val_accuracy,val_loss\n0,0.5,0.69,0.45,0.7\n1,0.6,0.6,0.55,0.65\n";
    let h = read_history(text).unwrap();
    assert_eq!(h.loss, [0.69, 0.6]);
    assert_eq!(h.val_accuracy, [0.45, 0.55]);
    let text = "val_loss,loss,epoch,learning_rate\r\n0.7,0.69,1,0.001\r\n0.65,0.6,2,0.001\r\n";
    let h = read_history(text).unwrap();
    assert_eq!(h.val_loss, [0.7, 0.65]);
    assert!(h.accuracy.is_empty());
    // pandas' to_csv: a nameless index column and no epoch.
    let text = ",loss,val_loss,acc,val_acc\n0,1,2,0.5,0.5\n1,0.5,1.5,0.6,0.55\n";
    let h = read_history(text).unwrap();
    assert_eq!(h.accuracy, [0.5, 0.6]);
    // CSVLogger writes a diverged epoch as nan.
    let h = read_history("epoch,loss,val_loss\n0,0.7,0.7\n1,nan,nan\n").unwrap();
    assert!(h.loss[1].is_nan());
}

#[test]
fn errors_name_what_is_wrong_and_what_is_allowed() {
    assert!(err("").contains("the file is empty"));
    assert!(err(" \n\n").contains("loss and val_loss"));
    let e = err(r#"{"loss": [1, 2], "accuracy": [0.5, 0.6]}"#);
    assert!(e.contains("no \"val_loss\" (found accuracy, loss)"), "{e}");
    let e = err("epoch,loss,accuracy\n0,1,0.5\n1,1,0.5\n");
    assert!(
        e.contains("no column 'val_loss' in the header row (found 'epoch', 'loss', 'accuracy')"),
        "{e}"
    );
    let e = err(r#"{"loss": [1, 2, 3], "val_loss": [1, 2]}"#);
    assert!(
        e.contains("\"val_loss\" has 2 values where the others have 3"),
        "{e}"
    );
    let e = err(r#"{"loss": [1, 2], "val_loss": [1, 2], "val_accuracy": [0.5]}"#);
    assert!(e.contains("\"val_accuracy\" has 1 values"), "{e}");
    let e = err(r#"{"loss": [1, "abc"], "val_loss": [1, 2]}"#);
    assert!(
        e.contains("\"loss\", epoch 2: '\"abc\"' is not a number"),
        "{e}"
    );
    let e = err(r#"{"loss": [1, null], "val_loss": [1, 2]}"#);
    assert!(e.contains("'null' is not a number"), "{e}");
    let e = err(r#"{"loss": 1, "val_loss": [1, 2]}"#);
    assert!(e.contains("\"loss\" is not a list of numbers"), "{e}");
    let e = err("epoch,loss,val_loss\n0,0.7,0.7\n1,0.6,x1\n");
    assert!(
        e.contains("line 3, column 'val_loss': 'x1' is not a number"),
        "{e}"
    );
    let e = err("epoch,loss,val_loss\n0,0.7,0.7\n1,0.6\n");
    assert!(
        e.contains("line 3 has 2 values where the others have 3"),
        "{e}"
    );
    let e = err("epoch,loss,val_loss\n0,0.7,0.7\n1,0.6,0.6\n0,0.5,0.5\n");
    assert!(
        e.contains("line 4, column 'epoch': epoch '0' where 2 was expected"),
        "{e}"
    );
    let e = err("epoch,loss,val_loss\n5,0.7,0.7\n6,0.6,0.6\n");
    assert!(e.contains("epoch '5' where 0 or 1 was expected"), "{e}");
    let e = err(r#"{"loss": [1], "val_loss": [1]}"#);
    assert!(e.contains("1 epoch(s): a history needs at least 2"), "{e}");
    assert!(err("epoch,loss,val_loss\n").contains("0 epoch(s)"));
    let e = err("{'loss': [1, 2], 'val_loss': [1, 2]}");
    assert!(e.contains("print(json.dumps(history.history))"), "{e}");
    assert!(err("{\"loss\": [1, 2]").contains("not JSON"));
    assert!(err("[1, 2]").contains("not an object of named series"));
}

#[test]
fn more_epochs_than_the_engine_trains_are_refused_in_both_formats() {
    let max = limits::EPOCHS.1;
    let series = |n: usize| format!("[{}]", vec!["0.5"; n].join(","));
    let json = |n| format!(r#"{{"loss": {}, "val_loss": {}}}"#, series(n), series(n));
    assert_eq!(read_history(&json(max)).unwrap().epochs(), max);
    let e = err(&json(max + 1));
    assert!(
        e.contains(&format!("{} epochs: at most {max}", max + 1)),
        "{e}"
    );
    let csv = |n: usize| format!("loss,val_loss\n{}", "0.5,0.5\n".repeat(n));
    assert_eq!(read_history(&csv(max)).unwrap().epochs(), max);
    let e = err(&csv(max + 5));
    assert!(
        e.contains(&format!("{} epochs: at most {max}", max + 5)),
        "{e}"
    );
}

#[test]
fn json_numbers_are_read_to_the_nearest_float_and_errors_point_into_the_file() {
    // serde_json's own reading misses this one by a bit.
    let h = read_history(r#"{"loss": [1.6869652617731719, 0], "val_loss": [0, -2.5e-3]}"#).unwrap();
    assert_eq!(h.loss[0], "1.6869652617731719".parse::<f64>().unwrap());
    assert_eq!(h.val_loss[1], -0.0025);
    // NaN before the error does not move its column.
    let e = err("{\"loss\": [NaN, 1],\n \"val_loss\": [1, 2,]}");
    assert!(e.starts_with("line 2, column 20: not JSON"), "{e}");
}

//! A CSV file of the student's own on the page: trained as `plateau run --data` trains it,
//! named in the link, waited for where the link opens without it, cleared again; a bad file
//! changes nothing.

use crate::harness::*;
use plateau::config::DataFile;
use plateau::playground::{Order, Playground};
use plateau::Config;
use sha2::{Digest, Sha256};

const NAME: &str = "my data.csv";

/// `rows` rows of three features and a 0/1 label that depends on them, with a header.
fn csv(rows: usize) -> String {
    let mut text = String::from("width,height,age,label\n");
    for i in 0..rows {
        let (a, b, c) = (i % 7, (i * 3) % 11, (i * 5) % 13);
        let label = usize::from(a + b > 8);
        text.push_str(&format!("{a}.5,{b},{c},{label}\n"));
    }
    text
}

/// The first 12 hex digits of the text's SHA-256, computed here on its own.
fn hash12(text: &str) -> String {
    Sha256::digest(text.as_bytes())[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The history `plateau run --data` computes: the link's settings on the file, trained at once.
fn cli_history(settings: &str, text: &str) -> plateau::train::History {
    let (config, problems) = Config::from_query(settings);
    assert!(problems.is_empty(), "{problems:?}");
    let config = config.with_data_file(DataFile::read(NAME, text, None).unwrap());
    let (mut run, _) = config.start().unwrap();
    run.finish();
    run.history().clone()
}

const SETTINGS: &str = "epochs=4&hidden=8&batch-size=16&lr=0.01";

fn with_file(text: &str) -> Playground {
    let mut p = playground();
    assert!(p.apply_hash(SETTINGS).is_empty());
    assert!(p.load_data_file(NAME, text, None).unwrap().is_empty());
    p
}

#[test]
fn a_file_trains_bit_for_bit_as_the_cli_trains_it_and_clearing_returns_to_generated_data() {
    let text = csv(90);
    let mut p = with_file(&text);
    let file = p.state().data_file.expect("a file in use");
    assert_eq!(file.hash, hash12(&text));
    assert!(file
        .summary
        .starts_with("my data.csv: 90 rows × 3 features, target 'label'"));
    let settings = p.state().settings;
    assert_eq!((settings.samples, settings.features), (90, 3));
    train_to_the_end(&mut p);
    assert_eq!(p.histories()[0], &cli_history(SETTINGS, &text));
    // The dataset controls the file sets are refused, the others still change the run.
    assert_eq!(p.set("samples", "200").unwrap_err().field, "samples");
    p.set("lr", "0.1").unwrap();
    assert!(p.state().settings.data.is_some());

    p.clear_data_file().unwrap();
    let state = p.state();
    assert!(state.data_file.is_none() && state.settings.data.is_none());
    assert_eq!(state.settings.samples, Config::default().samples);
    assert_eq!(state.settings.learning_rate, 0.1, "the other settings stay");
    assert!(!p.to_hash().contains("data="), "{}", p.to_hash());
}

#[test]
fn the_link_names_the_file_and_reopens_it_or_waits_for_it() {
    let text = csv(60);
    let p = with_file(&text);
    let link = p.to_hash();
    assert!(
        link.contains(&format!("&data=my%20data.csv@{}", hash12(&text))),
        "{link}"
    );

    // Where the page has the file (a reload: it came from IndexedDB): the same state.
    let mut reload = playground();
    assert_eq!(reload.add_data_file(NAME, &text), hash12(&text));
    assert_eq!(reload.apply_hash(&link), Vec::<String>::new());
    assert_eq!(reload.state().settings, p.state().settings);
    assert_eq!(reload.to_hash(), link);

    // Elsewhere: a notice, the defaults, and the link's state once the file is chosen.
    let mut elsewhere = playground();
    let notices = elsewhere.apply_hash(&link);
    assert_eq!(
        notices,
        ["This link used your file my data.csv; choose it to continue"]
    );
    assert_eq!(elsewhere.state().settings, Config::default());
    assert_eq!(elsewhere.state().wanted_file.unwrap().name, NAME);
    assert!(!elsewhere.to_hash().contains("data="));
    // Another file does not answer the link: it trains with the settings on the page.
    let other = csv(61);
    elsewhere.load_data_file("other.csv", &other, None).unwrap();
    assert_eq!(elsewhere.state().settings.epochs, Config::default().epochs);
    let mut elsewhere = playground();
    elsewhere.apply_hash(&link);
    assert!(elsewhere
        .load_data_file(NAME, &text, None)
        .unwrap()
        .is_empty());
    assert_eq!(elsewhere.to_hash(), link);
    assert!(elsewhere.state().wanted_file.is_none());
    train_to_the_end(&mut elsewhere);
    assert_eq!(elsewhere.histories()[0], &cli_history(SETTINGS, &text));

    // A damaged data= value is named, and the page goes on with generated data.
    let notices = playground().apply_hash("#data=nohash&epochs=3");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].starts_with("data: 'nohash' is not"),
        "{notices:?}"
    );
}

#[test]
fn a_chosen_target_column_is_kept_in_the_link() {
    let text = "a,b,c\n".to_string()
        + &(0..40)
            .map(|i| format!("{},{},{}\n", i % 2, i, (i / 2) % 2))
            .collect::<String>();
    let mut p = playground();
    p.load_data_file("t.csv", &text, Some("a")).unwrap();
    assert_eq!(p.state().settings.data.unwrap().table.target, "a");
    let link = p.to_hash();
    assert!(link.contains("&target=a"), "{link}");
    let mut q = playground();
    q.add_data_file("t.csv", &text);
    assert!(q.apply_hash(&link).is_empty());
    assert_eq!(q.state().settings.data.unwrap().table.target, "a");
}

#[test]
fn a_bad_file_changes_nothing_and_says_where_it_is_wrong() {
    let mut p = with_file(&csv(60));
    p.step_for(5.0, 0);
    let (hash, settings, epoch) = (p.to_hash(), p.state().settings, p.epoch());
    // Twelve good rows with line 3 (the second row) spoiled.
    let spoiled = |row: &str| {
        let mut lines: Vec<String> = (0..12)
            .map(|i| format!("{i},{},{}", i * 2, i % 2))
            .collect();
        lines[1] = row.to_string();
        format!("x1,x2,label\n{}\n", lines.join("\n"))
    };
    let ragged = spoiled("3,4");
    let e = p.load_data_file("bad.csv", &ragged, None).unwrap_err();
    assert_eq!(e.field, "data");
    assert!(e.message.contains("line 3"), "{e:?}");
    let e = p
        .load_data_file("bad.csv", &spoiled("3,abc,1"), None)
        .unwrap_err();
    assert!(
        e.message.contains("line 3") && e.message.contains("'x2'") && e.message.contains("abc"),
        "{e:?}"
    );
    let eleven: String = (0..44).map(|i| format!("{i},{}\n", i % 11)).collect();
    let e = p.load_data_file("eleven.csv", &eleven, None).unwrap_err();
    assert!(e.message.contains("allowed at most 10 classes"), "{e:?}");
    assert_eq!(
        (p.to_hash(), p.state().settings, p.epoch()),
        (hash, settings, epoch)
    );
    assert!(p.training(0), "the run goes on");
}

#[test]
fn a_file_trains_on_the_page_and_the_workers_come_back_when_it_is_cleared() {
    let mut p = playground();
    small(&mut p);
    p.use_workers(true).unwrap();
    let before: Vec<u32> = p.take_orders().iter().map(Order::id).collect();
    assert!(!before.is_empty());
    p.load_data_file(NAME, &csv(60), None).unwrap();
    assert!(!p.workers(), "a worker's link cannot carry the file");
    let orders = p.take_orders();
    assert!(
        orders.iter().all(|o| matches!(o, Order::Cancel { .. })) && orders.len() == before.len(),
        "the runs given out are cancelled: {orders:?}"
    );
    p.step_for(20.0, 0);
    assert!(p.epoch() > 0, "the page trains the file itself");
    p.clear_data_file().unwrap();
    assert!(p.workers());
    assert!(p
        .take_orders()
        .iter()
        .any(|o| matches!(o, Order::Start { .. })));
}

#[test]
fn copy_as_python_reads_the_file_in_use_with_pandas() {
    let p = with_file(&csv(60));
    let script = plateau::python::script_for(&p.run_configs(), "https://example.org/");
    assert!(
        script.contains("pd.read_csv(\"my data.csv\", skipinitialspace=True, dtype=str)"),
        "{script}"
    );
    assert!(script.contains("labels = data.pop(\"label\").str.strip()"));
    assert!(script.contains("CLASSES = [\"0\", \"1\"]"));
    assert!(!script.contains("make_classification"));
    assert!(script.contains("test_size=0.2, random_state=42)"));
}

/// A file of three classes trains a softmax on the page, bit for bit as `plateau run --data`,
/// and a `classes=3` link trains make_classification's three classes as `Config::start` does.
#[test]
fn three_classes_train_on_the_page_as_the_cli_trains_them() {
    let text: String = (0..60)
        .map(|i| format!("{}.5,{},{}\n", i % 7, (i * 3) % 11, i % 3))
        .collect();
    let mut p = with_file(&text);
    train_to_the_end(&mut p);
    let history = p.histories()[0].clone();
    assert_eq!(history, cli_history(SETTINGS, &text));
    assert_eq!(history.epochs(), 4);
    assert!(history.val_accuracy.iter().all(|a| (0.0..=1.0).contains(a)));

    let mut generated = playground();
    let link = format!("{SETTINGS}&classes=3");
    assert!(generated.apply_hash(&link).is_empty());
    assert!(
        generated.to_hash().contains("classes=3"),
        "{}",
        generated.to_hash()
    );
    train_to_the_end(&mut generated);
    let (config, _) = Config::from_query(&link);
    let (mut run, _) = config.start().unwrap();
    run.finish();
    assert_eq!(generated.histories()[0], run.history());
}

/// `#dataset=NAME` is the built-in dataset's file: the page fetches it (the engine says which
/// file), trains on it, and writes the link back as `dataset=NAME`. A student's own file with
/// the same name is still a file of theirs.
#[test]
fn a_dataset_link_waits_for_its_fetched_file_and_names_it_again() {
    let mut p = playground();
    assert!(
        p.apply_hash("#dataset=iris&epochs=3").is_empty(),
        "no notice: the page fetches it"
    );
    let wanted = p.wanted_file().unwrap().clone();
    assert_eq!(wanted.dataset_file, Some("iris.csv"));
    // A reload while the file is being fetched opens the same link, not the defaults shown.
    assert_eq!(p.to_hash(), "dataset=iris&epochs=3");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/iris.csv");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(p.load_data_file("iris", &text, None).unwrap().is_empty());
    let hash = p.to_hash();
    assert!(
        hash.contains("dataset=iris") && !hash.contains("data="),
        "{hash}"
    );
    assert!(
        hash.contains("epochs=3"),
        "the link's settings applied: {hash}"
    );
    train_to_the_end(&mut p);
    assert_eq!(p.figures()[0].epoch, 3);

    let notices = p.apply_hash("#dataset=mnist");
    assert!(
        notices[0]
            .contains("unknown dataset 'mnist'; allowed: breast-cancer, wine, iris or digits"),
        "{notices:?}"
    );
    let mut own = with_file(&csv(60));
    own.load_data_file("iris", &csv(60), None).unwrap();
    assert!(own.to_hash().contains("data=iris@"), "{}", own.to_hash());
}

/// The page's confusion matrix, once the run has ended, is the CLI's for the same file, with
/// rows and columns named by the file's labels; the panel carries it, and none while training.
#[test]
fn the_confusion_matrix_names_the_files_classes_as_the_cli_computes_it() {
    let text: String = (0..60)
        .map(|i| {
            let label = ["mid", "low", "high"][(i % 7 + (i * 3) % 11) / 6];
            format!("{}.5,{},{label}\n", i % 7, (i * 3) % 11)
        })
        .collect();
    let mut p = with_file(&text);
    p.step_for(1.0, 0);
    assert!(
        p.training(0) && p.confusion().is_none(),
        "not while training"
    );
    train_to_the_end(&mut p);
    let shown = p.confusion().expect("the ended run's matrix");
    assert_eq!(shown.classes, ["high", "low", "mid"]);
    assert_eq!(
        serde_json::to_value(&shown).unwrap(),
        serde_json::to_value(&p.panel().unwrap().confusion).unwrap()
    );
    let (config, _) = Config::from_query(SETTINGS);
    let config = config.with_data_file(DataFile::read(NAME, &text, None).unwrap());
    let (mut run, _) = config.start().unwrap();
    run.finish();
    assert_eq!(shown, run.confusion().named(config.class_names()));
    let last = *p.histories()[0].val_accuracy.last().unwrap();
    assert_eq!(shown.accuracy(), last);
}

//! "Copy as Python": the current experiment as a runnable scikit-learn + Keras script, so a
//! student can carry it into a notebook. The data part reproduces the playground's data
//! exactly (the same `make_classification` arguments, distortion, split and scaler; checked
//! in CI against `plateau export data`); the model part is the same network, optimizer and
//! `fit` call. Keras draws its own initial weights and shuffles, so its curves match ours in
//! distribution, not number for number: the script says so.

use crate::config::{activation_name, Config, OptimizerKind};
use crate::data::{built_in, BuiltIn, Table};
use std::fmt::Write as _;

/// What the script's docstring says of Keras against the playground (README, "How faithful
/// it is"): the same data, another draw of weights and batches, and one deliberate difference.
const ABOUT_KERAS: &str = "\
The data is exactly the playground's. Keras draws its own initial weights and batch
order, so the curves agree with the playground's in distribution, not number for number.
Seeded, Keras repeats its first epoch's batch order in every epoch (the playground
reshuffles each epoch), so once the training rows are fitted its training loss runs lower,
up to 2x; the accuracies agree.";

/// Copy as Python for a comparison on a file of one's own, in one line. The page's
/// comparisons are the article's, on make_classification's data, so none is on a file today.
pub const COMPARISON_ON_A_FILE: &str = "# Copy as Python writes a comparison on \
     make_classification's data only; copy one run of your file at a time.\n";

/// Marks where the data part of the script ends; everything above it needs only numpy,
/// scikit-learn and, for a file, pandas (the CI check runs just that part).
pub const DATA_END: &str = "# ---- end of the data part ----";

/// A Python float literal for `x`: Rust's shortest round-trip text parses back to the same
/// f64 in Python.
fn float(x: f64) -> String {
    let text = x.to_string();
    if text.contains(['.', 'e', 'E']) || text.contains("inf") || text.contains("NaN") {
        text
    } else {
        format!("{text}.0")
    }
}

/// The script for `config`. `link` is the page address that opens the same state, quoted in
/// the script's header (empty: none).
pub fn script(config: &Config, link: &str) -> String {
    let c = config;
    let mut s = String::new();
    let data = match source_of(c) {
        Source::Generated => "scikit-learn data".to_string(),
        Source::BuiltIn(d) => format!("scikit-learn's {} dataset", d.name),
        Source::File(_, name) => format!("your file {name}"),
    };
    let _ = writeln!(
        s,
        "\"\"\"Plateau experiment as a script: {data}, a Keras model, its history plotted.\n"
    );
    if !link.is_empty() {
        let _ = writeln!(s, "Opened in the playground: {link}");
    }
    let _ = writeln!(s, "Settings: {}\n\n{ABOUT_KERAS}", settings_line(c));
    let pandas = if matches!(source_of(c), Source::File(..)) {
        " pandas"
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "Needs: pip install numpy{pandas} scikit-learn tensorflow matplotlib\n\"\"\""
    );
    data_source(c, &mut s);
    let distort = if c.distort { "" } else { "# " };
    let _ = writeln!(
        s,
        "{distort}X[:, 0] *= {d}  # the unscaled-features experiment: feature 0 ×{d}\n\
         {distort}X[:, 1] *= 1 / {d}  # and feature 1 ÷{d}",
        d = float(c.distortion)
    );
    let _ = writeln!(
        s,
        "X_train, X_val, y_train, y_val = train_test_split(X, y, test_size={}, random_state={})",
        float(c.test_size),
        c.data_seed
    );
    let standardize = if c.standardize { "" } else { "# " };
    let _ = writeln!(
        s,
        "{standardize}scaler = StandardScaler().fit(X_train)\n\
         {standardize}X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)\n\
         # Keras trains in float32.\n\
         X_train, X_val = X_train.astype(\"float32\"), X_val.astype(\"float32\")\n\
         y_train, y_val = y_train.astype(\"float32\"), y_val.astype(\"float32\")\n\
         {DATA_END}\n"
    );
    s.push_str("import keras\nfrom keras import layers, regularizers\n\n");
    let _ = writeln!(s, "keras.utils.set_random_seed({})", c.seed);
    let regularizer = if c.l2 > 0.0 {
        format!(", kernel_regularizer=regularizers.L2({})", float(c.l2))
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "model = keras.Sequential([\n    keras.Input(shape=({},)),",
        c.features
    );
    for &units in &c.hidden {
        let _ = writeln!(
            s,
            "    layers.Dense({units}, activation=\"{}\"{regularizer}),",
            activation_name(c.activation)
        );
        if c.dropout > 0.0 {
            let _ = writeln!(s, "    layers.Dropout({}),", float(c.dropout));
        }
    }
    let (units, activation, loss) = output(c.class_count());
    let _ = writeln!(
        s,
        "    layers.Dense({units}, activation=\"{activation}\"{regularizer}),\n])"
    );
    let optimizer = keras_optimizer(c.optimizer);
    let _ = writeln!(
        s,
        "model.compile(optimizer=keras.optimizers.{optimizer}(learning_rate={}),\n              \
         loss=\"{loss}\", metrics=[\"accuracy\"])",
        float(c.learning_rate)
    );
    // The same EarlyStopping the playground trains with, min_delta to the last digit.
    let callbacks = match c.train_spec().early_stopping {
        Some(es) => {
            let _ = writeln!(
                s,
                "# Early stopping: an improvement must exceed min_delta, one validation sample's loss\n\
                 # (ln(0.6 / 0.4) / {} rows: one row going from 0.4 to 0.6 for its class).",
                c.validation_rows().unwrap_or(0)
            );
            format!(
                "[keras.callbacks.EarlyStopping(monitor=\"val_loss\", min_delta={}, patience={}, \
                 restore_best_weights=True)]",
                float(es.min_delta),
                es.patience
            )
        }
        None => "[]".to_string(),
    };
    let _ = writeln!(
        s,
        "history = model.fit(X_train, y_train, epochs={}, batch_size={}, shuffle=True,\n                    \
         validation_data=(X_val, y_val), callbacks={callbacks}, verbose=0).history\n",
        c.epochs, c.batch_size
    );
    s.push_str(
        "import matplotlib.pyplot as plt\n\n\
         epochs = range(1, len(history[\"loss\"]) + 1)\n\
         fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 4))\n\
         for ax, key, title in [(loss_ax, \"loss\", \"Loss\"), (acc_ax, \"accuracy\", \"Accuracy\")]:\n    \
         ax.plot(epochs, history[key], label=\"training\")\n    \
         ax.plot(epochs, history[\"val_\" + key], \"--\", label=\"validation\")\n    \
         ax.set(title=title, xlabel=\"epoch\")\n    \
         ax.legend()\n\
         plt.tight_layout()\n\
         # Saved as well as shown: with no display (a server, a CI job) show() draws nothing.\n\
         plt.savefig(\"plateau.png\")\n\
         plt.show()\n\
         print(f\"final val accuracy {history['val_accuracy'][-1]:.3f}, \"\n      \
         f\"best {max(history['val_accuracy']):.3f} at epoch {int(np.argmax(history['val_accuracy'])) + 1}\")\n",
    );
    s
}

/// The script for the runs on the chart, `(label, config)` each: one run's script, or for a
/// comparison every run, as a loop over their configs.
pub fn script_for(runs: &[(String, Config)], link: &str) -> String {
    match runs {
        [] => String::new(),
        [(_, config)] => script(config, link),
        many if many.iter().any(|(_, c)| c.data.is_some()) => COMPARISON_ON_A_FILE.to_string(),
        many => comparison_script(many, link),
    }
}

/// The settings as a link writes them; with a file, its name and summary in place of the
/// settings it decides (rows, features, classes) or that do not apply to it (informative).
fn settings_line(c: &Config) -> String {
    let Some(file) = &c.data else {
        return c.to_query();
    };
    let query = c.to_query();
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| {
            let key = kv.split('=').next().unwrap_or("");
            !["samples", "features", "informative", "classes"].contains(&key)
        })
        .collect();
    let data = match source_of(c) {
        Source::BuiltIn(d) => format!("dataset={}", d.name),
        _ => format!("data={}", file.name),
    };
    format!("{data}&{}\nData: {}", kept.join("&"), file.summary())
}

/// Where a config's rows come from, as the script loads them.
enum Source<'a> {
    Generated,
    /// One of scikit-learn's bundled datasets: its loader gives the same rows in the same
    /// order as the file the page read (tests/datasets.rs).
    BuiltIn(&'static BuiltIn),
    File(&'a Table, &'a str),
}

fn source_of(c: &Config) -> Source<'_> {
    let Some(file) = &c.data else {
        return Source::Generated;
    };
    let t = &file.table;
    // By its name alone a student's file called `wine` would pass for the dataset: its shape
    // and its target column must be the dataset's too.
    match built_in(&file.name) {
        Some(d)
            if t.target == "target"
                && (t.rows(), t.features(), t.classes.len()) == (d.rows, d.features, d.classes) =>
        {
            Source::BuiltIn(d)
        }
        _ => Source::File(t, &file.name),
    }
}

/// The imports and the lines that make `X` (float64, a row per sample) and `y` (each row's
/// class index) as the playground has them before it distorts and splits them.
fn data_source(c: &Config, s: &mut String) {
    s.push_str("import numpy as np\n");
    match source_of(c) {
        Source::Generated => {
            s.push_str(
                "from sklearn.datasets import make_classification\n\
                 from sklearn.model_selection import train_test_split\n\
                 from sklearn.preprocessing import StandardScaler\n\n",
            );
            let _ = writeln!(
                s,
                "X, y = make_classification(n_samples={}, n_features={}, n_informative={}, n_classes={}, random_state={})",
                c.samples, c.features, c.informative, c.classes, c.data_seed
            );
        }
        Source::BuiltIn(d) => {
            let _ = writeln!(
                s,
                "from sklearn.datasets import {loader}\n\
                 from sklearn.model_selection import train_test_split\n\
                 from sklearn.preprocessing import StandardScaler\n\n\
                 # {name}: {rows} rows × {features} features, {classes} classes (scikit-learn's bundled copy).\n\
                 X, y = {loader}(return_X_y=True)",
                loader = d.loader,
                name = d.name,
                rows = d.rows,
                features = d.features,
                classes = d.classes,
            );
        }
        Source::File(t, name) => file_source(t, name, s),
    }
}

/// `pd.read_csv` reading a file as the playground's reader does (`data/csv.rs`): every cell
/// read as text, trimmed, the numbers then parsed by Python to the nearest double (as Rust
/// parses them; pandas' own fast parser may be off by a bit), and the labels, as the file
/// spells them, mapped to the page's class indices.
fn file_source(t: &Table, name: &str, s: &mut String) {
    s.push_str(
        "import pandas as pd\n\
         from sklearn.model_selection import train_test_split\n\
         from sklearn.preprocessing import StandardScaler\n\n",
    );
    // A header cell left empty is `column N` on the page and `Unnamed: N-1` in pandas: such a
    // target, and a file without a header, are taken by their place.
    let unnamed = format!("column {}", t.target_column + 1);
    let (header, target) = match (t.has_header, t.target == unnamed) {
        (true, false) => ("", string(&t.target)),
        (true, true) => ("", format!("data.columns[{}]", t.target_column)),
        (false, _) => (", header=None", t.target_column.to_string()),
    };
    let labels: Vec<String> = t.classes.iter().map(|c| string(&c.label)).collect();
    let _ = writeln!(
        s,
        "# Your file, read as the playground reads it; put it beside this script.\n\
         data = pd.read_csv({file}{header}, skipinitialspace=True, dtype=str)\n\
         labels = data.pop({target}).str.strip()\n\
         # The playground's classes in its order (whole numbers by value, else text sorted): class i is CLASSES[i].\n\
         CLASSES = [{classes}]\n\
         y = labels.map({{label: i for i, label in enumerate(CLASSES)}}).to_numpy()\n\
         X = data.astype(\"float64\").to_numpy(copy=True)\n\
         print(f\"{{len(X)}} rows × {{X.shape[1]}} features; the playground read {rows} × {features}\")",
        file = string(name),
        classes = labels.join(", "),
        rows = t.rows(),
        features = t.features(),
    );
}

/// The output layer's units and activation, and the loss, for `classes` classes: one sigmoid
/// unit for two, as the engine trains them; a softmax over k with the class index as label.
fn output(classes: usize) -> (usize, &'static str, &'static str) {
    if classes > 2 {
        (classes, "softmax", "sparse_categorical_crossentropy")
    } else {
        (1, "sigmoid", "binary_crossentropy")
    }
}

/// Keras's class name for the optimizer, in `keras.optimizers`.
fn keras_optimizer(kind: OptimizerKind) -> &'static str {
    match kind {
        OptimizerKind::Adam => "Adam",
        OptimizerKind::Sgd => "SGD",
        OptimizerKind::RmsProp => "RMSprop",
    }
}

/// A Python string literal for `text`.
fn string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// One run's config as a Python dict literal, every key the loop reads.
fn config_dict(label: &str, c: &Config) -> String {
    let hidden: Vec<String> = c.hidden.iter().map(|u| u.to_string()).collect();
    let optimizer = keras_optimizer(c.optimizer);
    let early_stopping = match c.train_spec().early_stopping {
        Some(es) => format!("({}, {})", float(es.min_delta), es.patience),
        None => "None".to_string(),
    };
    let python_bool = |b: bool| if b { "True" } else { "False" };
    format!(
        "    dict(label={}, settings={},\n         \
         samples={}, features={}, informative={}, classes={}, data_seed={}, test_size={},\n         \
         distort={}, distortion={}, standardize={},\n         \
         seed={}, hidden=[{}], activation={}, dropout={}, l2={},\n         \
         optimizer={}, learning_rate={}, epochs={}, batch_size={}, early_stopping={}),\n",
        string(label),
        string(&c.to_query()),
        c.samples,
        c.features,
        c.informative,
        c.classes,
        c.data_seed,
        float(c.test_size),
        python_bool(c.distort),
        float(c.distortion),
        python_bool(c.standardize),
        c.seed,
        hidden.join(", "),
        string(activation_name(c.activation)),
        float(c.dropout),
        float(c.l2),
        string(optimizer),
        float(c.learning_rate),
        c.epochs,
        c.batch_size,
        early_stopping,
    )
}

/// A comparison's script: the same data and model code as [`script`], run once per config.
fn comparison_script(runs: &[(String, Config)], link: &str) -> String {
    let mut s = String::new();
    s.push_str(
        "\"\"\"Plateau comparison as a script: each run's scikit-learn data and Keras model, their \
         histories plotted together.\n\n",
    );
    if !link.is_empty() {
        let _ = writeln!(s, "Opened in the playground: {link}");
    }
    s.push_str(ABOUT_KERAS);
    s.push_str(
        "\"\"\"\n\
         import numpy as np\n\
         from sklearn.datasets import make_classification\n\
         from sklearn.model_selection import train_test_split\n\
         from sklearn.preprocessing import StandardScaler\n\n\
         # One entry per run; `settings` is the run as the playground's link writes it.\n\
         # early_stopping: (min_delta, patience), min_delta one validation sample's loss\n\
         # (ln(0.6 / 0.4) / validation rows), or None.\n\
         CONFIGS = [\n",
    );
    for (label, config) in runs {
        s.push_str(&config_dict(label, config));
    }
    let _ = writeln!(
        s,
        "]\n\n\
         def make_data(c):\n    \
         X, y = make_classification(n_samples=c[\"samples\"], n_features=c[\"features\"],\n                               \
         n_informative=c[\"informative\"], n_classes=c[\"classes\"],\n                               \
         random_state=c[\"data_seed\"])\n    \
         if c[\"distort\"]:  # the unscaled-features experiment\n        \
         X[:, 0] *= c[\"distortion\"]\n        \
         X[:, 1] *= 1 / c[\"distortion\"]\n    \
         X_train, X_val, y_train, y_val = train_test_split(\n        \
         X, y, test_size=c[\"test_size\"], random_state=c[\"data_seed\"])\n    \
         if c[\"standardize\"]:\n        \
         scaler = StandardScaler().fit(X_train)\n        \
         X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)\n    \
         # Keras trains in float32.\n    \
         return (X_train.astype(\"float32\"), X_val.astype(\"float32\"),\n            \
         y_train.astype(\"float32\"), y_val.astype(\"float32\"))\n\
         {DATA_END}\n"
    );
    s.push_str(
        "import keras\n\
         from keras import layers, regularizers\n\n\
         def make_model(c):\n    \
         penalty = regularizers.L2(c[\"l2\"]) if c[\"l2\"] > 0 else None\n    \
         model = keras.Sequential([keras.Input(shape=(c[\"features\"],))])\n    \
         for units in c[\"hidden\"]:\n        \
         model.add(layers.Dense(units, activation=c[\"activation\"], kernel_regularizer=penalty))\n        \
         if c[\"dropout\"] > 0:\n            \
         model.add(layers.Dropout(c[\"dropout\"]))\n    \
         if c[\"classes\"] > 2:  # a softmax over the classes, the label being the class index\n        \
         model.add(layers.Dense(c[\"classes\"], activation=\"softmax\", kernel_regularizer=penalty))\n        \
         loss = \"sparse_categorical_crossentropy\"\n    \
         else:\n        \
         model.add(layers.Dense(1, activation=\"sigmoid\", kernel_regularizer=penalty))\n        \
         loss = \"binary_crossentropy\"\n    \
         optimizer = getattr(keras.optimizers, c[\"optimizer\"])(learning_rate=c[\"learning_rate\"])\n    \
         model.compile(optimizer=optimizer, loss=loss, metrics=[\"accuracy\"])\n    \
         return model\n\n\
         histories = {}\n\
         for c in CONFIGS:\n    \
         X_train, X_val, y_train, y_val = make_data(c)\n    \
         keras.utils.set_random_seed(c[\"seed\"])\n    \
         model = make_model(c)\n    \
         callbacks = []\n    \
         if c[\"early_stopping\"]:\n        \
         min_delta, patience = c[\"early_stopping\"]\n        \
         callbacks.append(keras.callbacks.EarlyStopping(\n            \
         monitor=\"val_loss\", min_delta=min_delta, patience=patience, restore_best_weights=True))\n    \
         histories[c[\"label\"]] = model.fit(\n        \
         X_train, y_train, epochs=c[\"epochs\"], batch_size=c[\"batch_size\"], shuffle=True,\n        \
         validation_data=(X_val, y_val), callbacks=callbacks, verbose=0).history\n\n\
         import matplotlib.pyplot as plt\n\n\
         fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 4))\n\
         for i, (label, history) in enumerate(histories.items()):\n    \
         epochs = range(1, len(history[\"loss\"]) + 1)\n    \
         for ax, key in [(loss_ax, \"loss\"), (acc_ax, \"accuracy\")]:\n        \
         ax.plot(epochs, history[key], color=f\"C{i}\", label=f\"{label} training\")\n        \
         ax.plot(epochs, history[\"val_\" + key], \"--\", color=f\"C{i}\", label=f\"{label} validation\")\n\
         loss_ax.set(title=\"Loss\", xlabel=\"epoch\", yscale=\"log\")\n\
         acc_ax.set(title=\"Accuracy\", xlabel=\"epoch\")\n\
         loss_ax.legend(fontsize=\"small\")\n\
         plt.tight_layout()\n\
         # Saved as well as shown: with no display (a server, a CI job) show() draws nothing.\n\
         plt.savefig(\"plateau.png\")\n\
         plt.show()\n\
         for label, history in histories.items():\n    \
         best = int(np.argmax(history[\"val_accuracy\"]))\n    \
         print(f\"{label}: final val accuracy {history['val_accuracy'][-1]:.3f}, \"\n          \
         f\"best {history['val_accuracy'][best]:.3f} at epoch {best + 1}\")\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_python_float_literals_that_parse_to_the_same_number() {
        assert_eq!(float(100.0), "100.0");
        assert_eq!(float(0.2), "0.2");
        assert_eq!(float(1e-5), "0.00001");
        assert_eq!(float(0.1).parse::<f64>().unwrap(), 0.1);
    }

    #[test]
    fn the_script_carries_every_setting_that_changes_the_run() {
        let mut c = Config::preset("overfit").unwrap();
        let plain = script(&c, "");
        assert!(plain.contains("n_samples=100"));
        assert!(
            plain.contains("# X[:, 0] *= 100.0"),
            "no distortion: commented"
        );
        assert!(plain.contains("layers.Dense(128, activation=\"relu\"),"));
        assert!(plain.contains("layers.Dense(64, activation=\"relu\"),"));
        assert!(plain.contains("Adam(learning_rate=0.001)"));
        assert!(plain.contains("callbacks=[]"));
        assert!(!plain.contains("Dropout") && !plain.contains("L2("));
        for (key, value) in [
            ("distort", "true"),
            ("distortion", "1000"),
            ("standardize", "false"),
            ("optimizer", "rmsprop"),
            ("activation", "tanh"),
            ("l2", "0.01"),
            ("dropout", "0.3"),
            ("early-stopping", "7"),
            ("seed", "9"),
            ("batch-size", "8"),
        ] {
            c.set(key, value).unwrap();
        }
        let s = script(&c, "https://example.org/#x");
        assert!(s.contains("\nX[:, 0] *= 1000.0"));
        assert!(s.contains("\nX[:, 1] *= 1 / 1000.0"));
        assert!(s.contains("# scaler = StandardScaler()"));
        assert!(s.contains("RMSprop(learning_rate=0.001)"));
        assert!(s.contains("activation=\"tanh\", kernel_regularizer=regularizers.L2(0.01)"));
        assert_eq!(s.matches("layers.Dropout(0.3)").count(), 2);
        // min_delta is one validation sample's loss (100 rows × 0.2 = 20), to the last digit.
        let min_delta = (0.6f64 / 0.4).ln() / 20.0;
        assert!(s.contains(&format!(
            "EarlyStopping(monitor=\"val_loss\", min_delta={min_delta}, patience=7, \
             restore_best_weights=True)"
        )));
        assert_eq!(
            Some(min_delta),
            c.train_spec().early_stopping.map(|es| es.min_delta),
            "the run trains with what the script says"
        );
        assert!(
            s.contains("# Early stopping: an improvement must exceed min_delta, one validation")
        );
        assert!(s.contains("ln(0.6 / 0.4) / 20 rows"));
        assert!(s.contains("set_random_seed(9)"));
        assert!(s.contains("batch_size=8"));
        assert!(s.contains("Opened in the playground: https://example.org/#x"));
        assert!(s.contains("plt.savefig(\"plateau.png\")\nplt.show()"));
        assert!(s.contains("n_classes=2,"));
        assert!(s.contains("layers.Dense(1, activation=\"sigmoid\""));
        assert!(s.contains("loss=\"binary_crossentropy\""));
        c.set("classes", "4").unwrap();
        let four = script(&c, "");
        assert!(four.contains("n_informative=10, n_classes=4, random_state=42)"));
        assert!(four.contains(
            "    layers.Dense(4, activation=\"softmax\", kernel_regularizer=regularizers.L2(0.01)),\n])"
        ));
        assert!(four.contains("loss=\"sparse_categorical_crossentropy\""));
        assert!(!four.contains("sigmoid") && !four.contains("binary_crossentropy"));
        let data_part = &s[..s.find(DATA_END).unwrap()];
        assert!(
            !data_part.contains("import keras"),
            "the data part needs only scikit-learn"
        );
    }
}

#[cfg(test)]
mod comparison_tests {
    use super::*;

    #[test]
    fn a_comparison_exports_every_run_as_a_loop_over_their_configs() {
        let runs: Vec<(String, Config)> = ["lr-high", "lr-low", "lr-good"]
            .iter()
            .map(|p| {
                let c = Config::preset(p).unwrap();
                (format!("lr {}", c.learning_rate), c)
            })
            .collect();
        let s = script_for(&runs, "https://example.org/#compare=learning-rate");
        assert_eq!(s.matches("    dict(label=").count(), 3);
        for (label, c) in &runs {
            assert!(s.contains(&format!(
                "dict(label=\"{label}\", settings=\"{}\"",
                c.to_query()
            )));
            assert!(s.contains(&format!("learning_rate={}", float(c.learning_rate))));
        }
        assert!(s.contains("for c in CONFIGS:"));
        assert_eq!(s.matches("informative=10, classes=2,").count(), 3);
        assert!(s.contains("n_classes=c[\"classes\"]"));
        assert!(s.contains("activation=\"softmax\"") && s.contains("loss=loss"));
        assert!(s.contains("plt.savefig(\"plateau.png\")"));
        assert!(s.contains("Opened in the playground: https://example.org/#compare=learning-rate"));
        let data_part = &s[..s.find(DATA_END).unwrap()];
        assert!(!data_part.contains("import keras"));
        // One run is the plain script.
        assert_eq!(script_for(&runs[..1], ""), script(&runs[0].1, ""));
    }
}

#[cfg(test)]
mod file_tests {
    use super::*;
    use crate::config::DataFile;

    fn on(name: &str, text: &str, target: Option<&str>) -> Config {
        Config::default().with_data_file(DataFile::read(name, text, target).unwrap())
    }

    /// `rows` rows of two features, the label `label(i)` in column `at` of three.
    fn text(
        header: Option<&str>,
        rows: usize,
        at: usize,
        label: fn(usize) -> &'static str,
    ) -> String {
        let mut t = header.map(|h| format!("{h}\n")).unwrap_or_default();
        for i in 0..rows {
            let mut cells = vec![format!("{}.5", i % 7), format!("{}", (i * 3) % 11)];
            cells.insert(at, label(i).to_string());
            t.push_str(&cells.join(","));
            t.push('\n');
        }
        t
    }

    #[test]
    fn a_file_is_read_by_its_target_name_and_its_classes_in_the_pages_order() {
        let c = on(
            "pets.csv",
            &text(Some("w,kind,h"), 30, 1, |i| ["emu", "cat", "dog"][i % 3]),
            Some("kind"),
        );
        let s = script(&c, "");
        assert!(s.contains("your file pets.csv, a Keras model"));
        assert!(s.contains("data = pd.read_csv(\"pets.csv\", skipinitialspace=True, dtype=str)\n"));
        assert!(s.contains("labels = data.pop(\"kind\").str.strip()\n"));
        assert!(s.contains("CLASSES = [\"cat\", \"dog\", \"emu\"]\n"));
        assert!(s.contains("layers.Dense(3, activation=\"softmax\")"));
        assert!(s.contains("loss=\"sparse_categorical_crossentropy\""));
        assert!(s.contains("Settings: data=pets.csv&data-seed=42&"));
        assert!(!s.contains("informative=") && !s.contains("make_classification"));
        assert!(s.contains("pip install numpy pandas scikit-learn"));
        let data_part = &s[..s.find(DATA_END).unwrap()];
        assert!(data_part.contains("import pandas as pd") && !data_part.contains("keras"));
    }

    #[test]
    fn a_file_without_a_header_or_with_an_unnamed_target_is_read_by_place() {
        let bare = on(
            "bare.csv",
            &text(None, 30, 2, |i| ["10", "-1", "2"][i % 3]),
            None,
        );
        let s = script(&bare, "");
        assert!(s.contains("pd.read_csv(\"bare.csv\", header=None, skipinitialspace=True"));
        assert!(s.contains("labels = data.pop(2).str.strip()"));
        assert!(
            s.contains("CLASSES = [\"-1\", \"2\", \"10\"]"),
            "by value, as the page"
        );
        // The last column, the default target, with its header cell left empty.
        let unnamed = on(
            "gap.csv",
            &text(Some("w,h,"), 30, 2, |i| ["a", "b"][i % 2]),
            None,
        );
        let s = script(&unnamed, "");
        assert!(
            s.contains("labels = data.pop(data.columns[2]).str.strip()"),
            "{s}"
        );
        assert!(s.contains("layers.Dense(1, activation=\"sigmoid\")"));
    }

    #[test]
    fn a_built_in_dataset_is_loaded_from_scikit_learn_and_only_the_real_one() {
        // Wine's shape: 178 rows × 13 features, 3 classes, target column `target`.
        let mut wine = String::new();
        wine.push_str(&(0..13).map(|j| format!("f{j},")).collect::<String>());
        wine.push_str("target\n");
        for i in 0..178 {
            wine.push_str(
                &(0..13)
                    .map(|j| format!("{}.25,", (i * j) % 17))
                    .collect::<String>(),
            );
            wine.push_str(&format!("{}\n", i % 3));
        }
        let s = script(&on("wine", &wine, Some("target")), "");
        assert!(s.contains("from sklearn.datasets import load_wine\n"));
        assert!(s.contains("X, y = load_wine(return_X_y=True)\n"));
        assert!(s.contains("Settings: dataset=wine&"));
        assert!(!s.contains("pandas") && !s.contains("make_classification"));
        // The same name on a file of another shape is a student's file.
        let small = on(
            "wine",
            &text(Some("a,b,target"), 30, 2, |i| ["0", "1", "2"][i % 3]),
            None,
        );
        assert!(script(&small, "").contains("pd.read_csv(\"wine\""));
    }

    #[test]
    fn a_comparison_on_a_file_says_so_in_one_line() {
        let c = on(
            "pets.csv",
            &text(Some("w,h,kind"), 30, 2, |i| ["a", "b"][i % 2]),
            Some("kind"),
        );
        let runs = vec![("a".to_string(), c.clone()), ("b".to_string(), c)];
        assert_eq!(script_for(&runs, ""), COMPARISON_ON_A_FILE);
    }
}

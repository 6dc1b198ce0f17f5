//! "Copy as Python": the current experiment as a runnable scikit-learn + Keras script, so a
//! student can carry it into a notebook. The data part reproduces the playground's data
//! exactly (the same `make_classification` arguments, distortion, split and scaler; checked
//! in CI against `plateau export data`); the model part is the same network, optimizer and
//! `fit` call. Keras draws its own initial weights and shuffles, so its curves match ours in
//! distribution, not number for number: the script says so.

use crate::config::{activation_name, Config, OptimizerKind};
use std::fmt::Write as _;

/// What the script's docstring says of Keras against the playground (README, "How faithful
/// it is"): the same data, another draw of weights and batches, and one deliberate difference.
const ABOUT_KERAS: &str = "\
The data is exactly the playground's. Keras draws its own initial weights and batch
order, so the curves agree with the playground's in distribution, not number for number.
Seeded, Keras repeats its first epoch's batch order in every epoch (the playground
reshuffles each epoch), so once the training rows are fitted its training loss runs lower,
up to 2x; the accuracies agree.
Needs: pip install numpy scikit-learn tensorflow matplotlib
";

/// Marks where the data part of the script ends; everything above it needs only numpy and
/// scikit-learn (the CI check runs just that part).
/// Copy as Python for a run on a file of one's own, in one line, as `plateau export` says it.
pub const FILE_NOT_YET: &str = "# Copy as Python does not take a file yet (its script would \
     need pd.read_csv); choose \"Use generated data\" to copy a script of make_classification's data.\n";

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
    let _ = writeln!(
        s,
        "\"\"\"Plateau experiment as a script: scikit-learn data, a Keras model, its history plotted.\n"
    );
    if !link.is_empty() {
        let _ = writeln!(s, "Opened in the playground: {link}");
    }
    let _ = writeln!(s, "Settings: {}\n\n{ABOUT_KERAS}\"\"\"", c.to_query());
    s.push_str(
        "import numpy as np\n\
         from sklearn.datasets import make_classification\n\
         from sklearn.model_selection import train_test_split\n\
         from sklearn.preprocessing import StandardScaler\n\n",
    );
    let _ = writeln!(
        s,
        "X, y = make_classification(n_samples={}, n_features={}, n_informative={}, n_classes={}, random_state={})",
        c.samples, c.features, c.informative, c.classes, c.data_seed
    );
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
    let (units, activation, loss) = output(c.classes);
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
    if runs.iter().any(|(_, c)| c.data.is_some()) {
        return FILE_NOT_YET.to_string();
    }
    match runs {
        [] => String::new(),
        [(_, config)] => script(config, link),
        many => comparison_script(many, link),
    }
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

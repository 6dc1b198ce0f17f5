"""Copy as Python, checked with the real libraries (`cargo xtask test`, stage "python").

For several playground states, the script `plateau export python` prints must compile, and its
data part, run with scikit-learn, must give exactly the float32 arrays the playground trains on
(`plateau export data`). PLATEAU_BIN names the release CLI.
"""

import json
import os
import subprocess

import numpy as np
import pytest

BIN = os.environ.get("PLATEAU_BIN", "target/release/plateau")
DATA_END = "# ---- end of the data part ----"

# Flags of `plateau run`: the article's presets, and states well away from them.
STATES = [
    ["--preset", "overfit"],
    ["--preset", "unscaled"],
    ["--preset", "scaled"],
    ["--samples", "1000", "--distort", "--distortion", "10000", "--no-standardize"],
    ["--samples", "777", "--features", "50", "--informative", "30", "--data-seed", "7",
     "--test-size", "0.35", "--distort", "--distortion", "3.7"],
    ["--samples", "10", "--features", "4", "--informative", "2", "--test-size", "0.5"],
    ["--samples", "10000", "--hidden", "256,256,256", "--optimizer", "sgd", "--dropout", "0.5",
     "--l2", "0.001", "--early-stopping", "5", "--activation", "tanh"],
    # A softmax output: make_classification(n_classes=5).
    ["--classes", "5", "--samples", "300", "--informative", "4"],
]


def plateau(*args):
    return subprocess.run([BIN, *args], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("flags", STATES, ids=[" ".join(s) for s in STATES])
def test_the_script_compiles_and_its_data_is_the_playgrounds(flags):
    script = plateau("export", "python", *flags)
    compile(script, "plateau_export.py", "exec")  # the whole script, Keras part included
    assert DATA_END in script
    namespace = {}
    exec(compile(script.split(DATA_END)[0], "data_part.py", "exec"), namespace)

    ours = json.loads(plateau("export", "data", *flags))
    features = ours["features"]
    for key in ["x_train", "x_val"]:
        expected = np.array(ours[key], dtype=np.float32).reshape(-1, features)
        got = namespace[key[0].upper() + key[1:]]
        assert got.dtype == np.float32
        assert got.shape == expected.shape
        assert np.array_equal(got, expected), f"{key}: max diff {np.abs(got - expected).max()}"
    for key in ["y_train", "y_val"]:
        assert np.array_equal(namespace[key], np.array(ours[key], dtype=np.float32)), key


def test_a_bad_flag_is_named():
    result = subprocess.run([BIN, "export", "python", "--lr", "5"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "lr" in result.stderr and "allowed" in result.stderr


COMPARISONS = ["learning-rate", "scaling"]


def flags_of(settings):
    """`plateau run` flags for a run's link settings (`lr=0.1&distort=false&…`)."""
    flags = []
    for pair in settings.split("&"):
        key, value = pair.split("=", 1)
        if key in ("distort", "standardize"):
            flags.append(f"--{key}" if value == "true" else f"--no-{key}")
        else:
            flags.append(f"--{key}={value}")
    return flags


@pytest.mark.parametrize("name", COMPARISONS)
def test_a_comparison_script_holds_every_run_and_each_runs_data_is_the_playgrounds(name):
    script = plateau("export", "python", "--compare", name)
    compile(script, "plateau_compare.py", "exec")
    namespace = {}
    exec(compile(script.split(DATA_END)[0], "data_part.py", "exec"), namespace)
    configs = namespace["CONFIGS"]
    assert len(configs) >= 2, "every run of the comparison"
    assert len({c["settings"] for c in configs}) == len(configs), "each run its own settings"
    for c in configs:
        ours = json.loads(plateau("export", "data", *flags_of(c["settings"])))
        got = namespace["make_data"](c)
        for key, array in zip(["x_train", "x_val", "y_train", "y_val"], got):
            expected = np.array(ours[key], dtype=np.float32)
            if key.startswith("x"):
                expected = expected.reshape(-1, ours["features"])
            assert array.dtype == np.float32
            assert np.array_equal(array, expected), f"{c['label']}: {key}"


def run_with_stand_ins(script, epochs=3):
    """Runs the whole script with stand-ins for Keras and matplotlib (not installed here):
    returns (the pyplot stand-in, the number of fits)."""
    import sys
    from unittest import mock

    keras = mock.MagicMock()
    model = keras.Sequential.return_value
    model.fit.return_value.history = {
        key: [0.5] * epochs for key in ["loss", "accuracy", "val_loss", "val_accuracy"]
    }
    matplotlib = mock.MagicMock()
    plt = matplotlib.pyplot
    plt.subplots.return_value = (mock.MagicMock(), (mock.MagicMock(), mock.MagicMock()))
    modules = {"keras": keras, "matplotlib": matplotlib, "matplotlib.pyplot": plt}
    with mock.patch.dict(sys.modules, modules):
        exec(compile(script, "plateau_export.py", "exec"), {"__name__": "__main__"})
    run_with_stand_ins.last_fit = model.fit.call_args
    return plt, model.fit.call_count


@pytest.mark.parametrize(
    "args",
    [["--preset", "overfit"], ["--compare", "learning-rate"]],
    ids=["one run", "a comparison"],
)
def test_the_script_saves_its_figure_where_no_display_can_show_it(args):
    script = plateau("export", "python", *args)
    plt, fits = run_with_stand_ins(script)
    plt.savefig.assert_called_once_with("plateau.png")
    # Saved before show(): a non-interactive backend's show() returns at once, saving nothing.
    names = [call[0] for call in plt.method_calls]
    assert names.index("savefig") < names.index("show")
    assert fits == (3 if "--compare" in args else 1)


# Files of one's own, written by the test: (file name, text, extra flags). Leading spaces after
# the commas, text labels, a file without a header (whole-number labels, which sort by value:
# -1 < 2 < 10), and a target that is not the last column.
def own_file(header, rows, label_of, target_at=None):
    lines = [header] if header else []
    for i in range(rows):
        cells = [repr(0.1 * i + 1 / 3), f"{(i * 37) % 11}e2", repr(-(i % 7) / 9)]
        label = label_of(i)
        cells.insert(len(cells) if target_at is None else target_at, label)
        lines.append(", ".join(cells))
    return "\n".join(lines) + "\n"


OWN_FILES = [
    ("three.csv", own_file("height, weight, tilt, species", 40,
                           lambda i: ["setosa", "versicolor", "virginica"][i % 3]), []),
    ("plain.csv", own_file(None, 30, lambda i: ["10", "-1", "2"][i % 3]), ["--test-size", "0.3"]),
    ("middle.csv", own_file("a,outcome,b,c", 33, lambda i: "yes" if i % 4 else "no", target_at=1),
     ["--target", "outcome", "--distort", "--distortion", "7"]),
]
DATASETS = [["--dataset", "wine"], ["--dataset", "breast-cancer", "--no-standardize"]]


def exported(flags):
    """The script and the page's arrays (`plateau export data`) for `flags`."""
    script = plateau("export", "python", *flags)
    ours = json.loads(plateau("export", "data", *flags))
    return script, ours


def assert_data_part_is_the_playgrounds(script, ours):
    namespace = {}
    exec(compile(script.split(DATA_END)[0], "data_part.py", "exec"), namespace)
    features = ours["features"]
    for key in ["x_train", "x_val"]:
        expected = np.array(ours[key], dtype=np.float32).reshape(-1, features)
        got = namespace[key[0].upper() + key[1:]]
        assert got.dtype == np.float32 and got.shape == expected.shape, key
        assert np.array_equal(got, expected), f"{key}: max diff {np.abs(got - expected).max()}"
    for key in ["y_train", "y_val"]:
        assert np.array_equal(namespace[key], np.array(ours[key], dtype=np.float32)), key


@pytest.mark.parametrize("name,text,flags", OWN_FILES, ids=[f[0] for f in OWN_FILES])
def test_a_files_script_reads_it_with_pandas_as_the_playground_does(tmp_path, monkeypatch, name,
                                                                    text, flags):
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)  # the script reads the file beside it
    flags = ["--data", str(tmp_path / name), *flags]
    script, ours = exported(flags)
    assert f'pd.read_csv("{name}"' in script
    assert_data_part_is_the_playgrounds(script, ours)


@pytest.mark.parametrize("flags", DATASETS, ids=[f[1] for f in DATASETS])
def test_a_built_in_datasets_script_loads_it_from_scikit_learn(flags):
    script, ours = exported(flags)
    assert "(return_X_y=True)" in script and "read_csv" not in script
    assert_data_part_is_the_playgrounds(script, ours)


def test_a_three_class_files_script_runs_a_softmax_on_the_pages_split(tmp_path, monkeypatch):
    name, text, _ = OWN_FILES[0]
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    flags = ["--data", str(tmp_path / name), "--epochs", "2"]
    script, ours = exported(flags)
    _, fits = run_with_stand_ins(script, epochs=2)
    assert fits == 1
    assert 'layers.Dense(3, activation="softmax")' in script
    assert 'loss="sparse_categorical_crossentropy"' in script
    rows = len(ours["y_train"]), len(ours["y_val"])
    assert rows == (32, 8), "40 rows, test size 0.2: train_test_split's ceil(8.0) = 8"
    # The fit call's arrays are the page's split.
    fit = run_with_stand_ins.last_fit
    (x_train, y_train), kwargs = fit.args, fit.kwargs
    x_val, y_val = kwargs["validation_data"]
    assert (len(x_train), len(y_train), len(x_val), len(y_val)) == (32, 32, 8, 8)
    assert x_train.shape[1] == ours["features"] == 3
    assert kwargs["epochs"] == 2

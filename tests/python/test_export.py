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

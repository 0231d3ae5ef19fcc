"""train_and_score returns what notebook 4 compares, and refuses a batch in the wrong layout;
the table and the figures draw."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course5 import recurrent_runs, recurrent_tasks


def _tagger(length: int):
    import keras

    inputs = keras.Input(shape=(length, recurrent_tasks.TAG_SYMBOLS))
    h = keras.layers.SimpleRNN(3, return_sequences=True)(inputs)
    return keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(h))


def test_train_and_score_reports_accuracy_per_position_params_and_time():
    train = recurrent_tasks.repeats_later(64, 5, seed=0)
    test = recurrent_tasks.repeats_later(40, 5, seed=1)
    model = _tagger(5)
    result = recurrent_runs.train_and_score(model, train, test, epochs=2, batch_size=32)
    assert 0.0 <= result["accuracy"] <= 1.0
    assert result["position_accuracy"].shape == (5,)
    assert np.isclose(result["position_accuracy"].mean(), result["accuracy"])
    assert result["params"] == model.count_params() and result["seconds_per_epoch"] > 0
    assert len(result["losses"]) == 2


def test_train_and_score_refuses_time_last():
    x, y = recurrent_tasks.repeats_later(8, 5, seed=0)
    with pytest.raises(ValueError, match="time axis is the last one"):
        recurrent_runs.train_and_score(_tagger(5), (np.transpose(x, (0, 2, 1)), y), (x, y), epochs=1)


def test_table_and_figures():
    import matplotlib

    matplotlib.use("Agg")
    text = recurrent_runs.table(
        [{"cell": "lstm", "params": 1234}], [("cell", "cell", "s"), ("params", "parameters", "d")]
    )
    assert text.splitlines()[0].split() == ["cell", "parameters"] and "1234" in text
    fig = recurrent_runs.plot_accuracy_by_length([2, 4], {"rnn": [1.0, 0.5]}, chance=0.25)
    assert len(fig.axes[0].lines) == 2
    fig = recurrent_runs.plot_position_accuracy({"bi": np.ones(4)}, recurrent_tasks.best_blind_accuracy(4))
    assert len(fig.axes[0].lines) == 2

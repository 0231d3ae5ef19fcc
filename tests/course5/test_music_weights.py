"""The shipped music LSTM weights fit the notebook's solution models and reach their card's figure."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from shared_utils.course5 import music
from shared_utils.data import registry
from shared_utils.models import trained
from tests.namespaces import solution_namespace

KEY = "course5_sequence/03_music_generation"


def _tool():
    path = registry.REPO_ROOT / "tools" / "train_music.py"
    spec = importlib.util.spec_from_file_location("train_music", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def setting():
    import keras

    ns = solution_namespace(KEY)
    tunes = music.load_tunes()
    vocab = music.build_vocabulary(tunes)
    card = trained.card("music_lstm")
    n_values, n_a = len(vocab), card["n_a"]
    assert card["n_values"] == n_values
    lstm_cell = keras.layers.LSTM(n_a, return_state=True, unroll=True)
    densor = keras.layers.Dense(n_values, activation="softmax")
    reshaper = keras.layers.Reshape((1, n_values))
    tool = _tool()
    model = ns["djmodel"](tool.TX, lstm_cell, densor, reshaper)
    trained.load(model, "music_lstm")  # also the weights of every model sharing the two layers
    X, Y = music.training_windows(tunes, vocab, Tx=tool.TX, stride=tool.STRIDE)
    return ns, tool, card, model, lstm_cell, densor, X, Y, n_a


def test_the_solutions_djmodel_reaches_the_cards_figure(setting):
    _, _, card, model, _, _, X, Y, n_a = setting
    zeros = np.zeros((X.shape[0], n_a), dtype="float32")
    loss = music.sequence_cross_entropy([np.asarray(p) for p in model([X, zeros, zeros])], Y)
    assert loss == pytest.approx(card["metric"]["value"], rel=1e-3)
    assert loss < 0.25 * card["untrained_loss"]


def test_the_tools_sequence_model_and_the_unrolled_djmodel_agree(setting):
    _, tool, _, model, _, _, X, _, n_a = setting
    seq = tool.sequence_model(X.shape[-1], n_a)
    trained.load(seq, "music_lstm")
    zeros = np.zeros((16, n_a), dtype="float32")
    unrolled = np.stack([np.asarray(p) for p in model([X[:16], zeros, zeros])], axis=1)
    np.testing.assert_allclose(unrolled, np.asarray(seq(X[:16])), atol=2e-5)


def test_the_inference_model_composes_what_the_trained_network_finds_most_likely(setting):
    ns, tool, _, _, lstm_cell, densor, X, _, n_a = setting
    inference = ns["music_inference_model"](lstm_cell, densor, 12)
    x0 = X[:1, :1]
    results, indices = ns["predict_and_sample"](
        inference, x0, np.zeros((1, n_a), "float32"), np.zeros((1, n_a), "float32")
    )
    assert results.shape == (12, X.shape[-1]) and indices.shape == (12, 1)
    seq = tool.sequence_model(X.shape[-1], n_a)
    trained.load(seq, "music_lstm")
    fed = np.concatenate([x0[0], results[:-1]])[None]  # the start, then each value composed
    np.testing.assert_array_equal(np.asarray(seq(fed))[0].argmax(-1), indices[:, 0])


def test_a_model_of_another_size_is_refused_with_the_tensor_named():
    import keras

    seq = _tool().sequence_model(10, 8)
    with pytest.raises(ValueError, match="has shape"):
        trained.load(seq, "music_lstm")
    assert isinstance(seq, keras.Model)

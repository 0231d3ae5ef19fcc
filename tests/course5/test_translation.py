"""The date translators: the NumPy forward pass against Keras, the shipped weights in the
notebook's solution models, and the helpers' errors."""

from __future__ import annotations

import functools
import importlib.util

import numpy as np
import pytest

from shared_utils.course5 import translation
from shared_utils.data import dates, registry
from shared_utils.models import trained
from tests.namespaces import solution_namespace

KEY = "course5_sequence/07_neural_machine_translation"
NAMES = {"additive": "date_bahdanau", "general": "date_luong_general", "dot": "date_luong_dot"}


def _tool():
    path = registry.REPO_ROOT / "tools" / "train_date_translation.py"
    spec = importlib.util.spec_from_file_location("train_date_translation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def held_out():
    card = trained.card("date_bahdanau")
    _, test = dates.make_splits(card["n_train"], 300, seed=card["seed"])
    _, _, Xoh, _ = dates.dataset(test)
    return Xoh, [iso for _, iso in test]


@pytest.mark.parametrize("score", ["additive", "general", "dot"])
def test_the_solution_models_reach_the_cards_figure_with_the_shipped_weights(score, held_out):
    ns = solution_namespace(KEY)
    card = trained.card(NAMES[score])
    n_a, n_s = card["n_a"], card["n_s"]
    layers = translation.shared_layers(dates.TX, n_a, n_s, len(dates.machine_vocabulary()))
    step = (
        ns["one_step_attention"]
        if score == "additive"
        else functools.partial(ns["one_step_attention_luong"], score=score)
    )
    model = ns["modelf"](dates.TX, dates.TY, n_a, n_s, len(dates.human_vocabulary()), layers, step)
    trained.load(model, NAMES[score], variables=translation.ordered_weights(model, layers, score))
    Xoh, expected = held_out
    match = translation.exact_match(translation.predict_iso(model, Xoh, n_s), expected)
    assert match >= 0.99
    assert card["metric"]["value"] >= 0.99


@pytest.mark.parametrize("score", ["additive", "general", "dot"])
def test_the_numpy_forward_pass_agrees_with_the_tools_keras_model(score, held_out):
    tool = _tool()
    model, layers = tool.build(score)
    variables = translation.ordered_weights(model, layers, score)
    trained.load(model, NAMES[score], variables=variables)
    Xoh = held_out[0][:16]
    zeros = np.zeros((16, tool.N_S), dtype="float32")
    probabilities, alphas = translation.forward(
        Xoh, zeros, zeros, translation.weights_of(variables), dates.TY, score
    )
    keras_probabilities = np.stack([np.asarray(p) for p in model([Xoh, zeros, zeros])])
    np.testing.assert_allclose(probabilities, keras_probabilities, atol=2e-5)
    assert alphas.shape == (dates.TY, 16, dates.TX)
    np.testing.assert_allclose(alphas.sum(-1), 1.0, rtol=1e-9)


def test_the_dot_score_has_no_attention_weights():
    rng = np.random.default_rng(0)
    a, s = rng.normal(size=(2, 4, 6)), rng.normal(size=(2, 6))
    np.testing.assert_allclose(translation.scores(a, s, [], "dot"), np.einsum("mtd,md->mt", a, s))
    with pytest.raises(ValueError, match="score must be one of"):
        translation.scores(a, s, [], "cosine")


def test_ordered_weights_needs_one_bidirectional_encoder():
    import keras

    layers = translation.shared_layers(4, 2, 4, 3)
    x = keras.Input((4, 5))
    model = keras.Model(x, keras.layers.LSTM(2)(x))
    with pytest.raises(ValueError, match="exactly one Bidirectional encoder, found 0"):
        translation.ordered_weights(model, layers)


def test_exact_match_counts_whole_dates_only():
    assert translation.exact_match(["2021-09-24", "2021-09-25"], ["2021-09-24", "2021-09-24"]) == 0.5
    with pytest.raises(ValueError, match="as many predictions as dates"):
        translation.exact_match(["2021-09-24"], [])

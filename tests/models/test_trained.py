"""Weights the project trains: saved with their card, loaded only when the file is the one on the card."""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest

from shared_utils.data import registry
from shared_utils.data.registry import DataError
from shared_utils.models import trained


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "REPO_ROOT", tmp_path)
    registry.trained_weights.cache_clear()
    yield tmp_path
    registry.trained_weights.cache_clear()


def _model(units: int = 3, name: str = "tiny") -> keras.Model:
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,), name=f"{name}_in")
    x = keras.layers.Dense(units, activation="relu", name=f"{name}_dense")(inputs)
    x = keras.layers.BatchNormalization(name=f"{name}_bn")(x)
    return keras.Model(inputs, keras.layers.Dense(1, name=f"{name}_out")(x), name=name)


def _save(model, name="tiny", dtype="float16"):
    return trained.save(
        model,
        name,
        tool="python tools/train_tiny.py",
        data="nothing",
        epochs=1,
        seed=0,
        metric={"name": "loss", "value": 0.5, "split": "none"},
        licence="MIT",
        dtype=dtype,
    )


def test_round_trip_gives_back_the_quantized_weights_and_a_card_that_names_the_file(repo):
    m = _model()
    trained.quantize(m)
    card = _save(m)
    assert card["stored_as"] == "float16" and card["tensors"] == len(m.weights)
    assert card["sha256"] == registry.file_sha256(repo / card["file"])
    assert json.loads(trained.card_path("tiny").read_text()) == card
    assert "tiny" in registry.trained_weights()
    assert registry.trained_weights()["tiny"].path == card["file"]
    fresh = _model()
    for v in fresh.weights:
        v.assign(np.zeros(v.shape, v.dtype))
    trained.load(fresh, "tiny")
    for a, b in zip(m.weights, fresh.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_float32_storage_is_exact_and_float16_rounds(repo):
    m = _model()
    original = [v.numpy().copy() for v in m.weights]
    _save(m, dtype="float32")
    fresh = _model(name="tiny")
    trained.load(fresh, "tiny")
    np.testing.assert_array_equal(fresh.weights[0].numpy(), original[0])
    trained.quantize(m)
    assert not np.array_equal(m.weights[0].numpy(), original[0])
    np.testing.assert_allclose(m.weights[0].numpy(), original[0], rtol=1e-3)
    with pytest.raises(ValueError, match="stored as one of"):
        trained.quantize(m, "int8")


def test_a_changed_weights_file_is_refused_with_the_commands_that_restore_it(repo):
    _save(_model())
    path = trained.weights_path("tiny")
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DataError, match=r"differs from the committed one.*python tools/train_tiny.py"):
        trained.load(_model(), "tiny")
    path.unlink()
    with pytest.raises(DataError, match="is missing.*git checkout"):
        trained.load(_model(), "tiny")


def test_a_missing_card_names_the_card_and_the_known_weights(repo):
    with pytest.raises(DataError, match=r"card of the trained weights 'nothing'.*known: none"):
        trained.load(_model(), "nothing")


def test_weights_for_another_model_say_which_tensor_differs(repo):
    _save(_model(units=3))
    with pytest.raises(ValueError, match=r"tensor 0 .* has shape \(4, 3\).* has shape \(4, 5\)"):
        trained.load(_model(units=5), "tiny")
    inputs = keras.Input((4,))
    other = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    with pytest.raises(ValueError, match=r"hold 8 tensors but this model has 2.*'tiny'"):
        trained.load(other, "tiny")


def test_show_card_prints_what_a_learner_needs(repo, capsys):
    trained.show_card(_save(_model()))
    out = capsys.readouterr().out
    for text in (
        "tiny.weights.h5",
        "float16",
        "trained on",
        "loss 0.5 on none",
        "tools/train_tiny.py",
        "sha256",
    ):
        assert text in out


def test_variables_in_another_order_are_stored_and_loaded_in_that_order(repo):
    m = _model()
    order = list(reversed(m.weights))
    card = trained.save(
        m,
        "tiny",
        tool="python tools/train_tiny.py",
        data="nothing",
        epochs=1,
        seed=0,
        metric={"name": "loss", "value": 0.5, "split": "none"},
        licence="MIT",
        dtype="float32",
        variables=order,
    )
    assert card["tensors"] == len(order)
    fresh = _model()
    for v in fresh.weights:
        v.assign(np.zeros(v.shape, v.dtype))
    trained.load(fresh, "tiny", variables=list(reversed(fresh.weights)))
    for a, b in zip(m.weights, fresh.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError, match="tensor 0"):  # the default order does not fit this file
        trained.load(_model(), "tiny")

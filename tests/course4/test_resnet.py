"""ResNet-50 helpers: a graph order that ignores how the network was written, and the shipped weights."""

from __future__ import annotations

import json
import shutil

import keras
import numpy as np
import pytest

from shared_utils.course4 import resnet
from shared_utils.data import registry
from shared_utils.data.registry import DataError
from shared_utils.models import trained


def _block(shortcut_first: bool, relu_layer: bool = False, seed: int = 0, width: int = 4) -> keras.Model:
    """A small convolutional block, its Add's inputs in either order."""
    keras.utils.set_random_seed(seed)
    x_in = keras.Input((6, 6, 3))
    shortcut = keras.layers.BatchNormalization()(keras.layers.Conv2D(8, 1, strides=2)(x_in))
    x = keras.layers.Conv2D(width, 1, strides=2)(x_in)
    x = keras.layers.ReLU()(x) if relu_layer else keras.layers.Activation("relu")(x)
    x = keras.layers.BatchNormalization()(keras.layers.Conv2D(8, 3, padding="same")(x))
    joined = keras.layers.Add()([shortcut, x] if shortcut_first else [x, shortcut])
    return keras.Model(x_in, keras.layers.Activation("relu")(joined))


def _anonymous(description):
    return [{k: v for k, v in d.items() if k != "name"} for d in description]


def test_the_graph_order_does_not_depend_on_the_order_of_the_adds_inputs():
    a, b = _block(True), _block(False, relu_layer=True)
    assert [type(la).__name__ for la in a.layers] != [type(lb).__name__ for lb in b.layers]
    assert _anonymous(resnet.describe(a)) == _anonymous(resnet.describe(b))
    x = np.random.default_rng(0).normal(size=(2, 6, 6, 3)).astype("float32")
    resnet.transfer_weights(a, b)
    np.testing.assert_allclose(b(x).numpy(), a(x).numpy(), rtol=1e-6, atol=1e-6)
    assert [tuple(v.shape) for v in resnet.graph_weights(a)] == [
        tuple(v.shape) for v in resnet.graph_weights(b)
    ]


def test_transfer_refuses_another_network_naming_the_layer():
    x_in = keras.Input((6, 6, 3))
    other = keras.Model(x_in, keras.layers.Conv2D(5, 1)(x_in))
    with pytest.raises(ValueError, match="layers"):
        resnet.transfer_weights(_block(True), other)
    with pytest.raises(ValueError, match=r"layer 1 in graph order differs.*\(1, 1, 3, 5\)"):
        resnet.transfer_weights(_block(True), _block(True, width=5))


def _notebook_resnet():
    from tests.namespaces import solution_namespace

    return solution_namespace("course4_cnn/03_residual_networks")["ResNet50"]


@pytest.fixture(scope="module")
def shipped():
    """The solution's ResNet50 and Keras's, both with the shipped weights (built once)."""
    mine = _notebook_resnet()(input_shape=(64, 64, 3), classes=6)
    card = resnet.load_trained(mine)
    reference = resnet.reference_resnet50()
    trained.load(reference, resnet.WEIGHTS, variables=resnet.graph_weights(reference))
    return mine, reference, card


def test_the_shipped_weights_fit_the_notebooks_network_and_keras_s_alike(shipped):
    from shared_utils.data.handsigns import load_hand_signs

    mine, reference, card = shipped
    assert _anonymous(resnet.describe(mine)) == _anonymous(resnet.describe(reference))
    assert mine.count_params() == reference.count_params() == card["parameters"]
    data = load_hand_signs(progress=False)
    x = data.test_x.astype("float32") / 255.0
    p_mine = mine.predict(x, verbose=0)
    np.testing.assert_allclose(p_mine, reference.predict(x, verbose=0), rtol=1e-4, atol=1e-5)
    accuracy = float(np.mean(np.argmax(p_mine, axis=1) == data.test_y))
    assert accuracy == pytest.approx(card["metric"]["value"], abs=1 / 120)


def test_the_shipped_file_is_float16_under_50_mb_with_its_card():
    card = trained.card(resnet.WEIGHTS)
    path = registry.REPO_ROOT / card["file"]
    assert card["stored_as"] == "float16" and path.stat().st_size == card["size"] < 50e6
    assert registry.file_sha256(path) == card["sha256"]
    for field in ("data", "epochs", "seed", "metric", "tool"):
        assert card[field] not in (None, "")
    assert card["tool"].startswith("python tools/train_resnet50.py")


def _stand_in() -> keras.Model:
    x_in = keras.Input((64, 64, 3))
    return keras.Model(x_in, keras.layers.Dense(6)(keras.layers.GlobalAveragePooling2D()(x_in)))


def test_a_missing_or_corrupt_weights_file_names_it_and_the_command_that_restores_it(tmp_path, monkeypatch):
    weights_dir = tmp_path / registry.WEIGHTS_DIR
    weights_dir.mkdir(parents=True)
    shutil.copy(trained.card_path(resnet.WEIGHTS), weights_dir)
    card = json.loads(trained.card_path(resnet.WEIGHTS).read_text())
    monkeypatch.setattr(registry, "REPO_ROOT", tmp_path)
    registry.trained_weights.cache_clear()
    try:
        with pytest.raises(DataError, match=r"resnet50_handsigns\.weights\.h5 is missing.*git checkout"):
            resnet.load_trained(_stand_in())
        (tmp_path / card["file"]).write_bytes(b"not an HDF5 file")
        with pytest.raises(
            DataError, match=r"resnet50_handsigns\.weights\.h5.*python tools/train_resnet50.py"
        ):
            resnet.load_trained(_stand_in())
    finally:
        registry.trained_weights.cache_clear()


def test_a_model_of_another_shape_is_refused_plainly():
    x_in = keras.Input((32, 32, 3))
    small = keras.Model(x_in, keras.layers.Dense(6)(keras.layers.GlobalAveragePooling2D()(x_in)))
    with pytest.raises(ValueError, match=r"64x64x3 images and 6 classes.*takes \(32, 32, 3\)"):
        resnet.load_trained(small)

"""VGG16 conv stack with HED's weights: every conv layer holds the file's tensors, the layers
compute what tf.nn.conv2d computes with them, and a short style transfer lowers its cost."""

from __future__ import annotations

import numpy as np
import pytest

from tests.assets_testing import require

# the weights file's layout, written out here independently of vgg._h5_key
H5_KEYS = {
    "block1_conv1": "block1/layers/conv2d",
    "block1_conv2": "block1/layers/conv2d_1",
    "block2_conv1": "block2/layers/conv2d",
    "block2_conv2": "block2/layers/conv2d_1",
    "block3_conv1": "block3/layers/conv2d",
    "block3_conv2": "block3/layers/conv2d_1",
    "block3_conv3": "block3/layers/conv2d_2",
    "block4_conv1": "block4/layers/conv2d",
    "block4_conv2": "block4/layers/conv2d_1",
    "block4_conv3": "block4/layers/conv2d_2",
    "block5_conv1": "block5/layers/conv2d",
    "block5_conv2": "block5/layers/conv2d_1",
    "block5_conv3": "block5/layers/conv2d_2",
}


@pytest.fixture(scope="module")
def weights_file():
    return require("hed-vgg16.weights.h5")[0]


@pytest.fixture(scope="module")
def model(weights_file):
    from shared_utils.models.vgg import vgg16

    return vgg16()


def test_every_conv_layer_holds_the_files_tensors(model, weights_file):
    import h5py

    from shared_utils.models import vgg

    convs = [l for l in model.layers if l.name.endswith(tuple(f"conv{i}" for i in range(1, 4)))]
    assert [l.name for l in convs] == list(H5_KEYS)
    with h5py.File(weights_file, "r") as f:
        for layer in convs:
            kernel, bias = layer.get_weights()
            np.testing.assert_array_equal(kernel, f[H5_KEYS[layer.name] + "/vars/0"][()], err_msg=layer.name)
            np.testing.assert_array_equal(bias, f[H5_KEYS[layer.name] + "/vars/1"][()], err_msg=layer.name)
    assert vgg.tensors_checksum(model.get_weights()) == vgg.file_checksum()
    assert sum(w.size for w in model.get_weights()) == 14_714_688
    assert not model.trainable


def test_first_layer_computes_a_relu_convolution_with_the_file_weights(model, weights_file):
    import h5py
    import tensorflow as tf

    from shared_utils.data import samples
    from shared_utils.models import vgg

    img = samples.image("chelsea.jpg")[:48, :64]
    x = vgg.preprocess(img)[None]
    np.testing.assert_array_equal(vgg.deprocess(x[0]), img)
    with h5py.File(weights_file, "r") as f:
        k, b = f["block1/layers/conv2d/vars/0"][()], f["block1/layers/conv2d/vars/1"][()]
    expected = tf.nn.relu(tf.nn.conv2d(x, k, 1, "SAME") + b).numpy()
    feats = vgg.vgg16_features("block1_conv1")
    np.testing.assert_allclose(np.asarray(feats(x)), expected, rtol=1e-4, atol=1e-3)


def test_features_model_returns_the_chosen_layers(model):
    from shared_utils.models.vgg import vgg16_features

    f = vgg16_features(["block1_conv1", "block4_conv2"])
    a, b = f(np.zeros((1, 64, 96, 3), np.float32))
    assert a.shape == (1, 64, 96, 64) and b.shape == (1, 8, 12, 512)
    with pytest.raises(ValueError, match="no layer"):
        vgg16_features(["block6_conv1"])


def test_a_short_style_transfer_lowers_its_cost(model):
    from shared_utils.data import samples
    from shared_utils.models import vgg

    costs = vgg.style_transfer_smoke(
        samples.image("chelsea.jpg"), samples.image("starry_night.jpg"), size=64, steps=8
    )
    assert all(np.isfinite(costs))
    assert costs[-1] < 0.7 * costs[0], costs
    assert sum(b < a for a, b in zip(costs, costs[1:])) >= len(costs) - 2, costs

"""MobileNetV2 port: the Keras model with the SSDLite graph's weights equals the graph itself.

The reference is the frozen TensorFlow graph from the registry package, run as it is (imported
into a function); the port is ``keras.applications.MobileNetV2`` with copied constants.
Needs the asset ``ssdlite-mobilenetv2.pb``: skipped with the fetch command when it is missing,
except under CI (``CI`` set), where a missing asset fails.
"""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.models import mobilenet as mn
from tests.assets_testing import require

ASSET = "ssdlite-mobilenetv2.pb"


@pytest.fixture(scope="module")
def graph_file():
    return require(ASSET)[0]


@pytest.fixture(scope="module")
def backbone(graph_file):
    return mn.mobilenet_v2_backbone(file=graph_file)


def test_every_backbone_constant_is_used_once(graph_file, backbone):
    consts = mn.graph_constants(mn.read_graph_def(graph_file))
    # the backbone's variables: kernels and batch-norm statistics (not the SSD head's extras)
    wanted = {k for k in consts if k.split("/")[0] in ("Conv", "Conv_1") or k.startswith("expanded_conv")}
    wanted = {k for k in wanted if k.endswith(("weights", "gamma", "beta", "moving_mean", "moving_variance"))}
    weights = mn.backbone_weights(consts)
    used = sum(len(v) for v in weights.values())
    assert used == len(wanted) == 52 * 5  # 52 conv layers: a kernel and four BN arrays each
    assert len(backbone.weights) == used
    np.testing.assert_array_equal(backbone.get_layer("Conv1").get_weights()[0], consts["Conv/weights"])
    np.testing.assert_array_equal(
        backbone.get_layer("block_16_project_BN").get_weights()[3],
        consts["expanded_conv_16/project/BatchNorm/moving_variance"],
    )


def test_preprocessing_is_the_graphs_and_keras_own():
    import keras

    x = np.arange(256, dtype=np.float32).reshape(1, 16, 16, 1).repeat(3, -1)
    ours = mn.preprocess(x.astype(np.uint8))
    np.testing.assert_allclose(ours, keras.applications.mobilenet_v2.preprocess_input(x.copy()), atol=1e-6)
    assert ours.min() == -1.0 and ours.max() == 1.0


def test_feature_maps_equal_the_frozen_graph(graph_file, backbone):
    images = mn.sample_images(2, seed=3)
    diffs = mn.compare_with_graph(backbone, images, graph_file)
    assert backbone.output.shape[1:] == (10, 10, 1280)
    for name, diff in diffs.items():
        assert diff <= mn.TOLERANCE, f"{name}: Keras port differs from the graph by {diff:.3g}"


def test_odd_input_size_pads_like_the_graph(graph_file):
    """At 225 px the stride-2 layers see odd sizes: Keras' explicit padding must match SAME."""
    import tensorflow as tf

    x = mn.preprocess(mn.sample_images(1, size=225, seed=5))
    model = mn.mobilenet_v2_backbone(input_shape=(225, 225, 3), file=graph_file)
    fn = mn.graph_function(graph_file, fetches=("Conv_1/Relu6:0",), feed=mn.SCOPE + "MobilenetV2/input:0")
    want = np.asarray(fn(tf.constant(x))[0])
    got = np.asarray(model(x, training=False))
    assert got.shape == want.shape == (1, 8, 8, 1280)
    assert float(np.max(np.abs(got - want))) <= mn.TOLERANCE


def test_features_carry_information(backbone):
    """Real weights, not a blank model: different images give clearly different features."""
    a, b = (np.asarray(backbone(mn.preprocess(mn.sample_images(1, seed=s)))) for s in (7, 8))
    assert a.std() > 0.1 and float(np.abs(a - b).mean()) > 0.005  # measured 0.38, 0.015


def test_verifier_is_registered():
    from shared_utils.data import store as assets

    assert assets.VERIFIERS.get("mobilenet") is mn.verify

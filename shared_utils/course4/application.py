"""Helpers of course 4's notebook on Keras's Sequential and Functional APIs (02_convolution_application).

standardize(images)                   each picture to mean 0, variance 1 (float32), as
                                      tf.image.per_image_standardization does
dense_baseline(input_shape, name)     course 2's three-layer dense network (25-12-6) in Keras
show_feature_maps(model, image, ...)  the channels a layer computes for one picture
show_mistakes(images, labels, ...)    the pictures a model got wrong, with both labels
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np


def standardize(images: np.ndarray) -> np.ndarray:
    """(n, h, w, c) pictures -> float32, each with mean 0 and standard deviation 1.

    The same formula as ``tf.image.per_image_standardization``: the standard deviation is
    floored at ``1 / sqrt(h * w * c)``, so a flat picture does not divide by zero.
    """
    x = np.asarray(images, dtype=np.float32)
    axes = tuple(range(1, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    std = x.std(axis=axes, keepdims=True)
    floor = np.float32(1.0 / np.sqrt(np.prod(x.shape[1:])))
    return (x - mean) / np.maximum(std, floor)


def dense_baseline(
    input_shape: tuple[int, ...] = (64, 64, 3), n_classes: int = 6, name: str = "dense_25_12_6"
):
    """Course 2's network (its notebook 06_tensorflow) in Keras: the picture unrolled into one
    vector, then Dense 25 ReLU, Dense 12 ReLU, Dense ``n_classes`` softmax, with that notebook's
    Glorot-normal initialisation (seed 1)."""
    import keras

    glorot = keras.initializers.GlorotNormal(seed=1)
    dense = {"kernel_initializer": glorot, "bias_initializer": glorot}
    return keras.Sequential(
        [
            keras.Input(shape=input_shape, name=f"{name}_pixels"),
            keras.layers.Flatten(name=f"{name}_flatten"),
            keras.layers.Dense(25, activation="relu", name=f"{name}_hidden_1", **dense),
            keras.layers.Dense(12, activation="relu", name=f"{name}_hidden_2", **dense),
            keras.layers.Dense(n_classes, activation="softmax", name=f"{name}_softmax", **dense),
        ],
        name=name,
    )


def show_feature_maps(
    model,
    image: np.ndarray,
    layer_name: str,
    shown: np.ndarray | None = None,
    ncols: int = 8,
    title: str | None = None,
) -> plt.Figure:
    """The picture and the channels ``model``'s layer ``layer_name`` computes from it.

    ``image`` (h, w, c) is what the model takes (already scaled); ``shown`` the picture to
    draw beside the maps (default: ``image``, rescaled to [0, 1]).  Each map has its own
    colour scale (dark: low, bright: high).
    """
    import keras

    probe = keras.Model(inputs=model.input, outputs=model.get_layer(layer_name).output)
    maps = np.asarray(probe(image[None], training=False))[0]
    channels = maps.shape[-1]
    ncols = min(ncols, channels + 1)
    nrows = -(-(channels + 1) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.5 * ncols, 1.6 * nrows), squeeze=False)
    picture = image if shown is None else shown
    picture = np.asarray(picture, dtype=np.float32)
    span = float(picture.max() - picture.min()) or 1.0
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k == 0:
            ax.imshow((picture - picture.min()) / span)
            ax.set_title("input", fontsize=8)
        elif k <= channels:
            ax.imshow(maps[..., k - 1], cmap="magma")
            ax.set_title(f"channel {k - 1}", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def show_mistakes(
    images: np.ndarray,
    labels: np.ndarray,
    predicted: np.ndarray,
    classes: Sequence[str],
    limit: int = 16,
    ncols: int = 8,
    title: str | None = None,
) -> plt.Figure | None:
    """Up to ``limit`` pictures whose predicted class is not their label, titled "true -> predicted";
    None (and a line saying so) when there is no mistake."""
    wrong = np.flatnonzero(np.asarray(predicted) != np.asarray(labels))
    if wrong.size == 0:
        print("no mistakes on these pictures")
        return None
    shown = wrong[:limit]
    titles = [f"{classes[labels[i]]} -> {classes[predicted[i]]}" for i in shown]
    ncols = min(ncols, len(shown))
    nrows = -(-len(shown) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.6 * ncols, 1.8 * nrows), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k < len(shown):
            ax.imshow(images[shown[k]])
            ax.set_title(titles[k], fontsize=7, color="firebrick")
    fig.suptitle(
        title or f"{wrong.size} mistake(s) of {len(labels)}, {len(shown)} shown (true -> predicted)",
        fontsize=10,
    )
    fig.tight_layout()
    return fig

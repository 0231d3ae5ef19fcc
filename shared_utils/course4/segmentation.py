"""Semantic-segmentation helpers for Course 4 notebook 6 (U-Net on the driving scenes).

    reference_unet(input_size, n_filters, n_classes)
                                 the project's U-Net (the network the notebook builds and
                                 ``tools/train_unet.py`` trains): four contracting blocks, a
                                 bottleneck, four expanding blocks with skip connections, a 1x1
                                 softmax convolution
    prepare_images(images)       uint8 or float pictures -> float32 (n, 96, 128, 3) in [0, 1];
                                 other sizes resized (with a note), other modes refused
    predict_masks(model, images) the class of every pixel (n, h, w) uint8, in batches
    segmentation_scores(y_true, y_pred, n_classes)
                                 pixel accuracy, per-class IoU and pixel counts, mean IoU
    iou_table(scores, classes)   the per-class table, printed
    show_side_by_side(...)       image / true mask / predicted mask, one row per scene
    train(model, x, y, ...)      ``model.fit`` with one line per epoch and a heartbeat
    load_trained(model)          the shipped weights ``unet_driving`` (SHA-256 checked); the card

IoU of a class c: |true c AND predicted c| / |true c OR predicted c| over all pixels of the
set; the mean IoU averages the classes that occur in the truth or the prediction.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

from shared_utils.data import driving

WEIGHTS = "unet_driving"
INPUT_SIZE = (driving.HEIGHT, driving.WIDTH, 3)


def reference_unet(input_size: tuple = INPUT_SIZE, n_filters: int = 16, n_classes: int = 10) -> Any:
    """The U-Net of the notebook's table, untrained: a ``keras.Model`` (batch, h, w, 3) ->
    (batch, h, w, n_classes) softmax; h and w must be multiples of 16."""
    import keras

    L = keras.layers

    def convs(x, filters, dropout):
        for _ in range(2):
            x = L.Conv2D(filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(x)
        return L.Dropout(dropout)(x) if dropout > 0 else x

    inputs = keras.Input(tuple(input_size))
    skips, x = [], inputs
    for level, dropout in zip(range(4), (0.0, 0.0, 0.0, 0.3)):
        x = convs(x, n_filters * 2**level, dropout)
        skips.append(x)
        x = L.MaxPooling2D(2)(x)
    x = convs(x, n_filters * 16, 0.3)
    for level in (3, 2, 1, 0):
        x = L.Conv2DTranspose(n_filters * 2**level, 3, strides=2, padding="same")(x)
        x = L.Concatenate(axis=3)([x, skips[level]])
        x = convs(x, n_filters * 2**level, 0.0)
    x = L.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(x)
    outputs = L.Conv2D(n_classes, 1, padding="same", activation="softmax")(x)
    return keras.Model(inputs, outputs, name="unet")


def prepare_images(images: Any, size: tuple[int, int] = (driving.HEIGHT, driving.WIDTH)) -> np.ndarray:
    """Pictures as the network takes them: float32 (n, h, w, 3) in [0, 1].

    ``images``: one picture (h, w, 3) or a batch (n, h, w, 3), uint8 (0..255) or float in
    [0, 1], or a PIL image.  Pictures of another size are resized (bilinear) to ``size``, with
    a note; grey or RGBA pictures are refused with a message saying how to convert them.
    """
    from PIL import Image

    if isinstance(images, Image.Image):
        if images.mode != "RGB":
            raise ValueError(
                f"the picture is in mode {images.mode!r}; the network takes RGB pictures: pass "
                "image.convert('RGB')"
            )
        images = np.asarray(images)
    a = np.asarray(images)
    if a.ndim == 3:
        a = a[None]
    if a.ndim != 4 or a.shape[-1] != 3:
        hint = (
            "a grey picture (h, w) or (h, w, 1): repeat it on 3 channels with np.repeat(x[..., None], 3, -1)"
            if a.ndim in (2, 3) or (a.ndim == 4 and a.shape[-1] == 1)
            else "drop the alpha channel with x[..., :3]"
            if a.shape[-1:] == (4,)
            else "pass (h, w, 3) or (n, h, w, 3)"
        )
        raise ValueError(
            f"expected RGB pictures (h, w, 3) or (n, h, w, 3), got shape {np.shape(images)}: {hint}"
        )
    if a.dtype == np.uint8:
        x = a.astype(np.float32) / np.float32(255)
    elif a.dtype.kind == "f":
        if a.size and (np.nanmin(a) < 0 or np.nanmax(a) > 1 or np.isnan(a).any()):
            raise ValueError(
                f"float pictures should lie in [0, 1]; these run from {np.nanmin(a):g} to {np.nanmax(a):g}"
                " (divide uint8 pixels by 255, or pass the uint8 array itself)"
            )
        x = a.astype(np.float32)
    else:
        raise ValueError(f"pictures should be uint8 (0..255) or float in [0, 1], got dtype {a.dtype}")
    h, w = size
    if x.shape[1:3] != (h, w):
        print(
            f"note: resizing {x.shape[0]} picture(s) from {x.shape[1]}x{x.shape[2]} to {h}x{w}",
            file=sys.stderr,
        )
        x = np.stack(
            [
                np.asarray(
                    Image.fromarray(np.round(p * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR),
                    dtype=np.float32,
                )
                / np.float32(255)
                for p in x
            ]
        )
    return x


def predict_masks(model: Any, images: Any, batch_size: int = 16, progress: bool = False) -> np.ndarray:
    """The most probable class of every pixel: (n, h, w) uint8, from ``model`` (softmax output).
    ``progress``: a line every two seconds saying how many pictures are done."""
    x = prepare_images(images, tuple(model.inputs[0].shape[1:3]))
    out, last = [], time.monotonic()
    for i in range(0, len(x), batch_size):
        out.append(
            np.argmax(np.asarray(model(x[i : i + batch_size], training=False)), axis=-1).astype(np.uint8)
        )
        if progress and time.monotonic() - last >= 2:
            print(f"  {min(len(x), i + batch_size)} of {len(x)} pictures segmented", flush=True)
            last = time.monotonic()
    return np.concatenate(out) if out else np.zeros((0, *x.shape[1:3]), np.uint8)


def segmentation_scores(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> dict[str, Any]:
    """Pixel accuracy, IoU per class (NaN for a class in neither mask), pixels per class in the
    truth, and the mean IoU over the classes present; ``y_true`` and ``y_pred`` (n, h, w) ids."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"the masks differ in shape: true {y_true.shape}, predicted {y_pred.shape}")
    t = y_true.ravel().astype(np.int64)
    p = y_pred.ravel().astype(np.int64)
    confusion = np.bincount(t * n_classes + p, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
    inter = np.diag(confusion).astype(np.float64)
    union = confusion.sum(0) + confusion.sum(1) - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = np.where(union > 0, inter / union, np.nan)
    return {
        "pixel_accuracy": float(inter.sum() / max(1, t.size)),
        "iou": iou,
        "pixels": confusion.sum(1),
        "mean_iou": float(np.nanmean(iou)) if np.isfinite(iou).any() else float("nan"),
    }


def iou_table(scores: dict[str, Any], classes: tuple[str, ...] = driving.CLASSES) -> None:
    """Print the per-class IoU and the share of the pixels of each class, then the means."""
    total = max(1, int(np.sum(scores["pixels"])))
    width = max(len(c) for c in classes)
    print(f"{'class':<{width}}  {'pixels':>7}  {'IoU':>6}")
    for c, iou, n in zip(classes, scores["iou"], scores["pixels"]):
        shown = "   -  " if np.isnan(iou) else f"{iou:6.3f}"
        print(f"{c:<{width}}  {100 * n / total:6.2f}%  {shown}")
    print(f"{'mean IoU':<{width}}  {'':>7}  {scores['mean_iou']:6.3f}")
    print(f"{'pixel accuracy':<{width}}  {'':>7}  {scores['pixel_accuracy']:6.3f}")


def show_side_by_side(
    images: np.ndarray, true_masks: np.ndarray, predicted: np.ndarray, classes=driving.CLASSES
):
    """A figure: one row per scene, the picture, its true mask and the predicted mask; a legend
    of the palette.  Returns the figure."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    n = len(images)
    fig, axes = plt.subplots(n, 3, figsize=(9, 2.4 * n + 0.6), squeeze=False)
    for r in range(n):
        for ax, picture, title in zip(
            axes[r],
            (images[r], driving.colour_mask(true_masks[r]), driving.colour_mask(predicted[r])),
            ("image", "true mask", "predicted mask"),
        ):
            ax.imshow(picture, interpolation="nearest")
            ax.set_axis_off()
            if r == 0:
                ax.set_title(title)
    handles = [Patch(color=driving.PALETTE[k] / 255, label=c) for k, c in enumerate(classes)]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.6 / (2.4 * n + 0.6) + 0.03, 1, 1))
    return fig


def train(
    model: Any, x: np.ndarray, y: np.ndarray, epochs: int, batch_size: int = 16, seed: int = 0, **fit
) -> Any:
    """``model.fit(x, y)`` with a line first, one per epoch (loss, accuracy, seconds), a line with
    the loss every few seconds of an epoch and a dot every two seconds without any other line;
    ``model`` compiled already.  Returns the History."""
    import keras

    from shared_utils.common.progress import heartbeat

    keras.utils.set_random_seed(seed)
    steps = -(-len(x) // batch_size)
    print(f"training on {len(x)} scenes: {epochs} epoch(s) of {steps} steps of {batch_size}", flush=True)
    start = last = time.perf_counter()

    def line(epoch, logs):
        shown = ", ".join(f"{k} {v:.4f}" for k, v in logs.items())
        print(f"epoch {epoch + 1}/{epochs}: {shown} ({time.perf_counter() - start:.0f} s)", flush=True)

    def step(batch, logs):
        nonlocal last
        if time.perf_counter() - last >= 4 and batch + 1 < steps:
            print(f"  step {batch + 1}/{steps}: loss {logs['loss']:.4f}", flush=True)
            last = time.perf_counter()

    return model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
        callbacks=[heartbeat(), keras.callbacks.LambdaCallback(on_epoch_end=line, on_train_batch_end=step)],
        **fit,
    )


def weights_order(model: Any) -> list:
    """The model's variables layer by layer in the wiring's order (the shipped file's order)."""
    from shared_utils.models.trained import graph_weights

    return graph_weights(model)


def load_trained(model: Any) -> dict:
    """Load the shipped ``unet_driving`` weights into ``model`` (built like :func:`reference_unet`
    with the card's arguments); returns the card.  A missing or changed file raises
    :class:`~shared_utils.data.registry.DataError` naming it and the command that restores it."""
    from shared_utils.models import trained

    return trained.load(model, WEIGHTS, variables=weights_order(model))

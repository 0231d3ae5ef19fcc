"""Fashion-MNIST coats vs shirts (course 2) and shirts vs other tops (course 1): committed image sets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shared_utils.data.registry import FASHION_COAT_VS_SHIRT, FASHION_SHIRT_VS_TOPS, DataFile, verified_path


@dataclass(frozen=True)
class ImageSet:
    """A small binary image set: images (m, h, w) uint8 and labels (1, m)."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    classes: tuple[str, ...]


def load_fashion_coat_vs_shirt(path: Path | None = None) -> ImageSet:
    """Fashion-MNIST coats (label 0) versus shirts (label 1): 1000 train and 2000 test images.

    Images are 28x28 grey levels, uint8 in [0, 255], shape (m, 28, 28); labels have shape
    (1, m), as the from-scratch networks of course 1 expect.
    """
    return _load(FASHION_COAT_VS_SHIRT, path)


def load_fashion_shirt_vs_tops(path: Path | None = None) -> ImageSet:
    """Fashion-MNIST shirts (label 1) versus other tops (label 0: T-shirts/tops, pullovers and
    coats): 8000 train and 2000 test images, half of each split shirts.

    Shapes and types as :func:`load_fashion_coat_vs_shirt`; course 1 trains on them at 14x14
    (:func:`halve_resolution`).
    """
    return _load(FASHION_SHIRT_VS_TOPS, path)


def _load(entry: DataFile, path: Path | None) -> ImageSet:
    import h5py

    path = verified_path(entry, path)
    with h5py.File(path, "r") as f:
        arrays = {k: f[k][()] for k in ("train_x", "train_y", "test_x", "test_y")}
        classes = tuple(c.decode() for c in f["classes"][()])
    return ImageSet(
        arrays["train_x"],
        arrays["train_y"].reshape(1, -1),
        arrays["test_x"],
        arrays["test_y"].reshape(1, -1),
        classes,
    )


def halve_resolution(images: np.ndarray) -> np.ndarray:
    """(m, h, w) images to (m, h/2, w/2) float64: each pixel the mean of a 2x2 block, same scale.

    A 28x28 uint8 stack becomes 14x14 grey levels in [0, 255]; h and w must be even.
    """
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1] % 2 or images.shape[2] % 2:
        raise ValueError(
            f"halve_resolution expects a stack of images (m, h, w) with h and w even, got shape "
            f"{images.shape}"
        )
    m, h, w = images.shape
    return images.reshape(m, h // 2, 2, w // 2, 2).astype(np.float64).mean(axis=(2, 4))


def flatten_images(images: np.ndarray) -> np.ndarray:
    """(m, h, w[, c]) images to a (h*w*c, m) matrix of floats in [0, 1], one column per image."""
    # C-contiguous: a transposed view makes every later matrix product much slower
    return np.ascontiguousarray(images.reshape(images.shape[0], -1).T, dtype=np.float64) / 255.0

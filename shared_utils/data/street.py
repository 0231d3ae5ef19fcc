"""Street crops of course 4: 96 x 96 photos with and without a person, from OpenCV's ``vtest.avi``.

The committed file ``course4_cnn/data/street_people.h5`` is derived by
``tools/derive_street_crops.py`` (its docstring gives the labelling rule and the split by time);
:func:`load_street_people` checks its sha256 and reads it.  ``course4_cnn/data/street_clip.h5``,
80 frames of the same video for course 4's notebook 5 (``tools/derive_street_clip.py``), is read
by :func:`load_street_clip`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shared_utils.data.registry import STREET_CLIP, STREET_PEOPLE, verified_path


@dataclass(frozen=True)
class StreetCrops:
    """Crops of the street video: images (m, 96, 96, 3) uint8 RGB, labels (m,) uint8 (1 = person),
    the frame each crop comes from (m,), and the class names."""

    train_x: np.ndarray
    train_y: np.ndarray
    train_frame: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    test_frame: np.ndarray
    classes: tuple[str, ...]
    source: str
    licence: str


def load_street_people(path: Path | None = None) -> StreetCrops:
    """The street crops: training crops from the first part of the video, test crops from its
    last part, seconds later (no test crop is a near-copy of a training one); half of each split
    shows a person.

    A missing or altered file raises :class:`~shared_utils.data.registry.DataError` naming it and
    the commands that restore it.
    """
    import h5py

    path = verified_path(STREET_PEOPLE, path)
    with h5py.File(path, "r") as f:
        arrays = {
            k: f[k][()] for k in ("train_x", "train_y", "train_frame", "test_x", "test_y", "test_frame")
        }
        classes = tuple(c.decode() for c in f["classes"][()])
        source, licence = str(f.attrs["source"]), str(f.attrs["licence"])
    return StreetCrops(**arrays, classes=classes, source=source, licence=licence)


@dataclass(frozen=True)
class StreetClip:
    """Frames (n, H, W, 3) uint8 RGB of the street video, the index of each in ``vtest.avi``,
    and the speed the clip plays at (frames per second of the street)."""

    frames: np.ndarray
    source_frame: np.ndarray
    fps: float
    source: str
    licence: str


def load_street_clip(frames: int | None = None, path: Path | None = None) -> StreetClip:
    """The first ``frames`` frames (all 80 when None) of the street clip derived by
    ``tools/derive_street_clip.py``.

    A missing or altered file raises :class:`~shared_utils.data.registry.DataError` naming it and
    the commands that restore it.
    """
    import h5py
    from PIL import Image

    path = verified_path(STREET_CLIP, path)
    with h5py.File(path, "r") as f:
        jpeg, offsets = f["jpeg"][()], f["offsets"][()]
        source_frame = f["source_frame"][()]
        fps, source, licence = float(f.attrs["fps"]), str(f.attrs["source"]), str(f.attrs["licence"])
    n = len(source_frame)
    if frames is not None:
        if not 1 <= frames <= n:
            raise ValueError(f"the clip has {n} frames; frames={frames} must be between 1 and {n}")
        n = frames
    images = [
        np.asarray(Image.open(io.BytesIO(jpeg[offsets[i] : offsets[i + 1]].tobytes())).convert("RGB"))
        for i in range(n)
    ]
    return StreetClip(np.stack(images), source_frame[:n], fps, source, licence)

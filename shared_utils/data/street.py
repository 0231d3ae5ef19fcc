"""Street crops of course 4: 96 x 96 photos with and without a person, from OpenCV's ``vtest.avi``.

The committed file ``course4_cnn/data/street_people.h5`` is derived by
``tools/derive_street_crops.py`` (its docstring gives the labelling rule and the split by time);
:func:`load_street_people` checks its sha256 and reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shared_utils.data.registry import STREET_PEOPLE, verified_path


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

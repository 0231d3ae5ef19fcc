"""Real aligned face crops of course 4, notebook 7 (face recognition).

``course4_cnn/data/faces.h5`` holds 150 x 150 RGB crops of real photos, aligned once by dlib
(``tools/align_faces.py``, whose docstring names every photo and its licence): several people,
some of them in more than one photo taken at different times.  :func:`load_faces` checks the
file's sha256 and the sha256 of every crop, and decodes them.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shared_utils.data.registry import FACES, DataError, verified_path


@dataclass(frozen=True)
class FaceCrops:
    """Aligned crops (n, 150, 150, 3) uint8 RGB, and for each crop its name, the person it shows,
    the photo it was cut from and that photo's licence."""

    images: np.ndarray
    names: tuple[str, ...]
    people: tuple[str, ...]
    sources: tuple[str, ...]
    licences: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.names)

    def image(self, name: str) -> np.ndarray:
        """The crop called ``name`` (150, 150, 3)."""
        if name not in self.names:
            raise KeyError(f"no crop called {name!r}; the crops are {', '.join(self.names)}")
        return self.images[self.names.index(name)]


def load_faces(path: Path | None = None) -> FaceCrops:
    """The committed face crops.  A missing or altered file raises
    :class:`~shared_utils.data.registry.DataError` naming it and the commands that restore it."""
    import h5py
    from PIL import Image

    path = verified_path(FACES, path)
    with h5py.File(path, "r") as f:
        pngs = [bytes(row) for row in f["png"][()]]
        fields = {
            k: tuple(v.decode() for v in f[k][()]) for k in ("name", "person", "source", "licence", "sha256")
        }
    images = []
    for name, png, digest in zip(fields["name"], pngs, fields["sha256"]):
        if hashlib.sha256(png).hexdigest() != digest:
            raise DataError(
                f"the crop {name!r} in {path} does not match its sha256: rebuild with {FACES.tool}"
            )
        images.append(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")))
    return FaceCrops(
        images=np.stack(images),
        names=fields["name"],
        people=fields["person"],
        sources=fields["source"],
        licences=fields["licence"],
    )

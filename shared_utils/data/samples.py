"""Small committed sample files (shared_data/): street frames, photos, a painting, class names.

They are derived by ``tools/derive_asset_samples.py`` from Debian's opencv-doc examples and the
images bundled in the scikit-image and scikit-learn wheels; ``shared_data/manifest.json``
lists each file's origin, licence and SHA-256, and :mod:`shared_utils.data.registry` checks
the file against it each time it is loaded (a missing or changed file raises ``DataError``
naming the file, saying it differs from the committed one, with the ``git checkout`` command
that restores it; a truncated photo never reaches Pillow).

    from shared_utils.data import samples
    samples.names()                      # every sample file
    img = samples.image("messi5.jpg")    # RGB uint8 (H, W, 3)
    samples.coco_classes()[:3]           # ['person', 'bicycle', 'car']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shared_utils import REPO_ROOT
from shared_utils.data import registry
from shared_utils.data.registry import DataFile

ROOT = REPO_ROOT / "shared_data"


def manifest() -> dict[str, DataFile]:
    """``{bare file name: DataFile}`` of every sample (path, sha256, licence, source, tool)."""
    return registry.samples()


def names() -> list[str]:
    return list(manifest())


def path(name: str) -> Path:
    """Verified path of a sample, by its bare name (``"messi5.jpg"``) or its path under
    shared_data/ (``"images/messi5.jpg"``). Unknown names raise FileNotFoundError listing the
    samples; a missing or changed file raises :class:`~shared_utils.data.registry.DataError`."""
    entries = manifest()
    entry = entries.get(name) or next((e for e in entries.values() if e.path == f"shared_data/{name}"), None)
    if entry is None:
        raise FileNotFoundError(f"no sample called {name!r} in {ROOT}; samples: {', '.join(entries)}")
    return registry.verified_path(entry)


def image(name: str) -> np.ndarray:
    """A sample image as an RGB uint8 array (H, W, 3)."""
    from PIL import Image

    with Image.open(path(name)) as im:
        return np.asarray(im.convert("RGB"))


def frames() -> list[str]:
    """Names of the committed street frames (from OpenCV's vtest.avi), in time order."""
    return sorted(n for n, e in manifest().items() if e.path.startswith("shared_data/frames/"))


def coco_classes() -> list[str]:
    """The 80 COCO class names, in the order of YOLO's outputs (the file is checked on every
    call: a changed file raises :class:`~shared_utils.data.registry.DataError`)."""
    return [l for l in path("coco_classes.txt").read_text(encoding="utf-8").split("\n") if l]

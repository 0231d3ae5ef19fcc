"""Small committed sample files (shared_data/): street frames, photos, a painting, class names.

They are derived by ``tools/derive_asset_samples.py`` from Debian's opencv-doc examples and the
images bundled in the scikit-image and scikit-learn wheels; ``shared_data/manifest.json``
lists each file's origin, licence and SHA-256.

    from shared_utils.data import samples
    samples.names()                      # every sample file
    img = samples.image("messi5.jpg")    # RGB uint8 (H, W, 3)
    samples.coco_classes()[:3]           # ['person', 'bicycle', 'car']
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2] / "shared_data"
FOLDERS = ("images", "frames", "")


@lru_cache(maxsize=1)
def manifest() -> dict[str, dict]:
    """``{file name: {"path", "source", "licence", "sha256", "size", ...}}``."""
    return {e["name"]: e for e in json.loads((ROOT / "manifest.json").read_text())}


def names() -> list[str]:
    return list(manifest())


def path(name: str) -> Path:
    """Path of a sample file, by its bare name (``"messi5.jpg"``) or its path under shared_data/."""
    entry = manifest().get(name)
    if entry:
        return ROOT / entry["path"]
    p = ROOT / name
    if p.is_file():
        return p
    raise FileNotFoundError(f"no sample called {name!r} in {ROOT}; samples: {', '.join(names())}")


def image(name: str) -> np.ndarray:
    """A sample image as an RGB uint8 array (H, W, 3)."""
    from PIL import Image

    with Image.open(path(name)) as im:
        return np.asarray(im.convert("RGB"))


def frames() -> list[str]:
    """Names of the committed street frames (from OpenCV's vtest.avi), in time order."""
    return sorted(n for n, e in manifest().items() if e["path"].startswith("frames/"))


@lru_cache(maxsize=1)
def _coco() -> tuple[str, ...]:
    return tuple(l for l in path("coco_classes.txt").read_text(encoding="utf-8").split("\n") if l)


def coco_classes() -> list[str]:
    """The 80 COCO class names, in the order of YOLO's outputs."""
    return list(_coco())

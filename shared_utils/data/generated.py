"""What the seeded image generators share: their HDF5 cache and the drawing helpers.

A generated split (the hand signs, the happy faces, the driving scenes) is drawn once from
fixed seeds and kept in ``<asset cache>/generated/<name>.h5``: gzip HDF5 datasets, a
``sha256`` attribute over the arrays, written atomically.  Every read checks the checksum, then
the generator's own checks (shapes, labels, a few images drawn again); a file that fails is
drawn again and replaced, with a warning that says why.

    generated_path(name)                      where a split's cache file lives
    digest(arrays, keys)                      SHA-256 over each array's name, dtype, shape and bytes
    read_arrays(path, keys)                   the arrays of a cache file, checksum verified
    write_arrays(path, arrays, keys, attrs)   write one atomically, with its checksum
    write_split(path, data, version, seeds, source)  write a split's SPLIT_KEYS and class names
    load_cached(path, what, read, draw, write)  read, else draw (and write) with a warning

Drawing helpers (IEEE-exact arithmetic only, so a seed gives the same bytes on every machine
with the same NumPy and Pillow): :func:`sincos`, :func:`rad`, :func:`skin`, :func:`hsv`,
:func:`rgb8`, :func:`background` (a blurred room-like wall), :func:`blur`.
"""

from __future__ import annotations

import colorsys
import math
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from shared_utils.common.files import atomic_write
from shared_utils.data.registry import sha256

T = TypeVar("T")
SPLIT_KEYS = ("train_x", "train_y", "test_x", "test_y")  # the arrays of a train/test split

# ---------------------------------------------------------------------------------------------
# the cache
# ---------------------------------------------------------------------------------------------


def generated_path(name: str) -> Path:
    """The cache file ``<asset cache>/generated/<name>``."""
    from shared_utils.data.store import cache_dir

    return cache_dir() / "generated" / name


def digest(arrays: dict[str, np.ndarray], keys: tuple[str, ...]) -> str:
    """Content checksum: SHA-256 over each array's name, dtype, shape and bytes, in ``keys`` order."""

    def chunks():
        for key in keys:
            a = np.ascontiguousarray(arrays[key])
            yield f"{key}:{a.dtype.str}:{a.shape}".encode()
            yield a.data

    return sha256(chunks())


def read_arrays(path: Path, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The ``keys`` datasets of an HDF5 cache file; ValueError unless its sha256 attribute matches."""
    import h5py

    with h5py.File(path, "r") as f:
        arrays = {k: f[k][()] for k in keys}
        stored = f.attrs["sha256"]
        stored = stored.decode() if isinstance(stored, bytes) else str(stored)
    if digest(arrays, keys) != stored:
        raise ValueError("its sha256 does not match the arrays")
    return arrays


def write_arrays(
    path: Path,
    arrays: dict[str, np.ndarray],
    keys: tuple[str, ...],
    attrs: dict[str, Any],
    extra: dict[str, np.ndarray] | None = None,
) -> None:
    """Write ``arrays`` as gzip HDF5 with their checksum and ``attrs``, atomically (never half a
    file); ``extra`` datasets (e.g. class names) are stored but not covered by the checksum."""
    import h5py

    def write(tmp: Path) -> None:
        with h5py.File(tmp, "w") as f:
            for key in keys:
                f.create_dataset(key, data=arrays[key], compression="gzip", compression_opts=4)
            for key, a in (extra or {}).items():
                f.create_dataset(key, data=a)
            f.attrs["sha256"] = digest(arrays, keys)
            for key, value in attrs.items():
                f.attrs[key] = value

    atomic_write(path, write)


def write_split(
    path: Path, data: Any, generator_version: int, seeds: tuple[int, int], source: str, **attrs: Any
) -> None:
    """Write a split (``data`` has the :data:`SPLIT_KEYS` arrays and ``classes``, the class
    names) with :func:`write_arrays`: the generator's version, its two seeds, ``source`` and any
    other ``attrs`` as attributes, the class names beside the arrays."""
    meta = {
        "generator_version": generator_version,
        "seeds": np.array(seeds, np.int64),
        **attrs,
        "source": source,
    }
    arrays = {key: getattr(data, key) for key in SPLIT_KEYS}
    classes = {"classes": np.array([c.encode() for c in data.classes])}
    write_arrays(path, arrays, SPLIT_KEYS, meta, extra=classes)


def compare_with_generator(
    arrays: dict[str, np.ndarray],
    splits: tuple[tuple[str, int, int], ...],
    labels: Callable[[int, int], np.ndarray],
    spot_checks: list[tuple[str, int, int]],
    render_one: Callable[[int, int, int], np.ndarray],
    size: int = 64,
) -> None:
    """Raise ValueError unless ``arrays`` hold what a generator draws: the shapes of each
    ``(split, seed, n)`` of ``splits``, every label (``labels(n, seed)``), and the images of
    ``spot_checks`` (``(split, seed, index)``) drawn again with ``render_one(index, seed, label)``.
    This catches a file edited together with its checksum, or written by another NumPy, Pillow
    or generator."""
    drawn = {}
    for split, seed, n in splits:
        x, y = arrays[f"{split}_x"], arrays[f"{split}_y"]
        if x.shape != (n, size, size, 3) or x.dtype != np.uint8 or y.shape != (n,):
            expected = f"({n}, {size}, {size}, 3) uint8"
            raise ValueError(f"its {split} set is {x.shape} {x.dtype}, expected {expected}")
        drawn[split] = labels(n, seed)
        if not np.array_equal(y, drawn[split]):
            wrong = int(np.flatnonzero(y != drawn[split])[0])
            raise ValueError(f"label {wrong} of its {split} set differs from the generator's")
    for split, seed, i in spot_checks:
        if not np.array_equal(arrays[f"{split}_x"][i], render_one(i, seed, drawn[split][i])):
            raise ValueError(
                f"image {i} of its {split} set differs from the same image drawn again (the file was "
                "edited, or written by another version of NumPy, Pillow or this generator)"
            )


def load_cached(
    path: Path,
    what: str,
    read: Callable[[Path], T],
    draw: Callable[[str], T],
    write: Callable[[Path, T], None],
) -> T:
    """``read(path)`` where the file exists and passes; else ``draw(note)`` and ``write`` it.

    A file that fails ``read`` (unreadable, checksum, the generator's own checks) is drawn
    again with a warning naming ``what`` (e.g. "hand-sign") and why, and replaced only when
    the new one is complete; a file that cannot be written leaves the images in memory.
    """
    if path.exists():
        try:
            return read(path)
        except Exception as e:  # unreadable or corrupt: draw it again
            warnings.warn(
                f"the {what} cache {path} is unusable ({type(e).__name__}: {e}); "
                "drawing the images again and replacing it (the file is replaced only when complete)",
                stacklevel=3,
            )
    data = draw(f"; later loads read them from {path}")
    try:
        write(path, data)
    except OSError as e:
        print(
            f"note: could not write the {what} cache {path} ({e}); using the images in memory",
            file=sys.stderr,
        )
    return data


def progress_range(n: int, desc: str, progress: bool):
    """``range(n)``, with a ``tqdm.auto`` bar (a widget in Jupyter, text elsewhere) when asked."""
    if not progress:
        return range(n)
    from tqdm.auto import tqdm

    return tqdm(range(n), desc=desc, unit="img")


# ---------------------------------------------------------------------------------------------
# exact little helpers (no platform libm on anything that reaches a pixel)
# ---------------------------------------------------------------------------------------------

_TWO_PI = 2.0 * math.pi
_INV_FACT = [1.0 / math.factorial(k) for k in range(30)]


def sincos(angle: float) -> tuple[float, float]:
    """sin and cos from a fixed Taylor polynomial (same bits on every platform)."""
    x = angle - round(angle / _TWO_PI) * _TWO_PI
    x2 = x * x
    s = 0.0
    for k in range(27, 0, -2):
        s = s * x2 + (_INV_FACT[k] if (k // 2) % 2 == 0 else -_INV_FACT[k])
    c = 0.0
    for k in range(28, -1, -2):
        c = c * x2 + (_INV_FACT[k] if (k // 2) % 2 == 0 else -_INV_FACT[k])
    return s * x, c


def rad(deg: float) -> float:
    return deg * (math.pi / 180.0)


# skin tones from very light to very dark (sRGB), interpolated at random
SKIN = np.array(
    [
        [250, 219, 197],
        [240, 196, 170],
        [226, 174, 140],
        [205, 146, 110],
        [176, 118, 84],
        [141, 90, 62],
        [108, 68, 46],
        [78, 50, 36],
    ],
    dtype=np.float64,
)


def skin(rng: np.random.Generator) -> np.ndarray:
    """A skin tone (3,) in [0, 1], interpolated along the light-to-dark table, slightly varied."""
    t = rng.uniform(0, len(SKIN) - 1)
    k = min(int(t), len(SKIN) - 2)
    w = t - k
    base = SKIN[k] * (1 - w) + SKIN[k + 1] * w
    base = base * rng.uniform(0.96, 1.04) * np.array([1.0, rng.uniform(0.97, 1.02), rng.uniform(0.95, 1.03)])
    return np.clip(base / 255.0, 0.0, 1.0)


def hsv(rng: np.random.Generator, sat: tuple[float, float], val: tuple[float, float]) -> np.ndarray:
    """A colour (3,) in [0, 1] of random hue and saturation and value in the given ranges."""
    return np.array(colorsys.hsv_to_rgb(rng.uniform(), rng.uniform(*sat), rng.uniform(*val)))


def rgb8(c) -> tuple[int, int, int]:
    """A colour in [0, 1] as Pillow's 8-bit triple."""
    return tuple(int(min(255, max(0, round(float(x) * 255)))) for x in c)


def blur(a: np.ndarray, radius: float) -> np.ndarray:
    """Gaussian blur of a [0, 1] map (h, w) through Pillow's integer filter."""
    im = Image.fromarray(np.round(np.clip(a, 0, 1) * 255).astype(np.uint8))
    return np.asarray(im.filter(ImageFilter.GaussianBlur(radius)), dtype=np.float32) * np.float32(1 / 255)


def background(rng: np.random.Generator, size: int, skin_value: float) -> np.ndarray:
    """A blurred room-like backdrop: wall gradient, furniture, windows, texture. float32 (s, s, 3).

    The wall is lighter or darker than the skin (``skin_value``, HSV value), as when someone
    photographs a hand or a face against a wall chosen so that it shows."""
    U = rng.uniform
    f = np.float32
    gap = U(0.3, 0.55) * (1 if U() < 0.5 else -1)
    value = skin_value + gap
    if not 0.3 <= value <= 0.97:
        value = skin_value - gap
    value = min(0.97, max(0.3, value))
    if U() < 0.6:  # warm neutrals: white, cream, beige, grey
        wall = np.array(colorsys.hsv_to_rgb(U(0.04, 0.14), U(0.0, 0.25), value))
    else:
        wall = np.array(colorsys.hsv_to_rgb(U(), U(0.0, 0.2), value))
    wall2 = np.clip(wall * U(0.8, 1.1) + U(-0.04, 0.04, 3), 0, 1)
    s_, c_ = sincos(rad(U(-40, 40)))
    g = (np.arange(size, dtype=np.float32) + f(0.5)) * f(1 / size) - f(0.5)
    t = np.clip(f(0.5) + g[None, :] * f(s_) + g[:, None] * f(c_), f(0), f(1))[..., None]
    img = wall.astype(np.float32) * (f(1) - t) + wall2.astype(np.float32) * t
    im = Image.fromarray(np.round(img * f(255)).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    if U() < 0.4:  # a floor, a table top or a ceiling line across the room
        y = U(0.55, 1.0) * size if U() < 0.75 else U(0.0, 0.3) * size
        tilt = U(-0.15, 0.15) * size
        col = np.clip(wall * U(0.45, 1.1) + U(-0.08, 0.08, 3), 0, 1)
        if U() < 0.4:
            col = hsv(rng, (0.2, 0.6), (0.2, 0.6)) * np.array([1.0, 0.8, 0.6])  # wood
        top = y > size / 2
        edge = size if top else 0
        draw.polygon([(0, y - tilt), (size, y + tilt), (size, edge), (0, edge)], fill=rgb8(col))
    for _ in range(int(rng.integers(0, 3))):
        kind = U()
        if U() < 0.8:
            col = np.clip(wall * U(0.75, 1.12) + U(-0.04, 0.04, 3), 0, 1)
        else:
            col = hsv(rng, (0.05, 0.55), (0.15, 0.9))
        fill = rgb8(col)
        x0, y0 = U(-0.2, 1.0) * size, U(-0.2, 1.0) * size
        if kind < 0.45:  # furniture, doors, shelves, frames
            x1, y1 = x0 + U(0.1, 0.8) * size, y0 + U(0.05, 0.8) * size
            draw.rectangle([x0, y0, x1, y1], fill=fill)
        elif kind < 0.55:  # a bright window or screen
            x1, y1 = x0 + U(0.15, 0.5) * size, y0 + U(0.15, 0.5) * size
            draw.rectangle([x0, y0, x1, y1], fill=rgb8(np.clip(col * 0.25 + 0.78, 0, 1)))
        elif kind < 0.8:  # lamps, plants, balls
            r = U(0.05, 0.3) * size
            draw.ellipse([x0 - r, y0 - r, x0 + r, y0 + r * U(0.6, 1.4)], fill=fill)
        else:  # edges, cables, table legs
            x1, y1 = U(0, 1) * size, U(0, 1) * size
            draw.line([x0, y0, x1, y1], fill=fill, width=max(1, int(U(0.01, 0.1) * size)))
    im = im.filter(ImageFilter.GaussianBlur(U(1.2, 3.0) * size / 64))
    out = np.asarray(im, dtype=np.float32) * f(1 / 255)
    # texture: low-frequency blotches and a fine grain
    tex = Image.fromarray(rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)).resize((size, size), Image.BICUBIC)
    tex = (np.asarray(tex, dtype=np.float32) - f(127.5)) * f(1 / 127.5)
    tex = tex * f(0.35) + tex[..., :1] * f(0.65)  # mostly brightness, a little colour
    grain = rng.random((size, size, 1), dtype=np.float32) - f(0.5)
    return out * (f(1) + f(U(0.02, 0.1)) * tex) + f(U(0.0, 0.05)) * grain

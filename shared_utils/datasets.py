"""Datasets of the workbook: committed real data (verified by sha256) and seeded generators.

Committed files live in a course's ``data/`` folder; each has a tools/ script that derives
it and a sha256 recorded here.  A missing or corrupt file raises :class:`DataError` naming
the file and the command that restores it.  Nothing is downloaded.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import REPO_ROOT  # not from .notebooks: that would import jupytext into every notebook


class DataError(RuntimeError):
    """A data file is missing or does not match its recorded checksum."""


@dataclass(frozen=True)
class DataFile:
    path: str  # relative to the repository root
    sha256: str
    tool: str  # the command that derives it again
    licence: str


FASHION_COAT_VS_SHIRT = DataFile(
    path="course1_foundations/data/fashion_coat_vs_shirt.h5",
    sha256="bc4058769f17e07b4df1cb2fae0f6ea4d287d5c34874437ba4a33ce41c91468f",
    tool="apt-get install dataset-fashion-mnist && python tools/derive_fashion_pair.py",
    licence="MIT, (c) 2017 Zalando SE (Fashion-MNIST)",
)

_verified: set[Path] = set()


def verified_path(entry: DataFile, path: Path | None = None) -> Path:
    """The file's path after checking it exists and matches its sha256 (once per process)."""
    path = Path(path) if path is not None else REPO_ROOT / entry.path
    restore = (f"Restore it with `git checkout -- {entry.path}` (from the repository root), "
               f"or derive it again with `{entry.tool}`.")
    if not path.exists():
        raise DataError(f"data file {path} is missing. {restore}")
    if path in _verified:
        return path
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != entry.sha256:
        raise DataError(f"data file {path} is corrupt or was changed (sha256 {digest[:12]}..., "
                        f"expected {entry.sha256[:12]}...). {restore}")
    _verified.add(path)
    return path


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
    import h5py

    path = verified_path(FASHION_COAT_VS_SHIRT, path)
    with h5py.File(path, "r") as f:
        arrays = {k: f[k][()] for k in ("train_x", "train_y", "test_x", "test_y")}
        classes = tuple(c.decode() for c in f["classes"][()])
    return ImageSet(arrays["train_x"], arrays["train_y"].reshape(1, -1),
                    arrays["test_x"], arrays["test_y"].reshape(1, -1), classes)


def flatten_images(images: np.ndarray) -> np.ndarray:
    """(m, h, w[, c]) images to a (h*w*c, m) matrix of floats in [0, 1], one column per image."""
    # C-contiguous: a transposed view makes every later matrix product much slower
    return np.ascontiguousarray(images.reshape(images.shape[0], -1).T, dtype=np.float64) / 255.0


# ----- 2-D generators for the planar notebooks ---------------------------------------------

def make_flower(m: int = 400, petals: int = 4, noise: float = 0.2, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """A flower of ``petals`` petals in the plane, alternate petals of two classes.

    Returns X of shape (2, m) and Y of shape (1, m) with labels 0/1 (m/2 of each).  Points
    follow the rose curve r = a sin(k t) with noise on the angle and the radius, so no
    straight line separates the classes.
    """
    if m < 2 or m % 2:
        raise ValueError(f"m must be an even number of points >= 2, got {m}")
    rng = np.random.default_rng(seed)
    per_class = m // 2
    X = np.zeros((2, m))
    Y = np.zeros((1, m), dtype=np.uint8)
    radius = 4.0
    for label in (0, 1):
        idx = slice(label * per_class, (label + 1) * per_class)
        # each class sweeps half a turn; where r < 0 the point lands on the opposite side,
        # so the two half-turns interleave into alternating petals
        t = np.linspace(label * np.pi, (label + 1) * np.pi, per_class) + rng.normal(0, noise, per_class)
        r = radius * np.sin(petals * t) + rng.normal(0, noise, per_class)
        X[:, idx] = np.stack([r * np.sin(t), r * np.cos(t)])
        Y[0, idx] = label
    return X, Y


def make_2d(name: str, m: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Other 2-D two-class sets from scikit-learn: 'moons', 'circles', 'blobs'; X (2, m), Y (1, m)."""
    from sklearn import datasets as skd

    if name == "moons":
        X, y = skd.make_moons(n_samples=m, noise=0.2, random_state=seed)
    elif name == "circles":
        X, y = skd.make_circles(n_samples=m, noise=0.08, factor=0.5, random_state=seed)
    elif name == "blobs":
        X, y = skd.make_blobs(n_samples=m, centers=[[-1.5, -1], [1.5, 1], [-1, 2], [2, -2]], cluster_std=0.6,
                              random_state=seed)
        y = y % 2
    else:
        raise ValueError(f"unknown 2-D set {name!r}: choose 'moons', 'circles' or 'blobs'")
    return X.T.astype(np.float64), y.reshape(1, -1).astype(np.uint8)


# ----- keeper's long kicks: a 2-D set on a football pitch ----------------------------------

PITCH_LENGTH, PITCH_WIDTH = 10.5, 6.8  # in units of 10 m: a 105 m x 68 m pitch, centre spot at (0, 0)
# where the players stand when the keeper (own goal at x = -5.25) kicks long towards x > 0
KICK_TEAMMATES = np.array([[1.6, 0.0], [0.2, -1.6]])
KICK_OPPONENTS = np.array([[2.6, 0.8], [0.6, 1.4], [-0.4, -0.2]])


@dataclass(frozen=True)
class Split2D:
    """A 2-D two-class set split three ways: X_* of shape (2, m_*), Y_* of shape (1, m_*), floats 0./1."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_val: np.ndarray
    Y_val: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


def keeper_kick_probability(X: np.ndarray, reach: float = 0.1, slip: float = 0.05) -> np.ndarray:
    """P(a teammate wins the header) for landing points X (2, m); returns shape (1, m).

    The nearest player usually wins: the probability is a sigmoid of (distance to the nearest
    opponent - distance to the nearest teammate) / ``reach``, squeezed into [slip, 1 - slip]
    because anyone can misjudge a bounce.  Thresholding it at 0.5 is the best possible rule.
    """
    from scipy.special import expit

    points = np.asarray(X, dtype=np.float64).T[:, None, :]
    d_team = np.min(np.linalg.norm(points - KICK_TEAMMATES[None], axis=2), axis=1)
    d_opp = np.min(np.linalg.norm(points - KICK_OPPONENTS[None], axis=2), axis=1)
    p = expit((d_opp - d_team) / reach)
    return (slip + (1 - 2 * slip) * p).reshape(1, -1)


def make_keeper_kicks(m_train: int = 200, m_val: int = 200, m_test: int = 2000, seed: int = 1,
                      reach: float = 0.1, slip: float = 0.05) -> Split2D:
    """Where a goalkeeper's long kicks came down, and who won the header.

    Coordinates are in units of 10 m on a 105 m x 68 m pitch with the centre spot at (0, 0);
    the keeper kicks from the goal at x = -5.25 towards x > 0, aiming near (1, 0).  Label 1:
    a teammate headed the ball; label 0: an opponent did (see :func:`keeper_kick_probability`;
    near the players' borders and through slips, about 8% of labels go against the best rule).
    All m_train + m_val + m_test points are drawn from the same distribution with ``seed``,
    then split in that order.  Returns a :class:`Split2D`: X_* (2, m_*), Y_* (1, m_*).
    """
    if min(m_train, m_val, m_test) < 1:
        raise ValueError(f"every part needs at least one point, got {m_train}, {m_val}, {m_test}")
    rng = np.random.default_rng(seed)
    m = m_train + m_val + m_test
    X = np.stack([np.clip(rng.normal(1.0, 1.2, m), -PITCH_LENGTH / 2, PITCH_LENGTH / 2),
                  np.clip(rng.normal(0.0, 1.3, m), -PITCH_WIDTH / 2, PITCH_WIDTH / 2)])
    Y = (rng.random((1, m)) < keeper_kick_probability(X, reach, slip)).astype(np.float64)
    cuts = np.cumsum([m_train, m_val])
    parts = [(X[:, a:b], Y[:, a:b]) for a, b in zip([0, *cuts], [*cuts, m])]
    return Split2D(*(np.ascontiguousarray(arr) for part in parts for arr in part))

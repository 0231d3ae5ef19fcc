"""Seeded 2-D two-class generators: the flower, scikit-learn's moons/circles/blobs, the keeper's kicks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def make_flower(
    m: int = 400, petals: int = 4, noise: float = 0.2, seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
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
        X, y = skd.make_blobs(
            n_samples=m, centers=[[-1.5, -1], [1.5, 1], [-1, 2], [2, -2]], cluster_std=0.6, random_state=seed
        )
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


def make_keeper_kicks(
    m_train: int = 200,
    m_val: int = 200,
    m_test: int = 2000,
    seed: int = 1,
    reach: float = 0.1,
    slip: float = 0.05,
) -> Split2D:
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
    X = np.stack(
        [
            np.clip(rng.normal(1.0, 1.2, m), -PITCH_LENGTH / 2, PITCH_LENGTH / 2),
            np.clip(rng.normal(0.0, 1.3, m), -PITCH_WIDTH / 2, PITCH_WIDTH / 2),
        ]
    )
    Y = (rng.random((1, m)) < keeper_kick_probability(X, reach, slip)).astype(np.float64)
    cuts = np.cumsum([m_train, m_val])
    parts = [(X[:, a:b], Y[:, a:b]) for a, b in zip([0, *cuts], [*cuts, m])]
    return Split2D(*(np.ascontiguousarray(arr) for part in parts for arr in part))

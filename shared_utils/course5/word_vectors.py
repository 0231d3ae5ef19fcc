"""Figures and word lists of course 5's word-vector notebook: projections on a bias direction
before and after neutralizing, and equalized pairs around a neutralized word."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

# pairs whose difference points along the gender direction (averaged into g)
GENDER_PAIRS = [("man", "woman"), ("he", "she"), ("father", "mother"), ("boy", "girl"), ("king", "queen")]
NAMES = ["john", "paul", "james", "mary", "sarah", "linda"]
OCCUPATIONS = ["engineer", "doctor", "scientist", "pilot", "nurse", "teacher", "receptionist", "homemaker"]
# a : b :: c : answer, the answers the analogy is expected to find
ANALOGIES = [
    ("man", "woman", "king", "queen"),
    ("italy", "italian", "spain", "spanish"),
    ("france", "paris", "japan", "tokyo"),
    ("man", "woman", "boy", "girl"),
    ("small", "smaller", "large", "larger"),
    ("good", "better", "bad", "worse"),
    ("walk", "walked", "go", "went"),
    ("brother", "sister", "son", "daughter"),
    ("germany", "berlin", "russia", "moscow"),
    ("slow", "slowly", "quick", "quickly"),
]


def projection(vectors: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """The cosine of each row of ``vectors`` with ``direction`` (its signed share along it)."""
    vectors = np.atleast_2d(np.asarray(vectors, np.float64))
    d = np.asarray(direction, np.float64)
    return vectors @ d / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(d))


def projections(
    words: Sequence[str], before: np.ndarray, after: np.ndarray | None, direction: np.ndarray
) -> plt.Figure:
    """Horizontal bars: each word's cosine with ``direction`` before (and after) neutralizing."""
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(words) + 1.2))
    y = np.arange(len(words))
    height = 0.4 if after is not None else 0.7
    ax.barh(
        y - (height / 2 if after is not None else 0),
        projection(before, direction),
        height,
        color="#c77b30",
        label="before",
    )
    if after is not None:
        ax.barh(
            y + height / 2, projection(after, direction), height, color="#2b5d8a", label="after neutralizing"
        )
    ax.set_yticks(y, list(words))
    ax.invert_yaxis()
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_xlabel("cosine with g (negative: towards 'man', positive: towards 'woman')")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def equalized_pairs(distances: Mapping[str, tuple[float, float, float, float]], word: str) -> plt.Figure:
    """For each pair "a/b": the cosines of ``word`` with a and with b, before and after equalizing.

    ``distances[pair] = (cos_a_before, cos_b_before, cos_a_after, cos_b_after)``."""
    pairs = list(distances)
    fig, axes = plt.subplots(1, 2, figsize=(9, 0.45 * len(pairs) + 1.4), sharey=True, sharex=True)
    y = np.arange(len(pairs))
    for ax, offset, title in zip(axes, (0, 2), ("before equalizing", "after equalizing")):
        a = [distances[p][offset] for p in pairs]
        b = [distances[p][offset + 1] for p in pairs]
        ax.barh(y - 0.2, a, 0.4, color="#2b5d8a", label="first word")
        ax.barh(y + 0.2, b, 0.4, color="#c77b30", label="second word")
        ax.set_title(title)
        ax.set_xlabel(f"cosine with '{word}' (neutralized)")
    axes[0].set_yticks(y, pairs)
    axes[0].invert_yaxis()
    axes[1].legend(loc="lower left", bbox_to_anchor=(0, 1.08), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    return fig

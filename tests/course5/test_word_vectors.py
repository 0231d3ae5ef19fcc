"""The figures of course 5's word-vector notebook draw what they say."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from shared_utils.course5 import word_vectors  # noqa: E402


def test_projection_is_the_cosine_with_the_direction():
    got = word_vectors.projection(np.array([[1.0, 0.0], [1.0, 1.0], [0.0, -2.0]]), np.array([0.0, 3.0]))
    np.testing.assert_allclose(got, [0.0, np.sqrt(0.5), -1.0])


def test_projections_draws_two_bars_per_word():
    g = np.array([1.0, 0.0, 0.0])
    fig = word_vectors.projections(["a", "b"], np.eye(3)[:2], np.eye(3)[1:], g)
    assert len(fig.axes[0].patches) == 4
    plt.close(fig)


def test_equalized_pairs_two_panels():
    fig = word_vectors.equalized_pairs({"x/y": (0.1, 0.3, 0.2, 0.2)}, "w")
    assert [ax.get_title() for ax in fig.axes] == ["before equalizing", "after equalizing"]
    plt.close(fig)

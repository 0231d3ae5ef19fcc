"""The layout helper names a time axis in the wrong place and a cache of the wrong structure."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course5 import rnn_layout
from shared_utils.course5.rnn_params import random_parameters


@pytest.fixture
def params():
    return random_parameters("rnn", 3, 5, 2, seed=0)


def test_sequence_dims_of_the_notebooks_layout(params):
    assert rnn_layout.sequence_dims(np.zeros((3, 4, 7)), np.zeros((5, 4)), params) == (3, 4, 7, 5, 2)


def test_gated_cells_read_n_x_from_the_concatenation():
    p = random_parameters("lstm", 6, 2, 3, seed=0)
    assert rnn_layout.sizes(p) == (6, 2, 3)
    assert rnn_layout.sizes(random_parameters("gru", 1, 4, 2, seed=0)) == (1, 4, 2)


def test_keras_layout_is_named_with_the_transpose_that_fixes_it(params):
    with pytest.raises(ValueError, match=r"\(m, T_x, n_x\).*np.transpose\(x, \(2, 0, 1\)\)"):
        rnn_layout.sequence_dims(np.zeros((4, 7, 3)), np.zeros((5, 4)), params)


def test_features_on_the_wrong_axis_and_foreign_sizes(params):
    with pytest.raises(ValueError, match="its features are on axis 1"):
        rnn_layout.sequence_dims(np.zeros((4, 3, 7)), np.zeros((5, 4)), params)
    with pytest.raises(ValueError, match="n_x = 3 input features"):
        rnn_layout.sequence_dims(np.zeros((8, 4, 7)), np.zeros((5, 4)), params)
    with pytest.raises(ValueError, match="third axis for time"):
        rnn_layout.sequence_dims(np.zeros((3, 4)), np.zeros((5, 4)), params)


def test_transposed_initial_state(params):
    with pytest.raises(ValueError, match="it is transposed"):
        rnn_layout.sequence_dims(np.zeros((3, 4, 7)), np.zeros((4, 5)), params)


def test_unknown_parameters():
    with pytest.raises(KeyError, match="Wax, Waa, ba"):
        rnn_layout.cell_kind({"W1": np.zeros(1)})


def test_cell_cache_of_the_wrong_kind_or_length(params):
    rnn_cache = (np.zeros((5, 4)), np.zeros((5, 4)), np.zeros((3, 4)), params)
    assert rnn_layout.cell_cache(list(rnn_cache), "rnn") == rnn_cache
    with pytest.raises(ValueError, match="That is the length of a RNN cell's cache"):
        rnn_layout.cell_cache(rnn_cache, "lstm")
    with pytest.raises(ValueError, match="a whole sequence's caches"):
        rnn_layout.cell_cache(([rnn_cache], np.zeros((3, 4, 1))), "rnn")
    with pytest.raises(ValueError, match="should be the tuple"):
        rnn_layout.cell_cache(np.zeros(4), "rnn")


def test_sequence_caches(params):
    step = (np.zeros((5, 4)), np.zeros((5, 4)), np.zeros((3, 4)), params)
    x = np.zeros((3, 4, 2))
    steps, x_back = rnn_layout.sequence_caches(([step, step], x), "rnn")
    assert len(steps) == 2 and x_back is x
    with pytest.raises(ValueError, match="one cache per time step"):
        rnn_layout.sequence_caches(([step], x), "rnn")
    with pytest.raises(ValueError, match=r"the pair \(list_of_caches, x\)"):
        rnn_layout.sequence_caches([step, step], "rnn")

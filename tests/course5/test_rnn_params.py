"""Parameters of the recurrent cells: shapes, scales and Keras's initial values."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course5 import rnn_params


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_random_parameters_have_the_documented_shapes(kind):
    p = rnn_params.random_parameters(kind, 3, 5, 2, seed=0)
    assert {k: v.shape for k, v in p.items()} == rnn_params.shapes(kind, 3, 5, 2)
    again = rnn_params.random_parameters(kind, 3, 5, 2, seed=0)
    assert all(np.array_equal(p[k], again[k]) for k in p)


def test_unknown_kind():
    with pytest.raises(ValueError, match="kind must be"):
        rnn_params.shapes("transformer", 1, 1, 1)


def test_keras_initial_lstm_has_unit_forget_bias_and_orthogonal_recurrent_weights():
    p = rnn_params.keras_initial_parameters("lstm", 4, 6, 2, seed=0)
    assert p["Wf"].shape == (6, 10) and p["Wy"].shape == (2, 6)
    np.testing.assert_array_equal(p["bf"], np.ones((6, 1)))
    np.testing.assert_array_equal(p["bi"], np.zeros((6, 1)))
    # Keras draws one orthogonal matrix for all four recurrent blocks: (n_a, 4 n_a) with orthonormal rows
    recurrent = np.concatenate([p[f"W{g}"][:, :6].T for g in "ifco"], axis=1)
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(6), atol=1e-6)


def test_keras_initial_rnn():
    p = rnn_params.keras_initial_parameters("rnn", 4, 6, 2, seed=1)
    np.testing.assert_allclose(p["Waa"] @ p["Waa"].T, np.eye(6), atol=1e-6)
    assert set(p) == {"Wax", "Waa", "ba", "Wya", "by"}

"""The mapping of the notebook's recurrent cells onto Keras's layers is right, gate by gate."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from shared_utils.course5 import rnn_keras_map as km
from shared_utils.course5.rnn_params import random_parameters

N_X, N_A, N_Y, M, T = 3, 4, 2, 5, 6


def _reference(kind: str, p: dict, x: np.ndarray, a0: np.ndarray) -> np.ndarray:
    """The cells written out from their formulas (test-only): the hidden state at every step."""
    a, c, out = a0, np.zeros_like(a0), []
    for t in range(x.shape[2]):
        xt = x[:, :, t]
        if kind == "rnn":
            a = np.tanh(p["Waa"] @ a + p["Wax"] @ xt + p["ba"])
        else:
            s = np.concatenate([a, xt])
            if kind == "lstm":
                f, i, o = (expit(p[f"W{g}"] @ s + p[f"b{g}"]) for g in "fio")
                c = f * c + i * np.tanh(p["Wc"] @ s + p["bc"])
                a = o * np.tanh(c)
            else:
                r, u = expit(p["Wr"] @ s + p["br"]), expit(p["Wu"] @ s + p["bu"])
                a = u * np.tanh(p["Wc"] @ np.concatenate([r * a, xt]) + p["bc"]) + (1 - u) * a
        out.append(a)
    return np.stack(out, axis=2)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(N_X, M, T)), rng.normal(0, 0.5, (N_A, M))


@pytest.mark.parametrize("kind", km.KINDS)
def test_keras_layer_with_mapped_weights_computes_the_notebooks_cell(kind, data):
    x, a0 = data
    p = random_parameters(kind, N_X, N_A, N_Y, seed=1)
    got = km.forward(kind, x, a0, p)
    np.testing.assert_allclose(got["a"], _reference(kind, p, x, a0), rtol=1e-12, atol=1e-13)
    logits = np.einsum("ya,amt->ymt", p["Wya" if kind == "rnn" else "Wy"], got["a"]) + p["by"][:, :, None]
    e = np.exp(logits - logits.max(axis=0))
    np.testing.assert_allclose(got["y"], e / e.sum(axis=0), rtol=1e-12)


def test_lstm_blocks_are_in_keras_order_i_f_c_o():
    p = random_parameters("lstm", N_X, N_A, N_Y, seed=2)
    kernel, recurrent, bias = km.keras_weights("lstm", p)
    for j, gate in enumerate("ifco"):
        block = slice(j * N_A, (j + 1) * N_A)
        np.testing.assert_array_equal(kernel[:, block], p[f"W{gate}"][:, N_A:].T)
        np.testing.assert_array_equal(recurrent[:, block], p[f"W{gate}"][:, :N_A].T)
        np.testing.assert_array_equal(bias[block], p[f"b{gate}"].ravel())


def test_gru_update_block_is_negated_and_comes_first():
    p = random_parameters("gru", N_X, N_A, N_Y, seed=3)
    kernel, recurrent, bias = km.keras_weights("gru", p)
    np.testing.assert_array_equal(kernel[:, :N_A], -p["Wu"][:, N_A:].T)
    np.testing.assert_array_equal(bias[:N_A], -p["bu"].ravel())
    np.testing.assert_array_equal(recurrent[:, N_A : 2 * N_A], p["Wr"][:, :N_A].T)
    np.testing.assert_array_equal(recurrent[:, 2 * N_A :], p["Wc"][:, :N_A].T)


def test_gru_default_reset_after_is_another_function(data):
    import keras

    x, a0 = data
    p = random_parameters("gru", N_X, N_A, N_Y, seed=4)
    kernel, recurrent, bias = km.keras_weights("gru", p)
    layer = keras.layers.GRU(N_A, return_sequences=True, dtype="float64", name="test_default_gru")
    layer.build((None, None, N_X))
    layer.set_weights([kernel, recurrent, np.stack([bias, np.zeros_like(bias)])])
    after = km.from_keras(layer(km.to_keras(x), initial_state=a0.T))
    assert np.abs(after - _reference("gru", p, x, a0)).max() > 1e-3


@pytest.mark.parametrize("kind", km.KINDS)
def test_from_keras_weights_inverts_keras_weights(kind):
    p = random_parameters(kind, N_X, N_A, N_Y, seed=5)
    back = km.from_keras_weights(kind, km.keras_weights(kind, p))
    assert set(back) == {k for k in p if k not in km.OUTPUT[kind]}
    for k, v in back.items():
        np.testing.assert_array_equal(v, p[k])


def test_layouts_are_inverse():
    x = np.arange(24.0).reshape(2, 3, 4)
    assert km.to_keras(x).shape == (3, 4, 2)
    np.testing.assert_array_equal(km.from_keras(km.to_keras(x)), x)
    np.testing.assert_array_equal(km.to_keras(x)[1, 2], x[:, 1, 2])


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_gradients_match_finite_differences(kind, data):
    x, a0 = data
    x, a0 = x[:, :2, :3], a0[:, :2]
    p = random_parameters(kind, N_X, N_A, N_Y, seed=6)
    da = np.random.default_rng(7).normal(size=(N_A, 2, 3))
    grads = km.gradients(kind, x, a0, p, da)

    def loss(params, xs, a_init):
        return float(np.sum(_reference(kind, params, xs, a_init) * da))

    h = 1e-6
    name = "Waa" if kind == "rnn" else "Wf"
    for index in [(0, 0), (1, 2)]:
        plus, minus = dict(p), dict(p)
        plus[name], minus[name] = p[name].copy(), p[name].copy()
        plus[name][index] += h
        minus[name][index] -= h
        numeric = (loss(plus, x, a0) - loss(minus, x, a0)) / (2 * h)
        assert grads[f"d{name}"][index] == pytest.approx(numeric, rel=1e-6, abs=1e-9)
    xp, xm = x.copy(), x.copy()
    xp[1, 0, 0] += h
    xm[1, 0, 0] -= h
    assert grads["dx"][1, 0, 0] == pytest.approx(
        (loss(p, xp, a0) - loss(p, xm, a0)) / (2 * h), rel=1e-6, abs=1e-9
    )
    ap, am = a0.copy(), a0.copy()
    ap[2, 1] += h
    am[2, 1] -= h
    assert grads["da0"][2, 1] == pytest.approx(
        (loss(p, x, ap) - loss(p, x, am)) / (2 * h), rel=1e-6, abs=1e-9
    )


def test_lstm_gradients_of_the_last_memory_cell():
    rng = np.random.default_rng(8)
    p = random_parameters("lstm", N_X, N_A, N_Y, seed=9)
    x, a0, c0 = rng.normal(size=(N_X, 2, 1)), rng.normal(size=(N_A, 2)), rng.normal(size=(N_A, 2))
    dc = rng.normal(size=(N_A, 2))
    grads = km.gradients("lstm", x, a0, p, np.zeros((N_A, 2, 1)), c0=c0, dc_last=dc)
    # with no gradient through a, c_1 = f * c0 + i * cct gives dc0 = dc * f
    f = expit(p["Wf"] @ np.concatenate([a0, x[:, :, 0]]) + p["bf"])
    np.testing.assert_allclose(grads["dc0"], dc * f, rtol=1e-12)

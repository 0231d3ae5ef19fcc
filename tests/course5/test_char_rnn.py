"""The NumPy character-level RNN: its loss and gradients against TensorFlow, its helpers by example."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course5 import char_rnn


def _problem(seed: int, n_a: int = 6, vocab: int = 5, length: int = 7):
    rng = np.random.default_rng(seed)
    params = {
        k: rng.normal(0, 0.6, size=v.shape)
        for k, v in char_rnn.initialize_parameters(n_a, vocab, rng).items()
    }
    X = [0, *rng.integers(1, vocab, size=length - 1)]
    Y = [*X[1:], 0]
    a0 = rng.normal(0, 0.5, size=(n_a, 1))
    return params, X, Y, a0


def _tf_loss(params, X, Y, a0):
    import tensorflow as tf

    a, loss = a0, 0.0
    for x, y in zip(X, Y):
        onehot = tf.one_hot([x], params["Wax"].shape[1], dtype=tf.float64)
        a = tf.tanh(params["Wax"] @ tf.transpose(onehot) + params["Waa"] @ a + params["b"])
        logits = tf.transpose(params["Wya"] @ a + params["by"])
        loss += tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[y], logits=logits)[0]
    return loss


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_loss_and_gradients_match_gradient_tape(seed):
    import tensorflow as tf

    params, X, Y, a0 = _problem(seed)
    loss, cache = char_rnn.rnn_forward(X, Y, a0, params)
    grads = char_rnn.rnn_backward(params, cache)
    variables = {k: tf.Variable(v) for k, v in params.items()}
    a0_var = tf.Variable(a0)
    with tf.GradientTape() as tape:
        expected = _tf_loss(variables, X, Y, a0_var)
    tape_grads = tape.gradient(expected, [*variables.values(), a0_var])
    assert loss == pytest.approx(float(expected), rel=1e-10)
    for name, g in zip([*variables, "a0"], tape_grads):
        np.testing.assert_allclose(grads["d" + name], g.numpy(), rtol=1e-8, atol=1e-12, err_msg=name)
    assert cache[2].shape == (6, len(X) + 1) and cache[3].shape == (5, len(X))


def test_backward_matches_a_numerical_gradient():
    params, X, Y, a0 = _problem(3, n_a=3, vocab=4, length=4)
    grads = char_rnn.rnn_backward(params, char_rnn.rnn_forward(X, Y, a0, params)[1])
    h = 1e-6
    for name in char_rnn.PARAMETER_NAMES:
        numeric = np.zeros_like(params[name])
        for i in np.ndindex(params[name].shape):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[name][i] += h
            minus[name][i] -= h
            numeric[i] = (
                char_rnn.rnn_forward(X, Y, a0, plus)[0] - char_rnn.rnn_forward(X, Y, a0, minus)[0]
            ) / (2 * h)
        np.testing.assert_allclose(grads["d" + name], numeric, rtol=1e-5, atol=1e-8, err_msg=name)


def test_vocabulary_encode_decode():
    chars, char_to_ix, ix_to_char = char_rnn.vocabulary(["rex", "ab"])
    assert chars == ["\n", "a", "b", "e", "r", "x"] and char_to_ix["\n"] == 0 and ix_to_char[4] == "r"
    X, Y = char_rnn.encode("rex", char_to_ix)
    assert X == [0, 4, 3, 5] and Y == [4, 3, 5, 0]
    assert char_rnn.decode(Y, ix_to_char) == "rex"


def test_initial_parameters_update_and_smoothing():
    params = char_rnn.initialize_parameters(4, 7, np.random.default_rng(0))
    assert {k: v.shape for k, v in params.items()} == {
        "Wax": (4, 7),
        "Waa": (4, 4),
        "Wya": (7, 4),
        "b": (4, 1),
        "by": (7, 1),
    }
    assert 0.003 < params["Wax"].std() < 0.03 and not params["b"].any()
    grads = {"d" + k: np.ones_like(v) for k, v in params.items()}
    new = char_rnn.update_parameters(params, grads, 0.5)
    np.testing.assert_allclose(new["Waa"], params["Waa"] - 0.5)
    assert char_rnn.initial_loss(27, 2) == pytest.approx(2 * np.log(27))
    assert char_rnn.smooth(10.0, 20.0) == pytest.approx(10.01)


def test_softmax_columns_sum_to_one_even_for_large_logits():
    p = char_rnn.softmax(np.array([[1000.0, 0.0], [1000.0, 1.0]]))
    np.testing.assert_allclose(p, [[0.5, 1 / (1 + np.e)], [0.5, np.e / (1 + np.e)]])


def test_text_windows_read_every_character_after_newlines():
    _, char_to_ix, _ = char_rnn.vocabulary(["ab"])
    x, y = char_rnn.text_windows(["ab"], char_to_ix, window=2)
    assert x.tolist() == [[0, 0], [0, 1], [1, 2]] and y.tolist() == [1, 2, 0]


def test_temperature_sharpens_and_flattens():
    p = np.array([0.7, 0.2, 0.1])
    np.testing.assert_allclose(char_rnn.with_temperature(p, 1.0), p)
    assert char_rnn.with_temperature(p, 0.2)[0] > 0.99
    assert np.ptp(char_rnn.with_temperature(p, 50.0)) < 0.05


def test_generate_stops_at_newline_and_at_the_cap():
    _, char_to_ix, _ = char_rnn.vocabulary(["ab"])
    always_a = lambda x: np.tile([0.0, 1.0, 0.0], (len(x), 1))  # noqa: E731
    names = char_rnn.generate(always_a, char_to_ix, 3, np.random.default_rng(0), count=2, max_length=5)
    assert names == ["aaaaa", "aaaaa"]
    then_stop = lambda x: np.where((x[:, -1:] == 2), [1.0, 0.0, 0.0], [0.0, 0.0, 1.0])  # noqa: E731
    assert char_rnn.generate(then_stop, char_to_ix, 3, np.random.default_rng(0), count=1) == ["b"]


def test_generate_draws_with_the_tempered_probabilities():
    _, char_to_ix, _ = char_rnn.vocabulary(["ab"])
    p = np.array([0.2, 0.5, 0.3])
    fixed = lambda x: np.tile(p, (len(x), 1))  # noqa: E731
    for temperature in (1.0, 0.5):
        names = char_rnn.generate(
            fixed, char_to_ix, 2, np.random.default_rng(1), 4000, temperature, max_length=1
        )
        first = np.array([{"": 0, "a": 1, "b": 2}[n] for n in names])
        expected = char_rnn.with_temperature(p, temperature)
        np.testing.assert_allclose(np.bincount(first, minlength=3) / 4000, expected, atol=0.03)

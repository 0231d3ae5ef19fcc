"""shared_utils.course2.init_signal against Keras layers with copied weights, and the checks of
course 2, notebook 1 (c2_initialization) against Keras's own initializers: Keras's draws of the
distributions the notebook asks for pass the checks; Keras's truncated He normal does not."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from shared_utils.checks import c2_01_initialization as check  # noqa: E402
from shared_utils.course2 import init_signal  # noqa: E402
from shared_utils.engine.checking import CheckFailed  # noqa: E402

keras = pytest.importorskip("keras")


def _params(dims: list[int], seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.normal(0, 1 / np.sqrt(dims[l - 1]), (dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.normal(0, 0.3, (dims[l], 1))
    return params


# ----- the plain network ------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_plain_forward_matches_keras_dense_stack(activation):
    dims = [6, 5, 4, 3]
    params = _params(dims)
    X = np.random.default_rng(1).normal(size=(6, 9))
    got = init_signal.plain_forward(X, params, activation)
    assert [A.shape for A in got] == [(5, 9), (4, 9), (3, 9)]
    A = X.T
    for l in range(1, len(dims)):
        layer = keras.layers.Dense(dims[l], activation=activation, dtype="float64")
        layer.build((None, dims[l - 1]))
        layer.set_weights([params[f"W{l}"].T, params[f"b{l}"].ravel()])
        A = np.asarray(layer(A))
        np.testing.assert_allclose(got[l - 1], A.T, rtol=1e-12, atol=1e-12)


def test_plain_forward_rejects_an_unknown_activation():
    with pytest.raises(ValueError, match="unknown activation"):
        init_signal.plain_forward(np.zeros((2, 3)), _params([2, 2]), "sigmoid")


def test_layer_std_is_the_std_over_units_and_examples():
    acts = [np.array([[1.0, -1.0], [1.0, -1.0]]), np.zeros((3, 2)), np.array([[0.0, 2.0]])]
    np.testing.assert_allclose(init_signal.layer_std(acts), [1.0, 0.0, 1.0])


def test_plots_draw_one_line_per_initialization_and_one_panel_per_layer():
    stds = {
        "tanh": {"a": np.array([1.0, 0.5, 0.0]), "b": np.ones(3)},
        "relu": {"a": np.ones(3), "b": np.ones(3)},
    }
    fig = init_signal.plot_layer_std(stds)
    assert len(fig.axes) == 2 and all(len(ax.lines) == 2 for ax in fig.axes)
    assert np.all(np.isfinite(fig.axes[0].lines[0].get_ydata()))  # the zero std is drawn at the floor
    plt.close(fig)
    acts = {"a": [np.ones((4, 5))] * 3, "b": [np.zeros((4, 5))] * 3}
    fig = init_signal.plot_activation_histograms(acts, layers=(1, 3))
    assert len(fig.axes) == 4
    plt.close(fig)


# ----- the checks agree with Keras's initializers -------------------------------------------------


def _from_keras(make):
    """An initializer in the notebook's convention built from a Keras initializer factory.

    Keras kernels have shape (n_in, n_out); the notebook's W{l} is (n_l, n_{l-1}), the transpose.
    Each layer gets its own Keras seed, derived from the notebook's seed.
    """

    def initializer(layers_dims, seed=3):
        params = {}
        for l in range(1, len(layers_dims)):
            kernel = make(seed * 1000 + l)((layers_dims[l - 1], layers_dims[l]), dtype="float64")
            params[f"W{l}"] = np.asarray(kernel, dtype=np.float64).T
            params[f"b{l}"] = np.zeros((layers_dims[l], 1))
        return params

    return initializer


KERAS_EQUIVALENTS = {
    "initialize_parameters_random": lambda s: keras.initializers.RandomNormal(stddev=10.0, seed=s),
    "initialize_parameters_he": lambda s: keras.initializers.VarianceScaling(
        scale=2.0, mode="fan_in", distribution="untruncated_normal", seed=s
    ),
    "initialize_parameters_xavier": lambda s: keras.initializers.VarianceScaling(
        scale=1.0, mode="fan_avg", distribution="untruncated_normal", seed=s
    ),
}


@pytest.mark.parametrize("name", sorted(KERAS_EQUIVALENTS))
def test_keras_draws_of_the_same_distribution_pass_the_check(name):
    getattr(check, name)(_from_keras(KERAS_EQUIVALENTS[name]), extended=True, quiet=True)


def test_keras_orthogonal_passes_the_orthogonal_check():
    def orthogonal(layers_dims, gain=1.0, seed=3):
        params = {}
        for l in range(1, len(layers_dims)):
            init = keras.initializers.Orthogonal(gain=gain, seed=seed * 1000 + l)
            params[f"W{l}"] = np.asarray(init((layers_dims[l - 1], layers_dims[l]), dtype="float64")).T
            params[f"b{l}"] = np.zeros((layers_dims[l], 1))
        return params

    check.initialize_parameters_orthogonal(orthogonal, extended=True, quiet=True)


def test_keras_zeros_pass_the_zeros_check():
    def zeros(layers_dims):
        return {
            k: np.asarray(keras.initializers.Zeros()(shape, dtype="float64"))
            for l in range(1, len(layers_dims))
            for k, shape in ((f"W{l}", (layers_dims[l], layers_dims[l - 1])), (f"b{l}", (layers_dims[l], 1)))
        }

    check.initialize_parameters_zeros(zeros, extended=True, quiet=True)


def test_keras_truncated_he_normal_is_told_apart_from_the_plain_normal():
    truncated = _from_keras(lambda s: keras.initializers.HeNormal(seed=s))
    with pytest.raises(CheckFailed, match="not normally distributed"):
        check.initialize_parameters_he(truncated, extended=True, quiet=True)

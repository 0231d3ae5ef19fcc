"""Plausible mistakes for course2_tuning/01_initialization.

Each initializer must fail its check: wrong shapes, wrong bias shape, a forgotten last layer, a
hard-coded number of layers, nonzero biases, the wrong scale or fan, a uniform or truncated
draw instead of a normal one, an ignored seed, a generator re-created in every layer, and for
the orthogonal one a missing sign fix, a missing or squared gain and no QR at all.
"""

import numpy as np
from scipy import stats

# ----- helpers the wrong initializers share -------------------------------------------------


def _gaussian(layers_dims, scale, seed=3, transpose=False, bias=None, last=True, reseed=False):
    """randn-based initializer with a configurable mistake; scale(n_prev, n) -> std."""
    rng = np.random.default_rng(seed)
    parameters = {}
    L = len(layers_dims) - 1
    for l in range(1, L + 1 if last else L):
        if reseed:
            rng = np.random.default_rng(seed)
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        shape = (n_prev, n) if transpose else (n, n_prev)
        parameters[f"W{l}"] = rng.standard_normal(shape) * scale(n_prev, n)
        parameters[f"b{l}"] = np.zeros((n, 1)) if bias is None else bias(rng, n)
    return parameters


def _he(n_prev, n):
    return np.sqrt(2 / n_prev)


def _xavier(n_prev, n):
    return np.sqrt(2 / (n_prev + n))


# ----- zeros -----------------------------------------------------------------------------------


def zeros_flat_bias(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros(layers_dims[l])
    return parameters


def zeros_transposed(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l - 1], layers_dims[l]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def zeros_last_layer_forgotten(layers_dims):
    parameters = {}
    L = len(layers_dims) - 1
    for l in range(1, L):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def zeros_three_layers(layers_dims):
    parameters = {}
    for l in range(1, 4):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def zeros_int(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]), dtype=int)
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1), dtype=int)
    return parameters


def zeros_ones(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.ones((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


# ----- random ----------------------------------------------------------------------------------


def random_no_scale(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: 1.0, seed)


def random_small(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: 0.01, seed)


def random_uniform(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.random((layers_dims[l], layers_dims[l - 1])) * 10
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def random_random_biases(layers_dims, seed=3):
    return _gaussian(
        layers_dims, lambda n_prev, n: 10.0, seed, bias=lambda rng, n: rng.standard_normal((n, 1))
    )


def random_global_seed(layers_dims, seed=3):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def random_unseeded(layers_dims, seed=3):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def random_reseeded_per_layer(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: 10.0, seed, reseed=True)


def random_transposed(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: 10.0, seed, transpose=True)


# ----- He --------------------------------------------------------------------------------------


def he_sqrt_one_over_n(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: np.sqrt(1 / n_prev), seed)


def he_fan_out(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: np.sqrt(2 / n), seed)


def he_no_sqrt(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: 2 / n_prev, seed)


def he_no_scale(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: 1.0, seed)


def he_rand(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.random((layers_dims[l], layers_dims[l - 1])) * np.sqrt(
            2 / layers_dims[l - 1]
        )
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def he_uniform_same_variance(layers_dims, seed=3):
    """He *uniform* (Keras's HeUniform): the right variance, the wrong distribution."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        limit = np.sqrt(6 / layers_dims[l - 1])
        parameters[f"W{l}"] = rng.uniform(-limit, limit, (layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def he_truncated(layers_dims, seed=3):
    """Keras's HeNormal: truncated at two standard deviations, rescaled to the right variance."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        std = np.sqrt(2 / layers_dims[l - 1]) / 0.87962566103423978
        shape = (layers_dims[l], layers_dims[l - 1])
        parameters[f"W{l}"] = stats.truncnorm.rvs(-2, 2, scale=std, size=shape, random_state=rng)
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def he_last_layer_forgotten(layers_dims, seed=3):
    return _gaussian(layers_dims, _he, seed, last=False)


def he_three_layers(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, 4):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(
            2 / layers_dims[l - 1]
        )
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def he_flat_bias(layers_dims, seed=3):
    return _gaussian(layers_dims, _he, seed, bias=lambda rng, n: np.zeros(n))


def he_reseeded_per_layer(layers_dims, seed=3):
    return _gaussian(layers_dims, _he, seed, reseed=True)


def he_ignores_seed(layers_dims, seed=3):
    return _gaussian(layers_dims, _he, 3)


def he_transposed(layers_dims, seed=3):
    return _gaussian(layers_dims, _he, seed, transpose=True)


def he_bias_ones(layers_dims, seed=3):
    return _gaussian(layers_dims, _he, seed, bias=lambda rng, n: np.ones((n, 1)))


# ----- Xavier ----------------------------------------------------------------------------------


def xavier_lecun(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: np.sqrt(1 / n_prev), seed)


def xavier_numerator_one(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: np.sqrt(1 / (n_prev + n)), seed)


def xavier_he(layers_dims, seed=3):
    return _gaussian(layers_dims, _he, seed)


def xavier_parentheses(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: np.sqrt(2 / n_prev + n), seed)


def xavier_uniform(layers_dims, seed=3):
    """Glorot *uniform*: the same variance, the wrong distribution."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        limit = np.sqrt(6 / (layers_dims[l - 1] + layers_dims[l]))
        parameters[f"W{l}"] = rng.uniform(-limit, limit, (layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def xavier_uniform_limit_as_std(layers_dims, seed=3):
    return _gaussian(layers_dims, lambda n_prev, n: np.sqrt(6 / (n_prev + n)), seed)


def xavier_last_layer_forgotten(layers_dims, seed=3):
    return _gaussian(layers_dims, _xavier, seed, last=False)


def xavier_transposed(layers_dims, seed=3):
    return _gaussian(layers_dims, _xavier, seed, transpose=True)


# ----- orthogonal ------------------------------------------------------------------------------


def _orthogonal(
    layers_dims,
    gain=1.0,
    seed=3,
    sign_fix=True,
    gain_power=1,
    use="Q",
    transpose=True,
    bias_value=0.0,
    reseed=False,
):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        if reseed:
            rng = np.random.default_rng(seed)
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        A = rng.standard_normal((max(n, n_prev), min(n, n_prev)))
        Q, R = np.linalg.qr(A)
        if sign_fix:
            Q = Q * np.sign(np.diag(R))
        M = {"Q": Q, "A": A, "R": R}[use]
        if transpose and n < n_prev:
            M = M.T
        parameters[f"W{l}"] = gain**gain_power * M
        parameters[f"b{l}"] = np.full((n, 1), bias_value)
    return parameters


def orthogonal_no_sign_fix(layers_dims, gain=1.0, seed=3):
    return _orthogonal(layers_dims, gain, seed, sign_fix=False)


def orthogonal_no_gain(layers_dims, gain=1.0, seed=3):
    return _orthogonal(layers_dims, gain, seed, gain_power=0)


def orthogonal_gain_squared(layers_dims, gain=1.0, seed=3):
    return _orthogonal(layers_dims, gain, seed, gain_power=2)


def orthogonal_no_qr(layers_dims, gain=1.0, seed=3):
    return _orthogonal(layers_dims, gain, seed, use="A")


def orthogonal_no_transpose(layers_dims, gain=1.0, seed=3):
    return _orthogonal(layers_dims, gain, seed, transpose=False)


def orthogonal_bias_ones(layers_dims, gain=1.0, seed=3):
    return _orthogonal(layers_dims, gain, seed, bias_value=1.0)


def orthogonal_reseeded_per_layer(layers_dims, gain=1.0, seed=3):
    return _orthogonal(layers_dims, gain, seed, reseed=True)


def orthogonal_qr_of_wide(layers_dims, gain=1.0, seed=3):
    """QR straight of an (n_l, n_{l-1}) Gaussian matrix: Q is square, the wrong shape when n_l < n_{l-1}."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        Q, R = np.linalg.qr(rng.standard_normal((layers_dims[l], layers_dims[l - 1])))
        parameters[f"W{l}"] = gain * Q * np.sign(np.diag(R))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def orthogonal_ignores_seed(layers_dims, gain=1.0, seed=3):
    return _orthogonal(layers_dims, gain, 3)


WRONG = {
    "initialize_parameters_zeros": [
        zeros_flat_bias,
        zeros_transposed,
        zeros_last_layer_forgotten,
        zeros_three_layers,
        zeros_int,
        zeros_ones,
    ],
    "initialize_parameters_random": [
        random_no_scale,
        random_small,
        random_uniform,
        random_random_biases,
        random_global_seed,
        random_unseeded,
        random_reseeded_per_layer,
        random_transposed,
    ],
    "initialize_parameters_he": [
        he_sqrt_one_over_n,
        he_fan_out,
        he_no_sqrt,
        he_no_scale,
        he_rand,
        he_uniform_same_variance,
        he_truncated,
        he_last_layer_forgotten,
        he_three_layers,
        he_flat_bias,
        he_reseeded_per_layer,
        he_ignores_seed,
        he_transposed,
        he_bias_ones,
    ],
    "initialize_parameters_xavier": [
        xavier_lecun,
        xavier_numerator_one,
        xavier_he,
        xavier_parentheses,
        xavier_uniform,
        xavier_uniform_limit_as_std,
        xavier_last_layer_forgotten,
        xavier_transposed,
    ],
    "initialize_parameters_orthogonal": [
        orthogonal_no_sign_fix,
        orthogonal_no_gain,
        orthogonal_gain_squared,
        orthogonal_no_qr,
        orthogonal_no_transpose,
        orthogonal_bias_ones,
        orthogonal_reseeded_per_layer,
        orthogonal_qr_of_wide,
        orthogonal_ignores_seed,
    ],
}

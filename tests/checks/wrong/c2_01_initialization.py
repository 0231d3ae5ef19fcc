"""Plausible mistakes for course2_tuning/01_initialization.

Each initializer must fail its check: wrong shapes, wrong bias shape, a forgotten last layer, a
hard-coded number of layers, nonzero biases, the wrong scale or fan, a uniform or truncated
draw instead of a normal one, an ignored seed, a generator re-created in every layer, and for
the orthogonal one a missing sign fix, a missing or squared gain and no QR at all.
"""

import numpy as np
from scipy import stats

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# ----- helpers the wrong initializers share -------------------------------------------------


# ----- zeros -----------------------------------------------------------------------------------


edit = wrong.edits("initialize_parameters_zeros")
edit(
    "zeros_flat_bias",
    "np.zeros((layers_dims[l], 1))",
    "np.zeros(layers_dims[l])",
    expect="b must be a column: np.zeros((layers_dims[l], 1))",
)
edit(
    "zeros_transposed",
    "np.zeros((layers_dims[l], layers_dims[l - 1]))",
    "np.zeros((layers_dims[l - 1], layers_dims[l]))",
    expect="W is transposed: its rows are the units of layer l",
)
edit("zeros_last_layer_forgotten", "range(1, L + 1)", "range(1, L)", expect="Loop over l in range(1")
edit("zeros_three_layers", "range(1, L + 1)", "range(1, 4)", expect="your code raised IndexError")
edit(
    "zeros_int",
    [
        ("layers_dims[l - 1]))", "layers_dims[l - 1]), dtype=int)"),
        ("np.zeros((layers_dims[l], 1))", "np.zeros((layers_dims[l], 1), dtype=int)"),
    ],
    expect="np.zeros and the random generators give floats",
)
edit(
    "zeros_ones",
    "np.zeros((layers_dims[l], layers_dims[l - 1]))",
    "np.ones((layers_dims[l], layers_dims[l - 1]))",
    expect="W must be zeros, np.zeros(shape), not ones",
)


# ----- random ----------------------------------------------------------------------------------


edit = wrong.edits("initialize_parameters_random")
edit("random_no_scale", " * 10", "", expect="The standard deviation is 1")
edit("random_small", " * 10", " * 0.01", expect="Multiply by 10, not by 0.01")
edit("random_shifted", " * 10", " + 10", expect="has the wrong mean: ")  # N(10, 1): the mean, not rand
edit(
    "random_uniform",
    "rng.standard_normal(",
    "rng.random(",
    expect="np.random.rand / rng.random draw from [0, 1)",
)
edit(
    "random_random_biases",
    "np.zeros((layers_dims[l], 1))",
    "rng.standard_normal((layers_dims[l], 1))",
    expect="Only the weights are random",
)
edit(
    "random_global_seed",
    [
        ("rng = np.random.default_rng(seed)", "np.random.seed(3)"),
        (
            "rng.standard_normal((layers_dims[l], layers_dims[l - 1]))",
            "np.random.randn(layers_dims[l], layers_dims[l - 1])",
        ),
    ],
    expect="Use the argument: np.random.default_rng(seed)",
)
edit(
    "random_unseeded",
    [
        ("    rng = np.random.default_rng(seed)\n", ""),
        (
            "rng.standard_normal((layers_dims[l], layers_dims[l - 1]))",
            "np.random.randn(layers_dims[l], layers_dims[l - 1])",
        ),
    ],
    expect="Create the generator once, at the top: rng = np",
)
edit(
    "random_reseeded_per_layer",
    "for l in range(1, L + 1):\n",
    "for l in range(1, L + 1):\n        rng = np.random.default_rng(seed)\n",
    expect="Create the generator once, before the loop",
)
edit(
    "random_transposed",
    "standard_normal((layers_dims[l], layers_dims[l - 1]))",
    "standard_normal((layers_dims[l - 1], layers_dims[l]))",
    expect="W is transposed: its rows are the units of layer l",
)


# ----- He --------------------------------------------------------------------------------------


edit = wrong.edits("initialize_parameters_he")
edit(
    "he_sqrt_one_over_n",
    "np.sqrt(2 / layers_dims[l - 1])",
    "np.sqrt(1 / layers_dims[l - 1])",
    expect="He uses sqrt(2 / n_{l-1}), not sqrt(1 / n_{l-1})",
)
edit(
    "he_fan_out",
    "np.sqrt(2 / layers_dims[l - 1])",
    "np.sqrt(2 / layers_dims[l])",
    expect="Use the number of inputs of the layer",
)
edit("he_no_sqrt", "np.sqrt(2 / layers_dims[l - 1])", "2 / layers_dims[l - 1]", expect="Take the square root")
edit("he_no_scale", " * scale", "", expect="The weights have standard deviation 1")
edit("he_rand", "rng.standard_normal(", "rng.random(", expect="np.random.rand / rng.random draw from [0, 1)")
edit(
    "he_uniform_same_variance",
    [
        ("scale = np.sqrt(2 /", "limit = np.sqrt(6 /"),
        (
            "rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * scale",
            "rng.uniform(-limit, limit, (layers_dims[l], layers_dims[l - 1]))",
        ),
    ],
    expect="The weights look uniformly distributed: use rng",
)


@wrong("initialize_parameters_he", expect="No weight is far out in the tails")
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


edit("he_last_layer_forgotten", "range(1, L + 1)", "range(1, L)", expect="Loop over l in range(1")
edit("he_three_layers", "range(1, L + 1)", "range(1, 4)", expect="your code raised IndexError")
edit(
    "he_flat_bias",
    "np.zeros((layers_dims[l], 1))",
    "np.zeros(layers_dims[l])",
    expect="b must be a column: np.zeros((layers_dims[l], 1))",
)
edit(
    "he_reseeded_per_layer",
    "for l in range(1, L + 1):\n",
    "for l in range(1, L + 1):\n        rng = np.random.default_rng(seed)\n",
    expect="Create the generator once, before the loop",
)
edit(
    "he_ignores_seed",
    "default_rng(seed)",
    "default_rng(3)",
    expect="Use the argument: np.random.default_rng(seed)",
)
edit(
    "he_transposed",
    "standard_normal((layers_dims[l], layers_dims[l - 1]))",
    "standard_normal((layers_dims[l - 1], layers_dims[l]))",
    expect="W is transposed: its rows are the units of layer l",
)
edit(
    "he_bias_ones",
    "np.zeros((layers_dims[l], 1))",
    "np.ones((layers_dims[l], 1))",
    expect="Only the weights are random",
)


# ----- Xavier ----------------------------------------------------------------------------------


edit = wrong.edits("initialize_parameters_xavier")
edit(
    "xavier_lecun",
    "np.sqrt(2 / (layers_dims[l - 1] + layers_dims[l]))",
    "np.sqrt(1 / layers_dims[l - 1])",
    expect="That is the 1 / n_{l-1} variant (LeCun's)",
)
edit(
    "xavier_numerator_one",
    "np.sqrt(2 / (",
    "np.sqrt(1 / (",
    expect="The numerator is 2: sqrt(2 / (n_{l-1} + n_l))",
)
edit(
    "xavier_he",
    "np.sqrt(2 / (layers_dims[l - 1] + layers_dims[l]))",
    "np.sqrt(2 / layers_dims[l - 1])",
    expect="That is He's sqrt(2 / n_{l-1})",
)
edit(
    "xavier_parentheses",
    "np.sqrt(2 / (layers_dims[l - 1] + layers_dims[l]))",
    "np.sqrt(2 / layers_dims[l - 1] + layers_dims[l])",
    expect="Add the fans before dividing",
)
edit(
    "xavier_uniform",
    [
        ("scale = np.sqrt(2 /", "limit = np.sqrt(6 /"),
        (
            "rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * scale",
            "rng.uniform(-limit, limit, (layers_dims[l], layers_dims[l - 1]))",
        ),
    ],
    expect="The weights look uniformly distributed: use rng",
)
edit(
    "xavier_uniform_limit_as_std",
    "np.sqrt(2 / (",
    "np.sqrt(6 / (",
    expect="That is the limit of Glorot's *uniform*",
)
edit("xavier_last_layer_forgotten", "range(1, L + 1)", "range(1, L)", expect="Loop over l in range(1")
edit(
    "xavier_transposed",
    "standard_normal((layers_dims[l], layers_dims[l - 1]))",
    "standard_normal((layers_dims[l - 1], layers_dims[l]))",
    expect="W is transposed: its rows are the units of layer l",
)


# ----- orthogonal ------------------------------------------------------------------------------


edit = wrong.edits("initialize_parameters_orthogonal")
edit(
    "orthogonal_no_sign_fix",
    "        Q = Q * np.sign(np.diag(R))\n",
    "",
    expect="Fix the signs after the QR: Q = Q * np.sign(np",
)
edit("orthogonal_no_gain", "gain * Q", "Q", expect="W^T W is the identity")
edit(
    "orthogonal_gain_squared",
    "gain * Q",
    "gain**2 * Q",
    expect="Multiply by gain, not by gain ** 2 (the Gram",
)
edit(
    "orthogonal_no_qr",
    "Q, R = np.linalg.qr(A)",
    "Q, R = A, np.eye(A.shape[1])",
    expect="W is not orthogonal: draw a Gaussian matrix A",
)
edit(
    "orthogonal_no_transpose",
    "        if n < n_prev:\n            Q = Q.T\n",
    "",
    expect="W is transposed: its rows are the units of layer l",
)
edit("orthogonal_bias_ones", "np.zeros((n, 1))", "np.ones((n, 1))", expect="Only the weights are random")
edit(
    "orthogonal_reseeded_per_layer",
    "for l in range(1, L + 1):\n",
    "for l in range(1, L + 1):\n        rng = np.random.default_rng(seed)\n",
    expect="Create the generator once, before the loop",
)


@wrong("initialize_parameters_orthogonal", expect="The QR of an (n_l, n_{l-1}) matrix with n_l <")
def orthogonal_qr_of_wide(layers_dims, gain=1.0, seed=3):
    """QR straight of an (n_l, n_{l-1}) Gaussian matrix: Q is square, the wrong shape when n_l < n_{l-1}."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        Q, R = np.linalg.qr(rng.standard_normal((layers_dims[l], layers_dims[l - 1])))
        parameters[f"W{l}"] = gain * Q * np.sign(np.diag(R))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


edit(
    "orthogonal_ignores_seed",
    "default_rng(seed)",
    "default_rng(3)",
    expect="Use the argument: np.random.default_rng(seed)",
)

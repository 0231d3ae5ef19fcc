"""Checks for course 1, notebook 1: Python and NumPy for deep learning.

Oracles: SciPy's special functions (expit, softmax, erf), NumPy's own reshape and norm,
scikit-learn's regression metrics, TensorFlow's activations and GradientTape for
derivatives.  None of them is a copy of the notebook's solution.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from shared_utils.engine import oracles
from shared_utils.engine.checking import Check, exercise


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(1000 + seed)


def _tf_derivative(tf_fn, z: np.ndarray) -> np.ndarray:
    """Element-wise derivative of a TensorFlow activation, by automatic differentiation."""
    return oracles.gradients(lambda t: tf_fn(t["z"]), {"z": z})[1]["z"]


@exercise(
    params=("x",),
    hints=[
        "For a single number use the math module's exp (NumPy is the next exercise); mind the sign of the "
        "exponent."
    ],
)
def basic_sigmoid(ck: Check) -> None:
    for x in ck.pick([0.0, 1.0, -3.0], [2.5, -0.25, 10.0]):
        with ck.case(f"x = {x}"):
            got = ck.call(x)
            ck.scalar(
                got,
                float(special.expit(x)),
                mistakes={
                    "That is exp(-x)/(1+exp(-x)) = 1 - sigmoid(x): check the sign inside exp.": float(
                        special.expit(-x)
                    ),
                },
            )


@exercise(params=("x",), hints=["np.exp works on whole arrays: no loop needed."])
def sigmoid(ck: Check) -> None:
    shapes = ck.pick([(3,), (2, 4)], [(1,), (5, 1), (3, 2, 2)])
    for seed in ck.seeds():
        for shape in shapes:
            x = _rng(seed).normal(0, 3, size=shape)
            with ck.case(f"x of shape {shape}, seed {seed}"):
                got = ck.call(x)
                ck.array(
                    got,
                    special.expit(x),
                    mistakes={
                        "This is sigmoid(-x): the exponent should be -x.": special.expit(-x),
                        "Did you forget the 1 + in the denominator?": 1 / np.exp(-x),
                    },
                )


@exercise(params=("x",), hints=["sigmoid'(x) = s * (1 - s) with s = sigmoid(x); reuse your sigmoid."])
def sigmoid_derivative(ck: Check) -> None:
    import tensorflow as tf

    for seed in ck.seeds():
        for shape in ck.pick([(4,), (2, 3)], [(1, 1), (6,)]):
            x = _rng(seed).normal(0, 2, size=shape)
            with ck.case(f"x of shape {shape}, seed {seed}"):
                got = ck.call(x)
                s = special.expit(x)
                ck.array(
                    got,
                    _tf_derivative(tf.sigmoid, x),
                    mistakes={
                        "You returned sigmoid(x) itself, not its derivative.": s,
                        "Use s * (1 - s) where s = sigmoid(x), not x * (1 - x).": x * (1 - x),
                    },
                )


@exercise(
    params=("image",),
    hints=["A (length, height, depth) array becomes (length*height*depth, 1): use .reshape."],
)
def image2vector(ck: Check) -> None:
    shapes = ck.pick([(3, 3, 2), (4, 2, 3)], [(1, 5, 3), (6, 6, 1)])
    for seed, shape in zip(range(len(shapes)), shapes):
        image = _rng(seed).random(shape)
        with ck.case(f"image of shape {shape}"):
            got = ck.call(image)
            ck.array(
                got,
                np.reshape(image, (-1, 1)),
                mistakes={
                    "The order of the values is wrong: reshape in NumPy's default (C) order, "
                    "without transposing first.": np.reshape(image, (-1, 1), order="F"),
                },
            )


@exercise(
    params=("x",),
    hints=[
        "Divide each row by its own L2 norm: np.linalg.norm over the right axis, keeping the dimension so "
        "that it broadcasts."
    ],
)
def normalize_rows(ck: Check) -> None:
    for seed in ck.seeds():
        for shape in ck.pick([(2, 3), (4, 5)], [(1, 7), (6, 2)]):
            x = _rng(seed).normal(size=shape)
            x.setflags(write=False)  # read-only, as tensor.numpy() and loaded data can be: ck.call copies it
            with ck.case(f"x of shape {shape}, seed {seed}"):
                got = ck.call(x)
                ck.array(
                    got,
                    x / np.linalg.norm(x, axis=1, keepdims=True),
                    mistakes={
                        "You normalised the columns: use axis=1 for rows.": x
                        / np.linalg.norm(x, axis=0, keepdims=True),
                        "You divided by the squared norm: take the square root.": x
                        / np.sum(x**2, axis=1, keepdims=True),
                    },
                )


@exercise(
    params=("x",),
    hints=[
        "Subtract each row's maximum before exponentiating (stability), then divide by each row's own sum; "
        "keep the dimensions so that they broadcast."
    ],
)
def softmax(ck: Check) -> None:
    for seed in ck.seeds():
        for shape in ck.pick([(2, 5), (3, 4)], [(1, 3), (5, 1), (4, 10)]):
            x = _rng(seed).normal(0, 3, size=shape)
            with ck.case(f"x of shape {shape}, seed {seed}"):
                got = ck.call(x)
                ck.array(
                    got,
                    special.softmax(x, axis=1),
                    mistakes={
                        "You normalised over columns: sum each row (axis=1).": special.softmax(x, axis=0),
                        "You divided by the sum of the whole matrix, not each row's.": np.exp(x)
                        / np.exp(x).sum(),
                    },
                )
    with ck.case("large inputs ([[1000, 1001, 1002]]), where a naive exp overflows"):
        x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0]])
        got = ck.call(x)
        ck.array(got, special.softmax(x, axis=1), mistakes={}, rtol=1e-6)


def _check_loss(ck: Check, metric, name: str, mistakes) -> None:
    for seed in ck.seeds():
        for m in ck.pick([5, 8], [1, 20]):
            rng = _rng(seed)
            y = (rng.random(m) > 0.5).astype(float)
            yhat = np.clip(y + rng.normal(0, 0.3, m), 0, 1)
            with ck.case(f"{m} examples, seed {seed}"):
                got = ck.call(yhat, y)
                ck.scalar(got, m * metric(y, yhat), what=f"the {name} loss", mistakes=mistakes(y, yhat))


@exercise(params=("yhat", "y"), hints=["L1 = sum of |y - yhat| over the examples (a sum, not a mean)."])
def L1(ck: Check) -> None:
    from sklearn.metrics import mean_absolute_error

    _check_loss(
        ck,
        mean_absolute_error,
        "L1",
        lambda y, yh: {
            "You took the mean: the L1 loss here is the sum.": float(np.mean(np.abs(y - yh))),
            "You forgot the absolute value.": float(np.sum(y - yh)),
        },
    )


@exercise(params=("yhat", "y"), hints=["L2 = sum of (y - yhat)^2; np.dot(v, v) is the sum of squares of v."])
def L2(ck: Check) -> None:
    from sklearn.metrics import mean_squared_error

    _check_loss(
        ck,
        mean_squared_error,
        "L2",
        lambda y, yh: {
            "You took the mean: the L2 loss here is the sum.": float(np.mean((y - yh) ** 2)),
            "You took the square root (that is the Euclidean norm, not the L2 loss).": float(
                np.linalg.norm(y - yh)
            ),
            "You forgot to square the differences.": float(np.sum(np.abs(y - yh))),
        },
    )


def _activation_cases(ck: Check):
    for seed in ck.seeds():
        for shape in ck.pick([(7,), (3, 4)], [(1,), (2, 2, 3)]):
            z = _rng(seed).normal(0, 3, size=shape)
            z.flat[0] = 0.5  # a positive value and a negative one are always present
            z.flat[-1] = -0.5
            yield f"z of shape {shape}, seed {seed}", z


@exercise(
    params=("z",),
    hints=["ReLU keeps positive values and replaces negatives by 0; NumPy has an element-wise maximum."],
)
def relu(ck: Check) -> None:
    import tensorflow as tf

    for name, z in _activation_cases(ck):
        with ck.case(name):
            got = ck.call(z)
            ck.array(
                got,
                tf.nn.relu(z).numpy(),
                mistakes={
                    "np.max(z) is the largest value of the array; you want np.maximum(0, z), "
                    "element-wise.": np.full_like(z, max(0.0, float(np.max(z)))),
                },
            )


@exercise(
    params=("z", "alpha"),
    hints=[
        "Leaky ReLU keeps z where z > 0 and scales it by alpha elsewhere; np.where chooses element by "
        "element."
    ],
)
def leaky_relu(ck: Check) -> None:
    import tensorflow as tf

    for name, z in _activation_cases(ck):
        for alpha in ck.pick([0.01, 0.2], [0.05]):
            with ck.case(f"{name}, alpha = {alpha}"):
                got = ck.call(z, alpha)
                ck.array(
                    got,
                    tf.nn.leaky_relu(z, alpha=alpha).numpy(),
                    mistakes={
                        "Negative inputs must be multiplied by alpha, not set to 0.": np.maximum(0, z),
                        "Use the `alpha` argument, not a fixed 0.01.": np.where(z > 0, z, 0.01 * z),
                    },
                )


@exercise(params=("z",), hints=["Swish (SiLU) is z * sigmoid(z)."])
def swish(ck: Check) -> None:
    import tensorflow as tf

    for name, z in _activation_cases(ck):
        with ck.case(name):
            got = ck.call(z)
            ck.array(
                got,
                tf.nn.silu(z).numpy(),
                mistakes={
                    "You returned sigmoid(z): multiply it by z.": special.expit(z),
                },
            )


@exercise(
    params=("z",),
    hints=[
        "Exact GELU is z times the standard normal CDF of z; the CDF can be written with the error function "
        "(scipy.special.erf)."
    ],
)
def gelu(ck: Check) -> None:
    import tensorflow as tf

    for name, z in _activation_cases(ck):
        with ck.case(name):
            got = ck.call(z)
            ck.array(
                got,
                tf.nn.gelu(z, approximate=False).numpy(),
                rtol=1e-6,
                atol=1e-9,
                mistakes={
                    "This is the tanh approximation of GELU; the exercise asks for the exact form with "
                    "erf.": tf.nn.gelu(z, approximate=True).numpy(),
                    "Divide z by sqrt(2) inside erf.": z * 0.5 * (1 + special.erf(z)),
                },
            )


@exercise(params=("z",), hints=["d/dz [z * s(z)] = s(z) + z * s(z) * (1 - s(z)), with s the sigmoid."])
def swish_derivative(ck: Check) -> None:
    import tensorflow as tf

    for name, z in _activation_cases(ck):
        with ck.case(name):
            got = ck.call(z)
            s = special.expit(z)
            ck.array(
                got,
                _tf_derivative(tf.nn.silu, z),
                mistakes={
                    "You returned the sigmoid's derivative only; the product rule adds s(z).": s * (1 - s),
                    "Product rule: s(z) + z * s'(z); the first term is missing.": z * s * (1 - s),
                },
            )


@exercise(
    params=("z",),
    hints=["d/dz [z * Phi(z)] = Phi(z) + z * phi(z), with phi(z) = exp(-z^2 / 2) / sqrt(2 pi)."],
)
def gelu_derivative(ck: Check) -> None:
    import tensorflow as tf

    for name, z in _activation_cases(ck):
        with ck.case(name):
            got = ck.call(z)
            cdf = 0.5 * (1 + special.erf(z / math.sqrt(2)))
            ck.array(
                got,
                _tf_derivative(lambda x: tf.nn.gelu(x, approximate=False), z),
                rtol=1e-6,
                atol=2e-8,  # TensorFlow's exact GELU gradient is off by up to 6e-9 (seen over 430 draws)
                mistakes={
                    "You returned Phi(z) only; the product rule adds z * phi(z).": cdf,
                },
            )

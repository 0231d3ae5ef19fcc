"""Plausible mistakes for course1_foundations/01_python_numpy."""

import math

import numpy as np
from scipy import special

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


@wrong("basic_sigmoid", expect="That is exp(-x)/(1+exp(-x)) = 1 - sigmoid(x)")
def basic_sigmoid_sign(x):
    return 1 / (1 + math.exp(x))


@wrong("basic_sigmoid", expect="the output is wrong")
def basic_sigmoid_no_one(x):
    return 1 / math.exp(-x)


@wrong("sigmoid", expect="This is sigmoid(-x): the exponent should be -x")
def sigmoid_sign(x):
    return 1 / (1 + np.exp(x))


@wrong("sigmoid", expect="the output is wrong")
def sigmoid_math_first_element(x):  # only handles the first element
    return np.full(np.shape(x), 1 / (1 + math.exp(-np.ravel(x)[0])))


@wrong("sigmoid_derivative", expect="You returned sigmoid(x) itself, not its derivative")
def sigmoid_derivative_returns_s(x):
    return 1 / (1 + np.exp(-x))


@wrong("sigmoid_derivative", expect="np.dot (or a sum) where an element-wise product `*` belongs")
def sigmoid_derivative_dot(x):
    s = 1 / (1 + np.exp(-x))
    return np.dot(s, 1 - s)


@wrong("sigmoid_derivative", expect="Use s * (1 - s) where s = sigmoid(x)")
def sigmoid_derivative_on_x(x):
    return x * (1 - x)


@wrong("image2vector", expect="your code raised ValueError")
def image2vector_hardcoded(image):
    return image.reshape(18, 1)


@wrong("image2vector", expect="The order of the values is wrong")
def image2vector_fortran(image):
    return image.reshape((-1, 1), order="F")


@wrong("image2vector", expect="The shape is transposed")
def image2vector_row(image):
    return image.reshape(1, -1)


@wrong("normalize_rows", expect="You normalised the columns: use axis=1 for rows")
def normalize_rows_columns(x):
    return x / np.linalg.norm(x, axis=0, keepdims=True)


@wrong("normalize_rows", expect="You divided by the squared norm")
def normalize_rows_squared(x):
    return x / np.sum(x * x, axis=1, keepdims=True)


@wrong("normalize_rows", expect="changed its argument `x` in place")
def normalize_rows_in_place(x):  # the check hands over read-only arrays: the copy it makes must be caught
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


@wrong("softmax", expect="You normalised over columns: sum each row (axis=1)")
def softmax_columns(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@wrong("softmax", expect="NaN value(s) of")
def softmax_naive(x):  # overflows on large scores
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(x)
        return e / e.sum(axis=1, keepdims=True)


@wrong("softmax", expect="You divided by the sum of the whole matrix")
def softmax_global_sum(x):
    e = np.exp(x - x.max())
    return e / e.sum()


@wrong("L1", expect="You took the mean: the L1 loss here is the sum")
def L1_mean(yhat, y):
    return np.mean(np.abs(y - yhat))


@wrong("L1", expect="values came back where one number is asked: a sum or mean")
def L1_no_sum(yhat, y):
    return np.abs(y - yhat)


@wrong("L1", expect="You forgot the absolute value")
def L1_no_abs(yhat, y):
    return np.sum(y - yhat)


@wrong("L2", expect="You took the mean: the L2 loss here is the sum")
def L2_mean(yhat, y):
    return np.mean((y - yhat) ** 2)


@wrong("L2", expect="You took the square root (that is the Euclidean")
def L2_norm(yhat, y):
    return np.linalg.norm(y - yhat)


@wrong("relu", expect="np.max(z) is the largest value of the array")
def relu_max(z):
    return np.max(z) * np.ones_like(z)


@wrong("relu", expect="the output is wrong")
def relu_abs(z):
    return np.abs(z)


@wrong("leaky_relu", expect="Use the `alpha` argument, not a fixed 0.01")
def leaky_relu_fixed_alpha(z, alpha=0.01):
    return np.where(z > 0, z, 0.01 * z)


@wrong("leaky_relu", expect="Negative inputs must be multiplied by alpha")
def leaky_relu_zero(z, alpha=0.01):
    return np.maximum(0, z)


@wrong("swish", expect="You returned sigmoid(z): multiply it by z")
def swish_sigmoid_only(z):
    return special.expit(z)


@wrong("swish", expect="should take 1 argument(s) (z), but yours takes (z")
def swish_no_alpha_signature(z, beta):
    return z * special.expit(beta * z)


@wrong("gelu", expect="This is the tanh approximation of GELU")
def gelu_tanh(z):
    return 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)))


@wrong("gelu", expect="Divide z by sqrt(2) inside erf")
def gelu_no_sqrt2(z):
    return z * 0.5 * (1 + special.erf(z))


@wrong("swish_derivative", expect="You returned the sigmoid's derivative only")
def swish_derivative_sigmoid_only(z):
    s = special.expit(z)
    return s * (1 - s)


@wrong("swish_derivative", expect="Product rule: s(z) + z * s'(z)")
def swish_derivative_missing_term(z):
    s = special.expit(z)
    return z * s * (1 - s)


@wrong("gelu_derivative", expect="You returned Phi(z) only")
def gelu_derivative_cdf_only(z):
    return 0.5 * (1 + special.erf(z / np.sqrt(2)))


@wrong("gelu_derivative", expect="the output is wrong")
def gelu_derivative_no_pdf_norm(z):
    return 0.5 * (1 + special.erf(z / np.sqrt(2))) + z * np.exp(-0.5 * z**2)


@wrong("sigmoid", expect="should be a NumPy array, got list")
def sigmoid_list(x):  # a loop that collects the rows in a list
    return [1 / (1 + np.exp(-row)) for row in x]

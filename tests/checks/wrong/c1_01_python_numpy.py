"""Plausible mistakes for course1_foundations/01_python_numpy."""

import math

import numpy as np
from scipy import special


def basic_sigmoid_sign(x):
    return 1 / (1 + math.exp(x))


def basic_sigmoid_no_one(x):
    return 1 / math.exp(-x)


def sigmoid_sign(x):
    return 1 / (1 + np.exp(x))


def sigmoid_math_first_element(x):  # only handles the first element
    return np.full(np.shape(x), 1 / (1 + math.exp(-np.ravel(x)[0])))


def sigmoid_derivative_returns_s(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative_on_x(x):
    return x * (1 - x)


def image2vector_hardcoded(image):
    return image.reshape(18, 1)


def image2vector_fortran(image):
    return image.reshape((-1, 1), order="F")


def image2vector_row(image):
    return image.reshape(1, -1)


def normalize_rows_columns(x):
    return x / np.linalg.norm(x, axis=0, keepdims=True)


def normalize_rows_squared(x):
    return x / np.sum(x * x, axis=1, keepdims=True)


def normalize_rows_in_place(x):
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def softmax_columns(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_naive(x):  # overflows on large scores
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(x)
        return e / e.sum(axis=1, keepdims=True)


def softmax_global_sum(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def L1_mean(yhat, y):
    return np.mean(np.abs(y - yhat))


def L1_no_abs(yhat, y):
    return np.sum(y - yhat)


def L2_mean(yhat, y):
    return np.mean((y - yhat) ** 2)


def L2_norm(yhat, y):
    return np.linalg.norm(y - yhat)


def relu_max(z):
    return np.max(z) * np.ones_like(z)


def relu_abs(z):
    return np.abs(z)


def leaky_relu_fixed_alpha(z, alpha=0.01):
    return np.where(z > 0, z, 0.01 * z)


def leaky_relu_zero(z, alpha=0.01):
    return np.maximum(0, z)


def swish_sigmoid_only(z):
    return special.expit(z)


def swish_no_alpha_signature(z, beta):
    return z * special.expit(beta * z)


def gelu_tanh(z):
    return 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)))


def gelu_no_sqrt2(z):
    return z * 0.5 * (1 + special.erf(z))


def swish_derivative_sigmoid_only(z):
    s = special.expit(z)
    return s * (1 - s)


def swish_derivative_missing_term(z):
    s = special.expit(z)
    return z * s * (1 - s)


def gelu_derivative_cdf_only(z):
    return 0.5 * (1 + special.erf(z / np.sqrt(2)))


def gelu_derivative_no_pdf_norm(z):
    return 0.5 * (1 + special.erf(z / np.sqrt(2))) + z * np.exp(-0.5 * z**2)


WRONG = {
    "basic_sigmoid": [basic_sigmoid_sign, basic_sigmoid_no_one],
    "sigmoid": [sigmoid_sign, sigmoid_math_first_element],
    "sigmoid_derivative": [sigmoid_derivative_returns_s, sigmoid_derivative_on_x],
    "image2vector": [image2vector_hardcoded, image2vector_fortran, image2vector_row],
    "normalize_rows": [normalize_rows_columns, normalize_rows_squared, normalize_rows_in_place],
    "softmax": [softmax_columns, softmax_naive, softmax_global_sum],
    "L1": [L1_mean, L1_no_abs],
    "L2": [L2_mean, L2_norm],
    "relu": [relu_max, relu_abs],
    "leaky_relu": [leaky_relu_fixed_alpha, leaky_relu_zero],
    "swish": [swish_sigmoid_only, swish_no_alpha_signature],
    "gelu": [gelu_tanh, gelu_no_sqrt2],
    "swish_derivative": [swish_derivative_sigmoid_only, swish_derivative_missing_term],
    "gelu_derivative": [gelu_derivative_cdf_only, gelu_derivative_no_pdf_norm],
}

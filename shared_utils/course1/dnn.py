"""Vectorised NumPy building blocks of an L-layer fully connected network.

These are the functions course 1, notebook 4 has you write, packaged and tested so that
later notebooks can import them.  Conventions, as in the notebooks:

* examples are **columns**: ``X`` has shape ``(n_x, m)``, labels ``Y`` have shape ``(1, m)``;
* layer ``l`` has weights ``W{l}`` of shape ``(n_l, n_{l-1})`` and bias ``b{l}`` of shape
  ``(n_l, 1)``, stored in a dict ``parameters`` under the keys ``"W1"``, ``"b1"``, ...;
* hidden layers use ReLU, the output layer a sigmoid (binary classification);
* the forward pass keeps one *cache* per layer, ``((A_prev, W, b), Z)``, which the
  backward pass reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import expit

Cache = tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
Params = dict[str, np.ndarray]

# ----- activations ------------------------------------------------------------------------


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-Z)) element-wise, without overflow for large |Z|."""
    return expit(Z)


def relu(Z: np.ndarray) -> np.ndarray:
    """max(0, Z) element-wise."""
    return np.maximum(0, Z)


def sigmoid_backward(dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """dZ = dA * s * (1 - s) with s = sigmoid(Z); dA and Z have the same shape."""
    s = expit(Z)
    return dA * s * (1 - s)


def relu_backward(dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """dZ = dA where Z > 0, 0 elsewhere; dA and Z have the same shape."""
    return np.where(Z > 0, dA, 0.0)


_FORWARD = {"relu": relu, "sigmoid": sigmoid}
_BACKWARD = {"relu": relu_backward, "sigmoid": sigmoid_backward}


def _activation(table: dict, name: str):
    if name not in table:
        raise ValueError(f"unknown activation {name!r}: use 'relu' or 'sigmoid'")
    return table[name]


# ----- initialisation -----------------------------------------------------------------------


def initialize_parameters(layer_dims: Sequence[int], seed: int = 1) -> Params:
    """Small random weights for a 2-layer network LINEAR -> RELU -> LINEAR -> SIGMOID.

    ``layer_dims = (n_x, n_h, n_y)``.  Returns ``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2``
    (n_y, n_h), ``b2`` (n_y, 1): weights drawn from N(0, 1) times 0.01, biases zero.  The
    same ``seed`` always gives the same weights.
    """
    if len(layer_dims) != 3:
        raise ValueError(
            f"initialize_parameters builds a 2-layer net from (n_x, n_h, n_y); got "
            f"{len(layer_dims)} sizes {list(layer_dims)}: use initialize_parameters_deep"
        )
    n_x, n_h, n_y = (int(n) for n in layer_dims)
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((n_h, n_x)) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": rng.standard_normal((n_y, n_h)) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }


def initialize_parameters_deep(layer_dims: Sequence[int], seed: int = 1) -> Params:
    """Random weights for an L-layer network, ``layer_dims = [n_x, n_1, ..., n_L]``.

    ``W{l}`` has shape (n_l, n_{l-1}) with entries from N(0, 1) / sqrt(n_{l-1}), so that
    every layer's pre-activations start with roughly unit variance however wide the layer
    before is; ``b{l}`` is zeros of shape (n_l, 1).  The same ``seed`` gives the same weights.
    """
    dims = [int(n) for n in layer_dims]
    if len(dims) < 2:
        raise ValueError(f"layer_dims needs the input size and at least one layer, got {dims}")
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    return parameters


# ----- forward --------------------------------------------------------------------------------


def linear_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Z = W A_prev + b: A_prev (n_{l-1}, m), W (n_l, n_{l-1}), b (n_l, 1) -> Z (n_l, m)."""
    return W @ A_prev + b


def linear_activation_forward(
    A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str
) -> tuple[np.ndarray, Cache]:
    """One layer: A = g(W A_prev + b) with g = ``activation`` ('relu' or 'sigmoid').

    Returns A (n_l, m) and the cache ``((A_prev, W, b), Z)`` the backward pass needs.
    """
    g = _activation(_FORWARD, activation)
    Z = linear_forward(A_prev, W, b)
    return g(Z), ((A_prev, W, b), Z)


def L_model_forward(X: np.ndarray, parameters: Params) -> tuple[np.ndarray, list[Cache]]:
    """[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID on X (n_x, m).

    The number of layers L is read from ``parameters`` (two keys per layer).  Returns
    AL (n_L, m), the output probabilities, and the list of the L layers' caches.
    """
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL: np.ndarray, Y: np.ndarray) -> float:
    """Binary cross-entropy averaged over the m examples; AL and Y have shape (1, m).

    J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)).  Probabilities are kept 1e-12 away
    from 0 and 1 so that a saturated output gives a large but finite cost.
    """
    m = Y.shape[1]
    P = np.clip(AL, 1e-12, 1 - 1e-12)
    cost = -np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / m
    return float(cost)


# ----- backward -------------------------------------------------------------------------------


def linear_backward(
    dZ: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of Z = W A_prev + b, given dZ (n_l, m) and the cache (A_prev, W, b).

    dW = dZ A_prev^T / m (n_l, n_{l-1}), db = row sums of dZ / m (n_l, 1),
    dA_prev = W^T dZ (n_{l-1}, m).  Returns (dA_prev, dW, db).
    """
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(
    dA: np.ndarray, cache: Cache, activation: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward through one layer A = g(W A_prev + b), given dA (n_l, m) and its cache.

    Returns (dA_prev (n_{l-1}, m), dW (n_l, n_{l-1}), db (n_l, 1)).
    """
    g_backward = _activation(_BACKWARD, activation)
    linear_cache, Z = cache
    return linear_backward(g_backward(dA, Z), linear_cache)


def L_model_backward(AL: np.ndarray, Y: np.ndarray, caches: list[Cache]) -> dict[str, np.ndarray]:
    """Gradients of the cost with respect to every layer's parameters and activations.

    AL (1, m) and ``caches`` come from :func:`L_model_forward`, Y is (1, m).  Returns a dict
    with ``dW{l}``, ``db{l}`` for l = 1..L and ``dA{l}`` for l = 0..L-1 (the gradient of the
    activations feeding layer l+1).

    For the sigmoid output with the cross-entropy cost, dAL = -(Y/AL - (1-Y)/(1-AL)) times
    sigmoid'(ZL) simplifies to dZL = AL - Y; that form is used because it stays finite when
    an output saturates at exactly 0 or 1.
    """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    linear_cache, _ = caches[L - 1]
    dA_prev, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, linear_cache)
    grads[f"dA{L - 1}"] = dA_prev
    for l in range(L - 1, 0, -1):
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            grads[f"dA{l}"], caches[l - 1], "relu"
        )
        grads[f"dA{l - 1}"] = dA_prev
    return grads


# ----- update and predict -----------------------------------------------------------------


def update_parameters(parameters: Params, grads: dict[str, np.ndarray], learning_rate: float) -> Params:
    """One gradient-descent step: W{l} - learning_rate * dW{l}, b{l} - learning_rate * db{l}.

    Returns a new dict; ``parameters`` itself is left unchanged.
    """
    L = len(parameters) // 2
    new = {}
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new


def predict(X: np.ndarray, parameters: Params) -> np.ndarray:
    """Labels 0/1 of shape (1, m) for X (n_x, m): 1 where the output probability is > 0.5."""
    AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(int)

"""Helpers for gradient checking (course 2, notebook 3).

Gradient checking compares the gradient a backward pass computes with a finite-difference
estimate of it.  To perturb one parameter at a time, all of a network's parameters are laid
end to end in one column vector ``theta``; these functions go back and forth between that
vector and the usual dict ``{"W1": ..., "b1": ..., ...}``.  The order is the parameters
dict's own order, every array flattened row by row (NumPy's C order), so
``dictionary_to_vector`` and ``gradients_to_vector`` always agree entry by entry.

The module also holds the notebook's network, an L-layer [LINEAR -> RELU] x (L-1) ->
LINEAR -> SIGMOID classifier with the cross-entropy cost, in the layout the notebook's
hand-written backward pass reads (examples are columns, ``W{l}`` is ``(n_l, n_{l-1})``,
``b{l}`` is ``(n_l, 1)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
from scipy.special import expit

Params = dict[str, np.ndarray]


def dictionary_to_vector(parameters: Mapping[str, np.ndarray]) -> tuple[np.ndarray, list[str]]:
    """All parameters stacked into one column vector.

    Returns ``theta`` of shape ``(n, 1)``, where n is the total number of values, and
    ``keys``, a list of n names: ``keys[i]`` is the parameter that ``theta[i]`` comes from
    (e.g. ``"W1"`` repeated ``W1.size`` times, then ``"b1"``, ...).  ``theta`` is a new
    array: changing it leaves ``parameters`` alone.
    """
    if not parameters:
        raise ValueError("dictionary_to_vector needs at least one parameter")
    pieces, keys = [], []
    for name, value in parameters.items():
        value = np.asarray(value, dtype=np.float64)
        pieces.append(value.reshape(-1, 1))
        keys += [name] * value.size
    return np.concatenate(pieces, axis=0), keys


def parameter_shapes(parameters: Mapping[str, np.ndarray]) -> dict[str, tuple[int, ...]]:
    """``{name: shape}`` for every parameter, in the dict's order (what vector_to_dictionary needs)."""
    return {name: tuple(np.shape(value)) for name, value in parameters.items()}


def vector_to_dictionary(theta: np.ndarray, shapes: Mapping[str, tuple[int, ...]]) -> Params:
    """The inverse of :func:`dictionary_to_vector`.

    ``theta`` has shape ``(n, 1)`` (or ``(n,)``); ``shapes`` maps each name to its shape, in
    the order used to flatten (see :func:`parameter_shapes`).  Returns a dict of new arrays
    with those names and shapes.
    """
    flat = np.asarray(theta, dtype=np.float64).reshape(-1)
    sizes = [int(np.prod(shape)) for shape in shapes.values()]
    if sum(sizes) != flat.size:
        raise ValueError(f"theta has {flat.size} values but the shapes {dict(shapes)} need {sum(sizes)}")
    out, start = {}, 0
    for (name, shape), size in zip(shapes.items(), sizes):
        out[name] = flat[start : start + size].reshape(shape).copy()
        start += size
    return out


def gradients_to_vector(gradients: Mapping[str, np.ndarray], names: Iterable[str]) -> np.ndarray:
    """The gradients of the named parameters stacked like :func:`dictionary_to_vector` does.

    ``names`` gives the parameter names in order: pass the ``parameters`` dict itself or its
    ``shapes``.  For each name ``"W1"`` the gradient ``gradients["dW1"]`` is taken; the other
    entries a backward pass returns (``"dA1"``, ``"dZ2"``, ...) are ignored.  Returns an
    ``(n, 1)`` array.
    """
    pieces = []
    for name in names:
        key = f"d{name}"
        if key not in gradients:
            raise KeyError(f"gradients has no {key!r} (the gradient of {name!r}); it has {list(gradients)}")
        pieces.append(np.asarray(gradients[key], dtype=np.float64).reshape(-1, 1))
    if not pieces:
        raise ValueError("gradients_to_vector needs at least one parameter name")
    return np.concatenate(pieces, axis=0)


# ----- the notebook's network --------------------------------------------------------------


def forward_propagation_n(
    X: np.ndarray, Y: np.ndarray, parameters: Mapping[str, np.ndarray]
) -> tuple[float, tuple[np.ndarray, ...]]:
    """Cost of [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID on X (n_x, m) with labels Y (1, m).

    L is read from ``parameters`` (``W1``, ``b1``, ..., ``WL``, ``bL``).  The cost is the
    cross-entropy averaged over the m examples,
    J = -(1/m) sum(Y log A_L + (1 - Y) log(1 - A_L)), computed from the output's logits
    Z_L as (1/m) sum(log(1 + exp(Z_L)) - Y Z_L), which is the same number without
    overflow.  Returns ``(cost, cache)`` with ``cache = (Z1, A1, W1, b1, ..., ZL, AL, WL, bL)``.
    """
    L = len(parameters) // 2
    m = X.shape[1]
    cache: list[np.ndarray] = []
    A = X
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        A = np.maximum(Z, 0) if l < L else expit(Z)
        cache += [Z, A, W, b]
    cost = float(np.sum(np.logaddexp(0, Z) - Y * Z) / m)
    return cost, tuple(cache)


def make_problem(
    layer_dims: Iterable[int], m: int, seed: int = 0, margin: float = 0.05
) -> tuple[np.ndarray, np.ndarray, Params]:
    """A small random classification problem for gradient checking.

    Returns X ``(layer_dims[0], m)``, Y ``(1, m)`` with both labels present, and parameters
    for ``layer_dims`` (weights N(0, 1) / sqrt(fan-in) * 1.5, biases N(0, 0.5)).  Random
    draws are tried, in an order set by ``seed``, until no pre-activation lies within ``margin`` of ReLU's
    kink at 0, every hidden layer has at least one unit that is on and one that is off, and every
    parameter's gradient has a norm above 0.01, so that finite differences are smooth and
    no parameter is flat.
    """
    dims = [int(n) for n in layer_dims]
    for s in range(1000 * seed, 1000 * seed + 1000):
        rng = np.random.default_rng(s)
        X = rng.standard_normal((dims[0], m))
        Y = (rng.random((1, m)) < 0.5).astype(np.float64)
        Y[0, 0], Y[0, -1] = 0.0, 1.0
        params: Params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * 1.5 / np.sqrt(dims[l - 1])
            params[f"b{l}"] = rng.normal(0, 0.5, (dims[l], 1))
        if _well_posed(X, Y, params, margin):
            return X, Y, params
    raise RuntimeError(f"no well-posed problem for layer_dims={dims}, m={m} with seed {seed}")


def _well_posed(X: np.ndarray, Y: np.ndarray, params: Params, margin: float) -> bool:
    _, cache = forward_propagation_n(X, Y, params)
    L = len(params) // 2
    for l in range(L - 1):
        Z = cache[4 * l]
        if np.min(np.abs(Z)) < margin or not (Z > 0).any() or not (Z < 0).any():
            return False
    grads = _backward(X, Y, params, cache)
    return all(np.linalg.norm(grads[f"d{name}"]) > 0.01 for name in params)


def _backward(X: np.ndarray, Y: np.ndarray, params: Params, cache: tuple) -> dict[str, np.ndarray]:
    """The exact gradients of forward_propagation_n's cost (used to screen random problems)."""
    L = len(params) // 2
    m = X.shape[1]
    grads = {}
    dZ = cache[4 * (L - 1) + 1] - Y
    for l in range(L, 0, -1):
        A_prev = X if l == 1 else cache[4 * (l - 2) + 1]
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dZ = (params[f"W{l}"].T @ dZ) * (cache[4 * (l - 2)] > 0)
    return grads


# ----- reading the result ------------------------------------------------------------------

#: relative differences: below FINE all is well, above BUG the backward pass is wrong
FINE, SUSPICIOUS, BUG = 1e-7, 1e-5, 1e-3


def verdict(difference: float) -> str:
    """'fine' (< 1e-7), 'acceptable' (< 1e-5), 'suspicious' (< 1e-3) or 'bug' for a relative difference."""
    if difference < FINE:
        return "fine"
    if difference < SUSPICIOUS:
        return "acceptable"
    return "suspicious" if difference < BUG else "bug"


def plot_parameter_differences(differences: Mapping[str, float], ax=None, title: str = ""):
    """Bar chart of each parameter's relative difference on a log scale, with the thresholds.

    ``differences`` maps parameter names to relative differences (as the notebook's
    ``gradient_check_per_parameter`` returns them).  Bars are green below 1e-7, orange up to
    1e-3 and red above.  Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    names = list(differences)
    values = np.array([max(float(differences[n]), 1e-16) for n in names])
    colors = ["tab:green" if v < FINE else "tab:orange" if v < BUG else "tab:red" for v in values]
    ax.bar(names, values, color=colors)
    ax.set_yscale("log")
    ax.set_ylim(1e-12, 3)
    for level, label, style in [
        (FINE, "1e-7: fine", ":"),
        (SUSPICIOUS, "1e-5: suspicious", "--"),
        (BUG, "1e-3: a bug", "-"),
    ]:
        ax.axhline(level, color="grey", linestyle=style, linewidth=1)
        ax.text(len(names) - 0.45, level * 1.5, label, fontsize=8, color="grey", ha="right", va="bottom")
    ax.set_ylabel("relative difference")
    ax.set_title(title)
    return ax

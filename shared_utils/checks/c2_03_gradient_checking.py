"""Checks for course 2, notebook 3: gradient checking.

Oracles:

* ``forward_propagation`` / ``backward_propagation``: ``tf.multiply`` and ``tf.GradientTape``.
* ``gradient_check`` (1-D) and ``gradient_check_n`` / ``gradient_check_per_parameter`` (a
  network): the learner's check must return the relative difference
  ``||grad - g|| / (||grad|| + ||g||)`` between the gradient it is handed and the true one ``g``.
  ``g`` comes from ``tf.GradientTape`` in float64 on the same cost; where the gradient handed
  over is right, the learner's value must be tiny (its own finite-difference error), and where
  the check hands over a gradient with planted errors, the value must match the formula
  computed with the TensorFlow gradient (the finite-difference error is negligible there).
* A cost with a known exact answer: for a cubic, the two-sided difference
  ``(J(t+e) - J(t-e)) / (2e)`` equals ``J'(t) + a e**2`` exactly (the Taylor series ends), so
  with a large epsilon the expected difference is known in closed form; a one-sided
  difference or an epsilon that is not the argument gives a different number.

To grade the check itself, these checks temporarily plant a cost function (and, for the 1-D
exercise, a backward function with a known bug) in the learner's namespace under the names
the exercise calls (``forward_propagation``, ``backward_propagation``,
``forward_propagation_n``), and restore the learner's own afterwards.  Every stand-in is a
module-level function of this module (the cubic cost a ``functools.partial`` of one with its
coefficients as data), so that when grading it can be sent to the kernel by name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from shared_utils.course2.gradcheck import forward_propagation_n as _network_cost
from shared_utils.engine import oracles
from shared_utils.engine.checking import Check, _describe, exercise

CHECK_DEFAULTS = {"epsilon": 1e-7, "print_msg": False}

_HINT_THIRD = (
    "A difference of 1/3 means your gradapprox is twice or half the gradient: divide "
    "J(θ+ε) − J(θ−ε) by 2ε (not ε), and start theta_plus and theta_minus from fresh copies "
    "of theta for every i (`np.copy`), so that one is θ+ε and the other θ−ε."
)
_HINT_ONE = (
    "A difference of 1 means your gradapprox is (nearly) 0 or has the wrong sign: theta_plus gets "
    "+ε, theta_minus gets −ε, and gradapprox = (J_plus − J_minus) / (2ε), divided by 2ε."
)
_HINT_ONE_SIDED = (
    "Your estimate is only accurate to about ε: that is the one-sided difference "
    "(J(θ+ε) − J(θ)) / ε. Use the two-sided one, (J(θ+ε) − J(θ−ε)) / (2ε), whose "
    "error shrinks like ε²."
)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(3300 + seed)


# ----- oracles --------------------------------------------------------------------------------


def _relative(grad: np.ndarray, true: np.ndarray) -> float:
    grad, true = np.ravel(grad), np.ravel(true)
    return float(np.linalg.norm(grad - true) / (np.linalg.norm(grad) + np.linalg.norm(true)))


def _tf_linear(x: float, theta: float) -> tuple[float, float]:
    """J = theta * x and dJ/dtheta, by TensorFlow."""
    import tensorflow as tf

    J, grads = oracles.gradients(
        lambda t: tf.multiply(t["theta"], tf.constant(x, tf.float64)), {"theta": theta}
    )
    return J, float(grads["theta"])


def _tf_gradients(params: dict, X: np.ndarray, Y: np.ndarray) -> dict[str, np.ndarray]:
    """Gradients of the mean cross-entropy of [LINEAR->RELU]*(L-1)->LINEAR->SIGMOID, by GradientTape."""
    import tensorflow as tf

    L = len(params) // 2

    def cost(p):
        A = tf.constant(X, tf.float64)
        for l in range(1, L + 1):
            Z = tf.matmul(p[f"W{l}"], A) + p[f"b{l}"]
            A = tf.nn.relu(Z)
        return oracles.sigmoid_cross_entropy(Y, Z)

    _, grads = oracles.gradients(cost, params)
    return {f"d{k}": g for k, g in grads.items()}


def _network(seed: int, dims: list[int], m: int) -> tuple[np.ndarray, np.ndarray, dict, dict]:
    """X, Y, parameters and their TensorFlow gradients; no pre-activation near ReLU's kink."""
    rng = _rng(seed)
    for _ in range(200):
        X = rng.normal(0, 1, (dims[0], m))
        Y = (rng.random((1, m)) < 0.5).astype(np.float64)
        Y[0, 0], Y[0, -1] = 0.0, 1.0
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.normal(0, 1.4 / np.sqrt(dims[l - 1]), (dims[l], dims[l - 1]))
            params[f"b{l}"] = rng.normal(0, 0.4, (dims[l], 1))
        A, smooth = X, True
        for l in range(1, len(dims) - 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            smooth &= bool(np.min(np.abs(Z)) > 0.05)
            A = np.maximum(Z, 0)
        if not smooth:
            continue
        grads = _tf_gradients(params, X, Y)
        if all(np.linalg.norm(g) > 0.01 for g in grads.values()):
            return X, Y, params, grads
    raise RuntimeError(f"no smooth network found for {dims}, m={m}")


def _as_backward_pass(grads: dict[str, np.ndarray], X: np.ndarray, rng: np.random.Generator) -> dict:
    """The gradients in the order a backward pass fills them, with dZ and dA entries mixed in."""
    L = len(grads) // 2
    m = X.shape[1]
    out = {}
    for l in range(L, 0, -1):
        out[f"dZ{l}"] = rng.normal(0, 0.3, (grads[f"dW{l}"].shape[0], m))
        out[f"dW{l}"] = grads[f"dW{l}"].copy()
        out[f"db{l}"] = grads[f"db{l}"].copy()
        if l > 1:
            out[f"dA{l - 1}"] = rng.normal(0, 0.3, (grads[f"dW{l}"].shape[1], m))
    return out


def _plant_bugs(grads: dict, names: list[str], m: int, rng: np.random.Generator) -> dict:
    """Copy of ``grads`` where each named parameter's gradient is wrong: a weight's gradient
    without its 1/m (times m), a bias's gradient with a random offset."""
    bad = {k: v.copy() for k, v in grads.items()}
    for name in names:
        g = bad[f"d{name}"]
        if name.startswith("W"):
            bad[f"d{name}"] = g * m
        else:
            bad[f"d{name}"] = g + rng.normal(0, 0.1 + np.abs(g).mean(), g.shape)
    return bad


def _cubic_cost(X, Y, parameters, *, a: dict):
    """J(parameters) = sum over names k of sum(a[k] * parameters[k]**3), as (cost, cache)."""
    cost = sum(float(np.sum(a[k] * np.asarray(parameters[k]) ** 3)) for k in a)
    return cost, ()


class _Cubic:
    """J(parameters) = sum over names of sum(a * P**3): a cost whose two-sided difference is exact."""

    def __init__(self, params: dict, rng: np.random.Generator):
        self.a = {k: rng.normal(0, 1, v.shape) for k, v in params.items()}

    def stand_in(self) -> functools.partial:
        """The stand-in for the notebook's forward_propagation_n: a partial of the module-level
        :func:`_cubic_cost` with the coefficients as data, which grading can send to the kernel."""
        return functools.partial(_cubic_cost, a=self.a)

    def gradients(self, params: dict) -> dict:
        return {f"d{k}": 3 * self.a[k] * params[k] ** 2 for k in self.a}

    def two_sided(self, params: dict, epsilon: float) -> dict:
        """(J(t+e) - J(t-e)) / (2e) per entry: 3 a t^2 + a e^2, exactly."""
        return {f"d{k}": self.a[k] * (3 * params[k] ** 2 + epsilon**2) for k in self.a}

    def one_sided(self, params: dict, epsilon: float) -> dict:
        """(J(t+e) - J(t)) / e per entry: 3 a t^2 + 3 a t e + a e^2."""
        return {
            f"d{k}": self.a[k] * (3 * params[k] ** 2 + 3 * params[k] * epsilon + epsilon**2) for k in self.a
        }


def _stack(grads: dict, names) -> np.ndarray:
    return np.concatenate([np.ravel(grads[f"d{k}"]) for k in names])


# ----- helpers for the comparisons --------------------------------------------------------------


def _number(ck: Check, got: Any, what: str) -> float:
    if hasattr(got, "numpy") and callable(got.numpy):
        got = got.numpy()
    arr = np.asarray(got) if not isinstance(got, (str, dict)) and got is not None else None
    if arr is None or arr.dtype.kind not in "fiu" or arr.size != 1:
        hint = (
            "Did you forget to `return difference`?"
            if got is None
            else (
                "Return the relative difference, one number: ||grad − gradapprox|| / (||grad|| + "
                "||gradapprox||), with np.linalg.norm on the whole vectors; not gradapprox or the vector "
                "grad − gradapprox."
            )
        )
        ck.fail(f"{what} should be a single number, got {_describe(got)}.", hint)
    return float(arr.reshape(()))


def _tiny(ck: Check, value: float, what: str, limit: float, epsilon: float) -> None:
    """A right gradient was handed over: the relative difference must be below ``limit``."""
    if value < 0:
        ck.fail(
            f"{what} is negative ({value:.3g}); a relative difference is a ratio of norms, never negative.",
            "Use np.linalg.norm for the numerator too: ||grad − gradapprox||, not grad − gradapprox.",
        )
    if value < limit:
        return
    if np.isnan(value):
        hint = (
            "NaN is 0/0: are the slices of grad and gradapprox empty? Select a parameter's entries "
            "with the mask np.array(keys) == name."
        )
    elif value > 1.000001:
        hint = (
            "A relative difference is never above 1: return `difference`, the ratio of norms, "
            "not gradapprox or grad."
        )
    elif abs(value - 1 / 3) < 0.02:
        hint = _HINT_THIRD
    elif abs(value - 1) < 0.02:
        hint = _HINT_ONE
    elif value < 100 * epsilon + 1e-4:
        hint = _HINT_ONE_SIDED
    else:
        hint = (
            "grad and gradapprox disagree a lot although the gradient is right. Is grad in the same "
            "order as theta (gradients_to_vector(gradients, parameters), not the values of `gradients` "
            "as they come)? Are theta_plus and theta_minus fresh copies of theta for every i?"
        )
    ck.fail(
        f"the gradient handed to your check is right, so {what} should be tiny (below {limit:g}); "
        f"yours is {value:.3g} (epsilon = {epsilon:g}).",
        hint,
    )


def _matches(
    ck: Check,
    value: float,
    grad: np.ndarray,
    true: np.ndarray,
    approx_ok: np.ndarray | None,
    what: str,
    rtol: float,
    extra: dict[str, float] | None = None,
    too_small: str | None = None,
) -> None:
    """The relative difference between ``grad`` and ``true``, with hints for the usual slips.

    ``too_small`` is the hint shown when the value is far below the expected one.
    """
    grad, true = np.ravel(grad), np.ravel(true)
    diff = np.linalg.norm(grad - true)
    expected = float(diff / (np.linalg.norm(grad) + np.linalg.norm(true)))
    if too_small and 0 <= value < 1e-2 * expected:
        ck.fail(f"{what} is wrong.\n  expected: {expected:.8g}\n  received: {value:.8g}", too_small)
    mistakes = {
        "The numerator must be the norm of the difference: np.linalg.norm(grad - gradapprox), "
        "with the absolute value of each entry's difference squared, not a difference of norms.": abs(
            np.linalg.norm(grad) - np.linalg.norm(true)
        )
        / (np.linalg.norm(grad) + np.linalg.norm(true)),
        "The denominator is ||grad|| + ||gradapprox||, both norms, not ||grad|| alone.": diff
        / np.linalg.norm(grad),
        "The denominator is ||grad|| + ||gradapprox||, both norms, not ||gradapprox|| alone.": diff
        / np.linalg.norm(true),
        "Divide ||grad − gradapprox|| by ||grad|| + ||gradapprox||.": diff,
        "Divide by the sum of the two norms, not by the norm of the sum.": diff
        / max(np.linalg.norm(grad + true), 1e-300),
        _HINT_THIRD: 1 / 3,
        _HINT_ONE: 1.0,
    }
    if approx_ok is not None:
        mistakes[_HINT_ONE_SIDED] = _relative(grad, approx_ok)
    mistakes.update(extra or {})
    if value < 0:
        ck.fail(
            f"{what} is negative ({value:.3g}); a relative difference is never negative.",
            "Use np.linalg.norm for the numerator too: ||grad − gradapprox||.",
        )
    ck.scalar(value, expected, what=what, rtol=rtol, atol=1e-12, mistakes=mistakes)


# ----- exercise 1 and 2: the 1-D function -----------------------------------------------------

_SCALARS = [(2.0, 4.0), (-3.0, 0.5), (0.25, -7.0)]
_MORE_SCALARS = [(1e-3, 12.0), (5, 3), (-1.5, -2.5), (10.0, 0.0)]


def _check_linear(ck: Check, what: str, part: int, mistakes: Callable[[Any, Any], dict[str, float]]) -> None:
    """The learner's J (``part`` 0) or dtheta (``part`` 1) of J = theta * x, named ``what``, on every case.

    The expected value is that part of :func:`_tf_linear`; ``mistakes(x, theta)`` gives the hints.
    """
    for x, theta in ck.pick(_SCALARS, _MORE_SCALARS):
        with ck.case(f"x = {x}, theta = {theta}"):
            expected = _tf_linear(float(x), float(theta))[part]
            ck.scalar(
                ck.call(x, theta), expected, what=what, rtol=1e-12, atol=1e-15, mistakes=mistakes(x, theta)
            )


@exercise(params=("x", "theta"), hints=["J is the product of theta and x."])
def forward_propagation(ck: Check) -> None:
    _check_linear(
        ck,
        "J",
        0,
        lambda x, theta: {
            "J is theta times x, not theta plus x.": theta + x,
            "J depends on theta: J = theta * x.": x,
            "J depends on x too: J = theta * x.": theta,
            "J is theta * x, not theta ** x or x ** theta.": float(abs(theta) ** x) if theta else 0.0,
        },
    )


@exercise(params=("x", "theta"), hints=["The derivative of J = theta * x with respect to theta is x."])
def backward_propagation(ck: Check) -> None:
    _check_linear(
        ck,
        "dtheta",
        1,
        lambda x, theta: {
            "dtheta is the derivative with respect to theta, which is x (not theta).": theta,
            "dtheta is the derivative dJ/dtheta = x, not J = theta * x.": theta * x,
            "d(theta * x)/dtheta = x, not 1.": 1.0,
        },
    )


# ----- exercise 3: the 1-D gradient check ------------------------------------------------------


def _linear_forward(x, theta):
    return theta * x


def _true_backward(x, theta):
    return x


def _cubic_forward(x, theta):
    return x * theta**3


def _cubic_backward(x, theta):
    return 3 * x * theta**2


# backward functions with a known bug, planted as backward_propagation
def _backward_doubled(x, theta):
    return 2 * x


def _backward_plus_one(x, theta):
    return x + 1.0


def _backward_negated(x, theta):
    return -x


def _backward_scaled(x, theta):
    return 0.8 * x


@exercise(
    params=("x", "theta", "epsilon", "print_msg"),
    hints=[
        "The centred difference (J at theta + epsilon minus J at theta - epsilon, over 2 epsilon) against "
        "backward_propagation, compared by their relative difference."
    ],
)
def gradient_check(ck: Check) -> None:
    ck.defaults(CHECK_DEFAULTS)
    right = ck.pick([(3.0, 4.0), (-2.0, 0.7)], [(0.5, -3.0), (40.0, 1.5)])
    with ck.planted(forward_propagation=_linear_forward, backward_propagation=_true_backward):
        for x, theta in right:
            with ck.case(
                f"J = theta * x with x = {x}, theta = {theta}, the right backward_propagation, "
                "default epsilon"
            ):
                value = _number(ck, ck.call(x, theta), "the difference")
                _tiny(ck, value, "the difference", 1e-6, 1e-7)

    bugs = ck.pick(
        [
            ("returns 2x", _backward_doubled),
            ("returns x + 1", _backward_plus_one),
            ("returns -x", _backward_negated),
        ],
        [("returns 0.8x", _backward_scaled)],
    )
    for x, theta in right:
        for label, buggy in bugs:
            with (
                ck.planted(forward_propagation=_linear_forward, backward_propagation=buggy),
                ck.case(
                    f"J = theta * x with x = {x}, theta = {theta}, epsilon = 1e-6, and a "
                    f"backward_propagation with a planted bug: it {label}"
                ),
            ):
                value = _number(ck, ck.call(x, theta, epsilon=1e-6), "the difference")
                _, true = _tf_linear(float(x), float(theta))
                _matches(
                    ck,
                    value,
                    np.array([buggy(x, theta)]),
                    np.array([true]),
                    None,
                    "the difference",
                    rtol=1e-4,
                )

    # a cubic cost, whose two-sided difference is exactly J' + x * epsilon**2
    cubics = ck.pick([(2.0, 1.3, 0.1), (-1.5, 0.6, 0.05)], [(3.0, -2.0, 0.2)])
    for x, theta, eps in cubics:
        with (
            ck.planted(forward_propagation=_cubic_forward, backward_propagation=_cubic_backward),
            ck.case(
                f"J = x * theta**3 with x = {x}, theta = {theta}, epsilon = {eps} (a curved cost, "
                "large epsilon)"
            ),
        ):
            value = _number(ck, ck.call(x, theta, epsilon=eps), "the difference")
            grad = 3 * x * theta**2
            exact = x * (3 * theta**2 + eps**2)
            one_sided = x * (3 * theta**2 + 3 * theta * eps + eps**2)
            _matches(
                ck,
                value,
                np.array([grad]),
                np.array([exact]),
                np.array([one_sided]),
                "the difference",
                rtol=1e-4,
                too_small="Use the `epsilon` argument, not a fixed 1e-7: with epsilon = "
                f"{eps} a two-sided difference of this cubic is off by exactly x * epsilon**2.",
            )


# ----- exercise 4 and 5: the network -----------------------------------------------------------

_NETS = [([4, 5, 3, 1], 3), ([3, 4, 1], 6)]
_MORE_NETS = [([5, 6, 4, 3, 1], 7), ([2, 1], 5), ([6, 3, 2, 1], 2)]


def _net_cases(ck: Check) -> list[tuple[int, list[int], int]]:
    nets = ck.pick(_NETS, _MORE_NETS)
    return [(seed, dims, m) for seed, (dims, m) in enumerate(nets)]


def _bug_names(params: dict, seed: int) -> list[str]:
    names = list(params)
    rng = _rng(100 + seed)
    k = 1 if len(names) <= 2 else 2
    return [names[i] for i in sorted(rng.choice(len(names), size=k, replace=False))]


@exercise(
    params=("parameters", "gradients", "X", "Y", "epsilon", "print_msg"),
    hints=[
        "For each entry of the parameter vector: the cost at fresh copies nudged by +/- epsilon gives one "
        "entry of gradapprox; then the relative difference to the analytic gradient vector."
    ],
    in_place=(
        "Nudge fresh copies of the vector (`theta_plus = np.copy(theta)`, then `theta_plus[i] += epsilon`): "
        "the caller's parameters and gradients must stay as they were."
    ),
)
def gradient_check_n(ck: Check) -> None:
    ck.defaults(CHECK_DEFAULTS)
    with ck.planted(forward_propagation_n=_network_cost):
        for seed, dims, m in _net_cases(ck):
            X, Y, params, true = _network(seed, dims, m)
            rng = _rng(200 + seed)
            shape = f"layers {dims}, m = {m}"
            with ck.case(
                f"{shape}, right gradients (in backward-pass order, with dA and dZ entries), default epsilon"
            ):
                value = _number(ck, ck.call(params, _as_backward_pass(true, X, rng), X, Y), "the difference")
                _tiny(ck, value, "the difference", 1e-6, 1e-7)
            with ck.case(f"{shape}, right gradients, epsilon = 1e-4"):
                value = _number(
                    ck, ck.call(params, _as_backward_pass(true, X, rng), X, Y, epsilon=1e-4), "the difference"
                )
                _tiny(ck, value, "the difference", 1e-6, 1e-4)
            bugs = _bug_names(params, seed)
            bad = _plant_bugs(true, bugs, m, rng)
            with ck.case(f"{shape}, gradients of {', '.join(bugs)} wrong (planted bugs), epsilon = 1e-6"):
                value = _number(
                    ck, ck.call(params, _as_backward_pass(bad, X, rng), X, Y, epsilon=1e-6), "the difference"
                )
                _matches(
                    ck, value, _stack(bad, params), _stack(true, params), None, "the difference", rtol=1e-3
                )

    def cubic_case(X, Y, params: dict, cubic: _Cubic, eps: float) -> None:
        value = _number(ck, ck.call(params, cubic.gradients(params), X, Y, epsilon=eps), "the difference")
        _matches(
            ck,
            value,
            _stack(cubic.gradients(params), params),
            _stack(cubic.two_sided(params, eps), params),
            _stack(cubic.one_sided(params, eps), params),
            "the difference",
            rtol=1e-4,
            too_small="Use the `epsilon` argument, not a fixed 1e-7: with a large epsilon the two-sided "
            "difference of a cubic is off by exactly a * epsilon**2.",
        )

    _cubic_cases(ck, ck.pick([0], [1, 2]), [3, 2, 1], 300, cubic_case)


@exercise(
    params=("parameters", "gradients", "X", "Y", "epsilon"),
    hints=[
        "Compute gradapprox for every entry as in gradient_check_n; then, per parameter name, the relative "
        "difference of only the entries that belong to it (keys tells which)."
    ],
)
def gradient_check_per_parameter(ck: Check) -> None:
    ck.defaults({"epsilon": 1e-7})
    with ck.planted(forward_propagation_n=_network_cost):
        for seed, dims, m in _net_cases(ck):
            X, Y, params, true = _network(seed, dims, m)
            rng = _rng(400 + seed)
            shape = f"layers {dims}, m = {m}"
            with ck.case(f"{shape}, right gradients (in backward-pass order, with dA and dZ entries)"):
                got = _per_parameter_dict(ck, ck.call(params, _as_backward_pass(true, X, rng), X, Y), params)
                for name in params:
                    _tiny(
                        ck,
                        _number(ck, got[name], f"the difference of {name}"),
                        f"the difference of {name}",
                        1e-6,
                        1e-7,
                    )
            bugs = _bug_names(params, seed)
            bad = _plant_bugs(true, bugs, m, rng)
            with ck.case(f"{shape}, gradients of {', '.join(bugs)} wrong (planted bugs), epsilon = 1e-6"):
                got = _per_parameter_dict(
                    ck, ck.call(params, _as_backward_pass(bad, X, rng), X, Y, epsilon=1e-6), params
                )
                whole = _relative(_stack(bad, params), _stack(true, params))
                for name in params:
                    value = _number(ck, got[name], f"the difference of {name}")
                    if name in bugs:
                        g, t = bad[f"d{name}"], true[f"d{name}"]
                        _matches(
                            ck,
                            value,
                            g,
                            t,
                            None,
                            f"the difference of {name}",
                            rtol=1e-3,
                            extra={
                                "Each parameter's difference uses its own slices only, in the denominator "
                                "too: ||grad_k|| + ||gradapprox_k||.": np.linalg.norm(g - t)
                                / (
                                    np.linalg.norm(_stack(bad, params)) + np.linalg.norm(_stack(true, params))
                                ),
                                "That is the difference of the whole vector: compute one per parameter, on "
                                "the entries where keys == name.": whole,
                            },
                        )
                    else:
                        if abs(value - whole) < 1e-3 * whole:
                            ck.fail(
                                f"the difference of {name} is {value:.3g}, the difference of the whole "
                                f"vector; {name}'s gradient is right, so its own difference should be tiny.",
                                "Compute one difference per parameter, on the entries where keys == name.",
                            )
                        _tiny(ck, value, f"the difference of {name} (its gradient is right)", 1e-6, 1e-6)

    def cubic_case(X, Y, params: dict, cubic: _Cubic, eps: float) -> None:
        got = _per_parameter_dict(ck, ck.call(params, cubic.gradients(params), X, Y, epsilon=eps), params)
        grads, exact = cubic.gradients(params), cubic.two_sided(params, eps)
        one_sided = cubic.one_sided(params, eps)
        for name in params:
            key = f"d{name}"
            _matches(
                ck,
                _number(ck, got[name], f"the difference of {name}"),
                grads[key],
                exact[key],
                one_sided[key],
                f"the difference of {name}",
                rtol=1e-4,
                too_small="Use the `epsilon` argument, not a fixed 1e-7.",
            )

    _cubic_cases(ck, ck.pick([0], [1]), [3, 2, 2, 1], 500, cubic_case)


def _cubic_cases(ck: Check, seeds: list[int], dims_else: list[int], rng_base: int, body: Callable) -> None:
    """The cases with the cubic cost of :class:`_Cubic` planted as forward_propagation_n, epsilon 0.05.

    Seed 0 uses layers [4, 5, 3, 1] and m = 3, other seeds ``dims_else`` and m = 4; the cubic's
    coefficients come from seed ``rng_base + seed``.  ``body(X, Y, params, cubic, eps)`` checks one.
    """
    for seed in seeds:
        dims, m = ([4, 5, 3, 1], 3) if seed == 0 else (dims_else, 4)
        X, Y, params, _ = _network(seed, dims, m)
        cubic = _Cubic(params, _rng(rng_base + seed))
        eps = 0.05
        with (
            ck.planted(forward_propagation_n=cubic.stand_in()),
            ck.case(
                f"a cubic cost J = sum(a * theta**3) over the parameters of layers {dims}, "
                f"epsilon = {eps} (large)"
            ),
        ):
            body(X, Y, params, cubic, eps)


def _per_parameter_dict(ck: Check, got: Any, params: dict) -> dict:
    if not isinstance(got, dict):
        ck.fail(
            f"should return a dict {{parameter name: difference}}, got {_describe(got)}.",
            "Build `differences = {}` and set differences[name] = ... for each name in parameters.",
        )
    names = list(params)
    if any(f"d{n}" in got for n in names) and not any(n in got for n in names):
        ck.fail(
            f"the dict's keys should be the parameter names {names}, got {list(got)}.",
            'Use the parameters\' names ("W1"), not the gradients\' ("dW1").',
        )
    missing = [n for n in names if n not in got]
    extra = [k for k in got if k not in names]
    if missing or extra:
        ck.fail(
            f"the dict's keys should be exactly the parameter names {names}; got {list(got)}.",
            "Loop over the names in `parameters` (or over the unique values of `keys`): do not write "
            "W1, b1, ... by hand, the network may have any number of layers.",
        )
    return got

"""Checks for course 2, notebook 4: optimization methods.

Oracles, all independent of the notebook's solution:

* ``random_mini_batches``: properties that must hold: every column of X stays whole and
  keeps its label, the batches together hold every column exactly once, all batches are
  full except the last one, which holds ``m mod size`` columns (no empty batch), the order
  is shuffled, the same seed gives the same batches and another seed other batches.
* ``update_parameters_with_gd``: ``keras.optimizers.SGD`` on Keras variables holding the same
  parameters, fed the same gradients.
* ``initialize_velocity`` / ``initialize_adam``: the slots ``keras.optimizers.SGD(momentum=...)``
  and ``keras.optimizers.Adam`` create for the same variables.
* ``update_parameters_with_momentum``: ``keras.optimizers.SGD(learning_rate=α(1-β), momentum=β)``.
  Keras keeps u = βu - lr·g and adds u to the weight; with u = -αv this is exactly the
  notebook's v = βv + (1-β)dW, W = W - αv, so the learner's v is compared with -u/α.
* ``update_parameters_with_rmsprop``: ``keras.optimizers.RMSprop(rho=β2, momentum=0,
  centered=False, epsilon=0)`` (Keras adds ε inside the square root; the learner's ε is
  1e-12 there, far below the tolerance).  With a large ε: ``tf.raw_ops.ResourceApplyAdam``
  with β1 = 0 and both β powers 0, which is RMSprop with ε outside the root.
* ``update_parameters_with_adam``: for each step t a ``keras.optimizers.Adam`` built with
  ``epsilon=ε·sqrt(1-β2^t)`` that carries on the moments and the iteration count of the step
  before: Keras adds its ε to the uncorrected sqrt(s), so this is exactly the notebook's ε
  added to sqrt(s_corrected), for any ε.  v_corrected and s_corrected are
  Keras's ``m`` and ``v`` slots divided by (1-β1^t) and (1-β2^t).
* ``update_parameters_with_adagrad``: ``keras.optimizers.Adagrad(initial_accumulator_value=s0,
  epsilon=0)``, the learner's s starting at the same s0 (Keras 3 computes
  lr·g / sqrt(accumulator + ε), ε inside the root, and starts its accumulator at 0.1 by default,
  so the learner's ε is 1e-12 there); with a large ε, ``tf.raw_ops.ResourceApplyAdagradV2``
  (ε outside the root, as in the notebook).
* schedules: ``keras.optimizers.schedules.InverseTimeDecay`` (staircase False and True),
  ``ExponentialDecay(staircase=True)``, ``CosineDecay`` (with ``alpha``, ``warmup_target``
  and ``warmup_steps``), computed in float64.

The optimizers' state is read and set through the public Keras API only: ``optimizer.build``,
``optimizer.variables`` (each slot named for its parameter, e.g. "W1_momentum") and
``optimizer.iterations``.

Keras holds learning rates and β's as float32, so the Keras cases use values that float32
holds exactly (0.875, 0.9990234375 = 1 - 2^-10, 0.0625, ...).
"""

from __future__ import annotations

import math

import numpy as np

from shared_utils.engine.checking import Check, exercise

_NEW_DICTS = (
    "Build and return new dicts (`new[key] = old[key] - ...`); do not assign into the dicts you were "
    "given (parameters, grads, v, s), not even with `-=`: the caller may still need them."
)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(8000 + seed)


def _keys(L: int) -> list[str]:
    return [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]


def _problem(dims: list[int], seed: int):
    """Random parameters, a function giving gradients (with dA keys, as L_model_backward's), the rng."""
    rng = _rng(seed + 31 * len(dims) + dims[0])
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.normal(0, 1, (dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.normal(0, 1, (dims[l], 1))

    def grads() -> dict[str, np.ndarray]:
        g = {f"d{k}": rng.normal(0, 1, v.shape) for k, v in params.items()}
        g.update({f"dA{l}": rng.normal(size=(dims[l], 3)) for l in range(len(dims) - 1)})
        return g

    return params, grads, rng


def _like(params: dict, values) -> dict[str, np.ndarray]:
    """A state dict with keys dW1, db1, ...: values(shape) for each parameter."""
    return {f"d{k}": values(v.shape) for k, v in params.items()}


class _Keras:
    """The parameters as float64 Keras variables, moved by a Keras optimizer.

    Only the public Keras API is used: each variable is named for its parameter ("W1"), and
    an optimizer's slot for it is found among ``optimizer.variables`` by the name Keras
    gives it, "W1_momentum", "W1_velocity", "W1_accumulator" (the parameter's path, then
    the slot's name).
    """

    def __init__(self, optimizer, parameters: dict[str, np.ndarray]):
        import keras

        self.keys = list(parameters)
        self.vars = {k: keras.Variable(parameters[k], dtype="float64", name=k) for k in self.keys}
        self.use(optimizer)

    def use(self, optimizer) -> None:
        """Move the variables with ``optimizer`` from now on (its slots start as it builds them)."""
        self.opt = optimizer
        optimizer.build(list(self.vars.values()))
        self._slots = {v.name: v for v in optimizer.variables}

    def slot(self, name: str, key: str):
        return self._slots[f"{self.vars[key].path.replace('/', '_')}_{name}"]

    def set_slots(self, name: str, values: dict[str, np.ndarray], scale: float = 1.0) -> None:
        for k in self.keys:
            self.slot(name, k).assign(values[f"d{k}"] * scale)

    def slots(self, name: str, scale: float = 1.0) -> dict[str, np.ndarray]:
        return {f"d{k}": np.asarray(self.slot(name, k).numpy()) * scale for k in self.keys}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        self.opt.apply_gradients([(np.asarray(grads[f"d{k}"]), self.vars[k]) for k in self.keys])

    def parameters(self) -> dict[str, np.ndarray]:
        return {k: np.asarray(v.numpy()) for k, v in self.vars.items()}


def _compare(
    ck: Check,
    got: dict,
    expected: dict,
    what: str,
    rtol: float = 1e-7,
    atol: float = 1e-9,
    mistakes: dict[str, dict] | None = None,
) -> None:
    """Compare every array of a dict; ``mistakes`` maps a hint to a whole dict a mistake would give."""
    ck.dict(got, expected, what, mistakes, rtol=rtol, atol=atol)


def _unchanged_hints(before: dict) -> dict[str, dict]:
    return {
        "This array did not change: update every W{l} and b{l}, l = 1 .. L (L = len(parameters) // "
        "2).": before
    }


# ----- mini-batches ---------------------------------------------------------------------------


def _order(ck: Check, batches, X: np.ndarray, Y: np.ndarray, size: int) -> np.ndarray:
    """Check the batches' structure; return the column indices they hold, in order."""
    n_x, m = X.shape
    ck.instance(batches, (list, tuple), "the list of mini-batches")
    full, rest = divmod(m, size)
    expected_count = full + (rest > 0)
    count = len(batches)
    if count != expected_count:
        hint = None
        if count == full and rest:
            hint = (
                f"The last, smaller batch is missing: after the {full} full batches, the remaining "
                f"{rest} columns make one more batch."
            )
        elif count == expected_count + 1:
            hint = (
                "One batch too many: when m is a multiple of the batch size there is no partial "
                "batch (and never an empty one), and the last batch must not be repeated."
            )
        ck.fail(
            f"{count} mini-batches for m = {m} and mini_batch_size = {size}; expected "
            f"{expected_count} ({full} full batch(es) of {size}"
            f"{f' and one of {rest}' if rest else ''}).",
            hint,
        )
    columns = []
    for k, batch in enumerate(batches):
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            ck.fail(
                f"mini-batch {k} should be a pair (mini_batch_X, mini_batch_Y), got {type(batch).__name__}."
            )
        bx, by = (np.asarray(b) for b in batch)
        width = size if k < full else rest
        ck.that(
            bx.shape == (n_x, width),
            f"mini_batch_X of batch {k} has shape {bx.shape}; expected ({n_x}, {width}).",
            "Batch k holds columns k * mini_batch_size up to (k + 1) * mini_batch_size, the end "
            "excluded (X[:, start:end] with end = start + mini_batch_size); the last one holds "
            "the remaining columns.",
        )
        ck.that(
            by.shape == (1, width),
            f"mini_batch_Y of batch {k} has shape {by.shape}; expected (1, {width}).",
            "Slice Y like X: Y[:, start:end] keeps the shape (1, width).",
        )
        idx = np.rint(bx[0]).astype(int)
        ck.that(
            np.all((idx >= 0) & (idx < m)) and np.allclose(bx, X[:, idx]),
            f"the columns of mini_batch_X in batch {k} are not whole columns of X.",
            "Permute whole columns, X[:, permutation], not the rows or the single values.",
        )
        ck.that(
            np.array_equal(by, Y[:, idx]),
            f"in batch {k} the labels no longer belong to their examples: mini_batch_Y[:, j] is not the "
            "label of mini_batch_X[:, j].",
            "Shuffle X and Y with the same permutation: draw it once, then X[:, permutation] and "
            "Y[:, permutation].",
        )
        columns.append(idx)
    order = np.concatenate(columns) if columns else np.zeros(0, int)
    counts = np.bincount(order, minlength=m)
    ck.that(
        np.all(counts == 1),
        f"the batches hold {int(np.sum(counts == 0))} column(s) of X not at all and "
        f"{int(np.sum(counts > 1))} more than once; each column must appear in exactly one batch.",
        "Check the slicing: consecutive batches must neither overlap nor leave gaps.",
    )
    return order


@exercise(
    params=("X", "Y", "mini_batch_size", "seed"),
    hints=[
        "Draw one permutation of range(m) from the seed, apply it to the columns of X and of Y, then cut "
        "the shuffled arrays into slices of mini_batch_size columns, the last one possibly shorter."
    ],
)
def random_mini_batches(ck: Check) -> None:
    ck.defaults({"mini_batch_size": 64, "seed": 0})
    cases = ck.pick(
        [(3, 148, 64), (2, 128, 32)], [(5, 10, 64), (1, 1, 8), (4, 300, 64), (2, 65, 64), (3, 7, 1)]
    )
    for seed in ck.seeds(2, 3):
        for n_x, m, size in cases:
            rng = _rng(100 + seed + m)
            X = rng.normal(size=(n_x, m))
            X[0] = np.arange(m)  # row 0 names each column
            Y = (rng.random((1, m)) < 0.5).astype(np.float64)
            with ck.case(
                f"X of shape ({n_x}, {m}), Y of shape (1, {m}), mini_batch_size={size}, seed={seed}"
            ):
                order = _order(ck, ck.call(X, Y, size, seed), X, Y, size)
                again = _order(ck, ck.call(X, Y, size, seed), X, Y, size)
                ck.that(
                    np.array_equal(order, again),
                    "two calls with the same seed gave different batches.",
                    "Draw the permutation from the `seed` argument (np.random.default_rng(seed) or "
                    "np.random.seed(seed) first), so that a run can be repeated.",
                )
                if m >= 20:
                    ck.that(
                        not np.array_equal(order, np.arange(m)),
                        "the batches hold the columns in their original order: nothing was shuffled.",
                        "Shuffle the columns before cutting the batches.",
                    )
                    other = _order(ck, ck.call(X, Y, size, seed + 1), X, Y, size)
                    ck.that(
                        not np.array_equal(order, other),
                        f"seeds {seed} and {seed + 1} gave the same batches.",
                        "Use the `seed` argument to draw the permutation, not a fixed seed.",
                    )


# ----- gradient descent ---------------------------------------------------------------------

NETS = ([[3, 4, 1], [5, 4, 3, 1]], [[2, 1], [6, 5, 4, 3, 1]])


@exercise(
    params=("parameters", "grads", "learning_rate"),
    hints=["Every W{l} and b{l} steps against its gradient by learning_rate, in a new dict."],
    in_place=_NEW_DICTS,
)
def update_parameters_with_gd(ck: Check) -> None:
    import keras

    rates = ck.pick([0.125, 0.75], [0.015625])
    for dims in ck.pick(*NETS):
        for i, lr in enumerate(rates):
            params, grads, _ = _problem(dims, i)
            g = grads()
            oracle = _Keras(keras.optimizers.SGD(learning_rate=lr), params)
            oracle.step(g)
            with ck.case(f"layer sizes {dims} (L = {len(dims) - 1}), learning_rate = {lr}"):
                got = ck.call(params, g, lr)
                ck.that(got is not params, "you returned the dict you were given.", _NEW_DICTS)
                plus = {k: params[k] + lr * g[f"d{k}"] for k in params}
                _compare(
                    ck,
                    got,
                    oracle.parameters(),
                    "parameters",
                    mistakes={
                        **_unchanged_hints(params),
                        "Step against the gradient: subtract learning_rate * gradient.": plus,
                    },
                )


# ----- momentum ------------------------------------------------------------------------------


def _check_zeros_state(ck: Check, got, params: dict, expected: dict, what: str) -> None:
    copies = {f"d{k}": v for k, v in params.items()}
    hint = f"{what} starts at zero: np.zeros_like(parameters[...]), not a copy of the parameter."
    ck.dict(got, expected, what, {hint: copies})
    for key in expected:
        ck.that(
            got[key] is not params[key[1:]],
            f'{what}["{key}"] is the parameter array itself.',
            "Make a new array of zeros with np.zeros_like.",
        )


@exercise(
    params=("parameters",),
    hints=["One zero array per gradient, dW{l} and db{l}, each with the shape of its parameter."],
)
def initialize_velocity(ck: Check) -> None:
    import keras

    for dims in ck.pick(*NETS):
        params, _, _ = _problem(dims, 0)
        oracle = _Keras(keras.optimizers.SGD(learning_rate=0.125, momentum=0.5), params)
        with ck.case(f"layer sizes {dims} (L = {len(dims) - 1})"):
            got = ck.call(params)
            _check_zeros_state(ck, got, params, oracle.slots("momentum"), "v")


MOMENTUM = (
    [([3, 4, 1], 0.875, 0.125), ([5, 4, 3, 1], 0.75, 0.0625)],
    [([2, 1], 0.5, 0.25), ([6, 5, 4, 3, 1], 0.9375, 0.5)],
)


@exercise(
    params=("parameters", "grads", "v", "beta", "learning_rate"),
    hints=[
        "The velocity is an exponentially weighted average of the gradients (weight beta on the old "
        "velocity); each parameter steps along the NEW velocity. Return new dicts."
    ],
    in_place=_NEW_DICTS,
)
def update_parameters_with_momentum(ck: Check) -> None:
    import keras

    for i, (dims, beta, lr) in enumerate(ck.pick(*MOMENTUM)):
        params, grads, rng = _problem(dims, 10 + i)
        starts = {
            "v of zeros, 3 steps in a row": (_like(params, np.zeros), 3),
            "a random v, one step": (_like(params, lambda s: rng.normal(0, 1, s)), 1),
        }
        for label, (v0, steps) in starts.items():
            oracle = _Keras(keras.optimizers.SGD(learning_rate=lr * (1 - beta), momentum=beta), params)
            oracle.set_slots("momentum", v0, scale=-lr)
            no_damping = _Keras(keras.optimizers.SGD(learning_rate=lr, momentum=beta), params)
            no_damping.set_slots("momentum", v0, scale=-lr)
            p, v = params, v0
            for step in range(1, steps + 1):
                g = grads()
                oracle.step(g)
                no_damping.step(g)
                with ck.case(
                    f"layer sizes {dims}, beta = {beta}, learning_rate = {lr}, {label}: step {step}"
                ):
                    p_before, v_before = p, v
                    p, v = ck.returns(ck.call(p, g, v, beta, lr), "parameters, v")
                    hint_v = "v = beta * v + (1 - beta) * dW: the (1 - beta) factor is missing."
                    _compare(
                        ck,
                        v,
                        oracle.slots("momentum", scale=-1 / lr),
                        "v",
                        mistakes={
                            hint_v: no_damping.slots("momentum", scale=-1 / lr),
                            "v did not change: store beta * v + (1 - beta) * gradient in the returned v.": v0
                            if step == 1
                            else {},
                        },
                    )
                    gd = {k: p_before[k] - lr * g[f"d{k}"] for k in params}
                    hint_new_v = (
                        "Step with the new v (after this step's update): parameter - learning_rate * v; "
                        "v is all zeros before the first step."
                    )
                    _compare(
                        ck,
                        p,
                        oracle.parameters(),
                        "parameters",
                        mistakes={
                            "The step used the gradient: with momentum it is parameter - learning_rate * v, "
                            "with the v just updated.": gd,
                            hint_new_v: {k: p_before[k] - lr * v_before[f"d{k}"] for k in params},
                            **_unchanged_hints(p_before),
                            hint_v: no_damping.parameters(),
                        },
                    )


# ----- RMSprop -------------------------------------------------------------------------------


def _raw_rmsprop(params: dict, grads: dict, s: dict, beta2: float, lr: float, eps: float):
    """RMSprop with ε outside the root: TensorFlow's Adam kernel with β1 = 0 and β powers 0."""
    import tensorflow as tf

    new_p, new_s = {}, {}
    for k in params:
        var, m, v = (
            tf.Variable(a, dtype=tf.float64) for a in (params[k], np.zeros_like(params[k]), s[f"d{k}"])
        )
        c = lambda x: tf.constant(x, tf.float64)  # noqa: E731
        tf.raw_ops.ResourceApplyAdam(
            var=var.handle,
            m=m.handle,
            v=v.handle,
            beta1_power=c(0.0),
            beta2_power=c(0.0),
            lr=c(lr),
            beta1=c(0.0),
            beta2=c(beta2),
            epsilon=c(eps),
            grad=c(grads[f"d{k}"]),
        )
        new_p[k], new_s[f"d{k}"] = var.numpy(), v.numpy()
    return new_p, new_s


RMSPROP = (
    [([3, 4, 1], 0.9990234375, 0.0625), ([5, 4, 3, 1], 0.875, 0.125)],
    [([2, 1], 0.5, 0.25), ([6, 5, 4, 3, 1], 0.96875, 0.03125)],
)
_HINT_S = "s = beta2 * s + (1 - beta2) * gradient**2: the (1 - beta2) factor is missing."
_HINT_ROOT = (
    "Divide by np.sqrt(s) + epsilon: the square root of s (the new s), with epsilon outside the root."
)


@exercise(
    params=("parameters", "grads", "s", "beta2", "learning_rate", "epsilon"),
    hints=[
        "s is an exponentially weighted average of the SQUARED gradients (weight beta2 on the old s); each "
        "step divides the gradient by the root of the new s plus epsilon. Return new dicts."
    ],
    in_place=_NEW_DICTS,
)
def update_parameters_with_rmsprop(ck: Check) -> None:
    import keras

    for i, (dims, beta2, lr) in enumerate(ck.pick(*RMSPROP)):
        params, grads, rng = _problem(dims, 20 + i)
        # Keras: epsilon inside the root, so run with epsilon 0 and give the learner a negligible one
        oracle = _Keras(
            keras.optimizers.RMSprop(learning_rate=lr, rho=beta2, momentum=0.0, centered=False, epsilon=0.0),
            params,
        )
        p, s = params, _like(params, np.zeros)
        for step in range(1, 4):
            g = grads()
            oracle.step(g)
            with ck.case(
                f"layer sizes {dims}, beta2 = {beta2}, learning_rate = {lr}, epsilon = 1e-12, s of zeros, "
                f"step {step} of 3"
            ):
                p_before, s_before = p, s
                p, s = ck.returns(ck.call(p, g, s, beta2, lr, 1e-12), "parameters, s")
                _compare(
                    ck,
                    s,
                    oracle.slots("velocity"),
                    "s",
                    mistakes={
                        _HINT_S: {k: beta2 * s_before[k] + g[k] ** 2 for k in s_before},
                        "Square the gradient: s averages gradient**2.": {
                            k: beta2 * s_before[k] + (1 - beta2) * g[k] for k in s_before
                        },
                    },
                )
                with np.errstate(divide="ignore", invalid="ignore"):
                    old_s = {
                        k: p_before[k] - lr * g[f"d{k}"] / (np.sqrt(s_before[f"d{k}"]) + 1e-12)
                        for k in params
                    }
                _compare(
                    ck,
                    p,
                    oracle.parameters(),
                    "parameters",
                    mistakes={
                        **_unchanged_hints(p_before),
                        _HINT_ROOT: {
                            k: p_before[k] - lr * g[f"d{k}"] / (oracle.slots("velocity")[f"d{k}"] + 1e-12)
                            for k in params
                        },
                        "Use the new s (after this step's update) in the denominator.": old_s,
                    },
                )
        # a large epsilon and a running s: TensorFlow's kernel, epsilon outside the root
        eps = 0.25
        s0 = _like(params, lambda shape: rng.random(shape) * 2)
        g = grads()
        expected_p, expected_s = _raw_rmsprop(params, g, s0, beta2, lr, eps)
        with ck.case(
            f"layer sizes {dims}, beta2 = {beta2}, learning_rate = {lr}, epsilon = {eps}, a random s"
        ):
            p, s = ck.returns(ck.call(params, g, s0, beta2, lr, eps), "parameters, s")
            _compare(ck, s, expected_s, "s")
            inside = {k: params[k] - lr * g[f"d{k}"] / np.sqrt(expected_s[f"d{k}"] + eps) for k in params}
            old = {k: params[k] - lr * g[f"d{k}"] / (np.sqrt(s0[f"d{k}"]) + eps) for k in params}
            _compare(
                ck,
                p,
                expected_p,
                "parameters",
                mistakes={
                    "epsilon goes outside the square root: np.sqrt(s) + epsilon.": inside,
                    "Use the new s (after this step's update) in the denominator.": old,
                },
            )


# ----- Adam ----------------------------------------------------------------------------------


@exercise(
    params=("parameters",),
    hints=[
        "Two dicts, v and s, each with one zero array per gradient (dW{l}, db{l}) of its parameter's shape."
    ],
)
def initialize_adam(ck: Check) -> None:
    import keras

    for dims in ck.pick(*NETS):
        params, _, _ = _problem(dims, 1)
        oracle = _Keras(keras.optimizers.Adam(), params)
        with ck.case(f"layer sizes {dims} (L = {len(dims) - 1})"):
            v, s = ck.returns(ck.call(params), "v, s")
            _check_zeros_state(ck, v, params, oracle.slots("momentum"), "v")
            _check_zeros_state(ck, s, params, oracle.slots("velocity"), "s")
            ck.that(
                all(v[k] is not s[k] for k in v),
                "v and s share their arrays.",
                "Make separate arrays of zeros for v and for s.",
            )


ADAM_DEFAULTS = {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
# (layer sizes, learning rate, beta1, beta2, epsilon, steps, first t; a random state when first t > 1)
ADAM = (
    [([3, 4, 1], 0.0625, 0.875, 0.9990234375, 1e-8, 3, 1), ([5, 4, 3, 1], 0.125, 0.75, 0.96875, 0.25, 1, 6)],
    [([2, 1], 0.25, 0.5, 0.9375, 0.5, 4, 1), ([6, 5, 4, 3, 1], 0.03125, 0.9375, 0.9990234375, 1e-8, 2, 40)],
)


def _adam_mistakes(
    p_before: dict, g: dict, v: dict, s: dict, t: int, lr: float, b1: float, b2: float, eps: float
) -> dict[str, dict]:
    """What common mistakes give, from the oracle's moments (used to choose a hint only)."""

    def step(vc, sc, root=lambda x: np.sqrt(x) + eps):
        return {k: p_before[k] - lr * vc[f"d{k}"] / root(sc[f"d{k}"]) for k in p_before}

    vc = {k: x / (1 - b1**t) for k, x in v.items()}
    sc = {k: x / (1 - b2**t) for k, x in s.items()}
    out = {
        "Divide v and s by (1 - beta1**t) and (1 - beta2**t) before the step: the bias correction is "
        "missing.": step(v, s),
        "epsilon goes outside the square root: np.sqrt(s_corrected) + epsilon.": step(
            vc, sc, lambda x: np.sqrt(x + eps)
        ),
    }
    if t > 1:
        out["The bias correction uses t as given (this step's number, from 1), not t - 1."] = step(
            {k: x / (1 - b1 ** (t - 1)) for k, x in v.items()},
            {k: x / (1 - b2 ** (t - 1)) for k, x in s.items()},
        )
    return out


@exercise(
    params=("parameters", "grads", "v", "s", "t"),
    hints=[
        "Momentum's average for v and RMSprop's for s, each bias-corrected by 1 - beta**t; the step is "
        "v_corrected over the root of s_corrected plus epsilon. Return new dicts."
    ],
    in_place=_NEW_DICTS,
)
def update_parameters_with_adam(ck: Check) -> None:
    import keras

    ck.defaults(ADAM_DEFAULTS)
    for i, (dims, lr, b1, b2, eps, steps, t0) in enumerate(ck.pick(*ADAM)):
        params, grads, rng = _problem(dims, 30 + i)
        if t0 == 1:
            v0, s0, start = _like(params, np.zeros), _like(params, np.zeros), "v and s of zeros"
        else:
            v0 = _like(params, lambda shape: rng.normal(0, 0.5, shape))
            s0 = _like(params, lambda shape: rng.random(shape))
            start = "a random v and s"

        def adam(t: int):
            """Keras's Adam for step t: it adds its epsilon to the uncorrected sqrt(s), the notebook
            adds epsilon to sqrt(s / (1 - beta2**t)), so Keras's is epsilon * sqrt(1 - beta2**t)."""
            return keras.optimizers.Adam(
                learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps * math.sqrt(1 - b2**t)
            )

        oracle = _Keras(adam(t0), params)
        state = {"momentum": v0, "velocity": s0}
        p, v, s = params, v0, s0
        for t in range(t0, t0 + steps):
            g = grads()
            oracle.use(adam(t))  # a new optimizer carrying on from the state of the last step
            for slot, values in state.items():
                oracle.set_slots(slot, values)
            oracle.opt.iterations.assign(t - 1)
            oracle.step(g)
            state = {slot: oracle.slots(slot) for slot in state}
            with ck.case(
                f"layer sizes {dims}, learning_rate = {lr}, beta1 = {b1}, beta2 = {b2}, epsilon = {eps}, "
                f"{start}, t = {t} (step {t - t0 + 1} of {steps})"
            ):
                p_before, v_before, s_before = p, v, s
                got = ck.call(p, g, v, s, t, learning_rate=lr, beta1=b1, beta2=b2, epsilon=eps)
                p, v, s, v_c, s_c = ck.returns(got, "parameters, v, s, v_corrected, s_corrected")
                ev, es = oracle.slots("momentum"), oracle.slots("velocity")
                _compare(
                    ck,
                    v,
                    ev,
                    "v",
                    mistakes={
                        "v = beta1 * v + (1 - beta1) * dW: the (1 - beta1) factor is missing.": {
                            k: b1 * v_before[k] + g[k] for k in ev
                        },
                        "v is the average of the gradient, not of its square.": {
                            k: b1 * v_before[k] + (1 - b1) * g[k] ** 2 for k in ev
                        },
                    },
                )
                _compare(
                    ck,
                    s,
                    es,
                    "s",
                    mistakes={
                        "s uses beta2, not beta1: s = beta2 * s + (1 - beta2) * dW**2.": {
                            k: b1 * s_before[k] + (1 - b1) * g[k] ** 2 for k in es
                        },
                        "Square the gradient: s averages dW**2.": {
                            k: b2 * s_before[k] + (1 - b2) * g[k] for k in es
                        },
                    },
                )
                hint_t = (
                    "Correct with t itself: v / (1 - beta1**t), where t is the argument (it starts at 1)."
                )
                with np.errstate(divide="ignore", invalid="ignore"):
                    t_minus_1 = {k: x / (1 - b1 ** (t - 1)) for k, x in ev.items()}
                _compare(
                    ck,
                    v_c,
                    {k: x / (1 - b1**t) for k, x in ev.items()},
                    "v_corrected",
                    mistakes={
                        hint_t: t_minus_1,
                        "v_corrected divides by (1 - beta1**t), not by (1 - beta1)**t or (1 - beta2**t).": {
                            k: x / (1 - b1) ** t for k, x in ev.items()
                        },
                        "v_corrected = v / (1 - beta1**t): the correction is missing.": ev,
                    },
                )
                _compare(
                    ck,
                    s_c,
                    {k: x / (1 - b2**t) for k, x in es.items()},
                    "s_corrected",
                    mistakes={
                        "s_corrected = s / (1 - beta2**t), with beta2.": {
                            k: x / (1 - b1**t) for k, x in es.items()
                        },
                        "s_corrected = s / (1 - beta2**t): the correction is missing.": es,
                        hint_t: {k: x / (1 - b2 ** (t - 1)) for k, x in es.items()} if t > 1 else {},
                    },
                )
                _compare(
                    ck,
                    p,
                    oracle.parameters(),
                    "parameters",
                    mistakes={
                        **_unchanged_hints(p_before),
                        **_adam_mistakes(p_before, g, ev, es, t, lr, b1, b2, eps),
                    },
                )


# ----- AdaGrad -------------------------------------------------------------------------------


def _raw_adagrad(params: dict, grads: dict, s: dict, lr: float, eps: float):
    """TensorFlow's AdagradV2 kernel: accum += g^2; var -= lr g / (sqrt(accum) + epsilon)."""
    import tensorflow as tf

    new_p, new_s = {}, {}
    for k in params:
        var, acc = tf.Variable(params[k], dtype=tf.float64), tf.Variable(s[f"d{k}"], dtype=tf.float64)
        tf.raw_ops.ResourceApplyAdagradV2(
            var=var.handle,
            accum=acc.handle,
            lr=tf.constant(lr, tf.float64),
            epsilon=tf.constant(eps, tf.float64),
            grad=tf.constant(grads[f"d{k}"], tf.float64),
        )
        new_p[k], new_s[f"d{k}"] = var.numpy(), acc.numpy()
    return new_p, new_s


ADAGRAD = (
    [([3, 4, 1], 0.25, 0.0), ([5, 4, 3, 1], 0.125, 0.125)],
    [([2, 1], 0.5, 1.0), ([6, 5, 4, 3, 1], 0.0625, 0.0)],
)


@exercise(
    params=("parameters", "grads", "s", "learning_rate", "epsilon"),
    hints=[
        "s is a running SUM of the squared gradients (no beta); each step divides the gradient by the root "
        "of the new s plus epsilon. Return new dicts."
    ],
    in_place=_NEW_DICTS,
)
def update_parameters_with_adagrad(ck: Check) -> None:
    import keras

    ck.defaults({"epsilon": 1e-8})
    for i, (dims, lr, s_init) in enumerate(ck.pick(*ADAGRAD)):
        params, grads, rng = _problem(dims, 40 + i)
        oracle = _Keras(
            keras.optimizers.Adagrad(learning_rate=lr, initial_accumulator_value=s_init, epsilon=0.0), params
        )
        p, s = params, _like(params, lambda shape: np.full(shape, s_init))
        for step in range(1, 4):
            g = grads()
            oracle.step(g)
            with ck.case(
                f"layer sizes {dims}, learning_rate = {lr}, epsilon = 1e-12, s starting at {s_init}, "
                f"step {step} of 3"
            ):
                p_before, s_before = p, s
                p, s = ck.returns(ck.call(p, g, s, lr, 1e-12), "parameters, s")
                _compare(
                    ck,
                    s,
                    oracle.slots("accumulator"),
                    "s",
                    mistakes={
                        "s adds up the squared gradients: s = s + gradient**2.": {
                            k: s_before[k] + g[k] for k in s_before
                        },
                        "s keeps the sum of all squared gradients so far: add to it, do not replace it.": {
                            k: g[k] ** 2 for k in s_before
                        },
                    },
                )
                with np.errstate(divide="ignore", invalid="ignore"):
                    old_s = {
                        k: p_before[k] - lr * g[f"d{k}"] / (np.sqrt(s_before[f"d{k}"]) + 1e-12)
                        for k in params
                    }
                _compare(
                    ck,
                    p,
                    oracle.parameters(),
                    "parameters",
                    mistakes={
                        **_unchanged_hints(p_before),
                        "Use the new s (after adding this step's gradient**2) in the denominator.": old_s,
                    },
                )
        eps = 0.5
        s0 = _like(params, lambda shape: rng.random(shape) * 3)
        g = grads()
        expected_p, expected_s = _raw_adagrad(params, g, s0, lr, eps)
        with ck.case(f"layer sizes {dims}, learning_rate = {lr}, epsilon = {eps}, a random s"):
            p, s = ck.returns(ck.call(params, g, s0, lr, eps), "parameters, s")
            _compare(ck, s, expected_s, "s")
            inside = {k: params[k] - lr * g[f"d{k}"] / np.sqrt(expected_s[f"d{k}"] + eps) for k in params}
            _compare(
                ck,
                p,
                expected_p,
                "parameters",
                mistakes={
                    "epsilon goes outside the square root: np.sqrt(s) + epsilon.": inside,
                    "Use the new s (after adding this step's gradient**2) in the denominator.": {
                        k: params[k] - lr * g[f"d{k}"] / (np.sqrt(s0[f"d{k}"]) + eps) for k in params
                    },
                },
            )


# ----- learning-rate schedules ------------------------------------------------------------------


def _keras_rate(schedule, epoch: int) -> float:
    return float(np.asarray(schedule(epoch)))


def _check_rates(ck: Check, label: str, epochs: list[int], call, expected, mistakes) -> None:
    """call(epoch) runs the learner's function; expected(epoch) the oracle.

    mistakes(epoch) -> {hint: value}.
    """
    for epoch in epochs:
        with ck.case(f"{label}, epoch_num = {epoch}"):
            ck.scalar(
                call(epoch),
                expected(epoch),
                what="the learning rate",
                rtol=1e-6,
                atol=1e-12,
                mistakes=mistakes(epoch),
            )


@exercise(
    params=("learning_rate0", "epoch_num", "decay_rate"),
    hints=["Inverse-time decay: the initial rate divided by 1 plus the decay rate times the epoch."],
)
def update_lr(ck: Check) -> None:
    import keras

    for lr0, decay in ck.pick([(0.5, 1.0), (0.2, 0.3)], [(1.0, 0.01), (0.05, 2.0)]):
        sched = keras.optimizers.schedules.InverseTimeDecay(np.float64(lr0), decay_steps=1, decay_rate=decay)
        _check_rates(
            ck,
            f"learning_rate0 = {lr0}, decay_rate = {decay}",
            [0, 1, 2, 7, 10, 99],
            lambda e: ck.call(lr0, e, decay),
            lambda e: _keras_rate(sched, e),
            lambda e: {
                "Mind the brackets: learning_rate0 / (1 + decay_rate * epoch_num).": lr0 / 1 + decay * e,
                "The rate decays as 1 / (1 + decay_rate * epoch_num), not geometrically.": lr0 * decay**e,
            },
        )


@exercise(
    params=("learning_rate0", "epoch_num", "decay_rate", "time_interval"),
    hints=[
        "Inverse-time decay of the number of whole intervals elapsed: the rate only changes every "
        "time_interval epochs."
    ],
)
def schedule_lr_decay(ck: Check) -> None:
    import keras

    ck.defaults({"time_interval": 1000})
    for lr0, decay, interval in ck.pick([(0.5, 1.0, 10), (0.1, 0.3, 1000)], [(0.2, 2.0, 1), (0.03, 0.5, 7)]):
        steps = keras.optimizers.schedules.InverseTimeDecay(np.float64(lr0), interval, decay, staircase=True)
        smooth = keras.optimizers.schedules.InverseTimeDecay(np.float64(lr0), interval, decay)
        epochs = sorted(
            {0, 1, interval - 1, interval, interval + 1, 2 * interval + 3, 999, 1000, 2500} - {-1}
        )
        _check_rates(
            ck,
            f"learning_rate0 = {lr0}, decay_rate = {decay}, time_interval = {interval}",
            epochs,
            lambda e: ck.call(lr0, e, decay, interval),
            lambda e: _keras_rate(steps, e),
            lambda e: {
                "Round epoch_num / time_interval down (np.floor or //): the rate should stay "
                "constant for time_interval epochs.": _keras_rate(smooth, e),
                "Divide epoch_num by time_interval: the rate drops once per interval, not every epoch.": lr0
                / (1 + decay * e),
                "Use the time_interval argument, not 1000.": lr0 / (1 + decay * (e // 1000)),
            },
        )


@exercise(
    params=("learning_rate0", "epoch_num", "drop", "epochs_drop"),
    hints=["The rate is multiplied by drop once every epochs_drop whole epochs."],
)
def step_decay(ck: Check) -> None:
    import keras

    ck.defaults({"drop": 0.5, "epochs_drop": 10})
    for lr0, drop, every in ck.pick([(0.1, 0.5, 10), (0.4, 0.25, 3)], [(1.0, 0.875, 1), (0.05, 0.1, 50)]):
        steps = keras.optimizers.schedules.ExponentialDecay(np.float64(lr0), every, drop, staircase=True)
        smooth = keras.optimizers.schedules.ExponentialDecay(np.float64(lr0), every, drop)
        epochs = sorted({0, 1, every - 1, every, every + 1, 3 * every + 2, 100})
        _check_rates(
            ck,
            f"learning_rate0 = {lr0}, drop = {drop}, epochs_drop = {every}",
            epochs,
            lambda e: ck.call(lr0, e, drop, every),
            lambda e: _keras_rate(steps, e),
            lambda e: {
                "Round epoch_num / epochs_drop down (//): the rate is constant between drops.": _keras_rate(
                    smooth, e
                ),
                "The rate drops once every epochs_drop epochs, not every epoch.": lr0 * drop**e,
            },
        )


@exercise(
    params=("learning_rate0", "epoch_num", "total_epochs", "lr_min"),
    hints=[
        "Half a cosine from learning_rate0 down to lr_min over total_epochs, staying at lr_min afterwards."
    ],
)
def cosine_annealing(ck: Check) -> None:
    import keras

    ck.defaults({"lr_min": 0.0})
    for lr0, total, lr_min in ck.pick(
        [(0.1, 100, 0.0), (0.5, 30, 0.05)], [(0.01, 7, 0.001), (1.0, 1000, 0.0)]
    ):
        sched = keras.optimizers.schedules.CosineDecay(np.float64(lr0), total, alpha=lr_min / lr0)
        epochs = sorted({0, 1, total // 4, total // 2, total - 1, total, total + 5, 2 * total})

        def mistakes(e: int) -> dict[str, float]:
            c = math.cos(math.pi * e / total)
            return {
                "After total_epochs the rate stays at lr_min: use min(epoch_num, total_epochs).": lr_min
                + (lr0 - lr_min) * (1 + c) / 2,
                "The cosine term is (1 + cos(pi * e / total_epochs)) / 2, which goes from 1 to 0.": lr_min
                + (lr0 - lr_min) * c,
                "The rate ends at lr_min, not at 0: lr_min + (learning_rate0 - lr_min) * ...": lr0
                * (1 + math.cos(math.pi * min(e, total) / total))
                / 2,
            }

        _check_rates(
            ck,
            f"learning_rate0 = {lr0}, total_epochs = {total}, lr_min = {lr_min}",
            epochs,
            lambda e: ck.call(lr0, e, total, lr_min),
            lambda e: _keras_rate(sched, e),
            mistakes,
        )


@exercise(
    params=("learning_rate0", "epoch_num", "warmup_epochs", "decay_epochs", "lr_min"),
    hints=[
        "A linear ramp from 0 to learning_rate0 during the warm-up, then the cosine of cosine_annealing "
        "counted from the end of the warm-up."
    ],
)
def warmup_then_cosine(ck: Check) -> None:
    import keras

    ck.defaults({"lr_min": 0.0})
    for lr0, warm, decay, lr_min in ck.pick(
        [(0.1, 10, 90, 0.0), (0.4, 3, 20, 0.04)], [(0.02, 1, 5, 0.002), (1.0, 50, 500, 0.0)]
    ):
        sched = keras.optimizers.schedules.CosineDecay(
            np.float64(0.0), decay, alpha=lr_min / lr0, warmup_target=np.float64(lr0), warmup_steps=warm
        )
        epochs = sorted(
            {0, 1, warm // 2, warm - 1, warm, warm + 1, warm + decay // 2, warm + decay, warm + decay + 7}
        )

        def cosine(e: float) -> float:
            return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * min(max(e, 0), decay) / decay)) / 2

        def mistakes(e: int) -> dict[str, float]:
            return {
                "After the warm-up, count the cosine's epochs from its end: epoch_num - "
                "warmup_epochs.": cosine(e) if e >= warm else lr0 * e / warm,
                "The warm-up starts at 0: learning_rate0 * epoch_num / warmup_epochs.": lr0 * (e + 1) / warm
                if e < warm
                else cosine(e - warm),
                "The warm-up is missing: the rate should rise from 0 over the first warmup_epochs "
                "epochs.": cosine(e - warm),
            }

        _check_rates(
            ck,
            f"learning_rate0 = {lr0}, warmup_epochs = {warm}, decay_epochs = {decay}, lr_min = {lr_min}",
            epochs,
            lambda e: ck.call(lr0, e, warm, decay, lr_min),
            lambda e: _keras_rate(sched, e),
            mistakes,
        )

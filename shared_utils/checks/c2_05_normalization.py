"""Checks for course 2, notebook 5: normalization by hand (batch, layer, instance, group norm).

Oracles, all in float64:

* ``keras.layers.BatchNormalization`` with gamma, beta, moving mean and moving variance set
  by ``set_weights`` and called with ``training=True`` / ``training=False``: the output and
  the updated moving statistics.  Keras 3 updates them as
  ``moving = moving * momentum + batch * (1 - momentum)`` with the *biased* batch variance
  (``ops.moments``), the convention the notebook's ``bn_param["momentum"]`` follows.
* ``tf.nn.moments`` for the cache the backward pass receives (x_hat and the standard
  deviation), and ``tf.GradientTape`` through the Keras layer in training mode for dx,
  dgamma and dbeta.
* ``keras.layers.LayerNormalization(axis=-1)`` (``rms_scaling`` off, its default).
* ``keras.layers.GroupNormalization(groups=G)`` for group norm, and with ``groups=C`` for
  instance norm.

The NumPy expressions below only build inputs and the values of known mistakes (to choose
a hint); no expected value comes from them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from shared_utils.engine import oracles
from shared_utils.engine.checking import Check, exercise

EPS_DEFAULT = {"eps": 1e-5}


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(5200 + seed)


def _data(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Random activations whose mean and spread differ from channel to channel (last axis)."""
    c = shape[-1]
    loc = rng.normal(0, 3, size=c)
    scale = rng.uniform(0.3, 4.0, size=c)
    return rng.normal(0, 1, size=shape) * scale + loc


def _affine(rng: np.random.Generator, c: int) -> tuple[np.ndarray, np.ndarray]:
    """gamma around 1 (never 1 exactly) and a non-zero beta, shape (c,)."""
    return rng.uniform(0.5, 2.0, size=c), rng.normal(0, 1, size=c)


def _np_norm(
    x: np.ndarray, axes: tuple[int, ...], eps: float, gamma, beta, ddof: int = 0, eps_outside: bool = False
) -> np.ndarray:
    """Normalisation over ``axes`` in NumPy: only used for the values of known mistakes."""
    mu = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True, ddof=ddof)
    std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
    return gamma * (x - mu) / std + beta


# ----- oracles ---------------------------------------------------------------------------


def _keras_bn(
    x: np.ndarray, gamma, beta, running_mean, running_var, momentum: float, eps: float, training: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Output and updated moving mean / variance of keras.layers.BatchNormalization."""
    import keras

    layer = keras.layers.BatchNormalization(
        axis=-1, momentum=momentum, epsilon=eps, dtype="float64", name="check_batchnorm"
    )
    out = oracles.layer_output(layer, x, [gamma, beta, running_mean, running_var], training=training)
    return out, np.asarray(layer.moving_mean), np.asarray(layer.moving_variance)


def _tf_moments_cache(x: np.ndarray, gamma: np.ndarray, eps: float):
    """(x_hat, gamma, std) for an (N, D) batch, with TensorFlow's moments."""
    import tensorflow as tf

    mean, var = tf.nn.moments(tf.constant(x, tf.float64), axes=[0])
    std = tf.sqrt(var + eps)
    return ((x - mean.numpy()) / std.numpy()), gamma.copy(), std.numpy()


def _tape_bn_grads(x: np.ndarray, gamma, beta, dout: np.ndarray, eps: float):
    """dx, dgamma, dbeta of sum(BN(x) * dout) by GradientTape through the Keras layer."""
    import keras
    import tensorflow as tf

    layer = keras.layers.BatchNormalization(axis=-1, epsilon=eps, dtype="float64", name="check_batchnorm")
    layer.build(x.shape)
    layer.set_weights([gamma, beta, np.zeros_like(gamma), np.ones_like(gamma)])
    xt = tf.constant(x, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(layer(xt, training=True) * tf.constant(dout, tf.float64))
    dx, dgamma, dbeta = tape.gradient(loss, [xt, layer.gamma, layer.beta])
    return dx.numpy(), np.asarray(dgamma), np.asarray(dbeta)


def _keras_layernorm(x: np.ndarray, gamma, beta, eps: float) -> np.ndarray:
    import keras

    layer = keras.layers.LayerNormalization(axis=-1, epsilon=eps, dtype="float64", name="check_layernorm")
    assert not layer.rms_scaling
    return oracles.layer_output(layer, x, [gamma, beta])


def _keras_groupnorm(x: np.ndarray, gamma, beta, groups: int, eps: float) -> np.ndarray:
    import keras

    layer = keras.layers.GroupNormalization(
        groups=groups, axis=-1, epsilon=eps, dtype="float64", name="check_groupnorm"
    )
    return oracles.layer_output(layer, x, [gamma, beta])


# ----- batch norm, forward ---------------------------------------------------------------

BN_SIZES_BASIC = [(6, 4, 0.9, 1e-5), (12, 5, 0.7, 0.1)]
BN_SIZES_EXTENDED = [(2, 3, 0.99, 1e-3), (40, 7, 0.5, 1e-5), (5, 1, 0.9, 0.5)]


def _bn_problem(seed: int, n: int, d: int):
    rng = _rng(seed)
    x = _data(rng, (n, d))
    gamma, beta = _affine(rng, d)
    running_mean = rng.normal(0, 1, size=d)
    running_var = rng.uniform(0.5, 3.0, size=d)
    return x, gamma, beta, running_mean, running_var


def _unpack_forward(ck: Check, got) -> tuple:
    ck.that(
        isinstance(got, tuple) and len(got) == 3,
        f"batchnorm_forward should return three things (out, cache, new_bn_param), got "
        f"{type(got).__name__}{' of length ' + str(len(got)) if isinstance(got, (tuple, list)) else ''}.",
        "End with `return out, cache, new_bn_param`.",
    )
    out, cache, new_param = got
    ck.keys(new_param, ["mode", "eps", "momentum", "running_mean", "running_var"], what="new_bn_param")
    return out, cache, new_param


def _forbid_mutation(ck: Check, x, gamma, beta, bn_param: dict) -> None:
    """Fail with a pointed message when the learner's function changes bn_param in place."""
    probe = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in bn_param.items()}
    # called without arguments of its own, so that ck.call leaves the in-place test to this check,
    # while the learner's errors are reported as usual
    ck.call(fn=lambda: ck.obj(x.copy(), gamma.copy(), beta.copy(), probe))
    changed = [k for k in bn_param if k not in probe or not np.array_equal(np.asarray(probe[k]), bn_param[k])]
    changed += [k for k in probe if k not in bn_param]
    if changed:
        ck.fail(
            f"your function changed bn_param in place (key {changed[0]!r}); the caller's dict and "
            "arrays must stay as they were.",
            "Return a new dict: new_bn_param = dict(bn_param), with new arrays "
            "(new_bn_param['running_mean'] = momentum * running_mean + ...), never `running_mean *= ...` "
            "or `bn_param[...] = ...`.",
        )


def _check_running(ck: Check, new_param, stat: tuple, momentum: float, more_mistakes: dict) -> None:
    """new_bn_param["running_<name>"] after a train step; ``stat`` is (name, symbol, expected, old, batch).

    ``more_mistakes`` follow the two every running statistic shares: not updated, momentum the wrong way.
    """
    name, symbol, expected, old, batch = stat
    word = {"mean": "mean", "var": "variance"}[name]
    ck.array(
        new_param[f"running_{name}"],
        expected,
        what=f'new_bn_param["running_{name}"]',
        rtol=1e-7,
        atol=1e-10,
        mistakes={
            f"The running {word} was not updated: in train mode it moves towards the batch {word}.": old,
            f"momentum weighs the OLD value: momentum * running_{name} + (1 - momentum) * {symbol}.": momentum
            * batch
            + (1 - momentum) * old,
            **more_mistakes,
        },
    )


@exercise(
    params=("x", "gamma", "beta", "bn_param"),
    hints=[
        "Train mode normalises with the batch's own mean and biased variance over the examples (axis 0), "
        "then scales by gamma and shifts by beta, and moves the running statistics towards the batch's by "
        "momentum. Test mode normalises with the running statistics and leaves them unchanged."
    ],
)
def batchnorm_forward(ck: Check) -> None:
    sizes = ck.pick(BN_SIZES_BASIC, BN_SIZES_EXTENDED)
    for seed in ck.seeds():
        for n, d, momentum, eps in sizes:
            x, gamma, beta, rm, rv = _bn_problem(seed, n, d)
            train_out, exp_rm, exp_rv = _keras_bn(x, gamma, beta, rm, rv, momentum, eps, training=True)
            test_out = _keras_bn(x, gamma, beta, rm, rv, momentum, eps, training=False)[0]
            # ---- training mode
            with ck.case(f"mode 'train', x of shape ({n}, {d}), momentum={momentum}, eps={eps}, seed {seed}"):
                bn_param = {
                    "mode": "train",
                    "eps": eps,
                    "momentum": momentum,
                    "running_mean": rm.copy(),
                    "running_var": rv.copy(),
                }
                _forbid_mutation(ck, x, gamma, beta, bn_param)
                out, cache, new_param = _unpack_forward(ck, ck.call(x, gamma, beta, bn_param))
                mu, var, var1 = x.mean(axis=0), x.var(axis=0), x.var(axis=0, ddof=1)
                ck.array(
                    out,
                    train_out,
                    what="out",
                    rtol=1e-6,
                    atol=1e-8,
                    mistakes={
                        "You normalised each example over its features (axis=1): batch norm averages over "
                        "the examples, axis=0.": _np_norm(x, (1,), eps, gamma, beta),
                        "Use the biased variance (np.var with its default ddof=0), as Keras does.": _np_norm(
                            x, (0,), eps, gamma, beta, ddof=1
                        ),
                        "eps goes inside the square root: np.sqrt(var + eps).": _np_norm(
                            x, (0,), eps, gamma, beta, eps_outside=True
                        ),
                        "Forgot the scale and shift: out = gamma * x_hat + beta.": _np_norm(
                            x, (0,), eps, 1.0, 0.0
                        ),
                        "In training mode normalise with the batch's own mean and variance, not the running "
                        "ones.": test_out,
                    },
                )
                _check_running(
                    ck,
                    new_param,
                    ("mean", "mu", exp_rm, rm, mu),
                    momentum,
                    {"The new running mean is the batch mean alone: blend it with the old one.": mu},
                )
                _check_running(
                    ck,
                    new_param,
                    ("var", "var", exp_rv, rv, var),
                    momentum,
                    {
                        "Keras blends in the biased batch variance (ddof=0), the one you normalise "
                        "with.": momentum * rv + (1 - momentum) * var1,
                    },
                )
                ck.that(
                    isinstance(cache, tuple) and len(cache) == 3,
                    f"in train mode the cache should be the tuple (x_hat, gamma, std), got "
                    f"{type(cache).__name__}.",
                    "Set cache = (x_hat, gamma, std).",
                )
                exp_xhat, _, exp_std = _tf_moments_cache(x, gamma, eps)
                ck.array(cache[0], exp_xhat, what="cache[0] (x_hat)", rtol=1e-6, atol=1e-8)
                ck.array(cache[1], gamma, what="cache[1] (gamma)")
                ck.array(
                    cache[2],
                    exp_std,
                    what="cache[2] (std = np.sqrt(var + eps), shape (D,))",
                    rtol=1e-7,
                    atol=1e-10,
                    mistakes={
                        "std is the square root of var + eps, not the variance itself.": var + eps,
                    },
                )
                for key in ("mode", "eps", "momentum"):
                    ck.that(
                        new_param[key] == bn_param[key],
                        f'new_bn_param["{key}"] is {new_param[key]!r}; it should stay {bn_param[key]!r}.',
                        "Start from a copy of bn_param and replace only the running statistics.",
                    )
            # ---- test mode
            with ck.case(f"mode 'test', x of shape ({n}, {d}), eps={eps}, seed {seed}"):
                bn_param = {
                    "mode": "test",
                    "eps": eps,
                    "momentum": momentum,
                    "running_mean": rm.copy(),
                    "running_var": rv.copy(),
                }
                out, _, new_param = _unpack_forward(ck, ck.call(x, gamma, beta, bn_param))
                ck.array(
                    out,
                    test_out,
                    what="out",
                    rtol=1e-6,
                    atol=1e-8,
                    mistakes={
                        "In test mode use running_mean and running_var, not the statistics of the "
                        "batch.": train_out,
                        "eps goes inside the square root: np.sqrt(running_var + eps).": gamma
                        * (x - rm)
                        / (np.sqrt(rv) + eps)
                        + beta,
                        "Forgot the scale and shift: out = gamma * x_hat + beta.": (x - rm)
                        / np.sqrt(rv + eps),
                    },
                )
                for key, old in (("running_mean", rm), ("running_var", rv)):
                    ck.array(
                        new_param[key],
                        old,
                        what=f'new_bn_param["{key}"] in test mode',
                        rtol=0,
                        atol=0,
                        mistakes={
                            "Test mode must leave the running statistics as they are: only "
                            "training updates them.": np.asarray(new_param[key])
                        },
                    )


# ----- batch norm, backward --------------------------------------------------------------


@exercise(
    params=("dout", "cache"),
    hints=[
        "dbeta and dgamma sum over the examples; dx must account for x's effect on the batch mean and "
        "variance too."
    ],
)
def batchnorm_backward(ck: Check) -> None:
    sizes = ck.pick([(6, 4, 1e-5), (10, 3, 0.1)], [(2, 5, 1e-3), (64, 7, 1e-5), (3, 1, 0.5)])
    for seed in ck.seeds():
        for n, d, eps in sizes:
            rng = _rng(100 + seed)
            x = _data(rng, (n, d))
            gamma, beta = _affine(rng, d)
            dout = rng.normal(0, 1, size=(n, d))
            with ck.case(f"dout of shape ({n}, {d}), eps={eps}, seed {seed}"):
                cache = _tf_moments_cache(x, gamma, eps)
                got = ck.call(dout, cache)
                ck.that(
                    isinstance(got, tuple) and len(got) == 3,
                    f"batchnorm_backward should return (dx, dgamma, dbeta), got {type(got).__name__}.",
                    "End with `return dx, dgamma, dbeta`.",
                )
                dx, dgamma, dbeta = got
                exp_dx, exp_dgamma, exp_dbeta = _tape_bn_grads(x, gamma, beta, dout, eps)
                x_hat, _, std = cache
                ck.array(
                    dbeta,
                    exp_dbeta,
                    what="dbeta",
                    rtol=1e-6,
                    atol=1e-9,
                    mistakes={
                        "dbeta and dgamma are swapped: dbeta = dout.sum(axis=0).": exp_dgamma,
                        "dbeta is a mean over the examples here, not a sum.": dout.mean(axis=0),
                    },
                )
                ck.array(
                    dgamma,
                    exp_dgamma,
                    what="dgamma",
                    rtol=1e-6,
                    atol=1e-9,
                    mistakes={
                        "dbeta and dgamma are swapped: dgamma = (dout * x_hat).sum(axis=0).": exp_dbeta,
                        "dgamma is a sum over the examples here, not a mean.": (dout * x_hat).mean(axis=0),
                    },
                )
                dxhat = dout * gamma
                ck.array(
                    dx,
                    exp_dx,
                    what="dx",
                    rtol=1e-6,
                    atol=1e-9,
                    mistakes={
                        "dx lacks the terms that come through the mean and the variance: the batch "
                        "statistics depend on x too.": dxhat / std,
                        "dx lacks the term through the variance: subtract x_hat * (dout * x_hat).sum(axis=0) "
                        "too.": (dxhat - dxhat.mean(axis=0)) / std,
                        "dx lacks the term through the mean: subtract dout.sum(axis=0) too.": (
                            dxhat - x_hat * (dxhat * x_hat).mean(axis=0)
                        )
                        / std,
                        "dx is missing the factor gamma.": (
                            dout - dout.mean(axis=0) - x_hat * (dout * x_hat).mean(axis=0)
                        )
                        / std,
                        "dx divides by the variance; it should divide by std = sqrt(var + eps).": (
                            dxhat - dxhat.mean(axis=0) - x_hat * (dxhat * x_hat).mean(axis=0)
                        )
                        / std**2,
                    },
                )


# ----- layer norm ------------------------------------------------------------------------


def _formula_mistakes(norm: Callable, gamma, beta) -> dict[str, np.ndarray]:
    """The hints layer, instance and group norm share, for slips in the formula itself.

    ``norm(gamma, beta, **kw)`` normalises x over the exercise's own axes (kw as for :func:`_np_norm`).
    """
    return {
        "Use the biased variance (np.var's default ddof=0).": norm(gamma, beta, ddof=1),
        "eps goes inside the square root: np.sqrt(var + eps).": norm(gamma, beta, eps_outside=True),
        "Forgot the scale and shift: out = gamma * x_hat + beta.": norm(1.0, 0.0),
    }


@exercise(
    params=("x", "gamma", "beta"),
    hints=[
        "Like batch norm, but the statistics of each example over its own features (axis 1, keepdims), then "
        "gamma and beta."
    ],
)
def layernorm_forward(ck: Check) -> None:
    ck.defaults(EPS_DEFAULT)
    sizes = ck.pick([(4, 6, 1e-5), (7, 3, 0.1)], [(1, 5, 1e-3), (30, 12, 1e-5), (6, 2, 0.5)])
    for seed in ck.seeds():
        for n, d, eps in sizes:
            rng = _rng(200 + seed)
            x = _data(rng, (n, d)) + rng.normal(0, 3, size=(n, 1))  # examples differ in level too
            gamma, beta = _affine(rng, d)
            with ck.case(f"x of shape ({n}, {d}), eps={eps}, seed {seed}"):
                out = ck.call(x, gamma, beta, eps)
                expected = _keras_layernorm(x, gamma, beta, eps)
                ck.array(
                    out,
                    expected,
                    what="out",
                    rtol=1e-6,
                    atol=1e-8,
                    mistakes={
                        "You normalised over the examples (axis=0), which is batch norm: layer norm "
                        "normalises each example over its features, axis=1.": _np_norm(
                            x, (0,), eps, gamma, beta
                        ),
                        **_formula_mistakes(
                            lambda g, b, **kw: _np_norm(x, (1,), eps, g, b, **kw), gamma, beta
                        ),
                    },
                )
    # an edge case: an example whose features are all equal has variance 0, and eps keeps it finite
    rng = _rng(299)
    x = _data(rng, (4, 6))
    x[2] = 1.5
    gamma, beta = _affine(rng, 6)
    with ck.case("x of shape (4, 6) whose example 2 has all its features equal (variance 0), eps=1e-5"):
        out = ck.call(x, gamma, beta, 1e-5)
        ck.array(
            out,
            _keras_layernorm(x, gamma, beta, 1e-5),
            what="out",
            rtol=1e-6,
            atol=1e-8,
        )


# ----- instance norm ---------------------------------------------------------------------


@exercise(
    params=("x", "gamma", "beta"),
    hints=[
        "The statistics of each example and channel over the spatial axes (H, W), keeping the dimensions; "
        "then gamma and beta of shape (C,)."
    ],
)
def instancenorm_forward(ck: Check) -> None:
    ck.defaults(EPS_DEFAULT)
    sizes = ck.pick(
        [(2, 3, 4, 5, 1e-5), (3, 5, 2, 4, 0.1)], [(1, 4, 4, 3, 1e-3), (4, 6, 7, 8, 1e-5), (5, 2, 3, 1, 0.5)]
    )
    for seed in ck.seeds():
        for n, h, w, c, eps in sizes:
            rng = _rng(300 + seed)
            x = _data(rng, (n, h, w, c)) + rng.normal(0, 3, size=(n, 1, 1, 1))
            gamma, beta = _affine(rng, c)
            with ck.case(f"x of shape ({n}, {h}, {w}, {c}), eps={eps}, seed {seed}"):
                out = ck.call(x, gamma, beta, eps)
                expected = _keras_groupnorm(x, gamma, beta, c, eps)
                ck.array(
                    out,
                    expected,
                    what="out",
                    rtol=1e-6,
                    atol=1e-8,
                    mistakes={
                        "You averaged over the channels too (axes 1, 2, 3): instance norm keeps one mean "
                        "per example AND channel, over H and W only.": _np_norm(
                            x, (1, 2, 3), eps, gamma, beta
                        ),
                        "You averaged over the examples too (axes 0, 1, 2), which is batch norm for images: "
                        "instance norm uses axes 1 and 2 only.": _np_norm(x, (0, 1, 2), eps, gamma, beta),
                        **_formula_mistakes(
                            lambda g, b, **kw: _np_norm(x, (1, 2), eps, g, b, **kw), gamma, beta
                        ),
                    },
                )


# ----- group norm ------------------------------------------------------------------------


def _strided_groups(x: np.ndarray, groups: int, eps: float, gamma, beta) -> np.ndarray:
    """Group norm with channels dealt round-robin to the groups (reshape (..., C//G, G))."""
    n, h, w, c = x.shape
    xg = x.reshape(n, h, w, c // groups, groups)
    return (_np_norm(xg, (1, 2, 3), eps, 1.0, 0.0)).reshape(x.shape) * gamma + beta


def _grouped(x: np.ndarray, groups: int, eps: float, gamma, beta, **kw) -> np.ndarray:
    n, h, w, c = x.shape
    xg = x.reshape(n, h, w, groups, c // groups)
    return _np_norm(xg, (1, 2, 4), eps, 1.0, 0.0, **kw).reshape(x.shape) * gamma + beta


@exercise(
    params=("x", "gamma", "beta", "groups"),
    hints=[
        "Split the channels into G consecutive groups (a reshape), take the statistics of each example and "
        "group over H, W and the channels of the group, normalise, reshape back, then gamma and beta."
    ],
)
def groupnorm_forward(ck: Check) -> None:
    ck.defaults(EPS_DEFAULT)
    sizes = ck.pick(
        [(2, 3, 4, 6, 3, 1e-5), (3, 2, 5, 8, 2, 0.1)],
        [(1, 4, 4, 4, 4, 1e-3), (4, 3, 2, 6, 1, 1e-5), (2, 5, 3, 12, 4, 0.5), (3, 2, 2, 6, 2, 1e-5)],
    )
    for seed in ck.seeds():
        for n, h, w, c, g, eps in sizes:
            rng = _rng(400 + seed)
            x = _data(rng, (n, h, w, c)) + rng.normal(0, 3, size=(n, 1, 1, 1))
            gamma, beta = _affine(rng, c)
            with ck.case(f"x of shape ({n}, {h}, {w}, {c}), groups={g}, eps={eps}, seed {seed}"):
                out = ck.call(x, gamma, beta, g, eps)
                expected = _keras_groupnorm(x, gamma, beta, g, eps)
                mistakes = {
                    "Your groups take every G-th channel: reshape to (N, H, W, G, C // G), not "
                    "(N, H, W, C // G, G), so that neighbouring channels share a group.": _strided_groups(
                        x, g, eps, gamma, beta
                    ),
                    "That is instance norm (one group per channel): use the `groups` argument.": _np_norm(
                        x, (1, 2), eps, gamma, beta
                    ),
                    "That is layer norm over (H, W, C) (a single group): use the `groups` "
                    "argument.": _np_norm(x, (1, 2, 3), eps, gamma, beta),
                    **_formula_mistakes(lambda ga, be, **kw: _grouped(x, g, eps, ga, be, **kw), gamma, beta),
                }
                ck.array(out, expected, what="out", rtol=1e-6, atol=1e-8, mistakes=mistakes)

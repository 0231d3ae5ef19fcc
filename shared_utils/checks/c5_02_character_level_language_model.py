"""Checks for course 5, notebook 2: a character-level language model of dinosaur names.

Oracles, all in float64:

* ``clip``: ``tf.clip_by_value`` on every gradient.
* ``sample``: the exact distributions a right sampler draws from, computed with TensorFlow
  (``tf.tanh``, ``tf.nn.softmax``): the first character's, ``softmax(Wya a1 + by)`` with
  ``a1 = tanh(Wax x1 + b)`` (x1 the newline's one-hot vector, a0 = 0), and the second's given
  the first, with ``a2 = tanh(Wax x2 + Waa a1 + b)``.  Many draws (2,000 in one kernel call,
  with a ``numpy.random.Generator`` built there from a seed sent as data) are compared with
  them by Pearson's chi-square test (``scipy.stats.chisquare``; cells with an expected count
  under 5 pooled) at the significance level :data:`ALPHA` = 1e-6: a right sampler fails one
  test with probability 1e-6, so a grading (two networks, two tests each) fails a right
  answer about once in 250,000 runs.  The parameters are drawn until the known mistakes are
  far away: total-variation distance above :data:`TV_MIN` = 0.15 between the right table of
  (first, second) characters and that of a hidden state not carried or of an input not
  updated.  By Cauchy-Schwarz the chi-square statistic of such a mistake is then at least
  2,000 x (2 x 0.15)^2 = 180 in expectation, against a critical value under 80 (30 cells at
  most), so they fail every time; argmax puts every first character in one cell and the
  scores before the softmax give other frequencies (all pinned in ``tests/checks/wrong``).
  The newline stop and the cap of :data:`MAX_CHARS` characters are exact tests; two
  generators with the same seed must give the same draws.
* ``optimize``: the loss of one sequence built with TensorFlow ops, its gradients by
  ``tf.GradientTape``, ``tf.clip_by_value`` at 5 and the update; the learner's ``clip`` is
  replaced by a right one (``Check.planted``) so that only ``optimize`` is graded.
* ``model``: the same TensorFlow step repeated over the names, with the smoothed loss; the
  learner's ``optimize`` is replaced by a right one.

NumPy expressions below only build inputs, the right stand-ins planted for the learner's
helpers (``_planted_clip``, ``_planted_optimize``, built on ``shared_utils.course5.char_rnn``),
and the values of known mistakes (to choose a hint); no expected value comes from them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from shared_utils.course5 import char_rnn
from shared_utils.engine.checking import Check, exercise

ALPHA = 1e-6  # significance level of each chi-square test of sample
MAX_CHARS = 50  # sample draws at most this many characters, then appends a newline
DRAWS = 2000
TV_MIN = 0.15  # total-variation distance between the right joint table and each known mistake's
MISTAKES = ("no_state", "same_x")
CLIP_VALUE = 5.0  # optimize clips its gradients to [-5, 5]
KEYS = ("dWax", "dWaa", "dWya", "db", "dby")


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(5020 + seed)


def _parameters(rng: np.random.Generator, n_a: int, vocab: int, scale: float = 1.0) -> dict[str, np.ndarray]:
    return {
        "Wax": rng.normal(0, scale, size=(n_a, vocab)),
        "Waa": rng.normal(0, scale, size=(n_a, n_a)),
        "Wya": rng.normal(0, scale, size=(vocab, n_a)),
        "b": rng.normal(0, 0.5 * scale, size=(n_a, 1)),
        "by": rng.normal(0, 0.5 * scale, size=(vocab, 1)),
    }


def _vocab(size: int) -> dict[str, int]:
    return {c: i for i, c in enumerate(["\n", *"abcdefghijklmnopqrstuvwxyz"[: size - 1]])}


# ----- clip ------------------------------------------------------------------------------


def _tf_clip(gradients: dict[str, np.ndarray], value: float) -> dict[str, np.ndarray]:
    import tensorflow as tf

    return {
        k: tf.clip_by_value(tf.constant(v, tf.float64), -value, value).numpy() for k, v in gradients.items()
    }


def _planted_clip(gradients, maxValue):  # noqa: N803 (the Specialization's name)
    """A right ``clip``, planted while ``optimize`` is graded."""
    return {k: np.clip(v, -maxValue, maxValue) for k, v in gradients.items()}


CLIP_CASES_BASIC = [(3, 4, 5.0), (5, 6, 2.5)]
CLIP_CASES_EXTENDED = [(2, 3, 10.0), (7, 5, 0.5), (4, 27, 1.0)]


@exercise(
    params=("gradients", "maxValue"),
    hints=["Every gradient, each of its entries, is limited to the interval [-maxValue, maxValue]."],
    in_place=(
        "Return a new dict of clipped arrays, `np.clip(...)` without `out=`: the caller's gradients "
        "must stay as they were."
    ),
)
def clip(ck: Check) -> None:
    for seed in ck.seeds():
        for n_a, vocab, value in ck.pick(CLIP_CASES_BASIC, CLIP_CASES_EXTENDED):
            rng = _rng(seed)
            grads = {"d" + k: v * 3 * value for k, v in _parameters(rng, n_a, vocab).items()}
            if "da0" not in grads and seed % 2:
                grads["da0"] = rng.normal(0, 2 * value, size=(n_a, 1))
            expected = _tf_clip(grads, value)
            with ck.case(f"seed {seed}, n_a={n_a}, vocab_size={vocab}, maxValue={value}"):
                got = ck.call(grads, value)
                ck.that(
                    isinstance(got, dict),
                    f"should return a dict of clipped gradients, got {type(got).__name__}.",
                    "Return the dict you built: `return {...}` (np.clip returns a new array; keep it).",
                )
                ck.dict(
                    got,
                    expected,
                    "the clipped gradients",
                    mistakes={
                        "These are the gradients as they came in: np.clip returns a new array, "
                        "which must be stored (or use out=, but here return a new dict).": grads,
                        "The lower bound is -maxValue, not 0: negative gradients are clipped too.": {
                            k: np.clip(v, 0, value) for k, v in grads.items()
                        },
                        "Only the upper bound was applied: large negative gradients explode as well.": {
                            k: np.minimum(v, value) for k, v in grads.items()
                        },
                        "Use the maxValue argument, not a fixed 5.": {
                            k: np.clip(v, -5, 5) for k, v in grads.items()
                        },
                        "Clip each entry, not the norm of the whole array.": {
                            k: v * min(1.0, value / np.linalg.norm(v)) for k, v in grads.items()
                        },
                    },
                    rtol=1e-12,
                    atol=1e-12,
                )


# ----- sample ----------------------------------------------------------------------------


def _draw_probe(fn: Callable, parameters: dict, char_to_ix: dict, seed: int, n: int) -> dict:
    """``n`` draws of ``fn(parameters, char_to_ix, rng)`` from one generator, as data.

    Returns ``{"draws": (n, MAX_CHARS + 1) int array padded with -1, "lengths", "problem"
    (a description of the first result that is not a list of indices, else ""),
    "repeatable" (whether a second generator with the same seed gave the same first draws)}``.
    """
    rng = np.random.default_rng(seed)
    width = MAX_CHARS + 1
    draws = np.full((n, width), -1, dtype=np.int64)
    lengths = np.zeros(n, dtype=np.int64)
    first = []
    for i in range(n):
        got = fn(parameters, char_to_ix, rng)
        try:
            arr = np.asarray(got)
        except Exception:
            arr = np.asarray(None)
        empty = isinstance(got, (list, tuple, np.ndarray)) and arr.shape == (0,)
        if not empty and (
            not isinstance(got, (list, tuple, np.ndarray)) or arr.ndim != 1 or arr.dtype.kind not in "iu"
        ):
            kind = type(got).__name__
            shape = f" of shape {arr.shape}, dtype {arr.dtype}" if arr.ndim else ""
            return {
                "draws": draws,
                "lengths": lengths,
                "problem": f"{kind}{shape}: {got!r}"[:200],
                "repeatable": True,
            }
        lengths[i] = len(arr)
        if len(arr) > width:
            return {
                "draws": draws,
                "lengths": lengths,
                "problem": "",
                "repeatable": True,
                "too_long": len(arr),
            }
        draws[i, : len(arr)] = arr
        if i < 20:
            first.append(arr.tolist())
    again = np.random.default_rng(seed)
    repeatable = all(np.asarray(fn(parameters, char_to_ix, again)).tolist() == f for f in first)
    return {"draws": draws, "lengths": lengths, "problem": "", "repeatable": repeatable}


def _tf_distributions(params: dict[str, np.ndarray], newline: int) -> tuple[np.ndarray, np.ndarray]:
    """p1 (V,) and p2 (V, V): p2[c1] is the second character's distribution after c1."""
    import tensorflow as tf

    Wax, Waa, Wya, b, by = (tf.constant(params[k], tf.float64) for k in char_rnn.PARAMETER_NAMES)
    vocab = params["Wax"].shape[1]
    a1 = tf.tanh(Wax[:, newline : newline + 1] + b)
    p1 = tf.nn.softmax(tf.transpose(Wya @ a1 + by))[0]
    a2 = tf.tanh(Wax + Waa @ a1 + b)  # column c: the state after reading c
    p2 = tf.nn.softmax(tf.transpose(Wya @ a2 + by), axis=-1)
    return p1.numpy(), p2.numpy().reshape(vocab, vocab)


def _mistaken_joint(params: dict[str, np.ndarray], newline: int, mistake: str) -> np.ndarray:
    """The joint table (V, V + 1) of a known mistake: ``"no_state"`` (a_prev never updated) or
    ``"same_x"`` (x never replaced by the drawn character); ``"none"``: no mistake, for the
    search of :func:`_sample_problem` only (the expected table comes from TensorFlow)."""
    Wax, Waa, Wya, b, by = (params[k] for k in char_rnn.PARAMETER_NAMES)
    a1 = np.tanh(Wax[:, [newline]] + b)
    p1 = char_rnn.softmax(Wya @ a1 + by)[:, 0]
    if mistake == "none":
        p2 = char_rnn.softmax(Wya @ np.tanh(Wax + Waa @ a1 + b) + by).T
    elif mistake == "no_state":
        p2 = char_rnn.softmax(Wya @ np.tanh(Wax + b) + by).T
    else:
        p2 = np.tile(
            char_rnn.softmax(Wya @ np.tanh(Wax[:, [newline]] + Waa @ a1 + b) + by)[:, 0], (len(p1), 1)
        )
    return _joint(p1, p2, newline)


def _joint(p1: np.ndarray, p2: np.ndarray, newline: int) -> np.ndarray:
    """P(first, second) as a (V, V + 1) table; column V is 'no second character' (first = newline)."""
    vocab = len(p1)
    table = np.zeros((vocab, vocab + 1))
    table[:, :vocab] = p1[:, None] * p2
    table[newline, :vocab] = 0.0
    table[newline, vocab] = p1[newline]
    return table


def _observed_joint(draws: np.ndarray, vocab: int, newline: int) -> np.ndarray:
    table = np.zeros((vocab, vocab + 1))
    for row in draws:
        first, second = row[0], row[1]
        table[first, vocab if first == newline else second] += 1
    return table


def _chi_square(observed: np.ndarray, probabilities: np.ndarray) -> tuple[float, float]:
    """Pearson's statistic and p-value; cells with an expected count under 5 are pooled into one."""
    from scipy import stats

    observed, expected = observed.ravel(), probabilities.ravel() * observed.sum()
    small = expected < 5
    if small.any():
        observed = np.append(observed[~small], observed[small].sum())
        expected = np.append(expected[~small], expected[small].sum())
    if expected[-1] == 0:
        observed, expected = observed[:-1], expected[:-1]
    if (observed[expected == 0] > 0).any():
        return float("inf"), 0.0
    keep = expected > 0
    result = stats.chisquare(observed[keep], expected[keep])
    return float(result.statistic), float(result.pvalue)


def _sample_problem(seed: int, vocab: int, n_a: int) -> dict[str, np.ndarray]:
    """Parameters whose first characters are spread out and whose known mistakes are far away.

    The search uses NumPy (inputs only); the expected distributions come from TensorFlow.
    """
    rng = _rng(seed)
    newline = 0
    for _ in range(2000):
        params = _parameters(rng, n_a, vocab, scale=0.8)
        params["Waa"] *= 2.5  # the state carried over matters
        params["by"][newline] = 0.0
        right = _mistaken_joint(params, newline, "none")
        p1 = right.sum(axis=1)
        far = all(0.5 * np.abs(right - _mistaken_joint(params, newline, m)).sum() > TV_MIN for m in MISTAKES)
        if far and p1.min() > 0.2 / vocab and p1[newline] < 0.3:
            return params
    raise AssertionError(f"no parameters found for sample, seed {seed}")  # pragma: no cover


def _check_draws(ck: Check, result: dict, newline: int) -> np.ndarray:
    """The draws as an array after the exact tests: lists of indices, the newline stop, the cap."""
    ck.that(
        not result["problem"],
        f"should return a list of character indices, got {result['problem']}.",
        "Append each drawn index (an int) to `indices` and return that list.",
    )
    if "too_long" in result:
        ck.fail(
            f"returned {result['too_long']} indices; at most {MAX_CHARS} characters and the newline "
            "are allowed.",
            f"Stop after {MAX_CHARS} characters: the loop runs while the last index is not the newline "
            f"and counter < {MAX_CHARS}.",
        )
    draws, lengths = result["draws"], result["lengths"]
    ck.that(
        bool((lengths > 0).all()),
        "returned an empty list of indices; every draw ends with the newline's index.",
        "Keep the newline you drew as the last index of the list (the loop runs at least once).",
    )
    for row, length in zip(draws, lengths):
        body = row[:length]
        early = np.flatnonzero(body[:-1] == newline)
        if early.size:
            ck.fail(
                f"a draw goes on after a newline (at position {early[0]} of {length}): {body.tolist()}.",
                "Stop as soon as the newline is drawn: it ends the name.",
            )
        if body[-1] != newline:
            hint = (
                f"After {MAX_CHARS} characters without a newline, append the newline's index."
                if length == MAX_CHARS
                else "Keep the newline you drew as the last index of the list."
            )
            ck.fail(f"a draw does not end with the newline (index {newline}): {body.tolist()}.", hint)
    ck.that(
        result["repeatable"],
        "two generators built with the same seed gave different draws.",
        "Draw with the generator passed in, `rng.choice(...)`, not with np.random.choice.",
    )
    return draws


@exercise(
    params=("parameters", "char_to_ix", "rng"),
    hints=[
        "At each step: a = tanh(Wax x + Waa a_prev + b), y = softmax(Wya a + by), draw an index with "
        "probabilities y, then make x the one-hot vector of that index and a_prev = a."
    ],
    in_place="Leave `parameters` as they are: sample only reads them.",
)
def sample(ck: Check) -> None:
    newline = 0
    cases = ck.pick([(6, 4)], [(5, 3)])
    for seed in ck.seeds(basic=1, extended=2):
        for vocab, n_a in cases:
            params = _sample_problem(seed, vocab, n_a)
            char_to_ix = _vocab(vocab)
            p1, p2 = _tf_distributions(params, newline)
            label = f"seed {seed}, vocab_size={vocab}, n_a={n_a}, {DRAWS} draws"
            with ck.case(label):
                result = ck.in_kernel(_draw_probe, params, char_to_ix, 10_000 + seed, DRAWS)
                draws = _check_draws(ck, result, newline)
            with ck.case(label + ": the first character"):
                counts = np.bincount(draws[:, 0], minlength=vocab)[:vocab].astype(float)
                stat, p = _chi_square(counts, p1)
                if p < ALPHA:
                    hint = None
                    if counts.max() == DRAWS:
                        hint = (
                            "Every draw starts with the same, most likely, character: that is np.argmax. "
                            "Draw at random with rng.choice(vocab_size, p=y.ravel())."
                        )
                    ck.fail(
                        f"the first characters' frequencies do not follow softmax(Wya a1 + by) "
                        f"(chi-square {stat:.1f}, p = {p:.2g} < {ALPHA:g}).\n"
                        f"  expected: {np.array2string(p1, precision=3)}\n"
                        f"  received: {np.array2string(counts / DRAWS, precision=3)}",
                        hint
                        or "Draw with the probabilities y = softmax(Wya a + by), not with the scores "
                        "z = Wya a + by themselves.",
                    )
            with ck.case(label + ": the second character, given the first"):
                observed = _observed_joint(draws, vocab, newline)
                stat, p = _chi_square(observed, _joint(p1, p2, newline))
                if p < ALPHA:
                    hint = None
                    for mistake, text in (
                        ("no_state", "The hidden state must be carried: after each step, a_prev = a."),
                        ("same_x", "After each draw, x must become the one-hot vector of the drawn index."),
                    ):
                        if _chi_square(observed, _mistaken_joint(params, newline, mistake))[1] > ALPHA:
                            hint = text
                    ck.fail(
                        f"the pairs (first, second character) do not follow the network's probabilities "
                        f"(chi-square {stat:.1f}, p = {p:.2g} < {ALPHA:g}).",
                        hint
                        or "The second step reads the first character (x = its one-hot vector, a fresh "
                        "np.zeros each time) and the state a of the first step.",
                    )
    with ck.case(f"a network that never draws the newline: the cap of {MAX_CHARS} characters"):
        params = _parameters(_rng(ck.seed_base), 4, 5)
        params["by"][newline] = -50.0
        result = ck.in_kernel(_draw_probe, params, _vocab(5), 77 + ck.seed_base, 20)
        _check_draws(ck, result, newline)
        ck.that(
            bool((result["lengths"] == MAX_CHARS + 1).all()),
            f"draws without a newline should have {MAX_CHARS} characters and the newline; "
            f"got lengths {sorted(set(result['lengths'].tolist()))}.",
            f"Stop after {MAX_CHARS} characters (counter < {MAX_CHARS}), then append the newline.",
        )


# ----- optimize --------------------------------------------------------------------------


def _tf_step(X, Y, a_prev, params, learning_rate):
    """Loss, clipped gradients, last state and updated parameters of one step, with TensorFlow."""
    import tensorflow as tf

    variables = {k: tf.Variable(v, dtype=tf.float64) for k, v in params.items()}
    vocab = params["Wax"].shape[1]
    with tf.GradientTape() as tape:
        a, loss = tf.constant(a_prev, tf.float64), tf.constant(0.0, tf.float64)
        for x, y in zip(X, Y):
            onehot = tf.transpose(tf.one_hot([x], vocab, dtype=tf.float64))
            a = tf.tanh(variables["Wax"] @ onehot + variables["Waa"] @ a + variables["b"])
            logits = tf.transpose(variables["Wya"] @ a + variables["by"])
            loss += tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[y], logits=logits)[0]
    names = list(char_rnn.PARAMETER_NAMES)
    raw = dict(zip(names, tape.gradient(loss, [variables[k] for k in names])))
    grads = {"d" + k: tf.clip_by_value(g, -CLIP_VALUE, CLIP_VALUE).numpy() for k, g in raw.items()}
    new = {k: params[k] - learning_rate * grads["d" + k] for k in names}
    return float(loss), grads, a.numpy(), new, {"d" + k: g.numpy() for k, g in raw.items()}


def _planted_optimize(X, Y, a_prev, parameters, learning_rate=0.01):  # noqa: N803
    """A right ``optimize``, planted while ``model`` is graded."""
    loss, cache = char_rnn.rnn_forward(X, Y, a_prev, parameters)
    gradients = _planted_clip(char_rnn.rnn_backward(parameters, cache), CLIP_VALUE)
    new = char_rnn.update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, cache[2][:, -1:], new


OPT_CASES_BASIC = [(5, 6, 8, 0.1), (3, 4, 5, 0.02)]
OPT_CASES_EXTENDED = [(7, 9, 12, 0.3), (2, 3, 2, 0.05)]


def _sequence(rng: np.random.Generator, vocab: int, length: int) -> tuple[list[int], list[int]]:
    body = [int(i) for i in rng.integers(1, vocab, size=length - 1)]
    return [0, *body], [*body, 0]


@exercise(
    params=("X", "Y", "a_prev", "parameters", "learning_rate"),
    hints=[
        "Forward pass, backward pass, clip the gradients to [-5, 5], then one step of gradient descent "
        "with the clipped gradients; return the loss, the clipped gradients, the last hidden state and "
        "the new parameters."
    ],
    in_place=(
        "Build the new parameters with char_rnn.update_parameters (a new dict), not `parameters[...] -= ...`."
    ),
)
def optimize(ck: Check) -> None:
    for seed in ck.seeds():
        for n_a, vocab, length, lr in ck.pick(OPT_CASES_BASIC, OPT_CASES_EXTENDED):
            rng = _rng(seed)
            params = _parameters(rng, n_a, vocab, scale=1.5)
            X, Y = _sequence(rng, vocab, length)
            a_prev = rng.normal(0, 0.5, size=(n_a, 1))
            loss, grads, a_last, new, raw = _tf_step(X, Y, a_prev, params, lr)
            with ck.case(f"seed {seed}, n_a={n_a}, vocab_size={vocab}, T={length}, learning_rate={lr}"):
                with ck.planted(clip=_planted_clip):
                    got = ck.call(X, Y, a_prev, params, lr)
                got_loss, got_grads, got_a, got_new = ck.returns(got, "loss, gradients, a_last, parameters")
                clip_by = lambda v: {k: np.clip(g, -v, v) for k, g in raw.items()}  # noqa: E731
                ck.scalar(got_loss, loss, what="the loss", rtol=1e-8)
                ck.dict(
                    got_grads,
                    grads,
                    "the gradients",
                    mistakes={
                        "These gradients are not clipped: call clip(gradients, 5).": raw,
                        "Clip to [-5, 5]: maxValue is 5 here.": clip_by(10.0),
                    },
                    rtol=1e-7,
                    atol=1e-10,
                )
                ck.array(
                    got_a,
                    a_last,
                    what="a_last",
                    rtol=1e-8,
                    atol=1e-10,
                    mistakes={
                        "a_last is the state after the LAST step: cache[2][:, -1:], not the first.": np.tanh(
                            params["Wax"][:, [X[0]]] + params["Waa"] @ a_prev + params["b"]
                        ),
                        "a_last is the state after the last step, not a_prev.": a_prev,
                    },
                )
                ck.dict(
                    got_new,
                    new,
                    "the new parameters",
                    mistakes={
                        "A step of gradient descent goes against the gradient: W - learning_rate * dW.": {
                            k: params[k] + lr * grads["d" + k] for k in params
                        },
                        "The parameters were not updated.": params,
                        "Update with the clipped gradients (clip before the update).": {
                            k: params[k] - lr * raw["d" + k] for k in params
                        },
                        "Use the learning_rate argument, not a fixed 0.01.": {
                            k: params[k] - 0.01 * grads["d" + k] for k in params
                        },
                        "Clip to [-5, 5]: maxValue is 5 here.": {
                            k: params[k] - lr * clip_by(10.0)["d" + k] for k in params
                        },
                    },
                    rtol=1e-7,
                    atol=1e-10,
                )


# ----- model -----------------------------------------------------------------------------

WORDS = ["rex", "raptor", "dino", "ankylo", "ptero", "stego", "tops", "ceras", "odon"]
MODEL_CASES_BASIC = [(4, 3, 7, 0.05), (6, 2, 4, 0.1)]
MODEL_CASES_EXTENDED = [(3, 5, 8, 0.2), (5, 1, 3, 0.01)]


def _training_loop(
    names, char_to_ix, params, iterations, lr, step, carry=False, keep=0.999, first_only=False, frozen=False
):
    """Parameters, smoothed losses and raw losses of the training loop, each step by ``step``:
    :func:`_tf_step` for the expected values; :func:`_planted_optimize` (NumPy) for the values
    of known mistakes (``carry`` the state from name to name, ``keep`` the wrong weight,
    ``first_only`` always the first name, ``frozen`` the parameters never taken from the step)."""
    vocab = len(char_to_ix)
    n_a = params["Waa"].shape[0]
    loss = char_rnn.initial_loss(vocab, float(np.mean([len(n) + 1 for n in names])))
    losses, raw = [], []
    a_prev = np.zeros((n_a, 1))
    for j in range(iterations):
        X = [char_to_ix["\n"]] + [char_to_ix[c] for c in names[0 if first_only else j % len(names)]]
        Y = X[1:] + [char_to_ix["\n"]]
        start = a_prev if carry else np.zeros((n_a, 1))
        current, _, a_prev, new = step(X, Y, start, params, lr)[:4]
        params = params if frozen else new
        loss = keep * loss + (1 - keep) * current
        losses.append(loss)
        raw.append(current)
    return params, np.array(losses), np.array(raw)


@exercise(
    params=("names", "char_to_ix", "parameters", "num_iterations", "learning_rate"),
    hints=[
        "Iteration j trains on names[j % len(names)]: X = [newline] + its indices, Y = X shifted left "
        "with the newline at the end, a_prev = zeros, one call of optimize, then the smoothed loss."
    ],
    in_place="Leave `names` and `parameters` as they came in: take the new parameters optimize returns.",
)
def model(ck: Check) -> None:
    for seed in ck.seeds(basic=1, extended=3):
        for n_names, n_a, iterations, lr in ck.pick(MODEL_CASES_BASIC, MODEL_CASES_EXTENDED):
            rng = _rng(seed)
            names = [str(w) for w in rng.permutation(WORDS)[:n_names]]
            _, char_to_ix, _ = char_rnn.vocabulary(names)
            params = _parameters(rng, n_a, len(char_to_ix), scale=0.5)
            new, losses, raw = _training_loop(names, char_to_ix, params, iterations, lr, _tf_step)
            wrong = functools.partial(
                _training_loop, names, char_to_ix, params, iterations, lr, _planted_optimize
            )
            label = (
                f"seed {seed}, {n_names} names, n_a={n_a}, num_iterations={iterations}, learning_rate={lr}"
            )
            with ck.case(label):
                with ck.planted(optimize=_planted_optimize):
                    got = ck.call(names, char_to_ix, params, iterations, lr)
                got_params, got_losses = ck.returns(got, "parameters, losses")
                mistakes = {
                    "Start every name from a zero hidden state, a_prev = np.zeros((n_a, 1)).": wrong(
                        carry=True
                    )[1],
                    "losses holds the smoothed loss: loss = char_rnn.smooth(loss, current_loss).": raw,
                    "The parameters never change: keep the ones optimize returns, parameters = ...": wrong(
                        frozen=True
                    )[1],
                    "The smoothed loss keeps 0.999 of the old value and adds 0.001 of the new one.": wrong(
                        keep=0.001
                    )[1],
                }
                if len(names) > 1:
                    mistakes["Iteration j trains on names[j % len(names)], not always on the first name."] = (
                        wrong(first_only=True)[1]
                    )
                ck.array(got_losses, losses, what="losses", rtol=1e-7, atol=1e-9, mistakes=mistakes)
                ck.dict(
                    got_params,
                    new,
                    "the trained parameters",
                    mistakes={
                        "Keep the parameters optimize returns: parameters = ... from its result.": params
                    },
                    rtol=1e-6,
                    atol=1e-9,
                )

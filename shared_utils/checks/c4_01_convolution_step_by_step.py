"""Checks for course 4, notebook 1: a convolutional network, step by step, in NumPy.

Conventions of the notebook: channels last, ``A_prev`` (m, n_H_prev, n_W_prev, n_C_prev),
``W`` (f_h, f_w, n_C_prev, n_C), ``b`` (1, 1, 1, n_C), ``hparameters`` {"stride", "pad"} for
a convolution and {"f", "stride"} for a pooling; caches ``(A_prev, W, b, hparameters)`` and
``(A_prev, hparameters)``.

Oracles, all TensorFlow ops in float64, each exact for the quantity it gives:

* ``tf.pad`` (mode CONSTANT) for the zero padding;
* ``tf.nn.conv2d`` (NHWC, filters HWIO as the notebook's ``W``, explicit padding
  ``[[0, 0], [pad, pad], [pad, pad], [0, 0]]``) plus the bias, for one step (a window
  convolved with VALID padding gives one pixel) and for the whole layer; TensorFlow's
  "convolution" is a cross-correlation, as the notebook's;
* ``tf.nn.max_pool2d`` / ``tf.nn.avg_pool2d`` with VALID padding for the pooling layers;
* ``tf.GradientTape`` for every backward pass: the gradient of ``sum(output * upstream)``
  through the op above.  The mask of max pooling is the tape's gradient of
  ``tf.nn.max_pool2d`` over the whole window (1 at the maximum TensorFlow picks: the first in
  reading order when several tie), and ``distribute_value`` the gradient of
  ``tf.nn.avg_pool2d`` over the whole window, times ``dz``.

The NumPy expressions below only build inputs and the values of known mistakes (to choose a
hint); no expected value comes from them.  The vectorized exercises must also run without a
Python loop over windows: :func:`_lines_probe` counts, in the learner's kernel, the lines of the
learner's own code that run on one batch (a count, not a timing, so a loaded computer cannot
change the verdict).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from shared_utils.engine.checking import Check, _describe, exercise

# ----- inputs -------------------------------------------------------------------------------------


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(41000 + seed)


def _tf():
    import tensorflow as tf

    return tf


def _is_tensor(value: Any) -> bool:
    module = type(value).__module__
    return module.startswith(("tensorflow", "keras")) and hasattr(value, "numpy")


# (m, n_H_prev, n_W_prev, n_C_prev, f_h, f_w, n_C, stride, pad): non-square inputs and filters, stride 2
# and 3 where the division is not exact (floor), pad 0, a single channel, batch size 1, 1x1 filters
CONV_BASIC = [(2, 5, 7, 3, 3, 3, 4, 1, 1), (3, 7, 6, 2, 2, 3, 3, 2, 0)]
CONV_EXTENDED = [
    (1, 4, 4, 1, 3, 3, 2, 1, 0),
    (2, 7, 9, 3, 3, 2, 2, 2, 2),
    (1, 8, 6, 4, 5, 5, 1, 3, 1),
    (2, 6, 6, 2, 1, 1, 3, 1, 0),
    (1, 5, 3, 1, 2, 2, 2, 2, 1),
]

# (m, n_H_prev, n_W_prev, n_C, f, stride): overlapping windows (stride < f), floors, an output of 1x1
POOL_BASIC = [(2, 5, 7, 3, 2, 2), (1, 5, 6, 2, 3, 1)]
POOL_EXTENDED = [(3, 4, 5, 1, 2, 1), (1, 9, 7, 4, 3, 3), (2, 3, 3, 2, 3, 1), (2, 8, 6, 3, 4, 2)]


def _conv_problem(seed: int, case: tuple) -> tuple:
    m, h, w, c_prev, f_h, f_w, c, stride, pad = case
    rng = _rng(seed)
    A = rng.normal(0, 1, size=(m, h, w, c_prev))
    W = rng.normal(0, 1, size=(f_h, f_w, c_prev, c))
    b = rng.uniform(0.5, 2.0, size=(1, 1, 1, c)) * rng.choice([-1.0, 1.0], size=(1, 1, 1, c))
    return A, W, b, {"stride": stride, "pad": pad}


def _conv_label(case: tuple, seed: int) -> str:
    m, h, w, c_prev, f_h, f_w, c, stride, pad = case
    return (
        f"A_prev of shape ({m}, {h}, {w}, {c_prev}), W of shape ({f_h}, {f_w}, {c_prev}, {c}), "
        f"stride {stride}, pad {pad}, seed {seed}"
    )


def _pool_problem(seed: int, case: tuple) -> tuple:
    m, h, w, c, f, stride = case
    A = _rng(seed).normal(0, 1, size=(m, h, w, c))  # continuous values: no two tie for a maximum
    return A, {"f": f, "stride": stride}


def _pool_label(case: tuple, mode: str, seed: int) -> str:
    m, h, w, c, f, stride = case
    overlap = ", overlapping windows" if stride < f else ""
    return (
        f'mode "{mode}", A_prev of shape ({m}, {h}, {w}, {c}), f {f}, stride {stride}{overlap}, seed {seed}'
    )


# ----- oracles ------------------------------------------------------------------------------------


def _tf_pad(X: np.ndarray, pad: int) -> np.ndarray:
    tf = _tf()
    return tf.pad(
        tf.constant(X, tf.float64), [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="CONSTANT"
    ).numpy()


def _tf_conv(A, W, b, stride: int, pad: int):
    """tf.nn.conv2d(A, W) + b as a float64 tensor (A, W may be tensors, for the tape)."""
    tf = _tf()
    padding = [[0, 0], [pad, pad], [pad, pad], [0, 0]]
    return tf.nn.conv2d(A, W, strides=stride, padding=padding) + b


def _conv(A, W, b, stride: int, pad: int) -> np.ndarray:
    tf = _tf()
    return _tf_conv(tf.constant(A, tf.float64), tf.constant(W, tf.float64), b, stride, pad).numpy()


def _conv_grads(A, W, b, stride: int, pad: int, dZ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dA_prev, dW, db of sum(conv(A, W, b) * dZ), by tf.GradientTape."""
    tf = _tf()
    At, Wt, bt = (tf.Variable(v, dtype=tf.float64) for v in (A, W, b))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(_tf_conv(At, Wt, bt, stride, pad) * tf.constant(dZ, tf.float64))
    return tuple(g.numpy() for g in tape.gradient(loss, [At, Wt, bt]))


def _tf_pool(A, f, stride: int, mode: str):
    tf = _tf()
    op = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    return op(A, ksize=f, strides=stride, padding="VALID")


def _pool(A: np.ndarray, f, stride: int, mode: str) -> np.ndarray:
    tf = _tf()
    return _tf_pool(tf.constant(A, tf.float64), f, stride, mode).numpy()


def _pool_grad(A: np.ndarray, f, stride: int, mode: str, dA: np.ndarray) -> np.ndarray:
    """d sum(pool(A) * dA) / dA_prev, by tf.GradientTape."""
    tf = _tf()
    At = tf.constant(A, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(At)
        loss = tf.reduce_sum(_tf_pool(At, f, stride, mode) * tf.constant(dA, tf.float64))
    return tape.gradient(loss, At).numpy()


# ----- comparing ----------------------------------------------------------------------------------


def _numpy_result(ck: Check, got: Any, what: str) -> Any:
    """Refuse a TensorFlow tensor where the notebook asks for a NumPy array."""
    if _is_tensor(got):
        ck.fail(
            f"{what} is a TensorFlow tensor ({type(got).__name__}); this notebook builds the layers in NumPy "
            "and expects a NumPy array.",
            "Compute with NumPy (np.pad, np.sum, slicing, @) rather than tf ops; the point is to write the "
            "layer yourself. (A tensor's .numpy() gives its array.)",
        )
    return got


def _layout_hint(got_shape: tuple, shape: tuple) -> str | None:
    """A hint for a 4-D result whose axes are those of ``shape`` in another order."""
    if len(got_shape) == len(shape) == 4 and sorted(got_shape) == sorted(shape) and got_shape != shape:
        m, h, w, c = shape
        if got_shape == (m, c, h, w):
            return (
                "Your result looks channels-first (m, n_C, n_H, n_W): this notebook puts the channels last."
            )
        return "Your result has the right sizes in the wrong order: the layout is (m, n_H, n_W, n_C)."
    if len(got_shape) != len(shape) and len(shape) == 4:
        return f"The result needs {len(shape)} axes (m, n_H, n_W, n_C), one for the images first."
    return None


def _shaped(ck: Check, got: Any, shape: tuple, what: str, shape_hints: dict | None = None) -> np.ndarray:
    """``got`` as an array of ``shape``; a known wrong shape gets its own hint."""
    got = _numpy_result(ck, got, what)
    if got is not None and isinstance(got, np.ndarray) and got.shape != tuple(shape):
        hint = (shape_hints or {}).get(got.shape) or _layout_hint(got.shape, tuple(shape))
        ck.fail(f"{what} has shape {got.shape}; expected shape {tuple(shape)}.", hint)
    return ck.shape(got, shape, what)


def _compare(
    ck: Check,
    got: Any,
    expected: np.ndarray,
    what: str,
    mistakes: dict | None = None,
    shape_hints: dict | None = None,
    rtol: float = 1e-7,
    atol: float = 1e-9,
) -> np.ndarray:
    _shaped(ck, got, expected.shape, what, shape_hints)
    return ck.array(got, expected, what=what, rtol=rtol, atol=atol, mistakes=mistakes)


def _size_hints(n: int, f: int, stride: int, pad: int) -> list[tuple[int, str]]:
    """Output sizes that known mistakes in floor((n + 2 pad - f) / stride) + 1 give, with their hint."""
    right = (n + 2 * pad - f) // stride + 1
    found = [
        (
            (n + 2 * pad - f) // stride,
            "The output size is floor((n + 2 pad - f) / stride) + 1: the + 1 is missing.",
        ),
        (
            (n - f) // stride + 1,
            "The output size must count the padding: floor((n + 2 pad - f) / stride) + 1.",
        ),
        ((n + pad - f) // stride + 1, "The padding is on both sides: n + 2 pad, not n + pad."),
        (math.ceil((n + 2 * pad - f) / stride) + 1, "Round the division down (floor, `//`), not up."),
        (
            n + 2 * pad - f + 1,
            "That is the output for stride 1: keep every stride-th position (h * stride, or [::stride]).",
        ),
    ]
    return [(size, hint) for size, hint in found if size != right]


def _output_shape_hints(
    m: int, n_h: int, n_w: int, c: int, f_h: int, f_w: int, stride: int, pad: int
) -> dict:
    """Wrong output shapes (m, n_H, n_W, n_C) from a known mistake in either size, with the hint."""
    right_h, right_w = (n_h + 2 * pad - f_h) // stride + 1, (n_w + 2 * pad - f_w) // stride + 1
    hints: dict = {}
    for size_h, hint_h in _size_hints(n_h, f_h, stride, pad):  # the same mistake in both sizes
        for size_w, hint_w in _size_hints(n_w, f_w, stride, pad):
            if hint_h == hint_w:
                hints.setdefault((m, size_h, size_w, c), hint_h)
    for size, hint in _size_hints(n_h, f_h, stride, pad):
        hints.setdefault((m, size, right_w, c), hint)
    for size, hint in _size_hints(n_w, f_w, stride, pad):
        hints.setdefault((m, right_h, size, c), hint)
    if f_h != f_w:
        swapped = ((n_h + 2 * pad - f_w) // stride + 1, (n_w + 2 * pad - f_h) // stride + 1)
        if swapped != (right_h, right_w):
            hints.setdefault(
                (m, *swapped, c),
                "The filter's rows are f_h = W.shape[0] and its columns f_w = W.shape[1]: "
                "n_H uses f_h, n_W uses f_w.",
            )
    return hints


# ----- zero_pad -----------------------------------------------------------------------------------


@exercise(
    params=("X", "pad"),
    hints=[
        "np.pad with one (before, after) pair per axis: (0, 0) for the images and the channels, "
        "(pad, pad) for the rows and the columns."
    ],
)
def zero_pad(ck: Check) -> None:
    cases = ck.pick([(2, 3, 4, 2, 2), (1, 5, 2, 3, 1)], [(3, 2, 2, 1, 3), (2, 4, 3, 5, 0), (1, 1, 1, 1, 2)])
    for seed in ck.seeds():
        for m, h, w, c, pad in cases:
            X = _rng(100 + seed).normal(0, 1, size=(m, h, w, c))
            with ck.case(f"X of shape ({m}, {h}, {w}, {c}), pad {pad}, seed {seed}"):
                got = ck.call(X, pad)
                expected = _tf_pad(X, pad)
                p2 = 2 * pad
                shape_hints = {
                    (
                        m + p2,
                        h + p2,
                        w + p2,
                        c + p2,
                    ): "np.pad(X, pad) pads every axis, the images and the channels "
                    "too: give one (before, after) pair per axis, ((0, 0), (pad, pad), (pad, pad), (0, 0)).",
                    (
                        m + p2,
                        h + p2,
                        w + p2,
                        c,
                    ): "You padded the batch axis too: it needs (0, 0), only the rows and "
                    "columns get (pad, pad).",
                    (m, h + p2, w + p2, c + p2): "You padded the channels too: the last axis needs (0, 0).",
                    (
                        m,
                        h + pad,
                        w + pad,
                        c,
                    ): "Pad both sides of the rows and columns: (pad, pad), not (0, pad) or (pad, 0).",
                    (m, h + 2 * p2, w + 2 * p2, c): "Each side gets `pad` zeros, not 2 * pad.",
                }
                shape_hints.pop(expected.shape, None)
                edge = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="edge")
                _compare(
                    ck,
                    got,
                    expected,
                    "X_pad",
                    shape_hints=shape_hints,
                    mistakes={
                        'Pad with zeros (mode="constant", the default), not with copies of the border '
                        '(mode="edge").': edge
                    },
                    rtol=0,
                    atol=0,
                )


# ----- conv_single_step ---------------------------------------------------------------------------


@exercise(
    params=("a_slice_prev", "W", "b"),
    hints=[
        "Multiply the window by the filter element by element, sum every product, then add the bias once."
    ],
)
def conv_single_step(ck: Check) -> None:
    cases = ck.pick([(3, 3, 4), (2, 5, 3)], [(1, 1, 6), (4, 3, 1), (5, 5, 2)])
    for seed in ck.seeds():
        for f_h, f_w, c in cases:
            rng = _rng(200 + seed)
            a = rng.normal(0, 1, size=(f_h, f_w, c))
            W = rng.normal(0, 1, size=(f_h, f_w, c))
            b = np.array(rng.uniform(1.0, 3.0) * rng.choice([-1.0, 1.0])).reshape(1, 1, 1)
            with ck.case(f"a_slice_prev and W of shape ({f_h}, {f_w}, {c}), b = {b.item():.4f}, seed {seed}"):
                got = _numpy_result(ck, ck.call(a, W, b), "Z")
                expected = float(_conv(a[np.newaxis], W[..., np.newaxis], b.reshape(1, 1, 1, 1), 1, 0).item())
                size = np.size(got) if isinstance(got, (np.ndarray, list, tuple)) else 1
                if size > 1:
                    ck.fail(
                        f"Z should be one number, got {_describe(got)}.",
                        "Sum over every axis of the product: np.sum(a_slice_prev * W), without axis=.",
                    )
                k = f_h * f_w * c
                bias = b.item()
                ck.scalar(
                    got,
                    expected,
                    what="Z",
                    rtol=1e-9,
                    atol=1e-9,
                    mistakes={
                        "The bias is missing: add b after the sum.": expected - bias,
                        "You added b to every product before summing, so it counts f_h * f_w * n_C_prev "
                        "times: add it once, after np.sum.": expected + (k - 1) * bias,
                        "That is the mean of the products: the convolution sums them (np.sum, not "
                        "np.mean).": ((expected - bias) / k + bias),
                    },
                )


# ----- conv_forward -------------------------------------------------------------------------------


def _check_conv_cache(ck: Check, cache: Any, A, W, b, hparameters) -> None:
    cache = ck.returns(
        cache,
        "A_prev, W, b, hparameters",
        "Keep the given line cache = (A_prev, W, b, hparameters).",
        what="cache",
    )
    pad = hparameters["pad"]
    first = cache[0]
    if isinstance(first, np.ndarray) and first.shape != A.shape and pad:
        ck.fail(
            f"cache[0] has shape {first.shape}; it should be A_prev itself, of shape {A.shape}.",
            "The cache keeps the input as it came, not its padded copy: pad into a new variable "
            "(A_prev_pad).",
        )
    for item, ref, name in zip(cache[:3], (A, W, b), ("A_prev", "W", "b")):
        ck.that(
            isinstance(item, np.ndarray) and item.shape == ref.shape and np.array_equal(item, ref),
            f"cache should be (A_prev, W, b, hparameters): its item {name} is {_describe(item)}, expected "
            f"{_describe(ref)}.",
            "Keep the given line cache = (A_prev, W, b, hparameters), and do not change A_prev, W or b.",
        )
    ck.that(
        isinstance(cache[3], dict) and cache[3] == hparameters,
        f"cache[3] should be the hparameters dict {hparameters}, got {_describe(cache[3])}.",
        "Keep the given line cache = (A_prev, W, b, hparameters).",
    )


def _conv_mistakes(A, W, b, stride: int, pad: int, expected: np.ndarray) -> dict:
    """The Z of known mistakes in a convolution's forward pass."""
    n_H, n_W = expected.shape[1:3]
    k = W.shape[0] * W.shape[1] * W.shape[2]
    no_bias = expected - b
    mistakes = {
        "The bias is missing: Z = sum(window * W[:, :, :, c]) + b[:, :, :, c].": no_bias,
        "Every filter got the bias of filter 0: use b[:, :, :, c] for filter c.": no_bias + b[..., :1],
        "The bias was added to every product of the window (f_h * f_w * n_C_prev times): add it once per "
        "output pixel.": expected + (k - 1) * b,
        "The filter is flipped (a convolution in the signal-processing sense): deep learning's convolution, "
        "like tf.nn.conv2d, slides W as it is.": _conv(A, W[::-1, ::-1], b, stride, pad),
    }
    if stride > 1:
        mistakes[
            "The windows ignore the stride: window (h, w) starts at row h * stride and column w * stride."
        ] = _conv(A, W, b, 1, pad)[:, :n_H, :n_W]
    return mistakes


@exercise(
    params=("A_prev", "W", "b", "hparameters"),
    hints=[
        "n_H = (n_H_prev + 2 pad - f_h) // stride + 1 (and n_W likewise); pad first; the window of (h, w) "
        "starts at (h * stride, w * stride) of the padded image and spans f_h rows, f_w columns, all "
        "channels; "
        "Z[i, h, w, c] = conv_single_step(window, W[:, :, :, c], b[:, :, :, c])."
    ],
)
def conv_forward(ck: Check) -> None:
    _conv_forward_cases(ck)


def _conv_forward_cases(ck: Check, extra_mistakes=None) -> None:
    for seed in ck.seeds():
        for case in ck.pick(CONV_BASIC, CONV_EXTENDED):
            A, W, b, hp = _conv_problem(300 + seed, case)
            m, h, w, _, f_h, f_w, c, stride, pad = case
            with ck.case(_conv_label(case, seed)):
                reshape = (
                    stride > 1,
                    "cannot reshape array",
                    "There are more windows than m * n_H * n_W: keep every stride-th one, "
                    "sliding_window_view(...)[:, ::stride, ::stride].",
                )
                got = _call_noting(ck, (A, W, b, dict(hp)), [_WINDOW_HINT, reshape])
                Z, cache = ck.returns(got, "Z, cache")
                expected = _conv(A, W, b, stride, pad)
                mistakes = _conv_mistakes(A, W, b, stride, pad, expected)
                mistakes.update(extra_mistakes(A, W, b, stride, pad) if extra_mistakes else {})
                _compare(
                    ck,
                    Z,
                    expected,
                    "Z",
                    mistakes=mistakes,
                    shape_hints=_output_shape_hints(m, h, w, c, f_h, f_w, stride, pad),
                )
                _check_conv_cache(ck, cache, A, W, b, hp)


# ----- pool_forward -------------------------------------------------------------------------------


def _pool_mistakes(A, f: int, stride: int, mode: str, expected: np.ndarray) -> dict:
    n_H, n_W = expected.shape[1:3]
    if mode == "max":
        mistakes = {
            'That is average pooling: with mode "max" take np.max of the window.': _pool(
                A, f, stride, "average"
            ),
            "You took the maximum over the channels too: reduce over the window's rows and columns only, "
            "axis=(0, 1), one value per channel.": np.broadcast_to(
                expected.max(axis=3, keepdims=True), expected.shape
            ),
        }
    else:
        mistakes = {
            'That is max pooling: with mode "average" take np.mean of the window (the mode was '
            "ignored?).": _pool(A, f, stride, "max"),
            "The mean of a window divides by its f * f pixels: that is the sum divided by f.": expected * f,
            "That is the sum of the window: average pooling divides it by f * f (np.mean).": expected * f * f,
            "You averaged over the channels too: reduce over the window's rows and columns only, "
            "axis=(0, 1).": (np.broadcast_to(expected.mean(axis=3, keepdims=True), expected.shape)),
        }
    if stride > 1:
        mistakes[
            "The windows ignore the stride: window (h, w) starts at row h * stride, column w * stride."
        ] = _pool(A, f, 1, mode)[:, :n_H, :n_W]
    return mistakes


def _pool_forward_cases(ck: Check) -> None:
    for seed in ck.seeds():
        for case in ck.pick(POOL_BASIC, POOL_EXTENDED):
            A, hp = _pool_problem(400 + seed, case)
            m, h, w, c, f, stride = case
            for mode in ("max", "average"):
                with ck.case(_pool_label(case, mode, seed)):
                    got = ck.call(A, dict(hp), mode=mode)
                    out, cache = ck.returns(got, "A, cache")
                    expected = _pool(A, f, stride, mode)
                    shape_hints = {
                        shape: hint
                        for shape, hint in _output_shape_hints(m, h, w, c, f, f, stride, 0).items()
                        if "padding" not in hint
                    }
                    _compare(
                        ck, out, expected, "A", _pool_mistakes(A, f, stride, mode, expected), shape_hints
                    )
                    cache = ck.returns(
                        cache,
                        "A_prev, hparameters",
                        "Keep the given cache = (A_prev, hparameters).",
                        what="cache",
                    )
                    ck.that(
                        isinstance(cache[0], np.ndarray) and np.array_equal(cache[0], A) and cache[1] == hp,
                        f"cache should be (A_prev, hparameters) as given; got ({_describe(cache[0])}, "
                        f"{_describe(cache[1])}).",
                        "Keep the given line cache = (A_prev, hparameters).",
                    )


@exercise(
    params=("A_prev", "hparameters", "mode"),
    hints=[
        "n_H = (n_H_prev - f) // stride + 1 (no padding); the window of (h, w) starts at "
        "(h * stride, w * stride); "
        "A[i, h, w, :] is np.max or np.mean of the window over axis=(0, 1)."
    ],
)
def pool_forward(ck: Check) -> None:
    _pool_forward_cases(ck)


# ----- conv_backward ------------------------------------------------------------------------------


def _call_noting(ck: Check, args: tuple, raised: list[tuple[bool, str, str]]) -> Any:
    """``ck.call(*args)``; where the learner's code raised an error whose text holds a known fragment
    (and its condition holds), the message gets that mistake's hint: ``raised`` lists
    (condition, fragment, hint)."""
    try:
        return ck.call(*args)
    except AssertionError as exc:
        text = str(exc)
        if "your code raised" in text and "]: " in text:
            for condition, fragment, hint in raised:
                if condition and fragment in text:
                    ck.fail(text.split("]: ", 1)[1].split("\nHint:", 1)[0], hint)
        raise


def _unpad_hint(pad: int) -> list[tuple[bool, str, str]]:
    return [
        (
            pad == 0,
            "shape (0,",
            "With pad = 0, [pad:-pad] is the empty slice [0:0]: cut the padding off with "
            "[pad:pad + n_H_prev, pad:pad + n_W_prev].",
        )
    ]


_WINDOW_HINT = (
    True,
    "could not be broadcast together",
    "The window and the filter have different shapes: the window of (h, w) spans f_h = W.shape[0] rows from "
    "h * stride and f_w = W.shape[1] columns from w * stride, across all channels. (A window that sticks out "
    "of the padded image comes out smaller: n_H and n_W round down, //.)",
)


def _check_conv_grads(
    ck: Check, got: Any, A, W, b, stride: int, pad: int, dZ, more: dict | None = None
) -> None:
    dA_prev, dW, db = ck.returns(got, "dA_prev, dW, db")
    exp_dA, exp_dW, exp_db = _conv_grads(A, W, b, stride, pad, dZ)
    last = np.zeros_like(dZ)
    last[-1] = dZ[-1]
    _, last_dW, last_db = _conv_grads(A, W, b, stride, pad, last)
    p2 = 2 * pad
    m, h, w, c_prev = A.shape
    shape_hints = {
        (m, h + p2, w + p2, c_prev): "dA_prev still has its padding: cut it off "
        "([pad:pad + n_H_prev, pad:pad + n_W_prev]) so that dA_prev has A_prev's shape."
    }
    more = more or {}
    _compare(
        ck, dA_prev, exp_dA, "dA_prev", mistakes=more.get("dA_prev"), shape_hints=shape_hints if pad else None
    )
    several = A.shape[0] > 1
    _compare(
        ck,
        dW,
        exp_dW,
        "dW",
        mistakes={
            "dW holds the last image's gradient only: it must add up over all the images (start it at zeros "
            "once, before the loop over i, and +=).": last_dW,
            **more.get("dW", {}),
        }
        if several
        else more.get("dW"),
    )
    db_mistakes = {
        "db[:, :, :, c] must collect dZ[i, h, w, c] of its own filter c only; every channel of yours got the "
        "sum over all filters.": np.full_like(exp_db, dZ.sum()),
        **more.get("db", {}),
    }
    if several:
        db_mistakes["db holds the last image's gradient only: it must add up over all the images."] = last_db
    _compare(
        ck,
        db,
        exp_db,
        "db",
        mistakes=db_mistakes,
        shape_hints=more.get("db_shapes"),
    )


def _conv_backward_cases(ck: Check, more_mistakes=None) -> None:
    for seed in ck.seeds(extended=4):  # loops through every gradient: fewer seeds than the forward pass
        for case in ck.pick(CONV_BASIC, CONV_EXTENDED):
            A, W, b, hp = _conv_problem(500 + seed, case)
            stride, pad = hp["stride"], hp["pad"]
            dZ = _rng(600 + seed).normal(0, 1, size=_conv(A, W, b, stride, pad).shape)
            with ck.case(_conv_label(case, seed) + ", dZ of shape " + str(dZ.shape)):
                got = _call_noting(ck, (dZ, (A, W, b, dict(hp))), _unpad_hint(pad))
                more = more_mistakes(A, W, b, stride, pad, dZ) if more_mistakes else None
                _check_conv_grads(ck, got, A, W, b, stride, pad, dZ, more)


@exercise(
    params=("dZ", "cache"),
    hints=[
        "For each image, position and filter: the window of the padded dA_prev += "
        "W[:, :, :, c] * dZ[i, h, w, c]; "
        "dW[:, :, :, c] += window of the padded A_prev * dZ[i, h, w, c]; db[:, :, :, c] += dZ[i, h, w, c]; "
        "then cut the padding off dA_prev."
    ],
)
def conv_backward(ck: Check) -> None:
    _conv_backward_cases(ck)


# ----- create_mask_from_window --------------------------------------------------------------------


def _tf_mask(x: np.ndarray) -> np.ndarray:
    """Where tf.nn.max_pool2d over the whole window sends the gradient: the maximum TensorFlow picks."""
    grad = _pool_grad(x[np.newaxis, :, :, np.newaxis], list(x.shape), 1, "max", np.ones((1, 1, 1, 1)))
    return grad[0, :, :, 0] != 0


def _mask_windows(seed: int, extended: bool) -> list[tuple[str, np.ndarray]]:
    rng = _rng(700 + seed)
    ties = rng.integers(0, 3, size=(4, 4)).astype(float)
    ties[rng.integers(0, 4), rng.integers(0, 4)] = 2.0
    ties[rng.integers(0, 4), rng.integers(0, 4)] = 2.0
    ties.flat[-1] = 2.0  # the last entry ties for the maximum too
    windows = [
        ("a 3x3 window of distinct values", rng.normal(0, 1, size=(3, 3))),
        ("a 2x4 window of distinct values", rng.normal(0, 1, size=(2, 4))),
        ("a 4x4 window of small integers, several tied for the maximum", ties),
    ]
    if extended:
        last = rng.normal(0, 1, size=(3, 2))
        last.flat[-1] = last.max() + 1.0
        windows += [
            ("a 2x2 window of equal values", np.full((2, 2), rng.normal())),
            ("a 1x5 window of negative values", -rng.uniform(1, 2, size=(1, 5))),
            ("a 3x2 window whose maximum is its last entry", last),
            ("a 5x5 window of distinct values", rng.normal(0, 1, size=(5, 5))),
        ]
    return windows


def _last_max(x: np.ndarray) -> np.ndarray:
    mask = np.zeros(x.shape, bool)
    flat = x.ravel()
    mask.flat[len(flat) - 1 - int(np.argmax(flat[::-1]))] = True
    return mask


@exercise(
    params=("x",),
    hints=[
        "A boolean array of x's shape, True at the first maximum (np.argmax on the flattened window) only."
    ],
)
def create_mask_from_window(ck: Check) -> None:
    for seed in ck.seeds():
        for label, x in _mask_windows(seed, ck.extended):
            with ck.case(f"{label}, seed {seed}"):
                got = _numpy_result(ck, ck.call(x.copy()), "mask")
                if got is not None and np.ndim(got) == 0:
                    ck.fail(
                        f"mask should be an array of x's shape {x.shape}, got {_describe(got)}.",
                        "np.argmax gives the position of the maximum, not a mask: build a boolean array of "
                        "x's shape that is True there.",
                    )
                got = _shaped(ck, got, x.shape, "mask")
                ck.that(
                    got.dtype.kind in "biuf" and np.isin(got, (0, 1)).all(),
                    f"mask should hold True/False (or 1/0) only, got {_describe(got)}.",
                    "Return the mask itself (x == ... or a boolean array), not the window times the mask.",
                )
                expected = _tf_mask(x)
                all_max = x == x.max()
                mistakes = {
                    "Your mask marks the last of the tied maxima: the gradient goes to the first one in "
                    "reading order, as in TensorFlow (np.argmax; in a loop, compare with > rather than "
                    ">=).": _last_max(x),
                    "The maximum is of the whole window: np.max(x), not the maximum of each column "
                    "(axis=0).": x == x.max(axis=0, keepdims=True),
                    "The maximum is of the whole window: np.max(x), not the maximum of each row (axis=1).": x
                    == x.max(axis=1, keepdims=True),
                    "That marks the minimum: the mask is True at the maximum.": x == x.min(),
                }
                if all_max.sum() > 1:
                    mistakes = {
                        f"{int(all_max.sum())} entries tie for the maximum here, and your mask marks all of "
                        "them: the gradient would be counted once per tied entry. Mark only the first "
                        "(np.argmax).": all_max,
                        **mistakes,
                    }
                ck.array(
                    got.astype(float),
                    expected.astype(float),
                    what="mask (as 1 for True, 0 for False)",
                    rtol=0,
                    atol=0,
                    mistakes={hint: m.astype(float) for hint, m in mistakes.items()},
                )


# ----- distribute_value ---------------------------------------------------------------------------


@exercise(
    params=("dz", "shape"),
    hints=["Each of the n_H * n_W entries gets the same share dz / (n_H * n_W), so that they add up to dz."],
)
def distribute_value(ck: Check) -> None:
    cases = ck.pick(
        [(2.0, (2, 3)), (-1.3, (3, 3))], [(5.0, (1, 1)), (0.7, (4, 3)), (-2.5, (1, 4)), (3.0, (5, 2))]
    )
    for dz, shape in cases:
        with ck.case(f"dz = {dz}, shape = {shape}"):
            got = ck.call(float(dz), tuple(shape))
            n_h, n_w = shape
            expected = (
                dz
                * _pool_grad(np.zeros((1, n_h, n_w, 1)), list(shape), 1, "average", np.ones((1, 1, 1, 1)))[
                    0, :, :, 0
                ]
            )
            got = _numpy_result(ck, got, "the result")
            if np.ndim(got) == 0 and got is not None:
                ck.fail(
                    f"the result should be an array of shape {shape}, got {_describe(got)}.",
                    "Return the whole window of shares: np.full(shape, ...) or np.ones(shape) * ...",
                )
            _compare(
                ck,
                got,
                expected,
                "the result",
                mistakes={
                    "Every entry got the whole of dz: divide it by the number of entries, "
                    "n_H * n_W.": np.full(shape, dz),
                    "Divide by the number of entries, n_H * n_W, not n_H + n_W.": np.full(
                        shape, dz / (n_h + n_w)
                    ),
                    "Divide by the number of entries, n_H * n_W, not by n_H alone.": np.full(shape, dz / n_h),
                    "Divide by the number of entries, n_H * n_W, not by n_W alone.": np.full(shape, dz / n_w),
                },
                rtol=1e-12,
                atol=1e-12,
            )


# ----- pool_backward ------------------------------------------------------------------------------


def _pool_grad_replica(A, f: int, stride: int, mode: str, dA, assign: bool, all_maxima: bool) -> np.ndarray:
    """The gradient a known mistake gives (assignment instead of +=, every tied maximum): for hints only."""
    out = np.zeros(A.shape)
    m, n_H, n_W, n_C = dA.shape
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                    x = A[i, rows, cols, c]
                    if mode == "average":
                        part = np.full(x.shape, dA[i, h, w, c] / x.size)
                    elif all_maxima:
                        part = (x == x.max()) * dA[i, h, w, c]
                    else:
                        part = (np.arange(x.size) == np.argmax(x)).reshape(x.shape) * dA[i, h, w, c]
                    if assign:
                        out[i, rows, cols, c] = part
                    else:
                        out[i, rows, cols, c] += part
    return out


@exercise(
    params=("dA", "cache", "mode"),
    hints=[
        "For each image, position and channel: max mode adds mask * dA[i, h, w, c] into the window "
        "of dA_prev "
        "(mask from A_prev's window); average mode adds distribute_value(dA[i, h, w, c], (f, f))."
    ],
)
def pool_backward(ck: Check) -> None:
    cases = [(case, False) for case in ck.pick(POOL_BASIC, POOL_EXTENDED)] + [((1, 4, 5, 2, 2, 1), True)]
    for seed in ck.seeds():
        for case, ties in cases:
            A, hp = _pool_problem(800 + seed, case)
            if ties:
                A = _rng(850 + seed).integers(0, 3, size=A.shape).astype(float)
            m, h, w, c, f, stride = case
            for mode in ("max", "average"):
                dA = _rng(900 + seed).normal(0, 1, size=_pool(A, f, stride, mode).shape)
                label = _pool_label(case, mode, seed) + (", small integers with tied maxima" if ties else "")
                with ck.case(label + f", dA of shape {dA.shape}"):
                    got = ck.call(dA, (A, dict(hp)), mode=mode)
                    expected = _pool_grad(A, f, stride, mode, dA)
                    other = "average" if mode == "max" else "max"
                    mistakes = {
                        f'That is the gradient of {other} pooling: with mode "{mode}" use '
                        + (
                            "the mask of the maximum."
                            if mode == "max"
                            else "distribute_value (the mode was ignored?)."
                        ): _pool_grad(A, f, stride, other, dA),
                    }
                    if mode == "average":
                        mistakes[
                            "Each pixel of a window gets dA / (f * f), not the whole of dA: use "
                            "distribute_value."
                        ] = expected * f * f
                    if ties:
                        mistakes[
                            "Where several pixels tie for the maximum of a window, only the first gets the "
                            "gradient (create_mask_from_window): yours gave it to all of them."
                        ] = _pool_grad_replica(A, f, stride, mode, dA, assign=False, all_maxima=True)
                    if stride < f:
                        mistakes[
                            "The windows overlap here (stride < f): add each window's gradient into dA_prev "
                            "(+=), do not overwrite what an earlier window put there."
                        ] = _pool_grad_replica(A, f, stride, mode, dA, assign=True, all_maxima=False)
                    if stride > 1:
                        mistakes["The windows ignore the stride: window (h, w) starts at row h * stride."] = (
                            _pool_grad_replica(A, f, 1, mode, dA, assign=False, all_maxima=False)
                        )
                    _compare(ck, got, expected, "dA_prev", mistakes=mistakes)


# ----- vectorized versions ------------------------------------------------------------------------

# A vectorized exercise must not loop in Python over the images, the positions or the filters.
# That is checked by counting, not by timing (a timing flips on a loaded computer): while the
# learner's function runs on one batch, a trace counts the lines of the learner's own code that
# execute (frames of NumPy, TensorFlow, Python and shared_utils are not counted).  The loop
# version executes at least one line per window (the number given below); the solutions execute
# a few dozen.  The benchmark of the notebook times them; the run report shows those times.
LINE_LIMIT = 500
SPEED_CASES = {
    # kind: (what, windows the loop version visits)
    "conv_forward": ("a batch of 4 images of 32x32x2, 8 filters of 3x3, stride 1, pad 1", 4 * 32 * 32 * 8),
    "conv_backward": ("the gradient of the same batch", 4 * 32 * 32 * 8),
    "pool_forward": ("a batch of 8 images of 64x64x1, f 2, stride 1", 8 * 63 * 63),
}


def _loop_inputs(kind: str) -> tuple:
    rng = np.random.default_rng(41999)
    if kind == "pool_forward":
        return (rng.normal(size=(8, 64, 64, 1)), {"f": 2, "stride": 1})
    A = rng.normal(size=(4, 32, 32, 2))
    W = rng.normal(size=(3, 3, 2, 8))
    b = rng.normal(size=(1, 1, 1, 8))
    hp = {"stride": 1, "pad": 1}
    if kind == "conv_forward":
        return (A, W, b, hp)
    return (rng.normal(size=(4, 32, 32, 8)), (A, W, b, hp))


def _lines_probe(fn, kind: str) -> dict:
    """How many lines of the learner's own code run while ``fn`` processes one batch (in the kernel).

    The run is stopped as soon as the count passes ``2 * LINE_LIMIT`` (a loop would go on for
    many thousands), and that count is returned."""
    from shared_utils.engine.checking import learner_lines

    return {"lines": learner_lines(fn, *_loop_inputs(kind), cap=2 * LINE_LIMIT)}


def _check_speed(ck: Check, kind: str) -> None:
    what, windows = SPEED_CASES[kind]
    with ck.case(f"{what}, counting the lines of your code that run"):
        lines = int(ck.in_kernel(_lines_probe, kind)["lines"])
        ck.that(
            lines < LINE_LIMIT,
            f"{ck.name} ran {'more than ' if lines > 2 * LINE_LIMIT else ''}{lines:,} lines of your code on "
            f"{what}; a loop over the windows runs at least "
            f"{windows:,} (one per window), a vectorized version a few dozen (the limit is {LINE_LIMIT}).",
            "No Python loop over the images, the positions or the filters: build the windows with "
            "sliding_window_view and use one matrix product (or one reduction).",
        )


def _unordered_columns(A, W, b, stride: int, pad: int) -> dict:
    """Z when the windows are reshaped in their (n_C_prev, f_h, f_w) order but W in (f_h, f_w, n_C_prev)."""
    f_h, f_w, c_prev, c = W.shape
    reread = W.reshape(f_h * f_w * c_prev, c).reshape(c_prev, f_h, f_w, c).transpose(1, 2, 0, 3)
    if np.allclose(reread, W):
        return {}
    return {
        "The rows of cols and of W.reshape(...) list the window in different orders: transpose "
        "the windows to (m, n_H, n_W, f_h, f_w, n_C_prev) before reshaping, so that they read like W.": _conv(
            A, reread, b, stride, pad
        )
    }


@exercise(
    params=("A_prev", "W", "b", "hparameters"),
    hints=[
        "Pad; sliding_window_view(A_prev_pad, (f_h, f_w), axis=(1, 2))[:, ::stride, ::stride]; transpose the "
        "window's axes before the channels; reshape to one row per window; multiply by W reshaped to "
        "(f_h * f_w * n_C_prev, n_C); reshape to (m, n_H, n_W, n_C) and add b."
    ],
)
def conv_forward_vectorized(ck: Check) -> None:
    _conv_forward_cases(ck, extra_mistakes=_unordered_columns)
    _check_speed(ck, "conv_forward")


def _vectorized_backward_mistakes(A, W, b, stride: int, pad: int, dZ) -> dict:
    """dW read in the wrong order, and a col2im that overwrites instead of adding."""
    _, exp_dW, _ = _conv_grads(A, W, b, stride, pad, dZ)
    f_h, f_w, c_prev, c = W.shape
    m, n_H, n_W, _ = dZ.shape
    mistakes: dict = {"dW": {}, "dA_prev": {}}
    wrong_dW = exp_dW.reshape(f_h * f_w * c_prev, c).T.reshape(W.shape)
    mistakes["dW"][
        "dW = dZ2.T @ cols has shape (n_C, f_h * f_w * n_C_prev): reshaping it to W's shape mixes the "
        "filters up. Use cols.T @ dZ2."
    ] = wrong_dW
    if stride < max(f_h, f_w):  # windows overlap: an assignment loses part of the gradient
        dcols = (dZ.reshape(-1, c) @ W.reshape(-1, c).T).reshape(m, n_H, n_W, f_h, f_w, c_prev)
        padded = np.zeros((m, A.shape[1] + 2 * pad, A.shape[2] + 2 * pad, c_prev))
        for r in range(f_h):
            for s in range(f_w):
                padded[
                    :, r : r + stride * (n_H - 1) + 1 : stride, s : s + stride * (n_W - 1) + 1 : stride
                ] = dcols[:, :, :, r, s]
        mistakes["dA_prev"][
            "Windows overlap, so a padded pixel collects gradient from several filter positions: add "
            "(+=) in the col2im loop, do not assign."
        ] = padded[:, pad : pad + A.shape[1], pad : pad + A.shape[2]]
    mistakes["db_shapes"] = {
        (
            m,
            1,
            1,
            1,
        ): "db has one entry per filter: sum dZ over the images, rows and columns, axis=(0, 1, 2).",
        (m, 1, 1, c): "db sums over the images too: axis=(0, 1, 2), then reshape to (1, 1, 1, n_C).",
        (
            1,
            1,
            1,
            m,
        ): "db has one entry per filter: sum dZ over the images, rows and columns, axis=(0, 1, 2).",
    }
    mistakes["db_shapes"].pop((1, 1, 1, c), None)
    return mistakes


@exercise(
    params=("dZ", "cache"),
    hints=[
        "cols as in the forward pass; dW = (cols.T @ dZ2).reshape(W.shape); db = dZ summed over "
        "axes 0, 1, 2; dcols = dZ2 @ W2.T, reshaped to (m, n_H, n_W, f_h, f_w, n_C_prev), added back "
        "filter position by filter position into the padded dA_prev; cut the padding off."
    ],
)
def conv_backward_vectorized(ck: Check) -> None:
    _conv_backward_cases(ck, more_mistakes=_vectorized_backward_mistakes)
    _check_speed(ck, "conv_backward")


@exercise(
    params=("A_prev", "hparameters", "mode"),
    hints=[
        "sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride], then np.max or "
        "np.mean over the window's own axes, the last two (axis=(-2, -1))."
    ],
)
def pool_forward_vectorized(ck: Check) -> None:
    _pool_forward_cases(ck)
    _check_speed(ck, "pool_forward")

"""Checks for course 4, notebook 8: neural style transfer.

Oracles:

* ``compute_content_cost``: the mean of the squared differences, divided by 4, in float64
  NumPy (the mean is the sum over the n_H n_W n_C values divided by their number), on shapes
  with n_H, n_W and n_C all different; ``tf.GradientTape`` must reach the generated
  activations through the learner's code.
* ``gram_matrix``: ``np.einsum("ik,jk->ij")`` in float64, on matrices with more columns than
  rows, so that A^T A has another shape than A A^T.
* ``compute_layer_style_cost``: the Gram matrices written as ``np.einsum("hwc,hwd->cd")`` of
  the activations themselves (no unrolling at all, so no way to unroll them wrongly), in
  float64, on shapes where n_H n_W != n_C. The learner's ``gram_matrix`` is replaced by a
  right one during the check (:meth:`Check.planted`), so the check judges this function only.
* ``compute_style_cost``: the weighted sum of the layer costs, each from the einsum oracle, on
  two to four layers of different shapes with unequal weights; the learner's
  ``compute_layer_style_cost`` is replaced by a right one (a TensorFlow einsum) meanwhile.
* ``total_cost``: alpha J_content + beta J_style in float64, with the defaults and with other
  weights given by keyword and by position.
* ``train_step``: one step on a small fixed convolutional network (seeded weights, two style
  outputs and a content output), computed here with ``tf.GradientTape``, the same optimizer
  (plain SGD, which shows the gradient's scale, and Adam) and ``tf.clip_by_value`` to [0, 1];
  the learner's cost helpers are replaced by right ones during the check. Compared: the image
  variable after the step (updated in place, clipped), the returned cost (computed before the
  update), and that ``train_step`` is a ``tf.function``.

Known mistakes (shown as specific hints, never used to pass) are computed from NumPy variants.
"""

from __future__ import annotations

import numpy as np

from shared_utils.engine.checking import Check, exercise

# (n_H, n_W, n_C): n_H n_W != n_C, and n_C is never 2 or 4 (where two normalisations would agree)
ACTIVATION_SHAPES = [(3, 5, 6), (4, 2, 7), (2, 7, 3)]
ACTIVATION_SHAPES_EXTENDED = [(5, 3, 8), (6, 4, 5), (1, 9, 3)]


def _tf():
    import tensorflow as tf

    return tf


def _activations(seed: int, shape: tuple[int, int, int], relu: bool = True) -> np.ndarray:
    """Activation-like float32 values (1, n_H, n_W, n_C), non-negative as after a ReLU."""
    rng = np.random.default_rng(seed)
    a = rng.normal(0.3, 1.0, (1, *shape)).astype(np.float32)
    return np.maximum(a, 0) if relu else a


def _gram(a: np.ndarray) -> np.ndarray:
    """The Gram matrix (n_C, n_C) of activations (1, n_H, n_W, n_C), in float64."""
    a = np.asarray(a, np.float64)[0]
    return np.einsum("hwc,hwd->cd", a, a)


def _layer_style_cost(a_s: np.ndarray, a_g: np.ndarray) -> float:
    _, h, w, c = a_s.shape
    return float(np.sum((_gram(a_s) - _gram(a_g)) ** 2) / (4.0 * c**2 * (h * w) ** 2))


def _cost_on_tape(fn, a_fixed, a_generated) -> dict:
    """The learner's cost of ``a_generated`` as a Variable on a tape (in the kernel when
    grading): its value, and whether a gradient reaches ``a_generated``."""
    tf = _tf()
    var = tf.Variable(a_generated)
    with tf.GradientTape() as tape:
        value = fn(tf.constant(a_fixed), var)
    grad = None
    if tf.is_tensor(value):
        grad = tape.gradient(value, var)
    return {
        "value": value.numpy() if tf.is_tensor(value) else value,
        "is_tensor": bool(tf.is_tensor(value)),
        "has_gradient": grad is not None and bool(np.any(grad.numpy() != 0)),
    }


def _judge_tape(ck: Check, run: dict, what: str) -> None:
    ck.that(
        run["is_tensor"] and run["has_gradient"],
        f"{what} is {'a tensor' if run['is_tensor'] else 'not a tf.Tensor'}, but tf.GradientTape finds no "
        "gradient of it with respect to the generated activations.",
        "Compute with TensorFlow ops (tf.reduce_sum, tf.square, tf.reshape, ...) on the tensors given: "
        "a detour through NumPy (np.sum, .numpy()) cuts the gradient that train_step needs.",
    )


# ----- compute_content_cost -------------------------------------------------------------------

SQUARE_ROOT = "You took the square root of the sum (a norm): the cost uses the squares themselves."


@exercise(
    params=("a_C", "a_G"),
    hints=["J_content = sum((a_C - a_G)^2) / (4 n_H n_W n_C), with n_H, n_W, n_C read from a_G's shape."],
)
def compute_content_cost(ck: Check) -> None:
    for k, shape in enumerate(ck.pick(ACTIVATION_SHAPES, ACTIVATION_SHAPES_EXTENDED)):
        seed = ck.seed_base + k
        a_c, a_g = _activations(800 + seed, shape), _activations(900 + seed, shape)
        h, w, c = shape
        with ck.case(f"activations of shape {(1, *shape)} (seed {seed})"):
            run = ck.in_kernel(_cost_on_tape, a_c, a_g)
            s = float(np.sum((a_c.astype(np.float64) - a_g) ** 2))
            ck.scalar(
                run["value"],
                s / (4.0 * h * w * c),
                what="the content cost",
                rtol=1e-4,
                mistakes={
                    "You returned the sum of the squares alone: divide it by 4 n_H n_W n_C.": s,
                    "You took the mean of the squares without dividing by 4: divide the sum by "
                    "4 n_H n_W n_C.": s / (h * w * c),
                    "n_C is missing from the normalisation: divide by 4 n_H n_W n_C.": s / (4 * h * w),
                    "You divided by 2 n_H n_W n_C: the constant is 4 n_H n_W n_C.": s / (2.0 * h * w * c),
                    SQUARE_ROOT: np.sqrt(s) / (4.0 * h * w * c),
                },
            )
            _judge_tape(ck, run, "your content cost")


# ----- gram_matrix ----------------------------------------------------------------------------


def _matrix(seed: int, rows: int, cols: int) -> np.ndarray:
    return np.random.default_rng(1000 + seed).normal(0, 1, (rows, cols)).astype(np.float32)


@exercise(
    params=("A",),
    hints=["The Gram matrix of A, of shape (n_C, n_H n_W), is A A^T: tf.matmul(A, tf.transpose(A))."],
)
def gram_matrix(ck: Check) -> None:
    tf = _tf()
    sizes = ck.pick([(3, 10), (5, 8)], [(2, 9), (6, 20), (4, 5)])
    for k, (rows, cols) in enumerate(sizes):
        seed = ck.seed_base + k
        a = _matrix(seed, rows, cols)
        with ck.case(f"A of shape {(rows, cols)} (n_C = {rows} rows, n_H n_W = {cols} columns, seed {seed})"):
            got = ck.call(tf.constant(a))
            if hasattr(got, "numpy"):
                got = got.numpy()
            arr = np.asarray(got) if isinstance(got, np.ndarray) or np.isscalar(got) else got
            if isinstance(arr, np.ndarray) and arr.shape == (cols, cols):
                ck.fail(
                    f"the Gram matrix has shape {arr.shape}; expected shape {(rows, rows)}, one row and "
                    f"column per channel.",
                    "You computed A^T A: the Gram matrix of A (n_C, n_H n_W) is A A^T, "
                    "tf.matmul(A, tf.transpose(A)).",
                )
            if isinstance(arr, np.ndarray) and arr.shape == (rows, cols):
                ck.fail(
                    f"the Gram matrix has shape {arr.shape}, the shape of A; expected {(rows, rows)}.",
                    "A * A multiplies element by element: the Gram matrix is the matrix product A A^T.",
                )
            g = np.einsum("ik,jk->ij", a.astype(np.float64), a)
            ck.array(
                got,
                g,
                what="the Gram matrix",
                rtol=1e-4,
                atol=1e-4,
                mistakes={
                    "You divided the Gram matrix by n_H n_W: the normalisation belongs to the style "
                    "cost, not to the Gram matrix.": g / cols,
                    "You divided the Gram matrix by the number of values: the normalisation belongs to "
                    "the style cost.": g / a.size,
                },
            )


# ----- compute_layer_style_cost ---------------------------------------------------------------


def _oracle_gram(A):
    """A right ``gram_matrix``, planted while other exercises are checked."""
    tf = _tf()
    return tf.einsum("ik,jk->ij", A, A)


@exercise(
    params=("a_S", "a_G"),
    hints=[
        "Unroll each (1, n_H, n_W, n_C) to (n_C, n_H n_W) (transpose to channels first, then reshape), "
        "take both Gram matrices, and divide sum((G_S - G_G)^2) by 4 n_C^2 (n_H n_W)^2."
    ],
)
def compute_layer_style_cost(ck: Check) -> None:
    for k, shape in enumerate(ck.pick(ACTIVATION_SHAPES, ACTIVATION_SHAPES_EXTENDED)):
        seed = ck.seed_base + k
        a_s, a_g = _activations(1100 + seed, shape), _activations(1200 + seed, shape)
        h, w, c = shape
        g_s, g_g = _gram(a_s), _gram(a_g)
        s = float(np.sum((g_s - g_g) ** 2))
        norm = 4.0 * c**2 * (h * w) ** 2

        def wrong_unroll(a):  # reshaped straight to (n_C, n_H n_W), without the transpose
            m = np.asarray(a, np.float64).reshape(c, h * w)
            return m @ m.T

        def pixel_gram(a):  # the (n_H n_W, n_H n_W) Gram matrix of the pixels
            m = np.asarray(a, np.float64).reshape(h * w, c)
            return m @ m.T

        with ck.case(f"activations of shape {(1, *shape)}, n_H n_W = {h * w}, n_C = {c} (seed {seed})"):
            with ck.planted(gram_matrix=_oracle_gram):
                run = ck.in_kernel(_cost_on_tape, a_s, a_g)
            ck.scalar(
                run["value"],
                s / norm,
                what="the layer's style cost",
                rtol=1e-4,
                mistakes={
                    "The activations were unrolled the wrong way: reshaping (1, n_H, n_W, n_C) straight "
                    "to (n_C, n_H n_W) mixes pixels and channels. Transpose to (n_C, n_H, n_W) first "
                    "(tf.transpose(a, [0, 3, 1, 2]) or tf.transpose of the (n_H n_W, n_C) reshape).": np.sum(
                        (wrong_unroll(a_s) - wrong_unroll(a_g)) ** 2
                    )
                    / norm,
                    "Your Gram matrices are (n_H n_W, n_H n_W), of the pixels: unroll to (n_C, n_H n_W) "
                    "so that the Gram matrix compares channels.": np.sum(
                        (pixel_gram(a_s) - pixel_gram(a_g)) ** 2
                    )
                    / norm,
                    "You returned the sum of the squares alone: divide it by 4 n_C^2 (n_H n_W)^2.": s,
                    "(n_H n_W) should be squared in the normalisation 4 n_C^2 (n_H n_W)^2.": s
                    / (4.0 * c**2 * h * w),
                    "n_C should be squared in the normalisation 4 n_C^2 (n_H n_W)^2.": s
                    / (4.0 * c * (h * w) ** 2),
                    "The 4 is missing from the normalisation 4 n_C^2 (n_H n_W)^2.": s / (c**2 * (h * w) ** 2),
                    "You divided by (4 n_C n_H n_W)^2: the normalisation is 4 n_C^2 (n_H n_W)^2.": s
                    / (4.0 * c * h * w) ** 2,
                },
            )
            _judge_tape(ck, run, "your layer style cost")


# ----- compute_style_cost ---------------------------------------------------------------------


def _oracle_layer_style_cost(a_S, a_G):
    """A right ``compute_layer_style_cost``, planted while other exercises are checked."""
    tf = _tf()
    _, h, w, c = a_G.shape
    g_s = tf.einsum("bhwc,bhwd->cd", a_S, a_S)
    g_g = tf.einsum("bhwc,bhwd->cd", a_G, a_G)
    return tf.reduce_sum(tf.square(g_s - g_g)) / (4.0 * c**2 * (h * w) ** 2)


def _style_probe(fn, style_activations, generated_activations, weights):
    tf = _tf()
    value = fn(
        [tf.constant(a) for a in style_activations], [tf.constant(a) for a in generated_activations], weights
    )
    return value.numpy() if tf.is_tensor(value) else value


@exercise(
    params=("style_activations", "generated_activations", "weights"),
    hints=["Add up weight * compute_layer_style_cost(a_S, a_G) over the layers, with zip(...)."],
)
def compute_style_cost(ck: Check) -> None:
    cases = ck.pick([(3, 0), (2, 1)], [(4, 2), (1, 3), (3, 4)])
    for layers, k in cases:
        seed = ck.seed_base + k
        rng = np.random.default_rng(1300 + seed)
        shapes = [
            ACTIVATION_SHAPES_EXTENDED[(seed + i) % 3] if i % 2 else ACTIVATION_SHAPES[(seed + i) % 3]
            for i in range(layers)
        ]
        a_s = [_activations(1400 + 10 * seed + i, s) for i, s in enumerate(shapes)]
        a_g = [_activations(1500 + 10 * seed + i, s) for i, s in enumerate(shapes)]
        weights = [float(x) for x in np.round(rng.uniform(0.1, 1.0, layers), 3)]
        costs = np.array([_layer_style_cost(s, g) for s, g in zip(a_s, a_g)])
        expected = float(np.dot(weights, costs))
        mistakes = {
            "You kept only the last layer's cost: add each weighted layer cost to a running total "
            "(J += weight * cost), rather than overwriting it.": weights[-1] * costs[-1],
            "You kept only the first layer's cost: add up the weighted costs of all the layers "
            "(a `return` inside the loop?).": weights[0] * costs[0],
            "You added the layer costs without their weights: multiply each by its weight.": float(
                costs.sum()
            ),
            "You averaged the weighted costs: the style cost is their sum, not their mean.": expected
            / layers,
            "You averaged the layer costs: the style cost is the weighted sum.": float(costs.mean()),
        }
        if layers == 1:
            mistakes = {k: v for k, v in mistakes.items() if not np.isclose(v, expected)}
        described = ", ".join(f"{(1, *s)}" for s in shapes)
        with ck.case(f"{layers} layer(s) of shapes {described}, weights {weights}"):
            with ck.planted(compute_layer_style_cost=_oracle_layer_style_cost):
                got = ck.in_kernel(_style_probe, a_s, a_g, weights)
            ck.scalar(got, expected, what="the style cost", rtol=1e-4, mistakes=mistakes)


# ----- total_cost -----------------------------------------------------------------------------

SWAPPED = "Content and style are swapped: alpha weighs the content cost, beta the style cost."
ALPHA_ONLY = "You multiplied the sum of the costs by alpha alone: J = alpha J_content + beta J_style."


def _total_probe(fn, j_content, j_style, alpha, beta, how):
    if how == "defaults":
        value = fn(j_content, j_style)
    elif how == "keywords":
        value = fn(j_content, j_style, alpha=alpha, beta=beta)
    else:
        value = fn(j_content, j_style, alpha, beta)
    return value.numpy() if hasattr(value, "numpy") else value


@exercise(
    params=("J_content", "J_style", "alpha", "beta"),
    hints=["J = alpha * J_content + beta * J_style, with the alpha and beta given."],
)
def total_cost(ck: Check) -> None:
    cases = [
        (3.5, 0.25, 10.0, 40.0, "defaults"),
        (2.0, 7.0, 3.0, 0.5, "keywords"),
        (0.6, 1.5, 25.0, 4.0, "position"),
    ]
    if ck.extended:
        cases += [(11.0, 0.03, 1.0, 1000.0, "keywords"), (0.0, 2.5, 7.0, 2.0, "position")]
    for jc, js, alpha, beta, how in cases:
        call = (
            "total_cost(J_content, J_style)"
            if how == "defaults"
            else (
                f"total_cost(J_content, J_style, alpha={alpha}, beta={beta})"
                if how == "keywords"
                else f"total_cost(J_content, J_style, {alpha}, {beta})"
            )
        )
        with ck.case(f"J_content = {jc}, J_style = {js}, {call}"):
            got = ck.in_kernel(_total_probe, jc, js, alpha, beta, how)
            ck.scalar(
                got,
                alpha * jc + beta * js,
                what="the total cost",
                rtol=1e-6,
                mistakes={
                    SWAPPED: alpha * js + beta * jc,
                    "You ignored the alpha and beta given: use the arguments, not the numbers 10 and 40.": (
                        10 * jc + 40 * js
                    ),
                    "You added the costs without their weights alpha and beta.": jc + js,
                    ALPHA_ONLY: alpha * (jc + js),
                },
            )


# ----- train_step -----------------------------------------------------------------------------

TINY_STYLE_WEIGHTS = [0.7, 0.3]
ASCENT = (
    "The image moved up the gradient: apply the gradient itself with the optimizer (it subtracts it), "
    "not its negative."
)
STEP_SWAPPED = "alpha and beta are swapped: total_cost(J_content, J_style, alpha, beta)."
IGNORED = "The step ignored the alpha and beta given: pass them on to total_cost."
NOT_CLIPPED = "Clip the image after the update, with generated_image.assign(tf.clip_by_value(...))."
AFTER = "You returned the cost after the update: return J, computed on the tape before the step."


def _tiny_extractor(seed: int):
    """A small fixed network like the style extractor: images in [0, 1] -> [style 1, style 2, content]."""
    import keras

    rng = np.random.default_rng(1600 + seed)
    x = keras.Input((None, None, 3))
    s1 = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="s1")(x - 0.5)
    s2 = keras.layers.Conv2D(5, 3, strides=2, padding="same", activation="relu", name="s2")(s1)
    content = keras.layers.Conv2D(3, 3, padding="same", activation="relu", name="content")(s2)
    model = keras.Model(x, [s1, s2, content])
    for layer in model.layers:
        if layer.weights:
            kernel, bias = layer.get_weights()
            layer.set_weights(
                [
                    rng.normal(0, 0.6, kernel.shape).astype(np.float32),
                    rng.normal(0.05, 0.05, bias.shape).astype(np.float32),
                ]
            )
    model.trainable = False
    return model


def _tiny_problem(seed: int, size: int) -> dict:
    """The fixed inputs of one train_step case: targets from a content and a style image, a start."""
    rng = np.random.default_rng(1700 + seed)
    content = rng.uniform(0, 1, (1, size, size, 3)).astype(np.float32)
    style = rng.uniform(0, 1, (1, size, size, 3)).astype(np.float32)
    start = np.clip(content + rng.uniform(-0.3, 0.3, content.shape), 0, 1).astype(np.float32)
    start[0, : size // 2, : size // 2] = np.round(
        start[0, : size // 2, : size // 2]
    )  # 0s and 1s: clipping matters
    return {"content": content, "style": style, "start": start}


def _optimizer(kind: str, lr: float):
    import keras

    return keras.optimizers.SGD(lr) if kind == "sgd" else keras.optimizers.Adam(lr)


def _oracle_content_cost(a_C, a_G):
    """A right ``compute_content_cost``, planted while ``train_step`` is checked."""
    tf = _tf()
    _, h, w, c = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * h * w * c)


def _oracle_style_cost(style_activations, generated_activations, weights):
    """A right ``compute_style_cost``, planted while ``train_step`` is checked."""
    return sum(
        w * _oracle_layer_style_cost(s, g)
        for s, g, w in zip(style_activations, generated_activations, weights)
    )


def _oracle_total_cost(J_content, J_style, alpha=10.0, beta=40.0):
    """A right ``total_cost``, planted while ``train_step`` is checked."""
    return J_content * alpha + J_style * beta  # the same sum, written apart from the solution


def _targets(seed: int, size: int):
    tf = _tf()
    model = _tiny_extractor(seed)
    problem = _tiny_problem(seed, size)
    a_c = model(tf.constant(problem["content"]))[-1]
    a_s = model(tf.constant(problem["style"]))[:-1]
    return model, problem, a_c, a_s


def _reference_step(
    seed: int,
    size: int,
    kind: str,
    lr: float,
    alpha: float,
    beta: float,
    sign: float = 1.0,
    clip: bool = True,
    swap: bool = False,
) -> dict:
    """One step computed here, with GradientTape; ``sign``, ``clip`` and ``swap`` give known mistakes."""
    tf = _tf()
    model, problem, a_c, a_s = _targets(seed, size)
    image = tf.Variable(problem["start"])
    opt = _optimizer(kind, lr)
    opt.build([image])
    a, b = (beta, alpha) if swap else (alpha, beta)
    with tf.GradientTape() as tape:
        outputs = model(image)
        j = a * _oracle_content_cost(a_c, outputs[-1]) + b * _oracle_style_cost(
            a_s, outputs[:-1], TINY_STYLE_WEIGHTS
        )
    grad = tape.gradient(j, image)
    opt.apply_gradients([(sign * grad, image)])
    if clip:
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
    after = a * _oracle_content_cost(a_c, model(image)[-1]) + b * _oracle_style_cost(
        a_s, model(image)[:-1], TINY_STYLE_WEIGHTS
    )
    return {"image": image.numpy(), "cost": float(j), "cost_after": float(after), "grad": grad.numpy()}


PLANTED_FOR_TRAIN_STEP = {
    "compute_content_cost": _oracle_content_cost,
    "compute_layer_style_cost": _oracle_layer_style_cost,
    "compute_style_cost": _oracle_style_cost,
    "total_cost": _oracle_total_cost,
    "gram_matrix": _oracle_gram,
}


def _train_probe(train_step, seed, size, kind, lr, alpha, beta):
    """The learner's ``train_step`` on the case's fixed problem (in the kernel when grading).

    Right cost helpers stand in for the learner's own while it runs, in the namespace of the
    function that ``tf.function`` wraps (its public ``python_function``), so that the check
    judges the step alone; the learner's helpers are put back afterwards."""
    tf = _tf()
    is_function = isinstance(train_step, tf.types.experimental.PolymorphicFunction)
    namespace = getattr(train_step.python_function if is_function else train_step, "__globals__", {})
    missing = object()
    saved = {name: namespace.get(name, missing) for name in PLANTED_FOR_TRAIN_STEP}
    model, problem, a_c, a_s = _targets(seed, size)
    image = tf.Variable(problem["start"])
    opt = _optimizer(kind, lr)
    opt.build([image])
    namespace.update(PLANTED_FOR_TRAIN_STEP)
    try:
        value = train_step(image, model, a_c, a_s, list(TINY_STYLE_WEIGHTS), opt, alpha, beta)
    except NotImplementedError as exc:
        exc.raiser = "train_step"  # the stub raises inside tf.function's generated code
        raise
    finally:
        for name, old in saved.items():
            if old is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = old
    return {
        "is_function": is_function,
        "cost": value.numpy() if tf.is_tensor(value) else value,
        "image": image.numpy(),
    }


@exercise(
    params=("generated_image", "extractor", "a_C", "a_S", "style_weights", "optimizer", "alpha", "beta"),
    hints=[
        "On a tf.GradientTape: the extractor's outputs, J_content (last output), J_style (the others), "
        "J = total_cost(...); then optimizer.apply_gradients([(grad, generated_image)]) and "
        "generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0)); return J."
    ],
)
def train_step(ck: Check) -> None:
    size = 12
    cases = ck.pick(
        [(0, "sgd", 10.0, 40.0), (1, "adam", 30.0, 5.0)], [(2, "sgd", 3.0, 500.0), (3, "adam", 50.0, 2.0)]
    )
    for seed_offset, kind, alpha, beta in cases:
        seed = ck.seed_base + seed_offset
        if kind == "sgd":  # a step of about 0.15 at the steepest pixel: clipping matters, the image moves
            grad = _reference_step(seed, size, kind, 0.0, alpha, beta)["grad"]
            lr = float(0.15 / max(float(np.max(np.abs(grad))), 1e-12))
        else:
            lr = 0.05
        optimizer = "SGD" if kind == "sgd" else "Adam"
        what = f"one step, {optimizer} (learning rate {lr:.3g}), alpha={alpha}, beta={beta}"
        with ck.case(f"{what}, a {size}x{size} image on a small fixed network (seed {seed})"):
            run = ck.in_kernel(_train_probe, seed, size, kind, lr, alpha, beta)
            ref = _reference_step(seed, size, kind, lr, alpha, beta)
            start = _tiny_problem(seed, size)["start"]
            image = ck.shape(run["image"], start.shape, "the generated image after the step")
            if np.array_equal(image, start):
                ck.fail(
                    "the generated image did not change: the variable passed in was not updated.",
                    "Update the variable itself: optimizer.apply_gradients([(grad, generated_image)]) and "
                    "generated_image.assign(...); `generated_image = ...` only rebinds a local name.",
                )
            unclipped = _reference_step(seed, size, kind, lr, alpha, beta, clip=False)["image"]
            swapped = _reference_step(seed, size, kind, lr, alpha, beta, swap=True)
            if image.min() < -1e-6 or image.max() > 1 + 1e-6:
                ck.fail(
                    f"the image after the step has values from {image.min():.4g} to "
                    f"{image.max():.4g}, outside [0, 1].",
                    "Clip the image after the update: "
                    "generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0)).",
                )
            ck.array(
                image,
                ref["image"],
                what="the generated image after the step",
                rtol=1e-4,
                atol=2e-5,
                mistakes={
                    ASCENT: _reference_step(seed, size, kind, lr, alpha, beta, sign=-1.0)["image"],
                    STEP_SWAPPED: swapped["image"],
                    IGNORED: _reference_step(seed, size, kind, lr, 10.0, 40.0)["image"],
                    NOT_CLIPPED: unclipped,
                },
            )
            ck.scalar(
                run["cost"],
                ref["cost"],
                what="the cost returned",
                rtol=1e-4,
                mistakes={AFTER: ref["cost_after"], STEP_SWAPPED: swapped["cost"]},
            )
            ck.that(
                bool(run["is_function"]),
                "train_step is not a tf.function.",
                "Keep the @tf.function line above `def train_step`: it compiles the step into one graph, "
                "which runs faster than op by op.",
            )

"""Checks for course 4, notebook 3: residual networks (identity block, convolutional block, ResNet-50).

Oracles:

* the blocks: the same computation written with TensorFlow's own operations on the weights the
  probe set (``tf.nn.conv2d`` with the stride and padding of the exercise's table, the
  batch-normalisation formula ``gamma * (x - mean) / sqrt(var + eps) + beta`` in inference
  mode, ``tf.nn.relu``, and ``+`` for the shortcut).  The oracle is written from the exercise's
  table, not from the learner's layers: the learner's layers only tell which weights play which
  part (the probe sets every weight from a seeded generator, then reports them).  Before the
  output is compared, the block's graph is walked from its output back to its input (the last
  ReLU, the Add, the main path's eight layers, the shortcut), so that a missing shortcut, a
  shortcut added after the ReLU, a stride on the wrong convolution or a shortcut without its
  batch normalisation is named as such.
* ResNet-50: ``keras.applications.ResNet50(weights=None, ...)`` for the same input shape and
  number of classes, both described by :func:`shared_utils.course4.resnet.describe` (the layers
  in an order set by the graph's wiring, each with its kind, settings, output shape, parameter
  count and inputs), compared position by position.

The learner's functions take and return symbolic Keras tensors, which cannot be sent to the
kernel when grading: the probes (``_block_probe``, ``_resnet_probe``, run by
:meth:`Check.in_kernel`) build the input there, call the learner's function, and return data.
"""

from __future__ import annotations

import functools

import numpy as np

from shared_utils.engine.checking import Check, _describe, exercise

EPSILON = 1.001e-5  # keras.applications.ResNet50's batch-normalisation epsilon (the notebook's BN_EPSILON)


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng([4003, *key])


def _error_text(exc: BaseException) -> str:
    from shared_utils.engine.checking import _learner_traceback

    message = str(exc)
    if len(message) > 1500:
        message = message[:1500] + " [... cut]"
    return f"{type(exc).__name__}: {message}{_learner_traceback(exc)}"


def _seeded_value(name: str, shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """A weight of a block from ``rng``, of a size that keeps every layer's output of order 1."""
    if name == "kernel":
        fan_in = int(np.prod(shape[:-1]))
        return rng.normal(0, np.sqrt(2.0 / fan_in), size=shape).astype("float32")
    if name in ("gamma", "moving_variance"):
        return rng.uniform(0.5, 1.5, size=shape).astype("float32")
    return rng.normal(0, 0.3, size=shape).astype("float32")  # bias, beta, moving_mean


# ----- the blocks ----------------------------------------------------------------------------


def _block_probe(block, x, f, filters, s, seed):
    """The learner's block called on a Keras input shaped like ``x`` (in the kernel when grading),
    with ``s`` passed for the convolutional block (``s`` None: the identity block).  Returns the
    block's layers described in graph order, the weights set on them from ``seed``, and its
    output on ``x`` in inference mode; or what it returned instead of a tensor; or the error its
    code raised (not NotImplementedError, which the check reports as such)."""
    import keras

    from shared_utils.course4 import resnet

    inputs = keras.Input(tuple(x.shape[1:]), name="check_block_input")
    try:
        out = block(inputs, f, list(filters)) if s is None else block(inputs, f, list(filters), s=s)
    except NotImplementedError:
        raise
    except Exception as exc:
        return {"error": _error_text(exc)}
    if not isinstance(out, keras.KerasTensor):
        return {"returned": _describe(out)}
    try:
        model = keras.Model(inputs, out, name="check_block")
    except Exception as exc:
        return {"error": _error_text(exc)}
    layers = resnet.graph_layers(model)
    weights = []
    for k, layer in enumerate(layers):
        values = [
            _seeded_value(v.name, tuple(v.shape), _rng(seed, k, j)) for j, v in enumerate(layer.weights)
        ]
        if values:
            layer.set_weights(values)
        weights.append({v.name: value for v, value in zip(layer.weights, values)})
    return {
        "layers": resnet.describe(model),
        "weights": weights,
        "out": np.asarray(model(x, training=False)),
    }


def _kind(entry: dict | None) -> str:
    if entry is None:
        return "the block's input X"
    if entry["class"] == "Activation":
        return f"Activation({entry.get('activation')!r})"
    return str(entry["class"])


def _show(entry: dict | None) -> str:
    if entry is None:
        return "the block's input X"
    fields = [
        f"{k}={entry[k]!r}"
        for k in ("filters", "kernel_size", "strides", "padding", "axis", "epsilon")
        if k in entry
    ]
    return (
        f"{_kind(entry)}({', '.join(fields)}) named {entry['name']!r}, output shape {entry['output_shape']}"
    )


def _parent(layers: list[dict], entry: dict, i: int = 0) -> dict | None:
    p = entry["inputs"][i]
    return None if p < 0 else layers[p]


def _walk_block(ck: Check, run: dict, f: int, filters: list[int], s: int | None) -> dict:
    """The learner's block's layers by role, after checking its wiring and settings."""
    layers = run["layers"]
    conv_block = s is not None
    if not layers:
        ck.fail(
            "your block returned its input unchanged: it has no layers.",
            "Apply the main path's layers to X, one after the other, then add the shortcut.",
        )
    used = {p for e in layers for p in e["inputs"]}
    ends = [e for e in layers if e["position"] not in used]
    out = ends[-1]
    adds = [e for e in layers if e["class"] == "Add"]
    if not adds:
        ck.fail(
            f"your block has no Add layer: the shortcut is missing. It ends with {_show(out)}.",
            "Keep the block's input in X_shortcut and add it to the main path with "
            "keras.layers.Add()([X, X_shortcut]) before the last ReLU.",
        )
    if out["class"] == "Add":
        after = [_parent(layers, out, i) for i in range(len(out["inputs"]))]
        if any(p is not None and p["class"] == "Activation" for p in after):
            ck.fail(
                "your block ends with the Add: the shortcut is added after the last ReLU.\n"
                "  expected: ... BatchNormalization -> Add (with the shortcut) -> Activation('relu')\n"
                "  received: ... BatchNormalization -> Activation('relu') -> Add",
                "Add the shortcut to the output of the third BatchNormalization, then apply the ReLU "
                "to the sum: a(l+2) = relu(z(l+2) + a(l)).",
            )
    if not (out["class"] == "Activation" and out.get("activation") == "relu"):
        ck.fail(
            f"your block should end with Activation('relu') applied to the Add; it ends with {_show(out)}.",
            "After the Add, apply keras.layers.Activation('relu').",
        )
    add = _parent(layers, out)
    if add is None or add["class"] != "Add":
        ck.fail(
            f"the last ReLU should be applied to the Add of the main path and the shortcut; it is "
            f"applied to {_show(add)}.",
            "End with X = keras.layers.Add()([X, X_shortcut]) then X = keras.layers.Activation('relu')(X).",
        )
    if len(add["inputs"]) != 2:
        ck.fail(
            "the Add should add two tensors (the main path and the shortcut); yours adds "
            f"{len(add['inputs'])}."
        )
    branches = [_parent(layers, add, 0), _parent(layers, add, 1)]

    def chain(entry: dict | None) -> list[dict]:
        seq = []
        while entry is not None:
            seq.append(entry)
            entry = _parent(layers, entry) if len(entry["inputs"]) == 1 else None
        return seq

    main, short = sorted(branches, key=lambda e: -len(chain(e)))
    expected_main = ["BatchNormalization", "Conv2D", "Activation('relu')"] * 2 + [
        "BatchNormalization",
        "Conv2D",
    ]
    names = ["the third BatchNormalization", "the third Conv2D (1x1)", "the second ReLU",
             "the second BatchNormalization", f"the second Conv2D ({f}x{f})", "the first ReLU",
             "the first BatchNormalization", "the first Conv2D (1x1)"]  # fmt: skip
    path = chain(main)
    for k, (wanted, role) in enumerate(zip(expected_main, names)):
        got = path[k] if k < len(path) else None
        if got is None or _kind(got) != wanted:
            ck.fail(
                f"the main path, read back from the Add, should be BN <- Conv2D <- ReLU <- BN <- Conv2D "
                f"<- ReLU <- BN <- Conv2D <- X; step {k + 1} back ({role}) should be {wanted}, "
                f"found {_show(got)}.",
                "Follow the exercise's table: each Conv2D is followed by its BatchNormalization, and the "
                "first two by a ReLU.",
            )
    if len(path) > 8 or _parent(layers, path[7]) is not None:
        ck.fail(
            "the main path's first Conv2D should read the block's input X; it reads "
            f"{_show(_parent(layers, path[7]))}.",
            "Apply the first Conv2D to X itself.",
        )
    bn3, conv3, _, bn2, conv2, _, bn1, conv1 = path[:8]
    roles = {"conv1": conv1, "bn1": bn1, "conv2": conv2, "bn2": bn2, "conv3": conv3, "bn3": bn3}
    if not conv_block:
        if short is not None:
            ck.fail(
                f"the shortcut of an identity block is the block's input X itself; yours is {_show(short)}.",
                "Save X_shortcut = X before the main path and add that, unchanged.",
            )
    else:
        if short is None:
            ck.fail(
                "the shortcut of a convolutional block should go through its own Conv2D and "
                "BatchNormalization; yours adds the block's input X unchanged.",
                "X_shortcut = Conv2D(F3, 1, strides=s, padding='valid')(X_shortcut), then "
                "BatchNormalization(axis=3, epsilon=BN_EPSILON), before the Add.",
            )
        if short["class"] == "Conv2D":
            ck.fail(
                f"the shortcut has no batch normalisation: its Conv2D ({_show(short)}) goes straight "
                "into the Add.\n  expected: X -> Conv2D(1x1, strides=s) -> BatchNormalization -> Add\n"
                "  received: X -> Conv2D -> Add",
                "Normalise the shortcut too: BatchNormalization(axis=3, epsilon=BN_EPSILON) after its "
                "Conv2D.",
            )
        sc = chain(short)
        if [_kind(e) for e in sc] != ["BatchNormalization", "Conv2D"] or _parent(layers, sc[-1]) is not None:
            ck.fail(
                "the shortcut should be X -> Conv2D(1x1, strides=s) -> BatchNormalization; yours is "
                + " <- ".join(_show(e) for e in sc)
                + " <- ...",
                "Apply the shortcut's Conv2D to the block's input X (saved in X_shortcut), then "
                "batch-normalise it.",
            )
        roles["bn0"], roles["conv0"] = sc[0], sc[1]
    F1, F2, F3 = filters
    stride = s or 1
    wanted = {
        "conv1": (F1, (1, 1), (stride, stride), "valid"),
        "conv2": (F2, (f, f), (1, 1), "same"),
        "conv3": (F3, (1, 1), (1, 1), "valid"),
        "conv0": (F3, (1, 1), (stride, stride), "valid"),
    }
    role_names = {"conv1": "first convolution", "conv2": "second convolution", "conv3": "third convolution",
                  "conv0": "shortcut's convolution"}  # fmt: skip
    if conv_block and stride > 1:
        c1, c2 = roles["conv1"], roles["conv2"]
        if tuple(c1["strides"]) == (1, 1) and tuple(c2["strides"]) == (stride, stride):
            ck.fail(
                f"the stride is on the wrong convolution: the {f}x{f} convolution has strides "
                f"{c2['strides']} and the first 1x1 convolution {c1['strides']}.\n"
                f"  expected: first Conv2D strides {(stride, stride)}, second Conv2D strides (1, 1)\n"
                f"  received: first Conv2D strides {c1['strides']}, second Conv2D strides {c2['strides']}",
                "Put strides=s on the first 1x1 convolution of the main path (and on the shortcut's), "
                "and stride 1 on the fxf one.",
            )
    for role, (n, k, st, pad) in wanted.items():
        if role not in roles:
            continue
        e = roles[role]
        got = (e["filters"], tuple(e["kernel_size"]), tuple(e["strides"]), e["padding"])
        if got != (n, k, st, pad):
            hint = None
            if got[0] != n:
                hint = (
                    "filters = [F1, F2, F3]: F1 for the first convolution, F2 the second, F3 the third "
                    "and the shortcut's."
                )
            elif got[1] != k:
                hint = f"Only the second convolution is {f}x{f} (kernel size f); the others are 1x1."
            elif got[2] != st:
                hint = (
                    "The stride s goes on the first 1x1 convolution and on the shortcut's; the others "
                    "have stride 1."
                    if conv_block
                    else "Every convolution of the identity block has stride 1."
                )
            elif got[3] != pad:
                hint = (
                    "The fxf convolution uses padding='same' (the picture keeps its size); the 1x1 ones "
                    "'valid'."
                )
            ck.fail(
                f"the {role_names[role]} has (filters, kernel size, strides, padding) = {got}.\n"
                f"  expected: {(n, k, st, pad)}\n  received: {got} ({e['name']})",
                hint,
            )
    for role in [r for r in roles if r.startswith("bn")]:
        e = roles[role]
        if tuple(e["axis"]) != (3,) or not np.isclose(e["epsilon"], EPSILON, rtol=1e-6):
            hint = "Normalise the channels: BatchNormalization(axis=3, ...)."
            if tuple(e["axis"]) == (3,):
                hint = (
                    f"Pass epsilon=BN_EPSILON ({EPSILON:g}, Keras's ResNet-50 value) to every "
                    f"BatchNormalization; the default is {1e-3:g}."
                )
            ck.fail(
                f"a BatchNormalization ({e['name']}) has axis {e['axis']} and epsilon {e['epsilon']:g}.\n"
                f"  expected: axis (3,), epsilon {EPSILON:g}\n"
                f"  received: axis {e['axis']}, epsilon {e['epsilon']:g}",
                hint,
            )
    return roles


def _oracle(x: np.ndarray, run: dict, roles: dict, s: int | None) -> np.ndarray:
    """The block's output from TensorFlow's operations, with the weights the probe set."""
    import tensorflow as tf

    weights = run["weights"]

    def w(role: str) -> dict:
        return weights[roles[role]["position"]]

    def conv(t, role, stride, padding):
        p = w(role)
        return tf.nn.conv2d(t, p["kernel"], strides=stride, padding=padding) + p["bias"]

    def bn(t, role):
        p = w(role)
        return p["gamma"] * (t - p["moving_mean"]) / tf.sqrt(p["moving_variance"] + EPSILON) + p["beta"]

    stride = s or 1
    t = tf.constant(x)
    main = tf.nn.relu(bn(conv(t, "conv1", stride, "VALID"), "bn1"))
    main = tf.nn.relu(bn(conv(main, "conv2", 1, "SAME"), "bn2"))
    main = bn(conv(main, "conv3", 1, "VALID"), "bn3")
    shortcut = t if s is None else bn(conv(t, "conv0", stride, "VALID"), "bn0")
    return (tf.nn.relu(main + shortcut)).numpy(), (main + shortcut).numpy(), main.numpy()


def _check_block(ck: Check, cases: list, conv_block: bool) -> None:
    name = "convolutional_block" if conv_block else "identity_block"
    for seed in ck.seeds(1, 2):
        for shape, f, filters, s in cases:
            x = _rng(seed, 99).normal(0, 1, size=shape).astype("float32")
            call = f"{name}(X, f={f}, filters={filters}" + (f", s={s})" if conv_block else ")")
            with ck.case(f"{call} on X of shape {shape}, seed {seed}"):
                run = ck.in_kernel(_block_probe, x, f, list(filters), s if conv_block else None, seed)
                if "returned" in run:
                    ck.fail(
                        f"should return the block's output tensor X, got {run['returned']}.",
                        "End with `return X` (the tensor after the last ReLU).",
                    )
                if "error" in run:
                    hint = None
                    if "Add" in run["error"] or "shape" in run["error"]:
                        hint = "The main path and the shortcut must have the same shape to be added. " + (
                            "In a convolutional block the shortcut needs Conv2D(F3, 1, strides=s) and "
                            "BatchNormalization; the stride s goes on the first convolution of both paths."
                            if conv_block
                            else "In an identity block every convolution has stride 1, the fxf one "
                            "padding='same', and the last has F3 filters (the input's channels)."
                        )
                    ck.fail(f"your code raised {run['error']}", hint)
                roles = _walk_block(ck, run, f, list(filters), s if conv_block else None)
                expected, no_relu, main_only = _oracle(x, run, roles, s if conv_block else None)
                ck.array(
                    run["out"],
                    expected,
                    what="the block's output (inference mode, seeded weights)",
                    rtol=1e-4,
                    atol=1e-4,
                    mistakes={
                        "The last ReLU is missing: apply it to the sum.": no_relu,
                        "The shortcut is not added: Add()([X, X_shortcut]).": np.maximum(main_only, 0),
                    },
                )


@exercise(
    params=("X", "f", "filters"),
    hints=[
        "Main path: Conv2D(F1, 1x1) -> BN -> ReLU -> Conv2D(F2, fxf, 'same') -> BN -> ReLU -> "
        "Conv2D(F3, 1x1) "
        "-> BN; then Add the block's input and apply the last ReLU."
    ],
)
def identity_block(ck: Check) -> None:
    # (input shape, f, filters, s): the input's channels are F3; every size varies
    cases = ck.pick(
        [((2, 5, 5, 8), 3, [3, 4, 8], None)],
        [((1, 6, 4, 6), 5, [2, 5, 6], None), ((3, 3, 3, 5), 1, [4, 2, 5], None)],
    )
    _check_block(ck, cases, conv_block=False)


@exercise(
    params=("X", "f", "filters", "s"),
    hints=[
        "Main path as in the identity block, with strides=s on the first 1x1 convolution; the shortcut is "
        "Conv2D(F3, 1x1, strides=s) -> BN; Add the two, then the ReLU."
    ],
)
def convolutional_block(ck: Check) -> None:
    ck.defaults({"s": 2})
    cases = ck.pick(
        [((2, 7, 7, 5), 3, [3, 4, 8], 2)],
        [((1, 6, 6, 4), 3, [4, 4, 12], 1), ((2, 9, 8, 3), 5, [2, 3, 6], 3)],
    )
    _check_block(ck, cases, conv_block=True)


# ----- ResNet-50 -----------------------------------------------------------------------------


def _resnet_probe(ResNet50, input_shape, classes):
    """The learner's ResNet50(input_shape, classes) described (in the kernel when grading): its
    layers in graph order, its input and output shapes and its parameter count; or what it
    returned instead of a Keras model."""
    import keras

    from shared_utils.course4 import resnet

    model = ResNet50(input_shape=tuple(input_shape), classes=classes)
    if not isinstance(model, keras.Model):
        return {"returned": _describe(model)}
    return {
        "layers": resnet.describe(model),
        "input": tuple(model.inputs[0].shape),
        "output": tuple(model.outputs[0].shape),
        "params": int(model.count_params()),
    }


@functools.lru_cache(maxsize=2)
def _reference(input_shape: tuple, classes: int) -> tuple:
    """keras.applications.ResNet50 described (built once per shape in a process)."""
    from shared_utils.course4 import resnet

    model = resnet.reference_resnet50(input_shape, classes)
    return tuple(resnet.describe(model)), int(model.count_params())


_SETTINGS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "pool_size",
    "units",
    "activation",
    "axis",
    "epsilon",
)


def _layer_hint(want: dict, got: dict) -> str | None:
    name = want["name"]
    if want["class"] == "ZeroPadding2D" and name.startswith("pool1") and got["class"] == "MaxPooling2D":
        return "Pad by one pixel before the max pooling, as Keras's ResNet-50 does: ZeroPadding2D(1)."
    if name == "avg_pool" and want["class"] != got["class"]:
        return "The head is GlobalAveragePooling2D() then Dense(classes, activation='softmax')."
    if name.startswith("conv2_block1") and got.get("strides") == (2, 2):
        return (
            "Stage 2's convolutional block keeps the size: s=1 (the max pooling has just halved the picture)."
        )
    if name.startswith("conv1_") and want["class"] != got["class"]:
        return (
            "The stem is ZeroPadding2D(3), Conv2D(64, 7, strides=2), BN, ReLU, ZeroPadding2D(1), "
            "MaxPooling2D(3, strides=2)."
        )
    if want["class"] == "Add" or got["class"] == "Add":
        return (
            "Check the number of blocks of each stage: a convolutional block, then 2, 3, 5 and 2 identity "
            "blocks in stages 2 to 5."
        )
    if want.get("filters") != got.get("filters"):
        return (
            "Stages 2 to 5 use filters [64, 64, 256], [128, 128, 512], [256, 256, 1024] and [512, 512, 2048]."
        )
    return None


def _show_layer(e: dict) -> str:
    fields = ", ".join(f"{k}={e[k]!r}" for k in _SETTINGS if k in e)
    return f"{e['class']}({fields}), output shape {e['output_shape']}, {e['params']} parameters"


@exercise(
    params=("input_shape", "classes"),
    hints=[
        "Stem, then the four stages (a convolutional block and 2, 3, 5, 2 identity blocks; s=1 for stage 2, "
        "s=2 after), then GlobalAveragePooling2D and Dense(classes, activation='softmax')."
    ],
)
def ResNet50(ck: Check) -> None:
    ck.defaults({"input_shape": (64, 64, 3), "classes": 6})
    # one case, not the default: building ResNet-50 takes seconds
    for input_shape, classes in [((56, 56, 3), 5)]:
        with ck.case(f"ResNet50(input_shape={input_shape}, classes={classes})"):
            run = ck.in_kernel(_resnet_probe, input_shape, classes)
            if "returned" in run:
                ck.fail(
                    f"should return a keras.Model, got {run['returned']}.",
                    "End with `return keras.Model(inputs=X_input, outputs=X)`.",
                )
            want_in, got_in = (None, *input_shape), tuple(run["input"])
            if got_in != want_in:
                ck.fail(
                    f"your model takes inputs of shape {got_in}; expected {want_in} (a batch of pictures "
                    f"of shape {input_shape}).\n  expected input: {want_in}\n  received input: {got_in}",
                    "Build the input from the argument: X_input = keras.Input(input_shape), not a fixed "
                    "shape.",
                )
            want_out, got_out = (None, classes), tuple(run["output"])
            if got_out != want_out:
                ck.fail(
                    f"your model's output has shape {got_out}; expected {want_out} (one probability per "
                    "class).",
                    "The last layer is Dense(classes, activation='softmax'), using the argument `classes`.",
                )
            expected, params = _reference(tuple(input_shape), classes)
            layers = run["layers"]
            for k, want in enumerate(expected):
                if k >= len(layers):
                    ck.fail(
                        f"your model has {len(layers)} layers (besides the input); Keras's ResNet-50 has "
                        f"{len(expected)}. Layer {k + 1} in graph order is missing.\n"
                        f"  expected: {_show_layer(want)} (Keras names it {want['name']!r})",
                        _layer_hint(want, {"class": None}),
                    )
                got = layers[k]
                diffs = [
                    f
                    for f in ("class", *_SETTINGS, "output_shape", "params", "inputs")
                    if want.get(f) != got.get(f)
                ]
                if "epsilon" in diffs and isinstance(got.get("epsilon"), float):
                    if np.isclose(got["epsilon"], want["epsilon"], rtol=1e-6):
                        diffs.remove("epsilon")
                if diffs:
                    field = diffs[0]
                    ck.fail(
                        f"layer {k + 1} of your model, in graph order ({got['name']}), differs from Keras's "
                        f"ResNet-50 ({want['name']}) in its {field.replace('_', ' ')}: expected "
                        f"{want.get(field)!r}, received {got.get(field)!r}.\n"
                        f"  expected: {_show_layer(want)}, inputs {want['inputs']}\n"
                        f"  received: {_show_layer(got)}, inputs {got['inputs']}",
                        _layer_hint(want, got),
                    )
            if len(layers) > len(expected):
                extra = layers[len(expected)]
                ck.fail(
                    f"your model has {len(layers)} layers; Keras's ResNet-50 has {len(expected)}: layer "
                    f"{len(expected) + 1} ({extra['name']}) is extra.\n  received: {_show_layer(extra)}",
                    "The model ends with Dense(classes, activation='softmax').",
                )
            ck.that(
                run["params"] == params,
                f"your model has {run['params']:,} parameters; expected {params:,}.",
            )

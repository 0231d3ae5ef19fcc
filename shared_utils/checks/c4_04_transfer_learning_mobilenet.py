"""Checks for course 4, notebook 4: transfer learning with MobileNetV2.

Oracles, none of them a copy of the notebook's solution:

* ``data_augmenter``: Keras's own ``RandomFlip("horizontal")`` and ``RandomRotation(0.05)``
  layers, built here with the same seed and applied in training mode to the same seeded images
  (Keras's random layers are deterministic for a given seed); in inference mode the identity.
  The layers' configurations are compared field by field.
* ``build_transfer_model``: the layer list (:meth:`Check.model`), and the model's logits on a
  seeded batch against the real ported backbone (:func:`shared_utils.models.mobilenet.
  mobilenet_v2_backbone`, the detector graph's weights) fed ``x / 127.5 - 1`` (the graph's own
  preprocessing, :func:`~shared_utils.models.mobilenet.preprocess`), averaged over the feature
  map in NumPy and multiplied by the learner's own dense weights.
* ``unfreeze_top``: the rule itself on a small seeded stand-in backbone (convolution, batch norm,
  ReLU blocks): a layer with weights trains exactly when its index is at least ``fine_tune_at``
  and it is not a ``BatchNormalization`` layer.

The learner's functions take or build live Keras objects, which cannot be sent to the kernel
when grading: the probes (``_*_probe``, run by :meth:`Check.in_kernel`) build the inputs there,
call the learner's function and return data (configurations, images, trainable flags) and the
model itself, which comes back as a reference that :meth:`Check.model` reads.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from shared_utils.engine.checking import Check, _describe, exercise

FLIP_MODE = "horizontal"
ROTATION = 0.05  # a fraction of a full turn: up to 18 degrees either way
DROPOUT = 0.2
FEATURES = 1280  # channels of MobileNetV2's last feature map


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(4400 + seed)


def _images(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    """Seeded float32 RGB images in [0, 255] of ``shape`` (n, h, w, 3): smooth ramps plus noise, so
    that a flip or a rotation visibly changes them."""
    rng = _rng(seed)
    n, h, w, c = shape
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    ramps = np.stack([np.sin(5 * xx + k) * np.cos(3 * yy + 2 * k) for k in range(c)], -1)
    images = 127.5 + 80 * ramps[None] * rng.uniform(0.5, 1.0, (n, 1, 1, c)) + rng.normal(0, 20, (n, h, w, c))
    return np.clip(images, 0, 255).astype(np.float32)


def _plain(value):
    """A configuration value as data (tuples and lists of numbers, strings, None)."""
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return repr(value)[:80]


def _opaque(value):
    """``value`` as data: itself if it is data, else its type's name and repr."""
    from shared_utils.engine import wire

    try:
        wire.Encoder().encode(value)
        return value
    except wire.NotTransferable:
        return f"a {type(value).__name__}: {repr(value)[:80]}"


# ----- data_augmenter -------------------------------------------------------------------------

_CONFIG_KEYS = ("mode", "factor", "fill_mode", "interpolation", "seed")


def _augment_probe(data_augmenter, images, seed):
    """The learner's augmenter for ``seed`` (in the kernel when grading): its layers' classes and
    configurations, and what it makes of ``images`` in inference mode and in training mode, for a
    second augmenter of the same seed and for one of the next seed."""
    import keras

    try:
        augmenter = data_augmenter(seed)
    except NotImplementedError:
        raise
    except ValueError as exc:  # Keras refuses some arguments when the layer is made
        return {"augmenter": None, "build_error": f"{type(exc).__name__}: {exc}"[:600]}
    if not isinstance(augmenter, keras.Sequential):
        return {"augmenter": _opaque(augmenter), "kind": type(augmenter).__name__}
    layers = [
        {
            "class": type(layer).__name__,
            **{k: _plain(v) for k, v in layer.get_config().items() if k in _CONFIG_KEYS},
        }
        for layer in augmenter.layers
    ]
    run = {"augmenter": None, "layers": layers}
    try:
        run["inference"] = np.asarray(augmenter(images, training=False))
        run["training"] = np.asarray(augmenter(images, training=True))
        run["same_seed"] = np.asarray(data_augmenter(seed)(images, training=True))
        run["next_seed"] = np.asarray(data_augmenter(seed + 1)(images, training=True))
    except NotImplementedError:
        raise
    except Exception as exc:
        run["error"] = f"{type(exc).__name__}: {exc}"[:600]
    return run


def _expected_augmenter(seed: int):
    import keras

    return keras.Sequential(
        [
            keras.layers.RandomFlip(FLIP_MODE, seed=seed, name="check_flip"),
            keras.layers.RandomRotation(ROTATION, seed=seed, name="check_rotation"),
        ],
        name="check_expected_augmenter",
    )


def _factor_range(factor) -> tuple[float, float] | None:
    if isinstance(factor, (int, float)):
        return (-abs(float(factor)), abs(float(factor)))
    if isinstance(factor, tuple) and len(factor) == 2 and all(isinstance(f, (int, float)) for f in factor):
        return (float(factor[0]), float(factor[1]))
    return None


@exercise(
    params=("seed",),
    hints=[
        "A keras.Sequential of two layers, in this order: RandomFlip('horizontal', seed=seed), then "
        f"RandomRotation({ROTATION}, seed=seed)."
    ],
)
def data_augmenter(ck: Check) -> None:
    cases = ck.pick([(0, (4, 24, 32, 3))], [(1, (3, 40, 28, 3)), (5, (2, 17, 17, 3))])
    for base, shape in cases:
        seed = ck.seed_base + base
        images = _images(seed, shape)
        with ck.case(f"data_augmenter(seed={seed}) on {shape[0]} images of {shape[1]}x{shape[2]}"):
            run = ck.in_kernel(_augment_probe, images, seed)
            if "build_error" in run:
                message = run["build_error"]
                hint = None
                if "factor" in message:
                    hint = (
                        "RandomRotation's factor is a fraction of a full turn (2 pi), not degrees: "
                        f"{ROTATION} is 18 degrees."
                    )
                ck.fail(f"your code raised {message}", hint)
            if run.get("augmenter") is not None or "layers" not in run:
                hint = None
                if run.get("kind") in ("list", "tuple"):
                    hint = "Wrap the layers in a model: return keras.Sequential([...])."
                ck.fail(f"should return a keras.Sequential, got {_describe(run.get('augmenter'))}.", hint)
            layers = run["layers"]
            classes = [layer["class"] for layer in layers]
            if classes != ["RandomFlip", "RandomRotation"]:
                hint = None
                if classes == ["RandomRotation", "RandomFlip"]:
                    hint = "Flip first, then rotate: RandomFlip, then RandomRotation."
                elif "Lambda" in classes:
                    hint = (
                        "A Lambda layer applies its function at test time too: use Keras's random "
                        "layers, which are active only in training."
                    )
                ck.fail(
                    f"the augmenter's layers are {classes}; expected ['RandomFlip', 'RandomRotation'].", hint
                )
            flip, rotation = layers
            ck.that(
                flip.get("mode") == FLIP_MODE,
                f"RandomFlip has mode {flip.get('mode')!r}; expected {FLIP_MODE!r}.",
                "Only mirror left and right: a person upside down is not a photo the street will ever "
                "show, so vertical flips teach the network nothing useful.",
            )
            span = _factor_range(rotation.get("factor"))
            if span is None or not np.allclose(span, (-ROTATION, ROTATION)):
                hint = None
                if span is not None and max(abs(s) for s in span) >= 1:
                    hint = (
                        "RandomRotation's factor is a fraction of a full turn (2 pi), not degrees: "
                        f"{ROTATION} is 18 degrees."
                    )
                ck.fail(
                    f"RandomRotation has factor {rotation.get('factor')!r}; expected {ROTATION} "
                    f"(rotations between -{ROTATION} and {ROTATION} of a turn).",
                    hint,
                )
            if "error" in run:
                ck.fail(f"calling your augmenter on the images raised {run['error']}")
            ck.array(
                run["inference"],
                images,
                what="the images in inference mode (training=False)",
                rtol=0,
                atol=1e-4,
            )
            seeds = (flip.get("seed"), rotation.get("seed"))
            if not np.allclose(run["training"], run["same_seed"], atol=1e-4):
                ck.fail(
                    "two augmenters made with the same seed changed the images differently "
                    f"(the layers' seeds are {seeds}).",
                    "Pass seed=seed to both layers, so that an augmenter can be repeated exactly.",
                )
            ck.that(
                not np.allclose(run["training"], run["next_seed"], atol=1e-4),
                f"augmenters made with seeds {seed} and {seed + 1} changed the images in the same way "
                f"(the layers' seeds are {seeds}).",
                "Use the argument: seed=seed, not a fixed number.",
            )
            expected = np.asarray(_expected_augmenter(seed)(images, training=True))
            ck.array(
                run["training"],
                expected,
                what="the augmented images (training=True)",
                rtol=0,
                atol=1e-3,
            )


# ----- build_transfer_model ---------------------------------------------------------------------


def _check_augmenter(seed: int):
    import keras

    return keras.Sequential(
        [keras.layers.RandomFlip(FLIP_MODE, seed=seed, name="check_probe_flip")], name="check_augmenter"
    )


def _transfer_probe(build_transfer_model, image_shape, seed):
    """The learner's model for ``image_shape`` and an augmenter made here (in the kernel when
    grading), with what the check reads of it: the model itself (a reference when grading), its
    input shape, whether it uses that augmenter, its trainable weights, its logits on seeded
    images in inference mode and its last layer's weights."""
    import keras

    from shared_utils.engine.checking import model_summary

    augmenter = _check_augmenter(seed)
    model = build_transfer_model(tuple(image_shape), augmenter)
    if not isinstance(model, keras.Model):
        return {"model": _opaque(model), "is_model": False}
    run = {
        "model": model,
        "is_model": True,
        "input_shape": _plain(model.input_shape) if hasattr(model, "input_shape") else None,
        "uses_augmenter": any(layer is augmenter for layer in model.layers),
        "trainable": [[str(w.path), list(w.shape)] for w in model.trainable_weights],
        "summary": model_summary(model),
    }
    try:
        x = _images(seed, (3, *image_shape))
        run["logits"] = np.asarray(model(x, training=False), dtype=np.float32)
        last = model.layers[-1]
        run["dense"] = [np.asarray(w, dtype=np.float32) for w in last.get_weights()]
    except Exception as exc:
        run["error"] = f"{type(exc).__name__}: {exc}"[:600]
    return run


@lru_cache(maxsize=4)
def _reference_backbone(image_shape: tuple[int, int, int]):
    from shared_utils.models.mobilenet import mobilenet_v2_backbone

    return mobilenet_v2_backbone(input_shape=image_shape, name="check_reference_backbone")


def _pooled(image_shape, x: np.ndarray) -> np.ndarray:
    """The reference features: the ported backbone's last map averaged over its rows and columns."""
    return np.asarray(_reference_backbone(tuple(image_shape))(x, training=False), dtype=np.float64).mean(
        axis=(1, 2)
    )


def _expected_layers(image_shape) -> list[dict]:
    h, w = image_shape[:2]
    rows, cols = -(-h // 32), -(-w // 32)  # five stride-2 stages, "same" padding
    return [
        {"class": "Sequential", "output_shape": (None, *image_shape)},
        {"class": "Rescaling", "output_shape": (None, *image_shape)},
        {"class": "Functional", "output_shape": (None, rows, cols, FEATURES)},
        {"class": "GlobalAveragePooling2D", "output_shape": (None, FEATURES)},
        {"class": "Dropout", "rate": DROPOUT},
        {"class": "Dense", "units": 1, "activation": "linear", "params": FEATURES + 1},
    ]


@exercise(
    params=("image_shape", "augmenter"),
    hints=[
        "Input(image_shape) -> augmenter -> Rescaling(1/127.5, offset=-1) -> the frozen backbone -> "
        f"GlobalAveragePooling2D -> Dropout({DROPOUT}) -> Dense(1) with no activation."
    ],
)
def build_transfer_model(ck: Check) -> None:
    cases = ck.pick([(64, 80, 3)], [(40, 56, 3)])
    for image_shape in cases:
        seed = ck.seed_base
        with ck.case(f"image_shape={image_shape}"):
            run = ck.in_kernel(_transfer_probe, image_shape, seed)
            if not run.get("is_model"):
                ck.fail(
                    f"should return a keras.Model, got {_describe(run.get('model'))}.",
                    "End with `return keras.Model(inputs, outputs)`.",
                )
            want = (None, *image_shape)
            got_shape = run.get("input_shape")
            ck.that(
                got_shape == want,
                f"your model takes inputs of shape {got_shape}; expected {want} "
                f"for image_shape={image_shape}.",
                "Build the input from the argument, keras.Input(shape=image_shape), and the backbone with "
                "input_shape=image_shape: no fixed size.",
            )
            summary = run["summary"]
            last = summary[-1] if summary else {}
            if last.get("class") == "Dense" and last.get("activation") not in ("linear", None):
                ck.fail(
                    f"the last Dense layer applies {last.get('activation')!r}; it should return logits.",
                    "Leave the Dense layer without an activation: the loss is told from_logits=True and "
                    "applies the sigmoid itself, more accurately.",
                )
            ck.model(run["model"], _expected_layers(image_shape))
            ck.that(
                run["uses_augmenter"],
                "the augmenter passed as the argument `augmenter` is not a layer of your model.",
                "Call the argument on the input, x = augmenter(inputs), rather than making a new one.",
            )
            trainable = run["trainable"]
            shapes = sorted(tuple(s) for _, s in trainable)
            ck.that(
                shapes == [(1,), (FEATURES, 1)],
                f"your model has {len(trainable)} trainable weight tensor(s) "
                f"({', '.join(p for p, _ in trainable[:4])}{', ...' if len(trainable) > 4 else ''}); "
                "expected only the kernel and bias of the last Dense layer.",
                "Freeze the pretrained backbone before training the head: backbone.trainable = False.",
            )
            if "error" in run:
                ck.fail(f"calling your model on a batch of 3 images raised {run['error']}")
            x = _images(seed, (3, *image_shape))
            kernel, bias = run["dense"]
            scaled = x / 127.5 - 1.0
            expected = _pooled(image_shape, scaled) @ kernel + bias
            mistakes = {
                "MobileNetV2 expects pixels scaled to [-1, 1]: Rescaling(1/127.5, offset=-1), not "
                "1/255.": _pooled(image_shape, x / 255.0) @ kernel + bias,
                "The pixels reach the backbone unscaled: add Rescaling(1/127.5, offset=-1) after the "
                "augmenter.": _pooled(image_shape, x) @ kernel + bias,
            }
            ck.array(
                run["logits"],
                expected,
                what="your model's logits on 3 seeded images (training=False)",
                rtol=1e-3,
                atol=1e-3,
                mistakes=mistakes,
            )


# ----- unfreeze_top -----------------------------------------------------------------------------


def _toy_backbone(n_blocks: int, seed: int):
    """A small stand-in backbone: n_blocks of Conv2D, BatchNormalization, ReLU, then a 1x1 conv."""
    import keras

    rng = _rng(300 + seed)
    inputs = keras.Input((8, 8, 3), name="check_toy_input")
    x = inputs
    for k in range(n_blocks):
        filters = int(rng.integers(2, 6))
        x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"check_block_{k}_conv")(x)
        x = keras.layers.BatchNormalization(name=f"check_block_{k}_bn")(x)
        x = keras.layers.ReLU(name=f"check_block_{k}_relu")(x)
    x = keras.layers.Conv2D(4, 1, name="check_top_conv")(x)
    return keras.Model(inputs, x, name="check_toy_backbone")


def _unfreeze_probe(unfreeze_top, n_blocks, fine_tune_at, seed):
    """The learner's function on a frozen stand-in backbone (in the kernel when grading): every
    layer's class and trainable flag afterwards, and the backbone's own flag."""
    backbone = _toy_backbone(n_blocks, seed)
    backbone.trainable = False
    result = unfreeze_top(backbone, fine_tune_at)
    return {
        "result": _opaque(result),
        "backbone": bool(backbone.trainable),
        "layers": [
            [layer.name, type(layer).__name__, bool(layer.trainable), bool(layer.weights)]
            for layer in backbone.layers
        ],
    }


def _flags(layers, rule) -> list[bool]:
    """Trainable flags by ``rule(index, class)`` for the layers that have weights."""
    return [rule(i, kind) for i, (_, kind, _, has) in enumerate(layers) if has]


@exercise(
    params=("backbone", "fine_tune_at"),
    hints=[
        "Make the backbone trainable, then freeze again every layer before index fine_tune_at and every "
        "BatchNormalization layer."
    ],
)
def unfreeze_top(ck: Check) -> None:
    cases = ck.pick([(4, 10)], [(3, 4), (6, 11), (5, 16)])  # (blocks, fine_tune_at): layer 0 is the input
    for n_blocks, fine_tune_at in cases:
        seed = ck.seed_base
        with ck.case(f"a frozen backbone of {3 * n_blocks + 2} layers, fine_tune_at={fine_tune_at}"):
            run = ck.in_kernel(_unfreeze_probe, n_blocks, fine_tune_at, seed)
            ck.that(
                run["backbone"],
                "after your function the backbone itself is still frozen (backbone.trainable is False), so "
                "none of its layers trains, whatever their own flags say.",
                "Start with backbone.trainable = True (it unfreezes every layer), then freeze the first "
                "ones.",
            )
            layers = run["layers"]
            got = [trainable for _, _, trainable, has in layers if has]
            right = _flags(layers, lambda i, kind: i >= fine_tune_at and kind != "BatchNormalization")
            if got == right:
                continue
            ck.that(
                any(got),
                "no layer of the backbone is trainable after your function.",
                "Start with backbone.trainable = True (it unfreezes every layer), then freeze the first "
                "ones.",
            )
            mistakes = {
                "Keep every BatchNormalization layer frozen: trainable batch norm switches to the batch's "
                "own statistics while training and upsets the pretrained features.": _flags(
                    layers, lambda i, kind: i >= fine_tune_at
                ),
                "The layer at index fine_tune_at is the first to train: freeze "
                "backbone.layers[:fine_tune_at], not one more.": _flags(
                    layers, lambda i, kind: i > fine_tune_at and kind != "BatchNormalization"
                ),
                "The layers before fine_tune_at stay frozen: only the top of the backbone trains.": _flags(
                    layers, lambda i, kind: kind != "BatchNormalization"
                ),
                "fine_tune_at counts from the start of backbone.layers, not from its end.": _flags(
                    layers, lambda i, kind: i >= len(layers) - fine_tune_at and kind != "BatchNormalization"
                ),
            }
            hint = next((h for h, flags in mistakes.items() if flags == got), None)
            names = [name for name, _, _, has in layers if has]
            wrong = [
                f"{n} ({'trainable' if g else 'frozen'})" for n, g, r in zip(names, got, right) if g != r
            ]
            ck.fail(
                f"{len(wrong)} layer(s) have the wrong trainable flag: {', '.join(wrong[:4])}"
                f"{', ...' if len(wrong) > 4 else ''}.\n"
                f"  expected trainable: {[n for n, r in zip(names, right) if r]}\n"
                f"  received trainable: {[n for n, g in zip(names, got) if g]}",
                hint,
            )

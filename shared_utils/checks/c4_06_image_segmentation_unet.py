"""Checks for course 4, notebook 6: segmentation with a U-Net (conv_block, upsampling_block, unet_model).

Oracles:

* ``conv_block`` and ``upsampling_block``: the layer list of the exercise's table, compared
  layer by layer with the learner's block (:meth:`Check.model`: kind, filters, kernel size,
  strides, padding, activation, dropout rate, output shape, parameter count), then the wiring
  that a layer list cannot show, read through the public Keras API (each layer's ``input`` and
  ``output`` tensors in the functional graph): for ``conv_block`` which tensor is returned as
  the skip connection (the second convolution's output, taken before the pooling, and the
  tensor the pooling reads); for ``upsampling_block`` which two tensors the ``Concatenate``
  joins (the transposed convolution's output first, then the contracting path's tensor
  itself).  The numbers of the table are exact, so the comparison is too.
* ``unet_model``: :func:`shared_utils.course4.segmentation.reference_unet` (the network of
  the notebook's table, the one the shipped weights were trained as) for the same arguments,
  compared layer by layer (:meth:`Check.model`), after the model's input and output shape and
  its last activation; then, for every ``Concatenate`` in order, the level the skip connection
  comes from (the output shape of the layer that made it, and that it is taken before a max
  pooling), compared with the reference's.

The learner's functions take and return symbolic Keras tensors, which cannot be sent to the
kernel when grading: the probes (``_*_probe``, run by :meth:`Check.in_kernel`) build the
inputs there, call the learner's function, and return data (and the model, which comes back
as a reference that :meth:`Check.model` reads).
"""

from __future__ import annotations

from shared_utils.engine.checking import Check, _describe, exercise

DROPOUT = 0.3  # the dropout of the U-Net's two deepest blocks


def _error_text(exc: BaseException) -> str:
    from shared_utils.engine.checking import _learner_traceback

    message = str(exc)
    if len(message) > 1200:
        message = message[:1200] + " [... cut]"
    return f"{type(exc).__name__}: {message}{_learner_traceback(exc)}"


def _producers(model) -> dict[int, object]:
    """id(tensor) -> the layer of ``model`` whose output it is (input layers left out)."""
    import keras

    made = {}
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        for t in keras.tree.flatten(layer.output):
            made[id(t)] = layer
    return made


def _conv_spec(filters: int, shape: tuple) -> dict:
    return {
        "class": "Conv2D",
        "filters": filters,
        "kernel_size": (3, 3),
        "strides": (1, 1),
        "padding": "same",
        "activation": "relu",
        "output_shape": (None, *shape),
    }


# ----- conv_block ------------------------------------------------------------------------------


def _conv_block_probe(conv_block, shape, n_filters, dropout_prob, max_pooling):
    """The learner's block called on keras.Input(shape) (in the kernel when grading): the block as
    a model, what it returned, and the wiring of its two outputs."""
    import keras

    inputs = keras.Input(tuple(shape), name="check_block_input")
    try:
        out = conv_block(inputs, n_filters, dropout_prob, max_pooling)
    except NotImplementedError:
        raise
    except Exception as exc:
        return {"error": _error_text(exc)}
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return {"returned": _describe(out)}
    if not all(isinstance(t, keras.KerasTensor) for t in out):
        return {"returned": f"({_describe(out[0])}, {_describe(out[1])})"}
    next_layer, skip = out
    if next_layer is inputs or skip is inputs:
        return {"returned": "the block's input among its outputs"}
    model = keras.Model(inputs, [next_layer, skip], name="check_conv_block")
    made = _producers(model)
    pools = [layer for layer in model.layers if type(layer).__name__ == "MaxPooling2D"]
    return {
        "model": model,
        "next_shape": tuple(next_layer.shape),
        "skip_shape": tuple(skip.shape),
        "next_from": type(made[id(next_layer)]).__name__,
        "skip_from": type(made[id(skip)]).__name__,
        "same_tensor": next_layer is skip,
        "pool_reads_skip": bool(pools) and pools[0].input is skip,
    }


def _conv_block_layers(shape: tuple, n_filters: int, dropout_prob: float, max_pooling: bool) -> list[dict]:
    h, w, _ = shape
    layers = [_conv_spec(n_filters, (h, w, n_filters)), _conv_spec(n_filters, (h, w, n_filters))]
    if dropout_prob > 0:
        layers.append({"class": "Dropout", "rate": dropout_prob, "output_shape": (None, h, w, n_filters)})
    if max_pooling:
        layers.append(
            {"class": "MaxPooling2D", "pool_size": (2, 2), "output_shape": (None, h // 2, w // 2, n_filters)}
        )
    return layers


@exercise(
    params=("inputs", "n_filters", "dropout_prob", "max_pooling"),
    hints=[
        "Two Conv2D(n_filters, 3, activation='relu', padding='same', kernel_initializer='he_normal'), "
        "then Dropout(dropout_prob) if dropout_prob > 0, then MaxPooling2D(2) if max_pooling; return "
        "(next_layer, skip_connection) with the skip taken before the pooling."
    ],
)
def conv_block(ck: Check) -> None:
    ck.defaults({"n_filters": 32, "dropout_prob": 0, "max_pooling": True})
    cases = ck.pick(
        [((12, 16, 3), 8, 0.0, True), ((8, 10, 5), 6, 0.3, False), ((6, 8, 4), 4, 0.2, True)],
        [((10, 6, 2), 3, 0.0, False), ((4, 4, 7), 5, 0.5, True)],
    )
    for shape, n_filters, dropout_prob, max_pooling in cases:
        call = (
            f"conv_block(inputs, n_filters={n_filters}, dropout_prob={dropout_prob}, "
            f"max_pooling={max_pooling})"
        )
        with ck.case(f"{call} on inputs of shape {(None, *shape)}"):
            run = ck.in_kernel(_conv_block_probe, shape, n_filters, dropout_prob, max_pooling)
            if "error" in run:
                ck.fail(f"your code raised {run['error']}")
            if "returned" in run:
                ck.fail(
                    f"should return two tensors, (next_layer, skip_connection); got {run['returned']}.",
                    "End with `return next_layer, skip_connection`: the tensor for the next block and the "
                    "one the expanding path will concatenate.",
                )
            h, w, _ = shape
            full = (None, h, w, n_filters)
            if max_pooling and run["skip_from"] == "MaxPooling2D":
                ck.fail(
                    "the skip connection is taken after the pooling: it should keep the block's full "
                    "resolution.\n"
                    f"  expected: skip_connection of shape {full} (before MaxPooling2D)\n"
                    f"  received: skip_connection of shape {run['skip_shape']} (from {run['skip_from']})",
                    "Set skip_connection = conv (after the convolutions and the dropout), then pool conv "
                    "into next_layer.",
                )
            ck.model(
                run["model"],
                _conv_block_layers(shape, n_filters, dropout_prob, max_pooling),
                what="your block",
                input_shape=shape,
            )
            want_skip = "Dropout" if dropout_prob > 0 else "Conv2D"
            ck.that(
                run["skip_from"] == want_skip,
                f"the skip connection should be the output of the {want_skip} layer; yours comes from a "
                f"{run['skip_from']} layer.",
                "Return the tensor after the two convolutions (and the dropout, if any) as skip_connection.",
            )
            if max_pooling:
                ck.that(
                    run["pool_reads_skip"] and run["next_from"] == "MaxPooling2D",
                    "next_layer should be MaxPooling2D applied to the skip connection itself; "
                    f"yours comes from a {run['next_from']} layer.",
                    "next_layer = MaxPooling2D(2)(conv), with conv the tensor you return as skip_connection.",
                )
            else:
                ck.that(
                    run["same_tensor"],
                    "with max_pooling=False, next_layer and skip_connection should be the same tensor "
                    f"(no pooling); yours differ ({run['next_shape']} from {run['next_from']}, "
                    f"{run['skip_shape']} from {run['skip_from']}).",
                    "With max_pooling=False set next_layer = conv.",
                )


# ----- upsampling_block ------------------------------------------------------------------------


def _upsampling_probe(upsampling_block, expansive_shape, contractive_shape, n_filters):
    """The learner's block called on two keras.Input (in the kernel when grading): the block as a
    model, and which tensors its Concatenate joins.  Where the code fails on these inputs, it is
    called again with a contracting tensor of unknown height and width, so that the transposed
    convolution's own output shape and settings can be reported."""
    import keras

    def call(contractive):
        e = keras.Input(tuple(expansive_shape), name="check_expansive_input")
        c = keras.Input(contractive, name="check_contractive_input")
        return e, c, upsampling_block(e, c, n_filters)

    try:
        e, c, out = call(tuple(contractive_shape))
    except NotImplementedError:
        raise
    except Exception as exc:
        run = {"error": _error_text(exc)}
        try:
            e, c, out = call((None, None, contractive_shape[-1]))
            model = keras.Model([e, c], out)
            ups = [layer for layer in model.layers if type(layer).__name__ == "Conv2DTranspose"]
            if ups:
                cfg = ups[0].get_config()
                run["transpose"] = {
                    "strides": tuple(cfg["strides"]),
                    "padding": cfg["padding"],
                    "kernel_size": tuple(cfg["kernel_size"]),
                    "output_shape": tuple(ups[0].output.shape),
                }
        except Exception:
            pass
        return run
    if not isinstance(out, keras.KerasTensor):
        return {"returned": _describe(out)}
    model = keras.Model([e, c], out, name="check_upsampling_block")
    made = _producers(model)
    joins = []
    for layer in model.layers:
        if type(layer).__name__ == "Concatenate":
            ins = keras.tree.flatten(layer.input)
            joins.append(
                [
                    "expansive_input"
                    if t is e
                    else "contractive_input"
                    if t is c
                    else type(made[id(t)]).__name__
                    if id(t) in made
                    else "another tensor"
                    for t in ins
                ]
            )
    transposes = [layer for layer in model.layers if type(layer).__name__ == "Conv2DTranspose"]
    return {
        "model": model,
        "joins": joins,
        "axis": [
            layer.get_config().get("axis") for layer in model.layers if type(layer).__name__ == "Concatenate"
        ],
        "transpose_reads": [
            "expansive_input"
            if layer.input is e
            else "contractive_input"
            if layer.input is c
            else "another tensor"
            for layer in transposes
        ],
    }


def _upsampling_layers(expansive_shape: tuple, contractive_shape: tuple, n_filters: int) -> list[dict]:
    h, w, channels = contractive_shape
    return [
        {
            "class": "Conv2DTranspose",
            "filters": n_filters,
            "kernel_size": (3, 3),
            "strides": (2, 2),
            "padding": "same",
            "output_shape": (None, h, w, n_filters),
        },
        {"class": "Concatenate", "output_shape": (None, h, w, n_filters + channels)},
        _conv_spec(n_filters, (h, w, n_filters)),
        _conv_spec(n_filters, (h, w, n_filters)),
    ]


@exercise(
    params=("expansive_input", "contractive_input", "n_filters"),
    hints=[
        "Conv2DTranspose(n_filters, 3, strides=2, padding='same') on expansive_input, then "
        "Concatenate(axis=3)([up, contractive_input]), then two Conv2D(n_filters, 3, activation='relu', "
        "padding='same', kernel_initializer='he_normal')."
    ],
)
def upsampling_block(ck: Check) -> None:
    ck.defaults({"n_filters": 32})
    cases = ck.pick(
        [((3, 4, 12), (6, 8, 5), 6), ((5, 3, 4), (10, 6, 8), 3)],
        [((2, 2, 6), (4, 4, 2), 4), ((4, 6, 3), (8, 12, 3), 5)],
    )
    for expansive_shape, contractive_shape, n_filters in cases:
        call = f"upsampling_block(expansive_input, contractive_input, n_filters={n_filters})"
        with ck.case(
            f"{call} on inputs of shapes {(None, *expansive_shape)} and {(None, *contractive_shape)}"
        ):
            run = ck.in_kernel(_upsampling_probe, expansive_shape, contractive_shape, n_filters)
            want = (None, *contractive_shape[:2], n_filters)
            if "transpose" in run:
                t = run["transpose"]
                if t["strides"] != (2, 2) or t["padding"] != "same":
                    ck.fail(
                        "the Conv2DTranspose does not double the height and width, so its output cannot be "
                        "concatenated with contractive_input.\n"
                        f"  expected: Conv2DTranspose(strides=(2, 2), padding='same') -> output {want}\n"
                        f"  received: Conv2DTranspose(strides={t['strides']}, padding={t['padding']!r}) -> "
                        f"output {t['output_shape']}",
                        "With strides=2 and padding='same' a transposed convolution turns h x w into "
                        "2h x 2w exactly; padding='valid' adds kernel_size - 2 rows and columns.",
                    )
            if "error" in run:
                ck.fail(f"your code raised {run['error']}")
            if "returned" in run:
                ck.fail(
                    f"should return the block's output tensor, got {run['returned']}.",
                    "End with `return conv` (the tensor after the two convolutions).",
                )
            if not run["joins"]:
                ck.fail(
                    "your block has no Concatenate layer: the skip connection from the contracting path is "
                    "missing.\n  expected: Concatenate(axis=3)([up, contractive_input])\n"
                    "  received: no Concatenate",
                    "Join the transposed convolution's output with contractive_input: "
                    "merge = keras.layers.Concatenate(axis=3)([up, contractive_input]).",
                )
            joined = run["joins"][0]
            if joined != ["Conv2DTranspose", "contractive_input"]:
                ck.fail(
                    "the Concatenate should join the transposed convolution's output and contractive_input, "
                    "in that order.\n  expected: [Conv2DTranspose output, contractive_input]\n"
                    f"  received: [{', '.join(joined)}]",
                    "Use the contracting path's tensor itself (the skip connection), after the upsampled "
                    "one: "
                    "Concatenate(axis=3)([up, contractive_input]).",
                )
            ck.that(
                run["transpose_reads"] == ["expansive_input"],
                f"the Conv2DTranspose should read expansive_input; yours reads {run['transpose_reads']}.",
                "up = Conv2DTranspose(n_filters, 3, strides=2, padding='same')(expansive_input).",
            )
            ck.model(
                run["model"],
                _upsampling_layers(expansive_shape, contractive_shape, n_filters),
                what="your block",
                input_shape=expansive_shape,
            )
            ck.that(
                run["axis"][0] in (3, -1),
                f"the Concatenate should join the channels (axis=3); yours has axis={run['axis'][0]}.",
            )


# ----- unet_model ------------------------------------------------------------------------------


def _skips(model) -> list:
    """For each Concatenate of ``model`` in order: the output shape of the layer its second input
    comes from, and whether a MaxPooling2D reads that tensor (a skip taken before the pooling)."""
    import keras

    made = _producers(model)
    pooled = set()
    for layer in model.layers:
        if type(layer).__name__ == "MaxPooling2D":
            pooled.add(id(layer.input))
    out = []
    for layer in model.layers:
        if type(layer).__name__ == "Concatenate":
            ins = keras.tree.flatten(layer.input)
            if len(ins) != 2:
                out.append([len(ins), None, None])
                continue
            skip = ins[1]
            source = made.get(id(skip))
            out.append([type(source).__name__ if source else "input", tuple(skip.shape), id(skip) in pooled])
    return out


def _unet_probe(unet_model, input_size, n_filters, n_classes):
    """The learner's model (a reference when grading), its shapes, last activation and skips."""
    import keras

    from shared_utils.engine.checking import model_summary

    try:
        model = unet_model(tuple(input_size), n_filters, n_classes)
    except NotImplementedError:
        raise
    except Exception as exc:
        return {"error": _error_text(exc)}
    if not isinstance(model, keras.Model):
        return {"returned": _describe(model)}
    summary = model_summary(model)
    return {
        "model": model,
        "input": tuple(model.inputs[0].shape),
        "output": tuple(model.outputs[0].shape),
        "last": summary[-1] if summary else {},
        "skips": _skips(model),
        "params": int(model.count_params()),
    }


def _reference(input_size: tuple, n_filters: int, n_classes: int):
    from shared_utils.course4.segmentation import reference_unet

    model = reference_unet(input_size, n_filters, n_classes)
    return model, _skips(model)


@exercise(
    params=("input_size", "n_filters", "n_classes"),
    hints=[
        "Four conv_block calls with n_filters, 2, 4 and 8 times n_filters (dropout 0.3 on the fourth), a "
        "fifth with 16 times n_filters, dropout 0.3 and no pooling; four upsampling_block calls, each with "
        "the skip connection (index [1]) of the matching contracting block; a 3x3 Conv2D; then "
        "Conv2D(n_classes, 1, padding='same', activation='softmax')."
    ],
)
def unet_model(ck: Check) -> None:
    ck.defaults({"input_size": (96, 128, 3), "n_filters": 16, "n_classes": 10})
    cases = ck.pick([((32, 48, 3), 4, 5)], [((48, 16, 3), 2, 3)])
    for input_size, n_filters, n_classes in cases:
        with ck.case(f"unet_model(input_size={input_size}, n_filters={n_filters}, n_classes={n_classes})"):
            run = ck.in_kernel(_unet_probe, input_size, n_filters, n_classes)
            if "error" in run:
                hint = None
                if "Concatenate" in run["error"] or "concatenat" in run["error"].lower():
                    hint = (
                        "A Concatenate got tensors of different heights and widths: pass each "
                        "upsampling_block the skip connection of the contracting block at the same level "
                        "(cblock4[1] to the first, then cblock3[1], cblock2[1], cblock1[1]), not the pooled "
                        "output [0]."
                    )
                ck.fail(f"your code raised {run['error']}", hint)
            if "returned" in run:
                ck.fail(
                    f"should return a keras.Model, got {run['returned']}.",
                    "End with `model = keras.Model(inputs=inputs, outputs=conv10)` and `return model`.",
                )
            want_in = (None, *input_size)
            if tuple(run["input"]) != want_in:
                ck.fail(
                    f"your model takes inputs of shape {run['input']}.\n  expected: {want_in}\n"
                    f"  received: {run['input']}",
                    "Build the input from the argument: inputs = keras.Input(input_size).",
                )
            want_out = (None, *input_size[:2], n_classes)
            if tuple(run["output"]) != want_out:
                ck.fail(
                    "your model's output should give one probability per class for every pixel.\n"
                    f"  expected output shape: {want_out}\n  received output shape: {run['output']}",
                    "The last layer is Conv2D(n_classes, 1, padding='same', activation='softmax'), with the "
                    "argument n_classes (not a fixed number).",
                )
            last = run["last"]
            if last.get("activation") != "softmax":
                ck.fail(
                    "the last layer should turn each pixel's scores into class probabilities.\n"
                    "  expected: activation 'softmax'\n"
                    f"  received: activation {last.get('activation')!r} ({last.get('class')})",
                    "Give the last Conv2D activation='softmax': the loss (sparse categorical cross-entropy) "
                    "expects probabilities.",
                )
            expected, skips = _reference(tuple(input_size), n_filters, n_classes)
            got_skips = [[s[0], tuple(s[1]) if s[1] is not None else None, s[2]] for s in run["skips"]]
            if len(got_skips) == len(skips):
                for k, (want, got) in enumerate(zip(skips, got_skips)):
                    if got[1] is None or tuple(want[1])[1:3] != got[1][1:3] or not got[2]:
                        ck.fail(
                            f"skip connection {k + 1} (the Concatenate of expanding block {k + 1}) does not "
                            "come from the matching contracting block, before its pooling.\n"
                            f"  expected: a {want[1][1]}x{want[1][2]} tensor that a MaxPooling2D reads\n"
                            f"  received: a tensor of shape {got[1]} from a {got[0]} layer"
                            + ("" if got[2] else ", not read by a pooling"),
                            "Pass each upsampling_block the skip connection [1] of the contracting block at "
                            "the same level: cblock4[1], cblock3[1], cblock2[1], cblock1[1].",
                        )
            ck.model(run["model"], expected, what="your U-Net", input_shape=input_size)

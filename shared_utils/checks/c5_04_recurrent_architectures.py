"""Checks for course 5, notebook 4: recurrent architectures in Keras (SimpleRNN, LSTM, GRU,
stacked, bidirectional).

Oracles:

- the structure: for every case the check builds, with Keras's own layers, the model the
  exercise describes (``keras.layers.SimpleRNN`` / ``LSTM`` / ``GRU``, ``Bidirectional``,
  ``Dense``; every layer named "check_...") and :meth:`Check.model` compares the learner's
  with it layer by layer through the public Keras API (``get_config()``, output shapes,
  ``count_params()``): exact, as both describe one configuration.
- the behaviour: :func:`outputs_with_weights`, a probe run where the learner's function
  lives, builds the learner's model, overwrites every weight with values drawn from a seed
  (in the order of ``model.get_weights()``) and returns its outputs on a seeded batch; the
  check does the same with its own model. Same weights in the same layers give the same
  outputs up to float32 round-off, so ``rtol=1e-4``; what the structure cannot see
  (a Bidirectional layer averaging instead of concatenating, a layer reading the sequence
  backwards) changes the outputs by far more.

Cases vary the cell ("rnn", "lstm", "gru"), the sequence length, the features, the units and
the classes, so that a number written into the function instead of read from its arguments
fails; the first case of each exercise is not an LSTM, so that a cell hard-coded as the
default LSTM fails too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_utils.engine.checking import Check, exercise, model_summary

CELL_CLASSES = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def _cell_layer(cell: str):
    import keras

    return {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]


def expected_classifier(cell: str, input_shape: tuple, units: int, n_classes: int):
    """The sequence classifier of exercise 1, built by the check."""
    import keras

    inputs = keras.Input(shape=tuple(input_shape), name="check_seq_input")
    h = _cell_layer(cell)(units, name="check_seq_cell")(inputs)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="check_seq_dense")(h)
    return keras.Model(inputs, outputs, name="check_sequence_classifier")


def expected_stacked(cell: str, input_shape: tuple, units_per_layer: list, n_classes: int):
    """The stacked classifier of exercise 2, built by the check."""
    import keras

    inputs = keras.Input(shape=tuple(input_shape), name="check_stack_input")
    h = inputs
    for k, units in enumerate(units_per_layer):
        last = k == len(units_per_layer) - 1
        h = _cell_layer(cell)(units, return_sequences=not last, name=f"check_stack_cell_{k + 1}")(h)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="check_stack_dense")(h)
    return keras.Model(inputs, outputs, name="check_stacked_classifier")


def expected_tagger(
    cell: str, input_shape: tuple, units: int, n_classes: int, time_distributed: bool = False
):
    """The bidirectional tagger of exercise 3, built by the check (``time_distributed``: its Dense
    wrapped in TimeDistributed, which computes the same)."""
    import keras

    inputs = keras.Input(shape=tuple(input_shape), name="check_tag_input")
    rnn = _cell_layer(cell)(units, return_sequences=True, name="check_tag_cell")
    h = keras.layers.Bidirectional(rnn, name="check_tag_bidirectional")(inputs)
    dense = keras.layers.Dense(n_classes, activation="softmax", name="check_tag_dense")
    if time_distributed:
        dense = keras.layers.TimeDistributed(dense, name="check_tag_time_distributed")
    outputs = dense(h)
    return keras.Model(inputs, outputs, name="check_bidirectional_tagger")


def _seeded_weights(model, seed: int) -> None:
    rng = np.random.default_rng(seed)
    model.set_weights([rng.uniform(-0.6, 0.6, w.shape).astype(np.float32) for w in model.get_weights()])


def _batch(input_shape: tuple, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed + 1)
    return rng.normal(0.0, 1.0, (3, *tuple(input_shape))).astype(np.float32)


def outputs_with_weights(builder, args: list, seed: int) -> dict[str, Any]:
    """Probe: ``builder(*args)`` with every weight drawn from ``seed``, and its outputs on a
    seeded batch of 3 examples; the shapes of its weights, in order."""
    model = builder(*args)
    shapes = [np.asarray(w.shape, dtype=np.int64) for w in model.get_weights()]
    _seeded_weights(model, seed)
    out = np.asarray(model(_batch(args[1], seed), training=False))
    return {
        "outputs": out,
        "n_weights": len(shapes),
        "shapes": np.concatenate(shapes) if shapes else np.zeros(0),
    }


def _summary(got) -> list[dict]:
    from shared_utils.engine.remote import RemoteRef

    if isinstance(got, RemoteRef):
        return list(got.info.get("model", {}).get("summary", []))
    try:
        return model_summary(got)
    except Exception:  # an unbuilt model: Check.model says so
        return []


def _time_axis(ck: Check, got, input_shape: tuple) -> None:
    """Fail plainly when the model reads (features, time) instead of (time, features)."""
    layers = _summary(got)
    if not layers or "input_shape" not in layers[0]:
        return
    have = tuple(layers[0]["input_shape"])
    t, n = tuple(input_shape)
    if have == (None, n, t) and n != t:
        ck.fail(
            f"your model reads inputs of shape {have}: {n} time steps of {t} features. The sequences "
            f"have {t} time steps of {n} features: expected {(None, t, n)}.\n"
            f"  expected input: {(None, t, n)}\n  received input: {have}",
            "The time axis is in the wrong place: Keras's recurrent layers read (time steps, features) "
            "for each example, so keras.Input(shape=input_shape), with input_shape = (T, n_features), "
            "as given.",
        )


def _behaviour(ck: Check, args: list, expected_model, seed: int, what: str) -> None:
    """Outputs of the learner's model with seeded weights against the check's model's."""
    got = ck.in_kernel(outputs_with_weights, args, seed)
    wanted = outputs_with_weights(lambda *a: expected_model, args, seed)
    ck.that(
        isinstance(got, dict) and "outputs" in got,
        f"the probe of {what} returned {type(got).__name__}",
    )
    if int(got["n_weights"]) != wanted["n_weights"] or not np.array_equal(got["shapes"], wanted["shapes"]):
        ck.fail(
            f"{what} holds weights of other shapes than the expected model's.\n"
            f"  expected: {wanted['n_weights']} arrays, sizes {wanted['shapes'].tolist()}\n"
            f"  received: {int(got['n_weights'])} arrays, sizes {np.asarray(got['shapes']).tolist()}"
        )
    ck.array(
        got["outputs"],
        wanted["outputs"],
        what=f"the outputs of {what} with seeded weights",
        rtol=1e-4,
        atol=1e-5,
    )


def _call_builder(ck: Check, args: list):
    """The learner's model, with a plain explanation of Keras's error for a missing return_sequences."""
    from shared_utils.engine.checking import CheckFailed, NotImplementedYet

    try:
        return ck.call(*args)
    except NotImplementedYet:
        raise
    except CheckFailed as exc:
        text = str(exc)
        if "expected ndim=3, found ndim=2" in text:
            ck.fail(
                "Keras refused to build your model: a recurrent layer received one vector per "
                "example (ndim=2) where it reads a sequence (ndim=3).\n" + text.split("\nHint:")[0],
                "Every recurrent layer but the last must pass its whole sequence of states to the "
                "next one: return_sequences=True on all of them except the last.",
            )
        raise


@exercise(
    params=("cell", "input_shape", "units", "n_classes"),
    hints=[
        "keras.Input(shape=input_shape), then RECURRENT[cell](units) (its last state only), then "
        'keras.layers.Dense(n_classes, activation="softmax").'
    ],
)
def sequence_classifier(ck: Check) -> None:
    cases = ck.pick(
        [("gru", (9, 5), 6, 3), ("rnn", (4, 7), 5, 2)],
        [("lstm", (12, 3), 4, 5)],
    )
    for k, (cell, shape, units, n_classes) in enumerate(cases):
        args = [cell, shape, units, n_classes]
        with ck.case(
            f"sequence_classifier({cell!r}, input_shape={shape}, units={units}, n_classes={n_classes})"
        ):
            got = _call_builder(ck, args)
            _time_axis(ck, got, shape)
            expected = expected_classifier(cell, shape, units, n_classes)
            ck.model(got, expected, what="your classifier", input_shape=shape)
            if k == 0 or k == len(cases) - 1:
                _behaviour(ck, args, expected, seed=100 + k + ck.seed_base, what="your classifier")


@exercise(
    params=("cell", "input_shape", "units_per_layer", "n_classes"),
    hints=[
        "One recurrent layer per entry of units_per_layer, in order; return_sequences=True on every "
        'one but the last; then keras.layers.Dense(n_classes, activation="softmax").'
    ],
)
def stacked_classifier(ck: Check) -> None:
    cases = ck.pick(
        [("gru", (7, 4), [6, 5], 3), ("rnn", (5, 3), [4, 7, 3], 2)],
        [("lstm", (6, 2), [5, 3], 4)],
    )
    for k, (cell, shape, units, n_classes) in enumerate(cases):
        args = [cell, shape, list(units), n_classes]
        with ck.case(
            f"stacked_classifier({cell!r}, input_shape={shape}, units_per_layer={units}, "
            f"n_classes={n_classes})"
        ):
            got = _call_builder(ck, args)
            _time_axis(ck, got, shape)
            expected = expected_stacked(cell, shape, units, n_classes)
            ck.model(got, expected, what="your stacked classifier", input_shape=shape)
            if k == 0 or k == len(cases) - 1:
                _behaviour(ck, args, expected, seed=200 + k + ck.seed_base, what="your stacked classifier")


@exercise(
    params=("cell", "input_shape", "units", "n_classes"),
    hints=[
        "keras.layers.Bidirectional(RECURRENT[cell](units, return_sequences=True)) on the input, then "
        'keras.layers.Dense(n_classes, activation="softmax"), which acts at every position.'
    ],
)
def bidirectional_tagger(ck: Check) -> None:
    cases = ck.pick(
        [("gru", (8, 5), 6, 3), ("rnn", (5, 4), 3, 2)],
        [("lstm", (6, 3), 4, 2)],
    )
    for k, (cell, shape, units, n_classes) in enumerate(cases):
        args = [cell, shape, units, n_classes]
        t = shape[0]
        with ck.case(
            f"bidirectional_tagger({cell!r}, input_shape={shape}, units={units}, n_classes={n_classes})"
        ):
            got = _call_builder(ck, args)
            _time_axis(ck, got, shape)
            layers = _summary(got)
            out = tuple(layers[-1].get("output_shape", ())) if layers else ()
            if len(out) == 2:
                ck.fail(
                    f"your tagger gives one label per sequence, output shape {out}; expected one per "
                    f"position, {(None, t, n_classes)}.\n  expected output: {(None, t, n_classes)}\n"
                    f"  received output: {out}",
                    "A tagger labels every position: the recurrent layer inside Bidirectional needs "
                    "return_sequences=True, so that the Dense layer receives one state per step.",
                )
            classes = [layer.get("class") for layer in layers]
            for j, layer in enumerate(layers):
                if layer.get("class") == "Bidirectional" and "output_shape" in layer:
                    width = tuple(layer["output_shape"])[-1]
                    if width == units:
                        ck.fail(
                            f"the Bidirectional layer (layer {j + 1}) gives {width} features per position; "
                            f"expected {2 * units}, the forward and the backward states side by side.",
                            "Keep Bidirectional's default merge_mode='concat': 'sum', 'ave' or 'mul' "
                            "mix the two directions into one state of `units` features.",
                        )
            expected = expected_tagger(cell, shape, units, n_classes, "TimeDistributed" in classes)
            ck.model(got, expected, what="your tagger", input_shape=shape)
            _behaviour(ck, args, expected, seed=300 + k + ck.seed_base, what="your tagger")

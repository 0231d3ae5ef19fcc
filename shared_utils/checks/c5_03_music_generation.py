"""Checks for course 5, notebook 3: music generation with one shared LSTM cell.

Oracle: an LSTM unrolled by hand in NumPy (float64), from the same seeded weights the probes
give the Keras layers: at each step ``z = x W + a U + b``, split into the gates i, f, g, o
(Keras's order), ``c = sigmoid(f) * c + sigmoid(i) * tanh(g)``, ``a = sigmoid(o) * tanh(c)``,
then ``softmax(a W_y + b_y)``. These are the LSTM's equations, not a copy of the notebook's
Keras code; the generating oracle feeds back the one-hot vector of its own argmax. The same
unroll with one thing changed (the state not handed on, the input of step 0 at every step,
the probabilities fed back instead of a one-hot vector, ...) gives the values of the known
mistakes, recognised by the mistakes tables.

The exercises take live Keras layers, which cannot be sent to the kernel when grading: the
probes (``_*_probe``, run by :meth:`Check.in_kernel`) build the layers there from a seed and
sizes (named ``check_...``), call the learner's builder, and return data: the inputs' and
outputs' shapes, the layer summary, how many weight tensors the model holds and how many of
them are the given layers' own (sharing), and the outputs on seeded inputs. For
``predict_and_sample`` the probe builds a generating model of its own from the seeded layers
and hands it to the learner's function with the initial values as data.
"""

from __future__ import annotations

import numpy as np
from scipy.special import softmax

from shared_utils.course5.translation import lstm_step
from shared_utils.engine.checking import Check, _describe, exercise, model_summary

# ----- seeded layers, inputs and the NumPy oracle ----------------------------------------------


def _rng(seed: int, salt: int) -> np.random.Generator:
    return np.random.default_rng(53000 + 97 * seed + salt)


def _weights(seed: int, n_values: int, n_a: int, cycle: bool = False) -> list[np.ndarray]:
    """LSTM kernel (n_values, 4 n_a), recurrent kernel (n_a, 4 n_a), bias (4 n_a,); Dense kernel
    (n_a, n_values), bias (n_values,): large enough that the steps differ clearly.

    ``cycle``: weights that make a generator walk through the values in a seeded cycle (value k
    gives the hidden state a sign pattern of its own, which the Dense layer maps to the next value
    of the cycle), so that the values composed differ from step to step; needs 2**n_a >= n_values.
    """
    rng = _rng(seed, 1)
    shapes = [(n_values, 4 * n_a), (n_a, 4 * n_a), (4 * n_a,), (n_a, n_values), (n_values,)]
    scales = [0.8, 0.6, 0.3, 1.5, 0.3]
    W = [rng.normal(0, s, size=shape).astype("float32") for shape, s in zip(shapes, scales)]
    if not cycle:
        return W
    codes = rng.choice(2**n_a, size=n_values, replace=False)
    patterns = (((codes[:, None] >> np.arange(n_a)) & 1) * 2 - 1).astype("float32")  # (n_values, n_a)
    order = rng.permutation(n_values - 1)  # the last value is never composed: a one-hot encoding
    following = np.empty(n_values, dtype=int)  # that guesses the number of values from the largest
    following[order] = np.roll(order, -1)  # index found comes out too short
    following[n_values - 1] = order[0]
    kernel, recurrent, bias = 0.1 * W[0], 0.1 * W[1], np.zeros(4 * n_a, dtype="float32")
    kernel[:, 2 * n_a : 3 * n_a] = 3 * patterns  # the candidate memory: value k's pattern
    bias[:n_a], bias[n_a : 2 * n_a], bias[3 * n_a :] = 4, -4, 4  # input and output gates open, forget
    dense = 0.1 * W[3]
    dense[:, following] += 4 * patterns.T  # pattern of k -> the value after k
    return [kernel, recurrent, bias, dense, 0.1 * W[4]]


def _one_hot(rng: np.random.Generator, shape: tuple[int, ...], n_values: int) -> np.ndarray:
    return np.eye(n_values, dtype="float32")[rng.integers(0, n_values, size=shape)]


def _training_inputs(seed: int, m: int, Tx: int, n_values: int, n_a: int):
    rng = _rng(seed, 2)
    X = _one_hot(rng, (m, Tx), n_values)
    a0 = rng.normal(0, 0.5, size=(m, n_a)).astype("float32")
    c0 = rng.normal(0, 0.5, size=(m, n_a)).astype("float32")
    return X, a0, c0


def _generating_inputs(seed: int, m: int, n_values: int, n_a: int):
    rng = _rng(seed, 3)
    x0 = _one_hot(rng, (m, 1), n_values)
    a0 = rng.normal(0, 0.5, size=(m, n_a)).astype("float32")
    c0 = rng.normal(0, 0.5, size=(m, n_a)).astype("float32")
    return x0, a0, c0


def _step(W: list[np.ndarray], x: np.ndarray, a: np.ndarray, c: np.ndarray):
    """One LSTM step and the softmax output, in float64: (a, c, y)."""
    kernel, recurrent, bias, wy, by = (w.astype(np.float64) for w in W)
    a, c = lstm_step(x, a, c, kernel, recurrent, bias)
    return a, c, softmax(a @ wy + by, axis=-1)


def unroll(W, X, a0, c0, mistake: str = "") -> np.ndarray:
    """The outputs of the training model, (Tx, m, n_values); ``mistake`` names a known one."""
    a, c = a0.astype(np.float64), c0.astype(np.float64)
    outs = []
    for t in range(X.shape[1]):
        x = X[:, 0 if mistake == "first_step" else t].astype(np.float64)
        if mistake == "no_state":
            a, c = a0.astype(np.float64), c0.astype(np.float64)
        new_a, new_c, y = _step(W, x, a, c)
        a, c = (new_a, new_a) if mistake == "h_as_c" else (new_a, new_c)
        outs.append(y)
    return np.stack(outs)


def generate(W, x0, a0, c0, Ty: int, mistake: str = "") -> np.ndarray:
    """The outputs of the generating model, (Ty, m, n_values); ``mistake`` names a known one."""
    n_values = W[4].shape[0]
    a, c, x = a0.astype(np.float64), c0.astype(np.float64), x0[:, 0].astype(np.float64)
    outs = []
    for _ in range(Ty):
        if mistake == "no_state":
            a, c = a0.astype(np.float64), c0.astype(np.float64)
        a, c, y = _step(W, x, a, c)
        outs.append(y)
        if mistake == "probabilities":
            x = y
        elif mistake != "x0_always":
            x = np.eye(n_values)[y.argmax(axis=-1)]
    return np.stack(outs)


def _layers(seed: int, n_values: int, n_a: int, cycle: bool = False):
    """The check's own seeded layers: lstm_cell, densor, reshaper (built, weights set)."""
    import keras

    W = _weights(seed, n_values, n_a, cycle)
    lstm_cell = keras.layers.LSTM(n_a, return_state=True, unroll=True, name="check_lstm_cell")
    densor = keras.layers.Dense(n_values, activation="softmax", name="check_densor")
    reshaper = keras.layers.Reshape((1, n_values), name="check_reshaper")
    lstm_cell.build((None, 1, n_values))
    densor.build((None, n_a))
    lstm_cell.set_weights(W[:3])
    densor.set_weights(W[3:])
    return lstm_cell, densor, reshaper


# ----- probes: run where the learner's function lives ------------------------------------------


def _shape(shape) -> list[int]:
    return [-1 if d is None else int(d) for d in shape]


def _describe_model(model, layers) -> dict:
    """Data about a learner's model built from ``layers`` (the check's own)."""
    import keras

    if not isinstance(model, keras.Model):
        return {"is_model": False, "got": _describe(model)}
    own = [v for layer in layers for v in layer.weights]
    return {
        "is_model": True,
        "inputs": [_shape(i.shape) for i in model.inputs],
        "outputs": [_shape(o.shape) for o in model.outputs],
        "layers": [layer["class"] for layer in model_summary(model)],
        "n_weights": len(model.weights),
        "own": sum(any(v is w for w in own) for v in model.weights),
        "params": int(model.count_params()),
    }


def _run(model, inputs) -> dict:
    """The model's outputs on ``inputs`` as one array (steps, m, n_values), or the error it raised."""
    try:
        out = model(inputs)
    except Exception as exc:  # the model cannot be called on these inputs
        return {"error": f"{type(exc).__name__}: {str(exc)[:400]}"}
    outs = out if isinstance(out, (list, tuple)) else [out]
    arrays = [np.asarray(o, dtype=np.float32) for o in outs]
    if len({a.shape for a in arrays}) != 1:
        return {"error": f"its outputs have different shapes: {[a.shape for a in arrays]}"}
    return {"out": np.stack(arrays)}


def _djmodel_probe(djmodel, Tx, n_values, n_a, seed, m):
    """The learner's training model built from the check's layers, described, and run on seeded inputs."""
    lstm_cell, densor, reshaper = _layers(seed, n_values, n_a)
    model = djmodel(Tx, lstm_cell, densor, reshaper)
    info = _describe_model(model, (lstm_cell, densor))
    if info["is_model"] and len(info["inputs"]) == 3:
        info.update(_run(model, list(_training_inputs(seed, m, Tx, n_values, n_a))))
    return info


def _inference_probe(music_inference_model, Ty, n_values, n_a, seed, m):
    """The learner's generating model built from the check's layers, described, and run."""
    lstm_cell, densor, _ = _layers(seed, n_values, n_a)
    model = music_inference_model(lstm_cell, densor, Ty)
    info = _describe_model(model, (lstm_cell, densor))
    if info["is_model"] and len(info["inputs"]) == 3:
        info.update(_run(model, list(_generating_inputs(seed, m, n_values, n_a))))
    return info


def _reference_generator(lstm_cell, densor, Ty):
    """The check's own generating model (argmax fed back as a one-hot vector), for predict_and_sample."""
    import keras

    n_values, n_a = densor.units, lstm_cell.units
    x = x0 = keras.Input((1, n_values), name="check_x0")
    a = a0 = keras.Input((n_a,), name="check_a0")
    c = c0 = keras.Input((n_a,), name="check_c0")
    outputs = []
    for _ in range(Ty):
        _, a, c = lstm_cell(x, initial_state=[a, c])
        y = densor(a)
        outputs.append(y)
        x = keras.ops.expand_dims(keras.ops.one_hot(keras.ops.argmax(y, axis=1), n_values), 1)
    return keras.Model([x0, a0, c0], outputs, name="check_generator")


def _sample_probe(predict_and_sample, Ty, n_values, n_a, seed, x_initializer, a_initializer, c_initializer):
    """The learner's predict_and_sample run with the check's generating model; its result as data."""
    lstm_cell, densor, _ = _layers(seed, n_values, n_a, cycle=True)
    result = predict_and_sample(
        _reference_generator(lstm_cell, densor, Ty), x_initializer, a_initializer, c_initializer
    )
    if isinstance(result, (list, tuple)):
        return [np.asarray(r) if hasattr(r, "shape") else r for r in result]
    return np.asarray(result) if hasattr(result, "shape") else result


# ----- shared parts of the two model checks ----------------------------------------------------


def _structure(ck: Check, info: dict, inputs: list, n_out: int, n_values: int, n_a: int, steps: str) -> None:
    """The model, its inputs, its outputs and its weights: the first thing wrong, said plainly."""
    ck.that(
        info.get("is_model"),
        f"should return a keras.Model, got {info.get('got')}.",
        "Did you forget `return model`, or return the list of outputs instead of the Model?",
    )
    names = "[X, a0, c0]" if inputs[0][1] != 1 else "[x0, a0, c0]"
    ck.that(
        info["inputs"] == inputs,
        f"the model's inputs have shapes {info['inputs']}; expected {inputs} ({names}, -1 is the batch).",
        f"Give keras.Model the inputs in the order {names}, with shapes as the exercise says.",
    )
    got_out = info["outputs"]
    if len(got_out) != n_out:
        hint = "Append densor(a) to `outputs` at every step and pass the whole list: outputs=outputs."
        if len(got_out) == 1 and got_out[0][1:] == [n_out, n_values]:
            hint = "One output per time step is asked: a list of tensors, not one stacked tensor."
        ck.fail(
            f"the model has {len(got_out)} output(s); expected {n_out}, one per time step ({steps}).", hint
        )
    bad = [s for s in got_out if s != [-1, n_values]]
    if bad:
        hint = "Each output is densor(a): the softmax over the values, for each example."
        if bad[0][0] != -1:
            hint = (
                "The batch size became fixed: an argmax over axis 0 (the examples)? The most likely value "
                "of each example is the argmax over the values' axis, axis=-1."
            )
        ck.fail(
            f"an output has shape {bad[0]}; expected {[-1, n_values]} at every step (batch, n_values).", hint
        )
    expected_params = 4 * n_a * (n_values + n_a + 1) + n_a * n_values + n_values
    if info["n_weights"] != 5 or info["own"] != 5:
        hint = (
            "Call the lstm_cell and densor you are given at every step; creating a new LSTM or Dense "
            "layer inside the loop gives every step weights of its own, so nothing is shared."
        )
        ck.fail(
            f"the weights are not shared: the model holds {info['n_weights']} weight tensors "
            f"({info['params']:,} parameters), {info['own']} of them the given layers'; expected the "
            f"5 tensors of lstm_cell and densor ({expected_params:,} parameters), used at every step.",
            hint,
        )
    if "error" in info:
        ck.fail(f"the model could not be run on inputs {names}: {info['error']}")


# ----- the exercises ------------------------------------------------------------------------


@exercise(
    params=("Tx", "lstm_cell", "densor", "reshaper"),
    hints=[
        "At step t: x = reshaper(X[:, t, :]); _, a, c = lstm_cell(x, initial_state=[a, c]); "
        "outputs.append(densor(a)). The new a and c are the state of the next step."
    ],
)
def djmodel(ck: Check) -> None:
    cases = ck.pick([(4, 6, 5, 3)], [(3, 9, 4, 2), (6, 5, 7, 4)])
    for k, (Tx, n_values, n_a, m) in enumerate(cases):
        seed = ck.seed_base + k
        with ck.case(f"Tx={Tx}, n_values={n_values}, n_a={n_a}, m={m}, seed {seed}"):
            info = ck.in_kernel(_djmodel_probe, Tx, n_values, n_a, seed, m)
            inputs = [[-1, Tx, n_values], [-1, n_a], [-1, n_a]]
            _structure(ck, info, inputs, Tx, n_values, n_a, f"Tx={Tx}")
            W = _weights(seed, n_values, n_a)
            X, a0, c0 = _training_inputs(seed, m, Tx, n_values, n_a)
            ck.array(
                info["out"],
                unroll(W, X, a0, c0),
                what="the outputs on seeded inputs, stacked as (Tx, m, n_values)",
                rtol=1e-4,
                atol=2e-5,
                mistakes={
                    "Every step starts again from a0 and c0: hand the new state on, "
                    "`_, a, c = lstm_cell(x, initial_state=[a, c])`.": unroll(W, X, a0, c0, "no_state"),
                    "Every step reads the values of step 0: take X[:, t, :] at step t.": unroll(
                        W, X, a0, c0, "first_step"
                    ),
                    "The LSTM returns [output, a, c] and output is a again: `a, c, _ = ...` puts a where the "
                    "memory cell c belongs. Unpack `_, a, c = lstm_cell(...)`.": unroll(
                        W, X, a0, c0, "h_as_c"
                    ),
                },
            )


@exercise(
    params=("lstm_cell", "densor", "Ty"),
    hints=[
        "At each step: _, a, c = lstm_cell(x, initial_state=[a, c]); out = densor(a); then the next x is "
        "RepeatVector(1)(one_hot(argmax(out, axis=-1), n_values))."
    ],
)
def music_inference_model(ck: Check) -> None:
    cases = ck.pick([(5, 7, 4, 3)], [(3, 10, 6, 2), (7, 5, 3, 4)])
    for k, (Ty, n_values, n_a, m) in enumerate(cases):
        seed = ck.seed_base + k
        with ck.case(f"Ty={Ty}, n_values={n_values}, n_a={n_a}, m={m}, seed {seed}"):
            info = ck.in_kernel(_inference_probe, Ty, n_values, n_a, seed, m)
            inputs = [[-1, 1, n_values], [-1, n_a], [-1, n_a]]
            _structure(ck, info, inputs, Ty, n_values, n_a, f"Ty={Ty}")
            W = _weights(seed, n_values, n_a)
            x0, a0, c0 = _generating_inputs(seed, m, n_values, n_a)
            ck.array(
                info["out"],
                generate(W, x0, a0, c0, Ty),
                what="the outputs on seeded inputs, stacked as (Ty, m, n_values)",
                rtol=1e-4,
                atol=2e-5,
                mistakes={
                    "You fed the probabilities back: the next input is the one-hot vector of the most likely "
                    "value, one_hot(argmax(out, axis=-1), n_values).": generate(
                        W, x0, a0, c0, Ty, "probabilities"
                    ),
                    "Every step reads x0: set x to the new one-hot input at the end of each step.": generate(
                        W, x0, a0, c0, Ty, "x0_always"
                    ),
                    "Every step starts again from a0 and c0: hand the new state on, "
                    "`_, a, c = lstm_cell(x, initial_state=[a, c])`.": generate(
                        W, x0, a0, c0, Ty, "no_state"
                    ),
                },
            )


@exercise(
    params=("inference_model", "x_initializer", "a_initializer", "c_initializer"),
    hints=[
        "Stack the Ty predictions of shape (1, n_values) into (Ty, 1, n_values); argmax over the last axis "
        "gives indices (Ty, 1); to_categorical(indices[:, 0], num_classes=n_values) gives (Ty, n_values)."
    ],
)
def predict_and_sample(ck: Check) -> None:
    cases = ck.pick([(6, 8, 5)], [(4, 11, 4), (9, 6, 7)])
    for k, (Ty, n_values, n_a) in enumerate(cases):
        seed = ck.seed_base + k
        with ck.case(f"Ty={Ty}, n_values={n_values}, n_a={n_a}, seed {seed}"):
            x0, a0, c0 = _generating_inputs(seed, 1, n_values, n_a)
            got = ck.in_kernel(_sample_probe, Ty, n_values, n_a, seed, x0, a0, c0)
            results, indices = ck.returns(got, "results, indices")
            W = _weights(seed, n_values, n_a, cycle=True)
            probabilities = generate(W, x0, a0, c0, Ty)[:, 0]  # (Ty, n_values)
            wanted = probabilities.argmax(axis=-1)
            _indices(ck, indices, results, wanted, probabilities.argmin(axis=-1), Ty, n_values)
            one_hot = np.eye(n_values, dtype=np.float32)[wanted]
            arr = np.asarray(results) if hasattr(results, "shape") else results
            if hasattr(arr, "shape") and tuple(arr.shape) != (Ty, n_values):
                hint = None
                if tuple(arr.shape) == (Ty, 1, n_values):
                    hint = (
                        "Drop the batch axis of size 1: one-hot encode indices[:, 0], giving (Ty, n_values)."
                    )
                elif tuple(arr.shape) == (n_values, Ty):
                    hint = "The time axis is in the wrong place: results is (Ty, n_values), one row per step."
                elif len(arr.shape) == 2 and arr.shape[0] == Ty and arr.shape[1] < n_values:
                    hint = (
                        "to_categorical guessed the number of classes from the largest index: "
                        "pass num_classes=n_values."
                    )
                ck.fail(
                    f"results has shape {tuple(arr.shape)}; expected {(Ty, n_values)} (Ty, n_values).", hint
                )
            ck.array(results, one_hot, what="results (the one-hot values)", atol=1e-6)


def _indices(
    ck: Check, indices, results, wanted: np.ndarray, least: np.ndarray, Ty: int, n_values: int
) -> None:
    """indices: shape (Ty, 1), integers, the argmax at each step."""
    if hasattr(indices, "shape") and tuple(indices.shape) == (Ty, n_values) and np.ndim(results) == 2:
        if tuple(np.shape(results)) == (Ty, 1):
            ck.fail(
                "the two results are swapped: the first has shape (Ty, n_values), the second (Ty, 1).",
                "Return `results, indices`, in that order.",
            )
    arr = ck.shape(
        indices,
        (Ty, 1),
        what="indices",
        hint=_indices_hint(indices, Ty, n_values),
    )
    ck.that(
        arr.dtype.kind in "iu",
        f"indices has dtype {arr.dtype}; expected integers (the positions of the most likely values).",
        "np.argmax returns integers: keep them as they are.",
    )
    ck.array(
        arr,
        wanted[:, None],
        what="indices (the most likely value at each step)",
        dtype_kind="iu",
        mistakes={"These are the least likely values: argmax, not argmin.": least[:, None]},
    )


def _indices_hint(indices, Ty: int, n_values: int) -> str | None:
    shape = tuple(getattr(indices, "shape", ()))
    if shape == (1, Ty):
        return (
            "The time axis is in the wrong place: indices is (1, Ty), expected (Ty, 1), one row per step "
            "(stack the predictions along axis 0, the time axis)."
        )
    if shape == (1, n_values):
        return (
            "You took the argmax over the time axis (axis 0): the most likely value is the argmax over "
            "the values' axis, axis=-1."
        )
    if shape == (Ty,):
        return (
            "Keep the batch axis: indices has shape (Ty, 1) (np.argmax(..., axis=-1) of (Ty, 1, n_values))."
        )
    if shape == ():
        return "np.argmax without an axis flattens everything: give axis=-1."
    return None

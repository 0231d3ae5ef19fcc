"""Checks for course 5, notebook 7: neural machine translation of dates with attention.

Oracle: the translator's equations in NumPy (float64), :mod:`shared_utils.course5.translation`'s
building blocks (``lstm_step``, ``encode_bidirectional``, ``scores``, ``softmax``), fed the same
seeded weights the probes give the Keras layers. For an attention step: the energies of every
input position (``scores``: additive ``v . tanh(W [a_t; s] + b) + b_v``, dot ``a_t . s``, general
``a_t . (W s)``), their softmax over the input positions, the weighted sum of ``a``. For the model:
the Bidirectional LSTM's states (forward, and backward over the reversed sequence), then ``Ty``
decoder steps, each an attention step, one LSTM step from the previous state and a softmax.
These are the equations, not a copy of the notebook's Keras code. The same computation with
one thing changed (the softmax over the last axis, no softmax, the concatenation the other way
round, the decoder's state not handed on, ...) gives the values of the known mistakes, which the
mistakes tables recognise.

The exercises take live Keras layers, which cannot be sent to the kernel when grading: the
probes (run by :meth:`Check.in_kernel`) build the layers there from a seed and sizes (named
``check_...``), call the learner's function, and return data: shapes, how many weight tensors
the result holds and how many are the given layers', and the outputs on seeded inputs.
``modelf`` is given the probe's own attention step (:func:`_probe_attention`, the additive
score written with ``keras.ops``), so that its check does not depend on exercise 1.
"""

from __future__ import annotations

import numpy as np
from scipy.special import softmax

from shared_utils.course5.translation import encode_bidirectional, lstm_step, scores, shared_layers
from shared_utils.engine.checking import Check, _describe, exercise

N_Y = 5  # output symbols of the check's models


def _rng(seed: int, salt: int) -> np.random.Generator:
    return np.random.default_rng(71000 + 131 * seed + salt)


# ----- seeded weights and inputs ---------------------------------------------------------------


def _attention_weights(seed: int, n_a: int, n_s: int, units: int) -> list[np.ndarray]:
    """densor1 kernel (2 n_a + n_s, units), bias; densor2 kernel (units, 1), bias; general (n_s, 2 n_a)."""
    rng = _rng(seed, 1)
    shapes = [(2 * n_a + n_s, units), (units,), (units, 1), (1,), (n_s, 2 * n_a)]
    scales = [0.9, 0.3, 1.2, 0.3, 0.8]
    return [rng.normal(0, s, size=shape).astype("float32") for shape, s in zip(shapes, scales)]


def _model_weights(seed: int, n_x: int, n_a: int, n_s: int, units: int) -> list[np.ndarray]:
    """The additive translator's 15 tensors in the order of translation.ordered_weights."""
    rng = _rng(seed, 2)
    encoder = []
    for _ in range(2):  # forward, backward
        encoder += [
            rng.normal(0, 0.7, size=(n_x, 4 * n_a)),
            rng.normal(0, 0.5, size=(n_a, 4 * n_a)),
            rng.normal(0, 0.3, size=(4 * n_a,)),
        ]
    attention = _attention_weights(seed, n_a, n_s, units)[:4]
    decoder = [
        rng.normal(0, 0.7, size=(2 * n_a, 4 * n_s)),
        rng.normal(0, 0.5, size=(n_s, 4 * n_s)),
        rng.normal(0, 0.3, size=(4 * n_s,)),
        rng.normal(0, 1.5, size=(n_s, N_Y)),
        rng.normal(0, 0.3, size=(N_Y,)),
    ]
    return [np.asarray(w, dtype="float32") for w in encoder + attention + decoder]


def _step_inputs(seed: int, m: int, Tx: int, n_a: int, n_s: int):
    rng = _rng(seed, 3)
    a = rng.normal(0, 1.0, size=(m, Tx, 2 * n_a)).astype("float32")
    s = rng.normal(0, 1.0, size=(m, n_s)).astype("float32")
    return a, s


def _model_inputs(seed: int, m: int, Tx: int, n_x: int, n_s: int):
    rng = _rng(seed, 4)
    X = np.eye(n_x, dtype="float32")[rng.integers(0, n_x, size=(m, Tx))]
    s0 = rng.normal(0, 0.5, size=(m, n_s)).astype("float32")
    c0 = rng.normal(0, 0.5, size=(m, n_s)).astype("float32")
    return X, s0, c0


# ----- the NumPy oracle ------------------------------------------------------------------------


def context(a, s, weights, score: str, mistake: str = "") -> np.ndarray:
    """One attention step in float64: (m, 1, 2 n_a); ``mistake`` names a known one."""
    a, s = np.asarray(a, np.float64), np.asarray(s, np.float64)
    w = [np.asarray(v, np.float64) for v in weights]
    if mistake == "swapped":  # [s_prev, a]: the kernel's rows meet the other inputs
        d = a.shape[-1]
        W1 = np.concatenate([w[0][-d:], w[0][:-d]])  # so that [a; s] W1' = [s; a] W1
        w = [W1, *w[1:]]
    if mistake == "general_as_dot":
        e = scores(a, s, [], "dot")
    elif mistake == "general_on_a":
        e = np.einsum("mtd,md->mt", a @ w[0], s)  # Dense(general) applied to a
    else:
        e = scores(a, s, w, score)
    if mistake == "scaled":
        e = e / np.sqrt(a.shape[-1])
    if mistake == "last_axis":
        alpha = np.ones_like(e)  # a softmax over an axis of size 1
    elif mistake == "no_softmax":
        alpha = e
    else:
        alpha = softmax(e, axis=1)
    return np.einsum("mt,mtd->md", alpha, a)[:, None, :]


def translate(X, s0, c0, weights, Ty: int, mistake: str = "") -> np.ndarray:
    """The additive translator's outputs in float64, (Ty, m, N_Y); ``mistake`` names a known one."""
    w = [np.asarray(v, np.float64) for v in weights]
    a = encode_bidirectional(X, w[:6])
    kernel, recurrent, bias, Wy, by = w[10:]
    s, c = np.asarray(s0, np.float64), np.asarray(c0, np.float64)
    outs = []
    for _ in range(Ty):
        query = np.asarray(s0, np.float64) if mistake == "attention_s0" else s
        ctx = context(a, query, w[6:10], "additive")[:, 0]
        if mistake == "no_state":
            s, c = np.asarray(s0, np.float64), np.asarray(c0, np.float64)
        new_s, new_c = lstm_step(ctx, s, c, kernel, recurrent, bias)
        if mistake == "c_not_passed":
            new_c = np.asarray(c0, np.float64)
        s, c = new_s, new_c
        outs.append(softmax(s @ Wy + by, axis=-1))
    return np.stack(outs)


# ----- probes: run where the learner's function lives ------------------------------------------


def _shape(shape) -> list[int]:
    return [-1 if d is None else int(d) for d in shape]


def _check_layers(seed: int, Tx: int, n_a: int, n_s: int, units: int, built: bool = True):
    """The check's own shared layers; the attention layers built with seeded weights."""
    layers = shared_layers(Tx, n_a, n_s, N_Y, dense_units=units, prefix="check_")
    if built:
        W = _attention_weights(seed, n_a, n_s, units)
        layers.densor1.build((None, Tx, 2 * n_a + n_s))
        layers.densor2.build((None, Tx, units))
        layers.general.build((None, n_s))
        layers.densor1.set_weights(W[:2])
        layers.densor2.set_weights(W[2:4])
        layers.general.set_weights(W[4:])
    return layers


def _step_probe(fn, score, m, Tx, n_a, n_s, units, seed):
    """The learner's attention step wrapped in a model of the check's inputs, described and run."""
    import keras

    layers = _check_layers(seed, Tx, n_a, n_s, units)
    a_in = keras.Input((Tx, 2 * n_a), name="check_a")
    s_in = keras.Input((n_s,), name="check_s_prev")
    args = (a_in, s_in, layers) if score is None else (a_in, s_in, layers, score)
    out = fn(*args)
    if not isinstance(out, keras.KerasTensor):
        return {"tensor": False, "got": _describe(out)}
    model = keras.Model([a_in, s_in], out)
    own = [v for layer in (layers.densor1, layers.densor2, layers.general) for v in layer.weights]
    info = {
        "tensor": True,
        "shape": _shape(out.shape),
        "n_weights": len(model.weights),
        "own": sum(any(v is w for w in own) for v in model.weights),
    }
    a, s = _step_inputs(seed, m, Tx, n_a, n_s)
    info["out"] = np.asarray(model([a, s]), dtype=np.float32)
    return info


def _probe_attention(a, s_prev, layers):
    """The probe's additive attention step, written with keras.ops (given to the learner's modelf)."""
    import keras

    repeated = keras.ops.repeat(keras.ops.expand_dims(s_prev, 1), a.shape[1], axis=1)
    energies = layers.densor2(layers.densor1(keras.ops.concatenate([a, repeated], axis=-1)))
    return keras.ops.sum(keras.ops.softmax(energies, axis=1) * a, axis=1, keepdims=True)


def _modelf_probe(modelf, Tx, Ty, n_a, n_s, n_x, units, seed, m):
    """The learner's model built from the check's layers, seeded, described and run."""
    import keras

    layers = _check_layers(seed, Tx, n_a, n_s, units, built=False)
    model = modelf(Tx, Ty, n_a, n_s, n_x, layers, _probe_attention)
    if not isinstance(model, keras.Model):
        return {"is_model": False, "got": _describe(model)}
    shared = [layers.densor1, layers.densor2, layers.post_activation_LSTM_cell, layers.output_layer]
    own = [v for layer in shared for v in layer.weights]
    bidirectional = [layer for layer in model.layers if isinstance(layer, keras.layers.Bidirectional)]
    recurrent = [layer for layer in model.layers if isinstance(layer, keras.layers.RNN)]
    info = {
        "is_model": True,
        "inputs": [_shape(i.shape) for i in model.inputs],
        "outputs": [_shape(o.shape) for o in model.outputs],
        "bidirectional": len(bidirectional),
        "plain_rnn": [
            type(layer).__name__ for layer in recurrent if layer is not layers.post_activation_LSTM_cell
        ],
        "n_weights": len(model.weights),
        "own": sum(any(v is w for w in own) for v in model.weights),
    }
    if len(bidirectional) != 1 or info["n_weights"] != 15 or info["own"] != 9 or len(model.inputs) != 3:
        return info
    variables = list(bidirectional[0].weights) + own
    W = _model_weights(seed, n_x, n_a, n_s, units)
    bad = [
        (v.path, _shape(v.shape), list(w.shape)) for v, w in zip(variables, W) if tuple(v.shape) != w.shape
    ]
    if bad:
        info["bad_weight"] = bad[0]
        return info
    for v, w in zip(variables, W):
        v.assign(w)
    try:
        out = model(list(_model_inputs(seed, m, Tx, n_x, n_s)))
    except Exception as exc:  # the model cannot be called on these inputs
        info["error"] = f"{type(exc).__name__}: {str(exc)[:400]}"
        return info
    outs = out if isinstance(out, (list, tuple)) else [out]
    info["out"] = np.stack([np.asarray(o, dtype=np.float32) for o in outs])
    return info


# ----- shared parts of the two attention-step checks -------------------------------------------


def _step_result(ck: Check, info: dict, m: int, n_a: int, Tx: int, n_own: int) -> np.ndarray:
    """The step's output: a tensor of shape (m, 1, 2 n_a) made with the given layers only."""
    ck.that(
        info.get("tensor"),
        f"should return the context, a Keras tensor of shape (None, 1, {2 * n_a}); got {info.get('got')}.",
        "Did you forget `return context`? Build it with the given layers (or keras.ops), not NumPy.",
    )
    shape = info["shape"]
    want = [-1, 1, 2 * n_a]
    if shape != want:
        hint = None
        if shape == [-1, Tx, 1]:
            hint = (
                "That is the shape of the attention weights: return layers.dotor([alphas, a]), the context."
            )
        elif shape == [-1, 2 * n_a]:
            hint = (
                "The context keeps an axis of length 1 for the decoder's LSTM: (m, 1, 2 n_a). "
                "layers.dotor([alphas, a]) gives it; a sum over axis 1 needs keepdims=True."
            )
        elif shape == [-1, Tx, 2 * n_a]:
            hint = (
                "The weighted states were not summed over the input positions: use layers.dotor([alphas, a])."
            )
        ck.fail(f"the context has shape {shape}; expected {want} (batch, 1, 2 n_a).", hint)
    if info["n_weights"] != info["own"] or info["own"] > n_own:  # fewer: the values will say which
        ck.fail(
            f"the step holds {info['n_weights']} weight tensors, {info['own']} of them the given layers'; "
            f"expected {n_own}, all of the given layers.",
            "Use the layers in `layers`: a layer created inside the function gets new weights at every "
            "step, which the model could not share (nor load the trained weights into).",
        )
    return info["out"]


_LAST_AXIS = (
    "The softmax was taken over the last axis, which has size 1 here: every weight is 1 and the context "
    "is the plain sum of the states. Take it over the input positions, axis 1 (layers.activator does)."
)
_NO_SOFTMAX = "The energies were used as weights: turn them into alphas with the softmax, layers.activator."


# ----- the exercises ------------------------------------------------------------------------


@exercise(
    params=("a", "s_prev", "layers"),
    hints=[
        "repeator(s_prev) -> concatenator([a, repeated]) -> densor1 -> densor2 -> activator (softmax over "
        "axis 1) -> dotor([alphas, a])."
    ],
)
def one_step_attention(ck: Check) -> None:
    cases = ck.pick([(3, 5, 2, 3, 4)], [(2, 7, 3, 5, 6), (4, 4, 1, 2, 3)])
    for k, (m, Tx, n_a, n_s, units) in enumerate(cases):
        seed = ck.seed_base + k
        with ck.case(f"m={m}, Tx={Tx}, n_a={n_a}, n_s={n_s}, densor1 units={units}, seed {seed}"):
            info = ck.in_kernel(_step_probe, None, m, Tx, n_a, n_s, units, seed)
            got = _step_result(ck, info, m, n_a, Tx, 4)
            a, s = _step_inputs(seed, m, Tx, n_a, n_s)
            W = _attention_weights(seed, n_a, n_s, units)[:4]
            ck.array(
                got,
                context(a, s, W, "additive"),
                what="the context on seeded inputs",
                rtol=1e-4,
                atol=1e-5,
                mistakes={
                    _LAST_AXIS: context(a, s, W, "additive", "last_axis"),
                    _NO_SOFTMAX: context(a, s, W, "additive", "no_softmax"),
                    "The concatenation is the other way round: [a, repeated s_prev], a first (the trained "
                    "weights expect this order).": context(a, s, W, "additive", "swapped"),
                },
            )


@exercise(
    params=("Tx", "Ty", "n_a", "n_s", "human_vocab_size", "layers", "attention"),
    hints=[
        "a = Bidirectional(LSTM(n_a, return_sequences=True))(X); then at each of the Ty steps: context = "
        "attention(a, s, layers); _, s, c = post_activation_LSTM_cell(context, initial_state=[s, c]); "
        "outputs.append(output_layer(s))."
    ],
)
def modelf(ck: Check) -> None:
    cases = ck.pick([(5, 3, 2, 3, 6, 4, 3)], [(4, 5, 3, 2, 7, 3, 2), (6, 2, 1, 4, 5, 5, 4)])
    for k, (Tx, Ty, n_a, n_s, n_x, units, m) in enumerate(cases):
        seed = ck.seed_base + k
        with ck.case(f"Tx={Tx}, Ty={Ty}, n_a={n_a}, n_s={n_s}, human_vocab_size={n_x}, seed {seed}"):
            info = ck.in_kernel(_modelf_probe, Tx, Ty, n_a, n_s, n_x, units, seed, m)
            _model_structure(ck, info, Tx, Ty, n_a, n_s, n_x)
            W = _model_weights(seed, n_x, n_a, n_s, units)
            X, s0, c0 = _model_inputs(seed, m, Tx, n_x, n_s)
            ck.array(
                info["out"],
                translate(X, s0, c0, W, Ty),
                what="the outputs on seeded inputs and weights, stacked as (Ty, m, machine_vocab_size)",
                rtol=1e-4,
                atol=2e-5,
                mistakes={
                    "Every step starts again from s0 and c0: hand the decoder's new state on, "
                    "`_, s, c = layers.post_activation_LSTM_cell(context, initial_state=[s, c])`.": translate(
                        X, s0, c0, W, Ty, "no_state"
                    ),
                    "The memory cell is not handed on: keep the new c too, `_, s, c = ...`.": translate(
                        X, s0, c0, W, Ty, "c_not_passed"
                    ),
                    "Every step attends with s0: give the attention the previous step's state s.": translate(
                        X, s0, c0, W, Ty, "attention_s0"
                    ),
                },
            )


def _model_structure(ck: Check, info: dict, Tx: int, Ty: int, n_a: int, n_s: int, n_x: int) -> None:
    """The model, its inputs, outputs, encoder and weights: the first thing wrong, said plainly."""
    ck.that(
        info.get("is_model"),
        f"should return a keras.Model, got {info.get('got')}.",
        "Did you forget `return model`, or return the list of outputs instead of the Model?",
    )
    inputs = [[-1, Tx, n_x], [-1, n_s], [-1, n_s]]
    ck.that(
        info["inputs"] == inputs,
        f"the model's inputs have shapes {info['inputs']}; expected {inputs} ([X, s0, c0], -1 is the batch).",
        "Give keras.Model the inputs in the order [X, s0, c0], with shapes as the exercise says.",
    )
    if info["bidirectional"] != 1:
        hint = (
            "Wrap the encoder's LSTM once: "
            "keras.layers.Bidirectional(keras.layers.LSTM(n_a, return_sequences=True))."
        )
        if info["bidirectional"] == 0 and info["plain_rnn"]:
            hint = (
                f"The encoder is a plain {info['plain_rnn'][0]}, which reads the date one way only: wrap it "
                "in keras.layers.Bidirectional, so that each a_t knows what comes before and after it."
            )
        ck.fail(
            f"the model holds {info['bidirectional']} Bidirectional layer(s); expected one, the encoder.",
            hint,
        )
    got_out = info["outputs"]
    if len(got_out) != Ty:
        hint = "Append layers.output_layer(s) at every step and pass the whole list: outputs=outputs."
        if len(got_out) == 1 and got_out[0][1:] == [Ty, N_Y]:
            hint = "One output per step is asked: a list of tensors, not one stacked tensor."
        ck.fail(
            f"the model has {len(got_out)} output(s); expected {Ty}, one per output character (Ty={Ty}).",
            hint,
        )
    bad = [s for s in got_out if s != [-1, N_Y]]
    if bad:
        hint = "Each output is layers.output_layer(s), from the decoder's new state s (m, n_s)."
        if len(bad[0]) == 3:
            hint = (
                "An output keeps the axis of length 1 of the context: apply layers.output_layer to the "
                "LSTM's new state s, not to the context."
            )
        ck.fail(f"an output has shape {bad[0]}; expected {[-1, N_Y]} (batch, machine_vocab_size).", hint)
    if info["n_weights"] != 15 or info["own"] != 9:
        ck.fail(
            f"the model holds {info['n_weights']} weight tensors, {info['own']} of them the given layers'; "
            "expected 15: the encoder's 6 and the 9 of densor1, densor2, post_activation_LSTM_cell and "
            "output_layer, used at every step.",
            "Call the layers in `layers` at every step and create only the encoder: a layer created in the "
            "loop gives every step weights of its own.",
        )
    if "bad_weight" in info:
        path, have, want = info["bad_weight"]
        ck.fail(
            f"the weight {path} has shape {have}; expected {want}.",
            f"The encoder is Bidirectional(LSTM(n_a, return_sequences=True)) with n_a={n_a} units each way, "
            "its two directions concatenated (the default merge_mode).",
        )
    if "error" in info:
        ck.fail(f"the model could not be run on inputs [X, s0, c0]: {info['error']}")


@exercise(
    params=("a", "s_prev", "layers", "score"),
    hints=[
        'query = s_prev ("dot") or layers.general(s_prev) ("general"); energies = the dot product of each '
        "a_t with the query, (m, Tx, 1); alphas = layers.activator(energies); "
        "context = layers.dotor([alphas, a])."
    ],
)
def one_step_attention_luong(ck: Check) -> None:
    cases = ck.pick(
        [("dot", 3, 5, 2, 4), ("general", 3, 5, 2, 4)],
        [("general", 2, 6, 3, 5), ("dot", 4, 3, 1, 2), ("general", 2, 4, 3, 6)],
    )
    for k, (score, m, Tx, n_a, n_s) in enumerate(cases):
        seed = ck.seed_base + k
        with ck.case(f'score="{score}", m={m}, Tx={Tx}, n_a={n_a}, n_s={n_s}, seed {seed}'):
            info = ck.in_kernel(_step_probe, score, m, Tx, n_a, n_s, 3, seed)
            got = _step_result(ck, info, m, n_a, Tx, 0 if score == "dot" else 1)
            a, s = _step_inputs(seed, m, Tx, n_a, n_s)
            W = _attention_weights(seed, n_a, n_s, 3)[4:]
            mistakes = {
                _LAST_AXIS: context(a, s, W, score, "last_axis"),
                _NO_SOFTMAX: context(a, s, W, score, "no_softmax"),
                "Luong's scores are not scaled: the division by sqrt(d) belongs to the Transformer's "
                "scaled dot-product attention.": context(a, s, W, score, "scaled"),
            }
            if score == "general" and n_s == 2 * n_a:
                mistakes['For score="general" the query is layers.general(s_prev), not s_prev itself.'] = (
                    context(a, s, W, score, "general_as_dot")
                )
                mistakes["W multiplies the decoder's state s_prev, not the encoder's states a."] = context(
                    a, s, W, score, "general_on_a"
                )
            ck.array(
                got,
                context(a, s, W, score),
                what="the context on seeded inputs",
                rtol=1e-4,
                atol=1e-5,
                mistakes=mistakes,
            )

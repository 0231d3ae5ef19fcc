"""Plausible mistakes for course5_sequence/03_music_generation."""

import keras
import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- djmodel ---------------------------------------------------------------------------------

edit = wrong.edits("djmodel")
edit(
    "djmodel_state_not_passed",
    "_, a, c = lstm_cell(x, initial_state=[a, c])",
    "_, a, c = lstm_cell(x, initial_state=[a0, c0])",
    expect="Every step starts again from a0 and c0",
)
edit(
    "djmodel_wrong_unpacking",
    "_, a, c = lstm_cell(x, initial_state=[a, c])",
    "a, c, _ = lstm_cell(x, initial_state=[a, c])",
    expect="puts a where the memory cell c belongs",
)
edit(
    "djmodel_step_zero_only",
    "x = reshaper(X[:, t, :])",
    "x = reshaper(X[:, 0, :])",
    expect="Every step reads the values of step 0",
)
edit(
    "djmodel_last_output_only",
    "outputs=outputs,",
    "outputs=outputs[-1],",
    expect="the model has 1 output(s); expected",
)


@wrong("djmodel", expect="the weights are not shared")
def djmodel_new_lstm_per_step(Tx, lstm_cell, densor, reshaper):
    n_values, n_a = densor.units, lstm_cell.units
    X = keras.Input(shape=(Tx, n_values))
    a0 = keras.Input(shape=(n_a,))
    c0 = keras.Input(shape=(n_a,))
    a, c = a0, c0
    outputs = []
    for t in range(Tx):
        x = reshaper(X[:, t, :])
        _, a, c = keras.layers.LSTM(n_a, return_state=True)(x, initial_state=[a, c])
        outputs.append(densor(a))
    return keras.Model(inputs=[X, a0, c0], outputs=outputs)


@wrong("djmodel", expect="the model's inputs have shapes")
def djmodel_inputs_in_another_order(Tx, lstm_cell, densor, reshaper):
    n_values, n_a = densor.units, lstm_cell.units
    X = keras.Input(shape=(Tx, n_values))
    a0 = keras.Input(shape=(n_a,))
    c0 = keras.Input(shape=(n_a,))
    a, c = a0, c0
    outputs = []
    for t in range(Tx):
        _, a, c = lstm_cell(reshaper(X[:, t, :]), initial_state=[a, c])
        outputs.append(densor(a))
    return keras.Model(inputs=[a0, c0, X], outputs=outputs)


@wrong("djmodel", expect="should return a keras.Model")
def djmodel_returns_outputs(Tx, lstm_cell, densor, reshaper):
    n_values, n_a = densor.units, lstm_cell.units
    X = keras.Input(shape=(Tx, n_values))
    a, c = keras.Input(shape=(n_a,)), keras.Input(shape=(n_a,))
    outputs = []
    for t in range(Tx):
        _, a, c = lstm_cell(reshaper(X[:, t, :]), initial_state=[a, c])
        outputs.append(densor(a))
    return outputs


# ----- music_inference_model ---------------------------------------------------------------------

edit = wrong.edits("music_inference_model")
edit(
    "inference_feeds_probabilities",
    "x = keras.ops.one_hot(keras.ops.argmax(out, axis=-1), n_values)",
    "x = out",
    expect="You fed the probabilities back",
)
edit(
    "inference_never_updates_x",
    [
        (
            "x = keras.ops.one_hot(keras.ops.argmax(out, axis=-1), n_values)",
            "nxt = keras.ops.one_hot(keras.ops.argmax(out, axis=-1), n_values)",
        ),
        ("x = keras.layers.RepeatVector(1)(x)", "nxt = keras.layers.RepeatVector(1)(nxt)"),
    ],
    expect="Every step reads x0",
)
edit(
    "inference_state_not_passed",
    "_, a, c = lstm_cell(x, initial_state=[a, c])",
    "_, a, c = lstm_cell(x, initial_state=[a0, c0])",
    expect="Every step starts again from a0 and c0",
)
edit(
    "inference_one_step_short",
    "for t in range(Ty):",
    "for t in range(Ty - 1):",
    expect="output(s); expected",
)
edit(
    "inference_argmax_over_batch",
    "keras.ops.argmax(out, axis=-1)",
    "keras.ops.argmax(out, axis=0)",
    expect="an argmax over axis 0 (the examples)?",
)


# ----- predict_and_sample ----------------------------------------------------------------------

edit = wrong.edits("predict_and_sample")
edit(
    "sample_argmax_over_time",
    "indices = np.argmax(probabilities, axis=-1)",
    "indices = np.argmax(probabilities, axis=0)",
    expect="You took the argmax over the time axis",
)
edit(
    "sample_no_num_classes",
    "keras.utils.to_categorical(indices[:, 0], num_classes=n_values)",
    "keras.utils.to_categorical(indices[:, 0])",
    expect="pass num_classes=n_values",
)
edit(
    "sample_time_axis_last",
    "indices = np.argmax(probabilities, axis=-1)  # (Ty, 1)",
    "indices = np.argmax(probabilities, axis=-1).T",
    expect="The time axis is in the wrong place",
)
edit(
    "sample_argmin",
    "indices = np.argmax(probabilities, axis=-1)",
    "indices = np.argmin(probabilities, axis=-1)",
    expect="argmax, not argmin",
)


@wrong("predict_and_sample", expect="Return `results, indices`, in that order")
def predict_and_sample_swapped(inference_model, x_initializer, a_initializer, c_initializer):
    n_values = x_initializer.shape[-1]
    pred = inference_model([x_initializer, a_initializer, c_initializer])
    indices = np.argmax(np.stack([np.asarray(p) for p in pred]), axis=-1)
    return indices, keras.utils.to_categorical(indices[:, 0], num_classes=n_values)

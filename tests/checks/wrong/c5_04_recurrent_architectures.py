"""Plausible mistakes for course5_sequence/04_recurrent_architectures."""

import keras

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- sequence_classifier ------------------------------------------------------------------

seq = wrong.edits("sequence_classifier")
seq(
    "seq_return_sequences",
    "h = RECURRENT[cell](units)(inputs)",
    "h = RECURRENT[cell](units, return_sequences=True)(inputs)",
    expect="has return_sequences True; expected False",
)
seq(
    "seq_sigmoid",
    'keras.layers.Dense(n_classes, activation="softmax")(h)',
    'keras.layers.Dense(n_classes, activation="sigmoid")(h)',
    expect="has activation 'sigmoid'; expected 'softmax'",
)
seq(
    "seq_no_activation",
    'keras.layers.Dense(n_classes, activation="softmax")(h)',
    "keras.layers.Dense(n_classes)(h)",
    expect="has activation 'linear'; expected 'softmax'",
)
seq(
    "seq_fixed_units",
    "h = RECURRENT[cell](units)(inputs)",
    "h = RECURRENT[cell](16)(inputs)",
    expect="has units 16; expected 6",
)
seq(
    "seq_always_lstm",
    "h = RECURRENT[cell](units)(inputs)",
    "h = keras.layers.LSTM(units)(inputs)",
    expect="LSTM layer; expected a GRU layer",
)
seq(
    "seq_time_axis_last",
    "inputs = keras.Input(shape=input_shape)",
    "inputs = keras.Input(shape=(input_shape[1], input_shape[0]))",
    expect="The time axis is in the wrong place",
)
seq(
    "seq_backwards",
    "h = RECURRENT[cell](units)(inputs)",
    "h = RECURRENT[cell](units, go_backwards=True)(inputs)",
    expect="the outputs of your classifier with seeded weights",
)

# ----- stacked_classifier -------------------------------------------------------------------

stack = wrong.edits("stacked_classifier")
stack(
    "stack_no_return_sequences",
    "h = RECURRENT[cell](layer_units, return_sequences=k < len(units_per_layer) - 1)(h)",
    "h = RECURRENT[cell](layer_units)(h)",
    expect="return_sequences=True on all of them except the last",
)
stack(
    "stack_return_sequences_everywhere",
    "h = RECURRENT[cell](layer_units, return_sequences=k < len(units_per_layer) - 1)(h)",
    "h = RECURRENT[cell](layer_units, return_sequences=True)(h)",
    expect="has return_sequences True; expected False",
)
stack(
    "stack_first_units_everywhere",
    "h = RECURRENT[cell](layer_units, return_sequences",
    "h = RECURRENT[cell](units_per_layer[0], return_sequences",
    expect="has units 6; expected 5",
)
stack(
    "stack_one_layer",
    [
        (
            "for k, layer_units in enumerate(units_per_layer):",
            "for k, layer_units in enumerate(units_per_layer[-1:]):",
        ),
        ("k < len(units_per_layer) - 1", "False"),
    ],
    expect="is missing a GRU layer",
)


@wrong("stacked_classifier", expect="LSTM layer; expected a GRU layer")
def stack_always_lstm(cell, input_shape, units_per_layer, n_classes):
    inputs = keras.Input(shape=input_shape)
    h = inputs
    for k, n in enumerate(units_per_layer):
        h = keras.layers.LSTM(n, return_sequences=k < len(units_per_layer) - 1)(h)
    return keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(h))


# ----- bidirectional_tagger -----------------------------------------------------------------

tag = wrong.edits("bidirectional_tagger")
tag(
    "tag_one_label_per_sequence",
    "RECURRENT[cell](units, return_sequences=True)",
    "RECURRENT[cell](units)",
    expect="your tagger gives one label per sequence",
)
tag(
    "tag_unidirectional",
    "h = keras.layers.Bidirectional(RECURRENT[cell](units, return_sequences=True))(inputs)",
    "h = RECURRENT[cell](units, return_sequences=True)(inputs)",
    expect="is a GRU layer; expected a Bidirectional layer",
)
tag(
    "tag_merge_sum",
    "RECURRENT[cell](units, return_sequences=True))(inputs)",
    'RECURRENT[cell](units, return_sequences=True), merge_mode="sum")(inputs)',
    expect="Keep Bidirectional's default merge_mode='concat'",
)
tag(
    "tag_merge_ave",
    "RECURRENT[cell](units, return_sequences=True))(inputs)",
    'RECURRENT[cell](units, return_sequences=True), merge_mode="ave")(inputs)',
    expect="Keep Bidirectional's default merge_mode='concat'",
)
tag(
    "tag_sigmoid",
    'keras.layers.Dense(n_classes, activation="softmax")(h)',
    'keras.layers.Dense(n_classes, activation="sigmoid")(h)',
    expect="has activation 'sigmoid'; expected 'softmax'",
)
tag(
    "tag_fixed_units",
    "RECURRENT[cell](units, return_sequences=True)",
    "RECURRENT[cell](16, return_sequences=True)",
    expect="has output shape (None, 8, 32); expected (None, 8, 12)",
)


tag(
    "tag_relu_cell",
    "RECURRENT[cell](units, return_sequences=True)",
    'RECURRENT[cell](units, return_sequences=True, activation="relu")',
    expect="the outputs of your tagger with seeded weights",
)

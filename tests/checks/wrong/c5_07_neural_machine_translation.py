"""Plausible mistakes for course5_sequence/07_neural_machine_translation."""

import keras

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- one_step_attention ----------------------------------------------------------------------

edit = wrong.edits("one_step_attention")
edit(
    "attention_softmax_default_axis",
    "alphas = layers.activator(energies)",
    "alphas = keras.layers.Softmax()(energies)",
    expect="The softmax was taken over the last axis",
)
edit(
    "attention_ops_softmax_default_axis",
    "alphas = layers.activator(energies)",
    "alphas = keras.ops.softmax(energies)",
    expect="every weight is 1",
)
edit(
    "attention_no_softmax",
    "context = layers.dotor([alphas, a])",
    "context = layers.dotor([energies, a])",
    expect="The energies were used as weights",
)
edit(
    "attention_concatenation_swapped",
    "concat = layers.concatenator([a, s_prev])",
    "concat = layers.concatenator([s_prev, a])",
    expect="The concatenation is the other way round",
)
edit(
    "attention_returns_alphas",
    "return context",
    "return alphas",
    expect="That is the shape of the attention weights",
)
edit(
    "attention_sum_without_keepdims",
    "context = layers.dotor([alphas, a])",
    "context = keras.ops.sum(alphas * a, axis=1)",
    expect="a sum over axis 1 needs keepdims=True",
)
edit(
    "attention_new_dense_layer",
    "e = layers.densor1(concat)",
    'e = keras.layers.Dense(layers.densor1.units, activation="tanh")(concat)',
    expect="Use the layers in `layers`",
)

# ----- modelf ----------------------------------------------------------------------------------

edit = wrong.edits("modelf")
edit(
    "modelf_state_not_passed",
    "initial_state=[s, c]",
    "initial_state=[s0, c0]",
    expect="Every step starts again from s0 and c0",
)
edit(
    "modelf_memory_not_passed",
    "_, s, c = layers.post_activation_LSTM_cell(context, initial_state=[s, c])",
    "_, s, _ = layers.post_activation_LSTM_cell(context, initial_state=[s, c])",
    expect="The memory cell is not handed on",
)
edit(
    "modelf_attends_with_s0",
    "context = attention(a, s, layers)",
    "context = attention(a, s0, layers)",
    expect="Every step attends with s0",
)
edit(
    "modelf_unidirectional_encoder",
    'a = keras.layers.Bidirectional(keras.layers.LSTM(n_a, return_sequences=True), name="encoder")(X)',
    "a = keras.layers.LSTM(2 * n_a, return_sequences=True)(X)",
    expect="The encoder is a plain LSTM",
)
edit(
    "modelf_encoder_summed",
    "keras.layers.LSTM(n_a, return_sequences=True), name=",
    'keras.layers.LSTM(n_a, return_sequences=True), merge_mode="sum", name=',
    expect="its two directions concatenated",
)
edit(
    "modelf_output_from_context",
    "outputs.append(layers.output_layer(s))",
    "outputs.append(layers.output_layer(context))",
    expect="not to the context",
)
edit(
    "modelf_last_output_only",
    "outputs=outputs,",
    "outputs=outputs[-1],",
    expect="the model has 1 output(s); expected",
)
edit(
    "modelf_new_lstm_per_step",
    "_, s, c = layers.post_activation_LSTM_cell(context, initial_state=[s, c])",
    "_, s, c = keras.layers.LSTM(n_s, return_state=True)(context, initial_state=[s, c])",
    expect="a layer created in the loop",
)


@wrong("modelf", expect="the model's inputs have shapes")
def modelf_inputs_in_another_order(Tx, Ty, n_a, n_s, human_vocab_size, layers, attention):
    X = keras.Input(shape=(Tx, human_vocab_size))
    s0, c0 = keras.Input(shape=(n_s,)), keras.Input(shape=(n_s,))
    a = keras.layers.Bidirectional(keras.layers.LSTM(n_a, return_sequences=True))(X)
    s, c, outputs = s0, c0, []
    for _ in range(Ty):
        _, s, c = layers.post_activation_LSTM_cell(attention(a, s, layers), initial_state=[s, c])
        outputs.append(layers.output_layer(s))
    return keras.Model(inputs=[s0, c0, X], outputs=outputs)


# ----- one_step_attention_luong ------------------------------------------------------------------

edit = wrong.edits("one_step_attention_luong")
edit(
    "luong_always_dot",
    'query = s_prev if score == "dot" else layers.general(s_prev)',
    "query = s_prev",
    expect="the query is layers.general(s_prev), not s_prev itself",
)
edit(
    "luong_general_on_encoder_states",
    [
        ('query = s_prev if score == "dot" else layers.general(s_prev)', "query = s_prev"),
        (
            "energies = keras.ops.sum(a * keras.ops.expand_dims(query, 1), axis=-1, keepdims=True)",
            'keys = a if score == "dot" else layers.general(a)\n'
            "    energies = keras.ops.sum(keys * keras.ops.expand_dims(query, 1), axis=-1, keepdims=True)",
        ),
    ],
    expect="W multiplies the decoder's state s_prev",
)
edit(
    "luong_softmax_default_axis",
    "alphas = layers.activator(energies)",
    "alphas = keras.ops.softmax(energies)",
    expect="The softmax was taken over the last axis",
)
edit(
    "luong_scaled",
    "axis=-1, keepdims=True)",
    "axis=-1, keepdims=True) / keras.ops.sqrt(float(a.shape[-1]))",
    expect="Luong's scores are not scaled",
)
edit(
    "luong_no_softmax",
    "context = layers.dotor([alphas, a])",
    "context = layers.dotor([energies, a])",
    expect="The energies were used as weights",
)

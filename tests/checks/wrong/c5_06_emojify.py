"""Plausible mistakes for course5_sequence/06_emojify."""

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- sentence_to_avg -----

edit = wrong.edits("sentence_to_avg")
edit(
    "avg_sum",
    "return np.mean([glove[w] for w in known], axis=0)",
    "return np.sum([glove[w] for w in known], axis=0)",
    expect="You summed the vectors",
)
edit(
    "avg_split_not_tokenize",
    "known = [w for w in tokenize(sentence) if w in glove]",
    "known = [w for w in sentence.lower().split() if w in glove]",
    expect="split the sentence with tokenize(sentence)",
)
edit(
    "avg_zeros_for_empty",
    [
        ("    if not known:\n", ""),
        (
            "        raise ValueError(f\"no word of {sentence!r} is in GloVe's vocabulary: "
            'there is nothing to average")\n',
            "",
        ),
        (
            "return np.mean([glove[w] for w in known], axis=0)",
            "return np.mean([glove[w] for w in known], axis=0) if known else np.zeros(glove.dim)",
        ),
    ],
    expect="should raise ValueError",
)


@wrong("sentence_to_avg", expect="unknown ones included")
def avg_all_words(sentence, glove):  # divides by every word, known or not
    words = tokenize(sentence)  # noqa: F821 (the solution's namespace)
    known = [w for w in words if w in glove]
    if not known:
        raise ValueError("nothing to average")
    return np.sum([glove[w] for w in known], axis=0) / len(words)


@wrong("sentence_to_avg", expect="never a number written into the function")
def avg_fixed_length(sentence, glove):  # GloVe's 50 written in
    known = [w for w in tokenize(sentence) if w in glove]  # noqa: F821
    if not known:
        raise ValueError("nothing to average")
    avg = np.zeros(50)
    for w in known:
        avg[: glove.dim] += glove[w]
    return avg / len(known)


# ----- model -----

edit = wrong.edits("model")
edit(
    "model_no_one_over_m",
    "dZ = (A - Y_oh) / m",
    "dZ = A - Y_oh",
    expect="You left out the 1/m in dZ",
)
edit(
    "model_gradient_ascent",
    [("W = W - learning_rate", "W = W + learning_rate"), ("b = b - learning_rate", "b = b + learning_rate")],
    expect="You moved up the gradient",
)
edit(
    "model_b_fixed",
    "        b = b - learning_rate * dZ.sum(axis=0)\n",
    "",
    expect="b never changes",
)
edit(
    "model_cost_summed",
    "costs.append(float(-np.sum(Y_oh * np.log(A)) / m))",
    "costs.append(float(-np.sum(Y_oh * np.log(A))))",
    expect="Your costs are summed over the sentences",
)
edit(
    "model_cost_after_step",
    [
        ("        costs.append(float(-np.sum(Y_oh * np.log(A)) / m))\n", ""),
        (
            "        b = b - learning_rate * dZ.sum(axis=0)\n",
            "        b = b - learning_rate * dZ.sum(axis=0)\n"
            "        costs.append(float(-np.sum(Y_oh * np.log(softmax(AVG @ W.T + b))) / m))\n",
        ),
    ],
    expect="costs (one per iteration) is wrong",
)

# ----- predict -----

edit = wrong.edits("predict")
edit("predict_axis0", "axis=1)", "axis=0)", expect="not axis 0")
edit(
    "predict_no_b",
    "np.argmax(AVG @ W.T + b, axis=1)",
    "np.argmax(AVG @ W.T, axis=1)",
    expect="You left out b",
)
edit(
    "predict_scores",
    "return np.argmax(AVG @ W.T + b, axis=1)",
    "return softmax(AVG @ W.T + b)",
    expect="a score for every emoji",
)
edit("predict_argmin", "np.argmax(", "np.argmin(", expect="You took the smallest score")

# ----- sentences_to_indices -----

edit = wrong.edits("sentences_to_indices")
edit(
    "indices_float",
    "X_indices = np.zeros((len(X), max_len), dtype=np.int64)",
    "X_indices = np.zeros((len(X), max_len))",
    expect="expected integers",
)
edit(
    "indices_unknown_zero",
    "indices = [word_to_index[w] for w in tokenize(sentence) if w in word_to_index]",
    "indices = [word_to_index.get(w, 0) for w in tokenize(sentence)]",
    expect="An unknown word became a 0",
)
edit(
    "indices_at_end",
    "X_indices[i, : len(indices)] = indices",
    "X_indices[i, max_len - len(indices) :] = indices",
    expect="Your indices sit at the end of the row",
)
edit(
    "indices_split",
    "for w in tokenize(sentence)",
    "for w in sentence.split()",
    expect="split each sentence with tokenize(sentence)",
)
edit(
    "indices_truncate",
    [
        ("        if len(indices) > max_len:\n", ""),
        (
            '            raise ValueError(f"{sentence!r} has {len(indices)} known words, '
            'more than max_len = {max_len}")\n',
            "        indices = indices[:max_len]\n",
        ),
    ],
    expect="should raise ValueError",
)

# ----- pretrained_embedding_layer -----

edit = wrong.edits("pretrained_embedding_layer")
edit(
    "embedding_trainable",
    "trainable=False, mask_zero=True)",
    "mask_zero=True)",
    expect="the layer is trainable",
)
edit(
    "embedding_no_mask",
    "trainable=False, mask_zero=True)",
    "trainable=False)",
    expect="mask_zero=False",
)
edit(
    "embedding_plus_one",
    [
        ("keras.layers.Embedding(len(words), glove.dim", "keras.layers.Embedding(len(words) + 1, glove.dim"),
        ("np.zeros((len(words), glove.dim)", "np.zeros((len(words) + 1, glove.dim)"),
    ],
    expect="no + 1",
)
edit(
    "embedding_not_set",
    "    layer.set_weights([table])\n",
    "",
    expect="The table looks random",
)
edit(
    "embedding_shifted",
    "table[i] = glove[w]",
    "table[min(i + 1, len(words) - 1)] = glove[w]",
    expect="the layer's table is wrong",
)
edit(
    "embedding_fixed_dim",
    [
        ("np.zeros((len(words), glove.dim)", "np.zeros((len(words), 50)"),
        ("keras.layers.Embedding(len(words), glove.dim", "keras.layers.Embedding(len(words), 50"),
    ],
    expect="could not broadcast input array from shape (7,) into shape (50,)",
)

# ----- emojify_v2 -----

edit = wrong.edits("emojify_v2")
edit(
    "v2_no_return_sequences",
    "keras.layers.LSTM(units, return_sequences=True)(h)",
    "keras.layers.LSTM(units)(h)",
    expect="return_sequences=True",
)
edit(
    "v2_no_dropout",
    [
        (
            "    h = keras.layers.Dropout(0.5)(h)\n    h = keras.layers.LSTM(units)(h)\n",
            "    h = keras.layers.LSTM(units)(h)\n",
        )
    ],
    expect="missing a Dropout layer",
)
edit(
    "v2_no_softmax",
    'keras.layers.Dense(n_classes, activation="softmax")(h)',
    "keras.layers.Dense(n_classes)(h)",
    expect="activation",
)
edit(
    "v2_units_fixed",
    [
        ("keras.layers.LSTM(units, return_sequences=True)", "keras.layers.LSTM(128, return_sequences=True)"),
        ("keras.layers.LSTM(units)(h)", "keras.layers.LSTM(128)(h)"),
    ],
    expect="units 128",
)
edit(
    "v2_new_embedding",
    "h = embedding_layer(inputs)",
    "h = keras.layers.Embedding(\n"
    "        embedding_layer.input_dim, embedding_layer.output_dim, mask_zero=True\n"
    "    )(inputs)",
    expect="does not use the embedding_layer",
)
edit(
    "v2_unmasked_embedding",
    "h = embedding_layer(inputs)",
    "h = keras.layers.Embedding(embedding_layer.input_dim, embedding_layer.output_dim, trainable=False,\n"
    "                               weights=embedding_layer.get_weights())(inputs)",
    expect="does not use the embedding_layer",
)

"""Checks for course 5, notebook 6: emojify (averaged word vectors, then two LSTM layers).

Oracles:

* ``sentence_to_avg``: ``np.mean`` of the rows of the word vectors of the known words, in
  float64, on a small seeded vocabulary of random vectors (7 numbers each, so that a length
  of 50 written into the function fails) and on GloVe itself; an empty sentence and one of
  unknown words only must raise ``ValueError``.
* ``model``: the same gradient descent driven by ``tf.GradientTape`` in float64 on
  ``tf.nn.softmax_cross_entropy_with_logits`` (averaged over the sentences), from the
  starting weights the notebook's given lines draw: automatic differentiation, not a second
  copy of the gradients. ``rtol=1e-4``: a learner's average of float32 vectors is rounded in
  float32, and the iterations carry the round-off; the known mistakes differ by far more.
* ``predict``: a ``keras.layers.Dense`` layer holding ``W.T`` and ``b``, applied to the
  averages, and ``np.argmax`` of its scores.
* ``sentences_to_indices``: ``keras.layers.StringLookup`` holding the words of the
  ``word_to_index`` given in index order (its mask token, index 0, is the padding), applied to
  the known words of each sentence padded to ``max_len``; a sentence longer than ``max_len``
  must raise ``ValueError``.
* ``pretrained_embedding_layer``: :meth:`Check.model` on the layer in a one-layer model,
  against ``keras.layers.Embedding(len(words), dim, trainable=False, mask_zero=True)``;
  its configuration read by ``get_config()`` and its weights compared with the vectors of
  the vocabulary (``Glove.matrix``, zeros where a word is unknown).
* ``emojify_v2``: :meth:`Check.model` against the model built by the check from Keras's
  own layers (Embedding, LSTM, Dropout, LSTM, Dropout, Dense), then the outputs of both
  with the same seeded weights on a padded batch (``rtol=1e-4``, float32 round-off); a
  model that does not mask the padding or does not use the given embedding layer fails.

Known mistakes (shown as specific hints, never used to pass) are computed the same ways.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_utils.common.compute import MASKED_LSTM_NOISE, quiet_native_log
from shared_utils.course5.emojify import N_CLASSES, tokenize
from shared_utils.engine.checking import Check, _describe, exercise

TOY_WORDS = (
    "i you we she love hate the game ball team play pizza cake eat dinner happy sad not do n't "
    "am is was so very good bad fun day my it a"
).split()


def toy_glove(seed: int, dim: int = 7):
    """A small vocabulary with seeded random vectors (float32, as GloVe's), a stand-in for GloVe."""
    from shared_utils.data.glove import Glove

    rng = np.random.default_rng(6000 + seed)
    return Glove(list(TOY_WORDS), rng.normal(0, 1, (len(TOY_WORDS), dim)).astype(np.float32))


def _glove(seed: int | None, dim: int = 7):
    """The toy vocabulary of ``seed``, or GloVe itself for ``seed=None``."""
    if seed is None:
        from shared_utils.data.glove import load_glove

        return load_glove()
    return toy_glove(seed, dim)


def _mean(glove, words: list[str]) -> np.ndarray:
    return np.mean(np.array([glove[w] for w in words], np.float64), axis=0)


def _known(glove, sentence: str) -> list[str]:
    return [w for w in tokenize(sentence) if w in glove]


# ----- sentence_to_avg ------------------------------------------------------------------------


def _avg_probe(fn, sentence: str, seed: int | None):
    return fn(sentence, _glove(seed))


def _raises_probe(fn, args: list, seed: int | None = None, glove_at: int | None = None) -> str:
    """'ValueError' when ``fn(*args)`` raises it (a glove inserted at ``glove_at``), else what happened."""
    args = list(args)
    if glove_at is not None:
        args.insert(glove_at, _glove(seed))
    try:
        value = fn(*args)
    except ValueError:
        return "ValueError"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return f"the value {_describe(value)}"


AVG_SENTENCES = [
    "I love the game",
    "we eat PIZZA, not cake!",
    "i am zorp happy",
    "I don't hate you",
    "so so very good",
]
AVG_SENTENCES_EXTENDED = ["my team is bad at the game", "Fun, fun, FUN day!", "it was a qux xylo day"]


@exercise(
    params=("sentence", "glove"),
    hints=[
        "Keep the words of tokenize(sentence) that are in glove and return np.mean of their vectors (axis=0)."
    ],
)
def sentence_to_avg(ck: Check) -> None:
    cases = [(s, seed) for seed in ck.seeds(1, 2) for s in ck.pick(AVG_SENTENCES, AVG_SENTENCES_EXTENDED)]
    cases += [("i love you", None), ("the pitcher threw a fast ball", None)]
    for sentence, seed in cases:
        glove = _glove(seed)
        source = (
            "GloVe"
            if seed is None
            else f"a vocabulary of {len(glove)} words of {glove.dim} numbers (seed {seed})"
        )
        with ck.case(f"sentence_to_avg({sentence!r}, glove) with {source}"):
            got = ck.in_kernel(_avg_probe, sentence, seed)
            tokens = tokenize(sentence)
            known = _known(glove, sentence)
            total = np.sum([glove[w] for w in known], axis=0, dtype=np.float64)
            mistakes = {
                "You summed the vectors: divide by the number of known words (np.mean).": total,
                "You divided by the number of all words, unknown ones included: average over the known "
                "words only.": total / len(tokens),
            }
            split = [w for w in sentence.lower().split() if w in glove]
            if split and split != known:
                mistakes[
                    "Your words differ from tokenize's: split the sentence with tokenize(sentence), which "
                    "lowers the case and drops punctuation."
                ] = _mean(glove, split)
            raw = [w for w in sentence.split() if w in glove]
            if raw and raw != known:
                mistakes[
                    "Your words differ from tokenize's (capitals, punctuation): split the sentence with "
                    "tokenize(sentence)."
                ] = _mean(glove, raw)
            if np.shape(got) == (50,) and glove.dim != 50:
                ck.fail(
                    f"the average has shape (50,); expected shape ({glove.dim},), the length of these "
                    "vectors.",
                    "The length is GloVe's 50 here only: take the mean of the vectors themselves (or use "
                    "glove.dim), never a number written into the function.",
                )
            ck.array(got, _mean(glove, known), what="the average", rtol=1e-5, atol=1e-6, mistakes=mistakes)
    for sentence in ("", "zorp qux", "!!!"):
        with ck.case(f"sentence_to_avg({sentence!r}, glove): no word to average"):
            got = ck.in_kernel(_raises_probe, [sentence], ck.seed_base, 1)
            ck.that(
                got == "ValueError",
                f"a sentence with no word the vocabulary knows should raise ValueError; yours gave {got}.",
                "Test whether any word is left and `raise ValueError(...)` quoting the sentence when none is "
                "(a vector of zeros, or NaN, would be classified as if it meant something).",
            )


# ----- model ----------------------------------------------------------------------------------


def _start(seed: int, n_h: int) -> tuple[np.ndarray, np.ndarray]:
    """The starting weights the notebook's given lines draw."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N_CLASSES, n_h)) / np.sqrt(n_h), np.zeros(N_CLASSES)


def _descend(avg, labels, seed, learning_rate, iterations, scale=1.0, sign=1.0, move_b=True):
    """Gradient descent on the mean softmax cross-entropy by tf.GradientTape, in float64:
    (W, b, costs). ``scale``, ``sign`` and ``move_b`` give the known mistakes."""
    import tensorflow as tf

    w0, b0 = _start(seed, avg.shape[1])
    W, b = tf.Variable(w0), tf.Variable(b0)
    x = tf.constant(avg, tf.float64)
    y = tf.one_hot(labels, N_CLASSES, dtype=tf.float64)
    costs = []
    for _ in range(iterations):
        with tf.GradientTape() as tape:
            z = tf.matmul(x, W, transpose_b=True) + b
            cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z))
        g_w, g_b = tape.gradient(cost, [W, b])
        costs.append(float(cost))
        W.assign_sub(sign * learning_rate * scale * g_w)
        if move_b:
            b.assign_sub(sign * learning_rate * scale * g_b)
    return W.numpy(), b.numpy(), np.array(costs)


def _model_probe(fn, sentences: list, labels, seed: int, learning_rate: float, iterations: int, start: int):
    return fn(
        np.array(sentences),
        labels,
        _glove(seed),
        learning_rate=learning_rate,
        num_iterations=iterations,
        seed=start,
    )


def _sentences(seed: int, m: int) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(6100 + seed)
    sentences = [" ".join(rng.choice(TOY_WORDS, size=int(rng.integers(2, 7)))) for _ in range(m)]
    labels = rng.integers(0, N_CLASSES, size=m)
    labels[:N_CLASSES] = np.arange(N_CLASSES)  # every class present
    return sentences, labels.astype(np.int64)


@exercise(
    params=("X", "Y", "glove", "learning_rate", "num_iterations", "seed"),
    hints=[
        "A = softmax(AVG @ W.T + b); cost = -sum(Y_oh * log A) / m; dZ = (A - Y_oh) / m; "
        "dW = dZ.T @ AVG; db = dZ summed over the sentences; then W = W - learning_rate * dW, same for b."
    ],
)
def model(ck: Check) -> None:
    cases = ck.pick([(0, 12, 0.5, 20, 1), (1, 9, 2.0, 7, 4)], [(2, 15, 1.0, 30, 2), (3, 6, 0.1, 5, 0)])
    for seed, m, lr, iterations, start in cases:
        seed = seed + ck.seed_base
        sentences, labels = _sentences(seed, m)
        glove = _glove(seed)
        with ck.case(f"{m} sentences, learning_rate={lr}, num_iterations={iterations}, seed={start}"):
            got = ck.returns(
                ck.in_kernel(_model_probe, sentences, labels, seed, lr, iterations, start), "W, b, costs"
            )
            avg = np.array([_mean(glove, _known(glove, s)) for s in sentences])
            W, b, costs = _descend(avg, labels, start, lr, iterations)
            wrong = {
                "You left out the 1/m in dZ: the gradient of the mean cost is (A - Y_oh) / m.": _descend(
                    avg, labels, start, lr, iterations, scale=m
                ),
                "You moved up the gradient: W = W - learning_rate * dW (minus).": _descend(
                    avg, labels, start, lr, iterations, sign=-1.0
                ),
                "b never changes: update it too, b = b - learning_rate * db.": _descend(
                    avg, labels, start, lr, iterations, move_b=False
                ),
            }
            ck.array(
                got[0], W, what="W", rtol=1e-4, atol=1e-6, mistakes={hint: v[0] for hint, v in wrong.items()}
            )
            ck.array(
                got[1], b, what="b", rtol=1e-4, atol=1e-6, mistakes={hint: v[1] for hint, v in wrong.items()}
            )
            ck.array(
                got[2],
                costs,
                what="costs (one per iteration)",
                rtol=1e-5,
                atol=1e-7,
                lists=True,
                mistakes={"Your costs are summed over the sentences: divide by m (the mean).": costs * m},
            )


# ----- predict --------------------------------------------------------------------------------


def _predict_probe(fn, sentences: list, W, b, seed: int | None):
    return fn(np.array(sentences), W, b, _glove(seed))


def _dense_scores(avg: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The scores W avg + b of a Keras Dense layer holding W.T and b (float64)."""
    import keras

    layer = keras.layers.Dense(W.shape[0], dtype="float64")
    layer.build((None, W.shape[1]))
    layer.set_weights([W.T, b])
    return np.asarray(layer(avg))


@exercise(
    params=("X", "W", "b", "glove"),
    hints=[
        "Average every sentence, compute the scores AVG @ W.T + b and return np.argmax over the emoji "
        "(axis=1)."
    ],
)
def predict(ck: Check) -> None:
    for seed in ck.seeds(2, 4):
        rng = np.random.default_rng(6200 + seed)
        sentences, _ = _sentences(seed + 50, int(rng.integers(6, 12)))
        glove = _glove(seed)
        W, b = rng.normal(0, 1, (N_CLASSES, glove.dim)), rng.normal(0, 1.5, N_CLASSES)
        with ck.case(f"{len(sentences)} sentences, random W and b (seed {seed})"):
            got = ck.in_kernel(_predict_probe, sentences, W, b, seed)
            avg = np.array([_mean(glove, _known(glove, s)) for s in sentences])
            scores = _dense_scores(avg, W, b)
            shape = np.shape(got) if isinstance(got, (np.ndarray, list, tuple)) else None
            if shape == scores.shape:
                ck.fail(
                    f"you returned an array of shape {shape}, a score for every emoji; expected the label of "
                    f"each sentence, shape {(len(sentences),)}.",
                    "Return the index of the largest score of each row: np.argmax(..., axis=1).",
                )
            if shape == (N_CLASSES,) and len(sentences) != N_CLASSES:
                ck.fail(
                    f"you returned an array of shape {shape}; expected one label per sentence, shape "
                    f"{(len(sentences),)}.",
                    "np.argmax over axis 1 (the emoji), not axis 0 (the sentences).",
                )
            ck.array(
                got,
                np.argmax(scores, axis=1),
                what="the predicted labels",
                dtype_kind="iu",
                mistakes={
                    "You left out b: the scores are AVG @ W.T + b.": np.argmax(avg @ W.T, axis=1),
                    "You took the smallest score: the prediction is np.argmax.": np.argmin(scores, axis=1),
                },
            )


# ----- sentences_to_indices -------------------------------------------------------------------

VOCAB = {"i": 1, "love": 2, "you": 3, "the": 4, "game": 5, "not": 6, "happy": 7, "do": 8, "n't": 9, "am": 10}


def _lookup(sentences, word_to_index, max_len) -> np.ndarray:
    """The oracle: ``keras.layers.StringLookup`` over ``word_to_index``'s words in index order
    (index 0 its mask token, the padding), applied to each sentence's known words padded to max_len."""
    import keras

    vocab = sorted(word_to_index, key=word_to_index.get)
    layer = keras.layers.StringLookup(vocabulary=vocab, mask_token="", num_oov_indices=0)
    rows = []
    for s in sentences:
        known = [w for w in tokenize(s) if w in word_to_index]
        rows.append(known + [""] * (max_len - len(known)))
    return np.asarray(layer(np.array(rows, dtype=str).reshape(len(sentences), max_len))).astype(np.int64)


def _rows(sentences, word_to_index, max_len, unknown_as_zero=False, at_end=False, split=False):
    """The layouts of known mistakes."""
    out = np.zeros((len(sentences), max_len), np.int64)
    for i, s in enumerate(sentences):
        words = s.split() if split else tokenize(s)
        idx = (
            [word_to_index.get(w, 0) for w in words]
            if unknown_as_zero
            else [word_to_index[w] for w in words if w in word_to_index]
        )
        idx = idx[:max_len]
        if idx:
            if at_end:
                out[i, max_len - len(idx) :] = idx
            else:
                out[i, : len(idx)] = idx
    return out


@exercise(
    params=("X", "word_to_index", "max_len"),
    hints=[
        "Start from np.zeros((m, max_len), dtype=int); for sentence i write the indices of its known words "
        "(in tokenize's order) at X_indices[i, :n]."
    ],
    in_place="Build a new array of indices; do not change X or word_to_index.",
)
def sentences_to_indices(ck: Check) -> None:
    cases = ck.pick(
        [
            (["I love you", "the game", "I don't love the game!"], 6),
            (["i am happy", "", "zorp love you", "not happy", "I"], 4),
        ],
        [(["You love the game, not I", "happy happy", "qux"], 7), (["love"], 1)],
    )
    for sentences, max_len in cases:
        with ck.case(f"sentences_to_indices({sentences}, word_to_index, max_len={max_len})"):
            got = ck.call(list(sentences), dict(VOCAB), max_len)
            expected = _lookup(sentences, VOCAB, max_len)
            if isinstance(got, np.ndarray) and got.shape == expected.shape and got.dtype.kind == "f":
                ck.fail(
                    f"the indices have dtype {got.dtype}; expected integers.",
                    "Indices are integers: create the array with np.zeros((m, max_len), dtype=int).",
                )
            mistakes = {
                "An unknown word became a 0 in the middle of the row: leave unknown words out (0 is the "
                "padding, at the end only).": _rows(sentences, VOCAB, max_len, unknown_as_zero=True),
                "Your indices sit at the end of the row: write them at the start, the padding after "
                "them.": _rows(sentences, VOCAB, max_len, at_end=True),
                "Your words differ from tokenize's (capitals, punctuation, contractions): split each "
                "sentence "
                "with tokenize(sentence).": _rows(sentences, VOCAB, max_len, split=True),
                "Your indices are one too large: use word_to_index[word] as it is.": np.where(
                    expected > 0, expected + 1, 0
                ),
            }
            ck.array(got, expected, what="the indices", dtype_kind="iu", mistakes=mistakes)
    too_long = ["i love you the game not happy"]
    for max_len in (3, 6):
        with ck.case(f"sentences_to_indices({too_long}, word_to_index, max_len={max_len}): 7 known words"):
            got = ck.in_kernel(_raises_probe, [list(too_long), dict(VOCAB), max_len])
            ck.that(
                got == "ValueError",
                f"a sentence with more known words than max_len should raise ValueError; yours gave {got}.",
                "Compare the number of known words with max_len and `raise ValueError(...)` naming the "
                "sentence: cutting it would silently drop words.",
            )


# ----- pretrained_embedding_layer -------------------------------------------------------------

EMBED_WORDS = ["<pad>", "love", "game", "zorp", "pizza", "not", "qux", "happy"]


def _embedding_probe(fn, words: list, seed: int | None) -> dict[str, Any]:
    """What the learner's layer is: its class, configuration and weights (data)."""
    import keras

    layer = fn(_glove(seed), list(words))
    out: dict[str, Any] = {"class": type(layer).__name__, "is_layer": isinstance(layer, keras.layers.Layer)}
    if not out["is_layer"]:
        return out
    config = layer.get_config()
    for key in ("input_dim", "output_dim", "mask_zero"):
        out[key] = config.get(key)
    out["trainable"] = bool(layer.trainable)
    out["built"] = bool(layer.built)
    out["weights"] = [np.asarray(w) for w in layer.get_weights()] if layer.built else []
    return out


def _embedding_model_probe(fn, words: list, seed: int | None, max_len: int):
    """The learner's layer in a one-layer model (for Check.model)."""
    import keras

    layer = fn(_glove(seed), list(words))
    inputs = keras.Input(shape=(max_len,), dtype="int32")
    return keras.Model(inputs, layer(inputs))


def expected_embedding(n_words: int, dim: int, max_len: int):
    import keras

    inputs = keras.Input(shape=(max_len,), dtype="int32", name="check_embedding_input")
    layer = keras.layers.Embedding(n_words, dim, trainable=False, mask_zero=True, name="check_embedding")
    return keras.Model(inputs, layer(inputs), name="check_embedding_model")


@exercise(
    params=("glove", "words"),
    hints=[
        "Fill a (len(words), glove.dim) table of zeros with the vectors of the words glove knows; "
        "Embedding(len(words), glove.dim, trainable=False, mask_zero=True), build, set_weights([table])."
    ],
)
def pretrained_embedding_layer(ck: Check) -> None:
    cases = [(EMBED_WORDS, seed) for seed in ck.seeds(1, 2)]
    cases += [(["<pad>", "i", "love", "you", "zzxqv", "baseball"], None)]
    if ck.extended:
        cases.append((EMBED_WORDS[:3], ck.seed_base + 5))
    for words, seed in cases:
        glove = _glove(seed)
        n, dim = len(words), glove.dim
        source = "GloVe" if seed is None else f"a vocabulary of {glove.dim}-number vectors (seed {seed})"
        with ck.case(f"pretrained_embedding_layer(glove, {words}) with {source}"):
            info = ck.in_kernel(_embedding_probe, list(words), seed)
            ck.that(
                bool(info.get("is_layer")) and info.get("class") == "Embedding",
                f"should return a keras.layers.Embedding layer, got a {info.get('class')}.",
                "Return the layer itself, keras.layers.Embedding(...), not its table or a model.",
            )
            if info.get("input_dim") == n + 1:
                ck.fail(
                    f"the layer has input_dim {n + 1}; expected {n}, one row per word of `words`.",
                    "`words` already holds the padding (row 0): input_dim is len(words), no + 1.",
                )
            got = ck.in_kernel(_embedding_model_probe, list(words), seed, 4)
            ck.model(got, expected_embedding(n, dim, 4), what="your layer (in a model)", input_shape=(4,))
            ck.that(
                info.get("trainable") is False,
                "the layer is trainable: training would change the GloVe vectors.",
                "Create it with trainable=False (frozen).",
            )
            ck.that(
                info.get("mask_zero") is True,
                f"the layer has mask_zero={info.get('mask_zero')}: the layers after it would read the "
                "padding.",
                "Create it with mask_zero=True, so that index 0 (the padding) is masked.",
            )
            weights = info.get("weights") or []
            ck.that(
                len(weights) == 1, f"the layer holds {len(weights)} weight arrays; expected 1, its table."
            )
            table = glove.matrix(words)
            mistakes = {
                "Your rows are shifted by one: row i holds the vector of words[i]; row 0 (the padding) "
                "is zero.": np.vstack([np.zeros((1, dim), np.float32), glove.matrix(words[:-1])]),
            }
            if np.shape(weights[0]) == table.shape and np.any(np.asarray(weights[0])[0] != 0):
                mistakes[
                    "The table looks random (row 0, the padding, is not zero): put the vectors in with "
                    "layer.set_weights([table]) after layer.build((None,))."
                ] = weights[0]
            ck.array(weights[0], table, what="the layer's table", rtol=1e-6, atol=1e-7, mistakes=mistakes)


# ----- emojify_v2 -----------------------------------------------------------------------------


def _given_embedding(n_words: int, dim: int, seed: int):
    """The embedding layer the check hands to emojify_v2: frozen, masking index 0, seeded rows."""
    import keras

    rng = np.random.default_rng(6300 + seed)
    layer = keras.layers.Embedding(n_words, dim, trainable=False, mask_zero=True)
    layer.build((None,))
    table = rng.normal(0, 1, (n_words, dim)).astype(np.float32)
    table[0] = 0
    layer.set_weights([table])
    return layer


def expected_v2(max_len: int, n_words: int, dim: int, units: int, n_classes: int, mask: bool = True):
    """The model of exercise 6, built by the check from Keras's layers."""
    import keras

    inputs = keras.Input(shape=(max_len,), dtype="int32", name="check_v2_input")
    h = keras.layers.Embedding(n_words, dim, trainable=False, mask_zero=mask, name="check_v2_embedding")(
        inputs
    )
    h = keras.layers.LSTM(units, return_sequences=True, name="check_v2_lstm_1")(h)
    h = keras.layers.Dropout(0.5, name="check_v2_dropout_1")(h)
    h = keras.layers.LSTM(units, name="check_v2_lstm_2")(h)
    h = keras.layers.Dropout(0.5, name="check_v2_dropout_2")(h)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="check_v2_dense")(h)
    return keras.Model(inputs, outputs, name="check_emojify_v2")


def _v2_build(fn, max_len, n_words, dim, units, n_classes, seed):
    embedding = _given_embedding(n_words, dim, seed)
    return fn(max_len, embedding, units, n_classes), embedding


def _v2_model_probe(fn, max_len: int, n_words: int, dim: int, units: int, n_classes: int, seed: int):
    return _v2_build(fn, max_len, n_words, dim, units, n_classes, seed)[0]


def _batch(max_len: int, n_words: int, seed: int) -> np.ndarray:
    """Rows of word indices with padding at the end: lengths 1, 2, ... up to max_len."""
    rng = np.random.default_rng(6400 + seed)
    rows = np.zeros((4, max_len), np.int32)
    for i, length in enumerate(np.linspace(1, max_len, 4).astype(int)):
        rows[i, :length] = rng.integers(1, n_words, size=length)
    return rows


def _seeded_outputs(model, max_len: int, n_words: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(6500 + seed)
    model.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype(np.float32) for w in model.get_weights()])
    with quiet_native_log(MASKED_LSTM_NOISE):  # the first masked LSTM of a process logs a line about oneDNN
        return np.asarray(model(_batch(max_len, n_words, seed), training=False))


def _v2_outputs_probe(
    fn, max_len: int, n_words: int, dim: int, units: int, n_classes: int, seed: int
) -> dict:
    """Probe: the learner's model with seeded weights, its outputs on a padded batch, and whether it
    uses the given embedding layer."""
    model, embedding = _v2_build(fn, max_len, n_words, dim, units, n_classes, seed)
    uses = any(layer is embedding for layer in model.layers)
    shapes = [np.asarray(w.shape, np.int64) for w in model.get_weights()]
    return {
        "uses_embedding": uses,
        "shapes": np.concatenate(shapes) if shapes else np.zeros(0, np.int64),
        "outputs": _seeded_outputs(model, max_len, n_words, seed),
    }


def _call_v2(ck: Check, args: list):
    """The learner's model, with Keras's error for a missing return_sequences explained."""
    from shared_utils.engine.checking import CheckFailed, NotImplementedYet

    try:
        return ck.in_kernel(_v2_model_probe, *args)
    except NotImplementedYet:
        raise
    except CheckFailed as exc:
        if "expected ndim=3, found ndim=2" in str(exc):
            ck.fail(
                "Keras refused to build your model: the second LSTM received one vector per sentence "
                "(ndim=2) where it reads a sequence (ndim=3).",
                "The first LSTM must hand on its whole sequence of states: return_sequences=True.",
            )
        raise


@exercise(
    params=("max_len", "embedding_layer", "units", "n_classes"),
    hints=[
        "Input(shape=(max_len,), dtype='int32') -> embedding_layer -> LSTM(units, return_sequences=True) -> "
        "Dropout(0.5) -> LSTM(units) -> Dropout(0.5) -> Dense(n_classes, activation='softmax')."
    ],
)
def emojify_v2(ck: Check) -> None:
    cases = ck.pick([(6, 30, 4, 5, 3), (9, 12, 3, 7, 4)], [(4, 20, 5, 3, 2)])
    for k, (max_len, n_words, dim, units, n_classes) in enumerate(cases):
        seed = k + ck.seed_base
        args = [max_len, n_words, dim, units, n_classes, seed]
        with ck.case(
            f"emojify_v2(max_len={max_len}, an embedding of {n_words} words x {dim}, units={units}, "
            f"n_classes={n_classes})"
        ):
            got = _call_v2(ck, args)
            ck.model(
                got,
                expected_v2(max_len, n_words, dim, units, n_classes),
                what="your model",
                input_shape=(max_len,),
            )
            probe = ck.in_kernel(_v2_outputs_probe, *args)
            ck.that(
                bool(probe["uses_embedding"]),
                "your model does not use the embedding_layer it was given (it has another Embedding layer).",
                "Call the given embedding_layer on the inputs; do not create a new Embedding.",
            )
            wanted_model = expected_v2(max_len, n_words, dim, units, n_classes)
            shapes = np.concatenate([np.asarray(w.shape) for w in wanted_model.get_weights()])
            ck.that(
                np.array_equal(np.asarray(probe["shapes"]), shapes),
                "your model's weights have other shapes than expected: "
                f"{np.asarray(probe['shapes']).tolist()}; "
                f"expected {shapes.tolist()}.",
            )
            expected = _seeded_outputs(wanted_model, max_len, n_words, seed)
            unmasked = _seeded_outputs(
                expected_v2(max_len, n_words, dim, units, n_classes, mask=False), max_len, n_words, seed
            )
            ck.array(
                probe["outputs"],
                expected,
                what="the outputs of your model with seeded weights on padded sentences",
                rtol=1e-4,
                atol=1e-5,
                mistakes={
                    "The padding is not masked: the LSTMs read the zeros. Use the given embedding_layer "
                    "(mask_zero=True) right after the input.": unmasked
                },
            )

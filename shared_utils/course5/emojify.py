"""Helpers of course 5, notebook 6 (emojify): the five emoji, a tokenizer that splits words as
GloVe's vocabulary does, the vocabulary the embedding layer holds, the softmax, the Keras
training run with a line per epoch, and the figures and tables that compare the two versions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.special

from shared_utils.common.compute import MASKED_LSTM_NOISE, quiet_native_log

# label -> (emoji, name): the order of the labels in the data files
EMOJI = {
    0: ("\u2764\ufe0f", "heart"),
    1: ("\u26be", "baseball"),
    2: ("\U0001f604", "smile"),
    3: ("\U0001f61e", "disappointed"),
    4: ("\U0001f374", "fork and knife"),
}
N_CLASSES = len(EMOJI)
PAD = "<pad>"  # row 0 of the vocabulary: the padding, masked by the embedding layer
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def emoji(label: int) -> str:
    """The emoji of a label (0 to 4)."""
    if not 0 <= int(label) < N_CLASSES:
        raise ValueError(f"label {label} is not one of the {N_CLASSES} emoji labels 0 to {N_CLASSES - 1}")
    return EMOJI[int(label)][0]


def tokenize(sentence: str) -> list[str]:
    """The words of ``sentence`` as GloVe spells them: lower case, punctuation dropped, and
    contractions split the way GloVe's corpus was ("don't" -> "do", "n't"; "it's" -> "it", "'s").

    ``tokenize("I don't LOVE it!")`` is ``["i", "do", "n't", "love", "it"]``; an empty or
    punctuation-only sentence gives ``[]``. A value that is not a string raises ``TypeError``.
    """
    if not isinstance(sentence, str):
        raise TypeError(f"a sentence should be a string, got {type(sentence).__name__}: {sentence!r}")
    words: list[str] = []
    for token in _WORD.findall(sentence.lower().replace("\u2019", "'")):
        if token.endswith("n't") and len(token) > 3:
            words += [token[:-3], "n't"]
        elif "'" in token:
            head, tail = token.split("'", 1)
            words += [head, "'" + tail]
        else:
            words.append(token)
    return words


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, shifted by the maximum so that large scores do not overflow."""
    return scipy.special.softmax(np.asarray(z, dtype=np.float64), axis=-1)


def one_hot(labels: Sequence[int], n_classes: int = N_CLASSES) -> np.ndarray:
    """(m,) labels -> (m, n_classes) float64 rows of 0 with a 1 at each label."""
    labels = np.asarray(labels)
    if (
        labels.ndim != 1
        or labels.dtype.kind not in "iu"
        or labels.min(initial=0) < 0
        or (labels.max(initial=0) >= n_classes)
    ):
        raise ValueError(f"labels should be a 1-D array of integers 0 to {n_classes - 1}, got {labels!r}")
    return np.eye(n_classes)[labels]


def vocabulary(glove, sentences: Sequence[str], size: int = 20_000) -> list[str]:
    """The words the embedding layer holds: :data:`PAD` first (row 0), then the ``size`` most
    frequent words of GloVe (its rows are in order of frequency), then any word of
    ``sentences`` that GloVe knows but that is rarer. Words GloVe does not know are left out."""
    words = [PAD, *glove.words[:size]]
    known = set(words)
    for s in sentences:
        for w in tokenize(s):
            if w not in known and w in glove:
                words.append(w)
                known.add(w)
    return words


def unknown_words(sentence: str, known) -> list[str]:
    """The words of ``sentence`` (as :func:`tokenize` splits it) that are not in ``known``."""
    return [w for w in tokenize(sentence) if w not in known]


def keras_predict(model, indices: np.ndarray) -> np.ndarray:
    """The labels a Keras model gives to rows of word indices, (m, max_len) -> (m,).

    A row of padding only (an empty sentence, or one whose every word is unknown) gives the
    model nothing to read: it raises ``ValueError`` naming the rows, rather than returning the
    guess the model's biases alone would make."""
    indices = np.asarray(indices)
    if indices.ndim != 2:
        raise ValueError(f"expected word indices of shape (m, max_len), got shape {indices.shape}")
    empty = np.flatnonzero(~indices.any(axis=1))
    if empty.size:
        raise ValueError(
            f"row(s) {empty.tolist()} hold no word the vocabulary knows (only padding): there is "
            "nothing to classify. Give sentences with at least one known word."
        )
    with quiet_native_log(MASKED_LSTM_NOISE):
        return np.argmax(np.asarray(model(indices, training=False)), axis=-1)


def fit_keras(
    model,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int,
    batch_size: int = 32,
    seed: int = 0,
    learning_rate: float = 0.005,
    every: int = 5,
) -> list[float]:
    """Compile ``model`` (Adam, sparse categorical cross-entropy) and fit it on ``(x, y)`` with
    seeded shuffling, printing a line every ``every`` epochs (and the last), and a dot every 2 s
    between two lines (:func:`~shared_utils.common.progress.heartbeat`); the losses per epoch."""
    import keras

    from shared_utils.common.progress import heartbeat

    keras.utils.set_random_seed(seed)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )

    def report(epoch, logs):
        if (epoch + 1) % every == 0 or epoch + 1 == epochs:
            print(
                f"epoch {epoch + 1:>3}/{epochs}: loss {logs['loss']:.4f}, "
                f"training accuracy {logs['accuracy']:.3f}",
                flush=True,
            )

    with quiet_native_log(MASKED_LSTM_NOISE):
        history = model.fit(
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=True,
            verbose=0,
            callbacks=[heartbeat(), keras.callbacks.LambdaCallback(on_epoch_end=report)],
        )
    return [float(v) for v in history.history["loss"]]


def plot_confusion(labels: Sequence[int], predicted: Sequence[int], title: str, ax=None):
    """The confusion matrix (rows: true emoji, columns: predicted), counted by scikit-learn,
    with each count written in its cell."""
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    counts = confusion_matrix(labels, predicted, labels=list(range(N_CLASSES)))
    if ax is None:
        _, ax = plt.subplots(figsize=(4.8, 4.2))
    ax.imshow(counts, cmap="Blues")
    names = [EMOJI[c][1] for c in range(N_CLASSES)]
    ax.set_xticks(range(N_CLASSES), names, rotation=35, ha="right")
    ax.set_yticks(range(N_CLASSES), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(N_CLASSES):
        for j in range(N_CLASSES):
            dark = counts[i, j] > counts.max() / 2
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", color="white" if dark else "black")
    ax.set_title(f"{title}\naccuracy {np.trace(counts) / counts.sum():.3f}", fontsize=10)
    ax.figure.tight_layout()
    return ax.figure


def mistakes(sentences: Sequence[str], labels: Sequence[int], predicted: Sequence[int]) -> str:
    """One line per wrong prediction: the emoji given, the right one, the sentence."""
    rows = [
        f"  gave {emoji(p)}  expected {emoji(y)}   {s}"
        for s, y, p in zip(sentences, labels, predicted)
        if int(y) != int(p)
    ]
    return f"{len(rows)} mistake(s) of {len(labels)}:\n" + "\n".join(rows)


def word_order_table(data, first: Sequence[int], second: Sequence[int]) -> str:
    """The sentences of ``data`` marked ``word_order``: the right emoji and those of the two
    versions (``first``, ``second``: predicted labels of every sentence of ``data``), a tick
    where right."""

    def cell(p, y):
        return f"{emoji(p)} {'✓' if p == y else ' '}"

    lines = ["right  v1     v2     sentence"]
    for s, y, p1, p2, marked in zip(data.sentences, data.labels, first, second, data.word_order):
        if marked:
            lines.append(f"{emoji(y)}     {cell(p1, y)}   {cell(p2, y)}   {s}")
    return "\n".join(lines)

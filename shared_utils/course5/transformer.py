"""Course 5, notebook 9: the Transformer on the dates of notebook 7, around the learner's layers.

The encoder reads a written date of ``Tx`` characters (indices of
:func:`shared_utils.data.dates.human_vocabulary`, ``<pad>`` = 0); the decoder writes the ISO
form one symbol at a time. Its symbols are the target vocabulary: ``<pad>`` (0), ``<start>``
(1), then the eleven symbols of :func:`~shared_utils.data.dates.machine_vocabulary` shifted by
two, so that index 0 means padding on both sides and the masks treat both alike.

Mask convention, everywhere in this notebook (Keras's own): **1 means "attend", 0 means
"masked"**. A mask must broadcast to the scores' shape ``(..., Tq, Tk)``; :func:`check_mask`
refuses one that does not, naming both shapes.

Here: the target vocabulary and the decoder's inputs (:func:`decoder_inputs`), the checks of
bad input (:func:`check_mask`, :func:`check_length`), a training loop with a line per epoch
(:func:`fit`), greedy decoding (:func:`greedy_decode`, :func:`translate`), the weights of a
Transformer in a fixed order (:func:`ordered_weights`), stored weights as arrays
(:func:`stored_arrays`) and the figure of every head's attention (:func:`plot_heads`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from shared_utils.common.progress import heartbeat
from shared_utils.course5.translation import exact_match
from shared_utils.data import dates

PAD, START = 0, 1
COMPILE_AFTER = 60  # batches: a longer training run is compiled into a graph (see fit)
SHIFT = 2  # target index = machine-vocabulary index + SHIFT

__all__ = [
    "PAD",
    "START",
    "check_length",
    "check_mask",
    "decoder_inputs",
    "exact_match",
    "fit",
    "greedy_decode",
    "ordered_weights",
    "point_wise_feed_forward",
    "plot_heads",
    "reason",
    "stored_arrays",
    "target_vocabulary_size",
    "translate",
]


def target_vocabulary_size() -> int:
    """``<pad>``, ``<start>`` and the eleven ISO symbols: 13."""
    return len(dates.machine_vocabulary()) + SHIFT


def point_wise_feed_forward(d_model: int, dff: int) -> Any:
    """The Transformer's feed-forward network: Dense(dff, relu) then Dense(d_model), per position."""
    import keras

    return keras.Sequential([keras.layers.Dense(dff, activation="relu"), keras.layers.Dense(d_model)])


def decoder_inputs(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Machine-vocabulary indices Y (m, Ty) -> (decoder input, decoder target), both (m, Ty) int32.

    The target is Y shifted into the target vocabulary; the input is ``<start>`` followed by
    the target without its last symbol (teacher forcing: step t reads the symbols before t).
    """
    Y = np.asarray(Y)
    if Y.ndim != 2 or Y.dtype.kind not in "iu":
        raise ValueError(f"Y must be a 2-D array of integer indices (m, Ty), got {Y.dtype} {Y.shape}")
    target = (Y + SHIFT).astype(np.int32)
    start = np.full((len(Y), 1), START, dtype=np.int32)
    return np.concatenate([start, target[:, :-1]], axis=1), target


def check_mask(mask: Any, q_len: Any, k_len: Any) -> Any:
    """``mask`` as float32, after checking that it broadcasts to ``(..., q_len, k_len)``.

    ``None`` stays ``None`` (attend everywhere). Lengths that are not known yet (``None``, while
    Keras traces a model) are not checked. A mask of another shape raises ``ValueError``
    naming its shape, the scores' and the convention (1 = attend, 0 = masked).
    """
    if mask is None:
        return None
    import keras

    shape = tuple(mask.shape)
    want = (q_len, k_len)
    bad = len(shape) < 2
    if not bad:
        for have, need in zip(shape[-2:], want):
            if have is not None and need is not None and int(have) not in (1, int(need)):
                bad = True
    if bad:
        raise ValueError(
            f"the mask has shape {shape}, which does not broadcast to the attention scores "
            f"(..., {q_len}, {k_len}) (queries, keys): give a padding mask of shape (m, 1, 1, {k_len}) "
            f"or a look-ahead mask ({q_len}, {k_len}); 1 means attend, 0 means masked."
        )
    return keras.ops.cast(mask, "float32")


def check_length(length: Any, maximum: int, what: str = "the sequence") -> None:
    """Refuse a sequence longer than the ``maximum`` positions the positional encoding holds."""
    if length is not None and int(length) > maximum:
        raise ValueError(
            f"{what} has {int(length)} positions, more than the {maximum} the model's positional "
            f"encoding holds: truncate it to {maximum} (or build the model with a larger maximum)."
        )


def fit(
    model: Any,
    X: np.ndarray,
    Y: np.ndarray,
    epochs: int,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    seed: int = 0,
    log: Callable[[str], None] = print,
    compiled: bool | None = None,
) -> list[dict[str, float]]:
    """Train ``model`` (called as ``model(inp, tar, training=True)`` -> (logits, weights)) on
    inputs X (m, Tx) and machine-vocabulary targets Y (m, Ty) with teacher forcing.

    Adam, sparse cross-entropy on the logits; one line per epoch (loss, token accuracy,
    seconds) and a dot every 2 s between them. ``compiled`` runs the step as a ``tf.function``:
    building its graph takes tens of seconds, which pays only over many batches; by default
    (None) a run of more than ``COMPILE_AFTER`` batches is compiled, a shorter one runs
    eagerly. Returns one dict per epoch.
    """
    import keras
    import tensorflow as tf

    X = np.asarray(X, dtype=np.int32)
    dec_in, target = decoder_inputs(Y)
    optimizer = keras.optimizers.Adam(learning_rate)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def step(inp, tar_in, tar_out):
        with tf.GradientTape() as tape:
            logits, _ = model(inp, tar_in, training=True)
            loss = loss_fn(tar_out, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        right = tf.reduce_mean(
            tf.cast(tf.equal(tf.argmax(logits, -1, output_type=tf.int32), tar_out), "float32")
        )
        return loss, right

    if compiled is None:
        compiled = epochs * -(-len(X) // batch_size) > COMPILE_AFTER
    if compiled:
        step = tf.function(step, reduce_retracing=True)
    rng = np.random.default_rng(seed)
    history = []
    dots = heartbeat()
    dots.on_train_begin()
    for epoch in range(epochs):
        began = time.perf_counter()
        order = rng.permutation(len(X))
        losses, rights = [], []
        for i in range(0, len(X), batch_size):
            b = order[i : i + batch_size]
            loss, right = step(X[b], dec_in[b], target[b])
            losses.append(float(loss))
            rights.append(float(right))
        seconds = time.perf_counter() - began
        dots.on_epoch_end(epoch)
        history.append(
            {"loss": float(np.mean(losses)), "token_accuracy": float(np.mean(rights)), "seconds": seconds}
        )
        log(
            f"epoch {epoch + 1}/{epochs}: loss {history[-1]['loss']:.4f}, "
            f"token accuracy {history[-1]['token_accuracy']:.4f} ({seconds:.1f} s)"
        )
    dots.on_train_end()
    return history


def reason(error: BaseException) -> str:
    """The first line of an error's own message (Keras puts "Exception encountered when calling
    ..." and the arguments around the message of an error raised inside a layer)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("Exception encountered when calling")]
    return lines[0] if lines else type(error).__name__


def greedy_decode(model: Any, X: np.ndarray, Ty: int = dates.TY, batch_size: int = 500):
    """Write Ty symbols for each input row, one at a time, each time the most likely.

    Returns (machine-vocabulary indices (m, Ty) int32, the attention weights of the last call:
    the model's dict of (m, heads, Ty, ...) arrays). A symbol the decoder should never write
    (``<pad>``, ``<start>``) is ruled out before the argmax.
    """
    X = np.asarray(X, dtype=np.int32)
    rows, weights = [], {}
    dots = heartbeat()  # a dot every 2 s: decoding a thousand dates takes a few seconds
    dots.on_train_begin()
    for i in range(0, len(X), batch_size):
        xb = X[i : i + batch_size]
        tar = np.full((len(xb), Ty), PAD, dtype=np.int32)  # later positions cannot be seen (look-ahead)
        tar[:, 0] = START
        written = np.zeros((len(xb), Ty), dtype=np.int32)
        for t in range(Ty):
            logits, weights = model(xb, tar, training=False)
            written[:, t] = np.asarray(logits)[:, t, SHIFT:].argmax(-1)
            if t + 1 < Ty:
                tar[:, t + 1] = written[:, t] + SHIFT
        rows.append(written)
    dots.on_train_end()
    out = {k: np.asarray(v) for k, v in weights.items()} if len(X) <= batch_size else {}
    return np.concatenate(rows), out


def translate(model: Any, texts: Sequence[str], Tx: int = dates.TX) -> list[str]:
    """The ISO dates the model writes for written dates (a text longer than Tx is refused)."""
    X = dates.encode(list(texts), dates.human_vocabulary(), Tx)
    indices, _ = greedy_decode(model, X)
    return dates.decode(indices, dates.machine_vocabulary())


def _weighted_layers(model: Any) -> list:
    """The Transformer's weighted sublayers in a fixed order, found by their attribute names."""

    def get(obj, name):
        if not hasattr(obj, name):
            raise ValueError(
                f"{type(obj).__name__} has no attribute {name!r}: keep the attribute names the "
                "notebook gives (the stored weights are found by them)"
            )
        return getattr(obj, name)

    def mha(m):
        return [get(m, "wq"), get(m, "wk"), get(m, "wv"), get(m, "dense")]

    enc, dec = get(model, "encoder"), get(model, "decoder")
    found = [get(enc, "embedding")]
    for layer in get(enc, "enc_layers"):
        found += mha(get(layer, "mha")) + [get(layer, n) for n in ("ffn", "layernorm1", "layernorm2")]
    found.append(get(dec, "embedding"))
    for layer in get(dec, "dec_layers"):
        found += mha(get(layer, "mha1")) + mha(get(layer, "mha2"))
        found += [get(layer, n) for n in ("ffn", "layernorm1", "layernorm2", "layernorm3")]
    return found + [get(model, "final_layer")]


def ordered_weights(model: Any) -> list:
    """The model's variables in the order they are stored, whatever order the layers were made in."""
    return [v for layer in _weighted_layers(model) for v in layer.weights]


def stored_arrays(name: str) -> list[np.ndarray]:
    """The tensors of the trained weights ``name`` as float32 arrays, in their stored order
    (after checking the file's SHA-256): for a NumPy forward pass, with no Keras model."""
    import h5py

    from shared_utils.data import registry

    p = registry.verified_path(registry.trained_weights()[name])
    with h5py.File(p, "r") as f:
        return [np.asarray(f[f"{i:04d}"][()], dtype=np.float32) for i in range(int(f.attrs["count"]))]


def plot_heads(weights: np.ndarray, text: str, output: str, title: str = "") -> Any:
    """One heatmap per head: (heads, Ty, Tx) weights of each output symbol on each input character."""
    import matplotlib.pyplot as plt

    weights = np.asarray(weights)
    heads = weights.shape[0]
    n = len(text)
    fig, axes = plt.subplots(1, heads, figsize=(3.6 * heads, 3.4), squeeze=False)
    for h, ax in enumerate(axes[0]):
        ax.imshow(weights[h, : len(output), :n], cmap="viridis", aspect="auto", vmin=0, vmax=1)
        ax.set_xticks(range(n), list(text), fontsize=7)
        ax.set_yticks(range(len(output)), list(output), fontsize=8)
        ax.set_title(f"head {h + 1}", fontsize=9)
        ax.set_xlabel("input character")
    axes[0][0].set_ylabel("output symbol")
    fig.suptitle(title or f"{text!r} -> {output}", fontsize=10)
    fig.tight_layout()
    return fig

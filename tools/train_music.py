"""Train the music LSTM of course 5, notebook 3, and ship its weights with their card.

    nice -n 5 python tools/train_music.py    # a few minutes on 2 CPU cores (the card records how long)

The architecture is the notebook's ``djmodel``: one LSTM cell of ``N_A`` units (its state
passed from step to step) and one softmax Dense layer over the musical values, shared by all
time steps. Here it is built with code of its own, as a sequence model
(``LSTM(return_sequences=True)`` then the Dense layer on every step), which computes exactly
what the unrolled ``djmodel`` computes, with the same five weight tensors in the same order
(LSTM kernel, recurrent kernel, bias; Dense kernel, bias) and trains much faster.
``tests/course5/test_music_weights.py`` loads the shipped weights into the notebook's solution
models and checks they give the same predictions.

Data: the windows of :func:`shared_utils.course5.music.training_windows` over the committed
tunes (``Tx = 30``, a window every ``STRIDE`` values). Writes
``shared_data/weights/music_lstm.weights.h5`` and its card (float16); the card's figure is the
mean cross-entropy per value on those windows, measured with the rounded weights.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras  # noqa: E402

from shared_utils.course5 import music  # noqa: E402
from shared_utils.models import trained  # noqa: E402

NAME = "music_lstm"
N_A, TX, STRIDE = 64, 30, 5
EPOCHS, BATCH, LEARNING_RATE, SEED = 120, 32, 0.005, 0


def sequence_model(n_values: int, n_a: int = N_A) -> keras.Model:
    """The djmodel's layers run over whole sequences: same weights, same predictions."""
    x = keras.Input((None, n_values), name="values")
    h = keras.layers.LSTM(n_a, return_sequences=True, name="lstm_cell")(x)
    out = keras.layers.Dense(n_values, activation="softmax", name="densor")(h)
    return keras.Model(x, out, name="music_lstm")


def main() -> None:
    keras.utils.set_random_seed(SEED)
    tunes = music.load_tunes()
    vocab = music.build_vocabulary(tunes)
    X, Y = music.training_windows(tunes, vocab, Tx=TX, stride=STRIDE)
    print(f"{X.shape[0]} windows of {TX} values, {len(vocab)} distinct values", flush=True)
    model = sequence_model(len(vocab))
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="categorical_crossentropy")
    start = music.sequence_cross_entropy(model.predict(X, verbose=0), Y)
    began = time.time()
    model.fit(X, Y, batch_size=BATCH, epochs=EPOCHS, verbose=2)
    seconds = time.time() - began
    trained.quantize(model)
    loss = music.sequence_cross_entropy(model.predict(X, verbose=0), Y)
    print(f"mean cross-entropy per value: {start:.4f} untrained -> {loss:.4f} (float16 weights)")
    card = trained.save(
        model,
        NAME,
        tool="python tools/train_music.py",
        data=f"{X.shape[0]} windows of {TX} values (a window every {STRIDE}) of the 50 O'Neill tunes "
        "(course5_sequence/data/music_oneills_tunes.json)",
        epochs=EPOCHS,
        seed=SEED,
        metric={
            "name": "mean cross-entropy per value (nats)",
            "value": loss,
            "split": f"the {X.shape[0]} training windows (untrained: {start:.3f})",
        },
        licence="weights: same terms as the workbook; data: BSD-3-Clause (music21's corpus)",
        seconds=seconds,
        notes="the weights of the notebook's djmodel: LSTM cell then softmax Dense, shared by every time step",  # noqa: E501
        n_a=N_A,
        n_values=len(vocab),
        optimizer=f"Adam({LEARNING_RATE}), batch {BATCH}",
        untrained_loss=start,
    )
    print(f"wrote {card['file']} ({card['size']:,} bytes), sha256 {card['sha256']}")


if __name__ == "__main__":
    main()

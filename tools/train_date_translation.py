"""Train the date translators of course 5, notebook 7, and ship their weights with their cards.

    nice -n 5 python tools/train_date_translation.py                 # all three, ~15 min on 2 cores
    nice -n 5 python tools/train_date_translation.py --score general  # one of them

Three models, each built here with code of its own from :func:`shared_utils.course5.translation.shared_layers`
(the layers the notebook's builders receive): a bidirectional LSTM encoder, then ``Ty`` decoder
steps, each an attention step over the encoder's states and one step of a post-attention LSTM,
whose state goes on to the next step, and a softmax over the 11 symbols of an ISO date.

* ``date_bahdanau``: Bahdanau's additive score, v . tanh(W [a_t; s_prev] + b);
* ``date_luong_general``: Luong's general (multiplicative) score, a_t . (W s_prev).
* ``date_luong_dot``: Luong's dot score, a_t . s_prev (no attention weights; n_s = 2 n_a).

Data: :func:`shared_utils.data.dates.make_splits` (``N_TRAIN`` training pairs from seed 0,
``N_TEST`` held-out pairs from seed 1 that share no written date with them). The weights are
stored as float16 in ``shared_data/weights/`` in the order of
:func:`~shared_utils.course5.translation.ordered_weights`, and each card's figure is the exact
match (all ten characters right) on the held-out dates, measured with the stored weights.
``tests/course5/test_translation.py`` loads them into the notebook's solution models.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from shared_utils.course5 import translation  # noqa: E402
from shared_utils.data import dates  # noqa: E402
from shared_utils.models import trained  # noqa: E402

N_A, N_S = 32, 64
N_TRAIN, N_TEST = 20000, 2000
BATCH, LEARNING_RATE, SEED = 100, 0.005, 0
EPOCHS = {"additive": 16, "general": 16, "dot": 16}
NAMES = {"additive": "date_bahdanau", "general": "date_luong_general", "dot": "date_luong_dot"}


def attend(a, s_prev, layers: translation.TranslatorLayers, score: str):
    """The context vector (m, 1, 2 n_a) of one decoder step."""
    if score == "additive":
        e = layers.densor2(layers.densor1(layers.concatenator([a, layers.repeator(s_prev)])))
    else:
        query = s_prev if score == "dot" else layers.general(s_prev)
        e = keras.ops.expand_dims(keras.ops.einsum("mtd,md->mt", a, query), -1)
    return layers.dotor([layers.activator(e), a])


def build(score: str, Tx: int = dates.TX, Ty: int = dates.TY):
    """The translator with ``score``: (model, its shared layers)."""
    n_x, n_y = len(dates.human_vocabulary()), len(dates.machine_vocabulary())
    layers = translation.shared_layers(Tx, N_A, N_S, n_y)
    X = keras.Input((Tx, n_x), name="X")
    s0 = keras.Input((N_S,), name="s0")
    c0 = keras.Input((N_S,), name="c0")
    a = keras.layers.Bidirectional(keras.layers.LSTM(N_A, return_sequences=True), name="encoder")(X)
    s, c, outputs = s0, c0, []
    for _ in range(Ty):
        _, s, c = layers.post_activation_LSTM_cell(attend(a, s, layers, score), initial_state=[s, c])
        outputs.append(layers.output_layer(s))
    return keras.Model([X, s0, c0], outputs, name=NAMES[score]), layers


def train(
    score: str, epochs: int | None = None, n_train: int = N_TRAIN, n_test: int = N_TEST, save: bool = True
):
    keras.utils.set_random_seed(SEED)
    train_pairs, test_pairs = dates.make_splits(n_train, n_test, seed=SEED)
    _, _, Xoh, Yoh = dates.dataset(train_pairs)
    _, _, Xt, _ = dates.dataset(test_pairs)
    expected = [iso for _, iso in test_pairs]
    model, layers = build(score)
    epochs = EPOCHS[score] if epochs is None else epochs
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="categorical_crossentropy")
    zeros = np.zeros((len(Xoh), N_S), dtype="float32")
    targets = [Yoh[:, t] for t in range(dates.TY)]
    began = time.time()
    for epoch in range(epochs):
        model.fit([Xoh, zeros, zeros], targets, batch_size=BATCH, epochs=1, verbose=0)
        match = translation.exact_match(translation.predict_iso(model, Xt, N_S), expected)
        print(
            f"{NAMES[score]} epoch {epoch + 1}/{epochs}: held-out exact match {match:.4f} "
            f"({time.time() - began:.0f} s)",
            flush=True,
        )
    seconds = time.time() - began
    trained.quantize(model)
    match = translation.exact_match(translation.predict_iso(model, Xt, N_S), expected)
    print(f"{NAMES[score]}: exact match {match:.4f} on {n_test} held-out dates (float16 weights)")
    if not save:
        return match
    variables = translation.ordered_weights(model, layers, score)
    card = trained.save(
        model,
        NAMES[score],
        tool="python tools/train_date_translation.py",
        data=f"{n_train} written dates (shared_utils.data.dates.make_splits, seed {SEED}): "
        f"{len(dates.FORMATS)} formats in {len({loc for loc, _ in dates.FORMATS})} locales, days 1950-2049",
        epochs=epochs,
        seed=SEED,
        metric={
            "name": "exact match",
            "value": match,
            "split": f"{n_test} held-out dates (make_splits({n_train}, {n_test}), none read in training)",
        },
        licence="weights: same terms as the workbook; data: generated (Faker MIT, babel/CLDR BSD-3-Clause)",
        seconds=seconds,
        notes=f"{score} attention; encoder Bidirectional(LSTM({N_A})), post-attention LSTM({N_S}); "
        "weights in the order of translation.ordered_weights",
        variables=variables,
        score=score,
        n_a=N_A,
        n_s=N_S,
        Tx=dates.TX,
        Ty=dates.TY,
        n_train=n_train,
        n_test=n_test,
        optimizer=f"Adam({LEARNING_RATE}), batch {BATCH}",
    )
    print(f"wrote {card['file']} ({card['size']:,} bytes), sha256 {card['sha256']}")
    return match


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--score", choices=sorted(NAMES), action="append", help="the model(s) to train")
    parser.add_argument("--epochs", type=int, help="override the number of epochs (trial runs)")
    parser.add_argument("--n-train", type=int, default=N_TRAIN)
    parser.add_argument("--dry-run", action="store_true", help="train and measure, write nothing")
    args = parser.parse_args()
    for score in args.score or ["additive", "general", "dot"]:
        train(score, args.epochs, n_train=args.n_train, save=not args.dry_run)


if __name__ == "__main__":
    main()

"""Train the trigger-word model of course 5, notebook 8, and ship its weights with their card.

    nice -n 5 python tools/train_trigger_model.py    # about ten minutes on 2 CPU cores (the card says)

The architecture is the notebook's ``modelf`` (Conv1D, batch norm, ReLU, dropout, two GRU
layers each followed by dropout and batch norm, a sigmoid per time step), built here with
code of its own and the same weights in the same order; ``tests/course5/test_trigger.py``
loads the shipped weights into the notebook's solution model and checks they fit.

Data: :func:`shared_utils.course5.trigger.synthesize_examples` over the committed clips of
the training voices and backgrounds (``TRAIN_EXAMPLES`` examples of 5 s, each word resampled
by a random factor within 1 +- ``STRETCH``, a fresh set every ``REFRESH`` epochs). The card's
figure is the detection F1 (:func:`trigger.detection_f1`: a rise above 0.5, none within 0.5 s
of the previous one, right from 200 ms before to 800 ms after the end of an "activate") on
``TEST_EXAMPLES`` examples mixed from the held-out voices and backgrounds, measured with the
float16 weights.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras  # noqa: E402

from shared_utils.course5 import trigger  # noqa: E402
from shared_utils.models import trained  # noqa: E402

NAME = "trigger_gru"
FILTERS, UNITS, DROPOUT = 64, 64, 0.2
TRAIN_EXAMPLES, REFRESH, EPOCHS, BATCH, LEARNING_RATE, SEED, STRETCH = 1500, 4, 20, 32, 0.002, 0, 0.12
TEST_EXAMPLES, TEST_SEED = 200, 1234


def build(input_shape=(trigger.TX, trigger.N_FREQ), filters=FILTERS, units=UNITS, dropout=DROPOUT):
    """The notebook's modelf, written again: same layers, same weights in the same order."""
    layers = keras.layers
    x = keras.Input(shape=input_shape, name="spectrogram")
    h = layers.Conv1D(filters, trigger.KERNEL, strides=trigger.STRIDE, name="conv")(x)
    h = layers.Dropout(dropout)(layers.Activation("relu")(layers.BatchNormalization(name="bn_conv")(h)))
    h = layers.GRU(units, return_sequences=True, name="gru_1")(h)
    h = layers.BatchNormalization(name="bn_1")(layers.Dropout(dropout)(h))
    h = layers.GRU(units, return_sequences=True, name="gru_2")(h)
    h = layers.Dropout(dropout)(layers.BatchNormalization(name="bn_2")(layers.Dropout(dropout)(h)))
    out = layers.TimeDistributed(layers.Dense(1, activation="sigmoid"), name="per_step")(h)
    return keras.Model(x, out, name="trigger_gru")


def main() -> None:
    keras.utils.set_random_seed(SEED)
    bank, held_out = trigger.load_clips("train"), trigger.load_clips("test")
    test = trigger.synthesize_examples(held_out, TEST_EXAMPLES, seed=TEST_SEED)
    model = build()
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="binary_crossentropy")
    began = time.time()
    for first in range(0, EPOCHS, REFRESH):
        data = trigger.synthesize_examples(bank, TRAIN_EXAMPLES, seed=SEED + first, stretch=STRETCH)
        print(f"epochs {first + 1}-{first + REFRESH}: {TRAIN_EXAMPLES} fresh examples", flush=True)
        model.fit(data.x, data.y, batch_size=BATCH, epochs=first + REFRESH, initial_epoch=first, verbose=2)
        probabilities = model.predict(test.x, verbose=0)
        score = trigger.detection_f1(probabilities, test.segments)
        print(f"  held-out detection F1 {score['f1']:.3f} (precision {score['precision']:.3f}, "
              f"recall {score['recall']:.3f}; largest probability {probabilities.max():.2f})",
              flush=True)  # fmt: skip
    seconds = time.time() - began
    trained.quantize(model)
    score = trigger.detection_f1(model.predict(test.x, verbose=0), test.segments)
    print(f"float16 weights: held-out detection F1 {score['f1']:.4f}")
    card = trained.save(
        model,
        NAME,
        tool="nice -n 5 python tools/train_trigger_model.py",
        data=f"{TRAIN_EXAMPLES} examples of 5 s mixed from the committed training clips "
        f"(voices {', '.join(trigger.clips_card()['voices']['train'])}), each word resampled by a random "
        f"factor within 1 +- {STRETCH}, a fresh set every {REFRESH} epochs",
        epochs=EPOCHS,
        seed=SEED,
        metric={
            "name": "detection F1",
            "value": score["f1"],
            "split": f"{TEST_EXAMPLES} examples mixed from the held-out voices "
            f"({', '.join(trigger.clips_card()['voices']['held_out'])}) and backgrounds, seed {TEST_SEED}",
        },
        licence="CC0-1.0",
        seconds=seconds,
        builder={"filters": FILTERS, "units": UNITS, "dropout": DROPOUT},
        optimizer=f"Adam({LEARNING_RATE}), batch {BATCH}, binary cross-entropy",
        precision=score["precision"],
        recall=score["recall"],
    )
    print(f"wrote {card['file']} ({card['size'] / 1e6:.2f} MB), sha256 {card['sha256']}")


if __name__ == "__main__":
    main()

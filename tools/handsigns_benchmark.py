#!/usr/bin/env python3
"""How hard is the generated hand-sign set?  A dense network against a small CNN.

Trains, on the 1080 training images of ``shared_utils.data.handsigns`` (Keras 3, CPU, seeded):

* the dense network of the classic course's TensorFlow notebook: 12288 -> 25 -> 12 -> 6
  (ReLU, softmax), Adam (learning rate 1e-4), 100 epochs, batch 32;
* the small "convolution model" of its Keras notebook: Conv 8 4x4 same -> ReLU -> MaxPool
  8x8 -> Conv 16 2x2 same -> ReLU -> MaxPool 4x4 -> Flatten -> Dense 6 softmax, Adam
  (learning rate 2e-3), 50 epochs, batch 32 (about a minute on a 2-core CPU);

and prints their accuracy on the 120 test images and on 600 more images drawn with another
seed (a steadier figure), their training seconds, and the seconds to draw 1200 images.

    python tools/handsigns_benchmark.py                 # the full benchmark (about 2 minutes)
    python tools/handsigns_benchmark.py --json out.json # also write the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from shared_utils.data import handsigns  # noqa: E402

HELDOUT_SEED, N_HELDOUT = 6000, 600


def dense_model(keras, size: int = 64):
    """The classic TensorFlow notebook's network on flattened pixels: 25 -> 12 -> 6."""
    return keras.Sequential(
        [
            keras.Input((size, size, 3)),
            keras.layers.Flatten(),
            keras.layers.Dense(25, activation="relu"),
            keras.layers.Dense(12, activation="relu"),
            keras.layers.Dense(6, activation="softmax"),
        ]
    )


def cnn_model(keras, size: int = 64):
    """The classic Keras notebook's convolution model: two conv + pool blocks, then Dense 6."""
    return keras.Sequential(
        [
            keras.Input((size, size, 3)),
            keras.layers.Conv2D(8, 4, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(8, strides=8, padding="same"),
            keras.layers.Conv2D(16, 2, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(4, strides=4, padding="same"),
            keras.layers.Flatten(),
            keras.layers.Dense(6, activation="softmax"),
        ]
    )


def train(build, x, y, evals: dict, epochs: int, batch: int, lr: float, seed: int) -> dict:
    """Fit a freshly built model (seeded); return training seconds and accuracy on each eval set."""
    import keras

    keras.utils.set_random_seed(seed)
    model = build(keras)
    model.compile(
        optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    t0 = time.perf_counter()
    hist = model.fit(x, y, epochs=epochs, batch_size=batch, verbose=0)
    seconds = time.perf_counter() - t0
    out = {"train_s": round(seconds, 1), "train_acc": round(float(hist.history["accuracy"][-1]), 3)}
    for name, (ex, ey) in evals.items():
        pred = model.predict(ex, batch_size=256, verbose=0).argmax(axis=1)
        out[name] = round(float((pred == ey).mean()), 3)
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dense-epochs", type=int, default=100)
    ap.add_argument("--dense-lr", type=float, default=1e-4)
    ap.add_argument("--cnn-epochs", type=int, default=50)
    ap.add_argument("--cnn-lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    t0, c0 = time.perf_counter(), time.process_time()
    data = handsigns.load_hand_signs(cache=False)
    gen_s, gen_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"drew 1200 images in {gen_s:.1f} s (process CPU {gen_cpu:.1f} s)", flush=True)
    hx, hy = handsigns.generate(N_HELDOUT, HELDOUT_SEED)

    x = data.train_x.astype("float32") / 255
    evals = {
        "test_acc": (data.test_x.astype("float32") / 255, data.test_y),
        "heldout_acc": (hx.astype("float32") / 255, hy),
    }
    figures = {"generate_1200_s": round(gen_s, 1), "generate_1200_cpu_s": round(gen_cpu, 1)}
    figures["dense"] = train(
        dense_model, x, data.train_y, evals, args.dense_epochs, 32, args.dense_lr, args.seed
    )
    print("dense:", figures["dense"], flush=True)
    figures["cnn"] = train(cnn_model, x, data.train_y, evals, args.cnn_epochs, 32, args.cnn_lr, args.seed)
    print("cnn:  ", figures["cnn"], flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()

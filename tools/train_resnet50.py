#!/usr/bin/env python3
"""Train the ResNet-50 that Course 4 notebook 3 loads: ``resnet50_handsigns``.

The network is ``keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3),
classes=6)``, built fresh (no ImageNet weights: nothing is downloaded).  The notebook's
``ResNet50`` is built layer for layer like it (same layers, strides, paddings, batch-norm
epsilon, weights of the same shapes); ``tests/course4/test_resnet.py`` proves it by loading
the shipped weights into the solution's model (in the
order of :func:`shared_utils.course4.resnet.graph_weights`, which pairs the layers by their
place in the graph, not by their names) and comparing its predictions with the applications model's.
Training the applications model keeps this tool independent of the notebook's source.

Recipe (seeded; one line per epoch):

* data: ``shared_utils.data.handsigns.load_hand_signs()``: 1080 training and 120 test images,
  64x64x3, standardised as the notebook does (pixels / 255);
* light augmentation of the training images (random shifts of up to 8 %, rotations of up to
  5 degrees, zooms of up to 8 %, contrast changes of up to 20 %);
* Adam, a cosine decay of the learning rate from ``--lr`` after a warm-up of half an epoch, batch 32,
  cross-entropy with label smoothing 0.1;
* the test images are used once, at the end, for the figure on the card (no choice of epoch
  or recipe looks at them during a run).

Then the batch normalisations' moving statistics are recomputed over the training images
with the final weights (:func:`recalibrate_batch_norm`), ``trained.quantize`` rounds the
weights to float16, the test accuracy is measured with
exactly those weights, and ``trained.save(..., dtype="float16")`` writes
``shared_data/weights/resnet50_handsigns.weights.h5`` and its card, the variables stored in
the order of :func:`shared_utils.course4.resnet.graph_weights` (layer by layer in the graph's
order, which does not depend on how the network's code is written).

The shipped weights came from three phases (the card's ``tool`` gives the exact commands, each
phase appending its own, and ``phases`` the epochs of each; 16 epochs in all)::

    nice -n 5 python tools/train_resnet50.py                                # 8 epochs from scratch
    nice -n 5 python tools/train_resnet50.py --resume --epochs 4 --lr 3e-4  # 4 more
    nice -n 5 python tools/train_resnet50.py --resume --epochs 4 --lr 2e-4  # 4 more: the shipped file
    python tools/train_resnet50.py --epochs 1 --no-save       # a quick look at the speed

(The first phase was run before :func:`recalibrate_batch_norm` existed: its file held the
trailing moving statistics, which gave 0.18 test accuracy in inference mode against 0.88 once
recalibrated.  The later phases train in training mode and recalibrate at the end, so that
changes nothing in the shipped weights.)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NAME = "resnet50_handsigns"
TOOL = "python tools/train_resnet50.py"


def build(keras):
    """The trained network: Keras's ResNet-50 for 64x64x3 images and 6 classes."""
    return keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3), classes=6)


def augmenter(keras, seed: int):
    return keras.Sequential(
        [
            keras.layers.RandomTranslation(0.08, 0.08, fill_mode="reflect", seed=seed),
            keras.layers.RandomRotation(5 / 360, fill_mode="reflect", seed=seed + 1),
            keras.layers.RandomZoom(0.08, fill_mode="reflect", seed=seed + 2),
            keras.layers.RandomContrast(0.2, seed=seed + 3),
        ],
        name="augment",
    )


def recalibrate_batch_norm(keras, model, x, batch: int) -> None:
    """Set every batch normalisation's moving mean and variance to the average of its batch
    statistics over ``x`` (no augmentation), with the final weights.

    During a short training run the moving averages (momentum 0.99) trail weights that still
    change quickly, and the network in inference mode can then be far worse than in training
    mode; averaging the statistics once more with the weights as they end removes that gap.
    """
    layers = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    momenta = [layer.momentum for layer in layers]
    for layer in layers:
        layer.moving_mean.assign(keras.ops.zeros_like(layer.moving_mean))
        layer.moving_variance.assign(keras.ops.ones_like(layer.moving_variance))
    for k, start in enumerate(range(0, len(x), batch)):
        for layer in layers:
            layer.momentum = k / (k + 1)  # a running mean of the batches' statistics
        model(x[start : start + batch], training=True)
    for layer, momentum in zip(layers, momenta):
        layer.momentum = momentum


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--smoothing", type=float, default=0.1)
    p.add_argument("--limit", type=int, default=0, help="train on the first N images only (speed checks)")
    p.add_argument("--no-save", action="store_true", help="train and measure, write nothing")
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue from the shipped weights (a second phase: no warm-up, cosine decay from --lr)",
    )
    args = p.parse_args(argv)

    import keras
    import numpy as np
    import tensorflow as tf

    from shared_utils.course4 import resnet
    from shared_utils.data.handsigns import load_hand_signs
    from shared_utils.models import trained

    keras.utils.set_random_seed(args.seed)
    data = load_hand_signs(progress=False)
    x_train = data.train_x.astype("float32") / 255.0
    y_train = data.train_y.astype("int64")
    x_test = data.test_x.astype("float32") / 255.0
    y_test = data.test_y.astype("int64")
    if args.limit:
        x_train, y_train = x_train[: args.limit], y_train[: args.limit]
    n_classes = len(data.classes)

    aug = augmenter(keras, args.seed)
    ds = (
        tf.data.Dataset.from_tensor_slices((x_train, tf.one_hot(y_train, n_classes)))
        .shuffle(len(x_train), seed=args.seed, reshuffle_each_iteration=True)
        .batch(args.batch)
        .map(lambda x, y: (aug(x, training=True), y), num_parallel_calls=1)
        .prefetch(2)
    )
    per_epoch = int(np.ceil(len(x_train) / args.batch))
    model = build(keras)
    before = None
    if args.resume:
        before = trained.load(model, NAME, variables=resnet.graph_weights(model))
        print(
            f"resuming from {before['file']} ({before['epochs']} epochs, sha256 {before['sha256'][:12]}...)"
        )
        schedule = keras.optimizers.schedules.CosineDecay(args.lr, decay_steps=per_epoch * args.epochs)
    else:
        warmup = per_epoch // 2
        schedule = keras.optimizers.schedules.CosineDecay(
            args.lr / 10,
            decay_steps=max(1, per_epoch * args.epochs - warmup),
            warmup_target=args.lr,
            warmup_steps=warmup,
        )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=args.smoothing),
        metrics=["accuracy"],
    )
    print(
        f"{model.name}: {model.count_params():,} parameters; {len(x_train)} training images, "
        f"{args.epochs} epochs"
    )
    start = time.perf_counter()
    model.fit(ds.repeat(), epochs=args.epochs, steps_per_epoch=per_epoch, verbose=2)
    seconds = time.perf_counter() - start
    recalibrate_batch_norm(keras, model, x_train, args.batch)
    print(f"batch-norm statistics averaged over the {len(x_train)} training images")

    trained.quantize(model)
    _, train_acc = model.evaluate(x_train, keras.utils.to_categorical(y_train, n_classes), verbose=0)
    probs = model.predict(x_test, verbose=0)
    test_acc = float(np.mean(np.argmax(probs, axis=1) == y_test))
    print(
        f"after float16 rounding: train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f}; "
        f"{seconds:.0f} s of training"
    )
    if args.no_save:
        return 0
    recipe = (
        f"Adam, cosine decay from {args.lr:g} after a half-epoch warm-up, batch {args.batch}, "
        f"label smoothing {args.smoothing:g}"
    )
    tool, epochs, extra = TOOL, args.epochs, {}
    if before is not None:
        tool = f"{before['tool']} && {TOOL} --resume --epochs {args.epochs} --lr {args.lr:g}"
        epochs = before["epochs"] + args.epochs
        recipe = (
            f"{before['notes'].split('; ', 1)[-1]}; then {args.epochs} more epochs from those weights "
            f"(--resume): Adam, cosine decay from {args.lr:g}, no warm-up"
        )
        seconds += float(before.get("seconds", 0.0))
        extra = {"phases": [*before.get("phases", [before["epochs"]]), args.epochs]}
    entry = trained.save(
        model,
        NAME,
        tool=tool,
        data="shared_utils.data.handsigns.load_hand_signs(): the 1080 training images "
        "(64x64x3, pixels / 255), "
        "lightly augmented (shifts, rotations, zooms, contrast)",
        epochs=epochs,
        seed=args.seed,
        metric={"name": "test accuracy", "value": test_acc, "split": "the 120 test images"},
        licence="weights trained by this project on its own generated images; same licence as the project",
        dtype="float16",
        seconds=seconds,
        notes=f"keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3), classes=6); {recipe}",
        builder="keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3), classes=6)",
        train_accuracy=float(train_acc),
        learning_rate=args.lr,
        batch_size=args.batch,
        label_smoothing=args.smoothing,
        order="shared_utils.course4.resnet.graph_weights(model): layer by layer in graph order",
        variables=resnet.graph_weights(model),
        **extra,
    )
    print(f"wrote {entry['file']} ({entry['size'] / 1e6:.1f} MB, sha256 {entry['sha256'][:12]}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

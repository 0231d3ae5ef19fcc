#!/usr/bin/env python3
"""Train the U-Net that Course 4 notebook 6 loads: ``unet_driving``.

The network is :func:`shared_utils.course4.segmentation.reference_unet` for 96x128x3 scenes,
``n_filters=16`` and the 10 classes of :mod:`shared_utils.data.driving`: the network of the
notebook's table (``tests/course4/test_segmentation.py`` loads the shipped weights into the
solution's ``unet_model`` and compares its predictions with the reference's).

Recipe (seeded; one line per epoch):

* data: ``load_driving_scenes()``: the 1200 training scenes (pixels / 255), every second one
  mirrored left to right (a street seen in a mirror is still a street);
* each pixel's loss weighted by its class: ``min(5, (0.1 / share) ** --balance)``, normalised so
  that the mean pixel weight is 1 (the rare classes, people, poles and signs, count more);
* Adam, a cosine decay of the learning rate from ``--lr``, batch 16, sparse categorical
  cross-entropy on every pixel;
* the 200 held-out scenes are used once, at the end, for the figures on the card.

``trained.quantize`` rounds the weights to float16, pixel accuracy and mean IoU are measured
with exactly those weights, and ``trained.save`` writes ``shared_data/weights/unet_driving.*``
(variables in the order of :func:`shared_utils.course4.segmentation.weights_order`).

    nice -n 5 python tools/train_unet.py                 # the shipped file: 12 epochs, 776 s on the
                                                         # shared 2-core CPU (others training too)
    python tools/train_unet.py --epochs 1 --no-save      # a quick look at the speed
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NAME = "unet_driving"
TOOL = "python tools/train_unet.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--filters", type=int, default=16)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--balance", type=float, default=0.5, help="class weights (0.1 / share) ** balance, at most 5"
    )
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()

    import keras
    import numpy as np

    from shared_utils.course4 import segmentation
    from shared_utils.data import driving
    from shared_utils.models import trained

    data = driving.load_driving_scenes()
    x = data.train_x.astype("float32") / 255.0
    y = data.train_y
    x[1::2], y = x[1::2, :, ::-1], y.copy()
    y[1::2] = y[1::2, :, ::-1]
    keras.utils.set_random_seed(args.seed)
    model = segmentation.reference_unet(segmentation.INPUT_SIZE, args.filters, len(driving.CLASSES))
    steps = args.epochs * -(-len(x) // args.batch)
    schedule = keras.optimizers.schedules.CosineDecay(args.lr, steps, alpha=0.02)
    model.compile(keras.optimizers.Adam(schedule), "sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    share = np.bincount(y.ravel(), minlength=len(driving.CLASSES)) / y.size
    class_weights = np.minimum(5.0, (0.1 / np.maximum(share, 1e-6)) ** args.balance)
    class_weights = (class_weights / np.sum(class_weights * share)).astype("float32")  # mean pixel weight 1
    print("class weights:", ", ".join(f"{c} {w:.2f}" for c, w in zip(driving.CLASSES, class_weights)))
    weights = class_weights[y]
    segmentation.train(
        model, x, y, args.epochs, batch_size=args.batch, seed=args.seed, shuffle=True, sample_weight=weights
    )
    seconds = time.perf_counter() - start
    trained.quantize(model)
    scores = segmentation.segmentation_scores(
        data.test_y, segmentation.predict_masks(model, data.test_x), len(driving.CLASSES)
    )
    segmentation.iou_table(scores)
    if args.no_save:
        return
    card = trained.save(
        model,
        NAME,
        tool=TOOL + (f" --epochs {args.epochs}" if args.epochs != 12 else ""),
        data="shared_utils.data.driving.load_driving_scenes(): the 1200 training scenes (96x128x3, "
        "pixels / 255), every second one mirrored left to right",
        epochs=args.epochs,
        seed=args.seed,
        metric={"name": "mean IoU", "value": scores["mean_iou"], "split": "the 200 held-out scenes"},
        licence="weights trained by this project on its own generated scenes; same licence as the project",
        seconds=seconds,
        variables=segmentation.weights_order(model),
        notes=f"reference_unet(input_size=(96, 128, 3), n_filters={args.filters}, n_classes=10); Adam, "
        f"cosine decay from {args.lr:g}, batch {args.batch}; every pixel's loss weighted by its class's "
        f"weight min(5, (0.1 / share) ** {args.balance:g}), normalised to a mean pixel weight of 1",
        class_weights={c: round(float(w), 4) for c, w in zip(driving.CLASSES, class_weights)},
        builder=f"shared_utils.course4.segmentation.reference_unet((96, 128, 3), {args.filters}, 10)",
        n_filters=args.filters,
        pixel_accuracy=scores["pixel_accuracy"],
        per_class_iou={
            c: (None if np.isnan(v) else float(v)) for c, v in zip(driving.CLASSES, scores["iou"])
        },
        learning_rate=args.lr,
        batch_size=args.batch,
        order="shared_utils.course4.segmentation.weights_order(model): layer by layer in graph order",
    )
    print(
        f"wrote {card['file']} ({card['size'] / 1e6:.1f} MB), mean IoU {scores['mean_iou']:.4f}, "
        f"pixel accuracy {scores['pixel_accuracy']:.4f}"
    )


if __name__ == "__main__":
    main()

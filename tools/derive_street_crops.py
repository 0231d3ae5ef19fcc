#!/usr/bin/env python3
"""Derive course 4's street crops, people versus no people, from OpenCV's ``vtest.avi``.

    apt-get install opencv-doc                      # the video (examples/data/vtest.avi)
    .venv/bin/pip install -r requirements-dev.txt   # opencv-python-headless, to decode it
    .venv/bin/python -m shared_utils assets fetch yolov3-tiny.weights yolov3-tiny.cfg
    .venv/bin/python tools/derive_street_crops.py   # writes course4_cnn/data/street_people.h5

Source: ``vtest.avi`` of Debian's ``opencv-doc`` 4.6.0 (795 frames of 768 x 576 at 10 frames
a second, a fixed camera above a campus street with people walking), which Debian's copyright
file places under the package's main clause, ``Files: *``: Apache-2.0 AND BSD-3-Clause,
(c) Intel Corporation, Willow Garage, OpenCV Foundation and the OpenCV contributors.

Each crop is 96 x 96 pixels of a frame at its own resolution (a person here is about 45 to 95
pixels tall).  The labels come from two witnesses that do not depend on each other:

* the YOLOv3-tiny port (``shared_utils.models.yolo``, COCO weights) run on the whole frame at
  608 x 608, and
* the frame's difference from the empty street, the per-pixel median of the video's frames
  (people keep walking, so the median shows the street without them).

A **person** crop (label 1) is a window around a person the detector finds with a score of at
least ``STRICT`` (0.6), whose box (45 to 92 pixels tall) lies wholly inside the window and of
which at least ``MOVING`` (15%) of the pixels differ from the empty street.  A **no person**
crop (label 0) meets no person box of its own frame scoring even ``LOOSE`` (0.05), and at
most ``STILL`` (0.5%) of its pixels differ from the empty street.  In a share ``1 - HARD`` of
the frames it is a window placed where people walk in frames far away in time (centred near a
person box of a frame at least ``AWAY`` frames off), so that the two classes show the same
stretches of pavement, with and without someone on them.  In the others (``HARD``, half) it is
a *hard negative*: of ``TRIES`` windows drawn anywhere in the frame, the one with the largest
share of dark pixels (R, G and B all below ``DARK``; at least ``MIN_DARK`` of them), such as the
building's windows, the lamp post or a parked van, the things a network that has seen few
people would take for one.  Windows that meet neither rule (a person cut by the border, a faint
detection) are not used.

Train and test are split by time: training crops come from frames 0 to ``TRAIN_END``, test crops
from frames ``TEST_START`` to the end, six seconds later, so that no test crop shows a person
a training crop shows a moment earlier.  Frames are taken every ``STEP`` frames (0.2 s), one
crop of each class per frame at most, then a seeded balanced draw.

The HDF5 file holds ``train_x``/``test_x`` (n, 96, 96, 3) uint8 RGB, ``train_y``/``test_y`` (n,)
uint8, ``train_frame``/``test_frame`` (n,) the frame index of each crop, ``train_corner``/
``test_corner`` (n, 2) its top-left (row, column) in the frame, ``classes`` and attributes
(source, licence, rule, seed).  The sha256 printed at the end is the one
``shared_utils/data/registry.py`` records; rerunning gives the same bytes with the same
opencv-python-headless and TensorFlow versions.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import h5py
import numpy as np

from shared_utils.data.registry import file_sha256

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "course4_cnn" / "data" / "street_people.h5"
VIDEO = "examples/data/vtest.avi"
LICENCE = (
    "Apache-2.0 AND BSD-3-Clause, (c) Intel Corporation, Willow Garage, OpenCV Foundation and contributors"
)
SOURCE = "vtest.avi of Debian's opencv-doc 4.6.0 (OpenCV samples), frames of 768 x 576"

SIZE = 96  # crop side in pixels
DETECTOR_INPUT = 608  # YOLOv3-tiny input side (a multiple of 32; larger finds small people)
STRICT, LOOSE = 0.6, 0.05  # person scores: a positive needs STRICT, a negative meets none >= LOOSE
MOVING, STILL = 0.15, 0.005  # share of pixels that differ from the empty street
DIFFERENCE = 30  # grey-level difference from the empty street that counts as "differs"
MIN_HEIGHT, MAX_HEIGHT = 28, 92  # person box height accepted for a positive, in pixels
AWAY = 100  # a negative sits where a person stood at least this many frames before or after
STEP = 2  # frames between the frames used
TRAIN_END, TEST_START = 499, 560
N_TRAIN, N_TEST = 100, 60  # crops of each class per split
SEED = 2026
CLASSES = ("no person", "person")
HARD = 0.5  # share of the frames whose negative is a hard one (dark things, anywhere in the frame)
DARK, MIN_DARK, TRIES = 50, 0.02, 80  # a pixel is dark if its R, G and B are all below DARK; least dark share
# of a hard negative's pixels; windows tried (dark green grass has a G above DARK, dark coats do not)


def opencv_video() -> Path:
    try:
        listing = subprocess.run(["dpkg", "-L", "opencv-doc"], capture_output=True, text=True, check=True)
    except (subprocess.CalledProcessError, FileNotFoundError):
        raise SystemExit("opencv-doc is not installed: run `apt-get install -y opencv-doc` first.") from None
    for line in listing.stdout.splitlines():
        if line.endswith(VIDEO):
            return Path(line)
    raise SystemExit(f"opencv-doc lists no {VIDEO}")


def read_frames(video: Path) -> np.ndarray:
    """Every frame of the video, RGB uint8 (n, 576, 768, 3)."""
    try:
        import cv2
    except ImportError:
        raise SystemExit(
            "OpenCV is needed to decode vtest.avi: `.venv/bin/pip install -r requirements-dev.txt`."
        ) from None
    cap = cv2.VideoCapture(str(video))
    frames = []
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        frames.append(bgr[..., ::-1])
    if not frames:
        raise SystemExit(f"could not decode {video}")
    return np.stack(frames)


def grey(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)


def people(frame: np.ndarray, model) -> list[tuple[float, tuple[float, float, float, float]]]:
    """(score, (y1, x1, y2, x2)) of every person YOLOv3-tiny finds with a score >= LOOSE."""
    from shared_utils.models import yolo

    found = yolo.detect(frame, score_threshold=LOOSE, model=model)
    return [(score, box) for name, score, box in found if name == "person"]


def detect_all(frames: np.ndarray, used: list[int]) -> dict[int, list]:
    """:func:`people` of each frame whose index is in ``used``."""
    from shared_utils.models import yolo

    model = yolo.yolov3_tiny(DETECTOR_INPUT)
    detections = {}
    for n, k in enumerate(used):
        detections[k] = people(frames[k], model)
        if n % 40 == 0:
            print(f"detector: frame {k} of {len(frames)}", flush=True)
    return detections


def window_inside(top: int, left: int, shape: tuple[int, ...]) -> tuple[int, int]:
    return int(np.clip(top, 0, shape[0] - SIZE)), int(np.clip(left, 0, shape[1] - SIZE))


def meets(box, top: int, left: int) -> bool:
    y1, x1, y2, x2 = box
    return y2 > top and y1 < top + SIZE and x2 > left and x1 < left + SIZE


def positive(frame_people, moving: np.ndarray, shape, rng) -> tuple[int, int] | None:
    """The corner of a window around one clear person of the frame, or None."""
    order = rng.permutation(len(frame_people))
    for i in order:
        score, (y1, x1, y2, x2) = frame_people[i]
        h, w = y2 - y1, x2 - x1
        if score < STRICT or not MIN_HEIGHT <= h <= MAX_HEIGHT or w > SIZE - 4:
            continue
        if y1 < 0 or x1 < 0 or y2 > shape[0] or x2 > shape[1]:
            continue
        # a seeded place for the window, so that the person is not always at the centre
        top = int(rng.integers(int(np.ceil(y2)) - SIZE, int(y1) + 1))
        left = int(rng.integers(int(np.ceil(x2)) - SIZE, int(x1) + 1))
        top, left = window_inside(top, left, shape)
        if not (top <= y1 and y2 <= top + SIZE and left <= x1 and x2 <= left + SIZE):
            continue
        inside = moving[int(y1) : int(np.ceil(y2)), int(x1) : int(np.ceil(x2))]
        if inside.mean() >= MOVING:
            return top, left
    return None


def negative(frame_people, moving: np.ndarray, places, shape, rng) -> tuple[int, int] | None:
    """The corner of a window with nobody in it, where people walk at other times, or None."""
    for _ in range(30):
        cy, cx = places[int(rng.integers(len(places)))]
        top, left = window_inside(
            int(cy - SIZE / 2 + rng.integers(-16, 17)), int(cx - SIZE / 2 + rng.integers(-16, 17)), shape
        )
        if any(meets(box, top, left) for _, box in frame_people):
            continue
        if moving[top : top + SIZE, left : left + SIZE].mean() <= STILL:
            return top, left
    return None


def hard_negative(frame_people, moving: np.ndarray, dark: np.ndarray, shape, rng) -> tuple[int, int] | None:
    """The corner of a window with nobody in it that holds the most dark pixels of ``TRIES`` drawn
    anywhere in the frame (the tripod, the lamp post, windows, the van), or None.

    Dark, upright things are what a network that has only seen a few people would take for one;
    negatives of bare pavement alone let it get away with "something dark is here"."""
    best, best_dark = None, MIN_DARK
    for _ in range(TRIES):
        top = int(rng.integers(0, shape[0] - SIZE + 1))
        left = int(rng.integers(0, shape[1] - SIZE + 1))
        if any(meets(box, top, left) for _, box in frame_people):
            continue
        if moving[top : top + SIZE, left : left + SIZE].mean() > STILL:
            continue
        share = dark[top : top + SIZE, left : left + SIZE].mean()
        if share > best_dark:
            best, best_dark = (top, left), share
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--sheet", type=Path, help="also write a contact sheet (PNG) of every crop, to look at")
    args = ap.parse_args(argv)

    frames = read_frames(opencv_video())
    background = np.median(grey(frames[::5]), axis=0)
    used = list(range(0, len(frames), STEP))
    detections = detect_all(frames, used)
    centres = [
        (k, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for k in used for s, b in detections[k] if s >= STRICT
    ]

    rng = np.random.default_rng(SEED)
    crops: dict[str, list[tuple[int, int, int, int]]] = {"train": [], "test": []}  # frame, label, top, left
    for k in used:
        split = "train" if k <= TRAIN_END else "test" if k >= TEST_START else None
        if split is None:
            continue
        moving = np.abs(grey(frames[k]) - background) > DIFFERENCE
        found = positive(detections[k], moving, frames.shape[1:], rng)
        if found:
            crops[split].append((k, 1, *found))
        if rng.random() < HARD:
            dark = frames[k].max(axis=-1) < DARK
            found = hard_negative(detections[k], moving, dark, frames.shape[1:], rng)
        else:
            places = [(cy, cx) for j, cy, cx in centres if abs(j - k) >= AWAY]
            found = negative(detections[k], moving, places, frames.shape[1:], rng)
        if found:
            crops[split].append((k, 0, *found))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".h5.tmp")
    arrays = {}
    for split, n in (("train", N_TRAIN), ("test", N_TEST)):
        rows = np.array(crops[split])
        chosen = []
        for label in (0, 1):
            idx = np.flatnonzero(rows[:, 1] == label)
            if len(idx) < n:
                raise SystemExit(f"only {len(idx)} {CLASSES[label]} crops in the {split} frames; {n} needed")
            chosen.append(rng.choice(idx, n, replace=False))
        rows = rows[np.sort(np.concatenate(chosen))]  # in time order
        arrays[f"{split}_x"] = np.stack([frames[k, t : t + SIZE, l : l + SIZE] for k, _, t, l in rows])
        arrays[f"{split}_y"] = rows[:, 1].astype(np.uint8)
        arrays[f"{split}_frame"] = rows[:, 0].astype(np.int32)
        arrays[f"{split}_corner"] = rows[:, 2:].astype(np.int32)
    with h5py.File(tmp, "w") as f:
        for name, data in arrays.items():
            f.create_dataset(
                name, data=data, compression="gzip", compression_opts=9, shuffle=True, track_times=False
            )
        f.create_dataset("classes", data=np.array([c.encode() for c in CLASSES]), track_times=False)
        f.attrs["source"] = SOURCE
        f.attrs["licence"] = LICENCE
        f.attrs["derived_by"] = "tools/derive_street_crops.py"
        f.attrs["labels"] = (
            f"person: YOLOv3-tiny person score >= {STRICT}, box wholly inside, >= {MOVING:.0%} of it differs "
            f"from the median frame; no person: no person box >= {LOOSE} meets the crop, <= {STILL:.1%} "
            "of it differs from the median frame"
        )
        f.attrs["split"] = f"train: frames 0-{TRAIN_END}; test: frames {TEST_START}-{len(frames) - 1}"
        f.attrs["seed"] = SEED
    tmp.replace(args.out)
    for split in ("train", "test"):
        y, frame = arrays[f"{split}_y"], arrays[f"{split}_frame"]
        print(f"{split}: {len(y)} crops ({int(y.sum())} with a person), frames {frame.min()}-{frame.max()}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)\nsha256 {file_sha256(args.out)}")
    if args.sheet:
        from PIL import Image

        for split in ("train", "test"):
            x, y = arrays[f"{split}_x"], arrays[f"{split}_y"]
            order = np.argsort(y, kind="stable")
            cols = 20
            rows_n = -(-len(x) // cols)
            sheet = np.full((rows_n * (SIZE + 4), cols * (SIZE + 4), 3), 255, np.uint8)
            for i, j in enumerate(order):
                r, c = divmod(i, cols)
                sheet[r * (SIZE + 4) : r * (SIZE + 4) + SIZE, c * (SIZE + 4) : c * (SIZE + 4) + SIZE] = x[j]
            Image.fromarray(sheet).save(args.sheet.with_name(f"{args.sheet.stem}_{split}.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

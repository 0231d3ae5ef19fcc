"""Checks for course 4, notebook 5: car detection with YOLO.

Oracles:

* ``yolo_filter_boxes``: TensorFlow's own ops on the same inputs (``tf.reduce_max`` and
  ``tf.argmax`` of objectness x class probabilities, ``tf.boolean_mask`` of the scores at or
  above the threshold: the rule of the YOLOv3-tiny port's ``reference_filter_and_nms``), on
  random inputs, some boxes placed exactly at the threshold (catches ``>`` for ``>=``).
* ``iou``: :func:`shared_utils.course4.detection.pairwise_iou`, a vectorized computation
  written independently of the exercise (one matrix of IoUs, with ``np.clip``; pinned by
  ``tests/course4/test_detection.py``), on random boxes and on the cases that catch: boxes that
  do not meet (in one direction, or in both: two negative sides give a positive "area"), boxes
  that only touch, one box inside another, corners in the wrong order, two empty boxes.
* ``yolo_non_max_suppression``: the port's ``reference_filter_and_nms``, that is
  ``tf.image.non_max_suppression`` class by class, on seeded clusters of boxes of several
  classes at the same places (so suppression across classes gives another answer, itself the
  hint's value), with ``max_boxes`` smaller than what is left, and two boxes whose IoU is
  exactly the threshold (kept both: TensorFlow suppresses only above it).  The learner's
  ``iou`` is replaced by a correct one for the duration (``Check.planted``), so a wrong ``iou``
  is reported by its own check, not here.
* ``yolo_eval``: the port's ``decode_outputs`` (boxes in pixels of the image) then
  ``reference_filter_and_nms``, from the same raw grids: seeded synthetic grids with the real
  anchors, images of several sizes (not square), and the real network on a committed frame of
  the street video.  ``yolo_filter_boxes`` and ``yolo_non_max_suppression`` are planted with
  correct stand-ins (TensorFlow ops, the reference) so that only ``yolo_eval``'s own steps
  are judged.

Known mistakes (shown as specific hints, never used to pass) come from NumPy variants.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from shared_utils.engine.checking import Check, exercise

ORDER = "Return `scores, boxes, classes`, in that order."


def _tf_filter(boxes, box_confidence, box_class_probs, threshold):
    import tensorflow as tf

    box_scores = tf.convert_to_tensor(box_confidence) * tf.convert_to_tensor(box_class_probs)
    best = tf.reduce_max(box_scores, axis=-1)
    mask = best >= threshold
    return (
        tf.boolean_mask(best, mask).numpy(),
        tf.boolean_mask(tf.convert_to_tensor(boxes), mask).numpy(),
        tf.boolean_mask(tf.argmax(box_scores, axis=-1), mask).numpy(),
    )


def _length(ck: Check, got, n: int, what: str, wrong_counts: dict[int, str]) -> np.ndarray:
    """The learner's 1-D or 2-D array ``got`` of ``n`` rows; a wrong count names the likely
    mistake when it equals the count a known mistake gives."""
    if got is None:
        ck.fail(f"{what} is None.", "Did you forget to return it?")
    arr = np.asarray(got.numpy() if hasattr(got, "numpy") else got)
    if arr.ndim == 0 or len(arr) != n:
        count = None if arr.ndim == 0 else len(arr)
        hint = wrong_counts.get(count) if count is not None else None
        ck.fail(f"{what} has {count if count is not None else 'no'} rows; expected {n}.", hint)
    return arr


# ----- yolo_filter_boxes ----------------------------------------------------------------------


def _filter_case(rng, n: int, c: int, threshold: float, ties: int):
    top_left = rng.uniform(0, 0.8, (n, 2))
    boxes = np.concatenate([top_left, top_left + rng.uniform(0.02, 0.2, (n, 2))], 1).astype(np.float32)
    conf = rng.uniform(0, 1, (n, 1)).astype(np.float32)
    probs = rng.uniform(0, 1, (n, c)).astype(np.float32)
    rows = rng.choice(n, ties, replace=False)
    conf[rows] = 1.0
    probs[rows] = rng.uniform(0, threshold * 0.9, (ties, c)).astype(np.float32)
    probs[rows, rng.integers(0, c, ties)] = np.float32(threshold)  # score exactly at the threshold
    return boxes, conf, probs


@exercise(
    params=("boxes", "box_confidence", "box_class_probs", "threshold"),
    hints=[
        "Scores of every box and class: box_confidence * box_class_probs (N, C); the best class "
        "with np.argmax(..., axis=-1), its score with np.max(..., axis=-1); mask = score >= threshold."
    ],
)
def yolo_filter_boxes(ck: Check) -> None:
    ck.defaults({"threshold": 0.6})
    for seed in ck.seeds(3, 8):
        rng = np.random.default_rng(4500 + seed)
        n, c = int(rng.integers(20, 120)), int(rng.integers(3, 12))
        threshold = float(np.float32(rng.choice([0.25, 0.3, 0.4, 0.5, 0.6])))
        boxes, conf, probs = _filter_case(rng, n, c, threshold, ties=3)
        with ck.case(
            f"{n} boxes, {c} classes, threshold {threshold:.2f}, 3 boxes exactly at it (seed {seed})"
        ):
            got = ck.returns(ck.call(boxes, conf, probs, threshold), "scores, boxes, classes")
            scores, kept, classes = _tf_filter(boxes, conf, probs, threshold)
            best = (conf * probs).max(-1)
            counts = {
                int(
                    (best > threshold).sum()
                ): "A box whose score equals the threshold must be kept: use >=, not >.",
                int((conf[:, 0] >= threshold).sum()): "You thresholded the objectness alone: the score is "
                "box_confidence * box_class_probs.",
                int((probs.max(-1) >= threshold).sum()): "You thresholded the class probabilities alone: "
                "multiply them by box_confidence first.",
                int(((conf * probs).sum(-1) >= threshold).sum()): "You summed the scores over the classes: "
                "take the largest (np.max).",
            }
            counts.pop(len(scores), None)
            got_scores = _length(ck, got[0], len(scores), "scores", counts)
            if got_scores.ndim == 2:
                ck.fail(f"scores has shape {got_scores.shape}; expected ({len(scores)},).", ORDER)
            ck.array(got_scores, scores, what="scores", rtol=1e-6)
            ck.array(got[1], kept, what="boxes", rtol=1e-6)
            ck.array(got[2], classes, what="classes", dtype_kind="iu", rtol=0, atol=0)


# ----- iou ------------------------------------------------------------------------------------


def _iou_oracle(a, b) -> float:
    from shared_utils.course4.detection import pairwise_iou

    return float(pairwise_iou([a], [b])[0, 0])


def _iou_variants(a, b) -> dict[str, float]:
    """The values known mistakes give (for the hints)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)

    def parts(a, b, clip=True):
        h = min(a[2], b[2]) - max(a[0], b[0])
        w = min(a[3], b[3]) - max(a[1], b[1])
        inter = max(h, 0) * max(w, 0) if clip else h * w
        return inter, (a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])

    out = {}
    inter, area_a, area_b = parts(a, b, clip=False)
    if area_a + area_b - inter:
        out[
            "Clip the intersection's height and width at 0 before multiplying them: boxes that do not "
            "meet have an intersection of area 0 (two negative sides give a positive product)."
        ] = inter / (area_a + area_b - inter)
    inter, area_a, area_b = parts(a, b)
    if area_a + area_b:
        out["The union is |A| + |B| minus the intersection (counted twice otherwise)."] = inter / (
            area_a + area_b
        )
    if area_a:
        out["You divided by the area of box1: divide by the union of the two boxes."] = inter / area_a
    if min(area_a, area_b):
        out["You divided by the smaller box's area: divide by the union."] = inter / min(area_a, area_b)
    return out


def _empty_probe(fn):
    """The learner's IoU of two empty boxes, or what went wrong, as text."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = fn((1.0, 1.0, 1.0, 1.0), (1.0, 1.0, 1.0, 1.0))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    try:
        return float(value)
    except (TypeError, ValueError):
        return repr(value)


def _as_given(a, b) -> float:
    """The IoU formula applied to the corners as they come, unsorted (a known mistake)."""
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _unsorted(box):
    y1, x1, y2, x2 = box
    return (y2, x2, y1, x1)


@exercise(
    params=("box1", "box2"),
    hints=[
        "Sort each box's two y and two x; the intersection runs from the larger top-left corner to "
        "the smaller bottom-right one, its sides clipped at 0; union = |A| + |B| - intersection."
    ],
)
def iou(ck: Check) -> None:
    cases = [
        ("boxes that overlap", (1.0, 1.0, 4.0, 5.0), (2.0, 2.0, 6.0, 7.0)),
        ("boxes side by side, apart in x only", (0.0, 0.0, 2.0, 2.0), (0.0, 3.0, 2.0, 5.0)),
        ("boxes apart in both y and x", (0.0, 0.0, 2.0, 2.0), (3.0, 4.0, 5.0, 7.0)),
        ("boxes that only touch at an edge", (0.0, 0.0, 2.0, 2.0), (0.0, 2.0, 2.0, 4.0)),
        ("one box inside the other", (2.0, 2.0, 3.0, 4.0), (0.0, 0.0, 6.0, 8.0)),
        ("the other box inside the first", (0.0, 0.0, 6.0, 8.0), (2.0, 2.0, 3.0, 4.0)),
        ("box1 with its corners in the wrong order", _unsorted((1.0, 1.0, 4.0, 5.0)), (2.0, 2.0, 6.0, 7.0)),
        (
            "both boxes with corners reversed",
            _unsorted((0.0, 0.0, 3.0, 3.0)),
            _unsorted((1.0, 2.0, 4.0, 6.0)),
        ),
        ("corners (y1, x2, y2, x1): x reversed only", (1.0, 5.0, 4.0, 1.0), (2.0, 2.0, 6.0, 7.0)),
        ("the same box twice", (10.0, 20.0, 30.0, 60.0), (10.0, 20.0, 30.0, 60.0)),
    ]
    for seed in ck.seeds(3, 10):
        rng = np.random.default_rng(4600 + seed)
        a_tl, b_tl = rng.uniform(0, 50, 2), rng.uniform(10, 60, 2)  # overlapping most of the time
        a = np.concatenate([a_tl, a_tl + rng.uniform(5, 50, 2)])
        b = np.concatenate([b_tl, b_tl + rng.uniform(5, 50, 2)])
        cases.append((f"random boxes (seed {seed})", tuple(a.tolist()), tuple(b.tolist())))
    for what, a, b in cases:
        with ck.case(f"{what}: {a} and {b}"):
            got = ck.call(a, b)
            expected = _iou_oracle(a, b)
            mistakes = {}
            ordered_a = (min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3]))
            ordered_b = (min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3]))
            if (ordered_a, ordered_b) != (a, b):
                mistakes["Sort each box's corners first: (y1, x1, y2, x2) may come as (y2, x2, y1, x1)."] = (
                    _as_given(a, b)
                )
            mistakes.update(
                {k: v for k, v in _iou_variants(ordered_a, ordered_b).items() if not np.isclose(v, expected)}
            )
            value = ck.scalar(got, expected, what="the IoU", rtol=1e-6, atol=1e-9, mistakes=mistakes)
            ck.that(0.0 <= value <= 1.0, f"an IoU lies between 0 and 1; yours is {value}.")
    with ck.case("two empty boxes (area 0)"):
        got = ck.in_kernel(_empty_probe)
        ck.that(
            got == 0.0,
            f"the IoU of two boxes of area 0 should be 0.0; yours gave {got}.",
            "The union is 0 here: return 0.0 when it is (0 / 0 is undefined).",
        )


# ----- yolo_non_max_suppression ---------------------------------------------------------------


def _good_iou(box1, box2) -> float:
    from shared_utils.course4.detection import pairwise_iou

    return float(pairwise_iou([box1], [box2])[0, 0])


def _clusters(rng, n_clusters: int, per: int, n_classes: int):
    """Boxes jittered around a few centres, each cluster with boxes of several classes."""
    centres = rng.uniform(20, 380, (n_clusters, 2))
    sizes = rng.uniform(20, 90, (n_clusters, 2))
    boxes, classes = [], []
    for (cy, cx), (h, w) in zip(centres, sizes):
        for _ in range(per):
            dy, dx = rng.normal(0, 0.12, 2) * (h, w)
            sh, sw = np.exp(rng.normal(0, 0.15, 2)) * (h, w)
            boxes.append([cy + dy - sh / 2, cx + dx - sw / 2, cy + dy + sh / 2, cx + dx + sw / 2])
            classes.append(int(rng.integers(0, n_classes)))
    boxes = np.array(boxes, np.float32)
    scores = rng.permutation(np.linspace(0.3, 0.99, len(boxes))).astype(np.float32)  # distinct
    return scores, boxes, np.array(classes, np.int64)


def _reference_nms(scores, boxes, classes, max_boxes, iou_threshold):
    from shared_utils.models import yolo

    b, s, c = yolo.reference_filter_and_nms(boxes, scores, classes, -np.inf, iou_threshold, max_boxes)
    return s, b, c


def _across_classes(scores, boxes, classes, max_boxes, iou_threshold):
    import tensorflow as tf

    sel = tf.image.non_max_suppression(boxes, scores, max_boxes, iou_threshold).numpy()
    return scores[sel], boxes[sel], classes[sel]


def _nms_cases(ck: Check):
    cases = []
    for seed in ck.seeds(3, 8):
        rng = np.random.default_rng(4700 + seed)
        n_clusters, per, n_classes = int(rng.integers(3, 7)), int(rng.integers(3, 7)), int(rng.integers(2, 4))
        s, b, c = _clusters(rng, n_clusters, per, n_classes)
        threshold = float(rng.choice([0.3, 0.45, 0.5, 0.6]))
        cases.append(
            (
                f"{len(s)} boxes in {n_clusters} clusters, {n_classes} classes, iou_threshold "
                f"{threshold} (seed {seed})",
                s,
                b,
                c,
                50,
                threshold,
            )
        )
    s, b, c = _clusters(np.random.default_rng(4790), 8, 4, 2)
    cases.append((f"{len(s)} boxes in 8 clusters, max_boxes 5", s, b, c, 5, 0.5))
    b = np.array([[0, 0, 10, 10], [0, 0, 10, 20], [50, 50, 60, 60]], np.float32)
    cases.append(
        (
            "two boxes of one class whose IoU is exactly iou_threshold 0.5 (both are kept), and a third one",
            np.array([0.9, 0.8, 0.7], np.float32),
            b,
            np.array([1, 1, 1]),
            10,
            0.5,
        )
    )
    b = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10]], np.float32)
    cases.append(
        (
            "a person and a car at the same place, and a second box on the person",
            np.array([0.9, 0.85, 0.6], np.float32),
            b,
            np.array([0, 2, 0]),
            10,
            0.5,
        )
    )
    return cases


@exercise(
    params=("scores", "boxes", "classes", "max_boxes", "iou_threshold"),
    hints=[
        "For each class: indices by score, best first; keep the first, drop those whose iou with it "
        "exceeds iou_threshold, repeat; then all kept indices by score, best first, at most max_boxes."
    ],
)
def yolo_non_max_suppression(ck: Check) -> None:
    ck.defaults({"max_boxes": 10, "iou_threshold": 0.5})
    with ck.planted(iou=_good_iou):
        for what, s, b, c, max_boxes, threshold in _nms_cases(ck):
            with ck.case(what):
                got = ck.returns(ck.call(s, b, c, max_boxes, threshold), "scores, boxes, classes")
                exp_s, exp_b, exp_c = _reference_nms(s, b, c, max_boxes, threshold)
                across = _across_classes(s, b, c, max_boxes, threshold)
                strict = _reference_nms(
                    s, b, c, max_boxes, np.nextafter(np.float32(threshold), np.float32(0))
                )
                unlimited = _reference_nms(s, b, c, len(s), threshold)
                fixed = _reference_nms(s, b, c, max_boxes, 0.5)
                counts = {
                    len(fixed[0]): "Use the iou_threshold argument, not a fixed value.",
                    len(across[0]): "You suppressed boxes across classes: run the suppression within each "
                    "class separately (a car's box must not remove a person's).",
                    len(unlimited[0]): "Keep at most max_boxes boxes (the best ones).",
                    len(strict[0]): "A box whose IoU with a kept one equals iou_threshold is kept: drop only "
                    "those with an IoU greater than it.",
                }
                counts.pop(len(exp_s), None)
                got_s = _length(ck, got[0], len(exp_s), "scores", counts)
                order = "Sort the kept boxes by score, best first, before keeping max_boxes of them."
                by_class = np.lexsort((-exp_s, exp_c))
                wrong = {order: exp_s[by_class]}
                if len(across[0]) == len(exp_s):
                    wrong["You suppressed boxes across classes: run the suppression within each class."] = (
                        across[0]
                    )
                ck.array(got_s, exp_s, what="scores", rtol=1e-6, mistakes=wrong)
                ck.array(got[1], exp_b, what="boxes", rtol=1e-6)
                ck.array(got[2], exp_c, what="classes", dtype_kind="iu", rtol=0, atol=0)


# ----- yolo_eval ------------------------------------------------------------------------------


def _synthetic_raw(rng, objects: int) -> list[np.ndarray]:
    """Raw grids (1, 13, 13, 255) and (1, 26, 26, 255): nearly every anchor sure there is
    nothing, ``objects`` anchors per grid (some in neighbouring cells) sure of a class."""
    raw = []
    for s in (13, 26):
        g = rng.normal(0, 1, (s, s, 3, 85)).astype(np.float32)
        g[..., 4] = rng.normal(-7, 1, (s, s, 3))
        g[..., 5:] = rng.normal(-3, 1, (s, s, 3, 80))
        for _ in range(objects):
            r, k, a = int(rng.integers(1, s - 1)), int(rng.integers(1, s - 1)), int(rng.integers(3))
            cls = int(rng.choice([0, 2, 7]))
            for dr, dk in ((0, 0), (0, 1), (1, 0)):  # the same object seen from neighbouring cells
                g[r + dr, k + dk, a, 4] = rng.normal(3, 1)
                g[r + dr, k + dk, a, 5 + cls] = rng.normal(3, 1)
                g[r + dr, k + dk, a, :2] = rng.normal(0, 0.3, 2) - (dk * 1.5, dr * 1.5)[::-1]
        raw.append(g.reshape(1, s, s, 255))
    return raw


@lru_cache(maxsize=1)
def _frame_raw() -> tuple[np.ndarray, ...]:
    """The real network's raw grids on a committed frame (computed once per process)."""
    from shared_utils.data import samples
    from shared_utils.models import yolo

    model = yolo.yolov3_tiny()
    x = yolo.preprocess(samples.image("vtest_0750.jpg"))
    return tuple(np.asarray(g) for g in model.predict_on_batch(x))


def _stand_in_filter(boxes, box_confidence, box_class_probs, threshold=0.6):
    return _tf_filter(np.asarray(boxes), np.asarray(box_confidence), np.asarray(box_class_probs), threshold)


def _stand_in_nms(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    return _reference_nms(
        np.asarray(scores), np.asarray(boxes), np.asarray(classes), max_boxes, iou_threshold
    )


@exercise(
    params=("grids", "image_shape", "max_boxes", "score_threshold", "iou_threshold"),
    hints=[
        "to_corners, then yolo_filter_boxes with score_threshold, then multiply the corners by "
        "(height, width, height, width), then yolo_non_max_suppression with max_boxes and iou_threshold."
    ],
)
def yolo_eval(ck: Check) -> None:
    from shared_utils.models import yolo

    ck.defaults({"max_boxes": 20, "score_threshold": 0.5, "iou_threshold": 0.45})
    cases = []
    for seed in ck.seeds(2, 6):
        rng = np.random.default_rng(4800 + seed)
        shape = [(360, 480), (576, 768), (300, 200), (416, 416)][seed % 4]
        score, overlap = float(rng.choice([0.4, 0.5, 0.7])), float(rng.choice([0.3, 0.45]))
        limit = [15, 40][seed % 2]
        cases.append(
            (
                f"synthetic grids, image {shape[0]} x {shape[1]}, score_threshold {score}, iou_threshold "
                f"{overlap}, max_boxes {limit} (seed {seed})",
                _synthetic_raw(rng, 6),
                shape,
                limit,
                score,
                overlap,
            )
        )
    cases.append(
        (
            "the real network on frame vtest_0750.jpg (576 x 768), defaults",
            list(_frame_raw()),
            (576, 768),
            20,
            0.5,
            0.45,
        )
    )
    with ck.planted(yolo_filter_boxes=_stand_in_filter, yolo_non_max_suppression=_stand_in_nms):
        for what, raw, shape, limit, score, overlap in cases:
            with ck.case(what):
                grids = yolo.decode_grids(raw)
                got = ck.returns(ck.call(grids, shape, limit, score, overlap), "scores, boxes, classes")
                b, s, c = yolo.decode_outputs(raw, shape)
                exp_b, exp_s, exp_c = yolo.reference_filter_and_nms(b, s, c, score, overlap, limit)
                counts = {
                    len(
                        yolo.reference_filter_and_nms(b, s, c, 0.6, overlap, limit)[1]
                    ): "Pass score_threshold on to yolo_filter_boxes (its own default is 0.6).",
                    len(yolo.reference_filter_and_nms(b, s, c, score, 0.5, 10)[1]): "Pass max_boxes and "
                    "iou_threshold on to yolo_non_max_suppression (its own defaults are 10 and 0.5).",
                }
                counts.pop(len(exp_s), None)
                got_s = _length(ck, got[0], len(exp_s), "scores", counts)
                ck.array(got_s, exp_s, what="scores", rtol=1e-5)
                h, w = shape
                unscaled = exp_b / np.array([h, w, h, w], np.float32)
                ck.array(
                    got[1],
                    exp_b,
                    what="boxes (pixels of the image)",
                    rtol=1e-4,
                    atol=1e-2,
                    mistakes={
                        "The boxes are still fractions of the image: multiply them by (height, width, "
                        "height, width) of image_shape.": unscaled,
                        "You scaled the y's by the width and the x's by the height: image_shape is "
                        "(height, width).": unscaled * np.array([w, h, w, h], np.float32),
                    },
                )
                ck.array(got[2], exp_c, what="classes", dtype_kind="iu", rtol=0, atol=0)

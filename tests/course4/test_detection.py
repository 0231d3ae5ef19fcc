"""The street clip, IoU, matching, the pipeline over a clip and the animation of course 4's YOLO notebook."""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest

from shared_utils.course4 import detection
from shared_utils.data.registry import STREET_CLIP, DataError, verified_path
from shared_utils.data.street import load_street_clip


def test_pairwise_iou_gives_the_values_worked_by_hand():
    a = [[0, 0, 2, 2], [0, 0, 2, 2], [0, 0, 2, 2], [2, 2, 3, 4], [0, 0, 2, 2]]
    b = [[0, 0, 2, 1], [0, 3, 2, 5], [3, 4, 5, 7], [0, 0, 6, 8], [0, 2, 2, 4]]
    iou = detection.pairwise_iou(a, b)
    assert iou.shape == (5, 5)
    np.testing.assert_allclose(np.diag(iou), [0.5, 0.0, 0.0, 2 / 48, 0.0])
    assert (iou >= 0).all() and (iou <= 1).all()


def test_pairwise_iou_takes_corners_in_either_order_and_empty_boxes_give_zero():
    assert detection.pairwise_iou([[2, 2, 0, 0]], [[0, 0, 2, 1]])[0, 0] == pytest.approx(0.5)
    assert detection.pairwise_iou([[0, 2, 2, 0]], [[0, 0, 2, 1]])[0, 0] == pytest.approx(0.5)
    assert detection.pairwise_iou([[1, 1, 1, 1]], [[1, 1, 1, 1]])[0, 0] == 0.0


def test_greedy_suppression_with_pairwise_iou_agrees_with_tensorflow():
    import tensorflow as tf

    rng = np.random.default_rng(0)
    tl = rng.uniform(0, 100, (60, 2))
    boxes = np.concatenate([tl, tl + rng.uniform(10, 40, (60, 2))], 1).astype(np.float32)
    scores = rng.permutation(np.linspace(0.1, 1, 60)).astype(np.float32)
    iou = detection.pairwise_iou(boxes, boxes)
    kept, left = [], list(np.argsort(-scores))
    while left:
        best = left.pop(0)
        kept.append(best)
        left = [i for i in left if iou[best, i] <= 0.4]
    expected = tf.image.non_max_suppression(boxes, scores, 60, 0.4).numpy()
    np.testing.assert_array_equal(kept, expected)


def test_to_corners_turns_centre_and_size_into_corners():
    np.testing.assert_allclose(
        detection.to_corners(np.array([[0.5, 0.25, 0.2, 0.1]])), [[0.2, 0.4, 0.3, 0.6]]
    )


def _dets(boxes, scores, classes):
    return np.array(boxes, np.float32).reshape(-1, 4), np.array(scores, np.float32), np.array(classes)


def test_same_detections_matches_boxes_one_to_one_in_any_order():
    ref = _dets([[0, 0, 10, 10], [20, 20, 40, 30]], [0.9, 0.8], [0, 2])
    mine = _dets([[20, 20, 40, 30], [0, 0, 10, 10.01]], [0.8, 0.9], [2, 0])
    assert detection.same_detections(mine, ref)
    assert detection.same_detections(_dets([], [], []), _dets([], [], []))


@pytest.mark.parametrize(
    "mine",
    [
        _dets([[0, 0, 10, 10]], [0.9], [0]),  # a box missing
        _dets([[0, 0, 10, 10], [20, 20, 40, 30]], [0.9, 0.8], [0, 0]),  # a wrong class
        _dets([[0, 0, 10, 10], [20, 20, 40, 33]], [0.9, 0.8], [0, 2]),  # IoU 0.9 only
        _dets([[0, 0, 10, 10], [0, 0, 10, 10]], [0.9, 0.8], [0, 2]),  # one box matched twice
    ],
)
def test_same_detections_refuses_what_differs(mine):
    ref = _dets([[0, 0, 10, 10], [20, 20, 40, 30]], [0.9, 0.8], [0, 2])
    assert not detection.same_detections(mine, ref)


def test_the_clip_loads_with_its_frames_and_fps():
    clip = load_street_clip(3)
    assert clip.frames.shape == (3, 360, 480, 3) and clip.frames.dtype == np.uint8
    assert clip.fps == 5.0 and clip.source_frame.tolist() == [300, 302, 304]
    assert len(load_street_clip().frames) >= 60
    with pytest.raises(ValueError, match="between 1 and 80"):
        load_street_clip(81)


def test_an_altered_clip_is_refused_naming_it_and_how_to_restore_it(tmp_path):
    copy = tmp_path / "street_clip.h5"
    shutil.copy(verified_path(STREET_CLIP), copy)
    with open(copy, "r+b") as f:
        f.seek(5000)
        f.write(b"\0\1\2")
    with pytest.raises(DataError, match=r"street_clip\.h5.*derive_street_clip\.py"):
        load_street_clip(path=copy)
    with pytest.raises(DataError, match="missing"):
        load_street_clip(path=tmp_path / "nothing.h5")


@pytest.mark.parametrize(
    "image, message",
    [
        (np.zeros((8, 8), np.uint8), "greyscale"),
        (np.zeros((8, 8, 1), np.uint8), "greyscale"),
        (np.zeros((8, 8, 4), np.uint8), "RGBA"),
        (np.zeros((2, 8, 8, 3), np.uint8), "batch"),
        (np.zeros((8, 8, 3), np.float32), "dtype float32"),
        (np.zeros((0, 8, 3), np.uint8), "empty"),
        (np.zeros((8, 8, 5), np.uint8), "shape"),
    ],
)
def test_the_pipeline_refuses_images_it_cannot_read(image, message):
    with pytest.raises(ValueError, match=message):
        detection.as_rgb_uint8(image)


class _FakeModel:
    """Stands for YOLOv3-tiny: fixed raw grids whatever the frame."""

    input_shape = (None, 416, 416, 3)

    def __init__(self, seed: int):
        rng = np.random.default_rng(seed)
        self.raw = []
        for s in (13, 26):
            g = rng.normal(0, 1, (1, s, s, 3, 85)).astype(np.float32)
            g[..., 4] = rng.normal(-2, 2, (1, s, s, 3))
            self.raw.append(g.reshape(1, s, s, 255))

    def predict_on_batch(self, x):
        assert x.shape == (1, 416, 416, 3)
        return self.raw


def _reference_eval(grids, image_shape, max_boxes=20, score_threshold=0.5, iou_threshold=0.45):
    from shared_utils.models import yolo

    xywh = np.concatenate([g["xywh"].reshape(-1, 4) for g in grids])
    probs = np.concatenate(
        [(g["objectness"] * g["class_probs"]).reshape(-1, g["class_probs"].shape[-1]) for g in grids]
    )
    h, w = image_shape
    boxes = detection.to_corners(xywh) * np.array([h, w, h, w], np.float32)
    b, s, c = yolo.reference_filter_and_nms(
        boxes, probs.max(-1), probs.argmax(-1), score_threshold, iou_threshold, max_boxes
    )
    return s, b, c


def test_run_on_clip_times_every_frame_and_compares_it_with_the_reference():
    frames = np.zeros((4, 36, 48, 3), np.uint8)
    run = detection.run_on_clip(frames, _FakeModel(1), _reference_eval)
    assert len(run.detections) == 4 and run.agreement == 1.0 and run.fps > 0
    assert len(run.detections[0][0]) > 0  # the fake grids do hold boxes
    no_boxes = detection.run_on_clip(
        frames, _FakeModel(1), lambda *a, **k: (np.zeros(0), np.zeros((0, 4)), np.zeros(0))
    )
    assert no_boxes.agreement == 0.0


def test_counts_per_frame_count_the_wanted_classes():
    names = ["person", "bicycle", "car"]
    dets = [_dets([[0, 0, 1, 1]] * 3, [0.9] * 3, [0, 2, 0]), _dets([], [], [])]
    counts = detection.count_per_frame(dets, names)
    assert counts["person"].tolist() == [2, 0] and counts["car"].tolist() == [1, 0]
    with pytest.raises(ValueError, match="unknown class"):
        detection.count_per_frame(dets, names, ("truck",))


def test_drawn_frames_make_a_looping_gif_of_every_frame():
    from PIL import Image

    frame = np.full((40, 60, 3), 128, np.uint8)
    drawn = detection.draw_detections(frame, [[5, 5, 30, 40]], [0.87], [0], ["person"], scale=2.0)
    assert drawn.size == (120, 80)
    assert (
        np.asarray(drawn)[10, 10:80].tolist()
        != np.asarray(Image.fromarray(frame).resize((120, 80)))[10, 10:80].tolist()
    )
    others = [
        detection.draw_detections(frame, [[5, 5 + k, 30, 40]], [0.5], [0], ["person"], 2.0) for k in (9, 18)
    ]
    data = detection.gif_bytes([drawn, others[0], np.asarray(others[1])], fps=5)
    gif = Image.open(io.BytesIO(data))
    assert gif.format == "GIF" and gif.n_frames == 3 and gif.info["duration"] == 200
    with pytest.raises(ValueError, match="no frames"):
        detection.gif_bytes([])

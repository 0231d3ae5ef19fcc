"""YOLOv3-tiny: the Darknet parser (exact weight consumption, padding conventions checked with
tf.nn ops), agreement with OpenCV's own Darknet importer, decoding, and reference detections."""

from __future__ import annotations

import numpy as np
import pytest

from tests.assets_testing import require

TINY_CFG = """
[net]
width=32
height=32
channels=3

[convolutional]
batch_normalize=1
filters=4
size=3
stride=2
pad=1
activation=leaky

[maxpool]
size=2
stride=1

[convolutional]
filters=6
size=1
stride=1
pad=1
activation=linear

[yolo]
mask = 0,1
anchors = 4,4, 8,8
classes=1
num=2
"""


_TINY_RNG = np.random.default_rng(0)


def tiny_weights(extra: int = 0, rng=_TINY_RNG):
    header = np.array([0, 2, 0], np.int32).tobytes() + np.zeros(1, np.int64).tobytes()
    bn = [rng.normal(size=4), rng.uniform(0.5, 2, 4), rng.normal(size=4), rng.uniform(0.5, 2, 4)]
    k1 = rng.normal(size=(4, 3, 3, 3))  # Darknet order: out, in, h, w
    b2, k2 = rng.normal(size=6), rng.normal(size=(6, 4, 1, 1))
    floats = np.concatenate([*bn, k1.ravel(), b2, k2.ravel(), np.zeros(extra)]).astype(np.float32)
    return header + floats.tobytes(), bn, k1, b2, k2


def test_parser_matches_tf_ops_and_consumes_the_file_exactly():
    import tensorflow as tf

    from shared_utils.models.yolo import build_darknet

    data, (beta, gamma, mean, var), k1, b2, k2 = tiny_weights()
    model, heads = build_darknet(TINY_CFG, data, input_size=32)
    assert len(heads) == 1 and heads[0].anchors.tolist() == [[4, 4], [8, 8]]
    x = np.random.default_rng(1).uniform(0, 1, (1, 32, 32, 3)).astype(np.float32)
    # Darknet: stride-2 3x3 conv padded by 1 on every side, BN, leaky 0.1; 2x2 max-pool of
    # stride 1 padded at the bottom/right; 1x1 conv with bias
    h = tf.nn.conv2d(x, k1.transpose(2, 3, 1, 0).astype(np.float32), 2, [[0, 0], [1, 1], [1, 1], [0, 0]])
    h = (h - mean) / np.sqrt(var + 1e-6) * gamma + beta
    h = tf.nn.leaky_relu(h, 0.1)
    h = tf.nn.max_pool2d(tf.pad(h, [[0, 0], [0, 1], [0, 1], [0, 0]], constant_values=-1e9), 2, 1, "VALID")
    h = tf.nn.conv2d(h, k2.transpose(2, 3, 1, 0).astype(np.float32), 1, "VALID") + b2
    out = np.asarray(model(x))
    assert out.shape == (1, 16, 16, 6)
    np.testing.assert_allclose(out, h.numpy(), rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="1 floats left"):
        build_darknet(TINY_CFG, tiny_weights(extra=1)[0], input_size=32)
    with pytest.raises(ValueError, match="ends before"):
        build_darknet(TINY_CFG, data[:-4], input_size=32)


@pytest.fixture(scope="module")
def model():
    require("yolov3-tiny.weights", "yolov3-tiny.cfg")
    from shared_utils.models.yolo import yolov3_tiny

    return yolov3_tiny()


def test_model_shape_and_size(model):
    assert model.count_params() == 8_858_734
    assert [tuple(o.shape) for o in model.outputs] == [(None, 13, 13, 255), (None, 26, 26, 255)]
    assert sum(l.name.startswith("conv_") for l in model.layers) == 13


@pytest.mark.parametrize("name", ["vtest_0750.jpg", "messi5.jpg"])
def test_agrees_with_opencvs_darknet_importer(model, name):
    from shared_utils.models import yolo

    assert yolo.compare_with_opencv(model, name) < 2e-4


def test_decode_outputs(model):
    from shared_utils.data import samples
    from shared_utils.models import yolo

    img = samples.image("vtest_0750.jpg")
    grids = [np.asarray(g) for g in model(yolo.preprocess(img))]
    boxes, scores, classes = yolo.decode_outputs(grids, image_size=img.shape[:2])
    assert boxes.shape == (2535, 4) and scores.shape == (2535,) and classes.shape == (2535,)
    frac, s2, c2 = yolo.decode_outputs(grids)
    np.testing.assert_allclose(boxes, frac * [576, 768, 576, 768], rtol=1e-6)
    np.testing.assert_array_equal(scores, s2)
    d = yolo.decode_grids(grids)
    xywh = np.concatenate([g["xywh"].reshape(-1, 4) for g in d])
    np.testing.assert_allclose(frac[:, 2] - frac[:, 0], xywh[:, 3], atol=1e-6)  # y2 - y1 = height
    np.testing.assert_allclose((frac[:, 1] + frac[:, 3]) / 2, xywh[:, 0], atol=1e-6)  # centre x
    assert 0 <= scores.min() and scores.max() <= 1 and classes.max() < 80


def test_reference_filter_and_nms():
    from shared_utils.models.yolo import reference_filter_and_nms

    boxes = np.array(
        [[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10], [50, 50, 60, 60], [0, 0, 9, 9]], np.float32
    )
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.3], np.float32)
    classes = np.array([0, 0, 1, 0, 0])
    b, s, c = reference_filter_and_nms(boxes, scores, classes, score_threshold=0.5, iou_threshold=0.5)
    assert s.tolist() == pytest.approx([0.9, 0.7, 0.6]) and c.tolist() == [0, 1, 0]
    np.testing.assert_array_equal(b[2], boxes[3])


def test_reference_detections(model):
    from shared_utils.data import samples
    from shared_utils.models import yolo

    dets = yolo.detect(samples.image("vtest_0750.jpg"), model=model)
    persons = [s for n, s, _ in dets if n == "person"]
    assert [round(s, 2) for s in persons[:3]] == [0.98, 0.92, 0.86] and sum(s >= 0.85 for s in persons) == 3
    assert {"truck", "car"} <= {n for n, _, _ in dets}
    for _, _, (y1, x1, y2, x2) in dets:
        assert 0 <= y1 < y2 <= 576 + 10 and -10 <= x1 < x2 <= 768 + 10
    messi = yolo.detect(samples.image("messi5.jpg"), score_threshold=0.2, model=model)
    assert [(n, round(s, 2)) for n, s, _ in messi] == [("sports ball", 0.76), ("person", 0.25)]

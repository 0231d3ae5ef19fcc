"""The U-Net helpers: the reference network, the scores, input handling, the shipped weights."""

from __future__ import annotations

import json
import shutil

import keras
import numpy as np
import pytest

from shared_utils.course4 import segmentation as seg
from shared_utils.data import driving, registry
from shared_utils.data.registry import DataError
from shared_utils.models import trained


def test_reference_unet_shapes_and_skips():
    model = seg.reference_unet((32, 48, 3), n_filters=4, n_classes=5)
    assert tuple(model.output.shape) == (None, 32, 48, 5)
    assert model.layers[-1].get_config()["activation"] == "softmax"
    joins = [layer for layer in model.layers if isinstance(layer, keras.layers.Concatenate)]
    assert [tuple(layer.output.shape[1:3]) for layer in joins] == [(4, 6), (8, 12), (16, 24), (32, 48)]
    pooled = {id(layer.input) for layer in model.layers if isinstance(layer, keras.layers.MaxPooling2D)}
    assert all(id(layer.input[1]) in pooled for layer in joins)  # every skip is taken before a pooling
    probabilities = np.asarray(model(np.zeros((1, 32, 48, 3), np.float32)))
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, rtol=1e-5)


def test_scores_match_scikit_learn():
    from sklearn.metrics import accuracy_score, jaccard_score

    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, (3, 5, 6))
    y_pred = np.where(rng.random((3, 5, 6)) < 0.7, y_true, rng.integers(0, 4, (3, 5, 6)))
    scores = seg.segmentation_scores(y_true, y_pred, 5)  # class 4 occurs in neither: NaN, left out
    expected = jaccard_score(y_true.ravel(), y_pred.ravel(), labels=[0, 1, 2, 3], average=None)
    np.testing.assert_allclose(scores["iou"][:4], expected)
    assert np.isnan(scores["iou"][4])
    assert scores["mean_iou"] == pytest.approx(expected.mean())
    assert scores["pixel_accuracy"] == pytest.approx(accuracy_score(y_true.ravel(), y_pred.ravel()))
    assert scores["pixels"].tolist()[:4] == np.bincount(y_true.ravel(), minlength=4).tolist()
    with pytest.raises(ValueError, match="differ in shape"):
        seg.segmentation_scores(y_true, y_pred[:2], 5)


def test_iou_table_prints_every_class(capsys):
    y = np.array([[[0, 1], [2, 2]]])
    seg.iou_table(seg.segmentation_scores(y, y, len(driving.CLASSES)))
    out = capsys.readouterr().out
    assert all(c in out for c in driving.CLASSES) and "mean IoU" in out and "1.000" in out


def test_prepare_images_resizes_with_a_note_and_refuses_other_modes(capsys):
    from PIL import Image

    x = seg.prepare_images(np.full((2, 96, 128, 3), 255, np.uint8))
    assert x.shape == (2, 96, 128, 3) and x.dtype == np.float32 and x.max() == 1.0
    big = seg.prepare_images(np.zeros((120, 160, 3), np.uint8))
    assert big.shape == (1, 96, 128, 3)
    assert "resizing 1 picture(s) from 120x160 to 96x128" in capsys.readouterr().err
    with pytest.raises(ValueError, match="grey picture"):
        seg.prepare_images(np.zeros((96, 128), np.uint8))
    with pytest.raises(ValueError, match="alpha channel"):
        seg.prepare_images(np.zeros((96, 128, 4), np.uint8))
    with pytest.raises(ValueError, match=r"convert\('RGB'\)"):
        seg.prepare_images(Image.new("RGBA", (128, 96)))
    with pytest.raises(ValueError, match=r"lie in \[0, 1\]"):
        seg.prepare_images(np.full((96, 128, 3), 255.0, np.float32))


def _notebook_unet():
    from tests.namespaces import solution_namespace

    return solution_namespace("course4_cnn/06_image_segmentation_unet")["unet_model"]


@pytest.fixture(scope="module")
def shipped():
    """The solution's U-Net and the reference, both with the shipped weights."""
    card = trained.card(seg.WEIGHTS)
    mine = _notebook_unet()(seg.INPUT_SIZE, card["n_filters"], len(driving.CLASSES))
    seg.load_trained(mine)
    reference = seg.reference_unet(seg.INPUT_SIZE, card["n_filters"], len(driving.CLASSES))
    seg.load_trained(reference)
    return mine, reference, card


def test_the_shipped_weights_fit_the_notebooks_network_and_reach_the_targets(shipped):
    mine, reference, card = shipped
    assert mine.count_params() == reference.count_params() == card["parameters"]
    data = driving.load_driving_scenes(progress=False)
    x = data.test_x[:24]
    np.testing.assert_allclose(
        np.asarray(mine(x.astype("float32") / 255, training=False)),
        np.asarray(reference(x.astype("float32") / 255, training=False)),
        rtol=1e-4,
        atol=1e-5,
    )
    assert card["metric"]["name"] == "mean IoU" and card["metric"]["value"] >= 0.70
    assert card["pixel_accuracy"] >= 0.90
    scores = seg.segmentation_scores(data.test_y[:24], seg.predict_masks(mine, x), len(driving.CLASSES))
    assert scores["pixel_accuracy"] >= 0.90


def test_the_shipped_file_is_float16_a_few_mb_with_its_card():
    card = trained.card(seg.WEIGHTS)
    path = registry.REPO_ROOT / card["file"]
    assert card["stored_as"] == "float16" and path.stat().st_size == card["size"] < 8e6
    assert registry.file_sha256(path) == card["sha256"]
    assert card["tool"].startswith("python tools/train_unet.py")


def test_a_missing_or_corrupt_weights_file_names_it_and_the_command_that_restores_it(tmp_path, monkeypatch):
    weights_dir = tmp_path / registry.WEIGHTS_DIR
    weights_dir.mkdir(parents=True)
    shutil.copy(trained.card_path(seg.WEIGHTS), weights_dir)
    card = json.loads(trained.card_path(seg.WEIGHTS).read_text())
    monkeypatch.setattr(registry, "REPO_ROOT", tmp_path)
    registry.trained_weights.cache_clear()
    model = seg.reference_unet((32, 32, 3), 2, 10)
    try:
        with pytest.raises(DataError, match=r"unet_driving\.weights\.h5 is missing.*git checkout"):
            seg.load_trained(model)
        (tmp_path / card["file"]).write_bytes(b"not an HDF5 file")
        with pytest.raises(DataError, match=r"unet_driving\.weights\.h5.*python tools/train_unet.py"):
            seg.load_trained(model)
    finally:
        registry.trained_weights.cache_clear()


def test_a_network_of_another_width_is_refused_plainly():
    with pytest.raises(ValueError, match="the model differs from 'unet'"):
        seg.load_trained(seg.reference_unet(seg.INPUT_SIZE, 8, 10))

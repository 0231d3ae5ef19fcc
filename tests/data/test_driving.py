"""The driving-scene generator: determinism, shapes, labels that match the drawing, the HDF5 cache."""

from __future__ import annotations

import hashlib
import warnings

import h5py
import numpy as np
import pytest

from shared_utils.data import driving as dr
from shared_utils.data import generated
from shared_utils.data.store import ENV_VAR

# sha256 of generate(4, seed=0), images then masks: the same bytes on every machine with the
# pinned NumPy and Pillow.  Changing the drawing on purpose means bumping GENERATOR_VERSION
# and this digest.
PINNED = "671f851c3d2929fb49163df52e76ae619283aa83a6710c6549c7a6575cbfadb4"
KEYS = ("train_x", "train_y", "test_x", "test_y")


def test_pinned_bytes_for_seed_0():
    x, y = dr.generate(4, seed=0)
    digest = hashlib.sha256(x.tobytes() + y.tobytes()).hexdigest()
    assert digest == PINNED, (
        "the drawing changed: if on purpose, bump GENERATOR_VERSION and update PINNED; "
        "if not, NumPy or Pillow draws differently here"
    )


def test_same_seed_same_bytes_scene_i_does_not_depend_on_n():
    x3, y3 = dr.generate(3, seed=7)
    x5, y5 = dr.generate(5, seed=7)
    assert np.array_equal(x3, x5[:3]) and np.array_equal(y3, y5[:3])
    img, mask = dr.render_one(4, 7)
    assert np.array_equal(img, x5[4]) and np.array_equal(mask, y5[4])
    assert not np.array_equal(dr.generate(1, seed=8)[0][0], x3[0])


def test_shapes_dtypes_and_every_class_occurs():
    x, y = dr.generate(24, seed=1)
    assert x.shape == (24, 96, 128, 3) and x.dtype == np.uint8
    assert y.shape == (24, 96, 128) and y.dtype == np.uint8
    counts = np.bincount(y.ravel(), minlength=len(dr.CLASSES))
    assert len(counts) == len(dr.CLASSES) == len(dr.PALETTE) >= 8
    assert (counts > 0).all(), dict(zip(dr.CLASSES, counts))
    assert x.min() < 30 and x.max() > 220
    with pytest.raises(ValueError):
        dr.generate(-1, seed=0)


def test_the_scene_is_laid_out_like_a_street():
    """Sky on top, road at the bottom centre, in every scene (the camera looks down a street)."""
    _, y = dr.generate(12, seed=2)
    top = y[:, :8].reshape(12, -1)
    bottom = y[:, -8:, 48:80].reshape(12, -1)
    assert np.mean(np.isin(top, (dr.SKY, dr.BUILDING, dr.VEGETATION, dr.POLE, dr.SIGN))) > 0.95
    assert np.mean(np.isin(bottom, (dr.ROAD, dr.LANE, dr.CAR, dr.PEDESTRIAN))) > 0.9


def test_the_mask_follows_the_picture():
    """Pixels of one class look alike, pixels of different classes differ: the mask was drawn
    with the picture's own shapes (the sky is bluer than the road, the lane marks brighter)."""
    x, y = dr.generate(16, seed=3)
    x = x.astype(np.float64)
    blue = [x[i][y[i] == dr.SKY].mean(0) for i in range(16)]
    road = [x[i][y[i] == dr.ROAD].mean(0) for i in range(16)]
    lane = [x[i][y[i] == dr.LANE].mean() for i in range(16) if (y[i] == dr.LANE).sum() > 20]
    assert np.mean([b[2] - b[0] for b in blue]) > 20
    assert np.mean([abs(r[2] - r[0]) for r in road]) < 15
    assert np.mean(lane) > np.mean([r.mean() for r in road]) + 20


def test_colour_mask_and_its_errors():
    mask = np.array([[0, 2], [9, 6]], dtype=np.uint8)
    rgb = dr.colour_mask(mask)
    assert rgb.shape == (2, 2, 3) and rgb.dtype == np.uint8
    assert rgb[0, 1].tolist() == [128, 64, 128]  # road, CARLA's colour
    with pytest.raises(ValueError, match="class ids run from 0 to 9"):
        dr.colour_mask(np.array([[10]]))
    with pytest.raises(ValueError, match="np.argmax"):
        dr.colour_mask(np.zeros((2, 2), np.float32))


@pytest.fixture
def small_split(monkeypatch, tmp_path):
    """A tiny split (5 train, 3 test) cached under tmp_path; returns the cache file's path."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    monkeypatch.setattr(dr, "N_TRAIN", 5)
    monkeypatch.setattr(dr, "N_TEST", 3)
    path = dr.cache_path()
    assert path.parent == tmp_path / "generated" and f"v{dr.GENERATOR_VERSION}" in path.name
    return path


def test_cache_round_trip_and_a_quiet_cached_load(small_split, capsys):
    first = dr.load_driving_scenes()
    err = capsys.readouterr().err
    assert "drawing the 8 driving scenes" in err and str(small_split) in err, err
    second = dr.load_driving_scenes()
    assert capsys.readouterr().err == ""
    for key in KEYS:
        assert np.array_equal(getattr(first, key), getattr(second, key))
    assert second.train_x.shape == (5, 96, 128, 3) and second.test_y.shape == (3, 96, 128)
    assert second.classes == dr.CLASSES


def test_changed_arrays_fail_the_checksum_and_are_redrawn(small_split):
    good = dr.load_driving_scenes(progress=False)
    with h5py.File(small_split, "r+") as f:
        f["test_y"][0, 0, 0] ^= 0x01
    with pytest.warns(UserWarning, match="driving-scene cache .* sha256"):
        again = dr.load_driving_scenes(progress=False)
    assert np.array_equal(again.test_y, good.test_y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the file was replaced by a good one
        dr.load_driving_scenes(progress=False)


def test_a_consistent_edit_is_caught_by_drawing_again(small_split):
    dr.load_driving_scenes(progress=False)
    with h5py.File(small_split, "r+") as f:
        arrays = {k: f[k][()] for k in KEYS}
        arrays["train_y"][0] = dr.ROAD
        del f["train_y"]
        f.create_dataset("train_y", data=arrays["train_y"])
        f.attrs["sha256"] = generated.digest(arrays, KEYS)
    with pytest.warns(UserWarning, match="scene 0 of its train set differs"):
        dr.load_driving_scenes(progress=False)


def test_unreadable_cache_is_redrawn(small_split):
    good = dr.load_driving_scenes(progress=False)
    small_split.write_bytes(b"not HDF5" * 100)
    with pytest.warns(UserWarning, match="unusable"):
        again = dr.load_driving_scenes(progress=False)
    assert np.array_equal(again.train_y, good.train_y)

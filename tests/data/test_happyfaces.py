"""The happy-face generator: determinism, shapes, balance, the HDF5 cache and its repair."""

from __future__ import annotations

import hashlib
import warnings

import h5py
import numpy as np
import pytest

from shared_utils.data import generated
from shared_utils.data import happyfaces as hf
from shared_utils.data.store import ENV_VAR

# sha256 of generate(8, seed=0): the same bytes on every machine with the pinned NumPy and
# Pillow.  Changing the drawing on purpose means bumping GENERATOR_VERSION and this digest.
PINNED = "895848bbf34fa299184ced601937430949ad29ac6cc6a03bdfee4b4148d1f6b9"


def _sha(images: np.ndarray, labels: np.ndarray) -> str:
    return hashlib.sha256(images.tobytes() + labels.astype("<i8").tobytes()).hexdigest()


def test_same_seed_same_bytes_other_seed_differs():
    x1, y1 = hf.generate(10, seed=3)
    x2, y2 = hf.generate(10, seed=3)
    assert x1.tobytes() == x2.tobytes() and np.array_equal(y1, y2)
    x3, _ = hf.generate(10, seed=4)
    assert not np.array_equal(x1, x3)
    flat = x1.reshape(10, -1).astype(np.int16)
    assert len({row.tobytes() for row in flat}) == 10
    # distinct pictures, not one picture with noise: every pair differs by a lot on average
    gaps = [np.abs(flat[i] - flat[j]).mean() for i in range(10) for j in range(i + 1, 10)]
    assert min(gaps) > 10, min(gaps)


def test_pinned_bytes_for_seed_0():
    x, y = hf.generate(8, seed=0)
    assert _sha(x, y) == PINNED, (
        "the drawing changed: if on purpose, bump GENERATOR_VERSION and "
        "update PINNED; if not, NumPy or Pillow draws differently here"
    )


def test_image_i_does_not_depend_on_n():
    x3, y3 = hf.generate(3, seed=7)
    x8, y8 = hf.generate(8, seed=7)
    assert np.array_equal(x3, x8[:3]) and np.array_equal(y3, y8[:3])
    assert np.array_equal(hf.render_one(6, 7, y8[6]), x8[6])


def test_shapes_dtypes_balance_and_range():
    x, y = hf.generate(24, seed=1)
    assert x.shape == (24, 64, 64, 3) and x.dtype == np.uint8
    assert y.shape == (24,) and y.dtype == np.int64
    assert np.bincount(y, minlength=2).tolist() == [12, 12]
    _, y7 = hf.generate(7, seed=1)
    assert abs(int(y7.sum()) * 2 - 7) == 1
    assert x.min() < 40 and x.max() > 215  # photo-like: most of the range, no flat images
    assert x.reshape(24, -1).std(axis=1).min() > 10
    assert hf.generate(2, seed=1, size=32)[0].shape == (2, 32, 32, 3)
    assert hf.CLASSES == ("not smiling", "smiling")
    with pytest.raises(ValueError):
        hf.generate(-1, seed=0)


def test_the_label_is_the_mouth():
    """The same draw but for the label differs around the mouth far more than elsewhere."""
    rng_args = (5, 11)
    smile = hf.render_one(*rng_args, label=1).astype(np.int16)
    neutral = hf.render_one(*rng_args, label=0).astype(np.int16)
    diff = np.abs(smile - neutral).mean(axis=-1)
    assert diff[34:52, 16:48].mean() > 2 * diff[:24].mean(), (diff[34:52, 16:48].mean(), diff[:24].mean())


@pytest.fixture
def small_split(monkeypatch, tmp_path):
    """A tiny split (6 train, 4 test) cached under tmp_path; returns the cache file's path."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    monkeypatch.setattr(hf, "N_TRAIN", 6)
    monkeypatch.setattr(hf, "N_TEST", 4)
    path = hf.cache_path()
    assert path.parent == tmp_path / "generated"
    assert f"v{hf.GENERATOR_VERSION}" in path.name and str(hf.TRAIN_SEED) in path.name
    return path


def test_cache_round_trip_and_a_quiet_cached_load(small_split, capsys):
    first = hf.load_happy_faces()
    err = capsys.readouterr().err
    assert "drawing the 10 happy-face images (about" in err and str(small_split) in err, err
    assert f"drawing happy faces (seed {hf.TRAIN_SEED})" in err, err  # the tqdm bar
    assert [p.name for p in small_split.parent.iterdir()] == [small_split.name]
    second = hf.load_happy_faces()
    assert capsys.readouterr().err == ""
    for key in ("train_x", "train_y", "test_x", "test_y"):
        assert np.array_equal(getattr(first, key), getattr(second, key))
        assert getattr(first, key).dtype == getattr(second, key).dtype
    assert second.train_x.shape == (6, 64, 64, 3) and second.test_y.shape == (4,)
    assert second.classes == hf.CLASSES
    assert np.array_equal(hf.load_happy_faces(cache=False, progress=False).test_x, first.test_x)


def test_cache_is_read_not_redrawn(small_split, monkeypatch):
    hf.load_happy_faces(progress=False)

    def no_drawing(*args, **kwargs):
        raise AssertionError("drew images although the cache is valid")

    monkeypatch.setattr(hf, "generate", no_drawing)
    assert hf.load_happy_faces().train_x.shape == (6, 64, 64, 3)


def test_changed_arrays_fail_the_checksum_and_are_redrawn(small_split):
    good = hf.load_happy_faces(progress=False)
    with h5py.File(small_split, "r+") as f:
        f["test_x"][0, 0, 0, 0] ^= 0xFF
    with pytest.warns(UserWarning, match="happy-face cache .* sha256"):
        again = hf.load_happy_faces(progress=False)
    assert np.array_equal(again.test_x, good.test_x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the file was replaced by a good one
        hf.load_happy_faces(progress=False)


def test_a_consistent_edit_is_caught_by_drawing_again(small_split):
    good = hf.load_happy_faces(progress=False)
    with h5py.File(small_split, "r+") as f:
        arrays = {k: f[k][()] for k in ("train_x", "train_y", "test_x", "test_y")}
        arrays["train_x"][0] = 255 - arrays["train_x"][0]
        del f["train_x"]
        f.create_dataset("train_x", data=arrays["train_x"])
        f.attrs["sha256"] = generated.digest(arrays, ("train_x", "train_y", "test_x", "test_y"))
    with pytest.warns(UserWarning, match="image 0 of its train set differs"):
        again = hf.load_happy_faces(progress=False)
    assert np.array_equal(again.train_x, good.train_x)


def test_unreadable_cache_is_redrawn(small_split):
    good = hf.load_happy_faces(progress=False)
    small_split.write_bytes(b"not HDF5" * 100)
    with pytest.warns(UserWarning, match="unusable"):
        again = hf.load_happy_faces(progress=False)
    assert np.array_equal(again.train_y, good.train_y)
    with h5py.File(small_split) as f:
        assert f["train_x"].shape == (6, 64, 64, 3)


def test_spot_checks_cover_both_sets_and_both_ends():
    checks = hf._spot_checks()
    assert ("train", hf.TRAIN_SEED, 0) in checks and ("train", hf.TRAIN_SEED, hf.N_TRAIN - 1) in checks
    assert ("test", hf.TEST_SEED, 0) in checks and ("test", hf.TEST_SEED, hf.N_TEST - 1) in checks

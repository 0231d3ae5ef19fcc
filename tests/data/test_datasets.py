"""Data loaders and generators: shapes, determinism, and clear errors on bad files."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from shared_utils import REPO_ROOT
from shared_utils.data import fashion, planar, registry
from shared_utils.data.registry import DataError


def test_fashion_pair_loads_with_course_shapes():
    d = fashion.load_fashion_coat_vs_shirt()
    assert d.train_x.shape == (1000, 28, 28) and d.train_x.dtype == np.uint8
    assert d.test_x.shape == (2000, 28, 28)
    assert d.train_y.shape == (1, 1000) and set(np.unique(d.train_y)) == {0, 1}
    assert d.classes == ("coat", "shirt")
    flat = fashion.flatten_images(d.test_x)
    assert flat.shape == (784, 2000) and 0.0 <= flat.min() and flat.max() <= 1.0
    # column j of the flattened matrix is image j
    np.testing.assert_allclose(flat[:, 7], d.test_x[7].ravel() / 255.0)


def test_shirt_vs_tops_is_balanced_with_its_own_classes():
    d = fashion.load_fashion_shirt_vs_tops()
    assert d.train_x.shape == (8000, 28, 28) and d.test_x.shape == (2000, 28, 28)
    assert d.train_x.dtype == np.uint8 and d.train_y.shape == (1, 8000)
    assert d.train_y.mean() == 0.5 and d.test_y.mean() == 0.5
    assert d.classes == ("other top", "shirt")
    # the shirts of the test split are not those of the coat-versus-shirt training set's split
    assert not np.array_equal(d.test_x[:10], fashion.load_fashion_coat_vs_shirt().train_x[:10])


def test_missing_file_names_it_and_the_restore_command(tmp_path):
    with pytest.raises(DataError) as info:
        fashion.load_fashion_coat_vs_shirt(tmp_path / "fashion_coat_vs_shirt.h5")
    msg = str(info.value)
    assert "is missing" in msg and "git checkout" in msg and "tools/derive_fashion_pair.py" in msg


def test_corrupt_file_is_refused_by_checksum(tmp_path):
    bad = tmp_path / "fashion_coat_vs_shirt.h5"
    shutil.copy(REPO_ROOT / registry.FASHION_COAT_VS_SHIRT.path, bad)
    with open(bad, "r+b") as f:
        f.seek(5000)
        f.write(b"\x00garbage\x00")
    with pytest.raises(DataError, match="corrupt"):
        fashion.load_fashion_coat_vs_shirt(bad)


def test_flower_is_seeded_balanced_and_not_linearly_separable():
    from sklearn.linear_model import LogisticRegression

    X, Y = planar.make_flower(400, seed=3)
    X2, Y2 = planar.make_flower(400, seed=3)
    np.testing.assert_array_equal(X, X2)
    assert X.shape == (2, 400) and Y.shape == (1, 400) and Y.sum() == 200
    assert LogisticRegression().fit(X.T, Y.ravel()).score(X.T, Y.ravel()) < 0.65
    with pytest.raises(ValueError, match="even"):
        planar.make_flower(7)


@pytest.mark.parametrize("name", ["moons", "circles", "blobs"])
def test_other_2d_sets(name):
    X, Y = planar.make_2d(name, m=100)
    assert X.shape == (2, 100) and Y.shape == (1, 100) and set(np.unique(Y)) == {0, 1}


def test_unknown_2d_set_is_named():
    with pytest.raises(ValueError, match="unknown 2-D set 'spiral'"):
        planar.make_2d("spiral")


def test_halve_resolution_averages_each_2x2_block():
    images = np.arange(2 * 4 * 6, dtype=np.uint8).reshape(2, 4, 6)
    small = fashion.halve_resolution(images)
    assert small.shape == (2, 2, 3) and small.dtype == np.float64
    # block (1, 2) of image 1: rows 2-3, columns 4-5
    expected = images[1, 2:4, 4:6].astype(float).mean()
    assert small[1, 1, 2] == expected
    for i, r, c in [(0, 0, 0), (1, 0, 1), (0, 1, 2)]:
        assert small[i, r, c] == images[i, 2 * r : 2 * r + 2, 2 * c : 2 * c + 2].mean()
    assert fashion.halve_resolution(np.full((1, 28, 28), 255, np.uint8)).max() == 255.0
    flat = fashion.flatten_images(fashion.halve_resolution(np.zeros((3, 28, 28), np.uint8)))
    assert flat.shape == (196, 3)


@pytest.mark.parametrize("shape", [(5, 28, 27), (28, 28), (2, 3, 4, 4)])
def test_halve_resolution_refuses_odd_or_wrong_shapes(shape):
    with pytest.raises(ValueError, match="h and w even"):
        fashion.halve_resolution(np.zeros(shape, np.uint8))


def test_flattened_images_are_c_contiguous():
    flat = fashion.flatten_images(np.zeros((5, 4, 4), dtype=np.uint8))
    assert flat.flags["C_CONTIGUOUS"] and flat.dtype == np.float64

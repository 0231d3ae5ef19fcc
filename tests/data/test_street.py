"""The street crops of course 4: the committed file, its split by time, and the errors for a bad copy."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from shared_utils import REPO_ROOT
from shared_utils.data import registry
from shared_utils.data.registry import STREET_PEOPLE, DataError
from shared_utils.data.street import load_street_people


@pytest.fixture(scope="module")
def crops():
    return load_street_people()


def test_crops_are_balanced_uint8_photos(crops):
    for x, y, frame in [
        (crops.train_x, crops.train_y, crops.train_frame),
        (crops.test_x, crops.test_y, crops.test_frame),
    ]:
        assert x.dtype == np.uint8 and x.shape[1:] == (96, 96, 3)
        assert y.dtype == np.uint8 and y.shape == frame.shape == (len(x),)
        assert set(np.unique(y)) == {0, 1} and 2 * int(y.sum()) == len(y)
        assert 50 < float(x.std())  # real photos, not a blank or constant array
    assert len(crops.train_x) + len(crops.test_x) <= 400
    assert crops.classes == ("no person", "person")


def test_train_and_test_come_from_frames_far_apart(crops):
    """Split by time: at 10 frames a second, every test frame is seconds after every training one."""
    assert int(crops.test_frame.min()) - int(crops.train_frame.max()) >= 50
    assert np.all(np.diff(crops.train_frame) >= 0) and np.all(np.diff(crops.test_frame) >= 0)


def test_no_test_crop_copies_a_training_crop(crops):
    train = crops.train_x.reshape(len(crops.train_x), -1).astype(np.float64)
    test = crops.test_x.reshape(len(crops.test_x), -1).astype(np.float64)
    squared = (test**2).sum(1)[:, None] + (train**2).sum(1)[None] - 2 * test @ train.T
    closest = squared.min(axis=1) / train.shape[1]  # mean squared difference to the nearest training crop
    assert float(closest.min()) > 1.0  # not one identical crop


def test_licence_and_source_are_recorded(crops):
    assert "Apache-2.0" in crops.licence and "BSD-3-Clause" in crops.licence
    assert "vtest.avi" in crops.source and "opencv-doc" in crops.source
    assert STREET_PEOPLE in registry.committed()
    assert "tools/derive_street_crops.py" in STREET_PEOPLE.tool
    assert (REPO_ROOT / STREET_PEOPLE.path).stat().st_size < 8_000_000


def test_missing_file_names_it_and_the_restore_command(tmp_path):
    absent = tmp_path / "street_people.h5"
    with pytest.raises(DataError, match="is missing") as info:
        load_street_people(absent)
    message = str(info.value)
    assert str(absent) in message
    assert f"git checkout -- {STREET_PEOPLE.path}" in message and "derive_street_crops.py" in message


def test_altered_file_is_refused(tmp_path):
    copy = tmp_path / "street_people.h5"
    shutil.copy(REPO_ROOT / STREET_PEOPLE.path, copy)
    assert load_street_people(copy).train_x.shape[0] > 0
    with open(copy, "r+b") as f:
        f.seek(5000)
        f.write(b"\x00edited\x00")
    with pytest.raises(DataError, match="differs from the committed one"):
        load_street_people(copy)

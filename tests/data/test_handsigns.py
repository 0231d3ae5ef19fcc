"""The hand-sign generator: determinism, shapes, the HDF5 cache, and that a CNN learns it."""

from __future__ import annotations

import hashlib
import sys
import warnings
from pathlib import Path

import h5py
import numpy as np
import pytest

from shared_utils.data import handsigns as hs
from shared_utils.data.store import ENV_VAR

# sha256 of generate(12, seed=0): the same bytes on every machine with the pinned NumPy and
# Pillow.  Changing the drawing on purpose means bumping GENERATOR_VERSION and this digest.
PINNED = "321d0ecfc0766456cc641e16cc05f67d03e70c3f31b26eb758ad96b4550b1435"
# the learning test: images, epochs, and the figures it must reach (measured: CNN 0.79, dense 0.27)
LEARN_TRAIN, LEARN_HELD, LEARN_EPOCHS = 1080, 240, 15
CNN_AT_LEAST, MARGIN = 0.55, 0.2


def _sha(images: np.ndarray, labels: np.ndarray) -> str:
    return hashlib.sha256(images.tobytes() + labels.astype("<i8").tobytes()).hexdigest()


def test_same_seed_same_bytes_other_seed_differs():
    x1, y1 = hs.generate(12, seed=3)
    x2, y2 = hs.generate(12, seed=3)
    assert x1.tobytes() == x2.tobytes() and np.array_equal(y1, y2)
    x3, y3 = hs.generate(12, seed=4)
    assert not np.array_equal(x1, x3)
    # every image differs from every other one of its set
    flat = x1.reshape(12, -1)
    assert len({row.tobytes() for row in flat}) == 12


def test_pinned_bytes_for_seed_0():
    x, y = hs.generate(12, seed=0)
    assert _sha(x, y) == PINNED, (
        "the drawing changed: if on purpose, bump GENERATOR_VERSION and "
        "update PINNED; if not, NumPy or Pillow draws differently here"
    )


def test_image_i_does_not_depend_on_n():
    x5, y5 = hs.generate(5, seed=7)
    x14, y14 = hs.generate(14, seed=7)
    assert np.array_equal(x5, x14[:5]) and np.array_equal(y5, y14[:5])
    # and one image drawn alone is the same as in the batch
    assert np.array_equal(hs.render_one(9, 7, y14[9]), x14[9])


def test_shapes_dtypes_balance_and_range():
    x, y = hs.generate(36, seed=1)
    assert x.shape == (36, 64, 64, 3) and x.dtype == np.uint8
    assert y.shape == (36,) and y.dtype == np.int64
    assert np.bincount(y, minlength=6).tolist() == [6] * 6
    _, y7 = hs.generate(7, seed=1)
    assert np.bincount(y7, minlength=6).max() - np.bincount(y7, minlength=6).min() <= 1
    # photo-like: uses most of the range, no flat images
    assert x.min() < 40 and x.max() > 215
    assert x.reshape(36, -1).std(axis=1).min() > 10
    small, _ = hs.generate(3, seed=1, size=32)
    assert small.shape == (3, 32, 32, 3)
    assert hs.CLASSES == ("0", "1", "2", "3", "4", "5")
    with pytest.raises(ValueError):
        hs.generate(-1, seed=0)


@pytest.fixture
def small_split(monkeypatch, tmp_path):
    """A tiny split (12 train, 6 test) cached under tmp_path; returns the cache file's path."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    monkeypatch.setattr(hs, "N_TRAIN", 12)
    monkeypatch.setattr(hs, "N_TEST", 6)
    path = hs.cache_path()
    assert path.parent == tmp_path / "generated"
    assert f"v{hs.GENERATOR_VERSION}" in path.name and str(hs.TRAIN_SEED) in path.name
    return path


def test_cache_round_trip(small_split):
    first = hs.load_hand_signs()
    assert small_split.is_file()
    assert [p.name for p in small_split.parent.iterdir()] == [small_split.name]
    with h5py.File(small_split) as f:
        assert len(f.attrs["sha256"]) == 64
    second = hs.load_hand_signs()
    for key in ("train_x", "train_y", "test_x", "test_y"):
        assert np.array_equal(getattr(first, key), getattr(second, key))
        assert getattr(first, key).dtype == getattr(second, key).dtype
    assert second.train_x.shape == (12, 64, 64, 3) and second.test_y.shape == (6,)
    assert second.classes == hs.CLASSES
    memory = hs.load_hand_signs(cache=False)
    assert np.array_equal(memory.train_x, first.train_x)


def test_first_draw_shows_its_time_and_a_progress_bar_a_cached_load_is_quiet(small_split, capsys):
    hs.load_hand_signs()
    err = capsys.readouterr().err
    assert "drawing the 18 hand-sign images (about" in err and str(small_split) in err, err
    assert f"drawing hand signs (seed {hs.TRAIN_SEED})" in err and "12/12" in err, err  # the tqdm bar
    hs.load_hand_signs()
    assert capsys.readouterr().err == ""


def test_cache_is_read_not_redrawn(small_split, monkeypatch):
    hs.load_hand_signs()

    def no_drawing(*args, **kwargs):
        raise AssertionError("drew images although the cache is valid")

    monkeypatch.setattr(hs, "generate", no_drawing)
    assert hs.load_hand_signs().train_x.shape == (12, 64, 64, 3)


def test_changed_arrays_fail_the_checksum_and_are_redrawn(small_split):
    good = hs.load_hand_signs()
    with h5py.File(small_split, "r+") as f:
        f["train_x"][0, 0, 0, 0] ^= 0xFF
    with pytest.warns(UserWarning, match="sha256"):
        again = hs.load_hand_signs()
    assert np.array_equal(again.train_x, good.train_x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the file was replaced by a good one: no warning now
        hs.load_hand_signs()


def _edit_consistently(path: Path, key: str, edit) -> None:
    """Change one array of the cache file and write the matching checksum, as a deliberate
    edit (or another version of the generator) would."""
    with h5py.File(path, "r+") as f:
        arrays = {k: f[k][()] for k in ("train_x", "train_y", "test_x", "test_y")}
        edit(arrays[key])
        del f[key]
        f.create_dataset(key, data=arrays[key])
        f.attrs["sha256"] = hs._digest(arrays)


@pytest.mark.parametrize(
    "key, edit, why",
    [
        ("train_x", lambda a: a.__setitem__(0, 255 - a[0]), "image 0 of its train set differs"),
        ("test_x", lambda a: a.__setitem__(-1, a[-1] // 2), "image 5 of its test set differs"),
        (
            "train_y",
            lambda a: a.__setitem__(slice(0, 2), a[1::-1].copy()),
            "label 0 of its train set differs",
        ),
    ],
)
def test_a_consistent_edit_is_caught_by_drawing_again(small_split, key, edit, why):
    good = hs.load_hand_signs()
    _edit_consistently(small_split, key, edit)
    with pytest.warns(UserWarning, match=why):
        again = hs.load_hand_signs()
    for k in ("train_x", "train_y", "test_x", "test_y"):
        assert np.array_equal(getattr(again, k), getattr(good, k)), k
    assert [p.name for p in small_split.parent.iterdir()] == [small_split.name], "replaced atomically"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the rebuilt file passes
        hs.load_hand_signs()


def test_a_failed_rebuild_leaves_the_old_file_whole(small_split, monkeypatch):
    hs.load_hand_signs()
    _edit_consistently(small_split, "train_x", lambda a: a.__setitem__(0, 0))
    before = small_split.read_bytes()

    def full_disk(self, name, *args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(h5py.Group, "create_dataset", full_disk)
    with pytest.warns(UserWarning, match="differs from the same image drawn again"):
        data = hs.load_hand_signs()  # the images come from memory
    assert data.train_x[0].any()
    assert small_split.read_bytes() == before and list(small_split.parent.iterdir()) == [small_split]


def test_spot_checks_cover_both_sets_and_both_ends():
    checks = hs._spot_checks()
    assert 3 <= len(checks) <= 5
    assert ("train", hs.TRAIN_SEED, 0) in checks and ("train", hs.TRAIN_SEED, hs.N_TRAIN - 1) in checks
    assert ("test", hs.TEST_SEED, 0) in checks and ("test", hs.TEST_SEED, hs.N_TEST - 1) in checks


def test_unreadable_cache_is_redrawn(small_split):
    good = hs.load_hand_signs()
    small_split.write_bytes(b"this is not an HDF5 file" * 100)
    with pytest.warns(UserWarning, match="unusable"):
        again = hs.load_hand_signs()
    assert np.array_equal(again.test_x, good.test_x)
    with h5py.File(small_split) as f:  # and a good file is back
        assert f["test_x"].shape == (6, 64, 64, 3)


def test_failed_write_leaves_no_file(small_split, monkeypatch):
    real = h5py.Group.create_dataset
    calls = []

    def fail_on_second(self, name, *args, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full (simulated)")
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(h5py.Group, "create_dataset", fail_on_second)
    data = hs.load_hand_signs()  # still returns the images, from memory
    assert data.train_x.shape == (12, 64, 64, 3) and len(calls) == 2
    assert list(small_split.parent.iterdir()) == []

    def crash(self, name, *args, **kwargs):
        raise RuntimeError("crash mid-write (simulated)")

    monkeypatch.setattr(h5py.Group, "create_dataset", crash)
    with pytest.raises(RuntimeError, match="mid-write"):
        hs.load_hand_signs()
    assert list(small_split.parent.iterdir()) == []


def test_a_small_cnn_learns_it_and_beats_a_dense_network():
    """The set is learnable, and the structure a CNN exploits is what makes it so: on held-out
    images a two-block CNN trained briefly is far better than chance and than a dense net."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import handsigns_benchmark as bench

    x, y = hs.generate(LEARN_TRAIN, seed=11)
    hx, hy = hs.generate(LEARN_HELD, seed=12)
    x = x.astype("float32") / 255
    held = {"held": (hx.astype("float32") / 255, hy)}
    cnn = bench.train(bench.cnn_model, x, y, held, epochs=LEARN_EPOCHS, batch=32, lr=2e-3, seed=0)
    dense = bench.train(bench.dense_model, x, y, held, epochs=LEARN_EPOCHS, batch=32, lr=1e-4, seed=0)
    print(f"held-out accuracy: cnn {cnn['held']:.3f}, dense {dense['held']:.3f}")
    assert cnn["held"] >= CNN_AT_LEAST, cnn
    assert cnn["held"] >= dense["held"] + MARGIN, (cnn, dense)


def test_free_framing_moves_the_same_hand_and_leaves_the_classic_one_alone():
    from shared_utils.data import handsigns

    label = int(handsigns._labels(1, 5)[0])
    classic = handsigns.render_one(0, 5, label, size=32)
    assert np.array_equal(classic, handsigns.render_one(0, 5, label, size=32, framing="classic"))
    free = handsigns.render_one(0, 5, label, size=32, framing="free")
    assert free.shape == classic.shape and not np.array_equal(free, classic)
    assert np.array_equal(free, handsigns.render_one(0, 5, label, size=32, framing="free"))
    assert handsigns.cache_path("free") != handsigns.cache_path()
    with pytest.raises(ValueError, match="framing"):
        handsigns.render_one(0, 5, label, framing="tilted")

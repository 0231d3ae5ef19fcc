"""The checksum registry: one sha256 helper, every committed file declared once and verified one way."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from shared_utils import REPO_ROOT
from shared_utils.data import registry, samples
from shared_utils.data.registry import DataError


def test_data_readme_records_the_loader_checksum():
    entry = registry.FASHION_COAT_VS_SHIRT
    readme = (REPO_ROOT / entry.path).parent / "README.md"
    assert entry.sha256 in readme.read_text(encoding="utf-8")
    registry.verified_path(entry)


def test_every_committed_file_matches_its_checksum():
    files = registry.committed()
    assert registry.FASHION_COAT_VS_SHIRT in files and registry.FASHION_SHIRT_VS_TOPS in files
    declared = [v for v in vars(registry).values() if isinstance(v, registry.DataFile)]  # the course data
    assert set(declared) <= set(files)
    assert len(files) == len(declared) + len(registry.samples()) + len(registry.trained_weights())
    assert len({f.path for f in files}) == len(files)
    for f in files:
        assert (REPO_ROOT / f.path).is_file() and f.licence and f.tool, f.path
        assert registry.verified_path(f) == REPO_ROOT / f.path


def test_sha256_of_bytes_chunks_and_files(tmp_path):
    data = b"abc" * 1000
    expected = hashlib.sha256(data).hexdigest()
    assert registry.sha256(data) == expected
    assert registry.sha256(data[i : i + 7] for i in range(0, len(data), 7)) == expected
    assert registry.sha256(memoryview(data)) == expected
    p = tmp_path / "f.bin"
    p.write_bytes(data)
    assert registry.file_sha256(p) == expected
    assert registry.file_sha256(tmp_path / "absent") is None


@pytest.mark.parametrize("entry", [registry.FASHION_COAT_VS_SHIRT, registry.samples()["messi5.jpg"]])
def test_missing_or_changed_file_names_the_restore_command(entry, tmp_path):
    copy = tmp_path / "copy"
    with pytest.raises(DataError, match="is missing") as info:
        registry.verified_path(entry, copy)
    assert f"git checkout -- {entry.path}" in str(info.value) and entry.tool in str(info.value)
    shutil.copy(REPO_ROOT / entry.path, copy)
    assert registry.verified_path(entry, copy) == copy
    with open(copy, "r+b") as f:  # changed after a first successful check: checked again
        f.seek(100)
        f.write(b"\x00changed\x00")
    with pytest.raises(DataError, match="differs from the committed one") as info:
        registry.verified_path(entry, copy)
    assert f"git checkout -- {entry.path}" in str(info.value)


@pytest.fixture
def samples_copy(tmp_path, monkeypatch):
    """A copy of shared_data/ that the loaders read instead of the committed one."""
    root = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "shared_data", root / "shared_data")
    monkeypatch.setattr(registry, "REPO_ROOT", root)
    monkeypatch.setattr(samples, "ROOT", root / "shared_data")
    return root / "shared_data"


def test_an_edited_sample_is_refused_with_its_restore_command(samples_copy):
    assert samples.coco_classes()[:2] == ["person", "bicycle"]
    names = samples_copy / "coco_classes.txt"
    names.write_text(names.read_text().replace("bicycle", "unicycle"))  # a learner's edit
    with pytest.raises(DataError) as info:
        samples.coco_classes()
    msg = str(info.value)
    assert str(names) in msg and "differs from the committed one" in msg
    assert "`git checkout -- shared_data/coco_classes.txt`" in msg


def test_a_truncated_photo_is_refused_before_pillow_reads_it(samples_copy):
    photo = samples_copy / "images" / "messi5.jpg"
    photo.write_bytes(photo.read_bytes()[:5000])
    with pytest.raises(DataError) as info:
        samples.image("messi5.jpg")
    msg = str(info.value)
    assert str(photo) in msg and "differs from the committed one" in msg
    assert "`git checkout -- shared_data/images/messi5.jpg`" in msg


def test_check_file_states(tmp_path):
    p = tmp_path / "f.bin"
    assert registry.check_file(p, "0" * 64) == ("missing", "absent")
    p.write_bytes(b"abc")
    good = hashlib.sha256(b"abc").hexdigest()
    assert registry.check_file(p, good, 3) == ("ok", "")
    assert registry.check_file(p, good, 4) == ("corrupt", "size 3 bytes, expected 4")
    assert registry.check_file(p, "0" * 64)[0] == "corrupt"
    assert registry.check_file(tmp_path, good)[0] == "missing"  # a folder is not the file

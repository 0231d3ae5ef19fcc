"""The checksum registry: one sha256 helper, every committed file declared once and verified one way."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from shared_utils import REPO_ROOT
from shared_utils.data import registry
from shared_utils.data.registry import DataError


def test_data_readme_records_the_loader_checksum():
    entry = registry.FASHION_COAT_VS_SHIRT
    readme = (REPO_ROOT / entry.path).parent / "README.md"
    assert entry.sha256 in readme.read_text(encoding="utf-8")
    registry.verified_path(entry)


def test_every_committed_file_matches_its_checksum():
    files = registry.committed()
    assert registry.FASHION_COAT_VS_SHIRT in files and registry.FASHION_SHIRT_VS_TOPS in files
    assert len(files) == 2 + len(registry.samples())
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
    with pytest.raises(DataError, match="corrupt or was changed") as info:
        registry.verified_path(entry, copy)
    assert f"git checkout -- {entry.path}" in str(info.value)

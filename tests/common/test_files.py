"""atomic_write: a file is either the complete new content or what it was before."""

from __future__ import annotations

import os

import numpy as np
import pytest

from shared_utils.common.files import atomic_write


def test_bytes_text_and_writer(tmp_path):
    p = tmp_path / "sub" / "f.txt"
    assert atomic_write(p, "één\nline\n") == p  # the folder is created
    assert p.read_bytes() == "één\nline\n".encode()  # UTF-8, "\n" kept as it is
    atomic_write(p, b"\x00\x01")
    assert p.read_bytes() == b"\x00\x01"
    q = tmp_path / "a.npy"
    atomic_write(q, lambda tmp: np.save(tmp, np.arange(3), allow_pickle=False))
    np.testing.assert_array_equal(np.load(q, allow_pickle=False), np.arange(3))
    assert sorted(x.name for x in tmp_path.rglob("*")) == ["a.npy", "f.txt", "sub"], "no temporary files"


def test_new_file_gets_the_usual_permissions(tmp_path):
    if os.name != "posix":
        pytest.skip("POSIX modes")
    umask = os.umask(0o022)
    try:
        p = atomic_write(tmp_path / "f", b"x")
        assert p.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(umask)


@pytest.mark.parametrize("error", [ValueError("bad content"), KeyboardInterrupt()])
def test_a_failed_writer_leaves_the_old_file_and_no_temporary(tmp_path, error):
    p = tmp_path / "f.bin"
    p.write_bytes(b"old")

    def writer(tmp):
        tmp.write_bytes(b"half of the new")
        raise error

    with pytest.raises(type(error)):
        atomic_write(p, writer)
    assert p.read_bytes() == b"old" and [x.name for x in tmp_path.iterdir()] == ["f.bin"]


def test_a_failed_replace_removes_the_temporary(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError("the target is locked")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        atomic_write(tmp_path / "f", "text")
    assert list(tmp_path.iterdir()) == []

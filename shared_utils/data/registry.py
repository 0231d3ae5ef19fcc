"""The checksum registry of committed data: each file, its sha256, licence and the command that derives it.

A missing or corrupt file raises :class:`DataError` naming the file and the command that
restores it.  Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from shared_utils import REPO_ROOT


class DataError(RuntimeError):
    """A data file is missing or does not match its recorded checksum."""


@dataclass(frozen=True)
class DataFile:
    path: str  # relative to the repository root
    sha256: str
    tool: str  # the command that derives it again
    licence: str


FASHION_COAT_VS_SHIRT = DataFile(
    path="course1_foundations/data/fashion_coat_vs_shirt.h5",
    sha256="bc4058769f17e07b4df1cb2fae0f6ea4d287d5c34874437ba4a33ce41c91468f",
    tool="apt-get install dataset-fashion-mnist && python tools/derive_fashion_pair.py",
    licence="MIT, (c) 2017 Zalando SE (Fashion-MNIST)",
)


_verified: set[Path] = set()


def verified_path(entry: DataFile, path: Path | None = None) -> Path:
    """The file's path after checking it exists and matches its sha256 (once per process)."""
    path = Path(path) if path is not None else REPO_ROOT / entry.path
    restore = (
        f"Restore it with `git checkout -- {entry.path}` (from the repository root), "
        f"or derive it again with `{entry.tool}`."
    )
    if not path.exists():
        raise DataError(f"data file {path} is missing. {restore}")
    if path in _verified:
        return path
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != entry.sha256:
        raise DataError(
            f"data file {path} is corrupt or was changed (sha256 {digest[:12]}..., "
            f"expected {entry.sha256[:12]}...). {restore}"
        )
    _verified.add(path)
    return path

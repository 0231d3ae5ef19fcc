"""Every committed data file is documented with the sha256 its loader checks."""

from __future__ import annotations

from shared_utils import REPO_ROOT
from shared_utils.data import registry


def test_data_readme_records_the_loader_checksum():
    entry = registry.FASHION_COAT_VS_SHIRT
    readme = (REPO_ROOT / entry.path).parent / "README.md"
    assert entry.sha256 in readme.read_text(encoding="utf-8")
    registry.verified_path(entry)

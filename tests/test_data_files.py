"""Every committed data file is documented with the sha256 its loader checks."""
from __future__ import annotations

from shared_utils import datasets


def test_data_readme_records_the_loader_checksum():
    entry = datasets.FASHION_COAT_VS_SHIRT
    readme = (datasets.REPO_ROOT / entry.path).parent / "README.md"
    assert entry.sha256 in readme.read_text(encoding="utf-8")
    datasets.verified_path(entry)

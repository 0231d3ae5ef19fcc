"""Test helper: ask for fetched assets; fail under CI, skip (with the fetch command) elsewhere.

    from tests.assets_testing import require

    @pytest.fixture(scope="module")
    def weights():
        return require("yolov3-tiny.weights", "yolov3-tiny.cfg")[0]

CI fetches every asset before the tests (``python3 bootstrap.py assets``), so a missing asset
there is a failure; on a developer's machine without the cache it is a skip that says which
command fetches it.
"""

from __future__ import annotations

import os
from pathlib import Path

from shared_utils.data import store


def require(*names: str) -> list[Path]:
    """Verified paths of ``names``; otherwise ``pytest.fail`` when ``$CI`` is set, else ``pytest.skip``."""
    import pytest

    paths, missing = [], []
    for n in names:
        try:
            paths.append(store.path(n))
        except store.AssetMissing as e:
            missing.append(f"{n} ({e.reason})")
    if missing:
        msg = (
            f"asset(s) not fetched: {', '.join(missing)}; run: "
            f"python -m shared_utils assets fetch {' '.join(names)}"
        )
        if os.environ.get("CI"):
            pytest.fail(msg + "  [CI is set: CI must fetch every asset before the tests]")
        pytest.skip(msg)
    return paths

"""Every solution notebook runs end to end in fast mode, every check cell passing."""

from __future__ import annotations

import pytest

from shared_utils.engine.build import discover
from shared_utils.engine.run import execute

NOTEBOOKS = discover()


@pytest.mark.notebook
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[n.key for n in NOTEBOOKS])
def test_solution_runs_in_fast_mode(nb, tmp_path):
    result = execute(nb, fast=True, out_dir=tmp_path)
    assert result.status == "ok", result.error

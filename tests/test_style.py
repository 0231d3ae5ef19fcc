"""The code is formatted and linted by ruff, as configured in pyproject.toml (110 columns)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared_utils import REPO_ROOT


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: it is pinned in requirements-dev.txt (python3 bootstrap.py test)")
    return [found]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"])
def test_ruff(args):
    done = subprocess.run(_ruff() + args, cwd=REPO_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"ruff {' '.join(args)} found problems:\n{done.stdout}{done.stderr}"

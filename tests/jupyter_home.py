"""Jupyter folders of a test's own: a kernel spec for this environment's Python, and the
environment variables that make Jupyter (and the kernels it starts) use only them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def isolated_jupyter(folder: Path, display_name: str = "Python 3") -> tuple[Path, dict[str, str]]:
    """``folder`` with ``data/kernels/python3`` (this Python) and ``config/``; the variables that
    point Jupyter there (added to a copy of this process's environment, which is returned)."""
    kernel = folder / "data" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": display_name,
                "language": "python",
            }
        )
    )
    (folder / "config").mkdir()
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(folder / "config"),
        JUPYTER_DATA_DIR=str(folder / "data"),
        JUPYTER_PREFER_ENV_PATH="0",  # in a venv the env's own kernels would come first
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        IPYTHONDIR=str(folder / "ipython"),
    )
    return folder, env

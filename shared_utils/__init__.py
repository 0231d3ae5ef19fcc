"""Helpers, checks and grader of the deep-learning course workbook.

Notebooks import what they need from the submodules, e.g.
``from shared_utils.checks import c1_01_python_numpy as check``, and report their headline
figure with ``from shared_utils import headline``.  Where things live: docs/LAYOUT.md.
"""

from pathlib import Path

from shared_utils.engine.report import headline

__version__ = "0.1.0"

# The repository's root: the folder that holds sources/, the course folders and shared_utils/.
REPO_ROOT = Path(__file__).resolve().parent.parent

__all__ = ["REPO_ROOT", "headline"]

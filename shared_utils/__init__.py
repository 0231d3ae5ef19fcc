"""Helpers, checks and grader of the deep-learning course workbook.

Notebooks import what they need from the submodules, e.g.
``from shared_utils.checks import c1_python_numpy as check``.
"""
from pathlib import Path

__version__ = "0.1.0"

# The repository's root: the folder that holds sources/, the course folders and shared_utils/.
REPO_ROOT = Path(__file__).resolve().parent.parent

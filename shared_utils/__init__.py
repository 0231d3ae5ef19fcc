"""Helpers, checks and grader of the deep-learning course workbook.

Notebooks import what they need from the submodules, e.g.
``from shared_utils.checks import c1_python_numpy as check``.
"""
__version__ = "0.1.0"

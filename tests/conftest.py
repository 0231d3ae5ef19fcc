"""Shared fixtures: the notebooks of the workbook, and a quiet TensorFlow."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_configure(config):
    """Two logical CPU devices, fixed before any test runs a TensorFlow op.

    The data-parallel checks of course 2 compare a two-replica MirroredStrategy run with a
    single-device one; with one device, a loss averaged over the replica's batch instead of
    the global batch would go unnoticed.  Other tests place nothing explicitly and are not
    affected.
    """
    from shared_utils.common.compute import logical_cpus

    logical_cpus(2)

"""How the notebooks use the CPU: BLAS threads and logical devices for data parallelism."""

from __future__ import annotations

from shared_utils.common import compute


def test_logical_cpus_gives_two_devices_and_is_idempotent():
    # tests/conftest.py split the CPU before any TensorFlow op ran
    first = compute.logical_cpus(2)
    assert len(first) == 2 and all("CPU" in d for d in first)
    assert compute.logical_cpus(2) == first  # asking again after TensorFlow started does not fail


def test_mirrored_strategy_is_made_once_per_program():
    strategy = compute.mirrored_strategy(2)
    assert compute.mirrored_strategy(2) is strategy
    assert strategy.num_replicas_in_sync == 2

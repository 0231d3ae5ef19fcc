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


def test_quiet_native_log_drops_the_onednn_line_and_writes_back_the_others(capfd):
    import os

    with compute.quiet_native_log(compute.MASKED_LSTM_NOISE):
        os.write(2, f"E0000 util.cc:131] {compute.MASKED_LSTM_NOISE[0]}. Falling back\n".encode())
        os.write(2, b"a line that matters\n")
    err = capfd.readouterr().err
    assert "a line that matters" in err and "oneDNN" not in err

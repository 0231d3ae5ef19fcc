"""The multi-worker launcher of the scaling-out notebook: two real workers on 127.0.0.1."""

from __future__ import annotations

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from shared_utils.course2 import multiworker
from shared_utils.engine.silence import LIMIT_S

BATCH, EPOCHS, LR, MOMENTUM = 16, 2, 0.05, 0.9


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def small_job(tmp_path):
    """A float64 model saved untrained, its data, and the same training on one device."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6 * BATCH, 8))
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    keras.utils.set_random_seed(7)
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(5, activation="relu", dtype="float64"),
            keras.layers.Dense(2, activation="softmax", dtype="float64"),
        ]
    )
    model.save(tmp_path / "start.keras")
    np.savez(tmp_path / "data.npz", x=x, y=y)
    model.compile(
        optimizer=keras.optimizers.SGD(LR, momentum=MOMENTUM), loss="sparse_categorical_crossentropy"
    )
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH, drop_remainder=True)
    model.fit(dataset, epochs=EPOCHS, shuffle=False, verbose=0)
    return tmp_path, model.get_weights()


def test_free_ports_differ_and_tf_config_names_the_cluster_and_the_task():
    ports = multiworker.free_ports(3)
    assert len(set(ports)) == 3 and all(0 < p < 65536 for p in ports)
    config = multiworker.tf_config(ports, 2)
    assert config["cluster"]["worker"] == [f"127.0.0.1:{p}" for p in ports]
    assert config["task"] == {"type": "worker", "index": 2}
    assert json.loads(json.dumps(config)) == config


def test_two_workers_train_the_same_weights_as_one_device_and_leave_no_process(small_job, monkeypatch):
    folder, expected = small_job
    lines = []
    started = []
    real_popen = multiworker.subprocess.Popen

    def recording_popen(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started.append(proc.pid)
        return proc

    monkeypatch.setattr(multiworker.subprocess, "Popen", recording_popen)
    weights = multiworker.run_workers(
        folder / "start.keras",
        folder / "data.npz",
        folder / "run",
        epochs=EPOCHS,
        global_batch_size=BATCH,
        learning_rate=LR,
        momentum=MOMENTUM,
        timeout=240,
        log=lines.append,
    )
    assert len(weights) == 2 and len(started) == 2
    for worker in weights:
        assert [w.shape for w in worker] == [w.shape for w in expected]
        assert all(w.dtype == np.float64 for w in worker)
        assert max(float(np.abs(a - b).max()) for a, b in zip(worker, expected)) < 1e-12
    assert all(_gone(pid) for pid in started)
    text = "\n".join(lines)
    for i in range(2):
        assert f"worker {i}: joined, 2 replicas in sync" in text
        assert f"worker {i}: epoch {EPOCHS}, mean loss" in text
        assert f"worker {i}: {multiworker.SAVED}" in text
    assert "TF_CONFIG cluster" in lines[0]
    stamps = [float(line.split(" s  ", 1)[0]) for line in lines]  # every line starts "  12.3 s  "
    gaps = np.diff(stamps)
    assert gaps.max() <= multiworker.HEARTBEAT_S + 1.0 < LIMIT_S, lines  # never long without a line


def test_a_run_past_its_time_limit_stops_every_worker(small_job):
    folder, _ = small_job
    lines = []
    with pytest.raises(multiworker.WorkersFailed, match="ran past the 1 s limit") as failure:
        multiworker.run_workers(
            folder / "start.keras",
            folder / "data.npz",
            folder / "run",
            epochs=EPOCHS,
            global_batch_size=BATCH,
            learning_rate=LR,
            timeout=1,  # TensorFlow alone takes longer to import
            log=lines.append,
        )
    assert len(failure.value.pids) == 2
    assert all(_gone(pid) for pid in failure.value.pids)
    assert not (folder / "run" / "worker-0.npz").exists()


def test_a_failing_worker_is_reported_with_its_log_and_the_others_are_stopped(small_job):
    folder, _ = small_job
    (folder / "broken.keras").write_bytes(b"not a Keras file")
    with pytest.raises(multiworker.WorkersFailed, match="exited with code") as failure:
        multiworker.run_workers(
            folder / "broken.keras",
            folder / "data.npz",
            folder / "run",
            epochs=EPOCHS,
            global_batch_size=BATCH,
            learning_rate=LR,
            timeout=240,
            log=lambda line: None,
        )
    assert "Traceback" in str(failure.value)
    assert all(_gone(pid) for pid in failure.value.pids)


def test_missing_inputs_are_named_before_anything_starts(tmp_path):
    with pytest.raises(FileNotFoundError, match="start.keras"):
        multiworker.run_workers(tmp_path / "start.keras", tmp_path / "data.npz", tmp_path, 1, 4, 0.1)

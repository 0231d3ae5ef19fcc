"""Training on several worker processes of this machine with ``MultiWorkerMirroredStrategy``.

The scaling-out notebook uses it to run, for real, what a cluster of machines would run:

    weights = multiworker.run_workers("start.keras", "data.npz", folder, epochs=2, global_batch_size=64,
                                      learning_rate=0.05, momentum=0.9)

starts ``n_workers`` Python processes (``python -m shared_utils.course2.multiworker ...``), each
with its own ``TF_CONFIG`` naming the same cluster of ``127.0.0.1`` ports and its own index,
relays the lines they report, waits at most ``timeout`` seconds, and returns each worker's final
weights (read back from its ``.npz`` file, without pickles).  Every worker runs
:func:`train_worker`, the code a learner would copy to each machine.  Whatever happens, the
launcher leaves no worker behind: on a timeout, a failed worker or an exception it kills them.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

STAGE = "stage: "  # a worker's line that starts with this is relayed by the launcher
SAVED = "weights saved"  # a worker's last stage: its .npz is complete
HEARTBEAT_S = 2.5  # the launcher says it is still waiting after this long without news (well under 5 s)
EXIT_GRACE_S = 2.0  # a worker that has saved its weights gets this long to exit, then is killed


class WorkersFailed(RuntimeError):
    """A worker exited with an error or the workers ran past the time limit (all were killed)."""

    def __init__(self, message: str, pids: Sequence[int]):
        super().__init__(message)
        self.pids = list(pids)


def free_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports of 127.0.0.1 that were free a moment ago (the OS picks them)."""
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))  # held open until all n are chosen, so they differ
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def tf_config(ports: Sequence[int], index: int) -> dict:
    """The ``TF_CONFIG`` of worker ``index`` in a cluster of workers on 127.0.0.1:``ports``."""
    return {
        "cluster": {"worker": [f"127.0.0.1:{port}" for port in ports]},
        "task": {"type": "worker", "index": index},
    }


def stage(message: str) -> None:
    """Report one line to the launcher (a worker's stdout goes to its log file)."""
    print(STAGE + message, flush=True)


def train_worker(
    model_path: str,
    data_path: str,
    out_path: str,
    epochs: int,
    global_batch_size: int,
    learning_rate: float,
    momentum: float,
) -> None:
    """The code every worker runs: train a saved Keras model with SGD, one global batch a step.

    ``data_path`` is an .npz with ``x`` (m, n) and ``y`` (m,) integer labels; every worker reads
    all of it, and the strategy hands each worker its slice of every global batch of
    ``global_batch_size`` examples.  The loss is the softmax cross-entropy averaged over the
    global batch.  Writes the final weights to ``out_path`` (.npz: ``arr_0``, ``arr_1``, ... in
    ``model.get_weights()`` order).
    """
    import keras
    import tensorflow as tf

    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    stage(f"worker {index}: TensorFlow imported, joining the cluster")
    # Reads TF_CONFIG (who the workers are, which one this is), waits until all have joined.
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    worker = strategy.cluster_resolver.task_id
    stage(f"worker {worker}: joined, {strategy.num_replicas_in_sync} replicas in sync")

    with np.load(data_path, allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch_size, drop_remainder=True)
    options = tf.data.Options()  # all read the same data; each worker keeps its slice of each batch
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    dist_dataset = strategy.experimental_distribute_dataset(dataset.with_options(options))

    with strategy.scope():  # variables made here are mirrored: one copy per worker, kept in sync
        model = keras.models.load_model(model_path)
        optimizer = keras.optimizers.SGD(learning_rate, momentum=momentum)
        optimizer.build(model.trainable_variables)
    per_example = keras.losses.SparseCategoricalCrossentropy(reduction=None)

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            losses = per_example(y, model(x, training=True))
            loss = tf.nn.compute_average_loss(losses, global_batch_size=global_batch_size)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))  # sums over all workers
        return loss

    @tf.function
    def train_step(batch):
        per_replica = strategy.run(replica_step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    for epoch in range(epochs):
        losses = [float(train_step(batch)) for batch in dist_dataset]
        stage(f"worker {worker}: epoch {epoch + 1}, mean loss {np.mean(losses):.6f}")
    np.savez(out_path, *model.get_weights())
    stage(f"worker {worker}: {SAVED}")


def _tail(path: Path, lines: int = 15) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def run_workers(
    model_path: str | os.PathLike,
    data_path: str | os.PathLike,
    folder: str | os.PathLike,
    epochs: int,
    global_batch_size: int,
    learning_rate: float,
    momentum: float = 0.0,
    n_workers: int = 2,
    timeout: float = 90.0,
    log: Callable[[str], None] = print,
) -> list[list[np.ndarray]]:
    """Train with ``n_workers`` worker processes on 127.0.0.1; return each worker's final weights.

    Worker ``i`` writes its log to ``folder/worker-i.log`` and its weights to
    ``folder/worker-i.npz``.  Every stage is reported through ``log`` as it happens, and a line
    at least every :data:`HEARTBEAT_S` seconds while nothing else does.  Raises
    :class:`WorkersFailed` (after killing every worker) when a worker fails or the whole run
    takes longer than ``timeout`` seconds.
    """
    model_path, data_path, folder = Path(model_path).resolve(), Path(data_path).resolve(), Path(folder)
    for path in (model_path, data_path):
        if not path.is_file():
            raise FileNotFoundError(f"run_workers: {path} does not exist")
    folder.mkdir(parents=True, exist_ok=True)
    ports = free_ports(n_workers)
    start = time.monotonic()

    def say(message: str) -> None:
        log(f"{time.monotonic() - start:5.1f} s  {message}")

    cluster = json.dumps(tf_config(ports, 0)["cluster"])
    say(f"TF_CONFIG cluster {cluster}; time limit {timeout:g} s")
    logs = [folder / f"worker-{i}.log" for i in range(n_workers)]
    outs = [(folder / f"worker-{i}.npz").resolve() for i in range(n_workers)]
    arguments = [str(model_path), str(data_path), "OUT", str(epochs), str(global_batch_size)]
    arguments += [repr(float(learning_rate)), repr(float(momentum))]
    procs: list[subprocess.Popen] = []
    seen, saved_at = [0] * n_workers, {}
    try:
        for i in range(n_workers):
            outs[i].unlink(missing_ok=True)
            env = dict(os.environ, TF_CONFIG=json.dumps(tf_config(ports, i)), TF_CPP_MIN_LOG_LEVEL="2")
            arguments[2] = str(outs[i])
            with open(logs[i], "w") as out:
                command = [sys.executable, "-m", __name__, *arguments]
                procs.append(subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT))
            task = json.dumps(tf_config(ports, i)["task"])
            say(f"worker {i}: started (process {procs[i].pid}), TF_CONFIG task {task}, importing TensorFlow")
        last_news = time.monotonic()
        while True:
            for i, path in enumerate(logs):  # relay the stages reported since the last look
                lines = path.read_text(errors="replace").splitlines()
                for line in lines[seen[i] :]:
                    if line.startswith(STAGE):
                        say(line[len(STAGE) :])
                        last_news = time.monotonic()
                        if line.endswith(SAVED):
                            saved_at[i] = last_news
                seen[i] = len(lines)
            codes = [p.poll() for p in procs]
            failed = [i for i, code in enumerate(codes) if code not in (None, 0)]
            if failed:
                message = f"worker {failed[0]} exited with code {codes[failed[0]]}; its log ends:\n"
                raise WorkersFailed(message + _tail(logs[failed[0]]), [p.pid for p in procs])
            if all(code == 0 for code in codes):
                say(f"all {n_workers} workers have finished")
                break
            if len(saved_at) == n_workers and time.monotonic() - max(saved_at.values()) > EXIT_GRACE_S:
                say("every worker has saved its weights; stopping those still shutting down")
                break
            if time.monotonic() - start > timeout:
                tails = "\n".join(f"--- worker {i}:\n{_tail(path)}" for i, path in enumerate(logs))
                message = f"the workers ran past the {timeout:g} s limit and were stopped\n"
                raise WorkersFailed(message + tails, [p.pid for p in procs])
            if time.monotonic() - last_news >= HEARTBEAT_S:
                say("... waiting for the workers")
                last_news = time.monotonic()
            time.sleep(0.2)
    finally:
        for p in procs:  # nothing is left running, whatever happened
            if p.poll() is None:
                p.kill()
            p.wait()
    weights = []
    for path in outs:
        with np.load(path, allow_pickle=False) as saved:
            weights.append([saved[f"arr_{k}"] for k in range(len(saved.files))])
    return weights


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One worker of run_workers (reads TF_CONFIG).")
    parser.add_argument("model_path")
    parser.add_argument("data_path")
    parser.add_argument("out_path")
    parser.add_argument("epochs", type=int)
    parser.add_argument("global_batch_size", type=int)
    parser.add_argument("learning_rate", type=float)
    parser.add_argument("momentum", type=float)
    a = parser.parse_args(argv)
    train_worker(
        a.model_path, a.data_path, a.out_path, a.epochs, a.global_batch_size, a.learning_rate, a.momentum
    )


if __name__ == "__main__":
    main()

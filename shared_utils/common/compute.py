"""How the notebooks use the CPU, and what its native libraries write."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence


def single_threaded_blas() -> None:
    """Run NumPy's linear algebra on one thread for the rest of the session.

    The from-scratch networks multiply small matrices (hundreds by a thousand) thousands of
    times. One BLAS thread does such products as fast as several, and several threads that
    compete with other work on a 2-core machine can be ten times slower. TensorFlow keeps
    its own thread pools and is not affected.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


def logical_cpus(n: int = 2) -> list[str]:
    """Split the CPU into ``n`` logical TensorFlow devices; return the CPU device names.

    ``tf.distribute.MirroredStrategy`` makes one replica per device, so on a machine without
    GPUs this is how a notebook shows data-parallel training: the same code, given several
    GPUs, runs one replica on each.  TensorFlow fixes its devices the first time it runs an
    operation; after that the split cannot change, and this function returns the devices as
    they are (one, if nothing split them earlier) instead of failing.
    """
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    if n > 1:
        try:
            tf.config.set_logical_device_configuration(
                cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)]
            )
        except RuntimeError:  # devices already initialised: keep what exists
            pass
    return [d.name for d in tf.config.list_logical_devices("CPU")]


_strategies: dict = {}


def mirrored_strategy(n: int = 2):
    """The program's ``tf.distribute.MirroredStrategy`` over ``n`` logical CPUs, made once.

    Create one strategy per program and reuse it: in TensorFlow 2.21 a second
    MirroredStrategy over the same devices cancels the first one's collective operations
    ("Function was cancelled before it was started"), so notebooks and checks share this one.
    """
    import tensorflow as tf

    devices = tuple(logical_cpus(n))
    if devices not in _strategies:
        _strategies[devices] = tf.distribute.MirroredStrategy(list(devices))
    return _strategies[devices]


# what TensorFlow's native code writes to file descriptor 2 the first time a masked LSTM runs
MASKED_LSTM_NOISE = ("oneDNN supports DT_BOOL only on platforms with AVX-512",)


@contextlib.contextmanager
def quiet_native_log(noise: Sequence[str]) -> Iterator[None]:
    """Keep the native log lines that contain one of ``noise`` out of the output while the block
    runs: file descriptor 2, where TensorFlow's C++ code writes past Python's ``sys.stderr``, goes
    to a temporary file, and its other lines are written back to ``sys.stderr`` after the block."""
    sys.stderr.flush()
    try:
        kept = os.dup(2)
    except OSError:  # no file descriptor 2 to redirect
        yield
        return
    with tempfile.TemporaryFile() as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(kept, 2)
            os.close(kept)
            log.seek(0)
            lines = log.read().decode(errors="replace").splitlines()
            rest = [line for line in lines if line.strip() and not any(n in line for n in noise)]
            if rest:
                print("\n".join(rest), file=sys.stderr)

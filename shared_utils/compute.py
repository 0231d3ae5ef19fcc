"""How the notebooks use the CPU."""
from __future__ import annotations


def single_threaded_blas() -> None:
    """Run NumPy's linear algebra on one thread for the rest of the session.

    The from-scratch networks multiply small matrices (hundreds by a thousand) thousands of
    times. One BLAS thread does such products as fast as several, and several threads that
    compete with other work on a 2-core machine can be ten times slower. TensorFlow keeps
    its own thread pools and is not affected.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")

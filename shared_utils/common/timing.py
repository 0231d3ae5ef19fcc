"""Timing helpers for the loop-versus-vectorized comparisons and the asset ports' figures."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Call ``fn()`` once; return its result and the wall-clock seconds it took.

    model, load_s = timed(lambda: build_model(path))
    """
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def best_time(fn: Callable[[], object], repeats: int = 3) -> float:
    """Best wall-clock time of ``fn()`` over ``repeats`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def compare(candidates: dict[str, Callable[[], object]], repeats: int = 3) -> dict[str, float]:
    """Time each candidate, print a small table with the speed-up over the slowest, return seconds."""
    times = {name: best_time(fn, repeats) for name, fn in candidates.items()}
    slowest = max(times.values())
    width = max(len(n) for n in times)
    for name, t in times.items():
        print(f"{name:<{width}}  {t * 1e3:10.3f} ms   x{slowest / t:8.1f}")
    return times

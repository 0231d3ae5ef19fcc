"""The speed table of course 4's convolution notebook: loops, vectorized NumPy, tf.nn.conv2d.

Each method is timed on a number of images of its own (the loops on fewer, to keep the run
short) as the best of several runs, and its time is scaled to the whole batch per image: the
work of a convolution grows in proportion to the number of images, so the scaling is honest,
and the table says which times were scaled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shared_utils.common.timing import best_time


@dataclass(frozen=True)
class Timing:
    """The best of ``repeats`` runs of one method on ``images`` images, in seconds."""

    name: str
    seconds: float
    images: int
    repeats: int

    @property
    def per_image(self) -> float:
        return self.seconds / self.images

    def for_batch(self, batch: int) -> float:
        """The time for ``batch`` images, scaled from the images timed."""
        return self.per_image * batch


def time_method(name: str, fn: Callable[[], object], images: int, repeats: int) -> Timing:
    """Time ``fn()`` (which processes ``images`` images), the best of ``repeats`` runs."""
    if images < 1 or repeats < 1:
        raise ValueError(f"images and repeats must be at least 1, got images={images}, repeats={repeats}.")
    return Timing(name, best_time(fn, repeats), images, repeats)


@dataclass(frozen=True)
class Ratio:
    """``slow.for_batch / fast.for_batch`` (a speed-up) or its inverse, against a target."""

    label: str
    value: float
    target: float
    higher_is_better: bool

    @property
    def met(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


def ratio(label: str, numerator: Timing, denominator: Timing, target: float, higher_is_better: bool) -> Ratio:
    """The ratio of two methods' times per image, against a target."""
    return Ratio(label, numerator.per_image / denominator.per_image, target, higher_is_better)


def format_table(timings: Sequence[Timing], batch: int, ratios: Sequence[Ratio] = ()) -> str:
    """Per method: images timed, best time, time for ``batch`` images; then the ratios with targets."""
    if not timings:
        raise ValueError("no timings to show")
    width = max(len(t.name) for t in timings)
    batch_column = f"for {batch} images"
    lines = [
        f"{'method':<{width}}  {'images timed':>12}  {'best of':>7}  {'best time':>11}  {batch_column:>15}"
    ]
    for t in timings:
        scaled = "" if t.images == batch else f"  (scaled from {t.images})"
        lines.append(
            f"{t.name:<{width}}  {t.images:>12}  {t.repeats:>7}  {t.seconds * 1e3:>8.2f} ms  "
            f"{t.for_batch(batch) * 1e3:>12.2f} ms{scaled}"
        )
    for r in ratios:
        sign = "≥" if r.higher_is_better else "≤"
        mark = "✅ target met" if r.met else "❌ target missed"
        lines.append(f"{r.label}: {r.value:.1f}x  (target {sign} {r.target:g}x)  {mark}")
    return "\n".join(lines)

"""The speed table scales times per image honestly and reports ratios against their targets."""

from __future__ import annotations

import pytest

from shared_utils.course4.conv_benchmark import Timing, format_table, ratio, time_method


def test_times_are_scaled_per_image_to_the_batch():
    loops = Timing("loops", seconds=2.0, images=2, repeats=3)
    assert loops.per_image == 1.0
    assert loops.for_batch(16) == 16.0


def test_ratios_compare_times_per_image_and_meet_or_miss_their_target():
    loops, fast, tf = Timing("loops", 2.0, 2, 3), Timing("vec", 0.016, 16, 3), Timing("tf", 0.008, 16, 3)
    speedup = ratio("speed-up", loops, fast, target=100, higher_is_better=True)
    assert speedup.value == pytest.approx(1000.0) and speedup.met
    to_tf = ratio("vec / tf", fast, tf, target=3, higher_is_better=False)
    assert to_tf.value == pytest.approx(2.0) and to_tf.met
    assert not ratio("vec / tf", fast, Timing("tf", 0.004, 16, 3), target=3, higher_is_better=False).met


def test_the_table_says_which_rows_were_scaled_and_shows_the_targets():
    loops, fast = Timing("loops", 2.0, 2, 5), Timing("vectorized", 0.016, 16, 5)
    table = format_table([loops, fast], batch=16, ratios=[ratio("speed-up", loops, fast, 100, True)])
    lines = table.splitlines()
    assert "for 16 images" in lines[0]
    assert "(scaled from 2)" in lines[1] and "16000.00 ms" in lines[1]
    assert "scaled" not in lines[2]
    assert lines[3] == "speed-up: 1000.0x  (target ≥ 100x)  ✅ target met"


def test_time_method_keeps_the_best_run_and_refuses_nonsense():
    calls = []
    timing = time_method("noop", lambda: calls.append(1), images=4, repeats=3)
    assert len(calls) == 3 and timing.images == 4 and timing.seconds >= 0
    with pytest.raises(ValueError, match="at least 1"):
        time_method("noop", lambda: None, images=0, repeats=3)
    with pytest.raises(ValueError, match="no timings"):
        format_table([], batch=16)

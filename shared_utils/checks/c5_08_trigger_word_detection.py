"""Checks for course 5, notebook 8: trigger word detection.

Oracles:

* ``is_overlapping``: two closed segments intersect exactly when the larger of their starts is
  not after the smaller of their ends, ``max(s1, s2) <= min(e1, e2)``; segments that share an
  endpoint overlap. Cases: apart, touching at either end, one inside the other, the overlap
  with the last of several segments only, an empty list.
* ``insert_audio_clip``: ``random_segment`` is planted with a scripted stand-in (the segments
  it proposes are chosen by the check: overlapping, touching, then free), and
  ``is_overlapping`` with the oracle above, so the expected segment is known exactly: the
  first free proposal, or ``None`` after exactly ``max_tries`` proposals. The expected audio is
  the background with the clip's samples added from ``start_ms * RATE // 1000`` on (NumPy
  addition, exact); everywhere else it must equal the background to the bit, so a background
  whose volume the overlay changes fails.
* ``insert_ones``: the labels by their definition, ones on the steps ``end_step + 1`` to
  ``end_step + n_ones`` that exist, from ``np.arange`` and a mask (exact), for ends at the
  start, in the middle and near the end of the array (where a loop writes past the end), with
  other lengths ``Ty`` and ``n_ones``, and labels already present.
* ``create_training_example``: ``insert_audio_clip`` is planted with a recording stand-in
  (it inserts the clip into a slot of its own and reports each call; one clip is refused, as
  when no room is found) and ``insert_ones`` with the definition above; the check then knows
  the audio of every step, so ``x`` must be :func:`shared_utils.course5.trigger.spectrogram`
  of the final audio and ``y`` the labels of the placed "activate" clips only. It also checks
  that each insertion starts from the audio the previous one returned, is given every segment
  placed so far, and that the numbers of clips come from ``rng`` (0 to 4 and 0 to 2, not always
  the same).
* ``modelf``: the model the exercise describes, built with Keras's own layers, compared layer by
  layer (:meth:`Check.model`), then both models with the same seeded weights on a seeded batch
  (``rtol=1e-4``, float32 round-off), as in notebook 4's checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_utils.course5 import trigger
from shared_utils.engine.checking import Check, CheckFailed, NotImplementedYet, exercise

RATE, BACKGROUND_MS = trigger.RATE, trigger.BACKGROUND_MS


def _overlap(a: tuple[int, int], segments: list) -> bool:
    """The oracle: closed segments intersect when max(starts) <= min(ends)."""
    return any(max(a[0], s) <= min(a[1], e) for s, e in segments)


# ----- is_overlapping -------------------------------------------------------------------------

OVERLAP_CASES = [
    ((950, 1430), [(2000, 2550), (260, 949)], "apart, one ms from each other"),
    ((2305, 2950), [(824, 1532), (1900, 2305)], "touching: its start is the end of the last segment"),
    ((100, 700), [(700, 1200)], "touching: its end is the start of the segment"),
    ((1000, 1100), [(500, 3000)], "inside a segment"),
    ((400, 2600), [(3000, 3500), (1000, 1200)], "around the second of two segments"),
    ((3000, 3400), [], "no previous segments"),
    ((1200, 1800), [(100, 400), (500, 900), (1700, 2100)], "overlapping the last of three segments"),
]
OVERLAP_EXTENDED = [
    ((0, 99), [(100, 200)], "apart, at the start of the background"),
    ((4000, 4999), [(4999, 4999)], "touching a one-ms segment at the very end"),
]


@exercise(
    params=("segment_time", "previous_segments"),
    hints=["Loop over previous_segments: (s, e) overlaps (start, end) when start <= e and s <= end."],
)
def is_overlapping(ck: Check) -> None:
    cases = ck.pick(OVERLAP_CASES, OVERLAP_EXTENDED)
    answers = []
    for segment, previous, what in cases:
        with ck.case(f"is_overlapping({segment}, {previous}): {what}"):
            got = ck.call(segment, list(previous))
            ck.that(
                isinstance(got, (bool, np.bool_)),
                f"should return True or False, got {type(got).__name__} {got!r}.",
                "Return a bool: `return True` / `return False` (or a comparison).",
            )
            answers.append(bool(got))
    # the plausible mistakes, each as the answers it gives; its hint is shown when it explains them all
    mistakes = {
        "Segments include both their ends: two that share a millisecond overlap, so compare with <= "
        "(not <).": lambda seg, prev: any(max(seg[0], s) < min(seg[1], e) for s, e in prev),
        "Look at every previous segment before returning False, not only the first.": lambda seg, prev: (
            _overlap(seg, prev[:1])
        ),
        "A segment that contains another, or lies inside it, overlaps it: test both ends, start <= e and "
        "s <= end.": lambda seg, prev: any(s <= seg[0] <= e for s, e in prev),
        "Segments one millisecond apart do not overlap: compare with <= exactly, no +1.": lambda seg, prev: (
            any(max(seg[0], s) <= min(seg[1], e) + 1 for s, e in prev)
        ),
    }
    for (segment, previous, what), got in zip(cases, answers):
        expected = _overlap(segment, previous)
        if got != expected:
            hint = next(
                (h for h, f in mistakes.items() if [f(c[0], c[1]) for c in cases] == answers),
                None,
            )
            with ck.case(f"is_overlapping({segment}, {previous}): {what}"):
                ck.fail(f"expected {expected}, got {got}.", hint)


# ----- insert_audio_clip ----------------------------------------------------------------------

_SCRIPT: dict[str, Any] = {"starts": [], "asked": []}


def _scripted_segment(segment_ms, rng, background_ms=BACKGROUND_MS):
    """Stand-in for random_segment: the next start of the check's script."""
    _SCRIPT["asked"].append(int(segment_ms))
    starts = _SCRIPT["starts"]
    start = starts.pop(0) if starts else 4000 - int(segment_ms)
    return start, start + int(segment_ms) - 1


def _oracle_is_overlapping(segment_time, previous_segments):
    """Stand-in for is_overlapping: the oracle, so that insert_audio_clip is checked alone."""
    return _overlap(tuple(segment_time), list(previous_segments))


def _insert_probe(fn, background, audio_clip, previous_segments, starts: list, max_tries: int) -> dict:
    """Call insert_audio_clip with a scripted random_segment (planted); what came back and what it asked."""
    _SCRIPT["starts"], _SCRIPT["asked"] = list(starts), []
    before_bg, before_prev = background.copy(), [tuple(s) for s in previous_segments]
    rng = np.random.default_rng(0)
    out = fn(background, audio_clip, previous_segments, rng, max_tries)
    changed = []
    if not np.array_equal(background, before_bg):
        changed.append("background")
    if [tuple(s) for s in previous_segments] != before_prev:
        changed.append("previous_segments")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return {
            "ok": False,
            "got": str(type(out).__name__),
            "asked": list(_SCRIPT["asked"]),
            "changed": changed,
        }
    audio, segment = out
    return {
        "ok": True,
        "audio": np.asarray(audio),
        "segment": None if segment is None else [int(v) for v in segment],
        "asked": list(_SCRIPT["asked"]),
        "changed": changed,
    }


def _clip_and_background(seed: int, clip_ms: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(800 + seed)
    background = (0.02 * rng.normal(size=RATE * BACKGROUND_MS // 1000)).astype(np.float32)
    n = clip_ms * RATE // 1000 + int(rng.integers(0, RATE // 1000))  # not a whole number of ms
    clip = (0.3 * np.sin(np.arange(n) / 7.0) * rng.uniform(0.5, 1.0, n)).astype(np.float32)
    return background, clip


@exercise(
    params=("background", "audio_clip", "previous_segments", "rng", "max_tries"),
    hints=[
        "Up to max_tries times: segment = random_segment(segment_ms, rng); if it does not overlap, add "
        "the clip to a copy of the background from sample segment[0] * RATE // 1000 and return both. "
        "Otherwise return background.copy(), None."
    ],
    in_place={
        "background": "Add the clip to `background.copy()`, not to `background` itself.",
        "previous_segments": "Do not append to previous_segments: return the segment; the caller adds it.",
    },
)
def insert_audio_clip(ck: Check) -> None:
    cases = [
        (
            "a free place at the third try (the first overlaps, the second touches)",
            0,
            600,
            [(1000, 1999)],
            "touch",
        ),
        ("a free place at the first try, no previous segments", 1, 450, [], "free"),
        ("no free place in max_tries tries", 2, 700, [(0, 4999)], "none"),
    ]
    if ck.extended:
        cases.append(("a free place at the last allowed try", 3, 520, [(2000, 2600), (100, 900)], "last"))
    for what, seed, clip_ms, previous, kind in cases:
        background, clip = _clip_and_background(seed + ck.seed_base, clip_ms)
        n_ms = len(clip) * 1000 // RATE
        max_tries = 5 if kind != "last" else 4
        if kind == "touch":
            starts = [1500, 1000 - n_ms + 1, 2600]
        elif kind == "free":
            starts = [3100]
        elif kind == "none":
            starts = [100 * k for k in range(12)]
        else:
            starts = [2300, 600, 2000 - n_ms, 3400, 1200]
        expected_tries = next(
            (k + 1 for k, s in enumerate(starts[:max_tries]) if not _overlap((s, s + n_ms - 1), previous)),
            None,
        )
        with ck.case(f"{what}: a clip of {len(clip)} samples ({n_ms} ms), previous_segments={previous}"):
            with ck.planted(random_segment=_scripted_segment, is_overlapping=_oracle_is_overlapping):
                got = ck.in_kernel(_insert_probe, background, clip, list(previous), starts, max_tries)
            _judge_insert(ck, got, background, clip, n_ms, starts, previous, max_tries, expected_tries)


def _judge_insert(ck, got, background, clip, n_ms, starts, previous, max_tries, expected_tries) -> None:
    for name in got["changed"]:
        hint = {
            "background": "Add the clip to `background.copy()`, not to `background` itself.",
            "previous_segments": "Do not append to previous_segments: return the segment; the caller "
            "adds it.",
        }[name]
        ck.fail(f"your function changed its argument `{name}` in place.", hint)
    if not got["ok"]:
        ck.fail(f"should return 2 values (new_background, segment), got {got['got']}.",
                "End with `return new_background, segment` (or `return background.copy(), None`).",
        )  # fmt: skip
    asked = [int(a) for a in got["asked"]]
    if not asked:
        ck.fail("your function never called random_segment.",
                "Draw each try with random_segment(segment_ms, rng), the helper given above.")  # fmt: skip
    if asked[0] != n_ms:
        hint = None
        if asked[0] == len(clip):
            hint = (
                "random_segment takes the clip's length in milliseconds, len(audio_clip) * 1000 // RATE, "
                "not samples."
            )
        ck.fail(f"random_segment was asked for a segment of {asked[0]} ms; the clip lasts {n_ms} ms.", hint)
    expected_calls = expected_tries if expected_tries is not None else max_tries
    segment = got["segment"]
    if expected_tries is None:
        if segment is not None:
            ck.fail(
                f"every one of the {max_tries} proposed segments overlapped {previous}, yet you returned "
                f"the segment {tuple(segment)}.\n  expected: None\n  received: {tuple(segment)}",
                "After max_tries overlapping tries, return background.copy(), None.",
            )
        if len(asked) != max_tries:
            ck.fail(
                f"random_segment was called {len(asked)} times; with every try overlapping, expected "
                f"max_tries = {max_tries}.",
                "Try exactly max_tries times (for _ in range(max_tries)), then give up.",
            )
        ck.array(got["audio"], background, what="the returned background", rtol=0, atol=0)
        return
    wanted = (starts[expected_tries - 1], starts[expected_tries - 1] + n_ms - 1)
    if segment is None:
        ck.fail(f"you returned None, but try {expected_tries} proposed the free segment {wanted}.",
                "Keep the first proposed segment that overlaps none of previous_segments.")  # fmt: skip
    if tuple(segment) != wanted:
        first = (starts[0], starts[0] + n_ms - 1)
        hint = None
        if tuple(segment) == first and _overlap(first, previous):
            hint = (
                "Your segment overlaps a previous one: while it overlaps, draw another with random_segment."
            )
        elif len(asked) == expected_tries and _overlap(tuple(segment), previous):
            hint = "Check the overlap of the segment you keep (with is_overlapping), not of an earlier one."
        proposed = [(s, s + n_ms - 1) for s in starts[: len(asked)]]
        ck.fail(
            f"the segment is wrong: random_segment proposed {proposed} "
            f"and the first free one is {wanted}.\n  expected: {wanted}\n  received: {tuple(segment)}",
            hint,
        )
    if len(asked) != expected_calls:
        ck.fail(f"random_segment was called {len(asked)} times; the proposal {expected_tries} was free, so "
                f"expected {expected_calls}.", "Stop at the first free segment.")  # fmt: skip
    start = wanted[0] * RATE // 1000
    expected = background.copy()
    expected[start : start + len(clip)] += clip
    audio = ck.shape(got["audio"], background.shape, "the returned background")
    shifted = background.copy()
    shifted[wanted[0] : wanted[0] + len(clip)] += clip  # start in ms used as a sample index
    if not np.array_equal(audio, expected) and np.array_equal(audio, shifted):
        ck.fail("the clip starts at the wrong sample.", "The segment is in ms: the clip starts at sample "
                "segment[0] * RATE // 1000.")  # fmt: skip
    outside = np.ones(background.size, bool)
    outside[start : start + len(clip)] = False
    if not np.array_equal(audio[outside], background[outside]):
        ratio = float(np.std(audio[outside]) / np.std(background[outside]))
        ck.fail(
            "the background changed outside the inserted clip: away from the word it must be exactly the "
            f"background (the volume of yours there is {ratio:.3g} times the background's).",
            "Mixing adds the clip to the background and changes nothing else: no averaging, no scaling, "
            "no normalizing of the result.",
        )
    inside = audio[start : start + len(clip)]
    replaced = "The clip replaced the background under it: add the samples (+=), do not assign them (=)."
    mistakes = {
        replaced: clip,
        "The background's volume changed under the clip: add the clip to it as it is, no averaging.": (
            background[start : start + len(clip)] + clip
        )
        / 2,
        "The clip came out at half its volume: add it to the background as it is, no averaging.": (
            background[start : start + len(clip)] + clip / 2
        ),
    }
    ck.array(inside, expected[start : start + len(clip)], what="the audio under the clip", rtol=0, atol=1e-7,
             mistakes=mistakes)  # fmt: skip
    ck.array(audio, expected, what="the returned background", rtol=0, atol=1e-7)


# ----- insert_ones ----------------------------------------------------------------------------


def _expected_ones(y: np.ndarray, end_ms: float, n_ones: int) -> np.ndarray:
    steps = np.arange(y.shape[0])
    end_step = int(end_ms * y.shape[0] / BACKGROUND_MS)
    return np.where((steps > end_step) & (steps <= end_step + n_ones), 1.0, y)


@exercise(
    params=("y", "segment_end_ms", "n_ones"),
    hints=[
        "end_step = int(segment_end_ms * Ty / BACKGROUND_MS); on a copy of y, set "
        "y[end_step + 1 : end_step + 1 + n_ones] = 1."
    ],
    in_place="Work on a copy, `y = y.copy()`, then set the ones.",
)
def insert_ones(ck: Check) -> None:
    cases = [
        (122, 2500, 10, None, "an end in the middle"),
        (122, 4900, 10, None, "an end 100 ms before the end of the example: only 2 steps are left"),
        (122, 120, 10, None, "an end near the start"),
        (90, 3333, 6, [(600, 1000)], "Ty = 90, n_ones = 6, labels of an earlier word present"),
        (200, 4999, 4, None, "Ty = 200, an end at the last millisecond: no step is left"),
    ]
    if ck.extended:
        cases += [
            (61, 1700, 3, None, "Ty = 61, n_ones = 3"),
            (122, 4600, 10, [(4000, 4400)], "two words near the end"),
        ]
    for ty, end_ms, n_ones, earlier, what in cases:
        y = np.zeros(ty)
        if earlier:
            for _, e in earlier:
                y = _expected_ones(y, e, n_ones)
        expected = _expected_ones(y, end_ms, n_ones)
        end_step = int(end_ms * ty / BACKGROUND_MS)
        with ck.case(f"insert_ones(y of shape ({ty},), segment_end_ms={end_ms}, n_ones={n_ones}): {what}"):
            try:
                got = ck.call(y, end_ms, n_ones)
            except NotImplementedYet:
                raise
            except CheckFailed as exc:
                if "IndexError" in str(exc):
                    ck.fail(
                        "your code wrote a label past the end of the array (the word ends at step "
                        f"{end_step} "
                        f"of {ty}).\n" + str(exc).split(": ", 1)[-1].split("\nHint:")[0],
                        "Near the end of the example fewer than n_ones steps are left: set only those "
                        "(a slice y[a:b] stops at the end of the array; a loop needs `if i < Ty`).",
                    )
                raise
            arr = np.asarray(got) if got is not None else None
            if arr is not None and arr.ndim == 1 and arr.shape[0] > ty:
                ck.fail(
                    f"the labels have shape {arr.shape}; expected ({ty},): the array grew past its end.",
                    "Keep the length Ty: do not append or concatenate; set the ones that fit and stop.",
                )
            shifted = _expected_ones(y, end_ms - BACKGROUND_MS / ty, n_ones)
            counted = "from end_step + 1 to end_step + n_ones, both included, is n_ones steps."
            mistakes = {
                "The ones start at end_step itself: they start on the step after it, end_step + 1.": shifted,
                f"You set {n_ones + 1} ones: {counted}": _expected_ones(y, end_ms, n_ones + 1),
                f"You set {n_ones - 1} ones: {counted}": _expected_ones(y, end_ms, n_ones - 1),
                "The labels of the earlier word were lost: set the new ones on a copy of y, keep the "
                "others.": _expected_ones(np.zeros(ty), end_ms, n_ones),
                "You used the default number of ones: read n_ones from the argument.": _expected_ones(
                    y, end_ms, trigger.LABEL_STEPS
                ),
            }
            if end_step + 1 + n_ones > ty:
                wrapped = expected.copy()
                wrapped[: end_step + 1 + n_ones - ty] = 1
                mistakes["Labels wrapped around to the start of the array: stop at its end."] = wrapped
            ck.array(got, expected, what="the labels", rtol=0, atol=1e-12, mistakes=mistakes, dtype_kind=None)
            got_ones, want_ones = int(np.sum(np.asarray(got) == 1)), int(np.sum(expected == 1))
            ck.that(got_ones == want_ones, f"{got_ones} labels are 1; expected {want_ones}.")


# ----- create_training_example ----------------------------------------------------------------

_CALLS: list[dict[str, Any]] = []
SLOT_MS = 790  # the recording stand-in puts clip number k of an example at k * SLOT_MS + 30
REFUSED = 0.03  # the marker of the clip the stand-in finds no room for (activate number 3)


def _recording_insert(background, audio_clip, previous_segments, rng, max_tries=5):
    """Stand-in for insert_audio_clip: the clip goes into a slot of its own; the call is recorded."""
    marker = float(np.asarray(audio_clip)[0])
    call = {
        "marker": marker,
        "previous": [(-1, -1) if s is None else tuple(int(v) for v in s) for s in previous_segments],
        "sum_in": float(np.sum(np.asarray(background, np.float64))),
        "refused": bool(np.isclose(marker, REFUSED)),
    }
    if call["refused"]:
        out, segment = np.asarray(background).copy(), None
    else:
        k = len([p for p in previous_segments if p is not None])
        n_ms = len(audio_clip) * 1000 // RATE
        segment = (k * SLOT_MS + 30, k * SLOT_MS + 30 + n_ms - 1)
        out = np.asarray(background).copy()
        start = segment[0] * RATE // 1000
        out[start : start + len(audio_clip)] += audio_clip
    call["segment"] = segment
    call["sum_out"] = float(np.sum(np.asarray(out, np.float64)))
    call["audio_out"] = out
    _CALLS.append(call)
    return out, segment


def _oracle_insert_ones(y, segment_end_ms, n_ones=trigger.LABEL_STEPS):
    """Stand-in for insert_ones: the labels by their definition."""
    return _expected_ones(np.asarray(y, np.float64), segment_end_ms, n_ones)


def _training_inputs(seed: int):
    rng = np.random.default_rng(900 + seed)
    background = (0.02 * rng.normal(size=trigger.N_SAMPLES)).astype(np.float32)
    # activate k: a constant 0.01 * (k + 1), negative k: -0.01 * (k + 1); lengths differ
    activates = [np.full(RATE * (350 + 60 * k) // 1000, 0.01 * (k + 1), np.float32) for k in range(5)]
    negatives = [np.full(RATE * (300 + 50 * k) // 1000, -0.01 * (k + 1), np.float32) for k in range(3)]
    return background, activates, negatives


def _create_probe(fn, seed: int, repeat: bool) -> dict:
    """create_training_example with insert_audio_clip and insert_ones planted; its calls, x, y."""
    background, activates, negatives = _training_inputs(seed)
    _CALLS.clear()
    x, y = fn(background, activates, negatives, np.random.default_rng(seed))
    calls = list(_CALLS)
    again = None
    if repeat:  # the same seed again: the same draws if they come from rng
        _CALLS.clear()
        fn(background, activates, negatives, np.random.default_rng(seed))
        again = [c["marker"] for c in _CALLS]
    return {
        "x": np.asarray(x),
        "y": np.asarray(y),
        "markers": [c["marker"] for c in calls],
        "previous": [np.asarray(c["previous"], np.int64).reshape(-1, 2) for c in calls],
        "segments": [np.asarray(c["segment"] if c["segment"] else (-1, -1), np.int64) for c in calls],
        "sum_in": [c["sum_in"] for c in calls],
        "sum_out": [c["sum_out"] for c in calls],
        "last_audio": calls[-1]["audio_out"] if calls else background,
        "again": again,
        "background_changed": bool(not np.array_equal(background, _training_inputs(seed)[0])),
    }


@exercise(
    params=("background", "activates", "negatives", "rng"),
    hints=[
        "Insert rng.integers(0, 5) activates and rng.integers(0, 3) negatives, each with insert_audio_clip "
        "on the audio the previous insertion returned; append each returned segment and call insert_ones "
        "for activates; return trigger.spectrogram(background), y."
    ],
)
def create_training_example(ck: Check) -> None:
    counts = []
    seeds = list(ck.seeds(6, 12))
    for seed in seeds:
        background, activates, negatives = _training_inputs(seed)
        with ck.case(
            f"seed {seed}: 5 activates and 3 other words of constant values, insert_audio_clip recorded"
        ):
            with ck.planted(insert_audio_clip=_recording_insert, insert_ones=_oracle_insert_ones):
                got = ck.in_kernel(_create_probe, seed, seed == seeds[0])
            if got["background_changed"]:
                ck.fail("your function changed the background it was given.",
                        "Let insert_audio_clip return new audio: "
                        "`background, segment = insert_audio_clip(...)`.")  # fmt: skip
            markers = [float(m) for m in got["markers"]]
            kinds = ["activate" if m > 0 else "negative" for m in markers]
            n_act, n_neg = kinds.count("activate"), kinds.count("negative")
            counts.append((n_act, n_neg))
            ck.that(n_act <= 4, f"you inserted {n_act} activates; at most 4 (rng.integers(0, 5)).")
            ck.that(n_neg <= 2, f"you inserted {n_neg} other words; at most 2 (rng.integers(0, 3)).")
            for j, m in enumerate(markers):
                known = [a[0] for a in activates] + [n[0] for n in negatives]
                if not np.isclose(known, m).any():
                    ck.fail(f"insertion {j + 1} was given a clip that is none of activates and negatives.")
            placed: list[tuple[int, int]] = []
            for j in range(len(markers)):
                previous = [tuple(int(v) for v in s) for s in np.asarray(got["previous"][j]).reshape(-1, 2)]
                if previous != placed:
                    hint = None
                    if not previous and placed:
                        hint = (
                            "Append every returned segment to previous_segments and pass that list each time."
                        )
                    elif any(s == (-1, -1) for s in previous) or len(previous) > len(placed):
                        hint = "Skip a clip that returned None: append only real segments."
                    ck.fail(f"insertion {j + 1} was given previous_segments={previous}; the segments placed "
                            f"before it are {placed}.", hint)  # fmt: skip
                expected_in = (
                    float(np.sum(background, dtype=np.float64)) if j == 0 else float(got["sum_out"][j - 1])
                )
                if not np.isclose(float(got["sum_in"][j]), expected_in, rtol=0, atol=1e-6):
                    ck.fail(f"insertion {j + 1} did not start from the audio insertion {j} returned.",
                            "Write `background, segment = insert_audio_clip(background, ...)`, so each "
                            "insertion mixes into the result of the one before.")  # fmt: skip
                seg = tuple(int(v) for v in got["segments"][j])
                if seg != (-1, -1):
                    placed.append(seg)
            ends = [
                int(got["segments"][j][1])
                for j, k in enumerate(kinds)
                if k == "activate" and int(got["segments"][j][1]) >= 0
            ]
            y_expected = np.zeros(trigger.TY)
            for e in ends:
                y_expected = _expected_ones(y_expected, e, trigger.LABEL_STEPS)
            all_ends = [
                int(got["segments"][j][1]) for j in range(len(kinds)) if int(got["segments"][j][1]) >= 0
            ]
            with_negatives = np.zeros(trigger.TY)
            for e in all_ends:
                with_negatives = _expected_ones(with_negatives, e, trigger.LABEL_STEPS)
            ck.array(got["y"], y_expected, what="y", rtol=0, atol=1e-7, dtype_kind=None, mistakes={
                "You labelled the other words too: only an 'activate' gets ones.": with_negatives,
            })  # fmt: skip
            x_expected = trigger.spectrogram(np.asarray(got["last_audio"]))
            before = "x is the spectrogram of the background before the insertions: use the audio the last "
            ck.array(
                got["x"],
                x_expected,
                what="x, the spectrogram of the mixed audio",
                rtol=1e-5,
                atol=1e-5,
                mistakes={before + "insertion returned.": trigger.spectrogram(background)},
            )
            if got["again"] is not None and [float(m) for m in got["again"]] != markers:
                ck.fail("the same rng seed gave other clips: draw the numbers and the clips with `rng`, "
                        "not np.random.")  # fmt: skip
    with ck.case(f"the numbers of clips over {len(seeds)} seeds"):
        ck.that(
            len(set(counts)) > 1,
            f"every seed inserted the same numbers of clips {counts[0]}: they should be drawn with rng.",
            "rng.integers(0, 5) activates and rng.integers(0, 3) other words.",
        )


# ----- modelf ---------------------------------------------------------------------------------


def expected_model(input_shape, filters, units, dropout, time_distributed=True):
    """The model of exercise 5, built by the check."""
    import keras

    layers = keras.layers
    inputs = keras.Input(shape=tuple(input_shape), name="check_input")
    h = layers.Conv1D(filters, kernel_size=15, strides=4, name="check_conv")(inputs)
    h = layers.BatchNormalization(name="check_bn_conv")(h)
    h = layers.Activation("relu", name="check_relu")(h)
    h = layers.Dropout(dropout, name="check_dropout_conv")(h)
    h = layers.GRU(units, return_sequences=True, name="check_gru_1")(h)
    h = layers.Dropout(dropout, name="check_dropout_1")(h)
    h = layers.BatchNormalization(name="check_bn_1")(h)
    h = layers.GRU(units, return_sequences=True, name="check_gru_2")(h)
    h = layers.Dropout(dropout, name="check_dropout_2")(h)
    h = layers.BatchNormalization(name="check_bn_2")(h)
    h = layers.Dropout(dropout, name="check_dropout_3")(h)
    dense = layers.Dense(1, activation="sigmoid", name="check_dense")
    if time_distributed:
        dense = layers.TimeDistributed(dense, name="check_time_distributed")
    return keras.Model(inputs, dense(h), name="check_modelf")


def outputs_with_weights(builder, args: list, seed: int) -> dict[str, Any]:
    """Probe: ``builder(*args)`` with seeded weights (positive variances for batch norm) and its
    outputs on a seeded batch of 2 examples; the shapes of its weights, in order."""
    model = builder(*args)
    rng = np.random.default_rng(seed)
    shapes = []
    for w in model.weights:
        shapes.append(np.asarray(w.shape, np.int64))
        if "moving_variance" in w.path or "gamma" in w.path:
            value = rng.uniform(0.5, 1.5, w.shape)
        else:
            fan = max(int(np.prod(w.shape[:-1])) if len(w.shape) > 1 else 1, 1)
            value = rng.uniform(-1.5, 1.5, w.shape) / np.sqrt(fan)
        w.assign(value.astype(np.float32))
    batch = np.random.default_rng(seed + 1).normal(0, 1, (2, *tuple(args[0]))).astype(np.float32)
    return {
        "outputs": np.asarray(model(batch, training=False)),
        "n_weights": len(shapes),
        "shapes": np.concatenate(shapes) if shapes else np.zeros(0),
    }


@exercise(
    params=("input_shape", "filters", "units", "dropout"),
    hints=[
        "Conv1D(filters, kernel_size=15, strides=4), BatchNormalization, Activation('relu'), Dropout; "
        "GRU(units, return_sequences=True), Dropout, BatchNormalization, twice; one more Dropout; "
        "TimeDistributed(Dense(1, activation='sigmoid'))."
    ],
)
def modelf(ck: Check) -> None:
    from shared_utils.checks.c5_04_recurrent_architectures import _summary

    cases = ck.pick(
        [((60, 21), 8, 6, 0.3), ((101, 13), 5, 7, 0.1)], [((trigger.TX, trigger.N_FREQ), 4, 3, 0.25)]
    )
    for k, (shape, filters, units, dropout) in enumerate(cases):
        args = [shape, filters, units, dropout]
        with ck.case(f"modelf(input_shape={shape}, filters={filters}, units={units}, dropout={dropout})"):
            try:
                got = ck.call(*args)
            except NotImplementedYet:
                raise
            except CheckFailed as exc:
                if "at least 3 dimensions" in str(exc):
                    ck.fail(
                        "Keras refused to build your model: the last layer received one vector per example "
                        "where it labels every step.\n" + str(exc).split(": ", 1)[-1].split("\nHint:")[0],
                        "Both GRU layers need return_sequences=True, so that the sigmoid gets one state "
                        "per step.",
                    )
                raise
            layers = _summary(got)
            last = layers[-1].get("class") if layers else None
            out = tuple(layers[-1].get("output_shape", ())) if layers else ()
            ty = (shape[0] - 15) // 4 + 1
            if len(out) == 2:
                ck.fail(
                    f"your model gives one output per example, shape {out}; expected one per step, "
                    f"{(None, ty, 1)}.",
                    "Both GRU layers need return_sequences=True, so that a probability comes out at "
                    "every step.",
                )
            for j, layer in enumerate(layers):
                if layer.get("class") == "GRU" and layer.get("return_sequences") is False:
                    ck.fail(f"layer {j + 1}, a GRU, returns its last state only.",
                            "Both GRU layers need return_sequences=True.")  # fmt: skip
            expected = expected_model(shape, filters, units, dropout, time_distributed=last != "Dense")
            ck.model(got, expected, what="your model", input_shape=shape)
            if k == 0 or (ck.extended and k == len(cases) - 1):
                seed = 500 + k + ck.seed_base
                mine = ck.in_kernel(outputs_with_weights, args, seed)
                wanted = outputs_with_weights(lambda *a: expected, args, seed)
                if int(mine["n_weights"]) != wanted["n_weights"] or not np.array_equal(
                    mine["shapes"], wanted["shapes"]
                ):
                    ck.fail(
                        "your model holds weights of other shapes than the expected model's.\n"
                        f"  expected: {wanted['n_weights']} arrays, sizes {wanted['shapes'].tolist()}\n"
                        f"  received: {int(mine['n_weights'])} arrays, "
                        f"sizes {np.asarray(mine['shapes']).tolist()}"
                    )
                what = "the outputs of your model with seeded weights"
                ck.array(mine["outputs"], wanted["outputs"], what=what,
                         rtol=1e-4, atol=1e-5)  # fmt: skip

"""Trigger-word detection (course 5, notebook 8): audio, spectrograms, data sets, detections.

The audio is synthetic and committed: ``tools/synthesize_trigger_audio.py`` spoke the wake
word "activate" and other words with espeak-ng in several voices, speeds and pitches, and
made 5-second backgrounds of its own (rooms, street hum, babble of words at low volume). The
clips are 16 kHz mono int16 WAV files in ``course5_sequence/data/trigger/``, listed with their
voice, speed, pitch, split and SHA-256 in the card ``clips.json`` there (itself checked by
:data:`shared_utils.data.registry.TRIGGER_CLIPS`). Some voices (and backgrounds) are held out
of training: the test clips are spoken by speakers the model never heard.

* :func:`read_wav`, :func:`write_wav` - WAV files with :mod:`scipy.io.wavfile`, as float32
  samples in [-1, 1] at :data:`RATE`; another sample rate is refused with a message saying how
  to resample.
* :func:`load_clips` - the committed clips of one split, as a :class:`ClipBank`.
* :func:`spectrogram` - the log power spectrogram (:func:`scipy.signal.spectrogram`),
  ``(TX, N_FREQ)``: 20 ms windows every 10 ms.
* :func:`output_step`, :func:`label_steps` - where an end time falls on the model's output
  steps, and the labels of a whole example at once.
* :func:`synthesize_examples` - a data set of mixed examples (spectrograms, labels, the
  inserted segments), placed without overlap by spreading the free time between the clips.
* :func:`detect`, :func:`score_detections`, :func:`detection_f1` - what counts as a detection
  and how detections are scored (see :data:`THRESHOLD` and the others below).
* :func:`chime`, :func:`insert_chimes` - a chime after each detection; :func:`plot_prediction`
  draws the spectrogram with the predicted probability under it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from math import gcd
from pathlib import Path
from typing import Any

import numpy as np

from shared_utils.common.files import atomic_write
from shared_utils.data import registry
from shared_utils.data.registry import DataError

RATE = 16_000  # samples per second of every clip
BACKGROUND_MS = 5_000  # length of a background, hence of a training example
N_SAMPLES = RATE * BACKGROUND_MS // 1000  # 80,000 samples
WINDOW, HOP = 320, 160  # spectrogram: 20 ms windows, one every 10 ms
TX = (N_SAMPLES - WINDOW) // HOP + 1  # 499 spectrogram frames per example
N_FREQ = WINDOW // 2 + 1  # 161 frequencies, 0 to 8 kHz
KERNEL, STRIDE = 15, 4  # the model's Conv1D
TY = (TX - KERNEL) // STRIDE + 1  # 122 output steps per example, about 41 ms each
LABEL_STEPS = 10  # output steps labelled 1 after the end of each "activate" (about 0.4 s)

# What a detection is, and when it is right.
THRESHOLD = 0.5  # a detection is a step where the probability rises above this ...
REFRACTORY_MS = 500  # ... unless it comes less than half a second after the previous one
MATCH_BEFORE_MS = 200  # a detection is right if it falls between 200 ms before the end of an
MATCH_AFTER_MS = 800  # inserted "activate" and 800 ms after it, each "activate" matched once

CLIPS_DIR = "course5_sequence/data/trigger"
KINDS = ("activate", "negative", "background")
SPLITS = ("train", "test")


# ----- WAV files ------------------------------------------------------------------------------


def read_wav(path: str | Path, rate: int = RATE) -> np.ndarray:
    """The samples of a mono WAV file as float32 in [-1, 1], shape ``(n,)``.

    A file sampled at another rate than ``rate``, or with more than one channel, raises
    ``ValueError`` saying so and how to convert it.
    """
    from scipy.io import wavfile

    file_rate, data = wavfile.read(str(path))
    if file_rate != rate:
        g = gcd(rate, file_rate)
        raise ValueError(
            f"{path} is sampled at {file_rate} Hz, but the clips of this notebook are {rate} Hz: "
            f"resample it first, e.g. scipy.signal.resample_poly(samples, {rate // g}, {file_rate // g})."
        )
    if data.ndim != 1:
        raise ValueError(
            f"{path} has {data.shape[1]} channels; a mono clip is expected: average them, "
            "samples.mean(axis=1)."
        )
    return as_float(data)


def as_float(data: np.ndarray) -> np.ndarray:
    """Integer PCM (int16, int32, uint8) or float samples as float32 in [-1, 1]."""
    data = np.asarray(data)
    if data.dtype == np.uint8:
        return ((data.astype(np.float32) - 128) / 128).astype(np.float32)
    if data.dtype.kind == "i":
        return (data / float(np.iinfo(data.dtype).max + 1)).astype(np.float32)
    return np.clip(data, -1, 1).astype(np.float32)


def write_wav(path: str | Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """Write float samples in [-1, 1] (clipped) as a mono int16 WAV file, atomically."""
    from scipy.io import wavfile

    pcm = np.round(np.clip(np.asarray(samples, np.float64), -1, 1) * 32767).astype(np.int16)
    return atomic_write(Path(path), lambda tmp: wavfile.write(str(tmp), rate, pcm))


def check_rate(rate: int, what: str = "the audio") -> None:
    """Refuse a sample rate other than :data:`RATE` with a message saying how to convert."""
    if int(rate) != RATE:
        g = gcd(RATE, int(rate))
        raise ValueError(
            f"{what} is sampled at {rate} Hz, but this notebook works at {RATE} Hz: resample it "
            f"first, e.g. scipy.signal.resample_poly(samples, {RATE // g}, {int(rate) // g})."
        )


# ----- the committed clips --------------------------------------------------------------------


@dataclass
class ClipBank:
    """The clips of one split: lists of float32 sample arrays at :data:`RATE`, and their card entries."""

    split: str
    activates: list[np.ndarray] = field(default_factory=list)
    negatives: list[np.ndarray] = field(default_factory=list)
    backgrounds: list[np.ndarray] = field(default_factory=list)
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def voices(self) -> list[str]:
        return sorted({e["voice"] for e in self.entries.get("activate", [])})


def card_path() -> Path:
    return registry.REPO_ROOT / registry.TRIGGER_CLIPS.path


@lru_cache(maxsize=1)
def clips_card() -> dict[str, Any]:
    """The card of the clips (``clips.json``), checked by SHA-256 against the registry."""
    p = registry.verified_path(registry.TRIGGER_CLIPS)
    return json.loads(p.read_text(encoding="utf-8"))


def load_clips(split: str = "train") -> ClipBank:
    """The committed clips of ``split`` ("train" or "test"), each WAV checked by its SHA-256."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    card = clips_card()
    bank = ClipBank(split=split, entries={k: [] for k in KINDS})
    folder = card_path().parent
    for entry in card["clips"]:
        if entry["split"] != split:
            continue
        p = folder / entry["file"]
        state, why = registry.check_file(p, entry["sha256"])
        if state != "ok":
            raise DataError(
                f"the clip {p} is {state} ({why}). "
                f"{registry.TRIGGER_CLIPS.restore_hint().replace('clips.json', entry['file'])}"
            )
        samples = read_wav(p)
        getattr(bank, entry["kind"] + "s").append(samples)
        bank.entries[entry["kind"]].append(entry)
    return bank


# ----- spectrograms and time steps ------------------------------------------------------------


def spectrogram(samples: np.ndarray, rate: int = RATE) -> np.ndarray:
    """The log power spectrogram of ``samples``, shape ``(frames, N_FREQ)``, float32.

    :func:`scipy.signal.spectrogram` with 20 ms Hann windows every 10 ms (``TX`` frames for a
    5-second example), the power in decibels divided by 20 and shifted, so that most values
    lie between -2 and 2.
    """
    from scipy import signal

    check_rate(rate)
    samples = np.asarray(samples, np.float64)
    if samples.ndim != 1 or samples.size < WINDOW:
        raise ValueError(
            f"spectrogram expects mono samples of shape (n,) with n >= {WINDOW}, got shape {samples.shape}"
        )
    _, _, power = signal.spectrogram(
        samples, fs=rate, window="hann", nperseg=WINDOW, noverlap=WINDOW - HOP, mode="psd"
    )
    return ((10 * np.log10(power + 1e-12) + 70) / 20).T.astype(np.float32)


def output_step(time_ms: float, ty: int = TY, duration_ms: int = BACKGROUND_MS) -> int:
    """The output step at which the time ``time_ms`` falls: ``int(time_ms * ty / duration_ms)``."""
    return int(time_ms * ty / duration_ms)


def step_time_ms(step: np.ndarray | int, ty: int = TY, duration_ms: int = BACKGROUND_MS) -> np.ndarray:
    """The time of the start of output step ``step``, in ms."""
    return np.asarray(step) * duration_ms / ty


def label_steps(ends_ms: list[float], ty: int = TY, n_ones: int = LABEL_STEPS) -> np.ndarray:
    """The labels of an example whose "activate" clips end at ``ends_ms``: shape ``(ty,)``, 1 on
    the ``n_ones`` steps after each end's step, cut at the end of the example."""
    y = np.zeros(ty, np.float32)
    for end in ends_ms:
        first = output_step(end, ty) + 1
        y[first : min(first + n_ones, ty)] = 1.0
    return y


# ----- data sets ------------------------------------------------------------------------------


@dataclass
class Examples:
    """Mixed examples: spectrograms ``x`` (m, TX, N_FREQ), labels ``y`` (m, TY, 1), the audio,
    and each example's inserted segments as (start_ms, end_ms, kind)."""

    x: np.ndarray
    y: np.ndarray
    audio: np.ndarray
    segments: list[list[tuple[int, int, str]]]


def _place(lengths: list[int], total: int, rng: np.random.Generator) -> list[int]:
    """Start samples for clips of ``lengths`` (in that order) in ``total`` samples, without overlap:
    the free time is split at random into len(lengths) + 1 gaps."""
    free = total - sum(lengths) - len(lengths)
    gaps = rng.dirichlet(np.ones(len(lengths) + 1)) * free
    starts, at = [], 0.0
    for gap, length in zip(gaps[:-1], lengths):
        at += gap
        starts.append(int(at))
        at = int(at) + length + 1
    return starts


def _stretched(clip: np.ndarray, rng: np.random.Generator, stretch: float) -> np.ndarray:
    """``clip`` resampled by a random rational factor near 1 (within 1 +- stretch)."""
    from scipy import signal

    down = 40
    up = int(rng.integers(round(down * (1 - stretch)), round(down * (1 + stretch)) + 1))
    return signal.resample_poly(clip, up, down).astype(np.float32)


def synthesize_examples(
    bank: ClipBank,
    n: int,
    seed: int,
    max_activates: int = 4,
    max_negatives: int = 2,
    stretch: float = 0.0,
    progress: bool = False,
) -> Examples:
    """``n`` examples of 5 s mixed from ``bank``: a background at a random volume, 0 to
    ``max_activates`` "activate" clips and 0 to ``max_negatives`` other words, each at a random
    volume, placed at random without overlap (the free time is spread between them, so no
    placement is ever refused); labels from :func:`label_steps`. ``stretch`` > 0 resamples each
    word by a random factor within 1 +- stretch (faster and higher, or slower and lower: more
    voices for training). ``progress``: show a progress bar."""
    if not bank.activates or not bank.backgrounds:
        raise ValueError(f"the {bank.split!r} clips hold no activate or no background clip")
    rng = np.random.default_rng(seed)
    xs, ys, audio, segments = [], [], [], []
    steps: Any = range(n)
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc=f"{bank.split} examples")
    for _ in steps:
        mix = bank.backgrounds[rng.integers(len(bank.backgrounds))] * rng.uniform(0.3, 1.5)
        mix = mix[:N_SAMPLES].astype(np.float64)
        chosen = [
            ("activate", bank.activates[i])
            for i in rng.integers(len(bank.activates), size=rng.integers(0, max_activates + 1))
        ]
        if bank.negatives:
            chosen += [
                ("negative", bank.negatives[i])
                for i in rng.integers(len(bank.negatives), size=rng.integers(0, max_negatives + 1))
            ]
        order = rng.permutation(len(chosen))
        chosen = [chosen[i] for i in order]
        if stretch > 0:
            chosen = [(kind, _stretched(clip, rng, stretch)) for kind, clip in chosen]
        while sum(len(c) + 1 for _, c in chosen) > N_SAMPLES:
            chosen.pop()
        starts = _place([len(c) for _, c in chosen], N_SAMPLES, rng)
        placed = []
        for (kind, clip), start in zip(chosen, starts):
            mix[start : start + len(clip)] += clip * rng.uniform(0.4, 1.2)
            placed.append((start * 1000 // RATE, (start + len(clip) - 1) * 1000 // RATE, kind))
        mix = np.clip(mix, -1, 1).astype(np.float32)
        audio.append(mix)
        xs.append(spectrogram(mix))
        ys.append(label_steps([e for _, e, k in placed if k == "activate"]))
        segments.append(sorted(placed))
    return Examples(np.stack(xs), np.stack(ys)[..., None], np.stack(audio), segments)


# ----- detections -----------------------------------------------------------------------------


def detect(
    probabilities: np.ndarray,
    threshold: float = THRESHOLD,
    refractory_ms: float = REFRACTORY_MS,
    duration_ms: int = BACKGROUND_MS,
) -> list[float]:
    """The detections in one example's predicted probabilities (shape ``(Ty,)`` or ``(Ty, 1)``),
    as times in ms: a detection is a step where the probability rises above ``threshold`` (it
    was at most ``threshold`` at the step before, or this is the first step), unless it comes
    less than ``refractory_ms`` after the previous detection."""
    p = np.asarray(probabilities, np.float64).reshape(-1)
    times = step_time_ms(np.arange(p.size), p.size, duration_ms)
    rises = np.flatnonzero((p > threshold) & (np.concatenate([[-np.inf], p[:-1]]) <= threshold))
    found: list[float] = []
    for step in rises:
        if not found or times[step] - found[-1] >= refractory_ms:
            found.append(float(times[step]))
    return found


def score_detections(
    detections_ms: list[float],
    activate_ends_ms: list[float],
    before_ms: float = MATCH_BEFORE_MS,
    after_ms: float = MATCH_AFTER_MS,
) -> dict[str, int]:
    """True positives, false positives and misses of one example: a detection is a true positive
    if it falls in [end - before_ms, end + after_ms] of an "activate" not matched yet (the
    earliest such end), else a false positive; an "activate" left unmatched is a miss."""
    unmatched = sorted(activate_ends_ms)
    tp = fp = 0
    for t in sorted(detections_ms):
        hit = next((e for e in unmatched if e - before_ms <= t <= e + after_ms), None)
        if hit is None:
            fp += 1
        else:
            tp += 1
            unmatched.remove(hit)
    return {"tp": tp, "fp": fp, "fn": len(unmatched)}


def detection_f1(
    probabilities: np.ndarray, segments: list[list[tuple[int, int, str]]], **kw: Any
) -> dict[str, float]:
    """Precision, recall and F1 of the detections over examples (probabilities (m, Ty[, 1]))."""
    total = {"tp": 0, "fp": 0, "fn": 0}
    for p, segs in zip(probabilities, segments):
        counts = score_detections(detect(p, **kw), [e for _, e, k in segs if k == "activate"])
        for k in total:
            total[k] += counts[k]
    tp, fp, fn = total["tp"], total["fp"], total["fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return {**total, "precision": precision, "recall": recall, "f1": f1}


# ----- chimes and figures ---------------------------------------------------------------------


def chime(rate: int = RATE, seconds: float = 0.35) -> np.ndarray:
    """A short two-note chime (a fifth apart, decaying), float32 samples at ``rate``."""
    t = np.arange(int(rate * seconds)) / rate
    tone = np.sin(2 * np.pi * 880 * t) + 0.6 * np.sin(2 * np.pi * 1320 * t)
    return (0.35 * tone * np.exp(-t * 9)).astype(np.float32)


def insert_chimes(audio: np.ndarray, detections_ms: list[float], rate: int = RATE) -> np.ndarray:
    """A copy of ``audio`` with :func:`chime` added at each detection time (clipped to [-1, 1])."""
    out = np.asarray(audio, np.float32).copy()
    bell = chime(rate)
    for t in detections_ms:
        start = int(t * rate / 1000)
        part = out[start : start + bell.size]
        part += bell[: part.size]
    return np.clip(out, -1, 1)


def plot_prediction(
    x: np.ndarray,
    probabilities: np.ndarray | None = None,
    segments: list[tuple[int, int, str]] | None = None,
    detections_ms: list[float] | None = None,
    title: str = "",
):
    """The spectrogram ``x`` (frames, frequencies) over time, and under it the predicted
    probability per output step with the threshold, the inserted words (shaded: "activate"
    green, others grey) and the detections (dashed lines). Returns the figure."""
    import matplotlib.pyplot as plt

    rows = 1 if probabilities is None else 2
    fig, axes = plt.subplots(rows, 1, figsize=(9, 2.4 * rows), sharex=True, squeeze=False)
    seconds = BACKGROUND_MS / 1000
    axes[0, 0].imshow(
        np.asarray(x).T, origin="lower", aspect="auto", cmap="magma", extent=(0, seconds, 0, RATE / 2000)
    )
    axes[0, 0].set_ylabel("kHz")
    if title:
        axes[0, 0].set_title(title)
    if probabilities is not None:
        ax = axes[1, 0]
        p = np.asarray(probabilities).reshape(-1)
        ax.plot(step_time_ms(np.arange(p.size), p.size) / 1000, p, color="C0")
        ax.axhline(THRESHOLD, color="grey", lw=0.8, ls=":")
        for start, end, kind in segments or []:
            ax.axvspan(start / 1000, end / 1000, color="C2" if kind == "activate" else "0.8", alpha=0.3)
        for t in detections_ms or []:
            ax.axvline(t / 1000, color="C3", ls="--", lw=1)
        ax.set_ylim(-0.05, 1.05)
        ax.set_ylabel("P(activate\njust said)")
    axes[-1, 0].set_xlabel("seconds")
    fig.tight_layout()
    return fig

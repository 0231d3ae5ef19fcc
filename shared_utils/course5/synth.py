"""A small additive synthesizer: notes to a waveform, NumPy only (course 5, notebook 3).

Each note is a sum of sine waves at its frequency and a few multiples of it (the harmonics,
weights :data:`HARMONICS`, those above the Nyquist frequency left out), shaped by an ADSR
envelope: a linear rise over ``attack`` seconds, a fall to the ``sustain`` level over
``decay``, the sustain while the note is held, and a linear fade over ``release`` after it.
The result plays in a notebook with ``IPython.display.Audio(wave, rate=rate)``: no player,
soundfont or network is needed.

Notes are ``(start, duration, pitch)`` in beats and MIDI pitch (``None`` for a rest), such as
:class:`shared_utils.course5.music.Note`; ``seconds_per_beat`` sets the tempo.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

HARMONICS = (1.0, 0.5, 0.25, 0.12)  # weights of the fundamental and the next harmonics
RATE = 11025  # samples per second: plenty for a melody, and a small notebook output


def frequency(pitch: float) -> float:
    """Frequency in Hz of a MIDI pitch (69 is the A at 440 Hz; 12 pitches per octave)."""
    return 440.0 * 2.0 ** ((float(pitch) - 69.0) / 12.0)


def envelope(
    n_held: int,
    rate: int,
    attack: float = 0.01,
    decay: float = 0.08,
    sustain: float = 0.6,
    release: float = 0.08,
) -> np.ndarray:
    """The ADSR envelope of a note held ``n_held`` samples, release included: shape
    ``(n_held + round(release * rate),)``, values in [0, 1]."""
    if not 0 <= sustain <= 1:
        raise ValueError(f"sustain is a level between 0 and 1, got {sustain}")
    n_attack, n_decay, n_release = (max(1, round(x * rate)) for x in (attack, decay, release))
    held = np.full(n_held, sustain, dtype=np.float64)
    rise = np.linspace(0.0, 1.0, n_attack, endpoint=False)
    fall = np.linspace(1.0, sustain, n_decay, endpoint=False)
    shape = np.concatenate([rise, fall])[:n_held]
    held[: shape.size] = shape
    last = held[-1] if n_held else 0.0
    return np.concatenate([held, np.linspace(last, 0.0, n_release)])


def render(
    notes: Iterable,
    seconds_per_beat: float = 0.5,
    rate: int = RATE,
    harmonics: tuple[float, ...] = HARMONICS,
    max_seconds: float | None = None,
    **adsr: float,
) -> np.ndarray:
    """The waveform of ``notes`` (``(start, duration, pitch)`` in beats), float32, peak 0.9.

    ``adsr`` passes ``attack``, ``decay``, ``sustain``, ``release`` to :func:`envelope`;
    ``max_seconds`` cuts the waveform (notes starting later are left out).
    """
    if rate <= 0 or seconds_per_beat <= 0:
        raise ValueError(f"rate and seconds_per_beat must be positive, got {rate}, {seconds_per_beat}")
    parts = []
    for start, duration, pitch in notes:
        if pitch is None or duration <= 0:
            continue
        begin = int(round(start * seconds_per_beat * rate))
        if max_seconds is not None and begin >= max_seconds * rate:
            continue
        env = envelope(int(round(duration * seconds_per_beat * rate)), rate, **adsr)
        t = np.arange(env.size) / rate
        f0 = frequency(pitch)
        tone = sum(
            w * np.sin(2 * np.pi * f0 * (k + 1) * t)
            for k, w in enumerate(harmonics)
            if f0 * (k + 1) < rate / 2
        )
        parts.append((begin, env * tone))
    length = max((b + p.size for b, p in parts), default=0)
    if max_seconds is not None:
        length = min(length, int(round(max_seconds * rate)))
    wave = np.zeros(length, dtype=np.float64)
    for begin, part in parts:
        end = min(begin + part.size, length)
        wave[begin:end] += part[: end - begin]
    peak = np.max(np.abs(wave)) if wave.size else 0.0
    if peak > 0:
        wave *= 0.9 / peak
    return wave.astype(np.float32)

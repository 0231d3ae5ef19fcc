"""Folk tunes as sequences of musical values, and back to music (course 5, notebook 3).

The music is real: the first fifty tunes of *O'Neill's Music of Ireland* (1850) in ABC
notation, bundled with music21 (``oneills1850/0001-0050.abc``, BSD-3). Each tune becomes a
list of **values**, one per note or rest, written ``"<pitch>_<duration>"``: ``"D5_0.5"`` is the
D above middle C held half a beat (a quaver), ``"rest_1.0"`` a one-beat rest. To keep the
vocabulary small, each tune is first transposed by at most six semitones so that its key
becomes C major or A minor; durations are rounded to the nearest of :data:`DURATIONS`; grace
notes (no duration) are dropped; a chord keeps its highest note (the melody). The tunes are
melodies, so the values carry no chords.

* :func:`parse_corpus` - the tunes parsed from the corpus with music21 (a few seconds; used by
  ``tools/derive_music.py``, which commits the result); :func:`load_tunes` reads that committed
  file (:data:`shared_utils.data.registry.MUSIC_ONEILLS`), checked by SHA-256.
* :class:`Vocabulary`, :func:`build_vocabulary` - the values and their indices.
* :func:`training_windows` - one-hot windows ``X`` and ``Y`` of shape ``(m, Tx, n_values)``,
  ``Y`` being ``X`` one step ahead; :func:`targets_by_step` turns ``Y`` into the list of ``Tx``
  arrays a Keras model with one output per time step is trained on.
* :func:`events`, :func:`to_stream`, :func:`write_midi` - values back to notes (start, duration,
  MIDI pitch), to a music21 stream, to a MIDI file (written atomically).
* :func:`plot_piano_roll` - notes as bars, pitch against time.

The synthesizer that makes the notes audible is :mod:`shared_utils.course5.synth`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from shared_utils.common.files import atomic_write
from shared_utils.data import registry

CORPUS_PATH = "oneills1850/0001-0050.abc"  # inside music21's bundled corpus
DURATIONS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)  # quarter lengths (beats) a value may last
REST = "rest"
_TONIC = {"major": 0, "minor": 9}  # pitch class each mode is transposed to: C major, A minor


class Note(NamedTuple):
    """One note of a melody: start and duration in beats, MIDI pitch (None for a rest)."""

    start: float
    duration: float
    pitch: int | None


# ---------------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------------


def value_name(pitch: int | None, duration: float) -> str:
    """``"D5_0.5"`` for MIDI pitch 74 held half a beat; ``"rest_1.0"`` for a rest of one beat."""
    if pitch is None:
        return f"{REST}_{float(duration)}"
    from music21 import pitch as m21pitch

    return f"{m21pitch.Pitch(midi=int(pitch)).nameWithOctave}_{float(duration)}"


def parse_value(value: str) -> tuple[int | None, float]:
    """The inverse of :func:`value_name`: ``(MIDI pitch or None, duration in beats)``."""
    name, _, duration = value.rpartition("_")
    if not name:
        raise ValueError(f"{value!r} is not a musical value like 'D5_0.5' or 'rest_1.0'")
    if name == REST:
        return None, float(duration)
    from music21 import pitch as m21pitch

    return int(m21pitch.Pitch(name).midi), float(duration)


def quantize_duration(quarter_length: float) -> float:
    """The nearest of :data:`DURATIONS` (the shorter one on a tie)."""
    q = float(quarter_length)
    return min(DURATIONS, key=lambda d: (abs(d - q), d))


def _shift(tonic_pitch_class: int, mode: str) -> int:
    """Semitones (-5 .. 6) that move the tonic to C (major) or A (minor)."""
    s = (_TONIC.get(mode, 0) - tonic_pitch_class) % 12
    return s - 12 if s > 6 else s


def tune_values(score: Any) -> tuple[list[str], dict[str, Any]]:
    """The values of one music21 score (see the module's docstring) and what was done to it."""
    key = score.analyze("key")
    shift = _shift(key.tonic.pitchClass, key.mode)
    values = []
    for element in score.flatten().notesAndRests:
        if float(element.quarterLength) <= 0:  # grace note
            continue
        duration = quantize_duration(element.quarterLength)
        if element.isRest:
            values.append(value_name(None, duration))
            continue
        pitches = [p.midi for p in element.pitches]  # one for a note, several for a chord
        values.append(value_name(max(pitches) + shift, duration))
    meters = [t.ratioString for t in score.recurse().getElementsByClass("TimeSignature")]
    info = {
        "title": str(score.metadata.title or "") if score.metadata else "",
        "key": f"{key.tonic.name} {key.mode}",
        "shift": shift,
        "meter": meters[0] if meters else "",
    }
    return values, info


def parse_corpus(path: str = CORPUS_PATH) -> list[dict[str, Any]]:
    """Parse an ABC collection of music21's bundled corpus into tunes: dicts with "title",
    "key" (before transposition), "shift" (semitones), "meter" and "values".

    ``forceSource=True``: music21 would otherwise store each parsed file as a pickle in its
    scratch folder and read it back next time; the workbook reads no pickles.
    """
    from music21 import corpus

    opus = corpus.parse(path, forceSource=True)
    tunes = []
    for score in opus.scores:
        values, info = tune_values(score)
        if values:
            tunes.append({**info, "values": values})
    return tunes


def tunes_document(tunes: list[dict[str, Any]], path: str = CORPUS_PATH) -> str:
    """The committed file's text: a JSON object, one tune per line (readable diffs)."""
    import music21

    head = {
        "source": f"music21 {music21.__version__} bundled corpus: {path} "
        "(O'Neill's Music of Ireland, 1850, tunes 1-50)",
        "licence": "BSD-3-Clause (music21's corpus)",
        "values": "pitch_duration, transposed to C major / A minor; see shared_utils/course5/music.py",
    }
    lines = [json.dumps(head)[:-1] + ', "tunes": [']
    lines += [
        json.dumps(t, ensure_ascii=False) + ("," if i < len(tunes) - 1 else "") for i, t in enumerate(tunes)
    ]
    lines.append("]}")
    return "\n".join(lines) + "\n"


def load_tunes(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The committed tunes (course5_sequence/data/music_oneills_tunes.json), checked by SHA-256.

    A missing or changed file raises :class:`~shared_utils.data.registry.DataError` naming it
    and the commands that restore it.
    """
    p = registry.verified_path(registry.MUSIC_ONEILLS, path)
    return json.loads(p.read_text(encoding="utf-8"))["tunes"]


@dataclass(frozen=True)
class Vocabulary:
    """The musical values a model reads and writes, in a fixed order: ``values[i]`` has index i."""

    values: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.values)

    def index(self, value: str) -> int:
        try:
            return self._positions[value]
        except KeyError:
            raise KeyError(f"{value!r} is not in the vocabulary of {len(self)} values") from None

    @property
    def _positions(self) -> dict[str, int]:
        cached = self.__dict__.get("_cache")
        if cached is None:
            cached = {v: i for i, v in enumerate(self.values)}
            object.__setattr__(self, "_cache", cached)
        return cached

    def encode(self, values: list[str]) -> np.ndarray:
        """Indices of ``values``, shape (len(values),), int64."""
        return np.array([self.index(v) for v in values], dtype=np.int64)

    def decode(self, indices: Any) -> list[str]:
        """Values of ``indices`` (any shape; read in order)."""
        flat = np.asarray(indices).astype(np.int64).ravel()
        if flat.size and (flat.min() < 0 or flat.max() >= len(self)):
            raise ValueError(f"indices must lie in 0..{len(self) - 1}; got {flat.min()}..{flat.max()}")
        return [self.values[i] for i in flat]


def _order(value: str) -> tuple[int, float]:
    pitch, duration = parse_value(value)
    return (-1 if pitch is None else pitch, duration)


def build_vocabulary(tunes: list[dict[str, Any]]) -> Vocabulary:
    """Every value of the tunes, rests first, then by pitch and duration."""
    seen = {v for t in tunes for v in t["values"]}
    return Vocabulary(tuple(sorted(seen, key=_order)))


def value_counts(tunes: list[dict[str, Any]]) -> Counter:
    """How often each value occurs in the tunes."""
    return Counter(v for t in tunes for v in t["values"])


def training_windows(
    tunes: list[dict[str, Any]], vocab: Vocabulary, Tx: int = 30, stride: int = 15
) -> tuple[np.ndarray, np.ndarray]:
    """One-hot windows of ``Tx`` values, ``X`` and ``Y`` of shape ``(m, Tx, n_values)``, float32.

    Windows start every ``stride`` values inside each tune (never across two tunes);
    ``Y[i, t]`` is ``X[i, t + 1]``: the value that follows, the one the model must predict.
    """
    if Tx < 1 or stride < 1:
        raise ValueError(f"Tx and stride must be positive, got Tx={Tx}, stride={stride}")
    starts = []
    for t in tunes:
        idx = vocab.encode(t["values"])
        starts += [idx[s : s + Tx + 1] for s in range(0, len(idx) - Tx, stride)]
    if not starts:
        raise ValueError(f"no tune is longer than Tx + 1 = {Tx + 1} values")
    windows = np.stack(starts)  # (m, Tx + 1)
    eye = np.eye(len(vocab), dtype=np.float32)
    return eye[windows[:, :-1]], eye[windows[:, 1:]]


def targets_by_step(Y: np.ndarray, Tx: int) -> list[np.ndarray]:
    """``Y`` of shape ``(m, Tx, n_values)`` as the list of ``Tx`` arrays ``(m, n_values)`` that
    a model with one output per time step is trained on (Keras matches outputs and targets in order)."""
    Y = np.asarray(Y)
    if Y.ndim != 3:
        raise ValueError(f"Y should have shape (m, Tx, n_values), got an array of shape {Y.shape}")
    if Y.shape[1] != Tx:
        if Y.shape[0] == Tx:
            raise ValueError(
                f"Y has shape {Y.shape}: the time axis (of size Tx={Tx}) comes first, but it should be "
                "axis 1, as in (m, Tx, n_values). Transpose it with Y.transpose(1, 0, 2)."
            )
        raise ValueError(f"Y has shape {Y.shape}, but its axis 1 should be the time axis, of size Tx={Tx}.")
    return [Y[:, t, :] for t in range(Tx)]


# ---------------------------------------------------------------------------------------------
# back to music
# ---------------------------------------------------------------------------------------------


def events(values: list[str]) -> list[Note]:
    """The values as consecutive notes and rests: :class:`Note` (start, duration, pitch)."""
    out, now = [], 0.0
    for v in values:
        pitch, duration = parse_value(v)
        out.append(Note(now, duration, pitch))
        now += duration
    return out


def to_stream(notes: list[Note], tempo_bpm: float = 120, title: str = "") -> Any:
    """A music21 stream of the notes (rests included), with a metronome mark."""
    from music21 import metadata, note, stream, tempo

    s = stream.Stream()
    if title:
        s.metadata = metadata.Metadata(title=title)
    s.append(tempo.MetronomeMark(number=tempo_bpm))
    for n in notes:
        element = note.Rest() if n.pitch is None else note.Note(midi=int(n.pitch))
        element.quarterLength = n.duration
        s.append(element)
    return s


def write_midi(music: Any, path: str | Path) -> Path:
    """Write a music21 stream to a MIDI file, atomically (complete or absent); return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, lambda tmp: music.write("midi", fp=str(tmp)))


def read_midi_notes(path: str | Path) -> list[Note]:
    """The notes of a MIDI file (rests left out), read back with music21: to check what was written."""
    from music21 import converter

    score = converter.parse(str(path), format="midi", forceSource=True)
    found = []
    for n in score.flatten().notes:
        found.append(Note(float(n.offset), float(n.quarterLength), int(max(p.midi for p in n.pitches))))
    return found


def plot_piano_roll(notes: list[Note], ax: Any = None, title: str = "", color: str = "tab:blue") -> Any:
    """Notes as bars: time in beats across, MIDI pitch up, note names on the axis; returns the axes."""
    import matplotlib.pyplot as plt
    from music21 import pitch as m21pitch

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3))
    sounding = [n for n in notes if n.pitch is not None]
    for n in sounding:
        ax.broken_barh([(n.start, n.duration * 0.95)], (n.pitch - 0.4, 0.8), color=color)
    if sounding:
        low, high = min(n.pitch for n in sounding), max(n.pitch for n in sounding)
        ticks = [p for p in range(low - 1, high + 2) if p % 12 in (0, 4, 7)]  # C, E, G
        ax.set_yticks(ticks, [m21pitch.Pitch(midi=p).nameWithOctave for p in ticks])
        ax.set_ylim(low - 1.5, high + 1.5)
    end = max((n.start + n.duration for n in notes), default=1.0)
    ax.set_xlim(0, end)
    ax.set_xlabel("time (beats)")
    ax.set_ylabel("pitch")
    ax.grid(axis="x", alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


def sequence_cross_entropy(predictions: Any, Y: np.ndarray) -> float:
    """Mean cross-entropy per predicted value (nats): ``-mean(log p[target])`` over examples and steps.

    ``predictions`` is the list of ``Tx`` arrays ``(m, n_values)`` a model with one output per
    step returns, or one array ``(m, Tx, n_values)``; ``Y`` is one-hot ``(m, Tx, n_values)``.
    A model that knows nothing scores ``log(n_values)``.
    """
    Y = np.asarray(Y)
    P = (
        np.stack([np.asarray(p) for p in predictions], axis=1)
        if isinstance(predictions, list)
        else predictions
    )
    P = np.asarray(P, dtype=np.float64)
    if P.shape != Y.shape:
        raise ValueError(
            f"predictions of shape {P.shape} do not match Y of shape {Y.shape} (m, Tx, n_values)"
        )
    picked = np.sum(P * Y, axis=-1)
    return float(-np.mean(np.log(np.clip(picked, 1e-12, None))))

"""The folk tunes as musical values: the committed file, the vocabulary, the windows, and back to music."""

from __future__ import annotations

import json

import numpy as np
import pytest

from shared_utils.course5 import music
from shared_utils.data import registry


@pytest.fixture(scope="module")
def tunes():
    return music.load_tunes()


def test_committed_tunes_are_what_the_corpus_gives():
    """tools/derive_music.py's output is reproducible from music21's bundled corpus (offline)."""
    parsed = music.parse_corpus()
    committed = (registry.REPO_ROOT / registry.MUSIC_ONEILLS.path).read_text(encoding="utf-8")
    assert music.tunes_document(parsed) == committed


def test_tunes_are_transposed_and_quantized(tunes):
    assert len(tunes) == 50
    for t in tunes:
        assert -5 <= t["shift"] <= 6 and t["values"]
        for v in t["values"]:
            pitch, duration = music.parse_value(v)
            assert duration in music.DURATIONS
            assert pitch is None or 40 <= pitch <= 100


def test_shift_brings_the_tonic_to_c_or_a():
    assert music._shift(7, "major") == 5  # G major up a fourth to C
    assert music._shift(2, "major") == -2  # D major down a tone
    assert music._shift(7, "minor") == 2  # G minor up a tone to A minor
    assert music._shift(9, "minor") == 0


def test_value_names_round_trip():
    assert music.value_name(74, 0.5) == "D5_0.5"
    assert music.parse_value("D5_0.5") == (74, 0.5)
    assert music.parse_value("rest_1.0") == (None, 1.0)
    assert music.parse_value(music.value_name(66, 1.5)) == (66, 1.5)
    with pytest.raises(ValueError, match="not a musical value"):
        music.parse_value("D5")


def test_durations_round_to_the_nearest_allowed():
    assert music.quantize_duration(1 / 3) == 0.25
    assert music.quantize_duration(0.125) == 0.25
    assert music.quantize_duration(0.4) == 0.5
    assert music.quantize_duration(5.0) == 3.0


def test_vocabulary_orders_rests_first_and_encodes_both_ways(tunes):
    vocab = music.build_vocabulary(tunes)
    assert len(vocab) == len(set(vocab.values))
    assert vocab.values[0].startswith("rest_")
    values = tunes[3]["values"]
    assert vocab.decode(vocab.encode(values)) == values
    with pytest.raises(KeyError, match="not in the vocabulary"):
        vocab.index("C9_0.25")
    with pytest.raises(ValueError, match="indices must lie"):
        vocab.decode([len(vocab)])


def test_windows_are_one_hot_and_y_is_x_one_step_ahead(tunes):
    vocab = music.build_vocabulary(tunes)
    X, Y = music.training_windows(tunes, vocab, Tx=12, stride=7)
    assert X.shape == Y.shape and X.shape[1:] == (12, len(vocab)) and X.dtype == np.float32
    assert np.all(X.sum(-1) == 1) and np.all(Y.sum(-1) == 1)
    np.testing.assert_array_equal(X[:, 1:], Y[:, :-1])
    first = vocab.encode(tunes[0]["values"])
    np.testing.assert_array_equal(X[0].argmax(-1), first[:12])
    np.testing.assert_array_equal(X[1].argmax(-1), first[7:19])
    expected = sum(len(range(0, len(t["values"]) - 12, 7)) for t in tunes)  # never across two tunes
    assert X.shape[0] == expected


def test_targets_by_step_says_when_the_time_axis_is_misplaced():
    Y = np.zeros((5, 3, 4))
    steps = music.targets_by_step(Y, 3)
    assert len(steps) == 3 and steps[0].shape == (5, 4)
    with pytest.raises(ValueError, match="the time axis .* comes first"):
        music.targets_by_step(Y.transpose(1, 0, 2), 3)
    with pytest.raises(ValueError, match=r"should have shape \(m, Tx, n_values\)"):
        music.targets_by_step(Y[0], 3)


def test_sequence_cross_entropy_of_a_uniform_guess_is_log_n():
    Y = np.eye(6, dtype=np.float32)[np.random.default_rng(0).integers(0, 6, size=(4, 3))]
    uniform = [np.full((4, 6), 1 / 6)] * 3
    assert music.sequence_cross_entropy(uniform, Y) == pytest.approx(np.log(6))
    assert music.sequence_cross_entropy(Y, Y) == pytest.approx(0, abs=1e-9)
    with pytest.raises(ValueError, match="do not match"):
        music.sequence_cross_entropy(Y[:, :2], Y)


def test_events_stream_and_midi_round_trip(tmp_path):
    values = ["C5_0.5", "rest_0.5", "E5_1.0", "G5_0.25", "A4_1.5"]
    notes = music.events(values)
    assert [n.start for n in notes] == [0, 0.5, 1.0, 2.0, 2.25]
    assert notes[1].pitch is None
    path = music.write_midi(music.to_stream(notes, tempo_bpm=100, title="test"), tmp_path / "out" / "t.mid")
    assert path.read_bytes()[:4] == b"MThd"
    assert [p.name for p in path.parent.iterdir()] == ["t.mid"]  # no temporary file left
    back = music.read_midi_notes(path)
    assert [n.pitch for n in back] == [72, 76, 79, 69]
    assert [n.start for n in back] == [0, 1.0, 2.0, 2.25]


def test_a_failed_midi_write_leaves_no_file(tmp_path):
    class Broken:
        def write(self, fmt, fp):
            open(fp, "wb").write(b"MTh")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        music.write_midi(Broken(), tmp_path / "x.mid")
    assert list(tmp_path.iterdir()) == []


def test_missing_or_changed_tunes_name_the_file_and_the_command(tmp_path):
    with pytest.raises(registry.DataError, match=r"missing.*tools/derive_music\.py"):
        music.load_tunes(tmp_path / "music_oneills_tunes.json")
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps({"tunes": []}))
    with pytest.raises(registry.DataError, match="differs from the committed one"):
        music.load_tunes(changed)


def test_piano_roll_draws_one_bar_per_note():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    notes = music.events(["C5_0.5", "rest_0.5", "E5_1.0", "G5_0.25"])
    ax = music.plot_piano_roll(notes, title="t")
    assert len(ax.collections) == 3
    assert ax.get_xlim() == (0, 2.25)
    assert "C5" in [t.get_text() for t in ax.get_yticklabels()]
    plt.close(ax.figure)

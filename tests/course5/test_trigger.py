"""Trigger-word helpers (course 5, notebook 8): WAV files, spectrograms, data sets, detections,
and the shipped weights in the notebook's solution model."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from shared_utils.course5 import trigger
from shared_utils.data import registry
from shared_utils.models import trained
from tests.namespaces import solution_namespace

KEY = "course5_sequence/08_trigger_word_detection"


# ----- WAV files ------------------------------------------------------------------------------


def test_wav_round_trip_keeps_the_samples_to_int16_precision(tmp_path):
    x = np.sin(np.arange(1600) / 5.0).astype(np.float32) * 0.5
    path = trigger.write_wav(tmp_path / "tone.wav", x)
    back = trigger.read_wav(path)
    assert back.dtype == np.float32 and back.shape == x.shape
    assert np.max(np.abs(back - x)) < 1e-4


def test_a_clip_at_another_sample_rate_is_refused_with_the_conversion(tmp_path):
    path = trigger.write_wav(tmp_path / "phone.wav", np.zeros(800), rate=8000)
    with pytest.raises(ValueError, match=r"8000 Hz.*16000 Hz.*resample_poly\(samples, 2, 1\)"):
        trigger.read_wav(path)
    with pytest.raises(ValueError, match=r"44100 Hz.*resample_poly\(samples, 160, 441\)"):
        trigger.check_rate(44100)


def test_a_stereo_clip_is_refused(tmp_path):
    from scipy.io import wavfile

    path = tmp_path / "stereo.wav"
    wavfile.write(path, trigger.RATE, np.zeros((100, 2), np.int16))
    with pytest.raises(ValueError, match="2 channels"):
        trigger.read_wav(path)


# ----- spectrograms and labels ----------------------------------------------------------------


def test_spectrogram_has_the_model_input_shape_and_finds_a_tone():
    t = np.arange(trigger.N_SAMPLES) / trigger.RATE
    x = trigger.spectrogram(0.3 * np.sin(2 * np.pi * 1000 * t))
    assert x.shape == (trigger.TX, trigger.N_FREQ) == (499, 161)
    assert x.dtype == np.float32
    hz_per_bin = trigger.RATE / trigger.WINDOW
    assert abs(int(np.argmax(x.mean(axis=0))) * hz_per_bin - 1000) <= hz_per_bin


def test_spectrogram_refuses_stereo_and_another_rate():
    with pytest.raises(ValueError, match="mono"):
        trigger.spectrogram(np.zeros((1000, 2)))
    with pytest.raises(ValueError, match="8000 Hz"):
        trigger.spectrogram(np.zeros(1000), rate=8000)


def test_the_output_steps_follow_from_the_convolution():
    assert trigger.TY == (trigger.TX - trigger.KERNEL) // trigger.STRIDE + 1 == 122


def test_label_steps_sets_n_ones_after_each_end_and_stops_at_the_end():
    y = trigger.label_steps([2500])
    end = trigger.output_step(2500)
    assert np.flatnonzero(y).tolist() == list(range(end + 1, end + 1 + trigger.LABEL_STEPS))
    near_end = trigger.label_steps([4950])
    assert near_end.shape == (trigger.TY,) and near_end.sum() == trigger.TY - 1 - trigger.output_step(4950)


# ----- clips and data sets --------------------------------------------------------------------


def test_the_clips_card_matches_the_registry_and_holds_voices_out():
    card = trigger.clips_card()
    train, test = trigger.load_clips("train"), trigger.load_clips("test")
    assert set(train.voices()) == set(card["voices"]["train"])
    assert set(test.voices()) == set(card["voices"]["held_out"])
    assert not set(train.voices()) & set(test.voices())
    assert train.activates and train.negatives and train.backgrounds
    assert test.activates and test.negatives and test.backgrounds
    assert all(len(b) == trigger.N_SAMPLES for b in train.backgrounds + test.backgrounds)
    size = sum((trigger.card_path().parent / c["file"]).stat().st_size for c in card["clips"])
    assert size < 4e6  # a few MB at most


def test_load_clips_refuses_an_unknown_split():
    with pytest.raises(ValueError, match="split must be one of"):
        trigger.load_clips("validation")


def test_synthesized_examples_place_words_apart_and_label_the_activates():
    bank = trigger.load_clips("train")
    ex = trigger.synthesize_examples(bank, 12, seed=3, stretch=0.1)
    assert ex.x.shape == (12, trigger.TX, trigger.N_FREQ) and ex.y.shape == (12, trigger.TY, 1)
    assert np.abs(ex.audio).max() <= 1
    for segs, y in zip(ex.segments, ex.y):
        for (_, e1, _), (s2, _, _) in zip(segs, segs[1:]):
            assert e1 < s2  # sorted, no overlap
        assert all(0 <= s <= e < trigger.BACKGROUND_MS for s, e, _ in segs)
        ends = [e for _, e, k in segs if k == "activate"]
        assert np.array_equal(y[:, 0], trigger.label_steps(ends))
    again = trigger.synthesize_examples(bank, 12, seed=3, stretch=0.1)
    assert np.array_equal(ex.audio, again.audio)


# ----- detections -----------------------------------------------------------------------------


def test_detect_fires_on_each_rise_above_the_threshold_after_the_refractory_period():
    p = np.zeros(trigger.TY)
    p[10:20] = 0.9  # one long yes: one detection
    p[22:24] = 0.9  # a flicker 0.5 s later: ignored
    p[60:62] = 0.6
    found = trigger.detect(p)
    times = trigger.step_time_ms(np.array([10, 60]))
    assert np.allclose(found, times)
    assert trigger.detect(np.full(trigger.TY, 0.5)) == []  # at the threshold is not above it


def test_score_detections_counts_each_activate_once_within_its_window():
    ends = [1000.0, 3000.0]
    assert trigger.score_detections([1000 - 200, 3000 + 800], ends) == {"tp": 2, "fp": 0, "fn": 0}
    assert trigger.score_detections([1000 - 201, 3801], ends) == {"tp": 0, "fp": 2, "fn": 2}
    assert trigger.score_detections([1100, 1300], ends) == {"tp": 1, "fp": 1, "fn": 1}


def test_the_labels_themselves_score_a_perfect_f1():
    ex = trigger.synthesize_examples(trigger.load_clips("test"), 20, seed=5)
    score = trigger.detection_f1(ex.y, ex.segments)
    assert score["tp"] > 0 and score["f1"] == 1.0


def test_chimes_are_added_at_the_detections_and_keep_the_length():
    audio = np.zeros(trigger.N_SAMPLES, np.float32)
    out = trigger.insert_chimes(audio, [1000.0])
    assert out.shape == audio.shape and not np.shares_memory(out, audio)
    start = trigger.RATE
    assert np.abs(out[:start]).max() == 0 and np.abs(out[start : start + 800]).max() > 0.1


# ----- the shipped weights --------------------------------------------------------------------


def _tool():
    path = registry.REPO_ROOT / "tools" / "train_trigger_model.py"
    spec = importlib.util.spec_from_file_location("train_trigger_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_weights_fit_the_notebooks_model_and_reach_the_card():
    ns = solution_namespace(KEY)
    card = trained.card("trigger_gru")
    tool = _tool()
    mine = ns["modelf"]((trigger.TX, trigger.N_FREQ), **card["builder"])
    theirs = tool.build(**card["builder"])
    assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in theirs.weights]
    trained.load(mine, "trigger_gru")
    trained.load(theirs, "trigger_gru")
    test = trigger.synthesize_examples(trigger.load_clips("test"), 40, seed=tool.TEST_SEED)
    p_mine, p_theirs = mine.predict(test.x, verbose=0), theirs.predict(test.x, verbose=0)
    np.testing.assert_allclose(p_mine, p_theirs, atol=1e-5)
    # the card's examples are the first 40 of these (same seed); their F1 is close to the card's
    assert trigger.detection_f1(p_mine, test.segments)["f1"] > card["metric"]["value"] - 0.1

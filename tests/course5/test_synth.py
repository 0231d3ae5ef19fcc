"""The additive synthesizer: pitch, envelope, length and level of what it renders."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course5 import synth


def test_frequency_of_midi_pitches():
    assert synth.frequency(69) == pytest.approx(440.0)
    assert synth.frequency(81) == pytest.approx(880.0)
    assert synth.frequency(60) == pytest.approx(261.6256, rel=1e-6)


def test_envelope_rises_decays_sustains_and_releases():
    rate = 1000
    env = synth.envelope(200, rate, attack=0.01, decay=0.05, sustain=0.5, release=0.1)
    assert env.shape == (300,)
    assert env[0] == 0 and env.max() <= 1 and env[-1] == 0
    assert np.argmax(env) == 10  # the peak right after the attack
    np.testing.assert_allclose(env[100:200], 0.5)  # the sustain
    assert np.all(np.diff(env[200:]) <= 0)  # the release only falls
    with pytest.raises(ValueError, match="sustain"):
        synth.envelope(10, rate, sustain=1.5)


def test_a_note_sounds_at_its_pitch_for_its_length():
    rate = 8000
    wave = synth.render([(0.0, 2.0, 69)], seconds_per_beat=0.5, rate=rate, release=0.05)
    assert wave.dtype == np.float32 and wave.shape == (rate + 400,)
    assert np.max(np.abs(wave)) == pytest.approx(0.9, rel=1e-6)
    spectrum = np.abs(np.fft.rfft(wave[:rate]))
    freqs = np.fft.rfftfreq(rate, 1 / rate)
    assert freqs[np.argmax(spectrum)] == pytest.approx(440, abs=1)
    second = spectrum[np.argmin(np.abs(freqs - 880))]
    assert 0.3 < second / spectrum.max() < 0.7  # the second harmonic at half the weight


def test_rests_are_silent_and_notes_start_on_time():
    rate = 4000
    wave = synth.render([(0, 1, None), (1, 1, 60)], seconds_per_beat=0.25, rate=rate)
    assert np.all(wave[:1000] == 0) and np.any(wave[1000:1100] != 0)


def test_harmonics_above_nyquist_are_left_out():
    rate = 4000
    wave = synth.render([(0, 4, 93)], seconds_per_beat=0.5, rate=rate, harmonics=(1.0, 1.0, 1.0))  # 1760 Hz
    spectrum = np.abs(np.fft.rfft(wave[:rate]))
    freqs = np.fft.rfftfreq(rate, 1 / rate)
    alias = spectrum[np.argmin(np.abs(freqs - (rate - 2 * 1760)))]  # where the 2nd harmonic would fold
    assert alias < 0.01 * spectrum.max()


def test_max_seconds_cuts_and_empty_input_gives_empty_wave():
    wave = synth.render([(i, 1, 60 + i) for i in range(20)], seconds_per_beat=0.5, rate=1000, max_seconds=3)
    assert wave.shape == (3000,)
    assert synth.render([], rate=1000).shape == (0,)
    with pytest.raises(ValueError, match="positive"):
        synth.render([(0, 1, 60)], rate=0)

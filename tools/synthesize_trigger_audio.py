"""Synthesize the clips of course 5, notebook 8 (trigger-word detection) with espeak-ng.

    apt-get install espeak-ng      # Debian / Ubuntu; only this script needs it
    python tools/synthesize_trigger_audio.py

Writes 16 kHz mono int16 WAV files into ``course5_sequence/data/trigger/``:

* ``activate/``: the wake word "activate", spoken by every voice at several speeds and pitches;
* ``negative/``: other words (some sounding alike, such as "activity" and "captivate");
* ``background/``: 5-second backgrounds of the script's own making, seeded: a room (soft
  broadband noise and the hum of an appliance), a street (low rumble, passing swells, a horn
  now and then) and babble (overlapping words of several voices, low-passed, at low volume).

Voices are an espeak-ng accent with a voice variant (``en-gb-scotland+m3``). The voices of
:data:`HELD_OUT` (their accents and variants unused by any training voice) and one background of
each kind are kept for the test split, so the test measures the model on unseen speakers and
unseen rooms. The card ``clips.json`` lists every clip (file, kind, text, voice, speed,
pitch, split, samples, SHA-256); this script prints its SHA-256, the value to record in
``shared_utils/data/registry.py`` (``TRIGGER_CLIPS``). The clips are CC0: espeak-ng's GPL
covers the program, not what it says.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared_utils.common.files import atomic_write  # noqa: E402
from shared_utils.course5 import trigger  # noqa: E402
from shared_utils.data import registry  # noqa: E402

SEED = 8
TRAIN_VOICES = [
    "en-us",
    "en-us+f3",
    "en-gb+m3",
    "en-gb+f2",
    "en-gb-scotland+m7",
    "en-029+m2",
    "en-us-nyc+f4",
    "en-gb-x-gbclan+m1",
]
HELD_OUT = ["en-gb-x-gbcwmd+f5", "en-gb-x-rp+m4"]  # West Midlands and RP accents, variants f5 and m4
SPEEDS = (130, 165, 200)  # words per minute
PITCHES = (35, 50, 70)  # espeak-ng's 0-99 scale
NEGATIVE_WORDS = [
    "activity", "captivate", "active", "navigate", "cultivate", "vacation", "alligator",
    "television", "relative", "kitten", "morning", "banana", "computer", "river", "yellow",
    "tomorrow", "elephant", "window",
]  # fmt: skip
BABBLE_WORDS = [
    "the", "and", "coffee", "table", "really", "maybe", "train", "later", "paper", "music",
    "weather", "garden", "lunch", "people", "market", "station", "listen", "basket", "over",
    "number", "little", "sunday", "picture", "water",
]  # fmt: skip
SPEECH_RMS = 0.08  # every word is scaled to this loudness before mixing (about -22 dBFS)


def speak(text: str, voice: str, speed: int, pitch: int) -> np.ndarray:
    """``text`` spoken by espeak-ng, resampled from its 22,050 Hz to 16 kHz, silence trimmed."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "out.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(wav), text],
            check=True,
            capture_output=True,
        )
        from scipy.io import wavfile

        rate, data = wavfile.read(wav)
    x = signal.resample_poly(trigger.as_float(data).astype(np.float64), 320, 441) if rate == 22050 else None
    if x is None:
        raise RuntimeError(f"espeak-ng wrote {rate} Hz audio; this script expects 22050 Hz")
    loud = np.flatnonzero(np.abs(x) > 0.02 * np.abs(x).max())
    x = x[max(loud[0] - 160, 0) : loud[-1] + 160]
    fade = np.linspace(0, 1, 80)
    x[:80] *= fade
    x[-80:] *= fade[::-1]
    return x * (SPEECH_RMS / np.sqrt(np.mean(x**2)))


def coloured_noise(n: int, rng: np.random.Generator, exponent: float) -> np.ndarray:
    """Noise whose power falls as 1/f**exponent (0 white, 1 pink, 2 brown), unit RMS."""
    spectrum = np.fft.rfft(rng.normal(size=n))
    f = np.fft.rfftfreq(n, 1 / trigger.RATE)
    f[0] = f[1]
    x = np.fft.irfft(spectrum / f ** (exponent / 2), n)
    return x / np.sqrt(np.mean(x**2))


def room(rng: np.random.Generator) -> np.ndarray:
    n, t = trigger.N_SAMPLES, np.arange(trigger.N_SAMPLES) / trigger.RATE
    hum_hz = rng.choice([50.0, 60.0]) * rng.uniform(0.98, 1.02)
    hum = sum(np.sin(2 * np.pi * k * hum_hz * t + rng.uniform(0, 6.3)) / k for k in (1, 2, 3))
    x = 0.006 * coloured_noise(n, rng, 1.0) + rng.uniform(0.002, 0.006) * hum
    clicks = rng.integers(0, n - 400, size=rng.integers(1, 4))  # a cup set down, a chair
    for c in clicks:
        x[c : c + 400] += rng.uniform(0.02, 0.05) * rng.normal(size=400) * np.exp(-np.arange(400) / 60)
    return x


def street(rng: np.random.Generator) -> np.ndarray:
    n, t = trigger.N_SAMPLES, np.arange(trigger.N_SAMPLES) / trigger.RATE
    rumble = coloured_noise(n, rng, 2.0)
    swell = np.ones(n)
    for centre in rng.uniform(0, 5, size=rng.integers(1, 4)):  # cars passing
        swell += 2.5 * np.exp(-(((t - centre) / rng.uniform(0.4, 0.9)) ** 2))
    x = 0.008 * rumble * swell + 0.003 * coloured_noise(n, rng, 1.0)
    if rng.random() < 0.7:  # a horn far away
        start = rng.uniform(0.2, 4.2)
        on = (t > start) & (t < start + rng.uniform(0.2, 0.5))
        x += on * 0.01 * np.sign(np.sin(2 * np.pi * rng.uniform(380, 450) * t))
    return x


def babble(rng: np.random.Generator, voices: list[str]) -> np.ndarray:
    x = np.zeros(trigger.N_SAMPLES)
    for _ in range(28):
        words = " ".join(rng.choice(BABBLE_WORDS, size=rng.integers(2, 5)))
        v = voices[rng.integers(len(voices))]
        clip = speak(words, v, int(rng.integers(140, 200)), int(rng.integers(20, 80)))
        start = int(rng.integers(-len(clip) // 2, trigger.N_SAMPLES - len(clip) // 2))
        lo, hi = max(start, 0), min(start + len(clip), trigger.N_SAMPLES)
        x[lo:hi] += clip[lo - start : hi - start] * rng.uniform(0.05, 0.15)
    b, a = signal.butter(4, 2500, fs=trigger.RATE)
    return signal.lfilter(b, a, x) + 0.002 * coloured_noise(trigger.N_SAMPLES, rng, 1.0)


def main() -> None:
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not installed: apt-get install espeak-ng (Debian / Ubuntu)")
    rng = np.random.default_rng(SEED)
    out = registry.REPO_ROOT / trigger.CLIPS_DIR
    for kind in trigger.KINDS:
        if (out / kind).exists():
            shutil.rmtree(out / kind)
        (out / kind).mkdir(parents=True)
    clips = []

    def add(kind: str, name: str, samples: np.ndarray, split: str, **meta) -> None:
        path = trigger.write_wav(out / kind / f"{name}.wav", samples)
        clips.append(
            {
                "file": f"{kind}/{name}.wav",
                "kind": kind,
                **meta,
                "split": split,
                "samples": int(len(samples)),
                "sha256": registry.file_sha256(path),
            }
        )

    for voice in TRAIN_VOICES + HELD_OUT:
        split = "test" if voice in HELD_OUT else "train"
        tag = voice.replace("+", "_")
        variants = [(s, p) for s in SPEEDS for p in PITCHES]
        for k in rng.permutation(len(variants))[:4]:  # 4 of the 9 speed and pitch pairs per voice
            speed, pitch = variants[k]
            add("activate", f"{tag}_s{speed}_p{pitch}", speak("activate", voice, speed, pitch), split,
                text="activate", voice=voice, speed=speed, pitch=pitch)  # fmt: skip
        for word in rng.choice(NEGATIVE_WORDS, size=6, replace=False):
            speed, pitch = int(rng.choice(SPEEDS)), int(rng.choice(PITCHES))
            add("negative", f"{word}_{tag}_s{speed}_p{pitch}", speak(str(word), voice, speed, pitch), split,
                text=str(word), voice=voice, speed=speed, pitch=pitch)  # fmt: skip
        print(f"{voice}: spoken ({split})", flush=True)
    makers = {"room": room, "street": street}
    for sound in ("room", "street", "babble"):
        for k in range(3):
            split = "test" if k == 2 else "train"
            voices = HELD_OUT if split == "test" else TRAIN_VOICES
            x = babble(rng, voices) if sound == "babble" else makers[sound](rng)
            add("background", f"{sound}_{k + 1}", np.clip(x, -1, 1), split, text="", voice="", sound=sound)
            print(f"background {sound}_{k + 1} ({split})", flush=True)
    card = {
        "name": "trigger word clips",
        "format": f"WAV, mono, {trigger.RATE} Hz, int16",
        "tool": "apt-get install espeak-ng && python tools/synthesize_trigger_audio.py",
        "licence": registry.TRIGGER_CLIPS.licence,
        "seed": SEED,
        "voices": {"train": TRAIN_VOICES, "held_out": HELD_OUT},
        "speeds_wpm": list(SPEEDS),
        "pitches": list(PITCHES),
        "negative_words": NEGATIVE_WORDS,
        "speech_rms": SPEECH_RMS,
        "backgrounds": "5 s each: room (pink noise, mains hum, clicks), street (brown-noise rumble, passing "
        "swells, a horn), babble (28 overlapping phrases of the split's own voices, low-passed at 2.5 kHz, "
        "at 5-15 % of the words' volume); the third of each kind is held out",
        "espeak_ng": subprocess.run(
            ["espeak-ng", "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "clips": clips,
    }
    path = atomic_write(out / "clips.json", json.dumps(card, indent=1) + "\n")
    size = sum((out / c["file"]).stat().st_size for c in clips)
    print(f"{len(clips)} clips, {size / 1e6:.2f} MB; card {path}")
    print(f"sha256 {registry.file_sha256(path)}")


if __name__ == "__main__":
    main()

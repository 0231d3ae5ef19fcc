"""The happy-face image set: small photo-like pictures of a face, smiling (1) or not (0).

The smiling-face photos of the Deep Learning Specialization's Course 4 ("happy house") are not
available offline, so this module DRAWS such pictures from a seed.  Every picture is a head
and shoulders in front of a room-like wall: a face of a random skin tone (light to dark),
shape and size, ears, neck and shoulders in a shirt; eyes (iris colour, a little squint when
smiling), eyebrows, a nose shaded from the side of the light; hair of many colours and styles
(none, short, long, a fringe, a bun), sometimes glasses, a beard or a moustache; turned a
little (yaw: the features slide sideways) and tilted (roll), lit from one side, then blurred,
white-balanced and given sensor noise.  The drawing is done at 2x the output size and
averaged down.

The label is the mouth and only the mouth: a smile (the corners raised, often open with the
teeth showing, the cheeks raised) or a neutral mouth (closed, straight or a little down,
sometimes slightly open).  Everything else is drawn from the same distributions for both
classes.

    CLASSES                       ("not smiling", "smiling")
    generate(n, seed, size=64)    images (n, size, size, 3) uint8, labels (n,) int64
    load_happy_faces()            the fixed 600/150 split, cached as HDF5

Determinism: image ``i`` of ``generate(n, seed)`` is drawn from its own generator
``np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))`` and its label from
the pair it falls in, so it does not depend on ``n``.  Pixels only see IEEE-exact
arithmetic and Pillow's integer drawing and filters, so a seed gives the same bytes on any
machine with the same NumPy and Pillow.  ``docs/HAPPYFACES.md`` has the details.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from shared_utils.data import generated
from shared_utils.data.generated import hsv, rgb8

CLASSES: tuple[str, ...] = ("not smiling", "smiling")
GENERATOR_VERSION = 1
TRAIN_SEED, TEST_SEED = 600, 150
N_TRAIN, N_TEST = 600, 150
SUPERSAMPLE = 2  # drawn at 2x the output size, then averaged down
DRAW_SECONDS_PER_750 = 25  # drawing the 750 images of the split on the shared 2-core CPU (20-45 s)

# hair colours (sRGB): black, dark brown, brown, auburn, red, blond, light blond, grey, white
_HAIR = np.array(
    [
        [20, 16, 14],
        [48, 32, 22],
        [92, 62, 40],
        [120, 58, 32],
        [170, 82, 40],
        [196, 156, 96],
        [226, 200, 150],
        [140, 136, 132],
        [220, 218, 214],
    ],
    dtype=np.float64,
)
_IRIS = np.array([[60, 40, 25], [95, 65, 35], [70, 100, 140], [80, 110, 70], [40, 30, 25]], dtype=np.float64)


def _pick(rng: np.random.Generator, table: np.ndarray) -> np.ndarray:
    """One row of a colour table, slightly varied, in [0, 1]."""
    row = table[int(rng.integers(0, len(table)))] * rng.uniform(0.85, 1.12, 3)
    return np.clip(row / 255.0, 0.0, 1.0)


def _shade(colour: np.ndarray, k: float) -> tuple[int, int, int]:
    return rgb8(np.clip(colour * k, 0.0, 1.0))


def _ellipse(draw: ImageDraw.ImageDraw, cx: float, cy: float, rx: float, ry: float, fill) -> None:
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=fill)


def _mouth(
    draw: ImageDraw.ImageDraw,
    rng: np.random.Generator,
    cx: float,
    cy: float,
    w: float,
    smiling: bool,
    lips: tuple,
    inside: tuple,
    teeth: tuple,
    face: tuple,
    line: int,
) -> None:
    """A smile (corners up, often open with teeth) or a neutral mouth centred at (cx, cy), half width w."""
    U = rng.uniform
    if smiling:
        depth = w * U(0.6, 1.0)  # how far the middle of the lower lip hangs below the corners
        lift = w * U(0.05, 0.25)  # the corners above the centre line
        top = cy - lift
        if U() < 0.85:  # open: a half-moon showing the teeth
            draw.chord([cx - w, top - depth * 0.35, cx + w, top + depth], 0, 180, fill=inside)
            draw.chord(
                [cx - w * 0.85, top - depth * 0.3, cx + w * 0.85, top + depth * 0.55], 0, 180, fill=teeth
            )
            draw.arc([cx - w, top - depth * 0.35, cx + w, top + depth], 0, 180, fill=lips, width=line)
            draw.line(
                [cx - w, top + depth * 0.32, cx + w, top + depth * 0.32], fill=lips, width=max(1, line - 1)
            )
        else:  # closed: a crescent of lips, the corners up
            draw.chord([cx - w, top - depth, cx + w, top + depth], 0, 180, fill=lips)
            inner = [cx - w * 0.95, top - depth * 1.25, cx + w * 0.95, top + depth * 0.6]
            draw.chord(inner, 0, 180, fill=face)
            draw.arc(inner, 0, 180, fill=inside, width=line)  # the line between the lips
    else:
        kind = U()
        if kind < 0.75:  # straight
            y = cy + U(-0.04, 0.04) * w
            draw.line([cx - w * U(0.7, 0.95), y, cx + w * U(0.7, 0.95), y], fill=lips, width=line + 1)
        elif kind < 0.97:  # a little down at the corners
            sag = w * U(0.08, 0.3)
            draw.arc([cx - w * 0.9, cy, cx + w * 0.9, cy + 2 * sag], 195, 345, fill=lips, width=line + 1)
        else:  # slightly open, lips apart
            h = w * U(0.12, 0.25)
            draw.ellipse([cx - w * 0.6, cy - h, cx + w * 0.6, cy + h], fill=inside, outline=lips, width=line)


def _render(rng: np.random.Generator, smiling: bool, size: int) -> np.ndarray:
    ss = SUPERSAMPLE
    res = size * ss
    U = rng.uniform
    f = np.float32
    skin = generated.skin(rng)
    bg = generated.background(rng, res, float(skin.max()) * 0.85)
    im = Image.fromarray(np.round(np.clip(bg, 0, 1) * 255).astype(np.uint8))

    # the person: an RGBA layer drawn upright, then tilted (roll) and placed
    layer = Image.new("RGBA", (res, res), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    s = res / 128  # lengths below are for a 128-pixel canvas
    cx = res / 2 + U(-4, 4) * s
    cy = res * U(0.45, 0.48)
    hw = U(34, 38) * s  # half width of the face
    hh = hw * U(1.2, 1.32)  # half height
    yaw = U(-0.12, 0.12)  # the features slide sideways as the head turns
    hair = _pick(rng, _HAIR)
    shirt = hsv(rng, (0.1, 0.8), (0.15, 0.9))
    style = U()
    a = 255
    # long hair hangs behind the head and shoulders
    if 0.2 <= style < 0.45:
        d.rounded_rectangle(
            [cx - hw * 1.25, cy - hh * 0.9, cx + hw * 1.25, cy + hh * U(1.0, 1.6)],
            radius=int(hw * 0.6),
            fill=(*rgb8(hair * 0.85), a),
        )
    # shoulders in a shirt, neck
    d.ellipse([cx - hw * 2.6, cy + hh * 1.15, cx + hw * 2.6, cy + hh * 3.2], fill=(*rgb8(shirt), a))
    d.rectangle([cx - hw * 0.45, cy + hh * 0.6, cx + hw * 0.45, cy + hh * 1.35], fill=(*_shade(skin, 0.8), a))
    if U() < 0.5:  # a collar
        d.polygon(
            [(cx - hw * 0.5, cy + hh * 1.2), (cx, cy + hh * 1.55), (cx + hw * 0.5, cy + hh * 1.2)],
            fill=(*_shade(shirt, 1.25), a),
        )
    # ears, head
    ear = (*_shade(skin, 0.92), a)
    _ellipse(d, cx - hw * (0.98 + yaw * 0.3), cy + hh * 0.05, hw * 0.17, hh * 0.2, ear)
    _ellipse(d, cx + hw * (0.98 - yaw * 0.3), cy + hh * 0.05, hw * 0.17, hh * 0.2, ear)
    _ellipse(d, cx, cy, hw, hh, (*rgb8(skin), a))
    fx = cx + yaw * hw  # the centre line of the features
    # hair on top: short cap, fringe, bun or none
    if style < 0.85 and style >= 0.08:
        cap = hh * U(0.35, 0.6)
        d.chord(
            [cx - hw * 1.04, cy - hh * 1.08, cx + hw * 1.04, cy - hh + cap * 2.6],
            180,
            360,
            fill=(*rgb8(hair), a),
        )
        if U() < 0.4:  # a fringe across the forehead
            d.chord(
                [fx - hw * 0.85, cy - hh * 0.95, fx + hw * 0.85, cy - hh * 0.3],
                180,
                360,
                fill=(*rgb8(hair), a),
            )
        if style >= 0.7:  # a bun
            _ellipse(d, cx, cy - hh * 1.05, hw * 0.35, hh * 0.22, (*rgb8(hair), a))
    # eyebrows, eyes, nose
    eye_y = cy - hh * U(0.08, 0.2)
    eye_dx = hw * U(0.36, 0.46)
    eye_r = hw * U(0.11, 0.15)
    # every draw is made for both classes, so that two pictures of one seed and index differ only
    # where the label shows: the mouth, the cheeks and a squint of a smile
    smile_squint, squints, neutral_squint = U(0.45, 0.8), U() < 0.6, U(0.75, 1.0)
    squint = smile_squint if smiling and squints else neutral_squint
    iris = (*rgb8(_pick(rng, _IRIS)), a)
    brow = (*_shade(hair, 0.8), a)
    brow_up = U(0.2, 0.5)
    line = max(1, int(round(2 * s)))
    for side in (-1, 1):
        ex = fx + side * eye_dx * (1 - side * yaw * 0.4)
        d.ellipse(
            [ex - eye_r * 1.35, eye_y - eye_r * squint, ex + eye_r * 1.35, eye_y + eye_r * squint],
            fill=(235, 232, 225, a),
        )
        _ellipse(d, ex + yaw * eye_r * 0.6, eye_y, eye_r * 0.75, eye_r * min(squint, 0.75), iris)
        _ellipse(d, ex + yaw * eye_r * 0.6, eye_y, eye_r * 0.32, eye_r * 0.32 * min(squint, 1), (10, 8, 8, a))
        by = eye_y - eye_r * (1.6 + brow_up)
        tilt = U(-0.3, 0.3) * eye_r
        d.line(
            [ex - eye_r * 1.5, by + tilt * side, ex + eye_r * 1.5, by - tilt * side],
            fill=brow,
            width=line + int(U(0, 2.5) * s),
        )
    nose_y = cy + hh * U(0.12, 0.22)
    light_side = 1 if U() < 0.5 else -1
    d.line(
        [fx + light_side * hw * 0.05, eye_y + eye_r, fx + light_side * hw * 0.1, nose_y],
        fill=(*_shade(skin, 0.8), a),
        width=line,
    )
    _ellipse(d, fx, nose_y, hw * 0.16, hh * 0.05, (*_shade(skin, 0.78), a))
    # cheeks raised by a smile
    cheeks = U() < 0.5
    if smiling and cheeks:
        for side in (-1, 1):
            _ellipse(
                d, fx + side * hw * 0.5, nose_y + hh * 0.05, hw * 0.18, hh * 0.08, (*_shade(skin, 1.06), a)
            )
    # facial hair
    beard = U()
    lips = (*_shade(skin * np.array([1.0, 0.7, 0.7]), 0.6), a)
    mouth_y = cy + hh * U(0.45, 0.52)
    smile_w, neutral_w = U(0.42, 0.55), U(0.3, 0.42)
    mouth_w = hw * (smile_w if smiling else neutral_w)
    mouth_rng = np.random.default_rng(int(rng.integers(0, 2**62)))
    if beard < 0.12:  # a full beard around the mouth
        d.chord(
            [cx - hw * 0.98, cy - hh * 0.1, cx + hw * 0.98, cy + hh * 1.05], 10, 170, fill=(*rgb8(hair), a)
        )
    if beard < 0.22:  # a moustache
        d.chord(
            [fx - mouth_w * 1.1, mouth_y - hh * 0.2, fx + mouth_w * 1.1, mouth_y],
            180,
            360,
            fill=(*rgb8(hair), a),
        )
    _mouth(
        d,
        mouth_rng,
        fx,
        mouth_y,
        mouth_w,
        smiling,
        lips,
        (70, 20, 25, a),
        (240, 238, 230, a),
        (*rgb8(skin), a),
        line,
    )
    # glasses
    if U() < 0.3:
        frame = (*rgb8(hsv(rng, (0.0, 0.6), (0.05, 0.6))), a)
        gr = eye_r * U(1.7, 2.2)
        for side in (-1, 1):
            ex = fx + side * eye_dx * (1 - side * yaw * 0.4)
            box = [ex - gr * 1.15, eye_y - gr * 0.85, ex + gr * 1.15, eye_y + gr * 0.85]
            if U() < 0.5:
                d.ellipse(box, outline=frame, width=line)
            else:
                d.rounded_rectangle(box, radius=int(gr * 0.3), outline=frame, width=line)
        d.line([fx - eye_dx + gr * 1.15, eye_y, fx + eye_dx - gr * 1.15, eye_y], fill=frame, width=line)

    # lighting from one side: a ramp across the person, darker away from the light
    alpha = np.asarray(layer, dtype=np.float32)[..., 3:] * f(1 / 255)
    rgb = np.asarray(layer, dtype=np.float32)[..., :3] * f(1 / 255)
    g = (np.arange(res, dtype=np.float32) + f(0.5)) * f(2 / res) - f(1)
    strength = f(U(0.1, 0.35))
    ramp = f(1) + strength * g[None, :, None] * f(light_side)
    rgb = rgb * ramp * f(U(0.85, 1.1))
    person = Image.fromarray(
        np.concatenate([np.round(np.clip(rgb, 0, 1) * 255), alpha * 255], axis=-1).astype(np.uint8), "RGBA"
    )
    person = person.filter(ImageFilter.GaussianBlur(0.6 * s))
    person = person.rotate(U(-6, 6), resample=Image.BICUBIC, center=(cx, cy + hh * 0.5))
    im.paste(person, (0, 0), person)
    small = np.asarray(im, dtype=np.float32).reshape(size, ss, size, ss, 3).mean(axis=(1, 3)) * f(1 / 255)

    # camera: exposure and white balance, focus blur, sensor noise
    small = small * f(U(0.85, 1.1)) * rng.uniform(0.93, 1.07, 3).astype(np.float32)
    out = Image.fromarray(np.round(np.clip(small, 0, 1) * f(255)).astype(np.uint8))
    out = out.filter(ImageFilter.GaussianBlur(U(0.1, 0.6) * size / 64))
    arr = np.asarray(out, dtype=np.float32)
    sigma = f(U(1.0, 4.0))
    noise = (rng.random((size, size, 3), dtype=np.float32) - f(0.5)) * f(3.4) * sigma
    return np.clip(np.round(arr + noise), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------


def _labels(n: int, seed: int) -> np.ndarray:
    """Label i is the (i mod 2)-th entry of a seeded shuffle of (0, 1) for its pair."""
    out = np.empty(n, np.int64)
    for pair in range(-(-n // 2)):
        perm = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31, pair))).permutation(2)
        lo = pair * 2
        out[lo : min(n, lo + 2)] = perm[: min(2, n - lo)]
    return out


def render_one(i: int, seed: int, label: int, size: int = 64) -> np.ndarray:
    """Image ``i`` of the seed's stream, drawn smiling (label 1) or not (0): (size, size, 3) uint8."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
    return _render(rng, bool(label), size)


def generate(n: int, seed: int, size: int = 64, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` faces: images (n, size, size, 3) uint8 and labels (n,) int64, 1 for a smile.

    Classes are balanced (exactly when n is even); image i and its label depend only on
    (seed, i, size), not on n.
    """
    if n < 0 or size < 16:
        raise ValueError(f"need n >= 0 and size >= 16, got n={n}, size={size}")
    labels = _labels(n, seed)
    images = np.empty((n, size, size, 3), np.uint8)
    for i in generated.progress_range(n, f"drawing happy faces (seed {seed})", progress):
        images[i] = render_one(i, seed, labels[i], size)
    return images, labels


@dataclass(frozen=True)
class HappyFaces:
    """The fixed split: train (600, 64, 64, 3) uint8 / (600,) int64, test (150, ...) / (150,)."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    classes: tuple[str, ...]


def cache_path() -> Path:
    """The HDF5 file of the fixed split (its name carries the generator version and the seeds)."""
    name = f"happyfaces_v{GENERATOR_VERSION}_train{TRAIN_SEED}x{N_TRAIN}_test{TEST_SEED}x{N_TEST}.h5"
    return generated.generated_path(name)


def _spot_checks() -> list[tuple[str, int, int]]:
    """(split, seed, index) of the images a cached load draws again: both ends of both sets and
    the middle of the training set."""
    train = sorted({0, N_TRAIN // 2, N_TRAIN - 1})
    test = sorted({0, N_TEST - 1})
    return [("train", TRAIN_SEED, i) for i in train] + [("test", TEST_SEED, i) for i in test]


def _read_cache(path: Path) -> HappyFaces:
    arrays = generated.read_arrays(path, generated.SPLIT_KEYS)
    generated.compare_with_generator(
        arrays,
        (("train", TRAIN_SEED, N_TRAIN), ("test", TEST_SEED, N_TEST)),
        _labels,
        _spot_checks(),
        render_one,
    )
    return HappyFaces(arrays["train_x"], arrays["train_y"], arrays["test_x"], arrays["test_y"], CLASSES)


def _write_cache(path: Path, data: HappyFaces) -> None:
    source = "generated by shared_utils.data.happyfaces (drawn, not photographed)"
    generated.write_split(path, data, GENERATOR_VERSION, (TRAIN_SEED, TEST_SEED), source)


def _generate_split(progress: bool, note: str = "") -> HappyFaces:
    if progress:
        n = N_TRAIN + N_TEST
        seconds = DRAW_SECONDS_PER_750 * n / 750
        print(
            f"drawing the {n} happy-face images (about {seconds:.0f} s on a 2-core CPU){note}",
            file=sys.stderr,
        )
    train_x, train_y = generate(N_TRAIN, TRAIN_SEED, progress=progress)
    test_x, test_y = generate(N_TEST, TEST_SEED, progress=progress)
    return HappyFaces(train_x, train_y, test_x, test_y, CLASSES)


def load_happy_faces(cache: bool = True, progress: bool = True) -> HappyFaces:
    """The fixed 600/150 split (seeds TRAIN_SEED, TEST_SEED), 64x64 RGB uint8, labels int64 (1: smiling).

    With ``cache=True`` the split is read from (or written to) an HDF5 file under
    ``cache_dir()/generated``; every read checks its sha256, every label and a few images drawn
    again, and a file that fails is drawn again and replaced, with a warning
    (:func:`shared_utils.data.generated.load_cached`).  ``cache=False`` draws in memory.  While it
    draws, ``progress`` prints the expected time and shows a progress bar; a cached load is quiet.
    """
    if not cache:
        return _generate_split(progress)
    return generated.load_cached(
        cache_path(), "happy-face", _read_cache, lambda note: _generate_split(progress, note), _write_cache
    )

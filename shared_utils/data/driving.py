"""Driving scenes with per-pixel labels, drawn from a seed (course 4, notebook 6: U-Net).

No real driving frames with segmentation labels can be had offline, so this module DRAWS
them: a camera at a driver's height looks down a street in perspective.  Every scene has a
road (asphalt of a random shade, patches and shadows) with lane markings (a dashed centre
line, sometimes solid edge lines), sidewalks on both sides, buildings of random heights and
colours with rows of windows, trees and hedges, poles carrying traffic signs, cars of many
colours in both lanes and parked, people on the sidewalks and crossing, at distances from a
few metres to the horizon, and a sky.  The light changes (noon, overcast, dusk), so does the
weather (haze and fog that grow with distance, rain streaks); the camera adds exposure,
white balance, a slight blur and sensor noise.  Every object is placed in the 3-D street and
projected with one pinhole camera, so sizes shrink with distance as in a real frame.

The label of each pixel is the class of the surface drawn there (the same polygons fill the
image and the mask), in a palette close to the CARLA simulator's:

    CLASSES                        the 10 class names; PALETTE (10, 3) uint8 their colours
    generate(n, seed)              images (n, 96, 128, 3) uint8, masks (n, 96, 128) uint8
    render_one(i, seed)            one scene and its mask
    load_driving_scenes()          the fixed 1200/200 split, cached as HDF5

Determinism: scene ``i`` of a seed is drawn from its own generator
``np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))``, so it does not
depend on ``n``; pixels only see IEEE-exact arithmetic and Pillow's integer drawing and
filters, so a seed gives the same bytes on every machine with the same NumPy and Pillow.
``docs/DRIVING.md`` has the details.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from shared_utils.data import generated
from shared_utils.data.generated import hsv, rgb8

CLASSES: tuple[str, ...] = (
    "sky",
    "building",
    "road",
    "sidewalk",
    "lane marking",
    "vegetation",
    "car",
    "pedestrian",
    "pole",
    "traffic sign",
)
# CARLA's semantic-segmentation colours for these classes (its "RoadLine" for lane markings)
PALETTE = np.array(
    [
        [70, 130, 180],
        [70, 70, 70],
        [128, 64, 128],
        [244, 35, 232],
        [157, 234, 50],
        [107, 142, 35],
        [0, 0, 142],
        [220, 20, 60],
        [153, 153, 153],
        [220, 220, 0],
    ],
    dtype=np.uint8,
)
SKY, BUILDING, ROAD, SIDEWALK, LANE, VEGETATION, CAR, PEDESTRIAN, POLE, SIGN = range(len(CLASSES))
HEIGHT, WIDTH = 96, 128
GENERATOR_VERSION = 1
TRAIN_SEED, TEST_SEED = 1200, 200
N_TRAIN, N_TEST = 1200, 200
CAMERA_HEIGHT = 1.4  # metres above the road


class _Scene:
    """The camera and two canvases drawn together: the picture (RGB) and the mask (class ids)."""

    def __init__(self, rng: np.random.Generator, h: int, w: int):
        self.rng, self.h, self.w = rng, h, w
        self.f = w * rng.uniform(0.75, 0.95)  # focal length in pixels
        self.horizon = h * rng.uniform(0.4, 0.5)
        self.cx = w * rng.uniform(0.44, 0.56)  # where the street's axis meets the horizon
        self.image = Image.new("RGB", (w, h))
        self.mask = Image.new("L", (w, h))
        self.di, self.dm = ImageDraw.Draw(self.image), ImageDraw.Draw(self.mask)

    def ground(self, x: float, z: float) -> tuple[float, float]:
        """Pixel of the road-level point at lateral position x (metres, right positive), distance z."""
        return self.cx + self.f * x / z, self.horizon + self.f * CAMERA_HEIGHT / z

    def point(self, x: float, y: float, z: float) -> tuple[float, float]:
        """Pixel of the point x metres right, y metres above the road, z metres ahead."""
        return self.cx + self.f * x / z, self.horizon + self.f * (CAMERA_HEIGHT - y) / z

    def polygon(self, pts, cls: int, colour) -> None:
        self.di.polygon(pts, fill=rgb8(colour))
        self.dm.polygon(pts, fill=cls)

    def rect(self, box, cls: int, colour) -> None:
        x0, y0, x1, y1 = box
        box = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
        self.di.rectangle(box, fill=rgb8(colour))
        self.dm.rectangle(box, fill=cls)

    def ellipse(self, box, cls: int, colour) -> None:
        self.di.ellipse(box, fill=rgb8(colour))
        self.dm.ellipse(box, fill=cls)

    def shade(self, box, colour) -> None:
        """A detail that changes the picture but not the class (windows, wheels, clothes)."""
        x0, y0, x1, y1 = box
        self.di.rectangle([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)], fill=rgb8(colour))


def _clip(c) -> np.ndarray:
    return np.clip(np.asarray(c, dtype=np.float64), 0.0, 1.0)


def _street(s: _Scene, light: np.ndarray) -> dict:
    """Sky, ground, road, sidewalks, lane markings and the buildings and trees along the street."""
    U, rng = s.rng.uniform, s.rng
    h, w = s.h, s.w
    half = U(3.2, 5.5)  # half the road's width, metres
    walk = U(2.0, 4.0)  # sidewalk width
    z_near, z_far = 1.0, 400.0
    # sky: a vertical gradient (drawn as bands), lighter at the horizon
    top = _clip(np.array([0.32, 0.5, 0.82]) * light * U(0.8, 1.1))
    low = _clip(top * 0.5 + 0.45 * light)
    bands = 12
    for k in range(bands):
        t = k / (bands - 1)
        y0 = s.horizon * k / bands - 1
        y1 = s.horizon * (k + 1) / bands + 1
        s.rect([-1, y0, w + 1, y1], SKY, top * (1 - t) + low * t)
    # the ground beyond the sidewalks (grass or gravel, vegetation class when green)
    s.rect([-1, s.horizon, w + 1, h + 1], VEGETATION, _clip(np.array([0.3, 0.42, 0.18]) * light))
    asphalt = _clip(np.array([0.36, 0.35, 0.37]) * U(0.6, 1.25) * light)
    paving = _clip(np.array([0.62, 0.6, 0.56]) * U(0.7, 1.15) * light)
    for side in (-1, 1):
        outer = side * (half + walk)
        pts = [s.ground(side * half, z_near), s.ground(outer * 3, z_near), s.ground(outer, z_far)]
        pts += [s.ground(side * half, z_far)]
        s.polygon(pts, SIDEWALK, paving)
        # kerb: a darker line where the sidewalk meets the road
        s.di.line([s.ground(side * half, z_near), s.ground(side * half, z_far)], fill=rgb8(paving * 0.7))
    road = [s.ground(-half, z_near), s.ground(half, z_near), s.ground(half, z_far), s.ground(-half, z_far)]
    s.polygon(road, ROAD, asphalt)
    # patches and shadows on the asphalt (they stay road)
    for _ in range(int(rng.integers(0, 4))):
        x, z = U(-half, half), U(4, 40)
        pw, pd = U(0.5, 3.0), U(1, 6)
        pts = [s.ground(x, z), s.ground(x + pw, z), s.ground(x + pw, z + pd), s.ground(x, z + pd)]
        s.di.polygon(pts, fill=rgb8(asphalt * U(0.6, 1.2)))
    # lane markings: a dashed centre line, maybe solid edge lines
    paint = _clip(np.array([0.92, 0.92, 0.88]) * light if U() < 0.7 else np.array([0.9, 0.75, 0.2]) * light)
    lw = U(0.15, 0.25)
    dash, gap = U(2.0, 4.0), U(2.0, 5.0)
    z = U(1.5, 1.5 + dash + gap)
    while z < 120:
        pts = [s.ground(-lw, z), s.ground(lw, z), s.ground(lw, z + dash), s.ground(-lw, z + dash)]
        s.polygon(pts, LANE, paint)
        z += dash + gap
    if U() < 0.5:
        for side in (-1, 1):
            e = side * (half - 0.3)
            pts = [s.ground(e - lw * 0.6, z_near), s.ground(e + lw * 0.6, z_near)]
            pts += [s.ground(e + lw * 0.6, 150), s.ground(e - lw * 0.6, 150)]
            s.polygon(pts, LANE, paint)
    # along each side, far to near: buildings (windows in rows) and trees between them
    for side in (-1, 1):
        x = side * (half + walk + U(0.0, 1.5))
        z = U(60, 140)
        spans = []
        while z > 2:
            length = U(6, 25)
            spans.append((z - length, z))
            z -= length + (U(2, 8) if U() < 0.3 else 0)
        for z0, z1 in spans:
            z0 = max(z0, 1.5)
            kind = U()
            if kind < 0.72:
                height = U(5, 25)
                col = _clip((hsv(rng, (0.0, 0.35), (0.35, 0.85))) * light)
                face = [s.point(x, 0, z0), s.point(x, height, z0), s.point(x, height, z1), s.point(x, 0, z1)]
                s.polygon(face, BUILDING, col)
                win = _clip(col * U(0.3, 0.6) + (0.25 * light if U() < 0.3 else 0))
                floor = U(2.8, 3.6)
                for k in range(1, int(height / floor)):
                    y0, y1 = k * floor - floor * 0.6, k * floor - floor * 0.15
                    za = z0 + 0.6
                    while za < z1 - 1.0:
                        zb = za + U(0.8, 1.6)
                        pa, pb = s.point(x, y1, za), s.point(x, y0, zb)
                        if abs(pb[0] - pa[0]) >= 1 and abs(pb[1] - pa[1]) >= 1:
                            s.di.polygon([pa, s.point(x, y1, zb), pb, s.point(x, y0, za)], fill=rgb8(win))
                        za = zb + U(0.8, 2.0)
            else:  # a hedge or a row of trees
                green = _clip(np.array([0.2, 0.38, 0.12]) * U(0.6, 1.3) * light)
                height = U(1.0, 7.0)
                face = [s.point(x, 0, z0), s.point(x, height, z0), s.point(x, height, z1), s.point(x, 0, z1)]
                s.polygon(face, VEGETATION, green)
    return {"half": half, "walk": walk, "light": light}


def _tree(s: _Scene, x: float, z: float, light: np.ndarray) -> None:
    U = s.rng.uniform
    trunk_h, crown = U(1.5, 3.0), U(1.2, 2.8)
    bx, by = s.ground(x, z)
    tw = max(1.0, s.f * 0.3 / z)
    top = s.point(x, trunk_h, z)[1]
    s.rect([bx - tw / 2, top, bx + tw / 2, by], VEGETATION, _clip(np.array([0.3, 0.22, 0.14]) * light))
    cx, cy = s.point(x, trunk_h + crown * 0.7, z)
    r = s.f * crown / z
    s.ellipse(
        [cx - r, cy - r * U(0.8, 1.1), cx + r, cy + r],
        VEGETATION,
        _clip(np.array([0.18, 0.36, 0.1]) * U(0.7, 1.3) * light),
    )


def _pole(s: _Scene, x: float, z: float, light: np.ndarray) -> None:
    U, rng = s.rng.uniform, s.rng
    height = U(3.0, 4.5)
    bx, by = s.ground(x, z)
    pw = max(2.0, s.f * 0.22 / z)
    top = s.point(x, height, z)[1]
    s.rect([bx - pw / 2, top, bx + pw / 2, by], POLE, _clip(np.array([0.5, 0.5, 0.52]) * U(0.7, 1.2) * light))
    if U() < 0.8:  # a sign on it: round, square or a triangle
        size = max(4.0, s.f * U(0.6, 0.9) / z)
        cy = top + size * 0.6
        kind = U()
        colour = _clip(
            np.array([[0.85, 0.1, 0.1], [0.1, 0.3, 0.8], [0.95, 0.8, 0.1]][int(rng.integers(0, 3))]) * light
        )
        box = [bx - size / 2, cy - size / 2, bx + size / 2, cy + size / 2]
        if kind < 0.4:
            s.ellipse(box, SIGN, colour)
        elif kind < 0.75:
            s.rect(box, SIGN, colour)
        else:
            s.polygon([(bx, box[1]), (box[2], box[3]), (box[0], box[3])], SIGN, colour)


def _car(s: _Scene, x: float, z: float, light: np.ndarray) -> None:
    U, rng = s.rng.uniform, s.rng
    width, height = U(1.6, 2.0), U(1.3, 1.7)
    body = _clip(hsv(rng, (0.0, 0.9), (0.15, 0.95)) * light)
    x0, y_bottom = s.ground(x - width / 2, z)
    x1 = s.ground(x + width / 2, z)[0]
    y_top = s.point(x, height, z)[1]
    y_mid = s.point(x, height * 0.55, z)[1]
    inset = (x1 - x0) * U(0.1, 0.2)
    # the body and the cabin (the car class covers both), then the rear window, lights and wheels
    s.rect([x0, y_mid, x1, y_bottom - (y_bottom - y_mid) * 0.1], CAR, body)
    s.polygon(
        [(x0 + inset * 0.3, y_mid), (x0 + inset, y_top), (x1 - inset, y_top), (x1 - inset * 0.3, y_mid)],
        CAR,
        body,
    )
    s.shade(
        [x0 + inset * 1.2, y_top + (y_mid - y_top) * 0.2, x1 - inset * 1.2, y_mid - (y_mid - y_top) * 0.1],
        _clip(np.array([0.15, 0.18, 0.22]) * light + 0.05),
    )
    lamp = np.array([0.9, 0.1, 0.1]) if U() < 0.7 else np.array([1.0, 0.9, 0.6])
    lw = (x1 - x0) * 0.14
    ly = y_mid + (y_bottom - y_mid) * 0.25
    for lx in (x0 + lw * 0.4, x1 - lw * 1.4):
        s.shade([lx, ly, lx + lw, ly + (y_bottom - y_mid) * 0.15], lamp)
    wheel = (x1 - x0) * 0.18
    for wx in (x0 + wheel * 0.3, x1 - wheel * 1.3):
        s.rect(
            [wx, y_bottom - (y_bottom - y_mid) * 0.25, wx + wheel, y_bottom],
            CAR,
            np.array([0.05, 0.05, 0.05]),
        )


def _person(s: _Scene, x: float, z: float, light: np.ndarray) -> None:
    U, rng = s.rng.uniform, s.rng
    height = U(1.5, 1.9)
    bx, by = s.ground(x, z)
    top = s.point(x, height, z)[1]
    ph = by - top
    pw = max(1.5, ph * U(0.22, 0.3))
    head = ph * 0.13
    skin = generated.skin(rng) * light
    shirt = _clip(hsv(rng, (0.0, 0.8), (0.1, 0.9)) * light)
    trousers = _clip(hsv(rng, (0.0, 0.6), (0.05, 0.6)) * light)
    s.ellipse([bx - head * 0.55, top, bx + head * 0.55, top + head * 1.1], PEDESTRIAN, _clip(skin))
    s.rect([bx - pw / 2, top + head, bx + pw / 2, top + ph * 0.55], PEDESTRIAN, shirt)
    stride = pw * U(0.0, 0.35)
    legs = pw * 0.4
    s.polygon(
        [
            (bx - pw * 0.45, top + ph * 0.55),
            (bx - pw * 0.05, top + ph * 0.55),
            (bx - stride, by),
            (bx - stride - legs, by),
        ],
        PEDESTRIAN,
        trousers,
    )
    s.polygon(
        [
            (bx + pw * 0.05, top + ph * 0.55),
            (bx + pw * 0.45, top + ph * 0.55),
            (bx + stride + legs, by),
            (bx + stride, by),
        ],
        PEDESTRIAN,
        trousers,
    )


def _render(rng: np.random.Generator, h: int = HEIGHT, w: int = WIDTH) -> tuple[np.ndarray, np.ndarray]:
    U = rng.uniform
    f = np.float32
    mood = U()
    if mood < 0.55:  # day
        light = np.array([1.0, 1.0, 1.0]) * U(0.9, 1.15)
    elif mood < 0.8:  # overcast
        light = np.array([0.85, 0.88, 0.92]) * U(0.7, 0.95)
    else:  # dusk
        light = np.array([1.0, 0.72, 0.55]) * U(0.5, 0.8)
    s = _Scene(rng, h, w)
    street = _street(s, light)
    half, walk = street["half"], street["walk"]
    # things in the street, drawn far to near
    things = []
    for _ in range(int(rng.integers(1, 7))):  # cars: in both lanes, or parked at the kerb
        lane = U()
        x = -half / 2 if lane < 0.35 else half / 2 if lane < 0.7 else (half - 1.1) * (1 if U() < 0.5 else -1)
        things.append((U(5, 60), x + U(-0.4, 0.4), _car))
    for _ in range(int(rng.integers(1, 7))):  # people on the sidewalks, sometimes crossing
        side = 1 if U() < 0.5 else -1
        x = side * (half + U(0.4, walk - 0.3)) if U() < 0.85 else U(-half, half)
        things.append((U(3.5, 25), x, _person))
    for _ in range(int(rng.integers(1, 4))):  # poles with signs at the kerb
        side = 1 if U() < 0.5 else -1
        things.append((U(4, 30), side * (half + U(0.3, 0.7)), _pole))
    for _ in range(int(rng.integers(0, 4))):  # trees on the sidewalks
        side = 1 if U() < 0.5 else -1
        things.append((U(5, 50), side * (half + walk - U(0.3, 0.8)), _tree))
    for z, x, draw in sorted(things, key=lambda t: -t[0]):
        draw(s, x, z, light)

    img = np.asarray(s.image, dtype=np.float32) * f(1 / 255)
    mask = np.asarray(s.mask, dtype=np.uint8).copy()
    # weather: haze or fog that thickens towards the horizon, maybe rain streaks
    rows = (np.arange(h, dtype=np.float32) + f(0.5) - f(s.horizon)) * f(1 / h)
    fog_strength = f(U(0.0, 0.25) if U() < 0.7 else U(0.3, 0.6))
    depth = f(1) / (f(1) + f(40) * rows * rows)  # 1 at the horizon, falls off above and below
    fog = (fog_strength * depth)[:, None, None]
    haze = np.array(rgb8(_clip(np.array([0.78, 0.8, 0.82]) * light)), dtype=np.float32) * f(1 / 255)
    img = img * (f(1) - fog) + haze * fog
    # texture: low-frequency blotches and a fine grain
    tex = Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)).resize((w, h), Image.BICUBIC)
    tex = (np.asarray(tex, dtype=np.float32) - f(127.5)) * f(1 / 127.5)
    img = img * (f(1) + f(0.06) * tex[..., :1])
    if U() < 0.2:  # rain: faint slanted streaks
        streaks = Image.new("L", (w, h))
        d = ImageDraw.Draw(streaks)
        slant = U(-3, 3)
        for _ in range(int(rng.integers(40, 120))):
            x0, y0 = U(0, w), U(0, h)
            d.line([(x0, y0), (x0 + slant, y0 + U(4, 9))], fill=int(rng.integers(40, 110)))
        img = img + (np.asarray(streaks, dtype=np.float32) * f(1 / 255))[..., None] * f(0.5)
    # camera: exposure and white balance, a slight blur, sensor noise
    img = img * f(U(0.88, 1.12)) * rng.uniform(0.94, 1.06, 3).astype(np.float32)
    out = Image.fromarray(np.round(np.clip(img, 0, 1) * f(255)).astype(np.uint8))
    out = out.filter(ImageFilter.GaussianBlur(U(0.2, 0.6)))
    arr = np.asarray(out, dtype=np.float32)
    noise = (rng.random((h, w, 3), dtype=np.float32) - f(0.5)) * f(U(2.0, 10.0))
    return np.clip(np.round(arr + noise), 0, 255).astype(np.uint8), mask


def render_one(i: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Scene ``i`` of the seed's stream: image (96, 128, 3) uint8 and mask (96, 128) uint8."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
    return _render(rng)


def generate(n: int, seed: int, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` scenes: images (n, 96, 128, 3) uint8 and masks (n, 96, 128) uint8 of class ids
    (indices into :data:`CLASSES`).  Scene i depends only on (seed, i), not on n."""
    if n < 0:
        raise ValueError(f"need n >= 0 scenes, got n={n}")
    images = np.empty((n, HEIGHT, WIDTH, 3), np.uint8)
    masks = np.empty((n, HEIGHT, WIDTH), np.uint8)
    for i in generated.progress_range(n, f"drawing driving scenes (seed {seed})", progress):
        images[i], masks[i] = render_one(i, seed)
    return images, masks


def colour_mask(mask: np.ndarray) -> np.ndarray:
    """A mask of class ids (..., h, w) as its palette colours (..., h, w, 3) uint8."""
    mask = np.asarray(mask)
    if mask.dtype.kind not in "iu":
        raise ValueError(
            f"a mask holds integer class ids, got dtype {mask.dtype}; use np.argmax(probabilities, -1)"
        )
    if mask.size and (mask.min() < 0 or mask.max() >= len(CLASSES)):
        raise ValueError(
            f"class ids run from 0 to {len(CLASSES) - 1}; this mask holds {mask.min()}..{mask.max()}"
        )
    return PALETTE[mask]


@dataclass(frozen=True)
class DrivingScenes:
    """The fixed split: train (1200, 96, 128, 3) uint8 / masks (1200, 96, 128) uint8, test (200, ...)."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    classes: tuple[str, ...]


def cache_path() -> Path:
    """The HDF5 file of the fixed split (its name carries the generator version and the seeds)."""
    name = f"driving_v{GENERATOR_VERSION}_train{TRAIN_SEED}x{N_TRAIN}_test{TEST_SEED}x{N_TEST}.h5"
    return generated.generated_path(name)


def _read_cache(path: Path) -> DrivingScenes:
    arrays = generated.read_arrays(path, generated.SPLIT_KEYS)
    for split, seed, n in (("train", TRAIN_SEED, N_TRAIN), ("test", TEST_SEED, N_TEST)):
        x, y = arrays[f"{split}_x"], arrays[f"{split}_y"]
        if x.shape != (n, HEIGHT, WIDTH, 3) or y.shape != (n, HEIGHT, WIDTH) or x.dtype != np.uint8:
            raise ValueError(
                f"its {split} set is {x.shape} {x.dtype} / {y.shape}, expected ({n}, {HEIGHT}, {WIDTH}, 3)"
            )
        for i in sorted({0, n // 2, n - 1}):
            img, mask = render_one(i, seed)
            if not (np.array_equal(x[i], img) and np.array_equal(y[i], mask)):
                raise ValueError(
                    f"scene {i} of its {split} set differs from the same scene drawn again (the file was "
                    "edited, or written by another version of NumPy, Pillow or this generator)"
                )
    return DrivingScenes(arrays["train_x"], arrays["train_y"], arrays["test_x"], arrays["test_y"], CLASSES)


def _write_cache(path: Path, data: DrivingScenes) -> None:
    source = "generated by shared_utils.data.driving (drawn, not photographed)"
    generated.write_split(path, data, GENERATOR_VERSION, (TRAIN_SEED, TEST_SEED), source)


def _generate_split(progress: bool, note: str = "") -> DrivingScenes:
    if progress:
        print(f"drawing the {N_TRAIN + N_TEST} driving scenes (a few seconds){note}", file=sys.stderr)
    train_x, train_y = generate(N_TRAIN, TRAIN_SEED, progress=progress)
    test_x, test_y = generate(N_TEST, TEST_SEED, progress=progress)
    return DrivingScenes(train_x, train_y, test_x, test_y, CLASSES)


def load_driving_scenes(cache: bool = True, progress: bool = True) -> DrivingScenes:
    """The fixed 1200/200 split (seeds TRAIN_SEED, TEST_SEED): images uint8, masks of class ids.

    With ``cache=True`` the split is read from (or written to) an HDF5 file under
    ``cache_dir()/generated``; every read checks its sha256 and a few scenes drawn again, and a
    file that fails is drawn again and replaced, with a warning
    (:func:`shared_utils.data.generated.load_cached`).  ``cache=False`` draws in memory.
    """
    if not cache:
        return _generate_split(progress)
    return generated.load_cached(
        cache_path(), "driving-scene", _read_cache, lambda note: _generate_split(progress, note), _write_cache
    )

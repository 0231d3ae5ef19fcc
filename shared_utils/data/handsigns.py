"""The hand-sign image set: small photo-like pictures of a hand showing 0 to 5 fingers.

The classic course's SIGNS set (64x64 RGB, 1080 train / 120 test) is not available offline,
so this module DRAWS such pictures from a seed.  Every picture is a palm-side view of a left
or right hand: palm with thumb and heel pads, the extended fingers of its class (fanned, with joint
creases), the other fingers folded (their middle segments lie over the palm and their
knuckles make a bumpy top edge), the thumb extended or folded across the palm, and the
wrist and forearm (sometimes in a sleeve) entering from the bottom edge.  The hand is a
height field of round primitives, lit by a random light (Lambert shading, a soft gradient,
crease shadows, a darker outline, a cast shadow), with a skin tone from light to dark, over a
blurred room-like background (wall gradient, furniture and window shapes, texture), then
blurred a little, white-balanced and given sensor noise.  The drawing is done at 4x the
output size and averaged down.

    CLASSES                       ("0", ..., "5"): the label is the number of fingers shown
    generate(n, seed, size=64)    images (n, size, size, 3) uint8, labels (n,) int64
    load_hand_signs()             the fixed 1080/120 split, cached as HDF5

Counts:  0 fist (thumb across the folded fingers);  1 index;  2 index + middle;  3 index +
middle + ring;  4 the four fingers (thumb folded);  5 the open hand.  Mostly right hands
(10 % left), upright within +-8 degrees, centred, fingertips near the top edge: the framing
of the classic set, which its small CNN needs; the rest varies freely.

Determinism: image ``i`` of ``generate(n, seed)`` is drawn from its own generator
``np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))`` and its label from
the block of six it falls in, so it does not depend on ``n``.  Only IEEE-exact arithmetic is
applied to pixels (+, -, *, /, sqrt; angles through a fixed polynomial, not the platform's
libm) and Pillow's integer filters, so a seed gives the same bytes on any machine with the
same NumPy and Pillow.

Measured on the project's shared 2-core CPU (``python tools/handsigns_benchmark.py``, Keras 3,
seed 0; docs/HANDSIGNS.md has the details):

    drawing 1200 images              7.1 s on a quiet machine, 8-11 s beside other jobs
    cache file (gzip HDF5)           13.4 MB; a cached load takes 0.2 s
    dense 12288-25-12-6, 100 epochs  test 0.62, held-out (600 images) 0.60, 27 s of training
    classic small CNN, 50 epochs     test 0.81, held-out (600 images) 0.82, 54 s of training
                                     (0.79-0.87 held-out over training seeds 0-2)
"""

from __future__ import annotations

import colorsys
import math
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from shared_utils.common.files import atomic_write
from shared_utils.data.registry import sha256

CLASSES: tuple[str, ...] = ("0", "1", "2", "3", "4", "5")
GENERATOR_VERSION = 1
TRAIN_SEED, TEST_SEED = 1080, 120
N_TRAIN, N_TEST = 1080, 120
SUPERSAMPLE = 4  # the hand is drawn at 4x the output size, then averaged down
DRAW_SECONDS_PER_1200 = 10  # drawing 1200 images on the shared 2-core CPU (7-11 s measured)

# skin tones from very light to very dark (sRGB, palm side), interpolated at random
_SKIN = np.array(
    [
        [250, 219, 197],
        [240, 196, 170],
        [226, 174, 140],
        [205, 146, 110],
        [176, 118, 84],
        [141, 90, 62],
        [108, 68, 46],
        [78, 50, 36],
    ],
    dtype=np.float64,
)


# ---------------------------------------------------------------------------------------------
# exact little helpers (no platform libm on anything that reaches a pixel)
# ---------------------------------------------------------------------------------------------

_TWO_PI = 2.0 * math.pi
_INV_FACT = [1.0 / math.factorial(k) for k in range(30)]


def _sincos(angle: float) -> tuple[float, float]:
    """sin and cos from a fixed Taylor polynomial (same bits on every platform)."""
    x = angle - round(angle / _TWO_PI) * _TWO_PI
    x2 = x * x
    s = 0.0
    for k in range(27, 0, -2):
        s = s * x2 + (_INV_FACT[k] if (k // 2) % 2 == 0 else -_INV_FACT[k])
    c = 0.0
    for k in range(28, -1, -2):
        c = c * x2 + (_INV_FACT[k] if (k // 2) % 2 == 0 else -_INV_FACT[k])
    return s * x, c


def _rad(deg: float) -> float:
    return deg * (math.pi / 180.0)


class _Frame:
    """A hand frame: origin, ``u`` (towards the fingers) and ``v`` (towards the thumb side)."""

    def __init__(self, origin, angle: float, side: int):
        s, c = _sincos(angle)
        self.o = np.array(origin, dtype=np.float64)
        self.u = np.array([s, -c])  # angle 0: fingers point up (image y grows downwards)
        self.v = np.array([c, s]) * side

    def at(self, lx: float, ly: float) -> np.ndarray:
        """Image point of local coordinates (lx across towards the thumb, ly towards the fingers)."""
        return self.o + lx * self.v + ly * self.u

    def dir(self, deg: float) -> np.ndarray:
        """Unit vector at ``deg`` degrees from ``u``, positive towards the thumb side."""
        s, c = _sincos(_rad(deg))
        return c * self.u + s * self.v


# ---------------------------------------------------------------------------------------------
# the hand: a height field of round primitives
# ---------------------------------------------------------------------------------------------


class _Scene:
    """Per-pixel maps of the hand at render resolution.

    ``score`` is the height of the visible surface (outside a primitive: minus its distance, so
    the nearest one owns the anti-aliased fringe); ``sd`` the signed distance to the union;
    ``nx, ny`` the in-plane part of the surface normal; ``mat`` the material (0 skin, 1 cloth);
    ``shade`` an albedo multiplier (joint creases, nail-bed redness are not drawn).
    """

    def __init__(self, res: int):
        self.res = res
        self.c = np.arange(res, dtype=np.float32) + np.float32(0.5)
        self.score = np.full((res, res), -1e9, np.float32)
        self.sd = np.full((res, res), 1e9, np.float32)
        self.nx = np.zeros((res, res), np.float32)
        self.ny = np.zeros((res, res), np.float32)
        self.mat = np.zeros((res, res), np.uint8)
        self.shade = np.ones((res, res), np.float32)

    def _box(self, lo, hi):
        r = self.res
        x0, y0 = max(0, int(lo[0]) - 2), max(0, int(lo[1]) - 2)
        x1, y1 = min(r, int(hi[0]) + 3), min(r, int(hi[1]) + 3)
        if x0 >= x1 or y0 >= y1:
            return None
        return (slice(y0, y1), slice(x0, x1)), self.c[x0:x1][None, :], self.c[y0:y1][:, None]

    def _local(self, frame: _Frame, centre, ext: float):
        """The render pixels within ``ext`` of ``centre`` in ``frame``'s local axes, as float32:
        (sl, across, along, (vx, vy), (ux, uy)), or None where that square misses the image."""
        box = self._box(centre - ext, centre + ext)
        if box is None:
            return None
        sl, X, Y = box
        f = np.float32
        px, py = X - f(centre[0]), Y - f(centre[1])
        vx, vy = f(frame.v[0]), f(frame.v[1])
        ux, uy = f(frame.u[0]), f(frame.u[1])
        return sl, px * vx + py * vy, px * ux + py * uy, (vx, vy), (ux, uy)

    def _merge(self, sl, score, sd, nx, ny, mat: int, shade=None):
        win = score > self.score[sl]
        np.copyto(self.score[sl], score, where=win)
        np.copyto(self.nx[sl], nx, where=win)
        np.copyto(self.ny[sl], ny, where=win)
        np.copyto(self.mat[sl], np.uint8(mat), where=win)
        np.copyto(self.shade[sl], np.float32(1.0) if shade is None else shade, where=win)
        np.minimum(self.sd[sl], sd, out=self.sd[sl])

    def capsule(
        self,
        a,
        b,
        ra: float,
        rb: float,
        z0: float = 0.0,
        flat: float = 1.0,
        mat: int = 0,
        creases: tuple[float, ...] = (),
        crease_depth: float = 0.18,
        cut: bool = False,
    ):
        """A tapered round segment from ``a`` (radius ra) to ``b`` (radius rb), lying at height z0;
        ``cut`` ends it flat at ``a`` (a sleeve's cuff) instead of round."""
        a = np.asarray(a, np.float64)
        b = np.asarray(b, np.float64)
        rmax = max(ra, rb)
        box = self._box(np.minimum(a, b) - rmax, np.maximum(a, b) + rmax)
        if box is None:
            return
        sl, X, Y = box
        f = np.float32
        bax, bay = f(b[0] - a[0]), f(b[1] - a[1])
        inv_l2 = f(1.0 / max(float(bax) ** 2 + float(bay) ** 2, 1e-9))
        px, py = X - f(a[0]), Y - f(a[1])
        t = np.clip((px * bax + py * bay) * inv_l2, f(0), f(1))
        cx, cy = px - t * bax, py - t * bay
        dist = np.sqrt(cx * cx + cy * cy)
        r = f(ra) + f(rb - ra) * t
        sd = dist - r
        if cut:
            sd = np.maximum(sd, -(px * bax + py * bay) * f(math.sqrt(float(inv_l2))))
        inv_r = f(1) / r
        q = np.minimum(dist * inv_r, f(1))
        h = r * np.sqrt(f(1) - q * q) * f(flat)
        score = np.where(sd < 0, f(z0) + h, f(z0) - sd)
        shade = None
        if creases:
            length = f(math.sqrt(float(bax) ** 2 + float(bay) ** 2))
            along = t * length
            shade = np.ones_like(t)
            w = f(0.22) * f(ra)
            for tc in creases:
                k = np.clip(f(1) - np.abs(along - f(tc) * length) / w, f(0), f(1))
                shade = shade - f(crease_depth) * k * (f(1) - f(0.6) * q)
        self._merge(sl, score, sd, cx * inv_r, cy * inv_r, mat, shade)

    def ellipsoid(
        self,
        frame: _Frame,
        lx: float,
        ly: float,
        a: float,
        b: float,
        hz: float,
        z0: float = 0.0,
        mat: int = 0,
    ):
        """An elliptic cap centred at local (lx, ly), semi-axes a (across) and b (along)."""
        local = self._local(frame, frame.at(lx, ly), max(a, b))
        if local is None:
            return
        sl, across, along, (vx, vy), (ux, uy) = local
        f = np.float32
        ex = across * f(1 / a)
        ey = along * f(1 / b)
        k = np.sqrt(ex * ex + ey * ey)
        sd = (k - f(1)) * f(min(a, b))
        q = np.minimum(k, f(1))
        h = f(hz) * np.sqrt(f(1) - q * q)
        score = np.where(sd < 0, f(z0) + h, f(z0) - sd)
        nx = ex * vx + ey * ux
        ny = ex * vy + ey * uy
        self._merge(sl, score, sd, nx * f(0.8), ny * f(0.8), mat)

    def palm(
        self, frame: _Frame, hw_top: float, hw_bot: float, hh: float, corner: float, edge: float, z: float
    ):
        """A rounded, slightly trapezoidal slab of half height hh, thickness z, rounded edges."""
        local = self._local(frame, frame.o, math.sqrt(max(hw_top, hw_bot) ** 2 + hh * hh))
        if local is None:
            return
        sl, lx, ly, (vx, vy), (ux, uy) = local
        f = np.float32
        frac = np.clip((ly + f(hh)) * f(0.5 / hh), f(0), f(1))
        hw = f(hw_bot) + f(hw_top - hw_bot) * frac
        ax, ay = np.abs(lx), np.abs(ly)
        qx = ax - hw + f(corner)
        qy = ay - f(hh) + f(corner)
        mx, my = np.maximum(qx, f(0)), np.maximum(qy, f(0))
        out = np.sqrt(mx * mx + my * my)
        sd = out + np.minimum(np.maximum(qx, qy), f(0)) - f(corner)
        # outward direction of the outline, in local coordinates
        inv = f(1) / np.maximum(out, f(1e-6))
        corner_zone = (qx > 0) & (qy > 0)
        gx = np.where(corner_zone, mx * inv, (qx >= qy).astype(np.float32))
        gy = np.where(corner_zone, my * inv, (qx < qy).astype(np.float32))
        gx = gx * np.sign(lx)
        gy = gy * np.sign(ly)
        depth = -sd
        tilt = np.clip((f(edge) - depth) * f(1 / edge), f(0), f(1))
        h = f(z) * np.sqrt(f(1) - tilt * tilt)
        score = np.where(sd < 0, h, -sd)
        nlx, nly = gx * tilt, gy * tilt
        self._merge(sl, score, sd, nlx * vx + nly * ux, nlx * vy + nly * uy, 0)


def _finger(
    scene: _Scene, frame: _Frame, base, direction, length: float, radius: float, bend: float, z0: float
):
    """An extended finger: proximal and distal parts with a slight bend and two joint creases."""
    d = np.asarray(direction)
    mid = base + d * (length * 0.52)
    s, c = _sincos(_rad(bend))
    d2 = np.array([c * d[0] - s * d[1], s * d[0] + c * d[1]])
    tip = mid + d2 * (length * 0.48 - radius * 0.8)
    scene.capsule(base, mid, radius, radius * 0.93, z0=z0, creases=(0.22, 0.98))
    scene.capsule(mid, tip, radius * 0.93, radius * 0.8, z0=z0, creases=(0.55,), crease_depth=0.12)


def _folded(
    scene: _Scene, frame: _Frame, base, radius: float, rise: float, fall: float, z0: float, tilt: float
):
    """A folded finger seen from the palm: the knuckle bump above the palm edge and the curled
    segment lying over the palm."""
    up = frame.dir(tilt)
    top = base + up * rise
    low = base - up * fall
    scene.capsule(top, low, radius * 1.08, radius * 0.95, z0=z0, creases=(0.42,), crease_depth=0.22)


def _hand(rng: np.random.Generator, label: int, size: int, ss: int) -> tuple[_Scene, float]:
    """Sample a hand showing ``label`` fingers and draw its height field at ``size * ss`` pixels;
    returns the scene and the palm width in render pixels."""
    res = size * ss
    U = rng.uniform

    # which digits are extended (index..pinky, thumb)
    fingers = ((), (0,), (0, 1), (0, 1, 2), (0, 1, 2, 3), (0, 1, 2, 3))[label]
    thumb = label == 5

    side = 1 if U() < 0.9 else -1  # a right hand (thumb on the picture's right) or a left one
    width = U(0.35, 0.385) * res  # palm width
    palm_h = width * U(0.95, 1.12)
    hh = palm_h / 2
    flen = palm_h * U(0.78, 0.95)  # middle finger length
    rad = width * U(0.095, 0.115)  # finger radius
    spread = U(3.0, 11.0)
    angle = _rad(U(-8.0, 8.0))

    # place the hand: the middle fingertip a little below the top edge, the palm near the
    # middle, so that the forearm leaves the picture at the bottom edge
    frame = _Frame((0.0, 0.0), angle, side)
    top = frame.at(0, hh + flen + rad)  # fingertip relative to the palm centre
    cx = U(0.46, 0.54) * res
    cy = U(0.05, 0.11) * res - top[1]
    frame = _Frame((cx, cy), angle, side)

    scene = _Scene(res)
    zp = width * 0.10  # palm thickness
    # forearm and wrist, then (sometimes) a sleeve
    wrist = frame.at(0, -hh * 0.55)
    far = wrist - frame.u * (2.2 * res)
    scene.capsule(wrist, far, width * U(0.36, 0.42), width * U(0.5, 0.62), z0=-width * 0.06, flat=0.45)
    sleeve = U() < 0.55
    if sleeve:
        start = wrist - frame.u * (width * U(0.45, 1.3))
        scene.capsule(
            start, far, width * U(0.5, 0.58), width * 0.8, z0=width * 0.05, flat=0.5, mat=1, cut=True
        )

    # palm: slab, heel and thenar pads
    scene.palm(frame, width * 0.5, width * 0.44, hh, width * U(0.14, 0.2), width * 0.12, zp)
    scene.ellipsoid(frame, width * 0.24, -hh * 0.35, width * 0.25, hh * 0.55, zp * 0.55, z0=zp * 0.6)
    scene.ellipsoid(frame, -width * 0.2, -hh * 0.5, width * 0.26, hh * 0.4, zp * 0.45, z0=zp * 0.6)

    # the four fingers: index (next to the thumb) .. pinky
    lengths = np.array([0.9, 1.0, 0.94, 0.76]) * flen * U(0.95, 1.05, 4)
    radii = np.array([1.0, 1.04, 0.97, 0.85]) * rad
    offsets = np.array([0.36, 0.12, -0.12, -0.35]) * width * 0.94
    heights = np.array([-0.02, 0.03, 0.0, -0.1]) * width
    fan = np.array([1.0, 0.25, -0.45, -1.25]) * spread + U(-2.5, 2.5, 4)
    for k in range(4):
        base = frame.at(offsets[k], hh - rad * 1.1 + heights[k])
        if k in fingers:
            _finger(scene, frame, base, frame.dir(fan[k]), lengths[k] + rad * 1.1, radii[k], U(-6, 6), z0=0.0)
        else:
            _folded(
                scene,
                frame,
                base + frame.u * rad * 0.9,
                radii[k],
                rad * U(0.4, 0.9),
                palm_h * U(0.26, 0.36),
                z0=zp * 0.55,
                tilt=fan[k] * 0.5 + U(-4, 4),
            )

    # thumb: extended outwards, or folded across the palm
    tbase = frame.at(width * 0.42, -hh * 0.45)
    trad = rad * U(1.12, 1.25)
    if thumb:
        spread_t = U(38, 62)  # degrees out from the fingers' direction
        tlen = flen * U(0.72, 0.85)
        knuckle = tbase + frame.dir(spread_t) * (tlen * 0.5)
        tip = knuckle + frame.dir(spread_t - U(0, 20)) * (tlen * 0.5 - trad * 0.7)
        scene.capsule(tbase, knuckle, trad * 1.15, trad, z0=zp * 0.4)
        scene.capsule(knuckle, tip, trad, trad * 0.85, z0=zp * 0.4, creases=(0.1,))
    else:
        # tip near the base of the middle/ring finger (over the folded fingers for a fist)
        tip_y = hh - palm_h * (U(0.22, 0.34) if not fingers else U(0.1, 0.22))
        tip = frame.at(-width * U(0.05, 0.22), tip_y)
        knuckle = frame.at(width * U(0.22, 0.32), -hh * U(0.05, 0.2))
        z_t = zp * 0.55 + rad * 1.1
        scene.capsule(tbase, knuckle, trad * 1.15, trad * 1.05, z0=zp * 0.5)
        scene.capsule(knuckle, tip, trad * 1.05, trad * 0.85, z0=z_t, creases=(0.45,))
    return scene, width


# ---------------------------------------------------------------------------------------------
# colours, background, camera
# ---------------------------------------------------------------------------------------------


def _skin(rng: np.random.Generator) -> np.ndarray:
    """A skin tone (3,) in [0, 1], interpolated along the light-to-dark table, slightly varied."""
    t = rng.uniform(0, len(_SKIN) - 1)
    k = min(int(t), len(_SKIN) - 2)
    w = t - k
    base = _SKIN[k] * (1 - w) + _SKIN[k + 1] * w
    base = base * rng.uniform(0.96, 1.04) * np.array([1.0, rng.uniform(0.97, 1.02), rng.uniform(0.95, 1.03)])
    return np.clip(base / 255.0, 0.0, 1.0)


def _hsv(rng: np.random.Generator, sat: tuple[float, float], val: tuple[float, float]) -> np.ndarray:
    return np.array(colorsys.hsv_to_rgb(rng.uniform(), rng.uniform(*sat), rng.uniform(*val)))


def _rgb8(c) -> tuple[int, int, int]:
    return tuple(int(min(255, max(0, round(float(x) * 255)))) for x in c)


def _background(rng: np.random.Generator, size: int, skin_value: float) -> np.ndarray:
    """A blurred room-like backdrop: wall gradient, furniture, windows, texture. float32 (s, s, 3).

    The wall is lighter or darker than the skin (``skin_value``, HSV value), as when someone
    photographs a hand against a wall chosen so that it shows."""
    U = rng.uniform
    f = np.float32
    gap = U(0.3, 0.55) * (1 if U() < 0.5 else -1)
    value = skin_value + gap
    if not 0.3 <= value <= 0.97:
        value = skin_value - gap
    value = min(0.97, max(0.3, value))
    if U() < 0.6:  # warm neutrals: white, cream, beige, grey
        wall = np.array(colorsys.hsv_to_rgb(U(0.04, 0.14), U(0.0, 0.25), value))
    else:
        wall = np.array(colorsys.hsv_to_rgb(U(), U(0.0, 0.2), value))
    wall2 = np.clip(wall * U(0.8, 1.1) + U(-0.04, 0.04, 3), 0, 1)
    s_, c_ = _sincos(_rad(U(-40, 40)))
    g = (np.arange(size, dtype=np.float32) + f(0.5)) * f(1 / size) - f(0.5)
    t = np.clip(f(0.5) + g[None, :] * f(s_) + g[:, None] * f(c_), f(0), f(1))[..., None]
    img = wall.astype(np.float32) * (f(1) - t) + wall2.astype(np.float32) * t
    im = Image.fromarray(np.round(img * f(255)).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    if U() < 0.4:  # a floor, a table top or a ceiling line across the room
        y = U(0.55, 1.0) * size if U() < 0.75 else U(0.0, 0.3) * size
        tilt = U(-0.15, 0.15) * size
        col = np.clip(wall * U(0.45, 1.1) + U(-0.08, 0.08, 3), 0, 1)
        if U() < 0.4:
            col = _hsv(rng, (0.2, 0.6), (0.2, 0.6)) * np.array([1.0, 0.8, 0.6])  # wood
        top = y > size / 2
        edge = size if top else 0
        draw.polygon([(0, y - tilt), (size, y + tilt), (size, edge), (0, edge)], fill=_rgb8(col))
    for _ in range(int(rng.integers(0, 3))):
        kind = U()
        if U() < 0.8:
            col = np.clip(wall * U(0.75, 1.12) + U(-0.04, 0.04, 3), 0, 1)
        else:
            col = _hsv(rng, (0.05, 0.55), (0.15, 0.9))
        fill = _rgb8(col)
        x0, y0 = U(-0.2, 1.0) * size, U(-0.2, 1.0) * size
        if kind < 0.45:  # furniture, doors, shelves, frames
            x1, y1 = x0 + U(0.1, 0.8) * size, y0 + U(0.05, 0.8) * size
            draw.rectangle([x0, y0, x1, y1], fill=fill)
        elif kind < 0.55:  # a bright window or screen
            x1, y1 = x0 + U(0.15, 0.5) * size, y0 + U(0.15, 0.5) * size
            draw.rectangle([x0, y0, x1, y1], fill=_rgb8(np.clip(col * 0.25 + 0.78, 0, 1)))
        elif kind < 0.8:  # lamps, plants, balls
            r = U(0.05, 0.3) * size
            draw.ellipse([x0 - r, y0 - r, x0 + r, y0 + r * U(0.6, 1.4)], fill=fill)
        else:  # edges, cables, table legs
            x1, y1 = U(0, 1) * size, U(0, 1) * size
            draw.line([x0, y0, x1, y1], fill=fill, width=max(1, int(U(0.01, 0.1) * size)))
    im = im.filter(ImageFilter.GaussianBlur(U(1.2, 3.0) * size / 64))
    out = np.asarray(im, dtype=np.float32) * f(1 / 255)
    # texture: low-frequency blotches and a fine grain
    tex = Image.fromarray(rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)).resize((size, size), Image.BICUBIC)
    tex = (np.asarray(tex, dtype=np.float32) - f(127.5)) * f(1 / 127.5)
    tex = tex * f(0.35) + tex[..., :1] * f(0.65)  # mostly brightness, a little colour
    grain = rng.random((size, size, 1), dtype=np.float32) - f(0.5)
    return out * (f(1) + f(U(0.02, 0.1)) * tex) + f(U(0.0, 0.05)) * grain


def _box_down(x: np.ndarray, k: int) -> np.ndarray:
    """Average k x k blocks of (h, w[, c]), summing in a fixed order (same bits everywhere)."""
    acc = None
    for i in range(k):
        for j in range(k):
            part = x[i::k, j::k]
            acc = part.copy() if acc is None else acc + part
    return acc * np.float32(1.0 / (k * k))


def _shift(a: np.ndarray, dx: int, dy: int) -> np.ndarray:
    out = np.zeros_like(a)
    h, w = a.shape[:2]
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = a[ys, xs]
    return out


def _blur(a: np.ndarray, radius: float) -> np.ndarray:
    """Gaussian blur of a [0, 1] map (h, w) through Pillow's integer filter."""
    im = Image.fromarray(np.round(np.clip(a, 0, 1) * 255).astype(np.uint8))
    return np.asarray(im.filter(ImageFilter.GaussianBlur(radius)), dtype=np.float32) * np.float32(1 / 255)


def _render(rng: np.random.Generator, label: int, size: int) -> np.ndarray:
    ss = SUPERSAMPLE
    res = size * ss
    U = rng.uniform
    f = np.float32
    sc, width = _hand(rng, label, size, ss)
    skin = _skin(rng).astype(np.float32)
    cloth = _hsv(rng, (0.0, 0.7), (0.1, 0.85)).astype(np.float32)

    # work only inside the box of blocks the hand touches
    touched = sc.sd < 1
    rows = np.flatnonzero(touched.any(axis=1))
    cols = np.flatnonzero(touched.any(axis=0))
    y0, y1 = rows[0] // ss * ss, -(-(rows[-1] + 1) // ss) * ss
    x0, x1 = cols[0] // ss * ss, -(-(cols[-1] + 1) // ss) * ss
    box = (slice(y0, y1), slice(x0, x1))
    nx, ny, sd, score, mat = sc.nx[box], sc.ny[box], sc.sd[box], sc.score[box], sc.mat[box]

    # lighting: a key light from the front and above (a ceiling lamp, a window), ambient,
    # a soft gradient across the hand
    ls, lc = _sincos(_rad(U(200, 340)))
    lz = U(0.55, 0.9)
    lxy = math.sqrt(1 - lz * lz)
    Lx, Ly, Lz = f(lc * lxy), f(ls * lxy), f(lz)
    nz = np.sqrt(np.clip(f(1) - nx * nx - ny * ny, f(0.0), f(1)))
    ndl = nx * Lx + ny * Ly + nz * Lz
    lam = np.clip(ndl, f(0), f(1))
    amb = f(U(0.45, 0.6))
    light = amb + f(U(0.95, 1.15)) * (f(1) - amb) * lam
    gs, gc = _sincos(_rad(U(0, 360)))
    grad = (sc.c[None, x0:x1] - f(res / 2)) * f(gc) + (sc.c[y0:y1, None] - f(res / 2)) * f(gs)
    light = light * (f(1) + grad * f(U(0.1, 0.35) / res))
    # creases and contact shadows: where the surface lies below its neighbourhood (at half size)
    hmap = np.clip(score, f(-0.5 * width), f(0.5 * width)) * f(1 / width) + f(0.5)
    half = _box_down(hmap, 2)
    ao = np.clip((_blur(half, width * 0.04) - half) * f(6.0), f(0), f(0.45))
    h2, w2 = ao.shape
    light = (light.reshape(h2, 2, w2, 2) * (f(1) - ao)[:, None, :, None]).reshape(2 * h2, 2 * w2)
    # a darker rim along the silhouette
    rim = np.clip(-sd * f(1 / (1.2 * ss)), f(0), f(1))
    light = light * (f(0.62) + f(0.38) * rim)
    # a faint sheen on the skin (Blinn-Phong, exponent 16)
    hz = Lz + f(1)
    hn = f(1 / math.sqrt(float(Lx) ** 2 + float(Ly) ** 2 + float(hz) ** 2))
    spec = np.clip((ndl + nz) * hn, f(0), f(1))  # (n . (L + z)) / |L + z|
    for _ in range(4):
        spec = spec * spec
    alpha = np.clip(f(0.5) - sd, f(0), f(1))
    is_skin = (mat == 0).astype(np.float32) * alpha
    is_cloth = alpha - is_skin
    shade = sc.shade[box] * is_skin
    # averaged down: coverage, lit skin, skin (for the warm light through it), sheen, lit cloth
    A, SL, S1, SP, CL = _box_down(
        np.stack([alpha, shade * light, shade, spec * is_skin, light * is_cloth], axis=-1), ss
    ).transpose(2, 0, 1)
    warm = np.array([0.12, 0.0, -0.06], np.float32)
    hand_rgb = (
        skin * ((f(1) - warm) * SL[..., None] + warm * S1[..., None])
        + f(U(0.04, 0.16)) * SP[..., None]
        + cloth * CL[..., None]
    )

    alpha_out = np.zeros((size, size), np.float32)
    rgb_out = np.zeros((size, size, 3), np.float32)
    oy, ox = slice(y0 // ss, y1 // ss), slice(x0 // ss, x1 // ss)
    alpha_out[oy, ox] = A
    rgb_out[oy, ox] = hand_rgb

    bg = _background(rng, size, float(skin.max()) * 0.85)
    # the hand's soft shadow on the wall, away from the light
    off = U(1.0, 4.0) * size / 64
    shadow = _blur(_shift(alpha_out, int(round(-lc * off)), int(round(-ls * off))), U(1.5, 4.0) * size / 64)
    bg = bg * (f(1) - f(U(0.2, 0.5)) * shadow[..., None])
    img = rgb_out + bg * (f(1) - alpha_out[..., None])

    # camera: exposure and white balance, vignette, focus blur, sensor noise
    img = img * f(U(0.85, 1.08)) * rng.uniform(0.94, 1.06, 3).astype(np.float32)
    g = (np.arange(size, dtype=np.float32) + f(0.5)) * f(2 / size) - f(1)
    vig = f(1) - f(U(0.0, 0.25)) * (g[None, :] ** 2 + g[:, None] ** 2) * f(0.5)
    img = img * vig[..., None]
    im = Image.fromarray(np.round(np.clip(img, 0, 1) * f(255)).astype(np.uint8))
    im = im.filter(ImageFilter.GaussianBlur(U(0.2, 0.7) * size / 64))
    out = np.asarray(im, dtype=np.float32)
    sigma = f(U(1.0, 3.5))
    r3 = rng.random((3, size, size, 3), dtype=np.float32)
    noise = (r3[0] + r3[1] + r3[2] - f(1.5)) * f(2.0) * sigma
    lum = (rng.random((size, size, 1), dtype=np.float32) - f(0.5)) * f(1.7) * sigma
    return np.clip(np.round(out + noise + lum), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------


def _labels(n: int, seed: int) -> np.ndarray:
    """Label i is the (i mod 6)-th entry of a seeded shuffle of 0..5 for its block of six."""
    out = np.empty(n, np.int64)
    for block in range(-(-n // 6)):
        perm = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31, block))).permutation(6)
        lo = block * 6
        out[lo : min(n, lo + 6)] = perm[: min(6, n - lo)]
    return out


def render_one(i: int, seed: int, label: int, size: int = 64) -> np.ndarray:
    """Image ``i`` of the seed's stream, drawn with ``label`` fingers: (size, size, 3) uint8."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
    return _render(rng, int(label), size)


def generate(n: int, seed: int, size: int = 64, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` hand signs: images (n, size, size, 3) uint8 and labels (n,) int64 in 0..5.

    Classes are balanced (exactly when n is a multiple of 6, else within one); image i and its
    label depend only on (seed, i, size), not on n.
    """
    if n < 0 or size < 8:
        raise ValueError(f"need n >= 0 and size >= 8, got n={n}, size={size}")
    labels = _labels(n, seed)
    images = np.empty((n, size, size, 3), np.uint8)
    idx = range(n)
    if progress:
        from tqdm.auto import tqdm  # a widget in JupyterLab and Colab (ipywidgets), text elsewhere

        idx = tqdm(idx, desc=f"drawing hand signs (seed {seed})", unit="img")
    for i in idx:
        images[i] = render_one(i, seed, labels[i], size)
    return images, labels


@dataclass(frozen=True)
class HandSigns:
    """The fixed split: train (1080, 64, 64, 3) uint8 / (1080,) int64, test (120, ...) / (120,)."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    classes: tuple[str, ...]


def cache_path() -> Path:
    """The HDF5 file of the fixed split (its name carries the generator version and the seeds)."""
    from shared_utils.data.store import cache_dir

    name = f"handsigns_v{GENERATOR_VERSION}_train{TRAIN_SEED}x{N_TRAIN}_test{TEST_SEED}x{N_TEST}.h5"
    return cache_dir() / "generated" / name


def _digest(arrays: dict[str, np.ndarray]) -> str:
    """Content checksum of the split: SHA-256 over each array's name, dtype, shape and bytes."""

    def chunks():
        for key in ("train_x", "train_y", "test_x", "test_y"):
            a = np.ascontiguousarray(arrays[key])
            yield f"{key}:{a.dtype.str}:{a.shape}".encode()
            yield a.data

    return sha256(chunks())


def _spot_checks() -> list[tuple[str, int, int]]:
    """(split, seed, index) of the images a cached load draws again: the first, middle and last
    training images and the first and last test images."""
    train = sorted({0, N_TRAIN // 2, N_TRAIN - 1})
    test = sorted({0, N_TEST - 1})
    return [("train", TRAIN_SEED, i) for i in train] + [("test", TEST_SEED, i) for i in test]


def _compare_with_generator(arrays: dict[str, np.ndarray]) -> None:
    """Raise ValueError unless the arrays are what this generator draws: shapes, every label,
    and the few images of :func:`_spot_checks` drawn again (about 40 ms). This catches a file
    edited together with its checksum, or written by another NumPy, Pillow or generator."""
    labels = {}
    for split, seed, n in (("train", TRAIN_SEED, N_TRAIN), ("test", TEST_SEED, N_TEST)):
        x, y = arrays[f"{split}_x"], arrays[f"{split}_y"]
        if x.shape != (n, 64, 64, 3) or x.dtype != np.uint8 or y.shape != (n,):
            raise ValueError(f"its {split} set is {x.shape} {x.dtype}, expected ({n}, 64, 64, 3) uint8")
        labels[split] = _labels(n, seed)
        if not np.array_equal(y, labels[split]):
            wrong = int(np.flatnonzero(y != labels[split])[0])
            raise ValueError(f"label {wrong} of its {split} set differs from the generator's")
    for split, seed, i in _spot_checks():
        if not np.array_equal(arrays[f"{split}_x"][i], render_one(i, seed, labels[split][i])):
            raise ValueError(
                f"image {i} of its {split} set differs from the same image drawn again (the file was "
                "edited, or written by another version of NumPy, Pillow or this generator)"
            )


def _read_cache(path: Path) -> HandSigns:
    import h5py

    with h5py.File(path, "r") as f:
        arrays = {k: f[k][()] for k in ("train_x", "train_y", "test_x", "test_y")}
        stored = f.attrs["sha256"]
        stored = stored.decode() if isinstance(stored, bytes) else str(stored)
    if _digest(arrays) != stored:
        raise ValueError("its sha256 does not match the arrays")
    _compare_with_generator(arrays)
    return HandSigns(arrays["train_x"], arrays["train_y"], arrays["test_x"], arrays["test_y"], CLASSES)


def _write_cache(path: Path, data: HandSigns) -> None:
    """Write the split as gzip HDF5 with its content checksum, atomically (never half a file)."""
    import h5py

    arrays = {"train_x": data.train_x, "train_y": data.train_y, "test_x": data.test_x, "test_y": data.test_y}

    def write(tmp: Path) -> None:
        with h5py.File(tmp, "w") as f:
            for key, a in arrays.items():
                f.create_dataset(key, data=a, compression="gzip", compression_opts=4)
            f.create_dataset("classes", data=np.array([c.encode() for c in CLASSES]))
            f.attrs["sha256"] = _digest(arrays)
            f.attrs["generator_version"] = GENERATOR_VERSION
            f.attrs["seeds"] = np.array([TRAIN_SEED, TEST_SEED], np.int64)
            f.attrs["source"] = "generated by shared_utils.data.handsigns (drawn, not photographed)"

    atomic_write(path, write)


def _generate_split(progress: bool, note: str = "") -> HandSigns:
    """Draw the fixed split; with ``progress``, first print the expected time (plus ``note``)."""
    if progress:
        n = N_TRAIN + N_TEST
        seconds = DRAW_SECONDS_PER_1200 * n / 1200
        print(
            f"drawing the {n} hand-sign images (about {seconds:.0f} s on a 2-core CPU){note}", file=sys.stderr
        )
    train_x, train_y = generate(N_TRAIN, TRAIN_SEED, progress=progress)
    test_x, test_y = generate(N_TEST, TEST_SEED, progress=progress)
    return HandSigns(train_x, train_y, test_x, test_y, CLASSES)


def load_hand_signs(cache: bool = True, progress: bool = True) -> HandSigns:
    """The fixed 1080/120 split (seeds TRAIN_SEED, TEST_SEED), 64x64 RGB uint8, labels int64.

    With ``cache=True`` the split is read from (or written to) an HDF5 file under
    ``cache_dir()/generated``. Every read checks its sha256 attribute, every label, and a few
    images drawn again (:func:`_spot_checks`: an edit that also rewrote the checksum, or a file
    another NumPy or Pillow drew, fails there); a corrupt, unreadable or different file is drawn
    again and replaced atomically, with a warning that says why.  ``cache=False`` draws in
    memory (about ten seconds).  While it draws, ``progress`` prints the expected time and
    shows a progress bar (``tqdm.auto``: a widget in Jupyter, text on stderr elsewhere); a
    cached load is quiet.
    """
    if not cache:
        return _generate_split(progress)
    path = cache_path()
    if path.exists():
        try:
            return _read_cache(path)
        except Exception as e:  # unreadable or corrupt: draw it again
            warnings.warn(
                f"the hand-sign cache {path} is unusable ({type(e).__name__}: {e}); "
                "drawing the images again and replacing it (the file is replaced only when complete)",
                stacklevel=2,
            )
    data = _generate_split(progress, f"; later loads read them from {path}")
    try:
        _write_cache(path, data)
    except OSError as e:
        print(
            f"note: could not write the hand-sign cache {path} ({e}); using the images in memory",
            file=sys.stderr,
        )
    return data

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
of the classic set, which its small CNN needs; the rest varies freely.  ``framing="free"``
draws the same hands a little smaller and moved (``load_hand_signs(framing="free")``, its own
cache file): there a convolutional network keeps its accuracy and a dense one does not.

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

import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from shared_utils.data import generated
from shared_utils.data.generated import background as _background
from shared_utils.data.generated import blur as _blur
from shared_utils.data.generated import hsv as _hsv
from shared_utils.data.generated import rad as _rad
from shared_utils.data.generated import sincos as _sincos
from shared_utils.data.generated import skin as _skin

CLASSES: tuple[str, ...] = ("0", "1", "2", "3", "4", "5")
GENERATOR_VERSION = 1
TRAIN_SEED, TEST_SEED = 1080, 120
N_TRAIN, N_TEST = 1080, 120
SUPERSAMPLE = 4  # the hand is drawn at 4x the output size, then averaged down
DRAW_SECONDS_PER_1200 = 10  # drawing 1200 images on the shared 2-core CPU (7-11 s measured)


# exact helpers (no platform libm on anything that reaches a pixel), the skin tones and the
# room-like background are shared with the other generators: shared_utils.data.generated


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


def _hand(
    rng: np.random.Generator, label: int, size: int, ss: int, place: tuple[float, float, float] | None = None
) -> tuple[_Scene, float]:
    """Sample a hand showing ``label`` fingers and draw its height field at ``size * ss`` pixels;
    returns the scene and the palm width in render pixels.  ``place`` (scale, dx, dy), drawn
    by the ``framing="free"`` variant, scales the hand and shifts it by (dx, dy) image widths."""
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
    if place is not None:
        scale, dx, dy = place
        width, palm_h, hh, flen, rad = (scale * t for t in (width, palm_h, hh, flen, rad))
        tip_y = cy + top[1]  # where the classic framing puts the fingertip
        top = frame.at(0, hh + flen + rad)
        cx = cx + dx * res
        cy = tip_y + dy * res - top[1]
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


def _render(
    rng: np.random.Generator, label: int, size: int, place: tuple[float, float, float] | None = None
) -> np.ndarray:
    ss = SUPERSAMPLE
    res = size * ss
    U = rng.uniform
    f = np.float32
    sc, width = _hand(rng, label, size, ss, place)
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


FRAMINGS = ("classic", "free")


def _place(i: int, seed: int) -> tuple[float, float, float]:
    """The ``framing="free"`` placement of image ``i``: (scale, dx, dy), from its own stream, so
    the hand, light and room are those of the classic image ``i``, only smaller and moved."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i, 2**30)))
    scale = rng.uniform(0.9, 1.0)
    return scale, rng.uniform(-0.1, 0.1), rng.uniform(0.0, 0.12)


def render_one(i: int, seed: int, label: int, size: int = 64, framing: str = "classic") -> np.ndarray:
    """Image ``i`` of the seed's stream, drawn with ``label`` fingers: (size, size, 3) uint8.

    ``framing="classic"``: centred, fingertips near the top edge (the classic set's framing);
    ``"free"``: the same hand scaled by 0.9-1.0 and moved up to 0.1 of the width across and
    0.12 down, as a hand is in photos (course 4's notebook 02)."""
    if framing not in FRAMINGS:
        raise ValueError(f"framing must be one of {FRAMINGS}, got {framing!r}")
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
    place = _place(i, seed) if framing == "free" else None
    return _render(rng, int(label), size, place)


def generate(
    n: int, seed: int, size: int = 64, progress: bool = False, framing: str = "classic"
) -> tuple[np.ndarray, np.ndarray]:
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
        images[i] = render_one(i, seed, labels[i], size, framing)
    return images, labels


@dataclass(frozen=True)
class HandSigns:
    """The fixed split: train (1080, 64, 64, 3) uint8 / (1080,) int64, test (120, ...) / (120,)."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    classes: tuple[str, ...]


def cache_path(framing: str = "classic") -> Path:
    """The HDF5 file of the fixed split (its name carries the generator version, the seeds and,
    for the ``"free"`` framing, ``_free``)."""
    suffix = "" if framing == "classic" else f"_{framing}"
    name = f"handsigns_v{GENERATOR_VERSION}_train{TRAIN_SEED}x{N_TRAIN}_test{TEST_SEED}x{N_TEST}{suffix}.h5"
    return generated.generated_path(name)


def _digest(arrays: dict[str, np.ndarray]) -> str:
    """Content checksum of the split: SHA-256 over each array's name, dtype, shape and bytes."""
    return generated.digest(arrays, generated.SPLIT_KEYS)


def _spot_checks() -> list[tuple[str, int, int]]:
    """(split, seed, index) of the images a cached load draws again: the first, middle and last
    training images and the first and last test images."""
    train = sorted({0, N_TRAIN // 2, N_TRAIN - 1})
    test = sorted({0, N_TEST - 1})
    return [("train", TRAIN_SEED, i) for i in train] + [("test", TEST_SEED, i) for i in test]


def _read_cache(path: Path, framing: str = "classic") -> HandSigns:
    arrays = generated.read_arrays(path, generated.SPLIT_KEYS)
    generated.compare_with_generator(
        arrays,
        (("train", TRAIN_SEED, N_TRAIN), ("test", TEST_SEED, N_TEST)),
        _labels,
        _spot_checks(),
        lambda i, seed, label: render_one(i, seed, label, framing=framing),
    )
    return HandSigns(arrays["train_x"], arrays["train_y"], arrays["test_x"], arrays["test_y"], CLASSES)


def _write_cache(path: Path, data: HandSigns, framing: str = "classic") -> None:
    """Write the split as gzip HDF5 with its content checksum, atomically (never half a file)."""
    source = "generated by shared_utils.data.handsigns (drawn, not photographed)"
    generated.write_split(path, data, GENERATOR_VERSION, (TRAIN_SEED, TEST_SEED), source, framing=framing)


def _generate_split(progress: bool, note: str = "", framing: str = "classic") -> HandSigns:
    """Draw the fixed split; with ``progress``, first print the expected time (plus ``note``)."""
    if progress:
        n = N_TRAIN + N_TEST
        seconds = DRAW_SECONDS_PER_1200 * n / 1200
        print(
            f"drawing the {n} hand-sign images (about {seconds:.0f} s on a 2-core CPU){note}", file=sys.stderr
        )
    train_x, train_y = generate(N_TRAIN, TRAIN_SEED, progress=progress, framing=framing)
    test_x, test_y = generate(N_TEST, TEST_SEED, progress=progress, framing=framing)
    return HandSigns(train_x, train_y, test_x, test_y, CLASSES)


def load_hand_signs(cache: bool = True, progress: bool = True, framing: str = "classic") -> HandSigns:
    """The fixed 1080/120 split (seeds TRAIN_SEED, TEST_SEED), 64x64 RGB uint8, labels int64.

    With ``cache=True`` the split is read from (or written to) an HDF5 file under
    ``cache_dir()/generated``. Every read checks its sha256 attribute, every label, and a few
    images drawn again (:func:`_spot_checks`: an edit that also rewrote the checksum, or a file
    another NumPy or Pillow drew, fails there); a corrupt, unreadable or different file is drawn
    again and replaced atomically, with a warning that says why (``generated.load_cached``).
    ``cache=False`` draws in memory (about ten seconds).  While it draws, ``progress`` prints the
    expected time and shows a progress bar (``tqdm.auto``: a widget in Jupyter, text on stderr
    elsewhere); a cached load is quiet.  ``framing="free"`` (course 4's notebook 02) draws
    the same hands smaller and moved about (:func:`render_one`), cached in its own file.
    """
    if framing not in FRAMINGS:
        raise ValueError(f"framing must be one of {FRAMINGS}, got {framing!r}")
    if not cache:
        return _generate_split(progress, framing=framing)
    return generated.load_cached(
        cache_path(framing),
        "hand-sign",
        lambda path: _read_cache(path, framing),
        lambda note: _generate_split(progress, note, framing),
        lambda path, data: _write_cache(path, data, framing),
    )

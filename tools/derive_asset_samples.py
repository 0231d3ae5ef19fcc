#!/usr/bin/env python3
"""Derive the small committed sample files of shared_data/ (maintainers only).

    .venv/bin/python tools/derive_asset_samples.py [--opencv-doc DIR] [--frames 0,200,...]

Sources (nothing of them is installed into the workbook's environment):

* Debian's ``opencv-doc`` examples (``examples/data/``): street frames decoded from
  ``vtest.avi``, ``messi5.jpg``, ``starry_night.jpg``, and the 80 COCO class names
  (``dnn/object_detection_classes_yolov3.txt``). Found with ``dpkg -L opencv-doc`` when the
  package is installed, else unpacked from ``apt-get download opencv-doc`` into a temporary
  folder (``--opencv-doc`` names an unpacked ``examples/data`` folder instead).
* ``vtest.avi`` is DivX: decoded with OpenCV, imported from the ``opencv-python-headless``
  wheel unpacked into a temporary folder (pip download, never installed).
* scikit-image's bundled photos (``chelsea``, ``astronaut``, ``coffee``), read out of its
  wheel (pip download); scikit-learn's ``china.jpg``, from the installed scikit-learn.

Files are written into shared_data/ with ``manifest.json`` (origin, licence, size, SHA-256);
a Markdown table for docs/ASSETS.md is printed. Re-running gives the same bytes for copied
files; re-encoded JPEGs depend on Pillow's encoder version.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

from shared_utils.data.registry import file_sha256

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "shared_data"
OPENCV_WHEEL = "opencv-python-headless==5.0.0.93"
SKIMAGE_WHEEL = "scikit-image==0.26.0"
FRAMES = (0, 250, 500, 750)
JPEG_QUALITY = 88

OPENCV_LICENCE = "Apache-2.0 AND BSD-3-Clause (OpenCV samples, Debian opencv-doc 4.6.0)"


def pip_download(requirement: str, dest: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--disable-pip-version-check",
            "-q",
            "-d",
            str(dest),
            requirement,
        ],
        check=True,
    )
    (wheel,) = dest.glob("*.whl")
    return wheel


def opencv_data(tmp: Path, given: str | None) -> Path:
    if given:
        return Path(given)
    try:
        listing = subprocess.run(
            ["dpkg", "-L", "opencv-doc"], capture_output=True, text=True, check=True
        ).stdout
        for line in listing.splitlines():
            if line.rstrip("/").endswith("examples/data"):
                return Path(line)
    except (subprocess.CalledProcessError, FileNotFoundError):
        pass
    deb_dir = tmp / "deb"
    deb_dir.mkdir()
    subprocess.run(["apt-get", "download", "opencv-doc"], cwd=deb_dir, check=True)
    (deb,) = deb_dir.glob("opencv-doc_*.deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(deb_dir / "root")], check=True)
    (data,) = (deb_dir / "root").glob("usr/share/doc/opencv-doc/examples/data")
    return data


def import_cv2(tmp: Path):
    try:
        import cv2  # noqa: F401
    except ImportError:
        wheel = pip_download(OPENCV_WHEEL, tmp / "cvwheel")
        target = tmp / "cv2pkg"
        zipfile.ZipFile(wheel).extractall(target)
        sys.path.insert(0, str(target))
    import cv2

    return cv2


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--opencv-doc", help="an unpacked opencv-doc examples/data folder")
    ap.add_argument("--frames", default=",".join(map(str, FRAMES)), help="vtest.avi frame indices")
    args = ap.parse_args(argv)
    entries: list[dict] = []

    def add(rel: str, source: str, licence: str, note: str = "") -> None:
        p = OUT / rel
        entries.append(
            {
                "name": p.name,
                "path": rel,
                "source": source,
                "licence": licence,
                "size": p.stat().st_size,
                "sha256": file_sha256(p),
                "note": note,
            }
        )

    def save_jpeg(rgb: np.ndarray, rel: str) -> None:
        (OUT / rel).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rgb).save(OUT / rel, quality=JPEG_QUALITY, optimize=True)

    with tempfile.TemporaryDirectory(prefix="derive-samples-") as t:
        tmp = Path(t)
        data = opencv_data(tmp, args.opencv_doc)
        (OUT / "images").mkdir(parents=True, exist_ok=True)
        (OUT / "frames").mkdir(parents=True, exist_ok=True)

        # street frames
        cv2 = import_cv2(tmp)
        cap = cv2.VideoCapture(str(data / "vtest.avi"))
        want = sorted(int(i) for i in args.frames.split(","))
        k = 0
        while want:
            ok, bgr = cap.read()
            if not ok:
                raise SystemExit(f"vtest.avi ended at frame {k}; frames {want} not found")
            if k == want[0]:
                rel = f"frames/vtest_{k:04d}.jpg"
                save_jpeg(bgr[..., ::-1].copy(), rel)
                add(
                    rel,
                    f"opencv-doc examples/data/vtest.avi, frame {k} (768x576), JPEG q{JPEG_QUALITY}",
                    OPENCV_LICENCE,
                )
                want.pop(0)
            k += 1

        # photos and a painting, copied byte for byte
        for name, note in [
            ("messi5.jpg", "football match photo"),
            ("starry_night.jpg", "Van Gogh, The Starry Night (1889): the painting is public domain"),
        ]:
            shutil.copyfile(data / name, OUT / "images" / name)
            add(f"images/{name}", f"opencv-doc examples/data/{name}", OPENCV_LICENCE, note)

        # COCO class names, in YOLO's output order
        names = [
            l.strip()
            for l in (data / "dnn" / "object_detection_classes_yolov3.txt").read_text().splitlines()
            if l.strip()
        ]
        assert len(names) == 80, len(names)
        (OUT / "coco_classes.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
        add(
            "coco_classes.txt",
            "opencv-doc examples/data/dnn/object_detection_classes_yolov3.txt (80 names)",
            OPENCV_LICENCE,
        )

        # scikit-image photos, out of its wheel, re-encoded as JPEG
        wheel = zipfile.ZipFile(pip_download(SKIMAGE_WHEEL, tmp / "skwheel"))
        for name, licence in [
            ("chelsea", "CC0-1.0 (photo: Stefan van der Walt)"),
            ("astronaut", "public domain (NASA; Eileen Collins)"),
            ("coffee", "CC0-1.0 (photo: Rachel Michetti)"),
        ]:
            rgb = np.asarray(Image.open(io.BytesIO(wheel.read(f"skimage/data/{name}.png"))).convert("RGB"))
            save_jpeg(rgb, f"images/{name}.jpg")
            add(
                f"images/{name}.jpg",
                f"{SKIMAGE_WHEEL} wheel, skimage/data/{name}.png, JPEG q{JPEG_QUALITY}",
                licence,
            )

        # scikit-learn's china.jpg, copied
        import sklearn

        shutil.copyfile(
            Path(sklearn.__file__).parent / "datasets" / "images" / "china.jpg", OUT / "images" / "china.jpg"
        )
        add(
            "images/china.jpg",
            f"scikit-learn {sklearn.__version__}, sklearn/datasets/images/china.jpg",
            "CC-BY-2.0 (photo: danielbuechele on Flickr)",
        )

    (OUT / "manifest.json").write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    total = sum(e["size"] for e in entries)
    print("| file | source | licence | bytes | sha256 |\n|---|---|---|---|---|")
    for e in entries:
        print(f"| `{e['path']}` | {e['source']} | {e['licence']} | {e['size']:,} | `{e['sha256'][:16]}…` |")
    print(f"\n{len(entries)} files, {total / 1e6:.2f} MB in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Derive course 1's small image set: Fashion-MNIST coats versus shirts, as HDF5.

Source: Debian's `dataset-fashion-mnist` package (Fashion-MNIST, (c) 2017 Zalando SE, MIT
licence), which installs the original IDX files under /usr/share/datasets/fashion-mnist/.

    apt-get install dataset-fashion-mnist
    python tools/derive_fashion_pair.py

Writes course1_foundations/data/fashion_coat_vs_shirt.h5 (uint8 images, labels 1 = shirt)
and prints its sha256, which shared_utils/data/registry.py records.  Coats and shirts are one of
the pairs a linear model finds hardest (similar outlines, long sleeves).  The training set is
a seeded draw of 1000 images, few enough that the networks visibly overfit; the test set is
every coat and shirt of Fashion-MNIST's test split (2000 images), large enough that the
deep network's gain over logistic regression (about 2 points) stands above the noise of
the estimate (a 400-image test set could not tell them apart).
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

import h5py
import numpy as np

from shared_utils.data.registry import file_sha256

SOURCE = Path("/usr/share/datasets/fashion-mnist")
OUT = Path(__file__).resolve().parent.parent / "course1_foundations" / "data" / "fashion_coat_vs_shirt.h5"
NEGATIVE, POSITIVE = 4, 6  # Fashion-MNIST labels: 4 = coat, 6 = shirt
N_TRAIN, SEED = 1000, 2017  # the test set takes every coat and shirt of the test split


def read_idx(kind: str) -> tuple[np.ndarray, np.ndarray]:
    with gzip.open(SOURCE / f"{kind}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(SOURCE / f"{kind}-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images, labels


def subset(images, labels, n, rng):
    """The images of the two classes, labels 1 for POSITIVE; a seeded draw of n (all if None)."""
    idx = np.flatnonzero((labels == NEGATIVE) | (labels == POSITIVE))
    if n is not None:
        idx = np.sort(rng.choice(idx, n, replace=False))
    return images[idx], (labels[idx] == POSITIVE).astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not SOURCE.exists():
        raise SystemExit(f"{SOURCE} not found: install Debian's dataset-fashion-mnist package first.")
    rng = np.random.default_rng(SEED)
    train_x, train_y = subset(*read_idx("train"), N_TRAIN, rng)
    test_x, test_y = subset(*read_idx("t10k"), None, rng)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".h5.tmp")
    with h5py.File(tmp, "w") as f:
        for name, data in [
            ("train_x", train_x),
            ("train_y", train_y),
            ("test_x", test_x),
            ("test_y", test_y),
        ]:
            f.create_dataset(
                name, data=data, compression="gzip", compression_opts=9, shuffle=True, track_times=False
            )
        f.create_dataset("classes", data=np.array([b"coat", b"shirt"]), track_times=False)
        f.attrs["source"] = "Fashion-MNIST (Zalando Research), via Debian package dataset-fashion-mnist"
        f.attrs["licence"] = "MIT (Expat), (c) 2017 Zalando SE"
        f.attrs["derived_by"] = "tools/derive_fashion_pair.py"
        f.attrs["seed"] = SEED
    tmp.replace(args.out)
    digest = file_sha256(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB): train {train_x.shape} "
        f"({train_y.mean():.0%} shirts), test {test_x.shape} ({test_y.mean():.0%} shirts)"
    )
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()

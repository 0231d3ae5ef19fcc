"""The emojify sentences (course 5, notebook 6): short English sentences, each labelled with one
of five emoji, written for this workbook; the committed CSV files are checked before they are read.

Each file has the columns ``sentence`` (lower case, words separated by spaces), ``label``
(0 heart, 1 baseball, 2 smile, 3 disappointed, 4 fork and knife) and ``word_order`` (1 for a
sentence whose meaning turns on the order of its words, such as a negation, "not happy";
0 otherwise).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

import numpy as np

from shared_utils.data.registry import EMOJIFY_TEST, EMOJIFY_TRAIN, DataError, DataFile, verified_path

SPLITS = {"train": EMOJIFY_TRAIN, "test": EMOJIFY_TEST}


class Sentences(NamedTuple):
    """One split: ``sentences`` (m,) str, ``labels`` (m,) int64, ``word_order`` (m,) bool."""

    sentences: np.ndarray
    labels: np.ndarray
    word_order: np.ndarray


def load_emojify(split: str, path: str | Path | None = None) -> Sentences:
    """The ``"train"`` (590 sentences) or ``"test"`` (172) split, in file order.

    A missing or changed file raises :class:`~shared_utils.data.registry.DataError` naming it
    and the command that restores it; an unknown split raises ``ValueError``.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use 'train' or 'test'")
    entry: DataFile = SPLITS[split]
    p = verified_path(entry, path)
    with open(p, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    try:
        sentences = np.array([r["sentence"] for r in rows], dtype=str)
        labels = np.array([int(r["label"]) for r in rows], dtype=np.int64)
        order = np.array([r["word_order"] == "1" for r in rows], dtype=bool)
    except (KeyError, ValueError) as exc:  # only reachable with a checksum recorded wrongly
        raise DataError(f"{p}: unreadable row ({exc}). {entry.restore_hint()}") from None
    return Sentences(sentences, labels, order)

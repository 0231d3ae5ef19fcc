"""Check the hand-written emojify sentences of course 5, notebook 6, and print their SHA-256.

The sentences in ``course5_sequence/data/emojify_{train,test}.csv`` were written for this
workbook, not derived from another source: this script is what a maintainer runs after
editing them. It refuses files whose rows are malformed (columns ``sentence,label,word_order``,
labels 0-4, ``word_order`` 0 or 1), whose sentences are not lower case, hold a word that GloVe
6B does not know (it would be left out silently), repeat, or appear in both splits, and a split
that lacks a label; then it prints the counts and the SHA-256 to record in
``shared_utils/data/registry.py`` (``EMOJIFY_TRAIN``, ``EMOJIFY_TEST``) and in
``course5_sequence/data/README.md``.

    python tools/check_emojify_sentences.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared_utils.course5.emojify import N_CLASSES, tokenize  # noqa: E402
from shared_utils.data.glove import load_glove  # noqa: E402
from shared_utils.data.registry import file_sha256  # noqa: E402

FILES = {split: ROOT / f"course5_sequence/data/emojify_{split}.csv" for split in ("train", "test")}


def problems(path: Path, glove) -> tuple[list[str], list[str]]:
    """(the sentences of the file, what is wrong with it)."""
    wrong, sentences = [], []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        if next(reader, None) != ["sentence", "label", "word_order"]:
            wrong.append("the header should be sentence,label,word_order")
        labels = set()
        for n, row in enumerate(reader, start=2):
            if len(row) != 3 or row[1] not in {str(k) for k in range(N_CLASSES)} or row[2] not in ("0", "1"):
                wrong.append(f"line {n}: {row} is not sentence,label 0-{N_CLASSES - 1},word_order 0/1")
                continue
            sentence = row[0]
            labels.add(int(row[1]))
            unknown = [w for w in tokenize(sentence) if w not in glove]
            if sentence != sentence.lower() or not tokenize(sentence) or unknown:
                wrong.append(
                    f"line {n}: {sentence!r} is not lower case, is empty or has unknown words {unknown}"
                )
            sentences.append(sentence)
    if len(set(sentences)) != len(sentences):
        wrong.append("some sentences repeat")
    if labels != set(range(N_CLASSES)):
        wrong.append(f"labels missing: {sorted(set(range(N_CLASSES)) - labels)}")
    return sentences, wrong


def main() -> int:
    glove = load_glove()
    seen: dict[str, list[str]] = {}
    failed = False
    for split, path in FILES.items():
        seen[split], wrong = problems(path, glove)
        for line in wrong:
            print(f"{path.name}: {line}")
        failed |= bool(wrong)
        print(f"{path.relative_to(ROOT)}: {len(seen[split])} sentences, sha256 {file_sha256(path)}")
    both = set(seen["train"]) & set(seen["test"])
    if both:
        print(f"in both splits: {sorted(both)}")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Real dinosaur names (course 5, notebook 2): the committed list, checked before it is read."""

from __future__ import annotations

import re
from pathlib import Path

from shared_utils.data.registry import DINOSAUR_NAMES, DataError, verified_path


def load_dinosaur_names(path: str | Path | None = None) -> list[str]:
    """The dinosaur names of ``course5_sequence/data/dinosaur_names.txt``, in file order.

    One lower-case name (letters a-z only) per line, sorted, derived from npm's ``dinosaurs`` list,
    WordNet and SCOWL by ``tools/derive_dinosaur_names.py`` (sources, rule and licences in
    ``dinosaur_names.LICENSE.txt`` beside it).  A missing or changed file raises
    :class:`~shared_utils.data.registry.DataError` naming it and the command that restores it.
    """
    p = verified_path(DINOSAUR_NAMES, path)
    names = p.read_text(encoding="utf-8").splitlines()
    bad = [n for n in names if not re.fullmatch(r"[a-z]+", n)]
    if bad:  # only reachable with a file whose checksum was recorded wrongly
        raise DataError(
            f"{p}: lines that are not lower-case names: {bad[:3]}. {DINOSAUR_NAMES.restore_hint()}"
        )
    return names

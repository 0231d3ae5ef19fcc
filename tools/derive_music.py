"""Derive course 5's folk tunes (notebook 3) from music21's bundled corpus.

    python tools/derive_music.py

Parses the first fifty tunes of O'Neill's Music of Ireland (1850), bundled with music21
(``oneills1850/0001-0050.abc``, BSD-3), into musical values with
:func:`shared_utils.course5.music.parse_corpus` (about 5 s), writes
``course5_sequence/data/music_oneills_tunes.json`` atomically and prints its SHA-256, the value
to record in ``shared_utils/data/registry.py`` (``MUSIC_ONEILLS``). Nothing is downloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared_utils.common.files import atomic_write  # noqa: E402
from shared_utils.course5 import music  # noqa: E402
from shared_utils.data import registry  # noqa: E402

TARGET = "course5_sequence/data/music_oneills_tunes.json"


def main() -> None:
    tunes = music.parse_corpus()
    path = atomic_write(registry.REPO_ROOT / TARGET, music.tunes_document(tunes))
    count = sum(len(t["values"]) for t in tunes)
    print(f"{path}: {len(tunes)} tunes, {count} values, {len(music.build_vocabulary(tunes))} distinct")
    print(f"sha256 {registry.file_sha256(path)}")


if __name__ == "__main__":
    main()

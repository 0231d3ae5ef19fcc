"""The checksum registry: the one SHA-256 helper, and every committed data file with its checksum.

* :func:`sha256` - hex SHA-256 of bytes or of a stream of byte chunks; :func:`file_sha256`
  of a file (the one place files are hashed, memoised per process while the file is unchanged).
  The asset store, the hand-sign cache and the tools use these too.
* :class:`DataFile` - a committed file: its path, sha256, licence, and the command that
  derives it again.  The course data is declared here (:data:`FASHION_COAT_VS_SHIRT`,
  :data:`FASHION_SHIRT_VS_TOPS`); the
  samples of ``shared_data/`` are read from ``shared_data/manifest.json`` (:func:`samples`).
* :func:`check_file` - the one comparison of a file with its recorded size and SHA-256, for
  committed files, samples, fetched assets and the archives they come from: ``("ok", "")`` or
  the state (``"missing"``, ``"unreadable"``, ``"corrupt"``) and why.
* :func:`verified_path` - the check of a committed file: a missing, unreadable or changed file
  raises :class:`DataError` naming the file, saying it differs from the committed one, and
  giving ``git checkout -- PATH`` and the command that derives it. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shared_utils import REPO_ROOT

CHUNK = 1 << 20  # bytes read at a time when hashing a file


class DataError(RuntimeError):
    """A committed data file is missing or does not match its recorded checksum."""


# ---------------------------------------------------------------------------------------------
# hashing
# ---------------------------------------------------------------------------------------------


def sha256(data: bytes | bytearray | memoryview | Iterable[bytes]) -> str:
    """Hex SHA-256 (64 characters) of a bytes-like object, or of an iterable of bytes-like
    chunks hashed in order (a file streamed, a list of arrays' bytes)."""
    h = hashlib.sha256()
    if isinstance(data, bytes | bytearray | memoryview):
        h.update(data)
    else:
        for chunk in data:
            h.update(chunk)
    return h.hexdigest()


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


# str(path) -> (size, mtime_ns, inode, sha256) of a file already hashed in this process
_hashed: dict[str, tuple[int, int, int, str]] = {}


def file_sha256(path: str | Path) -> str | None:
    """Hex SHA-256 of the file's bytes; None when it does not exist.

    Computed once per process (about 2 ms per MB) and remembered while the file's size,
    modification time and inode stay the same, so a rewritten file is hashed again.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        return None
    key = str(p.resolve())
    memo = _hashed.get(key)
    if memo and memo[:3] == (st.st_size, st.st_mtime_ns, st.st_ino):
        return memo[3]
    digest = sha256(_chunks(p))
    _hashed[key] = (st.st_size, st.st_mtime_ns, st.st_ino, digest)
    return digest


def check_file(path: str | Path, expected: str, size: int | None = None) -> tuple[str, str]:
    """Compare the file at ``path`` with its recorded hex SHA-256 ``expected`` (and ``size`` in
    bytes, if given).

    Returns ``("ok", "")``, or a state and a short reason for messages: ``"missing"`` (absent,
    or not a regular file), ``"unreadable"`` (the operating system refuses to read it, e.g.
    another user's file without read permission), ``"corrupt"`` (size or SHA-256 differ).
    Never raises for a file that cannot be read.
    """
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "missing", "absent"
    except OSError as e:
        return "unreadable", e.strerror or type(e).__name__
    if not stat.S_ISREG(st.st_mode):
        return "missing", "not a regular file"
    if size is not None and st.st_size != size:
        return "corrupt", f"size {st.st_size:,} bytes, expected {size:,}"
    try:
        digest = file_sha256(path)
    except OSError as e:
        return "unreadable", e.strerror or type(e).__name__
    if digest is None:  # removed meanwhile
        return "missing", "absent"
    if digest != expected:
        return "corrupt", f"sha256 {digest[:12]}..., expected {expected[:12]}..."
    return "ok", ""


# ---------------------------------------------------------------------------------------------
# committed files
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataFile:
    """A file committed to the repository.

    ``path`` is relative to the repository root (forward slashes), ``sha256`` the hex digest of
    its bytes, ``tool`` the command that derives it again, ``licence`` its licence and
    ``source`` (optional) where its content comes from.
    """

    path: str
    sha256: str
    tool: str
    licence: str
    source: str = ""

    def restore_hint(self) -> str:
        """The sentence of an error message that says how to get the file back."""
        return _restore_hint(self.path, self.tool)


def _restore_hint(path: str, tool: str) -> str:
    return (
        f"Restore it with `git checkout -- {path}` (from the repository root), "
        f"or derive it again with `{tool}`."
    )


FASHION_COAT_VS_SHIRT = DataFile(
    path="course1_foundations/data/fashion_coat_vs_shirt.h5",
    sha256="bc4058769f17e07b4df1cb2fae0f6ea4d287d5c34874437ba4a33ce41c91468f",
    tool="apt-get install dataset-fashion-mnist && python tools/derive_fashion_pair.py",
    licence="MIT, (c) 2017 Zalando SE (Fashion-MNIST)",
    source="Fashion-MNIST (Zalando Research), via Debian's dataset-fashion-mnist",
)

FASHION_SHIRT_VS_TOPS = DataFile(
    path="course1_foundations/data/fashion_shirt_vs_tops.h5",
    sha256="06dfc15e7237f090606fe2559d92b0516b706cf516401a45b0f90445cd9c8422",
    tool="apt-get install dataset-fashion-mnist && python tools/derive_fashion_pair.py --set shirt_vs_tops",
    licence="MIT, (c) 2017 Zalando SE (Fashion-MNIST)",
    source="Fashion-MNIST (Zalando Research), via Debian's dataset-fashion-mnist",
)

DINOSAUR_NAMES = DataFile(
    path="course5_sequence/data/dinosaur_names.txt",
    sha256="1e0eb863a53fee2fef59d47f376b6b9fc97a768ead33d7c443b3131a90995e72",
    tool="apt-get install wordnet-base wamerican-insane nodejs npm && python tools/derive_dinosaur_names.py",
    licence="WTFPL (npm dinosaurs), WordNet 3.0 licence (Princeton University) and SCOWL's permission "
    "notice (Kevin Atkinson); all in course5_sequence/data/dinosaur_names.LICENSE.txt",
    source="dinosaur names from npm's dinosaurs 1.2.1, WordNet 3.0 (Debian wordnet-base) and SCOWL "
    "(Debian wamerican-insane)",
)

MUSIC_ONEILLS = DataFile(
    path="course5_sequence/data/music_oneills_tunes.json",
    sha256="e2c2232ab790f3566890c4f4d28c665f2e5860709ed45f4604bcb2a62145ae50",
    tool="python tools/derive_music.py",
    licence="BSD-3-Clause (music21's bundled corpus)",
    source="O'Neill's Music of Ireland (1850), tunes 1-50, from music21's corpus (oneills1850/0001-0050.abc)",
)

EMOJIFY_TRAIN = DataFile(
    path="course5_sequence/data/emojify_train.csv",
    sha256="bac8b4fa04a3d2f039b2db7f5fc63d387464e1eb4a0eef6462e3e2ccde38945f",
    tool="python tools/check_emojify_sentences.py",
    licence="CC0-1.0 (sentences written for this workbook)",
    source="590 short English sentences labelled with one of five emoji, written by hand",
)

EMOJIFY_TEST = DataFile(
    path="course5_sequence/data/emojify_test.csv",
    sha256="006f4698c19571285cc6c7e232ed746bd93d16c319e923aa4cb2b9ff48fd6644",
    tool="python tools/check_emojify_sentences.py",
    licence="CC0-1.0 (sentences written for this workbook)",
    source="172 short English sentences labelled with one of five emoji, written by hand",
)

STREET_PEOPLE = DataFile(
    path="course4_cnn/data/street_people.h5",
    sha256="cf6c56538731fe9cf57670c77c8cfa30df49f936e96f9731d6ecbc42e3402110",
    tool="apt-get install opencv-doc && python tools/derive_street_crops.py",
    licence="Apache-2.0 AND BSD-3-Clause (OpenCV samples; Intel, Willow Garage, OpenCV Foundation)",
    source="96x96 crops of vtest.avi from Debian's opencv-doc 4.6.0, labelled person / no person",
)

FACES = DataFile(
    path="course4_cnn/data/faces.h5",
    sha256="0b8fb98e49fefb5ad9c85085b1e8f39cdc94a6d5d6c3fe1e645134c6f3940b1e",
    tool="pip install dlib-bin==20.0.1 && apt-get install opencv-doc && python tools/align_faces.py",
    licence="per crop (stored in the file): public domain (NASA, US government), OpenCV sample data, "
    "face_recognition 1.3.0 test photos (MIT package)",
    source="10 dlib-aligned 150x150 face crops of 5 people "
    "(face_recognition sdist, scikit-image, opencv-doc)",
)

STREET_CLIP = DataFile(
    path="course4_cnn/data/street_clip.h5",
    sha256="c0f3650d92681b9087b3ea9015b887140a9afc8c3a2934e1aacbe4c04f15f50a",
    tool="apt-get install opencv-doc && python tools/derive_street_clip.py",
    licence="Apache-2.0 AND BSD-3-Clause (OpenCV samples; Intel, Willow Garage, OpenCV Foundation)",
    source="80 frames (every 2nd from 300) of vtest.avi from Debian's opencv-doc 4.6.0, 480x360 JPEG",
)

TRIGGER_CLIPS = DataFile(
    path="course5_sequence/data/trigger/clips.json",
    sha256="09e7dfcf263dd49d7b3a465dab21daa6aef384936de9fdb41a22152fabfd7ec6",
    tool="apt-get install espeak-ng && python tools/synthesize_trigger_audio.py",
    licence="CC0-1.0 (synthesized by the project with espeak-ng, whose output is not covered by its GPL)",
    source='the card of course 5 notebook 8\'s clips: "activate", other words and backgrounds spoken or '
    "made by tools/synthesize_trigger_audio.py; each WAV's SHA-256 is on the card",
)

SAMPLES_LIST = "shared_data/manifest.json"  # name, path, source, licence, size, sha256 of each sample
SAMPLES_TOOL = "python tools/derive_asset_samples.py"


@lru_cache(maxsize=1)
def samples() -> dict[str, DataFile]:
    """The committed samples of ``shared_data/``, ``{bare file name: DataFile}``, in the order of
    ``shared_data/manifest.json`` (written by ``tools/derive_asset_samples.py``)."""
    listing = REPO_ROOT / SAMPLES_LIST
    try:
        entries = json.loads(listing.read_text(encoding="utf-8"))
    except FileNotFoundError:
        hint = _restore_hint(SAMPLES_LIST, SAMPLES_TOOL)
        raise DataError(f"the list of samples {listing} is missing. {hint}") from None
    return {
        e["name"]: DataFile(
            path=f"shared_data/{e['path']}",
            sha256=e["sha256"],
            tool=SAMPLES_TOOL,
            licence=e["licence"],
            source=e["source"],
        )
        for e in entries
    }


WEIGHTS_DIR = "shared_data/weights"  # weights the project trains itself, each with its card


@lru_cache(maxsize=1)
def trained_weights() -> dict[str, DataFile]:
    """The weights the project trained (:mod:`shared_utils.models.trained`), ``{name: DataFile}``,
    read from the cards ``shared_data/weights/<name>.card.json`` (each names its weights file,
    that file's SHA-256 and the command that trains it again)."""
    found = {}
    for card in sorted((REPO_ROOT / WEIGHTS_DIR).glob("*.card.json")):
        entry = json.loads(card.read_text(encoding="utf-8"))
        found[entry["name"]] = DataFile(
            path=entry["file"],
            sha256=entry["sha256"],
            tool=entry["tool"],
            licence=entry["licence"],
            source=entry["data"],
        )
    return found


def committed() -> list[DataFile]:
    """Every committed data file the registry knows: the course data, the samples, the trained weights."""
    return [
        FASHION_COAT_VS_SHIRT,
        FASHION_SHIRT_VS_TOPS,
        DINOSAUR_NAMES,
        MUSIC_ONEILLS,
        EMOJIFY_TRAIN,
        EMOJIFY_TEST,
        STREET_PEOPLE,
        STREET_CLIP,
        FACES,
        TRIGGER_CLIPS,
        *samples().values(),
        *trained_weights().values(),
    ]


def verified_path(entry: DataFile, path: str | Path | None = None) -> Path:
    """The file's path (``path`` if given, else ``entry.path`` under the repository root) after
    checking that it exists and that its bytes match ``entry.sha256``.

    Raises :class:`DataError` naming the file and the commands that restore it.
    """
    p = Path(path) if path is not None else REPO_ROOT / entry.path
    state, why = check_file(p, entry.sha256)
    if state == "missing":
        raise DataError(f"data file {p} is missing. {entry.restore_hint()}")
    if state == "unreadable":
        raise DataError(f"data file {p} cannot be read ({why}). {entry.restore_hint()}")
    if state == "corrupt":
        raise DataError(
            f"data file {p} differs from the committed one: it was edited, truncated or is corrupt "
            f"({why}). {entry.restore_hint()}"
        )
    return p

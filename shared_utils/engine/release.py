"""A teacher's release: the workbook for a class, without the sources that hold the solutions.

    python -m shared_utils release OUT_DIR     # the learner distribution, for the class
    python -m shared_utils nbgrader OUT_DIR    # an nbgrader course folder, for the teacher

:func:`release` writes the learner notebooks (``course*/*.ipynb`` and their ``data/``),
``shared_data/``, ``shared_utils/``, ``docs/``, ``pyproject.toml``, ``requirements*.txt``,
``bootstrap.py`` and the README, and leaves out ``sources/``, ``tests/``, ``tools/``,
``build/`` and every hidden file (``.git``, ``.venv``, ``.ci``).  The generated modules
(``shared_utils/course1/dnn.py``, ...) are kept, because later notebooks import them, and
they hold the answers of the notebooks that feed them: the release's README names those
notebooks and functions (:func:`carried_answers`).  Before anything is published, every
released text file is searched for the code of every solution region (:func:`leaks`); a hit
outside the generated modules stops the release.

:func:`nbgrader_course` writes the solution notebooks, with nbgrader's cell metadata
(:func:`shared_utils.engine.build.nbgrader_cells`), as an nbgrader course folder: one
assignment per notebook, named like its check module (``source/c1_01_python_numpy/
01_python_numpy.ipynb``), and an ``nbgrader_config.py``.  It is a separate command so that a
class folder never holds a solution by mistake.

Both write into a temporary folder beside ``OUT_DIR`` and rename it into place at the end, so
a failed or interrupted run leaves nothing half written.  An existing ``OUT_DIR`` must be empty,
or, with ``force``, hold an earlier output of the same command (its ``RELEASE.json``); nothing
outside ``OUT_DIR`` is ever deleted, and neither command writes inside the repository except
under ``build/``.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import nbformat

from shared_utils import REPO_ROOT
from shared_utils.engine import build as notebooks

MANIFEST = "RELEASE.json"
LEARNER = "learner release"
NBGRADER = "nbgrader course"

TOP_FILES = ("README.md", "pyproject.toml", "bootstrap.py")  # and requirements*.txt
TOP_DIRS = ("shared_utils", "shared_data", "docs")
_SKIPPED = ("__pycache__", "*.pyc", ".*")  # caches, .ipynb_checkpoints, half-written .partial files


class ReleaseError(RuntimeError):
    """The release cannot be written (unsafe folder, stale notebooks, a solution that would leak)."""


# ----- what the release holds -------------------------------------------------------------------


def released_paths(root: Path = REPO_ROOT) -> list[Path]:
    """The files and folders of ``root`` a learner release copies, relative to ``root``."""
    paths = [Path(name) for name in TOP_FILES if (root / name).is_file()]
    paths += sorted(p.relative_to(root) for p in root.glob("requirements*.txt"))
    paths += [Path(name) for name in TOP_DIRS if (root / name).is_dir()]
    for course in notebooks.COURSES:
        folder = root / course
        paths += sorted(p.relative_to(root) for p in folder.glob("*.ipynb"))
        if (folder / "data").is_dir():
            paths.append(Path(course) / "data")
    return paths


def carried_answers(sources: dict[notebooks.Notebook, list] | None = None) -> dict[str, dict[str, list[str]]]:
    """Generated module -> {notebook key: the functions and classes whose solution it holds}.

    A ``#@save`` cell with a solution region puts that solution into the module it feeds.
    ``sources`` maps notebooks to their cells, as :func:`read_sources` returns (all by default)."""
    out: dict[str, dict[str, list[str]]] = {}
    for n, cells in (sources or read_sources()).items():
        for cell in cells:
            lines = [line.strip() for line in cell.source.splitlines()]
            if cell.cell_type != "code" or notebooks.SAVE not in lines or notebooks.BEGIN not in cell.source:
                continue
            tree = ast.parse(cell.source)  # a #@save cell is plain Python (the build refuses others)
            names = [d.name for d in tree.body if isinstance(d, ast.FunctionDef | ast.ClassDef)]
            out.setdefault(n.meta["save"], {}).setdefault(n.key, []).extend(names)
    return out


def read_sources(every: list[notebooks.Notebook] | None = None) -> dict[notebooks.Notebook, list]:
    """Each notebook's source cells, read once."""
    return {n: n.read().cells for n in every or notebooks.discover()}


# ----- solution text: where it must not be -------------------------------------------------------


def _normal(text: str) -> list[str]:
    """The lines that carry code: stripped, without blank and comment-only lines."""
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


def solution_regions(
    sources: dict[notebooks.Notebook, list] | None = None,
) -> list[tuple[str, tuple[str, ...]]]:
    """(notebook key, the region's code lines, normalised) for every solution region of every source."""
    regions = []
    for n, cells in (sources or read_sources()).items():
        for cell in cells:
            inside: list[str] | None = None
            for line in cell.source.splitlines():
                s = line.strip()
                if s.startswith(notebooks.BEGIN):
                    inside = []
                elif s.startswith(notebooks.END) and inside is not None:
                    if _normal("\n".join(inside)):
                        regions.append((n.key, tuple(_normal("\n".join(inside)))))
                    inside = None
                elif inside is not None:
                    inside.append(line)
    return regions


def _text_of(path: Path) -> str | None:
    """A file's text (a notebook's cell sources), or None for a binary file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    if path.suffix == ".ipynb":
        try:
            return "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        except Exception:  # not a notebook after all: search its raw text
            return text
    return text


def leaks(root: Path, regions: list[tuple[str, tuple[str, ...]]], allowed: set[Path]) -> list[str]:
    """``file: notebook`` for each file under ``root`` (but ``allowed``) that holds a region's code."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.relative_to(root) in allowed or (text := _text_of(path)) is None:
            continue
        lines = _normal(text)
        starts: dict[str, list[int]] = {}
        for i, line in enumerate(lines):
            starts.setdefault(line, []).append(i)
        for key, region in regions:
            if any(tuple(lines[i : i + len(region)]) == region for i in starts.get(region[0], [])):
                found.append(f"{path.relative_to(root)}: the solution of {key} ({region[0]!r} ...)")
    return found


# ----- writing a folder atomically ----------------------------------------------------------------


def _check_target(out: Path, kind: str, force: bool) -> None:
    repo = REPO_ROOT.resolve()
    if out == repo or out in repo.parents:
        raise ReleaseError(f"{out} holds the repository itself: choose a folder outside it")
    if repo in out.parents and (repo / "build") not in (out, *out.parents):
        raise ReleaseError(f"{out} is inside the repository: write outside it, or under {repo / 'build'}")
    if out.exists() and not out.is_dir():
        raise ReleaseError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        marker = out / MANIFEST
        earlier = None
        if marker.is_file():
            try:
                earlier = json.loads(marker.read_text(encoding="utf-8")).get("kind")
            except (ValueError, AttributeError):
                earlier = None
        if not force:
            raise ReleaseError(f"{out} is not empty: choose a new or empty folder, or pass --force")
        if earlier != kind:
            raise ReleaseError(
                f"{out} is not empty and holds no earlier {kind} ({MANIFEST}): --force replaces only "
                "an earlier output of this command, so nothing else is deleted; choose a new folder"
            )


def _publish(out: Path, kind: str, force: bool, fill: Callable[[Path], dict]) -> Path:
    """Run ``fill(tmp)`` on a fresh folder beside ``out``, write its manifest, then rename it to ``out``."""
    out = Path(os.path.abspath(out))
    _check_target(out.resolve(), kind, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    old = None
    try:
        manifest = {"kind": kind, **fill(tmp)}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it 0700; a class folder is readable
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.rename(out, old)
        try:
            os.rename(tmp, out)
        except OSError:
            if old is not None:
                os.rename(old, out)
                old = None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old)  # the earlier output that ``out`` held
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ----- the learner release --------------------------------------------------------------------


def release(out: Path, force: bool = False) -> Path:
    """Write the learner distribution into ``out``; returns ``out``. Raises ReleaseError."""
    _check_target(Path(os.path.abspath(out)).resolve(), LEARNER, force)
    every = notebooks.discover()
    if not every:
        raise ReleaseError(f"no notebook sources under {notebooks.SOURCES}: release from a clone")
    stale = notebooks.stale(every)
    if stale:
        names = ", ".join(str(p.relative_to(REPO_ROOT)) for p in stale)
        raise ReleaseError(f"out of date: {names}; run `python -m shared_utils build` first")
    sources = read_sources(every)
    answers = carried_answers(sources)
    generated = {n.meta["save"] for n in every if "save" in n.meta}
    allowed = {notebooks.library_path(m).relative_to(REPO_ROOT) for m in generated}

    def fill(tmp: Path) -> dict:
        for rel in released_paths():
            src, dst = REPO_ROOT / rel, tmp / rel
            if src.is_dir():
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*_SKIPPED))
            else:
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
        title, _, rest = (REPO_ROOT / "README.md").read_text(encoding="utf-8").partition("\n")
        (tmp / "README.md").write_text(f"{title}\n\n{release_note(answers)}{rest}", encoding="utf-8")
        found = leaks(tmp, solution_regions(sources), allowed)
        if found:
            raise ReleaseError("solution code would be released:\n  " + "\n  ".join(found))
        return {
            "notebooks": [
                {"course": n.course, "name": n.name, "title": n.title, "checks": n.checks_module}
                for n in every
            ],
            "answers_in_generated_modules": answers,
        }

    return _publish(out, LEARNER, force, fill)


def release_note(answers: dict[str, dict[str, list[str]]]) -> str:
    """The section the release's README starts with: what it is, what it lacks, what it gives away."""
    lines = [
        "> **A release of the workbook for a class**, written by `python -m shared_utils release`.",
        "> It holds the learner notebooks, `shared_utils/`, the data and the docs; not the notebook",
        "> sources (`sources/`, which hold the solutions), the tests or the maintainers' tools. So",
        "> `bootstrap.py run` and `test`, `python -m shared_utils build` and `run` need the full",
        "> repository; `bootstrap.py lab`, `python -m shared_utils list` and `check` work here.",
        ">",
        "> The modules generated from learners' solutions (`#@save`) are included, because later",
        "> notebooks import them, so they carry the answers of the notebooks that define them:",
    ]
    for module, by_notebook in answers.items():
        path = notebooks.library_path(module).relative_to(REPO_ROOT).as_posix()
        for key, names in by_notebook.items():
            lines.append(f"> `{path}`: {key} (" + ", ".join(f"`{n}`" for n in names) + ")")
    if not answers:
        lines.append("> none do in this release.")
    return "\n".join(lines) + "\n"


def release_listing(root: Path = REPO_ROOT) -> list[dict]:
    """The notebooks a release holds, from its ``RELEASE.json`` (a release has no sources/)."""
    marker = root / MANIFEST
    if not marker.is_file():
        raise ReleaseError(
            f"{root} has neither notebook sources (sources/) nor a release's {MANIFEST}: "
            "run this command in a clone of the workbook or in a release of it"
        )
    return json.loads(marker.read_text(encoding="utf-8"))["notebooks"]


# ----- the nbgrader course folder ----------------------------------------------------------------

NBGRADER_CONFIG = """\
# nbgrader's configuration for the workbook's notebooks (written by `python -m shared_utils nbgrader`).
# Run nbgrader in this folder, in an environment where the workbook is installed (shared_utils,
# its data and the pinned requirements), for example:
#   nbgrader generate_assignment c1_01_python_numpy
#   nbgrader autograde c1_01_python_numpy
c = get_config()  # noqa: F821 (nbgrader defines it)
# seconds per cell: the longest notebook runs about 3 minutes on a 2-core CPU (nbgrader's default: 30)
c.Execute.timeout = 300
"""


def assignment_name(notebook: notebooks.Notebook) -> str:
    """``course1_foundations/01_python_numpy`` -> ``c1_01_python_numpy``, as its check module."""
    return notebook.checks_module


def nbgrader_course(out: Path, selected: list[notebooks.Notebook] | None = None, force: bool = False) -> Path:
    """Write an nbgrader course folder of the solution notebooks into ``out``; returns ``out``."""
    _check_target(Path(os.path.abspath(out)).resolve(), NBGRADER, force)
    chosen = selected or notebooks.discover()
    if not chosen:
        raise ReleaseError(f"no notebook sources under {notebooks.SOURCES}: run this in a clone")

    def fill(tmp: Path) -> dict:
        (tmp / "nbgrader_config.py").write_text(NBGRADER_CONFIG, encoding="utf-8")
        assignments = {}
        for n in chosen:
            folder = tmp / "source" / assignment_name(n)
            folder.mkdir(parents=True)
            nb = notebooks.solution_notebook(n)
            nbformat.validate(nb)
            (folder / f"{n.name}.ipynb").write_text(notebooks.render(nb), encoding="utf-8")
            points = sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells)
            assignments[assignment_name(n)] = {"notebook": f"{n.name}.ipynb", "key": n.key, "points": points}
        return {"assignments": assignments}

    return _publish(out, NBGRADER, force, fill)

"""The teacher's release: a class folder with no solution in it, and an nbgrader course folder
that nbgrader itself turns into an assignment and grades."""

from __future__ import annotations

import filecmp
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from shared_utils import REPO_ROOT
from shared_utils.engine import build as notebooks
from shared_utils.engine import release
from shared_utils.engine.build import BEGIN, END
from tests.jupyter_home import isolated_jupyter

NOTEBOOKS = notebooks.discover()
FIRST = next(n for n in NOTEBOOKS if n.name == "01_python_numpy")
GENERATED = {
    notebooks.library_path(n.meta["save"]).relative_to(REPO_ROOT) for n in NOTEBOOKS if "save" in n.meta
}


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    from shared_utils.__main__ import main

    out = tmp_path_factory.mktemp("class") / "workbook"
    assert main(["release", str(out)]) == 0  # python -m shared_utils release OUT_DIR
    return out


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def test_release_holds_the_learner_files_and_none_of_the_sources(released):
    top = {p.name for p in released.iterdir()}
    assert top == {
        "README.md", "RELEASE.json", "pyproject.toml", "bootstrap.py", "requirements.txt",
        "requirements-dev.txt", "shared_utils", "shared_data", "docs", *{n.course for n in NOTEBOOKS},
    }  # fmt: skip
    files = _files(released)
    for nb in NOTEBOOKS:  # the committed learner notebooks, byte for byte
        rel = nb.learner_path.relative_to(REPO_ROOT)
        assert filecmp.cmp(REPO_ROOT / rel, released / rel, shallow=False)
    data = {p.relative_to(REPO_ROOT) for p in REPO_ROOT.glob("course*/data/**/*") if p.is_file()}
    assert data and data <= files
    package = {
        p.relative_to(REPO_ROOT)
        for p in (REPO_ROOT / "shared_utils").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert package <= files and GENERATED <= files
    assert not any(
        part in {"sources", "tests", "tools", "build", "__pycache__"} for f in files for part in f.parts
    )
    assert not any(part.startswith(".") for f in files for part in f.parts)  # .git, .venv, .ci
    assert not [f for f in files if f.suffix == ".py" and f.parts[0] not in {"shared_utils", "bootstrap.py"}]


@functools.cache
def _regions() -> list[tuple[str, list[str]]]:
    """Every solution region of every source: (notebook, its code lines, stripped, no comments)."""
    out = []
    pattern = re.escape(BEGIN) + r"[^\n]*\n(.*?)^[ \t]*" + re.escape(END)
    for nb in NOTEBOOKS:
        for cell in nb.read().cells:
            for m in re.finditer(pattern, cell.source, re.DOTALL | re.MULTILINE):
                lines = [s.strip() for s in m.group(1).splitlines()]
                lines = [s for s in lines if s and not s.startswith("#")]
                if lines:
                    out.append((nb.key, lines))
    return out


def test_no_solution_code_is_released_except_in_the_generated_modules(released):
    regions = _regions()
    assert len(regions) > 50
    found: dict[Path, set[str]] = {}
    for rel in sorted(_files(released)):
        path = released / rel
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary data (HDF5, images)
        if path.suffix == ".ipynb":
            text = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        lines = [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]
        for key, region in regions:
            n = len(region)
            if any(lines[i : i + n] == region for i in range(len(lines) - n + 1)):
                found.setdefault(rel, set()).add(key)
    # the generated modules hold exactly the answers the release's README names, nothing else does
    carried = release.carried_answers()
    expected = {
        notebooks.library_path(module).relative_to(REPO_ROOT): set(by_notebook)
        for module, by_notebook in carried.items()
    }
    assert expected, "no generated module carries a solution: the search would find nothing to find"
    assert found == expected
    readme = (released / "README.md").read_text(encoding="utf-8")
    for by_notebook in carried.values():
        for key, names in by_notebook.items():
            assert key in readme and all(f"`{name}`" in readme for name in names)


def test_release_refuses_a_release_with_solution_code_outside_the_generated_modules(tmp_path):
    regions = [(key, tuple(lines)) for key, lines in _regions()]
    key, region = regions[0]
    (tmp_path / "helper.py").write_text("def f(x):\n" + "".join(f"    {s}\n" for s in region))
    hits = release.leaks(tmp_path, regions, allowed=set())
    assert hits and hits[0].startswith("helper.py: the solution of " + key)
    assert release.leaks(tmp_path, regions, allowed={Path("helper.py")}) == []


def _shared_utils(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "shared_utils", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_list_works_in_the_release_and_build_says_what_is_missing(released, capsys):
    from shared_utils.__main__ import main

    assert main(["list"]) == 0  # in the repository, from the sources
    here = capsys.readouterr().out
    there = _shared_utils("list", cwd=released)  # in the release, with its own shared_utils
    assert there.returncode == 0, there.stderr
    assert there.stdout == here and "01_python_numpy" in there.stdout
    built = _shared_utils("build", cwd=released)
    assert built.returncode == 2 and "needs the notebook sources" in built.stderr


def test_the_release_imports_its_own_package(released):
    which = subprocess.run(
        [sys.executable, "-c", "import shared_utils; print(shared_utils.REPO_ROOT)"],
        cwd=released,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        capture_output=True,
        text=True,
    )
    assert Path(which.stdout.strip()) == released.resolve(), which.stderr


def test_release_refuses_unsafe_and_occupied_folders(tmp_path):
    occupied = tmp_path / "mine"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("keep me")
    with pytest.raises(release.ReleaseError, match="not empty"):
        release.release(occupied)
    with pytest.raises(release.ReleaseError, match="holds no earlier learner release"):
        release.release(occupied, force=True)
    assert (occupied / "notes.txt").read_text() == "keep me"
    with pytest.raises(release.ReleaseError, match="the repository itself"):
        release.release(REPO_ROOT, force=True)
    with pytest.raises(release.ReleaseError, match="inside the repository"):
        release.release(REPO_ROOT / "sources" / "out")
    with pytest.raises(release.ReleaseError, match="not a folder"):
        release.release(occupied / "notes.txt")


def _small_release(monkeypatch):
    """A release of one notebook's sources and two files: enough for the folder handling."""
    monkeypatch.setattr(notebooks, "discover", lambda root=None: [FIRST])
    monkeypatch.setattr(notebooks, "stale", lambda notebooks=None: [])
    monkeypatch.setattr(
        release, "released_paths", lambda root=None: [Path("README.md"), Path("pyproject.toml")]
    )


def test_a_failed_release_leaves_nothing_and_keeps_the_earlier_one(tmp_path, monkeypatch):
    _small_release(monkeypatch)
    out = tmp_path / "class"
    release.release(out)
    before = _files(out)
    (out / "RELEASE.json").write_text(json.dumps({"kind": release.LEARNER, "notebooks": [], "mark": 1}))
    monkeypatch.setattr(release, "leaks", lambda *a, **k: ["shared_utils/x.py: the solution of demo"])
    with pytest.raises(release.ReleaseError, match="solution code would be released"):
        release.release(out, force=True)
    assert _files(out) == before and json.loads((out / "RELEASE.json").read_text())["mark"] == 1
    with pytest.raises(release.ReleaseError):
        release.release(tmp_path / "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class"]  # no half-written folder
    monkeypatch.undo()
    _small_release(monkeypatch)
    release.release(out, force=True)  # an earlier release is replaced, and only that
    assert "mark" not in json.loads((out / "RELEASE.json").read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class"]


# ----- nbgrader ----------------------------------------------------------------------------------


def _nbgrader_env(tmp_path: Path, released: Path) -> dict:
    """nbgrader and its kernels with their own Jupyter folders; the kernel imports the release."""
    _, env = isolated_jupyter(tmp_path / "jupyter")
    env.update(
        PYTHONPATH=str(released),
        # nbgrader runs alembic (its gradebook's migrations) by name
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    )
    return env


def _fast(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with its fast run's parameters, as the test suite runs every notebook."""
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for name, value in FIRST.fast_parameters.items():
        params.source = re.sub(rf"^{name}\s*=.*$", f"{name} = {value!r}", params.source, flags=re.MULTILINE)
    return nb


def _nbgrader(*args: str, cwd: Path, env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, (
        f"nbgrader {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    )


@pytest.mark.notebook
def test_nbgrader_generates_the_assignment_and_autogrades_full_and_zero_marks(released, tmp_path):
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (requirements-dev.txt, Python 3.11+)")
    from nbgrader.api import Gradebook
    from nbgrader.nbgraderformat import MetadataValidator

    from shared_utils.__main__ import main
    from shared_utils.engine.checking import exercises

    course = tmp_path / "course"
    assert main(["nbgrader", str(course), FIRST.name]) == 0  # python -m shared_utils nbgrader OUT_DIR ...
    assert sorted(p.name for p in (course / "source").iterdir()) == [release.assignment_name(FIRST)]
    assignment = release.assignment_name(FIRST)
    source = course / "source" / assignment / f"{FIRST.name}.ipynb"
    nb = nbformat.read(source, as_version=4)
    MetadataValidator().validate_nb(nb)
    nbformat.write(_fast(nb), source)  # the teacher's master copy: a change there is the teacher's

    env = _nbgrader_env(tmp_path, released)
    _nbgrader("generate_assignment", assignment, cwd=course, env=env)
    student_version = course / "release" / assignment / source.name
    learner = _fast(nbformat.read(released / FIRST.course / source.name, as_version=4))
    # nbgrader's student version is the workbook's learner notebook, cell for cell
    assert [c.source for c in nbformat.read(student_version, as_version=4).cells] == [
        c.source for c in learner.cells
    ]

    for student, notebook in (("solved", source), ("blank", student_version)):
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        (folder / source.name).write_bytes(notebook.read_bytes())
    _nbgrader("autograde", assignment, cwd=course, env=env)

    points = len(exercises(FIRST.checks_module))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        solved = gb.find_submission_notebook(FIRST.name, assignment, "solved")
        blank = gb.find_submission_notebook(FIRST.name, assignment, "blank")
        assert solved.max_score == blank.max_score == points == 14
        assert solved.score == points and not solved.needs_manual_grade
        assert [g.auto_score for g in solved.grades] == [g.max_score for g in solved.grades]
        assert blank.score == 0 and not blank.needs_manual_grade
        assert {g.auto_score for g in blank.grades} == {0.0}
        graded = {c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata["nbgrader"]["grade"]}
        assert {g.name for g in solved.grades} == {g.name for g in blank.grades} == graded

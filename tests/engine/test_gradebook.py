"""Grading a class: collecting notebooks, grading them in parallel, the gradebook, the CLI."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from shared_utils.__main__ import main as cli
from shared_utils.engine import grade, gradebook
from shared_utils.engine.build import discover, solution_notebook
from shared_utils.engine.gradebook import (
    CANNOT_GRADE,
    CRASHED,
    GradebookError,
    Result,
    collect,
    grade_many,
    write_gradebook,
)

NUMPY = next(n for n in discover() if n.key == "course1_foundations/01_python_numpy")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _touch(path: Path, text: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ----- collect ---------------------------------------------------------------------------------


def test_collect_walks_folders_in_order_and_skips_hidden_ones_and_checkpoints(tmp_path):
    root = tmp_path / "class"
    wanted = [
        _touch(root / "alice" / "01_python_numpy.ipynb"),
        _touch(root / "alice" / "02_logistic_regression.ipynb"),
        _touch(root / "bob" / "deep" / "01_python_numpy.ipynb"),
        _touch(root / "zed.ipynb"),
    ]
    _touch(root / "alice" / ".ipynb_checkpoints" / "01_python_numpy-checkpoint.ipynb")
    _touch(root / ".git" / "x.ipynb")
    _touch(root / "bob" / ".hidden.ipynb")
    _touch(root / "bob" / "notes.txt")
    _touch(root / "bob" / "01_python_numpy.py")
    assert collect([root]) == wanted
    # files and folders mixed, in the order given; a notebook named twice is graded once
    extra = _touch(tmp_path / "late.ipynb")
    assert collect([extra, root, wanted[2]]) == [extra, *wanted]
    # a notebook named explicitly is graded even inside a hidden folder
    hidden = root / "alice" / ".ipynb_checkpoints" / "01_python_numpy-checkpoint.ipynb"
    assert collect([hidden]) == [hidden]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "nope.ipynb", "no such file or folder"),
        (lambda d: _touch(d / "notes.txt"), "is not a notebook"),
        (lambda d: _touch(d / "empty" / ".ipynb_checkpoints" / "a.ipynb").parents[1], "no notebooks"),
    ],
)
def test_collect_names_the_path_it_refuses(tmp_path, make, message):
    bad = make(tmp_path)
    with pytest.raises(GradebookError, match=message) as error:
        collect([_touch(tmp_path / "ok.ipynb"), bad])
    assert str(bad) in str(error.value)


# ----- a small class, graded in parallel (module-scoped: each real grading takes ~15 s) ----------


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A blank learner notebook, a solution and an invalid file, graded two at a time (a second
    blank copy would cost another ~15-30 s on a 2-core machine and test nothing more)."""
    root = tmp_path_factory.mktemp("class")
    learner = NUMPY.learner_path
    (root / "alice").mkdir()
    shutil.copy(learner, root / "alice" / learner.name)
    (root / "bob").mkdir()
    nbformat.write(solution_notebook(NUMPY), root / "bob" / learner.name)
    _touch(root / "carol" / learner.name, "{ this is not json")
    paths = collect([root])
    before = {p: _digest(p) for p in paths}
    finished: list[Result] = []
    start = time.monotonic()
    results = grade_many(paths, jobs=2, on_result=finished.append, cell_timeout=120)
    return {
        "root": root,
        "paths": paths,
        "results": results,
        "finished": finished,
        "wall": time.monotonic() - start,
        "before": before,
    }


def test_class_is_graded_in_parallel_in_the_input_order_and_never_written_to(graded_class):
    results, paths = graded_class["results"], graded_class["paths"]
    assert [r.path for r in results] == paths
    assert [r.file for r in results] == [f"{s}/01_python_numpy.ipynb" for s in ("alice", "bob", "carol")]
    assert sorted(r.file for r in graded_class["finished"]) == sorted(r.file for r in results)
    alice, bob, carol = results
    assert alice.graded and alice.total > 0 and alice.score == 0, alice.table
    assert {e["status"] for e in alice.exercises} == {grade.NOT_DONE}
    assert bob.full_marks and {e["status"] for e in bob.exercises} == {grade.PASS}, bob.table
    assert not carol.graded and "not a valid notebook" in carol.error
    assert alice.table and bob.table and not carol.table
    assert all(r.intact in (None, True) for r in results)
    assert {p: _digest(p) for p in paths} == graded_class["before"], "the grader wrote to a learner's file"
    print(f"graded {len(results)} notebooks, two at a time, in {graded_class['wall']:.0f} s")


def test_gradebook_has_one_csv_row_per_exercise_and_one_json_entry_per_notebook(graded_class, tmp_path):
    results = graded_class["results"]
    csv_path, json_path = write_gradebook(results, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["gradebook.csv", "gradebook.json"]
    rows = _read_csv(csv_path)
    assert list(rows[0]) == ["file", "notebook", "exercise", "status", "passed", "message"]
    total = results[0].total
    assert len(rows) == 2 * total + 1
    by_file: dict[str, list[dict]] = {}
    for row in rows:
        by_file.setdefault(row["file"], []).append(row)
    assert {(r["status"], r["passed"]) for r in by_file["bob/01_python_numpy.ipynb"]} == {("PASS", "1")}
    alice_rows = by_file["alice/01_python_numpy.ipynb"]
    assert {(r["status"], r["passed"]) for r in alice_rows} == {("NOT DONE", "0")}
    assert [r["exercise"] for r in alice_rows] == [e["exercise"] for e in results[0].exercises]
    (carol,) = by_file["carol/01_python_numpy.ipynb"]
    assert carol["status"] == CANNOT_GRADE and carol["exercise"] == ""
    assert "not a valid notebook" in carol["message"]
    assert all(r["notebook"] for r in rows if r["status"] != CANNOT_GRADE)

    entries = json.loads(json_path.read_text(encoding="utf-8"))
    assert [e["file"] for e in entries] == [r.file for r in results]
    keys = {"file", "notebook", "module", "score", "total", "seconds", "intact", "exercises", "error"}
    assert all(keys <= set(e) for e in entries)
    alice, bob, carol = entries
    assert (bob["score"], bob["total"], bob["error"]) == (total, total, None)
    assert (alice["score"], alice["total"]) == (0, total) and alice["module"] == NUMPY.checks_module
    assert carol["score"] is None and carol["exercises"] == [] and "not a valid notebook" in carol["error"]
    assert set(bob["exercises"][0]) == {"exercise", "status", "passed", "message", "cell"}
    assert all(e["seconds"] > 0 for e in (alice, bob))
    assert bob["report"] == results[1].table and "score:" in bob["report"] and carol["report"] is None


def test_csv_clips_long_messages_and_keeps_spreadsheets_from_running_formulas(tmp_path):
    long = "\n".join(f"line {k}: " + "x" * 80 for k in range(100))
    result = Result(
        Path("a.ipynb"),
        "=cmd|calc.ipynb",
        notebook="01_python_numpy",
        module="c1_01_python_numpy",
        exercises=[
            {"exercise": "sigmoid", "status": "FAIL", "passed": False, "message": long, "cell": 3},
            {"exercise": "relu", "status": "FAIL", "passed": False, "message": '=HYPERLINK("x")', "cell": 4},
        ],
    )
    csv_path, json_path = write_gradebook([result], tmp_path)
    first, second = _read_csv(csv_path)
    assert len(first["message"]) <= 1000 + len(grade.CUT_MARK) + 1 and first["message"].endswith(
        grade.CUT_MARK
    )
    assert second["message"] == '\'=HYPERLINK("x")' and first["file"] == "'=cmd|calc.ipynb"
    (entry,) = json.loads(json_path.read_text(encoding="utf-8"))
    assert entry["file"] == "=cmd|calc.ipynb", "the JSON keeps the text as it is"
    assert (entry["score"], entry["total"]) == (0, 2)


def test_summary_line_per_notebook():
    exercises = [{"exercise": f"e{k}", "status": "PASS", "passed": True, "message": ""} for k in range(12)]
    exercises += [{"exercise": "f", "status": "FAIL", "passed": False, "message": "wrong"}] * 3
    result = Result(Path("x"), "alice/01_python_numpy.ipynb", "01_python_numpy", "m", exercises, seconds=11.2)
    assert re.fullmatch(r"alice/01_python_numpy\.ipynb +12/15 +\(3 fail\) +11 s", result.summary())
    blank = Result(Path("x"), "b.ipynb", exercises=[{**exercises[-1], "status": "NOT DONE"}], seconds=2)
    assert "(1 not done)" in blank.summary()
    broken = Result(Path("x"), "c\x1b[2J.ipynb", error="c.ipynb is not a valid notebook\nmore")
    line = broken.summary(width=20)
    assert CANNOT_GRADE in line and "not a valid notebook" in line and "more" not in line
    assert "\x1b" not in line, "a file name cannot send escape sequences to the teacher's terminal"


# ----- a worker that crashes costs its own notebook only (a stand-in grader, no kernels) ---------


@dataclass
class _FakeReport:
    path: str
    module: str = "c1_01_python_numpy"
    exercises: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(e["passed"] for e in self.exercises)

    def table(self) -> str:
        return f"report of {self.path}"


def fake_grader(path, **options):
    """Run in the workers (imported by name): crashes, refuses or grades by the file's name."""
    name = Path(path).stem
    if name == "crash":
        os._exit(3)
    if name == "cannot":
        raise grade.GradingError(f"{path} cannot be graded")
    if name == "bug":
        raise RuntimeError("a bug in the grader")
    message = f"seed={options.get('seed')} memory={options.get('memory_limit')}"
    return _FakeReport(
        str(path), exercises=[{"exercise": "e", "status": "PASS", "passed": True, "message": message}]
    )


def test_a_crashing_worker_costs_its_own_notebook_only(tmp_path):
    names = ["a", "crash", "b", "cannot", "bug", "c", "d"]
    paths = [tmp_path / f"{n}.ipynb" for n in names]
    results = grade_many(paths, jobs=2, grader=fake_grader, seed=7, memory_limit=2**30)
    assert [r.path for r in results] == paths
    by = dict(zip(names, results))
    assert by["crash"].error == CRASHED
    assert by["cannot"].error == f"{paths[3]} cannot be graded"
    assert by["bug"].error.startswith("the grader failed on this notebook: RuntimeError: a bug in the grader")
    for n in "abcd":
        assert by[n].full_marks, by[n]
        assert by[n].exercises[0]["message"] == f"seed=7 memory={2**30}", "options are passed through"
        assert by[n].table == f"report of {paths[names.index(n)]}"


# ----- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option",
    [
        ["--cell-timeout", "0"],
        ["--grade-timeout", "-1"],
        ["--grade-timeout", "nan"],
        ["--memory-limit", "0"],
        ["--memory-limit", "lots"],
        ["--jobs", "0"],
    ],
)
def test_cli_refuses_limits_that_are_not_positive(option, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(["check", str(NUMPY.learner_path), *option])
    assert exit_.value.code == 2
    assert option[0] in capsys.readouterr().err


@pytest.mark.parametrize(("ok", "status"), [(True, 0), (False, 1), (None, 2)])
def test_cli_one_notebook_prints_its_report_and_exits_as_before(ok, status, tmp_path, monkeypatch, capsys):
    seen = {}

    def fake(path, **options):
        seen.update(options)
        if ok is None:
            raise grade.GradingError(f"{path} is not a valid notebook")
        return _FakeReport(
            str(path), exercises=[{"exercise": "e", "status": "x", "passed": ok, "message": ""}]
        )

    monkeypatch.setattr(grade, "grade_notebook", fake)
    monkeypatch.chdir(tmp_path)
    nb = _touch(tmp_path / "solo.ipynb")
    argv = ["check", str(nb), "--grade-timeout", "30", "--memory-limit", "2.5GB", "--seed", "3"]
    assert cli(argv) == status
    out = capsys.readouterr().out
    assert ("cannot grade:" in out) if ok is None else (f"report of {nb}" in out)
    assert seen == {"cell_timeout": 300, "grade_timeout": 30, "memory_limit": int(2.5 * 2**30), "seed": 3}
    assert not list(tmp_path.glob("gradebook.*")), "one notebook writes no gradebook unless asked"
    assert cli([*argv, "--gradebook", str(tmp_path / "book")]) == status
    (entry,) = json.loads((tmp_path / "book" / "gradebook.json").read_text(encoding="utf-8"))
    assert entry["file"] == "solo.ipynb" and (entry["error"] is None) == (ok is not None)


@pytest.mark.parametrize(("cannot", "status"), [(False, 0), (True, 2)])
def test_cli_class_exits_2_only_when_a_notebook_cannot_be_graded(
    cannot, status, tmp_path, monkeypatch, capsys
):
    root = tmp_path / "class"
    paths = [_touch(root / "alice" / "n.ipynb"), _touch(root / "bob" / "n.ipynb")]
    fail = {"exercise": "e", "status": "FAIL", "passed": False, "message": "wrong"}

    def fake_many(notebooks, jobs=None, *, base=None, on_result=None, **options):
        assert [p.resolve() for p in notebooks] == paths and jobs == 1 and options == {"cell_timeout": 300}
        out = [
            Result(paths[0], "alice/n.ipynb", "n", "m", [fail]),
            Result(paths[1], "bob/n.ipynb", error="broken")
            if cannot
            else Result(paths[1], "bob/n.ipynb", "n", "m", [{**fail, "status": "PASS", "passed": True}]),
        ]
        for r in out:
            on_result(r)
        return out

    monkeypatch.setattr(gradebook, "grade_many", fake_many)
    monkeypatch.chdir(tmp_path)
    assert cli(["check", "class", "--jobs", "1"]) == status
    out = capsys.readouterr().out
    assert re.search(r"^alice/n\.ipynb +0/1 +\(1 fail\)", out, re.M), out
    assert f"gradebook: {root / 'gradebook.csv'}" in out, "the default is the first folder given, and said"
    assert len(_read_csv(root / "gradebook.csv")) == 2


def _ascii_run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    return subprocess.run(
        [sys.executable, "-m", "shared_utils", "check", *args], capture_output=True, text=True, env=env
    )


_FAKE_REPORT = """
import sys
from shared_utils.engine import grade

class Report:
    ok = False
    module = "c2_03_gradient_checking"
    exercises = [{"exercise": "grad_check", "status": "FAIL", "passed": False, "message": "J(θ+ε) − J(θ−ε)"}]

    def table(self):
        return "Grading zoë.ipynb\\n✅ grad_check  ❌  J(θ+ε) − J(θ−ε) / 2ε\\nscore: 0/1"

grade.grade_notebook = lambda path, **options: Report()
from shared_utils.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_cli_report_prints_on_an_ascii_terminal(tmp_path):
    """The report's characters (✅, θ, ë in a name) are replaced, not a UnicodeEncodeError."""
    nb = _touch(tmp_path / "zoë.ipynb")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    args = ["check", str(nb), "--gradebook", str(tmp_path / "book")]
    run = subprocess.run([sys.executable, "-c", _FAKE_REPORT, *args], capture_output=True, text=True, env=env)
    assert "Error" not in run.stderr, run.stderr
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.splitlines()[:3] == [
        "Grading zo?.ipynb",
        "? grad_check  ?  J(?+?) ? J(???) / 2?",
        "score: 0/1",
    ]
    (row,) = _read_csv(tmp_path / "book" / "gradebook.csv")
    assert row["file"] == "zoë.ipynb" and row["message"] == "J(θ+ε) − J(θ−ε)", "the gradebook keeps them"


def test_cli_class_that_cannot_be_graded_on_an_ascii_terminal(tmp_path):
    root = tmp_path / "class"
    _touch(root / "zoë" / "01_python_numpy.ipynb", "{ not json")
    _touch(root / "ümit" / "other.ipynb", json.dumps(nbformat.v4.new_notebook()))  # not a workbook one
    _touch(root / ".ipynb_checkpoints" / "x.ipynb", "{ not json")
    run = _ascii_run(str(root))
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 2, run.stdout + run.stderr
    assert re.search(r"^\?mit/other\.ipynb +CANNOT GRADE .*no graded exercises", run.stdout, re.M)
    assert re.search(r"^zo\?/01_python_numpy\.ipynb +CANNOT GRADE .*not a valid notebook", run.stdout, re.M)
    assert "gradebook: " in run.stdout and "0 full marks" in run.stdout
    rows = _read_csv(root / "gradebook.csv")
    assert [r["file"] for r in rows] == ["zoë/01_python_numpy.ipynb", "ümit/other.ipynb"]
    assert {r["status"] for r in rows} == {CANNOT_GRADE}
    # an argument that is not a notebook is refused before anything is graded
    run = _ascii_run(str(root), str(tmp_path / "missing"))
    assert run.returncode == 2 and "cannot grade:" in run.stdout and "missing" in run.stdout

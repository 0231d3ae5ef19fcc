"""The grader: solved, blank, raising, looping, invalid and foreign notebooks."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import nbformat
import pytest

from shared_utils.__main__ import main as cli
from shared_utils.engine.build import REPO_ROOT, discover, solution_notebook
from shared_utils.engine.grade import GradingError, grade_notebook

FIRST = discover()[0]  # the quickest notebook: graded whole in a few seconds


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(nb, path):
    nbformat.write(nb, path)
    return path


@pytest.fixture()
def course_dir(tmp_path):
    """A copy of the notebook's course folder, so relative data paths still resolve."""
    d = tmp_path / FIRST.course
    d.mkdir()
    data = REPO_ROOT / FIRST.course / "data"
    if data.exists():
        (d / "data").symlink_to(data)
    return d


def test_solved_notebook_scores_full_marks(course_dir):
    path = _write(solution_notebook(FIRST), course_dir / "solved.ipynb")
    before = _digest(path)
    report = grade_notebook(path)
    assert report.ok, report.table()
    assert report.passed == len(report.exercises) > 0
    assert _digest(path) == before, "the grader wrote to the learner's file"


def test_blank_notebook_fails_every_exercise_with_not_implemented():
    path = FIRST.learner_path
    before = _digest(path)
    report = grade_notebook(path)
    assert not report.ok and report.passed == 0
    assert all(e["message"] == "not implemented yet" for e in report.exercises), report.table()
    assert _digest(path) == before


def test_notebook_that_raises_is_reported_and_other_exercises_still_graded(course_dir):
    nb = solution_notebook(FIRST)
    first_exercise = next(i for i, c in enumerate(nb.cells) if "### BEGIN SOLUTION" in c.source)
    nb.cells[first_exercise].source = "raise RuntimeError('boom')\n" + nb.cells[first_exercise].source
    report = grade_notebook(_write(nb, course_dir / "raises.ipynb"))
    assert any("RuntimeError: boom" in c for c in report.cell_errors), report.table()
    assert 0 < report.passed < len(report.exercises)
    failed = [e for e in report.exercises if not e["passed"]]
    assert len(failed) == 1 and "is not defined" in failed[0]["message"]


def test_notebook_that_loops_forever_times_out_and_reports(course_dir):
    nb = solution_notebook(FIRST)
    nb.cells.insert(3, nbformat.v4.new_code_cell("while True:\n    pass"))
    report = grade_notebook(
        _write(nb, course_dir / "loops.ipynb"), cell_timeout=20
    )  # room for importing TensorFlow on a busy machine
    assert any("time limit" in c for c in report.cell_errors), report.table()
    assert report.ok, "the cells after the interrupted one must still run and be graded"


@pytest.mark.parametrize("value", ["0", "-5", "nan", "soon"])
def test_cli_refuses_a_cell_timeout_that_is_not_positive(value, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(["check", str(FIRST.learner_path), "--cell-timeout", value])
    assert exit_.value.code == 2
    assert "--cell-timeout" in capsys.readouterr().err


def test_cli_exit_codes_and_table(course_dir, tmp_path):
    bad = tmp_path / "broken.ipynb"
    bad.write_text("{ this is not json")
    run = subprocess.run(
        [sys.executable, "-m", "shared_utils", "check", str(bad)], capture_output=True, text=True
    )
    assert run.returncode == 2 and "not a valid notebook" in run.stdout
    foreign = _write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), tmp_path / "other.ipynb"
    )
    run = subprocess.run(
        [sys.executable, "-m", "shared_utils", "check", str(foreign)], capture_output=True, text=True
    )
    assert run.returncode == 2 and "no graded exercises" in run.stdout
    blank = subprocess.run(
        [sys.executable, "-m", "shared_utils", "check", str(FIRST.learner_path)],
        capture_output=True,
        text=True,
    )
    assert blank.returncode == 1 and "score: 0/" in blank.stdout


def test_missing_file_is_a_grading_error(tmp_path):
    with pytest.raises(GradingError, match="no such file"):
        grade_notebook(tmp_path / "nope.ipynb")

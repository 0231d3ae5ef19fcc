"""The grader: solved, blank, raising, looping, invalid and foreign notebooks, and its report."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import nbformat
import pytest

from shared_utils.__main__ import main as cli
from shared_utils.engine.build import REPO_ROOT, discover, solution_notebook
from shared_utils.engine.grade import (
    CUT_MARK,
    FAIL,
    NOT_DONE,
    PASS,
    GradeReport,
    GradingError,
    clip,
    grade_notebook,
)

FIRST = discover()[0]  # the quickest notebook: graded whole in a few seconds


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(nb, path):
    nbformat.write(nb, path)
    return path


def _number(nb, index):
    """What JupyterLab shows as [n] after Run All: the 1-based position among the code cells."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"].index(index) + 1


def _cell(nb, text):
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and text in c.source)


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
    assert report.cell_errors == [f"cell [{_number(nb, first_exercise)}]: RuntimeError: boom"], report.table()
    assert 0 < report.passed < len(report.exercises)
    failed = [e for e in report.exercises if not e["passed"]]
    assert len(failed) == 1 and "is not defined" in failed[0]["message"]
    assert failed[0]["status"] == FAIL and failed[0]["cell"] == _number(nb, first_exercise)
    # its check cell's NameError is a knock-on of the error above, counted but not listed
    assert _number(nb, first_exercise) + 1 in report.knock_on
    assert "NameError" not in report.table()


def test_report_lists_each_failure_once_and_no_knock_on_errors(course_dir):
    """relu left as a stub (its check cell and the plotting cell then raise), leaky_relu wrong."""
    nb = solution_notebook(FIRST)
    i = _cell(nb, "def relu(")
    nb.cells[i].source = nb.cells[i].source.replace("a = np.maximum(0, z)", "raise NotImplementedError()")
    nb.cells[i].source = nb.cells[i].source.replace("alpha * z)", "alpha * abs(z))")  # wrong for z < 0
    path = _write(nb, course_dir / "one_wrong.ipynb")
    before = _digest(path)
    report = grade_notebook(path)
    table = report.table()
    status = {e["exercise"]: e["status"] for e in report.exercises}
    assert status.pop("relu") == NOT_DONE and status.pop("leaky_relu") == FAIL, table
    assert set(status.values()) == {PASS}, table
    # one row per exercise, numbered by the cell that defines it, as JupyterLab shows it
    rows = [line.split() for line in table.splitlines() if re.match(r"(relu|leaky_relu) +[A-Z]", line)]
    assert rows == [
        ["relu", "NOT", "DONE", f"[{_number(nb, i)}]"],
        ["leaky_relu", "FAIL", f"[{_number(nb, i)}]"],
    ]
    # the failure's whole message, once; the stub's errors in later cells are not failures of their own
    message = next(e["message"] for e in report.exercises if e["exercise"] == "leaky_relu")
    assert "\n" in message and clip(message) == message.rstrip()
    assert table.count(message.splitlines()[0]) == 1
    assert all(f"    {line}" in table.splitlines() for line in message.splitlines())
    assert report.cell_errors == [], table
    plot = _cell(nb, "plotting.plot_functions")
    assert report.knock_on == [_number(nb, i) + 1, _number(nb, plot)], table
    assert "NotImplementedYet" not in table and "Cells that raised" not in table
    assert _digest(path) == before


def test_kernel_that_dies_is_reported_once_with_its_cell(course_dir):
    nb = solution_notebook(FIRST)
    nb.cells.insert(3, nbformat.v4.new_code_cell("import os\nos._exit(3)"))
    report = grade_notebook(_write(nb, course_dir / "dies.ipynb"))
    assert not report.ok and report.passed == 0
    table = report.table()
    assert f"the kernel died in cell [{_number(nb, 3)}]" in table, table
    assert table.count("before this exercise's cell ran") == 1, "one message for all the exercises"


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
    # a teacher's report: no kernel or library warnings, no log lines, nothing on stderr
    assert blank.stderr == "", blank.stderr
    assert "TCP" not in blank.stdout and not re.search(r"warn|\[IPKernelApp\]", blank.stdout, re.I), (
        blank.stdout
    )
    assert "JupyterLab" in blank.stdout.splitlines()[1], "the header says how cells are numbered"
    assert "NOT DONE" in blank.stdout and "NotImplementedYet" not in blank.stdout


def test_missing_file_is_a_grading_error(tmp_path):
    with pytest.raises(GradingError, match="no such file"):
        grade_notebook(tmp_path / "nope.ipynb")


def test_a_three_line_message_is_shown_whole_and_once():
    message = "sigmoid: wrong values for x of shape (3,)\nexpected: [0.5 0.73 0.88]\nreceived: [0.5 0.5 0.5]"
    report = GradeReport("nb.ipynb", "m", seconds=1)
    report.exercises = [
        {"exercise": "sigmoid", "passed": False, "message": message, "status": FAIL, "cell": 6},
        {
            "exercise": "relu",
            "passed": False,
            "message": "not implemented yet",
            "status": NOT_DONE,
            "cell": 9,
        },
        {"exercise": "L1", "passed": True, "message": "correct", "status": PASS, "cell": 12},
    ]
    lines = report.table().splitlines()
    for line in message.splitlines():
        assert lines.count(f"    {line}") == 1, report.table()
    assert "sigmoid (cell [6]):" in lines
    assert "score: 1/3  (1 pass, 1 fail, 1 not done)" in lines
    assert "not implemented yet" not in report.table(), "NOT DONE says it; no detail repeats it"


def test_clip_keeps_whole_lines_and_marks_the_cut():
    short = "a: wrong\nexpected: 1\nreceived: 2"
    assert clip(short) == short
    long = "\n".join(f"line {k}: " + "x" * 60 for k in range(40))
    cut = clip(long)
    assert cut.endswith(CUT_MARK) and 800 < len(cut) <= 1000 + len(CUT_MARK) + 1
    assert all(line in long.splitlines() for line in cut.splitlines()[:-1])
    assert clip("y" * 5000).endswith(CUT_MARK) and len(clip("y" * 5000)) < 1100


def _learner_json(**changes):
    import json

    data = json.loads(FIRST.learner_path.read_text())
    for key, value in changes.items():
        data[key] = value
    return data


def test_metadata_naming_another_notebooks_checks_is_refused(tmp_path):
    import json

    data = _learner_json()
    data["metadata"]["workbook"]["checks"] = "c1_02_logistic_regression"
    path = tmp_path / f"{FIRST.name}.ipynb"
    path.write_text(json.dumps(data))
    with pytest.raises(GradingError) as info:
        grade_notebook(path)
    text = str(info.value)
    assert "file name says it is course1_foundations/01_python_numpy" in text, text
    assert "c1_02_logistic_regression" in text and "Refusing" in text
    assert cli(["check", str(path)]) == 2


@pytest.mark.parametrize(
    "damage",
    ["workbook metadata is a string", "a cell without source", "cells is not a list", "not UTF-8"],
)
def test_malformed_notebooks_cannot_be_graded(tmp_path, damage, capsys):
    import json

    data = _learner_json()
    if damage == "workbook metadata is a string":
        data["metadata"]["workbook"] = "c1_01_python_numpy"
    elif damage == "a cell without source":
        del data["cells"][3]["source"]
    elif damage == "cells is not a list":
        data["cells"] = {"0": data["cells"][0]}
    path = tmp_path / f"{FIRST.name}.ipynb"
    if damage == "not UTF-8":
        path.write_bytes(json.dumps(data).encode("utf-16"))
    else:
        path.write_text(json.dumps(data))
    before = _digest(path)
    assert cli(["check", str(path)]) == 2
    out = capsys.readouterr().out
    assert out.startswith("cannot grade:") and "not a valid notebook" in out, out
    assert "Traceback" not in out and _digest(path) == before


def test_a_renamed_file_is_identified_and_the_report_names_notebook_and_checks(tmp_path):
    import json

    named = tmp_path / f"alice_{FIRST.name} (1).ipynb"
    named.write_text(FIRST.learner_path.read_text())
    report = grade_notebook(named, seed=5)
    table = report.table()
    assert f"as {FIRST.key}" in table and "Checks: shared_utils.checks.c1_01_python_numpy" in table
    assert "seed 5" in table and report.passed == 0
    homework = tmp_path / "homework.ipynb"
    homework.write_text(json.dumps(_learner_json()))
    report = grade_notebook(homework, seed=5)
    assert "Identified by its metadata" in report.table() and report.module == FIRST.checks_module

"""The build: learner notebooks are up to date, carry no solution text and no outputs."""

from __future__ import annotations

import re

import nbformat
import pytest

from shared_utils.engine import build as notebooks
from shared_utils.engine.build import BEGIN, END, BuildError, check_markers, discover, strip_solutions

NOTEBOOKS = discover()
IDS = [n.key for n in NOTEBOOKS]


def test_every_course_notebook_is_discovered_in_order():
    keys = [n.key for n in NOTEBOOKS]
    assert keys, "no notebook sources found under sources/"
    assert keys == sorted(keys, key=lambda k: (notebooks.COURSES.index(k.split("/")[0]), k))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_learner_notebook_is_up_to_date(nb):
    assert not notebooks.stale([nb]), (
        f"{nb.learner_path} is out of date with {nb.source}: run `python -m shared_utils build`"
    )


def _solution_lines(nb) -> set[str]:
    """Lines that occur only inside solution regions (a line the notebook also gives elsewhere,
    such as `with tf.GradientTape() as tape:` in a demonstration, is not a leak)."""
    lines, given = set(), set()
    pattern = re.escape(BEGIN) + r"[^\n]*\n(.*?)" + re.escape(END)
    for cell in nb.read().cells:
        for m in re.finditer(pattern, cell.source, re.DOTALL):
            for line in m.group(1).splitlines():
                line = line.strip()
                if len(line) > 3 and not line.startswith("#"):
                    lines.add(line)
        given |= {line.strip() for line in re.sub(pattern, "", cell.source, flags=re.DOTALL).splitlines()}
    return lines - given


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_no_solution_text_survives(nb):
    learner = nbformat.read(nb.learner_path, as_version=4)
    text = "\n".join(c.source for c in learner.cells)
    assert BEGIN not in text and END not in text
    leaked = [line for line in _solution_lines(nb) if line in {l.strip() for l in text.splitlines()}]
    assert not leaked, f"solution lines left in the learner notebook: {leaked[:5]}"
    assert text.count("raise NotImplementedError()") >= text.count("# YOUR CODE HERE") > 0


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_learner_notebook_has_no_outputs_and_valid_format(nb):
    learner = nbformat.read(nb.learner_path, as_version=4)
    nbformat.validate(learner)
    for cell in learner.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert learner.metadata["workbook"]["checks"] == nb.checks_module


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_notebook_has_header_parameters_and_fast_values(nb):
    cells = nb.read().cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    params = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one cell must be tagged `parameters`"
    for name in nb.fast_parameters:
        assert re.search(rf"^{name}\s*=", params[0].source, re.MULTILINE), (
            f"fast parameter {name} not in the parameters cell"
        )


def test_strip_solutions_keeps_indentation_and_replaces_every_region():
    src = "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    ### END SOLUTION\n    return y\n"
    out = strip_solutions(src)
    assert out == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n    return y\n"
    md = "Answer: \n### BEGIN SOLUTION\nthe secret\n### END SOLUTION\n"
    assert "secret" not in strip_solutions(md, markdown=True)
    assert "YOUR ANSWER HERE" in strip_solutions(md, markdown=True)


def test_unbalanced_markers_are_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"{BEGIN}\nx = 1\n")])
    with pytest.raises(BuildError, match="without"):
        check_markers(nb, "bad.py")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"{BEGIN}\n{BEGIN}\n{END}\n{END}\n")])
    with pytest.raises(BuildError, match="nested"):
        check_markers(nb, "bad.py")


def test_build_round_trip_writes_then_is_idempotent(tmp_path, monkeypatch):
    nb = NOTEBOOKS[0]
    moved = notebooks.Notebook(nb.source, nb.course, nb.name, nb.meta)
    monkeypatch.setattr(notebooks, "REPO_ROOT", tmp_path)
    assert notebooks.build([moved]) == [tmp_path / nb.course / f"{nb.name}.ipynb"]
    assert notebooks.build([moved]) == []
    assert notebooks.stale([moved]) == []

"""The build: learner notebooks are up to date, carry no solution text and no outputs."""

from __future__ import annotations

import re

import nbformat
import numpy as np
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


# ----- the library: cells marked #@save -------------------------------------------------------


def test_library_modules_are_up_to_date():
    assert notebooks.stale_library() == [], (
        "a generated library module is stale: run `python -m shared_utils build`"
    )


def test_library_modules_are_ruff_clean():
    pytest.importorskip("ruff")
    import subprocess
    import sys

    paths = [str(notebooks.library_path(m)) for m in notebooks.library_modules()]
    assert paths, "no cell of any source is marked #@save"
    for args in (["check"], ["format", "--check"]):
        done = subprocess.run([sys.executable, "-m", "ruff", *args, *paths], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def _source(tmp_path, *cells: str, save: str = "pkg.lib", name: str = "01_demo"):
    """A jupytext source with the given code cells, under a fake course folder."""
    header = f"# ---\n# jupyter:\n#   workbook:\n#     title: Demo\n#     save: {save}\n# ---\n\n"
    path = tmp_path / "course9_demo" / f"{name}.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(header + "".join(f"# %%\n{c}\n\n" for c in cells), encoding="utf-8")
    return notebooks.Notebook(path, "course9_demo", name, {"title": "Demo", "save": save})


def test_save_collects_the_marked_cells_solution_included_with_the_imports_they_need(tmp_path):
    nb = _source(
        tmp_path,
        "import copy\n\nimport numpy as np\nfrom scipy import special",
        f'#@save\ndef double(x):\n    """2 x."""\n    {BEGIN}\n    y = np.add(x, x)\n    {END}\n    return y',
        "def unsaved(x):\n    return x",
        "#@save\nimport math\n\n\ndef twice(x):\n    return copy.copy(double(x)) + math.pi",
    )
    text = notebooks.library_modules([nb])["pkg.lib"]
    assert (
        "Generated by ``python -m shared_utils build``" in text and "sources/course9_demo/01_demo.py" in text
    )
    assert "import copy\nimport math\n\nimport numpy as np\n" in text  # stdlib, then third party
    assert "scipy" not in text and "unsaved" not in text and "\n#@save" not in text
    assert "    y = np.add(x, x)\n    return y" in text and BEGIN not in text and END not in text
    origin = "# Defined in course9_demo/01_demo.ipynb,\n# source sources/course9_demo/01_demo.py.\ndef "
    assert text.count(origin) == 2
    assert notebooks.library_modules([nb])["pkg.lib"] == text  # the same text every time
    namespace: dict = {}
    exec(compile(text, "lib.py", "exec"), namespace)
    assert namespace["twice"](1.0) == pytest.approx(2 + 3.141592653589793)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("#@save\nprint('side effect')", "only definitions"),
        ("#@save\ndef f(x):\n    return undefined_helper(x)", "undefined_helper"),
    ],
)
def test_save_refuses_cells_that_run_code_or_use_unbound_names(tmp_path, cell, message):
    with pytest.raises(BuildError, match=message):
        notebooks.library_modules([_source(tmp_path, cell)])


def test_save_refuses_a_name_saved_twice(tmp_path):
    first = _source(tmp_path, "#@save\ndef f():\n    return 1", name="01_a")
    second = _source(tmp_path, "#@save\ndef f():\n    return 2", name="02_b")
    with pytest.raises(BuildError, match="saved twice"):
        notebooks.library_modules([first, second])


def test_stale_library_reports_a_missing_or_hand_edited_module(tmp_path, monkeypatch):
    nb = _source(tmp_path, "#@save\ndef f():\n    return 1")
    monkeypatch.setattr(notebooks, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(notebooks, "discover", lambda root=None: [nb])
    path = tmp_path / "pkg" / "lib.py"
    path.parent.mkdir()
    assert notebooks.stale_library() == [path]
    assert notebooks.build_library() == [path] and notebooks.build_library() == []
    assert notebooks.stale_library() == [] and notebooks.stale([nb]) == [nb.learner_path]
    path.write_text(path.read_text() + "\n# a hand edit\n")
    assert notebooks.stale_library([nb]) == [path]


def test_course1_dnn_is_generated_from_the_notebooks_that_teach_it():
    from shared_utils.course1 import dnn

    text = notebooks.library_path("shared_utils.course1.dnn").read_text(encoding="utf-8")
    assert text == notebooks.library_modules()["shared_utils.course1.dnn"]
    for name in ("linear_forward", "L_model_backward", "update_parameters"):
        assert f"# source sources/course1_foundations/04_deep_network_step_by_step.py.\ndef {name}(" in text
    for name in ("initialize_parameters_small", "initialize_parameters_lecun", "predict"):
        assert f"# source sources/course1_foundations/05_deep_network_application.py.\ndef {name}(" in text
    # the notebook's contract, not a second one: linear_forward returns (Z, cache)
    A, W, b = np.ones((3, 2)), np.ones((1, 3)), np.zeros((1, 1))
    Z, cache = dnn.linear_forward(A, W, b)
    assert Z.shape == (1, 2) and cache[0] is A and cache[1] is W and cache[2] is b


# ----- nbgrader's cell metadata on the solution notebooks ----------------------------------------


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_solution_notebook_carries_nbgrader_metadata_one_point_per_exercise(nb):
    from shared_utils.engine.checking import exercises

    cells = notebooks.solution_notebook(nb).cells
    metas = [c.metadata["nbgrader"] for c in cells]
    assert all(m["schema_version"] == 3 and m["grade_id"] for m in metas)
    assert len({m["grade_id"] for m in metas}) == len(metas), "grade ids must be unique"
    checked = []
    for cell, m in zip(cells, metas):
        calls = re.findall(r"\bcheck\.(\w+)\(", cell.source)
        if BEGIN in cell.source:
            assert m["solution"] and not m["locked"] and not m["grade"], cell.source[:80]
        elif calls and cell.cell_type == "code":
            assert m["grade"] and m["locked"] and not m["solution"] and m["points"] == len(calls)
            assert m["grade_id"] == "check_" + "_".join(calls)
            checked += calls
        else:
            assert m["locked"] and not m["grade"] and not m["solution"]
    # every exercise of the check module is worth one point, checked once
    assert sorted(checked) == sorted(exercises(nb.checks_module))


def test_nbgrader_metadata_names_cells_and_refuses_a_check_inside_a_solution_cell():
    new = nbformat.v4
    nb = new.new_notebook(
        cells=[
            new.new_markdown_cell("# Demo"),
            new.new_code_cell("from shared_utils.checks import c9_01_demo as grader"),
            new.new_code_cell(f"def f(x):\n    {BEGIN}\n    y = x\n    {END}\n    return y"),
            new.new_code_cell("grader.f(f)\ngrader.g(f)"),
            new.new_markdown_cell(f"Why?\n\n{BEGIN}\nBecause.\n{END}"),
        ]
    )
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    metas = [c.metadata["nbgrader"] for c in notebooks.nbgrader_cells(nb).cells]
    assert [m["grade_id"] for m in metas] == ["cell-000", "cell-001", "f", "check_f_g", "answer-cell-004"]
    assert metas[3]["points"] == 2 and metas[3]["grade"] and metas[3]["locked"]
    assert metas[4]["grade"] and metas[4]["solution"] and metas[4]["points"] == 1  # graded by hand
    nb.cells[2].source += "\ngrader.f(f)"
    with pytest.raises(BuildError, match="the check goes in the cell after the exercise"):
        notebooks.nbgrader_cells(nb)

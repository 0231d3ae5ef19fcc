"""The first cell of every notebook: quiet TensorFlow locally, the workbook fetched where it is absent."""

from __future__ import annotations

import json
import os
import re
import site
import subprocess
import sys
import textwrap

import nbformat
import pytest

from shared_utils import REPO_ROOT
from shared_utils.engine import build, first_cell
from shared_utils.engine.first_cell import ENV_DIR, ENV_REPOSITORY, LOADED, LOADING, TAG

NOTEBOOKS = build.discover()
IDS = [n.key for n in NOTEBOOKS]


def _first_code_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_every_learner_and_solution_notebook_starts_with_the_set_up_cell(nb):
    for notebook in (nbformat.read(nb.learner_path, as_version=4), build.solution_notebook(nb)):
        cell = _first_code_cell(notebook)
        assert TAG in cell.metadata["tags"] and "setup" not in cell.metadata["tags"]
        assert f"course={nb.course!r}" in cell.source
        assert "shared_utils" not in cell.source.replace('"shared_utils"', "")  # it imports nothing of ours
        assert sum(TAG in c.metadata.get("tags", []) for c in notebook.cells) == 1
    assert nb.read().cells[0].cell_type == "markdown", "the header stays above the set-up cell"


def test_tensorflow_is_announced_where_the_notebook_loads_it_and_only_there():
    def loads(name):
        (nb,) = [n for n in NOTEBOOKS if n.name == name]
        return "tensorflow=True" in _first_code_cell(build.solution_notebook(nb)).source

    assert loads("06_tensorflow") and loads("02_regularization")  # `import tensorflow` in the setup
    assert loads("01_python_numpy")  # its checks' oracles are TensorFlow ops
    assert not loads("01_initialization") and not loads("07_evaluation")  # NumPy and scikit-learn only


def test_repository_address_comes_from_pyproject(tmp_path):
    assert first_cell.repository() == first_cell.repository(REPO_ROOT / "pyproject.toml")
    toml = tmp_path / "pyproject.toml"
    toml.write_text('[project]\nname = "x"\n\n[tool.workbook]\nrepository = "https://example.org/wb.git"\n')
    assert first_cell.repository(toml) == "https://example.org/wb.git"
    assert first_cell.repository(tmp_path / "absent.toml") == ""
    assert "repository='https://example.org/wb.git'" in first_cell.first_cell(
        "course1_foundations", False, url=toml.read_text().split('"')[-2]
    )


def _isolated(script: str, cell: str, env: dict, extra_path: list[str]) -> subprocess.CompletedProcess:
    """Run ``script`` after the cell in a python that cannot import shared_utils: -I (no PYTHONPATH,
    no script folder) and -S (no .pth files, so no editable-install hook); the installed
    packages stay importable through ``extra_path``."""
    prelude = f"import sys\nsys.path += {extra_path!r}\n"
    code = prelude + "exec(compile(" + repr(cell) + ", 'first_cell', 'exec'))\n" + textwrap.dedent(script)
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBOOK_", "TF_CPP"))}
    return {**env, **extra}


def test_where_the_workbook_is_absent_the_cell_clones_it_and_makes_it_importable_without_a_restart(tmp_path):
    home = tmp_path / "dl-workbook"
    cell = first_cell.first_cell("course2_tuning", tensorflow=False, url="")
    env = _env(**{ENV_REPOSITORY: REPO_ROOT.as_uri(), ENV_DIR: str(home), "HOME": str(tmp_path)})
    script = """
        import json, os, shared_utils
        from shared_utils.engine import checking
        quiet = "TF_CPP_MIN_LOG_LEVEL" in os.environ
        print(json.dumps({"file": shared_utils.__file__, "cwd": os.getcwd(), "tf": quiet}))
    """
    probe = "import importlib.util; assert importlib.util.find_spec('shared_utils') is None, 'not isolated'\n"
    done = _isolated(probe + script, "", env, site.getsitepackages())
    assert done.returncode != 0 and "not isolated" not in done.stderr  # the probe passes: it is absent
    done = _isolated(script, cell, env, site.getsitepackages())
    assert done.returncode == 0, done.stderr
    *lines, last = done.stdout.splitlines()
    seen = json.loads(last)
    assert seen["file"] == str(home / "shared_utils" / "__init__.py")
    assert seen["cwd"] == str(home / "course2_tuning") and seen["tf"]
    assert any(line.startswith(f"Fetching the workbook from {REPO_ROOT.as_uri()}") for line in lines)
    assert not any(line.startswith("Installing") for line in lines), "everything pinned is installed here"
    # after a restart the clone is there: nothing is fetched again
    again = _isolated(script, cell, env, site.getsitepackages())
    assert again.returncode == 0 and "Fetching" not in again.stdout, again.stderr
    assert json.loads(again.stdout.splitlines()[-1])["file"] == seen["file"]


def test_without_an_address_the_cell_says_how_to_give_one(tmp_path):
    cell = first_cell.first_cell("course1_foundations", tensorflow=False, url="")
    env = _env(**{ENV_DIR: str(tmp_path / "none")})
    done = _isolated("", cell, env, site.getsitepackages())
    assert done.returncode != 0 and f"os.environ[{ENV_REPOSITORY!r}]" in done.stderr


def test_the_tensorflow_import_keeps_other_stderr_lines_and_drops_the_start_up_noise(tmp_path):
    fake = tmp_path / "tensorflow.py"
    fake.write_text(
        "import os\n"
        "os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called are written\\n')\n"
        "os.write(2, b'I0000 00:00:1.0  1 port.cc:153] oneDNN custom operations are on. You may see\\n')\n"
        "os.write(2, b'a real problem\\n')\n"
    )
    cell = first_cell.first_cell("course1_foundations", tensorflow=True, url="")
    done = _isolated("", cell, _env(), [str(tmp_path), str(REPO_ROOT)])
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(re.escape(LOADING) + r"\.*" + re.escape(LOADED) + "\n", done.stdout), done.stdout
    assert done.stderr == "a real problem\n"


@pytest.mark.notebook
def test_a_learner_kernel_without_the_variables_shows_only_the_loading_line():
    """JupyterLab's kernel gets no TF_CPP_MIN_LOG_LEVEL: the set-up cells still print nothing on stderr."""
    from nbclient import NotebookClient

    (nb,) = [n for n in NOTEBOOKS if n.name == "06_tensorflow"]
    learner = nbformat.read(nb.learner_path, as_version=4)
    kept = [
        c
        for c in learner.cells
        if c.cell_type == "code" and ({TAG, "setup"} & set(c.metadata.get("tags", [])))
    ]
    learner.cells = kept + [
        nbformat.v4.new_code_cell("import keras, tensorflow as tf\nprint(float(tf.reduce_sum(tf.ones(3))))")
    ]
    env = _env(MPLBACKEND="Agg")
    NotebookClient(
        learner,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(REPO_ROOT / nb.course)}},
    ).execute(env=env)
    outputs = [[(o.get("name"), o.get("text")) for o in c.outputs] for c in learner.cells]
    first = "".join(text for _, text in outputs[0])
    assert {name for name, _ in outputs[0]} == {"stdout"}, outputs[0]
    assert re.fullmatch(re.escape(LOADING) + r"\.*" + re.escape(LOADED) + "\n", first), first
    assert not [o for cell in outputs for o in cell if o[0] != "stdout"], outputs
    assert outputs[-1] == [("stdout", "3.0\n")]

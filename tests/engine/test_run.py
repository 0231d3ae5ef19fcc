"""The run report: status, seconds and headline figure per notebook, as a table and JSON;
and the one executor under it (environment, parameters, time limit per cell)."""

from __future__ import annotations

import json
import os

import jupytext
import nbformat
import pytest

from shared_utils.engine import run as runner
from shared_utils.engine.build import Notebook
from shared_utils.engine.execute import execute_notebook, inject_parameters

SOURCE = """# ---
# jupyter:
#   kernelspec: {{display_name: Python 3, language: python, name: python3}}
#   workbook: {{checks: c1_python_numpy, fast: {{n: 2}}}}
# ---

# %% [markdown]
# # A tiny notebook

# %% tags=["parameters"]
n = 10

# %%
from shared_utils.engine.report import headline
{body}
headline("accuracy", n / 10, target=0.9)
"""


def _notebook(tmp_path, name, body=""):
    src = tmp_path / f"{name}.py"
    src.write_text(SOURCE.format(body=body))
    return Notebook(src, "course1_foundations", name, jupytext.read(src).metadata["workbook"])


@pytest.fixture(autouse=True)
def _build_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BUILD", tmp_path / "build")
    import shared_utils.engine.build as nbmod

    real = nbmod.write_solution
    monkeypatch.setattr(runner, "write_solution", lambda nb, out: real(nb, tmp_path / "build" / "solutions"))


def test_full_and_fast_runs_collect_the_headline(tmp_path, capsys):
    nb = _notebook(tmp_path, "zz_ok")
    full = runner.execute(nb)
    assert (full.status, full.figure, full.value, full.met) == ("ok", "accuracy", 1.0, True)
    fast = runner.execute(nb, fast=True)  # the fast parameter n = 2 reaches the kernel
    assert fast.status == "ok" and fast.value == pytest.approx(0.2) and fast.met is False


def test_missed_target_and_failure_are_reported(tmp_path, capsys):
    missed = _notebook(tmp_path, "zz_missed", body="n = 5")
    failing = _notebook(tmp_path, "zz_fails", body="raise ValueError('broken data')")
    out = tmp_path / "report.json"
    code = runner.run([missed, failing], json_path=out)
    assert code == 1
    table = capsys.readouterr().out
    assert "target missed" in table and "failed" in table
    data = json.loads(out.read_text())
    assert [r["status"] for r in data["results"]] == ["target missed", "failed"]
    assert "broken data" in data["results"][1]["error"]


def test_time_limit_per_cell_fails_the_run(tmp_path):
    slow = _notebook(tmp_path, "zz_slow", body="import time\ntime.sleep(120)")
    result = runner.execute(slow, cell_timeout=5)
    assert result.status == "failed"
    # cell 0 is the header, cell 1 the set-up cell the build puts first (engine/first_cell.py)
    assert result.error.splitlines()[0] == "cell 3: stopped after 5 s (time limit per cell)"
    assert result.seconds < 60


def test_environment_reaches_the_kernel_and_not_this_process(tmp_path):
    body = (
        "import os\n"
        "assert os.environ['ZZ_EXTRA'] == 'yes', 'extra variable missing'\n"
        "assert os.environ['MPLBACKEND'] == 'Agg' and os.environ['TF_CPP_MIN_LOG_LEVEL']\n"
        "assert os.environ['WORKBOOK_REPORT'].endswith('.jsonl')"
    )
    nb = _notebook(tmp_path, "zz_env", body=body)
    before = dict(os.environ)
    result = runner.execute(nb, extra_env={"ZZ_EXTRA": "yes"})
    assert result.status == "ok", result.error
    assert dict(os.environ) == before, "execute() changed the process environment"


def _cells(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def test_executor_interrupts_a_cell_past_its_limit_and_goes_on(tmp_path):
    nb = _cells("import time\ntime.sleep(120)", "raise ValueError('bad')", "import os\nprint(os.getcwd())")
    run = execute_notebook(nb, tmp_path, cell_timeout=3, env={"ZZ": "1"})
    assert [(e.index, e.ename, e.timed_out) for e in run.errors] == [
        (0, "CellTimeoutError", True),
        (1, "ValueError", False),
    ]
    assert run.errors[0].timeout == 3 and run.stopped is None and not run.ok
    assert nb.cells[2].outputs[0]["text"].strip() == str(tmp_path), "the kernel runs in cwd"
    assert run.seconds < 60


def test_executor_stop_on_error_and_per_cell_limits(tmp_path):
    nb = _cells("raise KeyError('first')", "print('not reached')")
    run = execute_notebook(nb, tmp_path, cell_timeout=30, stop_on_error=True)
    assert [e.summary() for e in run.errors] == ["cell 0: KeyError: 'first'"]
    assert "not run" in run.stopped and not nb.cells[1].get("outputs")
    nb = _cells("import time\ntime.sleep(4)\nprint('done')")
    run = execute_notebook(nb, tmp_path, cell_timeout=1, timeouts={0: 30})
    assert run.ok and nb.cells[0].outputs[0]["text"] == "done\n"


def test_executor_stops_when_the_kernel_ignores_interrupts(tmp_path):
    deaf = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    nb = _cells(deaf, "x = 1", "print('never')")
    run = execute_notebook(nb, tmp_path, cell_timeout=2)
    assert [e.index for e in run.errors if e.timed_out] == [0, 1]
    assert run.stopped == "the kernel does not respond to interrupts; remaining cells skipped"
    assert not nb.cells[2].get("outputs")


def test_parameters_are_injected_after_the_parameters_cell():
    nb = _cells("import math", "n = 10", "print(n)")
    nb.cells[1].metadata["tags"] = ["parameters"]
    inject_parameters(nb, {"n": 2, "widths": [5, 10]})
    inject_parameters(nb, {"n": 3})  # a second injection replaces the first
    assert [c.metadata.get("tags", []) for c in nb.cells] == [[], ["parameters"], ["injected-parameters"], []]
    assert nb.cells[2].source == "# Parameters\nn = 3\n"

"""The run report: status, seconds and headline figure per notebook, as a table and JSON."""

from __future__ import annotations

import json

import jupytext
import pytest

from shared_utils.engine import run as runner
from shared_utils.engine.build import Notebook

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

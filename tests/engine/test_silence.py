"""Silent waits: each cell's longest time without new output, measured while it executes,
and carried into the run report."""

from __future__ import annotations

import datetime

import nbformat
import pytest

from shared_utils.engine.execute import execute_notebook
from shared_utils.engine.silence import SilenceMeter, longest_silent_wait


def _msg(kind: str, at: float, **content) -> dict:
    date = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=at)
    return {"msg_type": kind, "header": {"date": date}, "content": content}


def test_meter_takes_the_longest_gap_from_start_between_outputs_and_to_the_end():
    meter = SilenceMeter()
    events = [
        _msg("status", 0.0, execution_state="busy"),
        _msg("execute_input", 0.1, code="fit()"),  # not visible: does not end the silence
        _msg("stream", 2.0, name="stdout", text="epoch 1\n"),  # 2.0 s from the start
        _msg("stream", 2.5, name="stdout", text="epoch 2\n"),
        _msg("status", 6.0, execution_state="idle"),  # 3.5 s from the last output
    ]
    for m in events:
        meter.observe(m, 4, received=_at(m))  # each message arrives as the kernel sends it
    meter.observe(_msg("status", 7.0, execution_state="busy"), 5, received=7.0)
    meter.observe(_msg("status", 7.3, execution_state="idle"), 5, received=7.3)  # no output at all
    assert meter.longest == {4: pytest.approx(3.5), 5: pytest.approx(0.3)}


def _at(msg: dict) -> float:
    """The seconds ``_msg`` was given."""
    origin = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    return (msg["header"]["date"] - origin).total_seconds()


def test_a_step_of_the_wall_clock_does_not_make_up_a_silence():
    meter = SilenceMeter()
    meter.observe(_msg("status", 0.0, execution_state="busy"), 3, received=100.0)
    # the system clock jumps 16 s forward while the cell sleeps 1.5 s: the kernel's dates say
    # 17.6 s, this process's monotonic clock 1.5 s
    meter.observe(_msg("status", 17.6, execution_state="idle"), 3, received=101.5)
    assert meter.longest == {3: pytest.approx(1.5)}


def test_a_silent_sleep_is_measured_and_a_chatty_loop_is_not(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("prose"),
            nbformat.v4.new_code_cell("import time\ntime.sleep(1.5)"),
            nbformat.v4.new_code_cell(
                "import time, sys\nfor i in range(8):\n    print(i, flush=True)\n    time.sleep(0.2)"
            ),
        ]
    )
    run = execute_notebook(nb, tmp_path, cell_timeout=60)
    assert run.ok
    assert run.silences[1] >= 1.4, run.silences
    assert run.silences[2] < 0.9, run.silences  # 0.2 s apart, plus the kernel's 0.2 s flush
    worst = longest_silent_wait(nb, run.silences)
    assert (worst.cell, worst.line) == (1, "import time")


def test_run_report_names_the_longest_silent_wait_and_its_cell(tmp_path, monkeypatch, capsys):
    import json

    import jupytext

    from shared_utils.engine import build as nbmod
    from shared_utils.engine import run as runner
    from shared_utils.engine.build import Notebook

    monkeypatch.setattr(runner, "BUILD", tmp_path / "build")
    real = nbmod.write_solution
    monkeypatch.setattr(runner, "write_solution", lambda nb, out: real(nb, tmp_path / "build" / "solutions"))
    src = tmp_path / "zz_quiet.py"
    src.write_text(
        "# ---\n# jupyter:\n#   kernelspec: {display_name: Python 3, language: python, name: python3}\n"
        "#   workbook: {checks: c1_python_numpy, fast: {}}\n# ---\n\n"
        "# %% [markdown]\n# # A tiny notebook\n\n# %%\nprint('hello')\n\n"
        "# %%\n# a long silent step\nimport time\ntime.sleep(1.5)\n"
    )
    nb = Notebook(src, "course1_foundations", "zz_quiet", jupytext.read(src).metadata["workbook"])
    out = tmp_path / "report.json"
    runner.run([nb], json_path=out)
    row = json.loads(out.read_text())["results"][0]
    assert row["longest_silent_s"] >= 1.4
    # cell [1] is the set-up cell the build puts first, [2] the print, [3] the sleep
    assert (row["silent_cell"], row["silent_line"]) == (3, "# a long silent step")
    assert row["silent_cells"] == []  # nothing over 5 s
    assert "longest silent wait: " in capsys.readouterr().out


def test_silence_table_lists_every_cell_over_the_limit():
    from shared_utils.engine.run import RunResult, format_silences

    r = RunResult("c/nb", "ok", 30.0, longest_silent_s=9.0, silent_cell=4, silent_line="fit()")
    r.silent_cells = [[2, 6.0, "import tensorflow"], [4, 9.0, "fit()"]]
    table = format_silences([r, RunResult("c/other", "failed", 1.0)]).splitlines()
    assert table[2].split() == ["c/nb", "9.0", "4", "fit()"]
    assert table[3].split() == ["6.0", "2", "import", "tensorflow"]
    assert table[4].split() == ["c/other", "-", "-"]
    assert table[-1] == "longest silent wait: 9.0 s in c/nb, cell [4]"

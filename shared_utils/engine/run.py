"""`python -m shared_utils run`: execute solution notebooks headless and report.

Each solution notebook is built into ``build/solutions/`` and executed by
:mod:`shared_utils.engine.execute` in its course folder (fast mode injects the smaller
parameters the notebook declares, papermill's way); its headline figure is read back from
the report file the notebook writes through :func:`shared_utils.engine.report.headline`.
The table is printed and saved as JSON, with each notebook's longest silent wait (the longest
time a cell showed no new output, :mod:`shared_utils.engine.silence`), its cell's JupyterLab
number and first line.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from shared_utils.engine.build import REPO_ROOT, Notebook, write_solution
from shared_utils.engine.execute import Execution, execute_notebook, inject_parameters
from shared_utils.engine.report import REPORT_ENV, format_value
from shared_utils.engine.silence import longest_silent_wait, silent_waits_over

BUILD = REPO_ROOT / "build"


@dataclass
class RunResult:
    notebook: str
    status: str  # "ok", "failed" or "target missed"
    seconds: float
    figure: str | None = None
    value: float | None = None
    target: float | None = None
    met: bool | None = None
    higher_is_better: bool = True
    error: str | None = None
    output: str | None = None
    longest_silent_s: float | None = None  # the longest time a cell showed no new output
    silent_cell: int | None = None  # that cell's number in JupyterLab ([n] after Run All)
    silent_line: str | None = None  # that cell's first line
    silent_cells: list | None = None  # each cell silent over silence.LIMIT_S: [number, seconds, first line]


def execute(
    notebook: Notebook,
    fast: bool = False,
    out_dir: Path | None = None,
    extra_env: dict | None = None,
    cell_timeout: float = 900,
) -> RunResult:
    """Execute one solution notebook; never raises for a notebook error.

    The executed notebook is written to ``out_dir``; execution stops at the first cell that raises
    or runs past ``cell_timeout`` seconds.  ``extra_env`` reaches the kernel only.
    """
    out_dir = out_dir or BUILD / ("fast" if fast else "full")
    src = write_solution(notebook, BUILD / "solutions")
    executed = out_dir / notebook.course / f"{notebook.name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(src, as_version=4)
    if fast:
        inject_parameters(nb, notebook.fast_parameters)
    fd, report_file = tempfile.mkstemp(prefix="workbook-report-", suffix=".jsonl")
    os.close(fd)
    try:
        run = execute_notebook(
            nb,
            REPO_ROOT / notebook.course,
            cell_timeout=cell_timeout,
            env={REPORT_ENV: report_file, **(extra_env or {})},
            stop_on_error=True,
        )
        lines = Path(report_file).read_text(encoding="utf-8").splitlines()
    finally:
        os.unlink(report_file)
    nbformat.write(nb, executed)
    error = _error_text(run)
    result = RunResult(
        notebook.key, "failed" if error else "ok", round(run.seconds, 1), error=error, output=str(executed)
    )
    silent = longest_silent_wait(nb, run.silences)
    if silent:
        result.longest_silent_s, result.silent_cell, result.silent_line = (
            silent.seconds,
            silent.cell,
            silent.line,
        )
    result.silent_cells = [[w.cell, w.seconds, w.line] for w in silent_waits_over(nb, run.silences)]
    if lines:
        h = json.loads(lines[-1])
        result.figure, result.value, result.target, result.met = h["name"], h["value"], h["target"], h["met"]
        result.higher_is_better = h["higher_is_better"]
        if not error and not fast and not h["met"]:
            result.status = "target missed"
    return result


def _error_text(run: Execution) -> str | None:
    """The first error's one-line summary, then its traceback (its last 2000 characters)."""
    if run.errors:
        first = run.errors[0]
        return f"{first.summary()}\n{first.traceback[-2000:]}".strip()
    return run.stopped


def format_table(results: list[RunResult], fast: bool) -> str:
    width = max([len(r.notebook) for r in results] + [8])
    header = f"{'notebook':<{width}} {'status':<14} {'seconds':>8}  headline figure (target)"
    rows = [header, "-" * (len(header) + 30)]
    for r in results:
        fig = ""
        if r.figure:
            op = "≥" if r.higher_is_better else "≤"
            note = "; fast run" if fast else ""
            fig = f"{r.figure} = {format_value(r.value)} (target {op} {r.target:g}{note})"
        rows.append(f"{r.notebook:<{width}} {r.status:<14} {r.seconds:>8.1f}  {fig}")
    total = sum(r.seconds for r in results)
    rows.append(
        f"{len(results)} notebooks, {sum(r.status == 'ok' for r in results)} ok, {total:.0f} s in all"
    )
    return "\n".join(rows)


def format_silences(results: list[RunResult]) -> str:
    """Per notebook: the longest silent wait, its cell and that cell's first line; then, indented,
    the other cells silent for over ``silence.LIMIT_S`` seconds."""
    width = max([len(r.notebook) for r in results] + [8])
    header = f"{'notebook':<{width}} {'silent s':>8} {'cell':>5}  first line of the cell"
    rows = [header, "-" * (len(header) + 30)]
    for r in results:
        if r.longest_silent_s is None:
            rows.append(f"{r.notebook:<{width}} {'-':>8} {'-':>5}")
            continue
        rows.append(
            f"{r.notebook:<{width}} {r.longest_silent_s:>8.1f} {r.silent_cell or '-':>5}  {r.silent_line}"
        )
        for number, seconds, line in r.silent_cells or []:
            if number != r.silent_cell:
                rows.append(f"{'':<{width}} {seconds:>8.1f} {number or '-':>5}  {line}")
    measured = [r for r in results if r.longest_silent_s is not None]
    if measured:
        worst = max(measured, key=lambda r: r.longest_silent_s)
        rows.append(
            f"longest silent wait: {worst.longest_silent_s:.1f} s"
            f" in {worst.notebook}, cell [{worst.silent_cell}]"
        )
    return "\n".join(rows)


def run(notebooks: list[Notebook], fast: bool = False, json_path: Path | None = None) -> int:
    results = []
    for n in notebooks:
        print(f"running {n.key}{' (fast)' if fast else ''} ...", flush=True)
        r = execute(n, fast=fast)
        results.append(r)
        print(
            f"  {r.status} in {r.seconds:.1f} s" + (f": {r.error.splitlines()[0]}" if r.error else ""),
            flush=True,
        )
    print()
    print(format_table(results, fast))
    print()
    print(format_silences(results))
    json_path = json_path or BUILD / ("report-fast.json" if fast else "report.json")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({"fast": fast, "results": [asdict(r) for r in results]}, indent=2))
    print(f"report written to {json_path}")
    return 0 if all(r.status == "ok" for r in results) else 1

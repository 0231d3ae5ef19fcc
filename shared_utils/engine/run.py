"""`python -m shared_utils run`: execute solution notebooks headless and report.

Each solution notebook is built into ``build/solutions/``, executed with papermill in its
course folder (fast mode injects the smaller parameters the notebook declares), and its
headline figure is read back from the report file the notebook writes through
:func:`shared_utils.engine.report.headline`.  The table is printed and saved as JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from shared_utils.engine.build import REPO_ROOT, Notebook, write_solution
from shared_utils.engine.report import REPORT_ENV, format_value

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


def execute(
    notebook: Notebook,
    fast: bool = False,
    out_dir: Path | None = None,
    extra_env: dict | None = None,
    cell_timeout: int = 900,
) -> RunResult:
    """Execute one solution notebook; never raises for a notebook error."""
    import papermill

    out_dir = out_dir or BUILD / ("fast" if fast else "full")
    src = write_solution(notebook, BUILD / "solutions")
    executed = out_dir / notebook.course / f"{notebook.name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    params = notebook.fast_parameters if fast else {}
    fd, report_file = tempfile.mkstemp(prefix="workbook-report-", suffix=".jsonl")
    os.close(fd)
    saved = {k: os.environ.get(k) for k in [REPORT_ENV, "TF_CPP_MIN_LOG_LEVEL", *(extra_env or {})]}
    os.environ.update({REPORT_ENV: report_file, "TF_CPP_MIN_LOG_LEVEL": "2", **(extra_env or {})})
    start = time.perf_counter()
    error = None
    try:
        papermill.execute_notebook(
            str(src),
            str(executed),
            parameters=params,
            cwd=str(REPO_ROOT / notebook.course),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            execution_timeout=cell_timeout,
        )
    except Exception as exc:  # papermill raises PapermillExecutionError with the cell's error
        error = f"{type(exc).__name__}: {str(exc).strip()[-2000:]}"
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    seconds = time.perf_counter() - start
    lines = Path(report_file).read_text(encoding="utf-8").splitlines()
    os.unlink(report_file)
    result = RunResult(
        notebook.key, "failed" if error else "ok", round(seconds, 1), error=error, output=str(executed)
    )
    if lines:
        h = json.loads(lines[-1])
        result.figure, result.value, result.target, result.met = h["name"], h["value"], h["target"], h["met"]
        result.higher_is_better = h["higher_is_better"]
        if not error and not fast and not h["met"]:
            result.status = "target missed"
    return result


def format_table(results: list[RunResult], fast: bool) -> str:
    width = max([len(r.notebook) for r in results] + [8])
    header = f"{'notebook':<{width}} {'status':<14} {'seconds':>8}  headline figure (target)"
    rows = [header, "-" * (len(header) + 30)]
    for r in results:
        fig = ""
        if r.figure:
            op = "≥" if r.higher_is_better else "≤"
            fig = f"{r.figure} = {format_value(r.value)} (target {op} {r.target:g}{'; fast run' if fast else ''})"
        rows.append(f"{r.notebook:<{width}} {r.status:<14} {r.seconds:>8.1f}  {fig}")
    total = sum(r.seconds for r in results)
    rows.append(
        f"{len(results)} notebooks, {sum(r.status == 'ok' for r in results)} ok, {total:.0f} s in all"
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
    json_path = json_path or BUILD / ("report-fast.json" if fast else "report.json")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({"fast": fast, "results": [asdict(r) for r in results]}, indent=2))
    print(f"report written to {json_path}")
    return 0 if all(r.status == "ok" for r in results) else 1

"""`python -m shared_utils check PATH.ipynb`: grade a learner's notebook offline.

The notebook is read (never written) and executed in memory by
:mod:`shared_utils.engine.execute` in a fresh, quiet kernel in its own folder, with a time limit
per cell; a last cell then runs every exercise's extended check in that kernel against the
learner's objects.  The exit status is 0 when every exercise passes, 1 when one fails or is not
done, 2 when the file cannot be graded.

The report is written for a teacher: one row per exercise (PASS, FAIL or NOT DONE, and the cell
that defines it), then the whole message of each failure once, then the errors of cells that no
exercise explains.  Cells are numbered ``[n]`` as JupyterLab numbers them after Restart Kernel and
Run All Cells (the n-th code cell).  A cell that raised only because an exercise above it is not
done or fails (its stub raised NotImplementedError, its name is undefined, its check failed) is
a knock-on error: it is counted on one line, not listed.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from shared_utils.engine.build import discover
from shared_utils.engine.checking import GRADE_MARK
from shared_utils.engine.execute import CellError, Execution, cell_number, execute_notebook

PASS, FAIL, NOT_DONE = "PASS", "FAIL", "NOT DONE"
MESSAGE_CHARS = 1000  # a message longer than this is cut after a whole line, with CUT_MARK
CUT_MARK = "[... cut]"
KERNEL_LOG_LINES = 15  # the end of the kernel's own output shown when it died
_UNDEFINED = re.compile(r"name '([A-Za-z_]\w*)' is not defined")
_WORD = re.compile(r"[A-Za-z_]\w*")


class GradingError(Exception):
    """The file cannot be graded (not a notebook, no exercises)."""


def clip(message: str, limit: int = MESSAGE_CHARS) -> str:
    """``message`` whole when it fits in about ``limit`` characters, else its first whole lines
    and ``[... cut]``.  A line is never cut, unless the first line alone is over the limit."""
    message = message.rstrip()
    if len(message) <= limit:
        return message
    kept: list[str] = []
    size = 0
    for line in message.splitlines():
        if kept and size + len(line) + 1 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    if len(kept[0]) > limit:
        kept[0] = kept[0][:limit].rstrip()
    return "\n".join(kept) + f"\n{CUT_MARK}"


def status_of(entry: dict) -> str:
    """PASS, FAIL, or NOT DONE for an exercise whose stub still raises NotImplementedError."""
    if entry["passed"]:
        return PASS
    return NOT_DONE if entry["message"].startswith("not implemented") else FAIL


@dataclass
class CellInfo:
    """What a code cell binds at top level (``def f``, ``x = ...``, imports) and the names it reads."""

    binds: set[str]
    reads: set[str]


def _loads(nodes: list[ast.AST]) -> set[str]:
    return {
        n.id
        for node in nodes
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }


def _cell_info(source: str) -> CellInfo:
    """A function's body counts as read only when the cell itself calls the function."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: every word counts as read, a `def name` as bound
        binds = set(re.findall(r"^(?:def|class)\s+([A-Za-z_]\w*)", source, re.M))
        return CellInfo(binds, set(_WORD.findall(source)) - binds)
    binds: set[str] = set()
    bodies: dict[str, set[str]] = {}
    top: list[ast.AST] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            binds.add(node.name)
            bodies[node.name] = _loads(node.body)
            top += [*node.decorator_list, node.args]
        elif isinstance(node, ast.ClassDef):
            binds.add(node.name)
            top.append(node)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            binds |= {(a.asname or a.name).split(".")[0] for a in node.names}
        else:
            binds |= {
                n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
            }
            top.append(node)
    reads = _loads(top)
    for name, body in bodies.items():
        if name in reads:
            reads |= body
    return CellInfo(binds, reads)


@dataclass
class GradeReport:
    path: str
    module: str
    exercises: list[dict] = field(default_factory=list)  # exercise, passed, message, status, cell
    cell_errors: list[str] = field(default_factory=list)  # errors no exercise explains, whole
    knock_on: list[int] = field(default_factory=list)  # cells [n] that raised because of an exercise
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(e["passed"] for e in self.exercises)

    @property
    def ok(self) -> bool:
        return bool(self.exercises) and self.passed == len(self.exercises)

    def table(self) -> str:
        """The report a teacher reads: score table, details of each failure, unexplained errors."""
        counts = {s: sum(e["status"] == s for e in self.exercises) for s in (PASS, FAIL, NOT_DONE)}
        width = max([len(e["exercise"]) for e in self.exercises] + [8])
        rule = "-" * (width + 18)
        lines = [
            f"Grading {self.path} ({self.seconds:.0f} s)",
            "Cells are numbered [n] as JupyterLab shows them after Restart Kernel and Run All Cells",
            "(the n-th code cell of the notebook).",
            "",
            f"{'exercise':<{width}}  {'result':<8}  cell",
            rule,
        ]
        for e in self.exercises:
            where = f"[{e['cell']}]" if e.get("cell") else "not found"
            lines.append(f"{e['exercise']:<{width}}  {e['status']:<8}  {where}")
        lines.append(rule)
        lines.append(
            f"score: {self.passed}/{len(self.exercises)}"
            f"  ({counts[PASS]} pass, {counts[FAIL]} fail, {counts[NOT_DONE]} not done)"
        )
        if counts[NOT_DONE]:
            lines.append("NOT DONE: the exercise's cell still raises NotImplementedError (# YOUR CODE HERE).")
        failed = [e for e in self.exercises if e["status"] == FAIL]
        if failed:
            lines += ["", "Details of the failures:"]
            by_message: dict[str, list[dict]] = {}
            for e in failed:
                by_message.setdefault(e["message"], []).append(e)
            for message, group in by_message.items():
                names = ", ".join(
                    f"{e['exercise']} (cell [{e['cell']}])" if e.get("cell") else e["exercise"] for e in group
                )
                lines += ["", f"{names}:"]
                lines += [f"    {line}" for line in clip(message).splitlines()]
        if self.cell_errors:
            lines += ["", "Cells that raised or timed out while the notebook ran:"]
            for error in self.cell_errors:
                first, *rest = error.splitlines() or [""]
                lines.append(f"  {first}")
                lines += [f"    {line}" for line in rest]
        if self.knock_on:
            n = len(self.knock_on)
            lines += [
                "",
                f"{n} later cell{'s' if n > 1 else ''} raised only because an exercise or a cell above"
                " is not done or fails (not listed):",
                "  " + ", ".join(f"[{k}]" for k in self.knock_on),
            ]
        return "\n".join(lines)


def _load(path: Path) -> nbformat.NotebookNode:
    if not path.exists():
        raise GradingError(f"{path}: no such file.")
    try:
        nb = nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as exc:
        raise GradingError(
            f"{path} is not a valid notebook (its JSON cannot be read: {exc}). "
            "Re-download it or restore it from the course folder."
        ) from None
    except Exception as exc:
        raise GradingError(f"{path} is not a valid notebook: {exc}") from None
    return nb


def _module_for(nb: nbformat.NotebookNode, path: Path) -> str:
    module = nb.metadata.get("workbook", {}).get("checks")
    if not module:
        by_name = {n.name: n.checks_module for n in discover()}
        module = by_name.get(path.stem)
    if not module:
        raise GradingError(
            f"{path} has no graded exercises: it is not one of the workbook's "
            "notebooks (its metadata names no checks module)."
        )
    from shared_utils.engine.checking import exercises

    try:
        names = exercises(module)
    except ImportError:
        raise GradingError(f"{path}: its checks module {module!r} does not exist.") from None
    if not names:
        raise GradingError(f"{path} has no exercises to grade.")
    return module


def _error_text(error: CellError, label: str) -> str:
    if error.timed_out:
        return f"{label}: stopped after {error.timeout:.0f} s (time limit per cell)"
    return f"{label}: {error.ename}: {clip(error.evalue)}"


def _sort_errors(report: GradeReport, run: Execution, grading_index: int) -> None:
    """Fill in each exercise's cell, the errors no exercise explains, and the knock-on cells."""
    nb = run.nb
    info = {i: _cell_info(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    for e in report.exercises:
        defining = [i for i, ci in info.items() if e["exercise"] in ci.binds and i != grading_index]
        e["cell"] = cell_number(nb, defining[-1]) if defining else None
    broken = {e["exercise"] for e in report.exercises if not e["passed"]}  # names a later cell may trip on
    errors = {e.index: e for e in run.errors}
    for index in sorted(errors):
        error = errors[index]
        if index == grading_index:
            report.cell_errors.append(_error_text(error, "the grading step"))
            continue
        ci = info[index]
        undefined = _UNDEFINED.search(error.evalue) if error.ename == "NameError" else None
        if error.timed_out:
            knock_on = False
        elif undefined:
            knock_on = undefined.group(1) in broken
        else:  # a stub's NotImplementedError, a failed check, or any error of a cell using a broken name
            knock_on = bool(ci.reads & broken)
        if knock_on:
            report.knock_on.append(cell_number(nb, index))
        else:
            report.cell_errors.append(_error_text(error, f"cell [{cell_number(nb, index)}]"))
        broken |= ci.binds  # what the cell would have defined is missing or half made
    if run.stopped:
        text = run.stopped
        if run.stopped_at is not None:
            where = "the grading step" if run.stopped_at == grading_index else None
            n = cell_number(nb, run.stopped_at)
            text = text.replace(f"cell {run.stopped_at}", where or f"cell [{n}]")
        if "kernel died" in text and run.kernel_log.strip():
            tail = "\n".join(run.kernel_log.rstrip().splitlines()[-KERNEL_LOG_LINES:])
            text += "\nthe kernel's last output:\n" + clip(tail)
        report.cell_errors.append(text)


def grade_notebook(
    path: str | Path, cell_timeout: float = 300, grade_timeout: float = 600, kernel_name: str = "python3"
) -> GradeReport:
    """Execute a copy of the notebook in memory and grade every exercise."""
    path = Path(path).resolve()
    nb = _load(path)
    module = _module_for(nb, path)
    report = GradeReport(str(path), module)
    grading = nbformat.v4.new_code_cell(
        f"from shared_utils.engine.checking import grade_and_print as _grade\n_grade(globals(), {module!r})"
    )
    nb.cells.append(grading)
    grading_index = len(nb.cells) - 1
    run = execute_notebook(
        nb,
        path.parent,
        cell_timeout=cell_timeout,
        timeouts={grading_index: grade_timeout},
        kernel_name=kernel_name,
        quiet=True,
    )
    report.seconds = run.seconds
    text = "".join(o.get("text", "") for o in grading.get("outputs", []) if o.get("output_type") == "stream")
    marked = [line for line in text.splitlines() if line.startswith(GRADE_MARK)]
    if marked:
        report.exercises = json.loads(marked[-1][len(GRADE_MARK) :])
    else:
        from shared_utils.engine.checking import exercises

        reason = "not graded: the grading step did not finish (the kernel was busy or died)"
        report.exercises = [{"exercise": n, "passed": False, "message": reason} for n in exercises(module)]
    for e in report.exercises:
        e["status"] = status_of(e)
    _sort_errors(report, run, grading_index)
    return report


def main(path: str, cell_timeout: float = 300) -> int:
    try:
        report = grade_notebook(path, cell_timeout=cell_timeout)
    except GradingError as exc:
        print(f"cannot grade: {exc}")
        return 2
    print(report.table())
    return 0 if report.ok else 1

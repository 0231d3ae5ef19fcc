"""`python -m shared_utils check PATH.ipynb`: grade a learner's notebook offline.

The notebook is read (never written) and executed in memory by
:mod:`shared_utils.engine.execute` in a fresh kernel in its own folder, with a time limit per
cell; a last cell then runs every exercise's extended check in that kernel against the
learner's objects.  A score table is printed; the exit status is 0 when every exercise
passes, 1 when one fails, 2 when the file cannot be graded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from shared_utils.engine.build import discover
from shared_utils.engine.checking import GRADE_MARK
from shared_utils.engine.execute import execute_notebook


class GradingError(Exception):
    """The file cannot be graded (not a notebook, no exercises)."""


@dataclass
class GradeReport:
    path: str
    module: str
    exercises: list[dict] = field(default_factory=list)
    cell_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(e["passed"] for e in self.exercises)

    @property
    def ok(self) -> bool:
        return bool(self.exercises) and self.passed == len(self.exercises)

    def table(self) -> str:
        width = max([len(e["exercise"]) for e in self.exercises] + [8])
        lines = [f"Grading {self.path} ({self.seconds:.0f} s)", ""]
        lines.append(f"{'exercise':<{width}}  result  details")
        lines.append("-" * (width + 40))
        for e in self.exercises:
            first = e["message"].splitlines()[0] if e["message"] else ""
            lines.append(f"{e['exercise']:<{width}}  {'PASS' if e['passed'] else 'FAIL':<6}  {first}")
        lines.append("-" * (width + 40))
        lines.append(f"score: {self.passed}/{len(self.exercises)}")
        if self.cell_errors:
            lines.append("")
            lines.append("Cells that raised or timed out while the notebook ran:")
            lines += [f"  {c}" for c in self.cell_errors]
        failed = [e for e in self.exercises if not e["passed"] and "\n" in e["message"]]
        if failed:
            lines.append("")
            lines.append("Details:")
            for e in failed:
                lines.append(f"  {e['message']}".replace("\n", "\n    "))
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
    )
    report.seconds = run.seconds
    for e in run.errors:
        line = e.summary()
        report.cell_errors.append(
            line.replace(f"cell {grading_index}:", "grading:", 1) if e.index == grading_index else line
        )
    if run.stopped:
        report.cell_errors.append(run.stopped)
    text = "".join(o.get("text", "") for o in grading.get("outputs", []) if o.get("output_type") == "stream")
    marked = [line for line in text.splitlines() if line.startswith(GRADE_MARK)]
    if marked:
        report.exercises = json.loads(marked[-1][len(GRADE_MARK) :])
    else:
        from shared_utils.engine.checking import exercises

        reason = "the grading step did not finish (the kernel was busy or died)"
        report.exercises = [{"exercise": n, "passed": False, "message": reason} for n in exercises(module)]
    return report


def main(path: str, cell_timeout: float = 300) -> int:
    try:
        report = grade_notebook(path, cell_timeout=cell_timeout)
    except GradingError as exc:
        print(f"cannot grade: {exc}")
        return 2
    print(report.table())
    return 0 if report.ok else 1

"""Grading a whole class: ``python -m shared_utils check FOLDER`` (or many notebooks).

    from shared_utils.engine import gradebook
    paths = gradebook.collect(["class/"])           # every .ipynb below, sorted
    results = gradebook.grade_many(paths, jobs=4)   # in parallel, in the input order
    gradebook.write_gradebook(results, "class/")    # class/gradebook.csv and class/gradebook.json

Each notebook is graded by :func:`shared_utils.engine.grade.grade_notebook` in a worker process
of its own pool (``spawn``: a fresh interpreter, nothing inherited), at most ``jobs`` at a time.
A notebook that cannot be graded (:class:`~shared_utils.engine.grade.GradingError`: invalid JSON,
not a workbook notebook) or whose worker crashed (killed for memory, a native crash) becomes a
row that says so; the others are graded all the same.  When a worker dies, the notebooks that
were being graded with it are graded again, each alone, so that the crash is charged to the
notebook that caused it.  Workers send back plain data (numbers, strings, lists), never objects.

The gradebook has one row per exercise in ``gradebook.csv`` (``file, notebook, exercise, status,
passed, message``; a notebook that could not be graded has one row, status ``CANNOT GRADE``) and
one entry per notebook in ``gradebook.json`` (``file, notebook, module, score, total, seconds,
intact, exercises, error`` and ``report``, the grader's whole text report).  ``file`` is the
notebook's path relative to the folder graded; ``notebook`` the workbook notebook it was graded
as.  Messages are cut at about 1000 characters.  Both files are written atomically.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from shared_utils.common.files import atomic_write
from shared_utils.engine import grade

CANNOT_GRADE = "CANNOT GRADE"
CSV_NAME, JSON_NAME = "gradebook.csv", "gradebook.json"
CSV_COLUMNS = ("file", "notebook", "exercise", "status", "passed", "message")
CRASHED = (
    "the grading process crashed while grading this notebook, also when it was graded alone "
    "(killed for memory, or a native crash); the other notebooks were graded"
)
_SAMPLE = "✅❌θε−…ë"  # characters the reports use; a stream that cannot encode them replaces them
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting so as a formula


class GradebookError(ValueError):
    """A path given to grade is not a notebook or a folder of notebooks."""


# ----- what to grade ---------------------------------------------------------------------------


def _hidden(name: str) -> bool:
    return name.startswith(".")  # .ipynb_checkpoints, .git, editors' and atomic_write's temporaries


def collect(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The notebooks to grade: each path a ``.ipynb`` or a folder (every ``*.ipynb`` below it,
    sorted, skipping hidden files and folders such as ``.ipynb_checkpoints``).  A notebook named
    twice is graded once, where it first appears.  Raises :class:`GradebookError` naming a path
    that does not exist, a file that is not a ``.ipynb``, or a folder with no notebook."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            below = []
            for folder, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not _hidden(d)]
                below += [Path(folder, f) for f in files if f.endswith(".ipynb") and not _hidden(f)]
            if not below:
                raise GradebookError(f"{path}: no notebooks (*.ipynb) in this folder or below it.")
            found += sorted(below, key=lambda p: p.relative_to(path).parts)
        elif path.is_file():
            if path.suffix != ".ipynb":
                raise GradebookError(f"{path} is not a notebook: give .ipynb files or folders of them.")
            found.append(path)
        elif path.exists():
            raise GradebookError(f"{path} is neither a file nor a folder.")
        else:
            raise GradebookError(f"{path}: no such file or folder.")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def common_folder(paths: Sequence[str | os.PathLike]) -> Path:
    """The deepest folder holding every path given (the folder itself for a folder, a file's
    folder for a file): the gradebook names notebooks relative to it."""
    folders = [str(Path(p).absolute() if Path(p).is_dir() else Path(p).absolute().parent) for p in paths]
    try:
        return Path(os.path.commonpath(folders)) if folders else Path.cwd()
    except ValueError:  # different drives
        return Path(Path.cwd().anchor)


def _name(path: Path, base: Path) -> str:
    try:
        return path.absolute().relative_to(base).as_posix()
    except ValueError:
        return path.absolute().as_posix()


def available_cores() -> int:
    """The CPUs this process may run on (its affinity where the system has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# ----- one notebook's result -------------------------------------------------------------------


@dataclass
class Result:
    """What the gradebook keeps of one notebook.  ``error`` is set when it could not be graded."""

    path: Path
    file: str  # as the gradebook names it: relative to the folder graded
    notebook: str = ""
    module: str = ""
    exercises: list[dict] = field(default_factory=list)  # exercise, status, passed, message, cell
    seconds: float = 0.0
    intact: bool | None = None  # the learner's file unchanged by grading (None: not reported)
    error: str | None = None
    table: str = ""  # the grader's whole text report

    @property
    def graded(self) -> bool:
        return self.error is None

    @property
    def score(self) -> int | None:
        return sum(bool(e["passed"]) for e in self.exercises) if self.graded else None

    @property
    def total(self) -> int | None:
        return len(self.exercises) if self.graded else None

    @property
    def full_marks(self) -> bool:
        return self.graded and bool(self.exercises) and self.score == self.total

    def summary(self, width: int = 0) -> str:
        """One line: ``alice/01_python_numpy.ipynb  12/15  (3 fail)  11 s``."""
        name = f"{printable(self.file):<{width}}"
        seconds = f"{self.seconds:.0f} s"
        if not self.graded:
            first = (self.error or "").strip().splitlines() or [""]
            return f"{name}  {CANNOT_GRADE}  {seconds}  {printable(_short(first[0], 160))}"
        counts = {s: sum(e["status"] == s for e in self.exercises) for s in (grade.FAIL, grade.NOT_DONE)}
        if self.full_marks:
            detail = "(all pass)"
        else:
            parts = [f"{counts[grade.FAIL]} fail"] if counts[grade.FAIL] else []
            parts += [f"{counts[grade.NOT_DONE]} not done"] if counts[grade.NOT_DONE] else []
            detail = f"({', '.join(parts or ['none passed'])})"
        line = f"{name}  {self.score:>3}/{self.total:<3} {detail:<24} {seconds:>6}"
        if self.notebook not in ("", self.module) and Path(self.notebook).stem != Path(self.file).stem:
            line += f"  graded as {printable(self.notebook)}"
        if self.intact is False:
            line += "  LEARNER'S FILE CHANGED while grading"
        return line

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "path": str(self.path.absolute()),
            "notebook": self.notebook or None,
            "module": self.module or None,
            "score": self.score,
            "total": self.total,
            "seconds": round(self.seconds, 1),
            "intact": self.intact,
            "exercises": [
                {
                    "exercise": e["exercise"],
                    "status": e["status"],
                    "passed": bool(e["passed"]),
                    "message": grade.clip(e.get("message", "")),
                    "cell": e.get("cell"),
                }
                for e in self.exercises
            ],
            "error": self.error,
            "report": self.table or None,  # the grader's whole text report, as one notebook's check prints it
        }


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def printable(text: str) -> str:
    """``text`` with control characters (a file name's escape sequences) shown as escapes."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def report_fields(report: grade.GradeReport) -> dict:
    """The plain data of a grader's report that a :class:`Result` keeps."""
    return {
        "notebook": str(getattr(report, "notebook", None) or report.module),
        "module": str(report.module),
        "exercises": [
            {
                "exercise": str(e["exercise"]),
                "status": str(e["status"]),
                "passed": bool(e["passed"]),
                "message": str(e.get("message", "")),
                "cell": _cell_number(e.get("cell")),
            }
            for e in report.exercises
        ],
        "intact": None if getattr(report, "intact", None) is None else bool(report.intact),
        "table": report.table(),
    }


def _cell_number(cell: object) -> int | str | None:
    if cell is None or isinstance(cell, int | str):
        return cell
    try:
        return int(cell)
    except (TypeError, ValueError):
        return str(cell)


def _grade_one(grader: Callable | None, path: str, options: dict) -> dict:
    """In a worker: grade one notebook; plain data back, whatever happens short of a crash."""
    start = time.monotonic()
    try:
        fields = report_fields((grader or grade.grade_notebook)(path, **options))
    except grade.GradingError as exc:
        fields = {"error": str(exc)}
    except Exception as exc:  # a fault of the grader itself: this row says so, the others go on
        tail = "".join(traceback.format_exception(exc)[-6:])
        fields = {"error": f"the grader failed on this notebook: {type(exc).__name__}: {exc}\n{tail}"}
    fields["seconds"] = time.monotonic() - start
    return fields


# ----- many notebooks, in parallel -------------------------------------------------------------


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def grade_many(
    paths: Sequence[str | os.PathLike],
    jobs: int | None = None,
    *,
    base: str | os.PathLike | None = None,
    on_result: Callable[[Result], object] | None = None,
    grader: Callable | None = None,
    **grade_options,
) -> list[Result]:
    """Grade every notebook, ``jobs`` at a time (default: the cores available, at most one per
    notebook); returns the results in the order of ``paths``.

    ``grade_options`` go to :func:`~shared_utils.engine.grade.grade_notebook` (``cell_timeout``,
    ``grade_timeout``, ``memory_limit``, ``seed`` ...).  ``on_result(result)`` is called in this
    process as each notebook finishes.  ``base`` is the folder the gradebook names files relative
    to (default: :func:`common_folder` of ``paths``).  ``grader`` replaces ``grade_notebook``: a
    module-level function, since the workers import it by name.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    base = Path(base).absolute() if base is not None else common_folder(paths)
    jobs = max(1, min(jobs or available_cores(), len(paths)))
    results: list[Result | None] = [None] * len(paths)

    def submit(pool: ProcessPoolExecutor, i: int) -> Future:
        return pool.submit(_grade_one, grader, str(paths[i]), grade_options)

    def finish(i: int, fields: dict) -> None:
        result = Result(paths[i], _name(paths[i], base), **fields)
        results[i] = result
        if on_result is not None:
            on_result(result)

    def outcome(future: Future) -> dict | None:
        """The worker's fields; None when its pool broke (a worker died)."""
        try:
            return future.result()
        except BrokenProcessPool:
            return None
        except Exception as exc:  # the result could not come back
            return {"error": f"the grader's result could not be read back: {type(exc).__name__}: {exc}"}

    queue = deque(range(len(paths)))
    while queue:
        suspects: list[int] = []  # being graded when a worker died
        with _pool(min(jobs, len(queue))) as pool:
            running: dict[Future, int] = {}
            try:
                while queue or running:
                    while queue and len(running) < jobs and not suspects:
                        try:
                            running[submit(pool, queue[0])] = queue[0]
                        except BrokenProcessPool:  # a worker died: those running will say so
                            break
                        queue.popleft()
                    if not running:
                        break
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        i = running.pop(future)
                        fields = outcome(future)
                        if fields is None:
                            suspects.append(i)
                        else:
                            finish(i, fields)
            except BaseException:  # Ctrl-C: start nothing more
                queue.clear()
                for future in running:
                    future.cancel()
                raise
        # a worker died: grade each notebook it may have been grading alone, `jobs` pools at once
        for start in range(0, len(suspects), jobs):
            chunk = sorted(suspects[start : start + jobs])
            pools = [_pool(1) for _ in chunk]
            try:
                futures = {submit(pool, i): i for pool, i in zip(pools, chunk)}
                for future in wait(futures).done:
                    fields = outcome(future)
                    finish(futures[future], fields if fields is not None else {"error": CRASHED})
            finally:
                for pool in pools:
                    pool.shutdown(cancel_futures=True)
    return [r for r in results if r is not None]


# ----- the gradebook ---------------------------------------------------------------------------


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def gradebook_csv(results: Sequence[Result]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in results:
        if not r.graded:
            writer.writerow(
                [_cell(r.file), _cell(r.notebook), "", CANNOT_GRADE, 0, _cell(grade.clip(r.error))]
            )
        for e in r.exercises:
            message = grade.clip(e.get("message", ""))
            row = [r.file, r.notebook, e["exercise"], e["status"], int(bool(e["passed"])), message]
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def gradebook_json(results: Sequence[Result]) -> str:
    return json.dumps([r.as_json() for r in results], indent=1, ensure_ascii=False) + "\n"


def write_gradebook(results: Sequence[Result], folder: str | os.PathLike) -> tuple[Path, Path]:
    """Write ``gradebook.csv`` and ``gradebook.json`` into ``folder`` (created if needed), each
    atomically; returns their paths."""
    folder = Path(folder)
    return (
        atomic_write(folder / CSV_NAME, gradebook_csv(results)),
        atomic_write(folder / JSON_NAME, gradebook_json(results)),
    )


# ----- the command line ------------------------------------------------------------------------


def robust_output(*streams) -> None:
    """Make ``print`` survive a terminal that cannot show the reports' characters (an ASCII or
    Latin-1 locale, ``PYTHONIOENCODING=ascii``): what it cannot encode is printed as ``?``."""
    for stream in streams or (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            _SAMPLE.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="replace")


def _writable_folder(folder: Path) -> str | None:
    """Why the gradebook cannot be written into ``folder``, or None."""
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder"
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def check(
    paths: Sequence[str],
    *,
    gradebook: str | os.PathLike | None = None,
    jobs: int | None = None,
    **grade_options,
) -> int:
    """``python -m shared_utils check``: one notebook prints its whole report (exit 0 when every
    exercise passes, 1 when one does not, 2 when it cannot be graded) and writes a gradebook only
    when ``gradebook`` is given; a folder or several notebooks print one line per notebook and
    write the gradebook (exit 0 when every notebook could be graded, 2 when one could not)."""
    robust_output()
    options = {k: v for k, v in grade_options.items() if v is not None}
    folder = Path(gradebook) if gradebook is not None else None
    if folder is not None and (why := _writable_folder(folder)):
        print(f"cannot write the gradebook: {why}")
        return 2
    if len(paths) == 1 and not Path(paths[0]).is_dir():
        return _check_one(Path(paths[0]), folder, options)
    try:
        notebooks = collect(paths)
    except GradebookError as exc:
        print(f"cannot grade: {exc}")
        return 2
    if folder is None:
        folder = next((Path(p) for p in paths if Path(p).is_dir()), Path.cwd())
        if why := _writable_folder(folder):
            print(f"cannot write the gradebook: {why} (choose a folder with --gradebook DIR)")
            return 2
    jobs = max(1, min(jobs or available_cores(), len(notebooks)))
    csv_path, json_path = (folder / CSV_NAME).absolute(), (folder / JSON_NAME).absolute()
    print(f"Grading {len(notebooks)} notebook(s), {jobs} at a time; the gradebook goes to {csv_path.parent}")
    base = common_folder(paths)
    width = min(max(len(_name(p, base)) for p in notebooks), 60)
    start = time.monotonic()
    try:
        results = grade_many(
            notebooks,
            jobs,
            base=base,
            on_result=lambda r: print(r.summary(width), flush=True),
            **options,
        )
    except KeyboardInterrupt:
        print("interrupted: no gradebook written")
        return 130
    write_gradebook(results, folder)
    full = sum(r.full_marks for r in results)
    cannot = sum(not r.graded for r in results)
    print(
        f"{len(results)} notebook(s) in {time.monotonic() - start:.0f} s: {full} full marks,"
        f" {len(results) - full - cannot} with exercises failed or not done, {cannot} could not be graded"
    )
    print(f"gradebook: {csv_path}")
    print(f"           {json_path}")
    return 2 if cannot else 0


def _check_one(path: Path, folder: Path | None, options: dict) -> int:
    start = time.monotonic()
    try:
        report = grade.grade_notebook(path, **options)
    except grade.GradingError as exc:
        print(f"cannot grade: {exc}")
        result = Result(path, path.name, error=str(exc), seconds=time.monotonic() - start)
        status = 2
    else:
        print(report.table())
        fields = report_fields(report)
        result = Result(path, path.name, seconds=time.monotonic() - start, **fields)
        status = 0 if report.ok else 1
    if folder is not None:
        csv_path, json_path = write_gradebook([result], folder)
        print(f"gradebook: {csv_path.absolute()}")
        print(f"           {json_path.absolute()}")
    return status

"""`python -m shared_utils check PATH.ipynb`: grade a learner's notebook offline.

How a verdict is reached, and why learner code cannot forge it:

1. The learner's file is read, never written, and hashed before and after (the report says
   whether it is unchanged).  A copy is run in a temporary working folder whose course data is
   a read-only copy, in a fresh kernel (:mod:`shared_utils.engine.session`: a time limit per
   cell, output and memory caps).  The kernel's first cell, before any of the learner's, installs
   the grader's agent (:mod:`shared_utils.engine.agent`), whose audit hook refuses to open the
   solutions and the grader, to import the grader's modules, and to write to the workbook, the
   learner's folder, the installed packages or the course data.
2. Then each exercise is graded in its own step, in **this** process: the exercise's check
   (``shared_utils/checks/<notebook>.py``) runs here, with inputs drawn from a seed chosen afresh
   for every run, and each time it calls the learner's function the inputs are sent to the
   kernel as data and the outputs come back as data (:mod:`shared_utils.engine.remote`).
   Expected values are computed and compared here, where learner code never runs, so patching
   the checks, NumPy or the grader in the kernel, or printing a result line, changes nothing.
3. An exercise gets no credit when its function is not defined in the notebook, when its code
   (or the code it calls, read from the notebook's cells) uses the solutions, the checks'
   internals or the grader, or when the kernel refused such an access while it ran; the report
   says which.  Each step has its own time limit; a kernel that dies or ignores interrupts is
   restarted and the notebook's cells before the fault are replayed, so a fault costs the
   exercises after it, not those before.

The exit status is 0 when every exercise passes, 1 when one fails or is not done, 2 when the
file cannot be graded.

The report is written for a teacher: one row per exercise (PASS, FAIL or NOT DONE, and the cell
that defines it), then the whole message of each failure once, then the errors of cells that no
exercise explains.  Cells are numbered ``[n]`` as JupyterLab numbers them after Restart Kernel and
Run All Cells (the n-th code cell).  A cell that raised only because an exercise above it is not
done or fails (its stub raised NotImplementedError, its name is undefined, its check failed) is
a knock-on error: it is counted on one line, not listed.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib
import io
import json
import math
import os
import random
import re
import shutil
import site
import stat
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from shared_utils import REPO_ROOT
from shared_utils.engine import remote, wire
from shared_utils.engine.checking import CheckFailed, NotImplementedYet, exercises
from shared_utils.engine.execute import CellError, cell_number
from shared_utils.engine.first_cell import import_tensorflow_quietly, uses_tensorflow
from shared_utils.engine.session import KernelSession

PASS, FAIL, NOT_DONE = "PASS", "FAIL", "NOT DONE"
MESSAGE_CHARS = 1000  # a message longer than this is cut after a whole line, with CUT_MARK
CUT_MARK = "[... cut]"
KERNEL_LOG_LINES = 15  # the end of the kernel's own output shown when it died
DEFAULT_MEMORY_LIMIT = 8 * 2**30  # bytes the kernel (and its child processes) may use
MAX_RESTARTS = 3
REPLY_BYTES = 256 * 2**20  # a reply from the kernel larger than this is refused
REFUSED_MARK = "⛔ refused by the grader:"
_UNDEFINED = re.compile(r"name '([A-Za-z_]\w*)' is not defined")
_WORD = re.compile(r"[A-Za-z_]\w*")
COURSES = {
    "c1": "course1_foundations",
    "c2": "course2_tuning",
    "c4": "course4_cnn",
    "c5": "course5_sequence",
}
# modules of the solutions and the grader: never imported by a graded notebook
BLOCKED_MODULES = (
    "sources",
    "tests",
    "tools",
    "shared_utils.engine.grade",
    "shared_utils.engine.gradebook",
    "shared_utils.engine.run",
    "shared_utils.engine.build",
    "shared_utils.engine.release",
    "shared_utils.engine.session",
    "shared_utils.engine.execute",
    "shared_utils.engine.silence",
)
# imported in the kernel before the learner's first cell (their files are then closed to it)
PRELOAD = (
    "shared_utils",
    "shared_utils.engine.checking",
    "shared_utils.engine.oracles",
    "shared_utils.engine.first_cell",
    "shared_utils.engine.report",
    "shared_utils.engine.agent",
)
# the only programs a graded notebook may start: the workbook's own worker processes
PROGRAMS_ALLOWED = (("-m", "shared_utils.course2.multiworker"),)
# what an exercise's code may not use: the modules of the answers and the checks, and the
# tools that would reach them by a name built at run time
FORBIDDEN_IMPORTS = ("sources", "tests", "tools", "shared_utils.engine", "shared_utils.checks")
DYNAMIC = ("__import__", "importlib", "exec", "eval", "compile", "__builtins__", "builtins", "gc", "ctypes")


class GradingError(Exception):
    """The file cannot be graded (not a notebook, malformed, no exercises)."""


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
    notebook: str = ""  # course/name the notebook was graded as
    exercises: list[dict] = field(default_factory=list)  # exercise, passed, message, status, cell
    cell_errors: list[str] = field(default_factory=list)  # errors no exercise explains, whole
    knock_on: list[int] = field(default_factory=list)  # cells [n] that raised because of an exercise
    refused: list[str] = field(default_factory=list)  # what the kernel was refused, with the cell
    notes: list[str] = field(default_factory=list)  # restarts, identification, memory
    seconds: float = 0.0
    seed: int | None = None
    sha256_before: str = ""
    sha256_after: str = ""

    @property
    def intact(self) -> bool:
        return bool(self.sha256_before) and self.sha256_before == self.sha256_after

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
        graded_as = f" as {self.notebook}" if self.notebook else ""
        lines = [
            f"Grading {self.path}{graded_as} ({self.seconds:.0f} s)",
            "Cells are numbered [n] as JupyterLab shows them after Restart Kernel and Run All Cells",
            "(the n-th code cell of the notebook).",
        ]
        if self.module:
            seed = f", inputs drawn from seed {self.seed}" if self.seed is not None else ""
            lines.append(f"Checks: shared_utils.checks.{self.module}{seed}.")
        lines += self.notes
        lines += ["", f"{'exercise':<{width}}  {'result':<8}  cell", rule]
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
        if self.refused:
            lines += ["", "What the notebook was refused while it was graded:"]
            lines += [f"  {clip(r, 300)}" for r in self.refused[:20]]
            if len(self.refused) > 20:
                lines.append(f"  ... and {len(self.refused) - 20} more")
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
        if self.sha256_before:
            state = "unchanged" if self.intact else "CHANGED while it was graded (by something else)"
            lines += ["", f"The learner's file: {state} (sha256 {self.sha256_before[:16]}...)."]
        return "\n".join(lines)


# ----- reading and identifying the notebook --------------------------------------------------


def _load(path: Path) -> tuple[nbformat.NotebookNode, bytes]:
    if not path.exists():
        raise GradingError(f"{path}: no such file.")
    if not path.is_file():
        raise GradingError(f"{path} is not a file.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GradingError(
            f"{path} is not a valid notebook (its JSON cannot be read: {exc}). "
            "Re-download it or restore it from the course folder."
        ) from None
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GradingError(
            f"{path} is not a valid notebook (malformed: {first[:300]}). "
            "Re-download it or restore it from the course folder."
        ) from None
    for i, cell in enumerate(nb.cells):
        if not isinstance(cell.get("source"), str) or not isinstance(cell.get("metadata", {}), dict):
            raise GradingError(f"{path} is not a valid notebook (malformed: cell {i} has no source).")
    workbook = nb.metadata.get("workbook", {})
    if not isinstance(workbook, dict):
        raise GradingError(
            f"{path} is not a valid notebook (malformed: its metadata 'workbook' should be a mapping, "
            f"got {type(workbook).__name__}). Restore the notebook from the course folder."
        )
    return nb, raw


def known_notebooks() -> dict[str, str]:
    """Check module -> ``course/name`` for every notebook that has checks (works without sources/)."""
    folder = Path(__file__).resolve().parent.parent / "checks"
    found = {}
    for file in sorted(folder.glob("c*_*.py")):
        prefix, _, name = file.stem.partition("_")
        if prefix in COURSES:
            found[file.stem] = f"{COURSES[prefix]}/{name}"
    return found


def _identify(nb: nbformat.NotebookNode, path: Path) -> tuple[str, str, list[str]]:
    """(checks module, course/name, notes): from the file name, checked against the metadata."""
    known = known_notebooks()
    by_name = {v.split("/", 1)[1]: k for k, v in known.items()}
    stem = path.stem
    from_file = by_name.get(stem)
    if from_file is None:
        inside = [n for n in by_name if n in stem]
        if len(inside) == 1:
            from_file = by_name[inside[0]]
    meta = nb.metadata.get("workbook", {}).get("checks")
    if meta is not None and not isinstance(meta, str):
        raise GradingError(
            f"{path} is not a valid notebook (malformed: metadata workbook.checks is not a name)."
        )
    from_meta = meta if meta in known else None
    notes = []
    if meta and not from_meta:
        raise GradingError(f"{path}: its metadata names checks {meta!r}, which the workbook does not have.")
    if from_file and from_meta and from_file != from_meta:
        raise GradingError(
            f"{path}: its file name says it is {known[from_file]}, but its metadata names the checks "
            f"of {known[from_meta]} ({from_meta}). Refusing to grade it as either: rename the file "
            "or restore the notebook from the course folder."
        )
    module = from_file or from_meta
    if module is None:
        raise GradingError(
            f"{path} has no graded exercises: it is not one of the workbook's notebooks (its file "
            "name is none of theirs and its metadata names no checks module)."
        )
    if not from_file:
        notes.append("Identified by its metadata: the file name does not say which notebook it is.")
    try:
        names = exercises(module)
    except ImportError:
        raise GradingError(f"{path}: its checks module {module!r} does not exist.") from None
    if not names:
        raise GradingError(f"{path} has no exercises to grade.")
    return module, known[module], notes


def own_saved_names(notebook: str) -> dict[str, set[str]]:
    """Generated module -> names in it that come from ``notebook``'s own ``#@save`` cells.

    Read from the ``# Defined in <course>/<name>.ipynb`` comment the build writes above each
    definition, so it works where ``sources/`` is not shipped.
    """
    root = Path(__file__).resolve().parent.parent
    found: dict[str, set[str]] = {}
    pattern = re.compile(r"^# Defined in (\S+)\.ipynb,\n(?:#.*\n)*(?:def|class) (\w+)", re.M)
    for file in sorted(root.glob("course*/*.py")):
        text = file.read_text(encoding="utf-8")
        names = {name for where, name in pattern.findall(text) if where == notebook}
        if names:
            found[f"shared_utils.{file.parent.name}.{file.stem}"] = names
    return found


# ----- what an exercise's code uses -----------------------------------------------------------


def _matches(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


@dataclass
class _Definition:
    cell: int
    reads: set[str]
    attributes: set[tuple[str, str]]
    imports: list[str]


@dataclass
class NotebookCode:
    """What each top-level name of a notebook is made of, and the names bound to forbidden
    (:data:`FORBIDDEN_IMPORTS`) or generated modules; read once per notebook."""

    defs: dict[str, list[_Definition]]
    forbidden: dict[str, str]  # name -> what it is bound to
    generated: dict[str, str]  # name (or "module:member") -> generated module it is bound to

    def closure(self, name: str) -> Iterator[tuple[str, _Definition]]:
        """(name, definition) for ``name`` and, in turn, every top-level name its definitions read."""
        seen, todo = {name}, [name]
        while todo:
            current = todo.pop()
            for d in self.defs.get(current, []):
                yield current, d
                for read in sorted(d.reads):
                    if read in self.defs and read not in seen:
                        seen.add(read)
                        todo.append(read)


def _definitions(cells: dict[int, str]) -> NotebookCode:
    """Parse the notebook's code cells into a :class:`NotebookCode`."""
    defs: dict[str, list[_Definition]] = {}
    forbidden: dict[str, str] = {}  # name -> what it is bound to
    generated: dict[str, str] = {}  # name -> generated module it is bound to
    saved_modules = {m for m in _generated_modules()}
    for index, source in cells.items():
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    bound = a.asname or a.name.split(".")[0]
                    if _matches(a.name, FORBIDDEN_IMPORTS):
                        forbidden[bound] = f"the module {a.name}"
                    if a.name in saved_modules and a.asname:
                        generated[bound] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    bound, full = a.asname or a.name, f"{node.module}.{a.name}"
                    if _matches(node.module, FORBIDDEN_IMPORTS) or _matches(full, FORBIDDEN_IMPORTS):
                        forbidden[bound] = full
                    elif full in saved_modules:
                        generated[bound] = full
                    elif node.module in saved_modules:
                        generated.setdefault(f"{node.module}:{a.name}", bound)
        for node in tree.body:
            targets: list[str] = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                targets = [node.name]
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                goal = node.targets if isinstance(node, ast.Assign) else [node.target]
                targets = [n.id for t in goal for n in ast.walk(t) if isinstance(n, ast.Name)]
            if not targets:
                continue
            reads = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
            attributes = {
                (n.value.id, n.attr)
                for n in ast.walk(node)
                if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            }
            imports = [
                m
                for n in ast.walk(node)
                for m in (
                    [a.name for a in n.names]
                    if isinstance(n, ast.Import)
                    else [n.module or ""]
                    if isinstance(n, ast.ImportFrom)
                    else []
                )
            ]
            for t in targets:
                defs.setdefault(t, []).append(_Definition(index, reads, attributes, imports))
    return NotebookCode(defs, forbidden, generated)


def _generated_modules() -> list[str]:
    root = Path(__file__).resolve().parent.parent
    return [f"shared_utils.{f.parent.name}.{f.stem}" for f in sorted(root.glob("course*/*.py"))]


def uses_of_forbidden(code: NotebookCode, names: list[str], own: dict[str, set[str]]) -> dict[str, str]:
    """Exercise -> why it gets no credit: what forbidden thing its code, or code it calls, uses.

    The code of an exercise is the notebook's definition of its name and, in turn, of every
    top-level name those definitions read (:meth:`NotebookCode.closure`).  Forbidden: a name bound
    to the solutions, the checks or the grader (``from shared_utils.checks import ... as check``
    is allowed in a check cell, not in an exercise's code); a name imported from a module
    generated from this notebook's own answers; the tools that reach modules by a name built at
    run time (:data:`DYNAMIC`, ``sys.modules``).
    """
    own_bound = {}
    for module, members in own.items():
        for member in members:
            bound = code.generated.get(f"{module}:{member}")
            if bound:
                own_bound[bound] = f"{module}.{member}"
    aliases = {n: module for n, module in code.generated.items() if ":" not in n and module in own}

    def why_not(d: _Definition) -> str | None:
        for module in d.imports:
            if _matches(module, FORBIDDEN_IMPORTS):
                return f"imports {module}"
        for read in sorted(d.reads):
            if read in code.forbidden:
                return (
                    f"uses `{read}` ({code.forbidden[read]}): the checks' internals, the solutions "
                    "or the grader"
                )
            if read in own_bound:
                return f"uses `{read}` ({own_bound[read]}), generated from this notebook's own answers"
            if read in DYNAMIC:
                return f"uses `{read}`, which graded code may not use"
        for base, attr in sorted(d.attributes):
            if base == "sys" and attr == "modules":
                return "uses `sys.modules`, which graded code may not use"
            if base in aliases and attr in own[aliases[base]]:
                return f"uses `{base}.{attr}`, generated from this notebook's own answers"
        return None

    reasons: dict[str, str] = {}
    for name in names:
        for current, d in code.closure(name):
            why = why_not(d)
            if why:
                reasons[name] = why if current == name else f"`{current}` {why}"
                break
    return reasons


def _is_notebook_code(origin: str | None) -> bool:
    """Whether a function's file is a notebook cell (ipykernel names cells by temporary files)."""
    if not origin:
        return False
    return (
        origin.startswith("<ipython-input") or f"{os.sep}ipykernel_" in origin or origin.startswith("<cell")
    )


# ----- the grading session ---------------------------------------------------------------------


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _protected_roots(original_folder: Path, data_copy: Path) -> list[str]:
    roots = {str(REPO_ROOT), str(original_folder), str(data_copy), sys.prefix, sys.base_prefix}
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(sysconfig.get_path(name))
    roots.update(site.getsitepackages() if hasattr(site, "getsitepackages") else [])
    return sorted(os.path.realpath(r) for r in roots if r)


def _allowed_roots(work: Path) -> list[str]:
    from shared_utils.data import store

    return sorted(
        {os.path.realpath(work), os.path.realpath(store.cache_dir()), os.path.realpath(tempfile.gettempdir())}
    )


def _read_only(folder: Path) -> None:
    for root, _, files in os.walk(folder):
        for f in files:
            p = os.path.join(root, f)
            os.chmod(p, os.stat(p).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    for root, dirs, _ in os.walk(folder, topdown=False):
        for d in dirs:
            p = os.path.join(root, d)
            os.chmod(p, os.stat(p).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _writable_again(folder: Path) -> None:
    for root, _, files in os.walk(folder):
        os.chmod(root, os.stat(root).st_mode | stat.S_IWUSR)
        for f in files:
            p = os.path.join(root, f)
            os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR)


def _refusals(outputs: list) -> list[str]:
    found = []
    for o in outputs:
        for line in str(o.get("text", "")).splitlines():
            if line.startswith(REFUSED_MARK):
                found.append(line[len(REFUSED_MARK) :].strip())
    return found


class _Channel(remote.Channel):
    """Requests to the kernel's agent, within the current exercise's time limit."""

    def __init__(self, session: KernelSession, folder: Path):
        self.session = session
        self.folder = folder
        self.count = 0
        self.deadline = math.inf
        self.limit = 0.0
        self.fault: str | None = None  # timeout | unresponsive | dead | memory
        self.refused: list[str] = []

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.fault = "timeout"
            raise remote.KernelFault(f"stopped after {self.limit:.0f} s (time limit per exercise)")
        self.count += 1
        request = self.folder / f"request-{self.count}.npz"
        reply_path = self.folder / f"reply-{self.count}.npz"
        wire.dump(request, message)
        code = f"_workbook_agent.serve({str(request)!r}, {str(reply_path)!r})"
        run = self.session.run(code, min(remaining, 120.0))
        self.refused += _refusals(run.outputs)
        with contextlib.suppress(OSError):
            request.unlink()
        if run.status in ("timeout", "unresponsive"):
            self.fault = run.status
            raise remote.KernelFault(f"stopped after {self.limit:.0f} s (time limit per exercise)")
        if run.status in ("dead", "memory"):
            self.fault = run.status
            what = "ran out of the memory allowed" if run.status == "memory" else "died"
            raise remote.KernelFault(f"the kernel {what} while your function ran")
        if run.status == "error":
            raise remote.KernelFault(f"the grader's agent in the kernel failed: {run.ename}: {run.evalue}")
        try:
            size = reply_path.stat().st_size
        except OSError:
            raise remote.KernelFault("the kernel sent no reply") from None
        if size > REPLY_BYTES:
            raise remote.KernelFault(f"the kernel's reply is too large ({size:,} bytes)")
        try:
            return wire.load(reply_path)
        except Exception as exc:
            raise remote.KernelFault(f"the kernel's reply could not be read: {exc}") from None
        finally:
            with contextlib.suppress(OSError):
                reply_path.unlink()


def _setup_source(config: dict) -> str:
    return (
        "from shared_utils.engine import agent as _workbook_agent\n"
        f"_workbook_agent.install({json.dumps(config)!r})\n"
    )


@dataclass
class _Run:
    """The notebook's run: errors by cell index, cells run, refusals by cell, faults."""

    errors: dict[int, CellError] = field(default_factory=dict)
    ran: set[int] = field(default_factory=set)
    refused: dict[int, list[str]] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)  # cell index -> why it was not run
    stopped_at: int | None = None  # the cell after which nothing ran (the kernel died in it)
    stopped_why: str = ""


class _Grader:
    def __init__(self, nb, path: Path, module: str, notebook: str, options: dict):
        self.nb, self.path, self.module, self.notebook = nb, path, module, notebook
        self.cell_timeout = options["cell_timeout"]
        self.grade_timeout = options["grade_timeout"]
        self.memory_limit = options["memory_limit"]
        self.kernel_name = options["kernel_name"]
        self.code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
        self.run = _Run()
        self.restarts = 0

    def number(self, index: int) -> int | None:
        return cell_number(self.nb, index)

    def fault_text(self, status: str) -> str:
        if status == "memory":
            return f"used more than {self.memory_limit / 2**30:.1f} GB of memory and was stopped"
        if status == "unresponsive":
            return "did not respond to the interrupt after its time limit and was restarted"
        return "died"

    def start(self, work: Path) -> None:
        self.work = work
        self.session = KernelSession(work, kernel_name=self.kernel_name, memory_limit=self.memory_limit)
        self.session.start()
        self._setup()

    def _setup(self) -> None:
        result = self.session.run(_setup_source(self.config), max(self.cell_timeout, 120))
        if not result.ok:
            raise GradingError(
                f"the grader could not set up the kernel: {result.status} {result.ename} {result.evalue}"
            )

    def restart(self, upto: int) -> bool:
        """A new kernel with the notebook's cells before ``upto`` replayed; False when it fails again."""
        if self.restarts >= MAX_RESTARTS:
            return False
        self.restarts += 1
        self.session.restart()
        self._setup()
        for index in self.code:
            if index >= upto:
                break
            if index in self.run.skipped:
                continue
            result = self.session.run(self.nb.cells[index].source, self.cell_timeout)
            if result.status in ("dead", "memory", "unresponsive"):
                return False
        return True

    def execute(self) -> None:
        """Run the notebook's code cells in order, restarting the kernel where it dies or hangs."""
        for index in self.code:
            result = self.session.run(self.nb.cells[index].source, self.cell_timeout)
            refused = _refusals(result.outputs)
            if refused:
                self.run.refused[index] = refused
            if result.status == "ok":
                self.run.ran.add(index)
            elif result.status == "error":
                self.run.ran.add(index)
                self.run.errors[index] = CellError(index, result.ename, result.evalue)
            elif result.status == "timeout":
                self.run.ran.add(index)
                self.run.errors[index] = CellError(index, "CellTimeoutError", "", timeout=self.cell_timeout)
            else:  # unresponsive, dead, memory
                why = f"the kernel {self.fault_text(result.status)} in cell [{self.number(index)}]"
                self.run.skipped[index] = why
                replayed = self.restart(index)
                if result.status == "unresponsive" and replayed:
                    self.run.errors[index] = CellError(
                        index, "CellTimeoutError", "", timeout=self.cell_timeout
                    )
                    continue  # the cells after it still run
                self.run.stopped_at, self.run.stopped_why = index, why
                if not replayed:
                    self.run.stopped_why += (
                        "; the restarted kernel failed again while replaying the cells above"
                    )
                if "died" in why and self.session.kernel_log.strip():
                    tail = "\n".join(self.session.kernel_log.rstrip().splitlines()[-KERNEL_LOG_LINES:])
                    self.run.stopped_why += "\nthe kernel's last output:\n" + clip(tail)
                return

    def defining_cell(self, name: str) -> int | None:
        cells = [i for i in self.code if name in _cell_info(self.nb.cells[i].source).binds]
        return cells[-1] if cells else None


def _entry(name: str, passed: bool, message: str) -> dict:
    return {"exercise": name, "passed": passed, "message": message}


def _grade_exercise(
    grader: _Grader, channel: _Channel, check_module, name: str, seed: int, no_credit: dict
) -> dict:
    index = grader.defining_cell(name)
    stopped = grader.run.stopped_at
    if stopped is not None and (index is None or index >= stopped):
        return _entry(
            name,
            False,
            f"not graded: {grader.run.stopped_why.splitlines()[0]}, before this exercise's cell ran",
        )
    if index is not None and index in grader.run.skipped:
        return _entry(name, False, f"not graded: {grader.run.skipped[index]}")
    channel.deadline, channel.limit, channel.fault = math.inf, grader.grade_timeout, None
    try:
        description = channel.request({"op": "describe", "name": name})
    except remote.KernelFault as exc:
        return _entry(name, False, f"not graded: {exc}")
    if not description.get("defined"):
        return _entry(name, False, f"`{name}` is not defined: its cell did not run or was renamed.")
    if not description.get("callable"):
        return _entry(name, False, f"`{name}` should be a function, got a {description.get('type')}.")
    origin = description.get("origin")
    if not _is_notebook_code(origin):
        where = origin or f"a {description.get('type')} without code of its own"
        return _entry(
            name,
            False,
            f"no credit: `{name}` is not defined in this notebook (it comes from {where}). "
            "Write it with `def` in its cell.",
        )
    if name in no_credit:
        return _entry(name, False, f"no credit: {no_credit[name]}.")
    refused_before = len(channel.refused)
    fn = remote.RemoteFunction(channel, name, description)
    channel.deadline = time.monotonic() + grader.grade_timeout
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            getattr(check_module, name)(fn, extended=True, quiet=True, seed_base=seed)
        entry = _entry(name, True, "correct")
    except NotImplementedYet:
        entry = _entry(name, False, "not implemented yet")
    except CheckFailed as exc:
        entry = _entry(name, False, str(exc))
    except remote.KernelFault as exc:
        entry = _entry(name, False, f"{name}: {exc}.")
    except Exception as exc:  # the check could not classify what came back
        entry = _entry(name, False, f"the check could not run your code: {type(exc).__name__}: {exc}")
    finally:
        channel.deadline = math.inf
    refused = channel.refused[refused_before:]
    if refused and entry["passed"]:
        entry = _entry(name, False, f"no credit: while it was graded, your code {refused[0]}.")
    if channel.fault in ("dead", "memory", "unresponsive"):
        upto = max([grader.defining_cell(n) or 0 for n in exercises(grader.module)] + [0]) + 1
        if not grader.restart(upto):
            grader.run.stopped_at = -1
            grader.run.stopped_why = (
                f"the kernel {grader.fault_text(channel.fault)} while `{name}` was graded"
            )
    return entry


def grade_notebook(
    path: str | Path,
    *,
    cell_timeout: float = 300.0,
    grade_timeout: float = 300.0,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    kernel_name: str = "python3",
    seed: int | None = None,
) -> GradeReport:
    """Grade every exercise of the notebook at ``path`` (see the module's docstring)."""
    for label, value in (("cell_timeout", cell_timeout), ("grade_timeout", grade_timeout)):
        if not (isinstance(value, (int, float)) and value > 0 and math.isfinite(value)):
            raise ValueError(f"{label} must be a positive number of seconds, got {value!r}")
    if memory_limit is not None and not memory_limit > 0:
        raise ValueError(f"memory_limit must be a positive number of bytes, got {memory_limit!r}")
    path = Path(path).resolve()
    nb, raw = _load(path)
    module, notebook, notes = _identify(nb, path)
    seed = random.SystemRandom().randrange(1000, 1_000_000) if seed is None else int(seed)
    report = GradeReport(str(path), module, notebook, notes=notes, seed=seed, sha256_before=_digest(raw))
    course, name = notebook.split("/")
    names = exercises(module)
    cells = {i: c.source for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    if uses_tensorflow(list(cells.values()), module):
        import_tensorflow_quietly()
    check_module = importlib.import_module(f"shared_utils.checks.{module}")
    code = _definitions(cells)
    no_credit = uses_of_forbidden(code, names, own_saved_names(notebook))
    start = time.perf_counter()
    grader = _Grader(
        nb,
        path,
        module,
        notebook,
        dict(
            cell_timeout=cell_timeout,
            grade_timeout=grade_timeout,
            memory_limit=memory_limit,
            kernel_name=kernel_name,
        ),
    )
    with tempfile.TemporaryDirectory(prefix="workbook-grade-") as tmp:
        work = Path(tmp) / course
        work.mkdir()
        (work / f"{name}.ipynb").write_bytes(raw)
        data = REPO_ROOT / course / "data"
        data_copy = work / "data"
        if data.is_dir():
            shutil.copytree(data, data_copy)
            _read_only(data_copy)
        wire_folder = Path(tmp) / "wire"
        wire_folder.mkdir()
        grader.config = {
            "read_blocked": [
                os.path.realpath(REPO_ROOT / p) for p in ("sources", "tests", "tools", "build", ".git")
            ],
            "write_blocked": _protected_roots(path.parent, data_copy),
            "allowed": _allowed_roots(Path(tmp)),
            "modules_blocked": list(BLOCKED_MODULES),
            "pids_protected": [os.getpid()],
            "programs_allowed": [list(t) for t in PROGRAMS_ALLOWED],
            "preload": [*PRELOAD, f"shared_utils.checks.{module}"],
            "mark": REFUSED_MARK,
        }
        try:
            grader.start(work)
            try:
                grader.execute()
                grader.executed_s = time.perf_counter() - start
                channel = _Channel(grader.session, wire_folder)
                for exercise_name in names:
                    channel.session = grader.session
                    report.exercises.append(
                        _grade_exercise(grader, channel, check_module, exercise_name, seed, no_credit)
                    )
            finally:
                grader.session.close()
        finally:
            if data_copy.exists():
                _writable_again(data_copy)
    report.seconds = time.perf_counter() - start
    for e in report.exercises:
        e["status"] = status_of(e)
        index = grader.defining_cell(e["exercise"])
        e["cell"] = cell_number(nb, index) if index is not None else None
    for index, refused in grader.run.refused.items():
        for r in dict.fromkeys(refused):  # each once, in order
            report.refused.append(f"cell [{cell_number(nb, index)}]: {r}")
    for e in report.exercises:
        if e["message"].startswith("no credit: while it was graded"):
            report.refused.append(
                f"while `{e['exercise']}` was graded: {e['message'].split('your code ', 1)[-1]}"
            )
    _credit_for_refusals(report, grader, code)
    _sort_errors(report, grader)
    if grader.restarts:
        report.notes.append(
            f"The kernel was restarted {grader.restarts} time(s); the cells above each fault were replayed."
        )
    try:
        report.sha256_after = _digest(path.read_bytes())
    except OSError:
        report.sha256_after = ""
    return report


def _credit_for_refusals(report: GradeReport, grader: _Grader, code: NotebookCode) -> None:
    """An exercise whose code reads names bound in a cell that was refused the solutions gets no
    credit, and its message says so (in place of the error the refusal caused)."""
    reading = {i: r for i, r in grader.run.refused.items() if any("solutions or the grader" in x for x in r)}
    if not reading:
        return
    for e in report.exercises:
        if e["status"] == NOT_DONE:
            continue
        touched = next((d.cell for _, d in code.closure(e["exercise"]) if d.cell in reading), None)
        if touched is not None:
            e.update(
                passed=False,
                status=FAIL,
                message=(
                    f"no credit: its code comes from cell [{cell_number(grader.nb, touched)}], which "
                    f"tried to reach the solutions or the grader ({reading[touched][0]})."
                ),
            )


def _error_text(error: CellError, label: str) -> str:
    if error.timed_out:
        return f"{label}: stopped after {error.timeout:.0f} s (time limit per cell)"
    return f"{label}: {error.ename}: {clip(error.evalue)}"


def _sort_errors(report: GradeReport, grader: _Grader) -> None:
    """The errors no exercise explains, and the knock-on cells."""
    nb = grader.nb
    info = {i: _cell_info(nb.cells[i].source) for i in grader.code}
    broken = {e["exercise"] for e in report.exercises if not e["passed"]}
    for index in sorted(grader.run.errors):
        error = grader.run.errors[index]
        ci = info[index]
        undefined = _UNDEFINED.search(error.evalue) if error.ename == "NameError" else None
        if error.timed_out:
            knock_on = False
        elif undefined:
            knock_on = undefined.group(1) in broken
        else:
            knock_on = bool(ci.reads & broken)
        if knock_on:
            report.knock_on.append(cell_number(nb, index))
        else:
            report.cell_errors.append(_error_text(error, f"cell [{cell_number(nb, index)}]"))
        broken |= ci.binds
    for index, why in grader.run.skipped.items():
        if index != grader.run.stopped_at:
            report.cell_errors.append(why)
    if grader.run.stopped_why:
        report.cell_errors.append(grader.run.stopped_why)


def main(path: str, cell_timeout: float = 300, **options: Any) -> int:
    try:
        report = grade_notebook(path, cell_timeout=cell_timeout, **options)
    except GradingError as exc:
        print(f"cannot grade: {exc}")
        return 2
    print(report.table())
    return 0 if report.ok else 1

"""Notebook sources and the build: one text source per notebook, two notebooks out.

A source is a jupytext percent-format file under ``sources/<course>/``.  Its solution
regions sit between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers).

* the *learner* notebook replaces each region by ``# YOUR CODE HERE`` +
  ``raise NotImplementedError()`` (markdown regions by ``YOUR ANSWER HERE``), keeps no
  outputs, and is committed in the course folder;
* the *solution* notebook keeps everything and is written on demand under ``build/``.

The source's jupytext header carries the workbook's own metadata under ``workbook``
(the check module is derived from the file's name: ``shared_utils.checks.c1_01_python_numpy``)::

    workbook:
      title: Python and NumPy ...
      minutes: 2                     # full run on a 2-core CPU, as stated in the header
      fast: {num_iterations: 50}     # parameter values for the test suite's fast run
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat

from shared_utils import REPO_ROOT

SOURCES = REPO_ROOT / "sources"
COURSES = ("course1_foundations", "course2_tuning", "course4_cnn", "course5_sequence")

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_REGION = re.compile(
    r"^(?P<indent>[ \t]*)"
    + re.escape(BEGIN)
    + r"[^\n]*\n(?P<body>.*?)^[ \t]*"
    + re.escape(END)
    + r"[^\n]*(\n|$)",
    re.DOTALL | re.MULTILINE,
)
CODE_STUB = "{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError()\n"
MARKDOWN_STUB = "YOUR ANSWER HERE\n"


class BuildError(ValueError):
    """A source notebook breaks the build's rules (unbalanced markers, missing metadata)."""


@dataclass(frozen=True)
class Notebook:
    """One notebook of the workbook, identified by its source file."""

    source: Path
    course: str
    name: str  # file stem, e.g. "01_python_numpy"
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def learner_path(self) -> Path:
        return REPO_ROOT / self.course / f"{self.name}.ipynb"

    @property
    def key(self) -> str:
        return f"{self.course}/{self.name}"

    @property
    def checks_module(self) -> str:
        """The check module's name, derived from the notebook's: ``c1_01_python_numpy``."""
        return checks_module_for(self.course, self.name)

    @property
    def fast_parameters(self) -> dict:
        return dict(self.meta.get("fast", {}))

    @property
    def title(self) -> str:
        return self.meta.get("title", self.name)

    def read(self) -> nbformat.NotebookNode:
        return read_source(self.source)


def checks_module_for(course: str, name: str) -> str:
    """``course1_foundations``, ``01_python_numpy`` -> ``c1_01_python_numpy``."""
    number = re.match(r"course(\d+)_", course)
    if not number:
        raise BuildError(f"{course}: a course folder is named course<N>_<topic>")
    return f"c{number.group(1)}_{name}"


def read_source(path: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(path)
    check_markers(nb, path)
    return nb


def check_markers(nb: nbformat.NotebookNode, path: Path | str = "<notebook>") -> None:
    """Every BEGIN has its END in the same cell, in order, and none is nested."""
    for i, cell in enumerate(nb.cells):
        depth = 0
        for line in cell.source.splitlines():
            s = line.strip()
            if s.startswith(BEGIN):
                depth += 1
            elif s.startswith(END):
                depth -= 1
            if depth not in (0, 1):
                raise BuildError(f"{path}: cell {i}: unbalanced or nested solution markers")
        if depth != 0:
            raise BuildError(f"{path}: cell {i}: '{BEGIN}' without '{END}'")


def discover(root: Path = SOURCES) -> list[Notebook]:
    """All notebooks, in course order then file order."""
    found = []
    for course in COURSES:
        for src in sorted((root / course).glob("*.py")):
            meta = jupytext.read(src).metadata.get("workbook")
            if not meta or "title" not in meta:
                raise BuildError(f"{src}: the jupytext header needs a 'workbook:' block with 'title:'")
            found.append(Notebook(src, course, src.stem, meta))
    return found


def select(paths: list[str] | None) -> list[Notebook]:
    """Notebooks matching the given paths or name fragments (all when none is given)."""
    notebooks = discover()
    if not paths:
        return notebooks
    chosen = []
    for p in paths:
        stem = Path(p).stem
        hits = [n for n in notebooks if n.name == stem or stem in n.key or p in n.key]
        if not hits:
            names = ", ".join(n.key for n in notebooks)
            raise SystemExit(f"No notebook matches {p!r}. Known notebooks: {names}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def strip_solutions(text: str, markdown: bool = False) -> str:
    """Replace every solution region in one cell's text with its stub."""
    if markdown:
        return _REGION.sub(lambda m: m.group("indent") + MARKDOWN_STUB, text)
    return _REGION.sub(lambda m: CODE_STUB.format(indent=m.group("indent")), text)


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("lines_to_next_cell", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def learner_notebook(notebook: Notebook) -> nbformat.NotebookNode:
    nb = _clean(notebook.read())
    for cell in nb.cells:
        cell.source = strip_solutions(cell.source, markdown=cell.cell_type == "markdown")
    nb.metadata.pop("workbook", None)
    nb.metadata["workbook"] = {
        "checks": notebook.checks_module,
        "source": f"sources/{notebook.course}/{notebook.source.name}",
    }
    # deterministic cell ids keep the committed files stable between builds
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    nbformat.validate(nb)
    return nb


def solution_notebook(notebook: Notebook) -> nbformat.NotebookNode:
    nb = _clean(notebook.read())
    nb.metadata["workbook"] = {**nb.metadata.get("workbook", {}), "checks": notebook.checks_module}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def build(notebooks: list[Notebook] | None = None) -> list[Path]:
    """Write every learner notebook that differs from its source; return those written."""
    written = []
    for n in notebooks or discover():
        text = render(learner_notebook(n))
        path = n.learner_path
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".ipynb.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            written.append(path)
    return written


def stale(notebooks: list[Notebook] | None = None) -> list[Path]:
    """Learner notebooks that are missing or out of date with their source."""
    out = []
    for n in notebooks or discover():
        path = n.learner_path
        if not path.exists() or path.read_text(encoding="utf-8") != render(learner_notebook(n)):
            out.append(path)
    return out


def write_solution(notebook: Notebook, out_dir: Path) -> Path:
    path = out_dir / notebook.course / f"{notebook.name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(solution_notebook(notebook), path)
    return path

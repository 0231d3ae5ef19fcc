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
      save: shared_utils.course1.dnn # where the cells marked #@save go (see build_library)
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat

from shared_utils import REPO_ROOT
from shared_utils.common.files import atomic_write

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
        # a fragment with a folder ("course4_cnn/03") matches keys, not every notebook "03"
        hits = [n for n in notebooks if n.name == stem or (p in n.key if "/" in p else stem in n.key)]
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


def _with_first_cell(nb: nbformat.NotebookNode, notebook: Notebook) -> nbformat.NotebookNode:
    """Put the workbook's set-up cell (:mod:`shared_utils.engine.first_cell`) before the first code cell."""
    from shared_utils.engine import first_cell

    code = [c.source for c in nb.cells if c.cell_type == "code"]
    tensorflow = first_cell.uses_tensorflow(code, f"shared_utils.checks.{notebook.checks_module}")
    cell = nbformat.v4.new_code_cell(
        first_cell.first_cell(notebook.course, tensorflow),
        # Colab shows its title with the code folded; JupyterLab folds the code too
        metadata={"tags": [first_cell.TAG], "cellView": "form", "jupyter": {"source_hidden": True}},
    )
    at = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    nb.cells.insert(at, cell)
    return nb


def learner_notebook(notebook: Notebook) -> nbformat.NotebookNode:
    nb = _with_first_cell(_clean(notebook.read()), notebook)
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
    """The notebook with its solutions, each cell carrying nbgrader's metadata (:func:`nbgrader_cells`)."""
    nb = _with_first_cell(_clean(notebook.read()), notebook)
    nb.metadata["workbook"] = {**nb.metadata.get("workbook", {}), "checks": notebook.checks_module}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    nbgrader_cells(nb, notebook.source)
    return nb


# ----- nbgrader's cell metadata on the solution notebook ---------------------------------------
#
# So that a teacher who uses nbgrader can run ``nbgrader generate_assignment`` and ``autograde``
# on a solution notebook (see shared_utils/engine/release.py), every cell carries nbgrader's
# metadata, format version 3:
#
# * a cell with a solution region is a solution cell (nbgrader replaces the region by the same
#   stub as the learner notebook's); a markdown one is also a manually graded answer, as
#   nbgrader requires;
# * a cell that calls the notebook's checks (``check.sigmoid(sigmoid)``) is an autograder test
#   cell worth one point per check it calls: nbgrader gives the points when the cell runs
#   without an error, and a check raises AssertionError on a wrong or missing answer;
# * every other cell is read-only: nbgrader locks it and restores its text before grading.

NBGRADER_SCHEMA = 3


def code_trees(nb: nbformat.NotebookNode) -> Iterator[ast.Module]:
    """The parsed code of each code cell that is Python (a cell with IPython magics is skipped)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            yield ast.parse(cell.source)
        except SyntaxError:
            continue


def _checks_alias(nb: nbformat.NotebookNode) -> str:
    """The name the notebook imports its check module as (``check`` in every notebook so far)."""
    for tree in code_trees(nb):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "shared_utils.checks":
                return node.names[0].asname or node.names[0].name
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("shared_utils.checks.") and alias.asname:
                        return alias.asname
    return "check"


def _check_calls(source: str, alias: str) -> list[str]:
    """The exercises a code cell checks, in order: ``check.L1(L1)\ncheck.L2(L2)`` -> ``["L1", "L2"]``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == alias
    ]
    return [c.func.attr for c in sorted(calls, key=lambda c: (c.lineno, c.col_offset))]


def _defined_names(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]


def nbgrader_cells(nb: nbformat.NotebookNode, where: Path | str = "<notebook>") -> nbformat.NotebookNode:
    """Give every cell of a solution notebook nbgrader's metadata (in place; returns ``nb``).

    Grade ids name what a cell holds: ``basic_sigmoid`` for the solution cell defining it,
    ``check_basic_sigmoid`` for the test cell checking it (``check_L1_L2`` for a cell checking
    two), the cell's id (``cell-007``) for a read-only cell."""
    alias = _checks_alias(nb)
    used: set[str] = set()

    def unique(grade_id: str) -> str:
        name, n = grade_id, 1
        while name in used:
            n += 1
            name = f"{grade_id}-{n}"
        used.add(name)
        return name

    for cell in nb.cells:
        solution = any(line.strip().startswith(BEGIN) for line in cell.source.splitlines())
        checked = _check_calls(cell.source, alias) if cell.cell_type == "code" else []
        meta = {"grade": False, "solution": False, "locked": False, "task": False}
        if solution and checked:
            raise BuildError(
                f"{where}: cell {cell['id']} holds a solution region and calls {alias}."
                f"{checked[0]}(...): the check goes in the cell after the exercise"
            )
        if solution:
            names = _defined_names(cell.source) if cell.cell_type == "code" else []
            grade_id = names[0] if names else f"answer-{cell['id']}"
            meta.update(solution=True, grade_id=unique(grade_id))
            if cell.cell_type == "markdown":  # nbgrader: a markdown answer is graded by hand
                meta.update(grade=True, points=1)
        elif checked:
            grade_id = unique("check_" + "_".join(checked))
            meta.update(grade=True, locked=True, points=len(checked), grade_id=grade_id)
        else:
            meta.update(locked=True, grade_id=unique(cell["id"]))
        cell.metadata["nbgrader"] = {**meta, "schema_version": NBGRADER_SCHEMA}
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
            atomic_write(path, text)
            written.append(path)
    return written


def stale(notebooks: list[Notebook] | None = None) -> list[Path]:
    """Learner notebooks and library modules (see :func:`build_library`) missing or out of date."""
    out = []
    for n in notebooks or discover():
        path = n.learner_path
        if not path.exists() or path.read_text(encoding="utf-8") != render(learner_notebook(n)):
            out.append(path)
    return out + stale_library(notebooks)


def write_solution(notebook: Notebook, out_dir: Path) -> Path:
    path = out_dir / notebook.course / f"{notebook.name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(solution_notebook(notebook), path)
    return path


# ----- the library: cells marked #@save -------------------------------------------------------
#
# A code cell whose lines include ``#@save`` (d2l's marker) holds definitions that later
# notebooks reuse.  The build collects every marked cell, solution included, into the module the
# notebook's header names (``workbook: save: shared_utils.course1.dnn``), in course, file and cell
# order.  Several notebooks may feed one module; a name is defined once.  The module's imports
# are the notebook's own import lines for the names the saved code uses (and any import lines in
# the marked cells themselves), sorted as ruff's isort does; the saved cells are written
# ruff-formatted in the source, so the module comes out formatted.

SAVE = "#@save"
_SAVEABLE = (ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom)


@dataclass(frozen=True)
class SavedCell:
    """One marked cell: its definitions (solution kept, markers and import lines removed)."""

    notebook: Notebook
    index: int
    code: str
    imports: tuple[str, ...]  # import statements written in the cell itself


def library_path(module: str) -> Path:
    """``shared_utils.course1.dnn`` -> ``<repo>/shared_utils/course1/dnn.py``."""
    return REPO_ROOT.joinpath(*module.split(".")).with_suffix(".py")


def saved_cells(notebook: Notebook) -> list[SavedCell]:
    """The cells of ``notebook`` marked ``#@save``, with the solution text kept."""
    out = []
    for i, cell in enumerate(notebook.read().cells):
        lines = cell.source.splitlines()
        if cell.cell_type != "code" or SAVE not in (line.strip() for line in lines):
            continue
        where = f"{notebook.source}: cell {i}"
        if "save" not in notebook.meta:
            raise BuildError(f"{where} is marked {SAVE} but the header has no 'save:' module")
        kept = [line for line in lines if line.strip() != SAVE and not line.strip().startswith((BEGIN, END))]
        code = "\n".join(kept).strip("\n") + "\n"
        try:
            tree = ast.parse(code)
        except SyntaxError as e:
            raise BuildError(f"{where}: a {SAVE} cell must be plain Python ({e})") from e
        imports, drop = [], set()
        for node in tree.body:
            if not isinstance(node, _SAVEABLE):
                raise BuildError(
                    f"{where}, line {node.lineno}: a {SAVE} cell holds only definitions and imports, "
                    f"so that importing the library runs nothing"
                )
            if isinstance(node, ast.Import | ast.ImportFrom):
                imports.append(ast.unparse(node))
                drop.update(range(node.lineno, node.end_lineno + 1))
        code_lines = [line for n, line in enumerate(code.splitlines(), start=1) if n not in drop]
        out.append(SavedCell(notebook, i, "\n".join(code_lines).strip("\n") + "\n", tuple(imports)))
    return out


def _notebook_imports(notebook: Notebook) -> dict[str, str]:
    """Name -> the import statement that binds it, from the notebook's top-level import lines."""
    bound: dict[str, str] = {}
    for tree in code_trees(notebook.read()):
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                bound.update(_bindings(node))
    return bound


def _bindings(node: ast.Import | ast.ImportFrom) -> dict[str, str]:
    """The names one import statement binds, each with the smallest statement binding it alone."""
    out = {}
    for alias in node.names:
        if isinstance(node, ast.Import):
            name = alias.asname or alias.name.split(".")[0]
            out[name] = f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
        else:
            name = alias.asname or alias.name
            out[name] = f"from {'.' * node.level}{node.module or ''} import {ast.unparse(alias)}"
    return out


def _names(code: str) -> tuple[set[str], set[str], set[str]]:
    """(names read, names bound anywhere, names bound at the top level) in ``code``."""
    read, bound, top = set(), set(), set()
    tree = ast.parse(code)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            top.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            top |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read, bound | top, top


def _import_block(statements: set[str]) -> str:
    """Import statements grouped and sorted as ruff's isort (stdlib, third party, first party)."""
    sections: dict[int, tuple[list[str], dict[str, list[str]]]] = {0: ([], {}), 1: ([], {}), 2: ([], {})}
    for s in statements:
        words = s.split()
        top = words[1].split(".")[0]
        section = 2 if top == "shared_utils" else 0 if top in sys.stdlib_module_names else 1
        if words[0] == "import":
            sections[section][0].append(s)
        else:
            sections[section][1].setdefault(words[1], []).append(s.split(" import ", 1)[1])

    def member_key(name: str) -> tuple[int, str]:
        bare = name.split(" as ")[0]
        kind = 0 if bare.isupper() else 1 if bare[:1].isupper() else 2  # constants, classes, others
        return kind, bare.lower()

    blocks = []
    for plain, froms in sections.values():
        lines = sorted(plain, key=lambda s: s.split()[1].lower())
        for module in sorted(froms, key=str.lower):
            members = sorted(set(froms[module]), key=member_key)
            line = f"from {module} import {', '.join(members)}"
            if len(line) > 110:
                line = f"from {module} import (\n" + "".join(f"    {m},\n" for m in members) + ")"
            lines.append(line)
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _with_origin(cell: SavedCell) -> str:
    """The cell's code with a comment naming its source and notebook above each def and class."""
    origin = (
        f"# Defined in {cell.notebook.course}/{cell.notebook.name}.ipynb,\n"
        f"# source sources/{cell.notebook.course}/{cell.notebook.source.name}.\n"
    )
    lines = cell.code.splitlines(keepends=True)
    starts = set()
    for node in ast.parse(cell.code).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            starts.add(min([node.lineno] + [d.lineno for d in node.decorator_list]))
    return "".join((origin if n in starts else "") + line for n, line in enumerate(lines, start=1))


def library_modules(notebooks: list[Notebook] | None = None) -> dict[str, str]:
    """Module name -> the text the build writes for it, from all notebooks' #@save cells."""
    by_module: dict[str, list[SavedCell]] = {}
    for n in notebooks or discover():
        cells = saved_cells(n)
        if cells:
            by_module.setdefault(n.meta["save"], []).extend(cells)
    return {module: _module_text(module, cells) for module, cells in sorted(by_module.items())}


def _module_text(module: str, cells: list[SavedCell]) -> str:
    defined: dict[str, SavedCell] = {}
    read, bound = set(), set()
    for cell in cells:
        r, b, top = _names(cell.code)
        read |= r
        bound |= b
        for name in sorted(top):
            if name in defined:
                first = defined[name]
                raise BuildError(
                    f"{module}: {name!r} is saved twice, by {first.notebook.source} cell {first.index} "
                    f"and {cell.notebook.source} cell {cell.index}; give one of them another name"
                )
            defined[name] = cell
    statements = {s for cell in cells for s in cell.imports}
    hoisted = {name for s in statements for name in _bindings(ast.parse(s).body[0])}
    available: dict[str, str] = {}
    for notebook in dict.fromkeys(c.notebook for c in cells):  # each feeding notebook read once
        for name, s in _notebook_imports(notebook).items():
            available.setdefault(name, s)
    for name in sorted(read - bound - hoisted - set(dir(builtins))):
        if name not in available:
            users = sorted({str(c.notebook.source) for c in cells if name in _names(c.code)[0]})
            raise BuildError(
                f"{module}: the saved code uses {name!r}, which no import line of {', '.join(users)} "
                f"binds and no {SAVE} cell defines: import it there or mark its definition {SAVE}"
            )
        statements.add(available[name])
    sources = list(dict.fromkeys(f"sources/{c.notebook.course}/{c.notebook.source.name}" for c in cells))
    header = (
        '"""Functions the notebooks define and later notebooks reuse, learners\' solutions included.\n\n'
        f"Generated by ``python -m shared_utils build`` from the cells marked ``{SAVE}`` in\n\n"
        + "".join(f"* {s}\n" for s in sources)
        + "\nDo not edit it: change the source and rebuild (``build --check`` fails while it is stale).\n"
        '"""\n'
    )
    body = "\n\n".join(_with_origin(c) for c in cells)
    imports = _import_block(statements)
    return header + ("\n" + imports + "\n" if imports else "") + "\n\n" + body


def build_library(notebooks: list[Notebook] | None = None) -> list[Path]:
    """Write every library module that differs from its #@save cells; return those written.

    Each module is generated from all the notebooks that feed it, whichever ``notebooks`` are given."""
    wanted = {n.meta.get("save") for n in notebooks} if notebooks else None
    written = []
    for module, text in library_modules().items():
        path = library_path(module)
        if wanted is not None and module not in wanted:
            continue
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text)
            written.append(path)
    return written


def stale_library(notebooks: list[Notebook] | None = None) -> list[Path]:
    """Library modules that are missing or out of date, among those ``notebooks`` feed (all by default).

    A module is always generated from every notebook, so one notebook alone can be checked."""
    every = discover()
    feeding = {n.meta.get("save") for n in (notebooks or every) if "save" in n.meta}
    return [
        library_path(module)
        for module, text in library_modules(every).items()
        if module in feeding
        and (not library_path(module).exists() or library_path(module).read_text(encoding="utf-8") != text)
    ]

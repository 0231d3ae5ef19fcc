"""Namespaces of a notebook's definitions, for the tests (never for the checks' oracles)."""

from __future__ import annotations

import nbformat

from shared_utils.engine.build import BEGIN, discover

SAVE = "#@save"  # marks a cell whose definitions the build also writes into the package


def solution_namespace(key: str, upto: str | None = None) -> dict:
    """Execute a source's definition cells (imports and exercise cells) and return the namespace.

    Only cells tagged ``setup``, cells holding a solution region and cells marked ``#@save``
    (definitions the build also writes into the package) run, so this is fast and trains
    nothing.  Tests use it to get the reference functions a wrong implementation is built
    around (never as the checks' oracle).  ``upto`` stops after the cell that defines that name.
    """
    (notebook,) = [n for n in discover() if n.key == key or n.name == key]
    ns: dict = {"__name__": f"solution_{notebook.name}"}
    for cell in notebook.read().cells:
        if cell.cell_type != "code":
            continue
        saved = any(line.strip() == SAVE for line in cell.source.splitlines())
        if "setup" in cell.metadata.get("tags", []) or BEGIN in cell.source or saved:
            exec(compile(cell.source, f"{notebook.name}", "exec"), ns)
            if upto is not None and upto in ns:
                break
    return ns


def learner_namespace(key: str) -> dict:
    """Execute the learner notebook's setup cells and exercise stubs; return the namespace.

    The stubs raise ``NotImplementedError`` when called: tests use this to prove that
    every check fails on the blank notebook with "not implemented yet".
    """
    (notebook,) = [n for n in discover() if n.key == key or n.name == key]
    nb = nbformat.read(notebook.learner_path, as_version=4)
    ns: dict = {"__name__": f"learner_{notebook.name}"}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "setup" in cell.metadata.get("tags", []) or "# YOUR CODE HERE" in cell.source:
            exec(compile(cell.source, f"{notebook.name}", "exec"), ns)
    return ns

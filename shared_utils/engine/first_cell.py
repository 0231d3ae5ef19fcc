"""The first code cell of every notebook: the same text locally and in Colab.

The build (:mod:`shared_utils.engine.build`) puts :func:`first_cell` before the first code cell
of every learner and solution notebook, so that no source repeats it.  The cell is
self-contained (it must run where ``shared_utils`` is not importable yet) and does three things:

* it quiets TensorFlow's C++ start-up lines before TensorFlow is imported:
  ``TF_CPP_MIN_LOG_LEVEL=2`` where unset (the level the runner and the grader use), and, as
  three of those lines are printed by absl before any variable is read, the import itself
  runs with file descriptor 2 sent to a temporary file whose other lines are written back;
  ``TF_ENABLE_ONEDNN_OPTS`` is left alone (it changes the numerics, not only the message);
* where ``shared_utils`` is not importable (Colab), it clones the workbook from
  ``[tool.workbook] repository`` in pyproject.toml (``WORKBOOK_REPOSITORY`` overrides it) into
  ``WORKBOOK_DIR`` (default ``/content/dl-workbook`` in Colab, ``~/dl-workbook`` elsewhere),
  installs the pinned requirements that are not installed at all (never TensorFlow, never the
  notebook front end), puts the clone on ``sys.path`` of the running kernel (no restart) and
  changes into the notebook's course folder so that its relative data paths work; one line
  names the installed versions that differ from the pins;
* in a notebook that uses TensorFlow it says so, then loads it, before the first slow import.

Locally, with the workbook installed, it prints nothing but the TensorFlow line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from shared_utils import REPO_ROOT

TAG = "workbook-first-cell"
ENV_REPOSITORY = "WORKBOOK_REPOSITORY"
ENV_DIR = "WORKBOOK_DIR"
LOADING = "Loading TensorFlow (about 5-10 s the first time) ..."
LOADED = " done"  # printed after the dots, once TensorFlow is imported
TICK_S = 2  # seconds between two dots while TensorFlow loads
# lines TensorFlow's import writes to file descriptor 2 that say nothing to a learner
NOISE = (
    "All log messages before absl::InitializeLog() is called",
    "oneDNN custom operations are on",
    "cpu_feature_guard.cc",
    "To enable the following instructions:",
)
_FRAMEWORKS = ("tensorflow", "keras")

TEMPLATE = """\
# @title Workbook set-up: run this cell first
# Locally it only keeps TensorFlow's start-up lines quiet; in Colab it also fetches the workbook.
def _workbook_setup(repository={repository!r}, course={course!r}, tensorflow={tensorflow!r}):
    import importlib, importlib.metadata, importlib.util, os, re, subprocess, sys, tempfile

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ info and warning lines
    if importlib.util.find_spec("shared_utils") is None:  # Colab: no workbook here yet
        url = os.environ.get({env_repository!r}) or repository
        base = "/content" if os.path.isdir("/content") else os.path.expanduser("~")
        home = os.path.abspath(os.environ.get({env_dir!r}) or os.path.join(base, "dl-workbook"))
        if not os.path.isdir(os.path.join(home, "shared_utils")):
            if not url:
                raise RuntimeError("No address to fetch the workbook from: run os.environ[{env_repository!r}]"
                                   " = 'https://<its git address>' in a cell, then this cell again.")
            print(f"Fetching the workbook from {{url}} into {{home}} ...", flush=True)
            subprocess.run(["git", "clone", "--quiet", "--depth", "1", url, home], check=True)
        pins = {{}}
        with open(os.path.join(home, "requirements.txt"), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"\\s*([A-Za-z0-9_.-]+)==([^;\\s]+)", line)
                if m:
                    pins[m.group(1).lower()] = m.group(2)
        have, missing = {{}}, []
        for name, pin in pins.items():
            try:
                have[name] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                if not name.startswith("tensorflow") and name != "jupyterlab":  # Colab brings its own
                    missing.append(f"{{name}}=={{pin}}")
        if missing:
            print("Installing what is missing:", ", ".join(missing), "...", flush=True)
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
            importlib.invalidate_caches()
        differ = [f"{{n}} {{v}} (pinned {{pins[n]}})" for n, v in have.items() if v != pins[n]]
        if differ:
            print("Running with this machine's", ", ".join(differ), "- the workbook is tested with the pins.")
        sys.path.insert(0, home)
        os.chdir(os.path.join(home, course))
    if tensorflow and "tensorflow" not in sys.modules:
        import threading

        print({loading!r}, end="", flush=True)
        loaded = threading.Event()

        def tick():  # a dot every {tick} s while TensorFlow loads: never a silent wait
            while not loaded.wait({tick}):
                print(".", end="", flush=True)

        threading.Thread(target=tick, daemon=True).start()
        sys.stderr.flush()
        kept = os.dup(2)
        with tempfile.TemporaryFile() as log:
            os.dup2(log.fileno(), 2)  # three of its start-up lines come before any setting is read
            try:
                import tensorflow  # noqa: F401
            finally:
                loaded.set()
                os.dup2(kept, 2)
                os.close(kept)
                log.seek(0)
                lines = log.read().decode(errors="replace").splitlines()
        print({loaded!r}, flush=True)
        noise = {noise!r}
        rest = [line for line in lines if line.strip() and not any(n in line for n in noise)]
        if rest:
            print("\\n".join(rest), file=sys.stderr)


_workbook_setup()
del _workbook_setup
"""


def repository(pyproject: Path | None = None) -> str:
    """The workbook's repository address: ``[tool.workbook] repository`` in pyproject.toml ("" when unset)."""
    path = pyproject or REPO_ROOT / "pyproject.toml"
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the one key, read by pattern
        table = re.search(r"^\[tool\.workbook\]\s*$(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
        value = table and re.search(r'^repository\s*=\s*"([^"]*)"', table.group(1), re.MULTILINE)
        return value.group(1) if value else ""
    return str(tomllib.loads(text).get("tool", {}).get("workbook", {}).get("repository", ""))


def first_cell(course: str, tensorflow: bool, url: str | None = None) -> str:
    """The first cell's source for a notebook of ``course``; ``tensorflow``: it loads TensorFlow."""
    return TEMPLATE.format(
        repository=repository() if url is None else url,
        course=course,
        tensorflow=bool(tensorflow),
        env_repository=ENV_REPOSITORY,
        env_dir=ENV_DIR,
        loading=LOADING,
        loaded=LOADED,
        tick=TICK_S,
        noise=NOISE,
    )


def _imports(tree: ast.AST, top_only: bool = False) -> set[str]:
    """The modules ``tree`` imports: at its top level, or anywhere (a function's lazy imports)."""
    found = set()
    for node in tree.body if top_only else ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _module_tree(name: str) -> ast.Module | None:
    path = REPO_ROOT.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return ast.parse(candidate.read_text(encoding="utf-8"))
    return None


def _framework(names: set[str]) -> bool:
    return any(name.split(".")[0] in _FRAMEWORKS for name in names)


def _used_functions(tree: ast.AST) -> set[tuple[str, str]]:
    """(module, function) pairs ``tree`` takes from shared_utils: ``from m import f``, ``m.f``."""
    aliases, used = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("shared_utils"):
            for alias in node.names:
                used.add((node.module, alias.name))
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            aliases |= {
                a.asname: a.name for a in node.names if a.asname and a.name.startswith("shared_utils")
            }
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            used.add((aliases[node.value.id], node.attr))
    return used


def uses_tensorflow(code: list[str], checks_module: str | None = None) -> bool:
    """Whether a notebook whose code cells are ``code`` loads TensorFlow (or Keras).

    Yes when one of its cells or its checks module imports it, when a shared_utils module they
    import (followed through top-level imports) imports it at its top level, or when a
    shared_utils function they use imports it in its body (a check backed by a TensorFlow
    oracle).  Lazy imports of functions the notebook does not use do not count."""
    trees = []
    for source in code:
        try:
            trees.append(ast.parse(source))
        except SyntaxError:
            continue
    checks = _module_tree(checks_module) if checks_module else None
    trees += [checks] if checks else []
    if any(_framework(_imports(tree)) for tree in trees):
        return True
    todo, seen = set().union(*(_imports(tree) for tree in trees)), set()
    while todo:
        name = todo.pop()
        if name in seen or not name.startswith("shared_utils"):
            continue
        seen.add(name)
        tree = _module_tree(name)
        if tree is not None:
            top = _imports(tree, top_only=True)
            if _framework(top):
                return True
            todo |= top
    for module, function in set().union(*(_used_functions(tree) for tree in trees)):
        tree = _module_tree(module)
        for node in tree.body if tree else []:
            if isinstance(node, ast.FunctionDef) and node.name == function and _framework(_imports(node)):
                return True
    return False


def import_tensorflow_quietly() -> None:
    """Import TensorFlow in this process without its C++ start-up lines (the grader's process).

    The same steps as the first cell's, for a process that is not a notebook: the lines
    TensorFlow's native code writes to file descriptor 2 while it loads are kept back, and those
    that are not start-up noise are written out after it.
    """
    import os
    import sys

    from shared_utils.common.compute import quiet_native_log

    if "tensorflow" in sys.modules:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with quiet_native_log(NOISE):
        import keras  # noqa: F401
        import tensorflow  # noqa: F401

#!/usr/bin/env python3
"""Set up the workbook's environment and run its main jobs, from a fresh clone.

    python3 bootstrap.py run     # create .venv, execute every solution notebook, print the report
    python3 bootstrap.py test    # create .venv, run the whole test suite (one worker per core, at most 4)
    python3 bootstrap.py lab     # create .venv, open JupyterLab on the course folders
    python3 bootstrap.py assets  # create .venv, fetch the pretrained networks and large data

Only Python 3.10+ with pip is needed. The environment lives in .venv/ and is rebuilt
when requirements*.txt change. Extra arguments after the command go to the tool it runs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".workbook-requirements.sha256"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirements_digest() -> str:
    h = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()


def ensure_environment() -> Path:
    python = venv_python()
    digest = requirements_digest()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == digest:
        return python
    if not python.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the pinned requirements (first time: a few minutes) ...", flush=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["-r", str(ROOT / "requirements-dev.txt")], check=True)
    subprocess.run(pip + ["--no-deps", "-e", str(ROOT)], check=True)
    quiet_nbgrader(python)
    STAMP.write_text(digest)
    return python


NBGRADER_SERVER_EXTENSIONS = [
    f"nbgrader.server_extensions.{name}"
    for name in ("formgrader", "validate_assignment", "assignment_list", "course_list")
]


def quiet_nbgrader(python: Path) -> None:
    """Keep nbgrader's JupyterLab menus and server extensions off in the workbook's lab.

    nbgrader is in requirements-dev.txt for its command line (tests/engine/test_release.py runs
    `nbgrader generate_assignment` and `autograde`); installing it also turns on its lab menus,
    toolbar buttons and server extensions, which a learner does not need. A teacher who wants
    them in this environment turns them back on with `jupyter labextension enable @jupyter/nbgrader`
    and `jupyter server extension enable --sys-prefix <extension>`."""
    if subprocess.run([str(python), "-c", "import nbgrader"], capture_output=True).returncode != 0:
        return  # not installed (Python 3.10: nbgrader 0.9 needs 3.11)
    jupyter = [str(python), "-m", "jupyter"]
    subprocess.run(
        jupyter + ["labextension", "disable", "--level=sys_prefix", "@jupyter/nbgrader"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        jupyter + ["server", "extension", "disable", "--sys-prefix", *NBGRADER_SERVER_EXTENSIONS],
        check=True,
        capture_output=True,
    )


def test_workers(args: list[str]) -> list[str]:
    """pytest-xdist's options for the suite: one worker per core, at most 4, unless ``args`` choose.

    Most of the suite's time is spent in kernels and grader processes that start, import and
    wait; two workers on two cores finish it in a little over half the time of one. Each worker
    can hold a notebook's TensorFlow (a few GB), hence the cap. ``-n 0`` runs it in one process."""
    if any(a.startswith(("-n", "--numprocesses", "--dist")) for a in args):
        return []
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return ["-n", str(max(1, min(4, cores))), "--dist", "worksteal"]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "lab", "assets"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(ensure_environment())
    if command == "run":
        cmd = [python, "-m", "shared_utils", "run", *rest]
    elif command == "test":
        cmd = [python, "-m", "pytest", *test_workers(rest), *rest]
    elif command == "assets":
        cmd = [python, "-m", "shared_utils", "assets", "fetch", "--all", *rest]
    else:
        cmd = [python, "-m", "jupyter", "lab", *rest]
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

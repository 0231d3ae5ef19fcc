"""The one notebook executor, shared by the runner (`run`) and the grader (`check`).

A notebook is executed in memory by nbclient in a fresh kernel started in ``cwd``; the caller
decides what, if anything, is written.  The kernel's environment is this process's plus the
workbook's defaults (:data:`KERNEL_DEFAULTS`) and the caller's variables, handed to the kernel
manager only: this process's ``os.environ`` is never changed.  Every cell has a time limit
(nbclient's ``timeout``): a cell that runs past it is interrupted and execution goes on with the
next cell; when two cells in a row run past it the kernel is taken to ignore interrupts and
execution stops.  Fast mode's parameters are injected with papermill's convention.  Each cell's
longest wait without visible output is measured from the kernel's message times
(:mod:`shared_utils.engine.silence`) into :attr:`Execution.silences`.

The kernel talks to this process over local sockets (ZeroMQ's ``ipc`` transport) where the
system has them, so it has no reason to warn about unencrypted TCP.  With ``quiet`` (the grader)
the kernel process's own stdout and stderr (native libraries' log lines, ipykernel's warnings)
go to a log kept in :attr:`Execution.kernel_log`, and the log records and Python warnings of
nbclient, jupyter_client and traitlets are silenced for the duration of the call.
"""

from __future__ import annotations

import logging
import math
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

KERNEL_DEFAULTS = {"TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "Agg"}
TIMEOUT_ENAME = "CellTimeoutError"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MACHINERY_LOGGERS = ("traitlets", "nbclient", "jupyter_client")
KERNEL_LOG_CHARS = 4000  # the end of the kernel process's own output kept with ``quiet``


@dataclass
class CellError:
    """A cell that raised or ran past its time limit (``timeout`` is then that limit)."""

    index: int
    ename: str
    evalue: str
    traceback: str = ""
    timeout: float | None = None

    @property
    def timed_out(self) -> bool:
        return self.timeout is not None

    def summary(self) -> str:
        """One line: ``cell 3: ValueError: broken data``."""
        if self.timed_out:
            return f"cell {self.index}: stopped after {self.timeout:.0f} s (time limit per cell)"
        return f"cell {self.index}: {self.ename}: {self.evalue[:200]}"


@dataclass
class Execution:
    """The executed notebook (outputs filled in), its errors in order and why it stopped early."""

    nb: nbformat.NotebookNode
    seconds: float = 0.0
    errors: list[CellError] = field(default_factory=list)
    stopped: str | None = None  # None when every cell was run
    stopped_at: int | None = None  # the index of the cell execution stopped in, when known
    kernel_log: str = ""  # with ``quiet``: the end of the kernel process's stdout and stderr
    silences: dict[int, float] = field(default_factory=dict)  # cell index -> longest silent wait, s

    @property
    def ok(self) -> bool:
        return not self.errors and self.stopped is None


class _KernelIgnoresInterrupts(Exception):
    pass


def inject_parameters(nb: nbformat.NotebookNode, parameters: Mapping[str, object]) -> None:
    """Papermill's convention: a cell tagged ``injected-parameters`` right after the cell tagged
    ``parameters`` (at the top when there is none) assigns the given values; an earlier injected
    cell is replaced."""
    if not parameters:
        return
    cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), 0)
    source = "# Parameters\n" + "".join(f"{name} = {value!r}\n" for name, value in parameters.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells = cells[:at] + [injected] + cells[at:]


def cell_number(nb: nbformat.NotebookNode, index: int) -> int | None:
    """The number JupyterLab shows as ``[n]`` next to cell ``index`` after Restart and Run All.

    That is the cell's 1-based position among the code cells that are not empty (an empty cell
    is not sent to the kernel and does not advance its count); ``None`` for a markdown cell.
    """
    cell = nb.cells[index]
    if cell.cell_type != "code" or not cell.source.strip():
        return None
    return sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code" and c.source.strip())


@contextmanager
def _machinery_silenced() -> Iterator[None]:
    """Silence the log records and warnings of the notebook machinery in this process, for now."""
    loggers = [logging.getLogger(name) for name in MACHINERY_LOGGERS]
    disabled = [logger.disabled for logger in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in loggers:
            logger.disabled = True
        try:
            yield
        finally:
            for logger, was in zip(loggers, disabled, strict=True):
                logger.disabled = was


def _transport_config(folder: str):
    """Kernel-manager settings: ``ipc`` sockets in ``folder`` where the system has them."""
    from traitlets.config import Config

    config = Config()
    if sys.platform != "win32":
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(folder, "kernel")
    return config


def kernel_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The kernel's environment: this process's, the workbook's defaults where unset, then ``extra``."""
    env = dict(os.environ)
    for name, value in KERNEL_DEFAULTS.items():
        env.setdefault(name, value)
    env.update(extra or {})
    return env


def execute_notebook(
    nb: nbformat.NotebookNode,
    cwd: str | Path,
    *,
    cell_timeout: float,
    env: Mapping[str, str] | None = None,
    stop_on_error: bool = False,
    timeouts: Mapping[int, float] | None = None,
    kernel_name: str = "python3",
    quiet: bool = False,
) -> Execution:
    """Execute every code cell of ``nb`` (in place) in a fresh kernel; never raises for the notebook.

    ``cell_timeout`` is the limit in seconds for each cell, ``timeouts`` overrides it for the cells
    at the given indices.  ``env`` adds variables to the kernel's environment.  With
    ``stop_on_error`` execution stops at the first cell that raises or times out (the runner);
    otherwise errors are recorded and execution goes on (the grader).  With ``quiet`` nothing is
    printed: the kernel's own output goes to :attr:`Execution.kernel_log`.
    """
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    from shared_utils.engine.silence import MeteredClient

    if not cell_timeout > 0 or not math.isfinite(cell_timeout):
        raise ValueError(f"cell_timeout must be a positive number of seconds, got {cell_timeout!r}")
    limits = {id(nb.cells[i]): t for i, t in (timeouts or {}).items()}
    result = Execution(nb)
    state = {"index": None, "timeouts_in_a_row": 0}

    def limit_of(cell):
        return limits.get(id(cell), cell_timeout)

    def on_cell_execute(cell, cell_index):
        state["index"] = cell_index

    def on_cell_executed(cell, cell_index, execute_reply):
        content = (execute_reply or {}).get("content", {})
        if content.get("status") != "error":
            state["timeouts_in_a_row"] = 0
            return
        timed_out = content.get("ename") == TIMEOUT_ENAME
        traceback = _ANSI.sub("", "\n".join(content.get("traceback", [])))
        result.errors.append(
            CellError(
                cell_index,
                str(content.get("ename")),
                str(content.get("evalue")),
                traceback,
                timeout=limit_of(cell) if timed_out else None,
            )
        )
        state["timeouts_in_a_row"] = state["timeouts_in_a_row"] + 1 if timed_out else 0
        if state["timeouts_in_a_row"] >= 2:
            raise _KernelIgnoresInterrupts(
                "the kernel does not respond to interrupts; remaining cells skipped"
            )

    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="workbook-kernel-"))
        launch: dict = {"env": kernel_env(env)}
        log_path = os.path.join(folder, "kernel.log")
        if quiet:
            stack.enter_context(_machinery_silenced())
            log_file = stack.enter_context(open(log_path, "wb"))
            launch.update(stdout=log_file, stderr=log_file)
        client = MeteredClient(
            nb,
            timeout=math.ceil(cell_timeout),
            timeout_func=limit_of,
            kernel_name=kernel_name,
            allow_errors=not stop_on_error,
            interrupt_on_timeout=True,
            error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "time limit per cell", "traceback": []},
            on_cell_execute=on_cell_execute,
            on_cell_executed=on_cell_executed,
            resources={"metadata": {"path": str(cwd)}},
            config=_transport_config(folder),
        )
        start = time.perf_counter()
        try:
            client.execute(**launch)
        except CellExecutionError:  # stop_on_error: the error is already recorded
            result.stopped = f"cell {state['index']} failed; the cells after it were not run"
            result.stopped_at = state["index"]
        except _KernelIgnoresInterrupts as exc:
            result.stopped = str(exc)
            result.stopped_at = state["index"]
        except DeadKernelError:
            where = "before the first cell" if state["index"] is None else f"in cell {state['index']}"
            result.stopped = f"the kernel died {where} (DeadKernelError)"
            result.stopped_at = state["index"]
        except Exception as exc:  # the kernel could not start, or nbclient failed
            result.stopped = f"{type(exc).__name__}: {exc}"
        result.seconds = time.perf_counter() - start
        result.silences = dict(client.silences.longest)
        if quiet:
            log_file.close()
            text = Path(log_path).read_text(encoding="utf-8", errors="replace")
            result.kernel_log = _ANSI.sub("", text[-KERNEL_LOG_CHARS:])
    return result

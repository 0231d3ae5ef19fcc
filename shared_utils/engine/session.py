"""A kernel the grader holds on to: cells run one at a time, with limits, and restarts.

:class:`KernelSession` starts a quiet kernel (nbclient's, as :mod:`shared_utils.engine.execute`
does) and runs code in it one cell at a time, each with its own time limit.  What a cell can do
to the grader is bounded:

- **time**: past its limit the cell is interrupted; a kernel that does not answer a trivial cell
  within :data:`INTERRUPT_GRACE_S` afterwards ignores interrupts and is reported as
  ``unresponsive`` (the caller restarts it) instead of being waited for;
- **output**: at most :data:`OUTPUT_CAP` characters of text per cell are kept (the rest is
  counted, not stored, with one note saying so), an error's message and traceback are cut to
  the same size, and a cell that prints :data:`OUTPUT_STOP` times the cap is interrupted;
- **memory**: with ``memory_limit`` (bytes), a watchdog thread reads the resident memory of the
  kernel and its child processes from ``/proc`` twice a second and kills the kernel when their
  sum is over the limit (Linux; elsewhere the limit is not enforced, and :attr:`memory_enforced`
  says so).

Each run returns a :class:`CellRun` whose ``status`` is ``ok``, ``error``, ``timeout``,
``unresponsive``, ``dead`` (also for a cell that called IPython's ``exit()``, which shuts the
kernel down a moment later) or ``memory``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from shared_utils.engine.execute import (
    _ANSI,
    KERNEL_LOG_CHARS,
    TIMEOUT_ENAME,
    _machinery_silenced,
    _transport_config,
    kernel_env,
)
from shared_utils.engine.silence import MeteredClient

OUTPUT_CAP = 1_000_000  # characters of text kept per cell
OUTPUT_STOP = 20  # a cell that prints this many times the cap is interrupted
INTERRUPT_GRACE_S = 10.0  # how long an interrupted kernel has to become responsive again
CUT_NOTE = "\n[... the grader kept the first {cap:,} characters of this cell's output: {total:,} in all]\n"


@dataclass
class CellRun:
    status: str  # ok | error | timeout | unresponsive | dead | memory
    ename: str = ""
    evalue: str = ""
    seconds: float = 0.0
    outputs: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _cut(text: str, cap: int = OUTPUT_CAP) -> str:
    return text if len(text) <= cap else text[:cap] + f" [... cut: {len(text):,} characters]"


class CappedClient(MeteredClient):
    """nbclient's client keeping at most :data:`OUTPUT_CAP` characters of each cell's text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_sizes: dict[int, int] = {}
        self.cut_cells: set[int] = set()

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        content = msg.get("content", {})
        if msg.get("msg_type") == "error":
            content["evalue"] = _cut(str(content.get("evalue", "")))
            tb = content.get("traceback", [])
            kept, size = [], 0
            for line in tb:
                size += len(line)
                if size > OUTPUT_CAP:
                    kept.append("[... traceback cut]")
                    break
                kept.append(line)
            content["traceback"] = kept
        return super().process_message(msg, cell, cell_index)

    def output(self, outs: list, msg: dict[str, Any], display_id: Any, cell_index: int) -> Any:
        content = msg.get("content", {})
        if msg.get("msg_type") == "error":  # kept, already cut to size
            return super().output(outs, msg, display_id, cell_index)
        text = content.get("text")
        if text is None and isinstance(content.get("data"), dict):
            size = sum(len(str(v)) for v in content["data"].values())
        else:
            size = len(text or "")
        before = self.text_sizes.get(cell_index, 0)
        total = before + size
        self.text_sizes[cell_index] = total
        if total > OUTPUT_STOP * OUTPUT_CAP >= before:
            asyncio.ensure_future(self._interrupt())
        if total > OUTPUT_CAP:
            self.cut_cells.add(cell_index)
            room = OUTPUT_CAP - before
            if text is None or room <= 0:
                return None
            content["text"] = text[:room]
        return super().output(outs, msg, display_id, cell_index)

    async def _interrupt(self) -> None:
        try:
            result = self.km.interrupt_kernel()
            if asyncio.iscoroutine(result):
                await result
        except Exception:
            pass


def _rss_tree(pid: int) -> int:
    """Resident memory in bytes of ``pid`` and all its descendants, read from ``/proc``."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        child, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(child)
        rss[child] = int(fields[21]) * page
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


class _Watchdog(threading.Thread):
    def __init__(self, pid: int, limit: int, kill: Any):
        super().__init__(daemon=True)
        self.pid, self.limit, self.kill = pid, limit, kill
        self.tripped = 0  # the memory seen when the limit was passed, in bytes
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.5):
            try:
                used = _rss_tree(self.pid)
            except OSError:
                continue
            self.peak = max(self.peak, used)
            if used > self.limit:
                self.tripped = used
                self.kill()
                return

    def stop(self) -> None:
        self._stop_event.set()


class KernelSession:
    """A kernel started in ``cwd``, running one cell at a time (see the module's docstring)."""

    def __init__(
        self,
        cwd: str | Path,
        *,
        kernel_name: str = "python3",
        env: dict[str, str] | None = None,
        memory_limit: int | None = None,
    ):
        self.cwd = str(cwd)
        self.kernel_name = kernel_name
        self.env = env or {}
        self.memory_limit = memory_limit
        self.memory_enforced = bool(memory_limit) and sys.platform.startswith("linux")
        self.nb = nbformat.v4.new_notebook()
        self.kernel_log = ""
        self.restarts = 0
        self._stack: ExitStack | None = None
        self._client: CappedClient | None = None
        self._watchdog: _Watchdog | None = None
        self._timeout = 60.0
        self._reply: dict | None = None

    def _executed(self, cell: Any, cell_index: int, execute_reply: dict) -> None:
        self._reply = execute_reply

    # ----- life -------------------------------------------------------------------------------
    def start(self) -> None:
        stack = ExitStack()
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="workbook-kernel-"))
        stack.enter_context(_machinery_silenced())
        self._log_path = os.path.join(folder, "kernel.log")
        log_file = stack.enter_context(open(self._log_path, "wb"))
        client = CappedClient(
            self.nb,
            timeout=60,
            timeout_func=lambda cell: self._timeout,
            kernel_name=self.kernel_name,
            allow_errors=True,
            interrupt_on_timeout=True,
            error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "time limit", "traceback": []},
            resources={"metadata": {"path": self.cwd}},
            config=_transport_config(folder),
            on_cell_executed=self._executed,
        )
        stack.enter_context(client.setup_kernel(env=kernel_env(self.env), stdout=log_file, stderr=log_file))
        self._stack, self._client = stack, client
        if self.memory_enforced:
            pid = self.pid
            if pid:
                self._watchdog = _Watchdog(pid, int(self.memory_limit), self._kill)
                self._watchdog.start()

    @property
    def pid(self) -> int | None:
        km = self._client.km if self._client else None
        provisioner = getattr(km, "provisioner", None)
        return getattr(provisioner, "pid", None)

    def _kill(self) -> None:
        pid = self.pid
        if pid:
            try:
                os.kill(pid, 9)
            except OSError:
                pass

    def close(self) -> None:
        if self._watchdog is not None:
            self._watchdog.stop()
            self._watchdog = None
        if self._stack is not None:
            try:
                self._read_log()
                self._stack.close()
            except Exception:
                pass
        self._stack, self._client = None, None

    def restart(self) -> None:
        self._kill()
        self.close()
        self.restarts += 1
        self.start()

    def _read_log(self) -> None:
        try:
            text = Path(self._log_path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        self.kernel_log = _ANSI.sub("", text[-KERNEL_LOG_CHARS:])

    @property
    def peak_memory(self) -> int:
        return self._watchdog.peak if self._watchdog else 0

    # ----- cells ------------------------------------------------------------------------------
    def run(self, source: str, timeout: float) -> CellRun:
        """Run ``source`` as one cell with a time limit of ``timeout`` seconds."""
        from nbclient.exceptions import DeadKernelError

        assert self._client is not None, "start() the session first"
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        index = len(self.nb.cells) - 1
        self._timeout = max(1, int(round(timeout)))
        start = time.perf_counter()
        try:
            self._client.execute_cell(cell, index)
        except DeadKernelError:
            self._read_log()
            tripped = self._watchdog.tripped if self._watchdog else 0
            status = "memory" if tripped else "dead"
            return CellRun(status, seconds=time.perf_counter() - start)
        except Exception as exc:  # nbclient itself failed: treat the kernel as gone
            self._read_log()
            return CellRun("dead", type(exc).__name__, str(exc), time.perf_counter() - start)
        finally:
            self.nb.cells[index] = nbformat.v4.new_code_cell("")  # keep no outputs
        seconds = time.perf_counter() - start
        outputs = cell.get("outputs", [])
        if index in self._client.cut_cells:
            note = CUT_NOTE.format(cap=OUTPUT_CAP, total=self._client.text_sizes[index])
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=note))
        content = (self._reply or {}).get("content", {})
        self._reply = None
        if any(p.get("source") == "ask_exit" for p in content.get("payload") or []):
            # IPython's exit(): the kernel shuts itself down a moment later, in whatever runs next
            return CellRun("dead", "exit", "exit() shut the kernel down", seconds, outputs)
        if content.get("status") == "error":
            ename, evalue = str(content.get("ename")), _cut(str(content.get("evalue")))
            if ename == TIMEOUT_ENAME:
                status = "timeout" if self.responsive() else "unresponsive"
                return CellRun(status, seconds=seconds, outputs=outputs)
            return CellRun("error", ename, evalue, seconds, outputs)
        return CellRun("ok", seconds=seconds, outputs=outputs)

    def responsive(self) -> bool:
        """Whether the kernel runs a trivial cell within :data:`INTERRUPT_GRACE_S` (after an interrupt)."""
        from nbclient.exceptions import DeadKernelError

        cell = nbformat.v4.new_code_cell("pass")
        self.nb.cells.append(cell)
        saved, self._timeout = self._timeout, int(INTERRUPT_GRACE_S)
        start = time.perf_counter()
        try:
            self._client.execute_cell(cell, len(self.nb.cells) - 1)
        except DeadKernelError:
            return False
        finally:
            self._timeout = saved
        content = (self._reply or {}).get("content", {})
        self._reply = None
        return content.get("ename") != TIMEOUT_ENAME and time.perf_counter() - start < INTERRUPT_GRACE_S

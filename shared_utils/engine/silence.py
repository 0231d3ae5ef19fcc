"""Silent waits: how long a cell leaves the learner looking at nothing.

While a notebook executes, every message the kernel sends about a cell carries the time the
kernel sent it (``header['date']``).  A cell's events are its start (the kernel's ``busy``
status), each message that changes what JupyterLab shows under it (text on stdout or stderr, a
figure or value, an error, a widget update such as a tqdm bar's) and its end (the ``idle``
status).  The cell's *longest silent wait* is the longest interval between two successive
events: from the start to the first output, between two outputs, or from the last output to
the end.  A cell without output is silent from start to end.

The kernel's dates come from the wall clock, which the system may step (a time
synchronisation) while a cell runs.  So that a step cannot make up a silence, no interval is
taken as longer than the time this process has seen pass, on its monotonic clock, since the
cell started: a 1.5 s cell is never reported silent for 17 s.

:class:`SilenceMeter` does the arithmetic on messages; :class:`MeteredClient` is nbclient's
``NotebookClient`` feeding it every iopub message of every cell through the public
``process_message`` method.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nbclient import NotebookClient

LIMIT_S = 5.0  # the longest a step may leave the learner without a sign of progress

# Messages that change what JupyterLab shows under a cell (comm messages update widgets).
VISIBLE = frozenset(
    {"stream", "display_data", "update_display_data", "execute_result", "error", "comm_msg", "comm_open"}
)


@dataclass
class _Cell:
    start: float
    last: float
    longest: float = 0.0
    outputs: int = 0
    received: float = 0.0  # this process's monotonic clock when the cell's start arrived


def _seconds(msg: Mapping[str, Any]) -> float:
    """The kernel's send time of ``msg`` in seconds (this process's clock when it has none)."""
    date = msg.get("header", {}).get("date")
    if isinstance(date, datetime.datetime):
        if date.tzinfo is None:
            date = date.replace(tzinfo=datetime.timezone.utc)
        return date.timestamp()
    return time.time()


class SilenceMeter:
    """The longest silent wait of each executed cell, in seconds, keyed by cell index."""

    def __init__(self) -> None:
        self._cells: dict[int, _Cell] = {}
        self.longest: dict[int, float] = {}

    def observe(self, msg: Mapping[str, Any], cell_index: int, received: float | None = None) -> None:
        """Take one iopub message of the cell at ``cell_index`` into account; ``received`` is this
        process's ``time.monotonic()`` when the message arrived (now, when not given)."""
        kind = msg.get("msg_type")
        content = msg.get("content", {})
        now = _seconds(msg)
        received = time.monotonic() if received is None else received
        if kind == "status" and content.get("execution_state") == "busy":
            self._cells[cell_index] = _Cell(now, now, received=received)
            return
        cell = self._cells.get(cell_index)
        if cell is None:
            return
        if kind in VISIBLE or (kind == "status" and content.get("execution_state") == "idle"):
            gap = min(now - cell.last, received - cell.received)  # a clock step cannot lengthen it
            cell.longest = max(cell.longest, gap)
            cell.last = now
            cell.outputs += kind in VISIBLE
            self.longest[cell_index] = round(cell.longest, 2)


class MeteredClient(NotebookClient):
    """nbclient's client, measuring each cell's longest silent wait into :attr:`silences`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.silences = SilenceMeter()

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        self.silences.observe(msg, cell_index)
        return super().process_message(msg, cell, cell_index)


@dataclass
class SilentWait:
    """A notebook's longest silent wait: its length, the cell's JupyterLab number and first line."""

    seconds: float
    cell: int | None
    line: str


def _wait(nb: Any, index: int, seconds: float) -> SilentWait:
    from shared_utils.engine.execute import cell_number

    lines = [line for line in nb.cells[index].source.splitlines() if line.strip()]
    return SilentWait(seconds, cell_number(nb, index), (lines[0] if lines else "")[:80])


def longest_silent_wait(nb: Any, silences: Mapping[int, float]) -> SilentWait | None:
    """The longest of ``silences`` (cell index -> seconds) in ``nb``, or ``None`` if none ran."""
    if not silences:
        return None
    index = max(silences, key=lambda i: silences[i])
    return _wait(nb, index, silences[index])


def silent_waits_over(nb: Any, silences: Mapping[int, float], limit: float = LIMIT_S) -> list[SilentWait]:
    """Every cell of ``nb`` whose longest silent wait is over ``limit`` seconds, in cell order."""
    return [_wait(nb, i, s) for i, s in sorted(silences.items()) if s > limit]

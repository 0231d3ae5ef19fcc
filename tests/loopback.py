"""The grader's remote calls served in this process: checks see the learner's function as the
grader does (a :class:`~shared_utils.engine.remote.RemoteFunction` whose every input and output
crosses :mod:`shared_utils.engine.wire` as data), without starting a kernel.

``remote(fn)`` is what a check receives when grading, with the kernel's agent
(:func:`shared_utils.engine.agent.serve`) answering here, from a namespace that holds ``fn``
under its exercise's name.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from shared_utils.engine import agent, remote, wire


class Loopback(remote.Channel):
    def __init__(self, namespace: dict[str, Any]):
        self.namespace = namespace
        self.folder = Path(tempfile.mkdtemp(prefix="workbook-loopback-"))
        self.count = 0

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        request, reply = self.folder / f"request-{self.count}.npz", self.folder / f"reply-{self.count}.npz"
        wire.dump(request, message)
        agent.serve(str(request), str(reply), namespace=self.namespace)
        try:
            return wire.load(reply)
        finally:
            request.unlink()
            reply.unlink()


def remote_function(name: str, fn: Any, namespace: dict[str, Any] | None = None) -> remote.RemoteFunction:
    """``fn`` as the grader sees the learner's ``name``: calls go through the wire and the agent."""
    ns = dict(namespace or {})
    ns[name] = fn
    channel = Loopback(ns)
    description = channel.request({"op": "describe", "name": name})
    return remote.RemoteFunction(channel, name, description)

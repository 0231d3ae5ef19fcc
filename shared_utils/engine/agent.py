"""The grader's agent inside the learner's kernel: it runs the learner's code, and only that.

The grader (:mod:`shared_utils.engine.grade`) starts the learner's notebook in a fresh kernel
whose first cell, before any of the learner's, calls :func:`install`.  Then, for each exercise,
the grader's own process runs the exercise's check and, each time the check calls the learner's
function, sends the inputs it chose here as a file (:mod:`shared_utils.engine.wire`: data,
never pickles) and executes ``_workbook_agent.serve(request, reply)`` in the kernel.  The agent
calls the learner's function on those inputs and writes back what came out (and, for arrays and
dicts passed in, what they hold afterwards, so that a change made in place is seen).  Expected
values and verdicts are never here: learner code that patches anything in this process changes
only what its own functions return.

:func:`install` also adds an audit hook (:func:`sys.addaudithook`; a hook cannot be removed once
added) that, for the rest of the kernel's life:

- refuses to open the files of the solutions and the grader (``sources/``, ``tests/``, ...) and
  to import the grader's modules;
- refuses to write, delete, rename or change the mode of anything in the protected folders (the
  workbook's repository, the folder of the learner's own notebook, the installed packages, the
  course data of the working folder);
- refuses to send a signal to the grader's process, and to start another program (which would
  run without the hook), but for the workbook's own worker processes
  (``python -m shared_utils.course2.multiworker``).

Each refusal raises ``PermissionError`` (``ImportError`` for an import) in the learner's code and
is recorded, so that the report can say why an exercise got no credit.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from typing import Any

import numpy as np

from shared_utils.engine import wire

VIOLATIONS: list[str] = []  # what the audit hook refused, in order (shown in the report)
_TABLE: dict[int, Any] = {}  # objects the grader holds references to
_CONFIG: dict[str, Any] = {}
_INSTALLED = False
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# a program started otherwise would run without the audit hook (os.fork keeps it: same process image)
_PROGRAM_EVENTS = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile")
_WRITE_EVENTS = {  # audit event -> positions of its path arguments
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.replace": (0, 1),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.truncate": (0,),
    "os.symlink": (1,),
    "os.link": (1,),
    "os.utime": (0,),
    "shutil.rmtree": (0,),
    "shutil.move": (0, 1),
    "shutil.copyfile": (1,),
    "shutil.copytree": (1,),
    "shutil.chown": (0,),
}


def _blocked(path: str, blocked: tuple[str, ...]) -> bool:
    """Whether the closest folder above ``path`` among ``blocked`` and the allowed ones is blocked."""
    block = _under_longest(path, blocked)
    allow = _under_longest(path, _CONFIG["allowed"])
    return block is not None and (allow is None or len(block) > len(allow))


def _under_longest(path: str, roots: tuple[str, ...]) -> str | None:
    found = [r for r in roots if path == r or path.startswith(r + os.sep)]
    return max(found, key=len) if found else None


def _real(path: Any) -> str | None:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        return None
    try:
        return os.path.realpath(os.fspath(path))
    except (OSError, ValueError):
        return None


def _refuse(kind: type[Exception], text: str) -> None:
    if len(VIOLATIONS) < 200:
        VIOLATIONS.append(text)
        try:  # the grader reads these lines in the cell's output, to say why in its report
            sys.stderr.write(f"{_CONFIG['mark']} {text}\n")
        except Exception:
            pass
    raise kind(f"{text} (not allowed while the notebook is graded)")


def _audit(event: str, args: tuple) -> None:
    if event == "open":
        path = _real(args[0])
        if path is None:
            return
        if _blocked(path, _CONFIG["read_blocked"]):
            _refuse(PermissionError, f"opened {path}, a file of the solutions or the grader")
        mode, flags = (args[1] or ""), (args[2] or 0)
        writing = any(c in mode for c in "wax+") or bool(flags & _WRITE_FLAGS)
        if writing and _blocked(path, _CONFIG["write_blocked"]):
            _refuse(PermissionError, f"opened {path} for writing, in a protected folder")
    elif event in _WRITE_EVENTS:
        for i in _WRITE_EVENTS[event]:
            path = _real(args[i]) if i < len(args) else None
            if path and _blocked(path, _CONFIG["write_blocked"]):
                _refuse(PermissionError, f"{event} on {path}, in a protected folder")
    elif event == "import":
        name = args[0] or ""
        for blocked in _CONFIG["modules_blocked"]:
            if name == blocked or name.startswith(blocked + "."):
                _refuse(ImportError, f"imported {name}, a module of the solutions or the grader")
    elif event in ("os.kill", "os.killpg") and args and args[0] in _CONFIG["pids_protected"]:
        _refuse(PermissionError, f"sent a signal to the grader's process {args[0]}")
    elif event == "subprocess.Popen":
        argv = args[1] if isinstance(args[1], (list, tuple)) else [args[1]]
        argv = [os.fsdecode(a) if isinstance(a, (str, bytes)) else str(a) for a in argv]
        allowed = any(
            len(argv) > len(tail) and argv[0] == sys.executable and argv[1 : 1 + len(tail)] == tail
            for tail in _CONFIG["programs_allowed"]
        )
        if not allowed:
            _refuse(PermissionError, f"started another program ({' '.join(argv)[:100]})")
    elif event in _PROGRAM_EVENTS:
        _refuse(PermissionError, f"{event}: started another program")


def install(config_json: str) -> None:
    """Set the kernel up for grading: import what the notebook may use, then add the audit hook."""
    global _INSTALLED
    if _INSTALLED:
        return
    config = json.loads(config_json)
    sys.dont_write_bytecode = True
    import importlib

    for name in config.get("preload", []):  # imported now, so that their files need not be read later
        try:
            importlib.import_module(name)
        except Exception:  # a module the notebook cannot use either: its own cell will say so
            pass
    _CONFIG.update(
        read_blocked=tuple(config["read_blocked"]),
        write_blocked=tuple(config["write_blocked"]),
        allowed=tuple(config["allowed"]),
        mark=config["mark"],
        modules_blocked=tuple(config["modules_blocked"]),
        pids_protected=frozenset(config["pids_protected"]),
        programs_allowed=[list(t) for t in config["programs_allowed"]],
    )
    sys.addaudithook(_audit)
    _INSTALLED = True


# ----- serving the grader's requests ---------------------------------------------------------


def _namespace() -> dict:
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else sys.modules["__main__"].__dict__


def _describe_type(obj: Any) -> dict[str, Any]:
    kind = type(obj)
    info: dict[str, Any] = {
        "type": kind.__name__,
        "mro": [f"{c.__module__}.{c.__qualname__}" for c in kind.__mro__],
        "callable": callable(obj),
        "repr": "",
    }
    try:
        info["repr"] = repr(obj)[:200]
    except Exception:
        pass
    keras = sys.modules.get("keras")
    if keras is not None and isinstance(obj, keras.Model):
        from shared_utils.engine.checking import _has_outputs, model_summary

        info["model"] = {"built": bool(obj.built), "has_outputs": _has_outputs(obj)}
        try:
            info["model"]["summary"] = model_summary(obj)
        except Exception as exc:
            info["model"]["error"] = f"{type(exc).__name__}: {exc}"
    return info


def _make_ref(obj: Any) -> wire.Ref:
    key = id(obj)
    _TABLE[key] = obj
    return wire.Ref(key, _describe_type(obj))


def _resolve_ref(ref: wire.Ref) -> Any:
    return _TABLE[ref.id]


def _origin(obj: Any) -> str | None:
    """The file a function (or a class's methods) was defined in."""
    code = getattr(obj, "__code__", None)
    if code is None and inspect.isclass(obj):
        for member in vars(obj).values():
            code = getattr(member, "__code__", None)
            if code is not None:
                break
    if code is None and hasattr(obj, "__wrapped__"):
        return _origin(obj.__wrapped__)
    return code.co_filename if code is not None else None


def _signature(obj: Any) -> list[dict] | None:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = []
    for p in sig.parameters.values():
        entry: dict[str, Any] = {"name": p.name, "kind": int(p.kind)}
        if p.default is not p.empty:
            try:
                wire.Encoder().encode(p.default)
                entry["default"] = p.default
            except wire.NotTransferable:
                entry["default_repr"] = repr(p.default)[:80]
        params.append(entry)
    return params


def _error(exc: BaseException) -> dict[str, Any]:
    from shared_utils.engine.checking import _learner_traceback, _raiser

    message = str(exc)
    if len(message) > 2000:
        message = message[:2000] + " [... cut]"
    return {
        "type": type(exc).__name__,
        "message": message,
        "traceback": _learner_traceback(exc),
        "raiser": _raiser(exc),
        "not_implemented": isinstance(exc, NotImplementedError),
    }


def _paths(args: list, kwargs: dict) -> dict[int, list]:
    """id -> path of every array, list and dict among the arguments (a result that returns one of
    them is sent as its path, so that the grader sees its own object come back)."""
    known: dict[int, list] = {}

    def walk(value: Any, path: list) -> None:
        if isinstance(value, (np.ndarray, list, dict)):
            known.setdefault(id(value), path)
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                walk(item, [*path, i])
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, [*path, key])

    for i, value in enumerate(args):
        walk(value, ["args", i])
    for key, value in kwargs.items():
        walk(value, ["kwargs", key])
    return known


def _call(fn: Any, args: list, kwargs: dict) -> dict[str, Any]:
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: they fail this exercise only
        return {"ok": False, "error": _error(exc)}
    return {"ok": True, "result": result}


def serve(request_path: str, reply_path: str, namespace: dict | None = None) -> None:
    """Answer one request of the grader (read from ``request_path``; reply to ``reply_path``).

    The learner's objects are looked up in the kernel's namespace, or in ``namespace`` (the
    tests' loopback, which serves requests in one process).
    """
    request = wire.load(request_path, resolve_ref=_resolve_ref, resolve_named=True)
    op = request["op"]
    ns = _namespace() if namespace is None else namespace
    reply: dict[str, Any]
    known: dict[int, list] = {}
    if op == "describe":
        name = request["name"]
        if name not in ns:
            reply = {"defined": False}
        else:
            obj = ns[name]
            reply = {
                "defined": True,
                "callable": callable(obj),
                "type": type(obj).__name__,
                "origin": _origin(obj),
                "signature": _signature(obj) if callable(obj) else None,
                "qualname": getattr(obj, "__qualname__", None),
            }
    elif op == "call":
        target = request["target"]
        fn = ns.get(target) if isinstance(target, str) else target
        args, kwargs = list(request["args"]), dict(request["kwargs"])
        reply = _call(fn, args, kwargs)
        known = _paths(args, kwargs)
        reply["args_after"] = [a if d else None for a, d in zip(args, request["data_args"])]
        reply["kwargs_after"] = {k: v for k, v in kwargs.items() if k in request["data_kwargs"]}
    elif op == "probe":  # a function of the check module, given the learner's function first
        args, kwargs = list(request["args"]), dict(request["kwargs"])
        reply = _call(request["probe"], [ns.get(request["exercise"]), *args], kwargs)
        known = _paths(args, kwargs)
        reply["args_after"] = [a if d else None for a, d in zip(args, request["data_args"])]
        reply["kwargs_after"] = {k: v for k, v in kwargs.items() if k in request["data_kwargs"]}
    elif op == "getattr":
        try:
            reply = {"ok": True, "result": getattr(request["target"], request["name"])}
        except Exception as exc:
            reply = {"ok": False, "error": _error(exc)}
    elif op == "plant":
        fn = ns.get(request["exercise"])
        namespace = getattr(fn, "__globals__", None)
        if not isinstance(namespace, dict):
            reply = {"ok": False, "error": {"type": "TypeError", "message": "not a function"}}
        else:
            absent = [n for n in request["stand_ins"] if n not in namespace]
            saved = {n: namespace[n] for n in request["stand_ins"] if n in namespace}
            _TABLE[id(saved)] = (saved, absent)
            namespace.update(request["stand_ins"])
            reply = {"ok": True, "token": id(saved)}
    elif op == "unplant":
        fn = ns.get(request["exercise"])
        saved, absent = _TABLE.pop(request["token"])
        namespace = fn.__globals__
        namespace.update(saved)
        for name in absent:
            namespace.pop(name, None)
        reply = {"ok": True}
    elif op == "violations":
        reply = {"violations": list(VIOLATIONS)}
    else:
        reply = {"ok": False, "error": {"type": "ValueError", "message": f"unknown request {op!r}"}}
    try:
        wire.dump(reply_path, reply, make_ref=_make_ref, known=known)
    except (wire.NotTransferable, ValueError) as exc:
        wire.dump(
            reply_path,
            {"ok": False, "error": {"type": "NotTransferable", "message": str(exc), "transfer": True}},
        )

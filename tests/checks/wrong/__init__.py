"""Wrong-but-plausible implementations, one module per checks module.

Each module defines ``WRONG``: a dict from exercise name to a list of functions that a
learner could plausibly write and that the check must reject.  ``tests/test_checks.py``
runs them all.  A wrong function that calls other exercise functions (e.g. a wrong
``model`` that calls ``optimize``) gets them from the solution's namespace: it is rebound
with :func:`tests.checks.wrong.rebind` so its globals are the notebook's.
"""

from __future__ import annotations

import types
from collections.abc import Callable


def rebind(fn: Callable, namespace: dict) -> Callable:
    """A copy of ``fn`` whose global names resolve in ``namespace`` (then in fn's module)."""
    merged = dict(fn.__globals__)
    merged.update({k: v for k, v in namespace.items() if not k.startswith("__")})
    new = types.FunctionType(fn.__code__, merged, fn.__name__, fn.__defaults__, fn.__closure__)
    new.__kwdefaults__ = fn.__kwdefaults__
    return new

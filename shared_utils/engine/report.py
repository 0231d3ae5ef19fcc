"""The headline figure of a notebook's run: printed for the learner, collected by `run`.

A notebook that trains calls :func:`headline` once.  When the workbook's runner executes
the notebook it sets ``WORKBOOK_REPORT`` to a file; each call appends one JSON line there,
so ``python -m shared_utils run`` can show notebook, status, seconds, figure and target.
"""

from __future__ import annotations

import json
import os

REPORT_ENV = "WORKBOOK_REPORT"


def format_value(value: float) -> str:
    """A headline value as people read it: 0.8450, 12.5000, 2.78e-16."""
    return f"{value:.4f}" if value == 0 or 1e-3 <= abs(value) < 1e5 else f"{value:.3g}"


def headline(name: str, value: float, target: float, higher_is_better: bool = True) -> bool:
    """Report the notebook's headline figure against its target; return whether it is met."""
    value = float(value)
    met = value >= target if higher_is_better else value <= target
    sign = "≥" if higher_is_better else "≤"
    mark = "✅ target met" if met else "❌ below target" if higher_is_better else "❌ above target"
    print(f"{name}: {format_value(value)}  (target {sign} {target:g})  {mark}")
    path = os.environ.get(REPORT_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(
                json.dumps(
                    {
                        "name": name,
                        "value": value,
                        "target": target,
                        "higher_is_better": higher_is_better,
                        "met": met,
                    }
                )
                + "\n"
            )
    return met

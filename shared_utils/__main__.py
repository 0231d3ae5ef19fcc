"""Command line of the workbook: ``python -m shared_utils list | build | run | check | assets``."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path


def _seconds(text: str) -> float:
    """An argparse type: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared_utils", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the notebooks in course order with their exercise counts")
    b = sub.add_parser(
        "build", help="write the learner notebooks and the #@save library modules from the sources"
    )
    b.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    r = sub.add_parser("run", help="execute solution notebooks and print the run report")
    r.add_argument("--fast", action="store_true", help="use each notebook's smaller fast-mode parameters")
    r.add_argument("--json", type=Path, help="where to write the JSON report (default build/report*.json)")
    r.add_argument("paths", nargs="*", help="notebooks to run (paths or name fragments); all by default")
    c = sub.add_parser("check", help="grade a learner's notebook offline (never writes to it)")
    c.add_argument("path", help="the learner's .ipynb")
    c.add_argument(
        "--cell-timeout", type=_seconds, default=300, help="seconds allowed per cell (default 300)"
    )
    from shared_utils.data import cli as assets_cli

    assets_cli.add_arguments(
        sub.add_parser("assets", help="pretrained networks and large data: list | fetch | verify")
    )
    args = parser.parse_args(argv)

    if args.command == "assets":
        return assets_cli.run(args)

    if args.command == "check":
        from shared_utils.engine.grade import main as grade_main

        return grade_main(args.path, cell_timeout=args.cell_timeout)

    from shared_utils.engine import build as notebooks

    if args.command == "list":
        from shared_utils.engine.checking import exercises

        course = None
        for n in notebooks.discover():
            if n.course != course:
                course = n.course
                print(course)
            count = len(exercises(n.checks_module))
            print(f"  {n.name:<40} {count:>3} exercises   {n.title}")
        return 0
    if args.command == "build":
        if args.check:
            stale = notebooks.stale()
            for p in stale:
                print(f"out of date: {p}")
            return 1 if stale else 0
        written = notebooks.build()
        for p in written:
            print(f"wrote {p.relative_to(notebooks.REPO_ROOT)}")
        print(f"{len(written)} learner notebook(s) written, the others were up to date.")
        library = notebooks.build_library()
        for p in library:
            print(f"wrote {p.relative_to(notebooks.REPO_ROOT)}")
        print(f"{len(library)} library module(s) written from the #@save cells, the others were up to date.")
        return 0
    if args.command == "run":
        from shared_utils.engine.run import run

        return run(notebooks.select(args.paths), fast=args.fast, json_path=args.json)
    return 2


if __name__ == "__main__":
    sys.exit(main())

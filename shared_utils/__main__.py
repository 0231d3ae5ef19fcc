"""Command line of the workbook: ``python -m shared_utils list | build | run | check | assets``."""

from __future__ import annotations

import argparse
import math
import re
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


_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def _bytes(text: str) -> int:
    """An argparse type: a positive amount of memory, ``4G``, ``512M``, ``2.5GB``, ``1GiB`` or a
    number of bytes; K, M, G and T count in 1024s."""
    match = re.fullmatch(r"\s*([+-]?[0-9]*\.?[0-9]+(?:e[0-9]+)?)\s*([KMGT]?)(?:I?B)?\s*", text, re.I)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount of memory (say 4G, 512M or 2.5GB)")
    value = float(match.group(1)) * _UNITS[match.group(2).upper()]
    if not (value >= 1 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be a positive amount of memory, not {text}")
    return int(value)


def _count(text: str) -> int:
    """An argparse type: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared_utils", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the notebooks in course order with their exercise counts")
    b = sub.add_parser(
        "build", help="write the learner notebooks and the #@save library modules from the sources"
    )
    b.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    b.add_argument("paths", nargs="*", help="notebooks to build (paths or name fragments); all by default")
    r = sub.add_parser("run", help="execute solution notebooks and print the run report")
    r.add_argument("--fast", action="store_true", help="use each notebook's smaller fast-mode parameters")
    r.add_argument("--json", type=Path, help="where to write the JSON report (default build/report*.json)")
    r.add_argument("paths", nargs="*", help="notebooks to run (paths or name fragments); all by default")
    c = sub.add_parser(
        "check",
        help="grade learners' notebooks offline (never writes to them): one, many, or a class's folder",
    )
    c.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a learner's .ipynb (prints its whole report), or several, or folders of them (every"
        " .ipynb below, hidden folders and .ipynb_checkpoints skipped): one line each and a gradebook",
    )
    c.add_argument(
        "--cell-timeout", type=_seconds, default=300, help="seconds allowed per cell (default 300)"
    )
    c.add_argument(
        "--grade-timeout",
        type=_seconds,
        help="seconds allowed for grading each exercise (default: the grader's own)",
    )
    c.add_argument(
        "--memory-limit",
        type=_bytes,
        help="the most memory a learner's kernel may use: 4G, 512M, 2.5GB ... (default: the grader's own)",
    )
    c.add_argument(
        "--jobs",
        type=_count,
        help="notebooks graded at once (default: the cores available)",
    )
    c.add_argument(
        "--gradebook",
        type=Path,
        metavar="DIR",
        help="folder for gradebook.csv and gradebook.json (default: the first folder given, else the"
        " current folder; with one notebook, none is written unless this is given)",
    )
    c.add_argument("--seed", type=int, help="the seed of the grader's inputs (default: fresh each run)")
    from shared_utils.data import cli as assets_cli

    assets_cli.add_arguments(
        sub.add_parser("assets", help="pretrained networks and large data: list | fetch | verify")
    )
    rel = sub.add_parser(
        "release", help="write the workbook for a class into a folder: learner notebooks, no sources"
    )
    rel.add_argument("out", type=Path, metavar="OUT_DIR", help="the folder to write (new or empty)")
    rel.add_argument("--force", action="store_true", help="replace an earlier release in OUT_DIR")
    nbg = sub.add_parser(
        "nbgrader", help="write an nbgrader course folder of the solution notebooks (for the teacher)"
    )
    nbg.add_argument("out", type=Path, metavar="OUT_DIR", help="the folder to write (new or empty)")
    nbg.add_argument(
        "paths", nargs="*", help="notebooks to include (paths or name fragments); all by default"
    )
    nbg.add_argument("--force", action="store_true", help="replace an earlier nbgrader folder in OUT_DIR")
    args = parser.parse_args(argv)

    if args.command == "assets":
        return assets_cli.run(args)

    if args.command == "check":
        from shared_utils.engine import gradebook

        return gradebook.check(
            args.paths,
            gradebook=args.gradebook,
            jobs=args.jobs,
            cell_timeout=args.cell_timeout,
            grade_timeout=args.grade_timeout,
            memory_limit=args.memory_limit,
            seed=args.seed,
        )

    from shared_utils.engine import build as notebooks

    if args.command in ("release", "nbgrader"):
        from shared_utils.engine import release

        try:
            if args.command == "release":
                out = release.release(args.out, force=args.force)
                print(f"wrote the learner release to {out} (README.md says what it holds)")
            else:
                out = release.nbgrader_course(args.out, notebooks.select(args.paths), force=args.force)
                print(f"wrote an nbgrader course folder to {out}: cd there, then")
                print("  nbgrader generate_assignment <assignment>   (assignments: source/*)")
        except release.ReleaseError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    if not notebooks.SOURCES.is_dir() and args.command in ("list", "build", "run"):
        # a learner release (python -m shared_utils release) has no sources/
        from shared_utils.engine import release

        if args.command != "list":
            print(
                f"error: `{args.command}` needs the notebook sources, which a release leaves out",
                file=sys.stderr,
            )
            return 2
        from shared_utils.engine.checking import exercises

        try:
            listing = release.release_listing()
        except release.ReleaseError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        course = None
        for n in listing:
            if n["course"] != course:
                course = n["course"]
                print(course)
            print(f"  {n['name']:<40} {len(exercises(n['checks'])):>3} exercises   {n['title']}")
        return 0

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
        chosen = notebooks.select(args.paths) if args.paths else None
        if args.check:
            stale = notebooks.stale(chosen)
            for p in stale:
                print(f"out of date: {p}")
            return 1 if stale else 0
        written = notebooks.build(chosen)
        for p in written:
            print(f"wrote {p.relative_to(notebooks.REPO_ROOT)}")
        print(f"{len(written)} learner notebook(s) written, the others were up to date.")
        library = notebooks.build_library(chosen)
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

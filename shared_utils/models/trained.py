"""Weights the project trains itself, each with its card.

Where no real pretrained network fits a lesson (ResNet-50 on the hand signs, a U-Net on the
driving scenes, a music LSTM, ...), a maintainer script in ``tools/`` trains one and ships its
weights. Each is two committed files in ``shared_data/weights/``:

* ``<name>.weights.h5`` - the model's weights, one HDF5 dataset per variable in the order of
  ``model.weights``, named ``0000``, ``0001``, ... with the variable's path and shape as
  attributes; stored as float16 (or float32) to keep the file small. Read with h5py: no
  pickles, no code.
* ``<name>.card.json`` - the card a learner reads before trusting the weights: which model,
  trained on which data, for how many epochs, with which seed, the figure it reached (after
  the float16 rounding), the command that trains it again, the versions, and the weights
  file's SHA-256 and size.

A tool trains, then::

    trained.quantize(model)                     # round the weights as they will be stored
    figure = evaluate(model)                    # measure with exactly those weights
    trained.save(model, "resnet50_handsigns", tool="python tools/train_resnet50.py",
                 data="...", epochs=20, seed=0, metric={"name": "test accuracy",
                 "value": figure, "split": "the 120 test images"}, licence="...")

and a notebook::

    card = trained.load(model, "resnet50_handsigns")   # checks the SHA-256 first
    trained.show_card(card)

A missing, changed or truncated file raises :class:`~shared_utils.data.registry.DataError`
naming it and the commands that restore it; weights that do not fit the model raise a
``ValueError`` saying which tensor differs. The registry lists these files among the committed
data (:func:`shared_utils.data.registry.trained_weights`).
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from shared_utils.common.files import atomic_write
from shared_utils.data import registry
from shared_utils.data.registry import WEIGHTS_DIR, DataError

FORMAT = 1  # version of the weights file's layout
STORED = ("float16", "float32")


def card_path(name: str) -> Path:
    return registry.REPO_ROOT / WEIGHTS_DIR / f"{name}.card.json"


def weights_path(name: str) -> Path:
    return registry.REPO_ROOT / WEIGHTS_DIR / f"{name}.weights.h5"


def card(name: str) -> dict[str, Any]:
    """The card of the weights called ``name``, as a dict (see the module's docstring)."""
    p = card_path(name)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = ", ".join(sorted(registry.trained_weights())) or "none"
        raise DataError(
            f"the card of the trained weights {name!r} ({p}) is missing (known: {known}). "
            f"Restore it with `git checkout -- {WEIGHTS_DIR}/{name}.card.json` (from the repository root)."
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataError(
            f"the card {p} is not valid JSON ({e}). "
            f"Restore it with `git checkout -- {WEIGHTS_DIR}/{name}.card.json`."
        ) from None


def quantize(model: Any, dtype: str = "float16") -> None:
    """Round every weight of ``model`` to ``dtype`` and back, as :func:`save` will store it.

    Call it before measuring the figure that goes on the card, so that the card tells what
    the shipped weights reach, not what the unrounded ones did.
    """
    _stored_dtype(dtype)
    for v in model.weights:
        value = np.asarray(v.numpy())
        if value.dtype.kind == "f":
            v.assign(value.astype(dtype).astype(value.dtype))


def save(
    model: Any,
    name: str,
    *,
    tool: str,
    data: str,
    epochs: int,
    seed: int,
    metric: dict[str, Any],
    licence: str,
    dtype: str = "float16",
    seconds: float | None = None,
    notes: str = "",
    variables: list | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Write ``model``'s weights and their card (both atomically); return the card.

    ``metric`` is ``{"name": ..., "value": ..., "split": ...}``: the figure reached with the
    stored weights (call :func:`quantize` before measuring it). ``extra`` entries go on the
    card as they are (the builder's arguments, the optimizer, the learning rate, ...).
    ``variables``, where given, are the model's variables in the order to store them (e.g. an
    order that does not depend on how the model was written); :func:`load` then takes the same
    order. By default, ``model.weights``.
    """
    import keras
    import tensorflow as tf

    _stored_dtype(dtype)
    if not {"name", "value", "split"} <= set(metric):
        raise ValueError("metric must give 'name', 'value' and 'split'")
    weights = list(model.weights if variables is None else variables)

    def write(tmp: Path) -> None:
        import h5py

        with h5py.File(tmp, "w") as f:
            f.attrs["format"] = FORMAT
            f.attrs["count"] = len(weights)
            for i, v in enumerate(weights):
                value = np.asarray(v.numpy())
                stored = value.astype(dtype) if value.dtype.kind == "f" else value
                ds = f.create_dataset(f"{i:04d}", data=stored)
                ds.attrs["path"] = v.path
                ds.attrs["dtype"] = str(value.dtype)

    path = atomic_write(weights_path(name), write)
    entry = {
        "name": name,
        "model": model.name,
        "parameters": int(sum(int(np.prod(v.shape)) for v in weights)),
        "tensors": len(weights),
        "data": data,
        "epochs": int(epochs),
        "seed": int(seed),
        "metric": {**metric, "value": float(metric["value"])},
        "tool": tool,
        "licence": licence,
        "stored_as": dtype,
        "file": f"{WEIGHTS_DIR}/{name}.weights.h5",
        "sha256": registry.file_sha256(path),
        "size": path.stat().st_size,
        "trained_with": {
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
        },
        "date": time.strftime("%Y-%m-%d"),
    }
    if seconds is not None:
        entry["seconds"] = round(float(seconds), 1)
    if notes:
        entry["notes"] = notes
    entry.update(extra)
    atomic_write(card_path(name), json.dumps(entry, indent=2) + "\n")
    registry.trained_weights.cache_clear()
    return entry


def load(model: Any, name: str, variables: list | None = None) -> dict[str, Any]:
    """Load the trained weights ``name`` into ``model`` (built, same architecture); return the card.

    The weights file's SHA-256 is checked against the card first. A model with another
    number of tensors, or a tensor of another shape, raises ``ValueError`` naming the first
    that differs and the model the card describes. ``variables``: the model's variables in the
    order :func:`save` was given them (by default ``model.weights``).
    """
    import h5py

    entry = card(name)
    p = registry.verified_path(registry.trained_weights()[name])
    weights = list(model.weights if variables is None else variables)
    with h5py.File(p, "r") as f:
        count = int(f.attrs["count"])
        if count != len(weights):
            raise ValueError(
                f"the weights {name!r} hold {count} tensors but this model has {len(weights)}: "
                f"they were trained for the model {entry['model']!r} "
                f"({entry['parameters']:,} parameters); build that model to load them."
            )
        values = []
        for i, v in enumerate(weights):
            ds = f[f"{i:04d}"]
            if tuple(ds.shape) != tuple(v.shape):
                raise ValueError(
                    f"tensor {i} of the weights {name!r} ({ds.attrs['path']}) has shape {tuple(ds.shape)}, "
                    f"but the model's {v.path} has shape {tuple(v.shape)}: the model differs from "
                    f"{entry['model']!r}, the one they were trained for."
                )
            values.append(ds[()])
    for v, value in zip(weights, values):
        v.assign(value.astype(v.dtype) if value.dtype.kind == "f" else value)
    return entry


def show_card(entry: dict[str, Any]) -> None:
    """Print a card the way a learner reads it."""
    m = entry["metric"]
    rows = [
        ("weights", f"{entry['file']} ({entry['size'] / 1e6:.1f} MB, {entry['stored_as']})"),
        ("model", f"{entry['model']}, {entry['parameters']:,} parameters"),
        ("trained on", entry["data"]),
        ("epochs, seed", f"{entry['epochs']}, {entry['seed']}"),
        ("reached", f"{m['name']} {m['value']:.4g} on {m['split']}"),
        ("trained by", f"`{entry['tool']}` on {entry['date']}"),
        ("sha256", entry["sha256"]),
    ]
    if "notes" in entry:
        rows.append(("notes", entry["notes"]))
    width = max(len(k) for k, _ in rows)
    print(f"Card of the trained weights {entry['name']!r}")
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")


def _stored_dtype(dtype: str) -> None:
    if dtype not in STORED:
        raise ValueError(f"weights are stored as one of {STORED}, not {dtype!r}")


# The order of a functional network's weights, from its wiring alone (public Keras API only:
# ``layer.input`` / ``layer.output``; each layer of these networks is called once).


def _flat(tensors: Any) -> list:
    import keras

    return list(keras.tree.flatten(tensors))


def wiring(model: Any) -> tuple[list, dict[int, list[int]]]:
    """The model's layers but its inputs, and for each (by position) the positions of its inputs'
    producers (-1: the model's input; -2: a tensor no layer of the model made, e.g. a keras.ops call)."""
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    inputs = {id(t) for t in _flat(model.inputs)}
    made = {}
    for i, layer in enumerate(layers):
        for t in _flat(layer.output):
            made[id(t)] = i
    parents = {}
    for i, layer in enumerate(layers):
        parents[i] = [-1 if id(t) in inputs else made.get(id(t), -2) for t in _flat(layer.input)]
    return layers, parents


def graph_layers(model: Any) -> list:
    """The layers of a functional ``model`` (inputs left out) in an order set by the wiring alone:
    sorted by (longest path from the input, longest path to the output reversed, kind), the same
    for any way of writing the same network (``model.layers`` follows the order of an ``Add``'s
    inputs, for one)."""
    layers, parents = wiring(model)
    n = len(layers)
    depth_in: dict[int, int] = {}

    def from_input(i: int) -> int:
        if i < 0:
            return 0
        if i not in depth_in:
            depth_in[i] = 1 + max((from_input(p) for p in parents[i]), default=0)
        return depth_in[i]

    children: dict[int, list[int]] = {i: [] for i in range(n)}
    for i in range(n):
        for p in parents[i]:
            if p >= 0:
                children[p].append(i)
    depth_out: dict[int, int] = {}

    def to_output(i: int) -> int:
        if i not in depth_out:
            depth_out[i] = 1 + max((to_output(c) for c in children[i]), default=0)
        return depth_out[i]

    order = sorted(
        range(n),
        key=lambda i: (from_input(i), -to_output(i), type(layers[i]).__name__, layers[i].count_params(), i),
    )
    return [layers[i] for i in order]


def graph_weights(model: Any) -> list:
    """The variables of ``model``, layer by layer in :func:`graph_layers` order: the order in which
    the tools that train ResNet-50 and the U-Net store the shipped weights, the same for any way
    of writing the network."""
    return [v for layer in graph_layers(model) for v in layer.weights]

"""ResNet-50 helpers for Course 4 notebook 3: graphs described by their wiring, weights moved by it.

Two Keras functional models that compute the same network can list their layers in different
orders: ``model.layers`` (and so ``model.weights``) follows the graph's depth and, among layers
at the same depth, the order of an ``Add``'s inputs (``Add()([x, shortcut])`` or
``Add()([shortcut, x])``).  A network is therefore described here in an order that depends on
the wiring alone (``graph_layers`` and ``graph_weights`` are defined in
:mod:`shared_utils.models.trained`, which the U-Net of notebook 6 uses too):

    graph_layers(model)          the layers but the inputs, sorted by (longest path from the
                                 input, longest path to the output reversed, kind): the same
                                 order for any way of writing the same network
    describe(model)              one dict per layer in that order: its kind, configuration,
                                 output shape, parameter count and inputs (indices in the same
                                 order, -1 for the model's input, sorted for an Add)
    transfer_weights(src, dst)   copy the weights layer by layer in that order, after checking
                                 that every pair has the same kind and weight shapes

    reference_resnet50(...)      keras.applications.ResNet50(weights=None, ...): the network the
                                 notebook builds, and the one ``tools/train_resnet50.py`` trains
    graph_weights(model)         the model's variables layer by layer in that order: the order
                                 of the shipped weights file
    load_trained(model)          the shipped weights ``resnet50_handsigns`` (their SHA-256
                                 checked by :mod:`shared_utils.models.trained`) loaded into any
                                 model wired like the reference; returns the card

Public Keras API only: ``layer.input`` / ``layer.output`` give the wiring (each layer of these
networks is called once).
"""

from __future__ import annotations

from typing import Any

import numpy as np

# the wiring's order, shared with the other networks the project trains (graph_weights: the order
# of the shipped weights file, which tools/train_resnet50.py and the notebook use through this module)
from shared_utils.models.trained import graph_layers, graph_weights, wiring  # noqa: F401

WEIGHTS = "resnet50_handsigns"
BN_EPSILON = 1.001e-5  # keras.applications.ResNet50's batch normalisation epsilon

# configuration fields described, per layer kind
_FIELDS = {
    "Conv2D": ("filters", "kernel_size", "strides", "padding", "activation", "use_bias"),
    "Dense": ("units", "activation"),
    "BatchNormalization": ("axis", "epsilon"),
    "Activation": ("activation",),
    "MaxPooling2D": ("pool_size", "strides", "padding"),
    "AveragePooling2D": ("pool_size", "strides", "padding"),
    "ZeroPadding2D": ("padding",),
}


def _normal(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_normal(v) for v in value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def layer_description(layer: Any, position: int | None = None, parents: list[int] | None = None) -> dict:
    """Kind, configuration, output shape and parameter count of one layer (a ReLU layer is
    described as Activation("relu"), which computes the same)."""
    kind = type(layer).__name__
    config = layer.get_config()
    out: dict[str, Any] = {"name": layer.name, "class": kind}
    if kind == "ReLU" and config.get("max_value") is None and not config.get("negative_slope"):
        out["class"], out["activation"] = "Activation", "relu"
    for field in _FIELDS.get(kind, ()):
        if field in config:
            value = config[field]
            if field == "activation" and not isinstance(value, str):
                value = getattr(value, "__name__", str(value))
            out[field] = _normal(value)
    shape = tuple(layer.output.shape)
    if kind == "BatchNormalization" and "axis" in out:
        axes = out["axis"] if isinstance(out["axis"], tuple) else (out["axis"],)
        out["axis"] = tuple(a % len(shape) for a in axes)
    out["output_shape"] = _normal(shape)
    out["params"] = int(layer.count_params())
    if position is not None:
        out["position"] = position
    if parents is not None:
        out["inputs"] = parents
    return out


def describe(model: Any) -> list[dict]:
    """:func:`layer_description` of every layer of ``model`` in :func:`graph_layers` order, with
    "inputs": the positions (in that order) of the layers it reads, -1 for the model's input."""
    ordered = graph_layers(model)
    position = {id(layer): k for k, layer in enumerate(ordered)}
    layers, parents = wiring(model)
    out = []
    for k, layer in enumerate(ordered):
        i = next(j for j, other in enumerate(layers) if other is layer)
        ins = [p if p < 0 else position[id(layers[p])] for p in parents[i]]
        if type(layer).__name__ == "Add":
            ins = sorted(ins)
        out.append(layer_description(layer, k, ins))
    return out


def transfer_weights(source: Any, target: Any) -> None:
    """Copy ``source``'s weights into ``target``, pairing their layers by :func:`graph_layers`.

    Raises ``ValueError`` naming the first pair of layers of another kind or with weights of
    other shapes (nothing is copied then).
    """
    a, b = graph_layers(source), graph_layers(target)
    if len(a) != len(b):
        raise ValueError(
            f"{target.name} has {len(b)} layers and {source.name} {len(a)}: they are not the same network"
        )
    pairs = []
    for k, (la, lb) in enumerate(zip(a, b)):
        wa, wb = la.get_weights(), lb.weights
        shapes_a = [tuple(w.shape) for w in wa]
        shapes_b = [tuple(w.shape) for w in wb]
        same_kind = layer_description(la)["class"] == layer_description(lb)["class"]
        if not same_kind or shapes_a != shapes_b:
            raise ValueError(
                f"layer {k + 1} in graph order differs: {target.name}'s {lb.name} "
                f"({type(lb).__name__}, weights {shapes_b}) where {source.name} has {la.name} "
                f"({type(la).__name__}, weights {shapes_a})"
            )
        pairs.append((lb, wa))
    for layer, values in pairs:
        if values:
            layer.set_weights(values)


def reference_resnet50(input_shape: tuple[int, int, int] = (64, 64, 3), classes: int = 6) -> Any:
    """Keras's own ResNet-50, untrained (no download): the network the notebook builds."""
    import keras

    return keras.applications.ResNet50(weights=None, input_shape=tuple(input_shape), classes=classes)


def load_trained(model: Any) -> dict:
    """Load the shipped ``resnet50_handsigns`` weights into ``model``; return their card.

    The file stores the variables in :func:`graph_weights` order, so that any correct way of
    writing the network takes them (:func:`shared_utils.models.trained.load` checks the file's
    SHA-256 first).  A missing or changed file raises ``DataError`` naming it and the command
    that restores it; a model of another shape raises ``ValueError`` naming the first tensor
    that differs.
    """
    from shared_utils.models import trained

    shape = tuple(model.inputs[0].shape[1:])
    if shape != (64, 64, 3) or tuple(model.outputs[0].shape[1:]) != (6,):
        raise ValueError(
            f"the weights {WEIGHTS!r} fit a ResNet-50 for 64x64x3 images and 6 classes; this model "
            f"takes {shape} and gives {tuple(model.outputs[0].shape[1:])}: build ResNet50(input_shape="
            "(64, 64, 3), classes=6)"
        )
    return trained.load(model, WEIGHTS, variables=graph_weights(model))

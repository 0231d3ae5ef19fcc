"""Helpers of course 4's transfer-learning notebook: the from-scratch twin of a model, the curves.

* :func:`balanced_subset` - a seeded draw of a few labelled examples, as many of each class:
  the scarce labelled data where transfer learning pays.
* :func:`scratch_twin` - the same architecture as a Keras model, every weight drawn afresh and
  every layer trainable: the baseline that shows what the pretrained weights are worth.
* :func:`recalibrate_batch_norm` - batch-norm statistics measured again for the current weights,
  which a network trained from scratch for a few dozen steps needs before it is tested.
* :func:`plot_transfer_curves` - held-out accuracy and loss per epoch of several trainings, the
  fine-tuning epochs drawn after the frozen ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def balanced_subset(labels, n: int, seed: int) -> np.ndarray:
    """Indices of ``n`` examples drawn without replacement with ``seed``, ``n // 2`` of label 1 and
    ``n - n // 2`` of label 0, in a shuffled order (so that mini-batches mix the classes)."""
    labels = np.asarray(labels)
    positives, negatives = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    wanted = (n // 2, n - n // 2)
    if n < 2 or wanted[0] > len(positives) or wanted[1] > len(negatives):
        raise ValueError(
            f"cannot draw {n} balanced examples from {len(positives)} of label 1 and "
            f"{len(negatives)} of label 0: choose n between 2 and {2 * min(len(positives), len(negatives))}"
        )
    rng = np.random.default_rng(seed)
    chosen = np.r_[
        rng.choice(positives, wanted[0], replace=False), rng.choice(negatives, wanted[1], replace=False)
    ]
    return rng.permutation(chosen)


def _fresh(layer: Any) -> Any:
    """A new layer with ``layer``'s configuration (new weights); nested models are cloned whole."""
    import keras

    if isinstance(layer, keras.Model):
        return keras.models.clone_model(layer, clone_function=_fresh)
    fresh = type(layer).from_config(layer.get_config())
    fresh.trainable = True
    return fresh


def scratch_twin(model: Any, name: str | None = None) -> Any:
    """A Keras model with ``model``'s architecture, fresh random weights and every layer trainable."""
    import keras

    twin = keras.models.clone_model(model, clone_function=_fresh)
    if name is not None:
        twin.name = name
    twin.trainable = True
    return twin


def batch_norm_layers(model: Any) -> list:
    """Every BatchNormalization layer of ``model``, nested models included."""
    import keras

    found = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found += batch_norm_layers(layer)
        elif isinstance(layer, keras.layers.BatchNormalization):
            found.append(layer)
    return found


def recalibrate_batch_norm(model: Any, images) -> None:
    """Set every batch-norm layer's stored mean and variance to those of ``images`` (one pass in
    training mode with momentum 0), for the weights the model has now.

    A network trained from scratch changes its weights fast, and the stored statistics, moving
    averages over past mini-batches (momentum 0.999 in Keras's MobileNetV2), lag far behind: in
    inference mode it would then normalise with statistics of weights it no longer has.  The
    pretrained backbone's batch-norm layers are frozen and keep theirs.
    """
    layers = batch_norm_layers(model)
    saved = [layer.momentum for layer in layers]
    try:
        for layer in layers:
            layer.momentum = 0.0
        model(images, training=True)
    finally:
        for layer, momentum in zip(layers, saved):
            layer.momentum = momentum


def plot_transfer_curves(
    histories: dict[str, dict[str, list[float]]], starts: dict[str, int] | None = None, title: str = ""
):
    """Held-out accuracy (left) and loss (right) per epoch; ``starts[name]`` shifts a training
    whose epochs follow another's (fine-tuning after the frozen epochs).  Returns the figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for name, history in histories.items():
        start = (starts or {}).get(name, 0)
        for ax, key in zip(axes, ("val_accuracy", "val_loss")):
            values = history[key]
            epochs = range(start + 1, start + len(values) + 1)
            (line,) = ax.plot(epochs, values, "o-", label=f"{name} (test)", markersize=4)
            train_key = key.removeprefix("val_")
            if train_key in history:
                ax.plot(
                    epochs,
                    history[train_key],
                    "--",
                    color=line.get_color(),
                    alpha=0.6,
                    label=f"{name} (training)",
                )
    axes[0].set_ylabel("accuracy")
    axes[1].set_ylabel("binary cross-entropy")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    axes[0].axhline(0.5, color="grey", linewidth=0.8, linestyle=":")
    axes[0].legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig

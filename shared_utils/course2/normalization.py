"""The with/without batch-norm experiment of course 2's normalization notebook.

A deep stack of Dense layers (Keras, rows = examples) is trained twice on the same data,
with the same seed, epochs and learning rate: once plain (Dense -> ReLU) and once with batch
normalization between each Dense layer and its ReLU (Dense without bias -> BatchNormalization
-> ReLU).  Along the way a callback records the inputs of one hidden layer's ReLU for a fixed
probe batch, so the notebook can show how their distribution drifts (or not) during training.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np

from shared_utils.common import plotting


def deep_mlp(
    input_dim: int,
    n_classes: int,
    depth: int = 10,
    width: int = 64,
    batch_norm: bool = False,
    seed: int = 0,
    momentum: float = 0.9,
):
    """A Keras MLP of ``depth`` hidden layers of ``width`` ReLU units and a softmax output.

    With ``batch_norm`` each hidden layer is Dense(use_bias=False) -> BatchNormalization -> ReLU
    (the bias is redundant before BN's beta), its running averages kept with ``momentum``
    (Keras's default, 0.99, needs hundreds of steps to forget its start; a short run needs
    less); without it, Dense -> ReLU.  Hidden layer ``i``
    (1-based) names the tensor entering its ReLU ``pre_relu_i``.  Inputs: (N, input_dim).
    Weights use Keras's default Glorot-uniform initialiser, seeded by ``seed``.
    """
    import keras

    init = keras.initializers.GlorotUniform
    inputs = keras.Input(shape=(input_dim,))
    h = inputs
    for i in range(1, depth + 1):
        h = keras.layers.Dense(
            width, use_bias=not batch_norm, kernel_initializer=init(seed=seed + i), name=f"dense_{i}"
        )(h)
        if batch_norm:
            h = keras.layers.BatchNormalization(momentum=momentum, name=f"bn_{i}")(h)
        h = keras.layers.Identity(name=f"pre_relu_{i}")(h)
        h = keras.layers.ReLU(name=f"relu_{i}")(h)
    outputs = keras.layers.Dense(
        n_classes, activation="softmax", kernel_initializer=init(seed=seed), name="output"
    )(h)
    return keras.Model(inputs, outputs, name="mlp_bn" if batch_norm else "mlp_plain")


@dataclass
class TrainResult:
    """What one run of :func:`train_mlp` records.

    ``loss``: training loss per epoch (mean over the epoch's batches); ``accuracy``: test
    accuracy after every epoch; ``test_accuracy``: after the last epoch; ``probe``: array
    (epochs, n_probe * width) of the probed layer's ReLU inputs after every epoch; ``seconds``:
    training time; ``model``: the trained Keras model.
    """

    batch_norm: bool
    loss: list[float]
    accuracy: list[float]
    test_accuracy: float
    probe: np.ndarray
    seconds: float
    model: object = field(repr=False, default=None)


def train_mlp(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    batch_norm: bool,
    depth: int = 10,
    width: int = 64,
    learning_rate: float = 0.1,
    epochs: int = 10,
    batch_size: int = 64,
    seed: int = 0,
    probe_x: np.ndarray | None = None,
    probe_layer: int = 5,
    progress: bool = False,
) -> TrainResult:
    """Train :func:`deep_mlp` with plain SGD on (x_train (N, D), y_train (N,) integer labels).

    Deterministic for a given ``seed`` (``keras.utils.set_random_seed`` before building and
    shuffling); no XLA compilation (it costs more than it saves on runs this short).
    After every epoch the test accuracy is measured (inference mode), and ``probe_x``
    (default: the first 256 training examples) is passed through the network in inference
    mode to record the inputs of hidden layer ``probe_layer``'s ReLU.  With ``progress`` a bar
    (``tqdm.auto``: a widget in Jupyter, text on stderr elsewhere) advances once per epoch and
    shows the epoch's training loss; it is removed when training ends.
    """
    import time

    import keras

    keras.utils.set_random_seed(seed)
    n_classes = int(max(y_train.max(), y_test.max())) + 1
    model = deep_mlp(x_train.shape[1], n_classes, depth, width, batch_norm, seed)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=False,
    )
    probe_x = x_train[:256] if probe_x is None else probe_x
    probe_model = keras.Model(model.input, model.get_layer(f"pre_relu_{probe_layer}").output)
    snapshots, accuracy = [], []

    class _Probe(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append(np.asarray(probe_model(probe_x, training=False)).ravel())
            # one eager forward pass: cheaper than tracing model.evaluate for 500 examples
            predicted = np.asarray(model(x_test, training=False)).argmax(axis=1)
            accuracy.append(float(np.mean(predicted == y_test)))
            if bar is not None:
                bar.set_postfix(loss=f"{logs['loss']:.4f}", refresh=False)
                bar.update()

    bar = None
    if progress:
        from tqdm.auto import tqdm

        kind = "batch norm" if batch_norm else "plain"
        # One epoch is slow enough to redraw every time: mininterval=0 and miniters=1 make the bar
        # show each epoch, the last one included (tqdm's default throttling may skip it).
        bar = tqdm(
            total=epochs,
            desc=f"{kind}, learning rate {learning_rate:g}",
            unit="epoch",
            leave=False,
            mininterval=0,
            miniters=1,
        )
    start = time.perf_counter()
    try:
        history = model.fit(
            x_train,
            y_train,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=True,
            verbose=0,
            callbacks=[_Probe()],
        )
        seconds = time.perf_counter() - start
    finally:
        if bar is not None:
            bar.close()
    return TrainResult(
        batch_norm,
        [float(v) for v in history.history["loss"]],
        accuracy,
        accuracy[-1],
        np.stack(snapshots),
        seconds,
        model,
    )


def plot_losses(results: dict[str, TrainResult]) -> plt.Figure:
    """Two panels: training loss per epoch (log scale) and test accuracy per epoch, one line per run."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
    per_epoch = {"every": 1, "first": 1, "xlabel": "epoch", "marker": "o", "ms": 3}
    plotting.plot_costs(
        {label: r.loss for label, r in results.items()},
        ylabel="training loss (cross-entropy)",
        title="Training loss",
        logy=True,
        ax=ax_loss,
        **per_epoch,
    )
    plotting.plot_costs(
        {label: r.accuracy for label, r in results.items()},
        ylabel="accuracy on the test images",
        title="Test accuracy",
        ax=ax_acc,
        **per_epoch,
    )
    ax_acc.set_ylim(0, 1)
    fig.tight_layout()
    return fig


def plot_probe(results: dict[str, TrainResult]) -> plt.Figure:
    """One panel per run: percentiles (5-95, 25-75, median) of the probed ReLU inputs by epoch."""
    fig, axes = plt.subplots(1, len(results), figsize=(4.2 * len(results), 3.4), squeeze=False)
    for ax, (label, r) in zip(axes[0], results.items()):
        epochs = np.arange(1, len(r.probe) + 1)
        p5, p25, p50, p75, p95 = np.percentile(r.probe, [5, 25, 50, 75, 95], axis=1)
        ax.fill_between(epochs, p5, p95, alpha=0.25, color="C0", label="5th to 95th percentile")
        ax.fill_between(epochs, p25, p75, alpha=0.5, color="C0", label="25th to 75th percentile")
        ax.plot(epochs, p50, color="C3", label="median")
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("epoch")
    axes[0, 0].set_ylabel("input of the ReLU")
    axes[0, 0].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def plot_norm_groups(n: int = 3, c: int = 6, groups: int = 2) -> plt.Figure:
    """Which activations share one mean and variance, for batch, layer, instance and group norm.

    Each panel is a grid of examples (rows, N = ``n``) by channels (columns, C = ``c``); each
    cell stands for all H x W positions of one channel of one example.  Cells of the same
    colour are normalised together (colours repeat beyond 20 groups: keep n * c <= 20).
    """
    rows, cols = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    ids = {
        "batch norm\n(per channel, over N, H, W)": cols,
        "layer norm\n(per example, over C, H, W)": rows,
        "instance norm\n(per example and channel, over H, W)": rows * c + cols,
        f"group norm, G = {groups}\n(per example and group, over C/G, H, W)": rows * groups
        + cols // (c // groups),
    }
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.3))
    cmap = plt.get_cmap("tab20")
    for ax, (title, grid) in zip(axes, ids.items()):
        _, codes = np.unique(grid, return_inverse=True)
        ax.imshow(cmap(codes.reshape(grid.shape) % 20), aspect="equal")
        ax.set_xticks(range(c), [str(j) for j in range(c)], fontsize=7)
        ax.set_yticks(range(n), [str(i) for i in range(n)], fontsize=7)
        ax.set_xticks(np.arange(-0.5, c), minor=True)
        ax.set_yticks(np.arange(-0.5, n), minor=True)
        ax.grid(which="minor", color="white", lw=2)
        ax.tick_params(which="minor", length=0)
        ax.set_xlabel("channel c")
        ax.set_title(title, fontsize=9)
    axes[0].set_ylabel("example n")
    fig.tight_layout()
    return fig

"""Helpers of course 4, notebook 7 (face recognition): encoding crops, the database, pair
distances, their histograms and ROC, and a small embedding network trained with a triplet loss.

The face encoder itself is :func:`shared_utils.models.face.face_encoder` (dlib's ResNet).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

INPUT_SIZE = 150


def prepare_face(image) -> np.ndarray:
    """One face crop as the encoder wants it: (150, 150, 3) float32 RGB, values 0..255.

    A grey (h, w) or (h, w, 1) image is repeated into three channels, an RGBA one loses its
    alpha, and a crop of another size is resized (bilinear) to 150 x 150 after a message saying
    so.  Anything else (a batch, a 0..1 float image, a string) is refused with a message naming
    what is wrong and how to fix it.
    """
    if isinstance(image, (str, bytes)):
        raise TypeError(
            f"expected an image array, got the {type(image).__name__} {image!r:.60}; "
            "load it first, e.g. np.asarray(PIL.Image.open(path).convert('RGB'))"
        )
    x = np.asarray(image)
    if x.dtype.kind not in "uif":
        raise TypeError(f"expected an array of numbers, got dtype {x.dtype}")
    if x.ndim == 4:
        raise ValueError(
            f"expected one face crop (150, 150, 3), got a batch of shape {x.shape}; pass one image at a time"
        )
    if x.ndim == 2:
        x = x[..., None]
    if x.ndim != 3 or x.shape[-1] not in (1, 3, 4):
        raise ValueError(f"expected an RGB image of shape (height, width, 3), got shape {x.shape}")
    if x.shape[-1] == 1:
        x = np.repeat(x, 3, axis=-1)
    elif x.shape[-1] == 4:
        x = x[..., :3]
    if x.dtype.kind == "f" and 0 < x.max() <= 1.0:
        raise ValueError(
            "the image's values are all in 0..1; the encoder expects 0..255: multiply by 255 first"
        )
    x = x.astype(np.float32)
    if x.shape[:2] != (INPUT_SIZE, INPUT_SIZE):
        from PIL import Image

        print(
            f"note: resizing a {x.shape[0]}x{x.shape[1]} image to {INPUT_SIZE}x{INPUT_SIZE} "
            "(the encoder expects a dlib-aligned 150x150 crop; an unaligned photo gives poor encodings)"
        )
        channels = [
            np.asarray(Image.fromarray(x[..., c]).resize((INPUT_SIZE, INPUT_SIZE), Image.BILINEAR))
            for c in range(3)
        ]
        x = np.stack(channels, -1).astype(np.float32)
    return x


def img_to_encoding(image, model) -> np.ndarray:
    """The model's encoding (128,) float32 of one face crop (see :func:`prepare_face`)."""
    x = prepare_face(image)[None]
    return np.asarray(model(x, training=False), dtype=np.float32)[0]


def build_database(images: dict[str, np.ndarray], model) -> dict[str, np.ndarray]:
    """{name: encoding (128,)} for a {name: face crop} dict."""
    return {name: img_to_encoding(image, model) for name, image in images.items()}


def pair_distances(encodings: np.ndarray, people) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Distances of every unordered pair of encodings (n, d), whether the pair shows the same
    person, and the index pairs: (p,), (p,) bool, [(i, j)], with p = n (n - 1) / 2."""
    encodings = np.asarray(encodings, np.float64)
    pairs = [(i, j) for i in range(len(encodings)) for j in range(i + 1, len(encodings))]
    dist = np.array([np.linalg.norm(encodings[i] - encodings[j]) for i, j in pairs])
    same = np.array([people[i] == people[j] for i, j in pairs])
    return dist, same, pairs


def verification_accuracy(dist: np.ndarray, same: np.ndarray, threshold: float) -> float:
    """Share of pairs called right when "same person" means a distance below ``threshold``."""
    return float(np.mean((np.asarray(dist) < threshold) == np.asarray(same)))


def plot_distance_histograms(dist, same, threshold: float, ax=None, title: str | None = None):
    """Histograms of the distances of same-person and different-people pairs, and the threshold."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.2))
    dist, same = np.asarray(dist), np.asarray(same, bool)
    bins = np.linspace(0, max(1.2, float(dist.max()) + 0.05), 25)
    ax.hist(dist[same], bins=bins, alpha=0.7, label=f"same person ({int(same.sum())} pairs)")
    ax.hist(dist[~same], bins=bins, alpha=0.7, label=f"different people ({int((~same).sum())} pairs)")
    ax.axvline(threshold, color="black", linestyle="--", label=f"threshold {threshold}")
    ax.set_xlabel("distance between encodings")
    ax.set_ylabel("pairs")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def plot_roc(dist, same, threshold: float, ax=None):
    """The ROC of verification (same person when distance < t, over every t), with its AUC
    (scikit-learn's) and the point of ``threshold``; returns the AUC."""
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_auc_score, roc_curve

    if ax is None:
        _, ax = plt.subplots(figsize=(3.6, 3.4))
    dist, same = np.asarray(dist), np.asarray(same, bool)
    fpr, tpr, _ = roc_curve(same, -dist)
    auc = float(roc_auc_score(same, -dist))
    ax.plot(fpr, tpr, label=f"AUC {auc:.3f}")
    at = dist < threshold
    ax.plot([np.mean(at[~same])], [np.mean(at[same])], "ko", label=f"threshold {threshold}")
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.set_xlabel("false accept rate")
    ax.set_ylabel("true accept rate")
    ax.legend(fontsize=8, loc="lower right")
    return auc


# ---------------------------------------------------------------------------------------------
# a small embedding network trained with a triplet loss
# ---------------------------------------------------------------------------------------------


def small_embedding_network(input_dim: int, embedding_dim: int = 16, seed: int = 0):
    """A two-layer perceptron whose output is L2-normalised: (n, input_dim) -> (n, embedding_dim)."""
    import keras

    init = keras.initializers.GlorotUniform(seed=seed)
    inputs = keras.Input(shape=(input_dim,))
    x = keras.layers.Dense(64, activation="relu", kernel_initializer=init)(inputs)
    x = keras.layers.Dense(embedding_dim, kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1))(
        x
    )
    outputs = keras.layers.UnitNormalization()(x)
    return keras.Model(inputs, outputs, name="small_embedder")


def random_triplets(labels: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` (anchor, positive, negative) index triplets: anchor and positive share a label,
    the negative has another one.  (n, 3) int."""
    labels = np.asarray(labels)
    by_class = {c: np.flatnonzero(labels == c) for c in np.unique(labels)}
    anchors = rng.integers(0, len(labels), n)
    positives = np.array([rng.choice(by_class[labels[a]]) for a in anchors])
    negatives = np.empty(n, int)
    for k, a in enumerate(anchors):
        while True:
            j = int(rng.integers(0, len(labels)))
            if labels[j] != labels[a]:
                negatives[k] = j
                break
    return np.stack([anchors, positives, negatives], 1)


def train_triplet_embedding(
    model,
    x: np.ndarray,
    labels: np.ndarray,
    loss_fn: Callable,
    alpha: float,
    epochs: int,
    triplets_per_epoch: int = 2000,
    batch_size: int = 64,
    learning_rate: float = 0.01,
    seed: int = 0,
) -> list[float]:
    """Train ``model`` with ``loss_fn(None, (anchor, positive, negative), alpha)`` (the learner's
    triplet loss) on fresh random triplets every epoch; prints a line per epoch and returns the
    mean loss per triplet of each epoch."""
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    optimizer = keras.optimizers.Adam(learning_rate)
    x = np.asarray(x, np.float32)

    @tf.function
    def step(a, p, n):
        with tf.GradientTape() as tape:
            loss = loss_fn(
                None, (model(a, training=True), model(p, training=True), model(n, training=True)), alpha
            )
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    history = []
    for epoch in range(epochs):
        start, total = time.perf_counter(), 0.0
        triplets = random_triplets(labels, triplets_per_epoch, rng)
        for b in range(0, len(triplets), batch_size):
            t = triplets[b : b + batch_size]
            total += float(step(x[t[:, 0]], x[t[:, 1]], x[t[:, 2]]))
        history.append(total / len(triplets))
        print(
            f"epoch {epoch + 1}/{epochs}: triplet loss {history[-1]:.4f} per triplet "
            f"({time.perf_counter() - start:.1f} s)",
            flush=True,
        )
    return history


def nearest_neighbour_accuracy(train_emb, train_y, test_emb, test_y) -> float:
    """Accuracy of labelling each test embedding (m, d) by its nearest training embedding (n, d)."""
    train_emb, test_emb = np.asarray(train_emb, np.float64), np.asarray(test_emb, np.float64)
    squared = (test_emb**2).sum(1)[:, None] - 2 * test_emb @ train_emb.T + (train_emb**2).sum(1)[None]
    predicted = np.asarray(train_y)[np.argmin(squared, axis=1)]
    return float(np.mean(predicted == np.asarray(test_y)))


def plot_embeddings_2d(embeddings: np.ndarray, labels: np.ndarray, ax=None, title: str | None = None):
    """The embeddings projected on their first two principal components, coloured by label."""
    import matplotlib.pyplot as plt
    from sklearn.decomposition import PCA

    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    xy = PCA(n_components=2, random_state=0).fit_transform(np.asarray(embeddings, np.float64))
    scatter = ax.scatter(xy[:, 0], xy[:, 1], c=labels, cmap="tab10", s=6)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)
    return scatter

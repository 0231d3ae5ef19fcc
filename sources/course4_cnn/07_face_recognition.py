# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Face recognition with a triplet loss
#     minutes: 1
#     fast:
#       embedding_epochs: 2
#       triplets_per_epoch: 1000
# ---

# %% [markdown]
# # Face recognition with a triplet loss
#
# **What you will build:** a face **verification** step ("is this the person they claim to
# be?") and a face **recognition** step ("who is this?"), on real photos, with a real
# pretrained face encoder: dlib's 29-layer ResNet, which turns an aligned face into 128 numbers.
# Then you train a small embedding network of your own with the **triplet loss** you write.
#
# **What you will learn:**
# - why a face system compares encodings instead of classifying people (one-shot learning);
# - the triplet loss: an anchor closer to a positive than to a negative, by a margin;
# - how a distance threshold trades false accepts for false rejects (histograms and an ROC);
# - what a triplet loss does to an embedding, seen in two dimensions before and after training.
#
# **Time:** about 40 minutes of work; a full run of the notebook takes about a minute on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits

from shared_utils import headline
from shared_utils.checks import c4_07_face_recognition as check
from shared_utils.common import plotting
from shared_utils.course4.faces import (build_database, img_to_encoding, nearest_neighbour_accuracy,
                                        pair_distances, plot_distance_histograms, plot_embeddings_2d,
                                        plot_roc, small_embedding_network, train_triplet_embedding,
                                        verification_accuracy)
from shared_utils.data.faces import load_faces
from shared_utils.models.face import face_encoder

print("Keras", keras.__version__)

# %% tags=["parameters"]
# Two encodings less than `threshold` apart are taken as the same person (dlib's rule).
threshold = 0.6
# The triplet margin alpha.
alpha = 0.2
# The small embedding network of section 5: epochs, fresh random triplets per epoch, seed.
embedding_epochs = 6
triplets_per_epoch = 3000
embedding_seed = 0

# %% [markdown]
# ## 1. The faces
#
# The crops below are real photos, aligned once by `tools/align_faces.py` with dlib (a face
# detector, five landmarks, then a rotation and scaling that puts the eyes and nose at the
# same place in a 150×150 crop). The photos come from the test images of the
# `face_recognition` package, from scikit-image and from OpenCV's samples; the cell prints
# where each comes from and its licence. Barack Obama appears in three photos taken at
# different times. Not every second crop is that hard a test, though: `obama_partial_1` and
# `obama_partial_2` look like the photo of `obama_1` with part of the face blacked out, and
# `basketball_1` and `basketball_2` are two frames of one video. Their pairs are easier than
# two photos taken years apart.

# %%
faces = load_faces()
print(faces.images.shape, faces.images.dtype)
for name, person, source, licence in zip(faces.names, faces.people, faces.sources, faces.licences):
    print(f"{name:>16}  {person:<18} {source}  [{licence[:40]}...]")
fig = plotting.show_images(faces.images, [f"{n}\n{p}" for n, p in zip(faces.names, faces.people)],
                           ncols=5, size=1.8)
plt.show()

# %% [markdown]
# ## 2. Encoding faces
#
# A face system cannot be trained again each time somebody new joins: it must recognise a
# person from **one** photo (one-shot learning). So it does not classify people; it maps every
# face to an **encoding** $f(x) \in \mathbb{R}^{128}$ such that two photos of the same person
# land close together and photos of different people far apart. Then one stored encoding per
# person is enough.
#
# The encoder here is dlib's face ResNet, ported to Keras by `shared_utils.models.face` from
# dlib's own model file; dlib reports it as one of the most accurate open face encoders on
# the LFW benchmark. `img_to_encoding(image, model)` is
# given: it checks the image (a grey or RGBA image is converted, another size is resized with
# a note, a batch or a 0..1 image is refused with a message), and returns the 128-d encoding.

# %%
start = time.perf_counter()
encoder = face_encoder()
print(f"encoder built in {time.perf_counter() - start:.0f} s: input {encoder.input_shape}, "
      f"output {encoder.output_shape}")
encoding = img_to_encoding(faces.image("obama_1"), encoder)
print("one encoding:", encoding.shape, np.round(encoding[:5], 3), "...")

# %% [markdown]
# ## 3. The triplet loss
#
# How is such an encoder trained? With triplets of images: an **anchor** $A$, a **positive**
# $P$ (the same person) and a **negative** $N$ (someone else). The encoding should put $A$
# closer to $P$ than to $N$, by at least a margin $\alpha$:
#
# $$\|f(A) - f(P)\|_2^2 + \alpha < \|f(A) - f(N)\|_2^2 .$$
#
# The loss of $m$ triplets adds up how much each one misses that:
#
# $$\mathcal{J} = \sum_{i=1}^{m} \max\left(\|f(A^{(i)}) - f(P^{(i)})\|_2^2 - \|f(A^{(i)}) - f(N^{(i)})\|_2^2 + \alpha,\; 0\right).$$
#
# ### Exercise 1, `triplet_loss` (4 lines)
#
# `y_pred` is a tuple `(anchor, positive, negative)` of encodings, each of shape $(m, d)$;
# `y_true` is unused (Keras losses take it first).
#
# 1. `pos_dist`: the squared distance of each anchor to its positive, summed over the **last**
#    axis (`tf.reduce_sum(tf.square(...), axis=-1)`), shape $(m,)$;
# 2. `neg_dist`: the same for the negative;
# 3. `basic_loss = pos_dist - neg_dist + alpha`;
# 4. `loss`: `tf.reduce_sum(tf.maximum(basic_loss, 0.0))`, one number.

# %%
def triplet_loss(y_true, y_pred, alpha=0.2):
    """The triplet loss of (anchor, positive, negative) encodings, each (m, d): a scalar."""
    anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
    ### BEGIN SOLUTION
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    basic_loss = pos_dist - neg_dist + alpha
    loss = tf.reduce_sum(tf.maximum(basic_loss, 0.0))
    ### END SOLUTION
    return loss


# %%
check.triplet_loss(triplet_loss)

# %% [markdown]
# ## 4. Verification and recognition
#
# The **database** holds one encoding per known person, from one photo each: the first photo
# of every person among the crops. The other crops play the people at the door.

# %%
first = {}
for name, person in zip(faces.names, faces.people):
    first.setdefault(person, name)
database = build_database({person: faces.image(name) for person, name in first.items()}, encoder)
visitors = [name for name in faces.names if name not in first.values()]
print("in the database:", list(database))
print("visitors:", visitors)

# %% [markdown]
# ### Exercise 2, `verify` (5 lines)
#
# Someone shows a badge with a name (`identity`) and a camera takes their face (`image`).
#
# 1. If `identity` is not a key of `database`, raise a `KeyError` whose message names it;
# 2. `encoding = img_to_encoding(image, model)`;
# 3. `dist`: the Euclidean distance `np.linalg.norm(encoding - database[identity])`;
# 4. `door_open`: `True` when `dist < threshold` (0.6, dlib's), else `False`, as a Python bool.
#
# Return `dist, door_open`.

# %%
def verify(image, identity, database, model, threshold=0.6):
    """Is `image` the person `identity`? Returns (distance, door_open)."""
    ### BEGIN SOLUTION
    if identity not in database:
        raise KeyError(f"{identity!r} is not in the database; known people: {', '.join(database)}")
    encoding = img_to_encoding(image, model)
    dist = float(np.linalg.norm(encoding - database[identity]))
    door_open = bool(dist < threshold)
    ### END SOLUTION
    return dist, door_open


# %%
check.verify(verify)

# %%
for name in visitors:
    person = faces.people[faces.names.index(name)]
    claimed = "Joe Biden" if person != "Joe Biden" else "Barack Obama"
    for identity in (person, claimed):
        dist, door_open = verify(faces.image(name), identity, database, encoder, threshold)
        print(f"{name:>16} claims to be {identity:<18} distance {dist:.3f} -> "
              f"{'welcome' if door_open else 'door stays shut'}")

# %% [markdown]
# ### Exercise 3, `who_is_it` (7 lines)
#
# No badge now: find the nearest person in the database.
#
# 1. `encoding = img_to_encoding(image, model)`;
# 2. start with `min_dist = np.inf` and `identity = None`; for each `(name, db_enc)` of
#    `database.items()`, compute the distance and keep the smallest one and its name;
# 3. if `min_dist` is not below `threshold`, the face is unknown: set `identity = None`.
#
# Return `min_dist, identity`.

# %%
def who_is_it(image, database, model, threshold=0.6):
    """The nearest person of the database to `image`: (distance, name or None if too far)."""
    ### BEGIN SOLUTION
    encoding = img_to_encoding(image, model)
    min_dist, identity = np.inf, None
    for name, db_enc in database.items():
        dist = float(np.linalg.norm(encoding - db_enc))
        if dist < min_dist:
            min_dist, identity = dist, name
    if min_dist >= threshold:
        identity = None
    ### END SOLUTION
    return min_dist, identity


# %%
check.who_is_it(who_is_it)

# %%
for name in visitors:
    min_dist, identity = who_is_it(faces.image(name), database, encoder, threshold)
    print(f"{name:>16} ({faces.people[faces.names.index(name)]}): nearest {identity}, distance {min_dist:.3f}")
stranger = {k: v for k, v in database.items() if k != "Barack Obama"}
min_dist, identity = who_is_it(faces.image("obama_2"), stranger, encoder, threshold)
print(f"obama_2 against a database without him: {identity}, distance {min_dist:.3f}")

# %% [markdown]
# ## 5. How well does the threshold separate people?
#
# Every pair of crops is either the same person or two different people. The histograms show
# the encoder's distances for both kinds, with the threshold; the ROC curve shows, for every
# possible threshold, the share of same-person pairs accepted against the share of
# different-people pairs accepted, and its area (AUC, scikit-learn's).

# %%
encodings = np.stack([img_to_encoding(image, encoder) for image in faces.images])
dist, same, pairs = pair_distances(encodings, faces.people)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), gridspec_kw={"width_ratios": [1.6, 1]})
plot_distance_histograms(dist, same, threshold, ax=axes[0], title="dlib's encoder on the committed crops")
auc = plot_roc(dist, same, threshold, ax=axes[1])
fig.tight_layout()
plt.show()
accuracy = verification_accuracy(dist, same, threshold)
print(f"{len(dist)} pairs ({int(same.sum())} same person): largest same-person distance {dist[same].max():.3f}, "
      f"smallest different-people distance {dist[~same].min():.3f}; ROC AUC {auc:.3f}")

# %% [markdown]
# ## 6. Your triplet loss, used: a small embedding network
#
# dlib's encoder was trained on millions of faces. To see what a triplet loss does, train a
# small one here, on scikit-learn's handwritten digits (8×8 images of ten digits): a
# two-layer network maps each image to 16 numbers of length 1, and is trained with **your**
# `triplet_loss` on random triplets (anchor and positive the same digit, negative another),
# fresh ones every epoch. The plots show the test digits' embeddings on their first two
# principal components before and after training, coloured by digit, and the cell prints
# the accuracy of naming each test digit by its nearest training embedding.

# %%
digits = load_digits()
x_all, y_all = (digits.data / 16.0).astype("float32"), digits.target
order = np.random.default_rng(embedding_seed).permutation(len(y_all))
train_idx, test_idx = order[:1200], order[1200:]
keras.utils.set_random_seed(embedding_seed)
embedder = small_embedding_network(x_all.shape[1], seed=embedding_seed)
before_train, before_test = embedder.predict(x_all[train_idx], verbose=0), embedder.predict(x_all[test_idx], verbose=0)
history = train_triplet_embedding(embedder, x_all[train_idx], y_all[train_idx], triplet_loss, alpha,
                                  embedding_epochs, triplets_per_epoch, seed=embedding_seed)
after_train, after_test = embedder.predict(x_all[train_idx], verbose=0), embedder.predict(x_all[test_idx], verbose=0)
knn_before = nearest_neighbour_accuracy(before_train, y_all[train_idx], before_test, y_all[test_idx])
knn_after = nearest_neighbour_accuracy(after_train, y_all[train_idx], after_test, y_all[test_idx])
fig, axes = plt.subplots(1, 2, figsize=(9, 4.3))
plot_embeddings_2d(before_test, y_all[test_idx], ax=axes[0], title=f"random network (1-NN accuracy {knn_before:.2f})")
points = plot_embeddings_2d(after_test, y_all[test_idx], ax=axes[1],
                            title=f"after {embedding_epochs} epochs of triplet loss (1-NN {knn_after:.2f})")
fig.colorbar(points, ax=axes, ticks=range(10), label="digit")
plt.show()

# %% [markdown]
# ## 7. The headline
#
# The headline is the verification accuracy of dlib's encoder at the threshold, on every
# pair of the committed crops: the share of pairs called right (same person when the distance
# is below the threshold). The target is at least **0.9**. With so few crops, one pair moves
# it by 1/45, and several same-person pairs are near-copies (section 1): a small set shows the
# method, not a benchmark. LFW, the benchmark dlib reports on, has thousands of pairs.

# %%
print(f"nearest-neighbour accuracy of the small embedding: {knn_before:.3f} before, {knn_after:.3f} after training")
met = headline(f"verification accuracy at threshold {threshold} on all {len(dist)} pairs", accuracy, target=0.9)

# %% [markdown]
# ## What you have learned
#
# - A face system stores one encoding per person and compares distances: no retraining when
#   somebody new arrives.
# - The triplet loss pulls an anchor towards a positive and pushes it from a negative until
#   the gap is at least the margin; satisfied triplets add nothing.
# - Verification is one distance against a threshold; recognition is the nearest encoding,
#   with "unknown" when even that is too far. The threshold trades false accepts against
#   false rejects, which the ROC curve shows for every choice.
# - Try it: make `threshold` much smaller or larger and look at which visitors are let in; raise
#   `alpha` and watch the digits' clusters spread apart.

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Image segmentation with U-Net
#     minutes: 3
#     fast:
#       short_scenes: 16
#       held_out: 40
# ---

# %% [markdown]
# # Image segmentation with U-Net
#
# **What you will build:** a U-Net (Ronneberger et al., 2015), the encoder-decoder network
# that labels every pixel of a picture, with Keras's functional API: its contracting block,
# its expanding block with the skip connection, and the whole network. You train it briefly
# on driving scenes, then load weights the project trained for longer and measure how well
# it tells road from sidewalk, cars from people, sky from buildings, pixel by pixel.
#
# **What you will learn:**
# - how *semantic segmentation* differs from classifying a picture: the output is a map of
#   class probabilities, one distribution per pixel;
# - how a contracting path (convolutions and max pooling) gathers context while the picture
#   shrinks, and how a transposed convolution with stride 2 makes it grow again;
# - why the skip connections, which hand each expanding block the full-resolution features of
#   the contracting block at its level, bring back the fine detail the pooling threw away;
# - how to measure a segmentation: pixel accuracy, and the intersection over union (IoU) of
#   each class and its mean.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes about three minutes on a
# two-core laptop CPU (the short training run and the evaluation take most of it).
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from shared_utils import headline
from shared_utils.checks import c4_06_image_segmentation_unet as check
from shared_utils.course4 import segmentation
from shared_utils.data.driving import CLASSES, PALETTE, colour_mask, load_driving_scenes
from shared_utils.models import trained

print("Keras", keras.__version__)

# %% tags=["parameters"]
# Training scenes of the short training run of section 5 (one epoch over them).
short_scenes = 240
# Held-out scenes the trained network is measured on in section 6 (at most 200).
held_out = 200
# Scenes shown side by side with their predicted masks.
shown = 3

# %% [markdown]
# ## 1. Driving scenes, labelled pixel by pixel
#
# A self-driving car must know, for every pixel of its camera's picture, whether it shows road,
# a lane marking, a pedestrian or a car. The real data sets of such frames (Cityscapes, or the
# CARLA simulator's frames that Course 4 of the Deep Learning Specialization uses) cannot be
# downloaded here, so the workbook *draws* its scenes from a seed: a street in perspective with lane markings,
# sidewalks, buildings, trees, poles with signs, cars and people at several distances, under
# changing light and weather. Each scene comes with its *mask*: the class of every pixel, drawn
# with the same shapes as the picture. The colours of the masks are those of CARLA's palette.
#
# There are 1200 training scenes and 200 held-out ones, 96×128 pixels each
# (`docs/DRIVING.md` tells how they are drawn).

# %%
scenes = load_driving_scenes()
print(
    "train", scenes.train_x.shape, scenes.train_x.dtype, " masks", scenes.train_y.shape, scenes.train_y.dtype
)
print("held out", scenes.test_x.shape, " classes:", ", ".join(f"{k} {c}" for k, c in enumerate(CLASSES)))

fig, axes = plt.subplots(2, 4, figsize=(12, 4.6))
for k in range(4):
    axes[0, k].imshow(scenes.train_x[k])
    axes[1, k].imshow(colour_mask(scenes.train_y[k]), interpolation="nearest")
    axes[0, k].set_axis_off()
    axes[1, k].set_axis_off()
axes[0, 0].set_title("scene", loc="left")
axes[1, 0].set_title("its mask", loc="left")
fig.tight_layout()
plt.show()

# %% [markdown]
# The classes are far from balanced: the road and the sky fill much of every picture, poles,
# signs and people very little. This is why a segmentation is judged class by class, not only
# by the share of pixels it gets right.

# %%
share = np.bincount(scenes.train_y.ravel(), minlength=len(CLASSES)) / scenes.train_y.size
fig, ax = plt.subplots(figsize=(8, 2.6))
ax.bar(CLASSES, 100 * share, color=PALETTE / 255, edgecolor="black")
ax.set(ylabel="% of the training pixels", title="how much of the scenes each class covers")
ax.tick_params(axis="x", rotation=30)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. The U-Net, and its contracting block
#
# A classifier shrinks the picture down to a vector of class scores. A U-Net keeps going after
# that: it shrinks the picture along a *contracting path* (the encoder), then grows it back
# along an *expanding path* (the decoder) to the input's height and width, and ends with one
# softmax over the classes at every pixel. Its output for a 96×128 picture and 10 classes is
# a 96×128×10 tensor of probabilities.
#
# The pooling of the contracting path gathers context (is this grey patch road or a wall?)
# but loses the exact place of edges. The U-Net's idea is to hand each block of the expanding
# path the features the contracting path had at the same resolution, before it pooled them:
# a **skip connection** that concatenates them to the upsampled features. Drawn with the
# contracting path going down and the expanding path coming up, the network looks like a U.
#
# Each contracting block is
#
# | step | layer | settings |
# |---|---|---|
# | 1 | `Conv2D` | `n_filters` filters, 3×3, `activation="relu"`, `padding="same"`, `kernel_initializer="he_normal"` |
# | 2 | `Conv2D` | the same |
# | 3 | `Dropout` | rate `dropout_prob`, only when `dropout_prob > 0` |
# | 4 | `MaxPooling2D` | 2×2, only when `max_pooling` is true |
#
# and it returns two tensors: `next_layer`, the input of the next block (pooled, half the
# height and width), and `skip_connection`, the tensor *before* the pooling (after the dropout,
# if any), which the expanding path will use. `padding="same"` keeps the height and width, so
# that the skip connection has exactly the size of the upsampled tensor it will join.
#
# **Exercise 1, `conv_block`** (about 9 lines).


# %%
def conv_block(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
    """A contracting block: two 3x3 ReLU convolutions, optional dropout and 2x2 max pooling.

    inputs: tensor (batch, h, w, c). Returns (next_layer, skip_connection): next_layer of shape
    (batch, h // 2, w // 2, n_filters) with pooling, else the same tensor as skip_connection,
    (batch, h, w, n_filters).
    """
    ### BEGIN SOLUTION
    conv = keras.layers.Conv2D(
        n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal"
    )(inputs)
    conv = keras.layers.Conv2D(
        n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal"
    )(conv)
    if dropout_prob > 0:
        conv = keras.layers.Dropout(dropout_prob)(conv)
    if max_pooling:
        next_layer = keras.layers.MaxPooling2D(2)(conv)
    else:
        next_layer = conv
    skip_connection = conv
    ### END SOLUTION
    return next_layer, skip_connection


# %% [markdown]
# The check calls your block on small inputs of several sizes, with and without dropout and
# pooling, and compares its layers with the table (kind, settings, output shape, parameters).
# It also reads the graph to see *which* tensor you return as the skip connection.

# %%
check.conv_block(conv_block)

x_in = keras.Input((96, 128, 3))
block_next, block_skip = conv_block(x_in, 16)
print("conv_block on a 96x128x3 input: next_layer", block_next.shape, " skip_connection", block_skip.shape)

# %% [markdown]
# ## 3. The expanding block
#
# A **transposed convolution** runs a convolution backwards: each input pixel spreads its values,
# weighted by the kernel, over a patch of the output. With `strides=2`, consecutive input
# pixels land two output pixels apart, so the picture doubles in height and width; with
# `padding="same"`, exactly: h×w becomes 2h×2w. Each expanding block is
#
# | step | layer | settings |
# |---|---|---|
# | 1 | `Conv2DTranspose` | `n_filters` filters, 3×3, `strides=2`, `padding="same"`, applied to `expansive_input` |
# | 2 | `Concatenate` | `axis=3`: `[the upsampled tensor, contractive_input]` (the skip connection) |
# | 3 | `Conv2D` | `n_filters` filters, 3×3, `activation="relu"`, `padding="same"`, `kernel_initializer="he_normal"` |
# | 4 | `Conv2D` | the same |
#
# `expansive_input` comes from the block below; `contractive_input` is the skip connection of
# the contracting block at the same level, twice its height and width.
#
# **Exercise 2, `upsampling_block`** (about 6 lines).


# %%
def upsampling_block(expansive_input, contractive_input, n_filters=32):
    """An expanding block: a stride-2 transposed convolution, the skip connection, two convolutions.

    expansive_input: (batch, h, w, c1); contractive_input: (batch, 2h, 2w, c2).
    Returns (batch, 2h, 2w, n_filters).
    """
    ### BEGIN SOLUTION
    up = keras.layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    merge = keras.layers.Concatenate(axis=3)([up, contractive_input])
    conv = keras.layers.Conv2D(
        n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal"
    )(merge)
    conv = keras.layers.Conv2D(
        n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal"
    )(conv)
    ### END SOLUTION
    return conv


# %% [markdown]
# Besides the layer list, the check reads which two tensors your `Concatenate` joins (the
# transposed convolution's output and `contractive_input` itself), and, when the shapes do
# not fit, what your transposed convolution made of its input.

# %%
check.upsampling_block(upsampling_block)

# %% [markdown]
# ## 4. The whole U-Net
#
# | part | call | output for 96×128×3 and `n_filters=16` |
# |---|---|---|
# | input | `inputs = keras.Input(input_size)` | 96×128×3 |
# | contracting 1 | `cblock1 = conv_block(inputs, n_filters)` | next 48×64×16, skip 96×128×16 |
# | contracting 2 | `cblock2 = conv_block(cblock1[0], 2 * n_filters)` | next 24×32×32, skip 48×64×32 |
# | contracting 3 | `cblock3 = conv_block(cblock2[0], 4 * n_filters)` | next 12×16×64, skip 24×32×64 |
# | contracting 4 | `cblock4 = conv_block(cblock3[0], 8 * n_filters, dropout_prob=0.3)` | next 6×8×128, skip 12×16×128 |
# | bottleneck | `cblock5 = conv_block(cblock4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)` | 6×8×256 |
# | expanding 1 | `ublock6 = upsampling_block(cblock5[0], cblock4[1], 8 * n_filters)` | 12×16×128 |
# | expanding 2 | `ublock7 = upsampling_block(ublock6, cblock3[1], 4 * n_filters)` | 24×32×64 |
# | expanding 3 | `ublock8 = upsampling_block(ublock7, cblock2[1], 2 * n_filters)` | 48×64×32 |
# | expanding 4 | `ublock9 = upsampling_block(ublock8, cblock1[1], n_filters)` | 96×128×16 |
# | head | `Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")` | 96×128×16 |
# | output | `Conv2D(n_classes, 1, padding="same", activation="softmax")` | 96×128×10 |
#
# Four poolings divide the height and width by 16, so both must be multiples of 16. The
# last layer is a 1×1 convolution: a dense layer applied to every pixel's 16 features, with a
# softmax over the `n_classes` classes.
#
# **Exercise 3, `unet_model`** (about 14 lines). End with
# `model = keras.Model(inputs=inputs, outputs=conv10)`.


# %%
def unet_model(input_size=(96, 128, 3), n_filters=16, n_classes=10):
    """The U-Net: a keras.Model from (batch, *input_size) to (batch, h, w, n_classes) softmax."""
    ### BEGIN SOLUTION
    inputs = keras.Input(input_size)
    cblock1 = conv_block(inputs, n_filters)
    cblock2 = conv_block(cblock1[0], 2 * n_filters)
    cblock3 = conv_block(cblock2[0], 4 * n_filters)
    cblock4 = conv_block(cblock3[0], 8 * n_filters, dropout_prob=0.3)
    cblock5 = conv_block(cblock4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)

    ublock6 = upsampling_block(cblock5[0], cblock4[1], 8 * n_filters)
    ublock7 = upsampling_block(ublock6, cblock3[1], 4 * n_filters)
    ublock8 = upsampling_block(ublock7, cblock2[1], 2 * n_filters)
    ublock9 = upsampling_block(ublock8, cblock1[1], n_filters)

    conv9 = keras.layers.Conv2D(
        n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal"
    )(ublock9)
    conv10 = keras.layers.Conv2D(n_classes, 1, padding="same", activation="softmax")(conv9)
    model = keras.Model(inputs=inputs, outputs=conv10)
    ### END SOLUTION
    return model


# %% [markdown]
# The check builds your network for another input size, `n_filters` and `n_classes` (so that
# it sees you used the arguments), checks its output and its softmax, follows each skip
# connection back to the contracting block it comes from, and compares the whole network
# layer by layer with the project's U-Net.

# %%
check.unet_model(unet_model)

# %%
unet = unet_model((96, 128, 3), n_filters=16, n_classes=len(CLASSES))
print(f"{len(unet.layers)} layers, {unet.count_params():,} parameters; output {unet.output.shape}")

# %% [markdown]
# ## 5. A short training run
#
# The pictures are divided by 255; the masks stay as they are, one class id per pixel. The loss
# is the cross-entropy of each pixel's softmax with its true class, averaged over all pixels:
# `sparse_categorical_crossentropy` takes the class ids directly, without one-hot masks.
# One epoch over the first `short_scenes` scenes takes well under a minute; it shows the
# network learning, not what it can reach.

# %%
x_train = scenes.train_x[:short_scenes].astype("float32") / 255.0
y_train = scenes.train_y[:short_scenes]
unet.compile(
    optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
start = time.perf_counter()
history = segmentation.train(unet, x_train, y_train, epochs=1, batch_size=16)
print(f"one epoch on {short_scenes} scenes: {time.perf_counter() - start:.1f} s")

# %%
quick = segmentation.predict_masks(unet, scenes.test_x[:shown])
fig = segmentation.show_side_by_side(scenes.test_x[:shown], scenes.test_y[:shown], quick)
fig.suptitle("after one short epoch", y=1.0)
plt.show()

# %% [markdown]
# One short epoch is far from enough: compare the predicted masks with the true ones. Getting
# the large surfaces right comes first; the thin and small classes take many more epochs over
# all the scenes.
#
# ## 6. The trained weights
#
# The project trained the same U-Net for several epochs over all 1200 training scenes with
# `tools/train_unet.py` and ships its weights (float16, a few MB). Its card says on what, for how
# long and how well; loading checks the file's SHA-256 against the card first.

# %%
card = segmentation.load_trained(unet)
trained.show_card(card)

# %% [markdown]
# Two figures tell how good a segmentation is. The **pixel accuracy** is the share of pixels
# given their true class; it is dominated by the large classes. The **IoU** of a class is the
# area where the truth and the prediction both say that class, divided by the area where
# either says it:
#
# $$\mathrm{IoU}_c = \frac{|\,\text{true } c \;\cap\; \text{predicted } c\,|}{|\,\text{true } c \;\cup\; \text{predicted } c\,|}$$
#
# It is 1 for a perfect match and falls with every pixel missed *or* wrongly claimed, whatever
# the size of the class. The **mean IoU** averages it over the classes, so poles and people
# count as much as the road.

# %%
start = time.perf_counter()
predicted = segmentation.predict_masks(unet, scenes.test_x[:held_out], progress=True)
scores = segmentation.segmentation_scores(scenes.test_y[:held_out], predicted, len(CLASSES))
print(f"{held_out} held-out scenes segmented in {time.perf_counter() - start:.1f} s\n")
segmentation.iou_table(scores)

# %%
fig = segmentation.show_side_by_side(scenes.test_x[:shown], scenes.test_y[:shown], predicted[:shown])
plt.show()

# %% [markdown]
# Compare the table's large classes with its small ones, and look at where the predicted masks
# differ from the true ones: mostly along the edges of objects and on the thin or distant ones
# (a pole two pixels wide, a person far away), where one pixel more or less changes the IoU a
# lot.
#
# The network takes pictures of the size it was built for. `predict_masks` resizes a picture
# of another size (with a note) and refuses one that is not RGB, saying how to convert it:

# %%
bigger = np.asarray(keras.ops.image.resize(scenes.test_x[:1].astype("float32"), (120, 160))).round()
resized = segmentation.predict_masks(unet, bigger.astype("uint8"))
print("a 120x160 picture gives a mask of shape", resized.shape)
try:
    segmentation.predict_masks(unet, scenes.test_x[0, :, :, 0])
except ValueError as e:
    print("refused:", e)

# %% [markdown]
# ## Headline
#
# The figure this notebook reports is the mean IoU of your U-Net with the shipped weights on
# the held-out scenes.

# %%
print(f"pixel accuracy {scores['pixel_accuracy']:.4f} (target 0.90)")
met = headline("mean IoU of the U-Net with the trained weights", scores["mean_iou"], target=0.70)

# %% [markdown]
# ## What you have learned
#
# * Semantic segmentation gives every pixel a class: the network's output is a softmax per
#   pixel, trained with the cross-entropy of every pixel.
# * The U-Net's contracting path (convolutions, max pooling) gathers context; its expanding
#   path (stride-2 transposed convolutions with `padding="same"`) brings back the resolution.
# * The skip connections concatenate the contracting path's features, taken before each
#   pooling, to the upsampled ones at the same level: they carry the fine detail the pooling
#   lost.
# * Pixel accuracy favours the large classes; the per-class IoU and its mean show how the
#   network does on the small ones too.

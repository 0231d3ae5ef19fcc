# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Residual networks — ResNet-50
#     minutes: 3
#     fast:
#       demo_steps: 60
#       short_images: 32
# ---

# %% [markdown]
# # Residual networks: ResNet-50
#
# **What you will build:** ResNet-50, the 50-layer residual network of He et al. (2015), with
# Keras's functional API: its two building blocks (the *identity block* and the
# *convolutional block*), then the whole network, layer for layer the same as
# `keras.applications.ResNet50`. You train it briefly on the hand-sign pictures, then load
# weights the project trained for longer and classify test pictures with them.
#
# **What you will learn:**
# - why a deep *plain* network is hard to train (its signal and its gradients fade layer after
#   layer) and how a shortcut that adds a block's input to its output fixes that;
# - how to write a block with two paths in the functional API: a main path of convolutions,
#   batch normalisation and ReLU, and a shortcut joined to it by `Add`, *before* the last ReLU;
# - where the stride goes when a block shrinks the picture, and why the shortcut then needs its
#   own 1×1 convolution and batch normalisation;
# - how to count a network's parameters and compare it with a reference implementation.
#
# **Time:** about 60 minutes of work; a full run of the notebook takes about three minutes on a
# two-core laptop CPU (building ResNet-50 and one short training run take most of it).
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from shared_utils import headline
from shared_utils.checks import c4_03_residual_networks as check
from shared_utils.common import plotting
from shared_utils.common.progress import heartbeat
from shared_utils.course4 import residual_depth, resnet
from shared_utils.data.handsigns import CLASSES, load_hand_signs
from shared_utils.models import trained

print("Keras", keras.__version__)

# %% tags=["parameters"]
# Depth (hidden layers) of the plain and residual networks of section 1.
depth = 20
# Gradient-descent steps each of them trains for in section 1.
demo_steps = 300
# Training pictures of the short ResNet-50 run of section 5 (one epoch over them).
short_images = 128
# Pictures of the test set shown with their predictions in section 6.
shown = 10

# %% [markdown]
# ## 1. Why residual connections?
#
# Stacking more layers should never hurt in principle: the extra layers could learn to pass
# their input through unchanged. In practice, a deep *plain* network (layer after layer, each
# feeding the next) trains worse than a shallower one. One reason is easy to see: each layer
# multiplies the signal by its weights, so unless every layer is scaled just right, the signal,
# and the gradient that flows back through the same layers, shrinks (or grows) geometrically
# with depth.
#
# A **residual block** computes $a^{[l+2]} = g\big(z^{[l+2]} + a^{[l]}\big)$: the block's
# input $a^{[l]}$ skips the block's layers and is added back before the last activation. Even
# when the block's layers start out close to zero, the input gets through, and so does the
# gradient: the derivative of $a + f(a)$ with respect to $a$ is $1 + f'(a)$, never just the
# small $f'(a)$.
#
# Here are two networks of `depth` hidden ReLU layers of 32 units on a small task (three rings
# of points in the plane), with the same initial weights: a plain one, and the same with a
# shortcut around each layer ($h \leftarrow h + \mathrm{relu}(Wh + b)$). First the gradient of
# the loss for each hidden layer's weights, at the start:

# %%
x_demo, y_demo = residual_depth.rings(600, seed=0)
nets = {kind: residual_depth.deep_mlp(depth, residual=(kind == "residual")) for kind in ("plain", "residual")}
norms = {kind: residual_depth.gradient_norms(net, x_demo, y_demo) for kind, net in nets.items()}
for kind, g in norms.items():
    print(f"{kind:>8}: gradient norm of layer 1 {g[0]:.3g}, of layer {depth} {g[-1]:.3g}")

# %% [markdown]
# Now both train with the same plain gradient descent (full batch, same learning rate):

# %%
curves = {}
for kind, net in nets.items():
    start = time.perf_counter()
    curves[kind] = residual_depth.train(net, x_demo, y_demo, steps=demo_steps, lr=0.005)
    accuracy = np.mean(np.argmax(net.predict(x_demo, verbose=0), axis=1) == y_demo)
    print(f"{kind:>8}: loss {curves[kind][0]:.3f} -> {curves[kind][-1]:.3f}, training accuracy "
          f"{accuracy:.3f} ({time.perf_counter() - start:.1f} s)")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5))
for kind in nets:
    ax1.semilogy(np.arange(1, depth + 1), norms[kind], "o-", label=kind)
    ax2.semilogy(curves[kind], label=kind)
ax1.set(xlabel="hidden layer (input side first)", ylabel="gradient norm at the start",
        title=f"{depth} hidden layers: gradients")
ax2.set(xlabel="gradient-descent step", ylabel="training loss", title="training")
ax1.legend()
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# The plain network's gradients are tiny from the first layer to the last (its signal has
# faded away long before the output), and its loss does not move from that of a uniform
# guess over three classes, $\ln 3$. The residual network, with exactly the same layers,
# learns the task. ResNet-50 uses the same idea with convolutions and batch normalisation.

# %% [markdown]
# ## 2. The identity block
#
# The identity block keeps the picture's height, width and number of channels, so its input
# can be added to its output as it is. Its main path has three convolutions ("bottleneck":
# a 1×1 convolution narrows the channels, an f×f one works on the narrow picture, a 1×1 one
# widens it again):
#
# | step | layer | settings |
# |---|---|---|
# | 1 | `Conv2D` | `F1` filters, 1×1, stride 1, `padding="valid"` |
# | | `BatchNormalization` | `axis=3`, `epsilon=BN_EPSILON` |
# | | `Activation` | `"relu"` |
# | 2 | `Conv2D` | `F2` filters, f×f, stride 1, `padding="same"` |
# | | `BatchNormalization` | `axis=3`, `epsilon=BN_EPSILON` |
# | | `Activation` | `"relu"` |
# | 3 | `Conv2D` | `F3` filters, 1×1, stride 1, `padding="valid"` |
# | | `BatchNormalization` | `axis=3`, `epsilon=BN_EPSILON` |
# | join | `Add` | the main path and the shortcut (the block's input) |
# | | `Activation` | `"relu"`, *after* the addition |
#
# `axis=3` normalises each channel (the last axis of a `(batch, height, width, channels)`
# tensor). `BN_EPSILON` is the small number batch normalisation adds to the variance; we use
# the value of Keras's own ResNet-50, so that the weights trained with it behave the same in
# your network.
#
# **Exercise 1, `identity_block`** (about 10 lines). Each layer is created and called on the
# tensor in one line, e.g. `X = keras.layers.Conv2D(F1, 1, strides=1, padding="valid")(X)`.
# Keep the input in `X_shortcut` (done for you) and add it with `keras.layers.Add()([X,
# X_shortcut])`.

# %%
BN_EPSILON = 1.001e-5


def identity_block(X, f, filters):
    """A residual block whose shortcut is the identity.

    X: tensor (batch, h, w, c) with c == filters[2]; f: the middle convolution's window;
    filters: [F1, F2, F3], the filters of the three convolutions. Returns (batch, h, w, F3).
    """
    F1, F2, F3 = filters
    X_shortcut = X
    ### BEGIN SOLUTION
    X = keras.layers.Conv2D(F1, 1, strides=1, padding="valid")(X)
    X = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X)
    X = keras.layers.Activation("relu")(X)

    X = keras.layers.Conv2D(F2, f, strides=1, padding="same")(X)
    X = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X)
    X = keras.layers.Activation("relu")(X)

    X = keras.layers.Conv2D(F3, 1, strides=1, padding="valid")(X)
    X = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X)

    X = keras.layers.Add()([X, X_shortcut])
    X = keras.layers.Activation("relu")(X)
    ### END SOLUTION
    return X


# %% [markdown]
# The check builds a small input, calls your block on it, sets every weight from a seeded
# generator, and compares the block's output with the same computation written with
# TensorFlow's own operations (`tf.nn.conv2d`, the batch-normalisation formula, `tf.nn.relu`).
# It also walks your block's graph, so that a missing shortcut or one added in the wrong place
# is named as such.

# %%
check.identity_block(identity_block)

x_in = keras.Input((5, 5, 8))
demo_block = keras.Model(x_in, identity_block(x_in, 3, [2, 4, 8]), name="identity_block_demo")
print(f"identity block on a 5x5x8 input: {len(demo_block.layers) - 1} layers, "
      f"{demo_block.count_params()} parameters, output {demo_block.output.shape}")

# %% [markdown]
# ## 3. The convolutional block
#
# When a stage of the network halves the picture and changes the number of channels, the
# input no longer has the output's shape and cannot be added as it is. The convolutional
# block gives the shortcut its own 1×1 convolution with the same stride, followed by batch
# normalisation, which brings the input to the output's shape:
#
# | path | layer | settings |
# |---|---|---|
# | main 1 | `Conv2D` | `F1` filters, 1×1, **stride `s`**, `padding="valid"`; then BN, ReLU |
# | main 2 | `Conv2D` | `F2` filters, f×f, stride 1, `padding="same"`; then BN, ReLU |
# | main 3 | `Conv2D` | `F3` filters, 1×1, stride 1, `padding="valid"`; then BN |
# | shortcut | `Conv2D` | `F3` filters, 1×1, **stride `s`**, `padding="valid"`; then BN |
# | join | `Add`, then `Activation("relu")` | |
#
# The stride goes on the *first* 1×1 convolution of the main path (and on the shortcut's), not
# on the f×f one: that is where Keras's ResNet-50 puts it. Every batch normalisation is
# `BatchNormalization(axis=3, epsilon=BN_EPSILON)`.
#
# **Exercise 2, `convolutional_block`** (about 13 lines).

# %%
def convolutional_block(X, f, filters, s=2):
    """A residual block whose shortcut is a strided 1x1 convolution with batch normalisation.

    X: tensor (batch, h, w, c); f: the middle convolution's window; filters: [F1, F2, F3];
    s: the stride. Returns (batch, ceil(h / s), ceil(w / s), F3).
    """
    F1, F2, F3 = filters
    X_shortcut = X
    ### BEGIN SOLUTION
    X = keras.layers.Conv2D(F1, 1, strides=s, padding="valid")(X)
    X = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X)
    X = keras.layers.Activation("relu")(X)

    X = keras.layers.Conv2D(F2, f, strides=1, padding="same")(X)
    X = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X)
    X = keras.layers.Activation("relu")(X)

    X = keras.layers.Conv2D(F3, 1, strides=1, padding="valid")(X)
    X = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X)

    X_shortcut = keras.layers.Conv2D(F3, 1, strides=s, padding="valid")(X_shortcut)
    X_shortcut = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X_shortcut)

    X = keras.layers.Add()([X, X_shortcut])
    X = keras.layers.Activation("relu")(X)
    ### END SOLUTION
    return X


# %%
check.convolutional_block(convolutional_block)

x_in = keras.Input((8, 8, 4))
demo_block = keras.Model(x_in, convolutional_block(x_in, 3, [2, 2, 8], s=2), name="conv_block_demo")
print(f"convolutional block on an 8x8x4 input, s=2: output {demo_block.output.shape}, "
      f"{demo_block.count_params()} parameters")

# %% [markdown]
# ## 4. ResNet-50
#
# The network stacks the blocks in four stages. Each stage starts with a convolutional block
# (which changes the shape) and continues with identity blocks:
#
# | part | layers |
# |---|---|
# | stem | `ZeroPadding2D(3)`; `Conv2D(64, 7, strides=2)`; BN; ReLU; `ZeroPadding2D(1)`; `MaxPooling2D(3, strides=2)` |
# | stage 2 | `convolutional_block(X, 3, [64, 64, 256], s=1)`, then 2 identity blocks with the same filters |
# | stage 3 | `convolutional_block(X, 3, [128, 128, 512], s=2)`, then 3 identity blocks |
# | stage 4 | `convolutional_block(X, 3, [256, 256, 1024], s=2)`, then 5 identity blocks |
# | stage 5 | `convolutional_block(X, 3, [512, 512, 2048], s=2)`, then 2 identity blocks |
# | head | `GlobalAveragePooling2D()`; `Dense(classes, activation="softmax")` |
#
# The stem's convolution uses `padding="valid"` (the padding comes from the `ZeroPadding2D`
# before it) and its batch normalisation is the same as the blocks'. Stage 2 keeps the
# picture's size (its stride is 1: the max pooling has just halved it). The "50" counts the
# layers on the main path: 1 (stem) + 3 × (3 + 4 + 6 + 3) = 49 convolutions, plus the Dense
# layer; the four shortcut convolutions come on top.
#
# **Exercise 3, `ResNet50`** (about 20 lines). Start from `X_input = keras.Input(input_shape)`
# and end with `keras.Model(inputs=X_input, outputs=X, name="ResNet50")`.

# %%
def ResNet50(input_shape=(64, 64, 3), classes=6):
    """ResNet-50 for pictures of shape `input_shape` and `classes` classes (a softmax output)."""
    ### BEGIN SOLUTION
    X_input = keras.Input(input_shape)
    X = keras.layers.ZeroPadding2D(3)(X_input)
    X = keras.layers.Conv2D(64, 7, strides=2)(X)
    X = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X)
    X = keras.layers.Activation("relu")(X)
    X = keras.layers.ZeroPadding2D(1)(X)
    X = keras.layers.MaxPooling2D(3, strides=2)(X)

    for filters, blocks, s in (([64, 64, 256], 3, 1), ([128, 128, 512], 4, 2),
                               ([256, 256, 1024], 6, 2), ([512, 512, 2048], 3, 2)):
        X = convolutional_block(X, 3, filters, s=s)
        for _ in range(blocks - 1):
            X = identity_block(X, 3, filters)

    X = keras.layers.GlobalAveragePooling2D()(X)
    X = keras.layers.Dense(classes, activation="softmax")(X)
    model = keras.Model(inputs=X_input, outputs=X, name="ResNet50")
    ### END SOLUTION
    return model


# %% [markdown]
# The check builds your network for 56×56 pictures and 5 classes (so that it also sees that
# you used the arguments) and compares it, layer by layer in the order of the graph, with
# `keras.applications.ResNet50(weights=None, input_shape=(56, 56, 3), classes=5)`: the kind
# of every layer, its settings, its output shape, its parameter count and which layers feed it.

# %%
check.ResNet50(ResNet50)

# %%
start = time.perf_counter()
model = ResNet50(input_shape=(64, 64, 3), classes=6)
print(f"built in {time.perf_counter() - start:.1f} s: {len(model.layers)} layers, {model.count_params():,} parameters")
convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
print(f"{len(convs)} convolutions (of which {sum(layer.kernel_size == (1, 1) for layer in convs)} are 1x1)"
      f" and {sum(isinstance(layer, keras.layers.Add) for layer in model.layers)} shortcuts")

# %% [markdown]
# `model.summary()` would print all of these layers; the plot below shows where the
# parameters are: most sit in the last stage, whose convolutions have the most channels.

# %%
stage_of = {}
for layer in model.layers:
    if layer.count_params():
        h = layer.output.shape[1] if len(layer.output.shape) == 4 else 0
        stage_of[h] = stage_of.get(h, 0) + layer.count_params()
labels = [f"{h}x{h}" if h else "head" for h in stage_of]
fig, ax = plt.subplots(figsize=(6, 2.8))
ax.bar(labels, [v / 1e6 for v in stage_of.values()])
ax.set(xlabel="output size of the layers (stem, then stages 2 to 5)", ylabel="parameters (millions)",
       title="ResNet-50's parameters, by the size of the picture they work on")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 5. The hand signs, and a short training run
#
# The pictures are the workbook's hand signs (64×64 colour pictures of a hand showing 0 to 5
# fingers; 1080 for training and 120 for testing), standardised by dividing the pixels by 255.

# %%
signs = load_hand_signs()
x_train = signs.train_x.astype("float32") / 255.0
x_test = signs.test_x.astype("float32") / 255.0
y_train, y_test = signs.train_y, signs.test_y
print("x_train", x_train.shape, " x_test", x_test.shape, " classes", CLASSES)
plotting.show_images(signs.train_x[:8], [f"label {CLASSES[c]}" for c in signs.train_y[:8]])
plt.show()

# %% [markdown]
# Training ResNet-50 from scratch takes many epochs; one epoch over all 1080 pictures takes
# minutes on a laptop CPU. Here it trains for one epoch on the first `short_images` pictures,
# just to see it run (and its speed); do not expect it to have learned much.

# %%
# run_eagerly: each step runs at once, without first compiling a training graph (which takes
# longer than these few steps on a CPU)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"], run_eagerly=True)
steps = keras.callbacks.LambdaCallback(  # a line per step: one epoch is slow
    on_train_batch_end=lambda step, logs: print(f"  step {step + 1}: loss {logs['loss']:.3f}"))
start = time.perf_counter()
model.fit(x_train[:short_images], y_train[:short_images], epochs=1, batch_size=32, verbose=2,
          callbacks=[steps, heartbeat()])
print(f"one epoch on {short_images} pictures: {time.perf_counter() - start:.1f} s")

# %% [markdown]
# ## 6. The trained weights
#
# The project trained the same network for longer with `tools/train_resnet50.py` and ships its
# weights (stored as float16, which keeps the file under 50 MB). Its card says on what, for how
# long and how well; loading checks the file's SHA-256 against the card first.

# %%
card = resnet.load_trained(model)
trained.show_card(card)

# %%
probabilities = model(x_test, training=False).numpy()  # 120 pictures: one call
predicted = np.argmax(probabilities, axis=1)
test_accuracy = float(np.mean(predicted == y_test))
print(f"test accuracy with the trained weights: {test_accuracy:.4f} "
      f"({int(np.sum(predicted == y_test))} of {len(y_test)} pictures)")

# %% [markdown]
# Some test pictures with the network's answer (red where it is wrong) and how sure it is:

# %%
picked = np.random.default_rng(3).choice(len(x_test), size=shown, replace=False)
titles = [f"{CLASSES[predicted[i]]} ({probabilities[i, predicted[i]]:.2f}), true {CLASSES[y_test[i]]}"
          for i in picked]
colors = ["black" if predicted[i] == y_test[i] else "red" for i in picked]
plotting.show_images(signs.test_x[picked], titles, ncols=5, size=1.9, colors=colors)
plt.show()

# %% [markdown]
# ## Headline
#
# The figure this notebook reports is the test accuracy of your ResNet-50 with the shipped
# weights, on the 120 test pictures.

# %%
headline("test accuracy of ResNet-50 with the trained weights", test_accuracy, 0.95)

# %% [markdown]
# ## What you have learned
#
# * In a deep plain network the signal and its gradient fade layer after layer; a shortcut
#   that adds a block's input to its output lets both through, so much deeper networks train.
# * The identity block adds its input unchanged; the convolutional block passes it through a
#   strided 1×1 convolution and batch normalisation first, to match the main path's shape.
# * The shortcut joins the main path before the block's last ReLU, and the stride goes on the
#   first 1×1 convolution of both paths.
# * ResNet-50 is a stem, four stages of bottleneck blocks (3, 4, 6 and 3 of them) and a
#   pooling and softmax head: over 23 million parameters, most of them in the last stage.

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Convolutional networks in Keras — the Sequential and Functional APIs
#     minutes: 3
#     fast:
#       happy_epochs: 1
#       signs_epochs: 1
#       dense_epochs: 1
#       max_train: 240
# ---

# %% [markdown]
# # Convolutional networks in Keras: the Sequential and Functional APIs
#
# **What you will build:** two small convolutional networks with Keras. The first, written
# with the **Sequential** API, looks at a 64×64 picture of a face and says whether the person
# smiles. The second, written with the **Functional** API, reads the hand signs of course 2
# and says how many fingers they show, and you set it against course 2's dense network on the
# same test pictures.
#
# **What you will learn:**
# - how a convolutional network is put together from Keras layers: padding, convolution,
#   batch normalisation, activation, pooling, flattening, a dense output;
# - the Sequential API (a list of layers, for a plain stack) and the Functional API (layers
#   called on tensors, for any graph of layers), and when each one fits;
# - `compile`, `fit`, `evaluate` and `summary`: what the output shapes and parameter counts of
#   a model's summary tell you;
# - why a convolutional network beats a dense one on pictures, and what its first layer
#   actually computes (its feature maps).
#
# **Time:** about 40 minutes of work; a full run of the notebook takes about three minutes on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import keras
import matplotlib.pyplot as plt
import numpy as np

from shared_utils import headline
from shared_utils.checks import c4_02_convolution_application as check
from shared_utils.common import plotting
from shared_utils.common.learning_curves import plot_learning_curves
from shared_utils.common.progress import heartbeat
from shared_utils.course4.application import dense_baseline, show_feature_maps, show_mistakes, standardize
from shared_utils.data.handsigns import CLASSES as SIGN_CLASSES
from shared_utils.data.handsigns import load_hand_signs
from shared_utils.data.happyfaces import CLASSES as FACE_CLASSES
from shared_utils.data.happyfaces import load_happy_faces

print("Keras", keras.__version__)

# %% tags=["parameters"]
# Epochs of the happy model (section 2), of the hand-sign CNN and of the dense network (section 4).
happy_epochs = 8
signs_epochs = 30
dense_epochs = 60
# Adam's step sizes and the mini-batch sizes.
happy_learning_rate = 0.0005
signs_learning_rate = 0.002
dense_learning_rate = 0.0003
happy_batch_size = 16
signs_batch_size = 32
# Training pictures used of each set (None: all of them; the fast run of the tests uses fewer).
max_train = None

# %% [markdown]
# ## 1. The faces
#
# The first task is a yes-or-no question: does this person smile? There are 600 training and
# 150 test pictures of 64×64 pixels in colour, half of them smiling. They are drawn by
# `shared_utils.data.happyfaces` rather than photographed (no set of such photos can be had
# offline): skin tone, face shape, hair, glasses, beards, the turn and tilt of the head, the
# light, the room behind and the camera's blur and noise all vary at random, for both classes
# alike. Only the mouth tells the classes apart.

# %%
faces = load_happy_faces()
print("train:", faces.train_x.shape, faces.train_x.dtype, "| test:", faces.test_x.shape,
      "| smiling in the training set:", int(faces.train_y.sum()), "of", len(faces.train_y))
shown = np.arange(24)
fig = plotting.show_images(faces.train_x[shown], [FACE_CLASSES[c] for c in faces.train_y[shown]], ncols=8, size=1.5)
plt.show()

# %% [markdown]
# Each picture is standardised before it reaches a network: its own mean is subtracted and
# the result divided by its own standard deviation (`standardize`, the NumPy twin of
# `tf.image.per_image_standardization` from course 2). A dark room and a bright one then reach
# the network on the same scale.

# %%
happy_train_x, happy_test_x = standardize(faces.train_x[:max_train]), standardize(faces.test_x)
happy_train_y, happy_test_y = faces.train_y[:max_train].astype("float32"), faces.test_y.astype("float32")
print(f"first picture after standardising: mean {happy_train_x[0].mean():.3f}, std {happy_train_x[0].std():.3f}")

# %% [markdown]
# ## 2. The Sequential API
#
# When a network is a plain stack, each layer taking the output of the one before and
# nothing else, `keras.Sequential` builds it from a list of layers. The list starts with
# `keras.Input(shape=...)`, the shape of **one** example (Keras adds the batch axis itself,
# shown as `None` in the summary), so the model knows every layer's output shape at once.
#
# ### Exercise 1, `happy_model` (about 10 lines)
#
# Return a `keras.Sequential` model with these layers, in this order, named
# `name="happy_model"`:
#
# 1. `keras.Input(shape=(64, 64, 3))`;
# 2. `keras.layers.ZeroPadding2D(padding=3)`: a border of 3 zeros on every side, 70×70;
# 3. `keras.layers.Conv2D(32, 7, strides=1)`: 32 filters of 7×7, no padding of its own
#    (`"valid"`, the default), back to 64×64;
# 4. `keras.layers.BatchNormalization()` over the channels (the last axis, the default);
# 5. `keras.layers.ReLU()`;
# 6. `keras.layers.MaxPooling2D()`: 2×2 windows, stride 2, down to 32×32;
# 7. `keras.layers.Flatten()`;
# 8. `keras.layers.Dense(1, activation="sigmoid")`: the probability of a smile.
#
# The convolution has no activation of its own: the ReLU comes after the batch
# normalisation, as its own layer.

# %%
def happy_model():
    """ZEROPAD -> CONV 7x7x32 -> BATCHNORM -> RELU -> MAXPOOL 2 -> FLATTEN -> DENSE 1 sigmoid, as keras.Sequential."""
    ### BEGIN SOLUTION
    model = keras.Sequential([
        keras.Input(shape=(64, 64, 3)),
        keras.layers.ZeroPadding2D(padding=3),
        keras.layers.Conv2D(32, 7, strides=1),
        keras.layers.BatchNormalization(axis=-1),
        keras.layers.ReLU(),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(1, activation="sigmoid"),
    ], name="happy_model")
    ### END SOLUTION
    return model


# %%
check.happy_model(happy_model)

# %% [markdown]
# The summary lists every layer with its output shape and its number of parameters. Read it
# against the exercise: the padding grows the picture to 70×70, the 7×7 convolution shrinks it
# back to 64×64 with 32 channels ($7 \cdot 7 \cdot 3 \cdot 32$ weights plus 32 biases), the
# batch normalisation has 4 numbers per channel (a scale and a shift that it learns, a mean
# and a variance that it tracks), the pooling halves each side, and the dense unit has one
# weight per flattened value, plus its bias.

# %%
keras.utils.set_random_seed(1)
happy = happy_model()
happy.compile(optimizer=keras.optimizers.Adam(happy_learning_rate), loss="binary_crossentropy",
              metrics=["accuracy"])
happy.summary()

# %% [markdown]
# `compile` chooses the optimizer, the loss (the binary cross-entropy of course 1, for one
# sigmoid output) and the metrics; `fit` trains, printing one line per epoch, with the test
# set as validation data so that you can follow both; `evaluate` gives the loss and accuracy
# of the trained model. (The `heartbeat()` callback of `shared_utils` prints a dot while an
# epoch runs long, so that you can see the cell is working.)

# %%
start = time.perf_counter()
happy_history = happy.fit(happy_train_x, happy_train_y, epochs=happy_epochs, batch_size=happy_batch_size,
                          validation_data=(happy_test_x, happy_test_y), verbose=2,
                          callbacks=[heartbeat()]).history
happy_loss, happy_accuracy = happy.evaluate(happy_test_x, happy_test_y, verbose=0)
print(f"{happy_epochs} epochs in {time.perf_counter() - start:.0f} s; test loss {happy_loss:.3f}, "
      f"test accuracy {happy_accuracy:.3f} (target 0.95: {'met' if happy_accuracy >= 0.95 else 'not met'})")

# %%
fig = plot_learning_curves({"happy model": happy_history}, title="Smiling or not: the happy model")
plt.show()

# %% [markdown]
# The training accuracy climbs fast; the test curve is jumpy in the first epochs, because
# batch normalisation uses the statistics of each mini-batch while training but its running
# averages at test time, and those averages take a few epochs to settle.
#
# ## 3. The Functional API
#
# Sequential models cannot share a layer, take two inputs, give two outputs or skip a
# layer (the residual networks of the next notebook do). The **Functional** API handles any
# graph of layers: start from an input tensor, *call* each layer on the tensor it should
# read, and name the first and last tensors in `keras.Model(inputs=..., outputs=...)`:
#
# ```python
# inputs = keras.Input(shape=(28, 28, 1))
# x = keras.layers.Conv2D(4, 3, padding="same")(inputs)   # a layer called on a tensor ...
# x = keras.layers.ReLU()(x)                               # ... gives the next tensor
# outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(x))
# model = keras.Model(inputs=inputs, outputs=outputs)
# ```
#
# The tensors are symbolic: no picture flows through them while the model is built; Keras
# records which layer reads which tensor, and checks every shape as it goes.
#
# The data of this section are the hand signs of course 2: 64×64 colour pictures of a hand
# showing 0 to 5 fingers, 1080 for training and 120 for testing, standardised like the faces.
# Course 2 framed every hand alike, centred with the fingertips near the top edge; here
# (`load_hand_signs(framing="free")`) the same hands are a little smaller or larger and moved
# across and down the picture, as a hand is in a photo someone takes.

# %%
signs = load_hand_signs(framing="free")
signs_train_x, signs_test_x = standardize(signs.train_x[:max_train]), standardize(signs.test_x)
signs_train_y, signs_test_y = signs.train_y[:max_train], signs.test_y
print("train:", signs_train_x.shape, "| test:", signs_test_x.shape, "| per class:", np.bincount(signs_train_y))
fig = plotting.show_images(signs.train_x[:16], [f"{SIGN_CLASSES[c]} fingers" for c in signs_train_y[:16]],
                           ncols=8, size=1.5)
plt.show()

# %% [markdown]
# ### Exercise 2, `convolutional_model` (about 10 lines)
#
# With the Functional API, build and return `keras.Model(inputs=..., outputs=...)` for
# pictures of shape `input_shape` (read it from the argument: the check tries other sizes):
#
# 1. `keras.Input(shape=input_shape)`;
# 2. `Conv2D(16, 5, strides=1, padding="same")`, then `ReLU()`;
# 3. `MaxPooling2D(pool_size=4, strides=4, padding="same")`;
# 4. `Conv2D(32, 3, strides=1, padding="same")`, then `ReLU()`;
# 5. `MaxPooling2D(pool_size=4, strides=4, padding="same")`;
# 6. `Flatten()`, then `Dense(6, activation="softmax")`: one probability per class.
#
# With `"same"` padding a convolution keeps the height and width, and a pooling of stride 4
# divides them by 4 (rounding up), so a 64×64 picture becomes 16×16, then 4×4×32 = 512
# numbers for the dense layer. Name the model `name="signs_cnn"`.

# %%
def convolutional_model(input_shape):
    """CONV 5x5x16 -> RELU -> MAXPOOL 4 -> CONV 3x3x32 -> RELU -> MAXPOOL 4 -> FLATTEN -> DENSE 6 softmax."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=input_shape)
    Z1 = keras.layers.Conv2D(16, 5, strides=1, padding="same")(inputs)
    A1 = keras.layers.ReLU()(Z1)
    P1 = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(A1)
    Z2 = keras.layers.Conv2D(32, 3, strides=1, padding="same")(P1)
    A2 = keras.layers.ReLU()(Z2)
    P2 = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(A2)
    F = keras.layers.Flatten()(P2)
    outputs = keras.layers.Dense(6, activation="softmax")(F)
    model = keras.Model(inputs=inputs, outputs=outputs, name="signs_cnn")
    ### END SOLUTION
    return model


# %%
check.convolutional_model(convolutional_model)

# %% [markdown]
# ## 4. The convolutional network against course 2's dense network
#
# Both networks are trained here on the same standardised pictures, with Adam and the
# sparse categorical cross-entropy (the labels are the class numbers 0 to 5; the "sparse"
# loss takes them as they are, without one-hot vectors). The dense network is course 2's
# three layers, 25, 12 and 6 units, on the 12288 pixel values of each picture, with its
# learning rate; the convolutional one gets a larger step, which its few shared weights
# tolerate. The dense network gets twice as many epochs: they are cheap, and at 30 it
# is still improving, so stopping it there would flatter the convolutional one.

# %%
keras.utils.set_random_seed(1)
cnn = convolutional_model((64, 64, 3))
cnn.compile(optimizer=keras.optimizers.Adam(signs_learning_rate), loss="sparse_categorical_crossentropy",
            metrics=["accuracy"])
cnn.summary()
start = time.perf_counter()
cnn_history = cnn.fit(signs_train_x, signs_train_y, epochs=signs_epochs, batch_size=signs_batch_size,
                      validation_data=(signs_test_x, signs_test_y), verbose=2, callbacks=[heartbeat()]).history
print(f"convolutional network: {signs_epochs} epochs in {time.perf_counter() - start:.0f} s")

# %%
keras.utils.set_random_seed(1)
dense = dense_baseline((64, 64, 3))
dense.compile(optimizer=keras.optimizers.Adam(dense_learning_rate), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
start = time.perf_counter()
dense_history = dense.fit(signs_train_x, signs_train_y, epochs=dense_epochs, batch_size=signs_batch_size,
                          validation_data=(signs_test_x, signs_test_y), verbose=2,
                          callbacks=[heartbeat()]).history
print(f"dense network: {dense_epochs} epochs in {time.perf_counter() - start:.0f} s")

# %%
fig = plot_learning_curves({"convolutional": cnn_history, "dense (course 2)": dense_history},
                           title="Hand signs: a small CNN against course 2's dense network")
plt.show()
cnn_accuracy = cnn.evaluate(signs_test_x, signs_test_y, verbose=0)[1]
dense_accuracy = dense.evaluate(signs_test_x, signs_test_y, verbose=0)[1]
for name, model, acc in (("convolutional", cnn, cnn_accuracy), ("dense (course 2)", dense, dense_accuracy)):
    error = np.sqrt(acc * (1 - acc) / len(signs_test_y))
    print(f"{name:>17}: {model.count_params():6d} parameters, test accuracy {acc:.3f} ± {error:.3f}")
gap = cnn_accuracy - dense_accuracy
print(f"the convolutional network is {100 * gap:.1f} points ahead "
      f"(target 25: {'met' if gap >= 0.25 else 'not met'})")

# %% [markdown]
# The convolutional network has far fewer parameters than the dense one, and does better on
# pictures it has never seen. Each of its filters is one small set of weights slid over the
# whole picture, so a finger is recognised wherever it is, and what is learnt from one corner
# of a picture serves everywhere; the pooling then forgets a few pixels of position. The
# dense network has one weight per pixel and unit, so a finger moved by a few pixels meets
# other weights: it has to learn every position separately, from 1080 pictures, and
# memorises its training set instead (its training accuracy runs ahead of its test accuracy).
# On course 2's framing, where every fingertip sits near the same place, it does far better.
#
# How far ahead the convolutional network ends, and whether it reaches the lead of 25 points
# this notebook aims at, the cell above prints. The dense network here is a strong rival: it
# gets standardised pictures, which course 2's notebook showed it learns from far faster than
# from pixels merely scaled to [0, 1].
#
# ## 5. What the first convolution sees
#
# A model's layers can be read one by one: `keras.Model(inputs=cnn.inputs,
# outputs=cnn.get_layer(name).output)` is a model that stops at that layer. The 16 maps below
# are the outputs of the first convolution (after its ReLU) for one test picture: each
# filter answers to its own pattern, edges of a given direction, the skin against the wall,
# the dark gaps between fingers.

# %%
relu_name = next(layer.name for layer in cnn.layers if isinstance(layer, keras.layers.ReLU))
fig = show_feature_maps(cnn, signs_test_x[0], relu_name, shown=signs.test_x[0],
                        title=f"first convolution + ReLU ({relu_name}) on a test picture "
                              f"labelled {SIGN_CLASSES[signs_test_y[0]]}")
plt.show()

# %% [markdown]
# ## 6. Mistakes
#
# The test pictures each network gets wrong, with the true and the predicted class. Look for
# what they share: a dark hand on a dark wall, fingers close together, a thumb that could
# pass for a finger.

# %%
cnn_predicted = np.asarray(cnn(signs_test_x, training=False)).argmax(axis=1)
fig = show_mistakes(signs.test_x, signs_test_y, cnn_predicted, [f"{c}" for c in SIGN_CLASSES],
                    title="hand signs the convolutional network gets wrong (true -> predicted)")
plt.show()
happy_predicted = (np.asarray(happy(happy_test_x, training=False))[:, 0] > 0.5).astype(int)
fig = show_mistakes(faces.test_x, faces.test_y, happy_predicted, FACE_CLASSES,
                    title="faces the happy model gets wrong (true -> predicted)")
plt.show()

# %% [markdown]
# The headline of this notebook is the test accuracy of the convolutional network on the
# hand signs, with a target of **0.85**; the happy model's target, **0.95**, and the lead
# over the dense network, **25 points**, are printed above. The fast run of the tests trains
# for far fewer epochs and may stay below them.

# %%
met = headline("hand-sign CNN test accuracy", cnn_accuracy, target=0.85)

# %% [markdown]
# ## What you have learned
#
# - A convolutional network in Keras is a chain of layers: padding, convolution, batch
#   normalisation, activation, pooling, then a flatten and a dense output. `summary()` shows
#   each layer's output shape and parameter count; reading it is the fastest way to find a
#   layer in the wrong place.
# - `keras.Sequential([...])` builds a plain stack; the Functional API (layers called on
#   tensors, `keras.Model(inputs, outputs)`) builds any graph of layers and is the one the
#   residual networks of the next notebook need.
# - A network that shares its weights across the picture learns from far fewer examples than
#   one that sees a long row of pixels.

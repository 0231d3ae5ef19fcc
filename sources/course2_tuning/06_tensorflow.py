# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Introduction to TensorFlow
#     minutes: 1
#     fast:
#       num_epochs: 6
#       keras_epochs: 2
# ---

# %% [markdown]
# # Introduction to TensorFlow
#
# **What you will build:** a three-layer network that reads a 64×64 colour picture of a hand
# and says how many fingers it shows (0 to 5). You write its pieces with TensorFlow's
# low-level tools (variables, matrix products, a loss), train it with your own loop, and then
# build the same network again in five lines of Keras and train it with `fit`.
#
# **What you will learn:**
# - what a tensor is (its `dtype`, its `shape`, why it cannot be changed) and what a
#   `tf.Variable` adds;
# - eager execution, and how `tf.function` turns Python into a graph: tracing, retracing,
#   and what it buys in speed;
# - automatic differentiation with `tf.GradientTape`, checked against a derivative by hand;
# - input pipelines with `tf.data` (`from_tensor_slices`, `map`, `shuffle`, `batch`,
#   `prefetch`);
# - a custom training loop (mini-batches, Adam, a compiled train step, accuracy metrics), and
#   how it compares with Keras's `fit`.
#
# **Time:** about 60 minutes of work; a full run of the notebook takes about a minute on a
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

from shared_utils.common import plotting, timing
from shared_utils.checks import c2_06_tensorflow as check
from shared_utils.data.handsigns import CLASSES, load_hand_signs
from shared_utils.common.learning_curves import plot_learning_curves
from shared_utils import headline

print("TensorFlow", tf.__version__, "/ Keras", keras.__version__)

# %% tags=["parameters"]
# Epochs of the custom training loop (section 6); each is one pass over the 1080 training images.
num_epochs = 30
# Epochs of the same network trained with Keras's fit (section 7).
keras_epochs = 30
# Examples per mini-batch and Adam's step size, shared by both trainings.
minibatch_size = 32
learning_rate = 0.0003

# %% [markdown]
# ## 1. Tensors
#
# A **tensor** is TensorFlow's array: a block of numbers with a `dtype` (the type of every
# element) and a `shape` (the size along each axis). `tf.constant` makes one from Python
# numbers or a NumPy array.

# %%
x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(x)
print("dtype:", x.dtype, "  shape:", x.shape, "  rank (number of axes):", x.ndim)
print("from Python ints:  ", tf.constant([1, 2, 3]).dtype)
print("from Python floats:", tf.constant([1.0, 2.0]).dtype)
print("from a NumPy array:", tf.constant(np.array([1.0, 2.0])).dtype, "(NumPy's default float is float64)")

# %% [markdown]
# Unlike NumPy, TensorFlow never converts a dtype on its own: adding an `int32` tensor to a
# `float32` one, or a `float64` to a `float32`, is an error. Convert explicitly with
# `tf.cast`. Networks compute in `float32`, so that is the type to cast to.

# %%
try:
    tf.constant([1, 2]) + tf.constant([0.5, 0.5])
except tf.errors.InvalidArgumentError as error:
    print("error:", str(error).splitlines()[0][:100])
print("with a cast:", tf.cast(tf.constant([1, 2]), tf.float32) + tf.constant([0.5, 0.5]))

# %% [markdown]
# A tensor is **immutable**: you cannot assign into it. Every operation makes a new tensor.

# %%
try:
    x[0, 0] = 10.0
except TypeError as error:
    print("error:", error)
print("a new tensor instead:", tf.tensor_scatter_nd_update(x, [[0, 0]], [10.0]).numpy().tolist())

# %% [markdown]
# What a model learns must change as it trains, so its weights live in **variables**. A
# `tf.Variable` holds a tensor that you can overwrite with `assign`, `assign_add` and
# `assign_sub` (the optimizer does exactly that), and it is *trainable* by default: gradient
# tapes watch it automatically (section 3).

# %%
v = tf.Variable(x)
v.assign_add(tf.ones_like(x))
v[0, 0].assign(10.0)
print(v.numpy().tolist(), " trainable:", v.trainable)

# %% [markdown]
# **Eager execution.** TensorFlow 2 runs each operation at once, like NumPy, and returns its
# value: you can print it, step through it with a debugger, and convert it with `.numpy()`.
# Tensors and NumPy arrays mix freely: NumPy functions accept tensors (and return arrays),
# TensorFlow functions accept arrays (and return tensors).

# %%
y = tf.matmul(x, tf.transpose(x))  # (2, 3) @ (3, 2)
print(y.numpy())
print("np.exp of a tensor gives", type(np.exp(x)).__name__, "| tf.exp of an array gives", type(tf.exp(np.ones(2))).__name__)

# %% [markdown]
# ### Exercise 1, `linear_function` (5 lines)
#
# Compute $Y = WX + b$ with tensors, where the three constants are drawn, in this order, from
# one NumPy generator `rng = np.random.default_rng(1)`:
#
# - `X`: `rng.standard_normal((3, 1))`, then `W`: `rng.standard_normal((4, 3))`, then
#   `b`: `rng.standard_normal((4, 1))`;
# - wrap each in `tf.constant(..., dtype=tf.float32)` (without the dtype they would stay
#   float64);
# - `Y = tf.add(tf.matmul(W, X), b)` (or `W @ X + b`). Return `Y`, a `(4, 1)` float32 tensor.
#
# `tf.multiply` or `*` would multiply element by element; a matrix product is `tf.matmul`.

# %%
def linear_function():
    """Y = W X + b for fixed random X (3, 1), W (4, 3), b (4, 1); a float32 tf.Tensor (4, 1)."""
    ### BEGIN SOLUTION
    rng = np.random.default_rng(1)
    X = tf.constant(rng.standard_normal((3, 1)), dtype=tf.float32)
    W = tf.constant(rng.standard_normal((4, 3)), dtype=tf.float32)
    b = tf.constant(rng.standard_normal((4, 1)), dtype=tf.float32)
    Y = tf.add(tf.matmul(W, X), b)
    ### END SOLUTION
    return Y


# %%
check.linear_function(linear_function)
print(linear_function())

# %% [markdown]
# ### Exercise 2, `sigmoid` (2 lines)
#
# TensorFlow and Keras already have the common activations. Return the element-wise sigmoid
# of `z` as a float32 tensor, for any input: a Python number, a NumPy array, an integer or a
# float64 tensor. First `z = tf.cast(z, tf.float32)` (TensorFlow's sigmoid refuses integers,
# and would keep float64 as float64), then `keras.activations.sigmoid(z)` (or
# `tf.math.sigmoid(z)`, the same operation).

# %%
def sigmoid(z):
    """Element-wise sigmoid of z (number, array or tensor, any shape): a float32 tf.Tensor."""
    ### BEGIN SOLUTION
    z = tf.cast(z, tf.float32)
    a = keras.activations.sigmoid(z)
    ### END SOLUTION
    return a


# %%
check.sigmoid(sigmoid)
print("sigmoid(-1) =", sigmoid(-1).numpy(), "  sigmoid([0, 12]) =", sigmoid(np.array([0, 12])).numpy())

# %% [markdown]
# ## 2. Graphs: `tf.function`
#
# Eager execution is convenient but slow for many small operations: Python hands each one to
# TensorFlow separately. Decorating a function with `@tf.function` lets TensorFlow record its
# operations once as a **graph**, which it can then run in one go and optimise (fuse
# operations, run independent ones in parallel, drop Python's overhead).
#
# Recording is called **tracing**: the first call runs the Python code with symbolic tensors
# and keeps the TensorFlow operations it meets. Python side effects, such as `print`, happen
# only during tracing; operations on TensorFlow objects, such as the counter below, happen at
# every call.

# %%
calls = tf.Variable(0)


@tf.function
def scaled_sum(x, scale):
    print(f"  tracing for x = {x}, scale = {scale}")  # Python: runs only while tracing
    calls.assign_add(1)                                # TensorFlow: runs at every call
    return tf.reduce_sum(x) * scale


for args in [(tf.constant([1.0, 2.0]), 2.0),        # first call: traces
             (tf.constant([3.0, 4.0]), 2.0),        # same shape, dtype and Python value: reuses the graph
             (tf.constant([1.0, 2.0, 3.0]), 2.0),   # new shape: traces again
             (tf.constant([1.0, 2.0]), 3.0)]:       # new Python number: traces again
    print(f"scaled_sum -> {scaled_sum(*args).numpy()}")
print("calls:", calls.numpy(), "  traces:", scaled_sum.experimental_get_tracing_count())

# %% [markdown]
# A graph is reused only for arguments that look like the ones it was traced for: tensors of
# the same dtype and shape, and *equal* Python values. Every new Python number makes a new
# graph, so pass numbers that change (a learning rate, a step count) as tensors.
#
# Shapes that vary, like the last, smaller mini-batch of an epoch, cost one trace each: by
# default a `tf.function` keeps one graph per shape it has seen. With
# `tf.function(reduce_retracing=True)` it traces a general graph instead, whose varying axis
# has size `None` (any size), once a second shape turns up. The cell below feeds mini-batches
# of 32, 24, 16, 8 and again 32 rows to one function of each kind and counts their traces.

# %%
@tf.function
def column_means(batch):
    print(f"  column_means traces for shape {batch.shape}")
    return tf.reduce_mean(batch, axis=0)


@tf.function(reduce_retracing=True)
def column_means_relaxed(batch):
    print(f"  column_means_relaxed traces for shape {batch.shape}")
    return tf.reduce_mean(batch, axis=0)


for rows in (32, 24, 16, 8, 32):
    column_means(tf.ones((rows, 3)))
    column_means_relaxed(tf.ones((rows, 3)))
print("traces: default", column_means.experimental_get_tracing_count(),
      "| reduce_retracing=True", column_means_relaxed.experimental_get_tracing_count())

# %% [markdown]
# What does a graph buy? A chain of 50 small matrix products, eagerly and as a graph:

# %%
W_small = tf.constant(np.random.default_rng(0).normal(0, 0.3, (16, 16)), dtype=tf.float32)
x_small = tf.ones((16, 8))


def small_steps(x):
    for _ in range(50):  # unrolled into 100 operations while tracing
        x = tf.tanh(tf.matmul(W_small, x))
    return x


graph_steps = tf.function(small_steps)
graph_steps(x_small)  # trace once before timing
np.testing.assert_allclose(small_steps(x_small), graph_steps(x_small), rtol=1e-5, atol=1e-6)
times = timing.compare({"eager": lambda: small_steps(x_small), "tf.function": lambda: graph_steps(x_small)},
                       repeats=5)

# %% [markdown]
# The graph is many times faster here, because the work per operation is tiny and the
# overhead of launching it dominates. For one big matrix product the two would be equally
# fast. That is why training code puts the whole training step, forward pass, gradients and
# update, in one `tf.function` (section 6).
#
# ## 3. Gradients: `tf.GradientTape`
#
# Training needs the derivative of the cost with respect to every parameter. TensorFlow
# computes it for you: operations run inside a `with tf.GradientTape() as tape:` block are
# recorded, and `tape.gradient(target, sources)` plays the tape backwards (backpropagation)
# to give $\partial\,\text{target} / \partial\,\text{source}$.
#
# Take $f(x) = x^3 - 4x$. By hand, $f'(x) = 3x^2 - 4$, so $f'(2) = 8$:

# %%
x_var = tf.Variable(2.0)
with tf.GradientTape() as tape:
    f = x_var**3 - 4 * x_var
print("f(2) =", f.numpy(), "  tape: f'(2) =", tape.gradient(f, x_var).numpy(), "  by hand:", 3 * 2.0**2 - 4)

# %% [markdown]
# The tape watches trainable variables on its own; a constant must be watched explicitly
# with `tape.watch`. The tape differentiates through any TensorFlow operation, your own
# functions included: your `sigmoid` against the formula $\sigma'(z) = \sigma(z)(1 - \sigma(z))$:

# %%
z_points = tf.constant([-3.0, 0.0, 1.0, 4.0])
with tf.GradientTape() as tape:
    tape.watch(z_points)
    s = sigmoid(z_points)
print("tape:    ", tape.gradient(s, z_points).numpy())
print("by hand: ", (s * (1 - s)).numpy())

# %% [markdown]
# (When the target is not a single number, as here, the tape gives the gradient of its sum;
# each element of `s` depends only on its own `z`, so that is each element's derivative.)
#
# The tape only sees TensorFlow operations. A detour through NumPy (`.numpy()`, `np.exp`)
# gives a result the tape cannot follow: `tape.gradient` then returns `None`.
#
# ## 4. The data: hand signs, through `tf.data`
#
# The pictures show a hand holding up 0 to 5 fingers; the label is the number of fingers.
# There are 1080 training and 120 test pictures of 64×64 pixels in colour, 180 and 20 of each
# class. They are drawn by `shared_utils.data.handsigns`, not photographed: a palm with its
# fingers, skin tone, lighting and background all vary at random.

# %%
hand_signs = load_hand_signs()
print("train:", hand_signs.train_x.shape, hand_signs.train_x.dtype, hand_signs.train_y.shape)
print("test: ", hand_signs.test_x.shape, hand_signs.test_x.dtype, hand_signs.test_y.shape)
print("images per class in the training set:", np.bincount(hand_signs.train_y))

shown = np.arange(24)
fig = plotting.show_images(hand_signs.train_x[shown], [f"label {CLASSES[c]}" for c in hand_signs.train_y[shown]],
                           ncols=8, size=1.5)
plt.show()

# %% [markdown]
# A `tf.data.Dataset` is a stream of examples with a pipeline of transformations in front of
# it. `from_tensor_slices` cuts arrays along their first axis, one element per image;
# `element_spec` tells what one element looks like.

# %%
x_train = tf.data.Dataset.from_tensor_slices(hand_signs.train_x)
y_train = tf.data.Dataset.from_tensor_slices(hand_signs.train_y)
x_test = tf.data.Dataset.from_tensor_slices(hand_signs.test_x)
y_test = tf.data.Dataset.from_tensor_slices(hand_signs.test_y)
print(x_train.element_spec, y_train.element_spec)
print("first label:", next(iter(y_train)).numpy())

# %% [markdown]
# `map(fn)` applies `fn` to every element. Our network takes vectors, so `normalize` unrolls
# each image into $64 \cdot 64 \cdot 3 = 12288$ numbers. First it **standardises** the
# image: `tf.image.per_image_standardization` subtracts the image's mean and divides by its
# standard deviation, so every picture reaches the network with mean 0 and variance 1,
# however bright its lighting or dark its skin tone. Inputs centred on 0 and of the same scale
# let gradient descent take steps that suit every weight (the notebook on normalisation
# applies the same idea inside the network); on these pictures the network learns in a few
# epochs what takes it many times longer from pixels merely scaled to [0, 1]. `map` traces
# `fn` into a graph, like `tf.function`: inside it, use TensorFlow operations only.

# %%
def normalize(image):
    """One (64, 64, 3) uint8 image -> a float32 vector of 12288 values, mean 0 and variance 1."""
    image = tf.image.per_image_standardization(image)
    return tf.reshape(image, [-1])


new_train = x_train.map(normalize)
new_test = x_test.map(normalize)
first = next(iter(new_train))
print(new_train.element_spec, f"  first image: mean {float(tf.reduce_mean(first)):.3f}, "
      f"std {float(tf.math.reduce_std(first)):.3f}")

# %% [markdown]
# ### Exercise 3, `one_hot_matrix` (1 line)
#
# The network has 6 outputs, one per class, so each label becomes a **one-hot** vector: 1 at
# the position of the label, 0 elsewhere. Label 2 with $C = 6$ classes becomes
# `[0, 0, 1, 0, 0, 0]`.
#
# Return a float32 tensor of shape `(C,)`: `tf.one_hot(label, C, axis=0)`, reshaped with
# `tf.reshape(..., shape=[C])` so that its shape is exactly `(C,)` whatever the shape of
# `label` (a scalar, or a one-element vector). Use the argument `C`. It will be mapped over a
# dataset, so TensorFlow operations only.

# %%
def one_hot_matrix(label, C=6):
    """One integer label (a scalar tensor) -> its one-hot float32 vector of shape (C,)."""
    ### BEGIN SOLUTION
    one_hot = tf.reshape(tf.one_hot(label, C, axis=0), shape=[C])
    ### END SOLUTION
    return one_hot


# %%
check.one_hot_matrix(one_hot_matrix)
new_y_train = y_train.map(one_hot_matrix)
new_y_test = y_test.map(one_hot_matrix)
print(next(iter(new_y_train)))

# %% [markdown]
# ## 5. The network, by hand
#
# The model is LINEAR → RELU → LINEAR → RELU → LINEAR, with 25 and 12 hidden units and 6
# outputs. In this section, as in course 1, **examples are columns**: a mini-batch `X` has
# shape `(12288, m)`, and layer $l$ computes $Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}$ with
# $W^{[l]}$ of shape $(n^{[l]}, n^{[l-1]})$ and $b^{[l]}$ of shape $(n^{[l]}, 1)$.
#
# ### Exercise 4, `initialize_parameters` (about 8 lines)
#
# Create the six parameters as `tf.Variable`s with Glorot (Xavier) initialisation: a normal
# draw, cut off at two standard deviations, with variance $2 / (n_{in} + n_{out})$, which keeps
# the signal at a steady size through layers of any width. Course 2's notebook on
# initialisation treats this choice in detail.
#
# - `initializer = keras.initializers.GlorotNormal(seed=1)`; `initializer(shape=(25, 12288))`
#   returns a float32 tensor of random values;
# - wrap each in `tf.Variable(...)` so that the optimizer can update it;
# - shapes: `W1` (25, 12288), `b1` (25, 1), `W2` (12, 25), `b2` (12, 1), `W3` (6, 12),
#   `b3` (6, 1). The biases are drawn by the same initializer too (zeros would work as
#   well).

# %%
def initialize_parameters():
    """The six parameters of the network as Glorot-initialised float32 tf.Variables."""
    ### BEGIN SOLUTION
    initializer = keras.initializers.GlorotNormal(seed=1)
    W1 = tf.Variable(initializer(shape=(25, 12288)))
    b1 = tf.Variable(initializer(shape=(25, 1)))
    W2 = tf.Variable(initializer(shape=(12, 25)))
    b2 = tf.Variable(initializer(shape=(12, 1)))
    W3 = tf.Variable(initializer(shape=(6, 12)))
    b3 = tf.Variable(initializer(shape=(6, 1)))
    ### END SOLUTION
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    return parameters


# %%
check.initialize_parameters(initialize_parameters)
parameters = initialize_parameters()
for name, p in parameters.items():
    print(f"{name}: shape {str(tuple(p.shape)):<12} std {np.std(p.numpy()):.4f}   "
          f"Glorot: {np.sqrt(2 / sum(p.shape)):.4f}")

# %% [markdown]
# ### Exercise 5, `forward_propagation` (about 8 lines)
#
# Compute the forward pass for the examples in the columns of `X`:
#
# $$Z^{[1]} = W^{[1]} X + b^{[1]},\; A^{[1]} = \mathrm{relu}(Z^{[1]}),\quad
# Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]},\; A^{[2]} = \mathrm{relu}(Z^{[2]}),\quad
# Z^{[3]} = W^{[3]} A^{[2]} + b^{[3]}$$
#
# Use `tf.linalg.matmul` (or `@`), `tf.math.add` (or `+`) and `keras.activations.relu`.
# Return `Z3`, shape `(6, m)`: the **logits**, with no activation on the last layer. The
# softmax that turns them into probabilities belongs to the loss (next exercise), which
# computes it together with the logarithm, in a numerically safe way. Read the weights from
# the argument `parameters`.

# %%
def forward_propagation(X, parameters):
    """LINEAR -> RELU -> LINEAR -> RELU -> LINEAR on X (n_x, m); returns the logits Z3 (n_3, m)."""
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    ### BEGIN SOLUTION
    Z1 = tf.math.add(tf.linalg.matmul(W1, X), b1)
    A1 = keras.activations.relu(Z1)
    Z2 = tf.math.add(tf.linalg.matmul(W2, A1), b2)
    A2 = keras.activations.relu(Z2)
    Z3 = tf.math.add(tf.linalg.matmul(W3, A2), b3)
    ### END SOLUTION
    return Z3


# %%
check.forward_propagation(forward_propagation)
first_batch = next(iter(new_train.batch(4)))  # rows: (4, 12288)
print("logits of 4 training images:", forward_propagation(tf.transpose(first_batch), parameters).shape)

# %% [markdown]
# ### Exercise 6, `compute_total_loss` (1 or 2 lines)
#
# The cost of a prediction is the **categorical cross-entropy** between the one-hot label
# $y$ and the softmax of the logits $z$: $\mathcal L = -\sum_c y_c \log \mathrm{softmax}(z)_c$.
# Return its **sum** over the examples of the mini-batch (not the mean):
#
# - `keras.losses.categorical_crossentropy(y_true, y_pred, from_logits=True)` gives one
#   loss per example. It expects one example per **row**, so pass
#   `tf.transpose(labels)` and `tf.transpose(logits)`, shape `(m, 6)`, labels first;
# - `from_logits=True` says the predictions are logits: Keras applies the softmax itself;
# - `tf.reduce_sum` of the result.
#
# Why the sum? The training loop adds the totals of all mini-batches and divides by the
# number of training examples once, at the end of the epoch. With means, the last, smaller
# mini-batch would count as much as a full one.

# %%
def compute_total_loss(logits, labels):
    """Sum over the m examples of the cross-entropy; logits and one-hot labels of shape (6, m)."""
    ### BEGIN SOLUTION
    total_loss = tf.reduce_sum(keras.losses.categorical_crossentropy(
        tf.transpose(labels), tf.transpose(logits), from_logits=True))
    ### END SOLUTION
    return total_loss


# %%
check.compute_total_loss(compute_total_loss)
first_labels = next(iter(new_y_train.batch(4)))
print("total loss of 4 images before training:",
      compute_total_loss(forward_propagation(tf.transpose(first_batch), parameters), tf.transpose(first_labels)).numpy())

# %% [markdown]
# ## 6. Training with your own loop
#
# Everything is ready for training. The pipeline pairs each image with its label (`zip`),
# **caches** the pairs (`cache()` keeps them in memory after the first pass, so the images
# are standardised once, not at every epoch), **shuffles** them anew at every epoch, cuts them
# into **mini-batches** of 32 (the last one holds the 24 left over), and **prefetches**: it
# prepares the next mini-batch while the model works on the current one. The cache comes
# before the shuffle, so that it holds the pairs, not one epoch's order; and every epoch
# reads it to the end (a cache read only in part, say by `take(4)`, is thrown away, with a
# warning).
#
# `train_step` is one step of mini-batch training, compiled with `tf.function`: the forward
# pass and the loss inside a gradient tape, the gradients of the loss with respect to the six
# variables, and one step of the **Adam** optimizer (course 2's optimisation notebook explains
# it; here it is one line). `keras.metrics.CategoricalAccuracy` keeps a running count of the
# examples whose largest logit is at their label; the loop reads and resets it every epoch.
#
# The data come in rows, one example per row; the network wants columns, hence the
# transposes. `train_step` is traced once for the mini-batches of 32 and once for the last
# one of 24 (section 2); the loop prints its count of traces at the end. Adam's own variables
# (its moving averages of the gradients) are created by `optimizer.build` before the first
# step: a `tf.function` that creates variables in its first call is traced twice. Read the loop, then
# run it: it is given, not an exercise. It prints a line every few epochs.

# %%
keras.utils.set_random_seed(1)
tf.config.experimental.enable_op_determinism()


def model(train_images, train_labels, test_images, test_labels, learning_rate=0.0003, num_epochs=30,
          minibatch_size=32, print_cost=True):
    """Train the three-layer network with Adam on mini-batches; return its parameters and history.

    The datasets hold one example per element: images as 12288-vectors, labels one-hot.
    history: per epoch, "loss" and "accuracy" on the training set and "val_loss",
    "val_accuracy" on the test set (the cost is the mean cross-entropy per example).
    """
    parameters = initialize_parameters()
    variables = list(parameters.values())
    optimizer = keras.optimizers.Adam(learning_rate)
    optimizer.build(variables)  # Adam's moving averages, created here rather than in the first trace
    train_accuracy = keras.metrics.CategoricalAccuracy()
    test_accuracy = keras.metrics.CategoricalAccuracy()

    train = tf.data.Dataset.zip((train_images, train_labels)).cache()
    test = tf.data.Dataset.zip((test_images, test_labels)).cache()
    m_train, m_test = int(train.cardinality()), int(test.cardinality())
    minibatches = train.shuffle(m_train, seed=1).batch(minibatch_size).prefetch(tf.data.AUTOTUNE)
    test_minibatches = test.batch(minibatch_size).prefetch(tf.data.AUTOTUNE)

    @tf.function
    def train_step(X, Y):
        with tf.GradientTape() as tape:
            Z3 = forward_propagation(tf.transpose(X), parameters)
            loss = compute_total_loss(Z3, tf.transpose(Y))
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        train_accuracy.update_state(Y, tf.transpose(Z3))
        return loss

    @tf.function
    def test_step(X, Y):
        Z3 = forward_propagation(tf.transpose(X), parameters)
        test_accuracy.update_state(Y, tf.transpose(Z3))
        return compute_total_loss(Z3, tf.transpose(Y))

    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    if print_cost:
        print(f"{num_epochs} epochs of {len(minibatches)} mini-batches; the first epoch also traces the steps "
              "and fills the cache, so it takes longest")
    start = time.perf_counter()
    for epoch in range(num_epochs):
        train_accuracy.reset_state()
        test_accuracy.reset_state()
        epoch_total = sum(float(train_step(X, Y)) for X, Y in minibatches)
        test_total = sum(float(test_step(X, Y)) for X, Y in test_minibatches)
        history["loss"].append(epoch_total / m_train)
        history["accuracy"].append(float(train_accuracy.result()))
        history["val_loss"].append(test_total / m_test)
        history["val_accuracy"].append(float(test_accuracy.result()))
        if print_cost and (epoch % 5 == 0 or epoch == num_epochs - 1):
            print(f"epoch {epoch:3d}: cost {history['loss'][-1]:.4f}, train accuracy {history['accuracy'][-1]:.4f}, "
                  f"test accuracy {history['val_accuracy'][-1]:.4f}   ({time.perf_counter() - start:.0f} s)")
    if print_cost:
        print("traces of train_step:", train_step.experimental_get_tracing_count())
    return parameters, history


start = time.perf_counter()
trained, custom_history = model(new_train, new_y_train, new_test, new_y_test, learning_rate=learning_rate,
                                num_epochs=num_epochs, minibatch_size=minibatch_size)
custom_seconds = time.perf_counter() - start
print(f"{num_epochs} epochs in {custom_seconds:.1f} s")

# %% [markdown]
# The training accuracy is measured while the epoch runs (with the weights as they were at
# each mini-batch), the test accuracy after it, with the final weights of the epoch.
#
# The headline of this notebook is the test accuracy of this network: the share of the 120
# test pictures whose largest logit is the right number of fingers. Guessing would get one in
# six, 0.17. The target is **test accuracy ≥ 0.70**, which a full run of the notebook reaches
# (the fast run of the tests, with far fewer epochs, may stay below it). A network that sees
# only a long row of pixels has a hard time with these pictures: the hand moves, turns and
# changes colour, and the backgrounds are cluttered, so the few pixels of the fingers that
# tell the classes apart are hidden among thousands that vary for other reasons. Networks
# that look at images as images (convolutions, course 4) do better still.

# %%
custom_test_accuracy = custom_history["val_accuracy"][-1]
print(f"{round(custom_test_accuracy * len(hand_signs.test_y))} of {len(hand_signs.test_y)} test pictures right; "
      f"training accuracy {custom_history['accuracy'][-1]:.4f}")
met = headline("custom-loop test accuracy", custom_test_accuracy, target=0.70)

# %% [markdown]
# ## 7. The same network with Keras
#
# Everything you wrote in section 5, and the loop of section 6, is what Keras does for you:
# `Dense` layers hold the variables and compute $xW + b$ for examples in **rows**; `compile`
# chooses the optimizer, the loss and the metrics; `fit` runs the epochs, mini-batches,
# gradient tape and updates. Its loss is the mean over each mini-batch, the usual
# convention; with Adam, which divides every step by the gradients' typical size, sum or mean
# gives almost the same steps.
#
# `Dense` starts from a uniform Glorot draw with zero biases by default. We give it the
# initialisation of section 5 instead (Glorot normal, biases included), so that the two
# trainings differ only in how they are written. Each model and layer gets a `name`, which
# the summary shows (without one Keras numbers them: `sequential_3`, `dense_7`, ...).
#
# `fit(..., verbose=2)` prints one line per epoch: its training loss and accuracy, then the
# same on the validation data (`val_loss`, `val_accuracy`).

# %%
keras.utils.set_random_seed(1)
glorot = keras.initializers.GlorotNormal(seed=1)
keras_model = keras.Sequential([
    keras.Input(shape=(12288,), name="pixels"),
    keras.layers.Dense(25, activation="relu", kernel_initializer=glorot, bias_initializer=glorot, name="hidden_1"),
    keras.layers.Dense(12, activation="relu", kernel_initializer=glorot, bias_initializer=glorot, name="hidden_2"),
    keras.layers.Dense(6, kernel_initializer=glorot, bias_initializer=glorot, name="logits"),
], name="hand_signs_dense")
keras_model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                    loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                    metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")])
keras_model.summary()

# %%
train_rows = tf.data.Dataset.zip((new_train, new_y_train)).cache().shuffle(1080, seed=1).batch(minibatch_size)
test_rows = tf.data.Dataset.zip((new_test, new_y_test)).cache().batch(minibatch_size)
start = time.perf_counter()
keras_history = keras_model.fit(train_rows.prefetch(tf.data.AUTOTUNE), validation_data=test_rows,
                                epochs=keras_epochs, shuffle=False, verbose=2).history
keras_seconds = time.perf_counter() - start
print(f"{keras_epochs} epochs in {keras_seconds:.1f} s: train accuracy {keras_history['accuracy'][-1]:.4f}, "
      f"test accuracy {keras_history['val_accuracy'][-1]:.4f}")

# %% [markdown]
# ## 8. Learning curves
#
# Cost and accuracy after every epoch, training set (solid) and test set (dashed), for both
# trainings.

# %%
fig = plot_learning_curves({"custom loop": custom_history, "Keras fit": keras_history},
                           title=f"Three-layer network on the hand signs, Adam, learning rate {learning_rate}")
plt.show()

# %% [markdown]
# The last epoch of each training, with the standard error of a test accuracy measured on 120
# pictures, $\sqrt{a(1 - a) / 120}$:

# %%
for name, history in {"custom loop": custom_history, "Keras fit": keras_history}.items():
    acc = history["val_accuracy"][-1]
    error = np.sqrt(acc * (1 - acc) / len(hand_signs.test_y))
    print(f"{name:>11}: test accuracy {acc:.3f} ± {error:.3f}, train accuracy {history['accuracy'][-1]:.3f}; "
          f"cost {history['loss'][-1]:.3f} on the training set, {history['val_loss'][-1]:.3f} on the test set")

# %% [markdown]
# What a full run shows:
#
# - Both trainings behave alike, as they should: the same network, the same data, the same
#   optimizer. They are not identical (a sum against a mean in the loss, a different order
#   of the random draws), and with 120 test pictures one picture moves the accuracy by
#   $1/120 \approx 0.008$, so the two test curves differ by a few points from epoch to epoch.
# - Learning is fast on standardised pictures. The cost starts near $\ln 6 \approx 1.79$,
#   the cost of guessing, and falls steeply in the first epochs; the test accuracy climbs
#   with it and then levels off, while the training accuracy goes on towards 1 and the
#   training cost towards 0. The network starts to memorise its 1080 training pictures: the
#   gap between the training and the test figures above is **overfitting**, which the
#   notebook on regularisation treats.
# - The test curves are jagged: 120 pictures is a small test set, and the standard error
#   printed above says how far its accuracy may stray from the accuracy on all such pictures.
#
# ## What you have learned
#
# - Tensors have a dtype and a shape and cannot be changed; TensorFlow never converts
#   dtypes silently (`tf.cast`); what must change, the weights, lives in `tf.Variable`s.
# - Eager execution runs each operation at once; `tf.function` traces Python into a graph
#   once per new input signature (a general one for varying sizes with
#   `reduce_retracing=True`) and runs many small operations much faster.
# - `tf.GradientTape` records operations and differentiates through any TensorFlow code,
#   as long as it stays in TensorFlow.
# - `tf.data` builds the input pipeline: slice, map, shuffle, batch, prefetch.
# - A custom loop is forward pass + loss under a tape, `tape.gradient`, and
#   `optimizer.apply_gradients`; Keras's `Sequential` + `fit` does the same in a few lines.
#   Mind the layout: Keras wants examples in rows and the labels first in its losses.

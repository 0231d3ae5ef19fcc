# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: A convolutional network, step by step
#     minutes: 1
#     fast:
#       loop_images: 1
#       repeats: 3
# ---

# %% [markdown]
# # A convolutional network, step by step
#
# **What you will build:** the two layers every convolutional network is made of, a
# convolution and a pooling layer, forward and backward, in NumPy: first with explicit loops
# over the examples, the output positions and the filters, so that every multiplication is
# visible; then vectorized, with the loops replaced by one matrix product. Every function is
# checked against TensorFlow's own ops (`tf.nn.conv2d`, `tf.nn.max_pool2d`,
# `tf.nn.avg_pool2d`) and every gradient against `tf.GradientTape`. At the end you time your
# two versions against `tf.nn.conv2d`, and apply a few filters you design by hand to a photo.
#
# **What you will learn:**
# - how a filter slides over an image: padding, stride, and the size of the output;
# - why one convolution layer needs so few parameters, and what its bias does;
# - max and average pooling, and how the gradient finds its way back through each (including
#   what happens when two values tie for the maximum);
# - backpropagation through a convolution: every input pixel collects the gradient of every
#   output it contributed to;
# - how "im2col" turns a convolution into a single matrix product, which is what makes
#   convolutional networks fast in practice.
#
# **Time:** about 90 minutes of work; a full run of the notebook takes under a minute on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from numpy.lib.stride_tricks import sliding_window_view

from shared_utils.course4 import conv_benchmark, conv_figures
from shared_utils.course4.conv_inputs import require_conv_parameters, require_images
from shared_utils.data import samples
from shared_utils.checks import c4_01_convolution_step_by_step as check
from shared_utils import headline

# %% tags=["parameters"]
# The benchmark of section 6: a batch of images of 32x32 pixels with 8 channels, 16 filters of 3x3.
bench_images = 16
# The loop version is timed on this many of those images only, and its time scaled to the batch.
loop_images = 2
# Each method is timed this many times; the table keeps the best run.
repeats = 5

# %% [markdown]
# ## 1. The layout, and what a convolution computes
#
# A batch of images is a 4-D array `A` of shape `(m, n_H, n_W, n_C)`: `m` images of `n_H`
# rows and `n_W` columns, with `n_C` channels (3 for a colour photo, one per filter for the
# output of a convolution). Channels come last, as in Keras and TensorFlow ("NHWC").
#
# A **convolution layer** holds `n_C` filters. Each filter is a small block of weights of
# shape `(f_h, f_w, n_C_prev)`, as deep as its input; all of them together form `W` of shape
# `(f_h, f_w, n_C_prev, n_C)`, and there is one bias per filter, `b` of shape
# `(1, 1, 1, n_C)`. The filter slides over the image; at each position it multiplies the
# window under it by its weights, element by element, adds everything up and adds its bias.
# That single number is one pixel of the output. (Mathematicians would call this a
# cross-correlation, since the filter is not flipped; deep learning calls it a convolution,
# and so does `tf.nn.conv2d`.)
#
# Two hyperparameters shape the result:
#
# - **padding** `pad`: rows and columns of zeros added around the image first, so that the
#   filter can be centred on the border pixels too and the image does not shrink at every
#   layer;
# - **stride** `stride`: how many pixels the filter moves between two positions.
#
# With an input of `n_H_prev` rows, a filter of `f_h` rows, padding `pad` and stride
# `stride`, the output has
#
# $$n_H = \Bigl\lfloor \frac{n_{H,prev} + 2\,pad - f_h}{stride} \Bigr\rfloor + 1$$
#
# rows, and the same formula with `n_W_prev` and `f_w` gives its columns. The floor drops the
# last positions where the filter would stick out past the padded image.
#
# ### Zero padding
#
# **Exercise 1, `zero_pad`** (1 line). Pad a batch `X` of shape `(m, n_H, n_W, n_C)` with
# `pad` zeros on each side of **the rows and the columns only**, not along the batch or the
# channels: the result has shape `(m, n_H + 2 pad, n_W + 2 pad, n_C)`. `np.pad` takes one
# `(before, after)` pair per axis.

# %%
def zero_pad(X, pad):
    """X (m, n_H, n_W, n_C) with `pad` zeros around the rows and columns: (m, n_H + 2 pad, n_W + 2 pad, n_C)."""
    ### BEGIN SOLUTION
    X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)
    ### END SOLUTION
    return X_pad


# %%
check.zero_pad(zero_pad)

# %%
rng = np.random.default_rng(1)
x = rng.normal(size=(4, 3, 3, 2))
x_pad = zero_pad(x, 2)
print("x.shape     =", x.shape)
print("x_pad.shape =", x_pad.shape)
fig, axes = plt.subplots(1, 2, figsize=(6, 3))
axes[0].imshow(x[0, :, :, 0], cmap="viridis")
axes[0].set_title("x: first image, channel 0")
axes[1].imshow(x_pad[0, :, :, 0], cmap="viridis")
axes[1].set_title("the same, padded by 2")
plt.show()

# %% [markdown]
# ### One step of the convolution
#
# **Exercise 2, `conv_single_step`** (1 or 2 lines). Apply one filter at one position:
# `a_slice_prev` is the window of the input, of shape `(f_h, f_w, n_C_prev)`, `W` the
# filter's weights of the same shape, `b` its bias of shape `(1, 1, 1)`. Multiply
# element-wise, sum **all** the products, then add the bias **once**. Return one Python
# number (`b.item()` turns the bias into one).

# %%
def conv_single_step(a_slice_prev, W, b):
    """sum(a_slice_prev * W) + b for one window and one filter, both (f_h, f_w, n_C_prev); b (1, 1, 1)."""
    ### BEGIN SOLUTION
    Z = float(np.sum(a_slice_prev * W)) + b.item()
    ### END SOLUTION
    return Z


# %%
check.conv_single_step(conv_single_step)

# %% [markdown]
# ## 2. The forward pass of a convolution layer
#
# **Exercise 3, `conv_forward`** (about 15 lines). Compute the output `Z` of shape
# `(m, n_H, n_W, n_C)` with four nested loops: over the images `i`, the output rows `h`, the
# output columns `w` and the filters `c`.
#
# 1. Compute `n_H` and `n_W` with the formula above (`//` is Python's floor division).
# 2. Pad `A_prev` with your `zero_pad`.
# 3. The window of output pixel `(h, w)` starts at row `vert_start = h * stride` and column
#    `horiz_start = w * stride` of the padded image, and spans `f_h` rows and `f_w` columns;
#    take it across all the input channels.
# 4. `Z[i, h, w, c]` is `conv_single_step` of that window with filter `c`: `W[:, :, :, c]`
#    and `b[:, :, :, c]`.
#
# The cache keeps what the backward pass will need: the *unpadded* input, the weights, the
# bias and the hyperparameters (the given last lines build it). Filters need not be square:
# `f_h` and `f_w` may differ. The first given line checks that the inputs fit together and
# stops with a plain message when they do not (a tf.Tensor, an image without its batch axis,
# filters of the wrong depth).

# %%
def conv_forward(A_prev, W, b, hparameters):
    """Convolution of A_prev (m, n_H_prev, n_W_prev, n_C_prev) with W (f_h, f_w, n_C_prev, n_C), b (1, 1, 1, n_C).

    hparameters: {"stride": int, "pad": int}. Returns Z (m, n_H, n_W, n_C) and cache = (A_prev, W, b, hparameters).
    """
    require_conv_parameters(A_prev, W, b)
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f_h, f_w, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    ### BEGIN SOLUTION
    n_H = (n_H_prev + 2 * pad - f_h) // stride + 1
    n_W = (n_W_prev + 2 * pad - f_w) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f_h
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f_w
                a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])
    ### END SOLUTION
    cache = (A_prev, W, b, hparameters)
    return Z, cache


# %%
check.conv_forward(conv_forward)

# %% [markdown]
# The given first line speaks up when the inputs do not fit, for instance a TensorFlow tensor
# instead of a NumPy array, or an image without its batch axis:

# %%
for bad_input in (tf.zeros((1, 5, 5, 3)), np.zeros((5, 5, 3))):
    try:
        conv_forward(bad_input, np.zeros((3, 3, 3, 2)), np.zeros((1, 1, 1, 2)), {"stride": 1, "pad": 0})
    except (TypeError, ValueError) as err:
        print(f"{type(err).__name__}: {err}")

# %% [markdown]
# ### A filter sliding over an image
#
# Here is your `conv_forward` on a tiny one-channel image: a bright vertical band on a dark
# background, and a filter that responds to a change from bright (left) to dark (right). Each
# row of the figure shows one position of the filter: the window it covers (red frame), the
# filter, and the output pixel that window gives (red: positive, blue: negative). Where the
# whole window lies on a flat region the products cancel and the output is 0; on the band's
# right edge (bright to dark) it is large and positive, on its left edge large and negative.

# %%
band = np.zeros((1, 6, 7, 1))
band[0, :, 2:4, 0] = 10.0
edge_filter = np.array([[1.0, 0.0, -1.0]] * 3)[:, :, np.newaxis, np.newaxis]  # (3, 3, 1, 1)
Z_band, _ = conv_forward(band, edge_filter, np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0})
print("input", band.shape, "-> output", Z_band.shape)
fig = conv_figures.plot_sliding_window(band[0, :, :, 0], edge_filter[:, :, 0, 0], Z_band[0, :, :, 0],
                                       stride=1, positions=[(0, 0), (1, 2), (2, 3)])
plt.show()

# %% [markdown]
# The same filter with stride 2 and padding 1: the image gets a border of zeros first, and the
# filter visits every other position of the padded image.

# %%
Z_band2, _ = conv_forward(band, edge_filter, np.zeros((1, 1, 1, 1)), {"stride": 2, "pad": 1})
print("stride 2, pad 1: output", Z_band2.shape)
fig = conv_figures.plot_sliding_window(zero_pad(band, 1)[0, :, :, 0], edge_filter[:, :, 0, 0],
                                       Z_band2[0, :, :, 0], stride=2, positions=[(0, 1), (1, 2)])
plt.show()

# %% [markdown]
# **Why so few parameters?** A convolution layer with `n_C` filters of `f_h × f_w` over
# `n_C_prev` channels has `f_h · f_w · n_C_prev · n_C` weights and `n_C` biases, whatever
# the size of the image: the same filter is used at every position. A dense layer between
# images of the same sizes would need one weight per pair of input and output pixels.

# %%
n_C_prev, n_C, f, side = 3, 16, 3, 64
conv_params = f * f * n_C_prev * n_C + n_C
dense_params = (side * side * n_C_prev) * (side * side * n_C) + side * side * n_C
print(f"convolution, {n_C} filters of {f}x{f} over {n_C_prev} channels: {conv_params:,} parameters")
print(f"dense layer between the same {side}x{side} images:        {dense_params:,} parameters")

# %% [markdown]
# ## 3. Pooling
#
# A **pooling layer** shrinks the image by summarising each window of `f × f` pixels, channel
# by channel, with its maximum (**max pooling**) or its mean (**average pooling**). It has no
# parameters to learn, only the hyperparameters `f` and `stride`, and it usually has no
# padding, so
#
# $$n_H = \Bigl\lfloor \frac{n_{H,prev} - f}{stride} \Bigr\rfloor + 1, \qquad
# n_W = \Bigl\lfloor \frac{n_{W,prev} - f}{stride} \Bigr\rfloor + 1, \qquad n_C = n_{C,prev}.$$
#
# Max pooling keeps whether a feature was found somewhere in the window, not exactly where,
# which makes the network a little less sensitive to small shifts of the image.
#
# **Exercise 4, `pool_forward`** (about 12 lines). Loop over the images, the output rows and
# the output columns; take the window `A_prev[i, vert_start:vert_end, horiz_start:horiz_end, :]`
# (all channels at once) and reduce it over its two spatial axes (`axis=(0, 1)`) with
# `np.max` or `np.mean`, according to `mode`: the result has one value per channel. The given
# lines check the input and the mode.

# %%
def pool_forward(A_prev, hparameters, mode="max"):
    """Max or average pooling of A_prev (m, n_H_prev, n_W_prev, n_C) over windows of f x f.

    hparameters: {"f": int, "stride": int}. Returns A (m, n_H, n_W, n_C) and cache = (A_prev, hparameters).
    """
    require_images(A_prev)
    if mode not in ("max", "average"):
        raise ValueError(f'mode should be "max" or "average", got {mode!r}')
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    ### BEGIN SOLUTION
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C_prev))
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, :]
                if mode == "max":
                    A[i, h, w, :] = np.max(a_prev_slice, axis=(0, 1))
                else:
                    A[i, h, w, :] = np.mean(a_prev_slice, axis=(0, 1))
    ### END SOLUTION
    cache = (A_prev, hparameters)
    return A, cache


# %%
check.pool_forward(pool_forward)

# %%
A_demo = rng.integers(-9, 10, size=(1, 4, 4, 1)).astype(float)
print("input (one channel):\n", A_demo[0, :, :, 0])
for mode in ("max", "average"):
    A_out, _ = pool_forward(A_demo, {"f": 2, "stride": 2}, mode=mode)
    print(f"{mode} pooling, f=2, stride=2:\n", A_out[0, :, :, 0])

# %% [markdown]
# ## 4. The backward pass
#
# Deep-learning frameworks compute these gradients for you; writing them once shows where
# they come from. The backward pass receives the gradient of the cost with respect to the
# layer's output and returns the gradients with respect to its input and its parameters.
#
# ### 4.1 Backward through a convolution
#
# Every output pixel was $Z_{i,h,w,c} = \sum W_{\cdot,\cdot,\cdot,c} \odot
# \text{window}_{i,h,w} + b_c$. So, for the upstream gradient `dZ` (same shape as `Z`):
#
# - each window of the padded input receives `W[:, :, :, c] * dZ[i, h, w, c]`, added to what
#   it already holds: a pixel lies in several windows and collects the gradient of each;
#
#   $$dA_{prev}[\text{window}_{i,h,w}] \mathrel{+}= \sum_c W_{\cdot,\cdot,\cdot,c}\; dZ_{i,h,w,c}$$
#
# - filter `c` receives each window times its gradient, summed over **all** images and
#   positions: $dW_{\cdot,\cdot,\cdot,c} = \sum_{i,h,w} \text{window}_{i,h,w}\; dZ_{i,h,w,c}$;
# - bias `c` receives the sum of its gradients: $db_c = \sum_{i,h,w} dZ_{i,h,w,c}$.
#
# **Exercise 5, `conv_backward`** (about 20 lines). Use the same four loops as `conv_forward`.
# Start `dA_prev`, `dW` and `db` at zeros of the shapes of `A_prev`, `W` and `b`; pad both
# `A_prev` and `dA_prev` (the gradient is accumulated on the padded image); at the end of
# each image, copy the un-padded part back: `dA_prev[i] = da_prev_pad[pad:pad + n_H_prev,
# pad:pad + n_W_prev, :]`. (Beware of the shorter `[pad:-pad]`: with `pad = 0` it is an
# empty slice.)

# %%
def conv_backward(dZ, cache):
    """Gradients of a convolution layer: dA_prev (like A_prev), dW (like W), db (like b).

    dZ: the gradient of the cost with respect to Z, (m, n_H, n_W, n_C); cache: conv_forward's (A_prev, W, b, hparameters).
    """
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f_h, f_w, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape
    ### BEGIN SOLUTION
    dA_prev = np.zeros(A_prev.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = zero_pad(dA_prev, pad)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        da_prev_pad = dA_prev_pad[i]
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f_h
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f_w
                a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                for c in range(n_C):
                    da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
        dA_prev[i] = da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    ### END SOLUTION
    return dA_prev, dW, db


# %%
check.conv_backward(conv_backward)

# %% [markdown]
# ### 4.2 Backward through max pooling
#
# Max pooling passed on one value per window, the largest; the others had no effect on the
# output, so they get no gradient. The whole gradient of an output pixel goes to the input
# pixel that was the maximum of its window. A **mask** marks that pixel.
#
# **Ties.** When two pixels of a window share the largest value, the maximum is still one
# number, and its gradient must be given out once, not once per tied pixel: a mask with two
# `True` entries would double the gradient. We follow TensorFlow's rule: the gradient goes to
# the **first** maximum in reading order (row by row, left to right), which is what
# `np.argmax` returns on the flattened window. So `x == np.max(x)` is right only when the
# maximum is unique.
#
# **Exercise 6, `create_mask_from_window`** (2 or 3 lines). For a 2-D window `x` of shape
# `(f_h, f_w)`, return a boolean array of the same shape, `True` at the first maximum only.
# `np.unravel_index(np.argmax(x), x.shape)` gives its row and column.

# %%
def create_mask_from_window(x):
    """Boolean mask of x's shape, True at the first maximum of x (reading order), False elsewhere."""
    ### BEGIN SOLUTION
    mask = np.zeros(x.shape, dtype=bool)
    mask[np.unravel_index(np.argmax(x), x.shape)] = True
    ### END SOLUTION
    return mask


# %%
check.create_mask_from_window(create_mask_from_window)

# %%
window = np.array([[1.0, 3.0], [3.0, -2.0]])
print("window:\n", window)
print("x == np.max(x) (both tied maxima):\n", window == np.max(window))
print("create_mask_from_window (the first one):\n", create_mask_from_window(window))

# %% [markdown]
# ### 4.3 Backward through average pooling
#
# In average pooling every pixel of the window contributed equally, `1 / (f_h f_w)` of the
# output, so each receives that share of the output's gradient.
#
# **Exercise 7, `distribute_value`** (2 lines). Return an array of shape `shape` =
# `(n_H, n_W)` whose every entry is `dz / (n_H * n_W)`: the entries add up to `dz`.

# %%
def distribute_value(dz, shape):
    """An array of the given 2-D shape whose entries are all dz / (n_H * n_W)."""
    ### BEGIN SOLUTION
    (n_H, n_W) = shape
    a = np.full(shape, dz / (n_H * n_W))
    ### END SOLUTION
    return a


# %%
check.distribute_value(distribute_value)

# %% [markdown]
# ### 4.4 The whole pooling layer, backward
#
# **Exercise 8, `pool_backward`** (about 15 lines). Start `dA_prev` at zeros of `A_prev`'s
# shape, and loop over the images, the output rows, the output columns and the channels:
#
# - `"max"`: take the window of channel `c` of `A_prev`, make its mask, and **add**
#   `mask * dA[i, h, w, c]` into the same window of `dA_prev`;
# - `"average"`: **add** `distribute_value(dA[i, h, w, c], (f, f))` into that window.
#
# Add (`+=`), do not assign: when the stride is smaller than `f` the windows overlap, and a
# pixel then collects gradient from several outputs.

# %%
def pool_backward(dA, cache, mode="max"):
    """Gradient of a pooling layer with respect to its input: dA_prev, of A_prev's shape.

    dA: the gradient with respect to the pooling's output (m, n_H, n_W, n_C); cache: pool_forward's (A_prev, hparameters).
    """
    (A_prev, hparameters) = cache
    if mode not in ("max", "average"):
        raise ValueError(f'mode should be "max" or "average", got {mode!r}')
    stride = hparameters["stride"]
    f = hparameters["f"]
    (m, n_H, n_W, n_C) = dA.shape
    ### BEGIN SOLUTION
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):
                    if mode == "max":
                        a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
                        mask = create_mask_from_window(a_prev_slice)
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += distribute_value(
                            dA[i, h, w, c], (f, f))
    ### END SOLUTION
    return dA_prev


# %%
check.pool_backward(pool_backward)

# %% [markdown]
# ## 5. Vectorized: a convolution as one matrix product
#
# The four loops of `conv_forward` run `m · n_H · n_W · n_C` small steps in Python, which is
# slow. The trick that fast libraries use is called **im2col** ("image to columns"): copy
# every window of the padded input into one row of a big matrix, so that the whole
# convolution becomes a single matrix product, which NumPy hands to an optimised BLAS
# library.
#
# NumPy builds the windows without any copy: `sliding_window_view(A_prev_pad, (f_h, f_w),
# axis=(1, 2))` is a view of shape `(m, n_H_pad - f_h + 1, n_W_pad - f_w + 1, n_C_prev, f_h,
# f_w)`, whose entry `[i, h, w]` is the window starting at row `h` and column `w` (note that
# the window's own axes come last). Keeping every `stride`-th window, `[:, ::stride,
# ::stride]`, gives exactly `n_H × n_W` windows.
#
# Then:
#
# 1. move the window's axes before the channels, `.transpose(0, 1, 2, 4, 5, 3)`, so that each
#    window reads in the order `(f_h, f_w, n_C_prev)`, the order of `W`'s first three axes;
# 2. reshape to a matrix `cols` of shape `(m · n_H · n_W, f_h · f_w · n_C_prev)`: one row
#    per window (this is where the copy happens);
# 3. `cols @ W.reshape(f_h · f_w · n_C_prev, n_C)` gives one row per window and one column
#    per filter; reshape it to `(m, n_H, n_W, n_C)` and add `b`.
#
# **Exercise 9, `conv_forward_vectorized`** (about 7 lines, no loop). Same arguments, same
# result and same cache as `conv_forward`. The check also counts the lines of your code that
# run on one batch: a loop over the windows runs thousands, a vectorized version a few dozen.

# %%
def conv_forward_vectorized(A_prev, W, b, hparameters):
    """conv_forward without loops (im2col): Z (m, n_H, n_W, n_C) and cache = (A_prev, W, b, hparameters)."""
    require_conv_parameters(A_prev, W, b)
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f_h, f_w, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    ### BEGIN SOLUTION
    n_H = (n_H_prev + 2 * pad - f_h) // stride + 1
    n_W = (n_W_prev + 2 * pad - f_w) // stride + 1
    windows = sliding_window_view(zero_pad(A_prev, pad), (f_h, f_w), axis=(1, 2))[:, ::stride, ::stride]
    cols = windows.transpose(0, 1, 2, 4, 5, 3).reshape(m * n_H * n_W, f_h * f_w * n_C_prev)
    Z = (cols @ W.reshape(f_h * f_w * n_C_prev, n_C)).reshape(m, n_H, n_W, n_C) + b
    ### END SOLUTION
    cache = (A_prev, W, b, hparameters)
    return Z, cache


# %%
check.conv_forward_vectorized(conv_forward_vectorized)

# %% [markdown]
# **The backward pass, vectorized.** With the same `cols` and `dZ` reshaped to one row per
# window, `dZ2 = dZ.reshape(m · n_H · n_W, n_C)`:
#
# - `dW` is `cols.T @ dZ2`, of shape `(f_h · f_w · n_C_prev, n_C)`: reshape it to `W.shape`
#   (the rows are in `W`'s order, thanks to the transpose);
# - `db` is `dZ` summed over the images, the rows and the columns (axes 0, 1 and 2), reshaped
#   to `(1, 1, 1, n_C)`;
# - `dcols = dZ2 @ W.reshape(f_h · f_w · n_C_prev, n_C).T` holds the gradient of every window,
#   one row per window; reshape it to `(m, n_H, n_W, f_h, f_w, n_C_prev)`. Now put the windows
#   back where they came from ("col2im"): for each position `(r, s)` of the filter (a loop of
#   only `f_h · f_w` steps), the gradient of window `(h, w)` at `(r, s)` belongs to the padded
#   pixel `(h · stride + r, w · stride + s)`, so
#
#   `dA_prev_pad[:, r:r + stride * (n_H - 1) + 1:stride, s:s + stride * (n_W - 1) + 1:stride, :] += dcols[:, :, :, r, s, :]`
#
#   adds all of them at once. Windows overlap, so add (`+=`); finally cut the padding off.
#
# **Exercise 10, `conv_backward_vectorized`** (about 12 lines; the only loops run over the
# filter's `f_h × f_w` positions). Same arguments and results as `conv_backward`.

# %%
def conv_backward_vectorized(dZ, cache):
    """conv_backward with matrix products: dA_prev (like A_prev), dW (like W), db (like b)."""
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f_h, f_w, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape
    ### BEGIN SOLUTION
    A_prev_pad = zero_pad(A_prev, pad)
    windows = sliding_window_view(A_prev_pad, (f_h, f_w), axis=(1, 2))[:, ::stride, ::stride]
    cols = windows.transpose(0, 1, 2, 4, 5, 3).reshape(m * n_H * n_W, f_h * f_w * n_C_prev)
    dZ2 = dZ.reshape(m * n_H * n_W, n_C)
    W2 = W.reshape(f_h * f_w * n_C_prev, n_C)
    dW = (cols.T @ dZ2).reshape(W.shape)
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    dcols = (dZ2 @ W2.T).reshape(m, n_H, n_W, f_h, f_w, n_C_prev)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for r in range(f_h):
        for s in range(f_w):
            dA_prev_pad[:, r:r + stride * (n_H - 1) + 1:stride, s:s + stride * (n_W - 1) + 1:stride, :] += dcols[:, :, :, r, s, :]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    ### END SOLUTION
    return dA_prev, dW, db


# %%
check.conv_backward_vectorized(conv_backward_vectorized)

# %% [markdown]
# **Exercise 11, `pool_forward_vectorized`** (about 5 lines, no loop). Pooling is simpler
# still: take the windows of `A_prev` (no padding) with `sliding_window_view` over axes 1 and
# 2, keep every `stride`-th, and reduce over the window's own axes, the last two
# (`axis=(-2, -1)`), with `np.max` or `np.mean`.

# %%
def pool_forward_vectorized(A_prev, hparameters, mode="max"):
    """pool_forward without loops: A (m, n_H, n_W, n_C) and cache = (A_prev, hparameters)."""
    require_images(A_prev)
    if mode not in ("max", "average"):
        raise ValueError(f'mode should be "max" or "average", got {mode!r}')
    f = hparameters["f"]
    stride = hparameters["stride"]
    ### BEGIN SOLUTION
    windows = sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    A = windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))
    ### END SOLUTION
    cache = (A_prev, hparameters)
    return A, cache


# %%
check.pool_forward_vectorized(pool_forward_vectorized)

# %% [markdown]
# ## 6. How much faster? A benchmark
#
# All three methods now get the same batch: `bench_images` images of 32×32 pixels with 8
# channels, 16 filters of 3×3, stride 1, padding 1, in float32 (TensorFlow's usual type).
# `tf.nn.conv2d` takes the padding as explicit `[before, after]` pairs per axis, in the
# same NHWC layout. Each method is timed `repeats` times and the best run is kept (the
# others are slowed by whatever else the computer was doing). The loops would take a long
# time on the whole batch, so they are timed on `loop_images` images only, and their time is
# scaled to the batch: the work grows in proportion to the number of images. The table says
# which rows were scaled.
#
# First, the three must agree:

# %%
bench_rng = np.random.default_rng(2)
A_bench = bench_rng.normal(size=(bench_images, 32, 32, 8)).astype(np.float32)
W_bench = bench_rng.normal(0, 0.2, size=(3, 3, 8, 16)).astype(np.float32)
b_bench = bench_rng.normal(size=(1, 1, 1, 16)).astype(np.float32)
hp_bench = {"stride": 1, "pad": 1}
A_tf, W_tf = tf.constant(A_bench), tf.constant(W_bench)


def tf_conv():
    return tf.nn.conv2d(A_tf, W_tf, strides=1, padding=[[0, 0], [1, 1], [1, 1], [0, 0]]) + b_bench


Z_loops, _ = conv_forward(A_bench[:loop_images], W_bench, b_bench, hp_bench)
Z_vec, _ = conv_forward_vectorized(A_bench, W_bench, b_bench, hp_bench)
Z_tf = tf_conv().numpy()
print("largest difference, loops vs tf.nn.conv2d:     ", np.max(np.abs(Z_loops - Z_tf[:loop_images])))
print("largest difference, vectorized vs tf.nn.conv2d:", np.max(np.abs(Z_vec - Z_tf)))

# %%
print(f"timing {repeats} runs of each (the loops take a few seconds) ...")
timings = [
    conv_benchmark.time_method("loops (conv_forward)", lambda: conv_forward(A_bench[:loop_images], W_bench, b_bench, hp_bench),
                               images=loop_images, repeats=repeats),
    conv_benchmark.time_method("vectorized (im2col)", lambda: conv_forward_vectorized(A_bench, W_bench, b_bench, hp_bench),
                               images=bench_images, repeats=repeats),
    conv_benchmark.time_method("tf.nn.conv2d", tf_conv, images=bench_images, repeats=repeats),
]
loops_t, vec_t, tf_t = timings
speedup = conv_benchmark.ratio("speed-up of the vectorized version over the loops", loops_t, vec_t,
                               target=100, higher_is_better=True)
to_tf = conv_benchmark.ratio("vectorized time / tf.nn.conv2d time", vec_t, tf_t, target=3, higher_is_better=False)
print(conv_benchmark.format_table(timings, batch=bench_images, ratios=[speedup, to_tf]))

# %% [markdown]
# The loops spend nearly all their time in the Python interpreter, not in arithmetic:
# every one of the many small steps pays for a function call, a slice and a tiny NumPy
# operation. The vectorized version does the same arithmetic in a handful of large NumPy
# operations. `tf.nn.conv2d` goes further still: it calls convolution kernels written in C++
# (on most CPUs, those of Intel's oneDNN library), which work block by block so that the data
# stay in the processor's caches, and can use several cores at once.
#
# The headline of this notebook is how close your NumPy version comes to TensorFlow's:
# its time divided by `tf.nn.conv2d`'s, on the same batch, with a target of at most 3.

# %%
met = headline("vectorized conv_forward time / tf.nn.conv2d time", to_tf.value, target=3, higher_is_better=False)

# %% [markdown]
# ## 7. Filters you can see: hand-made filters on a photo
#
# In a trained network the filters are learned, but the first layer's filters often end up
# looking like the classic ones of image processing, which you can write down by hand. Here
# are four, applied with your `conv_forward_vectorized` to a photo of a cat (scikit-image's
# "chelsea", in grey):
#
# - **vertical edges** (a Sobel filter): positive where the image gets darker from left to
#   right, negative where it gets brighter, zero on flat regions;
# - **horizontal edges**: the same filter turned by a quarter turn;
# - **blur**: a 7×7 average, every weight equal, which smooths the fur into a soft image;
# - **sharpen**: the pixel, plus the difference between it and its neighbours.
#
# Each filter is applied with `pad = f // 2` and stride 1, so the output keeps the photo's
# size. The small square in a corner of each panel shows the filter (red positive, blue
# negative).

# %%
photo = samples.image("chelsea.jpg").astype(np.float64).mean(axis=2) / 255.0  # grey, in [0, 1]
photo_batch = photo[np.newaxis, :, :, np.newaxis]  # (1, H, W, 1)
sobel = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
hand_filters = {
    "vertical edges": sobel,
    "horizontal edges": sobel.T,
    "blur": np.full((7, 7), 1 / 49),
    "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
}
responses = {}
for name, k in hand_filters.items():
    Z_photo, _ = conv_forward_vectorized(photo_batch, k[:, :, np.newaxis, np.newaxis], np.zeros((1, 1, 1, 1)),
                                         {"stride": 1, "pad": k.shape[0] // 2})
    responses[name] = Z_photo[0, :, :, 0]
print("photo", photo.shape, "->", {name: r.shape for name, r in responses.items()})
fig = conv_figures.show_filter_responses(photo, responses, kernels=hand_filters)
plt.show()

# %% [markdown]
# A network stacks such layers, with pooling between them. After a vertical-edge filter and a
# ReLU (keep the positive part), 4×4 max pooling keeps, for every block of 16 pixels,
# whether a dark-to-the-right edge was found in it: a smaller image, a quarter of the size
# in each direction, that still shows where the edges are.

# %%
edges = np.maximum(responses["vertical edges"], 0)[np.newaxis, :, :, np.newaxis]
pooled, _ = pool_forward_vectorized(edges, {"f": 4, "stride": 4}, mode="max")
print("after ReLU", edges.shape, "-> after 4x4 max pooling", pooled.shape)
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
axes[0].imshow(edges[0, :, :, 0], cmap="gray")
axes[0].set_title("vertical edges after ReLU")
axes[1].imshow(pooled[0, :, :, 0], cmap="gray")
axes[1].set_title("then 4x4 max pooling, stride 4")
for ax in axes:
    ax.axis("off")
plt.show()

# %% [markdown]
# ## What you have learned
#
# - A convolution slides small filters, as deep as their input, over the image; the output
#   size is $\lfloor (n + 2\,pad - f)/stride \rfloor + 1$ along each axis. Zero padding keeps
#   the borders, the stride skips positions. The same weights at every position make the
#   layer small and let it find a pattern wherever it is.
# - Pooling summarises each window by its maximum or mean, channel by channel, and has
#   nothing to learn.
# - Backward, each input pixel collects the gradient of every window it was part of; `dW`
#   and `db` add up over all images and positions. Max pooling sends an output's gradient to
#   one pixel, the first maximum of its window; average pooling spreads it evenly.
# - im2col turns the whole convolution into one matrix product, which is why convolutional
#   networks run fast, and why libraries such as TensorFlow go further still with kernels of
#   their own. In the next notebook you will build a convolutional network with Keras's
#   `Conv2D` and `MaxPooling2D`, which do exactly what you wrote here.

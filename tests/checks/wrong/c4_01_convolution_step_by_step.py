"""Plausible mistakes for course4_cnn/01_convolution_step_by_step.

Layout: channels last, A_prev (m, n_H_prev, n_W_prev, n_C_prev), W (f_h, f_w, n_C_prev, n_C),
b (1, 1, 1, n_C); caches (A_prev, W, b, hparameters) and (A_prev, hparameters).
"""

import numpy as np
import tensorflow as tf

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- zero_pad -----------------------------------------------------------------------------------

edit = wrong.edits("zero_pad")
edit(
    "zero_pad_every_axis",
    'np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)',
    "np.pad(X, pad)",
    expect="np.pad(X, pad) pads every axis",
)
edit(
    "zero_pad_batch_axis",
    "((0, 0), (pad, pad), (pad, pad), (0, 0))",
    "((pad, pad), (pad, pad), (pad, pad), (0, 0))",
    expect="You padded the batch axis too",
)
edit(
    "zero_pad_channels",
    "((0, 0), (pad, pad), (pad, pad), (0, 0))",
    "((0, 0), (pad, pad), (pad, pad), (pad, pad))",
    expect="You padded the channels too",
)
edit(
    "zero_pad_one_side",
    "((0, 0), (pad, pad), (pad, pad), (0, 0))",
    "((0, 0), (0, pad), (0, pad), (0, 0))",
    expect="Pad both sides of the rows and columns",
)
edit(
    "zero_pad_edge",
    'mode="constant", constant_values=0',
    'mode="edge"',
    expect="not with copies of the border",
)
edit(
    "zero_pad_tensorflow",
    'np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)',
    "tf.pad(X, [[0, 0], [pad, pad], [pad, pad], [0, 0]])",
    expect="X_pad is a TensorFlow tensor",
)

# ----- conv_single_step ---------------------------------------------------------------------------

edit = wrong.edits("conv_single_step")
edit("conv_single_step_no_bias", " + b.item()", "", expect="The bias is missing")
edit(
    "conv_single_step_bias_everywhere",
    "float(np.sum(a_slice_prev * W)) + b.item()",
    "float(np.sum(a_slice_prev * W + b.item()))",
    expect="You added b to every product before summing",
)
edit(
    "conv_single_step_mean",
    "np.sum(a_slice_prev * W)",
    "np.mean(a_slice_prev * W)",
    expect="That is the mean",
)
edit(
    "conv_single_step_sum_one_axis",
    "float(np.sum(a_slice_prev * W)) + b.item()",
    "np.sum(a_slice_prev * W, axis=2) + b.item()",
    expect="Sum over every axis of the product",
)

# ----- conv_forward -------------------------------------------------------------------------------

edit = wrong.edits("conv_forward")
edit(
    "conv_forward_no_plus_one",
    [
        ("n_H = (n_H_prev + 2 * pad - f_h) // stride + 1", "n_H = (n_H_prev + 2 * pad - f_h) // stride"),
        ("n_W = (n_W_prev + 2 * pad - f_w) // stride + 1", "n_W = (n_W_prev + 2 * pad - f_w) // stride"),
    ],
    expect="the + 1 is missing",
)
edit(
    "conv_forward_size_without_pad",
    [
        ("n_H = (n_H_prev + 2 * pad - f_h)", "n_H = (n_H_prev - f_h)"),
        ("n_W = (n_W_prev + 2 * pad - f_w)", "n_W = (n_W_prev - f_w)"),
    ],
    expect="The output size must count the padding",
)
edit(
    "conv_forward_ceil",
    [
        (
            "n_H = (n_H_prev + 2 * pad - f_h) // stride + 1",
            "n_H = int(np.ceil((n_H_prev + 2 * pad - f_h) / stride)) + 1",
        ),
        (
            "n_W = (n_W_prev + 2 * pad - f_w) // stride + 1",
            "n_W = int(np.ceil((n_W_prev + 2 * pad - f_w) / stride)) + 1",
        ),
    ],
    expect="A window that sticks out of the padded image comes out smaller",
)
edit(
    "conv_forward_stride_ignored",
    [("vert_start = h * stride", "vert_start = h"), ("horiz_start = w * stride", "horiz_start = w")],
    expect="The windows ignore the stride",
)
edit(
    "conv_forward_no_bias",
    "conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])",
    "np.sum(a_slice_prev * W[:, :, :, c])",
    expect="The bias is missing",
)
edit(
    "conv_forward_bias_of_filter_0",
    "b[:, :, :, c])",
    "b[:, :, :, 0])",
    expect="Every filter got the bias of filter 0",
)
edit(
    "conv_forward_flipped_filter",
    "W[:, :, :, c], b[:, :, :, c]",
    "W[::-1, ::-1, :, c], b[:, :, :, c]",
    expect="The filter is flipped",
)
edit(
    "conv_forward_sizes_swapped",
    [
        ("n_H = (n_H_prev + 2 * pad - f_h)", "n_H = (n_H_prev + 2 * pad - f_w)"),
        ("n_W = (n_W_prev + 2 * pad - f_w)", "n_W = (n_W_prev + 2 * pad - f_h)"),
    ],
    expect="The window and the filter have different shapes",
)
edit(
    "conv_forward_caches_padded",
    [
        ("A_prev_pad = zero_pad(A_prev, pad)", "A_prev = zero_pad(A_prev, pad)"),
        ("a_prev_pad = A_prev_pad[i]", "a_prev_pad = A_prev[i]"),
    ],
    expect="not its padded copy",
)


@wrong("conv_forward", expect="Z is a TensorFlow tensor")
def conv_forward_with_tensorflow(A_prev, W, b, hparameters):
    p = hparameters["pad"]
    Z = tf.nn.conv2d(A_prev, W, strides=hparameters["stride"], padding=[[0, 0], [p, p], [p, p], [0, 0]]) + b
    return Z, (A_prev, W, b, hparameters)


# ----- pool_forward -------------------------------------------------------------------------------

edit = wrong.edits("pool_forward")
edit(
    "pool_forward_mode_ignored",
    "                else:\n                    A[i, h, w, :] = np.mean(a_prev_slice, axis=(0, 1))\n",
    "                else:\n                    A[i, h, w, :] = np.max(a_prev_slice, axis=(0, 1))\n",
    expect="That is max pooling",
)
edit(
    "pool_forward_max_over_channels",
    "np.max(a_prev_slice, axis=(0, 1))",
    "np.max(a_prev_slice)",
    expect="You took the maximum over the channels too",
)
edit(
    "pool_forward_divides_by_f",
    "np.mean(a_prev_slice, axis=(0, 1))",
    "np.sum(a_prev_slice, axis=(0, 1)) / f",
    expect="that is the sum divided by f",
)
edit(
    "pool_forward_stride_ignored",
    [("vert_start = h * stride", "vert_start = h"), ("horiz_start = w * stride", "horiz_start = w")],
    expect="The windows ignore the stride",
)
edit(
    "pool_forward_no_plus_one",
    [
        ("n_H = (n_H_prev - f) // stride + 1", "n_H = (n_H_prev - f) // stride"),
        ("n_W = (n_W_prev - f) // stride + 1", "n_W = (n_W_prev - f) // stride"),
    ],
    expect="the + 1 is missing",
)

# ----- conv_backward ------------------------------------------------------------------------------

edit = wrong.edits("conv_backward")
edit(
    "conv_backward_dW_per_example",
    [
        ("    dW = np.zeros(W.shape)\n", ""),
        (
            "        da_prev_pad = dA_prev_pad[i]\n",
            "        da_prev_pad = dA_prev_pad[i]\n        dW = np.zeros(W.shape)\n",
        ),
    ],
    expect="dW holds the last image's gradient only",
)
edit(
    "conv_backward_db_all_filters",
    "db[:, :, :, c] += dZ[i, h, w, c]",
    "db += dZ[i, h, w, c]",
    expect="every channel of yours got the sum over all filters",
)
edit(
    "conv_backward_not_unpadded",
    [
        ("        dA_prev[i] = da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]\n", ""),
        ("    ### END SOLUTION", "    dA_prev = dA_prev_pad\n    ### END SOLUTION"),
    ],
    expect="dA_prev still has its padding",
)
edit(
    "conv_backward_minus_pad_slice",
    "da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
    "da_prev_pad[pad:-pad, pad:-pad, :]",
    expect="[pad:-pad] is the empty slice",
)
edit(
    "conv_backward_dA_from_window",
    "+= W[:, :, :, c] * dZ[i, h, w, c]",
    "+= a_slice * dZ[i, h, w, c]",
    expect="dA_prev is wrong",
)

# ----- create_mask_from_window --------------------------------------------------------------------

edit = wrong.edits("create_mask_from_window")
edit(
    "create_mask_all_maxima",
    [
        ("    mask = np.zeros(x.shape, dtype=bool)\n", ""),
        ("mask[np.unravel_index(np.argmax(x), x.shape)] = True", "mask = x == np.max(x)"),
    ],
    expect="entries tie for the maximum here, and your mask marks all of them",
)
edit(
    "create_mask_column_max",
    [
        ("    mask = np.zeros(x.shape, dtype=bool)\n", ""),
        ("mask[np.unravel_index(np.argmax(x), x.shape)] = True", "mask = x == np.max(x, axis=0)"),
    ],
    expect="not the maximum of each column",
)
edit(
    "create_mask_argmax_index",
    [
        ("    mask = np.zeros(x.shape, dtype=bool)\n", ""),
        ("mask[np.unravel_index(np.argmax(x), x.shape)] = True", "mask = np.argmax(x)"),
    ],
    expect="np.argmax gives the position of the maximum, not a mask",
)


@wrong("create_mask_from_window", expect="Your mask marks the last of the tied maxima")
def create_mask_last_max(x):  # a loop that keeps the latest maximum seen (>= instead of >)
    best, where = -np.inf, (0, 0)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if x[i, j] >= best:
                best, where = x[i, j], (i, j)
    mask = np.zeros(x.shape, dtype=bool)
    mask[where] = True
    return mask


# ----- distribute_value ---------------------------------------------------------------------------

edit = wrong.edits("distribute_value")
edit(
    "distribute_value_undivided",
    "full(shape, dz / (n_H * n_W))",
    "full(shape, dz)",
    expect="Every entry got the whole of dz",
)
edit(
    "distribute_value_sum_of_sizes",
    "full(shape, dz / (n_H * n_W))",
    "full(shape, dz / (n_H + n_W))",
    expect="not n_H + n_W",
)
edit(
    "distribute_value_rows_only",
    "full(shape, dz / (n_H * n_W))",
    "full(shape, dz / n_H)",
    expect="not by n_H alone",
)
edit(
    "distribute_value_scalar",
    "a = np.full(shape, dz / (n_H * n_W))",
    "a = dz / (n_H * n_W)",
    expect="Return the whole window of shares",
)

# ----- pool_backward ------------------------------------------------------------------------------

edit = wrong.edits("pool_backward")
edit(
    "pool_backward_assigns",
    [
        ("c] += mask * dA[i, h, w, c]", "c] = mask * dA[i, h, w, c]"),
        ("c] += distribute_value(", "c] = distribute_value("),
    ],
    expect="do not overwrite what an earlier window put there",
)
edit(
    "pool_backward_average_as_max",
    '                    if mode == "max":\n',
    "                    if True:\n",
    expect="That is the gradient of max pooling",
)
edit(
    "pool_backward_average_undivided",
    "distribute_value(\n                            dA[i, h, w, c], (f, f))",
    "dA[i, h, w, c]",
    expect="not the whole of dA: use distribute_value",
)
edit(
    "pool_backward_stride_ignored",
    [("vert_start = h * stride", "vert_start = h"), ("horiz_start = w * stride", "horiz_start = w")],
    expect="The windows ignore the stride",
)
edit(
    "pool_backward_all_tied_maxima",
    "mask = create_mask_from_window(a_prev_slice)",
    "mask = a_prev_slice == np.max(a_prev_slice)",
    expect="only the first gets the gradient",
)

# ----- conv_forward_vectorized --------------------------------------------------------------------

edit = wrong.edits("conv_forward_vectorized")
edit(
    "conv_forward_vectorized_no_transpose",
    "windows.transpose(0, 1, 2, 4, 5, 3).reshape",
    "windows.reshape",
    expect="list the window in different orders",
)
edit(
    "conv_forward_vectorized_stride_ignored",
    "[:, ::stride, ::stride]",
    "",
    expect="keep every stride-th one, sliding_window_view(...)[:, ::stride, ::stride]",
)
edit(
    "conv_forward_vectorized_no_bias",
    ".reshape(m, n_H, n_W, n_C) + b",
    ".reshape(m, n_H, n_W, n_C)",
    expect="The bias is missing",
)
edit(
    "conv_forward_vectorized_channels_first",
    ".reshape(m, n_H, n_W, n_C) + b",
    ".reshape(m, n_H, n_W, n_C).transpose(0, 3, 1, 2) + b.reshape(1, n_C, 1, 1)",
    expect="Your result looks channels-first (m, n_C, n_H, n_W)",
)
edit(
    "conv_forward_vectorized_flipped",
    "cols @ W.reshape(",
    "cols @ W[::-1, ::-1].reshape(",
    expect="The filter is flipped",
)


@wrong("conv_forward_vectorized", expect="lines of your code on")
def conv_forward_vectorized_loops(A_prev, W, b, hparameters):  # the loop version under the vectorized name
    return conv_forward(A_prev, W, b, hparameters)


# ----- conv_backward_vectorized -------------------------------------------------------------------

edit = wrong.edits("conv_backward_vectorized")
edit(
    "conv_backward_vectorized_db_axes",
    "db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)",
    "db = dZ.sum(axis=(1, 2, 3), keepdims=True)",
    expect="db has one entry per filter: sum dZ over the images, rows and columns",
)
edit(
    "conv_backward_vectorized_db_per_image",
    "db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)",
    "db = dZ.sum(axis=(1, 2), keepdims=True)",
    expect="db sums over the images too",
)
edit(
    "conv_backward_vectorized_dW_order",
    "dW = (cols.T @ dZ2).reshape(W.shape)",
    "dW = (dZ2.T @ cols).reshape(W.shape)",
    expect="reshaping it to W's shape mixes the filters up",
)
edit(
    "conv_backward_vectorized_assigns",
    ":stride, :] += dcols[:, :, :, r, s, :]",
    ":stride, :] = dcols[:, :, :, r, s, :]",
    expect="add (+=) in the col2im loop",
)
edit(
    "conv_backward_vectorized_not_unpadded",
    "dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
    "dA_prev = dA_prev_pad",
    expect="dA_prev still has its padding",
)


@wrong("conv_backward_vectorized", expect="lines of your code on")
def conv_backward_vectorized_loops(dZ, cache):
    return conv_backward(dZ, cache)


# ----- pool_forward_vectorized --------------------------------------------------------------------

edit = wrong.edits("pool_forward_vectorized")
edit(
    "pool_forward_vectorized_stride_ignored",
    "[:, ::stride, ::stride]",
    "",
    expect="That is the output for stride 1",
)
edit(
    "pool_forward_vectorized_mode_ignored",
    'windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))',
    "windows.max(axis=(-2, -1))",
    expect="That is max pooling",
)
edit(
    "pool_forward_vectorized_wrong_axes",
    'windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))',
    'windows.max(axis=(-3, -2, -1)) if mode == "max" else windows.mean(axis=(-3, -2, -1))',
    expect="has shape",
)


@wrong("pool_forward_vectorized", expect="lines of your code on")
def pool_forward_vectorized_loops(A_prev, hparameters, mode="max"):
    return pool_forward(A_prev, hparameters, mode)

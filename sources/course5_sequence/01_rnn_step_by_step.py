# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Recurrent networks, step by step
#     minutes: 1
#     fast:
#       longest: 40
#       timing_repeats: 2
# ---

# %% [markdown]
# # Recurrent networks, step by step
#
# **What you will build:** three recurrent cells in NumPy, each run over a whole batch of
# sequences at once: the plain RNN, the LSTM and the GRU, forward, and the backward pass
# (backpropagation through time) of the RNN and the LSTM. Every function is compared with
# Keras's own `SimpleRNN`, `LSTM` and `GRU` layers holding your weights, and every gradient
# with `tf.GradientTape`.
#
# **What you will learn:** how one cell, applied at every time step with the same weights,
# reads a sequence of any length; what the LSTM's forget, input and output gates and the
# GRU's reset and update gates compute; how the gradient flows back through time, and why
# it fades in a plain RNN while an open forget gate carries it across many steps; how your
# parameters map onto the weights of Keras's layers.
#
# **Time:** about 90 minutes of work; a full run of the notebook takes about a minute.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it. Each check runs your function on
# several sizes (one example, one time step, a hidden size unlike the input size) and names
# the case that went wrong, what was expected and what came back.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np

from shared_utils import headline
from shared_utils.checks import c5_01_rnn_step_by_step as check
from shared_utils.common import timing
from shared_utils.course5 import rnn_figures, rnn_keras_map, rnn_layout, rnn_params

# %% [markdown]
# Two activations are given: the logistic sigmoid (SciPy's `expit`, which never overflows)
# and the softmax over the first axis, the classes, for every example and step at once.

# %% tags=["setup"]
from scipy.special import expit


def sigmoid(z):
    """Element-wise 1 / (1 + exp(-z))."""
    return expit(z)


def softmax(z):
    """Softmax over axis 0 (the classes) of z (n_y, m): each column sums to 1."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


# %% tags=["parameters"]
# The longest sequence of the vanishing-gradient figure (section 6).
longest = 80
# Repeats of the timing of section 4 (the best is kept).
timing_repeats = 5

# %% [markdown]
# ## 0. The conventions of this notebook
#
# A recurrent network reads a sequence $x^{\langle 1\rangle}, \dots, x^{\langle T_x\rangle}$
# one step at a time. At step $t$ the cell combines the input $x^{\langle t\rangle}$ with its
# own previous state $a^{\langle t-1\rangle}$ into a new state $a^{\langle t\rangle}$, and
# may emit a prediction $\hat y^{\langle t\rangle}$. The same weights serve every step, which
# is why one cell handles sequences of any length.
#
# We follow the layout of the Deep Learning Specialization, Course 5: **features first,
# then examples, then time**. With $m$ sequences in the batch:
#
# | array | shape | what |
# |---|---|---|
# | `x` | `(n_x, m, T_x)` | the inputs; `x[:, :, t]` is step `t` for every example |
# | `xt` | `(n_x, m)` | one step of the input |
# | `a0`, `a_prev`, `a_next` | `(n_a, m)` | one hidden state per example |
# | `a` | `(n_a, m, T_x)` | the hidden state at every step |
# | `y_pred` | `(n_y, m, T_x)` | the softmax prediction at every step |
#
# Parameters are a dict of arrays; biases are columns, `(n, 1)`, broadcast over the examples.
# Each cell's exercise lists its own. Every forward function returns its outputs and then a
# cache, `(outputs..., cache)` for one step and `(outputs..., caches)` for a sequence, where
# `caches = (list_of_step_caches, x)`. Every backward function returns a dict of gradients
# named after what they are gradients of: `dx`, `da0`, `dWax`, ...
#
# Python counts from 0, so step $t$ of the equations ($t = 1 \dots T_x$) is index `t - 1` of
# the arrays; in the code, `t` runs over `range(T_x)`.
#
# Your functions work on the whole batch at once (one matrix product per step handles all
# $m$ examples); the only loop is the one over time, which cannot be avoided: step $t$ needs
# the state of step $t-1$.
#
# **Keras's layout is different.** Keras's recurrent layers read `(m, T_x, n_x)`, batch first
# and features last. An array in the wrong layout is a classic silent bug: the given helper
# `rnn_layout.sequence_dims(x, a0, parameters)`, called at the top of each sequence function,
# returns `(n_x, m, T_x, n_a, n_y)` and stops with a plain message if the time axis is in the
# wrong place:

# %%
demo_params = {"Wax": np.zeros((5, 3)), "Waa": np.zeros((5, 5)), "ba": np.zeros((5, 1)),
               "Wya": np.zeros((2, 5)), "by": np.zeros((2, 1))}
print("right layout:", rnn_layout.sequence_dims(np.zeros((3, 4, 7)), np.zeros((5, 4)), demo_params))
try:
    rnn_layout.sequence_dims(np.zeros((4, 7, 3)), np.zeros((5, 4)), demo_params)
except ValueError as error:
    print("Keras layout:", error)

# %% [markdown]
# ## 1. The plain RNN
#
# One step of the plain RNN:
#
# $$a^{\langle t\rangle} = \tanh\bigl(W_{aa}\, a^{\langle t-1\rangle} + W_{ax}\, x^{\langle t\rangle} + b_a\bigr),
# \qquad \hat y^{\langle t\rangle} = \operatorname{softmax}\bigl(W_{ya}\, a^{\langle t\rangle} + b_y\bigr)$$
#
# with `Wax` `(n_a, n_x)`, `Waa` `(n_a, n_a)`, `Wya` `(n_y, n_a)`, `ba` `(n_a, 1)` and `by`
# `(n_y, 1)`. Unrolled over time, the same cell (the same weights) is used at every step, its
# state handed from one step to the next:

# %%
fig = rnn_figures.unrolled(steps=4)
plt.show()

# %% [markdown]
# **Exercise 1, `rnn_cell_forward`** (4 lines). Compute `a_next` with `np.tanh`, then
# `yt_pred` with the given `softmax`. Return `a_next, yt_pred, cache` with
# `cache = (a_next, a_prev, xt, parameters)`: the backward pass reads it.

# %%
def rnn_cell_forward(xt, a_prev, parameters):
    """One RNN step for the whole batch: xt (n_x, m), a_prev (n_a, m) -> a_next (n_a, m), yt_pred (n_y, m)."""
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    ### BEGIN SOLUTION
    a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)
    yt_pred = softmax(Wya @ a_next + by)
    cache = (a_next, a_prev, xt, parameters)
    ### END SOLUTION
    return a_next, yt_pred, cache


# %%
check.rnn_cell_forward(rnn_cell_forward)

# %% [markdown]
# **Exercise 2, `rnn_forward`** (8 to 10 lines). Run the cell over the sequence:
#
# 1. create `a` and `y_pred` filled with zeros, of shapes `(n_a, m, T_x)` and `(n_y, m, T_x)`,
#    and an empty list `caches`;
# 2. start from `a_next = a0`; for every `t`, feed `x[:, :, t]` and the **previous step's**
#    state to `rnn_cell_forward`, store the new state in `a[:, :, t]`, the prediction in
#    `y_pred[:, :, t]`, and append the cache;
# 3. return `a, y_pred, caches` with `caches = (list_of_caches, x)`.

# %%
def rnn_forward(x, a0, parameters):
    """The RNN over x (n_x, m, T_x) from a0 (n_a, m): a (n_a, m, T_x), y_pred (n_y, m, T_x), caches."""
    n_x, m, T_x, n_a, n_y = rnn_layout.sequence_dims(x, a0, parameters)
    ### BEGIN SOLUTION
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    caches = (caches, x)
    ### END SOLUTION
    return a, y_pred, caches


# %%
check.rnn_forward(rnn_forward)

# %% [markdown]
# ## 2. The LSTM
#
# A plain RNN rewrites its whole state at every step, so what it saw long ago is soon
# overwritten. The long short-term memory cell (Hochreiter and Schmidhuber, 1997) keeps a
# second state, the **memory cell** $c^{\langle t\rangle}$, which it changes only as its gates
# allow. Each gate is a sigmoid, so between 0 (closed) and 1 (open), computed from the
# previous state and the input, here stacked into one column, the concatenation
# $[a^{\langle t-1\rangle}; x^{\langle t\rangle}]$ of shape `(n_a + n_x, m)`, **state on top**:
#
# $$\begin{aligned}
# \Gamma_f &= \sigma(W_f [a^{\langle t-1\rangle}; x^{\langle t\rangle}] + b_f) && \text{forget gate: how much of } c^{\langle t-1\rangle} \text{ to keep}\\
# \Gamma_i &= \sigma(W_i [a^{\langle t-1\rangle}; x^{\langle t\rangle}] + b_i) && \text{input (update) gate: how much of the candidate to write}\\
# \tilde c^{\langle t\rangle} &= \tanh(W_c [a^{\langle t-1\rangle}; x^{\langle t\rangle}] + b_c) && \text{the candidate memory}\\
# c^{\langle t\rangle} &= \Gamma_f \odot c^{\langle t-1\rangle} + \Gamma_i \odot \tilde c^{\langle t\rangle} && \\
# \Gamma_o &= \sigma(W_o [a^{\langle t-1\rangle}; x^{\langle t\rangle}] + b_o) && \text{output gate: how much of the memory to show}\\
# a^{\langle t\rangle} &= \Gamma_o \odot \tanh(c^{\langle t\rangle}), \qquad \hat y^{\langle t\rangle} = \operatorname{softmax}(W_y a^{\langle t\rangle} + b_y)
# \end{aligned}$$
#
# `Wf`, `Wi`, `Wc`, `Wo` have shape `(n_a, n_a + n_x)`, their biases `(n_a, 1)`; `Wy` is
# `(n_y, n_a)`, `by` `(n_y, 1)`. Note the line for $c^{\langle t\rangle}$: the old memory is
# multiplied by a gate and added to, never squashed through a weight matrix and a tanh. That
# is what lets it, and its gradient, travel far.
#
# **Exercise 3, `lstm_cell_forward`** (10 lines). Build `concat` with `np.concatenate`
# (`a_prev` first), then the gates and states above (`sigmoid` for the three gates, `np.tanh`
# for the candidate and for the memory that reaches `a_next`). Return
# `a_next, c_next, yt_pred, cache` with
# `cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)`, where `cct` is
# the candidate $\tilde c^{\langle t\rangle}$.

# %%
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One LSTM step: xt (n_x, m), a_prev and c_prev (n_a, m) -> a_next, c_next (n_a, m), yt_pred (n_y, m)."""
    Wf, bf, Wi, bi = parameters["Wf"], parameters["bf"], parameters["Wi"], parameters["bi"]
    Wc, bc, Wo, bo = parameters["Wc"], parameters["bc"], parameters["Wo"], parameters["bo"]
    Wy, by = parameters["Wy"], parameters["by"]
    ### BEGIN SOLUTION
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = sigmoid(Wf @ concat + bf)
    it = sigmoid(Wi @ concat + bi)
    cct = np.tanh(Wc @ concat + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(Wo @ concat + bo)
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(Wy @ a_next + by)
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    ### END SOLUTION
    return a_next, c_next, yt_pred, cache


# %%
check.lstm_cell_forward(lstm_cell_forward)

# %% [markdown]
# **Exercise 4, `lstm_forward`** (10 to 12 lines). As `rnn_forward`, with two states carried
# from step to step: `a_next`, starting from `a0`, and `c_next`, starting from zeros of shape
# `(n_a, m)`. Store the memory cell of every step in `c` `(n_a, m, T_x)` and return
# `a, y, c, caches` with `caches = (list_of_caches, x)`.

# %%
def lstm_forward(x, a0, parameters):
    """The LSTM over x (n_x, m, T_x) from a0 (n_a, m) and c0 = 0: a, y (n_y, m, T_x), c, caches."""
    n_x, m, T_x, n_a, n_y = rnn_layout.sequence_dims(x, a0, parameters)
    ### BEGIN SOLUTION
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    caches = (caches, x)
    ### END SOLUTION
    return a, y, c, caches


# %%
check.lstm_forward(lstm_forward)

# %% [markdown]
# ## 3. The GRU
#
# The gated recurrent unit (Cho et al., 2014) keeps one state, like the plain RNN, but
# changes it through gates, like the LSTM. We write it as the lectures of the Deep Learning
# Specialization's Course 5 do, with the previous state $a^{\langle t-1\rangle}$ playing the
# memory:
#
# $$\begin{aligned}
# \Gamma_r &= \sigma(W_r [a^{\langle t-1\rangle}; x^{\langle t\rangle}] + b_r) && \text{reset gate: how much of the old state the candidate sees}\\
# \Gamma_u &= \sigma(W_u [a^{\langle t-1\rangle}; x^{\langle t\rangle}] + b_u) && \text{update gate: how much of the candidate to take}\\
# \tilde c^{\langle t\rangle} &= \tanh(W_c [\Gamma_r \odot a^{\langle t-1\rangle}; x^{\langle t\rangle}] + b_c) && \\
# a^{\langle t\rangle} &= \Gamma_u \odot \tilde c^{\langle t\rangle} + (1 - \Gamma_u) \odot a^{\langle t-1\rangle},
# \qquad \hat y^{\langle t\rangle} = \operatorname{softmax}(W_y a^{\langle t\rangle} + b_y)
# \end{aligned}$$
#
# The parameters are `Wr`, `br`, `Wu`, `bu`, `Wc`, `bc` (weights `(n_a, n_a + n_x)`, biases
# `(n_a, 1)`), `Wy` and `by`. Two choices here matter when you compare with Keras (section 4):
# the reset gate multiplies the old state **before** the product with `Wc`, and the update
# gate weighs the **candidate**.
#
# **Exercise 5, `gru_cell_forward`** (8 lines). Return `a_next, yt_pred, cache` with
# `cache = (a_next, a_prev, rt, ut, cct, xt, parameters)`.

# %%
def gru_cell_forward(xt, a_prev, parameters):
    """One GRU step: xt (n_x, m), a_prev (n_a, m) -> a_next (n_a, m), yt_pred (n_y, m), cache."""
    Wr, br, Wu, bu = parameters["Wr"], parameters["br"], parameters["Wu"], parameters["bu"]
    Wc, bc, Wy, by = parameters["Wc"], parameters["bc"], parameters["Wy"], parameters["by"]
    ### BEGIN SOLUTION
    concat = np.concatenate([a_prev, xt], axis=0)
    rt = sigmoid(Wr @ concat + br)
    ut = sigmoid(Wu @ concat + bu)
    cct = np.tanh(Wc @ np.concatenate([rt * a_prev, xt], axis=0) + bc)
    a_next = ut * cct + (1 - ut) * a_prev
    yt_pred = softmax(Wy @ a_next + by)
    cache = (a_next, a_prev, rt, ut, cct, xt, parameters)
    ### END SOLUTION
    return a_next, yt_pred, cache


# %%
check.gru_cell_forward(gru_cell_forward)

# %% [markdown]
# **Exercise 6, `gru_forward`** (8 to 10 lines). As `rnn_forward`, with `gru_cell_forward`:
# return `a, y, caches`.

# %%
def gru_forward(x, a0, parameters):
    """The GRU over x (n_x, m, T_x) from a0 (n_a, m): a (n_a, m, T_x), y (n_y, m, T_x), caches."""
    n_x, m, T_x, n_a, n_y = rnn_layout.sequence_dims(x, a0, parameters)
    ### BEGIN SOLUTION
    a = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt, cache = gru_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y[:, :, t] = yt
        caches.append(cache)
    caches = (caches, x)
    ### END SOLUTION
    return a, y, caches


# %%
check.gru_forward(gru_forward)

# %% [markdown]
# The three cells read the same sequence differently. Below, one example of a sequence
# whose first step is a strong pulse and the rest quiet noise, through the three cells with
# random weights of the same scale: each panel is the hidden state, one row per unit, one
# column per step. The plain RNN rewrites its state at every step, so it flickers with the
# noise; the gated cells blend the old state with the new through their gates, and their
# states drift smoothly.

# %%
rng = np.random.default_rng(1)
n_x, n_a, n_y, m = 3, 12, 2, 1
pulse = rng.normal(0, 0.1, (n_x, m, 30))
pulse[:, :, 0] = 3.0
a0 = np.zeros((n_a, m))
params = {kind: rnn_params.random_parameters(kind, n_x, n_a, n_y, seed=2) for kind in ("rnn", "lstm", "gru")}
states = {
    "plain RNN": rnn_forward(pulse, a0, params["rnn"])[0][:, 0, :],
    "LSTM": lstm_forward(pulse, a0, params["lstm"])[0][:, 0, :],
    "GRU": gru_forward(pulse, a0, params["gru"])[0][:, 0, :],
}
fig = rnn_figures.state_heatmaps(states)
plt.show()

# %% [markdown]
# ## 4. Your cells against Keras's layers
#
# Keras's `SimpleRNN`, `LSTM` and `GRU` compute the same functions with their weights stored
# differently. Each layer keeps three arrays: a `kernel` that multiplies the input, a
# `recurrent_kernel` that multiplies the previous state and a `bias`; they act on rows
# (`x_t @ kernel`), so they are the transposes of our matrices, and a gated cell keeps its
# blocks side by side in a fixed order:
#
# | our parameters | Keras layer | `kernel` | `recurrent_kernel` | `bias` |
# |---|---|---|---|---|
# | `Wax`, `Waa`, `ba` | `SimpleRNN` | `Wax.T` | `Waa.T` | `ba` |
# | `W?` acting on `[a_prev; x]` | `LSTM`, blocks **i, f, c, o** | `W?[:, n_a:].T` | `W?[:, :n_a].T` | `b?` |
# | `W?` acting on `[a_prev; x]` | `GRU(reset_after=False)`, blocks **z, r, h** | `W?[:, n_a:].T` | `W?[:, :n_a].T` | `b?` |
#
# Mind the LSTM's order: input gate first, then forget, candidate, output (not the f, i, c, o
# order of our formulas). Two points need care for the GRU.
#
# - **The update gate is flipped.** Keras writes $a^{\langle t\rangle} = z \odot a^{\langle t-1\rangle} + (1 - z) \odot \tilde c$:
#   its $z$ weighs the *old* state, our $\Gamma_u$ the candidate, so $z = 1 - \Gamma_u$.
#   Since $1 - \sigma(s) = \sigma(-s)$, Keras's z block holds `-Wu` and `-bu`, and the two are
#   equal exactly.
# - **Where the reset gate acts.** Our candidate resets the state before the product,
#   $\tanh(W_c [\Gamma_r \odot a^{\langle t-1\rangle}; x^{\langle t\rangle}] + b_c)$: this is
#   `GRU(reset_after=False)`, with one bias per block. Keras's default, `reset_after=True`
#   (the variant of NVIDIA's cuDNN), computes $\tanh(W x + b_x + \Gamma_r \odot (U a^{\langle t-1\rangle} + b_a))$
#   with two biases: the gate multiplies the product, not the state. No copy of weights turns
#   one into the other, as the cell below shows: zero recurrent biases and otherwise the same
#   weights still give other states.
#
# `rnn_keras_map.keras_weights(kind, parameters)` does the mapping, and the checks use it to
# compare your cells with the layers. Here, your `lstm_forward` against Keras's `LSTM`, and
# your GRU against both kinds of Keras GRU:

# %%
import keras

x_demo = rng.normal(size=(n_x, 4, 6))
a0_demo = rng.normal(0, 0.5, (n_a, 4))
ours, _, _, _ = lstm_forward(x_demo, a0_demo, params["lstm"])
keras_a = rnn_keras_map.forward("lstm", x_demo, a0_demo, params["lstm"])["a"]
print(f"LSTM: largest |ours - Keras LSTM| = {np.abs(ours - keras_a).max():.2e}")

ours_gru, _, _ = gru_forward(x_demo, a0_demo, params["gru"])
keras_gru = rnn_keras_map.forward("gru", x_demo, a0_demo, params["gru"])["a"]
print(f"GRU:  largest |ours - Keras GRU(reset_after=False)| = {np.abs(ours_gru - keras_gru).max():.2e}")

kernel, recurrent, bias = rnn_keras_map.keras_weights("gru", params["gru"])
default_gru = keras.layers.GRU(n_a, return_sequences=True, dtype="float64", name="default_gru")
default_gru.build((None, None, n_x))
default_gru.set_weights([kernel, recurrent, np.stack([bias, np.zeros_like(bias)])])
after = rnn_keras_map.from_keras(default_gru(rnn_keras_map.to_keras(x_demo), initial_state=a0_demo.T))
print(f"GRU:  largest |ours - Keras GRU(reset_after=True)|  = {np.abs(ours_gru - after).max():.2e}")

# %% [markdown]
# **How fast is NumPy?** The same LSTM, on the same shapes, both in float64: your
# `lstm_forward` against the Keras layer called through a compiled `tf.function` (the way
# `fit` and `predict` call it), after a first call to compile it.

# %%
import tensorflow as tf

n_x_t, n_a_t, m_t, T_t = 16, 64, 32, 50
x_time = rng.normal(size=(n_x_t, m_t, T_t))
a0_time = np.zeros((n_a_t, m_t))
params_time = rnn_params.random_parameters("lstm", n_x_t, n_a_t, 10, seed=3)
layer = rnn_keras_map.keras_layer("lstm", params_time, name="timing")
x_keras, h0, c0 = tf.constant(rnn_keras_map.to_keras(x_time)), tf.constant(a0_time.T), tf.constant(a0_time.T)
compiled = tf.function(lambda: layer(x_keras, initial_state=[h0, c0])[0])
compiled()  # trace and compile once
times = timing.compare(
    {"your lstm_forward (NumPy)": lambda: lstm_forward(x_time, a0_time, params_time),
     "keras.layers.LSTM (tf.function)": compiled},
    repeats=timing_repeats,
)
ratio = times["your lstm_forward (NumPy)"] / times["keras.layers.LSTM (tf.function)"]
print(f"shapes: x ({n_x_t}, {m_t}, {T_t}), n_a = {n_a_t}; "
      f"NumPy time / Keras time = {ratio:.2f}")

# %% [markdown]
# Both do one matrix product per gate and step, and both must walk the steps one after
# another. The compiled graph saves the Python overhead of every NumPy call, and the ratio
# printed above changes with the sizes and with whatever else the machine is doing. Keras's
# larger advantages lie elsewhere: on a GPU its `LSTM` and default `GRU` switch to NVIDIA's
# fused cuDNN kernels (which is why the default GRU is the `reset_after=True` variant that
# cuDNN implements), and it computes the gradients for you.
#
# ## 5. Backpropagation through time
#
# Training needs the gradient of the loss with respect to every weight. The loss reaches the
# hidden states through the predictions: call $da^{\langle t\rangle}$ the gradient of the
# loss with respect to $a^{\langle t\rangle}$ *through the prediction of step $t$ only*; it
# is the array `da` `(n_a, m, T_x)` the backward functions receive. But $a^{\langle t\rangle}$
# also feeds every later step, so its full gradient is `da[:, :, t]` **plus** what flows
# back from step $t+1$. The backward pass walks the steps from the last to the first,
# adding the two, and adds up the gradients of the shared weights over all the steps and all
# the examples (no $\frac1m$ here: any average is already inside `da`).
#
# ### 5.1 One RNN step, backwards
#
# With $a^{\langle t\rangle} = \tanh(z)$, $z = W_{ax} x^{\langle t\rangle} + W_{aa} a^{\langle t-1\rangle} + b_a$, and
# $\tanh'(z) = 1 - \tanh^2(z) = 1 - (a^{\langle t\rangle})^2$, the gradient `da_next`
# arriving at $a^{\langle t\rangle}$ gives
#
# $$dz = da_{\text{next}} \odot \bigl(1 - (a^{\langle t\rangle})^2\bigr), \quad
# dx^{\langle t\rangle} = W_{ax}^T dz, \quad da_{\text{prev}} = W_{aa}^T dz, \quad
# dW_{ax} = dz\, x^{\langle t\rangle T}, \quad dW_{aa} = dz\, a^{\langle t-1\rangle T}, \quad
# db_a = \textstyle\sum_{\text{examples}} dz$$
#
# **Exercise 7, `rnn_cell_backward`** (7 lines). `cache` is what `rnn_cell_forward` returned.
# Return the dict `{"dxt", "da_prev", "dWax", "dWaa", "dba"}`; `dba` keeps the shape
# `(n_a, 1)` of `ba` (`keepdims=True`).

# %%
def rnn_cell_backward(da_next, cache):
    """Gradients of one RNN step from da_next (n_a, m), the full gradient of the loss w.r.t. a_next."""
    a_next, a_prev, xt, parameters = rnn_layout.cell_cache(cache, "rnn")
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    ### BEGIN SOLUTION
    dz = da_next * (1 - a_next**2)
    dxt = Wax.T @ dz
    da_prev = Waa.T @ dz
    dWax = dz @ xt.T
    dWaa = dz @ a_prev.T
    dba = np.sum(dz, axis=1, keepdims=True)
    ### END SOLUTION
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# %%
check.rnn_cell_backward(rnn_cell_backward)

# %% [markdown]
# ### 5.2 The whole sequence, backwards
#
# **Exercise 8, `rnn_backward`** (10 to 12 lines). Unpack `caches` (the given line does, and
# checks its structure), create zeros for `dx` `(n_x, m, T_x)` and for `dWax`, `dWaa`, `dba`,
# and a zero `da_prevt` `(n_a, m)`: the gradient flowing back from the step after. Then, for
# `t` from `T_x - 1` down to `0`:
#
# 1. call `rnn_cell_backward` with `da[:, :, t] + da_prevt` and `caches_list[t]`;
# 2. store its `dxt` in `dx[:, :, t]`, **add** its weight gradients to the totals, and keep
#    its `da_prev` as the new `da_prevt`.
#
# After the loop, `da_prevt` is the gradient for the initial state: return
# `{"dx", "da0", "dWax", "dWaa", "dba"}`.

# %%
def rnn_backward(da, caches):
    """Backpropagation through time: da (n_a, m, T_x), the upstream gradient of every a<t>, and the caches."""
    caches_list, x = rnn_layout.sequence_caches(caches, "rnn")
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    ### BEGIN SOLUTION
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = rnn_cell_backward(da[:, :, t] + da_prevt, caches_list[t])
        dx[:, :, t] = grads["dxt"]
        dWax = dWax + grads["dWax"]
        dWaa = dWaa + grads["dWaa"]
        dba = dba + grads["dba"]
        da_prevt = grads["da_prev"]
    da0 = da_prevt
    ### END SOLUTION
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# %%
check.rnn_backward(rnn_backward)

# %% [markdown]
# ### 5.3 One LSTM step, backwards
#
# The LSTM step receives two gradients: `da_next` for $a^{\langle t\rangle}$ and `dc_next`
# for $c^{\langle t\rangle}$ (from the step after). Work back through the formulas of
# section 2, writing $d\Gamma$ for the gradient with respect to a gate's *pre-activation*
# (the argument of its sigmoid or tanh), and using $\sigma' = \sigma(1 - \sigma)$ and
# $\tanh' = 1 - \tanh^2$:
#
# $$\begin{aligned}
# d\Gamma_o &= da_{\text{next}} \odot \tanh(c_{\text{next}}) \odot \Gamma_o (1 - \Gamma_o) \\
# dc &= dc_{\text{next}} + da_{\text{next}} \odot \Gamma_o \odot \bigl(1 - \tanh^2(c_{\text{next}})\bigr) && \text{both ways into } c^{\langle t\rangle}\\
# d\tilde c &= dc \odot \Gamma_i \odot (1 - \tilde c^2), \qquad
# d\Gamma_i = dc \odot \tilde c \odot \Gamma_i (1 - \Gamma_i), \qquad
# d\Gamma_f = dc \odot c_{\text{prev}} \odot \Gamma_f (1 - \Gamma_f) \\
# dW_f &= d\Gamma_f \,[a_{\text{prev}}; x_t]^T, \quad db_f = \textstyle\sum_{\text{examples}} d\Gamma_f \quad (\text{likewise } W_i, W_c, W_o)\\
# d[a_{\text{prev}}; x_t] &= W_f^T d\Gamma_f + W_i^T d\Gamma_i + W_c^T d\tilde c + W_o^T d\Gamma_o,
# \qquad dc_{\text{prev}} = dc \odot \Gamma_f
# \end{aligned}$$
#
# and `da_prev`, `dxt` are the first `n_a` and the last `n_x` rows of $d[a_{\text{prev}}; x_t]$.
#
# **Exercise 9, `lstm_cell_backward`** (about 16 lines). Build the dict `grads`, which the
# given last line returns, with `dxt`, `da_prev`, `dc_prev` and `dWf`, `dbf`, `dWi`, `dbi`,
# `dWc`, `dbc`, `dWo`, `dbo` (each bias gradient of shape `(n_a, 1)`).

# %%
def lstm_cell_backward(da_next, dc_next, cache):
    """Gradients of one LSTM step from da_next and dc_next (n_a, m) and the step's cache."""
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = rnn_layout.cell_cache(cache, "lstm")
    n_a = a_next.shape[0]
    ### BEGIN SOLUTION
    tanh_c = np.tanh(c_next)
    dot = da_next * tanh_c * ot * (1 - ot)
    dc = dc_next + da_next * ot * (1 - tanh_c**2)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt], axis=0)
    grads = {}
    dconcat = 0
    for gate, d in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        grads["dW" + gate] = d @ concat.T
        grads["db" + gate] = np.sum(d, axis=1, keepdims=True)
        dconcat = dconcat + parameters["W" + gate].T @ d
    grads["da_prev"] = dconcat[:n_a]
    grads["dxt"] = dconcat[n_a:]
    grads["dc_prev"] = dc * ft
    ### END SOLUTION
    return grads


# %%
check.lstm_cell_backward(lstm_cell_backward)

# %% [markdown]
# ### 5.4 The LSTM over the sequence, backwards
#
# **Exercise 10, `lstm_backward`** (14 lines). As `rnn_backward`, with two gradients carried
# back from step to step: `da_prevt`, added to `da[:, :, t]` as before, and `dc_prevt`, the
# `dc_prev` that step $t+1$ returned, passed as step $t$'s `dc_next` (the loss reaches $c$
# only through $a$, so no upstream `dc` is added). Both start at zero after the last step. Add up the eight weight and bias
# gradients over the steps. Build the dict `grads` (returned by the given last line) with
# `dx`, `da0`, `dWf`, `dbf`, `dWi`, `dbi`, `dWc`, `dbc`, `dWo`, `dbo`.

# %%
def lstm_backward(da, caches):
    """Backpropagation through time for the LSTM: da (n_a, m, T_x) and the caches of lstm_forward."""
    caches_list, x = rnn_layout.sequence_caches(caches, "lstm")
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    ### BEGIN SOLUTION
    names = ["dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
    params = caches_list[0][-1]
    grads = {name: np.zeros(params[name[1:]].shape) for name in names}
    dx = np.zeros((n_x, m, T_x))
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches_list[t])
        dx[:, :, t] = step["dxt"]
        for name in names:
            grads[name] = grads[name] + step[name]
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
    grads["dx"] = dx
    grads["da0"] = da_prevt
    ### END SOLUTION
    return grads


# %%
check.lstm_backward(lstm_backward)

# %% [markdown]
# ## 6. Why the gates matter
#
# Backpropagation through time multiplies, at every step, by the derivative of the step.
# For the plain RNN that is $\operatorname{diag}(1 - a^2)\, W_{aa}^T$: the tanh's slope,
# below 1, times the same matrix again and again, so the gradient shrinks (or, with large
# weights, explodes) geometrically with the distance it travels. The LSTM has a second
# road: along the memory cell the factor is only the forget gate $\Gamma_f$, with no matrix
# and no squashing, so where the gate stays open the gradient passes almost untouched.
#
# The experiment: sequences of growing length $T$ of the same random inputs, a loss that
# depends on the last state only (`da` zero but at the last step), and the norm of the
# gradient that reaches the **first** input, `dx[:, :, 0]`, computed with your backward
# functions. The weights are those Keras's layers start from (Glorot-uniform kernels,
# orthogonal recurrent kernels; for the LSTM, a forget-gate bias of 1, Keras's
# `unit_forget_bias`); a third curve raises the forget bias to 3, an LSTM whose forget gate
# has learned to stay open.

# %%
n_x_g, n_a_g, m_g = 4, 16, 8
x_long = np.random.default_rng(5).normal(size=(n_x_g, m_g, longest))
a0_g = np.zeros((n_a_g, m_g))
rnn_keras_init = rnn_params.keras_initial_parameters("rnn", n_x_g, n_a_g, 2, seed=0)
lstm_keras_init = rnn_params.keras_initial_parameters("lstm", n_x_g, n_a_g, 2, seed=0)
lstm_open = dict(lstm_keras_init, bf=lstm_keras_init["bf"] + 2.0)


def gradient_reaching_step_1(forward, backward, parameters, T):
    """Norm of the gradient of the last state's loss that reaches the first input, for length T."""
    outputs = forward(x_long[:, :, :T], a0_g, parameters)
    a, caches = outputs[0], outputs[-1]
    da = np.zeros_like(a)
    da[:, :, -1] = 1.0
    return np.linalg.norm(backward(da, caches)["dx"][:, :, 0])


lengths = list(range(1, longest + 1, 3))
reach = {
    "plain RNN": [gradient_reaching_step_1(rnn_forward, rnn_backward, rnn_keras_init, T) for T in lengths],
    "LSTM, forget bias 1": [gradient_reaching_step_1(lstm_forward, lstm_backward, lstm_keras_init, T)
                            for T in lengths],
    "LSTM, forget bias 3": [gradient_reaching_step_1(lstm_forward, lstm_backward, lstm_open, T)
                            for T in lengths],
}
fig = rnn_figures.gradient_reach(lengths, reach)
plt.show()
for name, values in reach.items():
    print(f"{name:>20}: gradient at step 1 for T = {lengths[-1]}: {values[-1]:.2e} "
          f"({values[-1] / values[0]:.1e} of its value for T = 1)")

# %% [markdown]
# On a log scale a geometric decay is a straight line, and its slope is the factor lost per
# step (the printout above gives the end points). The plain RNN's line falls steepest: a few
# dozen steps back, the first input has almost no say in the gradient, so the network cannot
# learn what depends on it. The LSTM with Keras's initial forget bias falls more slowly, and
# with the gate held more open the gradient hardly fades over these lengths. Training moves
# the forget gates wherever the task needs memory, which is the whole point of having them.
#
# ## 7. Headline: your LSTM backward pass against GradientTape
#
# The figure that sums up this notebook: how far your `lstm_backward` is from TensorFlow's
# automatic differentiation through the Keras `LSTM` layer holding the same weights, with the
# same upstream gradient, on a batch unlike the checks' (the largest relative error over the
# ten gradients, each measured as $\lVert g - g_{\text{tape}}\rVert / \lVert g_{\text{tape}}\rVert$).
# In float64 a correct pass agrees to round-off; a single mistake shows as an error near 1.

# %%
rng_h = np.random.default_rng(11)
n_x_h, n_a_h, m_h, T_h = 5, 7, 6, 9
params_h = rnn_params.random_parameters("lstm", n_x_h, n_a_h, 3, seed=12)
x_h, a0_h = rng_h.normal(size=(n_x_h, m_h, T_h)), rng_h.normal(0, 0.5, (n_a_h, m_h))
da_h = rng_h.normal(size=(n_a_h, m_h, T_h))
_, _, _, caches_h = lstm_forward(x_h, a0_h, params_h)
mine = lstm_backward(da_h, caches_h)
tape = rnn_keras_map.gradients("lstm", x_h, a0_h, params_h, da_h)
errors = {k: np.linalg.norm(mine[k] - tape[k]) / np.linalg.norm(tape[k]) for k in mine}
for k, e in errors.items():
    print(f"{k:>4}: relative error {e:.1e}")
met = headline("largest relative error of lstm_backward against GradientTape", max(errors.values()),
               target=1e-7, higher_is_better=False)

# %% [markdown]
# ## What you have learned
#
# - A recurrent cell is one function of the previous state and the current input, applied at
#   every step with the same weights; vectorised over the batch, only the loop over time
#   remains.
# - The LSTM adds a memory cell changed through gates: the forget gate keeps, the input gate
#   writes, the output gate shows. The GRU does the same with one state and two gates.
# - Keras's layers compute the same cells with transposed weights in blocks (i, f, c, o for
#   the LSTM; z, r, h for the GRU, whose z is one minus our update gate), and its default GRU
#   applies the reset gate after the recurrent product.
# - Backpropagation through time adds, at every step, the gradient from the step's own output
#   to the one flowing back from the future, and sums the shared weights' gradients over steps
#   and examples.
# - Through a plain RNN the gradient fades geometrically with distance; through an LSTM's
#   open forget gate it survives, which is why gated cells learn long-range dependencies.
#
# The next notebook trains a character-level language model built from a recurrent cell.

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Optimization methods
#     minutes: 2
#     fast:
#       num_epochs: 150
# ---

# %% [markdown]
# # Optimization methods
#
# **What you will build:** the update rules that sit inside every modern training loop,
# written from scratch in NumPy: mini-batches, gradient descent, momentum, RMSprop, Adam and
# AdaGrad, and five learning-rate schedules. You will watch them walk down a narrow valley in
# two dimensions, then train the same three-layer network on the *moons* data set with each
# of them and compare what they reach in the same number of epochs.
#
# **What you will learn:** why mini-batches make an epoch worth many updates; how momentum
# averages gradients and what it costs (overshoot); how RMSprop, AdaGrad and Adam give every
# parameter its own step size; why Adam corrects its averages at the start; how the common
# learning-rate schedules (inverse-time, staircase, step, cosine, warm-up) shape a run. Each
# of your functions is checked against Keras's own optimizers and schedules.
#
# **Time:** about 60 minutes of work; a full run of the notebook takes about a minute on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from shared_utils.common import compute, metrics, plotting
from shared_utils.data import planar
from shared_utils.course2 import descent
from shared_utils.checks import c2_04_optimization as check
from shared_utils.course1.dnn import L_model_forward
from shared_utils import headline

compute.single_threaded_blas()  # small matrix products: one BLAS thread is fastest here

# %% tags=["parameters"]
# Epochs of every training run on the moons (the same for all optimisers).
num_epochs = 600

# %% [markdown]
# ## 1. The data: two moons
#
# Two interleaving half-circles of points in the plane, with noise: 300 points to train on
# and 1000 others, drawn the same way, to test on. A straight line cannot separate them, so
# we need a network with hidden layers; a small one, `[2, 10, 5, 1]`, is enough. Its training
# loop comes from `shared_utils`, built on the functions of course 1 (`L_model_forward`,
# `L_model_backward`, ...); what this notebook changes is only **how the parameters are updated**.

# %%
train_X, train_Y = planar.make_2d("moons", 300, seed=1)
test_X, test_Y = planar.make_2d("moons", 1000, seed=2)
print("train_X:", train_X.shape, " train_Y:", train_Y.shape, " test_X:", test_X.shape)

fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter(train_X[0], train_X[1], c=train_Y[0], cmap=plt.cm.coolwarm_r, s=14, edgecolors="k", linewidths=0.3)
ax.set_title("moons: the 300 training points")
plt.show()

# %% [markdown]
# ## 2. Mini-batches
#
# Batch gradient descent computes the gradient on all $m$ examples before it takes a single
# step. With millions of examples that is a long wait for one step. **Mini-batch** gradient
# descent cuts the training set into small batches and takes one step per batch: one pass
# over the data (an *epoch*) then gives $\lceil m / \text{size} \rceil$ steps instead of one.
# Each step is noisier, since a batch only estimates the full gradient, but there are many more
# of them. (With a batch of one example it is called *stochastic* gradient descent.)
#
# Two things matter when cutting the batches:
#
# - **shuffle first**, with one random permutation of the columns, applied to `X` *and* to `Y`
#   so that every example keeps its label. Otherwise the batches would be the same every epoch,
#   and any order in the file (all the 0s first, say) would leak into the steps;
# - **cut** into consecutive slices of `mini_batch_size` columns. When $m$ is not a multiple of
#   the size, the last batch is smaller (it holds $m \bmod \text{size}$ columns); when it is a
#   multiple, there is no extra, empty batch.
#
# **Exercise 1, `random_mini_batches`** (about 6 lines). Return a list of pairs
# `(mini_batch_X, mini_batch_Y)` of shapes `(n_x, size)` and `(1, size)`, the last one
# possibly narrower. Draw the permutation from the `seed` argument, e.g.
# `np.random.default_rng(seed).permutation(m)`, so that a run can be repeated; index columns
# with `X[:, permutation]`. A `for` loop over the start of each slice,
# `range(0, m, mini_batch_size)`, handles the last batch for free: NumPy's slices stop at the
# end of the array.

# %%
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the columns of X (n_x, m) and Y (1, m) together and cut them into mini-batches.

    Returns a list of (mini_batch_X, mini_batch_Y) pairs; every batch holds mini_batch_size
    columns except the last, which holds the m % mini_batch_size left over (if any).
    """
    m = X.shape[1]
    mini_batches = []
    ### BEGIN SOLUTION
    permutation = np.random.default_rng(seed).permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    for start in range(0, m, mini_batch_size):
        end = start + mini_batch_size
        mini_batches.append((shuffled_X[:, start:end], shuffled_Y[:, start:end]))
    ### END SOLUTION
    return mini_batches


# %%
check.random_mini_batches(random_mini_batches)

batches = random_mini_batches(train_X, train_Y, mini_batch_size=64, seed=0)
print(f"{len(batches)} mini-batches of sizes", [b[0].shape[1] for b in batches])

# %% [markdown]
# ## 3. Gradient descent
#
# The plain update you wrote in course 1, now applied to each mini-batch's gradients: for
# every layer $l = 1, \dots, L$,
#
# $$W^{[l]} = W^{[l]} - \alpha\, dW^{[l]}, \qquad b^{[l]} = b^{[l]} - \alpha\, db^{[l]}.$$
#
# `parameters` holds `"W1"`, `"b1"`, ..., `"WL"`, `"bL"`; `grads` holds `"dW1"`, `"db1"`, ...
# (and the `"dA..."` that `L_model_backward` also returns, which you ignore). The number of
# layers is `L = len(parameters) // 2`.
#
# **Exercise 2, `update_parameters_with_gd`** (about 4 lines). Return a **new** dict with the
# updated arrays, and leave the dicts you were given as they were; every update function of
# this notebook works that way. The check compares your step with Keras's `SGD` optimizer.

# %%
def update_parameters_with_gd(parameters, grads, learning_rate):
    """One gradient-descent step on every W{l} and b{l}; returns a new parameters dict."""
    L = len(parameters) // 2
    new_parameters = {}
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        new_parameters[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new_parameters[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    ### END SOLUTION
    return new_parameters


# %%
check.update_parameters_with_gd(update_parameters_with_gd)

# %% [markdown]
# ## 4. Momentum
#
# Mini-batch gradients point roughly downhill but wobble from batch to batch, and in a
# narrow valley even the exact gradient points mostly *across* the valley rather than along
# it. **Momentum** steps along a running average of the gradients instead, the *velocity*
# $v$: the wobbles cancel out, the steady direction adds up.
#
# $$v_{dW^{[l]}} = \beta\, v_{dW^{[l]}} + (1 - \beta)\, dW^{[l]}, \qquad W^{[l]} = W^{[l]} - \alpha\, v_{dW^{[l]}}$$
#
# and the same for $b^{[l]}$ with $v_{db^{[l]}}$. $v$ is an exponentially weighted average:
# it remembers roughly the last $1/(1-\beta)$ gradients, ten of them for the usual
# $\beta = 0.9$. With $\beta = 0$ it is plain gradient descent again.
#
# **Exercise 3, `initialize_velocity`** (about 3 lines). The velocity starts at zero: return a
# dict `v` with `v["dW1"]`, `v["db1"]`, ... each an array of zeros of the shape of the
# matching parameter (`np.zeros_like`).

# %%
def initialize_velocity(parameters):
    """Zero velocities: v["dW{l}"] and v["db{l}"] shaped like parameters["W{l}"] and parameters["b{l}"]."""
    L = len(parameters) // 2
    v = {}
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        v[f"dW{l}"] = np.zeros_like(parameters[f"W{l}"])
        v[f"db{l}"] = np.zeros_like(parameters[f"b{l}"])
    ### END SOLUTION
    return v


# %%
check.initialize_velocity(initialize_velocity)

# %% [markdown]
# **Exercise 4, `update_parameters_with_momentum`** (about 6 lines). For every layer, update
# the velocities with this step's gradients, then move the parameters along the **new**
# velocities. Return new dicts `parameters` and `v`.
#
# The check runs Keras's `SGD` with momentum. Keras writes the same method differently: it
# keeps $u = \beta u - \eta\, g$ and adds $u$ to the weight. With $\eta = \alpha(1-\beta)$ and
# $u = -\alpha v$ that is exactly the update above (multiply our $v$ rule by $-\alpha$), so
# the check compares your `v` with Keras's $-u/\alpha$.

# %%
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One momentum step; returns new dicts (parameters, v)."""
    L = len(parameters) // 2
    new_parameters, new_v = {}, {}
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        for p in ("W", "b"):
            new_v[f"d{p}{l}"] = beta * v[f"d{p}{l}"] + (1 - beta) * grads[f"d{p}{l}"]
            new_parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * new_v[f"d{p}{l}"]
    ### END SOLUTION
    return new_parameters, new_v


# %%
check.update_parameters_with_momentum(update_parameters_with_momentum)

# %% [markdown]
# ## 5. RMSprop: a step size for every parameter
#
# Momentum smooths the direction; **RMSprop** rescales each parameter's step. It keeps
# $s$, a running average of the *squared* gradients, and divides each gradient by the root of
# its own average:
#
# $$s_{dW^{[l]}} = \beta_2\, s_{dW^{[l]}} + (1 - \beta_2)\, \bigl(dW^{[l]}\bigr)^2, \qquad
# W^{[l]} = W^{[l]} - \alpha\, \frac{dW^{[l]}}{\sqrt{s_{dW^{[l]}}} + \varepsilon}$$
#
# (squares, roots and divisions element by element; the same for $b^{[l]}$). A parameter whose
# gradients are large, like the steep direction across a valley, gets its steps shrunk; one
# whose gradients are small, like the gentle slope along the valley, gets them stretched.
# Roughly, every parameter moves by about $\alpha$ per step whatever the scale of its
# gradient. $\varepsilon$ (e.g. $10^{-8}$) only prevents a division by zero: it goes
# **outside** the square root.
#
# $s$ starts at zero, with the same structure as the velocity, so we reuse your
# `initialize_velocity` for it:

# %%
def initialize_rmsprop(parameters):
    """Zero running averages of squared gradients, s["dW{l}"], s["db{l}"] (the velocity's shapes)."""
    return initialize_velocity(parameters)


# %% [markdown]
# **Exercise 5, `update_parameters_with_rmsprop`** (about 7 lines). Update `s` with this
# step's squared gradients, then step with the **new** `s`. Return new dicts `parameters`,
# `s`. The check compares you with Keras's `RMSprop` (which puts its $\varepsilon$ inside the
# root, so that case uses a negligible $\varepsilon = 10^{-12}$) and, with a large
# $\varepsilon$, with TensorFlow's own kernel.

# %%
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    """One RMSprop step; returns new dicts (parameters, s)."""
    L = len(parameters) // 2
    new_parameters, new_s = {}, {}
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            new_s[key] = beta2 * s[key] + (1 - beta2) * grads[key] ** 2
            denominator = np.sqrt(new_s[key]) + epsilon
            new_parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[key] / denominator
    ### END SOLUTION
    return new_parameters, new_s


# %%
check.update_parameters_with_rmsprop(update_parameters_with_rmsprop)

# %% [markdown]
# ## 6. Adam: momentum and RMSprop together
#
# **Adam** keeps both averages, the gradients' $v$ (momentum, with $\beta_1$) and the squared
# gradients' $s$ (RMSprop, with $\beta_2$), and steps along $v$ scaled by $1/\sqrt{s}$.
#
# One more detail: both averages start at zero, so in the first steps they are far too small
# (after one step $v = (1-\beta_1)\,g$, a tenth of the gradient). Adam divides them by the
# share of weight they have gathered so far, $1 - \beta^t$, where $t$ is the number of steps
# taken, counting this one (1, 2, 3, ...). This **bias correction** matters early and fades
# as $\beta^t \to 0$. For every parameter:
#
# $$\begin{aligned}
# v &= \beta_1 v + (1-\beta_1)\, dW, & v^{corrected} &= \frac{v}{1-\beta_1^{\,t}},\\
# s &= \beta_2 s + (1-\beta_2)\, dW^2, & s^{corrected} &= \frac{s}{1-\beta_2^{\,t}},\\
# W &= W - \alpha\, \frac{v^{corrected}}{\sqrt{s^{corrected}} + \varepsilon}.
# \end{aligned}$$
#
# The usual values are $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$; only
# $\alpha$ is usually tuned.
#
# **Exercise 6, `initialize_adam`** (about 5 lines). Return `v` and `s`, two separate dicts of
# zeros with the keys `"dW1"`, `"db1"`, ... shaped like the parameters.

# %%
def initialize_adam(parameters):
    """Zero first and second moments: two dicts v and s with keys dW{l}, db{l}."""
    L = len(parameters) // 2
    v, s = {}, {}
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        for p in ("W", "b"):
            v[f"d{p}{l}"] = np.zeros_like(parameters[f"{p}{l}"])
            s[f"d{p}{l}"] = np.zeros_like(parameters[f"{p}{l}"])
    ### END SOLUTION
    return v, s


# %%
check.initialize_adam(initialize_adam)

# %% [markdown]
# **Exercise 7, `update_parameters_with_adam`** (about 10 lines). Apply the five lines above to
# every `dW{l}` and `db{l}`. Return new dicts: the parameters, `v`, `s`, and the corrected
# moments `v_corrected`, `s_corrected` (keys `"dW1"`, ...), which the check looks at too.
# Use the argument `t` as it is given: the caller counts the steps from 1.
#
# The check runs Keras's `Adam`. Keras folds the bias correction into the learning rate and
# adds its $\varepsilon$ to the uncorrected $\sqrt{s}$, which is the same method with
# $\varepsilon$ scaled by $\sqrt{1-\beta_2^t}$; the check sets Keras's $\varepsilon$ that way
# before each step, so the two agree exactly.

# %%
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                 epsilon=1e-8):
    """One Adam step at step number t (from 1); returns new dicts parameters, v, s, v_corrected, s_corrected."""
    L = len(parameters) // 2
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            g = grads[key]
            new_v[key] = beta1 * v[key] + (1 - beta1) * g
            v_corrected[key] = new_v[key] / (1 - beta1 ** t)
            new_s[key] = beta2 * s[key] + (1 - beta2) * g ** 2
            s_corrected[key] = new_s[key] / (1 - beta2 ** t)
            new_parameters[f"{p}{l}"] = (parameters[f"{p}{l}"]
                                         - learning_rate * v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon))
    ### END SOLUTION
    return new_parameters, new_v, new_s, v_corrected, s_corrected


# %%
check.update_parameters_with_adam(update_parameters_with_adam)

# %% [markdown]
# ## 7. AdaGrad
#
# **AdaGrad**, the oldest of these adaptive methods, divides by the root of the **sum** of
# all squared gradients so far instead of a running average:
#
# $$s_{dW^{[l]}} = s_{dW^{[l]}} + \bigl(dW^{[l]}\bigr)^2, \qquad
# W^{[l]} = W^{[l]} - \alpha\, \frac{dW^{[l]}}{\sqrt{s_{dW^{[l]}}} + \varepsilon}.$$
#
# Parameters with rarely large gradients keep large steps, which suits sparse features (rare
# words, say). But the sum only grows, so every step is smaller than the one before: a built-in
# decay that can stop learning too early. RMSprop was invented to fix exactly that.
#
# **Exercise 8, `update_parameters_with_adagrad`** (about 7 lines). The same shape as RMSprop
# without $\beta_2$. $s$ starts at zero (`initialize_rmsprop`). Return new dicts `parameters`,
# `s`. The check compares with Keras's `Adagrad` (which adds its $\varepsilon$ inside the root
# and starts its sum at 0.1 unless told otherwise) and, with a large $\varepsilon$, with
# TensorFlow's `ApplyAdagradV2` kernel, which puts $\varepsilon$ outside the root as we do.

# %%
def update_parameters_with_adagrad(parameters, grads, s, learning_rate, epsilon=1e-8):
    """One AdaGrad step; returns new dicts (parameters, s)."""
    L = len(parameters) // 2
    new_parameters, new_s = {}, {}
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            new_s[key] = s[key] + grads[key] ** 2
            denominator = np.sqrt(new_s[key]) + epsilon
            new_parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[key] / denominator
    ### END SOLUTION
    return new_parameters, new_s


# %%
check.update_parameters_with_adagrad(update_parameters_with_adagrad)

# %% [markdown]
# ## 8. Racing down a narrow valley
#
# To see the differences, let each method walk down a loss of just two numbers,
#
# $$f(x, y) = \tfrac12\,(x^2 + 20\,y^2),$$
#
# a valley twenty times steeper across ($y$) than along ($x$), with its bottom at $(0, 0)$.
# This is what a badly scaled problem looks like to gradient descent.
#
# The training loop in `shared_utils.course2.descent` takes an optimiser as two functions: `init`,
# which builds its memory from the parameters, and `step(parameters, grads, state, t,
# learning_rate)`, which returns the new parameters and memory. The next cell wraps your
# functions that way. The same wrappers move the point $(x, y)$, stored as a tiny network
# with `W1` $= x$ and `b1` $= y$, and train the moons network later.

# %%
def make_rule(name, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Your update functions as a descent.Rule: init(parameters) and step(parameters, grads, state, t, lr)."""
    if name == "gd":
        return descent.Rule(init=lambda p: None,
                            step=lambda p, g, state, t, lr: (update_parameters_with_gd(p, g, lr), None))
    if name == "momentum":
        return descent.Rule(init=initialize_velocity,
                            step=lambda p, g, v, t, lr: update_parameters_with_momentum(p, g, v, beta, lr))
    if name == "rmsprop":
        return descent.Rule(init=initialize_rmsprop,
                            step=lambda p, g, s, t, lr: update_parameters_with_rmsprop(p, g, s, beta2, lr, epsilon))
    if name == "adagrad":
        return descent.Rule(init=initialize_rmsprop,
                            step=lambda p, g, s, t, lr: update_parameters_with_adagrad(p, g, s, lr, epsilon))
    if name == "adam":
        def adam_step(p, g, state, t, lr):
            v, s = state
            p, v, s, _, _ = update_parameters_with_adam(p, g, v, s, t, lr, beta1, beta2, epsilon)
            return p, (v, s)
        return descent.Rule(init=initialize_adam, step=adam_step)
    raise ValueError(f"unknown optimiser {name!r}")


# RMSprop on its own usually averages over fewer steps than Adam's beta2 (Keras's default is 0.9).
rules = {"gd": make_rule("gd"), "momentum": make_rule("momentum", beta=0.9),
         "rmsprop": make_rule("rmsprop", beta2=0.9), "adam": make_rule("adam"), "adagrad": make_rule("adagrad")}

# %% [markdown]
# All five start at $(-4.5, 1)$ with the same learning rate, 0.08, for 80 steps. (Gradient
# descent on this valley diverges above $2/20 = 0.1$, so 0.08 is about as fast as it can go.)

# %%
bowl = descent.elongated_bowl(a=1.0, b=20.0)
path_lr, path_steps = 0.08, 80
paths = {name: descent.trace(bowl, rule, path_lr, path_steps) for name, rule in rules.items()}

fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(13, 4.5), gridspec_kw={"width_ratios": [1.5, 1]})
descent.plot_paths(bowl, paths, ax=ax_path, title=f"{path_steps} steps at learning rate {path_lr}")
plotting.plot_costs({name: bowl.f(p[:, 0], p[:, 1]) for name, p in paths.items()}, every=1, xlabel="step",
                    ylabel="f(x, y)", title="loss along each path", logy=True, ax=ax_loss)
plt.tight_layout()
plt.show()
for name, p in paths.items():
    print(f"{name:<9} after {path_steps} steps: (x, y) = ({p[-1, 0]:+.3f}, {p[-1, 1]:+.3f}), "
          f"f = {bowl.f(p[-1, 0], p[-1, 1]):.2e}")

# %% [markdown]
# What the paths show:
#
# - **Gradient descent** (blue) bounces from wall to wall: across the valley the gradient is
#   twenty times larger, so each step overshoots in $y$, while in $x$ it creeps, shrinking
#   the distance by only 8% per step. At 0.08, close to its limit, the bounces die out fast
#   and it actually ends nearest to the bottom. On a two-dimensional bowl, a rate tuned to the
#   steep wall is still good enough along the gentle floor. The trouble grows with the ratio of
#   the two slopes: the rate must stay below 2 / (steepest curvature), and progress along the
#   flattest direction slows in proportion. In a network that ratio can be in the thousands.
# - **Momentum** (orange) averages the bounces away and builds up speed along the valley,
#   so much speed that it **overshoots** the minimum, swings back and spirals in. Its wide,
#   slow swings are the price of its memory.
# - **RMSprop** (green) and **Adam** (red) first head off at 45°: dividing by
#   $\sqrt{s}$ gives $x$ and $y$ steps of about the same size, $\alpha$, although their
#   gradients differ twenty-fold. That is the **per-coordinate scaling**: each coordinate
#   moves about $\alpha$ per step whatever the curvature, so they need about
#   $4.5 / 0.08 \approx 56$ steps to cover the way along $x$, and no narrower valley would slow
#   them down. Adam's momentum makes its path wave around the floor and arrive later;
#   RMSprop, with none, slides straight in.
# - **AdaGrad** (purple) starts like RMSprop, but its sum of squared gradients only grows,
#   so its steps keep shrinking and it stalls far from the bottom at this rate.
#
# On a real network the valley has thousands of dimensions, and the steep and flat
# directions are not the axes; but gradients of very different sizes for different weights are
# the rule, and that is what the adaptive methods correct.
#
# ## 9. Learning-rate schedules
#
# Near a minimum, mini-batch noise keeps a fixed-rate method jittering around it. Lowering
# the rate as training goes on lets it settle. A **schedule** gives the rate for each epoch,
# from the initial rate $\alpha_0$. You will write five, each a one- or two-liner; the checks
# compare them with Keras's `keras.optimizers.schedules`.
#
# **Exercise 9, `update_lr`**: inverse-time decay, a little lower every epoch,
#
# $$\alpha = \frac{\alpha_0}{1 + \text{decay\_rate} \times \text{epoch\_num}}.$$

# %%
def update_lr(learning_rate0, epoch_num, decay_rate):
    """Inverse-time decay: learning_rate0 / (1 + decay_rate * epoch_num)."""
    ### BEGIN SOLUTION
    learning_rate = learning_rate0 / (1 + decay_rate * epoch_num)
    ### END SOLUTION
    return learning_rate


# %%
check.update_lr(update_lr)

# %% [markdown]
# After 1000 epochs with `decay_rate = 1`, `update_lr` would be down to a thousandth of
# $\alpha_0$: too fast for long runs. A common fix changes the rate only every
# `time_interval` epochs (a staircase):
#
# **Exercise 10, `schedule_lr_decay`**:
# $$\alpha = \frac{\alpha_0}{1 + \text{decay\_rate} \times
#   \left\lfloor \frac{\text{epoch\_num}}{\text{time\_interval}} \right\rfloor}$$
# ($\lfloor\cdot\rfloor$: round down, `np.floor` or `//`).

# %%
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Staircase inverse-time decay: the rate changes once every time_interval epochs."""
    ### BEGIN SOLUTION
    learning_rate = learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
    ### END SOLUTION
    return learning_rate


# %%
check.schedule_lr_decay(schedule_lr_decay)

# %% [markdown]
# **Exercise 11, `step_decay`**: multiply the rate by `drop` (say 0.5) every `epochs_drop`
# epochs, the schedule of many classic image-recognition papers:
# $\alpha = \alpha_0 \times \text{drop}^{\lfloor \text{epoch\_num} / \text{epochs\_drop} \rfloor}$.

# %%
def step_decay(learning_rate0, epoch_num, drop=0.5, epochs_drop=10):
    """Step decay: learning_rate0 * drop ** floor(epoch_num / epochs_drop)."""
    ### BEGIN SOLUTION
    learning_rate = learning_rate0 * drop ** (epoch_num // epochs_drop)
    ### END SOLUTION
    return learning_rate


# %%
check.step_decay(step_decay)

# %% [markdown]
# **Exercise 12, `cosine_annealing`**: a smooth fall from $\alpha_0$ to $\alpha_{min}$ along
# half a cosine wave over `total_epochs` epochs, then constant at $\alpha_{min}$:
#
# $$e = \min(\text{epoch\_num}, \text{total\_epochs}), \qquad
# \alpha = \alpha_{min} + (\alpha_0 - \alpha_{min})\,\frac{1 + \cos(\pi\, e / \text{total\_epochs})}{2}.$$
#
# It stays near $\alpha_0$ for a while, falls fastest in the middle and lands gently.

# %%
def cosine_annealing(learning_rate0, epoch_num, total_epochs, lr_min=0.0):
    """Half a cosine from learning_rate0 (epoch 0) to lr_min (epoch total_epochs and after)."""
    ### BEGIN SOLUTION
    e = min(epoch_num, total_epochs)
    learning_rate = lr_min + (learning_rate0 - lr_min) * (1 + math.cos(math.pi * e / total_epochs)) / 2
    ### END SOLUTION
    return learning_rate


# %%
check.cosine_annealing(cosine_annealing)

# %% [markdown]
# **Exercise 13, `warmup_then_cosine`**. Adam's first steps rest on averages of very few
# gradients, and a large rate at that moment can throw a big network somewhere bad. A **linear
# warm-up** starts at 0 and climbs to $\alpha_0$ over `warmup_epochs` epochs,
# $\alpha = \alpha_0 \times \text{epoch\_num} / \text{warmup\_epochs}$; after that, a cosine
# from $\alpha_0$ to $\alpha_{min}$ over `decay_epochs` epochs, counted from the end of the
# warm-up. Reuse your `cosine_annealing` for the second part (about 3 lines).

# %%
def warmup_then_cosine(learning_rate0, epoch_num, warmup_epochs, decay_epochs, lr_min=0.0):
    """Linear warm-up from 0 to learning_rate0, then cosine annealing to lr_min over decay_epochs."""
    ### BEGIN SOLUTION
    if epoch_num < warmup_epochs:
        learning_rate = learning_rate0 * epoch_num / warmup_epochs
    else:
        learning_rate = cosine_annealing(learning_rate0, epoch_num - warmup_epochs, decay_epochs, lr_min)
    ### END SOLUTION
    return learning_rate


# %%
check.warmup_then_cosine(warmup_then_cosine)

# %% [markdown]
# The five schedules over the epochs of this notebook's runs, all starting from
# $\alpha_0 = 0.01$ (the warm-up one peaks at $\alpha_0$ after a tenth of the run):

# %%
lr0 = 0.01
quarter = max(num_epochs // 4, 1)
warmup = max(num_epochs // 10, 1)
schedules = {
    "update_lr (decay_rate 0.01)": lambda e: update_lr(lr0, e, 0.01),
    f"schedule_lr_decay (decay 1, every {quarter})": lambda e: schedule_lr_decay(lr0, e, 1.0, quarter),
    f"step_decay (x0.5 every {quarter})": lambda e: step_decay(lr0, e, 0.5, quarter),
    "cosine_annealing": lambda e: cosine_annealing(lr0, e, num_epochs),
    f"warmup_then_cosine ({warmup} + {num_epochs - warmup})":
        lambda e: warmup_then_cosine(lr0, e, warmup, num_epochs - warmup),
}
ax = plotting.plot_costs({name: [s(e) for e in range(num_epochs)] for name, s in schedules.items()},
                         every=1, xlabel="epoch", ylabel="learning rate", title="Learning-rate schedules")
plt.show()

# %% [markdown]
# ## 10. Training on the moons
#
# Now the real test: the same `[2, 10, 5, 1]` network, from the same initial weights, trained
# for the same `num_epochs` epochs on mini-batches of 64 (five batches, so five steps, per
# epoch) with each method. All use the **same learning rate, 0.01**, except the last run,
# Adam with a warm-up to a peak of 0.03 followed by a cosine decay.
#
# A fair comparison also asks how plain gradient descent does with a rate chosen for it, so
# we add one more run: gradient descent at ten times the rate, 0.1.

# %%
layers_dims = [train_X.shape[0], 10, 5, 1]
learning_rate = 0.01
runs_spec = {
    "gd": (rules["gd"], learning_rate),
    "momentum": (rules["momentum"], learning_rate),
    "rmsprop": (rules["rmsprop"], learning_rate),
    "adagrad": (rules["adagrad"], learning_rate),
    "adam": (rules["adam"], learning_rate),
    "adam + warm-up & cosine": (rules["adam"], lambda e: warmup_then_cosine(0.03, e, warmup, num_epochs - warmup)),
    "gd, learning rate 0.1": (rules["gd"], 0.1),
}
runs = {}
for name, (rule, rate) in runs_spec.items():
    runs[name] = descent.train(train_X, train_Y, layers_dims, rule, random_mini_batches, num_epochs=num_epochs,
                               learning_rate=rate, mini_batch_size=64, seed=1)
    print(f"{name:<24} final cost {runs[name].costs[-1]:.4f}  ({runs[name].steps} steps)")

# %%
ax = plotting.plot_costs({name: run.costs for name, run in runs.items()}, every=1, xlabel="epoch",
                         title="Training cost (mean over each epoch's mini-batches)", logy=True)
plt.show()

# %%
table = pd.DataFrame({
    "train accuracy": [metrics.accuracy(train_X, train_Y, run.parameters) for run in runs.values()],
    "test accuracy": [metrics.accuracy(test_X, test_Y, run.parameters) for run in runs.values()],
    "final cost": [run.costs[-1] for run in runs.values()],
}, index=list(runs))
table.round(4)

# %%
fig, axes = plt.subplots(2, 4, figsize=(16, 7))
for ax, (name, run) in zip(axes.ravel(), runs.items()):
    plotting.plot_decision_boundary(lambda P, p=run.parameters: (L_model_forward(P, p)[0] > 0.5).astype(int),
                                    test_X, test_Y, ax=ax,
                                    title=f"{name}: test {table.loc[name, 'test accuracy']:.1%}")
axes.ravel()[-1].axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# What a full run shows (600 epochs, 3000 steps):
#
# - At the shared rate of 0.01, **gradient descent** and **momentum** are still on their way:
#   their final costs in the table are among the highest, their boundaries nearly straight lines,
#   and they get clearly fewer of the test points right than the adaptive methods. Momentum follows gradient descent almost exactly: with the $(1-\beta)$ in
#   its average, its long-run step is the same $\alpha \times$ gradient, so on a gentle,
#   steady slope it is no faster. It helps where gradients oscillate, as in the valley above.
# - **RMSprop** and **Adam** also reach that plateau within a few epochs (the flat stretch of
#   their cost curves), where a straight boundary is the best the network has found, then
#   leave it part-way through the run and end with a cost several times lower and nearly all
#   the test points right: their boundary follows the moons.
#   The gradients on the plateau are small, and dividing by $\sqrt{s}$ keeps the steps of
#   size $\alpha$ anyway.
# - **AdaGrad** starts fast, then its ever-shrinking steps leave it on the plateau.
# - **Adam with the warm-up and cosine schedule** leaves the plateau first (its peak rate is
#   three times higher) and ends with a lower cost than plain Adam; on the test points it
#   does no better, because the moons' noise, not the optimiser, now limits accuracy (points
#   of the two classes overlap near the boundary).
# - **Gradient descent at 0.1** catches up. At one shared rate, the adaptive methods win
#   largely because they need no hunting for the right rate; a well-tuned plain method can do
#   as well on a small, easy problem. On large networks, where the right rate differs from
#   weight to weight, Adam's robustness is why it is the usual first choice.
#
# The headline of this notebook is **Adam's test accuracy minus gradient descent's**, both at
# the learning rate 0.01 and after the same number of epochs; the cell below prints it. The
# target is a gain of at least **4 points**, well below what a full run (or a fast run, with
# fewer epochs) measures, so that another CPU's rounding cannot flip it.

# %%
gain = table.loc["adam", "test accuracy"] - table.loc["gd", "test accuracy"]
print(f"Adam {table.loc['adam', 'test accuracy']:.4f} vs gradient descent {table.loc['gd', 'test accuracy']:.4f} "
      f"on the {test_Y.shape[1]} test points")
met = headline("test accuracy gain of Adam over gradient descent (same rate, same epochs)", gain, target=0.04)

# %% [markdown]
# ## What you have learned
#
# - **Mini-batches** turn one epoch into many steps: shuffle the columns of `X` and `Y` with
#   one permutation, then cut them into slices; the last batch may be smaller.
# - **Momentum** steps along an exponentially weighted average of the gradients: it cancels
#   oscillations and speeds up along consistent directions, at the price of overshooting.
# - **RMSprop** and **AdaGrad** divide each gradient by the root of its own squared history,
#   so that every parameter moves at a similar pace; AdaGrad's growing sum makes its steps
#   shrink for good.
# - **Adam** combines momentum and RMSprop, with a bias correction $1/(1-\beta^t)$ for the
#   averages' start at zero. It is the default choice for a reason: it works with little tuning.
# - **Schedules** lower the rate as training proceeds (inverse-time, staircase, step, cosine),
#   and a **warm-up** raises it gently at the start.
# - Compare optimisers honestly: at one shared learning rate, Adam won clearly here; with its
#   own rate, plain gradient descent nearly caught up.

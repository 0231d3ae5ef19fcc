# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Gradient checking
#     minutes: 1
#     fast:
#       num_epsilons: 25
#       timing_widths: [5, 10, 20]
# ---

# %% [markdown]
# # Gradient checking
#
# **What you will build:** a *gradient checker*: a few lines of NumPy that compare the
# gradients your backward pass computes with an estimate obtained by nudging each parameter
# and watching how the cost moves. You will run it on a small three-layer network whose
# backward pass we wrote for you, with two bugs hidden in it, and then turn it into a
# diagnostic tool that points at the exact layer and parameter that are wrong.
#
# **What you will learn:** why a wrong backward pass rarely announces itself; the two-sided
# difference $\frac{J(\theta+\varepsilon)-J(\theta-\varepsilon)}{2\varepsilon}$ and why it is far more
# accurate than the one-sided one; how to compare two gradient vectors with a relative
# difference, and what its values (1e-7, 1e-5, 1e-3) tell you; and when *not* to use the
# check (it is slow, and it needs a cost without randomness such as dropout).
#
# **Time:** about 30 minutes of work; a full run of the notebook takes well under a minute.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import matplotlib.pyplot as plt
import numpy as np

from shared_utils.common import compute
from shared_utils.checks import c2_03_gradient_checking as check
from shared_utils.course2.gradcheck import (dictionary_to_vector, forward_propagation_n, gradients_to_vector,
                                    make_problem, parameter_shapes, plot_parameter_differences,
                                    vector_to_dictionary, verdict)
from shared_utils import headline

compute.single_threaded_blas()  # tiny matrices: one BLAS thread is fastest

# %% tags=["parameters"]
# How many values of epsilon the accuracy plot of section 2 tries.
num_epsilons = 60
# Widths of the hidden layers in the timing experiment of section 6.
timing_widths = [5, 10, 20, 40]

# %% [markdown]
# ## 1. Why backpropagation bugs are silent
#
# Forward propagation is easy to test: the cost is a number you can compare with a formula
# or with another library. The backward pass is different. It returns a pile of arrays with
# the right shapes, and if one line in it is wrong (a missing $1/m$, a forgotten ReLU mask,
# a transposed matrix) nothing crashes. Gradient descent still runs. Often the cost still
# goes down, because a wrong gradient can still point roughly downhill; the network just
# learns more slowly or settles somewhere worse, and you blame the learning rate, the data,
# the architecture. Days can be lost this way.
#
# Gradient checking settles the question directly. The derivative is *defined* as a limit,
#
# $$\frac{\partial J}{\partial \theta} = \lim_{\varepsilon \to 0} \frac{J(\theta + \varepsilon) - J(\theta - \varepsilon)}{2 \varepsilon},$$
#
# and the right-hand side needs nothing but the forward pass, which we trust. With a small
# $\varepsilon$ we get an estimate of every gradient entry that does not depend on the backward
# pass at all; if the backward pass disagrees with it, the backward pass is wrong.
#
# ### A one-dimensional warm-up
#
# Take the simplest cost one can imagine: $J(\theta) = \theta x$ for a fixed number $x$.
#
# **Exercise 1, `forward_propagation`** (1 line). Return `J`, the product of `theta` and `x`.

# %%
def forward_propagation(x, theta):
    """The 1-D cost J = theta * x (x and theta are numbers)."""
    ### BEGIN SOLUTION
    J = theta * x
    ### END SOLUTION
    return J


# %%
check.forward_propagation(forward_propagation)
print("J(x=2, theta=4) =", forward_propagation(2.0, 4.0))

# %% [markdown]
# **Exercise 2, `backward_propagation`** (1 line). Return `dtheta`, the derivative of
# $J = \theta x$ with respect to $\theta$.

# %%
def backward_propagation(x, theta):
    """dJ/dtheta for J = theta * x."""
    ### BEGIN SOLUTION
    dtheta = x
    ### END SOLUTION
    return dtheta


# %%
check.backward_propagation(backward_propagation)
print("dJ/dtheta at x=2, theta=4:", backward_propagation(2.0, 4.0))

# %% [markdown]
# ## 2. One-sided or two-sided?
#
# There are two natural ways to estimate a derivative from values of $J$:
#
# $$\text{one-sided: } \frac{J(\theta+\varepsilon) - J(\theta)}{\varepsilon}, \qquad
# \text{two-sided: } \frac{J(\theta+\varepsilon) - J(\theta-\varepsilon)}{2\varepsilon}.$$
#
# Taylor's formula says how far each is from the truth. Writing
# $J(\theta \pm \varepsilon) = J \pm \varepsilon J' + \frac{\varepsilon^2}{2} J'' \pm \frac{\varepsilon^3}{6} J''' + \dots$,
# the one-sided estimate is $J' + \frac{\varepsilon}{2} J'' + \dots$: its error shrinks like
# $\varepsilon$. In the two-sided one the $J''$ terms cancel, leaving
# $J' + \frac{\varepsilon^2}{6} J''' + \dots$: its error shrinks like $\varepsilon^2$. With
# $\varepsilon = 10^{-4}$ that is the difference between an error of about $10^{-4}$ and one of
# about $10^{-8}$, for the price of one more evaluation of $J$.
#
# (For our linear warm-up cost both estimates are exact, because $J'' = 0$. Real costs are
# curved.)
#
# Let us see it on a curved function, $J(\theta) = \sin(3\theta) + \theta^3$ at $\theta = 0.7$,
# whose derivative we know exactly. The plot shows the error of both estimates for
# $\varepsilon$ from $10^{-12}$ to $10^{-1}$.

# %%
def curved(theta):
    return np.sin(3 * theta) + theta ** 3


theta0 = 0.7
exact = 3 * np.cos(3 * theta0) + 3 * theta0 ** 2
epsilons = np.logspace(-12, -1, num_epsilons)
one_sided = np.abs((curved(theta0 + epsilons) - curved(theta0)) / epsilons - exact)
two_sided = np.abs((curved(theta0 + epsilons) - curved(theta0 - epsilons)) / (2 * epsilons) - exact)

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(epsilons, one_sided, "o-", ms=3, label="one-sided: (J(θ+ε) − J(θ)) / ε")
ax.loglog(epsilons, two_sided, "s-", ms=3, label="two-sided: (J(θ+ε) − J(θ−ε)) / 2ε")
ax.loglog(epsilons, 0.5 * epsilons, "k:", lw=1, label="slope 1 (error ∝ ε)")
ax.loglog(epsilons, 0.5 * epsilons ** 2, "k--", lw=1, label="slope 2 (error ∝ ε²)")
ax.set_ylim(1e-13, 1)
ax.set_xlabel("ε")
ax.set_ylabel("|estimate − true derivative|")
ax.set_title("Error of the finite-difference estimates")
ax.legend(fontsize=8)
plt.show()

for eps in (1e-2, 1e-4, 1e-7):
    k = np.argmin(np.abs(epsilons - eps))
    print(f"ε ≈ {epsilons[k]:.0e}: one-sided error {one_sided[k]:.1e}, two-sided error {two_sided[k]:.1e}")
print(f"smallest error: one-sided at ε ≈ {epsilons[np.argmin(one_sided)]:.0e}, "
      f"two-sided at ε ≈ {epsilons[np.argmin(two_sided)]:.0e}")

# %% [markdown]
# Reading the plot from the right: for large $\varepsilon$ the one-sided error falls along the
# slope-1 line and the two-sided error along the much steeper slope-2 line. Both curves then
# turn and climb again on the left. That is rounding: a float64 holds about 16 significant
# digits, so $J(\theta+\varepsilon) - J(\theta-\varepsilon)$ loses more and more of them as the two
# values get closer, and dividing by a tiny $\varepsilon$ magnifies what is lost. The best
# $\varepsilon$ balances the two errors: rounding, of order $\varepsilon_{\text{mach}}/\varepsilon$
# with $\varepsilon_{\text{mach}} = 2^{-52}$, against the formula's own error, of order
# $\varepsilon^2$ for the two-sided estimate and $\varepsilon$ for the one-sided one. Theory puts
# the two-sided optimum near $(2^{-52})^{1/3} \approx 6 \cdot 10^{-6}$ and the one-sided one near
# $(2^{-52})^{1/2} \approx 1.5 \cdot 10^{-8}$; the last line the cell printed says where the
# measured errors are smallest. Around its optimum the two-sided error stays small over several
# decades of $\varepsilon$, the one-sided error only in a narrow band. We will use
# $\varepsilon = 10^{-7}$, a common choice.
#
# ## 3. The relative difference
#
# The estimate, `gradapprox`, will never equal the backward pass's `grad` to the last digit.
# How close is close enough? An absolute difference means nothing on its own (is 0.001
# small? Not if the gradient is 0.002). So we compare the two vectors with a *relative*
# difference:
#
# $$\text{difference} = \frac{\lVert \text{grad} - \text{gradapprox} \rVert_2}{\lVert \text{grad} \rVert_2 + \lVert \text{gradapprox} \rVert_2}$$
#
# where $\lVert v \rVert_2 = \sqrt{\sum_i v_i^2}$ (`np.linalg.norm`). It is 0 when the two agree,
# at most 1, and it does not care about the gradient's scale. With $\varepsilon = 10^{-7}$ and a
# smooth float64 cost, read it like this:
#
# | difference | verdict |
# |---|---|
# | about $10^{-7}$ or less | fine: the backward pass is right |
# | about $10^{-5}$ | suspicious: look again (it can be fine for a cost with kinks, such as ReLU near 0) |
# | above $10^{-3}$ | a bug, almost certainly |
#
# **Exercise 3, `gradient_check`** (about 8 lines). For the 1-D cost:
#
# 1. `theta_plus = theta + epsilon`, `theta_minus = theta - epsilon`, and their costs
#    `J_plus`, `J_minus` with your `forward_propagation`;
# 2. `gradapprox`, the two-sided difference (divide by $2\varepsilon$);
# 3. `grad` from your `backward_propagation`;
# 4. `difference`, the relative difference above, with `np.linalg.norm` for all three norms.
#
# Use the `epsilon` argument (the check tries other values). The printing at the end is given.

# %%
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """Relative difference between backward_propagation's gradient and the two-sided estimate."""
    ### BEGIN SOLUTION
    theta_plus = theta + epsilon
    theta_minus = theta - epsilon
    J_plus = forward_propagation(x, theta_plus)
    J_minus = forward_propagation(x, theta_minus)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    ### END SOLUTION
    if print_msg:
        if difference > 2e-7:
            print(f"\033[91mThe backward pass looks wrong: difference = {difference:.3e}\033[0m")
        else:
            print(f"\033[92mThe backward pass agrees with the estimate: difference = {difference:.3e}\033[0m")
    return difference


# %%
check.gradient_check(gradient_check)
difference = gradient_check(2.0, 4.0, print_msg=True)

# %% [markdown]
# The check above also handed your function a deliberately wrong `backward_propagation`
# and a curved cost, and verified that your `gradient_check` noticed. For this linear cost
# the difference is zero up to rounding, about $10^{-10}$.
#
# ## 4. A real network, with bugs in its backward pass
#
# Now the network: three layers, LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID, with
# 4 inputs, 5 and 3 hidden units and one output, on a handful of random examples. Its
# forward pass, `forward_propagation_n(X, Y, parameters)`, comes from `shared_utils.course2.gradcheck`
# (it was imported at the top): it returns the cross-entropy cost averaged over the
# examples and a `cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)` for the backward
# pass.

# %%
X, Y, parameters = make_problem([4, 5, 3, 1], m=3, seed=1)
cost, cache = forward_propagation_n(X, Y, parameters)
print("X:", X.shape, " Y:", Y, " cost:", round(cost, 6))
for name, value in parameters.items():
    print(f"  {name}: shape {value.shape}")

# %% [markdown]
# Here is the backward pass somebody wrote for it. It follows the usual equations
# ($dZ^{[3]} = A^{[3]} - Y$, $dW^{[l]} = \frac1m dZ^{[l]} A^{[l-1]T}$,
# $db^{[l]} = \frac1m \sum_i dZ^{[l](i)}$, $dA^{[l-1]} = W^{[l]T} dZ^{[l]}$,
# $dZ^{[l]} = dA^{[l]} \ast \mathbb 1[Z^{[l]} > 0]$) and returns arrays of the right shapes.
# It also has **two bugs**. Do not hunt for them yet: the point of this notebook is that
# a tool should find them for you.

# %%
def backward_propagation_n(X, Y, cache):
    """Gradients of forward_propagation_n's cost for the three-layer network (this version is buggy)."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m

    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (Z2 > 0)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dA2, axis=1, keepdims=True) / m

    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0)
    dW1 = dZ1 @ X.T
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m

    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


gradients = backward_propagation_n(X, Y, cache)
print("gradients:", ", ".join(f"{k} {v.shape}" for k, v in gradients.items()))

# %% [markdown]
# ### From a dict of matrices to one vector
#
# The 1-D check nudged one number. Here $\theta$ is every weight and bias of the network, and we
# nudge them one at a time. To index them with a single `i`, the helpers imported from
# `shared_utils.course2.gradcheck` lay them end to end in one column vector:
#
# | helper | returns |
# |---|---|
# | `dictionary_to_vector(parameters)` | `theta`, shape `(n, 1)`: W1 row by row, then b1, W2, ...; and `keys`, a list of n names (`keys[i]` is the parameter `theta[i]` belongs to) |
# | `parameter_shapes(parameters)` | `shapes`, a dict `{"W1": (5, 4), ...}` |
# | `vector_to_dictionary(theta, shapes)` | the parameters dict again, from a (changed) vector |
# | `gradients_to_vector(gradients, parameters)` | `grad`, shape `(n, 1)`: `dW1`, `db1`, `dW2`, ... in exactly the order of `theta`; the `dA`/`dZ` entries are left out |
#
# The last one matters more than it looks. `gradients` came out of the backward pass in
# *backward* order (`dZ3`, `dW3`, `db3`, `dA2`, ...), with intermediate results mixed in;
# flattening its values as they come would compare each entry of `theta` with the gradient
# of some other parameter.

# %%
theta_demo, keys_demo = dictionary_to_vector(parameters)
shapes_demo = parameter_shapes(parameters)
grad_demo = gradients_to_vector(gradients, parameters)
print("theta:", theta_demo.shape, " grad:", grad_demo.shape)
print("keys[:22]:", keys_demo[:22])
print("shapes:", shapes_demo)
print("back to a dict:", all(np.array_equal(vector_to_dictionary(theta_demo, shapes_demo)[k], parameters[k])
                              for k in parameters))

# %% [markdown]
# **Exercise 4, `gradient_check_n`** (about 15 lines). The same recipe as `gradient_check`,
# entry by entry:
#
# 1. `theta, _ = dictionary_to_vector(parameters)`, `shapes = parameter_shapes(parameters)`,
#    `grad = gradients_to_vector(gradients, parameters)`; `n = theta.shape[0]`; `J_plus`,
#    `J_minus`, `gradapprox` are zero arrays of shape `(n, 1)`.
# 2. For each `i` in `range(n)`:
#    - `theta_plus = np.copy(theta)`, then add `epsilon` to `theta_plus[i]`, and
#      `J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))`;
#    - the same with `theta_minus`, a *fresh* copy with `epsilon` subtracted;
#    - `gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)`.
# 3. `difference`, the relative difference between `grad` and `gradapprox`.
#
# Copy `theta` for every `i`: if `theta_plus` were `theta` itself, each nudge would stay in
# place and pile up on the next ones (and the caller's numbers would change under them). Use
# the arguments `X`, `Y`, `epsilon`, not the notebook's variables.

# %%
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Relative difference between the backward pass's gradients and the two-sided estimate.

    parameters: {"W1", "b1", ...}; gradients: what the backward pass returned ({"dW1", "db1", ...}
    and other entries); X (n_x, m), Y (1, m). The cost is forward_propagation_n(X, Y, parameters).
    """
    ### BEGIN SOLUTION
    theta, _ = dictionary_to_vector(parameters)
    shapes = parameter_shapes(parameters)
    grad = gradients_to_vector(gradients, parameters)
    n = theta.shape[0]
    J_plus = np.zeros((n, 1))
    J_minus = np.zeros((n, 1))
    gradapprox = np.zeros((n, 1))
    for i in range(n):
        theta_plus = np.copy(theta)
        theta_plus[i] += epsilon
        J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        theta_minus = np.copy(theta)
        theta_minus[i] -= epsilon
        J_minus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, shapes))
        gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)
    difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    ### END SOLUTION
    if print_msg:
        if difference > 2e-7:
            print(f"\033[91mThe backward pass looks wrong: difference = {difference:.3e}\033[0m")
        else:
            print(f"\033[92mThe backward pass agrees with the estimate: difference = {difference:.3e}\033[0m")
    return difference


# %%
check.gradient_check_n(gradient_check_n)
difference_buggy = gradient_check_n(parameters, gradients, X, Y, print_msg=True)
print(f"verdict: {verdict(difference_buggy)}")

# %% [markdown]
# Far above $10^{-3}$: the backward pass is wrong somewhere. But where? The network has
# 47 parameters in six arrays; one number for all of them does not say which to look at.
#
# ## 5. From "there is a bug" to "the bug is here"
#
# Every entry of `gradapprox` is an independent estimate, so we can compute the relative
# difference over any subset of the entries. Taking the entries of one parameter at a time
# (all of `W1`, then all of `b1`, ...) gives one verdict per parameter, and the parameters
# whose verdict is bad show where the wrong lines are.
#
# **Exercise 5, `gradient_check_per_parameter`** (about 15 lines). Return a dict
# `{name: difference}` with one entry per parameter name (`"W1"`, `"b1"`, ..., in the order of
# `parameters`):
#
# - compute `grad` and `gradapprox` for the whole vector as in exercise 4 (you may copy
#   your loop);
# - with `keys = np.array(keys)`, the entries of parameter `name` are `keys == name`, a
#   boolean mask; apply it to both `grad` and `gradapprox` and compute the relative
#   difference of those two slices only (numerator *and* denominator).
#
# Loop over the names in `parameters`; do not write `"W1"`, `"b1"`, ... by hand: the check
# tries networks with two, three and four layers.

# %%
def gradient_check_per_parameter(parameters, gradients, X, Y, epsilon=1e-7):
    """{parameter name: relative difference over that parameter's entries only}."""
    ### BEGIN SOLUTION
    theta, keys = dictionary_to_vector(parameters)
    keys = np.array(keys)
    shapes = parameter_shapes(parameters)
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        theta_plus = np.copy(theta)
        theta_plus[i] += epsilon
        theta_minus = np.copy(theta)
        theta_minus[i] -= epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, shapes))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    differences = {}
    for name in parameters:
        g, a = grad[keys == name], gradapprox[keys == name]
        differences[name] = np.linalg.norm(g - a) / (np.linalg.norm(g) + np.linalg.norm(a))
    ### END SOLUTION
    return differences


# %%
check.gradient_check_per_parameter(gradient_check_per_parameter)

differences_buggy = gradient_check_per_parameter(parameters, gradients, X, Y)
for name, value in differences_buggy.items():
    print(f"  {name}: {value:.2e}  {verdict(value)}")
suspects = [name for name, value in differences_buggy.items() if verdict(value) in ("suspicious", "bug")]
layers = sorted({int(name[1:]) for name in suspects})
print(f"\nThe gradients of {' and '.join(suspects)} are wrong: look at the lines of the backward pass "
      f"that compute {' and '.join('d' + s for s in suspects)} (layer{'s' if len(layers) > 1 else ''} "
      f"{' and '.join(map(str, layers))}).")

ax = plot_parameter_differences(differences_buggy, title="Buggy backward pass: difference per parameter")
plt.show()

# %% [markdown]
# Two bars stand out, `W1` and `b2`, and the others sit far below $10^{-7}$. Everything else
# in the backward pass is right, including `dW2`, which is computed from the same `dZ2` as
# `db2`. That narrows the search from twenty lines to two:
#
# - `db2 = np.sum(dA2, ...) / m` sums `dA2`, the gradient *before* the ReLU. The bias sits
#   inside the ReLU, so its gradient must go through the ReLU's mask: `np.sum(dZ2, ...)`.
#   The bug changes nothing else, because the rest of the pass reads `dZ2`.
# - `dW1 = dZ1 @ X.T` forgot to average over the examples: it is $m$ times too large. With
#   $m = 3$ the relative difference of `W1` is $\frac{3-1}{3+1} = 0.5$, exactly what the check
#   found.
#
# Why do both bugs leave every other parameter untouched? Neither of them feeds the rest of
# the backward pass: `dA1` is computed from `dZ2`, not from `db2`, and nothing is computed
# from `dW1`. A bug in `dZ2` itself would have shown up in `W2`, `b2`, `W1` and `b1`, the
# parameters of its layer and of every layer before it, and the first wrong layer (the
# highest-numbered one) would be where to look.
#
# Here is the backward pass with the two lines fixed:

# %%
def backward_propagation_n_fixed(X, Y, cache):
    """Gradients of forward_propagation_n's cost for the three-layer network."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m

    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (Z2 > 0)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m  # fixed: through the ReLU's mask

    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0)
    dW1 = dZ1 @ X.T / m  # fixed: averaged over the m examples
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m

    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


gradients_fixed = backward_propagation_n_fixed(X, Y, cache)
difference_fixed = gradient_check_n(parameters, gradients_fixed, X, Y, print_msg=True)
differences_fixed = gradient_check_per_parameter(parameters, gradients_fixed, X, Y)

fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharey=True)
plot_parameter_differences(differences_buggy, ax=axes[0], title=f"before the fix (overall {difference_buggy:.1e})")
plot_parameter_differences(differences_fixed, ax=axes[1], title=f"after the fix (overall {difference_fixed:.1e})")
plt.show()

found = [name for name, value in differences_buggy.items() if value > 1e-3]
still_wrong = [name for name, value in differences_fixed.items() if value > 1e-7]
print(f"before the fix: {len(found)} of {len(parameters)} parameters flagged ({', '.join(found)}); "
      f"after the fix: {len(still_wrong)} flagged, overall difference {difference_fixed:.2e}")
met = headline("gradient-check difference after the fix", difference_fixed, target=1e-7, higher_is_better=False)

# %% [markdown]
# ## 6. Use it for debugging, not for training
#
# **It is slow.** The check evaluates the cost twice for every single parameter: for the
# 47 parameters above, 94 forward passes, where backpropagation gets all 47 gradients from
# one forward and one backward pass. The cost of the check grows with the number of parameters *times*
# the cost of a forward pass. The cell below times your `gradient_check_n` on wider versions
# of the same network.

# %%
rows = []
for width in timing_widths:
    Xw, Yw, pw = make_problem([4, width, width, 1], m=16, seed=2, margin=1e-3)
    _, cw = forward_propagation_n(Xw, Yw, pw)
    start = time.perf_counter()
    gw = backward_propagation_n_fixed(Xw, Yw, cw)
    t_backward = time.perf_counter() - start
    start = time.perf_counter()
    dw = gradient_check_n(pw, gw, Xw, Yw)
    t_check = time.perf_counter() - start
    n = dictionary_to_vector(pw)[0].shape[0]
    rows.append((width, n, t_backward, t_check, dw))
    print(f"hidden width {width:3d}: {n:5d} parameters, backward pass {t_backward * 1e3:6.3f} ms, "
          f"gradient check {t_check * 1e3:8.1f} ms ({t_check / t_backward:,.0f}x), difference {dw:.1e}")

# %% [markdown]
# The check's time grows with the number of parameters while the backward pass barely moves.
# A network with a million parameters would need two million forward passes for one check.
# So in practice:
#
# - run the check **once**, while writing or changing a backward pass, on a small network
#   and a few examples (as here), never inside the training loop;
# - check at a few random points, and perhaps again after some training: some bugs only
#   show when the weights have left their initial values;
# - if the cost has a regularisation term, the gradient must include its part too, and the
#   check must use the same regularised cost;
# - **turn dropout off** (keep_prob = 1) while checking, then turn it back on. Dropout
#   draws a new random mask at every forward pass, so $J(\theta+\varepsilon)$ and
#   $J(\theta-\varepsilon)$ would be computed on different networks, and their difference would
#   be dominated by the randomness, not by $\varepsilon$. The check needs a cost that is a fixed
#   function of $\theta$;
# - near ReLU's kink at 0, a nudge of $\varepsilon$ can cross it, and a difference around
#   $10^{-5}$ may then be harmless; a smaller $\varepsilon$ or another random point settles it.
#
# ## Summary
#
# - A wrong backward pass runs without errors; the only reliable way to find out is to
#   compare it with an estimate that does not depend on it.
# - The two-sided difference $\frac{J(\theta+\varepsilon)-J(\theta-\varepsilon)}{2\varepsilon}$ is
#   accurate to $O(\varepsilon^2)$, the one-sided one only to $O(\varepsilon)$.
# - Compare whole gradients with
#   $\frac{\lVert g - \tilde g \rVert}{\lVert g \rVert + \lVert \tilde g \rVert}$: about $10^{-7}$
#   is fine, $10^{-5}$ is worth a second look, above $10^{-3}$ is a bug.
# - Computed per parameter, the same number says which layer's backward pass is wrong.
# - The check is slow and needs a deterministic cost: debugging only, dropout off.

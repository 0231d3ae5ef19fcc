# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Python and NumPy for deep learning
#     minutes: 1
#     fast:
#       timing_size: 20000
# ---

# %% [markdown]
# # Python and NumPy for deep learning
#
# **What you will build:** the small numerical functions every later notebook leans on: the
# sigmoid and its derivative, reshaping an image into a vector, row normalisation, a softmax
# that does not overflow, the L1 and L2 losses, and four modern activations with their
# derivatives.
#
# **What you will learn:** to think in whole arrays instead of loops; how NumPy's broadcasting
# stretches shapes to fit; why a vectorised line is often a hundred times faster than the loop
# it replaces.
#
# **Time:** about 30 minutes of work; a full run of the notebook takes under a minute.
#
# Each exercise is a function. Write your code where it says `# YOUR CODE HERE` (delete the
# `raise NotImplementedError()` line), run the cell, then run the check cell below it. A check
# tries your function on several inputs and tells you which one went wrong and why.

# %% tags=["setup"]
import math

import matplotlib.pyplot as plt
import numpy as np
from scipy import special

from shared_utils.common import plotting, timing
from shared_utils.checks import c1_01_python_numpy as check

# %% tags=["parameters"]
# Size of the vectors in the loop-versus-vectorised timing.
timing_size = 1_000_000

# %% [markdown]
# ## 1. The sigmoid, with `math` and with NumPy
#
# The sigmoid squeezes any real number into the interval (0, 1):
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}$$
#
# **Exercise 1, `basic_sigmoid`** (1 line). Compute it for a single number with `math.exp`.

# %%
def basic_sigmoid(x):
    """Sigmoid of a Python number x, computed with the math module."""
    ### BEGIN SOLUTION
    s = 1 / (1 + math.exp(-x))
    ### END SOLUTION
    return s


# %%
check.basic_sigmoid(basic_sigmoid)

# %% [markdown]
# `math.exp` only takes one number. In deep learning the inputs are vectors and matrices, so
# `basic_sigmoid(np.array([1.0, 2.0]))` raises a `TypeError`. NumPy's `np.exp` applies the
# exponential to every element at once:

# %%
x = np.array([1.0, 2.0, 3.0])
print("np.exp(x) =", np.exp(x))
print("x + 3     =", x + 3)  # the scalar 3 is "broadcast" to every element

# %% [markdown]
# **Exercise 2, `sigmoid`** (1 line). The same formula for an array of any shape, with `np.exp`.

# %%
def sigmoid(x):
    """Element-wise sigmoid of a NumPy array x (any shape)."""
    ### BEGIN SOLUTION
    s = 1 / (1 + np.exp(-x))
    ### END SOLUTION
    return s


# %%
check.sigmoid(sigmoid)

# %% [markdown]
# ## 2. The sigmoid's derivative
#
# Backpropagation needs the slope of every activation. For the sigmoid it has a neat form in
# terms of the sigmoid itself:
#
# $$\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)$$
#
# **Exercise 3, `sigmoid_derivative`** (2 lines). Compute `s = sigmoid(x)`, then the formula.

# %%
def sigmoid_derivative(x):
    """Slope of the sigmoid at every element of x."""
    ### BEGIN SOLUTION
    s = sigmoid(x)
    ds = s * (1 - s)
    ### END SOLUTION
    return ds


# %%
check.sigmoid_derivative(sigmoid_derivative)

# %% [markdown]
# ## 3. Reshaping: an image becomes a column vector
#
# A colour image is stored as an array of shape `(height, width, 3)`. A plain neural network
# takes a column vector, so we unroll it into shape `(height * width * 3, 1)`. `X.shape` tells
# you the dimensions; `X.reshape(...)` rearranges them without copying the data.
#
# **Exercise 4, `image2vector`** (1 line). Do not hard-code the sizes: read them from the input.

# %%
def image2vector(image):
    """Unroll an array of shape (length, height, depth) into shape (length*height*depth, 1)."""
    ### BEGIN SOLUTION
    v = image.reshape(image.shape[0] * image.shape[1] * image.shape[2], 1)
    ### END SOLUTION
    return v


# %%
check.image2vector(image2vector)

# %% [markdown]
# ## 4. Normalising rows, and broadcasting
#
# Gradient descent converges faster when every example has a comparable scale. Dividing each
# row of `x` by its length (its L2 norm) gives every row length 1:
#
# $$\|x_i\| = \sqrt{\textstyle\sum_j x_{ij}^2}, \qquad x_i \leftarrow \frac{x_i}{\|x_i\|}$$
#
# `np.linalg.norm(x, axis=1, keepdims=True)` gives the norms as a column of shape `(n, 1)`.
# Dividing the `(n, d)` matrix by that `(n, 1)` column works thanks to **broadcasting**: NumPy
# stretches a dimension of size 1 to match the other operand. A few shapes that combine:

# %%
a = np.arange(6.0).reshape(2, 3)      # (2, 3)
col = np.array([[10.0], [100.0]])     # (2, 1): stretched across the columns
row = np.array([1.0, 2.0, 3.0])       # (3,):   stretched across the rows
print(a + col, "\n")
print(a * row)
try:
    a + np.ones(2)                    # (2, 3) and (2,) do not line up from the right
except ValueError as err:
    print("\nValueError:", err)

# %% [markdown]
# **Exercise 5, `normalize_rows`** (2 lines).

# %%
def normalize_rows(x):
    """Divide every row of the (n, d) matrix x by its L2 norm."""
    ### BEGIN SOLUTION
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = x / norms
    ### END SOLUTION
    return x


# %%
check.normalize_rows(normalize_rows)

# %% [markdown]
# ## 5. A softmax that does not overflow
#
# The softmax turns each row of scores into probabilities that sum to 1:
#
# $$\mathrm{softmax}(x)_{ij} = \frac{e^{x_{ij}}}{\sum_k e^{x_{ik}}}$$
#
# Written literally, `np.exp(1000)` is `inf` and the result is `nan`. Because subtracting the
# same number from every score of a row leaves the ratio unchanged, subtract each row's maximum
# first: the largest exponent is then $e^0 = 1$ and nothing overflows.
#
# **Exercise 6, `softmax`** (3 to 4 lines). Rows are examples; normalise each row.

# %%
def softmax(x):
    """Row-wise softmax of the (n, k) matrix x, stable for large scores."""
    ### BEGIN SOLUTION
    shifted = x - np.max(x, axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e / np.sum(e, axis=1, keepdims=True)
    ### END SOLUTION
    return s


# %%
check.softmax(softmax)

# %% [markdown]
# ## 6. Loss functions: L1 and L2
#
# A loss measures how far the predictions $\hat y$ are from the labels $y$:
#
# $$L_1(\hat y, y) = \sum_i |y_i - \hat y_i| \qquad\qquad L_2(\hat y, y) = \sum_i (y_i - \hat y_i)^2$$
#
# **Exercises 7 and 8, `L1` and `L2`** (1 line each). For L2, `np.dot(v, v)` is the sum of the
# squares of `v`.

# %%
def L1(yhat, y):
    """Sum of absolute differences between predictions yhat and labels y (vectors of size m)."""
    ### BEGIN SOLUTION
    loss = np.sum(np.abs(y - yhat))
    ### END SOLUTION
    return loss


def L2(yhat, y):
    """Sum of squared differences between predictions yhat and labels y (vectors of size m)."""
    ### BEGIN SOLUTION
    diff = y - yhat
    loss = np.dot(diff, diff)
    ### END SOLUTION
    return loss


# %%
check.L1(L1)
check.L2(L2)

# %% [markdown]
# ## 7. Why vectorise? A timing
#
# The dot product, the outer product and the element-wise product of two vectors, written
# once with Python loops and once with NumPy. Both give the same numbers; compare the times.

# %%
rng = np.random.default_rng(0)
x1 = rng.random(timing_size)
x2 = rng.random(timing_size)


def dot_loop(a, b):
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total


def multiply_loop(a, b):
    out = np.zeros(len(a))
    for i in range(len(a)):
        out[i] = a[i] * b[i]
    return out


assert np.isclose(dot_loop(x1, x2), np.dot(x1, x2))
print(f"dot product of two vectors of {timing_size:,} numbers")
t_dot = timing.compare({"loop": lambda: dot_loop(x1, x2), "np.dot": lambda: np.dot(x1, x2)}, repeats=1)
print("\nelement-wise product")
t_mul = timing.compare({"loop": lambda: multiply_loop(x1, x2), "x1 * x2": lambda: x1 * x2}, repeats=1)

# %% [markdown]
# The loop pays Python's overhead for every element; `np.dot` runs one compiled loop (and can
# use several cores). On a million numbers the difference is two to three orders of magnitude,
# and a network's training repeats such operations thousands of times.

# %% [markdown]
# ## 8. Activations and their derivatives
#
# The sigmoid is only one choice. Hidden layers today mostly use these:
#
# | name | $g(z)$ | $g'(z)$ |
# |---|---|---|
# | tanh | $\tanh z$ | $1 - \tanh^2 z$ |
# | ReLU | $\max(0, z)$ | $1$ if $z > 0$ else $0$ |
# | leaky ReLU | $z$ if $z>0$ else $\alpha z$ | $1$ if $z > 0$ else $\alpha$ |
# | Swish (SiLU) | $z\,\sigma(z)$ | $\sigma(z) + z\,\sigma(z)(1-\sigma(z))$ |
# | GELU | $z\,\Phi(z)$ | $\Phi(z) + z\,\varphi(z)$ |
#
# where $\Phi(z) = \tfrac12\bigl(1 + \mathrm{erf}(z/\sqrt2)\bigr)$ is the standard normal's
# cumulative distribution and $\varphi(z) = e^{-z^2/2}/\sqrt{2\pi}$ its density. GELU is what
# BERT and GPT use; Swish was found by an automated search over activation functions.
#
# **Exercises 9 to 14** (1 to 2 lines each): `relu`, `leaky_relu`, `swish`, `gelu`,
# `swish_derivative`, `gelu_derivative`. `scipy.special.erf` is imported as `special.erf`.
# The derivatives of tanh, ReLU and leaky ReLU are given.

# %%
def relu(z):
    """max(0, z), element-wise."""
    ### BEGIN SOLUTION
    a = np.maximum(0, z)
    ### END SOLUTION
    return a


def leaky_relu(z, alpha=0.01):
    """z where z > 0, alpha * z elsewhere."""
    ### BEGIN SOLUTION
    a = np.where(z > 0, z, alpha * z)
    ### END SOLUTION
    return a


def swish(z):
    """z * sigmoid(z)."""
    ### BEGIN SOLUTION
    a = z * sigmoid(z)
    ### END SOLUTION
    return a


def gelu(z):
    """Exact GELU: z * Phi(z), Phi the standard normal CDF."""
    ### BEGIN SOLUTION
    a = z * 0.5 * (1 + special.erf(z / np.sqrt(2)))
    ### END SOLUTION
    return a


# %%
check.relu(relu)
check.leaky_relu(leaky_relu)
check.swish(swish)
check.gelu(gelu)


# %%
def swish_derivative(z):
    """Slope of swish at every element of z."""
    ### BEGIN SOLUTION
    s = sigmoid(z)
    d = s + z * s * (1 - s)
    ### END SOLUTION
    return d


def gelu_derivative(z):
    """Slope of the exact GELU at every element of z."""
    ### BEGIN SOLUTION
    cdf = 0.5 * (1 + special.erf(z / np.sqrt(2)))
    pdf = np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi)
    d = cdf + z * pdf
    ### END SOLUTION
    return d


# %%
check.swish_derivative(swish_derivative)
check.gelu_derivative(gelu_derivative)

# %% [markdown]
# Side by side: each activation (solid) and its derivative (dashed). Notice where each
# derivative vanishes: the sigmoid and tanh flatten out on both sides (their gradients die
# for large $|z|$), ReLU's is exactly zero for negative inputs, while leaky ReLU, Swish and
# GELU keep a little slope there.

# %%
z = np.linspace(-5, 5, 401)
fig = plotting.plot_functions({
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "ReLU": (relu, lambda z: (z > 0).astype(float)),
    "leaky ReLU (α = 0.1)": (lambda z: leaky_relu(z, 0.1), lambda z: np.where(z > 0, 1.0, 0.1)),
    "Swish": (swish, swish_derivative),
    "GELU": (gelu, gelu_derivative),
}, z)
plt.show()

# %% [markdown]
# ## What you have learned
#
# - `np.exp`, `np.maximum`, `np.where` and arithmetic act on whole arrays; a loop over the
#   elements is rarely needed and is much slower.
# - `axis` and `keepdims=True` decide which direction a sum or a norm runs, and keep the
#   shape that broadcasting needs.
# - A softmax subtracts the row maximum first; the same trick appears in every numerically
#   careful implementation.
# - Each activation has a derivative that backpropagation will call; where that derivative is
#   near zero, learning stalls.

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Logistic regression with a neural-network mindset
#     minutes: 1
#     fast:
#       num_iterations: 300
#       lr_iterations: 300
#       curve_iterations: 500
# ---

# %% [markdown]
# # Logistic regression with a neural-network mindset
#
# **What you will build:** a classifier that looks at a 28×28 photo of a top from the
# Fashion-MNIST catalogue and says whether it is a **shirt** or another top (a T-shirt, a
# pullover or a coat). It is logistic regression, written from scratch in NumPy as the
# smallest possible neural network: one neuron with a sigmoid. You will write its forward
# pass, its cost, its gradients, the gradient-descent loop, the prediction rule, and finally
# glue them into `model`.
#
# **What you will learn:** the shape conventions used throughout this course (one example per
# column); how a cost function and its gradients are computed for a whole batch at once; what
# the learning rate does; how to read training and test accuracy side by side, and what a gap
# between them means.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes under a minute.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np

from shared_utils.common import compute, plotting
from shared_utils.data import fashion
from shared_utils.checks import c1_02_logistic_regression as check
from shared_utils import headline

compute.single_threaded_blas()  # small matrix products: one thread is fastest (see shared_utils.common.compute)

# %% tags=["parameters"]
# Gradient-descent iterations of the main model (its default in `model`).
num_iterations = 2000
# Iterations of each run in the learning-rate comparison.
lr_iterations = 1500
# Iterations of the longer run that follows train and test accuracy as training goes on.
curve_iterations = 4000

# %% [markdown]
# ## 1. The data: shirts and other tops
#
# The images come from [Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist)
# (Zalando, MIT licence): small grey photos of clothes from an online shop. We kept its tops
# and ask one question of each: is it a shirt (label 1) or another top (label 0, "other top":
# a T-shirt, a pullover or a coat)? Even people hesitate at this resolution: a shirt has long
# sleeves like a pullover or a coat, or short ones like a T-shirt. There are 8000 training
# images and 2000 test images, half of each set shirts; the test images are never used for
# training, only to measure how well the model does on pictures it has not seen. Notebook 5
# trains deeper networks on the same images and compares them with the model you build here.

# %%
data = fashion.load_fashion_shirt_vs_tops()
train_x_orig, train_y = data.train_x, data.train_y
test_x_orig, test_y = data.test_x, data.test_y
classes = data.classes
print("classes:", classes)

first = np.arange(16)
fig = plotting.show_images(train_x_orig[first], [classes[c] for c in train_y[0, first]], ncols=8)
plt.show()

# %% [markdown]
# Many bugs in deep learning are shape bugs, so we always start by printing shapes.
# `train_x_orig` holds the images as a stack of shape `(m_train, num_px, num_px)`; the labels
# are a row vector of shape `(1, m_train)`.

# %%
m_train = train_x_orig.shape[0]
m_test = test_x_orig.shape[0]
num_px = train_x_orig.shape[1]
print(f"training examples m_train = {m_train}, test examples m_test = {m_test}")
print(f"each image is {num_px} x {num_px} pixels, grey levels from {train_x_orig.min()} to {train_x_orig.max()}")
print("train_x_orig:", train_x_orig.shape, train_x_orig.dtype, "  train_y:", train_y.shape)
print("test_x_orig: ", test_x_orig.shape, test_x_orig.dtype, "  test_y: ", test_y.shape)
print(f"share of shirts: train {train_y.mean():.3f}, test {test_y.mean():.3f}")

# %% [markdown]
# ### Fewer pixels
#
# The models of this notebook and of notebook 5 look at the photos at half the resolution:
# each block of 2×2 neighbouring pixels is replaced by its mean grey level, so a 28×28 photo
# becomes a 14×14 one. The sleeves, the collar and the hem, which tell the classes apart, are
# still there (compare the two rows below); what is lost is fine texture, which says little
# about the class. A quarter of the pixels makes every training step cheaper, which pays for
# more training images: more images per weight, so less room to fit accidents of the training
# set. `fashion.halve_resolution` does the averaging; the photos shown in this notebook stay at
# 28×28.

# %%
train_x_small = fashion.halve_resolution(train_x_orig)
test_x_small = fashion.halve_resolution(test_x_orig)
small_px = train_x_small.shape[1]
print("train_x_small:", train_x_small.shape, train_x_small.dtype, " test_x_small:", test_x_small.shape)
blocks = train_x_small[:8].repeat(2, axis=1).repeat(2, axis=2)  # each small pixel drawn as a 2x2 block
fig = plotting.show_images(np.concatenate([train_x_orig[:8], blocks]),
                           [f"{num_px}×{num_px}"] * 8 + [f"{small_px}×{small_px}"] * 8, ncols=8)
plt.show()

# %% [markdown]
# ### Flattening and scaling
#
# Our neuron takes a vector, not a grid. We unroll each small image into a column of
# `small_px * small_px = 196` numbers and put the columns side by side, so the training set
# becomes a matrix `X` of shape `(196, m_train)`: **one example per column**. This is the
# convention of the whole course: features along the rows, examples along the columns.
#
# The trick is `reshape(m, -1)` (one row per image, `-1` lets NumPy work out the 196) followed
# by `.T` (rows become columns). Reshaping straight to `(196, m)` would be a mistake: it would
# mix pixels of different images into one column.
#
# Then we divide by 255 so that every pixel lies in [0, 1]. Inputs of a similar, small scale
# keep `w.T @ x` in a range where the sigmoid is not flat, and gradient descent behaves
# much better. `fashion.flatten_images` does both steps; here they are by hand first:

# %%
train_x = train_x_small.reshape(m_train, -1).T / 255.0
test_x = test_x_small.reshape(m_test, -1).T / 255.0
assert np.array_equal(train_x, fashion.flatten_images(train_x_small))
assert np.array_equal(test_x, fashion.flatten_images(test_x_small))
print("train_x:", train_x.shape, " test_x:", test_x.shape)
print("column 0 is image 0 again:", np.allclose(train_x[:, 0].reshape(small_px, small_px) * 255, train_x_small[0]))

# %% [markdown]
# ## 2. The model: one neuron
#
# For one image $x^{(i)}$ (a column of 196 numbers) the neuron computes a weighted sum, squashes
# it with the sigmoid and reads the result as the probability that the image is a shirt:
#
# $$z^{(i)} = w^T x^{(i)} + b, \qquad \hat y^{(i)} = a^{(i)} = \sigma(z^{(i)}) = \frac{1}{1 + e^{-z^{(i)}}}$$
#
# How wrong that probability is, for a true label $y^{(i)} \in \{0, 1\}$, is measured by the
# cross-entropy loss, and the cost $J$ averages it over the $m$ training examples:
#
# $$\mathcal L(a^{(i)}, y^{(i)}) = -\,y^{(i)}\log a^{(i)} - (1 - y^{(i)})\log(1 - a^{(i)}),
# \qquad J = \frac1m \sum_{i=1}^m \mathcal L(a^{(i)}, y^{(i)})$$
#
# The loss is near 0 when the neuron is confident and right, and grows without bound when it
# is confident and wrong. Learning means choosing $w$ (shape `(196, 1)`) and $b$ (a number)
# that make $J$ small. The plan, the same for every network in this course:
#
# 1. initialise the parameters;
# 2. repeat: compute the predictions and the cost (**forward propagation**), the gradients of
#    the cost (**backward propagation**), and take a small step against the gradients;
# 3. use the learned parameters to predict labels for new images.
#
# **Exercise 1, `sigmoid`** (1 line). A warm-up: `s`, the element-wise sigmoid of a number or
# an array of any shape.

# %%
def sigmoid(z):
    """Element-wise sigmoid of z (a number or a NumPy array of any shape)."""
    ### BEGIN SOLUTION
    s = 1 / (1 + np.exp(-z))
    ### END SOLUTION
    return s


# %%
check.sigmoid(sigmoid)
print("sigmoid([-4, 0, 4]) =", sigmoid(np.array([-4.0, 0.0, 4.0])))

# %% [markdown]
# ## 3. Initialising the parameters
#
# **Exercise 2, `initialize_with_zeros`** (2 lines). Return `w`, a column of zeros of shape
# `(dim, 1)` (use `np.zeros`; mind the double parentheses), and `b = 0.0`, a float. Read the
# size from the argument `dim`; do not write 196.
#
# Starting from zeros is fine for logistic regression: its cost is convex, so gradient
# descent finds the same minimum from anywhere. (In a network with hidden layers, zeros would
# make every hidden unit learn the same thing; a later notebook shows why.)

# %%
def initialize_with_zeros(dim):
    """w: zeros of shape (dim, 1); b: the float 0.0."""
    ### BEGIN SOLUTION
    w = np.zeros((dim, 1))
    b = 0.0
    ### END SOLUTION
    return w, b


# %%
check.initialize_with_zeros(initialize_with_zeros)

# %% [markdown]
# ## 4. Forward and backward propagation
#
# With the images stacked as columns of `X` (shape `(n_x, m)`) and the labels in `Y` (shape
# `(1, m)`), the whole batch goes through the neuron in one line, with no loop over examples:
#
# $$A = \sigma(w^T X + b) = \bigl(a^{(1)}, a^{(2)}, \dots, a^{(m)}\bigr), \qquad
# J = -\frac1m \sum_{i=1}^m \Bigl(y^{(i)} \log a^{(i)} + (1 - y^{(i)}) \log(1 - a^{(i)})\Bigr)$$
#
# Its gradients (calculus gives a pleasantly short result for the sigmoid with cross-entropy):
#
# $$\frac{\partial J}{\partial w} = \frac1m\, X (A - Y)^T \quad\text{(shape } (n_x, 1)\text{, like } w),
# \qquad \frac{\partial J}{\partial b} = \frac1m \sum_{i=1}^m \bigl(a^{(i)} - y^{(i)}\bigr)$$
#
# **Exercise 3, `propagate`** (4 lines). Compute `A`, the `cost`, `dw` and `db` from the
# arguments `w, b, X, Y` only (not from the notebook's `train_x`). `m` is given. Useful:
# `w.T @ X` (or `np.dot(w.T, X)`), `np.log`, `np.sum` or `np.mean`. `db` must be a single
# number, and `dw` must have the shape of `w`: `(n_x, 1)`, not `(1, n_x)`. The code after
# your lines expects the names `cost`, `dw` and `db`.

# %%
def propagate(w, b, X, Y):
    """Cost and gradients of logistic regression.

    w: (n_x, 1) weights, b: float bias, X: (n_x, m) examples as columns, Y: (1, m) labels 0/1.
    Returns grads = {"dw": (n_x, 1) array, "db": float} and the cost (a float).
    """
    m = X.shape[1]
    ### BEGIN SOLUTION
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = X @ (A - Y).T / m
    db = np.sum(A - Y) / m
    ### END SOLUTION
    cost = float(np.squeeze(cost))
    grads = {"dw": dw, "db": db}
    return grads, cost


# %%
check.propagate(propagate)

# A tiny example you can follow by hand: two features, three examples.
w_demo, b_demo = np.array([[1.0], [-2.0]]), 0.5
X_demo = np.array([[1.0, 2.0, -1.0], [0.5, -1.0, 1.0]])
Y_demo = np.array([[1.0, 1.0, 0.0]])
grads_demo, cost_demo = propagate(w_demo, b_demo, X_demo, Y_demo)
print("dw =", grads_demo["dw"].ravel(), " db =", round(grads_demo["db"], 6), " cost =", round(cost_demo, 6))

# %% [markdown]
# ## 5. Gradient descent
#
# Each step moves the parameters a little way downhill, against the gradient:
#
# $$w := w - \alpha\, \frac{\partial J}{\partial w}, \qquad b := b - \alpha\, \frac{\partial J}{\partial b}$$
#
# where $\alpha$ is the **learning rate**.
#
# **Exercise 4, `optimize`** (about 6 lines in the loop). In every iteration `i`: call your
# `propagate`, take `dw` and `db` out of `grads`, update `w` and `b`, and when `i % 100 == 0`
# append the cost to `costs` (so the list starts with the cost at iteration 0, before any
# update). Two traps:
#
# - write the update as `w = w - learning_rate * dw`, which makes a new array. The in-place
#   form `w -= learning_rate * dw` would silently change the array the caller passed in.
# - use the `num_iterations` and `learning_rate` arguments, not fixed numbers.
#
# The code after the loop expects the names `cost`, `dw` and `db`.

# %%
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """Run num_iterations steps of gradient descent from (w, b) on the data X, Y.

    Returns params = {"w", "b"} after the last step, grads = {"dw", "db"} of the last step,
    and costs: the cost before iterations 0, 100, 200, ...
    """
    costs = []
    for i in range(num_iterations):
        ### BEGIN SOLUTION
        grads, cost = propagate(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % 100 == 0:
            costs.append(cost)
        ### END SOLUTION
        if print_cost and i % 100 == 0:
            print(f"cost after iteration {i:5d}: {cost:.6f}")
    params = {"w": w, "b": b}
    grads = {"dw": dw, "db": db}
    return params, grads, costs


# %%
check.optimize(optimize)

params_demo, _, costs_demo = optimize(w_demo, b_demo, X_demo, Y_demo, num_iterations=201, learning_rate=0.1)
print("w =", params_demo["w"].ravel(), " b =", round(params_demo["b"], 6))
print("costs at iterations 0, 100, 200:", np.round(costs_demo, 6))

# %% [markdown]
# ## 6. Predicting
#
# The trained neuron outputs a probability $a = \sigma(w^T x + b)$. To turn it into a label, say
# "shirt" (1) when $a > 0.5$ and "other top" (0) otherwise.
#
# **Exercise 5, `predict`** (2 lines). Return a `(1, m)` array of floats `0.0` / `1.0`. No loop:
# compare the whole row `A` with 0.5 at once, then convert the booleans with `.astype(float)`.
# Call the result `Y_prediction`.

# %%
def predict(w, b, X):
    """Labels 0.0/1.0 of shape (1, m) for the examples in the columns of X."""
    ### BEGIN SOLUTION
    A = sigmoid(w.T @ X + b)
    Y_prediction = (A > 0.5).astype(np.float64)
    ### END SOLUTION
    return Y_prediction


# %%
check.predict(predict)
print("predictions on the tiny example:", predict(params_demo["w"], params_demo["b"], X_demo))

# %% [markdown]
# ## 7. Putting it together
#
# **Exercise 6, `model`** (5 lines). Initialise `w` and `b` for `X_train.shape[0]` features, run
# `optimize` with *this* function's `num_iterations`, `learning_rate` and `print_cost` (do not
# fall back on `optimize`'s own defaults), then predict on the test set and on the training
# set with the learned parameters. The return statement expects the names `costs`, `w`, `b`,
# `Y_prediction_test` and `Y_prediction_train`.
#
# The defaults, 2000 iterations at a learning rate of 0.1, are a first guess, and the settings
# of the run below. Whether that rate suits these images is decided later, by comparing it
# with others on images set aside from the training set (section 9 shows how).

# %%
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.1, print_cost=False):
    """Train logistic regression on (X_train, Y_train); predict on both sets.

    Returns a dict with the cost history, both sets' predictions, the learned w and b and the
    hyper-parameters used.
    """
    ### BEGIN SOLUTION
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)
    ### END SOLUTION
    return {"costs": costs, "Y_prediction_test": Y_prediction_test, "Y_prediction_train": Y_prediction_train,
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}


# %%
check.model(model)

# %% [markdown]
# Now train on the real images, with the default hyper-parameters. Half the test images are
# shirts, so a model that always answers "shirt", or tosses a coin, is right on half of them:
# that is chance, the floor. The target for this notebook, **at least 72% test accuracy**,
# asks for a model that has clearly learned something from the pixels. It is set below what
# a full run reaches, by more than the standard error of an accuracy measured on 2000 images
# (section 9 shows how to compute one), so that another draw of test images or another CPU's
# rounding would not make a model that learned the same thing miss it. The run prints what
# it reaches.

# %%
def accuracy(predictions, labels):
    """Share of predictions equal to the labels."""
    return float(np.mean(predictions == labels))


logistic = model(train_x, train_y, test_x, test_y, num_iterations=num_iterations, learning_rate=0.1, print_cost=True)
train_acc = accuracy(logistic["Y_prediction_train"], train_y)
test_acc = accuracy(logistic["Y_prediction_test"], test_y)
print(f"\ntrain accuracy: {train_acc:.4f}   test accuracy: {test_acc:.4f}")
headline("test accuracy", test_acc, target=0.72)

# %%
ax = plotting.plot_costs(logistic["costs"], title=f"Training cost, learning rate {logistic['learning_rate']}")
plt.show()

# %% [markdown]
# The cost falls at every recorded step, steeply at first and then ever more slowly: gradient
# descent takes big steps where the slope is steep and small ones near the bottom of the
# valley. In a full run it ends well below its start and is still decreasing, so more
# iterations would lower the *training* cost further; whether that helps on the test images is
# the question of section 10, and whether larger steps would get down faster, the question of
# section 9.
#
# ## 8. Which images does it get wrong?
#
# Some right answers (green) and some mistakes (red) on the test set. Each title gives the
# prediction and, in brackets, the model's probability that the image is a shirt.

# %%
probability = sigmoid(logistic["w"].T @ test_x + logistic["b"])[0]
predicted = logistic["Y_prediction_test"][0].astype(int)
truth = test_y[0]
right = np.flatnonzero(predicted == truth)[:8]
wrong = np.flatnonzero(predicted != truth)[:8]
shown = np.concatenate([right, wrong])
titles = [f"{classes[predicted[i]]} ({probability[i]:.2f})" + ("" if predicted[i] == truth[i] else f"\nis: {classes[truth[i]]}")
          for i in shown]
colors = ["green" if predicted[i] == truth[i] else "red" for i in shown]
fig = plotting.show_images(test_x_orig[shown], titles, colors=colors, ncols=8, size=1.5)
plt.show()

# %% [markdown]
# Several mistakes are garments between the two classes: at 28×28 pixels a plain long-sleeved
# shirt looks much like a thin pullover or a light jacket that opens down the front, and a
# short-sleeved one like a T-shirt. Others have a bold pattern or an unusual cut that the
# single template the neuron has learned does not match. Note the probabilities too: some
# mistakes are made with high confidence (a probability near 0 or 1), not only near 0.5.
#
# That template is visible. Each weight multiplies one pixel, so `w` reshaped to 28×28 shows
# which pixels push the decision towards "shirt" (red, positive weight) or "other top" (blue,
# negative weight).

# %%
weights = logistic["w"].reshape(small_px, small_px)
limit = np.abs(weights).max()
fig, ax = plt.subplots(figsize=(4, 3.5))
im = ax.imshow(weights, cmap="RdBu_r", vmin=-limit, vmax=limit)
ax.set_title(f"w as an image: red = {classes[1]}, blue = {classes[0]}")
ax.axis("off")
fig.colorbar(im, ax=ax)
plt.show()

# %% [markdown]
# The largest weights sit along the top of the picture, where a shirt's collar differs from
# a T-shirt's or a pullover's round neck: blue ones at the neckline, red ones on the
# shoulders beside it. A few more sit along the hem at the bottom. Most of the others are
# small, with a faint speckle: weights that fit accidents of the training images rather than
# anything about shirts. With one weight per pixel of a 14×14 image and 8000 training images,
# there is little room for such accidents; keep them in mind for section 10.

# %% [markdown]
# ## 9. Choosing the learning rate
#
# The learning rate sets the size of each step. Too small, and training crawls; too large, and
# each step overshoots the valley, so the cost jumps up instead of falling. The run of
# section 7, at `model`'s default rate, was still going down steadily when it stopped. Would
# larger steps do better on these images?
#
# Which rate is best must not be decided on the test images: a test set that has helped choose
# the model no longer measures how the model does on new pictures. So we split a **validation
# set** off the training images: 1600 of the 8000, drawn at random, are held back; the model
# trains on the other 6400, and each candidate rate is judged by its accuracy on the 1600. The
# test images stay untouched until the choice is made.

# %%
rng = np.random.default_rng(0)
order = rng.permutation(m_train)
val_idx, fit_idx = order[:1600], order[1600:]
fit_x, fit_y = train_x[:, fit_idx], train_y[:, fit_idx]
val_x, val_y = train_x[:, val_idx], train_y[:, val_idx]
m_val = val_y.shape[1]
print(f"fitting set {fit_x.shape}, validation set {val_x.shape}")

runs = {}
for lr in (0.1, 0.3, 1.0):
    # model() predicts on its third argument: here the validation images, not the test images
    runs[lr] = model(fit_x, fit_y, val_x, val_y, num_iterations=lr_iterations, learning_rate=lr)
    runs[lr]["train_acc"] = accuracy(runs[lr]["Y_prediction_train"], fit_y)
    runs[lr]["val_acc"] = accuracy(runs[lr]["Y_prediction_test"], val_y)
    se = np.sqrt(runs[lr]["val_acc"] * (1 - runs[lr]["val_acc"]) / m_val)
    print(f"learning rate {lr:<6} train accuracy {runs[lr]['train_acc']:.4f}   "
          f"validation accuracy {runs[lr]['val_acc']:.4f} (standard error {se:.4f})")

ax = plotting.plot_costs(
    {f"α = {lr}  (train {r['train_acc']:.3f}, validation {r['val_acc']:.3f})": r["costs"] for lr, r in runs.items()},
    title=f"Cost for three learning rates, {lr_iterations} iterations")
plt.show()

# %% [markdown]
# What the figure shows (each curve is the cost sampled every 100 iterations):
#
# - $\alpha = 0.1$, the rate `model` uses by default, falls smoothly, as in section 7, but
#   slowly: it never goes up, and after the last iteration it is still well on its way down.
# - $\alpha = 0.3$ overshoots at first: its first recorded step goes *up*, above the starting
#   cost, because the first steps land high on the far side of the valley. It then comes down
#   fast, passes the smooth curve, and ends lowest of the three: the iterations spent climbing
#   back were soon made up by the larger steps.
# - $\alpha = 1.0$ overshoots much further and never recovers in this run: its cost jumps far
#   above the start and is still above it after the last iteration. Compare its accuracies in
#   the legend with the others'.
#
# The choice is made on the validation accuracies printed above, not on the test set. Their
# standard errors (printed too) are large: 1600 images cannot separate two rates whose
# validation accuracies differ by less than two standard errors. Among rates that validate
# about equally well, prefer the one whose cost falls most steadily. In
# practice, try rates a factor of about 3 apart (0.01, 0.03, 0.1, 0.3, ...) the same way.
#
# Once the rate is chosen, train on all 8000 training images with it and measure the test
# accuracy **once**. The cell also prints, for comparison, the test accuracy of section 7's
# run with `model`'s defaults:

# %%
best_lr = max(runs, key=lambda lr: runs[lr]["val_acc"])
final = model(train_x, train_y, test_x, test_y, num_iterations=lr_iterations, learning_rate=best_lr)
final_test = accuracy(final["Y_prediction_test"], test_y)
print(f"learning rate chosen on the validation set: {best_lr}")
print(f"test accuracy, measured once: {final_test:.4f} "
      f"(standard error {np.sqrt(final_test * (1 - final_test) / m_test):.4f})")
print(f"section 7's run with model's defaults (learning rate {logistic['learning_rate']}, "
      f"{logistic['num_iterations']} iterations) reached {test_acc:.4f}")

# %% [markdown]
# ## 10. Training accuracy, test accuracy and overfitting
#
# The training accuracy is higher than the test accuracy: the model has seen the training
# images, and with 196 weights it can fit some of their peculiarities, not only what sets
# shirts apart from the other tops. That gap is **overfitting**. To watch how it evolves, we
# train again from zeros, in chunks, at the learning rate chosen in section 9, and measure both
# accuracies after each chunk.

# %%
chunk = 250
w, b = initialize_with_zeros(train_x.shape[0])
steps, train_curve, test_curve = [], [], []
for done in range(chunk, curve_iterations + 1, chunk):
    trained, _, _ = optimize(w, b, train_x, train_y, num_iterations=chunk, learning_rate=best_lr)
    w, b = trained["w"], trained["b"]
    steps.append(done)
    train_curve.append(accuracy(predict(w, b, train_x), train_y))
    test_curve.append(accuracy(predict(w, b, test_x), test_y))
    print(f"after {done:5d} iterations: train accuracy {train_curve[-1]:.4f}, test accuracy {test_curve[-1]:.4f}")

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(steps, train_curve, "o-", label="training images")
ax.plot(steps, test_curve, "o-", label="test images")
ax.set_xlabel("iteration")
ax.set_ylabel("accuracy")
ax.set_title(f"Accuracy as training goes on (learning rate {best_lr})")
ax.legend()
plt.show()

# %% [markdown]
# The training accuracy keeps climbing, because gradient descent keeps lowering the training
# cost. The test accuracy rises with it at first, then levels off (the cell prints every
# point): the late iterations bring it almost nothing, and what they fit are mostly details of
# the training images. Here the gap between the curves stays small: one weight per pixel of a
# 14×14 image, for 8000 training images, leaves a single neuron little room to memorise. The
# networks of notebook 5, with many more weights, fit their training images much better than
# new ones. Choosing when to stop is another choice to make on a validation set, like the
# learning rate.
#
# Remedies, each with its own notebook later in the course: more data, regularisation
# (penalising large weights), and early stopping chosen on a separate validation set. And a
# single neuron can only draw a straight boundary (a hyperplane) through the 196-dimensional
# pixel space; the deeper networks of the next notebooks can learn curved ones. The deep
# network of notebook 5, trained on these same images, will have to beat logistic regression
# whose learning rate is chosen as in section 9, on the same validation split.
#
# ## What you have learned
#
# - Images become columns: `X` of shape `(n_x, m)` with pixels scaled to [0, 1], labels `Y` of
#   shape `(1, m)`.
# - Logistic regression is a one-neuron network: forward pass $A = \sigma(w^T X + b)$,
#   cross-entropy cost, gradients $\frac1m X (A - Y)^T$ and $\frac1m \sum (A - Y)$, all
#   vectorised over the examples.
# - Gradient descent repeats forward pass, backward pass and update; the learning rate decides
#   whether it crawls, converges or bounces.
# - Compare training and test accuracy: a widening gap means the model is fitting the training
#   set rather than the task.

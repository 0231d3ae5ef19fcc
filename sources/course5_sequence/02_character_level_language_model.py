# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: A character-level language model of dinosaur names
#     minutes: 1
#     fast:
#       num_iterations: 3000
#       keras_epochs: 2
# ---

# %% [markdown]
# # A character-level language model of dinosaur names
#
# **What you will build:** a recurrent network that reads dinosaur names one letter at a
# time, learns which letter tends to come next, and then invents new names by drawing one
# letter after another from its own predictions. You write the pieces that make it train and
# speak, in NumPy: gradient clipping, the sampler, one optimisation step and the training
# loop. Then you train a Keras LSTM on the same task and turn the *temperature* knob that
# trades boldness for caution.
#
# **What you will learn:**
# - how a language model turns text into a sequence of "predict the next character" tasks,
#   and why the newline character both starts and ends a name;
# - why recurrent networks need their gradients clipped, and what clipping does;
# - how to sample from a model (a random draw from its probabilities, not the most likely
#   letter), and why the hidden state must be carried from step to step;
# - how the smoothed loss shows training progress on a noisy, one-name-at-a-time signal;
# - how temperature reshapes a model's distribution, and how to tell invented names from
#   remembered ones.
#
# **Time:** about 60 minutes of work; a full run of the notebook takes about a minute on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import keras
import matplotlib.pyplot as plt
import numpy as np

from shared_utils import headline
from shared_utils.checks import c5_02_character_level_language_model as check
from shared_utils.common.progress import heartbeat
from shared_utils.course5 import char_rnn
from shared_utils.data.dinosaurs import load_dinosaur_names

# %% tags=["parameters"]
# Training iterations of the NumPy network (section 6); each one trains on one name.
num_iterations = 12000
# Epochs of the Keras LSTM (section 7); each is one pass over every character of every name.
keras_epochs = 8
# Hidden units of the NumPy network, and its learning rate.
n_a = 50
learning_rate = 0.01

# %% [markdown]
# ## 1. The data: real dinosaur names
#
# The names come from three lists: `dinosaurs`, a package on the npm registry that collects
# the names of a dinosaur dictionary's A-Z index, and two dictionaries installed on Debian
# systems, WordNet, whose noun hierarchy places every genus under "dinosaur", and SCOWL, a
# large English word list whose entries ending in *-saurus*, *-raptor*, *-odon* and the like
# were reviewed one by one (the ending alone cannot tell a dinosaur from a plesiosaur or a
# shark). `tools/derive_dinosaur_names.py` rebuilds the list, and
# `course5_sequence/data/dinosaur_names.LICENSE.txt` gives the sources and their licences.
#
# The cell below prints how many names there are. A model has to learn the *style* of the
# names (Greek and Latin roots, a handful of endings) well enough to invent new ones, and
# we will check whether what it writes is new or merely remembered.

# %%
names = load_dinosaur_names()
chars, char_to_ix, ix_to_char = char_rnn.vocabulary(names)
vocab_size = len(chars)
print(f"{len(names)} names, {vocab_size} characters in the vocabulary (the newline and {vocab_size - 1} letters)")
print("a few:", ", ".join(names[::8]))
print("index of the newline:", char_to_ix["\n"], "  of 'a':", char_to_ix["a"])

# %% [markdown]
# The names share a handful of endings and their lengths spread widely; a model has to
# learn both when to stop and how to finish.

# %%
endings = {}
for n in names:
    for ending in ("saurus", "raptor", "odon", "ops", "mimus", "nychus"):
        if n.endswith(ending):
            endings[ending] = endings.get(ending, 0) + 1
            break
    else:
        endings["other"] = endings.get("other", 0) + 1
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
lengths = [len(n) for n in names]
axes[0].hist(lengths, bins=range(min(lengths), max(lengths) + 2), color="tab:green", edgecolor="white")
axes[0].set(xlabel="letters in the name", ylabel="names", title="Name lengths")
axes[1].bar(list(endings), list(endings.values()), color="tab:brown")
axes[1].set(ylabel="names", title="How the names end")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. The model
#
# At each step $t$ the network reads one character $x^{\langle t \rangle}$ (a one-hot vector
# of length $V$, the vocabulary size), updates its hidden state and predicts the next
# character:
#
# $$a^{\langle t \rangle} = \tanh\left(W_{ax} x^{\langle t \rangle} + W_{aa} a^{\langle t-1 \rangle} + b\right),
# \qquad \hat y^{\langle t \rangle} = \mathrm{softmax}\left(W_{ya} a^{\langle t \rangle} + b_y\right)$$
#
# A name is one sequence. "rex" becomes the inputs `X = [\n, r, e, x]` and the targets
# `Y = [r, e, x, \n]` (as indices): the network reads a newline and must guess "r", reads "r"
# and must guess "e", and so on, until it reads "x" and must say the name is over. The loss
# of the name is the cross-entropy summed over its steps,
# $\mathcal{L} = -\sum_t \log \hat y^{\langle t \rangle}_{Y_t}$.
#
# The parts you do not write live in `shared_utils.course5.char_rnn` (read them if you
# like): `rnn_forward(X, Y, a_prev, parameters)` returns the loss and a cache `(X, Y, a,
# y_hat)` where `a` has shape `(n_a, T + 1)` (column 0 is `a_prev`, column `t` the state after
# step `t`); `rnn_backward(parameters, cache)` returns the gradients `dWax, dWaa, dWya, db,
# dby` (and `da0`); `update_parameters(parameters, gradients, learning_rate)` returns new
# parameters. The parameters are a dict with `Wax (n_a, V)`, `Waa (n_a, n_a)`, `Wya (V,
# n_a)`, `b (n_a, 1)` and `by (V, 1)`.

# %% [markdown]
# ## 3. Gradient clipping
#
# Backpropagation through time multiplies by $W_{aa}$ once per step. When those products
# grow, a single unlucky name can produce a gradient so large that one update throws the
# parameters far away: the loss jumps and training may never recover. The simple cure is
# to **clip**: before the update, every entry of every gradient is limited to
# $[-\text{maxValue}, \text{maxValue}]$. Inside the interval nothing changes; outside, the
# entry is set to the nearest bound. (Clipping by the norm of the whole gradient is a
# common alternative; here we clip entry by entry.)
#
# **Exercise 1, `clip`** (2 lines). Return a **new** dict with the same keys as `gradients`,
# each array clipped with `np.clip(array, -maxValue, maxValue)`. Do not change the arrays
# you were given: `np.clip` returns a new array, so keep what it returns.

# %%
def clip(gradients, maxValue):
    """A new dict: every array of `gradients` with its entries limited to [-maxValue, maxValue]."""
    ### BEGIN SOLUTION
    return {key: np.clip(value, -maxValue, maxValue) for key, value in gradients.items()}
    ### END SOLUTION


# %%
check.clip(clip)

# %% [markdown]
# What clipping does to a gradient, entry by entry: the picture shows the entries of an
# exploding gradient before and after clipping at 5.

# %%
demo = {"dWaa": np.random.default_rng(1).standard_cauchy(200)}
clipped = clip(demo, 5.0)
plt.figure(figsize=(8, 2.8))
plt.plot(demo["dWaa"], ".", color="lightgray", label="before")
plt.plot(clipped["dWaa"], ".", color="tab:red", ms=4, label="after clip(..., 5)")
plt.axhline(5, color="k", lw=0.8, ls="--")
plt.axhline(-5, color="k", lw=0.8, ls="--")
plt.ylim(-30, 30)
plt.xlabel("entry")
plt.legend(loc="upper right")
plt.title("Clipping keeps every entry within [-5, 5]")
plt.show()

# %% [markdown]
# ## 4. Sampling
#
# A trained model gives, at each step, a probability for every character. To *write* a
# name, start from the newline and a zero hidden state and repeat:
#
# 1. $a = \tanh(W_{ax} x + W_{aa} a_{prev} + b)$ and $y = \mathrm{softmax}(W_{ya} a + b_y)$;
# 2. draw an index at random with the probabilities $y$: `rng.choice(vocab_size, p=y.ravel())`.
#    A draw, not `np.argmax`: the most likely letter every time would write the same name
#    forever;
# 3. append the index; the next input `x` is its one-hot vector (a fresh `np.zeros((vocab_size,
#    1))` with a 1 at the index) and `a_prev = a`: the state carries what was written so far.
#
# Stop when the newline is drawn (keep it as the last index), or after 50 characters, in which
# case append the newline's index yourself.
#
# The random draws come from `rng`, a `numpy.random.Generator`: with the same seed, the same
# names come out, and the check can draw thousands of names from generators of its choosing.
#
# **Exercise 2, `sample`** (about 12 lines). Return the list of indices drawn.

# %%
def sample(parameters, char_to_ix, rng):
    """Draw one name from the network: a list of indices that ends with the newline's index.

    parameters: dict of Wax, Waa, Wya, b, by; char_to_ix: character -> index;
    rng: a numpy.random.Generator. At most 50 characters are drawn, then a newline is appended.
    """
    Waa, Wax, Wya, by, b = parameters["Waa"], parameters["Wax"], parameters["Wya"], parameters["by"], parameters["b"]
    vocab_size, n_a = by.shape[0], Waa.shape[1]
    newline = char_to_ix["\n"]
    x = np.zeros((vocab_size, 1))
    x[newline] = 1.0
    a_prev = np.zeros((n_a, 1))
    indices = []
    ### BEGIN SOLUTION
    idx = -1
    while idx != newline and len(indices) < 50:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        y = char_rnn.softmax(Wya @ a + by)
        idx = int(rng.choice(vocab_size, p=y.ravel()))
        indices.append(idx)
        x = np.zeros((vocab_size, 1))
        x[idx] = 1.0
        a_prev = a
    if idx != newline:
        indices.append(newline)
    ### END SOLUTION
    return indices


# %% [markdown]
# The check is statistical: it draws a few thousand names from small networks whose first
# and second letters have probabilities it computes exactly, and compares the frequencies
# of your draws with them by a chi-square test. A right sampler passes except with
# a tiny probability (the check's docstring gives it); a sampler that takes the argmax, draws from
# the scores before the softmax, or forgets the hidden state, fails every time.

# %%
check.sample(sample)

# %% [markdown]
# Before any training the weights are tiny, every letter is about equally likely, and the
# "names" are random strings:

# %%
rng = np.random.default_rng(2)
parameters = char_rnn.initialize_parameters(n_a, vocab_size, rng)
for _ in range(4):
    print(char_rnn.decode(sample(parameters, char_to_ix, rng), ix_to_char))

# %% [markdown]
# ## 5. One optimisation step
#
# **Exercise 3, `optimize`** (about 5 lines). One step of training on one name:
#
# 1. `loss, cache = char_rnn.rnn_forward(X, Y, a_prev, parameters)`;
# 2. `gradients = char_rnn.rnn_backward(parameters, cache)`;
# 3. clip them with your `clip(gradients, 5)`;
# 4. `parameters = char_rnn.update_parameters(parameters, gradients, learning_rate)`.
#
# Return `loss, gradients, a_last, parameters`: the clipped gradients, the hidden state after
# the last step (`cache[2][:, -1:]`, shape `(n_a, 1)`) and the new parameters.

# %%
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    """One step of gradient descent on one sequence; returns loss, gradients, a_last, parameters."""
    ### BEGIN SOLUTION
    loss, cache = char_rnn.rnn_forward(X, Y, a_prev, parameters)
    gradients = clip(char_rnn.rnn_backward(parameters, cache), 5)
    parameters = char_rnn.update_parameters(parameters, gradients, learning_rate)
    a_last = cache[2][:, -1:]
    ### END SOLUTION
    return loss, gradients, a_last, parameters


# %%
check.optimize(optimize)

# %% [markdown]
# ## 6. The training loop
#
# One name per iteration: the loss of a single name jumps up and down with the name (a long
# name costs more than a short one), so we follow an exponentially **smoothed loss** instead,
# $\ell \leftarrow \beta\,\ell + (1 - \beta)\,\ell_{\text{name}}$ with $\beta$ close to 1 (it keeps
# almost all of the old value: `char_rnn.smooth` gives it), which starts from the loss of a
# model that guesses uniformly and falls as the model learns.
#
# **Exercise 4, `model`** (about 6 lines, in the loop). At iteration `j`:
#
# - take the name `names[j % len(names)]` (the list is cycled through again and again);
# - build `X` (the newline's index, then the name's indices) and `Y` (the name's indices,
#   then the newline's index), as in section 2;
# - start the name from a zero hidden state, `a_prev = np.zeros((n_a, 1))`: every name is a
#   sequence of its own, as when sampling;
# - `current_loss, gradients, a_prev, parameters = optimize(X, Y, a_prev, parameters, learning_rate)`;
# - update the smoothed `loss` with `char_rnn.smooth(loss, current_loss)`.
#
# The given lines keep the smoothed loss of every iteration and print it now and then.

# %%
def model(names, char_to_ix, parameters, num_iterations, learning_rate=0.01, print_every=0):
    """Train on one name per iteration; returns the new parameters and the smoothed losses."""
    n_a = parameters["Waa"].shape[0]
    loss = char_rnn.initial_loss(len(char_to_ix), np.mean([len(name) + 1 for name in names]))
    losses = []
    for j in range(num_iterations):
        ### BEGIN SOLUTION
        name = names[j % len(names)]
        X = [char_to_ix["\n"]] + [char_to_ix[c] for c in name]
        Y = X[1:] + [char_to_ix["\n"]]
        a_prev = np.zeros((n_a, 1))
        current_loss, gradients, a_prev, parameters = optimize(X, Y, a_prev, parameters, learning_rate)
        loss = char_rnn.smooth(loss, current_loss)
        ### END SOLUTION
        losses.append(loss)
        if print_every and (j + 1) % print_every == 0:
            print(f"iteration {j + 1:5d}: smoothed loss {loss:.3f}")
    return parameters, np.array(losses)


# %%
check.model(model)

# %% [markdown]
# Now train on the real names, shuffled once, for `num_iterations` iterations (every name is
# seen many times). The smoothed loss is printed as it goes.

# %%
rng = np.random.default_rng(0)
train_names = [str(n) for n in rng.permutation(names)]
parameters = char_rnn.initialize_parameters(n_a, vocab_size, rng)
parameters, losses = model(
    train_names, char_to_ix, parameters, num_iterations, learning_rate, print_every=max(1, num_iterations // 6)
)
start_loss = char_rnn.initial_loss(vocab_size, np.mean([len(n) + 1 for n in names]))

# %%
plt.figure(figsize=(8, 3.2))
plt.plot(np.arange(1, len(losses) + 1), losses, color="tab:blue")
plt.axhline(start_loss, color="gray", ls="--", lw=1, label="uniform guessing")
plt.xlabel("iteration (one name each)")
plt.ylabel("smoothed loss per name")
plt.title("Training the NumPy character-level RNN")
plt.legend()
plt.show()

# %% [markdown]
# The headline: the smoothed loss at the end as a fraction of where it started (uniform
# guessing). A model that has learned the names' letters and endings should be well below
# it; the target asks for less than 0.6 of the starting loss.

# %%
ratio = losses[-1] / start_loss
print(f"smoothed loss: {start_loss:.2f} at the start, {losses[-1]:.2f} at the end")
met = headline("smoothed loss, end / start", ratio, target=0.6, higher_is_better=False)

# %% [markdown]
# What the network writes now, and which of its names are new (not in the training list):

# %%
known = set(names)
rng = np.random.default_rng(5)
drawn = [char_rnn.decode(sample(parameters, char_to_ix, rng), ix_to_char) for _ in range(300)]
new = [d for d in drawn if d not in known]
print("twelve draws:", ", ".join(drawn[:12]))
print(f"share of new names: {len(new) / len(drawn):.2f} of {len(drawn)} draws; a few new ones:", ", ".join(new[:8]))

# %% [markdown]
# ## 7. The same task with a Keras LSTM, and a temperature knob
#
# Keras does the bookkeeping for us. The LSTM reads a window of the last 8 characters (a
# name starts after 8 newlines) and predicts the next; `char_rnn.text_windows` cuts every
# name into such windows. An `Embedding` layer replaces the one-hot vectors (it learns a
# small vector per character), and `fit` trains on mini-batches of windows with Adam.

# %%
window = 8
x_train, y_train = char_rnn.text_windows(names, char_to_ix, window)
print("windows:", x_train.shape, " next characters:", y_train.shape)
keras.utils.set_random_seed(0)
lstm_model = keras.Sequential(
    [
        keras.Input(shape=(window,), dtype="int32"),
        keras.layers.Embedding(vocab_size, 16, name="characters"),
        keras.layers.LSTM(64, name="lstm"),
        keras.layers.Dense(vocab_size, activation="softmax", name="next_character"),
    ],
    name="dinosaur_lstm",
)
lstm_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
lstm_model.summary()

# %%
history = lstm_model.fit(x_train, y_train, batch_size=128, epochs=keras_epochs, verbose=2,
                         callbacks=[heartbeat()])

# %% [markdown]
# **Temperature.** To sample, the model's probabilities $p$ are first reshaped into
# $p^{1/T}$, normalised. $T = 1$ leaves them as they are; a low temperature sharpens them
# towards the most likely letter (safe, repetitive names, often copies); a high one flattens
# them (bold names, more new ones, and more nonsense). `char_rnn.generate` draws many names
# at once this way.

# %%
temperatures = [0.5, 0.8, 1.0, 1.5]
rng = np.random.default_rng(7)
predict = lambda x: lstm_model(x, training=False).numpy()  # noqa: E731
shares = []
for temperature in temperatures:
    drawn = char_rnn.generate(predict, char_to_ix, window, rng, count=200, temperature=temperature)
    share = np.mean([d not in known for d in drawn])
    shares.append(share)
    print(f"T = {temperature}: new {share:.2f}  e.g. " + ", ".join(drawn[:6]))

# %%
plt.figure(figsize=(6, 3))
plt.plot(temperatures, shares, "o-", color="tab:purple")
plt.xlabel("temperature")
plt.ylabel("share of new names")
plt.ylim(0, 1)
plt.title("Hotter sampling invents more, and remembers less")
plt.show()

# %% [markdown]
# ## What you have seen
#
# - A language model is a next-character classifier applied at every step; the newline
#   marks where a name starts and ends.
# - Clipping keeps one bad gradient from wrecking training; sampling draws from the softmax
#   and carries the hidden state; the smoothed loss makes progress visible.
# - A model can learn its training names by heart: always ask how many of its outputs are
#   new. Temperature chooses between copying and inventing.

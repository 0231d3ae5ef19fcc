# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Recurrent architectures in Keras
#     minutes: 3
#     fast:
#       gaps: [3]
#       recall_train: 128
#       recall_epochs: 2
#       tag_train: 128
#       tag_epochs: 1
# ---

# %% [markdown]
# # Recurrent architectures in Keras
#
# **What you will build:** three model builders in Keras: a sequence classifier built on one
# recurrent layer of your choice (a plain `SimpleRNN`, an `LSTM` or a `GRU`), a stacked
# (deep) version of it, and a bidirectional tagger that labels every position of a sequence.
# You then train them on two small tasks built to show where they differ.
#
# **What you will learn:**
# - how Keras's recurrent layers read a batch, `(examples, time steps, features)`, and what
#   `return_sequences` changes in what they give back;
# - why a plain RNN forgets over long distances where the gated LSTM and GRU hold on, seen
#   as accuracy against the distance the network must remember across;
# - how stacking layers works (every layer but the last hands on its whole sequence);
# - what a bidirectional layer adds when the label of a position depends on what comes after
#   it, and what each architecture costs in parameters and time.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes about three minutes on
# a two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it. Each check builds your model for
# several cells, lengths and sizes, compares it layer by layer with the model the exercise
# describes, then gives both the same weights and compares their outputs.

# %% tags=["setup"]
import keras
import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm  # a progress bar: a widget in JupyterLab and Colab, text elsewhere

from shared_utils import headline
from shared_utils.checks import c5_04_recurrent_architectures as check
from shared_utils.course5 import recurrent_runs, recurrent_tasks

# The three recurrent layers of this notebook, by the names the builders take.
RECURRENT = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}

# %% tags=["parameters"]
# Gaps of the delayed-recall task (section 2): time steps at least between the marked symbol and the end.
gaps = [5, 10, 20]
# Training sequences, epochs, mini-batch size and units of each model of section 2.
recall_train = 2000
recall_epochs = 20
recall_batch_size = 64
recall_units = 32
# Units of the recurrent layers of the other sections (the summaries, the taggers of section 4).
units = 16
# Length, training sequences and epochs of the tagging task (section 4).
tag_length = 10
tag_train = 1024
tag_epochs = 6

# %% [markdown]
# ## 1. Keras's recurrent layers
#
# The step-by-step notebook wrote the cells by hand with the layout of the Deep Learning
# Specialization (features, examples, time). Keras's layers read a batch the other way
# round: **examples first, then time steps, then features**, `(m, T, n_features)`. A layer
# such as `keras.layers.LSTM(units)` runs its cell over the `T` steps and, by default,
# returns only the **last** hidden state, `(m, units)`: one vector per sequence, what a
# classifier needs. With `return_sequences=True` it returns the state at **every** step,
# `(m, T, units)`: what a tagger needs, and what a second recurrent layer needs as its input.

# %%
batch = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")  # 2 sequences, 5 steps, 3 features
for name, layer in RECURRENT.items():
    last = layer(4)(batch)
    every = layer(4, return_sequences=True)(batch)
    print(f"{name:>4}: last state {tuple(last.shape)}, every state {tuple(every.shape)}")

# %% [markdown]
# A batch with the time axis in the wrong place is a common, silent bug: `(m, n_features, T)`
# has the right number of dimensions, and a model built for it would train on nonsense. The
# task generators of this notebook give `(m, T, n_features)`, and the training helper
# refuses anything else with a message that says how to fix it:

# %%
x_demo, y_demo = recurrent_tasks.delayed_recall(4, gap=6, seed=0)
print("the right layout:", recurrent_tasks.keras_layout(x_demo, n_features=x_demo.shape[-1]))
try:
    recurrent_tasks.keras_layout(np.transpose(x_demo, (0, 2, 1)), n_features=x_demo.shape[-1])
except ValueError as error:
    print("time axis last:", error)

# %% [markdown]
# ### Exercise 1, `sequence_classifier` (3 lines)
#
# Build a Keras model that reads sequences of shape `input_shape = (T, n_features)` and
# gives, for each sequence, a probability for each of `n_classes` classes:
#
# 1. `keras.Input(shape=input_shape)`;
# 2. one recurrent layer of the kind `cell` names, `RECURRENT[cell](units)` (`cell` is one of
#    `"rnn"`, `"lstm"`, `"gru"`; the dict is given in the set-up cell), returning its last
#    state only;
# 3. `keras.layers.Dense(n_classes, activation="softmax")`.
#
# Return the model, `keras.Model(inputs, outputs)` (or a `keras.Sequential` of the same
# layers). Read every size from the arguments.

# %%
def sequence_classifier(cell, input_shape, units, n_classes):
    """A Keras model (m, T, n_features) -> (m, n_classes): one recurrent layer of kind `cell`, then softmax."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=input_shape)
    h = RECURRENT[cell](units)(inputs)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(h)
    ### END SOLUTION
    return keras.Model(inputs, outputs)


# %%
check.sequence_classifier(sequence_classifier)
sequence_classifier("lstm", (20, 8), units, 4).summary()

# %% [markdown]
# ## 2. Memory over a growing distance
#
# The **delayed-recall** task: every step of a sequence holds one of eight symbols, and one
# of the first three steps is *marked* by an extra input (the last row of the pictures
# below). The label is the marked symbol. To answer, the network must store that symbol when
# it sees the mark, then keep it through a gap of at least `gap` more steps whose symbols
# come from the same eight, so each of them looks exactly like something worth storing.
# Guessing gets one sequence in eight right.

# %%
x_demo, y_demo = recurrent_tasks.delayed_recall(3, gap=12, seed=0)
fig, axes = plt.subplots(1, 3, figsize=(10, 2.4), sharey=True)
for i, ax in enumerate(axes):
    ax.imshow(x_demo[i].T, cmap="Greys", aspect="auto")
    ax.set_title(f"label {y_demo[i]}")
    ax.set_xlabel("time step")
axes[0].set_ylabel("symbol, then the mark")
plt.tight_layout()
plt.show()

# %% [markdown]
# For each gap and each cell we build a classifier with your `sequence_classifier`, train it
# for the same number of epochs and score it on fresh sequences. The bar counts the epochs
# of all the runs; each run prints one line when it ends.

# %%
recall_results = {name: [] for name in RECURRENT}
runs = [(gap, name) for gap in gaps for name in RECURRENT]
bar = tqdm(total=len(runs) * recall_epochs, desc="delayed recall", unit="epoch")
for gap, name in runs:
    bar.set_postfix_str(f"gap {gap}, {name}")  # the bar shows which model trains (its first epoch also traces)
    train = recurrent_tasks.delayed_recall(recall_train, gap, seed=1)
    test = recurrent_tasks.delayed_recall(500, gap, seed=2)
    keras.utils.set_random_seed(0)
    model = sequence_classifier(name, train[0].shape[1:], recall_units, recurrent_tasks.RECALL_SYMBOLS)
    result = recurrent_runs.train_and_score(model, train, test, epochs=recall_epochs,
                                            batch_size=recall_batch_size, on_epoch=lambda: bar.update(1))
    result.update(cell=name, gap=gap)
    recall_results[name].append(result)
    bar.write(f"gap {gap:>3}  {name:>4}: test accuracy {result['accuracy']:.3f}, "
              f"{result['seconds_per_epoch']:.2f} s per epoch, {result['params']} parameters")
bar.close()

# %%
fig = recurrent_runs.plot_accuracy_by_length(
    gaps, {name: [r["accuracy"] for r in rs] for name, rs in recall_results.items()},
    chance=1 / recurrent_tasks.RECALL_SYMBOLS)
plt.show()

# %% [markdown]
# Read the figure from left to right. Over a short gap every cell remembers. As the gap
# grows, the symbol must pass through a long chain of steps, and so must the gradient that
# teaches the network to keep it. In a plain RNN that chain is the same `tanh` layer at every
# step, and the gradient fades along it (the step-by-step notebook measured the fading); the
# LSTM's forget gate and the GRU's update gate can hand the state, and its gradient, on
# unchanged, which is why they are the cells of choice for long dependencies.
#
# The symbols of the gap make it harder still. A plain RNN adds every input into the same
# state with the same weights, so each new symbol blurs the stored one; the gated cells can
# learn to open their input gate at the mark only and keep it shut after. Their gates must
# still be *learnt*, though, and training is a draw: with another seed a gated cell
# sometimes fails to find the trick within these epochs at the longest gap, where the plain
# RNN has not been seen to learn it at all. Do not take the theory on trust, read the figure
# and the cell below, which prints, for each cell, the longest gap at which it reached the
# accuracy `good` on fresh sequences and how far above chance each cell ended at the longest
# gap. Rerun section 2 with other seeds, more `recall_epochs` or longer `gaps` to see how the
# picture moves.

# %%
good = 0.9
chance = 1 / recurrent_tasks.RECALL_SYMBOLS
for name, rs in recall_results.items():
    held = [r["gap"] for r in rs if r["accuracy"] >= good]
    print(f"{name:>4}: longest gap with accuracy >= {good}: {max(held) if held else 'none'}; "
          f"at gap {rs[-1]['gap']}, accuracy {rs[-1]['accuracy']:.3f} (chance {chance:.3f})")

# %% [markdown]
# What the memory costs, at the longest gap (the LSTM has four blocks of weights, the GRU
# three, the plain RNN one):

# %%
rows = [rs[-1] for rs in recall_results.values()]
print(recurrent_runs.table(rows, [("cell", "cell", "s"), ("params", "parameters", "d"),
                                  ("seconds_per_epoch", "seconds per epoch", ".2f"), ("accuracy", "accuracy", ".3f")]))

# %% [markdown]
# ## 3. Stacked recurrent layers
#
# A deeper recurrent network puts layers on top of each other: the second layer reads the
# sequence of states of the first, and so on. Every layer but the last therefore needs
# `return_sequences=True`; the last returns its final state for the classifier.
#
# ### Exercise 2, `stacked_classifier` (about 5 lines)
#
# Like `sequence_classifier`, with one recurrent layer of kind `cell` per entry of
# `units_per_layer` (its units, in order), `return_sequences=True` on every one but the
# last, then the softmax `Dense` layer.

# %%
def stacked_classifier(cell, input_shape, units_per_layer, n_classes):
    """A Keras model (m, T, n_features) -> (m, n_classes) with len(units_per_layer) recurrent layers of kind `cell`."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=input_shape)
    h = inputs
    for k, layer_units in enumerate(units_per_layer):
        h = RECURRENT[cell](layer_units, return_sequences=k < len(units_per_layer) - 1)(h)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(h)
    ### END SOLUTION
    return keras.Model(inputs, outputs)


# %%
check.stacked_classifier(stacked_classifier)
stacked_classifier("gru", (20, 8), [units, units], 4).summary()

# %% [markdown]
# Forgetting `return_sequences=True` on a lower layer is the classic mistake: the next layer
# then receives one vector per example where it expects a sequence, and Keras refuses to build
# the model. The message it gives:

# %%
try:
    inputs = keras.Input(shape=(20, 8))
    keras.layers.GRU(8)(keras.layers.GRU(8)(inputs))
except ValueError as error:
    print(str(error).splitlines()[0])

# %% [markdown]
# ## 4. Looking ahead: a bidirectional tagger
#
# A **tagger** gives a label to every position of a sequence. In the task below each
# position is labelled 1 if its symbol comes **again later** in the sequence, 0 otherwise.
# A left-to-right network labels position $t$ having read only the steps up to $t$: it has
# not seen what comes after, so the best it can do is guess from the position (near the end
# few steps are left, and a repeat is unlikely). A **bidirectional** layer runs one cell
# forward and a second cell backward over the sequence and puts their states side by side:
# at every position it knows both the past and the future.

# %%
x_tag, y_tag = recurrent_tasks.repeats_later(2, tag_length, seed=0)
for i in range(2):
    print("symbols:", np.argmax(x_tag[i], axis=-1), "  labels:", y_tag[i])

# %% [markdown]
# ### Exercise 3, `bidirectional_tagger` (3 lines)
#
# 1. `keras.Input(shape=input_shape)`;
# 2. `keras.layers.Bidirectional(...)` around `RECURRENT[cell](units, return_sequences=True)`,
#    with Bidirectional's default `merge_mode="concat"`: `2 * units` features per position;
# 3. `keras.layers.Dense(n_classes, activation="softmax")`. On a 3-D input a Dense layer
#    acts on the last axis, so it labels every position with the same weights
#    (`keras.layers.TimeDistributed(Dense(...))` says the same more explicitly).
#
# Return the model: its output has shape `(m, T, n_classes)`.

# %%
def bidirectional_tagger(cell, input_shape, units, n_classes):
    """A Keras model (m, T, n_features) -> (m, T, n_classes): a bidirectional layer of kind `cell`, then softmax."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=input_shape)
    h = keras.layers.Bidirectional(RECURRENT[cell](units, return_sequences=True))(inputs)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(h)
    ### END SOLUTION
    return keras.Model(inputs, outputs)


# %%
check.bidirectional_tagger(bidirectional_tagger)
bidirectional_tagger("gru", (tag_length, recurrent_tasks.TAG_SYMBOLS), units, 2).summary()

# %% [markdown]
# Its left-to-right twin, for comparison, is the same without `Bidirectional`:

# %%
def left_to_right_tagger(cell, input_shape, units, n_classes):
    """The tagger reading left to right only: (m, T, n_features) -> (m, T, n_classes)."""
    inputs = keras.Input(shape=input_shape)
    h = RECURRENT[cell](units, return_sequences=True)(inputs)
    return keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(h))


# %%
tag_train_data = recurrent_tasks.repeats_later(tag_train, tag_length, seed=1)
tag_test_data = recurrent_tasks.repeats_later(500, tag_length, seed=2)
taggers = {"left to right GRU": left_to_right_tagger, "bidirectional GRU": bidirectional_tagger}
tag_results = {}
bar = tqdm(total=len(taggers) * tag_epochs, desc="tagging", unit="epoch")
for label, builder in taggers.items():
    bar.set_postfix_str(label)
    keras.utils.set_random_seed(0)
    model = builder("gru", tag_train_data[0].shape[1:], units, 2)
    tag_results[label] = recurrent_runs.train_and_score(model, tag_train_data, tag_test_data, epochs=tag_epochs,
                                                        on_epoch=lambda: bar.update(1))
    tag_results[label]["cell"] = label
    bar.write(f"{label}: test accuracy {tag_results[label]['accuracy']:.3f}, "
              f"{tag_results[label]['seconds_per_epoch']:.2f} s per epoch, {tag_results[label]['params']} parameters")
bar.close()

blind = recurrent_tasks.best_blind_accuracy(tag_length)
fig = recurrent_runs.plot_position_accuracy({k: r["position_accuracy"] for k, r in tag_results.items()}, blind)
plt.show()
print(f"best accuracy without the future, averaged over positions: {blind.mean():.3f}")

# %% [markdown]
# The dashed line is the ceiling of any tagger that cannot see the future (it knows the
# chance of a repeat in the steps left, nothing more). The left-to-right tagger stays near
# it; the bidirectional tagger rises well above it at every position but the last, where
# the answer is always 0 and both know it. It pays with twice the recurrent weights and a
# second pass over the sequence:

# %%
print(recurrent_runs.table(list(tag_results.values()), [("cell", "tagger", "s"), ("params", "parameters", "d"),
                                                       ("seconds_per_epoch", "seconds per epoch", ".2f"),
                                                       ("accuracy", "accuracy", ".3f")]))

# %% [markdown]
# ## 5. The headline
#
# The figure that sums up this notebook: how much the bidirectional tagger gains over its
# left-to-right twin on the tagging task (test accuracy over every position). The gain comes
# from reading the future, which the left-to-right tagger cannot do whatever its training, so
# it is the most robust of this notebook's comparisons; the accuracies of section 2 are
# printed above.

# %%
gain = tag_results["bidirectional GRU"]["accuracy"] - tag_results["left to right GRU"]["accuracy"]
met = headline("bidirectional tagger's accuracy gain over the left-to-right one", gain, target=0.15)

# %% [markdown]
# ## What you have learned
#
# - Keras's recurrent layers read `(examples, time steps, features)`; `return_sequences`
#   chooses between the last state (a classifier) and every state (a tagger, or the input of
#   another recurrent layer).
# - Through a plain RNN the gradient fades over long distances; the gates of the LSTM and
#   the GRU can carry it, at the price of four or three times the weights. The gates must
#   learn to stay open first: on a short training the simple cell can still win at moderate
#   distances, so measure before you choose.
# - Stacked layers hand their whole sequence upwards: `return_sequences=True` on every layer
#   but the last.
# - A bidirectional layer reads the sequence both ways; where a label depends on the future,
#   it is the only one of these architectures that can learn it.
#
# The next notebook turns to words: embeddings, and what their geometry holds.

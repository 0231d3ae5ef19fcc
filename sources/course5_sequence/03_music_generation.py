# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Improvise a folk tune with an LSTM
#     minutes: 2
#     fast:
#       Tx: 8
#       epochs: 1
#       Ty: 16
# ---

# %% [markdown]
# # Improvise a folk tune with an LSTM
#
# **What you will build:** a network that reads Irish folk tunes one note at a time and learns
# to guess the next note, then plays on its own: it composes a new tune, which you see as a
# piano roll, save as a MIDI file and listen to in the notebook.
#
# **What you will learn:**
# - how a melody becomes a sequence of *musical values* (a pitch and how long it lasts), and
#   those values one-hot vectors;
# - the **shared-weights trick**: one LSTM cell (one set of weights) called at every time
#   step, its state handed from step to step, inside a Keras model you write with a loop;
# - the difference between training (the true next note is fed in, *teacher forcing*) and
#   generation (the network's own guess is fed back in);
# - how to turn the network's probabilities into notes, and the notes into sound.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes about two minutes.
#
# The tunes are real: the first fifty of *O'Neill's Music of Ireland* (1850), which come with
# the music21 library. Write your code where it says `# YOUR CODE HERE` (delete the
# `raise NotImplementedError()` line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import Audio, display

from shared_utils import headline
from shared_utils.checks import c5_03_music_generation as check
from shared_utils.common.progress import heartbeat
from shared_utils.course5 import music, synth
from shared_utils.models import trained

print("TensorFlow", tf.__version__, "/ Keras", keras.__version__)

# %% tags=["parameters"]
# Values (notes and rests) in one training window: the number of time steps of the model.
Tx = 30
# A new window starts every `stride` values of a tune.
stride = 15
# Epochs of the brief training run before the project's trained weights are loaded.
epochs = 6
# Values the network composes.
Ty = 60

# %% [markdown]
# ## 1. Tunes as sequences of values
#
# A tune is a line of notes and rests. We write each as one **value**, `"<pitch>_<duration>"`:
# `"D5_0.5"` is the D above middle C held half a beat, `"rest_1.0"` a silence of one beat.
# To keep the number of different values small, every tune was transposed (by at most six
# semitones) to C major or A minor, and durations were rounded to a few common lengths.
# `shared_utils/course5/music.py` did this with music21 once; the result is committed with the
# workbook and checked by its SHA-256 when it is read.

# %%
tunes = music.load_tunes()
vocab = music.build_vocabulary(tunes)
n_values = len(vocab)
counts = music.value_counts(tunes)
print(f"{len(tunes)} tunes, {sum(counts.values())} values, {n_values} different ones")
first = tunes[0]
print(f"first tune: {first['title']!r} ({first['key']}, shifted {first['shift']:+d} semitones, "
      f"{first['meter']}), begins:", " ".join(first["values"][:10]))
print("most common values:", ", ".join(f"{v} ({c})" for v, c in counts.most_common(6)))

# %% [markdown]
# A **piano roll** draws each note as a bar: time runs to the right, pitch goes up. Below is the
# first tune, and what it sounds like, played by a small synthesizer in
# `shared_utils/course5/synth.py` (each note a sum of a few sine waves, shaped to start and
# fade like a plucked string).

# %%
tune_notes = music.events(first["values"])
fig, ax = plt.subplots(figsize=(11, 3))
music.plot_piano_roll(tune_notes, ax=ax, title=f"{first['title']} (from the corpus)", color="tab:green")
plt.show()
display(Audio(synth.render(tune_notes, seconds_per_beat=0.35, max_seconds=16), rate=synth.RATE))

# %% [markdown]
# ## 2. Training windows
#
# The network reads `Tx` consecutive values and, at every step, predicts the next one. We cut
# the tunes into windows of `Tx` values; `X[i, t]` is the one-hot vector of value `t` of
# window `i`, and `Y[i, t]` is the value that follows it, `X[i, t + 1]`:
#
# $$X, Y \in \{0, 1\}^{m \times T_x \times n_{values}}, \qquad Y_{i,t} = X_{i,t+1}.$$

# %%
X, Y = music.training_windows(tunes, vocab, Tx=Tx, stride=stride)
m = X.shape[0]
print("X:", X.shape, "Y:", Y.shape, "(m, Tx, n_values)")
print("window 0 reads ", " ".join(vocab.decode(X[0, :5].argmax(-1))), "...")
print("and must predict", " ".join(vocab.decode(Y[0, :5].argmax(-1))), "...")

fig, axes = plt.subplots(1, 2, figsize=(11, 3), sharey=True)
for ax, arr, name in zip(axes, (X, Y), ("X[0]", "Y[0]")):
    ax.imshow(arr[0].T, aspect="auto", origin="lower", cmap="Greys", interpolation="nearest")
    ax.set_title(f"{name}: one column per time step")
    ax.set_xlabel("time step t")
axes[0].set_ylabel("index of the value")
plt.tight_layout()
plt.show()

# %% [markdown]
# `Y[0]` is `X[0]` moved one column to the left. The picture also shows how sparse one-hot
# vectors are: a single black cell per column.
#
# ## 3. One LSTM cell, shared by every time step
#
# A recurrent network applies **the same** cell at every time step: same weights, new input,
# and the state (the hidden state $a^{\langle t \rangle}$ and the memory cell
# $c^{\langle t \rangle}$ of an LSTM) carried from one step to the next:
#
# $$a^{\langle t \rangle}, c^{\langle t \rangle} = \mathrm{LSTM}\left(x^{\langle t \rangle}, a^{\langle t-1 \rangle}, c^{\langle t-1 \rangle}\right), \qquad
# \hat y^{\langle t \rangle} = \mathrm{softmax}\left(W_y a^{\langle t \rangle} + b_y\right).$$
#
# `keras.layers.LSTM` usually runs this loop itself over a whole sequence. Here we write the
# loop ourselves, because at generation time the input of step $t$ will be the network's own
# output of step $t-1$, which a whole-sequence layer cannot know in advance. The trick is to
# create each layer **once**, outside the loop, and *call* it at every step: a Keras layer
# called twice uses the same weights both times. So we create three layer objects now, and the
# models we build later share them:

# %%
n_a = 64  # units of the LSTM's hidden state (the trained weights have this size)
reshaper = keras.layers.Reshape((1, n_values), name="reshaper")  # (m, n_values) -> (m, 1, n_values)
lstm_cell = keras.layers.LSTM(n_a, return_state=True, unroll=True, name="lstm_cell")
densor = keras.layers.Dense(n_values, activation="softmax", name="densor")

# %% [markdown]
# `return_state=True` makes the layer return its final states too: called on a sequence of one
# step, `lstm_cell(x, initial_state=[a, c])` returns `[output, a, c]`, where `output` is the
# hidden state again. (`unroll=True` only tells Keras not to build a loop inside the layer
# for that single step, which makes the model quicker to compile.)
#
# **Exercise 1, `djmodel`** (about 12 lines). Build the training model:
#
# 1. three inputs: `X = keras.Input(shape=(Tx, n_values))`, then `a0` and `c0`, each
#    `keras.Input(shape=(n_a,))`, where `n_values = densor.units` and `n_a = lstm_cell.units`;
# 2. start with `a, c = a0, c0` and an empty list `outputs`;
# 3. for `t` in `range(Tx)`: take the values of step `t`, `x = X[:, t, :]` (shape
#    `(None, n_values)`), make it a sequence of one step with `reshaper(x)`, call
#    `_, a, c = lstm_cell(x, initial_state=[a, c])` (the new state replaces the old one), and
#    append `densor(a)` to `outputs`;
# 4. return `keras.Model(inputs=[X, a0, c0], outputs=outputs)`: one output per time step.
#
# Use the three layers you are given; create no layer with weights inside the loop.

# %%
def djmodel(Tx, lstm_cell, densor, reshaper):
    """The training model: Tx steps of one shared LSTM cell and one shared softmax layer.

    Inputs [X (m, Tx, n_values), a0 (m, n_a), c0 (m, n_a)]; outputs: a list of Tx arrays
    (m, n_values), the predicted distribution of the next value at each step.
    """
    n_values = densor.units
    n_a = lstm_cell.units
    ### BEGIN SOLUTION
    X = keras.Input(shape=(Tx, n_values), name="X")
    a0 = keras.Input(shape=(n_a,), name="a0")
    c0 = keras.Input(shape=(n_a,), name="c0")
    a, c = a0, c0
    outputs = []
    for t in range(Tx):
        x = reshaper(X[:, t, :])
        _, a, c = lstm_cell(x, initial_state=[a, c])
        outputs.append(densor(a))
    model = keras.Model(inputs=[X, a0, c0], outputs=outputs, name="djmodel")
    ### END SOLUTION
    return model


# %%
check.djmodel(djmodel)

# %% [markdown]
# The check built your model from layers of its own and verified that the weights are shared
# (the model holds exactly the five weight tensors of its two layers, however many steps it has)
# and that its outputs match an LSTM unrolled by hand in NumPy. Now the real one:

# %%
model = djmodel(Tx, lstm_cell, densor, reshaper)
per_step = lstm_cell.count_params() + densor.count_params()
print(f"{len(model.outputs)} outputs, {len(model.weights)} weight tensors, {model.count_params():,} parameters")
print(f"without sharing, {Tx} steps would need {Tx * per_step:,} parameters")

# %% [markdown]
# ## 4. Train briefly, then load trained weights
#
# The loss is the cross-entropy of every output against the true next value; Keras adds up
# the `Tx` losses, one per output. We report the **mean cross-entropy per value**
# (`music.sequence_cross_entropy`): an untrained network, which spreads its bets evenly,
# scores about $\log n_{values}$. The states start at zero.

# %%
a0 = np.zeros((m, n_a), dtype="float32")
c0 = np.zeros((m, n_a), dtype="float32")
start_loss = music.sequence_cross_entropy([np.asarray(p) for p in model([X, a0, c0])], Y)
print(f"untrained: {start_loss:.3f} nats per value (log n_values = {np.log(n_values):.3f})")

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="categorical_crossentropy")
history = model.fit([X, a0, c0], music.targets_by_step(Y, Tx), epochs=epochs, batch_size=32,
                    verbose=2, callbacks=[heartbeat()])
brief_loss = music.sequence_cross_entropy([np.asarray(p) for p in model([X, a0, c0])], Y)
print(f"after {epochs} epoch(s): {brief_loss:.3f} nats per value")

# %% [markdown]
# A few epochs take the loss down from its start, but learning the tunes takes many more.
# `tools/train_music.py` trained the same two layers for longer; their weights are committed
# with a card that says how. `trained.load` checks the file's SHA-256, then puts the weights
# into our model, and so into `lstm_cell` and `densor`, which every model of this notebook
# shares.

# %%
card = trained.load(model, "music_lstm")
trained.show_card(card)
shipped_loss = music.sequence_cross_entropy([np.asarray(p) for p in model([X, a0, c0])], Y)
print(f"\nmean cross-entropy per value: untrained {start_loss:.3f}, after the brief run {brief_loss:.3f}, "
      f"trained weights {shipped_loss:.3f}")

fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(np.arange(1, epochs + 1), np.array(history.history["loss"]) / Tx, "o-", label="brief run (per value)")
ax.axhline(start_loss, color="grey", ls="--", label="untrained")
ax.axhline(shipped_loss, color="tab:green", ls="-", label="trained weights")
ax.set_xlabel("epoch")
ax.set_ylabel("cross-entropy (nats per value)")
ax.set_ylim(bottom=0)
ax.legend()
plt.show()

# %% [markdown]
# The headline of this notebook is the training loss reached with the trained weights, as a
# fraction of the untrained start; the target is a quarter of it. It is a *training* loss: the
# network has seen these windows, and a small LSTM can learn a good part of fifty tunes by heart.

# %%
met = headline("trained loss / untrained loss, per value", shipped_loss / start_loss, target=0.25,
               higher_is_better=False)

# %% [markdown]
# ## 5. Composing: feed the guess back in
#
# To compose, the network has no true next note to read. At each step we take its most likely
# value, $\arg\max \hat y^{\langle t \rangle}$, turn it into a one-hot vector and feed it in as
# $x^{\langle t+1 \rangle}$. The model starts from a single value `x0` and the states `a0`,
# `c0`, and the same `lstm_cell` and `densor` do the work: they hold the trained weights.
#
# **Exercise 2, `music_inference_model`** (about 12 lines). Build the generating model:
#
# 1. inputs `x0 = keras.Input(shape=(1, n_values))`, `a0` and `c0` of shape `(n_a,)`;
# 2. `x, a, c = x0, a0, c0`; for `t` in `range(Ty)`: `_, a, c = lstm_cell(x, initial_state=[a, c])`,
#    `out = densor(a)`, append `out` to `outputs`;
# 3. still in the loop, the next input: `keras.ops.argmax(out, axis=-1)` gives the index of the
#    most likely value of each example, `keras.ops.one_hot(index, n_values)` its one-hot
#    vector of shape `(None, n_values)`, and `keras.layers.RepeatVector(1)(...)` makes it
#    `(None, 1, n_values)`, the shape `lstm_cell` reads;
# 4. return `keras.Model(inputs=[x0, a0, c0], outputs=outputs)`.

# %%
def music_inference_model(lstm_cell, densor, Ty):
    """A model that composes Ty values, feeding back its own most likely value at each step.

    Inputs [x0 (m, 1, n_values), a0 (m, n_a), c0 (m, n_a)]; outputs: a list of Ty arrays
    (m, n_values), the distribution from which each value was chosen.
    """
    n_values = densor.units
    n_a = lstm_cell.units
    ### BEGIN SOLUTION
    x0 = keras.Input(shape=(1, n_values), name="x0")
    a0 = keras.Input(shape=(n_a,), name="a0")
    c0 = keras.Input(shape=(n_a,), name="c0")
    x, a, c = x0, a0, c0
    outputs = []
    for t in range(Ty):
        _, a, c = lstm_cell(x, initial_state=[a, c])
        out = densor(a)
        outputs.append(out)
        x = keras.ops.one_hot(keras.ops.argmax(out, axis=-1), n_values)
        x = keras.layers.RepeatVector(1)(x)
    inference_model = keras.Model(inputs=[x0, a0, c0], outputs=outputs, name="music_inference")
    ### END SOLUTION
    return inference_model


# %%
check.music_inference_model(music_inference_model)

# %%
inference_model = music_inference_model(lstm_cell, densor, Ty)
print(f"{len(inference_model.outputs)} outputs, {inference_model.count_params():,} parameters "
      "(the same weights as the training model)")

# %% [markdown]
# **Exercise 3, `predict_and_sample`** (about 4 lines). Run the inference model on one
# starting value and return what it composed:
#
# 1. `pred = inference_model([x_initializer, a_initializer, c_initializer])`: a list of `Ty`
#    arrays of shape `(1, n_values)` (calling the model directly is quicker here than
#    `.predict`, which would compile it first);
# 2. `indices`: the index of the most likely value at each step, shape `(Ty, 1)`
#    (`np.argmax` over the values' axis of the stacked predictions);
# 3. `results`: those indices as one-hot vectors, shape `(Ty, n_values)`
#    (`keras.utils.to_categorical(..., num_classes=n_values)`);
# 4. return `results, indices`.

# %%
def predict_and_sample(inference_model, x_initializer, a_initializer, c_initializer):
    """Compose with `inference_model`; return (results (Ty, n_values) one-hot, indices (Ty, 1))."""
    n_values = x_initializer.shape[-1]
    ### BEGIN SOLUTION
    pred = inference_model([x_initializer, a_initializer, c_initializer])
    probabilities = np.stack([np.asarray(p) for p in pred])  # (Ty, 1, n_values)
    indices = np.argmax(probabilities, axis=-1)  # (Ty, 1)
    results = keras.utils.to_categorical(indices[:, 0], num_classes=n_values)
    ### END SOLUTION
    return results, indices


# %%
check.predict_and_sample(predict_and_sample)

# %% [markdown]
# ## 6. Listen
#
# We start from the first value of a tune of the corpus and zero states, compose `Ty` values,
# and turn them back into music: values, then notes, then a music21 stream, which music21
# writes as a MIDI file (any music program opens it).

# %%
start_value = tunes[1]["values"][0]
x_initializer = np.zeros((1, 1, n_values), dtype="float32")
x_initializer[0, 0, vocab.index(start_value)] = 1.0
a_initializer = np.zeros((1, n_a), dtype="float32")
c_initializer = np.zeros((1, n_a), dtype="float32")
results, indices = predict_and_sample(inference_model, x_initializer, a_initializer, c_initializer)
composed = [start_value, *vocab.decode(indices)]
print("composed:", " ".join(composed[:16]), "...")

new_notes = music.events(composed)
midi_path = music.write_midi(music.to_stream(new_notes, tempo_bpm=160, title="LSTM improvisation"),
                             Path(tempfile.gettempdir()) / "workbook_music" / "lstm_improvisation.mid")
print(f"wrote {midi_path} ({midi_path.stat().st_size} bytes, "
      f"{len(music.read_midi_notes(midi_path))} notes read back by music21)")

fig, ax = plt.subplots(figsize=(11, 3))
music.plot_piano_roll(new_notes, ax=ax, title=f"composed by the LSTM from {start_value!r}")
plt.show()
display(Audio(synth.render(new_notes, seconds_per_beat=0.35, max_seconds=20), rate=synth.RATE))

# %% [markdown]
# Always taking the most likely value makes the network play it safe: it tends to fall into
# phrases it knows well, sometimes a whole passage of a tune it learned, and to repeat them.
# A composer that samples the next value from $\hat y^{\langle t \rangle}$ instead (with
# `np.random.choice`), perhaps after sharpening or flattening the distribution with a
# *temperature*, takes more risks. Try it: change the starting value, or feed a different
# `a_initializer`, and listen to what changes.
#
# ## What you built
#
# - a melody as one-hot values, and windows `X`, `Y` where `Y` is `X` one step ahead;
# - a Keras model that calls one LSTM cell and one softmax layer at every step, so that the
#   number of weights does not grow with the number of steps;
# - a second model, with the same layers, that feeds its own guesses back in to compose;
# - the way back from indices to values, notes, a MIDI file and sound.

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Neural machine translation with attention
#     minutes: 3
#     fast:
#       n_train: 500
#       n_test: 300
#       epochs: 1
# ---

# %% [markdown]
# # Neural machine translation with attention
#
# **What you will build:** a network that reads a date written the way people write it, in
# one of seven languages and many formats (`"friday, 24 september 2021"`, `"24. september
# 2021"`, `"9/24/21"`, `"24 de septiembre de 2021"`), and writes it in the ISO form
# `2021-09-24`. It is a sequence-to-sequence model: a bidirectional LSTM reads the input,
# and at each character it writes, a second LSTM looks back at the input through an
# **attention** mechanism.
#
# **What you will learn:**
# - Bahdanau's *additive* attention: a small network scores every input position against the
#   decoder's state, a softmax over the input positions turns the scores into weights, and
#   the weighted sum of the encoder's states is the context the decoder reads;
# - how to build such a model in Keras with layers created once and called at every step, the
#   decoder's state carried from step to step;
# - Luong's *multiplicative* scores (dot and general), the same model with another score;
# - how to read the attention weights as a map of where the network looks.
#
# **Time:** about 60 minutes of work; a full run of the notebook takes under three minutes on a
# two-core laptop CPU: it trains only briefly, then loads weights the project trained.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import functools

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from shared_utils import headline
from shared_utils.checks import c5_07_neural_machine_translation as check
from shared_utils.common.progress import heartbeat
from shared_utils.course5 import translation
from shared_utils.data import dates
from shared_utils.models import trained

print("TensorFlow", tf.__version__, "/ Keras", keras.__version__)

# %% tags=["parameters"]
# Written dates the notebook's brief training reads (the trained weights read 20,000).
n_train = 10000
# Held-out dates on which the models are measured (none of them read in training).
n_test = 1000
# Epochs of the brief training run before the project's trained weights are loaded.
epochs = 3

# %% [markdown]
# ## 1. The data: dates in many formats and languages
#
# `shared_utils/data/dates.py` draws days between 1950 and 2049 with the Faker library
# (seeded, so the same every time) and writes each with babel, which knows how every language
# writes dates (the CLDR tables). `dates.FORMATS` lists the locale and pattern pairs it uses;
# every written date is lower-cased. The formats were chosen so that no written date can
# mean two days (a test goes through every day of the century to make sure).
#
# The held-out dates share no written date with the 20,000 on which the project's weights
# were trained, so the models are measured on dates they never read.

# %%
card = trained.card("date_bahdanau")
train_pairs, test_pairs = dates.make_splits(card["n_train"], n_test)
train_pairs = train_pairs[:n_train]  # the first pairs of the same training set
print(
    f"{len(dates.FORMATS)} formats in {len({loc for loc, _ in dates.FORMATS})} locales; "
    f"{len(train_pairs)} training and {len(test_pairs)} held-out dates"
)
for human, iso in train_pairs[:8]:
    print(f"  {human:<32} -> {iso}")

# %% [markdown]
# The model reads characters. `human_vocab` holds every character the formats can write,
# plus `<pad>`, which fills a date up to `Tx = 30` characters, and `<unk>`; `machine_vocab`
# holds the eleven symbols of an ISO date. `dates.encode` turns texts into rows of indices,
# and we feed the network their one-hot vectors.

# %%
human_vocab, machine_vocab = dates.human_vocabulary(), dates.machine_vocabulary()
Tx, Ty = dates.TX, dates.TY
X, Y, Xoh, Yoh = dates.dataset(train_pairs)
_, _, Xoh_test, _ = dates.dataset(test_pairs)
expected_test = [iso for _, iso in test_pairs]
print(f"human_vocab: {len(human_vocab)} symbols:", "".join(human_vocab.tokens[2:]))
print(f"machine_vocab: {len(machine_vocab)} symbols:", "".join(machine_vocab.tokens))
print("X:", X.shape, " Y:", Y.shape, " Xoh:", Xoh.shape, " Yoh:", Yoh.shape)
print(f"{train_pairs[0][0]!r} is read as", X[0][:12], "...")
print(f"and {train_pairs[0][1]!r} is written as", Y[0])

# %% [markdown]
# A date the generator never writes gets a clear answer rather than a silent guess: a text
# longer than `Tx`, or with a character outside `human_vocab`, raises `ValueError` saying so.
# `unknown="unk"` reads unknown characters as `<unk>` instead, when you want the network to
# try anyway.

# %%
for text in ["the twenty-fourth of september, two thousand and twenty-one", "24 september 2021 ★"]:
    try:
        dates.encode(text, human_vocab, Tx)
    except ValueError as error:
        print("ValueError:", error)
print("with unknown='unk':", dates.encode("24 september 2021 ★", human_vocab, Tx, unknown="unk")[:20])

# %% [markdown]
# ## 2. Attention
#
# The encoder, a bidirectional LSTM with `n_a` units each way, reads the `Tx` characters and
# gives at each position $t'$ a state $a^{\langle t' \rangle}$ of $2 n_a$ numbers, which
# describes the character there and what comes before and after it. The decoder, an LSTM of
# `n_s` units, writes one output character per step $t$. Before each step it looks at the
# input: it scores every position against its previous state $s^{\langle t-1 \rangle}$,
# turns the scores into weights that sum to 1 over the input positions, and reads the
# weighted sum of the encoder's states, the **context**:
#
# $$e^{\langle t, t' \rangle} = \mathrm{score}\left(s^{\langle t-1 \rangle}, a^{\langle t' \rangle}\right), \qquad
# \alpha^{\langle t, t' \rangle} = \frac{\exp e^{\langle t, t' \rangle}}{\sum_{t''=1}^{T_x} \exp e^{\langle t, t'' \rangle}}, \qquad
# \mathrm{context}^{\langle t \rangle} = \sum_{t'=1}^{T_x} \alpha^{\langle t, t' \rangle} a^{\langle t' \rangle}.$$
#
# Bahdanau et al. (2015) score with a small network, the **additive** score: a dense layer
# with tanh on the concatenation $[a^{\langle t' \rangle}; s^{\langle t-1 \rangle}]$, then a
# dense layer to one number:
#
# $$e^{\langle t, t' \rangle} = v^\top \tanh\left(W [a^{\langle t' \rangle}; s^{\langle t-1 \rangle}] + b\right) + b_v.$$
#
# The same layers serve every step (one set of weights), so they are created once. They are
# gathered in `layers` below; `translation.shared_layers` makes them with fixed names. The
# sizes are those of the trained weights.

# %%
n_a, n_s = 32, 64
layers = translation.shared_layers(Tx, n_a, n_s, len(machine_vocab))
for field in (
    "repeator",
    "concatenator",
    "densor1",
    "densor2",
    "activator",
    "dotor",
    "post_activation_LSTM_cell",
    "output_layer",
):
    layer = getattr(layers, field)
    print(f"layers.{field:<26} {type(layer).__name__:<13} {layer.name}")

# %% [markdown]
# **Exercise 1, `one_step_attention`** (6 lines). Given the encoder's states `a`, shape
# `(m, Tx, 2 n_a)`, and the decoder's previous state `s_prev`, shape `(m, n_s)`, compute the
# context of one step with the given layers, in this order:
#
# 1. `layers.repeator(s_prev)`: `s_prev` copied at each of the `Tx` positions, `(m, Tx, n_s)`;
# 2. `layers.concatenator([a, ...])`: `a` first, then the repeated state, `(m, Tx, 2 n_a + n_s)`;
# 3. `layers.densor1` (10 units, tanh), then `layers.densor2` (1 unit): the energies `(m, Tx, 1)`;
# 4. `layers.activator`: the softmax over **axis 1**, the input positions, gives the `alphas`.
#    (Keras's softmax takes the last axis unless told otherwise; here the last axis has size 1.)
# 5. `layers.dotor([alphas, a])`: the weighted sum over the positions, the context `(m, 1, 2 n_a)`.


# %%
def one_step_attention(a, s_prev, layers):
    """The context (m, 1, 2 n_a) of one decoder step: additive attention over a (m, Tx, 2 n_a)
    for the previous decoder state s_prev (m, n_s), with the shared `layers`."""
    ### BEGIN SOLUTION
    s_prev = layers.repeator(s_prev)
    concat = layers.concatenator([a, s_prev])
    e = layers.densor1(concat)
    energies = layers.densor2(e)
    alphas = layers.activator(energies)
    context = layers.dotor([alphas, a])
    ### END SOLUTION
    return context


# %%
check.one_step_attention(one_step_attention)

# %% [markdown]
# ## 3. The model
#
# At every output step $t$, the decoder computes the context with the attention step, runs
# one step of the post-attention LSTM on it, starting from the state of step $t-1$, and turns
# its new state $s^{\langle t \rangle}$ into a distribution over the eleven output symbols:
#
# $$s^{\langle t \rangle}, c^{\langle t \rangle} = \mathrm{LSTM}\left(\mathrm{context}^{\langle t \rangle}, s^{\langle t-1 \rangle}, c^{\langle t-1 \rangle}\right), \qquad
# \hat y^{\langle t \rangle} = \mathrm{softmax}\left(W_y s^{\langle t \rangle} + b_y\right).$$
#
# The decoder does not read its own previous output here: the context and its state are
# enough, since an ISO date is the same ten-character pattern every time.
#
# **Exercise 2, `modelf`** (about 12 lines). Build the model:
#
# 1. inputs `X = keras.Input(shape=(Tx, human_vocab_size))`, and `s0` and `c0`, each
#    `keras.Input(shape=(n_s,))`, the decoder's first state;
# 2. the encoder: `a = keras.layers.Bidirectional(keras.layers.LSTM(n_a, return_sequences=True))(X)`
#    (one state per input position, read both ways);
# 3. `s, c = s0, c0` and an empty list `outputs`; for each of the `Ty` steps:
#    `context = attention(a, s, layers)`; then
#    `_, s, c = layers.post_activation_LSTM_cell(context, initial_state=[s, c])` (the new state
#    replaces the old one); append `layers.output_layer(s)` to `outputs`;
# 4. return `keras.Model(inputs=[X, s0, c0], outputs=outputs)`.
#
# `attention` is the attention step to use: your `one_step_attention` here, Luong's in
# section 6. Use the layers you are given; the encoder is the only layer to create.


# %%
def modelf(Tx, Ty, n_a, n_s, human_vocab_size, layers, attention):
    """The translator: inputs [X (m, Tx, human_vocab_size), s0 (m, n_s), c0 (m, n_s)],
    outputs a list of Ty arrays (m, machine_vocab_size), one per output character."""
    ### BEGIN SOLUTION
    X = keras.Input(shape=(Tx, human_vocab_size), name="X")
    s0 = keras.Input(shape=(n_s,), name="s0")
    c0 = keras.Input(shape=(n_s,), name="c0")
    a = keras.layers.Bidirectional(keras.layers.LSTM(n_a, return_sequences=True), name="encoder")(X)
    s, c = s0, c0
    outputs = []
    for t in range(Ty):
        context = attention(a, s, layers)
        _, s, c = layers.post_activation_LSTM_cell(context, initial_state=[s, c])
        outputs.append(layers.output_layer(s))
    model = keras.Model(inputs=[X, s0, c0], outputs=outputs, name="translator")
    ### END SOLUTION
    return model


# %%
check.modelf(modelf)

# %% [markdown]
# The check built your model from layers of its own, gave them seeded weights and compared
# its outputs with the model computed in NumPy. Now the real one:

# %%
model = modelf(Tx, Ty, n_a, n_s, len(human_vocab), layers, one_step_attention)
print(
    f"{len(model.outputs)} outputs, {len(model.weights)} weight tensors, {model.count_params():,} parameters"
)

# %% [markdown]
# ## 4. Train briefly, then load the trained weights
#
# Each of the `Ty` outputs gets its own cross-entropy loss, and Keras adds them up. The
# decoder's first state is zero. We measure the **exact match**: the share of held-out dates
# whose ten characters are all right.

# %%
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005), loss="categorical_crossentropy")
zeros = np.zeros((len(Xoh), n_s), dtype="float32")
history = model.fit(
    [Xoh, zeros, zeros],
    [Yoh[:, t] for t in range(Ty)],
    epochs=epochs,
    batch_size=100,
    verbose=2,
    callbacks=[heartbeat()],
)
brief_match = translation.exact_match(translation.predict_iso(model, Xoh_test, n_s), expected_test)
print(f"after {epochs} epoch(s) on {len(Xoh)} dates: exact match {brief_match:.3f} on the held-out dates")

# %% [markdown]
# A brief run has started to learn (its loss falls from epoch to epoch), but an exact match asks
# for all ten characters at once, which takes longer. `tools/train_date_translation.py` trained
# the same layers for 16 epochs on 20,000 dates; `trained.load` checks the file's SHA-256
# and puts the weights into our model. `translation.ordered_weights` lists the model's
# variables in the order they were stored (the encoder's, then the shared layers'), whatever
# order the model was written in.

# %%
variables = translation.ordered_weights(model, layers)
card = trained.load(model, "date_bahdanau", variables=variables)
trained.show_card(card)
predicted = translation.predict_iso(model, Xoh_test, n_s)
bahdanau_match = translation.exact_match(predicted, expected_test)
print(
    f"\nexact match on {len(expected_test)} held-out dates: brief run {brief_match:.3f}, "
    f"trained weights {bahdanau_match:.4f}"
)
wrong = [(h, p, e) for (h, e), p in zip(test_pairs, predicted) if p != e]
for human, got, want in wrong[:5]:
    print(f"  missed: {human!r} -> {got} (expected {want})")

# %% [markdown]
# The headline of this notebook is the exact match of the trained Bahdanau model on the
# held-out dates; the target is 99%.

# %%
met = headline("exact match of the trained Bahdanau model on held-out dates", bahdanau_match, target=0.99)

# %% [markdown]
# Try your own dates (lower-case, in one of the formats above, or a little outside them). A
# numeric date with slashes and a two-digit year is read month first, as en_US writes it: in
# the data, that is the only format of that shape.

# %%
examples = [
    "3 may 1979",
    "5 april 09",
    "21. august 2016",
    "sat 10 jul 2021",
    "saturday may 9 2018",
    "march 3 2001",
    "1 marzo 2001",
    "12/11/21",
    "mardi 1 février 2022",
]
for text, iso in zip(
    examples,
    translation.predict_iso(
        model, dates.one_hot(dates.encode(examples, human_vocab, Tx), len(human_vocab)), n_s
    ),
):
    print(f"{text:<24} -> {iso}")

# %% [markdown]
# ## 5. Where the network looks
#
# `translation.forward` computes the same model in NumPy, from the weights, and also returns
# the attention weights $\alpha^{\langle t, t' \rangle}$ of every output step. First we make
# sure it agrees with the Keras model, then draw, for a few formats, one row per output
# character and one column per input character.

# %%
weights = translation.weights_of(variables)
maps_text = [
    "friday, september 24, 2021",
    "24. september 2021",
    "9/24/21",
    "24 de septiembre de 2021",
    "sat 10 jul 2021",
    "10-06-2034",
]
maps_oh = dates.one_hot(dates.encode(maps_text, human_vocab, Tx), len(human_vocab))
start = np.zeros((len(maps_text), n_s))
probabilities, alphas = translation.forward(maps_oh, start, start, weights, Ty)
keras_probabilities = np.stack([np.asarray(p) for p in model([maps_oh, start, start])])
print(f"NumPy and Keras agree to {np.abs(probabilities - keras_probabilities).max():.1e}")
outputs = dates.decode(probabilities.argmax(-1).T.astype(np.int32), machine_vocab)

fig, axes = plt.subplots(2, 3, figsize=(14, 6.5))
for k, ax in enumerate(axes.flat):
    translation.plot_attention(ax, alphas[:, k], maps_text[k], outputs[k])
fig.tight_layout()
plt.show()

# %% [markdown]
# Each row sums to 1. Read the rows for the year, then for the month, then for the day: the
# network learned, with no one telling it, where each part of a date sits in each format. The
# digits of the year look at the year, wherever it is; a month written out spreads its weight
# over the letters of its name, in whatever language; in `"9/24/21"` the month is read from
# the first character and the day from the middle. (These are the trained weights, so the
# maps are the same at every run.)
#
# ## 6. Luong's multiplicative scores
#
# Luong et al. (2015) score with a product instead of a small network:
#
# $$\text{dot: } e^{\langle t, t' \rangle} = a^{\langle t' \rangle} \cdot s^{\langle t-1 \rangle}, \qquad
# \text{general: } e^{\langle t, t' \rangle} = a^{\langle t' \rangle} \cdot \left(W s^{\langle t-1 \rangle}\right).$$
#
# The dot score needs `s` and `a` of the same size ($n_s = 2 n_a$, as here) and has no weights;
# the general score's matrix $W$ ($2 n_a \times n_s$, `layers.general`, a Dense layer without
# bias) maps the state into the encoder's space. (Luong's decoder also scores with the state
# *after* its step and mixes the context in differently; here only the score changes, so that
# the two models differ in one thing.)
#
# **Exercise 3, `one_step_attention_luong`** (5 lines). With `score` either `"dot"` or
# `"general"`:
#
# 1. the query: `s_prev` itself for `"dot"`, `layers.general(s_prev)` for `"general"`, `(m, 2 n_a)`;
# 2. the energies, `(m, Tx, 1)`: the dot product of every $a^{\langle t' \rangle}$ with the
#    query, `keras.ops.sum(a * keras.ops.expand_dims(query, 1), axis=-1, keepdims=True)`;
# 3. `alphas = layers.activator(energies)` and `context = layers.dotor([alphas, a])`, as before.


# %%
def one_step_attention_luong(a, s_prev, layers, score):
    """The context (m, 1, 2 n_a) of one decoder step with Luong's "dot" or "general" score."""
    ### BEGIN SOLUTION
    query = s_prev if score == "dot" else layers.general(s_prev)
    energies = keras.ops.sum(a * keras.ops.expand_dims(query, 1), axis=-1, keepdims=True)
    alphas = layers.activator(energies)
    context = layers.dotor([alphas, a])
    ### END SOLUTION
    return context


# %%
check.one_step_attention_luong(one_step_attention_luong)

# %% [markdown]
# The same `modelf` builds a translator on each score, from layers of its own (the prefix
# keeps their names apart). The project trained both; we load their weights and measure them
# on the same held-out dates.

# %%
rows = [
    (
        "additive (Bahdanau)",
        layers.densor1.count_params() + layers.densor2.count_params(),
        model.count_params(),
        bahdanau_match,
    )
]
for score in ("dot", "general"):
    luong_layers = translation.shared_layers(Tx, n_a, n_s, len(machine_vocab), prefix=f"{score}_")
    step = functools.partial(one_step_attention_luong, score=score)
    luong_model = modelf(Tx, Ty, n_a, n_s, len(human_vocab), luong_layers, step)
    luong_card = trained.load(
        luong_model,
        f"date_luong_{score}",
        variables=translation.ordered_weights(luong_model, luong_layers, score),
    )
    trained.show_card(luong_card)
    match = translation.exact_match(translation.predict_iso(luong_model, Xoh_test, n_s), expected_test)
    n_attention = luong_layers.general.count_params() if score == "general" else 0
    rows.append((f"{score} (Luong)", n_attention, luong_model.count_params(), match))
print(f"\n{'score':<22}{'attention weights':>18}{'model weights':>15}{'exact match':>13}")
for name, n_attention, n_weights, match in rows:
    print(f"{name:<22}{n_attention:>18,}{n_weights:>15,}{match:>13.4f}")

# %% [markdown]
# The table compares the three on the same held-out dates. The additive score is a network of
# its own and can compare the state with each position in any way it learns; the
# multiplicative ones are a single product per position, cheaper (the dot score has no
# weights at all), and the kind of score the Transformer uses, scaled and with many heads.
#
# ## What you built
#
# - a generator of dates in many formats and languages, and fixed-length encodings of them with
#   a defined answer for a date it never writes;
# - Bahdanau's additive attention as one step made of shared layers, with the softmax over the
#   input positions;
# - a sequence-to-sequence model: a bidirectional LSTM encoder, and a decoder whose state goes
#   from step to step and which reads a new context at each step;
# - Luong's dot and general scores, in the same model;
# - attention maps, which show where the network reads each part of the date.

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Emojify, with word vectors and an LSTM
#     minutes: 1
#     fast:
#       num_iterations: 300
#       v2_epochs: 3
# ---

# %% [markdown]
# # Emojify, with word vectors and an LSTM
#
# **What you will build:** two classifiers that give a short English sentence the emoji that
# fits it, one of five: ❤️ (love), ⚾ (sport), 😄 (joy), 😞 (disappointment) and 🍴 (food).
# Version 1 averages the GloVe vectors of the words and feeds the average to a softmax layer
# you train in NumPy. Version 2 reads the words in order with two stacked LSTM layers in
# Keras, on top of a frozen embedding layer that holds the GloVe vectors.
#
# **What you will learn:**
# - how pretrained word vectors let a classifier trained on a few hundred sentences cope with
#   words it never saw in training;
# - what an average of word vectors cannot see: the order of the words, so "not happy" looks
#   like "happy";
# - how to turn sentences into rows of word indices of one length, pad them, and have Keras
#   skip the padding (masking);
# - how to put pretrained vectors in a Keras `Embedding` layer and keep them frozen.
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
from shared_utils.checks import c5_06_emojify as check
from shared_utils.course5 import emojify
from shared_utils.course5.emojify import N_CLASSES, emoji, one_hot, softmax, tokenize
from shared_utils.data.emoji_sentences import load_emojify
from shared_utils.data.glove import load_glove

# %% tags=["parameters"]
# Gradient-descent iterations and learning rate of version 1 (section 2).
num_iterations = 10000
learning_rate = 1.0
# Epochs, mini-batch size and LSTM units of version 2 (section 5).
v2_epochs = 40
v2_batch_size = 32
v2_units = 64
# The most frequent GloVe words the embedding layer holds besides the words of the data (section 4).
vocabulary_size = 20000

# %% [markdown]
# ## 0. The sentences and the word vectors
#
# The data: several hundred training sentences and fewer test sentences (the cell below
# counts them), each with its label, 0 to 4, and a mark `word_order` on the sentences
# whose meaning turns on the order of their words, such as "i am not happy" (😞) or
# "it was not bad at all" (😄). The word vectors are GloVe's 6B 50-d
# (the previous notebook used them): `glove[word]` is the vector of a word, `word in glove`
# says whether GloVe knows it.

# %%
train = load_emojify("train")
test = load_emojify("test")
glove = load_glove()
print(f"{len(train.sentences)} training sentences ({train.word_order.sum()} where word order matters), "
      f"{len(test.sentences)} test sentences ({test.word_order.sum()} where it matters)")
for k in range(6):
    print(f"  {emoji(train.labels[k])}  {train.sentences[k]}")
print("labels in training:", {emoji(c): int(n) for c, n in enumerate(np.bincount(train.labels, minlength=N_CLASSES))})

# %% [markdown]
# The sentences are split into words by the given `tokenize`, which writes them as GloVe does:
# lower case, no punctuation, and contractions in two parts:

# %%
print(tokenize("I don't LOVE it, it's great!"))

# %% [markdown]
# ## 1. Version 1: the average of the word vectors
#
# A sentence becomes one vector: the mean of the GloVe vectors of its words. Sentences about
# food land near each other, whatever words they use, because GloVe put "pizza", "soup" and
# "lunch" near each other.
#
# **Exercise 1, `sentence_to_avg`** (4 to 6 lines). Split the sentence with
# `tokenize(sentence)`, keep the words GloVe knows (`word in glove`) and return the mean of
# their vectors, an array of shape `(glove.dim,)`. Words GloVe does not know are left out
# (they carry no meaning it could give). If no word is left (an empty sentence, or one of
# unknown words only) there is nothing to average: raise `ValueError` with a message that
# quotes the sentence.

# %%
def sentence_to_avg(sentence, glove):
    """The mean of the GloVe vectors of the known words of `sentence`, shape (glove.dim,)."""
    ### BEGIN SOLUTION
    known = [w for w in tokenize(sentence) if w in glove]
    if not known:
        raise ValueError(f"no word of {sentence!r} is in GloVe's vocabulary: there is nothing to average")
    return np.mean([glove[w] for w in known], axis=0)
    ### END SOLUTION


# %%
check.sentence_to_avg(sentence_to_avg)

# %%
avg = sentence_to_avg("I love baseball", glove)
print("shape", avg.shape, "first values", np.round(avg[:4], 3))
print("a misspelt word is left out:", emojify.unknown_words("i lovve baseball", glove),
      np.allclose(sentence_to_avg("i lovve baseball", glove), sentence_to_avg("i baseball", glove)))
for bad in ["", "zzxq blorft"]:
    try:
        sentence_to_avg(bad, glove)
    except ValueError as error:
        print("ValueError:", error)

# %% [markdown]
# ## 2. A softmax layer on the average, trained in NumPy
#
# With $\text{avg}^{(i)}$ the average of sentence $i$ (row $i$ of the $(m, n_h)$ matrix
# $\text{AVG}$), the model is one softmax layer over the $n_y = 5$ emoji:
#
# $$z^{(i)} = W\,\text{avg}^{(i)} + b, \qquad a^{(i)} = \operatorname{softmax}(z^{(i)}), \qquad
# J = -\frac{1}{m}\sum_{i=1}^{m}\sum_{k=1}^{n_y} Y^{(i)}_{k} \log a^{(i)}_{k}$$
#
# where $Y$ is the one-hot matrix of the labels, $W$ is $(n_y, n_h)$ and $b$ is $(n_y,)$. The
# gradients of the mean cross-entropy, for all sentences at once (rows are sentences):
#
# $$dZ = \frac{1}{m}(A - Y), \qquad dW = dZ^\top\,\text{AVG}, \qquad db = \textstyle\sum_i dZ^{(i)}$$
#
# **Exercise 2, `model`** (about 10 lines). The given lines draw the starting weights. Then:
#
# 1. compute the averages of all sentences with your `sentence_to_avg`, `AVG` of shape
#    `(m, n_h)`, and `Y_oh = one_hot(Y, n_y)`;
# 2. for `num_iterations` iterations, with no loop over the sentences: the forward pass
#    (`softmax` is given: it works on every row), the cost $J$ (append it to `costs`, as a
#    `float`), the gradients, and one step of gradient descent,
#    `W = W - learning_rate * dW` (and the same for `b`).
#
# Return `W, b, costs`.

# %%
def model(X, Y, glove, learning_rate=1.0, num_iterations=10000, seed=0):
    """Softmax regression on the averaged word vectors of the sentences X (m,), labels Y (m,)."""
    rng = np.random.default_rng(seed)
    n_y, n_h = N_CLASSES, glove.dim
    W = rng.normal(size=(n_y, n_h)) / np.sqrt(n_h)
    b = np.zeros(n_y)
    costs = []
    ### BEGIN SOLUTION
    AVG = np.array([sentence_to_avg(s, glove) for s in X], dtype=np.float64)
    Y_oh = one_hot(Y, n_y)
    m = len(X)
    for _ in range(num_iterations):
        A = softmax(AVG @ W.T + b)
        costs.append(float(-np.sum(Y_oh * np.log(A)) / m))
        dZ = (A - Y_oh) / m
        W = W - learning_rate * (dZ.T @ AVG)
        b = b - learning_rate * dZ.sum(axis=0)
    ### END SOLUTION
    return W, b, costs


# %%
check.model(model)

# %% [markdown]
# Version 1 is trained on the training sentences where word order does not matter,
# `train.sentences[plain]` with `plain = ~train.word_order`. To an average, "i am not sad" is
# "i am sad" with "not" added: a negated sentence could only teach it that "sad" sometimes
# means 😄, at the expense of the ordinary sentences about sadness. Section 2 ends by measuring
# what the negated sentences would cost it. Version 2 will get all the training sentences.

# %%
plain = ~train.word_order
W, b, costs = model(train.sentences[plain], train.labels[plain], glove, learning_rate, num_iterations)
plt.figure(figsize=(5, 3))
plt.plot(costs)
plt.xlabel("iteration")
plt.ylabel("cost J")
plt.title("version 1: training cost")
plt.show()
print(f"cost after {num_iterations} iterations: {costs[-1]:.4f}")

# %% [markdown]
# **Exercise 3, `predict`** (2 or 3 lines). Return the predicted label of every sentence of
# `X`: the index of the largest of the 5 scores $W\,\text{avg} + b$ (the softmax does not
# change which is largest), an integer array of shape `(m,)`.

# %%
def predict(X, W, b, glove):
    """The predicted labels, shape (m,), of the sentences X under version 1's weights W, b."""
    ### BEGIN SOLUTION
    AVG = np.array([sentence_to_avg(s, glove) for s in X])
    return np.argmax(AVG @ W.T + b, axis=1)
    ### END SOLUTION


# %%
check.predict(predict)

# %%
v1_train = predict(train.sentences[plain], W, b, glove)
v1_test = predict(test.sentences, W, b, glove)
v1_accuracy = float(np.mean(v1_test == test.labels))
v1_target = 0.85
print(f"version 1: training accuracy {np.mean(v1_train == train.labels[plain]):.3f}, test accuracy {v1_accuracy:.3f} "
      f"(target {v1_target}: {'met' if v1_accuracy >= v1_target else 'not met'})")
print(f"  test sentences where word order matters: {np.mean((v1_test == test.labels)[test.word_order]):.3f}, "
      f"the others: {np.mean((v1_test == test.labels)[~test.word_order]):.3f}")

# %% [markdown]
# Sentences with words the training set never used ("granny", "delightful", "laptop") still
# get an emoji from what their vectors are near, which is often, not always, enough:

# %%
mine = ["i adore my granny", "lets go to the ballpark", "what a delightful evening",
        "my laptop died", "i could eat a horse", "i am not feeling happy"]
for sentence, label in zip(mine, predict(mine, W, b, glove)):
    print(f"  {emoji(label)}  {sentence}")

# %% [markdown]
# The confusion matrix counts, for every true emoji (a row), which emoji version 1 gave
# (the columns); the diagonal holds the right answers. Below it, every test sentence it got
# wrong, with the emoji it gave and the right one:

# %%
fig = emojify.plot_confusion(test.labels, v1_test, "version 1 (average of word vectors)")
plt.show()
print(emojify.mistakes(test.sentences, test.labels, v1_test))

# %% [markdown]
# Most of its mistakes on the sentences where word order matters cannot be helped: the
# average of "i am not happy" is close to the average of "i am happy", and "not" pulls every
# sentence it is in the same way, whatever it negates. Would the negated training sentences
# have taught it something? To fit "not happy" (😞) and "not sad" (😄) at once, its one
# weight matrix must weaken what "happy" and "sad" say, so ordinary sentences about joy and
# disappointment would suffer. The cell below trains version 1 again on all the training
# sentences, negations included, and compares the two on the test sentences:

# %%
W_all, b_all, _ = model(train.sentences, train.labels, glove, learning_rate, num_iterations)
right_all = predict(test.sentences, W_all, b_all, glove) == test.labels
right_v1 = v1_test == test.labels
for what, part in [("where word order does not matter", ~test.word_order), ("where it does", test.word_order),
                   ("all", np.ones_like(test.word_order))]:
    print(f"test sentences {what} ({part.sum()}): right without the negated training sentences "
          f"{right_v1[part].sum()}, with them {right_all[part].sum()}")

# %% [markdown]
# Version 2 reads the words in order.
#
# ## 3. Sentences as rows of word indices
#
# Keras trains on batches, and a batch is one array: every sentence becomes a row of the same
# length `max_len`, holding the **index** of each word in a vocabulary, followed by zeros, the
# padding. Index 0 is kept for the padding, so no word has it.
#
# **Exercise 4, `sentences_to_indices`** (6 to 8 lines). For each sentence of `X` (a 1-D array
# or list of strings), in order: split it with `tokenize`, keep the words `word_to_index`
# holds (the others are left out, as in version 1), and write their indices at the start of
# its row of an **integer** array of zeros of shape `(m, max_len)`. A sentence with more than
# `max_len` known words cannot fit: raise `ValueError` naming it and its length (cutting it
# would silently drop words).

# %%
def sentences_to_indices(X, word_to_index, max_len):
    """Rows of word indices, shape (len(X), max_len), int; padded with zeros at the end."""
    ### BEGIN SOLUTION
    X_indices = np.zeros((len(X), max_len), dtype=np.int64)
    for i, sentence in enumerate(X):
        indices = [word_to_index[w] for w in tokenize(sentence) if w in word_to_index]
        if len(indices) > max_len:
            raise ValueError(f"{sentence!r} has {len(indices)} known words, more than max_len = {max_len}")
        X_indices[i, : len(indices)] = indices
    ### END SOLUTION
    return X_indices


# %%
check.sentences_to_indices(sentences_to_indices)

# %% [markdown]
# The vocabulary: `emojify.vocabulary` gives the padding token (index 0), then the
# `vocabulary_size` most frequent words of GloVe (its rows are in order of frequency), then the
# rarer words of our sentences. Why not all 400,000 words? The embedding layer would then hold
# a row of 50 numbers for each of the 400,000 words (80 MB), which the model carries and copies each time it is built, for
# sentences that use a few hundred words; the 20,000 most frequent words cover nearly every
# word you are likely to type.

# %%
words = emojify.vocabulary(glove, np.concatenate([train.sentences, test.sentences]), vocabulary_size)
word_to_index = {w: i for i, w in enumerate(words) if i > 0}
max_len = max(len(tokenize(s)) for s in np.concatenate([train.sentences, test.sentences]))
print(f"{len(words):,} words in the vocabulary; the longest sentence has {max_len} words")
print(sentences_to_indices(["I love you", "my phone is broken", ""], word_to_index, max_len))
try:
    sentences_to_indices(["the " * (max_len + 1)], word_to_index, max_len)
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# The empty sentence became a row of padding only: valid as indices, but there is nothing in
# it to classify, so `emojify.keras_predict`, which you will use with version 2, refuses such
# rows with a message instead of returning the guess the model's biases alone would make.
#
# ## 4. A frozen embedding layer holding GloVe
#
# A Keras `Embedding(input_dim, output_dim)` layer is a table of `input_dim` rows of
# `output_dim` numbers: it turns each index into its row. Filled with the GloVe vectors of the
# vocabulary and frozen (`trainable=False`), it hands the LSTM the same vectors version 1
# averaged; training on a few hundred sentences could only spoil vectors learnt from six billion words.
# With `mask_zero=True` it also tells the layers after it which steps are padding (index 0),
# so that the LSTMs skip them: a sentence's answer does not depend on how much padding
# follows it.
#
# **Exercise 5, `pretrained_embedding_layer`** (about 6 lines). Build the table, an array of
# zeros of shape `(len(words), glove.dim)` whose row `i` is the vector of `words[i]` where
# GloVe knows the word (row 0, the padding, stays zero). Create
# `keras.layers.Embedding(len(words), glove.dim, trainable=False, mask_zero=True)`, build it
# with `layer.build((None,))` so that its weights exist, put the table in with
# `layer.set_weights([table])` and return the layer.

# %%
def pretrained_embedding_layer(glove, words):
    """A frozen Keras Embedding whose row i is the GloVe vector of words[i] (zeros where unknown)."""
    ### BEGIN SOLUTION
    table = np.zeros((len(words), glove.dim), dtype=np.float32)
    for i, w in enumerate(words):
        if w in glove:
            table[i] = glove[w]
    layer = keras.layers.Embedding(len(words), glove.dim, trainable=False, mask_zero=True)
    layer.build((None,))
    layer.set_weights([table])
    ### END SOLUTION
    return layer


# %%
check.pretrained_embedding_layer(pretrained_embedding_layer)

# %%
embedding = pretrained_embedding_layer(glove, words)
row = embedding.get_weights()[0][word_to_index["pizza"]]
print("the row of 'pizza' is GloVe's vector:", np.allclose(row, glove["pizza"]))

# %% [markdown]
# ## 5. Version 2: two LSTM layers over the words
#
# **Exercise 6, `emojify_v2`** (about 8 lines). Build the model with the functional API:
#
# 1. `keras.Input(shape=(max_len,), dtype="int32")`, the rows of word indices;
# 2. the given `embedding_layer` (it masks the padding);
# 3. `keras.layers.LSTM(units, return_sequences=True)`, then `keras.layers.Dropout(0.5)`;
# 4. `keras.layers.LSTM(units)` (its last state only), then `keras.layers.Dropout(0.5)`;
# 5. `keras.layers.Dense(n_classes, activation="softmax")`.
#
# Return `keras.Model(inputs, outputs)`.

# %%
def emojify_v2(max_len, embedding_layer, units, n_classes):
    """Keras model (m, max_len) word indices -> (m, n_classes): embedding, 2 LSTMs with dropout, softmax."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=(max_len,), dtype="int32")
    h = embedding_layer(inputs)
    h = keras.layers.LSTM(units, return_sequences=True)(h)
    h = keras.layers.Dropout(0.5)(h)
    h = keras.layers.LSTM(units)(h)
    h = keras.layers.Dropout(0.5)(h)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(h)
    ### END SOLUTION
    return keras.Model(inputs, outputs)


# %%
check.emojify_v2(emojify_v2)

# %% [markdown]
# The summary shows where the parameters are: the embedding's are many but frozen
# ("non-trainable"), the LSTMs' are the ones training moves.

# %%
keras.utils.set_random_seed(0)
model_v2 = emojify_v2(max_len, embedding, v2_units, N_CLASSES)
model_v2.summary()

# %% [markdown]
# Training: Adam on the sparse categorical cross-entropy (the labels stay integers), a line
# every few epochs.

# %%
x_train = sentences_to_indices(train.sentences, word_to_index, max_len)
x_test = sentences_to_indices(test.sentences, word_to_index, max_len)
losses = emojify.fit_keras(model_v2, x_train, train.labels, epochs=v2_epochs, batch_size=v2_batch_size)
v2_test = emojify.keras_predict(model_v2, x_test)
v2_accuracy = float(np.mean(v2_test == test.labels))
print(f"version 2: test accuracy {v2_accuracy:.3f} (version 1: {v1_accuracy:.3f})")

# %%
fig = emojify.plot_confusion(test.labels, v2_test, "version 2 (two LSTM layers)")
plt.show()
print(emojify.mistakes(test.sentences, test.labels, v2_test))

# %% [markdown]
# ## 6. Where word order matters
#
# The test sentences marked `word_order`, with the emoji each version gave (✓ where right):

# %%
print(emojify.word_order_table(test, v1_test, v2_test))
v1_order = float(np.mean((v1_test == test.labels)[test.word_order]))
v2_order = float(np.mean((v2_test == test.labels)[test.word_order]))
print(f"accuracy on these {test.word_order.sum()} sentences: version 1 {v1_order:.3f}, version 2 {v2_order:.3f}")

# %% [markdown]
# Version 1 gets most of them wrong, and could not do otherwise: it sees a bag of words.
# Version 2 read "not" before "happy" and learnt from the negated training sentences what it
# does; it is right on more of them (the figures above), though with a few dozen negated training sentences
# to learn from, it is not always right.
#
# The padding does not change version 2's answer: with masking, the LSTMs skip the zeros.
# A sentence given with more padding (a model built for longer rows, the same weights) gets
# the same probabilities, and a row of padding only is refused:

# %%
longer = emojify_v2(max_len + 5, embedding, v2_units, N_CLASSES)
longer.set_weights(model_v2.get_weights())
sentence = ["i am not happy"]
p_short = np.asarray(model_v2(sentences_to_indices(sentence, word_to_index, max_len), training=False))
p_long = np.asarray(longer(sentences_to_indices(sentence, word_to_index, max_len + 5), training=False))
print(f"largest difference of the probabilities with {max_len} and {max_len + 5} steps: {np.abs(p_short - p_long).max():.1e}")
try:
    emojify.keras_predict(model_v2, sentences_to_indices(["", "zzxq blorft"], word_to_index, max_len))
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# Try your own sentences:

# %%
for sentence, label in zip(mine, emojify.keras_predict(model_v2, sentences_to_indices(mine, word_to_index, max_len))):
    print(f"  {emoji(label)}  {sentence}")

# %% [markdown]
# ## 7. Headline: the test accuracy of both versions
#
# Both versions have the same target on the test sentences, 0.85, so the figure of this
# notebook is the lower of their two accuracies (each is printed above, and both on the
# word-order sentences in section 6). The training set is small, so version 2's accuracy moves
# by a few points with the seed.

# %%
print(f"test accuracy: version 1 {v1_accuracy:.3f}, version 2 {v2_accuracy:.3f}")
met = headline("lower of the test accuracies of versions 1 and 2", min(v1_accuracy, v2_accuracy), target=0.85)

# %% [markdown]
# ## What you have learned
#
# - Averaging pretrained word vectors gives a sentence classifier that needs little data and
#   copes with words it never saw in training, but it cannot see word order: negations fool it.
# - Training examples a model cannot represent do not just go unlearnt: the negated sentences
#   made version 1 worse on the ordinary ones, so it was trained without them.
# - Sentences become rows of word indices of one length; padding with index 0 and
#   `mask_zero=True` let the recurrent layers skip it.
# - A frozen `Embedding` layer holds pretrained vectors; restricting it to the words needed
#   keeps the model small.
# - Stacked LSTMs read the words in order and can learn what a negation does, given examples
#   of it.

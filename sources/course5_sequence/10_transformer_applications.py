# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Transformer applications - named entities and questions
#     minutes: 3
#     fast:
#       ner_train: 96
#       ner_test: 48
#       ner_epochs: 2
#       qa_train: 96
#       qa_test: 48
#       qa_epochs: 2
# ---

# %% [markdown]
# # Transformer applications: named entities and questions
#
# **What you will build:** two applications of a real pretrained transformer encoder, the
# 6-layer MiniLM (a small BERT): a **named-entity recogniser** that finds the people,
# companies, places, dates and skills in short biographies, and an **extractive
# question-answering** reader that points at the words of a story that answer a question.
# On the way you write the four pieces every such system needs: putting word labels onto
# sub-word tokens, a token-classification head, choosing the best answer span, and scoring
# answers the way the SQuAD benchmark does (exact match and F1).
#
# **What you will learn:**
# - how a WordPiece tokenizer cuts words into pieces, and why a word's label goes on its
#   first piece only;
# - how one pretrained encoder serves several tasks: a small task head trained on the token
#   vectors of the frozen encoder;
# - how a reader turns two scores per token into an answer, and why the start and end must be
#   chosen together;
# - how entity-level F1, exact match and token F1 judge the results.
#
# **Time:** about 60 minutes of work; a full run of the notebook takes about three minutes on
# a two-core laptop CPU (most of it the encoder reading the texts).
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import re
import string
from collections import Counter

import keras
import numpy as np

from shared_utils import headline
from shared_utils.checks import c5_10_transformer_applications as check
from shared_utils.course5 import transformer_apps as apps
from shared_utils.models import bert

IGNORE = apps.IGNORE  # -100: the label of a token that carries none

# %% tags=["parameters"]
# Generated biographies to train and to test the entity recogniser on, and its epochs.
ner_train = 800
ner_test = 200
ner_epochs = 12
# Generated stories to train and to test the reader on, and its epochs.
qa_train = 2200
qa_test = 200
qa_epochs = 12
# Encoder layers that stay frozen (of 6): their token vectors are computed once.
frozen_layers = 4
# Tokens per text at most (the encoder has 512 positions).
max_tokens = 96

# %% [markdown]
# ## 0. The encoder and its tokenizer
#
# `bert.bert_encoder()` is a Keras port of all-MiniLM-L6-v2 with its real weights (read from
# the package cache; nothing is downloaded while the notebook runs): 6 transformer layers,
# 384 numbers per token, 12 attention heads. It reads a batch of token ids and gives back
# one vector per token. Its tokenizer is the model's own WordPiece vocabulary of 30,522
# pieces: a frequent word is one piece; a rare one is cut into several, the later ones
# marked `##`.

# %%
encoder = bert.bert_encoder()
tokenizer = bert.load_tokenizer()
for word in ["Python", "Sullivanport", "Williams-Sheppard", "TensorFlow"]:
    print(f"{word:>18} -> {tokenizer.encode(word, add_special_tokens=False).tokens}")

# %% [markdown]
# ## 1. Named entities in biographies
#
# The data are short biographies generated with Faker (names, companies, cities, dates)
# and a list of skills, so that every word's label is known. Each word has a **BIO** tag:
# `B-PER` begins a person's name, `I-PER` continues it, and so on for `ORG`, `LOC`, `DATE`
# and `SKILL`; `O` is outside every entity. The training and test biographies come from
# different seeds: the test set's people, companies and places are new.

# %%
train_bios = apps.biographies(ner_train, seed=1)
test_bios = apps.biographies(ner_test, seed=2)
print(f"{len(train_bios)} training and {len(test_bios)} test biographies; the labels: {list(apps.LABELS)}")
example = train_bios[0]
apps.display_html(apps.tags_html(example["words"], example["tags"], example["tags"]))

# %% [markdown]
# ### Words and tokens
#
# The encoder reads tokens, not words. Given the words of a text, the tokenizer says for
# each token which word it came from (`word_ids`): `None` for the special tokens `[CLS]` and
# `[SEP]` and for padding, otherwise the word's index. One label per word must become one
# label per token. The usual choice: the **first** piece of a word gets the word's label,
# every later piece gets `-100`, and so do the special tokens. Keras's loss skips the
# label -100 (`ignore_class=-100`), so every word counts once, however many pieces it has.
#
# **Exercise 1, `align_labels_with_tokens`** (about 8 lines). Given the label ids of the
# words (`word_labels`, a list of ints) and the `word_ids` of the tokens, return a NumPy
# array of one label per token: `IGNORE` (-100) where the word id is `None` or the same as
# the previous token's, else `word_labels[word_id]`.

# %%
def align_labels_with_tokens(word_labels, word_ids):
    """One label per token: the word's label on its first piece, IGNORE (-100) elsewhere."""
    labels, previous = [], None
    for word in word_ids:
        ### BEGIN SOLUTION
        if word is None:
            labels.append(IGNORE)
        elif word != previous:
            labels.append(word_labels[word])
        else:
            labels.append(IGNORE)
        ### END SOLUTION
        previous = word
    return np.array(labels)


# %%
check.align_labels_with_tokens(align_labels_with_tokens)

# %%
encoded = apps.encode_words(tokenizer, [example["words"]], max_tokens=max_tokens)
tokens = [tokenizer.id_to_token(int(i)) for i in encoded["input_ids"][0]]
aligned = align_labels_with_tokens(apps.label_ids(example["tags"]), encoded["word_ids"][0])
apps.display_html(apps.tokens_html(tokens, aligned))

# %% [markdown]
# A text longer than the encoder can read is cut: `encode_words` truncates it at
# `max_tokens` and says so, and a request for more than the encoder's 512 positions is
# refused with the reason:

# %%
long_text = [w for bio in train_bios[:6] for w in bio["words"]]
_ = apps.encode_words(tokenizer, [long_text], max_tokens=64)
try:
    apps.encode_words(tokenizer, [long_text], max_tokens=1000)
except ValueError as error:
    print("refused:", error)

# %% [markdown]
# ### A token-classification head
#
# The recogniser is the encoder with a small **head** on top: for every token vector, one
# score (a logit) per label. The head reads the token vectors after the encoder's first
# `frozen_layers` layers (of six), kept as they were pretrained and computed once; only the
# head is trained, which takes seconds where training the encoder would take minutes. (The
# middle layers of a BERT carry more about a word's kind than its last ones, which a
# sentence-embedding model such as this one has tuned for whole sentences.)
#
# **Exercise 2, `token_classifier`** (3 lines). Build a Keras model that reads a batch of
# texts of any length, `keras.Input(shape=(None, width))`, applies
# `keras.layers.Dropout(dropout)` and then `keras.layers.Dense(n_labels)` **without an
# activation** (the loss takes the logits: `from_logits=True`). A `Dense` layer on a 3-D input
# acts on the last axis, so every token is scored with the same weights.

# %%
def token_classifier(width, n_labels, dropout):
    """A Keras model (m, T, width) -> (m, T, n_labels) of logits: dropout, then one Dense layer."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=(None, width))
    h = keras.layers.Dropout(dropout)(inputs)
    outputs = keras.layers.Dense(n_labels)(h)
    ### END SOLUTION
    return keras.Model(inputs, outputs)


# %%
check.token_classifier(token_classifier)

# %% [markdown]
# A head must give one score per label of the data. `apps.check_labels` refuses a head
# built for another label set, before any training is wasted on it:

# %%
try:
    apps.check_labels(token_classifier(bert.WIDTH, 9, 0.1), apps.LABELS)
except ValueError as error:
    print("refused:", error)

# %% [markdown]
# ### Training the recogniser
#
# The biographies are tokenized, their labels aligned with your function, the frozen
# layers' token vectors computed once, and the head trained on them.

# %%
def tagged_inputs(bios):
    encoded = apps.encode_words(tokenizer, [b["words"] for b in bios], max_tokens=max_tokens)
    labels = np.full(encoded["input_ids"].shape, IGNORE)
    for i, bio in enumerate(bios):
        labels[i] = align_labels_with_tokens(apps.label_ids(bio["tags"]), encoded["word_ids"][i])
    vectors = apps.frozen_features(encoder, encoded, frozen_layers, desc="encoding biographies")
    return encoded, vectors, labels


ner_train_inputs, ner_train_vectors, ner_train_labels = tagged_inputs(train_bios)
ner_test_inputs, ner_test_vectors, _ = tagged_inputs(test_bios)

ner_head = token_classifier(bert.WIDTH, len(apps.LABELS), dropout=0.1)
apps.check_labels(ner_head, apps.LABELS)
ner_head.compile(keras.optimizers.Adam(3e-3),
                 keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=IGNORE))
ner_losses = apps.fit(ner_head, ner_train_vectors, ner_train_labels, epochs=ner_epochs, batch_size=32,
                      desc="entity head")
print("mean loss per epoch:", np.round(ner_losses, 3))

# %% [markdown]
# Each word's tag is read off its first token's highest score. An entity counts as found
# only when its type and both its ends are right (entity-level F1, the CoNLL convention);
# a tag right on most words of a name but wrong on one is a miss.

# %%
ner_logits = ner_head.predict(ner_test_vectors, verbose=0)
predicted_tags = [apps.word_predictions(ner_logits[i], ner_test_inputs["word_ids"][i], len(b["words"]))
                  for i, b in enumerate(test_bios)]
ner_scores = apps.entity_f1([b["tags"] for b in test_bios], predicted_tags)
print("held-out biographies: " + ", ".join(f"{k} {v:.3f}" for k, v in ner_scores.items()))
wrong = [i for i, b in enumerate(test_bios) if predicted_tags[i] != b["tags"]]
for i in [0] + [w for w in wrong if w != 0][:1]:
    apps.display_html(apps.tags_html(test_bios[i]["words"], test_bios[i]["tags"], predicted_tags[i]))
print(f"{len(wrong)} of {len(test_bios)} test biographies have at least one wrong tag (red borders)")

# %% [markdown]
# ## 2. Questions about stories
#
# The stories are in the style of bAbI's first task: people move between rooms and towns,
# and the question asks where one of them is. The answer is a **span** of the story, the
# place of the last sentence that moves that person. The reader reads the question and the
# story together, `[CLS] question [SEP] story [SEP]`, and gives every token of the story two
# scores: how likely the answer starts there, and how likely it ends there.

# %%
train_stories = apps.stories(qa_train, seed=1)
test_stories = apps.stories(qa_test, seed=2)
s = train_stories[0]
print(s["story"], "\n", s["question"], "->", s["answer"])

# %% [markdown]
# An empty question is refused (there is nothing to look for), and a story too long for
# `max_tokens` is cut, the question kept whole:

# %%
try:
    apps.encode_questions(tokenizer, [" "], [s["story"]])
except ValueError as error:
    print("refused:", error)
cut = apps.encode_questions(tokenizer, [s["question"]], [s["story"] * 20], max_tokens=64)
print(f"a story of {len((s['story'] * 20).split())} words, truncated: {cut['truncated']} "
      f"(kept {cut['input_ids'].shape[1]} tokens)")

# %% [markdown]
# ### The best span
#
# Given the start scores $s_i$ and end scores $e_j$ of the tokens, the reader's answer is the
# span $(i, j)$ of the highest $s_i + e_j$ with $i \le j$ (it cannot end before it starts) and
# $j - i < $ `max_len` (an answer of at most `max_len` tokens). Taking the best start and the
# best end separately can give an end before the start, or a span across half the story.
#
# **Exercise 3, `best_span`** (about 4 lines, no loop). Score every pair at once,
# `scores = start_logits[:, None] + end_logits[None, :]` (an `(n, n)` matrix: row $i$, column
# $j$); keep the pairs with $0 \le j - i <$ `max_len` (`np.triu(ones, 0)` keeps $j \ge i$, and
# `np.triu(ones, max_len)` marks $j - i \ge$ `max_len`), set the others to `-np.inf`, and return
# the row and column of the largest score (`np.argmax` and `np.unravel_index`).

# %%
def best_span(start_logits, end_logits, max_len):
    """(start, end), both included, of the highest start + end score with 0 <= end - start < max_len."""
    n = len(start_logits)
    ### BEGIN SOLUTION
    scores = np.asarray(start_logits)[:, None] + np.asarray(end_logits)[None, :]
    allowed = np.triu(np.ones((n, n), dtype=bool)) & ~np.triu(np.ones((n, n), dtype=bool), max_len)
    scores = np.where(allowed, scores, -np.inf)
    start, end = np.unravel_index(np.argmax(scores), scores.shape)
    ### END SOLUTION
    return int(start), int(end)


# %%
check.best_span(best_span)

# %% [markdown]
# ### Training the reader
#
# A question needs more than a head on each token: the story's tokens must first find the
# sentences about the person asked for. The reader's head is given: two small transformer
# blocks trained from scratch on top of the frozen encoder (each story token can look at the
# question and at the other sentences), then two scores per token. It reads the frozen
# layers' vectors together with the encoder's **token embeddings** (its layer 0, before any
# attention), in which two occurrences of a name are alike wherever they stand: that makes
# the name in the question easy to match with its sentences. Tokens outside the story score
# -10,000, so no answer starts or ends in the question.

# %%
def reader_inputs(stories):
    encoded = apps.encode_questions(tokenizer, [x["question"] for x in stories], [x["story"] for x in stories],
                                    max_tokens=max_tokens)
    vectors = apps.frozen_features(encoder, encoded, frozen_layers, desc="encoding stories")
    embeddings = apps.frozen_features(encoder, encoded, 0, desc="token embeddings")
    return encoded, [vectors, embeddings, encoded["attention_mask"], encoded["context"]]


qa_train_inputs, qa_train_x = reader_inputs(train_stories)
qa_test_inputs, qa_test_x = reader_inputs(test_stories)
first, last = apps.answer_tokens(qa_train_inputs, [x["answer_start"] for x in train_stories],
                                 [x["answer"] for x in train_stories])
keep = first >= 0  # answers that truncation did not cut off
reader = apps.span_reader(bert.WIDTH)
steps = qa_epochs * -(-int(keep.sum()) // 32)  # the learning rate falls from 1e-3 to 0 over training
reader.compile(keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps)),
               [keras.losses.SparseCategoricalCrossentropy(from_logits=True)] * 2)
qa_losses = apps.fit(reader, [x[keep] for x in qa_train_x], (first[keep], last[keep]), epochs=qa_epochs,
                     batch_size=32, desc="reader")
print("mean loss per epoch:", np.round(qa_losses, 3))

# %%
start_scores, end_scores = reader.predict(qa_test_x, verbose=0)
spans = [best_span(start_scores[i], end_scores[i], max_len=8) for i in range(len(test_stories))]
answers = [apps.span_text(x["story"], qa_test_inputs["offsets"][i], *spans[i]) for i, x in enumerate(test_stories)]
for i in range(3):
    print(f"{test_stories[i]['question']:<22} predicted {answers[i]!r:<22} true {test_stories[i]['answer']!r}")

# %% [markdown]
# ## 3. Scoring answers the SQuAD way
#
# A predicted answer is compared with the true one after both are **normalised**, so that
# "The kitchen." and "kitchen" count as the same: lower case, punctuation removed, the
# articles *a*, *an* and *the* removed, runs of spaces made one.
#
# **Exercise 4, `normalize_answer`** (4 lines). In that order: `text.lower()`; drop every
# character of `string.punctuation`; replace the articles by a space with
# `re.sub(r"\b(a|an|the)\b", " ", text)` (`\b` marks a word's edge, so "banana" keeps its
# "an"); then `" ".join(text.split())`.

# %%
def normalize_answer(text):
    """SQuAD's normalisation: lower case, no punctuation, no articles, single spaces."""
    ### BEGIN SOLUTION
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())
    ### END SOLUTION


# %%
check.normalize_answer(normalize_answer)

# %% [markdown]
# **Exercise 5, `exact_match`** (1 line). `1.0` when the normalised answers are equal, else
# `0.0` (a float).
#
# **Exercise 6, `f1`** (about 7 lines). The answers as bags of words: with `pred` and `true`
# the normalised answers split into words, the words they share are
# `Counter(pred) & Counter(true)` (a word twice in both counts twice); with `same` their
# number, precision is `same / len(pred)`, recall `same / len(true)` and
# $F_1 = 2pr/(p + r)$; return `0.0` when they share no word. F1 gives partial credit: "Port
# Ryan" for "Lake Ryan" scores one half.

# %%
def exact_match(prediction, truth):
    """1.0 if the normalised answers are equal, else 0.0."""
    ### BEGIN SOLUTION
    return float(normalize_answer(prediction) == normalize_answer(truth))
    ### END SOLUTION


# %%
check.exact_match(exact_match)

# %%
def f1(prediction, truth):
    """The F1 of the words two answers share, after normalisation."""
    ### BEGIN SOLUTION
    pred, true = normalize_answer(prediction).split(), normalize_answer(truth).split()
    common = Counter(pred) & Counter(true)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(true)
    return 2 * precision * recall / (precision + recall)
    ### END SOLUTION


# %%
check.f1(f1)

# %% [markdown]
# The reader's answers on the held-out stories, scored with your functions; the
# highlighted span is the reader's answer (green when right, red when wrong), the
# underlined one the truth:

# %%
qa_em = float(np.mean([exact_match(a, x["answer"]) for a, x in zip(answers, test_stories)]))
qa_f1 = float(np.mean([f1(a, x["answer"]) for a, x in zip(answers, test_stories)]))
print(f"held-out stories: exact match {qa_em:.3f}, F1 {qa_f1:.3f}")
misses = [i for i, a in enumerate(answers) if not exact_match(a, test_stories[i]["answer"])]
for i in [0] + [m for m in misses if m != 0][:2]:
    x, (a, b) = test_stories[i], spans[i]
    offsets = qa_test_inputs["offsets"][i]
    apps.display_html(apps.answer_html(x["story"], x["question"], offsets[a][0], offsets[b][1],
                                       x["answer_start"], x["answer_start"] + len(x["answer"])))

# %% [markdown]
# ## 4. Headline
#
# Both applications have the same target, 0.90 on held-out data: the entity-level F1 of the
# recogniser and the exact match of the reader. The headline is the lower of the two.

# %%
print(f"entity-level F1 {ner_scores['f1']:.3f}, exact match {qa_em:.3f}")
met = headline("lower of entity F1 (NER) and exact match (QA), held out", min(ner_scores["f1"], qa_em), target=0.9)

# %% [markdown]
# ## What you have learned
#
# - A word's label goes on its first sub-word token; the other pieces and the special
#   tokens get -100, which the loss skips.
# - One pretrained encoder serves many tasks: a small head on its token vectors is enough
#   for entities, while a question needs the story's tokens to look at the question first.
# - A reader's answer is the best *pair* of start and end, chosen together under a length cap.
# - Entity-level F1 counts whole entities; exact match and F1 score answers after
#   normalisation, F1 with partial credit.

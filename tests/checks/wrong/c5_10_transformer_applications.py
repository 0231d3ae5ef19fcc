"""Plausible mistakes for course5_sequence/10_transformer_applications."""

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- align_labels_with_tokens -----

edit = wrong.edits("align_labels_with_tokens")
edit(
    "align_every_piece",
    "        else:\n            labels.append(IGNORE)\n",
    "        else:\n            labels.append(word_labels[word])\n",
    expect="Every piece of a word got the word's label",
)
edit(
    "align_special_zero",
    "if word is None:\n            labels.append(IGNORE)",
    "if word is None:\n            labels.append(0)",
    expect="got label 0",
)


@wrong("align_labels_with_tokens", expect="shifted by one token")
def align_shifted(word_labels, word_ids):  # looks at the previous token's word
    labels, previous = [-100], None
    for word in word_ids[:-1]:
        labels.append(-100 if word is None or word == previous else word_labels[word])
        previous = word
    return np.array(labels)


@wrong("align_labels_with_tokens", expect="the last piece of each word")
def align_last_piece(word_labels, word_ids):
    out = []
    for t, word in enumerate(word_ids):
        following = word_ids[t + 1] if t + 1 < len(word_ids) else None
        out.append(-100 if word is None or following == word else word_labels[word])
    return np.array(out)


# ----- token_classifier -----

edit = wrong.edits("token_classifier")
edit(
    "head_softmax",
    "keras.layers.Dense(n_labels)",
    'keras.layers.Dense(n_labels, activation="softmax")',
    expect="activation",
)
edit(
    "head_hard_coded_labels",
    "keras.layers.Dense(n_labels)",
    "keras.layers.Dense(11)",
    expect="units",
)
edit(
    "head_no_sequence_axis",
    "keras.Input(shape=(None, width))",
    "keras.Input(shape=(width,))",
    expect="takes inputs of shape",
)
edit(
    "head_fixed_dropout",
    "keras.layers.Dropout(dropout)",
    "keras.layers.Dropout(0.1)",
    expect="rate",
)

# ----- best_span -----

edit = wrong.edits("best_span")
edit(
    "span_separate_argmax",
    "    scores = np.where(allowed, scores, -np.inf)\n"
    "    start, end = np.unravel_index(np.argmax(scores), scores.shape)\n",
    "    start, end = np.argmax(start_logits), np.argmax(end_logits)\n",
    expect="best start and the best end separately",
)
edit(
    "span_no_cap",
    "np.triu(np.ones((n, n), dtype=bool)) & ~np.triu(np.ones((n, n), dtype=bool), max_len)",
    "np.triu(np.ones((n, n), dtype=bool))",
    expect="ignores max_len",
)
edit(
    "span_cap_off_by_one",
    "np.triu(np.ones((n, n), dtype=bool), max_len)",
    "np.triu(np.ones((n, n), dtype=bool), max_len + 1)",
    expect="max_len + 1 tokens long",
)
edit(
    "span_slice_end",
    "return int(start), int(end)",
    "return int(start), int(end) + 1",
    expect="end + 1",
)

# ----- normalize_answer -----

edit = wrong.edits("normalize_answer")
edit(
    "normalize_no_lower",
    "    text = text.lower()\n",
    "",
    expect="Lower-case the text first",
)
edit(
    "normalize_articles_inside_words",
    r'r"\b(a|an|the)\b"',
    'r"(a|an|the)"',
    expect="inside words",
)
edit(
    "normalize_punct_to_space",
    "ch for ch in text if ch not in set(string.punctuation))",
    '" " if ch in set(string.punctuation) else ch for ch in text)',
    expect="replaced punctuation by spaces",
)
edit(
    "normalize_no_articles",
    '    text = re.sub(r"\\b(a|an|the)\\b", " ", text)\n',
    "",
    expect="Remove the articles",
)

# ----- exact_match -----


@wrong("exact_match", expect="Normalise both answers first")
def em_raw(prediction, truth):
    return float(prediction == truth)


@wrong("exact_match", expect="contains the other")
def em_contains(prediction, truth):
    return float(normalize_answer(prediction) in normalize_answer(truth))  # noqa: F821


@wrong("exact_match", expect="should be a single number")
def em_bool_list(prediction, truth):
    return [normalize_answer(prediction) == normalize_answer(truth)]  # noqa: F821


# ----- f1 -----

edit = wrong.edits("f1")
edit(
    "f1_set_overlap",
    "common = Counter(pred) & Counter(true)\n    same = sum(common.values())",
    "same = len(set(pred) & set(true))",
    expect="as a set",
)
edit(
    "f1_precision_only",
    "return 2 * precision * recall / (precision + recall)",
    "return precision",
    expect="You returned the precision",
)
edit(
    "f1_no_normalisation",
    "pred, true = normalize_answer(prediction).split(), normalize_answer(truth).split()",
    "pred, true = prediction.split(), truth.split()",
    expect="Normalise both answers first",
)

"""Checks for course 5, notebook 10: transformer applications (named entities, questions).

Oracles:

* ``align_labels_with_tokens``: the first token of every word found with ``np.unique(...,
  return_index=True)`` over the word ids (not a walk over the tokens, as the exercise does),
  on word ids from the MiniLM WordPiece tokenizer itself (``tokenizers``) for generated
  biographies, and on hand-made word ids (a word cut by truncation, single-piece words only).
  Exact: the labels are integers.
* ``token_classifier``: the model the exercise describes, built with Keras's own ``Dropout``
  and ``Dense`` and compared layer by layer (:meth:`Check.model`); then both get the same
  seeded weights and their outputs on a seeded batch are compared (``rtol=1e-5``).
* ``best_span``: every (start, end) scored at once as ``start[:, None] + end[None, :]`` and
  the allowed pairs (start <= end < start + max_len) kept by TensorFlow's
  ``tf.linalg.band_part``; the argmax over that matrix, on random logits (no ties).
* ``normalize_answer``: the SQuAD v1.1 rules (lower case, punctuation removed, the articles
  a, an, the removed as words, spaces collapsed) computed by another route: ``str.translate``
  with ``string.punctuation`` and a filter over the split words; plus answers worked by hand.
* ``exact_match`` and ``f1``: answers worked by hand (the F1 of "the cat sat" against "a cat
  sat on the mat" is 2/3), and token-count vectors over the union vocabulary (``np.unique``)
  for random answers; the learner's ``normalize_answer`` is replaced by the oracle's during
  these checks (:meth:`Check.planted`), so that each check judges its own function only.

Known mistakes are recognised by the values they give and named in the hint.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

import numpy as np

from shared_utils.engine.checking import Check, exercise

IGNORE = -100

# ----- align_labels_with_tokens ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _tokenizer():
    from shared_utils.models import bert

    return bert.load_tokenizer()


def _oracle_align(word_labels, word_ids) -> np.ndarray:
    ids = np.array([-1 if w is None else w for w in word_ids])
    out = np.full(len(ids), IGNORE, dtype=np.int64)
    words, first = np.unique(ids, return_index=True)
    keep = words >= 0
    out[first[keep]] = np.asarray(word_labels)[words[keep]]
    return out


def _align_mistakes(word_labels, word_ids) -> dict[str, np.ndarray]:
    labels = np.asarray(word_labels)
    every = np.array([IGNORE if w is None else labels[w] for w in word_ids])
    zero_special = _oracle_align(word_labels, word_ids)
    zero_special[[i for i, w in enumerate(word_ids) if w is None]] = 0
    shifted = np.full(len(word_ids), IGNORE)
    shifted[1:] = _oracle_align(word_labels, word_ids)[:-1]
    last = np.full(len(word_ids), IGNORE)
    for t, w in enumerate(word_ids):
        if w is not None and (t + 1 == len(word_ids) or word_ids[t + 1] != w):
            last[t] = labels[w]
    return {
        "Every piece of a word got the word's label: only its first piece keeps it, "
        "the others get -100.": every,
        "The special tokens ([CLS], [SEP], padding: word id None) got label 0; they carry no label: -100.": (
            zero_special
        ),
        "The labels are shifted by one token: token t takes the label of word_ids[t]'s word.": shifted,
        "You labelled the last piece of each word: the label goes on its first piece.": last,
    }


def _align_cases(ck: Check) -> list[tuple[str, list, list]]:
    from shared_utils.course5 import transformer_apps as ta

    cases = []
    tok = _tokenizer()
    for seed in ck.seeds(2, 4):
        bios = ta.biographies(2, seed=910 + seed, sentences=(1, 2))
        enc = ta.encode_words(tok, [b["words"] for b in bios], max_tokens=128, quiet=True)
        for i, bio in enumerate(bios):
            cases.append(
                (
                    f"a generated biography of {len(bio['words'])} words (seed {seed}, text {i})",
                    ta.label_ids(bio["tags"]),
                    enc["word_ids"][i],
                )
            )
    rng = np.random.default_rng(77 + ck.seed_base)
    labels = [int(x) for x in rng.integers(0, 11, 5)]
    cases.append(("5 words, the last cut off by truncation", labels, [None, 0, 0, 1, 2, 2, 2, 3, None]))
    cases.append(("one piece per word, then padding", [3, 0, 7], [None, 0, 1, 2, None, None, None]))
    return cases


@exercise(
    params=("word_labels", "word_ids"),
    hints=[
        "Walk over word_ids: None -> -100; a word id different from the previous token's -> "
        "word_labels[word id]; the same word id again (a later piece) -> -100."
    ],
)
def align_labels_with_tokens(ck: Check) -> None:
    for what, labels, word_ids in _align_cases(ck):
        with ck.case(what):
            got = ck.call(list(labels), list(word_ids))
            ck.array(
                got,
                _oracle_align(labels, word_ids),
                what="the token labels",
                dtype_kind="iu",
                lists=True,
                mistakes=_align_mistakes(labels, word_ids),
            )


# ----- token_classifier -----------------------------------------------------------------------


def expected_classifier(width: int, n_labels: int, dropout: float):
    """The head of the exercise, built by the check."""
    import keras

    inputs = keras.Input(shape=(None, width), name="check_vectors")
    h = keras.layers.Dropout(dropout, name="check_dropout")(inputs)
    outputs = keras.layers.Dense(n_labels, name="check_scores")(h)
    return keras.Model(inputs, outputs, name="check_token_classifier")


def head_outputs(builder, args: list, seed: int) -> dict:
    """Probe: ``builder(*args)`` with every weight drawn from ``seed``; its outputs on a seeded
    batch of 2 texts of 7 tokens (inference mode), and the shapes of its weights."""
    model = builder(*args)
    rng = np.random.default_rng(seed)
    weights = model.get_weights()
    model.set_weights([rng.normal(0, 0.5, w.shape).astype(np.float32) for w in weights])
    x = np.random.default_rng(seed + 1).normal(size=(2, 7, args[0])).astype(np.float32)
    return {
        "outputs": np.asarray(model(x, training=False)),
        "shapes": np.concatenate([np.asarray(w.shape, np.int64) for w in weights])
        if weights
        else np.zeros(0),
    }


@exercise(
    params=("width", "n_labels", "dropout"),
    hints=[
        "keras.Input(shape=(None, width)) (texts of any length), keras.layers.Dropout(dropout), "
        "then keras.layers.Dense(n_labels) with no activation: the scores (logits)."
    ],
)
def token_classifier(ck: Check) -> None:
    cases = ck.pick([(12, 5, 0.2), (8, 3, 0.35)], [(20, 11, 0.1)])
    for k, (width, n_labels, dropout) in enumerate(cases):
        args = [width, n_labels, dropout]
        with ck.case(f"token_classifier(width={width}, n_labels={n_labels}, dropout={dropout})"):
            got = ck.call(*args)
            expected = expected_classifier(*args)
            ck.model(got, expected, what="your head", input_shape=(None, None, width))
            mine = ck.in_kernel(head_outputs, args, 300 + k)
            wanted = head_outputs(lambda *a: expected, args, 300 + k)
            ck.array(
                mine["outputs"],
                wanted["outputs"],
                what="the scores of your head with seeded weights",
                rtol=1e-5,
                atol=1e-5,
            )


# ----- best_span ------------------------------------------------------------------------------


def _scores(start, end) -> np.ndarray:
    return np.asarray(start, np.float64)[:, None] + np.asarray(end, np.float64)[None, :]


def _argmax(scores: np.ndarray) -> tuple[int, int]:
    s, e = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return int(s), int(e)


def _oracle_span(start, end, max_len: int) -> tuple[int, int]:
    import tensorflow as tf

    scores = tf.constant(_scores(start, end))
    n = int(scores.shape[0])
    allowed = tf.linalg.band_part(tf.ones_like(scores), 0, min(max_len - 1, n))  # 0 <= end - start < max_len
    return _argmax(tf.where(allowed > 0, scores, -np.inf).numpy())


def _span_mistakes(start, end, max_len: int) -> dict[str, tuple[int, int]]:
    n = len(start)
    scores = _scores(start, end)
    upper = np.triu(np.ones((n, n), bool))
    band = lambda k: upper & ~np.triu(np.ones((n, n), bool), k)  # noqa: E731  (end - start < k)
    best = _oracle_span(start, end, max_len)
    return {
        "You took the best start and the best end separately: they must be chosen together, "
        "with start <= end and end - start < max_len.": (int(np.argmax(start)), int(np.argmax(end))),
        "Your span ignores max_len: keep only end - start < max_len.": _argmax(
            np.where(upper, scores, -np.inf)
        ),
        "Your span can be max_len + 1 tokens long: end - start < max_len, not <= max_len.": _argmax(
            np.where(band(max_len + 1), scores, -np.inf)
        ),
        "Your span may end before it starts: keep only the pairs with start <= end.": _argmax(
            np.where(np.tril(np.ones((n, n), bool), max_len - 1), scores, -np.inf)
        ),
        "You returned end + 1 (a Python slice end): return the index of the last token of the span.": (
            best[0],
            best[1] + 1,
        ),
    }


def _span_cases(ck: Check) -> list[tuple[str, np.ndarray, np.ndarray, int]]:
    cases = []
    for seed in ck.seeds(3, 8):
        rng = np.random.default_rng(4100 + seed)
        n = int(rng.integers(6, 40))
        max_len = int(rng.integers(1, 6))
        start, end = rng.normal(0, 2, n), rng.normal(0, 2, n)
        if seed % 2 == 0:  # the best end alone lies before the best start alone
            i, j = sorted(rng.choice(n, 2, replace=False))
            start[j], end[i] = start.max() + 3, end.max() + 3
        cases.append((f"{n} tokens, max_len={max_len} (seed {seed})", start, end, max_len))
    rng = np.random.default_rng(4099)
    start, end = rng.normal(size=8), rng.normal(size=8)
    cases.append(("8 tokens, max_len=20 (longer than the text)", start, end, 20))
    return cases


@exercise(
    params=("start_logits", "end_logits", "max_len"),
    hints=[
        "Score every pair at once, scores = start_logits[:, None] + end_logits[None, :]; set the "
        "pairs with end < start or end - start >= max_len to -inf (np.triu / np.tril), then np.argmax "
        "and np.unravel_index."
    ],
)
def best_span(ck: Check) -> None:
    for what, start, end, max_len in _span_cases(ck):
        with ck.case(what):
            got = ck.returns(ck.call(start.astype(np.float32), end.astype(np.float32), max_len), "start, end")
            got = tuple(int(np.asarray(v)) if np.ndim(v) == 0 else v for v in got)
            expected = _oracle_span(start.astype(np.float32), end.astype(np.float32), max_len)
            if got != expected:
                hint = next(
                    (h for h, v in _span_mistakes(start, end, max_len).items() if v == got and v != expected),
                    None,
                )
                ck.fail(f"the span is wrong.\n  expected: (start, end) = {expected}\n  received: {got}", hint)


# ----- normalize_answer, exact_match, f1 ------------------------------------------------------

ARTICLES = {"a", "an", "the"}


def oracle_normalize(text: str) -> str:
    """SQuAD v1.1's normalisation by another route than the exercise's regular expressions."""
    kept = str(text).lower().translate(str.maketrans("", "", string.punctuation))
    return " ".join(w for w in kept.split() if w not in ARTICLES)


NORMALIZE_BY_HAND = [
    ("The Eiffel Tower", "eiffel tower"),
    ("  an   apple, a pear!  ", "apple pear"),
    ("O'Neill's theatre", "oneills theatre"),
    ("Banana THE anthem", "banana anthem"),
    ("the.", ""),
    ("A-level results (2024)", "alevel results 2024"),
]
WORDS = ["the", "a", "an", "Kitchen", "garden", "theory", "Anna", "banana", "Port", "New", "x", "and"]
MARKS = ["", "", "", ".", ",", "!", "'", "-", "?"]


def _random_answers(rng, n: int) -> list[str]:
    out = []
    for _ in range(n):
        k = int(rng.integers(1, 6))
        words = [
            WORDS[int(rng.integers(len(WORDS)))] + MARKS[int(rng.integers(len(MARKS)))] for _ in range(k)
        ]
        spaces = [" " * int(rng.integers(1, 3)) for _ in range(k)]
        out.append("".join(s + w for s, w in zip(spaces, words)))
    return out


def _normalize_mistakes(text: str) -> dict[str, str]:
    low = text.lower()
    no_punct = low.translate(str.maketrans("", "", string.punctuation))
    spaced = re.sub(f"[{re.escape(string.punctuation)}]", " ", low)
    return {
        "Lower-case the text first: 'The' and 'the' must become the same.": " ".join(
            w for w in text.translate(str.maketrans("", "", string.punctuation)).split() if w not in ARTICLES
        ),
        "Remove the articles a, an and the (as whole words: \\b(a|an|the)\\b).": " ".join(no_punct.split()),
        "You removed 'a', 'an' or 'the' inside words ('banana', 'theory'): match whole words only, "
        "\\b(a|an|the)\\b.": " ".join(re.sub("(a|an|the)", " ", no_punct).split()),
        "You replaced punctuation by spaces: SQuAD deletes it ('O'Neill' -> 'oneill').": " ".join(
            w for w in spaced.split() if w not in ARTICLES
        ),
        "Collapse the spaces: ' '.join(text.split()).": re.sub(r"\b(a|an|the)\b", " ", no_punct),
    }


@exercise(
    params=("text",),
    hints=[
        "In this order: text.lower(); remove every character of string.punctuation; remove the "
        "words a, an, the (re.sub(r'\\b(a|an|the)\\b', ' ', text)); then ' '.join(text.split())."
    ],
)
def normalize_answer(ck: Check) -> None:
    rng = np.random.default_rng(5100 + ck.seed_base)
    cases = [(t, e, "worked by hand") for t, e in NORMALIZE_BY_HAND]
    cases += [(t, oracle_normalize(t), "random") for t in _random_answers(rng, 8 if ck.extended else 4)]
    for text, expected, kind in cases:
        with ck.case(f"normalize_answer({text!r}) ({kind})"):
            got = ck.instance(ck.call(text), str, "the normalised answer")
            if got != expected:
                hint = next((h for h, v in _normalize_mistakes(text).items() if v == got), None)
                ck.fail(f"expected {expected!r}, received {got!r}.", hint)


def _counts(a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    ta, tb = oracle_normalize(a).split(), oracle_normalize(b).split()
    vocab = np.unique(ta + tb)
    count = lambda toks: np.array([toks.count(w) for w in vocab])  # noqa: E731
    return count(ta), count(tb)


def oracle_f1(prediction: str, truth: str) -> float:
    p, t = _counts(prediction, truth)
    same = np.minimum(p, t).sum()
    if same == 0:
        return 0.0
    precision, recall = same / p.sum(), same / t.sum()
    return float(2 * precision * recall / (precision + recall))


PAIRS_BY_HAND = [
    ("the cat sat", "a cat sat on the mat", 0.0, 2 / 3),
    ("Kitchen.", "the kitchen", 1.0, 1.0),
    ("New York", "york new", 0.0, 1.0),
    ("Port Ryan", "Lake Ryan", 0.0, 0.5),
    ("garden garden garden", "garden", 0.0, 0.5),
    ("hallway", "bedroom", 0.0, 0.0),
    ("garden garden", "the garden garden hallway", 0.0, 0.8),
]


def _pairs(ck: Check) -> list[tuple[str, str]]:
    rng = np.random.default_rng(5200 + ck.seed_base)
    a, b = _random_answers(rng, 6 if ck.extended else 3), _random_answers(rng, 6 if ck.extended else 3)
    pairs = [(x, y) for x, y in zip(a, b) if oracle_normalize(x) and oracle_normalize(y)]
    pairs.append((b[0] + " " + a[0], a[0].upper() + "!"))
    return pairs


@exercise(
    params=("prediction", "truth"),
    hints=["Compare the normalised strings: float(normalize_answer(prediction) == normalize_answer(truth))."],
)
def exact_match(ck: Check) -> None:
    with ck.planted(normalize_answer=oracle_normalize):
        cases = [(p, t, em, "worked by hand") for p, t, em, _ in PAIRS_BY_HAND]
        cases += [(p, t, float(oracle_normalize(p) == oracle_normalize(t)), "random") for p, t in _pairs(ck)]
        for prediction, truth, expected, kind in cases:
            with ck.case(f"exact_match({prediction!r}, {truth!r}) ({kind})"):
                got = ck.call(prediction, truth)
                mistakes = {
                    "Normalise both answers first (normalize_answer): case, punctuation and articles "
                    "must not count.": float(prediction == truth),
                    "You tested whether one answer contains the other: exact match asks for equality.": float(
                        oracle_normalize(prediction) in oracle_normalize(truth)
                    ),
                }
                mistakes = {h: v for h, v in mistakes.items() if v != expected}
                ck.scalar(got, expected, what="the exact match", mistakes=mistakes)


@exercise(
    params=("prediction", "truth"),
    hints=[
        "Split both normalised answers into words; common = Counter(pred) & Counter(truth); with "
        "n = sum(common.values()): precision n / len(pred), recall n / len(truth), "
        "F1 = 2 p r / (p + r), and 0 when n == 0."
    ],
)
def f1(ck: Check) -> None:
    with ck.planted(normalize_answer=oracle_normalize):
        cases = [(p, t, value, "worked by hand") for p, t, _, value in PAIRS_BY_HAND]
        cases += [(p, t, oracle_f1(p, t), "random") for p, t in _pairs(ck)]
        for prediction, truth, expected, kind in cases:
            with ck.case(f"f1({prediction!r}, {truth!r}) ({kind})"):
                got = ck.call(prediction, truth)
                ck.scalar(
                    got,
                    expected,
                    what="the F1",
                    rtol=1e-6,
                    mistakes=_f1_mistakes(prediction, truth, expected),
                )


def _f1_mistakes(prediction: str, truth: str, expected: float) -> dict[str, float]:
    p, t = oracle_normalize(prediction).split(), oracle_normalize(truth).split()
    same_set = len(set(p) & set(t))
    raw_p, raw_t = prediction.split(), truth.split()
    raw_same = sum(min(raw_p.count(w), raw_t.count(w)) for w in set(raw_p))

    def harmonic(same, n_pred, n_true):
        if not same or not n_pred or not n_true:
            return 0.0
        pr, rc = same / n_pred, same / n_true
        return 2 * pr * rc / (pr + rc)

    same = sum(min(p.count(w), t.count(w)) for w in set(p))
    mistakes = {
        "You counted common words as a set: a word that occurs twice in both counts twice "
        "(Counter(pred) & Counter(truth)).": harmonic(same_set, len(p), len(t)),
        "Normalise both answers first (normalize_answer), then split them into words.": harmonic(
            raw_same, len(raw_p), len(raw_t)
        ),
        "You returned the precision (common / words of the prediction): F1 = 2 p r / (p + r).": (
            same / len(p) if p else 0.0
        ),
        "You returned the recall (common / words of the truth): F1 = 2 p r / (p + r).": same / len(t)
        if t
        else 0.0,
    }
    return {h: v for h, v in mistakes.items() if not np.isclose(v, expected)}

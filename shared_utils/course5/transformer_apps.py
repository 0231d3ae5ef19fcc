"""Course 5, notebook 10: a pretrained encoder, frozen, with heads trained for entities and questions.

Data (seeded, offline):

* :func:`biographies`: short generated biographies (Faker's names, companies, cities and dates,
  a list of skills), split into words, each word with its BIO tag over five entity types.
* :func:`stories`: short stories in the style of bAbI's first task ("Mary went to the
  kitchen. John travelled to Port Ryan."), a question "Where is Mary?" and its answer, a span
  of the story given by its characters (the place of the last sentence about that person).

Model parts, on top of the MiniLM encoder of :mod:`shared_utils.models.bert`:

* :func:`frozen_features`: the token vectors after the lower, frozen layers, computed once
  (the heads are trained on them: seconds where fine-tuning the encoder would take minutes);
* :func:`span_reader`: the question-answering head (two small transformer blocks);
* :func:`fit`: training with a progress bar; :func:`entity_f1`, :func:`entity_spans`: the
  entity-level score; :func:`tags_html`, :func:`tokens_html`, :func:`answer_html`: coloured
  HTML views.

Bad input is refused or truncated with a message: a text longer than the encoder's positions
(:func:`encode_words`, :func:`encode_questions`), an empty question, labels the head has no
output for (:func:`check_labels`).
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Sequence

import numpy as np

from shared_utils.models import bert

IGNORE = -100  # the label of a token that carries none (special tokens, later pieces of a word)
ENTITY_TYPES = ("PER", "ORG", "LOC", "DATE", "SKILL")
LABELS = ("O",) + tuple(f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I"))
LABEL_ID = {tag: i for i, tag in enumerate(LABELS)}
COLOURS = {"PER": "#f4a261", "ORG": "#8ecae6", "LOC": "#90be6d", "DATE": "#e9c46a", "SKILL": "#cdb4db"}

SKILLS = (
    "Python", "SQL", "machine learning", "data analysis", "project management", "public speaking",
    "Java", "statistics", "graphic design", "accounting", "Spanish", "cloud computing",
    "negotiation", "TensorFlow", "customer service", "copywriting", "deep learning", "Excel",
    "quality control", "web development", "C++", "marketing", "research", "welding",
)  # fmt: skip

# Biography templates: {PER} full name, {FIRST} first name (tagged PER too), {ORG}, {LOC},
# {DATE}, {SKILL}, {JOB} (a job title from Faker, not an entity).
BIO_TEMPLATES = (
    "{PER} was born in {LOC} on {DATE}.",
    "{PER} joined {ORG} in {DATE} as a {JOB}.",
    "After some years in {LOC}, {PER} moved to {ORG}, where {FIRST} now works as a {JOB}.",
    "{FIRST} is known for {SKILL} and {SKILL}.",
    "Since {DATE}, {PER} has worked for {ORG} in {LOC}.",
    "{PER} studied {SKILL} in {LOC} before joining {ORG}.",
    "Skills: {SKILL}, {SKILL} and {SKILL}.",
    "{FIRST} left {ORG} on {DATE} to start a company in {LOC}.",
    "Colleagues at {ORG} say {FIRST} taught them {SKILL}.",
    "{PER}, a {JOB} from {LOC}, speaks about {SKILL} at conferences.",
)
DATE_FORMATS = ("%d %B %Y", "%B %Y", "%B %d, %Y", "%Y")

WORD = re.compile(r"\w+(?:[-'+.]\w+)*\+*|[^\w\s]")


def split_words(text: str) -> list[str]:
    """Words and punctuation marks of ``text``: "Smith-Lee, 3 May." -> [Smith-Lee, ",", 3, May, "."]."""
    return WORD.findall(text)


def _faker(seed: int):
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def biographies(n: int, seed: int, sentences: tuple[int, int] = (2, 3)) -> list[dict]:
    """``n`` generated biographies, each ``{"words": [...], "tags": [...]}`` (BIO tags of
    :data:`LABELS`, one per word), of ``sentences`` (low, high) sentences from
    :data:`BIO_TEMPLATES`; the same ``seed`` gives the same biographies."""
    fake = _faker(seed)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        first, last = fake.first_name(), fake.last_name()
        person = {"PER": f"{first} {last}", "FIRST": first, "ORG": fake.company(), "LOC": fake.city()}
        words: list[str] = []
        tags: list[str] = []
        count = int(rng.integers(sentences[0], sentences[1] + 1))
        for t in rng.choice(len(BIO_TEMPLATES), size=count, replace=False):
            _fill(BIO_TEMPLATES[int(t)], person, fake, rng, words, tags)
        out.append({"words": words, "tags": tags})
    return out


def _fill(template: str, person: dict, fake, rng, words: list[str], tags: list[str]) -> None:
    """Append the words and tags of one filled template."""
    for part in re.split(r"(\{[A-Z]+\})", template):
        if not part:
            continue
        if part.startswith("{"):
            slot = part[1:-1]
            if slot == "JOB":
                value, kind = fake.job().split(",")[0].lower(), None
            elif slot == "DATE":
                value = fake.date_between("-40y", "-1y").strftime(DATE_FORMATS[int(rng.integers(4))])
                kind = "DATE"
            elif slot == "SKILL":
                value, kind = SKILLS[int(rng.integers(len(SKILLS)))], "SKILL"
            else:
                value, kind = person[slot], "PER" if slot == "FIRST" else slot
            pieces = split_words(value)
            words += pieces
            tags += ["O"] * len(pieces) if kind is None else [f"B-{kind}"] + [f"I-{kind}"] * (len(pieces) - 1)
        else:
            pieces = split_words(part)
            words += pieces
            tags += ["O"] * len(pieces)


# ---------------------------------------------------------------------------------------------
# bAbI-style stories
# ---------------------------------------------------------------------------------------------

ROOMS = ("kitchen", "garden", "office", "bathroom", "hallway", "bedroom", "cellar", "library")
MOVES = ("went to", "moved to", "travelled to", "journeyed to", "walked to", "ran to")
OBJECTS = ("apple", "football", "milk", "umbrella", "key", "letter")


def stories(
    n: int, seed: int, people: tuple[int, int] = (2, 3), sentences: tuple[int, int] = (2, 3)
) -> list[dict]:
    """``n`` stories ``{"story", "question", "answer", "answer_start"}``: people move between
    rooms and towns (Faker's city names, often several word pieces), sometimes pick up an
    object; the question asks where one of them is, and the answer is the place of the *last*
    sentence that moves that person (``story[answer_start:][:len(answer)] == answer``)."""
    fake = _faker(seed + 10_000)
    rng = np.random.default_rng(seed + 10_000)
    out = []
    for _ in range(n):
        k = int(rng.integers(people[0], people[1] + 1))
        names: list[str] = []
        while len(names) < k:
            name = fake.first_name()
            if name not in names:
                names.append(name)
        count = int(rng.integers(sentences[0], sentences[1] + 1))
        text, where = "", {}
        for i in range(count):
            who = names[i] if i < k else names[int(rng.integers(k))]
            if i >= k and rng.random() < 0.2:
                text += f"{who} picked up the {OBJECTS[int(rng.integers(len(OBJECTS)))]}. "
                continue
            room = rng.random() < 0.5
            place = ROOMS[int(rng.integers(len(ROOMS)))] if room else fake.city()
            text += f"{who} {MOVES[int(rng.integers(len(MOVES)))]} " + ("the " if room else "")
            where[who] = (place, len(text))
            text += f"{place}. "
        asked = list(where)[int(rng.integers(len(where)))]
        place, start = where[asked]
        out.append(
            {"story": text.strip(), "question": f"Where is {asked}?", "answer": place, "answer_start": start}
        )
    return out


# ---------------------------------------------------------------------------------------------
# encoding for the encoder
# ---------------------------------------------------------------------------------------------


def _max_tokens(max_tokens: int) -> int:
    if not 8 <= max_tokens <= bert.POSITIONS:
        raise ValueError(
            f"max_tokens={max_tokens}: the encoder has {bert.POSITIONS} positions, so a sequence "
            f"can hold 8 to {bert.POSITIONS} tokens ([CLS] and [SEP] included). Choose a value in that range."
        )
    return max_tokens


def encode_words(
    tokenizer, texts: Sequence[Sequence[str]], max_tokens: int = 128, quiet: bool = False
) -> dict:
    """Texts already split into words -> the encoder's inputs, and for each text the word of
    every token (``word_ids``: None for [CLS], [SEP] and padding).

    A text of more than ``max_tokens`` tokens is truncated (its last words are dropped, and
    their labels with them); a line says how many were, unless ``quiet``.
    """
    max_tokens = _max_tokens(max_tokens)
    tokenizer.enable_truncation(max_length=max_tokens)
    enc = tokenizer.encode_batch([list(map(str, words)) for words in texts], is_pretokenized=True)
    truncated = sum(1 for e in enc if e.overflowing)
    if truncated and not quiet:
        print(f"{truncated} of {len(enc)} texts were longer than {max_tokens} tokens: truncated to it")
    return {
        "input_ids": np.array([e.ids for e in enc], dtype=np.int32),
        "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int32),
        "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int32),
        "word_ids": [list(e.word_ids) for e in enc],
        "offsets": [list(e.offsets) for e in enc],
        "truncated": truncated,
    }


def label_ids(tags: Sequence[str]) -> list[int]:
    """BIO tags -> their ids in :data:`LABELS` (a ValueError names a tag that is not there)."""
    unknown = sorted({t for t in tags if t not in LABEL_ID})
    if unknown:
        raise ValueError(f"tags {unknown} are not in the label set {list(LABELS)}")
    return [LABEL_ID[t] for t in tags]


def encode_questions(
    tokenizer, questions: Sequence[str], contexts: Sequence[str], max_tokens: int = 128
) -> dict:
    """Question-story pairs -> the encoder's inputs ``[CLS] question [SEP] story [SEP]``, with
    ``token_type_ids`` 1 on the story, the character ``offsets`` of every token in its text and
    ``context`` (1 for the story's tokens, where an answer may start or end).

    An empty question is refused; a story too long for ``max_tokens`` is truncated (the
    question is kept whole) and ``truncated`` counts them.
    """
    max_tokens = _max_tokens(max_tokens)
    if len(questions) != len(contexts):
        raise ValueError(
            f"{len(questions)} questions for {len(contexts)} stories: give one question per story"
        )
    for i, q in enumerate(questions):
        if not str(q).strip():
            raise ValueError(f"question {i} is empty: a question needs words to find its answer by")
    tokenizer.enable_truncation(max_length=max_tokens, strategy="only_second")
    enc = tokenizer.encode_batch([(str(q), str(c)) for q, c in zip(questions, contexts)])
    tokenizer.enable_truncation(max_length=bert.MAX_TOKENS)
    types = np.array([e.type_ids for e in enc], dtype=np.int32)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int32)
    special = np.array([e.special_tokens_mask for e in enc], dtype=np.int32)
    return {
        "input_ids": np.array([e.ids for e in enc], dtype=np.int32),
        "attention_mask": mask,
        "token_type_ids": types,
        "offsets": [list(e.offsets) for e in enc],
        "context": (types == 1) & (special == 0) & (mask == 1),
        "truncated": sum(1 for e in enc if e.overflowing),
    }


def answer_tokens(
    encoded: dict, starts: Sequence[int], answers: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The first and last token of each answer (by its characters in the story); -1 for an
    answer that truncation cut off."""
    first, last = [], []
    for i, (start, answer) in enumerate(zip(starts, answers)):
        end = start + len(answer)
        inside = [
            t
            for t, (a, b) in enumerate(encoded["offsets"][i])
            if encoded["context"][i, t] and a < end and b > start
        ]
        first.append(inside[0] if inside else -1)
        last.append(inside[-1] if inside else -1)
    return np.array(first), np.array(last)


def span_text(context: str, offsets: list, start: int, end: int) -> str:
    """The characters of ``context`` from token ``start`` to token ``end`` (both included)."""
    return context[offsets[start][0] : offsets[end][1]]


# ---------------------------------------------------------------------------------------------
# the encoder split in two: frozen lower layers, a trainable top
# ---------------------------------------------------------------------------------------------


def frozen_features(
    encoder, inputs: dict, layers: int, batch_size: int = 64, desc: str = "encoding"
) -> np.ndarray:
    """The token vectors (B, S, 384) after the encoder's first ``layers`` layers (0 to 6), which
    stay frozen: computed once, in batches of similar lengths, with a progress bar; zeros at
    the padding."""
    import keras
    from tqdm.auto import tqdm

    if not 0 <= layers <= bert.LAYERS:
        raise ValueError(f"layers={layers}: the encoder has {bert.LAYERS} layers, choose 0 to {bert.LAYERS}")
    name = "embeddings" if layers == 0 else f"layer_{layers - 1}"
    lower = keras.Model(encoder.inputs, encoder.get_layer(name).output)
    keys = ("input_ids", "attention_mask", "token_type_ids")
    lengths = inputs["attention_mask"].sum(axis=1)
    order = np.argsort(lengths, kind="stable")  # similar lengths together: little padding to compute
    out = np.zeros((*inputs["input_ids"].shape, bert.WIDTH), np.float32)
    for i in tqdm(range(0, len(order), batch_size), desc=desc, unit="batch", leave=False):
        rows = order[i : i + batch_size]
        width = max(int(lengths[rows].max()), 1)
        batch = {k: inputs[k][rows, :width] for k in keys}
        vectors = np.asarray(lower(batch, training=False))
        out[rows, :width] = vectors * batch["attention_mask"][:, :, None]  # padding: zeros
    return out


def span_reader(
    width: int = bert.WIDTH,
    units: int = 128,
    heads: int = 4,
    blocks: int = 2,
    dropout: float = 0.1,
    seed: int = 0,
):
    """The question-answering head on frozen token vectors: a Keras model
    ``[vectors (B, S, width), embeddings (B, S, width), attention_mask (B, S), context (B, S)]
    -> [start (B, S), end (B, S)]`` of logits.

    ``vectors`` are the frozen encoder's token vectors, ``embeddings`` the encoder's token
    embeddings before any attention (:func:`frozen_features` with ``layers=0``), in which two
    occurrences of a name are alike wherever they stand. ``blocks`` small transformer blocks
    (``heads`` heads, ``units`` wide, ``dropout`` while training, trained from scratch) let
    each token of the story look at the question and at the other sentences; tokens outside
    ``context`` (bool) score -1e4.
    """
    import keras
    from keras import ops

    keras.utils.set_random_seed(seed)
    vectors = keras.Input((None, width), name="vectors")
    embeddings = keras.Input((None, width), name="embeddings")
    mask = keras.Input((None,), dtype="int32", name="attention_mask")
    context = keras.Input((None,), dtype="bool", name="context")
    x = keras.layers.Dense(units, name="project")(keras.layers.Concatenate()([vectors, embeddings]))
    attend = ops.cast(mask[:, None, :], "bool")
    for b in range(blocks):
        a = keras.layers.MultiHeadAttention(heads, units // heads, dropout=dropout, name=f"attention_{b}")(
            x, x, attention_mask=attend
        )
        a = keras.layers.Dropout(dropout)(a)
        x = keras.layers.LayerNormalization(name=f"attention_norm_{b}")(x + a)
        f = keras.layers.Dense(2 * units, activation="gelu", name=f"ffn_{b}")(x)
        x = keras.layers.LayerNormalization(name=f"ffn_norm_{b}")(
            x + keras.layers.Dense(units, name=f"ffn_out_{b}")(f)
        )
    scores = keras.layers.Dense(2, name="span_scores")(x)
    scores = ops.where(context[:, :, None], scores, -1e4)
    start = keras.layers.Lambda(lambda t: t[:, :, 0], name="start")(scores)
    end = keras.layers.Lambda(lambda t: t[:, :, 1], name="end")(scores)
    return keras.Model([vectors, embeddings, mask, context], [start, end], name="span_reader")


def check_labels(head, labels: Sequence[str]) -> None:
    """Refuse a head whose outputs do not match the label set, saying which is which."""
    width = head.output.shape[-1]
    if width != len(labels):
        raise ValueError(
            f"the head gives {width} scores per token but the label set has {len(labels)} labels "
            f"({', '.join(labels[:4])}, ...): build the head with n_labels={len(labels)}"
        )


def fit(model, x, y, epochs: int, batch_size: int, desc: str, seed: int = 0) -> list[float]:
    """Train a compiled ``model`` on ``x``, ``y`` with one progress bar over all its batches
    (the running loss on it, redrawn every second even while the first step builds the
    graph); returns the mean loss of each epoch."""
    import keras
    from tqdm.auto import tqdm

    keras.utils.set_random_seed(seed)
    n = len(y[0]) if isinstance(y, (list, tuple)) else len(y)
    steps = -(-n // batch_size)
    bar = tqdm(total=epochs * steps, desc=desc, unit="batch")
    losses: list[float] = []

    class Progress(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            bar.update(1)
            bar.set_postfix(loss=f"{logs['loss']:.3f}")

        def on_epoch_end(self, epoch, logs=None):
            losses.append(float(logs["loss"]))

    stop = threading.Event()

    def tick():  # redraw the bar (its clock) while the first step builds the graph
        while not stop.wait(1.0):
            bar.refresh()

    ticker = threading.Thread(target=tick, name="progress", daemon=True)
    ticker.start()
    try:
        model.fit(x, y, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0, callbacks=[Progress()])
    finally:
        stop.set()
        ticker.join()
        bar.close()
    return losses


# ---------------------------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------------------------


def entity_spans(tags: Sequence[str]) -> set[tuple[str, int, int]]:
    """The entities of a BIO sequence as ``(type, first, last)`` word positions. An I- tag
    that does not continue an entity of its type starts a new one (CoNLL's convention, the
    one seqeval's default mode follows)."""
    spans, kind, first = set(), None, 0
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-")
        if kind is not None and (prefix != "I" or t != kind):
            spans.add((kind, first, i - 1))
            kind = None
        if prefix == "B" or (prefix == "I" and kind is None):
            kind, first = t, i
    return spans


def entity_f1(true: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, float]:
    """Entity-level precision, recall and F1 (micro-averaged over all entities): an entity
    counts only when its type and both its ends are right."""
    if len(true) != len(pred):
        raise ValueError(f"{len(true)} true tag sequences for {len(pred)} predicted ones")
    hit = n_true = n_pred = 0
    for t, p in zip(true, pred):
        if len(t) != len(p):
            raise ValueError(f"a sentence of {len(t)} words has {len(p)} predicted tags")
        st, sp = entity_spans(t), entity_spans(p)
        hit, n_true, n_pred = hit + len(st & sp), n_true + len(st), n_pred + len(sp)
    precision = hit / n_pred if n_pred else 0.0
    recall = hit / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def word_predictions(logits: np.ndarray, word_ids: list, n_words: int) -> list[str]:
    """The tag of each word: the label of its first token's highest score ("O" for a word that
    truncation cut off)."""
    tags = ["O"] * n_words
    seen = set()
    for t, w in enumerate(word_ids):
        if w is not None and w not in seen:
            seen.add(w)
            tags[w] = LABELS[int(np.argmax(logits[t]))]
    return tags


# ---------------------------------------------------------------------------------------------
# views
# ---------------------------------------------------------------------------------------------


def _chip(text: str, tag: str, wrong: bool = False) -> str:
    kind = tag.partition("-")[2]
    colour = COLOURS.get(kind, "transparent")
    border = "2px solid #d62828" if wrong else "1px solid #ccc"
    return (
        f'<span style="background:{colour};border:{border};border-radius:3px;padding:1px 3px;'
        f'margin:1px;display:inline-block;color:#111">{html.escape(text)}'
        f'<sub style="font-size:70%">{html.escape(tag) if tag != "O" else ""}</sub></span>'
    )


def tags_html(words: Sequence[str], true: Sequence[str], pred: Sequence[str]) -> str:
    """Two rows of coloured words: the true tags, then the predictions (a red border marks a
    wrong one)."""
    legend = " ".join(_chip(t, f"B-{t}") for t in ENTITY_TYPES)
    rows = [
        "<b>true</b> " + "".join(_chip(w, t) for w, t in zip(words, true)),
        "<b>predicted</b> " + "".join(_chip(w, p, p != t) for w, t, p in zip(words, true, pred)),
    ]
    return f'<div style="line-height:1.9">{legend}<br>{"<br>".join(rows)}</div>'


def tokens_html(tokens: Sequence[str], labels: Sequence[int]) -> str:
    """The word pieces of a text, coloured by their aligned label (grey: no label, -100)."""
    chips = []
    for tok, lab in zip(tokens, labels):
        if lab == IGNORE:
            chips.append(
                f'<span style="color:#888;border:1px dashed #bbb;padding:1px 3px;margin:1px;'
                f'display:inline-block">{html.escape(tok)}<sub>-100</sub></span>'
            )
        else:
            chips.append(_chip(tok, LABELS[lab] if LABELS[lab] != "O" else "O"))
    return f'<div style="line-height:1.9">{"".join(chips)}</div>'


def answer_html(story: str, question: str, start: int, end: int, truth_start: int, truth_end: int) -> str:
    """The story with the predicted answer highlighted (green when it is the true span, red
    otherwise) and the true span underlined."""
    marks = sorted({0, len(story), start, end, truth_start, truth_end})
    parts = []
    for a, b in zip(marks, marks[1:]):
        piece = html.escape(story[a:b])
        style = []
        if start <= a and b <= end:
            right = (start, end) == (truth_start, truth_end)
            style.append(f"background:{'#b7e4c7' if right else '#f4a3a3'}")
        if truth_start <= a and b <= truth_end:
            style.append("text-decoration:underline")
        parts.append(f'<span style="{";".join(style)}">{piece}</span>' if style else piece)
    return f"<p><b>{html.escape(question)}</b><br>{''.join(parts)}</p>"


def display_html(text: str) -> None:
    """Show HTML in a notebook (and its text where there is no notebook front end)."""
    from IPython.display import HTML, display

    display(HTML(text))

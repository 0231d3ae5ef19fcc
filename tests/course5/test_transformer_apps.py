"""The data, encoding, model parts and scores of course 5's transformer-applications notebook."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course5 import transformer_apps as apps
from shared_utils.models import bert
from tests.assets_testing import require


@pytest.fixture(scope="module")
def tokenizer():
    return bert.load_tokenizer(require(bert.TOKENIZER)[0])


@pytest.fixture(scope="module")
def encoder():
    return bert.bert_encoder(require(bert.WEIGHTS)[0])


# ----- data -----------------------------------------------------------------------------------


def test_biographies_are_seeded_and_tagged_word_by_word():
    a, b = apps.biographies(20, seed=3), apps.biographies(20, seed=3)
    assert a == b
    assert a != apps.biographies(20, seed=4)
    for bio in a:
        assert len(bio["words"]) == len(bio["tags"]) > 0
        assert set(bio["tags"]) <= set(apps.LABELS)
        for prev, tag in zip(["O"] + bio["tags"], bio["tags"]):
            if tag.startswith("I-"):  # an I- tag only continues an entity of its type
                assert prev[2:] == tag[2:], bio
    kinds = {t[2:] for bio in a for t in bio["tags"] if t != "O"}
    assert kinds == set(apps.ENTITY_TYPES)


def test_held_out_biographies_name_other_people():
    names = lambda bios: {w for b in bios for w, t in zip(b["words"], b["tags"]) if t == "B-PER"}  # noqa: E731
    train, test = names(apps.biographies(200, seed=1)), names(apps.biographies(100, seed=2))
    assert len(test - train) > len(test) / 2


def test_story_answer_is_the_last_place_of_the_person_asked_about():
    for s in apps.stories(50, seed=5):
        assert s["story"][s["answer_start"] :].startswith(s["answer"])
        person = s["question"][len("Where is ") : -1]
        moves = [x for x in s["story"].split(". ") if x.startswith(person + " ") and "picked up" not in x]
        assert moves and moves[-1].rstrip(".").endswith(s["answer"])
    assert apps.stories(5, seed=1) == apps.stories(5, seed=1)


def test_split_words_keeps_hyphenated_names_and_separates_punctuation():
    assert apps.split_words("Smith-Lee, 3 May 2020 (C++).") == [
        "Smith-Lee",
        ",",
        "3",
        "May",
        "2020",
        "(",
        "C++",
        ")",
        ".",
    ]


# ----- encoding -------------------------------------------------------------------------------


def test_encode_words_truncates_with_a_message(tokenizer, capsys):
    words = [w for b in apps.biographies(6, seed=0) for w in b["words"]]
    enc = apps.encode_words(tokenizer, [words, ["Hello"]], max_tokens=32)
    assert enc["input_ids"].shape == (2, 32) and enc["truncated"] == 1
    assert "1 of 2 texts were longer than 32 tokens" in capsys.readouterr().out
    assert enc["word_ids"][1][:3] == [None, 0, None]


def test_encode_refuses_more_tokens_than_the_encoder_has(tokenizer):
    with pytest.raises(ValueError, match="512 positions"):
        apps.encode_words(tokenizer, [["a"]], max_tokens=600)


def test_empty_question_is_refused(tokenizer):
    with pytest.raises(ValueError, match="question 1 is empty"):
        apps.encode_questions(tokenizer, ["Where is Ann?", "  "], ["Ann ran to the hall.", "Bo ran."])


def test_long_story_is_cut_and_the_question_kept(tokenizer):
    enc = apps.encode_questions(tokenizer, ["Where is Ann?"], ["Ann ran to the hall. " * 40], max_tokens=40)
    assert enc["input_ids"].shape == (1, 40) and enc["truncated"] == 1
    question = enc["token_type_ids"][0] == 0
    assert tokenizer.decode(enc["input_ids"][0][question].tolist()) == "where is ann?"
    assert not enc["context"][0][question].any()


def test_answer_tokens_cover_the_answer(tokenizer):
    data = apps.stories(30, seed=7)
    enc = apps.encode_questions(tokenizer, [s["question"] for s in data], [s["story"] for s in data])
    first, last = apps.answer_tokens(enc, [s["answer_start"] for s in data], [s["answer"] for s in data])
    for i, s in enumerate(data):
        assert apps.span_text(s["story"], enc["offsets"][i], first[i], last[i]) == s["answer"]
        assert enc["context"][i, first[i] : last[i] + 1].all()


def test_label_ids_name_an_unknown_tag():
    assert apps.label_ids(["O", "B-PER"]) == [0, 1]
    with pytest.raises(ValueError, match="B-XYZ"):
        apps.label_ids(["B-XYZ"])


# ----- the encoder in two parts ---------------------------------------------------------------


def test_frozen_features_match_the_encoder_on_real_tokens(encoder, tokenizer):
    texts = [b["words"] for b in apps.biographies(5, seed=9, sentences=(1, 3))]
    enc = apps.encode_words(tokenizer, texts, quiet=True)
    full = np.asarray(encoder({k: enc[k] for k in ("input_ids", "attention_mask", "token_type_ids")}))
    got = apps.frozen_features(encoder, enc, bert.LAYERS, batch_size=2)  # batches trimmed to their length
    real = enc["attention_mask"] == 1
    np.testing.assert_allclose(got[real], full[real], atol=2e-4)
    assert not got[~real].any()


def test_check_labels_refuses_a_head_of_another_size():
    import keras

    head = keras.Model(i := keras.Input((None, 8)), keras.layers.Dense(3)(i))
    with pytest.raises(ValueError, match="3 scores per token but the label set has 11 labels"):
        apps.check_labels(head, apps.LABELS)
    apps.check_labels(head, ["O", "B-X", "I-X"])


def test_span_reader_scores_only_the_story():
    reader = apps.span_reader(16, units=8, heads=2)
    rng = np.random.default_rng(0)
    context = np.array([[0, 0, 1, 1, 1, 0]], bool)
    x = rng.normal(size=(2, 1, 6, 16)).astype(np.float32)
    start, end = reader([x[0], x[1], np.ones((1, 6), np.int32), context])
    assert start.shape == end.shape == (1, 6)
    assert np.all(np.asarray(start)[~context] == -1e4) and np.all(np.asarray(start)[context] > -1e3)


# ----- scores ---------------------------------------------------------------------------------


def _random_tags(rng, n):
    return [str(rng.choice(["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-ORG"])) for _ in range(n)]


def test_entity_f1_agrees_with_seqeval():
    from seqeval.metrics import f1_score, precision_score, recall_score

    rng = np.random.default_rng(0)
    for _ in range(20):
        true = [_random_tags(rng, int(rng.integers(1, 12))) for _ in range(8)]
        pred = [_random_tags(rng, len(t)) for t in true]
        got = apps.entity_f1(true, pred)
        assert got["f1"] == pytest.approx(f1_score(true, pred), abs=1e-12)
        assert got["precision"] == pytest.approx(precision_score(true, pred), abs=1e-12)
        assert got["recall"] == pytest.approx(recall_score(true, pred), abs=1e-12)


def test_entity_spans_convention():
    assert apps.entity_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]) == {
        ("PER", 0, 1),
        ("LOC", 3, 3),
        ("LOC", 4, 4),
        ("ORG", 5, 5),
    }


def test_entity_f1_refuses_sequences_of_other_lengths():
    with pytest.raises(ValueError, match="3 words has 2 predicted tags"):
        apps.entity_f1([["O", "O", "O"]], [["O", "O"]])


def test_word_predictions_read_the_first_piece():
    logits = np.zeros((5, len(apps.LABELS)))
    logits[1, 1] = logits[2, 3] = logits[3, 5] = 1  # word 0: B-PER; its second piece says B-ORG
    assert apps.word_predictions(logits, [None, 0, 0, 1, None], 3) == ["B-PER", "B-LOC", "O"]


def test_views_mark_what_they_say():
    page = apps.tags_html(["Ann", "Lee"], ["B-PER", "I-PER"], ["B-PER", "O"])
    assert page.count("#d62828") == 1 and "Ann" in page
    assert "-100" in apps.tokens_html(["[CLS]", "Ann"], [-100, 1])
    story = "Ann ran to the hall."
    page = apps.answer_html(story, "Where is Ann?", 15, 19, 15, 19)
    assert "#b7e4c7" in page and "hall" in page
    assert "#f4a3a3" in apps.answer_html(story, "Where is Ann?", 0, 3, 15, 19)

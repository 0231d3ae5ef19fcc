"""Course 5, notebook 6 (emojify): the tokenizer, the vocabulary, the refusal of empty rows,
the figures and tables, and the committed sentences."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from shared_utils.course5 import emojify
from shared_utils.data.emoji_sentences import load_emojify
from shared_utils.data.glove import Glove
from shared_utils.data.registry import DataError


def _toy() -> Glove:
    words = ["i", "love", "you", "pizza", "not", "happy", "do", "n't", "it", "'s"]
    return Glove(words, np.arange(len(words) * 3, dtype=np.float32).reshape(len(words), 3))


def test_tokenize_lowers_drops_punctuation_and_splits_contractions_as_glove_does():
    assert emojify.tokenize("I don't LOVE it, it's great!") == [
        "i",
        "do",
        "n't",
        "love",
        "it",
        "it",
        "'s",
        "great",
    ]
    assert emojify.tokenize("Can’t stop") == ["ca", "n't", "stop"]  # a typographic apostrophe too
    assert emojify.tokenize("") == [] and emojify.tokenize("?!...") == []


def test_tokenize_refuses_what_is_not_a_string():
    with pytest.raises(TypeError, match="should be a string"):
        emojify.tokenize(["i", "love"])


def test_emoji_of_each_label_and_a_clear_error_outside():
    assert [emojify.emoji(k) for k in range(5)] == ["❤️", "⚾", "😄", "😞", "🍴"]
    with pytest.raises(ValueError, match="not one of the 5 emoji labels"):
        emojify.emoji(5)


def test_softmax_rows_sum_to_one_without_overflow():
    p = emojify.softmax(np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]]))
    np.testing.assert_allclose(p, [[0.5, 0.5], [0.25, 0.75]])


def test_one_hot_and_its_refusals():
    np.testing.assert_array_equal(emojify.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    for bad in ([5], [-1], [[1]], [0.5]):
        with pytest.raises(ValueError, match="labels should be"):
            emojify.one_hot(bad, 5)


def test_vocabulary_puts_padding_first_then_frequent_words_then_rare_words_of_the_data():
    glove = _toy()
    words = emojify.vocabulary(glove, ["I love pizza", "not zorp"], size=3)
    assert words == [emojify.PAD, "i", "love", "you", "pizza", "not"]  # zorp: unknown to GloVe, left out
    assert emojify.unknown_words("i lovve pizza", set(words)) == ["lovve"]


class _Constant:
    """A stand-in for a Keras model: the same probabilities for every row."""

    def __call__(self, x, training=False):
        return np.tile([0.1, 0.2, 0.7], (len(x), 1))


def test_keras_predict_refuses_rows_of_padding_only_naming_them():
    assert emojify.keras_predict(_Constant(), np.array([[3, 0], [1, 2]])).tolist() == [2, 2]
    with pytest.raises(ValueError, match=r"row\(s\) \[1\] hold no word"):
        emojify.keras_predict(_Constant(), np.array([[3, 0], [0, 0]]))
    with pytest.raises(ValueError, match="shape \\(m, max_len\\)"):
        emojify.keras_predict(_Constant(), np.array([1, 2]))


def test_confusion_figure_counts_with_scikit_learn():
    fig = emojify.plot_confusion([0, 1, 2, 2], [0, 2, 2, 2], "demo")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("2") == 1 and "accuracy 0.750" in ax.get_title()
    matplotlib.pyplot.close(fig)


def test_mistakes_and_word_order_table_show_the_emoji():
    text = emojify.mistakes(["a", "b"], [0, 3], [0, 2])
    assert text.startswith("1 mistake(s) of 2") and "gave 😄  expected 😞   b" in text
    data = load_emojify("test")
    table = emojify.word_order_table(data, data.labels, np.zeros_like(data.labels))
    assert len(table.splitlines()) == 1 + int(data.word_order.sum())


def test_the_committed_sentences():
    train, test = load_emojify("train"), load_emojify("test")
    assert len(train.sentences) >= 180 and len(test.sentences) >= 60
    assert not set(train.sentences) & set(test.sentences)  # no test sentence seen in training
    for split in (train, test):
        assert set(np.unique(split.labels)) == set(range(emojify.N_CLASSES))
        assert split.word_order.any() and not split.word_order.all()
        assert all(s == s.lower() and emojify.tokenize(s) for s in split.sentences)


def test_an_unknown_split_and_a_changed_file_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown split"):
        load_emojify("validation")
    copy = tmp_path / "emojify_train.csv"
    copy.write_text("sentence,label,word_order\ni love you,0,0\n", encoding="utf-8")
    with pytest.raises(DataError, match="git checkout -- course5_sequence/data/emojify_train.csv"):
        load_emojify("train", copy)

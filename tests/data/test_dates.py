"""The date generator: seeded, unambiguous, within its vocabulary and length; clear errors on bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from shared_utils.data import dates


def test_the_same_seed_gives_the_same_pairs_and_another_seed_others():
    assert dates.make_dates(50, seed=3) == dates.make_dates(50, seed=3)
    assert dates.make_dates(50, seed=3) != dates.make_dates(50, seed=4)
    assert dates.make_dates(20, seed=3) == dates.make_dates(50, seed=3)[:20]


def test_each_pair_is_a_written_date_and_its_iso_form():
    pairs = dates.make_dates(2000, seed=0)
    assert len(pairs) == 2000
    for human, iso in pairs:
        day = dt.date.fromisoformat(iso)
        assert dates.START <= day <= dates.END
        assert human in {dates.write_date(day, loc, pat) for loc, pat in dates.FORMATS}
        assert human == human.lower() and "  " not in human


def test_every_format_and_locale_is_used():
    pairs = dates.make_dates(3000, seed=1)
    written = {h for h, _ in pairs}
    for locale, pattern in dates.FORMATS:
        assert any(
            dates.write_date(dt.date.fromisoformat(i), locale, pattern) == h for h, i in pairs[:3000]
        ), (
            locale,
            pattern,
        )
    assert len(written) > 2900  # few repeats among 36,524 days times the formats


def test_no_written_date_means_two_days_and_none_is_too_long():
    """Every day of the generator's century, in every format: one day per text, at most TX characters."""
    seen: dict[str, dt.date] = {}
    day = dates.START
    while day <= dates.END:
        for locale, pattern in dates.FORMATS:
            text = dates.write_date(day, locale, pattern)
            assert len(text) <= dates.TX, text
            assert seen.setdefault(text, day) == day, f"{text!r} means {seen[text]} and {day}"
        day += dt.timedelta(days=1)


def test_the_vocabulary_holds_every_character_written():
    vocab = dates.human_vocabulary()
    assert vocab.tokens[:2] == (dates.PAD, dates.UNK)
    assert vocab == dates.human_vocabulary(dates.FORMATS)
    chars = set("".join(h for h, _ in dates.make_dates(3000, seed=2)))
    assert chars <= set(vocab.tokens)
    assert dates.machine_vocabulary().tokens == tuple("-0123456789")


def test_a_held_out_set_shares_no_written_date_with_its_training_set():
    train, test = dates.make_splits(3000, 500)
    assert train == dates.make_dates(3000, 0)
    assert len(test) == 500
    assert not {h for h, _ in train} & {h for h, _ in test}


def test_encode_pads_and_decode_reads_back():
    vocab = dates.human_vocabulary()
    rows = dates.encode(["24 sept 2021", "9/24/21"], vocab, dates.TX)
    assert rows.shape == (2, dates.TX) and rows.dtype == np.int32
    assert (rows[1, 7:] == 0).all()
    assert dates.decode(rows, vocab) == ["24 sept 2021", "9/24/21"]
    one = dates.encode("2021-09-24", dates.machine_vocabulary(), dates.TY)
    assert one.shape == (dates.TY,) and dates.decode(one, dates.machine_vocabulary()) == "2021-09-24"
    X, Y, Xoh, Yoh = dates.dataset(dates.make_dates(5, seed=0))
    assert Xoh.shape == (5, dates.TX, len(vocab)) and Yoh.shape == (5, dates.TY, 11)
    np.testing.assert_array_equal(Xoh.argmax(-1), X)
    np.testing.assert_array_equal(Yoh.sum(-1), 1)


def test_a_text_longer_than_the_input_is_refused_with_its_length():
    with pytest.raises(ValueError, match=r"has 35 characters, more than the 30 the model reads"):
        dates.encode("x" * 35, dates.human_vocabulary(), dates.TX)


def test_a_character_outside_the_vocabulary_is_named_or_read_as_unk():
    vocab = dates.human_vocabulary()
    with pytest.raises(ValueError, match=r"character\(s\) '#★' outside the vocabulary.*unknown=\"unk\""):
        dates.encode("24 ★ sept # 2021", vocab, dates.TX)
    row = dates.encode("24 ★", vocab, dates.TX, unknown="unk")
    assert row[3] == vocab.index[dates.UNK]
    with pytest.raises(ValueError, match="outside the vocabulary"):  # no <unk> in the ISO symbols
        dates.encode("2021/09/24", dates.machine_vocabulary(), dates.TY, unknown="unk")
    with pytest.raises(ValueError, match='unknown must be "error" or "unk"'):
        dates.encode("24", vocab, dates.TX, unknown="skip")


def test_an_iso_date_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="fewer than 10, and the vocabulary has no <pad>"):
        dates.encode("2021-9-24", dates.machine_vocabulary(), dates.TY)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": -1}, "a whole number >= 0"),
        ({"n": 2.5}, "a whole number >= 0"),
        ({"n": 3, "seed": "a"}, "seed must be an integer"),
        ({"n": 3, "formats": []}, "formats is empty"),
        ({"n": 3, "formats": [("en_US",)]}, "a \\(locale, pattern\\) pair"),
        ({"n": 3, "start": dt.date(2000, 1, 2), "end": dt.date(2000, 1, 1)}, "start <= end"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dates.make_dates(**kwargs)


def test_decode_refuses_what_is_not_indices_of_the_vocabulary():
    with pytest.raises(ValueError, match="integers"):
        dates.decode(np.zeros((2, 3)), dates.machine_vocabulary())
    with pytest.raises(ValueError, match=r"\[0, 11\)"):
        dates.decode(np.array([3, 11]), dates.machine_vocabulary())

"""The two tasks of course 5, notebook 4: seeded, in Keras's layout, labelled as documented;
the layout guard names a time axis in the wrong place."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course5 import recurrent_tasks as tasks


def test_delayed_recall_is_seeded_one_hot_and_labelled_by_its_one_marked_step():
    x, y = tasks.delayed_recall(50, gap=7, seed=3)
    n = tasks.RECALL_SYMBOLS
    assert x.shape == (50, 7 + tasks.MARK_SPAN, n + 1) and x.dtype == np.float32
    assert y.shape == (50,) and y.dtype == np.int64
    np.testing.assert_array_equal(x[:, :, :n].sum(axis=-1), 1.0)  # one symbol at every step
    marks = x[:, :, n]
    np.testing.assert_array_equal(marks.sum(axis=1), 1.0)  # exactly one marked step
    where = marks.argmax(axis=1)
    assert np.all(where < tasks.MARK_SPAN) and len(set(where)) == tasks.MARK_SPAN
    ids = x[:, :, :n].argmax(axis=-1)
    np.testing.assert_array_equal(ids[np.arange(50), where], y)
    # the steps after the mark use the same alphabet: the label's symbol comes again in most gaps
    assert np.mean([y[i] in ids[i, where[i] + 1 :] for i in range(50)]) > 0.5
    x2, y2 = tasks.delayed_recall(50, gap=7, seed=3)
    np.testing.assert_array_equal(x, x2)
    assert not np.array_equal(y, tasks.delayed_recall(50, gap=7, seed=4)[1])
    assert set(np.unique(tasks.delayed_recall(400, gap=2, seed=0)[1])) == set(range(n))


def test_repeats_later_marks_the_positions_whose_symbol_comes_again():
    x, y = tasks.repeats_later(30, length=9, seed=1)
    assert x.shape == (30, 9, tasks.TAG_SYMBOLS) and y.shape == (30, 9)
    ids = x.argmax(axis=-1)
    for row, labels in zip(ids, y):
        wanted = [int(row[t] in row[t + 1 :]) for t in range(len(row))]
        assert labels.tolist() == wanted
    assert np.all(y[:, -1] == 0)
    np.testing.assert_array_equal(y, tasks.repeats_later(30, length=9, seed=1)[1])


def test_best_blind_accuracy_matches_the_frequencies_of_the_labels():
    _, y = tasks.repeats_later(20000, length=8, seed=0)
    p = y.mean(axis=0)
    np.testing.assert_allclose(np.maximum(p, 1 - p), tasks.best_blind_accuracy(8), atol=0.015)


@pytest.mark.parametrize(
    "layout,fix",
    [((0, 2, 1), r"np.transpose\(x, \(0, 2, 1\)\)"), ((2, 0, 1), r"np.transpose\(x, \(1, 2, 0\)\)")],
)
def test_keras_layout_names_the_misplaced_time_axis_and_its_fix(layout, fix):
    x, _ = tasks.delayed_recall(5, gap=10, seed=0)
    n = tasks.RECALL_SYMBOLS + 1
    assert tasks.keras_layout(x, n) == (5, 10 + tasks.MARK_SPAN, n)
    with pytest.raises(ValueError, match=fix):
        tasks.keras_layout(np.transpose(x, layout), n)
    with pytest.raises(ValueError, match="3-D batch"):
        tasks.keras_layout(x[0], n)


def test_generators_refuse_sizes_that_make_no_task():
    with pytest.raises(ValueError, match="gap >= 0"):
        tasks.delayed_recall(3, gap=-1)
    with pytest.raises(ValueError, match="length >= 2"):
        tasks.repeats_later(3, length=1)

"""The keeper's-kicks generator: shapes, determinism, the split, and how noisy its labels are."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.data import planar


def test_split_shapes_and_labels():
    s = planar.make_keeper_kicks(m_train=30, m_val=20, m_test=50, seed=4)
    for X, Y, m in ((s.X_train, s.Y_train, 30), (s.X_val, s.Y_val, 20), (s.X_test, s.Y_test, 50)):
        assert X.shape == (2, m) and Y.shape == (1, m)
        assert X.dtype == np.float64 and Y.dtype == np.float64
        assert set(np.unique(Y)) <= {0.0, 1.0}
        assert X.flags.c_contiguous


def test_same_seed_same_kicks_and_other_seed_other_kicks():
    a, b = planar.make_keeper_kicks(seed=2), planar.make_keeper_kicks(seed=2)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.Y_test, b.Y_test)
    c = planar.make_keeper_kicks(seed=3)
    assert not np.array_equal(a.X_train, c.X_train)


def test_parts_are_one_draw_split_in_order():
    whole = planar.make_keeper_kicks(m_train=10, m_val=5, m_test=7, seed=9)
    big = planar.make_keeper_kicks(m_train=10, m_val=5, m_test=7, seed=9)
    joined = np.concatenate([whole.X_train, whole.X_val, whole.X_test], axis=1)
    assert joined.shape == (2, 22) and np.unique(joined, axis=1).shape[1] == 22  # no point repeated
    np.testing.assert_array_equal(big.X_val, whole.X_val)


def test_points_lie_on_the_pitch_around_the_aim():
    s = planar.make_keeper_kicks(m_train=5000, m_val=1, m_test=1, seed=0)
    assert np.all(np.abs(s.X_train[0]) <= planar.PITCH_LENGTH / 2)
    assert np.all(np.abs(s.X_train[1]) <= planar.PITCH_WIDTH / 2)
    assert abs(s.X_train[0].mean() - 1.0) < 0.1 and abs(s.X_train[1].mean()) < 0.1


def test_labels_follow_the_nearest_player_with_some_noise():
    s = planar.make_keeper_kicks(m_train=20000, m_val=1, m_test=1, seed=1)
    p = planar.keeper_kick_probability(s.X_train)
    assert p.shape == (1, 20000) and np.all((p >= 0.05) & (p <= 0.95))
    against = np.mean((p > 0.5) != s.Y_train)
    assert 0.06 < against < 0.11  # "about 8%" in the docstring
    assert 0.35 < s.Y_train.mean() < 0.6  # both classes well represented
    # at a player's own spot, that player's side wins with probability 1 - slip
    np.testing.assert_allclose(planar.keeper_kick_probability(planar.KICK_TEAMMATES.T), 0.95, atol=1e-4)
    np.testing.assert_allclose(planar.keeper_kick_probability(planar.KICK_OPPONENTS.T), 0.05, atol=1e-4)


def test_not_linearly_separable():
    from sklearn.linear_model import LogisticRegression

    s = planar.make_keeper_kicks(m_train=2000, seed=1)
    best = np.mean((planar.keeper_kick_probability(s.X_train) > 0.5) == s.Y_train)
    linear = LogisticRegression().fit(s.X_train.T, s.Y_train.ravel()).score(s.X_train.T, s.Y_train.ravel())
    assert best - linear > 0.05


def test_empty_part_is_refused():
    with pytest.raises(ValueError, match="at least one point"):
        planar.make_keeper_kicks(m_val=0)

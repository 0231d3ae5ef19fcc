"""The validators of the convolution notebook's layers name what is wrong with their inputs."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course4.conv_inputs import require_array, require_conv_parameters, require_images


def test_a_numpy_batch_of_images_passes_unchanged():
    A = np.zeros((2, 5, 4, 3))
    assert require_images(A) is A
    require_conv_parameters(A, np.zeros((3, 2, 3, 4)), np.zeros((1, 1, 1, 4)))


def test_a_tensorflow_tensor_is_refused_with_the_fix():
    import tensorflow as tf

    with pytest.raises(TypeError, match=r"A_prev is a TensorFlow tensor .* A_prev\.numpy\(\)"):
        require_images(tf.zeros((2, 5, 4, 3)))
    with pytest.raises(TypeError, match="W is a TensorFlow tensor"):
        require_conv_parameters(
            np.zeros((2, 5, 4, 3)), tf.Variable(np.zeros((3, 3, 3, 4))), np.zeros((1, 1, 1, 4))
        )


def test_a_list_or_a_wrong_rank_is_refused():
    with pytest.raises(TypeError, match=r"should be a NumPy array of shape \(m, n_H, n_W, n_C\), got list"):
        require_images([[1.0]])
    with pytest.raises(ValueError, match=r"needs its batch axis: x\[np\.newaxis\]"):
        require_images(np.zeros((5, 4, 3)))
    with pytest.raises(ValueError, match=r"should have 2 axes \(rows, cols\), got shape \(1, 2, 3\)"):
        require_array(np.zeros((1, 2, 3)), "x", 2, "(rows, cols)")


def test_filters_that_do_not_fit_the_images_are_named():
    with pytest.raises(ValueError, match=r"W has 3 input channel\(s\) .* but A_prev has 5"):
        require_conv_parameters(np.zeros((2, 6, 6, 5)), np.zeros((3, 3, 3, 4)), np.zeros((1, 1, 1, 4)))
    with pytest.raises(ValueError, match="looks channels-first"):
        require_conv_parameters(np.zeros((2, 3, 8, 8)), np.zeros((3, 3, 3, 4)), np.zeros((1, 1, 1, 4)))
    with pytest.raises(ValueError, match=r"b should have 4 axes \(1, 1, 1, n_C\), got shape \(4,\)"):
        require_conv_parameters(np.zeros((2, 6, 6, 3)), np.zeros((3, 3, 3, 4)), np.zeros(4))
    with pytest.raises(
        ValueError, match=r"b should have shape \(1, 1, 1, 4\), one bias per filter; got \(1, 1, 1, 3\)"
    ):
        require_conv_parameters(np.zeros((2, 6, 6, 3)), np.zeros((3, 3, 3, 4)), np.zeros((1, 1, 1, 3)))

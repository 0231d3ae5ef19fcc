"""The convolution notebook's figures draw what they are given, and refuse what they cannot draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from shared_utils.course4.conv_figures import plot_sliding_window, show_filter_responses  # noqa: E402


def test_sliding_window_frames_the_window_and_the_output_cell_of_each_position():
    x = np.arange(30.0).reshape(5, 6)
    out = np.zeros((2, 2))
    fig = plot_sliding_window(x, np.ones((3, 2)), out, stride=2, positions=[(0, 0), (1, 1)])
    axes = np.array(fig.axes).reshape(2, 3)
    window = axes[1, 0].patches[0]
    assert window.get_xy() == (1.5, 1.5) and (window.get_width(), window.get_height()) == (2, 3)
    assert axes[1, 2].patches[0].get_xy() == (0.5, 0.5)
    assert "rows 2-4, cols 2-3" in axes[1, 0].get_title()
    assert len(axes[0, 0].texts) == 30  # one value written per cell
    plt.close(fig)


def test_sliding_window_refuses_a_position_outside_the_output_and_a_3d_image():
    with pytest.raises(ValueError, match=r"position \(2, 0\) is outside the output, of shape \(2, 2\)"):
        plot_sliding_window(np.zeros((5, 5)), np.ones((3, 3)), np.zeros((2, 2)), 1, [(2, 0)])
    with pytest.raises(ValueError, match="x_pad should have 2 axes"):
        plot_sliding_window(np.zeros((1, 5, 5)), np.ones((3, 3)), np.zeros((3, 3)), 1, [(0, 0)])


def test_filter_responses_draw_edge_detectors_on_a_signed_scale():
    rng = np.random.default_rng(0)
    image = rng.random((20, 30))
    edges = np.array([[1.0, 0.0, -1.0]] * 3)
    fig = show_filter_responses(
        image,
        {"edges": rng.normal(size=(20, 30)), "blur": image},
        kernels={"edges": edges, "blur": np.ones((3, 3))},
    )
    photo, edge_ax, blur_ax = fig.axes[:3]
    assert [a.get_title() for a in (photo, edge_ax, blur_ax)] == ["the photo", "edges", "blur"]
    assert edge_ax.images[0].get_cmap().name == "RdBu_r"
    lo, hi = edge_ax.images[0].get_clim()
    assert lo == -hi
    assert blur_ax.images[0].get_cmap().name == "gray"
    assert len(edge_ax.child_axes) == 1  # the filter drawn in a corner
    plt.close(fig)


def test_filter_responses_refuse_a_tensor():
    import tensorflow as tf

    with pytest.raises(TypeError, match="image is a TensorFlow tensor"):
        show_filter_responses(tf.zeros((4, 4)), {})

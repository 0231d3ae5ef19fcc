"""Image loading, the feature extractor and the figures of course 4's style-transfer notebook."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course4 import style
from tests.assets_testing import require


def test_load_image_crops_the_centred_square_and_scales_to_0_1():
    wide = np.zeros((40, 80, 3), np.uint8)
    wide[:, 20:60] = 255  # the centred square is white, the sides black
    out = style.load_image(wide, size=32)
    assert out.shape == (1, 32, 32, 3) and out.dtype == np.float32
    assert out.min() > 0.95 and out.max() <= 1.0


def test_load_image_reads_a_sample_by_name():
    out = style.load_image("chelsea.jpg", size=48)
    assert out.shape == (1, 48, 48, 3) and 0.0 <= out.min() < out.max() <= 1.0


@pytest.mark.parametrize(
    "image",
    [
        np.full((20, 30), 128, np.uint8),
        np.full((20, 30, 1), 128, np.uint8),
        np.full((20, 30, 4), 128, np.uint8),
    ],
    ids=["grey", "one channel", "rgba"],
)
def test_load_image_turns_grey_and_rgba_into_rgb(image):
    out = style.load_image(image, size=32)
    assert out.shape == (1, 32, 32, 3)
    np.testing.assert_allclose(out, 128 / 255, atol=1e-6)


def test_load_image_accepts_floats_in_0_1_and_a_batch_of_one():
    image = np.random.default_rng(0).uniform(0, 1, (1, 33, 33, 3)).astype(np.float32)
    assert style.load_image(image, size=33).shape == (1, 33, 33, 3)


@pytest.mark.parametrize(
    "image,message",
    [
        (np.zeros((2, 20, 20, 3), np.uint8), "Pass one image, not a batch"),
        (np.zeros((20, 20, 5), np.uint8), r"got shape \(20, 20, 5\)"),
        (np.full((20, 20, 3), 200.0), "Divide an image in \\[0, 255\\] by 255"),
        (np.array([["a"]]), "should hold numbers"),
    ],
    ids=["batch", "five channels", "float in 0-255", "strings"],
)
def test_load_image_refuses_what_it_cannot_read_saying_why(image, message):
    with pytest.raises(ValueError, match=message):
        style.load_image(image, size=32)


@pytest.mark.parametrize("size", [16, 100.0, "160"])
def test_load_image_refuses_a_size_vgg_cannot_use(size):
    with pytest.raises(ValueError, match="at least 32 pixels"):
        style.load_image(np.zeros((40, 40, 3), np.uint8), size=size)


def test_noisy_start_stays_in_0_1_and_is_repeatable():
    content = np.full((1, 8, 8, 3), 0.95, np.float32)
    a, b = style.noisy_start(content, 0.2, seed=1), style.noisy_start(content, 0.2, seed=1)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32 and a.min() >= 0.75 - 1e-6 and a.max() == 1.0
    assert not np.array_equal(a, style.noisy_start(content, 0.2, seed=2))


def test_relative_fall_and_its_bad_input():
    assert style.relative_fall([10.0, 4.0, 2.5]) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="at least two costs"):
        style.relative_fall([3.0])


def test_to_uint8_rounds_and_clips():
    image = np.array([[[[0.0, 0.5, 1.2]]]], np.float32)
    np.testing.assert_array_equal(style.to_uint8(image), [[[0, 128, 255]]])


def test_figures_have_one_panel_per_image_and_per_cost():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = style.show_images({"a": np.zeros((1, 8, 8, 3)), "b": np.ones((8, 8, 3))})
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    fig2 = style.cost_curves({"content cost": [3.0, 2.0], "style cost": [5.0, 1.0], "total cost": [8.0, 3.0]})
    assert [ax.get_title() for ax in fig2.axes] == ["content cost", "style cost", "total cost"]
    assert fig2.axes[0].get_yscale() == "log"
    plt.close("all")


def test_feature_extractor_matches_vgg_on_preprocessed_input():
    """The extractor's built-in preprocessing equals vgg.preprocess on [0, 255] images."""
    require("hed-vgg16.weights.h5")
    from shared_utils.models.vgg import preprocess, vgg16_features

    image = style.load_image("chelsea.jpg", size=32)
    extractor = style.feature_extractor(["block1_conv1", "block2_conv1"], "block3_conv1")
    outputs = extractor(image)
    assert [tuple(o.shape) for o in outputs] == [(1, 32, 32, 64), (1, 16, 16, 128), (1, 8, 8, 256)]
    reference = vgg16_features(["block1_conv1", "block2_conv1", "block3_conv1"])(preprocess(image * 255.0))
    for got, expected in zip(outputs, reference):
        np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-4, atol=1e-3)
    assert not extractor.trainable_weights


def test_cost_curves_plot_against_the_steps_given_and_refuse_a_mismatch():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = style.cost_curves({"total cost": [8.0, 3.0, 1.0]}, steps=[0, 5, 7])
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_xdata(), [0, 5, 7])
    with pytest.raises(ValueError, match="give one step per value"):
        style.cost_curves({"total cost": [8.0, 3.0]}, steps=[0, 5, 7])
    plt.close("all")

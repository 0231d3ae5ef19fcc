"""Helpers of course 4's Keras notebook: standardisation, the dense baseline, the figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from shared_utils.course4.application import (  # noqa: E402
    dense_baseline,
    show_feature_maps,
    show_mistakes,
    standardize,
)


def test_standardize_is_tensorflows_per_image_standardization():
    import tensorflow as tf

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (3, 8, 6, 3), dtype=np.uint8)
    images[2] = 7  # a flat picture: the floor on the standard deviation
    got = standardize(images)
    expected = tf.image.per_image_standardization(images).numpy()
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got[0].mean(), 0, atol=1e-5)
    np.testing.assert_allclose(got[0].std(), 1, atol=1e-4)


def test_dense_baseline_is_course_2s_network():
    model = dense_baseline((64, 64, 3), name="test_dense")
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Flatten", "Dense", "Dense", "Dense"]
    assert [layer.units for layer in model.layers[1:]] == [25, 12, 6]
    assert model.layers[-1].get_config()["activation"] == "softmax"
    assert model.count_params() == 12288 * 25 + 25 + 25 * 12 + 12 + 12 * 6 + 6
    assert model.name == "test_dense" and all(layer.name.startswith("test_dense") for layer in model.layers)
    same = dense_baseline((64, 64, 3), name="test_dense_again")
    np.testing.assert_array_equal(model.layers[1].get_weights()[0], same.layers[1].get_weights()[0])  # seeded


def test_feature_maps_show_the_picture_and_every_channel():
    import keras

    inputs = keras.Input((12, 12, 3))
    x = keras.layers.Conv2D(5, 3, padding="same", name="test_maps_conv")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Flatten()(x)))
    image = np.random.default_rng(1).normal(size=(12, 12, 3)).astype("float32")
    fig = show_feature_maps(model, image, "test_maps_conv", ncols=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 6 and shown[0].get_title() == "input" and shown[-1].get_title() == "channel 4"
    plt.close(fig)


def test_mistakes_show_only_the_wrong_pictures(capsys):
    images = np.zeros((5, 4, 4, 3), np.uint8)
    labels = np.array([0, 1, 1, 0, 1])
    fig = show_mistakes(images, labels, np.array([0, 0, 1, 1, 1]), ["no", "yes"])
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["yes -> no", "no -> yes"]
    assert "2 mistake(s) of 5" in fig._suptitle.get_text()
    plt.close(fig)
    assert show_mistakes(images, labels, labels, ["no", "yes"]) is None
    assert "no mistakes" in capsys.readouterr().out

"""The from-scratch twin, batch-norm recalibration and the curves of course 4's transfer notebook."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.course4.transfer import (
    balanced_subset,
    batch_norm_layers,
    plot_transfer_curves,
    recalibrate_batch_norm,
    scratch_twin,
)


def test_balanced_subset_draws_each_class_equally_and_repeatably():
    labels = np.r_[np.ones(30, int), np.zeros(50, int)]
    chosen = balanced_subset(labels, 9, seed=3)
    assert len(set(chosen.tolist())) == 9 and labels[chosen].sum() == 4
    np.testing.assert_array_equal(chosen, balanced_subset(labels, 9, seed=3))
    assert set(chosen.tolist()) != set(balanced_subset(labels, 9, seed=4).tolist())
    assert 0 < labels[chosen[:4]].sum() < 4 or 0 < labels[chosen[4:]].sum() < 5  # shuffled, not sorted


@pytest.mark.parametrize("n", [1, 62])
def test_balanced_subset_refuses_what_the_classes_cannot_give(n):
    with pytest.raises(ValueError, match="choose n between 2 and 60"):
        balanced_subset(np.r_[np.ones(30, int), np.zeros(50, int)], n, seed=0)


def _small_model():
    import keras

    inner_in = keras.Input((6, 6, 2), name="t_inner_in")
    y = keras.layers.Conv2D(3, 3, padding="same", name="t_conv")(inner_in)
    y = keras.layers.BatchNormalization(name="t_bn")(y)
    inner = keras.Model(inner_in, y, name="t_backbone")
    inner.trainable = False
    inputs = keras.Input((6, 6, 2), name="t_in")
    x = keras.layers.GlobalAveragePooling2D(name="t_pool")(inner(inputs))
    return keras.Model(inputs, keras.layers.Dense(1, name="t_dense")(x), name="t_model")


def test_twin_has_the_architecture_fresh_weights_and_trains_everything():
    model = _small_model()
    twin = scratch_twin(model, name="t_twin")
    assert twin.name == "t_twin"
    assert [type(a).__name__ for a in model.layers] == [type(b).__name__ for b in twin.layers]
    assert [w.shape for w in model.weights] == [w.shape for w in twin.weights]
    assert len(twin.trainable_weights) == 6 and len(model.trainable_weights) == 2  # conv 2, bn 2, dense 2
    kernel, twin_kernel = model.get_layer("t_backbone").weights[0], twin.layers[1].weights[0]
    assert not np.allclose(np.asarray(kernel), np.asarray(twin_kernel))  # drawn afresh
    assert batch_norm_layers(twin)[0].momentum == batch_norm_layers(model)[0].momentum


def test_recalibration_stores_the_batch_statistics_and_keeps_the_momentum():
    import keras

    model = scratch_twin(_small_model())
    images = np.random.default_rng(0).normal(3.0, 2.0, (16, 6, 6, 2)).astype("float32")
    (bn,) = batch_norm_layers(model)
    momentum = bn.momentum
    recalibrate_batch_norm(model, images)
    conv_out = keras.Model(model.layers[1].input, model.layers[1].get_layer("t_conv").output)(images)
    conv_out = np.asarray(conv_out).reshape(-1, 3)
    np.testing.assert_allclose(np.asarray(bn.moving_mean), conv_out.mean(0), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.asarray(bn.moving_variance), conv_out.var(0), rtol=1e-3, atol=1e-4)
    assert bn.momentum == momentum


def test_curves_draw_every_training_shifted_by_its_start():
    history = {"accuracy": [0.5, 0.7], "val_accuracy": [0.6, 0.8], "loss": [0.7, 0.5], "val_loss": [0.6, 0.4]}
    fig = plot_transfer_curves({"a": history, "b": history}, starts={"b": 2}, title="t")
    accuracy_axis = fig.axes[0]
    xs = [tuple(line.get_xdata()) for line in accuracy_axis.lines if len(line.get_xdata()) == 2]
    assert (1, 2) in xs and (3, 4) in xs
    import matplotlib.pyplot as plt

    plt.close(fig)


@pytest.mark.parametrize("missing", ["val_accuracy", "val_loss"])
def test_curves_need_the_held_out_figures(missing):
    history = {"val_accuracy": [0.6], "val_loss": [0.6]}
    del history[missing]
    with pytest.raises(KeyError):
        plot_transfer_curves({"a": history})

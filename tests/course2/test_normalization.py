"""shared_utils.course2.normalization: the with/without batch-norm network, its training run and figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from shared_utils.course2 import normalization


def _toy(n: int, d: int = 8, classes: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, size=n)
    x = rng.normal(size=(n, d)) + y[:, None]
    return x, y


def test_deep_mlp_layers_with_and_without_batch_norm():
    plain = normalization.deep_mlp(8, 3, depth=3, width=5, batch_norm=False)
    bn = normalization.deep_mlp(8, 3, depth=3, width=5, batch_norm=True, momentum=0.8)
    names = [layer.name for layer in bn.layers]
    assert [n for n in names if n.startswith("bn_")] == ["bn_1", "bn_2", "bn_3"]
    assert not any(layer.name.startswith("bn_") for layer in plain.layers)
    assert all(bn.get_layer(f"dense_{i}").bias is None for i in (1, 2, 3))  # BN's beta replaces the bias
    assert all(plain.get_layer(f"dense_{i}").bias is not None for i in (1, 2, 3))
    assert bn.get_layer("bn_2").momentum == pytest.approx(0.8)
    assert bn.output_shape == (None, 3) and plain.output_shape == (None, 3)
    assert plain.count_params() == (8 * 5 + 5) + 2 * (5 * 5 + 5) + (5 * 3 + 3)


def test_train_mlp_records_one_value_per_epoch_and_is_deterministic():
    x, y = _toy(96)
    xt, yt = _toy(40, seed=1)
    kw = dict(
        batch_norm=True, depth=3, width=6, learning_rate=0.1, epochs=2, batch_size=32, seed=3, probe_layer=2
    )
    a = normalization.train_mlp(x, y, xt, yt, **kw)
    b = normalization.train_mlp(x, y, xt, yt, **kw)
    assert len(a.loss) == len(a.accuracy) == 2
    assert a.probe.shape == (2, 96 * 6)  # default probe: the first 256 (here all 96) training rows
    assert a.test_accuracy == a.accuracy[-1]
    assert 0.0 <= a.test_accuracy <= 1.0
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.probe, b.probe)


def test_train_mlp_probe_is_the_input_of_the_relu():
    x, y = _toy(64)
    r = normalization.train_mlp(
        x, y, x, y, batch_norm=False, depth=2, width=4, epochs=1, batch_size=64, probe_x=x[:10], probe_layer=1
    )
    dense = r.model.get_layer("dense_1")
    expected = x[:10] @ np.asarray(dense.kernel) + np.asarray(dense.bias)
    np.testing.assert_allclose(r.probe[0], expected.ravel(), rtol=1e-5, atol=1e-6)


def test_figures_have_one_panel_per_run_or_method():
    x, y = _toy(64)
    r = normalization.train_mlp(
        x, y, x, y, batch_norm=False, depth=2, width=4, epochs=2, batch_size=32, probe_layer=2
    )
    fig = normalization.plot_losses({"a": r, "b": r})
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 2
    fig2 = normalization.plot_probe({"a": r, "b": r, "c": r})
    assert len(fig2.axes) == 3
    fig3 = normalization.plot_norm_groups(n=3, c=4, groups=2)
    assert len(fig3.axes) == 4
    plt.close("all")


def test_train_mlp_progress_bar_advances_once_per_epoch_and_changes_nothing(capsys):
    x, y = _toy(64)
    kw = dict(
        batch_norm=True, depth=2, width=4, learning_rate=0.1, epochs=3, batch_size=32, seed=1, probe_layer=2
    )
    quiet = normalization.train_mlp(x, y, x, y, **kw)
    assert capsys.readouterr().err == ""
    shown = normalization.train_mlp(x, y, x, y, progress=True, **kw)
    err = capsys.readouterr().err
    assert "batch norm, learning rate 0.1" in err and "3/3" in err and "loss=" in err, err  # the tqdm bar
    np.testing.assert_array_equal(shown.loss, quiet.loss)
    assert shown.accuracy == quiet.accuracy

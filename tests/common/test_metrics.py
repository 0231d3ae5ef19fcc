"""metrics.accuracy: the share of right labels of an L-layer network, against Keras and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

from shared_utils.common import metrics

keras = pytest.importorskip("keras")


def _net(dims, seed):
    rng = np.random.default_rng(seed)
    return {
        key: rng.normal(0, 1, shape)
        for l in range(1, len(dims))
        for key, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1)))
    }


def _keras_labels(X, params, dims):
    """Labels 0/1 (m,) from a Keras copy of the network: ReLU hidden layers, sigmoid output."""
    L = len(dims) - 1
    model = keras.Sequential(
        [keras.Input((dims[0],), dtype="float64")]
        + [
            keras.layers.Dense(dims[l], activation="relu" if l < L else "sigmoid", dtype="float64")
            for l in range(1, L + 1)
        ]
    )
    model.set_weights([w for l in range(1, L + 1) for w in (params[f"W{l}"].T, params[f"b{l}"].ravel())])
    return (model(X.T).numpy().ravel() > 0.5).astype(int)


@pytest.mark.parametrize("dims,m,seed", [((3, 1), 40, 0), ((2, 5, 1), 57, 1), ((4, 6, 3, 1), 80, 2)])
def test_accuracy_matches_keras_and_sklearn(dims, m, seed):
    rng = np.random.default_rng(seed + 10)
    X = rng.normal(0, 1, (dims[0], m))
    Y = rng.integers(0, 2, (1, m))
    params = _net(dims, seed)
    labels = _keras_labels(X, params, dims)
    got = metrics.accuracy(X, Y, params)
    assert isinstance(got, float)
    assert got == pytest.approx(accuracy_score(Y.ravel(), labels))
    assert metrics.accuracy(X, labels.reshape(1, -1), params) == 1.0
    assert metrics.accuracy(X, 1 - labels.reshape(1, -1), params) == 0.0

"""How well a from-scratch network classifies: the measures both courses' notebooks print."""

from __future__ import annotations

import numpy as np

from shared_utils.course1 import dnn


def accuracy(X: np.ndarray, Y: np.ndarray, parameters: dict[str, np.ndarray]) -> float:
    """Share of the examples whose predicted label equals their label, a float in [0, 1].

    ``X`` (n_x, m) holds one example per column and ``Y`` (1, m) their labels 0/1;
    ``parameters`` is the dict ``{"W1": (n_1, n_x), "b1": (n_1, 1), ..., "WL": (1, n_{L-1}),
    "bL": (1, 1)}`` of a ``[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID`` network (course 1,
    notebook 4).  The predicted label is 1 where the network's output is above 0.5.
    """
    AL, _ = dnn.L_model_forward(X, parameters)
    return float(np.mean((AL > 0.5) == Y))

"""The heartbeat keeps a training cell from being silent, and keeps Keras's epoch lines whole."""

from __future__ import annotations

import threading
import time

import keras
import numpy as np

from shared_utils.common.progress import heartbeat


def _model():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    return model


class _Slow(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        time.sleep(0.05)


def test_dots_appear_while_training_and_each_epoch_line_starts_on_a_line_of_its_own(capsys):
    x, y = np.ones((8, 3)), np.ones((8, 1))
    _model().fit(x, y, batch_size=2, epochs=2, verbose=2, callbacks=[heartbeat(every=0.02), _Slow()])
    out = capsys.readouterr().out
    assert "." in out
    for line in out.splitlines():
        if "step" in line and "loss" in line:  # Keras's epoch line: never after dots on the same line
            assert not line.startswith("."), line
    assert not any(t.name == "heartbeat" for t in threading.enumerate())


def test_no_dot_when_training_is_quicker_than_the_interval(capsys):
    x, y = np.ones((4, 3)), np.ones((4, 1))
    _model().fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[heartbeat(every=3600.0)])
    assert "." not in capsys.readouterr().out

"""Progress a learner can see while Keras trains: :func:`heartbeat`.

``fit(..., verbose=2)`` prints one line per epoch, but nothing before the first one ends: the
first training step builds TensorFlow's graph (many seconds for an unrolled recurrent model),
and on a busy CPU an epoch can take longer than a learner should wait in silence. ::

    model.fit(x, y, epochs=10, verbose=2, callbacks=[heartbeat()])

prints a dot every ``every`` seconds that pass without an epoch line, from the moment
training starts (so the graph building is covered too), and ends the line of dots before
Keras writes the epoch's own line.
"""

from __future__ import annotations

import threading
import time
from typing import Any


def heartbeat(every: float = 2.0) -> Any:
    """A Keras callback: a dot every ``every`` seconds of training without an epoch line."""
    import keras

    class Heartbeat(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self._lock = threading.Lock()
            self._stop = threading.Event()
            self._last, self._dots = time.monotonic(), False
            self._thread = threading.Thread(target=self._tick, name="heartbeat", daemon=True)
            self._thread.start()

        def _tick(self):
            while not self._stop.wait(min(0.25, every) if every > 0 else 0.01):
                with self._lock:
                    if time.monotonic() - self._last >= every:
                        print(".", end="", flush=True)
                        self._last, self._dots = time.monotonic(), True

        def on_epoch_end(self, epoch, logs=None):
            # runs before Keras's own ProgbarLogger, which writes the epoch's line
            with self._lock:
                if self._dots:
                    print(flush=True)
                self._last, self._dots = time.monotonic(), False

        def on_train_end(self, logs=None):
            self._stop.set()
            self._thread.join()
            with self._lock:
                if self._dots:
                    print(flush=True)
                self._dots = False

    return Heartbeat()

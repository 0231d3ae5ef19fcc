"""Plain errors for bad inputs to the NumPy layers of course 4's convolution notebook.

The layers work on NumPy arrays in the channels-last layout (batch, height, width, channels),
as Keras and TensorFlow do.  The given first lines of the notebook's layer functions call these
validators, so that a tf.Tensor, an image without its batch axis or a filter bank whose
channels do not match the images is named plainly instead of failing deep inside a loop.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _is_tensor(x: Any) -> bool:
    """A TensorFlow tensor or variable, recognised without importing TensorFlow."""
    return type(x).__module__.startswith(("tensorflow", "keras")) and hasattr(x, "numpy")


def require_array(x: Any, name: str, ndim: int, layout: str) -> np.ndarray:
    """``x`` itself when it is a NumPy array of rank ``ndim``; else a TypeError / ValueError naming the fix.

    ``layout`` describes the axes in words, e.g. "(m, n_H, n_W, n_C)".
    """
    if _is_tensor(x):
        raise TypeError(
            f"{name} is a TensorFlow tensor ({type(x).__name__}); these layers are written in NumPy: "
            f"pass a NumPy array, e.g. {name}.numpy()."
        )
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} should be a NumPy array of shape {layout}, got {type(x).__name__}.")
    if x.ndim != ndim:
        extra = ""
        if ndim == 4 and x.ndim == 3:
            extra = " A single image needs its batch axis: x[np.newaxis] has shape (1, n_H, n_W, n_C)."
        raise ValueError(f"{name} should have {ndim} axes {layout}, got shape {x.shape}.{extra}")
    return x


def require_images(A: Any, name: str = "A_prev") -> np.ndarray:
    """A batch of images (m, n_H, n_W, n_C), channels last."""
    return require_array(A, name, 4, "(m, n_H, n_W, n_C)")


def require_conv_parameters(A_prev: Any, W: Any, b: Any) -> None:
    """Images, filters (f_h, f_w, n_C_prev, n_C) and biases (1, 1, 1, n_C) that fit together."""
    require_images(A_prev)
    require_array(W, "W", 4, "(f_h, f_w, n_C_prev, n_C)")
    require_array(b, "b", 4, "(1, 1, 1, n_C)")
    if W.shape[2] != A_prev.shape[3]:
        hint = ""
        if A_prev.shape[1] == W.shape[2]:
            hint = " A_prev looks channels-first (m, n_C, n_H, n_W): this notebook puts channels last."
        raise ValueError(
            f"W has {W.shape[2]} input channel(s) (W.shape[2]) but A_prev has {A_prev.shape[3]} "
            f"(A_prev.shape[3]); W is (f_h, f_w, n_C_prev, n_C).{hint}"
        )
    if b.shape != (1, 1, 1, W.shape[3]):
        raise ValueError(f"b should have shape (1, 1, 1, {W.shape[3]}), one bias per filter; got {b.shape}.")

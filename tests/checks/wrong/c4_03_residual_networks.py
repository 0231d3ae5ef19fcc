"""Plausible mistakes for course4_cnn/03_residual_networks.

Names of other exercises (``identity_block``, ``convolutional_block``) and the notebook's
``BN_EPSILON`` resolve to the solution's (see tests.checks.wrong.rebind).
"""

import keras

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

ADD = '    X = keras.layers.Add()([X, X_shortcut])\n    X = keras.layers.Activation("relu")(X)\n'

# ----- identity_block -------------------------------------------------------------------------

edit = wrong.edits("identity_block")
edit(
    "identity_no_shortcut",
    ADD,
    '    X = keras.layers.Activation("relu")(X)\n',
    expect="the shortcut is missing",
)
edit(
    "identity_add_after_relu",
    ADD,
    '    X = keras.layers.Activation("relu")(X)\n    X = keras.layers.Add()([X, X_shortcut])\n',
    expect="added after the last ReLU",
)
edit(
    "identity_filters_swapped",
    [
        ("Conv2D(F1, 1, strides=1", "Conv2D(F2, 1, strides=1"),
        ("Conv2D(F2, f, strides=1", "Conv2D(F1, f, strides=1"),
    ],
    expect="F1 for the first convolution",
)


@wrong("identity_block", expect="Pass epsilon=BN_EPSILON")
def identity_default_epsilon(X, f, filters):
    F1, F2, F3 = filters
    X_shortcut = X
    X = keras.layers.Conv2D(F1, 1, padding="valid")(X)
    X = keras.layers.BatchNormalization(axis=3)(X)
    X = keras.layers.Activation("relu")(X)
    X = keras.layers.Conv2D(F2, f, padding="same")(X)
    X = keras.layers.BatchNormalization(axis=3)(X)
    X = keras.layers.Activation("relu")(X)
    X = keras.layers.Conv2D(F3, 1, padding="valid")(X)
    X = keras.layers.BatchNormalization(axis=3)(X)
    X = keras.layers.Add()([X, X_shortcut])
    return keras.layers.Activation("relu")(X)


# ----- convolutional_block ----------------------------------------------------------------------

edit = wrong.edits("convolutional_block")
edit(
    "conv_stride_on_middle",
    [
        ("Conv2D(F1, 1, strides=s,", "Conv2D(F1, 1, strides=1,"),
        ("Conv2D(F2, f, strides=1,", "Conv2D(F2, f, strides=s,"),
    ],
    expect="the stride is on the wrong convolution",
)
edit(
    "conv_no_shortcut_bn",
    "    X_shortcut = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X_shortcut)\n",
    "",
    expect="the shortcut has no batch normalisation",
)
edit(
    "conv_identity_shortcut",
    [
        ('    X_shortcut = keras.layers.Conv2D(F3, 1, strides=s, padding="valid")(X_shortcut)\n', ""),
        ("    X_shortcut = keras.layers.BatchNormalization(axis=3, epsilon=BN_EPSILON)(X_shortcut)\n", ""),
    ],
    expect="In a convolutional block the shortcut needs Conv2D(F3, 1, strides=s)",
)
edit(
    "conv_no_shortcut",
    ADD,
    '    X = keras.layers.Activation("relu")(X)\n',
    expect="the shortcut is missing",
)
edit(
    "conv_shortcut_stride_one",
    'Conv2D(F3, 1, strides=s, padding="valid")(X_shortcut)',
    'Conv2D(F3, 1, strides=1, padding="valid")(X_shortcut)',
    expect="same shape to be added",
)

# ----- ResNet50 -------------------------------------------------------------------------------

edit = wrong.edits("ResNet50")
edit(
    "resnet_stage2_stride2",
    "([64, 64, 256], 3, 1)",
    "([64, 64, 256], 3, 2)",
    expect="Stage 2's convolutional block keeps the size: s=1",
)
edit(
    "resnet_no_pool_padding",
    "    X = keras.layers.ZeroPadding2D(1)(X)\n",
    "",
    expect="ZeroPadding2D(1)",
)
edit(
    "resnet_fixed_input_shape",
    "X_input = keras.Input(input_shape)",
    "X_input = keras.Input((64, 64, 3))",
    expect="your model takes inputs of shape (None, 64, 64, 3); expected (None, 56, 56, 3)",
)

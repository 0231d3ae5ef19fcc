"""Plausible mistakes for course4_cnn/02_convolution_application."""

import keras

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- happy_model ------------------------------------------------------------------------

happy = wrong.edits("happy_model")
happy(
    "happy_without_batch_norm",
    "        keras.layers.BatchNormalization(axis=-1),\n",
    "",
    expect="is missing a BatchNormalization layer",
)
happy(
    "happy_relu_before_batch_norm",
    "        keras.layers.BatchNormalization(axis=-1),\n        keras.layers.ReLU(),\n",
    "        keras.layers.ReLU(),\n        keras.layers.BatchNormalization(axis=-1),\n",
    expect="are swapped: expected BatchNormalization() then ReLU()",
)
happy(
    "happy_same_padding",
    "keras.layers.Conv2D(32, 7, strides=1)",
    'keras.layers.Conv2D(32, 7, strides=1, padding="same")',
    expect="has padding 'same'; expected 'valid'",
)
happy(
    "happy_softmax_output",
    'keras.layers.Dense(1, activation="sigmoid")',
    'keras.layers.Dense(1, activation="softmax")',
    expect="has activation 'softmax'; expected 'sigmoid'",
)
happy(
    "happy_16_filters",
    "keras.layers.Conv2D(32, 7, strides=1)",
    "keras.layers.Conv2D(16, 7, strides=1)",
    expect="has filters 16; expected 32",
)
happy(
    "happy_relu_inside_the_convolution",
    [
        ("keras.layers.Conv2D(32, 7, strides=1)", 'keras.layers.Conv2D(32, 7, strides=1, activation="relu")'),
        ("        keras.layers.ReLU(),\n", ""),
    ],
    expect="applies the activation itself",
)
happy(
    "happy_no_padding_layer",
    "        keras.layers.ZeroPadding2D(padding=3),\n",
    "",
    expect="is missing a ZeroPadding2D layer",
)
happy(
    "happy_channels_first_input",
    "keras.Input(shape=(64, 64, 3))",
    "keras.Input(shape=(3, 64, 64))",
    expect="takes inputs of shape (None, 3, 64, 64); expected (None, 64, 64, 3)",
)
happy(
    "happy_extra_dropout",
    "        keras.layers.Flatten(),\n",
    "        keras.layers.Flatten(),\n        keras.layers.Dropout(0.5),\n",
    expect="has an extra layer 7",
)


@wrong("happy_model", expect="should return a keras.Sequential model, got a Functional")
def happy_functional():
    inputs = keras.Input(shape=(64, 64, 3))
    x = keras.layers.ZeroPadding2D(padding=3)(inputs)
    x = keras.layers.Conv2D(32, 7)(x)
    x = keras.layers.ReLU()(keras.layers.BatchNormalization()(x))
    x = keras.layers.Flatten()(keras.layers.MaxPooling2D()(x))
    return keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(x))


# ----- convolutional_model ----------------------------------------------------------------

conv = wrong.edits("convolutional_model")
conv(
    "conv_fixed_input_shape",
    "inputs = keras.Input(shape=input_shape)",
    "inputs = keras.Input(shape=(64, 64, 3))",
    expect="takes inputs of shape (None, 64, 64, 3); expected (None, 32, 48, 3)",
)
conv(
    "conv_no_softmax",
    'keras.layers.Dense(6, activation="softmax")(F)',
    "keras.layers.Dense(6)(F)",
    expect="has activation 'linear'; expected 'softmax'",
)
conv(
    "conv_valid_pooling",
    'P1 = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(A1)',
    "P1 = keras.layers.MaxPooling2D(pool_size=4, strides=4)(A1)",
    expect="has padding 'valid'; expected 'same'",
)
conv(
    "conv_pool_8",
    'P1 = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(A1)',
    'P1 = keras.layers.MaxPooling2D(pool_size=8, strides=8, padding="same")(A1)',
    expect="has pool_size (8, 8); expected (4, 4)",
)
conv(
    "conv_without_flatten",
    [("    F = keras.layers.Flatten()(P2)\n", ""), ("(F)", "(P2)")],
    expect="is missing a Flatten layer",
)
conv(
    "conv_skips_the_first_relu",
    'P1 = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(A1)',
    'P1 = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(Z1)',
    expect="is missing a ReLU layer",
)
conv(
    "conv_kernel_3_first",
    'Z1 = keras.layers.Conv2D(16, 5, strides=1, padding="same")(inputs)',
    'Z1 = keras.layers.Conv2D(16, 3, strides=1, padding="same")(inputs)',
    expect="has kernel_size (3, 3); expected (5, 5)",
)


@wrong("convolutional_model", expect="should return a Functional model")
def conv_sequential(input_shape):
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            keras.layers.Conv2D(16, 5, padding="same"),
            keras.layers.ReLU(),
            keras.layers.MaxPooling2D(4, strides=4, padding="same"),
            keras.layers.Conv2D(32, 3, padding="same"),
            keras.layers.ReLU(),
            keras.layers.MaxPooling2D(4, strides=4, padding="same"),
            keras.layers.Flatten(),
            keras.layers.Dense(6, activation="softmax"),
        ]
    )

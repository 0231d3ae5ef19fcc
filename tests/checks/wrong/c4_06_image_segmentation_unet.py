"""Plausible mistakes for course4_cnn/06_image_segmentation_unet.

Names of other exercises (``conv_block``, ``upsampling_block``) resolve to the solution's
(see tests.checks.wrong.rebind).
"""

import keras

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


def _conv(n_filters, x, padding="same", activation="relu"):
    return keras.layers.Conv2D(
        n_filters, 3, activation=activation, padding=padding, kernel_initializer="he_normal"
    )(x)


# ----- conv_block -------------------------------------------------------------------------------

edit = wrong.edits("conv_block")
edit(
    "conv_skip_after_pooling",
    "    skip_connection = conv\n",
    "    skip_connection = next_layer\n",
    expect="the skip connection is taken after the pooling",
)
edit(
    "conv_dropout_always",
    "    if dropout_prob > 0:\n        conv = keras.layers.Dropout(dropout_prob)(conv)\n",
    "    conv = keras.layers.Dropout(dropout_prob)(conv)\n",
    expect="extra",
)


@wrong("conv_block", expect="padding")
def conv_valid_padding(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = _conv(n_filters, _conv(n_filters, inputs, padding="valid"), padding="valid")
    if dropout_prob > 0:
        conv = keras.layers.Dropout(dropout_prob)(conv)
    next_layer = keras.layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@wrong("conv_block", expect="missing")
def conv_single_convolution(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = _conv(n_filters, inputs)
    if dropout_prob > 0:
        conv = keras.layers.Dropout(dropout_prob)(conv)
    next_layer = keras.layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@wrong("conv_block", expect="activation")
def conv_no_relu(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = _conv(n_filters, _conv(n_filters, inputs, activation=None), activation=None)
    if dropout_prob > 0:
        conv = keras.layers.Dropout(dropout_prob)(conv)
    next_layer = keras.layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, conv


@wrong("conv_block", expect="skip connection should be the output of the Dropout")
def conv_skip_before_dropout(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
    conv = _conv(n_filters, _conv(n_filters, inputs))
    skip = conv
    if dropout_prob > 0:
        conv = keras.layers.Dropout(dropout_prob)(conv)
    next_layer = keras.layers.MaxPooling2D(2)(conv) if max_pooling else conv
    return next_layer, skip


# ----- upsampling_block ---------------------------------------------------------------------------


@wrong("upsampling_block", expect="the skip connection from the contracting path is missing")
def up_no_skip(expansive_input, contractive_input, n_filters=32):
    up = keras.layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    return _conv(n_filters, _conv(n_filters, up))


edit = wrong.edits("upsampling_block")
edit(
    "up_stride_one",
    'strides=2, padding="same")(expansive_input)',
    'strides=1, padding="same")(expansive_input)',
    expect="received: Conv2DTranspose(strides=(1, 1)",
)
edit(
    "up_valid_padding",
    'strides=2, padding="same")(expansive_input)',
    'strides=2, padding="valid")(expansive_input)',
    expect="received: Conv2DTranspose(strides=(2, 2), padding='valid')",
)
edit(
    "up_order_swapped",
    "Concatenate(axis=3)([up, contractive_input])",
    "Concatenate(axis=3)([contractive_input, up])",
    expect="received: [contractive_input, Conv2DTranspose]",
)


@wrong("upsampling_block", expect="the skip connection from the contracting path is missing")
def up_merge_unused(expansive_input, contractive_input, n_filters=32):
    up = keras.layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    merge = keras.layers.Concatenate(axis=3)([up, contractive_input])  # noqa: F841 (computed, then forgotten)
    return _conv(n_filters, _conv(n_filters, up))


@wrong("upsampling_block", expect="filters")
def up_filters_of_the_skip(expansive_input, contractive_input, n_filters=32):
    up = keras.layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(expansive_input)
    merge = keras.layers.Concatenate(axis=3)([up, contractive_input])
    return _conv(n_filters, _conv(2 * n_filters, merge))


# ----- unet_model ---------------------------------------------------------------------------------

edit = wrong.edits("unet_model")
edit(
    "unet_no_softmax",
    'conv10 = keras.layers.Conv2D(n_classes, 1, padding="same", activation="softmax")(conv9)',
    'conv10 = keras.layers.Conv2D(n_classes, 1, padding="same")(conv9)',
    expect="expected: activation 'softmax'",
)
edit(
    "unet_fixed_classes",
    'conv10 = keras.layers.Conv2D(n_classes, 1, padding="same", activation="softmax")(conv9)',
    'conv10 = keras.layers.Conv2D(10, 1, padding="same", activation="softmax")(conv9)',
    expect="expected output shape",
)
edit(
    "unet_skip_after_pooling",
    "ublock9 = upsampling_block(ublock8, cblock1[1], n_filters)",
    "ublock9 = upsampling_block(ublock8, cblock1[0], n_filters)",
    expect="not the pooled output [0]",
)
edit(
    "unet_skip_wrong_level",
    "ublock7 = upsampling_block(ublock6, cblock3[1], 4 * n_filters)",
    "ublock7 = upsampling_block(ublock6, cblock2[0], 4 * n_filters)",
    expect="skip connection 2",
)
edit(
    "unet_no_dropout",
    "cblock4 = conv_block(cblock3[0], 8 * n_filters, dropout_prob=0.3)",
    "cblock4 = conv_block(cblock3[0], 8 * n_filters)",
    expect="missing",
)
edit(
    "unet_fixed_filters",
    "cblock1 = conv_block(inputs, n_filters)",
    "cblock1 = conv_block(inputs, 16)",
    expect="filters",
)

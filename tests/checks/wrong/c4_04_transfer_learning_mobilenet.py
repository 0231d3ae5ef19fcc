"""Plausible mistakes for course4_cnn/04_transfer_learning_mobilenet.

``mobilenet_v2_backbone`` and ``data_augmenter`` resolve to the solution's namespace (see
tests.checks.wrong.rebind).
"""

import keras
import tensorflow as tf

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- data_augmenter -------------------------------------------------------------------------

edit = wrong.edits("data_augmenter")
edit(
    "data_augmenter_vertical",
    '"horizontal", seed=seed',
    '"vertical", seed=seed',
    expect="Only mirror left and right",
)
edit(
    "data_augmenter_both_flips",
    '"horizontal", seed=seed',
    '"horizontal_and_vertical", seed=seed',
    expect="expected 'horizontal'",
)
edit("data_augmenter_degrees", "RandomRotation(0.05,", "RandomRotation(18,", expect="not degrees")
edit("data_augmenter_course_factor", "RandomRotation(0.05,", "RandomRotation(0.2,", expect="expected 0.05")
edit(
    "data_augmenter_no_seed",
    [
        ('"horizontal", seed=seed', '"horizontal"'),
        ("RandomRotation(0.05, seed=seed)", "RandomRotation(0.05)"),
    ],
    expect="Pass seed=seed to both layers",
)
edit(
    "data_augmenter_fixed_seed",
    [
        ('"horizontal", seed=seed', '"horizontal", seed=1'),
        ("RandomRotation(0.05, seed=seed)", "RandomRotation(0.05, seed=1)"),
    ],
    expect="Use the argument: seed=seed",
)
edit(
    "data_augmenter_flip_only",
    "        keras.layers.RandomRotation(0.05, seed=seed),\n",
    "",
    expect="expected ['RandomFlip', 'RandomRotation']",
)


@wrong("data_augmenter", expect="Wrap the layers in a model")
def data_augmenter_list(seed=None):
    return [keras.layers.RandomFlip("horizontal", seed=seed), keras.layers.RandomRotation(0.05, seed=seed)]


@wrong("data_augmenter", expect="A Lambda layer applies its function at test time too")
def data_augmenter_always_flips(seed=None):
    return keras.Sequential(
        [keras.layers.Lambda(tf.image.flip_left_right), keras.layers.RandomRotation(0.05, seed=seed)]
    )


# ----- build_transfer_model ---------------------------------------------------------------------

edit = wrong.edits("build_transfer_model")
edit(
    "build_transfer_model_not_frozen",
    "    backbone.trainable = False\n",
    "",
    expect="backbone.trainable = False",
)
edit(
    "build_transfer_model_unit_scale",
    "Rescaling(1 / 127.5, offset=-1)",
    "Rescaling(1 / 255)",
    expect="not 1/255",
)
edit(
    "build_transfer_model_fixed_shape",
    [
        ("keras.Input(shape=image_shape)", "keras.Input(shape=(96, 96, 3))"),
        ("input_shape=image_shape", "input_shape=(96, 96, 3)"),
    ],
    expect="your model takes inputs of shape (None, 96, 96, 3); expected (None, 64, 80, 3)",
)
edit(
    "build_transfer_model_new_augmenter",
    "x = augmenter(inputs)",
    "x = data_augmenter(seed=1)(inputs)",
    expect="Call the argument on the input",
)
edit("build_transfer_model_sigmoid", "Dense(1)", 'Dense(1, activation="sigmoid")', expect="from_logits=True")
edit(
    "build_transfer_model_flatten",
    "GlobalAveragePooling2D()",
    "Flatten()",
    expect="is a Flatten layer; expected a GlobalAveragePooling2D layer",
)
edit(
    "build_transfer_model_no_dropout",
    "    x = keras.layers.Dropout(0.2)(x)\n",
    "",
    expect="is missing a Dropout layer",
)
edit("build_transfer_model_dropout_half", "Dropout(0.2)", "Dropout(0.5)", expect="has rate 0.5; expected 0.2")


# ----- unfreeze_top -----------------------------------------------------------------------------

edit = wrong.edits("unfreeze_top")
edit(
    "unfreeze_top_batch_norm_trains",
    "index < fine_tune_at or isinstance(layer, keras.layers.BatchNormalization)",
    "index < fine_tune_at",
    expect="Keep every BatchNormalization layer frozen",
)
edit("unfreeze_top_one_more", "index < fine_tune_at", "index <= fine_tune_at", expect="not one more")
edit(
    "unfreeze_top_everything",
    "index < fine_tune_at or isinstance",
    "isinstance",
    expect="The layers before fine_tune_at stay frozen",
)
edit(
    "unfreeze_top_backbone_frozen",
    "    backbone.trainable = True\n",
    "",
    expect="the backbone itself is still frozen",
)


@wrong("unfreeze_top", expect="the backbone itself is still frozen")
def unfreeze_top_layers_only(backbone, fine_tune_at):
    for layer in backbone.layers[fine_tune_at:]:
        if not isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = True


@wrong("unfreeze_top", expect="counts from the start of backbone.layers")
def unfreeze_top_from_the_end(backbone, fine_tune_at):
    backbone.trainable = True
    for layer in backbone.layers[: len(backbone.layers) - fine_tune_at]:
        layer.trainable = False
    for layer in backbone.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False

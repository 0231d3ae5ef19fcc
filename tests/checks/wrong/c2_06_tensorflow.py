"""Plausible mistakes for course2_tuning/06_tensorflow.

Names of other exercises (``sigmoid``, ``forward_propagation``, ...) resolve to the
solution's functions (see tests.checks.wrong.rebind).  ``parameters`` stands for the notebook's own
global parameters, which a learner may read by mistake instead of the argument.
"""

import keras
import numpy as np
import tensorflow as tf

_rng = np.random.default_rng(0)
parameters = {
    name: tf.Variable(_rng.normal(0, 0.1, shape), dtype=tf.float32)
    for name, shape in {
        "W1": (25, 12288),
        "b1": (25, 1),
        "W2": (12, 25),
        "b2": (12, 1),
        "W3": (6, 12),
        "b3": (6, 1),
    }.items()
}


# ----- linear_function ------------------------------------------------------------------


def _draws(dtype=tf.float32):
    rng = np.random.default_rng(1)
    X = tf.constant(rng.standard_normal((3, 1)), dtype=dtype)
    W = tf.constant(rng.standard_normal((4, 3)), dtype=dtype)
    b = tf.constant(rng.standard_normal((4, 1)), dtype=dtype)
    return X, W, b


def linear_function_float64():
    rng = np.random.default_rng(1)
    X = tf.constant(rng.standard_normal((3, 1)))
    W = tf.constant(rng.standard_normal((4, 3)))
    b = tf.constant(rng.standard_normal((4, 1)))
    return tf.matmul(W, X) + b


def linear_function_no_bias():
    X, W, b = _draws()
    return tf.matmul(W, X)


def linear_function_draw_order():
    rng = np.random.default_rng(1)
    W = tf.constant(rng.standard_normal((4, 3)), dtype=tf.float32)
    X = tf.constant(rng.standard_normal((3, 1)), dtype=tf.float32)
    b = tf.constant(rng.standard_normal((4, 1)), dtype=tf.float32)
    return tf.matmul(W, X) + b


def linear_function_numpy():
    X, W, b = _draws()
    return (tf.matmul(W, X) + b).numpy()


def linear_function_elementwise():  # W * X broadcasts (4, 3) with (3, 1): an error
    X, W, b = _draws()
    return tf.multiply(W, X) + b


def linear_function_fresh_generators():
    X = tf.constant(np.random.default_rng(1).standard_normal((3, 1)), dtype=tf.float32)
    W = tf.constant(np.random.default_rng(1).standard_normal((4, 3)), dtype=tf.float32)
    b = tf.constant(np.random.default_rng(1).standard_normal((4, 1)), dtype=tf.float32)
    return tf.matmul(W, X) + b


# ----- sigmoid ---------------------------------------------------------------------------


def sigmoid_no_cast(z):
    return tf.keras.activations.sigmoid(tf.convert_to_tensor(z))


def sigmoid_sign(z):
    z = tf.cast(z, tf.float32)
    return 1 / (1 + tf.exp(z))


def sigmoid_float64(z):
    return tf.math.sigmoid(tf.cast(z, tf.float64))


def sigmoid_numpy(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=np.float32)))


def sigmoid_relu(z):
    return tf.keras.activations.relu(tf.cast(z, tf.float32))


# ----- one_hot_matrix ----------------------------------------------------------------------


def one_hot_matrix_row(label, C=6):
    return tf.one_hot([label], C)  # shape (1, C)


def one_hot_matrix_column(label, C=6):
    return tf.reshape(tf.one_hot(label, C, axis=0), (C, 1))


def one_hot_matrix_depth_6(label, C=6):
    return tf.reshape(tf.one_hot(label, 6, axis=0), [6])


def one_hot_matrix_numpy(label, C=6):
    return np.eye(C, dtype=np.float32)[int(label)]


def one_hot_matrix_numpy_tensor(label, C=6):  # right in eager mode, fails when .map traces it
    return tf.constant(np.eye(C, dtype=np.float32)[label.numpy()])


def one_hot_matrix_minus_one(label, C=6):
    return tf.reshape(tf.one_hot(label - 1, C, axis=0), [C])


def one_hot_matrix_default_10(label, C=10):
    return tf.reshape(tf.one_hot(label, C, axis=0), [C])


# ----- initialize_parameters ---------------------------------------------------------------

_SHAPES = {"W1": (25, 12288), "b1": (25, 1), "W2": (12, 25), "b2": (12, 1), "W3": (6, 12), "b3": (6, 1)}


def initialize_parameters_constants():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: initializer(shape=s) for k, s in _SHAPES.items()}


def initialize_parameters_not_trainable():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s), trainable=False) for k, s in _SHAPES.items()}


def initialize_parameters_he():
    initializer = tf.keras.initializers.HeNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s)) for k, s in _SHAPES.items()}


def initialize_parameters_lecun():
    initializer = tf.keras.initializers.LecunNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s)) for k, s in _SHAPES.items()}


def initialize_parameters_random_normal():
    return {k: tf.Variable(tf.random.stateless_normal(s, seed=(1, 0))) for k, s in _SHAPES.items()}


def initialize_parameters_half_variance():  # std sqrt(1 / (n_in + n_out))
    initializer = keras.initializers.VarianceScaling(
        scale=0.5, mode="fan_avg", distribution="truncated_normal", seed=1
    )
    return {k: tf.Variable(initializer(shape=s)) for k, s in _SHAPES.items()}


def initialize_parameters_transposed():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s[::-1] if k[0] == "W" else s)) for k, s in _SHAPES.items()}


def initialize_parameters_flat_biases():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s if k[0] == "W" else s[:1])) for k, s in _SHAPES.items()}


def initialize_parameters_float64():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s, dtype="float64")) for k, s in _SHAPES.items()}


def initialize_parameters_unseeded():
    initializer = tf.keras.initializers.GlorotNormal()
    return {k: tf.Variable(initializer(shape=s)) for k, s in _SHAPES.items()}


def initialize_parameters_zero_biases():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s) if k[0] == "W" else tf.zeros(s)) for k, s in _SHAPES.items()}


# ----- forward_propagation -----------------------------------------------------------------


def _unpack(p):
    return p["W1"], p["b1"], p["W2"], p["b2"], p["W3"], p["b3"]


def forward_propagation_relu_output(X, parameters):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)
    A1 = tf.nn.relu(W1 @ X + b1)
    A2 = tf.nn.relu(W2 @ A1 + b2)
    return tf.nn.relu(W3 @ A2 + b3)


def forward_propagation_softmax_output(X, parameters):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)
    A1 = tf.nn.relu(W1 @ X + b1)
    A2 = tf.nn.relu(W2 @ A1 + b2)
    return tf.nn.softmax(W3 @ A2 + b3, axis=0)


def forward_propagation_no_bias(X, parameters):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)
    A1 = tf.nn.relu(W1 @ X)
    A2 = tf.nn.relu(W2 @ A1)
    return W3 @ A2


def forward_propagation_sigmoid_hidden(X, parameters):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)
    A1 = tf.sigmoid(W1 @ X + b1)
    A2 = tf.sigmoid(W2 @ A1 + b2)
    return W3 @ A2 + b3


def forward_propagation_global(X, params):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)  # the notebook's parameters, not the argument
    A1 = tf.nn.relu(W1 @ X + b1)
    A2 = tf.nn.relu(W2 @ A1 + b2)
    return W3 @ A2 + b3


def forward_propagation_numpy(X, parameters):  # right values, but the tape cannot follow it
    W1, b1, W2, b2, W3, b3 = (p.numpy() for p in _unpack(parameters))
    A1 = np.maximum(W1 @ X.numpy() + b1, 0)
    A2 = np.maximum(W2 @ A1 + b2, 0)
    return tf.constant(W3 @ A2 + b3)


# ----- compute_total_loss --------------------------------------------------------------------


def compute_total_loss_mean(logits, labels):
    return tf.reduce_mean(
        tf.keras.losses.categorical_crossentropy(tf.transpose(labels), tf.transpose(logits), from_logits=True)
    )


def compute_total_loss_no_transpose(logits, labels):
    return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(labels, logits, from_logits=True))


def compute_total_loss_probabilities(logits, labels):
    return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(tf.transpose(labels), tf.transpose(logits)))


def compute_total_loss_softmax_twice(logits, labels):
    return tf.reduce_sum(
        tf.keras.losses.categorical_crossentropy(
            tf.transpose(labels), tf.nn.softmax(tf.transpose(logits)), from_logits=True
        )
    )


def compute_total_loss_swapped(logits, labels):
    return tf.reduce_sum(
        tf.keras.losses.categorical_crossentropy(tf.transpose(logits), tf.transpose(labels), from_logits=True)
    )


def compute_total_loss_numpy(logits, labels):  # right value, but a float: no gradient
    return float(
        tf.reduce_sum(
            tf.nn.softmax_cross_entropy_with_logits(labels=tf.transpose(labels), logits=tf.transpose(logits))
        )
    )


def compute_total_loss_float64(logits, labels):
    return tf.reduce_sum(
        tf.nn.softmax_cross_entropy_with_logits(
            labels=tf.cast(tf.transpose(labels), tf.float64), logits=tf.cast(tf.transpose(logits), tf.float64)
        )
    )


WRONG = {
    "linear_function": [
        linear_function_float64,
        linear_function_no_bias,
        linear_function_draw_order,
        linear_function_numpy,
        linear_function_elementwise,
        linear_function_fresh_generators,
    ],
    "sigmoid": [sigmoid_no_cast, sigmoid_sign, sigmoid_float64, sigmoid_numpy, sigmoid_relu],
    "one_hot_matrix": [
        one_hot_matrix_row,
        one_hot_matrix_column,
        one_hot_matrix_depth_6,
        one_hot_matrix_numpy,
        one_hot_matrix_numpy_tensor,
        one_hot_matrix_minus_one,
        one_hot_matrix_default_10,
    ],
    "initialize_parameters": [
        initialize_parameters_constants,
        initialize_parameters_not_trainable,
        initialize_parameters_he,
        initialize_parameters_lecun,
        initialize_parameters_random_normal,
        initialize_parameters_half_variance,
        initialize_parameters_transposed,
        initialize_parameters_flat_biases,
        initialize_parameters_float64,
        initialize_parameters_unseeded,
        initialize_parameters_zero_biases,
    ],
    "forward_propagation": [
        forward_propagation_relu_output,
        forward_propagation_softmax_output,
        forward_propagation_no_bias,
        forward_propagation_sigmoid_hidden,
        forward_propagation_global,
        forward_propagation_numpy,
    ],
    "compute_total_loss": [
        compute_total_loss_mean,
        compute_total_loss_no_transpose,
        compute_total_loss_probabilities,
        compute_total_loss_softmax_twice,
        compute_total_loss_swapped,
        compute_total_loss_numpy,
        compute_total_loss_float64,
    ],
}

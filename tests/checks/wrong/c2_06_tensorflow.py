"""Plausible mistakes for course2_tuning/06_tensorflow.

Names of other exercises (``sigmoid``, ``forward_propagation``, ...) resolve to the
solution's functions (see tests.checks.wrong.rebind).  ``parameters`` stands for the notebook's own
global parameters, which a learner may read by mistake instead of the argument.
"""

import keras
import numpy as np
import tensorflow as tf

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


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


@wrong("linear_function", expect="Cast the input first (tf.cast(x, tf")
def linear_function_float64():
    rng = np.random.default_rng(1)
    X = tf.constant(rng.standard_normal((3, 1)))
    W = tf.constant(rng.standard_normal((4, 3)))
    b = tf.constant(rng.standard_normal((4, 1)))
    return tf.matmul(W, X) + b


@wrong("linear_function", expect="You left out the bias: Y = W X + b")
def linear_function_no_bias():
    X, W, b = _draws()
    return tf.matmul(W, X)


@wrong("linear_function", expect="Draw in the order X, then W, then b")
def linear_function_draw_order():
    rng = np.random.default_rng(1)
    W = tf.constant(rng.standard_normal((4, 3)), dtype=tf.float32)
    X = tf.constant(rng.standard_normal((3, 1)), dtype=tf.float32)
    b = tf.constant(rng.standard_normal((4, 1)), dtype=tf.float32)
    return tf.matmul(W, X) + b


@wrong("linear_function", expect="Use TensorFlow ops (tf.matmul, tf.add, ..")
def linear_function_numpy():
    X, W, b = _draws()
    return (tf.matmul(W, X) + b).numpy()


@wrong("linear_function", expect="your code raised InvalidArgumentError")
def linear_function_elementwise():  # W * X broadcasts (4, 3) with (3, 1): an error
    X, W, b = _draws()
    return tf.multiply(W, X) + b


@wrong("linear_function", expect="Use one generator for the three draws")
def linear_function_fresh_generators():
    X = tf.constant(np.random.default_rng(1).standard_normal((3, 1)), dtype=tf.float32)
    W = tf.constant(np.random.default_rng(1).standard_normal((4, 3)), dtype=tf.float32)
    b = tf.constant(np.random.default_rng(1).standard_normal((4, 1)), dtype=tf.float32)
    return tf.matmul(W, X) + b


# ----- sigmoid ---------------------------------------------------------------------------


@wrong("sigmoid", expect="your code raised InvalidArgumentError")
def sigmoid_no_cast(z):
    return tf.keras.activations.sigmoid(tf.convert_to_tensor(z))


@wrong("sigmoid", expect="Mind the sign: sigmoid(z) = 1 / (1 + exp(-z))")
def sigmoid_sign(z):
    z = tf.cast(z, tf.float32)
    return 1 / (1 + tf.exp(z))


@wrong("sigmoid", expect="Cast the input first (tf.cast(x, tf")
def sigmoid_float64(z):
    return tf.math.sigmoid(tf.cast(z, tf.float64))


@wrong("sigmoid", expect="Use TensorFlow ops (tf.matmul, tf.add, ..")
def sigmoid_numpy(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=np.float32)))


@wrong("sigmoid", expect="That is the ReLU, not the sigmoid")
def sigmoid_relu(z):
    return tf.keras.activations.relu(tf.cast(z, tf.float32))


# ----- one_hot_matrix ----------------------------------------------------------------------


@wrong("one_hot_matrix", expect="There is an extra dimension of size 1")
def one_hot_matrix_row(label, C=6):
    return tf.one_hot([label], C)  # shape (1, C)


@wrong("one_hot_matrix", expect="There is an extra dimension of size 1")
def one_hot_matrix_column(label, C=6):
    return tf.reshape(tf.one_hot(label, C, axis=0), (C, 1))


@wrong("one_hot_matrix", expect="the one-hot vector has shape (6,)")
def one_hot_matrix_depth_6(label, C=6):
    return tf.reshape(tf.one_hot(label, 6, axis=0), [6])


@wrong("one_hot_matrix", expect="tf.one_hot returns float32 by default")
def one_hot_matrix_numpy(label, C=6):
    return np.eye(C, dtype=np.float32)[int(label)]


@wrong("one_hot_matrix", expect="Inside .map, label is a symbolic tensor")
def one_hot_matrix_numpy_tensor(label, C=6):  # right in eager mode, fails when .map traces it
    return tf.constant(np.eye(C, dtype=np.float32)[label.numpy()])


@wrong("one_hot_matrix", expect="The 1 is in the wrong place")
def one_hot_matrix_minus_one(label, C=6):
    return tf.reshape(tf.one_hot(label - 1, C, axis=0), [C])


@wrong("one_hot_matrix", expect="Keep the signature given in the notebook")
def one_hot_matrix_default_10(label, C=10):
    return tf.reshape(tf.one_hot(label, C, axis=0), [C])


# ----- initialize_parameters ---------------------------------------------------------------

_SHAPES = {"W1": (25, 12288), "b1": (25, 1), "W2": (12, 25), "b2": (12, 1), "W3": (6, 12), "b3": (6, 1)}


@wrong("initialize_parameters", expect="Only Variables can be updated by an optimizer")
def initialize_parameters_constants():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: initializer(shape=s) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="Keep tf.Variable's default trainable=True")
def initialize_parameters_not_trainable():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s), trainable=False) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="keras.initializers.GlorotNormal: He and LeCun")
def initialize_parameters_he():
    initializer = tf.keras.initializers.HeNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s)) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="keras.initializers.GlorotNormal: He and LeCun")
def initialize_parameters_lecun():
    initializer = tf.keras.initializers.LecunNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s)) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="keras.initializers.GlorotNormal: He and LeCun")
def initialize_parameters_random_normal():
    return {k: tf.Variable(tf.random.stateless_normal(s, seed=(1, 0))) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="keras.initializers.GlorotNormal: He and LeCun")
def initialize_parameters_half_variance():  # std sqrt(1 / (n_in + n_out))
    initializer = keras.initializers.VarianceScaling(
        scale=0.5, mode="fan_avg", distribution="truncated_normal", seed=1
    )
    return {k: tf.Variable(initializer(shape=s)) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="The shape is transposed: W[l] has shape (n[l]")
def initialize_parameters_transposed():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s[::-1] if k[0] == "W" else s)) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="Biases have shape (n[l], 1)")
def initialize_parameters_flat_biases():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s if k[0] == "W" else s[:1])) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="The initializer gives float32 by default")
def initialize_parameters_float64():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s, dtype="float64")) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="Give the initializer a seed, GlorotNormal(seed=1)")
def initialize_parameters_unseeded():
    initializer = tf.keras.initializers.GlorotNormal()
    return {k: tf.Variable(initializer(shape=s)) for k, s in _SHAPES.items()}


@wrong("initialize_parameters", expect="In this notebook every parameter, biases included")
def initialize_parameters_zero_biases():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    return {k: tf.Variable(initializer(shape=s) if k[0] == "W" else tf.zeros(s)) for k, s in _SHAPES.items()}


# ----- forward_propagation -----------------------------------------------------------------


def _unpack(p):
    return p["W1"], p["b1"], p["W2"], p["b2"], p["W3"], p["b3"]


@wrong("forward_propagation", expect="No activation on the output layer")
def forward_propagation_relu_output(X, parameters):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)
    A1 = tf.nn.relu(W1 @ X + b1)
    A2 = tf.nn.relu(W2 @ A1 + b2)
    return tf.nn.relu(W3 @ A2 + b3)


@wrong("forward_propagation", expect="Do not apply the softmax: return the logits Z3")
def forward_propagation_softmax_output(X, parameters):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)
    A1 = tf.nn.relu(W1 @ X + b1)
    A2 = tf.nn.relu(W2 @ A1 + b2)
    return tf.nn.softmax(W3 @ A2 + b3, axis=0)


@wrong("forward_propagation", expect="Add the biases b1, b2, b3 in each layer")
def forward_propagation_no_bias(X, parameters):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)
    A1 = tf.nn.relu(W1 @ X)
    A2 = tf.nn.relu(W2 @ A1)
    return W3 @ A2


@wrong("forward_propagation", expect="The hidden layers use the ReLU, not the sigmoid")
def forward_propagation_sigmoid_hidden(X, parameters):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)
    A1 = tf.sigmoid(W1 @ X + b1)
    A2 = tf.sigmoid(W2 @ A1 + b2)
    return W3 @ A2 + b3


@wrong("forward_propagation", expect="Z3 is wrong")
def forward_propagation_global(X, params):
    W1, b1, W2, b2, W3, b3 = _unpack(parameters)  # the notebook's parameters, not the argument
    A1 = tf.nn.relu(W1 @ X + b1)
    A2 = tf.nn.relu(W2 @ A1 + b2)
    return W3 @ A2 + b3


@wrong("forward_propagation", expect="Compute with TensorFlow ops on the Variables")
def forward_propagation_numpy(X, parameters):  # right values, but the tape cannot follow it
    W1, b1, W2, b2, W3, b3 = (p.numpy() for p in _unpack(parameters))
    A1 = np.maximum(W1 @ X.numpy() + b1, 0)
    A2 = np.maximum(W2 @ A1 + b2, 0)
    return tf.constant(W3 @ A2 + b3)


# ----- compute_total_loss --------------------------------------------------------------------


@wrong("compute_total_loss", expect="Return the SUM over the examples, not the mean: tf")
def compute_total_loss_mean(logits, labels):
    return tf.reduce_mean(
        tf.keras.losses.categorical_crossentropy(tf.transpose(labels), tf.transpose(logits), from_logits=True)
    )


@wrong("compute_total_loss", expect="Transpose both arguments")
def compute_total_loss_no_transpose(logits, labels):
    return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(labels, logits, from_logits=True))


@wrong("compute_total_loss", expect="The network's outputs are logits")
def compute_total_loss_probabilities(logits, labels):
    return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(tf.transpose(labels), tf.transpose(logits)))


@wrong("compute_total_loss", expect="Do not apply a softmax yourself when")
def compute_total_loss_softmax_twice(logits, labels):
    return tf.reduce_sum(
        tf.keras.losses.categorical_crossentropy(
            tf.transpose(labels), tf.nn.softmax(tf.transpose(logits)), from_logits=True
        )
    )


@wrong("compute_total_loss", expect="The labels come first")
def compute_total_loss_swapped(logits, labels):
    return tf.reduce_sum(
        tf.keras.losses.categorical_crossentropy(tf.transpose(logits), tf.transpose(labels), from_logits=True)
    )


@wrong("compute_total_loss", expect="Use TensorFlow ops (tf.matmul, tf.add, ..")
def compute_total_loss_numpy(logits, labels):  # right value, but a float: no gradient
    return float(
        tf.reduce_sum(
            tf.nn.softmax_cross_entropy_with_logits(labels=tf.transpose(labels), logits=tf.transpose(logits))
        )
    )


@wrong("compute_total_loss", expect="Cast the input first (tf.cast(x, tf")
def compute_total_loss_float64(logits, labels):
    return tf.reduce_sum(
        tf.nn.softmax_cross_entropy_with_logits(
            labels=tf.cast(tf.transpose(labels), tf.float64), logits=tf.cast(tf.transpose(logits), tf.float64)
        )
    )

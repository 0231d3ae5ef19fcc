"""Plausible mistakes for course2_tuning/08_scaling_out.

``compute_replica_loss`` resolves to the solution's function (see tests.checks.wrong.rebind).
"""

import keras
import tensorflow as tf

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# ----- mixed_precision_mlp ------------------------------------------------------------------


@wrong("mixed_precision_mlp", expect="Pass dtype=policy to each Dense layer (the")
def mixed_precision_mlp_all_float16(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(u, activation="relu", dtype="float16") for u in hidden_units]
    layers += [
        keras.layers.Dense(n_classes, dtype="float16"),
        keras.layers.Activation("softmax", dtype="float32"),
    ]
    return keras.Sequential(layers)


@wrong("mixed_precision_mlp", expect="A softmax computed in float16 loses precision")
def mixed_precision_mlp_softmax_in_dense(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(u, activation="relu", dtype=policy) for u in hidden_units]
    layers.append(keras.layers.Dense(n_classes, activation="softmax", dtype=policy))
    return keras.Sequential(layers)


@wrong("mixed_precision_mlp", expect="Pass dtype=policy to each Dense layer (the")
def mixed_precision_mlp_fixed_policy(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(u, activation="relu", dtype="mixed_float16") for u in hidden_units]
    layers += [
        keras.layers.Dense(n_classes, dtype="mixed_float16"),
        keras.layers.Activation("softmax", dtype="float32"),
    ]
    return keras.Sequential(layers)


@wrong("mixed_precision_mlp", expect="End with keras.layers.Activation('softmax'")
def mixed_precision_mlp_no_float32_output(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(u, activation="relu", dtype=policy) for u in hidden_units]
    layers += [keras.layers.Dense(n_classes, dtype=policy), keras.layers.Activation("softmax", dtype=policy)]
    return keras.Sequential(layers)


@wrong("mixed_precision_mlp", expect="One Dense layer per entry of hidden_units")
def mixed_precision_mlp_first_hidden_only(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,)), keras.layers.Dense(hidden_units[0], activation="relu", dtype=policy)]
    layers += [
        keras.layers.Dense(n_classes, dtype=policy),
        keras.layers.Activation("softmax", dtype="float32"),
    ]
    return keras.Sequential(layers)


# ----- scaled_gradients ---------------------------------------------------------------------


@wrong("scaled_gradients", expect="These gradients are still scaled")
def scaled_gradients_not_unscaled(model, loss_fn, x, y, loss_scale):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        scaled = loss * loss_scale
    return loss, tape.gradient(scaled, model.trainable_variables)


@wrong("scaled_gradients", expect="These are the float16 gradients of the unscaled")
def scaled_gradients_no_scaling(model, loss_fn, x, y, loss_scale):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    return loss, tape.gradient(loss, model.trainable_variables)


@wrong("scaled_gradients", expect="You returned the scaled loss")
def scaled_gradients_returns_scaled_loss(model, loss_fn, x, y, loss_scale):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) * loss_scale
    return loss, [g / loss_scale for g in tape.gradient(loss, model.trainable_variables)]


@wrong("scaled_gradients", expect="Divide by loss_scale; you multiplied a second time")
def scaled_gradients_multiplied_twice(model, loss_fn, x, y, loss_scale):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        scaled = loss * loss_scale
    return loss, [g * loss_scale for g in tape.gradient(scaled, model.trainable_variables)]


# ----- accumulate_gradients -----------------------------------------------------------------


@wrong("accumulate_gradients", expect="This is the plain average of the micro-batch means")
def accumulate_gradients_mean_of_means(model, loss_fn, x, y, micro_batch_size):
    m = x.shape[0]
    starts = list(range(0, m, micro_batch_size))
    totals = [tf.zeros_like(v) for v in model.trainable_variables]
    for s in starts:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(loss_fn(y[s : s + micro_batch_size], model(x[s : s + micro_batch_size])))
        totals = [t + g / len(starts) for t, g in zip(totals, tape.gradient(loss, model.trainable_variables))]
    return totals


@wrong("accumulate_gradients", expect="The last, shorter micro-batch is missing")
def accumulate_gradients_drops_last(model, loss_fn, x, y, micro_batch_size):
    m = x.shape[0]
    totals = [tf.zeros_like(v) for v in model.trainable_variables]
    for s in range(0, m - micro_batch_size + 1, micro_batch_size):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(loss_fn(y[s : s + micro_batch_size], model(x[s : s + micro_batch_size]))) / m
        totals = [t + g for t, g in zip(totals, tape.gradient(loss, model.trainable_variables))]
    return totals


@wrong("accumulate_gradients", expect="the accumulated gradient of the kernel of Dense")
def accumulate_gradients_only_last(model, loss_fn, x, y, micro_batch_size):
    m = x.shape[0]
    for s in range(0, m, micro_batch_size):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(loss_fn(y[s : s + micro_batch_size], model(x[s : s + micro_batch_size]))) / m
        grads = tape.gradient(loss, model.trainable_variables)
    return grads


@wrong("accumulate_gradients", expect="These are the micro-batch gradients added up")
def accumulate_gradients_divides_by_micro(model, loss_fn, x, y, micro_batch_size):
    m = x.shape[0]
    totals = [tf.zeros_like(v) for v in model.trainable_variables]
    for s in range(0, m, micro_batch_size):
        with tf.GradientTape() as tape:
            loss = (
                tf.reduce_sum(loss_fn(y[s : s + micro_batch_size], model(x[s : s + micro_batch_size])))
                / micro_batch_size
            )
        totals = [t + g for t, g in zip(totals, tape.gradient(loss, model.trainable_variables))]
    return totals


# ----- compute_replica_loss -----------------------------------------------------------------


@wrong("compute_replica_loss", expect="This is the mean over this replica's examples")
def compute_replica_loss_local_mean(per_example_loss, global_batch_size):
    return tf.reduce_mean(per_example_loss)


@wrong("compute_replica_loss", expect="This is the sum: divide it by the global batch")
def compute_replica_loss_sum(per_example_loss, global_batch_size):
    return tf.reduce_sum(per_example_loss)


@wrong("compute_replica_loss", expect="should be a tf.Tensor, got float")
def compute_replica_loss_python_float(per_example_loss, global_batch_size):  # right value, no gradient
    return float(tf.reduce_sum(per_example_loss)) / global_batch_size


@wrong("compute_replica_loss", expect="finds no gradient of the replica's loss")
def compute_replica_loss_integer_batch(per_example_loss, global_batch_size):
    return tf.reduce_sum(per_example_loss) // global_batch_size


# ----- make_distributed_train_step -------------------------------------------------------------


@wrong("make_distributed_train_step", expect="The loss is the number of replicas times too large")
def make_distributed_train_step_local_mean(strategy, model, optimizer, loss_fn, global_batch_size):
    def replica_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(loss_fn(y, model(x, training=True)))
        optimizer.apply_gradients(
            zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
        )
        return loss

    @tf.function
    def train_step(batch):
        return strategy.reduce(tf.distribute.ReduceOp.SUM, strategy.run(replica_step, args=batch), axis=None)

    return train_step


@wrong("make_distributed_train_step", expect="The loss is divided by the number of replicas")
def make_distributed_train_step_reduce_mean(strategy, model, optimizer, loss_fn, global_batch_size):
    def replica_step(x, y):
        with tf.GradientTape() as tape:
            loss = compute_replica_loss(loss_fn(y, model(x, training=True)), global_batch_size)
        optimizer.apply_gradients(
            zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
        )
        return loss

    @tf.function
    def train_step(batch):
        return strategy.reduce(tf.distribute.ReduceOp.MEAN, strategy.run(replica_step, args=batch), axis=None)

    return train_step


@wrong("make_distributed_train_step", expect="The weights did not change")
def make_distributed_train_step_no_update(strategy, model, optimizer, loss_fn, global_batch_size):
    def replica_step(x, y):
        return compute_replica_loss(loss_fn(y, model(x, training=True)), global_batch_size)

    @tf.function
    def train_step(batch):
        return strategy.reduce(tf.distribute.ReduceOp.SUM, strategy.run(replica_step, args=batch), axis=None)

    return train_step

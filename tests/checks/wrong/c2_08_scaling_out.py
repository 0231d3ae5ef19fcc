"""Plausible mistakes for course2_tuning/08_scaling_out.

``compute_replica_loss`` resolves to the solution's function (see tests.checks.wrong.rebind).
"""

import keras
import tensorflow as tf

# ----- mixed_precision_mlp ------------------------------------------------------------------


def mixed_precision_mlp_all_float16(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(u, activation="relu", dtype="float16") for u in hidden_units]
    layers += [
        keras.layers.Dense(n_classes, dtype="float16"),
        keras.layers.Activation("softmax", dtype="float32"),
    ]
    return keras.Sequential(layers)


def mixed_precision_mlp_softmax_in_dense(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(u, activation="relu", dtype=policy) for u in hidden_units]
    layers.append(keras.layers.Dense(n_classes, activation="softmax", dtype=policy))
    return keras.Sequential(layers)


def mixed_precision_mlp_fixed_policy(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(u, activation="relu", dtype="mixed_float16") for u in hidden_units]
    layers += [
        keras.layers.Dense(n_classes, dtype="mixed_float16"),
        keras.layers.Activation("softmax", dtype="float32"),
    ]
    return keras.Sequential(layers)


def mixed_precision_mlp_no_float32_output(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(u, activation="relu", dtype=policy) for u in hidden_units]
    layers += [keras.layers.Dense(n_classes, dtype=policy), keras.layers.Activation("softmax", dtype=policy)]
    return keras.Sequential(layers)


def mixed_precision_mlp_first_hidden_only(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    layers = [keras.Input((input_dim,)), keras.layers.Dense(hidden_units[0], activation="relu", dtype=policy)]
    layers += [
        keras.layers.Dense(n_classes, dtype=policy),
        keras.layers.Activation("softmax", dtype="float32"),
    ]
    return keras.Sequential(layers)


# ----- scaled_gradients ---------------------------------------------------------------------


def scaled_gradients_not_unscaled(model, loss_fn, x, y, loss_scale):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        scaled = loss * loss_scale
    return loss, tape.gradient(scaled, model.trainable_variables)


def scaled_gradients_no_scaling(model, loss_fn, x, y, loss_scale):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    return loss, tape.gradient(loss, model.trainable_variables)


def scaled_gradients_returns_scaled_loss(model, loss_fn, x, y, loss_scale):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) * loss_scale
    return loss, [g / loss_scale for g in tape.gradient(loss, model.trainable_variables)]


def scaled_gradients_multiplied_twice(model, loss_fn, x, y, loss_scale):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        scaled = loss * loss_scale
    return loss, [g * loss_scale for g in tape.gradient(scaled, model.trainable_variables)]


# ----- accumulate_gradients -----------------------------------------------------------------


def accumulate_gradients_mean_of_means(model, loss_fn, x, y, micro_batch_size):
    m = x.shape[0]
    starts = list(range(0, m, micro_batch_size))
    totals = [tf.zeros_like(v) for v in model.trainable_variables]
    for s in starts:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(loss_fn(y[s : s + micro_batch_size], model(x[s : s + micro_batch_size])))
        totals = [t + g / len(starts) for t, g in zip(totals, tape.gradient(loss, model.trainable_variables))]
    return totals


def accumulate_gradients_drops_last(model, loss_fn, x, y, micro_batch_size):
    m = x.shape[0]
    totals = [tf.zeros_like(v) for v in model.trainable_variables]
    for s in range(0, m - micro_batch_size + 1, micro_batch_size):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(loss_fn(y[s : s + micro_batch_size], model(x[s : s + micro_batch_size]))) / m
        totals = [t + g for t, g in zip(totals, tape.gradient(loss, model.trainable_variables))]
    return totals


def accumulate_gradients_only_last(model, loss_fn, x, y, micro_batch_size):
    m = x.shape[0]
    for s in range(0, m, micro_batch_size):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(loss_fn(y[s : s + micro_batch_size], model(x[s : s + micro_batch_size]))) / m
        grads = tape.gradient(loss, model.trainable_variables)
    return grads


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


def compute_replica_loss_local_mean(per_example_loss, global_batch_size):
    return tf.reduce_mean(per_example_loss)


def compute_replica_loss_sum(per_example_loss, global_batch_size):
    return tf.reduce_sum(per_example_loss)


def compute_replica_loss_integer_batch(per_example_loss, global_batch_size):
    return tf.reduce_sum(per_example_loss) // global_batch_size


# ----- make_distributed_train_step -------------------------------------------------------------


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


def make_distributed_train_step_no_update(strategy, model, optimizer, loss_fn, global_batch_size):
    def replica_step(x, y):
        return compute_replica_loss(loss_fn(y, model(x, training=True)), global_batch_size)

    @tf.function
    def train_step(batch):
        return strategy.reduce(tf.distribute.ReduceOp.SUM, strategy.run(replica_step, args=batch), axis=None)

    return train_step


WRONG = {
    "mixed_precision_mlp": [
        mixed_precision_mlp_all_float16,
        mixed_precision_mlp_softmax_in_dense,
        mixed_precision_mlp_fixed_policy,
        mixed_precision_mlp_no_float32_output,
        mixed_precision_mlp_first_hidden_only,
    ],
    "scaled_gradients": [
        scaled_gradients_not_unscaled,
        scaled_gradients_no_scaling,
        scaled_gradients_returns_scaled_loss,
        scaled_gradients_multiplied_twice,
    ],
    "accumulate_gradients": [
        accumulate_gradients_mean_of_means,
        accumulate_gradients_drops_last,
        accumulate_gradients_only_last,
        accumulate_gradients_divides_by_micro,
    ],
    "compute_replica_loss": [
        compute_replica_loss_local_mean,
        compute_replica_loss_sum,
        compute_replica_loss_integer_batch,
    ],
    "make_distributed_train_step": [
        make_distributed_train_step_local_mean,
        make_distributed_train_step_reduce_mean,
        make_distributed_train_step_no_update,
    ],
}

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Scaling out — mixed precision, gradient accumulation, data-parallel training
#     minutes: 2
#     fast:
#       epochs: 2
#       timing_steps: 5
# ---

# %% [markdown]
# # Scaling out: mixed precision, gradient accumulation and data-parallel training
#
# **What you will build:** the three tools that let the same training code grow from a laptop
# to a rack of accelerators. A network whose layers compute in 16-bit floats while its weights
# stay in 32 bits; loss scaling, which keeps small 16-bit gradients from vanishing; gradient
# accumulation, which trains with a batch larger than memory allows; and a data-parallel
# training step for `tf.distribute.MirroredStrategy`, run on two replicas.
#
# **What you will learn:** what a dtype *policy* is and why the softmax stays in float32; why
# float16 gradients underflow and how multiplying the loss rescues them; why accumulated
# gradients must be weighted by the size of each piece; how replicas split a global batch, why
# each replica divides its loss by the *global* batch size, and how to check that a distributed
# run computes exactly what a single device computes. Finally, how the same code reaches several
# machines with `MultiWorkerMirroredStrategy`.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes about two minutes.
#
# This machine has no GPU, so we split its CPU into two *logical* devices, and TensorFlow
# treats them as it would treat two GPUs. Nothing gets faster that way (the two devices share
# the same cores), but every line of code is the one you would run on real accelerators.

# %% tags=["setup"]
import inspect
import json
import tempfile
from pathlib import Path

from shared_utils.common import compute

devices = compute.logical_cpus(2)  # before TensorFlow runs its first operation

import keras
import matplotlib.pyplot as plt
import ml_dtypes
import numpy as np
import tensorflow as tf

from shared_utils.data import fashion
from shared_utils.checks import c2_08_scaling_out as check
from shared_utils import headline
from shared_utils.common.timing import best_time
from tqdm.auto import tqdm  # a progress bar: a widget in JupyterLab and Colab, text elsewhere
from shared_utils.course2 import multiworker

tf.get_logger().setLevel("ERROR")  # MirroredStrategy is chatty at INFO level
print("TensorFlow", tf.__version__, "| Keras", keras.__version__, "| devices:", devices)

# %% tags=["parameters"]
# Epochs of the single-device vs two-replica comparison.
epochs = 6
# Global batch size (split evenly between the replicas).
batch_size = 64
# Training steps timed for the float32 vs mixed-precision comparison.
timing_steps = 20
# Seconds the two worker processes of section 5 may take, TensorFlow's start-up included.
worker_timeout = 150

# %% [markdown]
# ## 1. The data and a baseline model
#
# We reuse Fashion-MNIST's coats and shirts, committed with the workbook (1000 training and 2000 test
# images), this time with examples as **rows**, as Keras expects: `x_train` has shape
# `(1000, 784)`. The labels are integers, 0 for a coat and 1 for a shirt.

# %%
data = fashion.load_fashion_coat_vs_shirt()
x_train = fashion.flatten_images(data.train_x).T.astype("float32")
x_test = fashion.flatten_images(data.test_x).T.astype("float32")
y_train = data.train_y.ravel().astype("int64")
y_test = data.test_y.ravel().astype("int64")
print("x_train", x_train.shape, x_train.dtype, " y_train", y_train.shape, " x_test", x_test.shape)

# %% [markdown]
# ## 2. Mixed precision
#
# A float32 number takes 4 bytes; a float16 number takes 2. Halving the bytes halves the memory
# traffic, and the matrix units of modern GPUs (tensor cores) multiply 16-bit numbers several
# times faster than 32-bit ones. The price is range and precision:

# %%
for name in ("float32", "float16", "bfloat16"):
    info = ml_dtypes.finfo(name)  # ml_dtypes (installed with TensorFlow) knows bfloat16 too
    print(f"{name:>8}: largest {float(info.max):.3g}, smallest normal {float(info.tiny):.3g}, "
          f"relative precision {float(info.eps):.3g}")
# TensorFlow's cast rounds silently: too small becomes 0, too large becomes inf
print("\n1e-8 in float16 ->", float(tf.cast(1e-8, tf.float16)),
      "   70000 in float16 ->", float(tf.cast(70000.0, tf.float16)))

# %% [markdown]
# float16 keeps about three decimal digits, overflows past 65504, and every number below about
# 6e-8 becomes zero. bfloat16 (used by TPUs and recent CPUs) keeps float32's range but even less
# precision. Mixed precision uses 16 bits where they are safe and 32 bits where they matter:
#
# * the **weights** stay in float32, so that many small updates still add up;
# * each layer **casts** its inputs and weights to float16 and computes in float16;
# * numerically delicate steps, the softmax and the loss, run in float32.
#
# Keras calls this a *dtype policy*. The policy `"mixed_float16"` has `compute_dtype`
# float16 and `variable_dtype` float32. A layer takes a policy through its `dtype` argument
# (or `keras.mixed_precision.set_global_policy` sets it for every layer created afterwards;
# we pass it per layer so that nothing leaks into the rest of the notebook):

# %%
layer = keras.layers.Dense(3, dtype="mixed_float16")
out = layer(x_train[:2])
print("policy:", layer.dtype_policy.name, "| kernel stored as", layer.kernel.dtype, "| output", out.dtype)

# %% [markdown]
# **Exercise 1, `mixed_precision_mlp`** (about 6 lines). Build a `keras.Sequential` model:
# `keras.Input((input_dim,))`, then one `Dense(units, activation="relu", dtype=policy)` for
# each entry of `hidden_units`, then `Dense(n_classes, dtype=policy)` with no activation (the
# logits), and last `keras.layers.Activation("softmax", dtype="float32")`, so that the
# probabilities come out in float32. Use the `policy` argument, not a fixed name: the check
# also tries `"mixed_bfloat16"`.

# %%
def mixed_precision_mlp(input_dim, hidden_units, n_classes, policy="mixed_float16"):
    """A softmax classifier whose Dense layers follow the dtype policy `policy`."""
    ### BEGIN SOLUTION
    layers = [keras.Input((input_dim,))]
    layers += [keras.layers.Dense(units, activation="relu", dtype=policy) for units in hidden_units]
    layers.append(keras.layers.Dense(n_classes, dtype=policy))
    layers.append(keras.layers.Activation("softmax", dtype="float32"))
    model = keras.Sequential(layers)
    ### END SOLUTION
    return model


# %%
check.mixed_precision_mlp(mixed_precision_mlp)
demo = mixed_precision_mlp(784, [64, 32], 2)
for lyr in demo.layers:
    print(f"{lyr.name:<12} policy {lyr.dtype_policy.name:<14} computes in {lyr.compute_dtype}")

# %% [markdown]
# ### Loss scaling
#
# The backward pass of a float16 layer produces float16 gradients. Gradients are often tiny,
# and anything under 6e-8 becomes exactly zero: that part of the network stops learning. The
# cure is to multiply the loss by a large *loss scale* $S$ (say $2^{15}$) before
# differentiating. By the chain rule every gradient is then $S$ times larger and stays in
# float16's range; dividing the float32 result by $S$ afterwards gives the true gradient:
#
# $$\nabla_W (S \cdot J) = S \cdot \nabla_W J \qquad\Longrightarrow\qquad \nabla_W J = \frac{\nabla_W (S\cdot J)}{S}$$
#
# **Exercise 2, `scaled_gradients`** (about 5 lines). Inside a `tf.GradientTape`, compute
# `loss = loss_fn(y, model(x, training=True))` (a scalar) and `scaled = loss * loss_scale`;
# take `tape.gradient(scaled, model.trainable_variables)`, divide every gradient by
# `loss_scale`, and return `loss, grads` (both unscaled). The check builds a network whose loss
# is multiplied by 1e-6, so that without scaling its float16 gradients underflow.

# %%
def scaled_gradients(model, loss_fn, x, y, loss_scale):
    """Unscaled loss and gradients (a list, one per trainable variable) computed with loss scaling."""
    ### BEGIN SOLUTION
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        scaled = loss * loss_scale
    grads = [g / loss_scale for g in tape.gradient(scaled, model.trainable_variables)]
    ### END SOLUTION
    return loss, grads


# %%
check.scaled_gradients(scaled_gradients)

# %% [markdown]
# Here is the underflow at work: the same tiny loss, differentiated with and without scaling,
# in a float16 network. We count the gradient entries that came out exactly zero. Some are zero
# whatever we do (a pixel that is black in all 64 images, a ReLU that is off for all of them);
# the difference between the two lines is what float16 lost.

# %%
keras.utils.set_random_seed(0)
tiny_model = mixed_precision_mlp(784, [64, 32], 2)
xent = keras.losses.SparseCategoricalCrossentropy()


def tiny_loss(y_true, y_pred):
    return 1e-5 * xent(y_true, y_pred)


for scale in (1.0, 2.0 ** 15):
    _, grads = scaled_gradients(tiny_model, tiny_loss, x_train[:64], y_train[:64], scale)
    zeros = sum(int(tf.reduce_sum(tf.cast(g == 0, tf.int32))) for g in grads)
    total = sum(int(tf.size(g)) for g in grads)
    print(f"loss scale {scale:>7g}: {zeros / total:6.1%} of the {total} gradient entries are zero")

# %% [markdown]
# Choosing $S$ by hand is awkward: too small and gradients underflow, too large and they
# overflow to `inf`. `keras.optimizers.LossScaleOptimizer` does it dynamically: it starts high,
# halves the scale and skips the step whenever a gradient is not finite, and doubles it again
# after a run of good steps. `model.compile` wraps the optimizer for you when the model uses a
# `mixed_float16` policy.
#
# How much does it pay? On a GPU with tensor cores, often 2-3x in speed and half the activation
# memory. On a CPU it depends on whether the processor has 16-bit arithmetic of its own; where
# it has not, the conversions cost more than they save. Here is what this machine does with one
# training step of a small network:

# %%
def one_step_timer(policy, repeats=2):
    keras.utils.set_random_seed(0)
    model = mixed_precision_mlp(784, [256, 256], 2, policy)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    xb, yb = x_train[:batch_size], y_train[:batch_size]
    bar = tqdm(total=1 + repeats * timing_steps, desc=policy, unit="step", leave=False)
    model.train_on_batch(xb, yb)  # builds and traces the step once
    bar.update()

    def steps():
        for _ in range(timing_steps):
            model.train_on_batch(xb, yb)
            bar.update()

    seconds = best_time(steps, repeats=repeats) / timing_steps
    bar.close()
    return seconds


for policy in ("float32", "mixed_float16", "mixed_bfloat16"):
    print(f"{policy:>15}: {1000 * one_step_timer(policy):6.2f} ms per training step on this CPU")

# %% [markdown]
# ## 3. Gradient accumulation
#
# A batch that does not fit in memory can still be used: split it into *micro-batches*, run
# them one after the other, add up their gradients, and take one optimizer step at the end.
# The only subtlety is the weighting. The cost of the whole batch of $m$ examples is the mean
# of the per-example losses,
#
# $$J = \frac1m \sum_{i=1}^m \ell^{(i)} = \sum_{k} \frac{1}{m}\sum_{i \in \text{micro-batch } k} \ell^{(i)},$$
#
# so each micro-batch contributes the **sum** of its losses divided by the **whole** batch's
# $m$. Averaging the micro-batches' means instead gives a short last micro-batch as much weight
# as a full one.
#
# **Exercise 3, `accumulate_gradients`** (about 8 lines). `loss_fn(y_true, y_pred)` returns one
# loss per example (a vector). Loop over `start = 0, micro_batch_size, ...` while
# `start < m`; for each slice, in a tape, compute `tf.reduce_sum(loss_fn(...)) / m` and add its
# gradients to running totals (start from `None` or from zeros shaped like each variable).
# Return the list of totals: the gradients of the mean loss over all `m` examples.

# %%
def accumulate_gradients(model, loss_fn, x, y, micro_batch_size):
    """Gradients of the batch's mean loss, computed micro-batch by micro-batch."""
    m = x.shape[0]
    ### BEGIN SOLUTION
    totals = [tf.zeros_like(v) for v in model.trainable_variables]
    for start in range(0, m, micro_batch_size):
        xb, yb = x[start:start + micro_batch_size], y[start:start + micro_batch_size]
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(loss_fn(yb, model(xb, training=True))) / m
        grads = tape.gradient(loss, model.trainable_variables)
        totals = [t + g for t, g in zip(totals, grads)]
    ### END SOLUTION
    return totals


# %%
check.accumulate_gradients(accumulate_gradients)

# %% [markdown]
# Keras 3 optimizers can accumulate too: `keras.optimizers.SGD(..., gradient_accumulation_steps=k)`
# averages the gradients of `k` calls and only then moves the weights. With micro-batches of
# equal size, that is the same update as yours. Let us verify it on one batch of 64 images cut
# into 4 micro-batches of 16:

# %%
per_example = keras.losses.SparseCategoricalCrossentropy(reduction=None)
xb, yb = x_train[:64], y_train[:64]

keras.utils.set_random_seed(1)
mine = mixed_precision_mlp(784, [32], 2, "float32")
start_weights = mine.get_weights()
keras.optimizers.SGD(0.5).apply_gradients(
    zip(accumulate_gradients(mine, per_example, xb, yb, 16), mine.trainable_variables))

theirs = mixed_precision_mlp(784, [32], 2, "float32")
theirs.set_weights(start_weights)
accumulating = keras.optimizers.SGD(0.5, gradient_accumulation_steps=4)
for k in range(4):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(per_example(yb[16 * k:16 * (k + 1)], theirs(xb[16 * k:16 * (k + 1)])))
    accumulating.apply_gradients(zip(tape.gradient(loss, theirs.trainable_variables), theirs.trainable_variables))

gap = max(float(np.abs(a - b).max()) for a, b in zip(mine.get_weights(), theirs.get_weights()))
print(f"largest weight difference, your accumulation vs Keras's gradient_accumulation_steps: {gap:.2e}")

# %% [markdown]
# ## 4. Data-parallel training with `MirroredStrategy`
#
# With several devices, the cheapest way to go faster is **data parallelism**. Every device
# (a *replica*) holds a full copy of the model. Each step:
#
# 1. the *global* batch of $B$ examples is cut into one slice per replica ($B/R$ each for $R$
#    replicas);
# 2. each replica runs the forward and backward pass on its slice;
# 3. the replicas' gradients are **summed** across devices (an *all-reduce*), so every replica
#    gets the same total;
# 4. every replica applies the same update, and the copies stay identical.
#
# Because step 3 sums, each replica must compute its share of the *global* mean: the sum of its
# examples' losses divided by $B$, not by its own $B/R$. Divide by the local size and the summed
# gradient is $R$ times too large, as if the learning rate had been multiplied by $R$.
#
# **Exercise 4, `compute_replica_loss`** (1 line). Given the per-example losses of one replica
# and the global batch size, return the replica's share of the global mean loss.

# %%
def compute_replica_loss(per_example_loss, global_batch_size):
    """Sum of this replica's per-example losses divided by the global batch size."""
    ### BEGIN SOLUTION
    loss = tf.reduce_sum(per_example_loss) / global_batch_size
    ### END SOLUTION
    return loss


# %%
check.compute_replica_loss(compute_replica_loss)
print("TensorFlow's own helper agrees:",
      float(tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 3.0]), global_batch_size=6)),
      float(compute_replica_loss(tf.constant([1.0, 2.0, 3.0]), 6)))

# %% [markdown]
# A strategy is created once per program (a second `MirroredStrategy` over the same devices
# cancels the first one's communication, so the check and this notebook share one, made by
# `compute.mirrored_strategy`). Variables created inside `strategy.scope()` (the model's and the
# optimizer's) become *mirrored*: one copy per replica, kept in sync. An optimizer with state
# (momentum, Adam's moments) should create its variables there too, with
# `optimizer.build(model.trainable_variables)`: left to itself, Keras 3 creates them during the
# first step, inside one replica, and the step fails with a cryptic "must feed a value for
# placeholder" error.
# `strategy.experimental_distribute_dataset` cuts each global batch into per-replica slices.
#
# **Exercise 5, `make_distributed_train_step`** (about 10 lines). Return a function
# `train_step(batch)` that, given one distributed batch `(x, y)`:
#
# * defines `replica_step(x, y)`: in a tape, `loss = compute_replica_loss(loss_fn(y, model(x, training=True)), global_batch_size)`;
#   take the gradients and `optimizer.apply_gradients(zip(grads, model.trainable_variables))`
#   (inside a replica, Keras sums the gradients across replicas for you); return `loss`;
# * runs it on every replica with `per_replica = strategy.run(replica_step, args=batch)`;
# * returns `strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)`, the global
#   mean loss (each replica's part is already divided by the global batch size, so the parts add up).
#
# Decorate `train_step` with `@tf.function`: the step is then compiled once into a graph that
# runs on all replicas.

# %%
def make_distributed_train_step(strategy, model, optimizer, loss_fn, global_batch_size):
    """A tf.function that trains `model` on one distributed global batch and returns its mean loss."""
    ### BEGIN SOLUTION
    def replica_step(x, y):
        with tf.GradientTape() as tape:
            loss = compute_replica_loss(loss_fn(y, model(x, training=True)), global_batch_size)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    @tf.function
    def train_step(batch):
        per_replica = strategy.run(replica_step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)
    ### END SOLUTION
    return train_step


# %%
check.make_distributed_train_step(make_distributed_train_step)

# %% [markdown]
# ### Does the distributed run compute the same thing?
#
# It should: the same starting weights, the same batches and the same learning rate must give
# the same weights, whether one device or two replicas do the work. Only the order of a few
# additions differs (each replica sums its half of the batch, then the halves are added), so
# the results differ by rounding, and training compounds those differences step after step: in
# float32, a difference in the seventh digit after the first step can reach the third digit
# after a hundred steps. We therefore compare in **float64**, where rounding is a billion times
# smaller and any real discrepancy (a loss divided by the wrong batch size, a missing update)
# stands out. We train the same network both ways for a few epochs, with a fixed order of
# batches.

# %%
strategy = compute.mirrored_strategy(2)  # tf.distribute.MirroredStrategy(devices), made once per program
print("replicas in sync:", strategy.num_replicas_in_sync, "on", strategy.extended.worker_devices)

train_ds = tf.data.Dataset.from_tensor_slices((x_train.astype("float64"), y_train)).batch(
    batch_size, drop_remainder=True)


def build_model():
    keras.utils.set_random_seed(42)
    return mixed_precision_mlp(784, [64, 32], 2, "float64")  # a policy may be a plain dtype too


# one device: a plain tf.function step
single = build_model()
single_opt = keras.optimizers.SGD(0.05, momentum=0.9)


@tf.function
def single_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(per_example(y, single(x, training=True)))
    single_opt.apply_gradients(zip(tape.gradient(loss, single.trainable_variables), single.trainable_variables))
    return loss


# two replicas: your step
with strategy.scope():
    mirrored = build_model()
    mirrored_opt = keras.optimizers.SGD(0.05, momentum=0.9)
    mirrored_opt.build(mirrored.trainable_variables)  # create the momentum slots here, mirrored, not inside a replica
mirrored_step = make_distributed_train_step(strategy, mirrored, mirrored_opt, per_example, batch_size)
dist_ds = strategy.experimental_distribute_dataset(train_ds)

history = {"one device": [], f"{strategy.num_replicas_in_sync} replicas": []}
for epoch in range(epochs):
    losses_single = [float(single_step(x, y)) for x, y in train_ds]
    losses_mirrored = [float(mirrored_step(batch)) for batch in dist_ds]
    history["one device"].append(np.mean(losses_single))
    history[f"{strategy.num_replicas_in_sync} replicas"].append(np.mean(losses_mirrored))
    print(f"epoch {epoch + 1}: mean loss, one device {history['one device'][-1]:.6f} | "
          f"replicas {np.mean(losses_mirrored):.6f}")

weight_gap = max(float(np.abs(a - b).max()) for a, b in zip(single.get_weights(), mirrored.get_weights()))


def acc(model):
    return float(np.mean(np.argmax(model.predict(x_test.astype("float64"), verbose=0), axis=1) == y_test))


print(f"test accuracy: one device {acc(single):.4f}, replicas {acc(mirrored):.4f}")
print(f"largest difference between the two sets of weights after {epochs} epochs: {weight_gap:.2e}")

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
for (label, values), style in zip(history.items(), ("-o", "--x")):
    ax.plot(range(1, epochs + 1), values, style, label=label)
ax.set_xlabel("epoch")
ax.set_ylabel("mean training loss")
ax.set_title("The same training, on one device and on two replicas")
ax.legend()
plt.show()

# %% [markdown]
# The curves lie on top of each other. The same holds for `fit`: build and compile the model
# inside `strategy.scope()`, and `model.fit` splits every batch between the replicas by itself.

# %%
with strategy.scope():
    fitted = build_model()
    fitted.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="sparse_categorical_crossentropy",
                   metrics=["accuracy"])
fit_history = fitted.fit(train_ds, epochs=epochs, verbose=2, shuffle=False)  # a line per epoch
fit_gap = max(float(np.abs(a - b).max()) for a, b in zip(single.get_weights(), fitted.get_weights()))
print(f"model.fit under the strategy: final loss {fit_history.history['loss'][-1]:.6f}; "
      f"largest weight difference from the one-device run {fit_gap:.2e}")

# %% [markdown]
# ## 5. Several machines: `MultiWorkerMirroredStrategy`
#
# The recipe does not change when the replicas live on different machines. Each machine (a
# *worker*) runs the same script; the environment variable `TF_CONFIG` tells it who the
# workers are and which one it is; `tf.distribute.MultiWorkerMirroredStrategy()` replaces
# `MirroredStrategy`, and the all-reduce goes over the network (NCCL between GPUs, gRPC
# otherwise). Worker 0 is the *chief*: it alone writes checkpoints and logs. The dataset should
# be sharded so that workers see different examples (`tf.data` does it by file or by data when
# given `options.experimental_distribute.auto_shard_policy`). For two machines of 4 GPUs each:

# %%
tf_config = {
    "cluster": {"worker": ["trainer-0.example.org:12345", "trainer-1.example.org:12345"]},
    "task": {"type": "worker", "index": 0},  # the second machine says "index": 1
}
print("export TF_CONFIG='" + json.dumps(tf_config) + "'")
print("global batch =", batch_size, "per replica x", 2 * 4, "replicas =", batch_size * 8)

# %% [markdown]
# ### Two workers for real
#
# We need no cluster to try it: two Python processes on this machine can be the two workers,
# talking gRPC to each other over `127.0.0.1`. Each runs the function below, the code you would
# copy to every machine. It differs from Exercise 5 in three places only: the strategy is
# `MultiWorkerMirroredStrategy`; every worker reads the whole dataset and the `DATA` shard
# policy keeps each worker's slice of every global batch (half of it, here); and the
# replica's loss uses `tf.nn.compute_average_loss`, TensorFlow's version of your
# `compute_replica_loss`.

# %%
print(inspect.getsource(multiworker.train_worker))

# %% [markdown]
# `multiworker.run_workers` is the launcher: it picks two free ports, starts both workers with
# their own `TF_CONFIG`, reports each stage as it happens (with the seconds since the start),
# stops them all if they take longer than `worker_timeout` seconds, and reads back each
# worker's final weights from an `.npz` file. They start from the same weights as the
# one-device run of section 4 (saved as a `.keras` file), see the same batches in the same
# order, and train for the same number of epochs. Importing TensorFlow in two fresh processes
# takes most of the time.

# %%
with tempfile.TemporaryDirectory(prefix="multiworker-") as folder:
    build_model().save(Path(folder) / "start.keras")  # the starting weights of `single`
    np.savez(Path(folder) / "data.npz", x=x_train.astype("float64"), y=y_train)
    worker_weights = multiworker.run_workers(
        Path(folder) / "start.keras", Path(folder) / "data.npz", folder, epochs=epochs,
        global_batch_size=batch_size, learning_rate=0.05, momentum=0.9, timeout=worker_timeout)

tolerance = 1e-9  # float64: far above rounding, far below any real discrepancy
worker_gap = max(float(np.abs(a - b).max()) for a, b in zip(single.get_weights(), worker_weights[0]))
between = max(float(np.abs(a - b).max()) for a, b in zip(*worker_weights))
print(f"largest weight difference, worker 0 vs worker 1: {between:.2e}")
print(f"largest weight difference, two workers vs one device after {epochs} epochs: {worker_gap:.2e} "
      f"(tolerance {tolerance:g}): {'the same computation' if worker_gap <= tolerance else 'NOT the same'}")

# %% [markdown]
# Three habits carry over from everything above:
#
# * scale the global batch with the number of replicas and raise the learning rate with it
#   (linearly, after a short warm-up, is the usual rule), because each step now averages over
#   more examples;
# * keep every replica's loss divided by the global batch size (Keras's `fit` and
#   `tf.nn.compute_average_loss` do it; a hand-written loop must);
# * verify on a small model, as we did, that the distributed run matches a single-device run
#   before spending hours on a large one.
#
# ## Headline
#
# The figure this notebook reports is how far the two-replica weights ended from the
# one-device weights after the whole run, in float64. Agreement to within 1e-9 says the two
# computations are the same up to rounding.

# %%
headline("largest |weight difference|, two replicas vs one device", weight_gap, 1e-9, higher_is_better=False)

# %% [markdown]
# ## What you have learned
#
# * A dtype policy computes in 16 bits and keeps weights in 32; the softmax and the loss stay in
#   float32.
# * Loss scaling multiplies the loss before differentiating and divides the gradients after,
#   so small float16 gradients survive; `LossScaleOptimizer` picks the scale for you.
# * Accumulated gradients are sums of per-example losses divided by the whole batch's size.
# * Under data parallelism each replica divides by the global batch size, the gradients are
#   summed across replicas, and the result equals the single-device computation.
# * `MultiWorkerMirroredStrategy` runs the same step on several machines: each worker gets its
#   `TF_CONFIG`, runs the same script, and keeps its slice of every global batch.

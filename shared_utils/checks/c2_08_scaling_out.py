"""Checks for course 2, notebook 8: scaling out (mixed precision, accumulation, replicas).

Oracles: a float32 Keras model holding the learner's weights, differentiated by
``tf.GradientTape`` on the whole batch (for loss scaling and gradient accumulation);
``tf.nn.compute_average_loss`` for the per-replica loss; and, for the data-parallel step,
one ``keras.optimizers.SGD`` step per global batch taken on a single device with the same
starting weights.  None of them is a copy of the notebook's solution.
"""

from __future__ import annotations

import numpy as np

from shared_utils.engine.checking import Check, _describe, exercise


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(8000 + seed)


def _data(seed: int, m: int, n_in: int, n_classes: int):
    rng = _rng(seed)
    x = rng.normal(0, 1, size=(m, n_in)).astype("float32")
    y = rng.integers(0, n_classes, size=m).astype("int64")
    return x, y


def _mlp(n_in: int, hidden: tuple[int, ...], n_classes: int, seed: int, policy: str = "float32"):
    """A softmax MLP with seeded weights (the reference model of several checks)."""
    import keras

    rng = _rng(100 + seed)
    layers = [keras.Input((n_in,), name="check_input")]
    layers += [
        keras.layers.Dense(u, activation="relu", dtype=policy, name=f"check_dense_{i}")
        for i, u in enumerate(hidden, 1)
    ]
    layers += [
        keras.layers.Dense(n_classes, dtype=policy, name="check_logits"),
        keras.layers.Activation("softmax", dtype="float32", name="check_softmax"),
    ]
    model = keras.Sequential(layers, name="check_mlp")
    model.set_weights([rng.normal(0, 0.5, size=w.shape).astype("float32") for w in model.get_weights()])
    return model


def _per_example_loss():
    import keras

    return keras.losses.SparseCategoricalCrossentropy(reduction=None)


def _mean_loss():
    import keras

    return keras.losses.SparseCategoricalCrossentropy()


def _tape_gradients(model, loss, x, y) -> list[np.ndarray]:
    """Gradients of ``loss(y, model(x))`` (a scalar) on the whole batch, in float32."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        value = loss(y, model(x, training=True))
    return [g.numpy() for g in tape.gradient(value, model.trainable_variables)], float(value)


def _names(model) -> list[str]:
    """'kernel of Dense layer 0', ... for the model's trainable variables, in order."""
    names = []
    for i, layer in enumerate(l for l in model.layers if l.trainable_weights):
        names += [f"{v.name} of {type(layer).__name__} layer {i}" for v in layer.trainable_weights]
    return names


def _grad_list(ck: Check, got, model, what: str) -> list:
    names = _names(model)
    if not isinstance(got, (list, tuple)):
        ck.fail(
            f"{what} should be a list with one gradient per trainable variable ({len(names)}), "
            f"got {_describe(got)}."
        )
    if len(got) != len(names):
        ck.fail(
            f"{what} has {len(got)} entries; the model has {len(names)} trainable variables "
            f"({', '.join(names)}).",
            "Return tape.gradient(..., model.trainable_variables), one entry per variable, in that order.",
        )
    return list(got)


# ----- mixed precision --------------------------------------------------------------------


@exercise(
    params=("input_dim", "hidden_units", "n_classes", "policy"),
    hints=[
        "Every Dense layer takes the policy; the softmax is a separate Activation layer kept in float32 at "
        "the end."
    ],
)
def mixed_precision_mlp(ck: Check) -> None:
    import keras

    cases = ck.pick(
        [(12, (16, 8), 3, "mixed_float16")],
        [(5, (7,), 4, "mixed_bfloat16"), (20, (10, 10, 6), 2, "mixed_float16")],
    )
    for n_in, hidden, n_classes, policy in cases:
        with ck.case(
            f"input_dim={n_in}, hidden_units={list(hidden)}, n_classes={n_classes}, policy={policy!r}"
        ):
            model = ck.instance(ck.call(n_in, list(hidden), n_classes, policy), keras.Model, "the model")
            compute = keras.mixed_precision.Policy(policy).compute_dtype
            dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
            ck.that(
                [d.units for d in dense] == [*hidden, n_classes],
                f"the Dense layers have units {[d.units for d in dense]}; expected {[*hidden, n_classes]}.",
                "One Dense layer per entry of hidden_units, then one with n_classes units.",
            )
            for i, d in enumerate(dense):
                ck.that(
                    d.dtype_policy.name == policy,
                    f"Dense layer {i} has the dtype policy {d.dtype_policy.name!r}; expected {policy!r}.",
                    f"Pass dtype=policy to each Dense layer (the policy's name, here {policy!r}).",
                )
                for w in d.weights:
                    ck.that(
                        keras.backend.standardize_dtype(w.dtype) == "float32",
                        f"the variable {w.path} is stored as {w.dtype}; under a mixed policy variables "
                        "stay float32.",
                        "dtype='float16' makes everything float16; a mixed policy keeps the weights in "
                        "float32.",
                    )
                if i < len(hidden):
                    ck.that(
                        d.activation is keras.activations.relu,
                        f"hidden Dense layer {i} uses the activation {d.activation.__name__}; expected relu.",
                    )
            ck.that(
                dense[-1].activation is keras.activations.linear,
                f"the last Dense layer applies {dense[-1].activation.__name__}; it should output logits "
                "(no activation), followed by a float32 softmax.",
                "A softmax computed in float16 loses precision: keep it out of the Dense layer.",
            )
            x, _ = _data(0, 9, n_in, n_classes)
            out = model(x)
            dtype = keras.backend.standardize_dtype
            ck.that(
                dtype(out.dtype) == "float32",
                f"the model's output has dtype {dtype(out.dtype)}; expected float32.",
                "End with keras.layers.Activation('softmax', dtype='float32'): the last step runs in "
                "float32.",
            )
            first = dtype(dense[0](x).dtype)
            ck.that(
                first == compute,
                f"the first Dense layer computes in {first}; the policy {policy!r} computes in {compute}.",
            )
            reference = _mlp(n_in, hidden, n_classes, 0)
            reference.set_weights(model.get_weights())
            ck.array(out, reference(x), what="the model's probabilities", rtol=0.05, atol=2e-2)


@exercise(
    params=("model", "loss_fn", "x", "y", "loss_scale"),
    hints=[
        "Scale the loss up inside the tape, take the gradients of the scaled loss, and scale each gradient "
        "back down; return the unscaled loss and gradients."
    ],
)
def scaled_gradients(ck: Check) -> None:
    # (hidden, loss_scale, loss factor, n_in, n_classes, m): every size varies
    cases = ck.pick(
        [((6,), 2**12, 1e-6, 5, 3, 16)], [((9, 5), 2**15, 1e-6, 3, 4, 12), ((4,), 8.0, 1.0, 7, 2, 24)]
    )
    for seed in ck.seeds(1, 2):
        for hidden, scale, factor, n_in, n_classes, m in cases:
            x, y = _data(seed, m, n_in, n_classes)
            model = _mlp(n_in, hidden, n_classes, seed, policy="mixed_float16")
            base = _mean_loss()

            def loss_fn(y_true, y_pred, base=base, factor=factor):
                return factor * base(y_true, y_pred)

            with ck.case(
                f"mixed_float16 model, hidden {list(hidden)}, loss_scale={scale:g}, loss multiplied "
                f"by {factor:g}, seed {seed}"
            ):
                loss, grads = ck.returns(ck.call(model, loss_fn, x, y, scale), "loss, grads")
                grads = _grad_list(ck, grads, model, "grads")
                reference = _mlp(n_in, hidden, n_classes, seed)
                reference.set_weights(model.get_weights())
                expected, expected_loss = _tape_gradients(reference, loss_fn, x, y)
                ck.scalar(
                    loss,
                    expected_loss,
                    what="the loss",
                    rtol=2e-2,
                    atol=1e-9,
                    mistakes={
                        "You returned the scaled loss: return the loss before multiplying by "
                        "loss_scale.": expected_loss * scale,
                    },
                )
                unscaled, _ = _tape_gradients(model, loss_fn, x, y)  # what float16 gives without scaling
                for name, g, e, u in zip(_names(model), grads, expected, unscaled):
                    size = float(np.abs(e).max())
                    ck.array(
                        g,
                        e,
                        what=f"the gradient of the {name}",
                        rtol=0.05,
                        atol=0.02 * size,
                        mistakes={
                            "These gradients are still scaled: divide each by loss_scale.": e * scale,
                            "Divide by loss_scale; you multiplied a second time.": e * scale * scale,
                            "These are the float16 gradients of the unscaled loss: small values underflowed. "
                            "Multiply the loss by loss_scale inside the tape, before tape.gradient.": u,
                        },
                    )


# ----- gradient accumulation --------------------------------------------------------------


@exercise(
    params=("model", "loss_fn", "x", "y", "micro_batch_size"),
    hints=[
        "Slice the batch into micro-batches; each slice's summed loss is divided by the WHOLE batch's m, so "
        "that the accumulated gradients equal the full batch's even with a short last slice."
    ],
)
def accumulate_gradients(ck: Check) -> None:
    # (m, micro_batch_size, n_in, n_classes): every size varies
    cases = ck.pick(
        [(12, 4, 4, 3), (10, 4, 3, 2)], [(7, 7, 5, 4), (5, 8, 2, 3), (23, 5, 6, 5), (16, 1, 4, 2)]
    )
    for seed in ck.seeds(1, 2):
        for m, micro, n_in, n_classes in cases:
            x, y = _data(seed, m, n_in, n_classes)
            model = _mlp(n_in, (6,), n_classes, seed)
            with ck.case(f"a batch of m={m} examples in micro-batches of {micro}, seed {seed}"):
                got = _grad_list(ck, ck.call(model, _per_example_loss(), x, y, micro), model, "the result")
                expected, _ = _tape_gradients(model, _mean_loss(), x, y)
                starts = range(0, m, micro)
                pieces = [
                    _tape_gradients(model, _mean_loss(), x[s : s + micro], y[s : s + micro])[0]
                    for s in starts
                ]
                unweighted = [np.mean([p[i] for p in pieces], axis=0) for i in range(len(expected))]
                summed = [np.sum([p[i] for p in pieces], axis=0) for i in range(len(expected))]
                last = pieces[-1]
                full = [p for s, p in zip(starts, pieces) if s + micro <= m]
                dropped = (
                    [np.sum([p[i] for p in full], axis=0) * micro / m for i in range(len(expected))]
                    if full
                    else None
                )
                for i, (name, g, e) in enumerate(zip(_names(model), got, expected)):
                    mistakes = {
                        "This is the plain average of the micro-batch means: a shorter last micro-batch must "
                        "count less. Divide each micro-batch's summed loss by the whole batch's "
                        "m.": unweighted[i],
                        "These are the micro-batch gradients added up: divide by the number of examples "
                        "m.": summed[i],
                        "Only the last micro-batch counted: add every micro-batch's gradients to a running "
                        "total.": last[i],
                        "These gradients are m times too large: divide the summed loss by m.": e * m,
                    }
                    if dropped is not None:
                        mistakes["The last, shorter micro-batch is missing: loop while start < m."] = dropped[
                            i
                        ]
                    ck.array(
                        g,
                        e,
                        what=f"the accumulated gradient of the {name}",
                        rtol=1e-4,
                        atol=1e-6,
                        mistakes=mistakes,
                    )


# ----- data parallelism --------------------------------------------------------------------


@exercise(
    params=("per_example_loss", "global_batch_size"),
    hints=["Each replica sums its own examples' losses and divides by the GLOBAL batch size, not its own."],
)
def compute_replica_loss(ck: Check) -> None:
    import tensorflow as tf

    cases = ck.pick([(8, 16), (5, 20)], [(1, 4), (32, 64), (7, 7)])
    for seed in ck.seeds():
        for local, global_size in cases:
            per = tf.constant(_rng(seed).exponential(1.0, size=local).astype("float32"))
            with ck.case(
                f"{local} per-example losses on this replica, global batch {global_size}, seed {seed}"
            ):
                with tf.GradientTape() as tape:
                    tape.watch(per)
                    got = ck.call(per, global_size)
                if not tf.is_tensor(got):
                    ck.fail(
                        f"the replica's loss should be a tf.Tensor, got {_describe(got)}: the training "
                        "step takes its gradient, and a Python or NumPy number carries none.",
                        "Keep to TensorFlow ops (tf.reduce_sum, /) and return their result, without "
                        "float() or .numpy().",
                    )
                ck.that(
                    tuple(got.shape) == (),
                    f"the replica's loss should be a tensor of shape (), got shape {tuple(got.shape)}.",
                    "Sum over all of this replica's examples: the loss is one number.",
                )
                gradient = tape.gradient(got, per)
                ck.that(
                    gradient is not None,
                    "tf.GradientTape finds no gradient of the replica's loss with respect to the "
                    "per-example losses.",
                    "Use TensorFlow ops only: no .numpy(), float() or tf.constant(...) on the way.",
                )
                expected = float(tf.nn.compute_average_loss(per, global_batch_size=global_size))
                total = float(tf.reduce_sum(per))
                mistakes = {"This is the sum: divide it by the global batch size.": total}
                if local != global_size:
                    mistakes[
                        "This is the mean over this replica's examples; divide the sum by the GLOBAL "
                        "batch size, or the replicas' gradients add up to too much."
                    ] = total / local
                ck.scalar(got, expected, what="the replica's loss", rtol=1e-5, mistakes=mistakes)


def _replica_setup(seed: int):
    """A MirroredStrategy over the logical CPUs, a model in its scope and a twin outside it."""
    import keras

    from shared_utils.common.compute import mirrored_strategy

    strategy = mirrored_strategy(2)
    with strategy.scope():
        replicated = _mlp(6, (8,), 3, seed)
        optimizer = keras.optimizers.SGD(learning_rate=0.5)
    single = _mlp(6, (8,), 3, seed)
    return strategy, replicated, optimizer, single


@exercise(
    params=("strategy", "model", "optimizer", "loss_fn", "global_batch_size"),
    hints=[
        "A replica step computes the replica loss in a tape and applies the gradients; strategy.run runs it "
        "on every replica and strategy.reduce SUMs their losses."
    ],
)
def make_distributed_train_step(ck: Check) -> None:
    import keras
    import tensorflow as tf

    for seed in ck.seeds(1, 2):
        for global_size in ck.pick([16], [6]):
            strategy, replicated, optimizer, single = _replica_setup(seed)
            replicas = strategy.num_replicas_in_sync
            batches = [_data(seed * 10 + k, global_size, 6, 3) for k in range(2)]
            reference = keras.optimizers.SGD(learning_rate=0.5)
            with ck.case(f"{replicas} replica(s), global batch {global_size}, two steps, seed {seed}"):
                step = ck.call(strategy, replicated, optimizer, _per_example_loss(), global_size)
                ck.that(
                    callable(step),
                    f"should return the train step (a function), got {_describe(step)}.",
                    "Return the function you defined (e.g. `return train_step`), not its result.",
                )
                for k, (x, y) in enumerate(batches):
                    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_size)
                    (batch,) = list(strategy.experimental_distribute_dataset(dataset))
                    before = [w.copy() for w in replicated.get_weights()]
                    loss = ck.call(batch, fn=step)
                    grads, expected_loss = _tape_gradients(single, _mean_loss(), x, y)
                    reference.apply_gradients(
                        zip([tf.constant(g) for g in grads], single.trainable_variables)
                    )
                    ck.scalar(
                        loss,
                        expected_loss,
                        what=f"the loss returned by step {k + 1}",
                        rtol=1e-4,
                        mistakes={
                            "The loss is divided by the number of replicas: reduce with ReduceOp.SUM, since "
                            "each replica's loss is already divided by the global batch size.": expected_loss
                            / replicas,
                            "The loss is the number of replicas times too large: divide each replica's "
                            "summed loss by the GLOBAL batch size "
                            "(compute_replica_loss).": expected_loss * replicas,
                        },
                    )
                    for w_got, w_ok, w0, name in zip(
                        replicated.get_weights(), single.get_weights(), before, _names(single)
                    ):
                        ck.array(
                            w_got,
                            w_ok,
                            what=f"the {name} after step {k + 1}",
                            rtol=1e-4,
                            atol=1e-5,
                            mistakes={
                                "The weights did not change: apply the gradients with "
                                "optimizer.apply_gradients(zip(grads, model.trainable_variables)).": w0,
                                "The step is the number of replicas times too large: each replica must "
                                "divide its summed loss by the GLOBAL batch "
                                "size.": w0 + replicas * (w_ok - w0),
                            },
                        )

"""Checks for course 2, notebook 8: scaling out (mixed precision, accumulation, replicas).

Oracles: a float32 Keras model holding the learner's weights, differentiated by
``tf.GradientTape`` on the whole batch (for the loss and for gradient accumulation); for the
gradients under loss scaling, the same mixed_float16 model taped through the loss times 2**15
and divided after (a float32 twin differs wherever float16 rounding flips a ReLU, which some
seeds do);
``tf.nn.compute_average_loss`` for the per-replica loss; and, for the data-parallel step,
one ``keras.optimizers.SGD`` step per global batch taken on a single device with the same
starting weights.  None of them is a copy of the notebook's solution.

The learner's functions take live objects (Keras models, loss functions, a strategy, a
distributed dataset), which cannot be sent to the kernel when grading: the probes
(``_*_probe``, run by :meth:`Check.in_kernel`) build them there from seeds and sizes, call the
learner's function and return data (a description of the model, the loss and gradients, the
weights before and after each step).  The checks rebuild the same seeded models here for the
expected values.
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


def _scaled_loss(factor: float):
    """The mean cross-entropy multiplied by ``factor`` (tiny, so that float16 gradients underflow)."""
    base = _mean_loss()

    def loss_fn(y_true, y_pred):
        return factor * base(y_true, y_pred)

    return loss_fn


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


# ----- results as data ------------------------------------------------------------------------

_OPAQUE = "__opaque_result__"
_OPAQUE_KINDS: dict[str, type] = {}


def _as_data(value):
    """``value`` as data that can leave the kernel (in a probe): what cannot (a Keras object, a
    PerReplica, a generator) is replaced by its type's name and its repr, which :func:`_restored`
    turns back into a stand-in that :func:`_describe` shows as it would the object itself."""
    from shared_utils.engine import wire

    try:
        wire.Encoder().encode(value)
        return value
    except wire.NotTransferable:
        pass
    if isinstance(value, (list, tuple)):  # a namedtuple becomes a plain tuple
        items = [_as_data(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _as_data(v) for k, v in value.items()}
    try:
        text = repr(value)[:200]
    except Exception:
        text = f"<{type(value).__name__}>"
    return {_OPAQUE: type(value).__name__, "repr": text}


def _restored(value):
    """The inverse of :func:`_as_data`, in the check: stand-ins named like the learner's objects."""
    if isinstance(value, list):
        return [_restored(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_restored(v) for v in value)
    if isinstance(value, dict):
        if _OPAQUE in value:
            name = str(value[_OPAQUE])
            if name not in _OPAQUE_KINDS:
                _OPAQUE_KINDS[name] = type(name, (), {"__repr__": lambda self: self.text})
            stand_in = _OPAQUE_KINDS[name]()
            stand_in.text = str(value.get("repr", ""))
            return stand_in
        return {k: _restored(v) for k, v in value.items()}
    return value


def _step_error(exc: BaseException) -> str:
    """What Check.call says of an exception the learner's code raised (after "your code raised")."""
    from shared_utils.engine.checking import _learner_traceback

    message = str(exc)
    if len(message) > 2000:  # as the grader's agent cuts it
        message = message[:2000] + " [... cut]"
    return f"{type(exc).__name__}: {message}{_learner_traceback(exc)}"


# ----- mixed precision --------------------------------------------------------------------


def _mlp_probe(mixed_precision_mlp, input_dim, hidden_units, n_classes, policy):
    """The learner's model, described (in the kernel when grading): its Dense layers (units, dtype
    policy, variables' dtypes, activation), its weights, and its output on a seeded batch of 9
    examples with that output's dtype and the first Dense layer's.  A result that is not a Keras
    model comes back as it is, under "model"."""
    import keras

    model = mixed_precision_mlp(input_dim, hidden_units, n_classes, policy)
    if not isinstance(model, keras.Model):
        return {"model": _as_data(model)}
    dtype = keras.backend.standardize_dtype
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    run = {
        "model": None,
        "dense": [
            {
                "units": int(d.units),
                "policy": str(d.dtype_policy.name),
                "variables": [[str(w.path), str(w.dtype), dtype(w.dtype)] for w in d.weights],
                "activation": str(getattr(d.activation, "__name__", repr(d.activation))),
                "relu": d.activation is keras.activations.relu,
                "linear": d.activation is keras.activations.linear,
            }
            for d in dense
        ],
        "weights": [np.asarray(w, dtype=np.float32) for w in model.get_weights()],
    }
    x, _ = _data(0, 9, input_dim, n_classes)
    try:
        out = model(x)
        run["out_dtype"] = dtype(out.dtype)
        run["out"] = np.asarray(keras.ops.convert_to_numpy(keras.ops.cast(out, "float32")))
        run["first_dtype"] = dtype(dense[0](x).dtype) if dense else None
    except Exception as exc:
        run["error"] = _step_error(exc)
    return run


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
            run = _restored(ck.in_kernel(_mlp_probe, n_in, list(hidden), n_classes, policy))
            if run["model"] is not None or "dense" not in run:
                ck.instance(run["model"], keras.Model, "the model")
            compute = keras.mixed_precision.Policy(policy).compute_dtype
            dense = run["dense"]
            units = [d["units"] for d in dense]
            ck.that(
                units == [*hidden, n_classes],
                f"the Dense layers have units {units}; expected {[*hidden, n_classes]}.",
                "One Dense layer per entry of hidden_units, then one with n_classes units.",
            )
            for i, d in enumerate(dense):
                ck.that(
                    d["policy"] == policy,
                    f"Dense layer {i} has the dtype policy {d['policy']!r}; expected {policy!r}.",
                    f"Pass dtype=policy to each Dense layer (the policy's name, here {policy!r}).",
                )
                for path, stored, standard in d["variables"]:
                    ck.that(
                        standard == "float32",
                        f"the variable {path} is stored as {stored}; under a mixed policy variables "
                        "stay float32.",
                        "dtype='float16' makes everything float16; a mixed policy keeps the weights in "
                        "float32.",
                    )
                if i < len(hidden):
                    ck.that(
                        d["relu"],
                        f"hidden Dense layer {i} uses the activation {d['activation']}; expected relu.",
                    )
            ck.that(
                dense[-1]["linear"],
                f"the last Dense layer applies {dense[-1]['activation']}; it should output logits "
                "(no activation), followed by a float32 softmax.",
                "A softmax computed in float16 loses precision: keep it out of the Dense layer.",
            )
            if "error" in run:
                ck.fail(f"calling the model on a batch of 9 examples raised {run['error']}")
            ck.that(
                run["out_dtype"] == "float32",
                f"the model's output has dtype {run['out_dtype']}; expected float32.",
                "End with keras.layers.Activation('softmax', dtype='float32'): the last step runs in "
                "float32.",
            )
            first = run["first_dtype"]
            ck.that(
                first == compute,
                f"the first Dense layer computes in {first}; the policy {policy!r} computes in {compute}.",
            )
            x, _ = _data(0, 9, n_in, n_classes)
            reference = _mlp(n_in, hidden, n_classes, 0)
            reference.set_weights(run["weights"])
            ck.array(run["out"], reference(x), what="the model's probabilities", rtol=0.05, atol=2e-2)


def _scaled_probe(scaled_gradients, x, y, loss_scale, hidden, n_classes, factor, seed):
    """The learner's loss scaling on the seeded mixed_float16 model ``_mlp(..., seed)`` and the
    loss ``_scaled_loss(factor)``, both built here (in the kernel when grading): what it returned."""
    model = _mlp(x.shape[1], tuple(hidden), n_classes, seed, policy="mixed_float16")
    return _as_data(scaled_gradients(model, _scaled_loss(factor), x, y, loss_scale))


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
            # the learner's model is this one, rebuilt from the same seed where the probe runs
            model = _mlp(n_in, hidden, n_classes, seed, policy="mixed_float16")
            loss_fn = _scaled_loss(factor)
            with ck.case(
                f"mixed_float16 model, hidden {list(hidden)}, loss_scale={scale:g}, loss multiplied "
                f"by {factor:g}, seed {seed}"
            ):
                got = _restored(ck.in_kernel(_scaled_probe, x, y, scale, hidden, n_classes, factor, seed))
                loss, grads = ck.returns(got, "loss, grads")
                grads = _grad_list(ck, grads, model, "grads")
                reference = _mlp(n_in, hidden, n_classes, seed)
                reference.set_weights(model.get_weights())
                _, expected_loss = _tape_gradients(reference, loss_fn, x, y)
                # the gradients of the same float16 forward pass, through a loss scaled by 2**15 and
                # unscaled after: a float32 twin would differ where float16 rounding flips a ReLU
                expected, _ = _tape_gradients(model, lambda t, p: 2.0**15 * loss_fn(t, p), x, y)
                expected = [e / 2.0**15 for e in expected]
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


def _accumulate_probe(accumulate_gradients, x, y, micro_batch_size, n_classes, seed):
    """The learner's accumulation on the seeded model ``_mlp(..., (6,), ..., seed)`` with a
    per-example cross-entropy, both built here (in the kernel when grading): what it returned."""
    model = _mlp(x.shape[1], (6,), n_classes, seed)
    return _as_data(accumulate_gradients(model, _per_example_loss(), x, y, micro_batch_size))


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
            model = _mlp(n_in, (6,), n_classes, seed)  # the learner's, rebuilt from the same seed
            with ck.case(f"a batch of m={m} examples in micro-batches of {micro}, seed {seed}"):
                got = _restored(ck.in_kernel(_accumulate_probe, x, y, micro, n_classes, seed))
                got = _grad_list(ck, got, model, "the result")
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


def _replica_loss_probe(compute_replica_loss, per_example_loss, global_batch_size):
    """The learner's replica loss of ``per_example_loss`` (a watched tensor) on a tape (in the kernel
    when grading): what it returned, and whether the tape finds a gradient through it."""
    import tensorflow as tf

    per = tf.constant(per_example_loss)
    with tf.GradientTape() as tape:
        tape.watch(per)
        got = compute_replica_loss(per, global_batch_size)
    gradient = None
    if tf.is_tensor(got):
        try:
            gradient = tape.gradient(got, per)
        except Exception:  # no gradient to be had: reported as such
            gradient = None
    return {"got": _as_data(got), "has_gradient": gradient is not None}


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
                run = _restored(ck.in_kernel(_replica_loss_probe, per, global_size))
                got = run["got"]
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
                ck.that(
                    run["has_gradient"],
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
    """A MirroredStrategy over the logical CPUs, with the seeded model and an SGD in its scope."""
    import keras

    from shared_utils.common.compute import mirrored_strategy

    strategy = mirrored_strategy(2)
    with strategy.scope():
        replicated = _mlp(6, (8,), 3, seed)
        optimizer = keras.optimizers.SGD(learning_rate=0.5)
    return strategy, replicated, optimizer


def _batches(seed: int, global_size: int) -> list:
    """The two global batches (x, y) the data-parallel step is run on."""
    return [_data(seed * 10 + k, global_size, 6, 3) for k in range(2)]


def _replica_count(make_distributed_train_step) -> int:
    """How many replicas the strategy of the probe below has (where the learner's code runs)."""
    from shared_utils.common.compute import mirrored_strategy

    return int(mirrored_strategy(2).num_replicas_in_sync)


def _distributed_probe(make_distributed_train_step, seed, global_batch_size):
    """The learner's train step, made for the strategy, the seeded model ``_mlp(6, (8,), 3, seed)``
    and the SGD of ``_replica_setup``, then run on the two ``_batches`` (in the kernel when
    grading).  For each step: the loss it returned and the weights before and after, or the error
    it raised (the later steps are then not run).  A step that is not a function comes back as it
    is, under "step"."""
    import tensorflow as tf

    strategy, model, optimizer = _replica_setup(seed)
    step = make_distributed_train_step(strategy, model, optimizer, _per_example_loss(), global_batch_size)
    if not callable(step):
        return {"step": _as_data(step), "steps": None}
    steps = []
    for x, y in _batches(seed, global_batch_size):
        dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch_size)
        (batch,) = list(strategy.experimental_distribute_dataset(dataset))
        before = model.get_weights()
        try:
            loss = step(batch)
        except NotImplementedError:  # a helper still to be written: Check.call says which
            raise
        except Exception as exc:
            steps.append({"error": _step_error(exc)})
            break
        steps.append({"loss": _as_data(loss), "before": before, "after": model.get_weights()})
    return {"step": None, "steps": steps}


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

    replicas = ck.in_kernel(_replica_count)
    for seed in ck.seeds(1, 2):
        for global_size in ck.pick([16], [6]):
            single = _mlp(6, (8,), 3, seed)  # the replicated model's twin, on one device
            reference = keras.optimizers.SGD(learning_rate=0.5)
            with ck.case(f"{replicas} replica(s), global batch {global_size}, two steps, seed {seed}"):
                run = _restored(ck.in_kernel(_distributed_probe, seed, global_size))
                if run["steps"] is None:
                    ck.fail(
                        f"should return the train step (a function), got {_describe(run['step'])}.",
                        "Return the function you defined (e.g. `return train_step`), not its result.",
                    )
                for k, ((x, y), result) in enumerate(zip(_batches(seed, global_size), run["steps"])):
                    if "error" in result:
                        ck.fail(f"your code raised {result['error']}")
                    loss, before = result["loss"], result["before"]
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
                        result["after"], single.get_weights(), before, _names(single)
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

"""Plausible mistakes for course2_tuning/04_optimization.

Names such as ``initialize_velocity`` or ``cosine_annealing`` resolve to the solution's
functions (see tests.checks.wrong.rebind).
"""

import math

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# ----- random_mini_batches ---------------------------------------------------------------------


@wrong("random_mini_batches", expect="Shuffle X and Y with the same permutation")
def random_mini_batches_two_permutations(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    X, Y = X[:, rng.permutation(m)], Y[:, rng.permutation(m)]
    return [
        (X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, m, mini_batch_size)
    ]


@wrong("random_mini_batches", expect="The last, smaller batch is missing")
def random_mini_batches_last_dropped(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    return [
        (
            X[:, k * mini_batch_size : (k + 1) * mini_batch_size],
            Y[:, k * mini_batch_size : (k + 1) * mini_batch_size],
        )
        for k in range(m // mini_batch_size)
    ]


@wrong("random_mini_batches", expect="One batch too many: when m is a multiple of the")
def random_mini_batches_empty_tail(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    full = m // mini_batch_size
    cuts = [slice(k * mini_batch_size, (k + 1) * mini_batch_size) for k in range(full)]
    batches = [(X[:, c], Y[:, c]) for c in cuts]
    batches.append(
        (X[:, full * mini_batch_size :], Y[:, full * mini_batch_size :])
    )  # empty when m % size == 0
    return batches


@wrong("random_mini_batches", expect="Batch k holds columns k * mini_batch_size up to")
def random_mini_batches_off_by_one(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    return [
        (X[:, k : k + mini_batch_size - 1], Y[:, k : k + mini_batch_size - 1])
        for k in range(0, m, mini_batch_size)
    ]


@wrong("random_mini_batches", expect="Batch k holds columns k * mini_batch_size up to")
def random_mini_batches_overlap(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    step = max(mini_batch_size - 1, 1)
    batches = [(X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, m, step)]
    return batches[: -(-m // mini_batch_size)]


@wrong("random_mini_batches", expect="Shuffle the columns before cutting the batches")
def random_mini_batches_not_shuffled(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    return [
        (X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, m, mini_batch_size)
    ]


@wrong("random_mini_batches", expect="Use the `seed` argument to draw the permutation")
def random_mini_batches_fixed_seed(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(0).permutation(m)
    X, Y = X[:, p], Y[:, p]
    return [
        (X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, m, mini_batch_size)
    ]


@wrong("random_mini_batches", expect="Draw the permutation from the `seed` argument (np")
def random_mini_batches_unseeded(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.permutation(m)
    X, Y = X[:, p], Y[:, p]
    return [
        (X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, m, mini_batch_size)
    ]


@wrong("random_mini_batches", expect="Permute whole columns, X[:, permutation]")
def random_mini_batches_rows_shuffled(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    rng = np.random.default_rng(seed)
    X = rng.permuted(X, axis=1)  # every row shuffled on its own
    Y = Y[:, rng.permutation(m)]
    return [
        (X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, m, mini_batch_size)
    ]


# ----- update_parameters_with_gd ---------------------------------------------------------------


@wrong("update_parameters_with_gd", expect="This array did not change")
def update_parameters_with_gd_only_W(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = dict(parameters)
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
    return new


@wrong("update_parameters_with_gd", expect="Step against the gradient")
def update_parameters_with_gd_plus(parameters, grads, learning_rate):
    L = len(parameters) // 2
    return {
        f"{p}{l}": parameters[f"{p}{l}"] + learning_rate * grads[f"d{p}{l}"]
        for l in range(1, L + 1)
        for p in "Wb"
    }


@wrong("update_parameters_with_gd", expect="do not assign into the dicts you were given")
def update_parameters_with_gd_in_place(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        parameters[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return parameters


@wrong("update_parameters_with_gd", expect="This array did not change")
def update_parameters_with_gd_last_layer_missed(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = dict(parameters)
    for l in range(1, L):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new


@wrong("update_parameters_with_gd", expect='parameters["W1"] is wrong')
def update_parameters_with_gd_fixed_rate(parameters, grads, learning_rate):
    L = len(parameters) // 2
    return {
        f"{p}{l}": parameters[f"{p}{l}"] - 0.01 * grads[f"d{p}{l}"] for l in range(1, L + 1) for p in "Wb"
    }


# ----- initialize_velocity ----------------------------------------------------------------------


@wrong("initialize_velocity", expect="v is missing the key(s) 'dW1', 'db1', 'dW2', 'db2'")
def initialize_velocity_param_keys(parameters):
    return {k: np.zeros_like(v) for k, v in parameters.items()}


@wrong("initialize_velocity", expect="v starts at zero: np.zeros_like(parameters[...])")
def initialize_velocity_copies(parameters):
    return {f"d{k}": v.copy() for k, v in parameters.items()}


@wrong("initialize_velocity", expect="v is missing the key(s) 'db1', 'db2'; it has 'dW1'")
def initialize_velocity_only_W(parameters):
    L = len(parameters) // 2
    return {f"dW{l}": np.zeros_like(parameters[f"W{l}"]) for l in range(1, L + 1)}


@wrong("initialize_velocity", expect="Same number of values, different shape")
def initialize_velocity_b_shape(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v[f"dW{l}"] = np.zeros_like(parameters[f"W{l}"])
        v[f"db{l}"] = np.zeros((parameters[f"b{l}"].shape[0],))
    return v


# ----- update_parameters_with_momentum ----------------------------------------------------------


def _momentum(parameters, grads, v, beta, learning_rate, new_v_rule, use="new"):
    L = len(parameters) // 2
    new_p, new_v = {}, {}
    for l in range(1, L + 1):
        for p in "Wb":
            k = f"d{p}{l}"
            new_v[k] = new_v_rule(v[k], grads[k], beta)
            direction = {"new": new_v[k], "old": v[k], "grad": grads[k]}[use]
            new_p[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * direction
    return new_p, new_v


@wrong("update_parameters_with_momentum", expect="v = beta * v + (1 - beta) * dW")
def update_parameters_with_momentum_no_damping(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, grads, v, beta, learning_rate, lambda v, g, b: b * v + g)


@wrong("update_parameters_with_momentum", expect='v["dW1"] is wrong')
def update_parameters_with_momentum_swapped(parameters, grads, v, beta, learning_rate):
    return _momentum(parameters, grads, v, beta, learning_rate, lambda v, g, b: (1 - b) * v + b * g)


@wrong("update_parameters_with_momentum", expect="Step with the new v (after this step's update)")
def update_parameters_with_momentum_old_v(parameters, grads, v, beta, learning_rate):
    return _momentum(
        parameters, grads, v, beta, learning_rate, lambda v, g, b: b * v + (1 - b) * g, use="old"
    )


@wrong("update_parameters_with_momentum", expect="The step used the gradient")
def update_parameters_with_momentum_gradient_step(parameters, grads, v, beta, learning_rate):
    return _momentum(
        parameters, grads, v, beta, learning_rate, lambda v, g, b: b * v + (1 - b) * g, use="grad"
    )


@wrong("update_parameters_with_momentum", expect="v did not change: store beta * v + (1 - beta) *")
def update_parameters_with_momentum_only_W(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    new_p, new_v = dict(parameters), dict(v)
    for l in range(1, L + 1):
        new_v[f"dW{l}"] = beta * v[f"dW{l}"] + (1 - beta) * grads[f"dW{l}"]
        new_p[f"W{l}"] = parameters[f"W{l}"] - learning_rate * new_v[f"dW{l}"]
    return new_p, new_v


@wrong("update_parameters_with_momentum", expect="changed its argument `v` in place (v['dW1'] changed)")
def update_parameters_with_momentum_v_in_place(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    new_p = {}
    for l in range(1, L + 1):
        for p in "Wb":
            k = f"d{p}{l}"
            v[k] = beta * v[k] + (1 - beta) * grads[k]
            new_p[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * v[k]
    return new_p, v


# ----- update_parameters_with_rmsprop ------------------------------------------------------------


def _rmsprop(parameters, grads, s, beta2, learning_rate, epsilon, s_rule, denom, use_new=True):
    L = len(parameters) // 2
    new_p, new_s = {}, {}
    for l in range(1, L + 1):
        for p in "Wb":
            k = f"d{p}{l}"
            g = grads[k]
            new_s[k] = s_rule(s[k], g, beta2)
            new_p[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * g / denom(
                new_s[k] if use_new else s[k], epsilon
            )
    return new_p, new_s


@wrong("update_parameters_with_rmsprop", expect="s = beta2 * s + (1 - beta2) * gradient**2")
def update_parameters_with_rmsprop_no_damping(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    return _rmsprop(
        parameters,
        grads,
        s,
        beta2,
        learning_rate,
        epsilon,
        lambda s, g, b: b * s + g**2,
        lambda s, e: np.sqrt(s) + e,
    )


@wrong("update_parameters_with_rmsprop", expect="epsilon goes outside the square root: np")
def update_parameters_with_rmsprop_eps_inside(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    return _rmsprop(
        parameters,
        grads,
        s,
        beta2,
        learning_rate,
        epsilon,
        lambda s, g, b: b * s + (1 - b) * g**2,
        lambda s, e: np.sqrt(s + e),
    )


@wrong("update_parameters_with_rmsprop", expect='s["dW1"] is wrong')
def update_parameters_with_rmsprop_not_squared(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    return _rmsprop(
        parameters,
        grads,
        s,
        beta2,
        learning_rate,
        epsilon,
        lambda s, g, b: b * s + (1 - b) * np.abs(g),
        lambda s, e: np.sqrt(s) + e,
    )


@wrong("update_parameters_with_rmsprop", expect="Use the new s (after this step's update) in the")
def update_parameters_with_rmsprop_old_s(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    return _rmsprop(
        parameters,
        grads,
        s,
        beta2,
        learning_rate,
        epsilon,
        lambda s, g, b: b * s + (1 - b) * g**2,
        lambda s, e: np.sqrt(s) + e,
        use_new=False,
    )


@wrong("update_parameters_with_rmsprop", expect="Divide by np.sqrt(s) + epsilon")
def update_parameters_with_rmsprop_no_root(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    return _rmsprop(
        parameters,
        grads,
        s,
        beta2,
        learning_rate,
        epsilon,
        lambda s, g, b: b * s + (1 - b) * g**2,
        lambda s, e: s + e,
    )


# ----- initialize_adam ------------------------------------------------------------------------


@wrong("initialize_adam", expect="Make separate arrays of zeros for v and for s")
def initialize_adam_shared(parameters):
    v = initialize_velocity(parameters)
    return v, v


@wrong("initialize_adam", expect="v is missing the key(s) 'dW1', 'db1', 'dW2', 'db2'")
def initialize_adam_param_keys(parameters):
    return (
        {k: np.zeros_like(x) for k, x in parameters.items()},
        {k: np.zeros_like(x) for k, x in parameters.items()},
    )


@wrong("initialize_adam", expect='s["dW1"] is wrong')
def initialize_adam_s_ones(parameters):
    return initialize_velocity(parameters), {f"d{k}": np.ones_like(x) for k, x in parameters.items()}


# ----- update_parameters_with_adam ------------------------------------------------------------


def _adam(
    parameters,
    grads,
    v,
    s,
    t,
    learning_rate,
    beta1,
    beta2,
    epsilon,
    *,
    v_rule=None,
    s_rule=None,
    v_corr=None,
    s_corr=None,
    root=None,
    only_W=False,
):
    v_rule = v_rule or (lambda v, g: beta1 * v + (1 - beta1) * g)
    s_rule = s_rule or (lambda s, g: beta2 * s + (1 - beta2) * g**2)
    v_corr = v_corr or (lambda v: v / (1 - beta1**t))
    s_corr = s_corr or (lambda s: s / (1 - beta2**t))
    root = root or (lambda x: np.sqrt(x) + epsilon)
    L = len(parameters) // 2
    P, V, S, VC, SC = dict(parameters), dict(v), dict(s), {}, {}
    for l in range(1, L + 1):
        for p in ("W",) if only_W else "Wb":
            k = f"d{p}{l}"
            V[k] = v_rule(v[k], grads[k])
            S[k] = s_rule(s[k], grads[k])
            VC[k], SC[k] = v_corr(V[k]), s_corr(S[k])
            P[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * VC[k] / root(SC[k])
    for k in v:
        VC.setdefault(k, V[k])
        SC.setdefault(k, S[k])
    return P, V, S, VC, SC


@wrong("update_parameters_with_adam", expect="v_corrected = v / (1 - beta1**t)")
def update_parameters_with_adam_no_correction(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    return _adam(
        parameters,
        grads,
        v,
        s,
        t,
        learning_rate,
        beta1,
        beta2,
        epsilon,
        v_corr=lambda v: v,
        s_corr=lambda s: s,
    )


@wrong("update_parameters_with_adam", expect="Correct with t itself: v / (1 - beta1**t)")
def update_parameters_with_adam_t_from_zero(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    t = t - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return _adam(
            parameters,
            grads,
            v,
            s,
            t,
            learning_rate,
            beta1,
            beta2,
            epsilon,
            v_corr=lambda v: v / (1 - beta1**t),
            s_corr=lambda s: s / (1 - beta2**t),
        )


@wrong("update_parameters_with_adam", expect="epsilon goes outside the square root: np")
def update_parameters_with_adam_eps_inside(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    return _adam(
        parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, root=lambda x: np.sqrt(x + epsilon)
    )


@wrong("update_parameters_with_adam", expect="s uses beta2, not beta1")
def update_parameters_with_adam_beta1_for_s(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    return _adam(
        parameters,
        grads,
        v,
        s,
        t,
        learning_rate,
        beta1,
        beta2,
        epsilon,
        s_rule=lambda s, g: beta1 * s + (1 - beta1) * g**2,
        s_corr=lambda s: s / (1 - beta1**t),
    )


@wrong("update_parameters_with_adam", expect="v_corrected divides by (1 - beta1**t)")
def update_parameters_with_adam_power_outside(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    return _adam(
        parameters,
        grads,
        v,
        s,
        t,
        learning_rate,
        beta1,
        beta2,
        epsilon,
        v_corr=lambda v: v / (1 - beta1) ** t,
        s_corr=lambda s: s / (1 - beta2) ** t,
    )


@wrong("update_parameters_with_adam", expect='v["db1"] is wrong')
def update_parameters_with_adam_only_W(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, only_W=True)


@wrong("update_parameters_with_adam", expect="Square the gradient: s averages dW**2")
def update_parameters_with_adam_grad_not_squared(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    with np.errstate(invalid="ignore"):
        return _adam(
            parameters,
            grads,
            v,
            s,
            t,
            learning_rate,
            beta1,
            beta2,
            epsilon,
            s_rule=lambda s, g: beta2 * s + (1 - beta2) * g,
        )


@wrong("update_parameters_with_adam", expect="Keep the signature given in the notebook")
def update_parameters_with_adam_wrong_defaults(
    parameters, grads, v, s, t, learning_rate=0.001, beta1=0.9, beta2=0.99, epsilon=1e-7
):
    return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)


@wrong("update_parameters_with_adam", expect="v_corrected = v / (1 - beta1**t)")
def update_parameters_with_adam_returns_uncorrected(
    parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
):
    P, V, S, VC, SC = _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)
    return P, V, S, V, S


# ----- update_parameters_with_adagrad ----------------------------------------------------------


def _adagrad(parameters, grads, s, learning_rate, epsilon, s_rule, root, use_new=True):
    L = len(parameters) // 2
    P, S = {}, {}
    for l in range(1, L + 1):
        for p in "Wb":
            k = f"d{p}{l}"
            S[k] = s_rule(s[k], grads[k])
            P[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[k] / root(
                S[k] if use_new else s[k], epsilon
            )
    return P, S


@wrong("update_parameters_with_adagrad", expect="s adds up the squared gradients")
def update_parameters_with_adagrad_not_squared(parameters, grads, s, learning_rate, epsilon=1e-8):
    with np.errstate(invalid="ignore"):
        return _adagrad(
            parameters, grads, s, learning_rate, epsilon, lambda s, g: s + g, lambda s, e: np.sqrt(s) + e
        )


@wrong("update_parameters_with_adagrad", expect="s keeps the sum of all squared gradients so far")
def update_parameters_with_adagrad_no_sum(parameters, grads, s, learning_rate, epsilon=1e-8):
    return _adagrad(
        parameters, grads, s, learning_rate, epsilon, lambda s, g: g**2, lambda s, e: np.sqrt(s) + e
    )


@wrong("update_parameters_with_adagrad", expect="epsilon goes outside the square root: np")
def update_parameters_with_adagrad_eps_inside(parameters, grads, s, learning_rate, epsilon=1e-8):
    return _adagrad(
        parameters, grads, s, learning_rate, epsilon, lambda s, g: s + g**2, lambda s, e: np.sqrt(s + e)
    )


@wrong("update_parameters_with_adagrad", expect="Use the new s (after adding this step's")
def update_parameters_with_adagrad_old_s(parameters, grads, s, learning_rate, epsilon=1e-8):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _adagrad(
            parameters,
            grads,
            s,
            learning_rate,
            epsilon,
            lambda s, g: s + g**2,
            lambda s, e: np.sqrt(s) + e,
            use_new=False,
        )


@wrong("update_parameters_with_adagrad", expect='s["dW1"] is wrong')
def update_parameters_with_adagrad_decaying(parameters, grads, s, learning_rate, epsilon=1e-8):
    return _adagrad(
        parameters,
        grads,
        s,
        learning_rate,
        epsilon,
        lambda s, g: 0.9 * s + 0.1 * g**2,
        lambda s, e: np.sqrt(s) + e,
    )


# ----- schedules ----------------------------------------------------------------------------


@wrong("update_lr", expect="Mind the brackets: learning_rate0 / (1 +")
def update_lr_brackets(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / 1 + decay_rate * epoch_num


@wrong("update_lr", expect="The rate decays as 1 / (1 + decay_rate *")
def update_lr_geometric(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * decay_rate**epoch_num


@wrong("update_lr", expect="the learning rate is wrong")
def update_lr_next_epoch(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * (epoch_num + 1))


@wrong("schedule_lr_decay", expect="Round epoch_num / time_interval down (np")
def schedule_lr_decay_no_floor(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)


@wrong("schedule_lr_decay", expect="Divide epoch_num by time_interval")
def schedule_lr_decay_every_epoch(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num)


@wrong("schedule_lr_decay", expect="Use the time_interval argument, not 1000")
def schedule_lr_decay_fixed_interval(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // 1000))


@wrong("schedule_lr_decay", expect="Divide epoch_num by time_interval")
def schedule_lr_decay_ceil(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * math.ceil(epoch_num / time_interval))


@wrong("step_decay", expect="Round epoch_num / epochs_drop down (//)")
def step_decay_no_floor(learning_rate0, epoch_num, drop=0.5, epochs_drop=10):
    return learning_rate0 * drop ** (epoch_num / epochs_drop)


@wrong("step_decay", expect="The rate drops once every epochs_drop epochs")
def step_decay_every_epoch(learning_rate0, epoch_num, drop=0.5, epochs_drop=10):
    return learning_rate0 * drop**epoch_num


@wrong("step_decay", expect="the learning rate is wrong")
def step_decay_times(learning_rate0, epoch_num, drop=0.5, epochs_drop=10):
    return learning_rate0 * drop * (epoch_num // epochs_drop)


@wrong("step_decay", expect="the learning rate is wrong")
def step_decay_first_drop_at_zero(learning_rate0, epoch_num, drop=0.5, epochs_drop=10):
    return learning_rate0 * drop ** (epoch_num // epochs_drop + 1)


@wrong("cosine_annealing", expect="After total_epochs the rate stays at lr_min")
def cosine_annealing_no_clip(learning_rate0, epoch_num, total_epochs, lr_min=0.0):
    return lr_min + (learning_rate0 - lr_min) * (1 + math.cos(math.pi * epoch_num / total_epochs)) / 2


@wrong("cosine_annealing", expect="The cosine term is (1 + cos(pi * e /")
def cosine_annealing_no_half(learning_rate0, epoch_num, total_epochs, lr_min=0.0):
    e = min(epoch_num, total_epochs)
    return lr_min + (learning_rate0 - lr_min) * math.cos(math.pi * e / total_epochs)


@wrong("cosine_annealing", expect="The rate ends at lr_min, not at 0")
def cosine_annealing_ignores_min(learning_rate0, epoch_num, total_epochs, lr_min=0.0):
    e = min(epoch_num, total_epochs)
    return learning_rate0 * (1 + math.cos(math.pi * e / total_epochs)) / 2


@wrong("cosine_annealing", expect="the learning rate is wrong")
def cosine_annealing_full_period(learning_rate0, epoch_num, total_epochs, lr_min=0.0):
    e = min(epoch_num, total_epochs)
    return lr_min + (learning_rate0 - lr_min) * (1 + math.cos(2 * math.pi * e / total_epochs)) / 2


@wrong("warmup_then_cosine", expect="After the warm-up, count the cosine's epochs from")
def warmup_then_cosine_not_shifted(learning_rate0, epoch_num, warmup_epochs, decay_epochs, lr_min=0.0):
    if epoch_num < warmup_epochs:
        return learning_rate0 * epoch_num / warmup_epochs
    return cosine_annealing(learning_rate0, epoch_num, decay_epochs, lr_min)


@wrong("warmup_then_cosine", expect="The warm-up starts at 0")
def warmup_then_cosine_plus_one(learning_rate0, epoch_num, warmup_epochs, decay_epochs, lr_min=0.0):
    if epoch_num < warmup_epochs:
        return learning_rate0 * (epoch_num + 1) / warmup_epochs
    return cosine_annealing(learning_rate0, epoch_num - warmup_epochs, decay_epochs, lr_min)


@wrong("warmup_then_cosine", expect="The warm-up is missing")
def warmup_then_cosine_no_warmup(learning_rate0, epoch_num, warmup_epochs, decay_epochs, lr_min=0.0):
    return cosine_annealing(learning_rate0, max(epoch_num - warmup_epochs, 0), decay_epochs, lr_min)


@wrong("warmup_then_cosine", expect="the learning rate is wrong")
def warmup_then_cosine_total_decay(learning_rate0, epoch_num, warmup_epochs, decay_epochs, lr_min=0.0):
    if epoch_num < warmup_epochs:
        return learning_rate0 * epoch_num / warmup_epochs
    return cosine_annealing(learning_rate0, epoch_num - warmup_epochs, decay_epochs - warmup_epochs, lr_min)

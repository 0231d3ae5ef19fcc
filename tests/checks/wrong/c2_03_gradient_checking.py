"""Plausible mistakes for course2_tuning/03_gradient_checking.

Names such as ``forward_propagation``, ``backward_propagation`` and ``forward_propagation_n``
resolve to the notebook's (see tests.checks.wrong.rebind) in the top-level functions only, which is
where the checks plant their own costs; the shared helpers below get the cost passed in.
"""

import numpy as np

from shared_utils.course2.gradcheck import (
    dictionary_to_vector,
    gradients_to_vector,
    parameter_shapes,
    vector_to_dictionary,
)

# ----- forward_propagation ----------------------------------------------------------------------


def forward_propagation_sum(x, theta):
    return theta + x


def forward_propagation_no_theta(x, theta):
    return x


def forward_propagation_power(x, theta):
    return theta**x


# ----- backward_propagation ---------------------------------------------------------------------


def backward_propagation_theta(x, theta):
    return theta


def backward_propagation_cost(x, theta):
    return theta * x


def backward_propagation_one(x, theta):
    return 1.0


# ----- gradient_check (1-D) ----------------------------------------------------------------------


def _report(grad, gradapprox):
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


def gradient_check_one_sided(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta)) / epsilon
    return _report(backward_propagation(x, theta), gradapprox)


def gradient_check_eps_not_doubled(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / epsilon
    return _report(backward_propagation(x, theta), gradapprox)


def gradient_check_no_division(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)
    return _report(backward_propagation(x, theta), gradapprox)


def gradient_check_numerator_no_norm(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (
        2 * epsilon
    )
    grad = backward_propagation(x, theta)
    return (grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


def gradient_check_denominator_grad_only(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (
        2 * epsilon
    )
    grad = backward_propagation(x, theta)
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad)


def gradient_check_same_point(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta) - forward_propagation(x, theta)) / (2 * epsilon)
    return _report(backward_propagation(x, theta), gradapprox)


def gradient_check_sign(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta - epsilon) - forward_propagation(x, theta + epsilon)) / (
        2 * epsilon
    )
    return _report(backward_propagation(x, theta), gradapprox)


def gradient_check_returns_gradapprox(x, theta, epsilon=1e-7, print_msg=False):
    return (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)


def gradient_check_fixed_epsilon(x, theta, epsilon=1e-7, print_msg=False):
    eps = 1e-7
    gradapprox = (forward_propagation(x, theta + eps) - forward_propagation(x, theta - eps)) / (2 * eps)
    return _report(backward_propagation(x, theta), gradapprox)


def gradient_check_norm_of_sum(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (
        2 * epsilon
    )
    grad = backward_propagation(x, theta)
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad + gradapprox)


def gradient_check_wrong_default(x, theta, epsilon=1e-4, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (
        2 * epsilon
    )
    return _report(backward_propagation(x, theta), gradapprox)


# ----- gradient_check_n ---------------------------------------------------------------------------


def _estimate(cost, parameters, X, Y, epsilon, mode="two-sided"):
    """gradapprox for every entry, with a few plausible variations of the loop."""
    theta, _ = dictionary_to_vector(parameters)
    shapes = parameter_shapes(parameters)
    n = theta.shape[0]
    gradapprox = np.zeros((n, 1))
    shared = np.copy(theta)
    for i in range(n):
        if mode == "no-copy":  # theta_plus is theta itself: the nudge stays, theta_minus starts from it
            theta_plus = theta
            theta_plus[i] += epsilon
            J_plus, _ = cost(X, Y, vector_to_dictionary(theta_plus, shapes))
            theta_minus = theta
            theta_minus[i] -= epsilon
            J_minus, _ = cost(X, Y, vector_to_dictionary(theta_minus, shapes))
            gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            continue
        if mode == "copy-once":  # one copy made before the loop: earlier nudges pile up
            theta_plus = shared
            theta_plus[i] += epsilon
            J_plus, _ = cost(X, Y, vector_to_dictionary(theta_plus, shapes))
            theta_minus = np.copy(shared)
            theta_minus[: i + 1] -= 2 * epsilon
            J_minus, _ = cost(X, Y, vector_to_dictionary(theta_minus, shapes))
            gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            continue
        theta_plus = np.copy(theta)
        theta_plus[i] += epsilon
        theta_minus = np.copy(theta)
        theta_minus[i] -= epsilon
        J_plus, _ = cost(X, Y, vector_to_dictionary(theta_plus, shapes))
        J_minus, _ = cost(X, Y, vector_to_dictionary(theta_minus, shapes))
        if mode == "one-sided":
            J_0, _ = cost(X, Y, parameters)
            gradapprox[i] = (J_plus - J_0) / epsilon
        elif mode == "eps":
            gradapprox[i] = (J_plus - J_minus) / epsilon
        elif mode == "same":
            J_0, _ = cost(X, Y, parameters)
            gradapprox[i] = (J_0 - J_0) / (2 * epsilon)
        elif mode == "sign":
            gradapprox[i] = (J_minus - J_plus) / (2 * epsilon)
        else:
            gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    return gradapprox


def gradient_check_n_one_sided(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "one-sided"))


def gradient_check_n_eps_not_doubled(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "eps"))


def gradient_check_n_no_copy(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "no-copy"))


def gradient_check_n_copy_once(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "copy-once"))


def gradient_check_n_same_point(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "same"))


def gradient_check_n_sign(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "sign"))


def gradient_check_n_returns_gradapprox(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _estimate(forward_propagation_n, parameters, X, Y, epsilon)


def gradient_check_n_numerator_no_norm(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = _estimate(forward_propagation_n, parameters, X, Y, epsilon)
    return (grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


def gradient_check_n_denominator_grad_only(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = _estimate(forward_propagation_n, parameters, X, Y, epsilon)
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad)


def gradient_check_n_gradients_in_dict_order(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = np.concatenate([v.reshape(-1, 1) for k, v in gradients.items() if k[1] in "Wb"])
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon))


def gradient_check_n_all_gradient_values(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = np.concatenate([v.reshape(-1, 1) for v in gradients.values()])[
        : len(dictionary_to_vector(parameters)[1])
    ]
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon))


def gradient_check_n_fixed_epsilon(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, 1e-7))


def gradient_check_n_mutates(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Nudges the caller's arrays in place and forgets to put them back."""
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = []
    for name, value in parameters.items():
        flat = value.reshape(-1)
        for i in range(flat.size):
            flat[i] += epsilon
            J_plus, _ = forward_propagation_n(X, Y, parameters)
            flat[i] -= 2 * epsilon
            J_minus, _ = forward_propagation_n(X, Y, parameters)
            gradapprox.append((J_plus - J_minus) / (2 * epsilon))
    return _report(grad, np.array(gradapprox).reshape(-1, 1))


# ----- gradient_check_per_parameter -------------------------------------------------------------


def _per_name(cost, parameters, gradients, X, Y, epsilon, global_denominator=False, prefix=""):
    theta, keys = dictionary_to_vector(parameters)
    keys = np.array(keys)
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = _estimate(cost, parameters, X, Y, epsilon)
    out = {}
    for name in parameters:
        g, a = grad[keys == name], gradapprox[keys == name]
        if global_denominator:
            out[prefix + name] = np.linalg.norm(g - a) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
        else:
            out[prefix + name] = _report(g, a)
    return out


def gradient_check_per_parameter_global_denominator(parameters, gradients, X, Y, epsilon=1e-7):
    return _per_name(forward_propagation_n, parameters, gradients, X, Y, epsilon, global_denominator=True)


def gradient_check_per_parameter_gradient_names(parameters, gradients, X, Y, epsilon=1e-7):
    return _per_name(forward_propagation_n, parameters, gradients, X, Y, epsilon, prefix="d")


def gradient_check_per_parameter_three_layers(parameters, gradients, X, Y, epsilon=1e-7):
    out = _per_name(forward_propagation_n, parameters, gradients, X, Y, epsilon)
    return {name: out.get(name, 0.0) for name in ["W1", "b1", "W2", "b2", "W3", "b3"]}


def gradient_check_per_parameter_whole_vector(parameters, gradients, X, Y, epsilon=1e-7):
    grad = gradients_to_vector(gradients, parameters)
    value = _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon))
    return {name: value for name in parameters}


def gradient_check_per_parameter_shifted_slices(parameters, gradients, X, Y, epsilon=1e-7):
    """Slices the vector by assuming b comes before W in every layer."""
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = _estimate(forward_propagation_n, parameters, X, Y, epsilon)
    names = sorted(parameters, key=lambda k: (int(k[1:]), k[0].lower()))  # b1, W1, b2, W2, ...
    out, start = {}, 0
    with np.errstate(invalid="ignore"):
        for name in names:
            size = parameters[name].size
            out[name] = _report(grad[start : start + size], gradapprox[start : start + size])
            start += size
    return {name: out[name] for name in parameters}


def gradient_check_per_parameter_fixed_epsilon(parameters, gradients, X, Y, epsilon=1e-7):
    return _per_name(forward_propagation_n, parameters, gradients, X, Y, 1e-7)


def gradient_check_per_parameter_one_sided(parameters, gradients, X, Y, epsilon=1e-7):
    theta, keys = dictionary_to_vector(parameters)
    keys = np.array(keys)
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = _estimate(forward_propagation_n, parameters, X, Y, epsilon, "one-sided")
    return {name: _report(grad[keys == name], gradapprox[keys == name]) for name in parameters}


WRONG = {
    "forward_propagation": [forward_propagation_sum, forward_propagation_no_theta, forward_propagation_power],
    "backward_propagation": [backward_propagation_theta, backward_propagation_cost, backward_propagation_one],
    "gradient_check": [
        gradient_check_one_sided,
        gradient_check_eps_not_doubled,
        gradient_check_no_division,
        gradient_check_numerator_no_norm,
        gradient_check_denominator_grad_only,
        gradient_check_same_point,
        gradient_check_sign,
        gradient_check_returns_gradapprox,
        gradient_check_fixed_epsilon,
        gradient_check_norm_of_sum,
        gradient_check_wrong_default,
    ],
    "gradient_check_n": [
        gradient_check_n_one_sided,
        gradient_check_n_eps_not_doubled,
        gradient_check_n_no_copy,
        gradient_check_n_copy_once,
        gradient_check_n_same_point,
        gradient_check_n_sign,
        gradient_check_n_returns_gradapprox,
        gradient_check_n_numerator_no_norm,
        gradient_check_n_denominator_grad_only,
        gradient_check_n_gradients_in_dict_order,
        gradient_check_n_all_gradient_values,
        gradient_check_n_fixed_epsilon,
        gradient_check_n_mutates,
    ],
    "gradient_check_per_parameter": [
        gradient_check_per_parameter_global_denominator,
        gradient_check_per_parameter_gradient_names,
        gradient_check_per_parameter_three_layers,
        gradient_check_per_parameter_whole_vector,
        gradient_check_per_parameter_shifted_slices,
        gradient_check_per_parameter_fixed_epsilon,
        gradient_check_per_parameter_one_sided,
    ],
}

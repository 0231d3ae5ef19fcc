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
from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# ----- forward_propagation ----------------------------------------------------------------------


@wrong("forward_propagation", expect="J is theta times x, not theta plus x")
def forward_propagation_sum(x, theta):
    return theta + x


@wrong("forward_propagation", expect="J depends on theta: J = theta * x")
def forward_propagation_no_theta(x, theta):
    return x


@wrong("forward_propagation", expect="J is theta * x, not theta ** x or x ** theta")
def forward_propagation_power(x, theta):
    return theta**x


# ----- backward_propagation ---------------------------------------------------------------------


@wrong("backward_propagation", expect="dtheta is the derivative with respect to theta")
def backward_propagation_theta(x, theta):
    return theta


@wrong("backward_propagation", expect="dtheta is the derivative dJ/dtheta = x")
def backward_propagation_cost(x, theta):
    return theta * x


@wrong("backward_propagation", expect="d(theta * x)/dtheta = x, not 1")
def backward_propagation_one(x, theta):
    return 1.0


# ----- gradient_check (1-D) ----------------------------------------------------------------------


def _report(grad, gradapprox):
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


@wrong("gradient_check", expect="Your estimate is only accurate to about ε")
def gradient_check_one_sided(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta)) / epsilon
    return _report(backward_propagation(x, theta), gradapprox)


@wrong("gradient_check", expect="A difference of 1/3 means your gradapprox is")
def gradient_check_eps_not_doubled(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / epsilon
    return _report(backward_propagation(x, theta), gradapprox)


@wrong("gradient_check", expect="A difference of 1 means your gradapprox is")
def gradient_check_no_division(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)
    return _report(backward_propagation(x, theta), gradapprox)


@wrong("gradient_check", expect="Use np.linalg.norm for the numerator too")
def gradient_check_numerator_no_norm(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (
        2 * epsilon
    )
    grad = backward_propagation(x, theta)
    return (grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


@wrong("gradient_check", expect="The denominator is ||grad|| + ||gradapprox||")
def gradient_check_denominator_grad_only(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (
        2 * epsilon
    )
    grad = backward_propagation(x, theta)
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad)


@wrong("gradient_check", expect="A difference of 1 means your gradapprox is")
def gradient_check_same_point(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta) - forward_propagation(x, theta)) / (2 * epsilon)
    return _report(backward_propagation(x, theta), gradapprox)


@wrong("gradient_check", expect="A difference of 1 means your gradapprox is")
def gradient_check_sign(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta - epsilon) - forward_propagation(x, theta + epsilon)) / (
        2 * epsilon
    )
    return _report(backward_propagation(x, theta), gradapprox)


@wrong("gradient_check", expect="A relative difference is never above 1")
def gradient_check_returns_gradapprox(x, theta, epsilon=1e-7, print_msg=False):
    return (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)


@wrong("gradient_check", expect="Use the `epsilon` argument, not a fixed 1e-7")
def gradient_check_fixed_epsilon(x, theta, epsilon=1e-7, print_msg=False):
    eps = 1e-7
    gradapprox = (forward_propagation(x, theta + eps) - forward_propagation(x, theta - eps)) / (2 * eps)
    return _report(backward_propagation(x, theta), gradapprox)


@wrong("gradient_check", expect="the difference is wrong")
def gradient_check_norm_of_sum(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (
        2 * epsilon
    )
    grad = backward_propagation(x, theta)
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad + gradapprox)


@wrong("gradient_check", expect="Keep the signature given in the notebook")
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


@wrong("gradient_check_n", expect="Your estimate is only accurate to about ε")
def gradient_check_n_one_sided(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "one-sided"))


@wrong("gradient_check_n", expect="A difference of 1/3 means your gradapprox is")
def gradient_check_n_eps_not_doubled(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "eps"))


@wrong("gradient_check_n", expect="A difference of 1/3 means your gradapprox is")
def gradient_check_n_no_copy(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "no-copy"))


@wrong("gradient_check_n", expect="grad and gradapprox disagree a lot although the")
def gradient_check_n_copy_once(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "copy-once"))


@wrong("gradient_check_n", expect="A difference of 1 means your gradapprox is")
def gradient_check_n_same_point(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "same"))


@wrong("gradient_check_n", expect="A difference of 1 means your gradapprox is")
def gradient_check_n_sign(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon, "sign"))


@wrong("gradient_check_n", expect="Return the relative difference, one number")
def gradient_check_n_returns_gradapprox(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return _estimate(forward_propagation_n, parameters, X, Y, epsilon)


@wrong("gradient_check_n", expect="Return the relative difference, one number")
def gradient_check_n_numerator_no_norm(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = _estimate(forward_propagation_n, parameters, X, Y, epsilon)
    return (grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


@wrong("gradient_check_n", expect="The denominator is ||grad|| + ||gradapprox||")
def gradient_check_n_denominator_grad_only(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = _estimate(forward_propagation_n, parameters, X, Y, epsilon)
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad)


@wrong("gradient_check_n", expect="grad and gradapprox disagree a lot although the")
def gradient_check_n_gradients_in_dict_order(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = np.concatenate([v.reshape(-1, 1) for k, v in gradients.items() if k[1] in "Wb"])
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon))


@wrong("gradient_check_n", expect="grad and gradapprox disagree a lot although the")
def gradient_check_n_all_gradient_values(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = np.concatenate([v.reshape(-1, 1) for v in gradients.values()])[
        : len(dictionary_to_vector(parameters)[1])
    ]
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon))


@wrong("gradient_check_n", expect="Use the `epsilon` argument, not a fixed 1e-7")
def gradient_check_n_fixed_epsilon(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients, parameters)
    return _report(grad, _estimate(forward_propagation_n, parameters, X, Y, 1e-7))


@wrong("gradient_check_n", expect="changed its argument `parameters` in place (parameters['W1']")
def gradient_check_n_mutates(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Nudges the caller's arrays in place and forgets to put them back."""
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = []
    for _name, value in parameters.items():
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


@wrong("gradient_check_per_parameter", expect="Each parameter's difference uses its own slices")
def gradient_check_per_parameter_global_denominator(parameters, gradients, X, Y, epsilon=1e-7):
    return _per_name(forward_propagation_n, parameters, gradients, X, Y, epsilon, global_denominator=True)


@wrong("gradient_check_per_parameter", expect='Use the parameters\' names ("W1")')
def gradient_check_per_parameter_gradient_names(parameters, gradients, X, Y, epsilon=1e-7):
    return _per_name(forward_propagation_n, parameters, gradients, X, Y, epsilon, prefix="d")


@wrong("gradient_check_per_parameter", expect="Loop over the names in `parameters` (or over the")
def gradient_check_per_parameter_three_layers(parameters, gradients, X, Y, epsilon=1e-7):
    out = _per_name(forward_propagation_n, parameters, gradients, X, Y, epsilon)
    return {name: out.get(name, 0.0) for name in ["W1", "b1", "W2", "b2", "W3", "b3"]}


@wrong("gradient_check_per_parameter", expect="Compute one difference per parameter")
def gradient_check_per_parameter_whole_vector(parameters, gradients, X, Y, epsilon=1e-7):
    grad = gradients_to_vector(gradients, parameters)
    value = _report(grad, _estimate(forward_propagation_n, parameters, X, Y, epsilon))
    return {name: value for name in parameters}


@wrong("gradient_check_per_parameter", expect="NaN is 0/0: are the slices of grad and gradapprox")
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


@wrong("gradient_check_per_parameter", expect="Use the `epsilon` argument, not a fixed 1e-7")
def gradient_check_per_parameter_fixed_epsilon(parameters, gradients, X, Y, epsilon=1e-7):
    return _per_name(forward_propagation_n, parameters, gradients, X, Y, 1e-7)


@wrong("gradient_check_per_parameter", expect="Your estimate is only accurate to about ε")
def gradient_check_per_parameter_one_sided(parameters, gradients, X, Y, epsilon=1e-7):
    theta, keys = dictionary_to_vector(parameters)
    keys = np.array(keys)
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = _estimate(forward_propagation_n, parameters, X, Y, epsilon, "one-sided")
    return {name: _report(grad[keys == name], gradapprox[keys == name]) for name in parameters}

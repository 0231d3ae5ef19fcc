"""Plausible mistakes for course5_sequence/02_character_level_language_model.

Conventions of the notebook: a name is X = [newline, c1, ..., cT], Y = [c1, ..., cT, newline];
column vectors; sample draws with the generator it is given, at most 50 characters then a
newline; clip returns a new dict; optimize returns loss, clipped gradients, last state and
new parameters.
"""

import numpy as np

from shared_utils.course5 import char_rnn
from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- clip ------------------------------------------------------------------------------

edit = wrong.edits("clip")
edit(
    "clip_lower_bound_zero",
    "np.clip(value, -maxValue, maxValue)",
    "np.clip(value, 0, maxValue)",
    expect="The lower bound is -maxValue",
)
edit(
    "clip_fixed_five",
    "np.clip(value, -maxValue, maxValue)",
    "np.clip(value, -5, 5)",
    expect="Use the maxValue argument",
)
edit(
    "clip_upper_only",
    "np.clip(value, -maxValue, maxValue)",
    "np.minimum(value, maxValue)",
    expect="Only the upper bound was applied",
)
edit(
    "clip_the_norm",
    "np.clip(value, -maxValue, maxValue)",
    "value * min(1.0, maxValue / np.linalg.norm(value))",
    expect="Clip each entry, not the norm",
)


@wrong("clip", expect="np.clip returns a new array, which must be stored")
def clip_result_thrown_away(gradients, maxValue):  # noqa: N803
    for value in gradients.values():
        np.clip(value, -maxValue, maxValue)
    return dict(gradients)


@wrong("clip", expect="changed its argument `gradients` in place")
def clip_in_place(gradients, maxValue):  # noqa: N803
    for value in gradients.values():
        np.clip(value, -maxValue, maxValue, out=value)
    return gradients


@wrong("clip", expect="is missing the key(s) 'db', 'dby'")
def clip_only_the_weights(gradients, maxValue):  # noqa: N803
    return {k: np.clip(gradients[k], -maxValue, maxValue) for k in ("dWax", "dWaa", "dWya")}


# ----- sample ----------------------------------------------------------------------------

edit = wrong.edits("sample")
edit(
    "sample_argmax",
    "int(rng.choice(vocab_size, p=y.ravel()))",
    "int(np.argmax(y))",
    expect="that is np.argmax",
)
edit(
    "sample_from_the_scores",
    "int(rng.choice(vocab_size, p=y.ravel()))",
    "int(rng.choice(vocab_size, p=(Wya @ a + by).ravel()))",
    expect="your code raised ValueError",
)
edit(
    "sample_from_shifted_scores",
    "int(rng.choice(vocab_size, p=y.ravel()))",
    "int(rng.choice(vocab_size, p=((Wya @ a + by) - (Wya @ a + by).min()).ravel() "
    "/ ((Wya @ a + by) - (Wya @ a + by).min()).sum()))",
    expect="not with the scores",
)
edit("sample_state_not_carried", "        a_prev = a\n", "", expect="The hidden state must be carried")
edit(
    "sample_input_not_updated",
    [("        x = np.zeros((vocab_size, 1))\n        x[idx] = 1.0\n", "")],
    expect="x must become the one-hot vector of the drawn index",
)
edit(
    "sample_one_hot_not_reset",
    "        x = np.zeros((vocab_size, 1))\n        x[idx] = 1.0\n",
    "        x[idx] = 1.0\n",
    expect="the pairs (first, second character) do not follow",
)
edit(
    "sample_global_generator",
    "int(rng.choice(vocab_size, p=y.ravel()))",
    "int(np.random.choice(vocab_size, p=y.ravel()))",
    expect="not with np.random.choice",
)
edit(
    "sample_no_newline_at_the_cap",
    "    if idx != newline:\n        indices.append(newline)\n",
    "",
    expect="append the newline's index",
)
edit("sample_cap_of_100", "len(indices) < 50", "len(indices) < 100", expect="at most 50 characters")
edit(
    "sample_drops_the_newline",
    "        indices.append(idx)\n",
    "        if idx != newline:\n            indices.append(idx)\n",
    expect="Keep the newline you drew",
)

# ----- optimize --------------------------------------------------------------------------

edit = wrong.edits("optimize")
edit(
    "optimize_without_clipping",
    "clip(char_rnn.rnn_backward(parameters, cache), 5)",
    "char_rnn.rnn_backward(parameters, cache)",
    expect="These gradients are not clipped",
)
edit("optimize_clips_at_ten", "cache), 5)", "cache), 10)", expect="maxValue is 5 here")
edit("optimize_first_state", "cache[2][:, -1:]", "cache[2][:, 1:2]", expect="the state after the LAST step")
edit("optimize_returns_a_prev", "a_last = cache[2][:, -1:]", "a_last = a_prev", expect="not a_prev")
edit(
    "optimize_fixed_learning_rate",
    "update_parameters(parameters, gradients, learning_rate)",
    "update_parameters(parameters, gradients, 0.01)",
    expect="Use the learning_rate argument",
)
edit(
    "optimize_gradient_ascent",
    "char_rnn.update_parameters(parameters, gradients, learning_rate)",
    "char_rnn.update_parameters(parameters, gradients, -learning_rate)",
    expect="goes against the gradient",
)


@wrong("optimize", expect="changed its argument `parameters` in place")
def optimize_in_place(X, Y, a_prev, parameters, learning_rate=0.01):  # noqa: N803
    loss, cache = char_rnn.rnn_forward(X, Y, a_prev, parameters)
    gradients = clip(char_rnn.rnn_backward(parameters, cache), 5)  # noqa: F821 (the solution's clip)
    for k in char_rnn.PARAMETER_NAMES:
        parameters[k] -= learning_rate * gradients["d" + k]
    return loss, gradients, cache[2][:, -1:], parameters


# ----- model -----------------------------------------------------------------------------

edit = wrong.edits("model")
edit(
    "model_carries_the_state",
    "        a_prev = np.zeros((n_a, 1))\n",
    "        a_prev = np.zeros((n_a, 1)) if j == 0 else a_prev\n",
    expect="Start every name from a zero hidden state",
)
edit(
    "model_raw_loss",
    "loss = char_rnn.smooth(loss, current_loss)",
    "loss = current_loss",
    expect="losses holds the smoothed loss",
)
edit(
    "model_smoothing_reversed",
    "loss = char_rnn.smooth(loss, current_loss)",
    "loss = char_rnn.smooth(current_loss, loss)",
    expect="keeps 0.999 of the old value",
)
edit("model_first_name_only", "names[j % len(names)]", "names[0]", expect="not always on the first name")
edit(
    "model_parameters_not_kept",
    "current_loss, gradients, a_prev, parameters = optimize(",
    "current_loss, gradients, a_prev, _ = optimize(",
    expect="The parameters never change",
)
edit("model_targets_without_newline", 'Y = X[1:] + [char_to_ix["\\n"]]', "Y = X[1:]", expect="IndexError")

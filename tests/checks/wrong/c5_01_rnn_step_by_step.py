"""Plausible mistakes for course5_sequence/01_rnn_step_by_step.

Each is an exact edit of the solution; the edited function calls the notebook's own helpers
(sigmoid, softmax, rnn_layout) and cells by their plain names, resolved in the solution's
namespace.
"""

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- rnn_cell_forward -----

edit = wrong.edits("rnn_cell_forward")
edit(
    "rnn_cell_sigmoid",
    "a_next = np.tanh(",
    "a_next = sigmoid(",
    expect="The RNN's state goes through np.tanh, not the sigmoid",
)
edit("rnn_cell_no_bias", "Wax @ xt + ba)", "Wax @ xt)", expect="The bias ba is missing")
edit(
    "rnn_cell_swapped_weights",
    "Waa @ a_prev + Wax @ xt",
    "Wax @ a_prev + Waa @ xt",
    expect="your code raised ValueError",
)
edit(
    "rnn_cell_softmax_over_examples",
    "yt_pred = softmax(Wya @ a_next + by)",
    "yt_pred = softmax((Wya @ a_next + by).T).T",
    expect="yours sums to 1 over the examples",
)
edit(
    "rnn_cell_y_from_a_prev",
    "softmax(Wya @ a_next + by)",
    "softmax(Wya @ a_prev + by)",
    expect="yt_pred comes from the new state a_next",
)
edit(
    "rnn_cell_cache_order",
    "cache = (a_next, a_prev, xt, parameters)",
    "cache = (a_prev, a_next, xt, parameters)",
    expect="Item 0 of your cache holds a_prev",
)
edit(
    "rnn_cell_cache_short",
    "cache = (a_next, a_prev, xt, parameters)",
    "cache = (a_next, a_prev, xt)",
    expect="the cache should be the tuple of 4 items (a_next, a_prev, xt, parameters)",
)

# ----- rnn_forward -----

edit = wrong.edits("rnn_forward")
edit(
    "rnn_forward_from_a0",
    "rnn_cell_forward(x[:, :, t], a_next, parameters)",
    "rnn_cell_forward(x[:, :, t], a0, parameters)",
    expect="feed a_next back in, not a0",
)
edit(
    "rnn_forward_time_index",
    "rnn_cell_forward(x[:, :, t], a_next",
    "rnn_cell_forward(x[:, :, t - 1], a_next",
    expect="your time index is off by one",
)
edit(
    "rnn_forward_keras_layout",
    [
        ("a = np.zeros((n_a, m, T_x))", "a = np.zeros((m, T_x, n_a))"),
        ("a[:, :, t] = a_next", "a[:, t, :] = a_next.T"),
    ],
    expect="the time axis is in the wrong place",
)
edit(
    "rnn_forward_caches_alone",
    "    caches = (caches, x)\n",
    "",
    expect="You returned the list of caches alone",
)

# ----- lstm_cell_forward -----

edit = wrong.edits("lstm_cell_forward")
edit(
    "lstm_cell_concat_x_first",
    "np.concatenate([a_prev, xt], axis=0)",
    "np.concatenate([xt, a_prev], axis=0)",
    expect="The concatenation is [a_prev; xt], the state on top",
)
edit(
    "lstm_cell_gates_swapped",
    "c_next = ft * c_prev + it * cct",
    "c_next = it * c_prev + ft * cct",
    expect="you swapped them",
)
edit(
    "lstm_cell_no_forget",
    "c_next = ft * c_prev + it * cct",
    "c_next = c_prev + it * cct",
    expect="the forget gate multiplies c_prev",
)
edit(
    "lstm_cell_sigmoid_candidate",
    "cct = np.tanh(Wc @ concat + bc)",
    "cct = sigmoid(Wc @ concat + bc)",
    expect="The candidate cct uses np.tanh",
)
edit(
    "lstm_cell_no_tanh_on_c",
    "a_next = ot * np.tanh(c_next)",
    "a_next = ot * c_next",
    expect="the memory goes through a tanh first",
)
edit(
    "lstm_cell_cache_gates_swapped",
    "c_prev, ft, it, cct",
    "c_prev, it, ft, cct",
    expect="Item 4 of your cache holds it",
)

# ----- lstm_forward -----

edit = wrong.edits("lstm_forward")
edit(
    "lstm_forward_c_not_carried",
    "lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)",
    "lstm_cell_forward(x[:, :, t], a_next, np.zeros((n_a, m)), parameters)",
    expect="Carry the memory cell",
)
edit(
    "lstm_forward_from_a0",
    "lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)",
    "lstm_cell_forward(x[:, :, t], a0, c_next, parameters)",
    expect="carry a_next into the next",
)
edit(
    "lstm_forward_stores_c_prev",
    [
        (
            "        a_next, c_next, yt, cache = lstm_cell_forward(",
            "        c[:, :, t] = c_next\n        a_next, c_next, yt, cache = lstm_cell_forward(",
        ),
        ("        c[:, :, t] = c_next\n        y[:, :, t]", "        y[:, :, t]"),
    ],
    expect="holds the memory cell after step t (c_next), not c_prev",
)
edit(
    "lstm_forward_time_index",
    "lstm_cell_forward(x[:, :, t], a_next",
    "lstm_cell_forward(x[:, :, t - 1], a_next",
    expect="your time index is off by one",
)

# ----- gru_cell_forward -----

edit = wrong.edits("gru_cell_forward")
edit(
    "gru_cell_update_flipped",
    "a_next = ut * cct + (1 - ut) * a_prev",
    "a_next = ut * a_prev + (1 - ut) * cct",
    expect="The update gate weighs the candidate",
)
edit(
    "gru_cell_reset_after",
    "cct = np.tanh(Wc @ np.concatenate([rt * a_prev, xt], axis=0) + bc)",
    "n_a = a_prev.shape[0]\n    cct = np.tanh(Wc[:, n_a:] @ xt + rt * (Wc[:, :n_a] @ a_prev) + bc)",
    expect="The reset gate multiplies a_prev before the product with Wc",
)
edit(
    "gru_cell_no_reset",
    "np.concatenate([rt * a_prev, xt], axis=0)",
    "np.concatenate([a_prev, xt], axis=0)",
    expect="The candidate sees the reset state",
)
edit(
    "gru_cell_sigmoid_candidate",
    "cct = np.tanh(",
    "cct = sigmoid(",
    expect="The candidate uses np.tanh",
)

# ----- gru_forward -----

edit = wrong.edits("gru_forward")
edit(
    "gru_forward_from_a0",
    "gru_cell_forward(x[:, :, t], a_next, parameters)",
    "gru_cell_forward(x[:, :, t], a0, parameters)",
    expect="feed a_next back in, not a0",
)
edit(
    "gru_forward_time_index",
    "gru_cell_forward(x[:, :, t], a_next",
    "gru_cell_forward(x[:, :, t - 1], a_next",
    expect="your time index is off by one",
)
edit(
    "gru_forward_caches_alone",
    "    caches = (caches, x)\n",
    "",
    expect="You returned the list of caches alone",
)

# ----- rnn_cell_backward -----

edit = wrong.edits("rnn_cell_backward")
edit(
    "rnn_cell_backward_no_tanh_derivative",
    "dz = da_next * (1 - a_next**2)",
    "dz = da_next",
    expect="tanh's derivative is 1 - a_next**2, times da_next",
)
edit(
    "rnn_cell_backward_derivative_at_a_prev",
    "dz = da_next * (1 - a_next**2)",
    "dz = da_next * (1 - a_prev**2)",
    expect="taken at this step's output a_next, not at a_prev",
)
edit(
    "rnn_cell_backward_waa_not_transposed",
    "da_prev = Waa.T @ dz",
    "da_prev = Waa @ dz",
    expect="da_prev goes back through the transpose",
)
edit(
    "rnn_cell_backward_dba_not_summed",
    "dba = np.sum(dz, axis=1, keepdims=True)",
    "dba = dz",
    expect="dba is summed over the examples",
)
edit(
    "rnn_cell_backward_dba_flat",
    "dba = np.sum(dz, axis=1, keepdims=True)",
    "dba = np.sum(dz, axis=1)",
    expect="keepdims=True",
)

# ----- rnn_backward -----

edit = wrong.edits("rnn_backward")
edit(
    "rnn_backward_no_recurrence",
    "rnn_cell_backward(da[:, :, t] + da_prevt, caches_list[t])",
    "rnn_cell_backward(da[:, :, t], caches_list[t])",
    expect="plus the da_prev coming back from step t + 1",
)
edit(
    "rnn_backward_not_summed",
    'dWax = dWax + grads["dWax"]',
    'dWax = grads["dWax"]',
    expect="Add up the weight gradients of every step",
)
edit(
    "rnn_backward_forward_in_time",
    "for t in reversed(range(T_x)):",
    "for t in range(T_x):",
    expect='the gradients["dx"] is wrong',
)

# ----- lstm_cell_backward -----

edit = wrong.edits("lstm_cell_backward")
edit(
    "lstm_cell_backward_no_dc_next",
    "dc = dc_next + da_next * ot",
    "dc = da_next * ot",
    expect="the gradient from the next step's memory is missing",
)
edit(
    "lstm_cell_backward_no_tanh_derivative",
    "dc = dc_next + da_next * ot * (1 - tanh_c**2)",
    "dc = dc_next + da_next * ot",
    expect="carries tanh's derivative",
)
edit(
    "lstm_cell_backward_dc_prev_no_forget",
    'grads["dc_prev"] = dc * ft',
    'grads["dc_prev"] = dc',
    expect="the forget gate scales what flows back to c_prev",
)
edit(
    "lstm_cell_backward_split_x_first",
    [
        ('grads["da_prev"] = dconcat[:n_a]', 'grads["da_prev"] = dconcat[xt.shape[0]:]'),
        ('grads["dxt"] = dconcat[n_a:]', 'grads["dxt"] = dconcat[: xt.shape[0]]'),
    ],
    expect="da_prev is the first n_a rows of its gradient",
)

# ----- lstm_backward -----

edit = wrong.edits("lstm_backward")
edit(
    "lstm_backward_no_recurrence",
    "lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt",
    "lstm_cell_backward(da[:, :, t], dc_prevt",
    expect="plus the da_prev coming back from step t + 1",
)
edit(
    "lstm_backward_dc_not_carried",
    "lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt",
    "lstm_cell_backward(da[:, :, t] + da_prevt, np.zeros((n_a, m))",
    expect="Carry the memory's gradient",
)
edit(
    "lstm_backward_not_summed",
    "grads[name] = grads[name] + step[name]",
    "grads[name] = step[name]",
    expect="yours keep one step only",
)

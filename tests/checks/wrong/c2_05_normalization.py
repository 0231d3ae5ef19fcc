"""Plausible mistakes for course2_tuning/05_normalization.

Layout: rows = examples, x (N, D) for batch and layer norm, (N, H, W, C) for instance and
group norm; gamma and beta have one entry per feature or channel.
"""

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)


# ----- batchnorm_forward -----------------------------------------------------------------


def _bn(
    x,
    gamma,
    beta,
    bn_param,
    axis=0,
    ddof=0,
    eps_outside=False,
    affine=True,
    test_uses_batch=False,
    momentum_swapped=False,
    update=True,
    in_place=False,
    running_ddof=0,
):
    mode, eps, momentum = bn_param["mode"], bn_param["eps"], bn_param["momentum"]
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    new = bn_param if in_place else dict(bn_param)
    if mode == "train" or test_uses_batch:
        mu = x.mean(axis=axis, keepdims=True)
        var = x.var(axis=axis, ddof=ddof, keepdims=True)
        std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
        x_hat = (x - mu) / std
        mu0, var0 = x.mean(axis=0), x.var(axis=0, ddof=running_ddof)
        a, b = (1 - momentum, momentum) if momentum_swapped else (momentum, 1 - momentum)
        if update and mode == "train":
            if in_place:
                running_mean *= a
                running_mean += b * mu0
                running_var *= a
                running_var += b * var0
            else:
                new["running_mean"] = a * running_mean + b * mu0
                new["running_var"] = a * running_var + b * var0
        cache = (x_hat, gamma, np.squeeze(std, axis=axis) if axis == 0 else std)
    else:
        x_hat = (x - running_mean) / (
            np.sqrt(running_var) + eps if eps_outside else np.sqrt(running_var + eps)
        )
        cache = None
    out = gamma * x_hat + beta if affine else x_hat
    return out, cache, new


@wrong("batchnorm_forward", expect="You normalised each example over its features")
def batchnorm_forward_wrong_axis(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, axis=1)


@wrong("batchnorm_forward", expect="Use the biased variance (np")
def batchnorm_forward_unbiased(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, ddof=1, running_ddof=1)


@wrong("batchnorm_forward", expect="Keras blends in the biased batch variance (ddof=0)")
def batchnorm_forward_unbiased_running_var(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, running_ddof=1)


@wrong("batchnorm_forward", expect="eps goes inside the square root: np")
def batchnorm_forward_eps_outside(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, eps_outside=True)


@wrong("batchnorm_forward", expect="Forgot the scale and shift")
def batchnorm_forward_no_affine(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, affine=False)


@wrong("batchnorm_forward", expect="In test mode use running_mean and running_var")
def batchnorm_forward_batch_stats_at_test(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, test_uses_batch=True)


@wrong("batchnorm_forward", expect="momentum weighs the OLD value")
def batchnorm_forward_momentum_swapped(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, momentum_swapped=True)


@wrong("batchnorm_forward", expect="The running mean was not updated")
def batchnorm_forward_no_update(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, update=False)


@wrong("batchnorm_forward", expect="Return a new dict: new_bn_param = dict(bn_param)")
def batchnorm_forward_in_place(x, gamma, beta, bn_param):
    return _bn(x, gamma, beta, bn_param, in_place=True)


@wrong("batchnorm_forward", expect="Test mode must leave the running statistics as")
def batchnorm_forward_updates_at_test(x, gamma, beta, bn_param):  # blends the test batch into the averages
    out, cache, new = _bn(x, gamma, beta, bn_param)
    if bn_param["mode"] == "test":
        m = bn_param["momentum"]
        new["running_mean"] = m * bn_param["running_mean"] + (1 - m) * x.mean(axis=0)
        new["running_var"] = m * bn_param["running_var"] + (1 - m) * x.var(axis=0)
    return out, cache, new


@wrong("batchnorm_forward", expect="std is the square root of var + eps")
def batchnorm_forward_cache_var(x, gamma, beta, bn_param):  # caches the variance instead of std
    out, cache, new = _bn(x, gamma, beta, bn_param)
    if cache is not None:
        cache = (cache[0], cache[1], cache[2] ** 2)
    return out, cache, new


@wrong("batchnorm_forward", expect="End with `return out, cache, new_bn_param`")
def batchnorm_forward_two_outputs(x, gamma, beta, bn_param):
    out, cache, _ = _bn(x, gamma, beta, bn_param)
    return out, cache


# ----- batchnorm_backward ----------------------------------------------------------------


@wrong("batchnorm_backward", expect="dx lacks the terms that come through the mean and")
def batchnorm_backward_no_mean_terms(dout, cache):
    x_hat, gamma, std = cache
    return dout * gamma / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@wrong("batchnorm_backward", expect="dx lacks the term through the variance")
def batchnorm_backward_no_variance_term(dout, cache):
    x_hat, gamma, std = cache
    N = dout.shape[0]
    dx = gamma / (N * std) * (N * dout - dout.sum(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@wrong("batchnorm_backward", expect="dbeta has shape (6,); expected shape (4,)")
def batchnorm_backward_sums_wrong_axis(dout, cache):
    x_hat, gamma, std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=1)
    dgamma = (dout * x_hat).sum(axis=1)
    dx = gamma / (N * std) * (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, dgamma, dbeta


@wrong("batchnorm_backward", expect="dbeta and dgamma are swapped: dbeta = dout")
def batchnorm_backward_swapped(dout, cache):
    x_hat, gamma, std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = gamma / (N * std) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dbeta, dgamma


@wrong("batchnorm_backward", expect="dx is missing the factor gamma")
def batchnorm_backward_no_gamma(dout, cache):
    x_hat, gamma, std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = 1 / (N * std) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


@wrong("batchnorm_backward", expect="dbeta is a mean over the examples here, not a sum")
def batchnorm_backward_means(dout, cache):  # means instead of sums for the parameters
    x_hat, gamma, std = cache
    dbeta = dout.mean(axis=0)
    dgamma = (dout * x_hat).mean(axis=0)
    dx = gamma / std * (dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


# ----- layernorm_forward -----------------------------------------------------------------


def _norm(x, axes, eps, ddof=0, eps_outside=False):
    mu = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, ddof=ddof, keepdims=True)
    return (x - mu) / (np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps))


@wrong("layernorm_forward", expect="You normalised over the examples (axis=0)")
def layernorm_forward_batch_axis(x, gamma, beta, eps=1e-5):
    return gamma * _norm(x, 0, eps) + beta


@wrong("layernorm_forward", expect="Use the biased variance (np.var's default ddof=0)")
def layernorm_forward_unbiased(x, gamma, beta, eps=1e-5):
    return gamma * _norm(x, 1, eps, ddof=1) + beta


@wrong("layernorm_forward", expect="eps goes inside the square root: np")
def layernorm_forward_eps_outside(x, gamma, beta, eps=1e-5):
    return gamma * _norm(x, 1, eps, eps_outside=True) + beta


@wrong("layernorm_forward", expect="the values shown look alike; they first differ at index (0, 1)")
def layernorm_forward_no_eps(x, gamma, beta, eps=1e-5):  # off by ~1e-6 only: the values shown agree
    mu = x.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return gamma * (x - mu) / np.sqrt(x.var(axis=1, keepdims=True)) + beta


@wrong("layernorm_forward", expect="Forgot the scale and shift")
def layernorm_forward_no_affine(x, gamma, beta, eps=1e-5):
    return _norm(x, 1, eps)


@wrong("layernorm_forward", expect="out is wrong")
def layernorm_forward_fixed_eps(x, gamma, beta, eps=1e-5):
    return gamma * _norm(x, 1, 1e-5) + beta


@wrong("layernorm_forward", expect="Keep the signature given in the notebook")
def layernorm_forward_default_eps(x, gamma, beta, eps=1e-3):  # Keras's default, not the notebook's
    return gamma * _norm(x, 1, eps) + beta


# ----- instancenorm_forward --------------------------------------------------------------


@wrong("instancenorm_forward", expect="You averaged over the channels too (axes 1, 2, 3)")
def instancenorm_forward_over_channels(x, gamma, beta, eps=1e-5):
    return gamma * _norm(x, (1, 2, 3), eps) + beta


@wrong("instancenorm_forward", expect="You averaged over the examples too (axes 0, 1, 2)")
def instancenorm_forward_over_batch(x, gamma, beta, eps=1e-5):
    return gamma * _norm(x, (0, 1, 2), eps) + beta


@wrong("instancenorm_forward", expect="Use the biased variance (np.var's default ddof=0)")
def instancenorm_forward_unbiased(x, gamma, beta, eps=1e-5):
    return gamma * _norm(x, (1, 2), eps, ddof=1) + beta


@wrong("instancenorm_forward", expect="out is wrong")
def instancenorm_forward_channels_first(x, gamma, beta, eps=1e-5):  # axes of an (N, C, H, W) layout
    return gamma * _norm(x, (2, 3), eps) + beta


@wrong("instancenorm_forward", expect="eps goes inside the square root: np")
def instancenorm_forward_eps_outside(x, gamma, beta, eps=1e-5):
    return gamma * _norm(x, (1, 2), eps, eps_outside=True) + beta


# ----- groupnorm_forward -----------------------------------------------------------------


@wrong("groupnorm_forward", expect="Your groups take every G-th channel: reshape to (N")
def groupnorm_forward_strided(x, gamma, beta, groups, eps=1e-5):
    N, H, W, C = x.shape
    xg = x.reshape(N, H, W, C // groups, groups)
    return gamma * _norm(xg, (1, 2, 3), eps).reshape(N, H, W, C) + beta


@wrong("groupnorm_forward", expect="out is wrong")
def groupnorm_forward_channels_first_reshape(x, gamma, beta, groups, eps=1e-5):
    N, H, W, C = x.shape
    xg = x.reshape(N, groups, C // groups, H, W)  # a channels-first recipe applied to channels-last data
    return gamma * _norm(xg, (2, 3, 4), eps).reshape(N, H, W, C) + beta


@wrong("groupnorm_forward", expect="That is instance norm (one group per channel)")
def groupnorm_forward_instance(x, gamma, beta, groups, eps=1e-5):
    return gamma * _norm(x, (1, 2), eps) + beta


@wrong("groupnorm_forward", expect="Use the biased variance (np.var's default ddof=0)")
def groupnorm_forward_unbiased(x, gamma, beta, groups, eps=1e-5):
    N, H, W, C = x.shape
    xg = x.reshape(N, H, W, groups, C // groups)
    return gamma * _norm(xg, (1, 2, 4), eps, ddof=1).reshape(N, H, W, C) + beta


@wrong("groupnorm_forward", expect="out is wrong")
def groupnorm_forward_affine_per_group(x, gamma, beta, groups, eps=1e-5):
    N, H, W, C = x.shape
    xg = x.reshape(N, H, W, groups, C // groups)
    g = gamma.reshape(groups, C // groups).mean(axis=1, keepdims=True)
    b = beta.reshape(groups, C // groups).mean(axis=1, keepdims=True)
    return (g * _norm(xg, (1, 2, 4), eps) + b).reshape(N, H, W, C)


@wrong("groupnorm_forward", expect="out is wrong")
def groupnorm_forward_over_batch(x, gamma, beta, groups, eps=1e-5):
    N, H, W, C = x.shape
    xg = x.reshape(N, H, W, groups, C // groups)
    return gamma * _norm(xg, (0, 1, 2, 4), eps).reshape(N, H, W, C) + beta

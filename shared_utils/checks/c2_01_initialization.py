"""Checks for course 2, notebook 1: initialization.

Every initializer returns ``parameters``, a dict with ``W1``, ``b1``, ..., ``WL``, ``bL`` for
``layers_dims = [n_x, n_1, ..., n_L]``: ``W{l}`` of shape ``(n_l, n_{l-1})``, ``b{l}`` zeros of
shape ``(n_l, 1)``.  The random ones take ``seed=3`` and must draw every layer from one
``np.random.default_rng(seed)`` (or anything else that makes the same seed give the same
weights and another seed other weights).

Oracles.  Nothing here draws "the" expected weights; the checks test properties that any right
answer has, whatever its random numbers:

* zeros: exact zeros of the documented shapes;
* large random, He, Xavier: the weights of every layer are independent draws from
  N(0, sigma^2) with sigma from the published rule (10; sqrt(2 / n_{l-1}), He et al. 2015;
  sqrt(2 / (n_{l-1} + n_l)), Glorot & Bengio 2010, untruncated).  SciPy tests it on layers of
  tens of thousands of weights: a z-test on the mean, a chi-square test on the variance and a
  Kolmogorov-Smirnov test (``scipy.stats.kstest``) on the shape, each at level 1e-6, so a right
  answer fails about once in 10^5 check runs while the usual mistakes (sqrt(1/n), n_l for
  n_{l-1}, ``rand`` for ``randn``, a missing scale, a truncated normal) are off by dozens of
  standard errors.  ``tests/test_initialization.py`` confirms that these sigmas are those of
  Keras's ``RandomNormal(stddev=10)`` and ``VarianceScaling(scale=2, mode="fan_in")`` /
  ``VarianceScaling(scale=1, mode="fan_avg")`` with ``distribution="untruncated_normal"``
  (He / Glorot normal without Keras's truncation), and that Keras's ``Orthogonal`` passes the
  orthogonal check;
* orthogonal: ``W W^T = gain^2 I`` (wide or square W) or ``W^T W = gain^2 I`` (tall W), and a
  binomial test (``scipy.stats.binomtest``) that the diagonal entries are as often positive as
  negative, as they are for a Haar-distributed Q (QR without the sign fix gives mostly
  negative ones);
* all random ones: same seed, same weights; another seed, other weights; no layer repeats
  another layer's numbers.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from shared_utils.engine.checking import Check, exercise

ALPHA = 1e-6  # level of every statistical test: a right answer fails about once in a million tests
SEED_DEFAULT = 3

# layer sizes for the statistical tests: large, and with n_l != n_{l-1} so that a swapped fan shows
STAT_DIMS_BASIC = [[500, 300, 120, 3]]
STAT_DIMS_EXTENDED = [[150, 400, 60]]

_HINT_LOOP = (
    "Loop over l in range(1, L + 1) with L = len(layers_dims) - 1, so that every layer "
    "(the output layer included) gets its W and b; do not hard-code the number of layers."
)
_HINT_RNG = (
    "Create the generator once, at the top: rng = np.random.default_rng(seed), and draw every "
    "layer from it, in order."
)


# ----- structure ----------------------------------------------------------------------------


def _structure(ck: Check, got, dims: list[int]) -> dict[str, np.ndarray]:
    """Keys W1, b1, ..., WL, bL; W{l} (n_l, n_{l-1}) floats; b{l} zeros (n_l, 1). Returns the W's."""
    L = len(dims) - 1
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    ck.instance(got, dict, "parameters")
    missing = [k for k in keys if k not in got]
    if missing:
        ck.fail(
            f"parameters is missing {', '.join(missing)}; for layers_dims = {dims} (L = {L} layers) it "
            f"should hold {', '.join(keys)}; it has {', '.join(map(str, got)) or 'nothing'}.",
            _HINT_LOOP,
        )
    extra = [k for k in got if k not in keys]
    if extra:
        ck.fail(
            f"parameters has unexpected key(s) {', '.join(map(str, extra))}; layers_dims = {dims} has "
            f"L = {L} layers, so only {', '.join(keys)}.",
            _HINT_LOOP,
        )
    weights = {}
    for l in range(1, L + 1):
        n, n_prev = dims[l], dims[l - 1]
        W, b = got[f"W{l}"], got[f"b{l}"]
        for arr, name, shape in ((W, f"W{l}", (n, n_prev)), (b, f"b{l}", (n, 1))):
            if not isinstance(arr, np.ndarray):
                ck.fail(f"{name} should be a NumPy array, got {type(arr).__name__}.")
            if arr.shape != shape:
                hint = None
                if name.startswith("W") and arr.shape == shape[::-1] and n != n_prev:
                    hint = (
                        "W is transposed: its rows are the units of layer l, so its shape is "
                        "(layers_dims[l], layers_dims[l - 1])."
                    )
                elif name.startswith("W") and arr.shape == (n, n) and n < n_prev:
                    hint = (
                        "The QR of an (n_l, n_{l-1}) matrix with n_l < n_{l-1} gives a square Q: draw the "
                        "tall matrix of shape (n_{l-1}, n_l) instead, take its Q and transpose it."
                    )
                elif name.startswith("b") and arr.shape == (n,):
                    hint = "b must be a column: np.zeros((layers_dims[l], 1)), not np.zeros(layers_dims[l])."
                elif name.startswith("b") and arr.shape == (1, n):
                    hint = "b must be a column of shape (layers_dims[l], 1), not a row."
                ck.fail(
                    f"{name} has shape {arr.shape}; expected {shape} "
                    f"(layers_dims[{l}] = {n}, layers_dims[{l - 1}] = {n_prev}).",
                    hint,
                )
            if arr.dtype.kind != "f":
                ck.fail(
                    f"{name} has dtype {arr.dtype}; expected floats.",
                    "np.zeros and the random generators give floats; do not ask for dtype=int.",
                )
        if np.any(b != 0):
            ck.fail(
                f"b{l} should be all zeros, got {np.asarray(b).ravel()[:4]}...",
                "Only the weights are random: the biases start at zero, np.zeros((layers_dims[l], 1)).",
            )
        weights[f"W{l}"] = np.asarray(W, dtype=np.float64)
    return weights


def _call(ck: Check, dims: list[int], **kwargs) -> dict[str, np.ndarray]:
    return _structure(ck, ck.call(list(dims), **kwargs), dims)


# ----- randomness ----------------------------------------------------------------------------


def _seed_convention(ck: Check, dims: list[int], **kwargs) -> None:
    """Same seed, same weights; another seed, other weights."""
    with ck.case(f"layers_dims = {dims}, called twice with seed=5, then with seed=6"):
        first = _call(ck, dims, seed=5, **kwargs)
        again = _call(ck, dims, seed=5, **kwargs)
        for key in first:
            if not np.array_equal(first[key], again[key]):
                ck.fail(
                    f"two calls with seed=5 gave different {key}: the seed argument does not set the draw.",
                    _HINT_RNG,
                )
        other = _call(ck, dims, seed=6, **kwargs)
        if all(np.array_equal(first[k], other[k]) for k in first):
            ck.fail(
                "seed=5 and seed=6 gave exactly the same weights: the seed argument is ignored.",
                "Use the argument: np.random.default_rng(seed), not a fixed number.",
            )


def _distinct_layers(ck: Check, weights: dict[str, np.ndarray]) -> None:
    """No layer repeats (up to a scale) the leading random numbers of another layer."""
    names = list(weights)
    for i, a_name in enumerate(names):
        for b_name in names[i + 1 :]:
            a, b = weights[a_name].ravel(), weights[b_name].ravel()
            k = min(a.size, b.size)
            if k < 10:
                continue
            a, b = a[:k], b[:k]
            if a.std() == 0 or b.std() == 0:
                continue
            if abs(np.corrcoef(a, b)[0, 1]) > 0.999:
                ck.fail(
                    f"{b_name} repeats the random numbers of {a_name} (the same values, up to a scale): "
                    "the layers are not drawn independently.",
                    "Create the generator once, before the loop; re-creating it with the same seed in every "
                    "layer restarts the same sequence of numbers.",
                )


def _match_std(s: float, n: int, mistakes: dict[str, float]) -> str | None:
    tol = max(0.02, 5 / np.sqrt(2 * n))
    for hint, value in mistakes.items():
        if value > 0 and abs(s / value - 1) < tol:
            return hint
    return None


def _normal_layers(
    ck: Check, weights: dict[str, np.ndarray], dims: list[int], sigma, rule: str, mistakes
) -> None:
    """Every W{l} is an i.i.d. N(0, sigma(n_prev, n)^2) sample: mean, variance and shape tests."""
    z_crit = stats.norm.isf(ALPHA / 2)
    for l in range(1, len(dims)):
        n_prev, n = dims[l - 1], dims[l]
        w = weights[f"W{l}"].ravel()
        N, s_expected = w.size, sigma(n_prev, n)
        where = f"W{l} (shape ({n}, {n_prev}), {N} weights)"
        if not np.all(np.isfinite(w)):
            ck.fail(f"{where} holds NaN or infinite values.")
        # the mean first (a t-test with the weights' own spread, so that a wrong spread does not
        # pass for a wrong mean), then the spread about it, then the shape: each names its property
        spread = float(w.std()) or s_expected
        z_mean = w.mean() / spread * np.sqrt(N)
        if abs(z_mean) > z_crit:
            top = float(w.max())
            uniform = top > 0 and abs(w.mean() / top - 0.5) < 0.02 and abs(spread / top - 12**-0.5) < 0.02
            if N >= 20 and w.min() >= 0 and uniform:
                hint = (
                    "The weights are spread evenly from 0 up: np.random.rand / rng.random draw from [0, 1). "
                    "Use the standard normal distribution: rng.standard_normal (or np.random.randn)."
                )
            elif N >= 20 and w.min() >= 0:
                hint = (
                    "Every weight is positive: a constant was added to the draws, or they come from a "
                    "distribution not centred on 0. Only multiply the standard normal draws by the scale."
                )
            else:
                hint = "Draw from a distribution centred on 0: standard normal draws times the scale."
            ck.fail(
                f"{where} has the wrong mean: {w.mean():.4g}; weights drawn from N(0, {s_expected:.4g}^2) "
                f"would have a mean within +-{z_crit * spread / np.sqrt(N):.2g} of 0 "
                "(t-test on the mean).",
                hint,
            )
        centred = w - w.mean()
        z = w / s_expected
        chi2 = float(np.sum(centred * centred)) / s_expected**2
        p_var = 2 * min(stats.chi2.cdf(chi2, N - 1), stats.chi2.sf(chi2, N - 1))
        if p_var < ALPHA:
            s = float(np.std(w))
            hint = _match_std(s, N, mistakes(n_prev, n))
            fans = (
                f" with n_{{l-1}} = layers_dims[{l - 1}] = {n_prev} and n_l = layers_dims[{l}] = {n}"
                if "n_" in rule
                else ""
            )
            ck.fail(
                f"{where} has the wrong standard deviation: {s:.4g}; expected {s_expected:.4g} = "
                f"{rule}{fans} (chi-square test on the variance, p = {p_var:.2g}).",
                hint,
            )
        if N >= 20:
            p_ks = stats.kstest(z, "norm").pvalue
            if p_ks < ALPHA:
                hint = "Draw from the normal distribution: rng.standard_normal(shape) (or np.random.randn)."
                if np.abs(z).max() <= 1.8:
                    hint = (
                        "The weights look uniformly distributed: use rng.standard_normal (np.random.randn), "
                        "not rng.random / rng.uniform (np.random.rand)."
                    )
                elif np.abs(z).max() <= 2.3:
                    hint = (
                        "No weight is far out in the tails: that is a truncated normal (like Keras's "
                        "HeNormal / GlorotNormal). This notebook asks for the plain, untruncated normal: "
                        "rng.standard_normal(shape) times the scale."
                    )
                ck.fail(
                    f"{where} has the wrong distribution: the right mean and spread, but not normally "
                    f"distributed (Kolmogorov-Smirnov test, N(0, {s_expected:.4g}^2), p = {p_ks:.2g}).",
                    hint,
                )


def _normal_initializer(ck: Check, sigma, rule: str, mistakes) -> None:
    """The whole check of a Gaussian initializer: structure, seed, independence, statistics."""
    ck.defaults({"seed": SEED_DEFAULT})
    shapes = ck.pick([[2, 10, 5, 1], [4, 3], [6, 8, 8, 8, 2]], [[1, 1], [12, 9, 7, 5, 3, 2, 1]])
    for dims in shapes:
        with ck.case(f"layers_dims = {dims}"):
            _distinct_layers(ck, _call(ck, dims))
    _seed_convention(ck, [5, 7, 7, 3])
    for dims in ck.pick(STAT_DIMS_BASIC, STAT_DIMS_EXTENDED):
        for seed in ck.seeds(1, 3):
            with ck.case(f"statistics of the weights for layers_dims = {dims}, seed={seed}"):
                weights = _call(ck, dims, seed=seed)
                _normal_layers(ck, weights, dims, sigma, rule, mistakes)
                _distinct_layers(ck, weights)


# ----- exercises ------------------------------------------------------------------------------


@exercise(
    params=("layers_dims",),
    hints=[
        "One zero weight matrix per layer, of shape (layers_dims[l], layers_dims[l - 1]), and zero biases of"
        " one column."
    ],
)
def initialize_parameters_zeros(ck: Check) -> None:
    shapes = ck.pick([[2, 10, 5, 1], [3, 1], [4, 6, 6, 6, 2]], [[1, 1], [12, 8, 4, 2, 1, 3], [7, 2, 9]])
    for dims in shapes:
        with ck.case(f"layers_dims = {dims}"):
            got = ck.call(list(dims))
            weights = _structure(ck, got, dims)
            for key, W in weights.items():
                ck.array(
                    W,
                    np.zeros(W.shape),
                    what=key,
                    rtol=0,
                    atol=0,
                    mistakes={"W must be zeros, np.zeros(shape), not ones.": np.ones(W.shape)},
                )


def _random_mistakes(n_prev: int, n: int) -> dict[str, float]:
    return {
        "The standard deviation is 1: multiply the standard normal draws by 10.": 1.0,
        "Multiply by 10, not by 0.01: this notebook's 'random' initialization is deliberately large.": 0.01,
        "That is He's scale; here the weights are standard normal draws times 10.": np.sqrt(2 / n_prev),
        "Multiply by 10, not by 100 (the standard deviation is 10, the variance 100).": 100.0,
    }


@exercise(
    params=("layers_dims",),
    hints=[
        "Draw from one generator made from the seed argument, layer after layer: standard normal weights "
        "scaled by 10, zero biases."
    ],
)
def initialize_parameters_random(ck: Check) -> None:
    _normal_initializer(ck, lambda n_prev, n: 10.0, "10 (standard normal draws times 10)", _random_mistakes)


def _he_mistakes(n_prev: int, n: int) -> dict[str, float]:
    return {
        "He uses sqrt(2 / n_{l-1}), not sqrt(1 / n_{l-1}): ReLU zeroes half of the signal, the 2 makes up "
        "for it.": np.sqrt(1 / n_prev),
        "Use the number of inputs of the layer, n_{l-1} = layers_dims[l - 1], not its number of units "
        "layers_dims[l].": np.sqrt(2 / n),
        "Take the square root: the standard deviation is sqrt(2 / n_{l-1}); 2 / n_{l-1} is the variance.": 2
        / n_prev,
        "Multiply by sqrt(2 / n_{l-1}), do not divide by it.": np.sqrt(n_prev / 2),
        "The weights have standard deviation 1: multiply the standard normal draws by sqrt(2 / "
        "n_{l-1}).": 1.0,
        "The weights still carry the factor 10 of the large random initialization: use sqrt(2 / n_{l-1}) "
        "alone.": 10 * np.sqrt(2 / n_prev),
        "That is Xavier's sqrt(2 / (n_{l-1} + n_l)); He uses sqrt(2 / n_{l-1}).": np.sqrt(2 / (n_prev + n)),
    }


@exercise(
    params=("layers_dims",),
    hints=[
        "Draw from one generator made from the seed argument: standard normal weights scaled so that their "
        "variance is 2 / n_{l-1} (the fan-in); zero biases."
    ],
)
def initialize_parameters_he(ck: Check) -> None:
    _normal_initializer(ck, lambda n_prev, n: np.sqrt(2 / n_prev), "sqrt(2 / n_{l-1})", _he_mistakes)


def _xavier_mistakes(n_prev: int, n: int) -> dict[str, float]:
    return {
        "That is the 1 / n_{l-1} variant (LeCun's). This notebook's Xavier uses both fans: "
        "sqrt(2 / (n_{l-1} + n_l)).": np.sqrt(1 / n_prev),
        "The numerator is 2: sqrt(2 / (n_{l-1} + n_l)), not sqrt(1 / (n_{l-1} + n_l)).": np.sqrt(
            1 / (n_prev + n)
        ),
        "That is He's sqrt(2 / n_{l-1}); Xavier divides by n_{l-1} + n_l.": np.sqrt(2 / n_prev),
        "Add the fans before dividing: sqrt(2 / (n_{l-1} + n_l)), mind the parentheses.": np.sqrt(
            2 / n_prev + n
        ),
        "Take the square root: 2 / (n_{l-1} + n_l) is the variance, not the standard deviation.": 2
        / (n_prev + n),
        "That is the limit of Glorot's *uniform* distribution, sqrt(6 / (n_{l-1} + n_l)); the normal one has "
        "standard deviation sqrt(2 / (n_{l-1} + n_l)).": np.sqrt(6 / (n_prev + n)),
        "The weights have standard deviation 1: multiply the draws by sqrt(2 / (n_{l-1} + n_l)).": 1.0,
    }


@exercise(
    params=("layers_dims",),
    hints=[
        "Draw from one generator made from the seed argument: standard normal weights scaled so that their "
        "variance is 2 / (fan-in + fan-out); zero biases."
    ],
)
def initialize_parameters_xavier(ck: Check) -> None:
    _normal_initializer(
        ck, lambda n_prev, n: np.sqrt(2 / (n_prev + n)), "sqrt(2 / (n_{l-1} + n_l))", _xavier_mistakes
    )


def _gram(W: np.ndarray) -> np.ndarray:
    """W W^T for a wide or square W, W^T W for a tall one: the smaller Gram matrix."""
    return W @ W.T if W.shape[0] <= W.shape[1] else W.T @ W


def _looks_triangular(W: np.ndarray) -> bool:
    M = W if W.shape[0] >= W.shape[1] else W.T
    top = M[: M.shape[1], :]
    return top.size > 1 and not np.any(np.tril(top, -1) != 0) and bool(np.any(np.triu(top, 1) != 0))


def _orthogonal_layers(ck: Check, weights: dict[str, np.ndarray], gain: float) -> None:
    for key, W in weights.items():
        G = _gram(W)
        side = "W W^T" if W.shape[0] <= W.shape[1] else "W^T W"
        k = G.shape[0]
        expected = gain**2 * np.eye(k)
        if np.allclose(G, expected, rtol=0, atol=1e-8 * max(1.0, gain**2)):
            continue
        hint = None
        if np.allclose(G, np.eye(k), atol=1e-8):
            hint = f"{side} is the identity: multiply the orthogonal matrix by gain."
        elif np.allclose(G, gain**4 * np.eye(k), atol=1e-8 * gain**4):
            hint = "Multiply by gain, not by gain ** 2 (the Gram matrix of gain * Q is gain^2 I)."
        elif np.allclose(G, np.diag(np.diag(G)), atol=1e-8 * max(1.0, float(np.abs(G).max()))):
            hint = (
                "The rows/columns are orthogonal but not of length gain: use Q from the QR, not R or a "
                "rescaled Q."
            )
        elif _looks_triangular(W):
            hint = (
                "That looks like R, the triangular factor: the orthogonal matrix is Q, the first output of "
                "np.linalg.qr."
            )
        else:
            hint = (
                "W is not orthogonal: draw a Gaussian matrix A, take Q from np.linalg.qr(A), fix its signs "
                "with np.sign(np.diag(R)) and multiply by gain."
            )
        off = float(np.abs(G - expected).max())
        ck.fail(
            f"{key} (shape {W.shape}) is not orthogonal with gain {gain:g}: {side} should be {gain**2:g} * I "
            f"of size {k}; its largest deviation from that is {off:.3g}.",
            hint,
        )


def _diagonal_signs(ck: Check, weights: dict[str, np.ndarray]) -> None:
    diag = np.concatenate([np.diag(W) for W in weights.values()])
    positive, n = int(np.sum(diag > 0)), diag.size
    p = stats.binomtest(positive, n, 0.5).pvalue
    if p < ALPHA:
        ck.fail(
            f"of the {n} diagonal entries of the W's, {positive} are positive; for a uniformly random "
            f"orthogonal matrix about half would be (binomial test, p = {p:.2g}).",
            "Fix the signs after the QR: Q = Q * np.sign(np.diag(R)). Without it, NumPy's QR favours "
            "negative entries, so Q is not uniformly random.",
        )


@exercise(
    params=("layers_dims",),
    hints=[
        "QR-decompose a standard normal draw of the taller shape, fix the signs with R's diagonal, transpose"
        " when the layer is narrower than its input, and scale by gain; zero biases."
    ],
)
def initialize_parameters_orthogonal(ck: Check) -> None:
    ck.defaults({"gain": 1.0, "seed": SEED_DEFAULT})
    shapes = ck.pick(
        [[2, 10, 5, 1], [4, 3], [6, 8, 8, 8, 2]], [[1, 1], [12, 9, 7, 5, 3, 2, 1], [3, 30, 30, 4]]
    )
    gains = ck.pick([1.0, 2.0], [np.sqrt(2.0)])
    for dims in shapes:
        for gain in gains:
            with ck.case(f"layers_dims = {dims}, gain={gain:g}"):
                weights = _call(ck, dims, gain=gain)
                _orthogonal_layers(ck, weights, gain)
                _distinct_layers(ck, weights)
    _seed_convention(ck, [5, 7, 7, 3], gain=1.0)
    for dims in ck.pick([[400, 300, 200, 1]], [[100, 250, 60]]):
        for seed in ck.seeds(1, 3):
            with ck.case(f"layers_dims = {dims}, gain=1, seed={seed}: signs of the diagonal"):
                weights = _call(ck, dims, gain=1.0, seed=seed)
                _orthogonal_layers(ck, weights, 1.0)
                _diagonal_signs(ck, weights)

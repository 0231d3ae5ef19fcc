"""Checks for course 5, notebook 9: the Transformer, layer by layer.

Oracles (the framework's own ops and layers, or a NumPy formula where the value is one):

* ``get_angles``, ``positional_encoding``: the angles written as ``pos * exp(-ln(10000) (k - k mod 2)
  / d)`` and the encoding as ``np.where(k even, sin, cos)`` (another route than the exercise's
  slices). ``positional_encoding`` is checked with the oracle's ``get_angles`` planted, so that
  it judges its own code only.
* the masks: ``np.not_equal`` with two new axes; ``np.tril`` of ones.
* ``scaled_dot_product_attention``: ``keras.ops.dot_product_attention`` (the mask as booleans,
  broadcast to (m, heads, Tq, Tk)); its attention weights are the same op applied to an identity
  matrix as the values, whose output is the weights themselves.
* ``split_heads``: ``np.split`` of the last axis into heads, stacked on axis 1.
* ``MultiHeadAttention``: ``keras.layers.MultiHeadAttention`` with the learner's four projections'
  seeded weights copied in (reshaped to its (d_model, heads, depth) kernels); its output and its
  attention scores.
* ``EncoderLayer``, ``Encoder``, ``DecoderLayer``, ``Decoder``, ``Transformer``: outputs on seeded
  weights against a composition of Keras's own layers (``MultiHeadAttention``, ``Dense``,
  ``LayerNormalization(epsilon=1e-6)``, ``Embedding``) given the same weights, in the paper's
  post-norm order, with the NumPy positional encoding.

The known mistakes (the inverted mask, the mask added with the wrong sign or scale, a look-ahead
mask off by one on the diagonal, the missing 1/sqrt(d_k), the softmax over the queries,
residual connections or layer norms in the wrong place, ...) are the same computations with one
thing changed, recognised by their values. The layers' probes (run where the learner's class
lives, :meth:`Check.in_kernel`) build the learner's layer, give its sublayers the seeded weights
by their attribute names and return data.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.special import softmax

from shared_utils.engine.checking import Check, _describe, exercise

NEG = -1e9


def _lazy(ck: Check, got, want, what: str, mistakes, rtol: float = 1e-4, atol: float = 1e-4) -> None:
    """ck.array, with the mistakes' values (a function: their computing is slow) only on a failure."""
    arr = np.asarray(got) if hasattr(got, "shape") else got
    close = (
        hasattr(arr, "shape") and arr.shape == np.shape(want) and np.allclose(arr, want, rtol=rtol, atol=atol)
    )
    ck.array(got, want, what=what, rtol=rtol, atol=atol, mistakes=None if close else mistakes())


def _names_the_class(probe):
    """A probe whose NotImplementedError names the class still to write (not its ``__init__``)."""

    @functools.wraps(probe)
    def run(*args, **kwargs):
        try:
            return probe(*args, **kwargs)
        except NotImplementedError as exc:
            tb = exc.__traceback__
            while tb.tb_next is not None:
                tb = tb.tb_next
            owner = tb.tb_frame.f_locals.get("self")
            exc.raiser = type(owner).__name__ if owner is not None else tb.tb_frame.f_code.co_name
            raise

    return run


def _rng(seed: int, salt: int) -> np.random.Generator:
    return np.random.default_rng(90000 + 131 * seed + salt)


# ----- positional encoding --------------------------------------------------------------------


def oracle_angles(pos, k, d):
    pos, k = np.asarray(pos, np.float64), np.asarray(k)
    return pos * np.exp(-np.log(10000.0) * (k - k % 2) / d)


def oracle_encoding(positions: int, d: int) -> np.ndarray:
    k = np.arange(d)[None, :]
    angles = oracle_angles(np.arange(positions)[:, None], k, d)
    return np.where(k % 2 == 0, np.sin(angles), np.cos(angles))[None]


@exercise(
    params=("pos", "k", "d"),
    hints=["angles = pos / 10000 ** (2 * (k // 2) / d): the pair index k // 2, times 2, over d."],
)
def get_angles(ck: Check) -> None:
    for P, d in ck.pick([(5, 8), (3, 7)], [(12, 16), (1, 5), (50, 64)]):
        with ck.case(f"pos = arange({P})[:, None], k = arange({d})[None, :], d={d}"):
            pos, k = np.arange(P)[:, None], np.arange(d)[None, :]
            got = ck.call(pos, k, d)
            kf = k.astype(np.float64)
            ck.array(
                got,
                oracle_angles(pos, k, d),
                what="the angles",
                rtol=1e-6,
                atol=1e-9,
                mistakes={
                    "The exponent uses k itself: dimensions 2i and 2i+1 share one angle, use 2 * (k // "
                    "2).": pos / np.power(10000.0, kf / d),
                    "The exponent is 2k/d: the pair index is k // 2, so 2i = 2 * (k // 2), not 2 * k.": pos
                    / np.power(10000.0, 2 * kf / d),
                    "The factor 2 is missing: the exponent is 2 * (k // 2) / d.": pos
                    / np.power(10000.0, (k // 2) / d),
                    "pos is multiplied by 10000 ** (...): divide by it.": pos
                    * np.power(10000.0, 2 * (k // 2) / d),
                },
            )


@exercise(
    params=("positions", "d"),
    hints=[
        "angles = get_angles(...); sine on the even columns [:, 0::2], cosine on the odd [:, 1::2]; add "
        "axis 0."
    ],
)
def positional_encoding(ck: Check) -> None:
    for P, d in ck.pick([(6, 8), (4, 5)], [(30, 64), (1, 4), (10, 3)]):
        with ck.case(f"positions={P}, d={d}"), ck.planted(get_angles=oracle_angles):
            got = ck.call(P, d)
            want = oracle_encoding(P, d)
            k = np.arange(d)[None, :]
            angles = oracle_angles(np.arange(P)[:, None], k, d)
            blocks = np.concatenate([np.sin(angles[:, 0::2]), np.cos(angles[:, 1::2])], axis=1)[None]
            arr = ck.array(
                got,
                want,
                what="the positional encoding",
                rtol=1e-5,
                atol=1e-6,
                mistakes={
                    "Sine and cosine are swapped: the sine goes to the even dimensions (0, 2, "
                    "...).": np.where(k % 2 == 0, np.cos(angles), np.sin(angles))[None],
                    "Every dimension got a sine: the odd ones (1::2) take the cosine.": np.sin(angles)[None],
                    "The sines and cosines are side by side: they alternate, in place, "
                    "angles[:, 0::2] = sin(...) and angles[:, 1::2] = cos(...).": blocks,
                },
            )
            ck.that(
                arr.dtype == np.float32,
                f"the encoding has dtype {arr.dtype}; expected float32.",
                "End with .astype(np.float32): the model's layers work in float32.",
            )


# ----- masks ----------------------------------------------------------------------------------


def _sequences(seed: int, m: int, T: int, vocab: int = 9) -> np.ndarray:
    rng = _rng(seed, 1)
    seq = rng.integers(1, vocab, size=(m, T)).astype(np.int32)
    for i in range(m):
        seq[i, rng.integers(1, T + 1) :] = 0  # padded at the end; every row keeps a token
    if T > 2:
        seq[0, 1] = 0  # and a pad in the middle
    return seq


@exercise(
    params=("seq",),
    hints=["mask = (seq != 0) as float32, with two new axes: [:, np.newaxis, np.newaxis, :]."],
)
def create_padding_mask(ck: Check) -> None:
    for m, T in ck.pick([(3, 6)], [(1, 4), (5, 9)]):
        seed = ck.seed_base
        with ck.case(f"seq of shape ({m}, {T}), seed {seed}"):
            seq = _sequences(seed, m, T)
            got = ck.call(seq)
            got = np.asarray(got) if got is not None and not isinstance(got, (list, tuple)) else got
            want = (seq != 0).astype(np.float32)[:, None, None, :]
            if got is not None and hasattr(got, "shape") and tuple(got.shape) in ((m, T), (m, 1, T)):
                ck.fail(
                    f"the mask has shape {tuple(got.shape)}; expected {(m, 1, 1, T)}.",
                    "Add two axes of size 1, for the heads and the queries: seq[:, np.newaxis, np.newaxis, "
                    ":].",
                )
            if got is not None and hasattr(got, "dtype") and got.dtype == bool:
                ck.fail(
                    "the mask has dtype bool; expected float32 (1.0 attend, 0.0 masked).",
                    'Cast it: keras.ops.cast(..., "float32") or .astype(np.float32).',
                )
            ck.array(
                got,
                want,
                what="the padding mask",
                mistakes={
                    "The mask is inverted: in this notebook (and in Keras) 1 means attend, so the tokens "
                    "get 1 "
                    "and the pads (index 0) get 0.": 1.0 - want,
                    "That is the additive form, (1 - mask) * -1e9, which the attention computes itself: "
                    "return "
                    "the mask, 1 at the tokens and 0 at the pads.": (1.0 - want) * NEG,
                },
            )


@exercise(
    params=("size",),
    hints=["Ones on and below the diagonal: keras.ops.tril(keras.ops.ones((size, size)))."],
)
def create_look_ahead_mask(ck: Check) -> None:
    for size in ck.pick([4, 1], [2, 7]):
        with ck.case(f"size={size}"):
            got = ck.call(size)
            ones = np.ones((size, size), np.float32)
            ck.array(
                got,
                np.tril(ones),
                what="the look-ahead mask",
                mistakes={
                    "The mask is inverted (1 - tril, the convention of the TensorFlow tutorial): here 1 "
                    "means "
                    "attend, so the keys 0..t of row t get 1.": 1.0 - np.tril(ones),
                    "The diagonal is masked: query t may attend to itself, key t (use tril, not "
                    "tril(k=-1)).": np.tril(ones, -1),
                    "One future key is visible: the row of query t has 1 in the keys 0..t only "
                    "(tril(k=0)).": np.tril(ones, 1),
                    "The mask is transposed: row t (a query) has ones in columns 0..t (keys), below the "
                    "diagonal: use tril, not triu.": np.triu(ones),
                },
            )


# ----- scaled dot-product attention -----------------------------------------------------------


def np_attention(q, k, v, mask, mistake: str = ""):
    """Scaled dot-product attention in float64 (for the mistakes): (output, weights)."""
    q, k, v = (np.asarray(a, np.float64) for a in (q, k, v))
    scores = q @ np.swapaxes(k, -1, -2)
    d_k, d_v = k.shape[-1], v.shape[-1]
    scale = {"no_scale": 1.0, "scale_dk": d_k, "scale_dv": np.sqrt(d_v)}.get(mistake, np.sqrt(d_k))
    scores = scores / scale
    if mask is not None:
        mask = np.asarray(mask, np.float64)
        if mistake == "inverted":
            scores = scores + mask * NEG
        elif mistake == "wrong_sign":
            scores = scores - (1.0 - mask) * NEG
        elif mistake == "multiplied":
            scores = scores * mask
        elif mistake == "unscaled":
            scores = scores + mask
        elif mistake != "no_mask":
            scores = scores + (1.0 - mask) * NEG
    scores = scores.astype(np.float32).astype(np.float64)  # a masked score loses its digits, as in float32
    weights = softmax(scores, axis=-2 if mistake == "query_axis" else -1)
    return weights @ v, weights


def keras_attention(q, k, v, mask):
    """keras.ops.dot_product_attention on (m, [heads,] T, d) inputs: (output, weights) as arrays."""
    import keras

    q, k, v = (np.asarray(a, np.float32) for a in (q, k, v))
    three = q.ndim == 3
    if three:
        q, k, v = q[:, None], k[:, None], v[:, None]
    m, h, Tq, _ = q.shape
    Tk = k.shape[2]
    bool_mask = None
    if mask is not None:
        bool_mask = np.broadcast_to(np.asarray(mask) > 0.5, (m, h, Tq, Tk))

    def run(values):
        out = keras.ops.dot_product_attention(
            np.swapaxes(q, 1, 2), np.swapaxes(k, 1, 2), np.swapaxes(values, 1, 2), mask=bool_mask
        )
        return np.swapaxes(np.asarray(out), 1, 2)

    output = run(v)
    weights = run(np.broadcast_to(np.eye(Tk, dtype=np.float32), (m, h, Tk, Tk)).copy())
    if three:
        output, weights = output[:, 0], weights[:, 0]
    return output, weights


def _attention_case(seed: int, kind: str, m: int, h: int, Tq: int, Tk: int, d_k: int, d_v: int):
    rng = _rng(seed, 2)
    lead = (m,) if kind == "3d" else (m, h)
    q = rng.normal(0, 1.0, size=(*lead, Tq, d_k)).astype(np.float32)
    k = rng.normal(0, 1.0, size=(*lead, Tk, d_k)).astype(np.float32)
    v = rng.normal(0, 1.0, size=(*lead, Tk, d_v)).astype(np.float32)
    if kind == "3d":
        mask = None
    elif kind == "padding":
        mask = (_sequences(seed, m, Tk) != 0).astype(np.float32)[:, None, None, :]
    elif kind == "look_ahead":
        mask = np.tril(np.ones((Tq, Tk), np.float32))
    else:  # both
        mask = (
            np.tril(np.ones((Tq, Tk), np.float32))
            * (_sequences(seed, m, Tk) != 0).astype(np.float32)[:, None, None, :]
        )
        mask[:, :, :, 0] = 1.0  # every query keeps a key
    return q, k, v, mask


_ATTENTION_MISTAKES = {
    "inverted": "The weights went to the masked keys: the mask is inverted, or added with the wrong sign. "
    "1 means attend: add (1 - mask) * -1e9, a large negative number where the mask is 0.",
    "multiplied": "The scores were multiplied by the mask: a score of 0 still gets a weight. Add (1 - mask) "
    "* -1e9.",
    "unscaled": "The mask was added as it is: a difference of 1 in the scores does not mask anything. Add "
    "(1 - mask) * -1e9.",
    "no_scale": "The scores are not scaled: divide q k^T by sqrt(d_k), the size of a key.",
    "scale_dk": "The scores were divided by d_k: divide by its square root, sqrt(d_k).",
    "scale_dv": "The scores were divided by sqrt(d_v): the scale is the keys' size, sqrt(d_k) = "
    "sqrt(k.shape[-1]).",
    "query_axis": "The softmax was taken over the queries (axis -2): each query's weights over the keys sum "
    "to "
    "1, softmax over the last axis.",
    "no_mask": "The mask was not used: add (1 - mask) * -1e9 to the scores when a mask is given.",
}


@exercise(
    params=("q", "k", "v", "mask"),
    hints=[
        "scores = q @ k^T / sqrt(d_k) (keras.ops.matmul, keras.ops.swapaxes); where a mask is given add "
        "(1 - mask) * -1e9; weights = softmax over the last axis; output = weights @ v."
    ],
)
def scaled_dot_product_attention(ck: Check) -> None:
    cases = ck.pick(
        [("padding", 2, 2, 4, 5, 3, 6), ("look_ahead", 2, 3, 4, 4, 5, 2)],
        [("3d", 3, 1, 3, 6, 4, 5), ("both", 2, 2, 5, 5, 4, 3), ("padding", 1, 4, 2, 7, 8, 8)],
    )
    for j, (kind, m, h, Tq, Tk, d_k, d_v) in enumerate(cases):
        seed = ck.seed_base + j
        shapes = f"q ({m}, {h}, {Tq}, {d_k})" if kind != "3d" else f"q ({m}, {Tq}, {d_k})"
        with ck.case(f"{kind} mask, {shapes}, Tk={Tk}, d_v={d_v}, seed {seed}"):
            q, k, v, mask = _attention_case(seed, kind, m, h, Tq, Tk, d_k, d_v)
            got = ck.call(q, k, v, mask)
            out, weights = ck.returns(got, "output, attention_weights")
            want_out, want_w = keras_attention(q, k, v, mask)
            names = [
                n for n in _ATTENTION_MISTAKES if mask is not None or n not in ("inverted", "wrong_sign")
            ]
            if d_v == d_k:
                names.remove("scale_dv")
            values = {n: np_attention(q, k, v, mask, n) for n in names}
            ck.array(
                weights,
                want_w,
                what="the attention weights",
                rtol=1e-4,
                atol=1e-5,
                mistakes={_ATTENTION_MISTAKES[n]: values[n][1] for n in names},
            )
            ck.array(
                out,
                want_out,
                what="the output",
                rtol=1e-4,
                atol=1e-5,
            )


# ----- heads ----------------------------------------------------------------------------------


@exercise(
    params=("x", "num_heads"),
    hints=["reshape to (m, -1, num_heads, depth), then transpose with (0, 2, 1, 3)."],
)
def split_heads(ck: Check) -> None:
    for j, (m, T, h, depth) in enumerate(ck.pick([(2, 5, 3, 4)], [(1, 1, 2, 3), (3, 7, 4, 2)])):
        seed = ck.seed_base + j
        with ck.case(f"x of shape ({m}, {T}, {h * depth}), num_heads={h}, seed {seed}"):
            x = _rng(seed, 3).normal(size=(m, T, h * depth)).astype(np.float32)
            got = ck.call(x, h)
            want = np.stack(np.split(x, h, axis=-1), axis=1)
            if (
                got is not None
                and hasattr(got, "shape")
                and tuple(got.shape) == (m, h, depth, T)
                and T != depth
            ):
                ck.fail(
                    f"the heads have shape {tuple(got.shape)}; expected {(m, h, T, depth)}.",
                    "The transpose moved the positions last: use the axes (0, 2, 1, 3).",
                )
            ck.array(
                got,
                want,
                what="the heads",
                mistakes={
                    "The heads were made by a reshape alone: reshape to (m, T, num_heads, depth) first, then "
                    "transpose the heads before the positions.": x.reshape(m, h, T, depth),
                    "The last axis was cut the other way round, (depth, num_heads): head h is the h-th block "
                    "of depth numbers, reshape to (m, T, num_heads, depth).": x.reshape(
                        m, T, depth, h
                    ).transpose(0, 3, 1, 2),
                },
            )


def _dense(seed: int, salt: int, n_in: int, n_out: int, scale: float = 0.4):
    rng = _rng(seed, salt)
    return [
        rng.normal(0, scale, size=(n_in, n_out)).astype(np.float32),
        rng.normal(0, 0.2, size=(n_out,)).astype(np.float32),
    ]


def mha_weights(seed: int, d: int, salt: int = 10) -> list[np.ndarray]:
    """Wq, bq, Wk, bk, Wv, bv, Wo, bo."""
    return [w for i in range(4) for w in _dense(seed, salt + i, d, d)]


def np_mha(W, q, k, v, mask, h: int, mistake: str = ""):
    """Multi-head attention in float64 (for the mistakes): (output, weights)."""
    W = [np.asarray(w, np.float64) for w in W]
    Q, K, V = (np.asarray(a, np.float64) @ W[2 * i] + W[2 * i + 1] for i, a in enumerate((q, k, v)))
    m, d = Q.shape[0], Q.shape[-1]
    depth = d // h

    def split(x):
        if mistake == "split_no_transpose":
            return x.reshape(m, h, -1, depth)
        return x.reshape(m, -1, h, depth).transpose(0, 2, 1, 3)

    Q, K, V = split(Q), split(K), split(V)
    if mistake == "kv_swapped":
        K, V = V, K
    scale_mistake = "scale_dk" if mistake == "scale_d_model" else ""
    if mistake == "scale_d_model":  # sqrt(d_model) instead of sqrt(depth)
        out, w = np_attention(Q * np.sqrt(depth) / np.sqrt(d), K, V, mask)
    else:
        out, w = np_attention(Q, K, V, mask, scale_mistake)
    if mistake == "merge_no_transpose":
        concat = out.reshape(m, -1, d)
    else:
        concat = out.transpose(0, 2, 1, 3).reshape(m, -1, d)
    if mistake == "no_output_dense":
        return concat, w
    return concat @ W[6] + W[7], w


def _keras_mask(mask, m, Tq, Tk):
    if mask is None:
        return None
    mask = np.asarray(mask)
    mask = mask.reshape((1,) * (4 - mask.ndim) + mask.shape)[:, 0]  # drop the heads' axis
    return np.broadcast_to(mask > 0.5, (m, Tq, Tk))


def keras_mha(W, q, k, v, mask, h: int):
    """keras.layers.MultiHeadAttention with the weights W copied in: (output, scores) as arrays."""
    import keras

    q, k, v = (np.asarray(a, np.float32) for a in (q, k, v))
    m, Tq, d = q.shape
    depth = d // h
    layer = keras.layers.MultiHeadAttention(num_heads=h, key_dim=depth)
    layer(q, v, key=k)
    parts = {"query": 0, "key": 2, "value": 4, "attention_output": 6}
    for var in layer.weights:
        sub, kind = var.path.split("/")[-2:]
        w = W[parts[sub] + (kind == "bias")]
        var.assign(np.asarray(w, np.float32).reshape(tuple(var.shape)))
    out, scores = layer(
        q, v, key=k, attention_mask=_keras_mask(mask, m, Tq, k.shape[1]), return_attention_scores=True
    )
    return np.asarray(out), np.asarray(scores)


def _assign(layer, path: str, values: list[np.ndarray]) -> str | None:
    """Give the sublayer at ``path`` (attribute names) the weights ``values``; a problem as text."""
    obj = layer
    for name in path.split("."):
        if not hasattr(obj, name):
            return f"{type(obj).__name__} has no attribute `{name}`: name the sublayers as the exercise says."
        obj = getattr(obj, name)
    have = [tuple(w.shape) for w in obj.weights]
    want = [tuple(v.shape) for v in values]
    if have != want:
        return f"`{path}` holds weights of shapes {have}; expected {want}."
    obj.set_weights(values)
    return None


def _mha_inputs(seed: int, m: int, Tq: int, Tk: int, d: int, masked: bool):
    rng = _rng(seed, 4)
    q = rng.normal(0, 1.0, size=(m, Tq, d)).astype(np.float32)
    k = rng.normal(0, 1.0, size=(m, Tk, d)).astype(np.float32)
    v = rng.normal(0, 1.0, size=(m, Tk, d)).astype(np.float32)
    mask = (_sequences(seed, m, Tk) != 0).astype(np.float32)[:, None, None, :] if masked else None
    return q, k, v, mask


@_names_the_class
def _mha_probe(cls, d, h, m, Tq, Tk, seed, masked):
    layer = cls(d, h)
    q, k, v, mask = _mha_inputs(seed, m, Tq, Tk, d, masked)
    layer(q, k, v, mask)
    W = mha_weights(seed, d)
    for i, name in enumerate(("wq", "wk", "wv", "dense")):
        problem = _assign(layer, name, W[2 * i : 2 * i + 2])
        if problem:
            return {"problem": problem}
    got = layer(q, k, v, mask)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return {"got": _describe(got)}
    return {"out": np.asarray(got[0]), "weights": np.asarray(got[1]), "n_weights": len(layer.weights)}


_MHA_MISTAKES = {
    "split_no_transpose": "The heads were cut by a reshape alone: split_heads reshapes to (m, T, heads, "
    "depth), "
    "then transposes the heads before the positions.",
    "kv_swapped": "Keys and values are swapped: the scores compare the queries with the keys, "
    "scaled_dot_product_attention(q, k, v, mask).",
    "scale_d_model": "The scores were scaled by sqrt(d_model): each head's keys have depth = d_model / "
    "num_heads "
    "numbers, the scale is sqrt(depth) (scaled_dot_product_attention does it from k's shape).",
    "merge_no_transpose": "The heads were joined by a reshape alone: transpose them back after the "
    "positions, "
    "(m, Tq, num_heads, depth), then reshape to (m, Tq, d_model).",
    "no_output_dense": "The output projection is missing: apply self.dense to the joined heads.",
}


@exercise(
    params=("d_model", "num_heads"),
    hints=[
        "Project with self.wq, self.wk, self.wv; split_heads each; scaled_dot_product_attention(q, k, v, "
        "attention_mask); transpose (0, 2, 1, 3); reshape to (m, -1, d_model); self.dense."
    ],
)
def MultiHeadAttention(ck: Check) -> None:
    cases = ck.pick([(8, 2, 2, 3, 5, True)], [(6, 3, 3, 4, 4, False), (12, 4, 1, 6, 2, True)])
    for j, (d, h, m, Tq, Tk, masked) in enumerate(cases):
        seed = ck.seed_base + j
        with ck.case(
            f"d_model={d}, num_heads={h}, query ({m}, {Tq}, {d}), key/value ({m}, {Tk}, {d}), "
            f"{'padding mask' if masked else 'no mask'}, seed {seed}"
        ):
            info = ck.in_kernel(_mha_probe, d, h, m, Tq, Tk, seed, masked)
            if "problem" in info:
                ck.fail(
                    info["problem"],
                    "Keep the attributes self.wq, self.wk, self.wv, self.dense, Dense(d_model).",
                )
            ck.that(
                "got" not in info,
                f"call should return (output, attention_weights), got {info.get('got')}.",
                "End call with `return output, attention_weights`.",
            )
            ck.that(
                info["n_weights"] == 8,
                f"the layer holds {info['n_weights']} weight tensors; expected 8, the kernels and biases of "
                "wq, wk, wv and dense.",
                "Create the four Dense layers in __init__ and no other layer with weights.",
            )
            W = mha_weights(seed, d)
            q, k, v, mask = _mha_inputs(seed, m, Tq, Tk, d, masked)
            want_out, want_w = keras_mha(W, q, k, v, mask, h)
            values = {n: np_mha(W, q, k, v, mask, h, n) for n in _MHA_MISTAKES}
            ck.array(
                info["weights"],
                want_w,
                what="the attention weights, (m, num_heads, Tq, Tk)",
                rtol=1e-4,
                atol=1e-5,
                mistakes={_MHA_MISTAKES[n]: values[n][1] for n in _MHA_MISTAKES},
            )
            ck.array(
                info["out"],
                want_out,
                what="the output, (m, Tq, d_model)",
                rtol=1e-4,
                atol=1e-4,
                mistakes={_MHA_MISTAKES[n]: values[n][0] for n in _MHA_MISTAKES},
            )


# ----- encoder and decoder layers: Keras compositions -----------------------------------------


def _norm_weights(seed: int, salt: int, d: int) -> list[np.ndarray]:
    rng = _rng(seed, salt)
    return [
        (1.0 + rng.normal(0, 0.3, size=(d,))).astype(np.float32),
        rng.normal(0, 0.3, size=(d,)).astype(np.float32),
    ]


def layer_weights(seed: int, d: int, dff: int, kind: str) -> dict[str, list[np.ndarray]]:
    """The seeded weights of an encoder ("enc") or decoder ("dec") layer, by attribute path."""
    W = {"mha" if kind == "enc" else "mha1": mha_weights(seed, d, 10)}
    if kind == "dec":
        W["mha2"] = mha_weights(seed, d, 20)
    W["ffn"] = _dense(seed, 30, d, dff) + _dense(seed, 31, dff, d)
    for i in range(1, (2 if kind == "enc" else 3) + 1):
        W[f"layernorm{i}"] = _norm_weights(seed, 40 + i, d)
    return W


def _k_norm(W, x):
    import keras

    layer = keras.layers.LayerNormalization(epsilon=1e-6)
    layer.build(x.shape)
    layer.set_weights(W)
    return np.asarray(layer(x))


def _ffn_keras(W, x):
    import keras

    first = keras.layers.Dense(W[0].shape[1], activation="relu")
    second = keras.layers.Dense(W[2].shape[1])
    first.build(x.shape)
    second.build((*x.shape[:-1], W[0].shape[1]))
    first.set_weights(W[:2])
    second.set_weights(W[2:])
    return np.asarray(second(first(np.asarray(x, np.float32))))


def keras_encoder_layer(W, x, mask, h: int, variant: str = "") -> np.ndarray:
    """An encoder layer composed of Keras's layers (post-norm); ``variant`` names a known mistake."""

    def mha(a, m=mask):
        return keras_mha(W["mha"], a, a, a, m, h)[0]

    ln1, ln2 = (lambda a: _k_norm(W["layernorm1"], a)), (lambda a: _k_norm(W["layernorm2"], a))
    if variant == "pre_norm":
        h1 = x + mha(ln1(x))
        return h1 + _ffn_keras(W["ffn"], ln2(h1))
    attn = mha(x, None if variant == "no_mask" else mask)
    if variant == "no_residual1":
        h1 = ln1(attn)
    elif variant == "residual_after_norm":
        h1 = ln1(attn) + x
    else:
        h1 = ln1(x + attn)
    f = _ffn_keras(W["ffn"], x if variant == "ffn_on_x" else h1)
    if variant == "no_residual2":
        return ln2(f)
    if variant == "residual2_from_x":
        return ln2(x + f)
    return ln2(h1 + f)


_ENCODER_LAYER_MISTAKES = {
    "pre_norm": "The layer norms come before the sublayers (pre-norm): in this notebook, as in the paper, "
    "each comes after the residual sum, layernorm1(x + attention).",
    "no_residual1": "The attention's residual connection is missing: layernorm1(x + attention), not "
    "layernorm1(attention).",
    "residual_after_norm": "The residual was added after the layer norm: normalize the sum, layernorm1(x + "
    "attention).",
    "ffn_on_x": "The feed-forward network reads x: it reads the output of the first sublayer, out1.",
    "no_residual2": "The feed-forward network's residual connection is missing: layernorm2(out1 + "
    "ffn_output).",
    "residual2_from_x": "The second residual adds x: it adds the second sublayer's input, out1 + ffn_output.",
    "no_mask": "The padding mask was not passed to the attention: self.mha(x, x, x, padding_mask).",
}


def _layer_inputs(seed: int, m: int, T: int, d: int):
    rng = _rng(seed, 5)
    x = rng.normal(0, 1.0, size=(m, T, d)).astype(np.float32)
    mask = (_sequences(seed, m, T) != 0).astype(np.float32)[:, None, None, :]
    return x, mask


def _set_all(layer, W: dict) -> str | None:
    for path, values in W.items():
        problem = _assign(layer, path, values)
        if problem:
            return problem
    return None


@_names_the_class
def _encoder_layer_probe(cls, d, h, dff, m, T, seed):
    layer = cls(d, h, dff, 0.5)
    x, mask = _layer_inputs(seed, m, T, d)
    layer(x, padding_mask=mask, training=False)
    W = layer_weights(seed, d, dff, "enc")
    problem = _set_all(
        layer, {"mha." + n: W["mha"][2 * i : 2 * i + 2] for i, n in enumerate(("wq", "wk", "wv", "dense"))}
    )
    problem = problem or _set_all(layer, {k: v for k, v in W.items() if k != "mha"})
    if problem:
        return {"problem": problem}
    out = layer(x, padding_mask=mask, training=False)
    return {
        "out": np.asarray(out) if hasattr(out, "shape") else None,
        "got": _describe(out),
        "n": len(layer.weights),
    }


def _layer_result(ck: Check, info: dict, n_weights: int, what: str, shape: tuple):
    if "problem" in info:
        ck.fail(
            info["problem"], "Keep the attribute names the exercise gives: the weights are found by them."
        )
    ck.that(
        info.get("out") is not None,
        f"call should return {what}, got {info.get('got')}.",
        "Did you forget the `return` line?",
    )
    ck.that(
        info["n"] == n_weights,
        f"the layer holds {info['n']} weight tensors; expected {n_weights}.",
        "Create the sublayers the exercise lists in __init__, once each, and no others with weights.",
    )


@exercise(
    params=("d_model", "num_heads", "dff", "rate"),
    hints=[
        "attn, _ = self.mha(x, x, x, padding_mask); out1 = layernorm1(x + dropout1(attn)); "
        "out2 = layernorm2(out1 + dropout2(ffn(out1)))."
    ],
)
def EncoderLayer(ck: Check) -> None:
    for j, (d, h, dff, m, T) in enumerate(ck.pick([(8, 2, 12, 2, 5)], [(6, 3, 5, 3, 4), (4, 1, 8, 1, 6)])):
        seed = ck.seed_base + j
        with ck.case(f"d_model={d}, num_heads={h}, dff={dff}, x ({m}, {T}, {d}), padding mask, seed {seed}"):
            info = ck.in_kernel(_encoder_layer_probe, d, h, dff, m, T, seed)
            _layer_result(ck, info, 16, "out2", (m, T, d))
            W = layer_weights(seed, d, dff, "enc")
            x, mask = _layer_inputs(seed, m, T, d)
            ck.array(
                info["out"],
                keras_encoder_layer(W, x, mask, h),
                what="the layer's output on seeded weights (training=False)",
                rtol=1e-4,
                atol=1e-4,
                mistakes={
                    hint: keras_encoder_layer(W, x, mask, h, n) for n, hint in _ENCODER_LAYER_MISTAKES.items()
                },
            )


# ----- the stacks and the Transformer ---------------------------------------------------------


def stack_weights(seed: int, n_layers: int, d: int, dff: int, vocab: int, kind: str):
    """The embedding (vocab, d) and every layer's weights."""
    E = _rng(seed, 7).normal(0, 0.5, size=(vocab, d)).astype(np.float32)
    return E, [layer_weights(seed + 101 * (i + 1), d, dff, kind) for i in range(n_layers)]


def keras_embed(E, tokens, variant: str = ""):
    import keras

    d = E.shape[1]
    layer = keras.layers.Embedding(E.shape[0], d)
    layer.build(tokens.shape)
    layer.set_weights([E])
    x = np.asarray(layer(tokens), np.float64)
    pe = oracle_encoding(tokens.shape[1], d)
    if variant == "no_scale":
        return x + pe
    if variant == "no_pos":
        return x * np.sqrt(d)
    if variant == "scale_after_pos":
        return (x + pe) * np.sqrt(d)
    return x * np.sqrt(d) + pe


_STACK_MISTAKES = {
    "no_scale": "The embeddings were not multiplied by sqrt(d_model) before the positional encoding was "
    "added.",
    "no_pos": "The positional encoding was not added: x + self.pos_encoding[:, :seq_len, :].",
    "scale_after_pos": "The positional encoding was scaled too: multiply the embeddings by sqrt(d_model) "
    "first, "
    "then add the encoding.",
    "shared_layer": "Every layer is the same object: make a new layer for each of the num_layers, "
    "[EncoderLayer(...) for _ in range(num_layers)] (DecoderLayer in the decoder).",
    "no_mask": "The mask was not handed to the layers: pass it to each of them.",
}


def keras_encoder(E, layers, tokens, mask, h: int, variant: str = ""):
    x = keras_embed(E, tokens, variant).astype(np.float32)
    for W in layers:
        W = layers[-1] if variant == "shared_layer" else W
        x = keras_encoder_layer(W, x, None if variant == "no_mask" else mask, h)
    return x


def _tokens(seed: int, m: int, T: int, vocab: int) -> np.ndarray:
    return _sequences(seed, m, T, vocab)


def _assign_stack(stack, E, layers, list_name: str, kind: str) -> str | None:
    problem = _assign(stack, "embedding", [E])
    if problem:
        return problem
    found = getattr(stack, list_name, None)
    if found is None or len(found) != len(layers):
        return f"`{list_name}` should be a list of {len(layers)} layers, got {_describe(found)}."
    for layer, W in zip(found, layers):
        paths = {}
        for key in [k for k in W if k.startswith("mha")]:
            paths.update(
                {f"{key}.{n}": W[key][2 * i : 2 * i + 2] for i, n in enumerate(("wq", "wk", "wv", "dense"))}
            )
        problem = _set_all(layer, paths) or _set_all(
            layer, {k: v for k, v in W.items() if not k.startswith("mha")}
        )
        if problem:
            return problem
    return None


@_names_the_class
def _encoder_probe(cls, n_layers, d, h, dff, vocab, max_pe, m, T, seed):
    enc = cls(n_layers, d, h, dff, vocab, max_pe, 0.5)
    tokens = _tokens(seed, m, T, vocab)
    mask = (tokens != 0).astype(np.float32)[:, None, None, :]
    enc(tokens, padding_mask=mask, training=False)
    E, layers = stack_weights(seed, n_layers, d, dff, vocab, "enc")
    problem = _assign_stack(enc, E, layers, "enc_layers", "enc")
    if problem:
        return {"problem": problem}
    out = enc(tokens, padding_mask=mask, training=False)
    return {
        "out": np.asarray(out) if hasattr(out, "shape") else None,
        "got": _describe(out),
        "n": len(enc.weights),
    }


@exercise(
    params=(
        "num_layers",
        "d_model",
        "num_heads",
        "dff",
        "input_vocab_size",
        "maximum_position_encoding",
        "rate",
    ),
    hints=[
        "x = embedding(x) * sqrt(d_model) + pos_encoding[:, :seq_len, :]; dropout; then each layer of "
        "enc_layers in turn, with padding_mask."
    ],
)
def Encoder(ck: Check) -> None:
    cases = ck.pick([(2, 8, 2, 12, 9, 10, 2, 6)], [(1, 6, 3, 5, 7, 6, 3, 6), (3, 4, 2, 6, 5, 12, 1, 4)])
    for j, (n, d, h, dff, vocab, max_pe, m, T) in enumerate(cases):
        seed = ck.seed_base + j
        with ck.case(
            f"num_layers={n}, d_model={d}, num_heads={h}, dff={dff}, vocab={vocab}, x ({m}, {T}), seed {seed}"
        ):
            info = ck.in_kernel(_encoder_probe, n, d, h, dff, vocab, max_pe, m, T, seed)
            if n > 1 and info.get("n") == 17:
                ck.fail(
                    f"the encoder holds 17 weight tensors; expected {1 + 16 * n}.",
                    _STACK_MISTAKES["shared_layer"],
                )
            _layer_result(ck, {**info, "n": info.get("n", 1 + 16 * n)}, 1 + 16 * n, "x", (m, T, d))
            E, layers = stack_weights(seed, n, d, dff, vocab, "enc")
            tokens = _tokens(seed, m, T, vocab)
            mask = (tokens != 0).astype(np.float32)[:, None, None, :]
            names = [k for k in _STACK_MISTAKES if n > 1 or k != "shared_layer"]
            _lazy(
                ck,
                info["out"],
                keras_encoder(E, layers, tokens, mask, h),
                "the encoder's output on seeded weights (training=False)",
                lambda: {_STACK_MISTAKES[k]: keras_encoder(E, layers, tokens, mask, h, k) for k in names},
            )


# ----- the decoder layer ----------------------------------------------------------------------


def keras_decoder_layer(W, x, enc, look_ahead, padding, h: int, variant: str = ""):
    """A decoder layer composed of Keras's layers: (out3, weights1, weights2)."""
    ln = {i: (lambda a, i=i: _k_norm(W[f"layernorm{i}"], a)) for i in (1, 2, 3)}
    if variant == "pre_norm":
        a1, w1 = keras_mha(W["mha1"], ln[1](x), ln[1](x), ln[1](x), look_ahead, h)
        h1 = x + a1
        a2, w2 = keras_mha(W["mha2"], ln[2](h1), enc, enc, padding, h)
        h2 = h1 + a2
        return h2 + _ffn_keras(W["ffn"], ln[3](h2)), w1, w2
    a1, w1 = keras_mha(W["mha1"], x, x, x, None if variant == "no_look_ahead" else look_ahead, h)
    h1 = ln[1](x + a1)
    query = x if variant == "cross_from_x" else h1
    if variant == "cross_query_enc":
        a2, w2 = keras_mha(W["mha2"], enc, h1, h1, padding, h)
    else:
        a2, w2 = keras_mha(W["mha2"], query, enc, enc, None if variant == "no_padding" else padding, h)
    h2 = ln[2]((x if variant == "residual2_from_x" else h1) + a2)
    return ln[3](h2 + _ffn_keras(W["ffn"], h2)), w1, w2


_DECODER_LAYER_MISTAKES = {
    "no_look_ahead": "The look-ahead mask was not passed to the self-attention: self.mha1(x, x, x, "
    "look_ahead_mask).",
    "no_padding": "The padding mask was not passed to the cross-attention: self.mha2(out1, enc_output, "
    "enc_output, padding_mask).",
    "cross_from_x": "The cross-attention's queries are x: they are out1, the output of the first sublayer.",
    "cross_query_enc": "The cross-attention is the wrong way round: the queries come from the decoder "
    "(out1), "
    "the keys and values from the encoder (enc_output).",
    "residual2_from_x": "The second residual adds x: it adds out1, the second sublayer's input.",
    "pre_norm": "The layer norms come before the sublayers (pre-norm): here each comes after its residual "
    "sum.",
}


def _decoder_layer_inputs(seed: int, m: int, Ty: int, Tx: int, d: int):
    rng = _rng(seed, 6)
    x = rng.normal(0, 1.0, size=(m, Ty, d)).astype(np.float32)
    enc = rng.normal(0, 1.0, size=(m, Tx, d)).astype(np.float32)
    look_ahead = np.tril(np.ones((Ty, Ty), np.float32))
    padding = (_sequences(seed, m, Tx) != 0).astype(np.float32)[:, None, None, :]
    return x, enc, look_ahead, padding


@_names_the_class
def _decoder_layer_probe(cls, d, h, dff, m, Ty, Tx, seed):
    layer = cls(d, h, dff, 0.5)
    x, enc, look_ahead, padding = _decoder_layer_inputs(seed, m, Ty, Tx, d)
    layer(x, enc, look_ahead_mask=look_ahead, padding_mask=padding, training=False)
    W = layer_weights(seed, d, dff, "dec")
    paths = {}
    for key in ("mha1", "mha2"):
        paths.update(
            {f"{key}.{n}": W[key][2 * i : 2 * i + 2] for i, n in enumerate(("wq", "wk", "wv", "dense"))}
        )
    problem = _set_all(layer, paths) or _set_all(
        layer, {k: v for k, v in W.items() if not k.startswith("mha")}
    )
    if problem:
        return {"problem": problem}
    got = layer(x, enc, look_ahead_mask=look_ahead, padding_mask=padding, training=False)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return {"out": None, "got": _describe(got), "n": len(layer.weights)}
    return {
        "out": np.asarray(got[0]),
        "w1": np.asarray(got[1]),
        "w2": np.asarray(got[2]),
        "n": len(layer.weights),
    }


@exercise(
    params=("d_model", "num_heads", "dff", "rate"),
    hints=[
        "out1 = layernorm1(x + dropout1(mha1(x, x, x, look_ahead_mask))); out2 = layernorm2(out1 + "
        "dropout2(mha2(out1, enc_output, enc_output, padding_mask))); out3 = layernorm3(out2 + "
        "dropout3(ffn(out2)))."
    ],
)
def DecoderLayer(ck: Check) -> None:
    cases = ck.pick([(8, 2, 12, 2, 5, 5)], [(6, 3, 5, 2, 3, 6), (4, 2, 6, 1, 4, 4)])
    for j, (d, h, dff, m, Ty, Tx) in enumerate(cases):
        seed = ck.seed_base + j
        with ck.case(
            f"d_model={d}, num_heads={h}, dff={dff}, x ({m}, {Ty}, {d}), enc_output ({m}, {Tx}, {d}), seed "
            f"{seed}"
        ):
            info = ck.in_kernel(_decoder_layer_probe, d, h, dff, m, Ty, Tx, seed)
            _layer_result(ck, info, 26, "(out3, weights_block1, weights_block2)", (m, Ty, d))
            W = layer_weights(seed, d, dff, "dec")
            x, enc, look_ahead, padding = _decoder_layer_inputs(seed, m, Ty, Tx, d)
            want, w1, w2 = keras_decoder_layer(W, x, enc, look_ahead, padding, h)
            names = [n for n in _DECODER_LAYER_MISTAKES if Tx == Ty or n != "cross_query_enc"]
            if tuple(info["out"].shape) == (m, Tx, d) and Tx != Ty:
                ck.fail(
                    f"the output has shape {tuple(info['out'].shape)}; expected {(m, Ty, d)}.",
                    _DECODER_LAYER_MISTAKES["cross_query_enc"],
                )

            def variant(n):
                return keras_decoder_layer(W, x, enc, look_ahead, padding, h, n)

            _lazy(
                ck,
                info["w1"],
                w1,
                "weights_block1, the self-attention's weights",
                lambda: {_DECODER_LAYER_MISTAKES["no_look_ahead"]: variant("no_look_ahead")[1]},
                atol=1e-5,
            )
            _lazy(
                ck,
                info["out"],
                want,
                "out3 on seeded weights (training=False)",
                lambda: {_DECODER_LAYER_MISTAKES[n]: variant(n)[0] for n in names},
            )
            ck.array(
                info["w2"], w2, what="weights_block2, the cross-attention's weights", rtol=1e-4, atol=1e-5
            )


def keras_decoder(E, layers, tokens, enc, look_ahead, padding, h: int, variant: str = ""):
    x = keras_embed(E, tokens, variant).astype(np.float32)
    weights = {}
    for i, W in enumerate(layers):
        W = layers[-1] if variant == "shared_layer" else W
        la, pad = (None, None) if variant == "no_mask" else (look_ahead, padding)
        x, w1, w2 = keras_decoder_layer(W, x, enc, la, pad, h)
        weights[f"decoder_layer{i + 1}_block1"], weights[f"decoder_layer{i + 1}_block2"] = w1, w2
    return x, weights


@_names_the_class
def _decoder_probe(cls, n_layers, d, h, dff, vocab, max_pe, m, Ty, Tx, seed):
    dec = cls(n_layers, d, h, dff, vocab, max_pe, 0.5)
    tokens = _tokens(seed + 1, m, Ty, vocab)
    _, enc, look_ahead, padding = _decoder_layer_inputs(seed, m, Ty, Tx, d)
    dec(tokens, enc, look_ahead_mask=look_ahead, padding_mask=padding, training=False)
    E, layers = stack_weights(seed, n_layers, d, dff, vocab, "dec")
    problem = _assign_stack(dec, E, layers, "dec_layers", "dec")
    if problem:
        return {"problem": problem}
    got = dec(tokens, enc, look_ahead_mask=look_ahead, padding_mask=padding, training=False)
    if not isinstance(got, (tuple, list)) or len(got) != 2 or not isinstance(got[1], dict):
        return {"out": None, "got": _describe(got), "n": len(dec.weights)}
    return {
        "out": np.asarray(got[0]),
        "weights": {str(k): np.asarray(v) for k, v in got[1].items()},
        "n": len(dec.weights),
    }


@exercise(
    params=(
        "num_layers",
        "d_model",
        "num_heads",
        "dff",
        "target_vocab_size",
        "maximum_position_encoding",
        "rate",
    ),
    hints=[
        "As the encoder, each layer with (x, enc_output, look_ahead_mask, padding_mask); keep each layer's "
        "two "
        'weights in attention_weights[f"decoder_layer{i + 1}_block1"] and ..._block2.'
    ],
)
def Decoder(ck: Check) -> None:
    cases = ck.pick(
        [(2, 8, 2, 12, 9, 10, 2, 5, 6)], [(1, 6, 3, 5, 7, 6, 2, 4, 3), (3, 4, 2, 6, 5, 12, 1, 3, 5)]
    )
    for j, (n, d, h, dff, vocab, max_pe, m, Ty, Tx) in enumerate(cases):
        seed = ck.seed_base + j
        with ck.case(
            f"num_layers={n}, d_model={d}, num_heads={h}, x ({m}, {Ty}), enc_output ({m}, {Tx}, {d}), seed "
            f"{seed}"
        ):
            info = ck.in_kernel(_decoder_probe, n, d, h, dff, vocab, max_pe, m, Ty, Tx, seed)
            if n > 1 and info.get("n") == 27:
                ck.fail(
                    f"the decoder holds 27 weight tensors; expected {1 + 26 * n}.",
                    _STACK_MISTAKES["shared_layer"],
                )
            _layer_result(
                ck, {**info, "n": info.get("n", 1 + 26 * n)}, 1 + 26 * n, "(x, attention_weights)", (m, Ty, d)
            )
            E, layers = stack_weights(seed, n, d, dff, vocab, "dec")
            tokens = _tokens(seed + 1, m, Ty, vocab)
            _, enc, look_ahead, padding = _decoder_layer_inputs(seed, m, Ty, Tx, d)
            want, want_w = keras_decoder(E, layers, tokens, enc, look_ahead, padding, h)
            keys = sorted(want_w)
            ck.that(
                sorted(info["weights"]) == keys,
                f"attention_weights has the keys {sorted(info['weights'])}; expected {keys}.",
                'Name them f"decoder_layer{i + 1}_block1" and f"decoder_layer{i + 1}_block2", i counted '
                "from 0.",
            )
            names = [k for k in _STACK_MISTAKES if n > 1 or k != "shared_layer"]
            _lazy(
                ck,
                info["out"],
                want,
                "the decoder's output on seeded weights (training=False)",
                lambda: {
                    _STACK_MISTAKES[k]: keras_decoder(E, layers, tokens, enc, look_ahead, padding, h, k)[0]
                    for k in names
                },
            )
            for key in keys:
                ck.array(
                    info["weights"][key],
                    want_w[key],
                    what=f'attention_weights["{key}"]',
                    rtol=1e-4,
                    atol=1e-5,
                )


def transformer_weights(seed: int, n: int, d: int, dff: int, v_in: int, v_out: int):
    enc = stack_weights(seed, n, d, dff, v_in, "enc")
    dec = stack_weights(seed + 7, n, d, dff, v_out, "dec")
    final = _dense(seed, 50, d, v_out)
    return enc, dec, final


def _flat(enc, dec, final) -> list[np.ndarray]:
    """The arrays in the order of shared_utils.course5.transformer.ordered_weights."""
    out = [enc[0]]
    for W in enc[1]:
        out += W["mha"] + W["ffn"] + W["layernorm1"] + W["layernorm2"]
    out.append(dec[0])
    for W in dec[1]:
        out += W["mha1"] + W["mha2"] + W["ffn"] + W["layernorm1"] + W["layernorm2"] + W["layernorm3"]
    return out + final


def _transformer_inputs(seed: int, m: int, Tx: int, Ty: int, v_in: int, v_out: int):
    inp = _tokens(seed, m, Tx, v_in)
    tar = _tokens(seed + 3, m, Ty, v_out)
    tar[:, 0] = np.maximum(tar[:, 0], 1)
    return inp, tar


def keras_transformer(weights, inp, tar, h: int, variant: str = ""):
    enc, dec, final = weights
    pad_in = (inp != 0).astype(np.float32)[:, None, None, :]
    pad_tar = (tar != 0).astype(np.float32)[:, None, None, :]
    T = tar.shape[1]
    look = np.tril(np.ones((T, T), np.float32))
    combined = {"no_look_ahead": pad_tar, "look_ahead_only": np.broadcast_to(look, (len(tar), 1, T, T))}.get(
        variant, look * pad_tar
    )
    e = keras_encoder(enc[0], enc[1], inp, pad_in, h)
    y, w = keras_decoder(dec[0], dec[1], tar, e, combined, None if variant == "cross_no_mask" else pad_in, h)
    logits = np.asarray(y, np.float64) @ final[0] + final[1]
    if variant == "softmax":
        logits = softmax(logits, axis=-1)
    return logits, w


_TRANSFORMER_MISTAKES = {
    "no_look_ahead": "The decoder's self-attention sees the future: combine the look-ahead mask with the "
    "target's "
    "padding mask, create_look_ahead_mask(T) * create_padding_mask(tar).",
    "look_ahead_only": "The target's pads are not masked: the decoder's mask is create_look_ahead_mask(T) * "
    "create_padding_mask(tar).",
    "cross_no_mask": "The cross-attention got no mask: the decoder's padding_mask is the input's, "
    "create_padding_mask(inp).",
    "softmax": "The output went through a softmax: the final layer gives logits, Dense(target_vocab_size) "
    "with "
    "no activation (the loss applies the softmax).",
}


@_names_the_class
def _transformer_probe(cls, n, d, h, dff, v_in, v_out, pe_in, pe_out, m, Tx, Ty, seed):
    from shared_utils.course5 import transformer

    model = cls(n, d, h, dff, v_in, v_out, pe_in, pe_out, 0.5)
    inp, tar = _transformer_inputs(seed, m, Tx, Ty, v_in, v_out)
    model(inp, tar, training=False)
    try:
        variables = transformer.ordered_weights(model)
    except ValueError as exc:
        return {"problem": str(exc)}
    arrays = _flat(*transformer_weights(seed, n, d, dff, v_in, v_out))
    if len(variables) != len(arrays) or len(model.weights) != len(arrays):
        return {"problem": f"the model holds {len(model.weights)} weight tensors; expected {len(arrays)}."}
    for var, arr in zip(variables, arrays):
        if tuple(var.shape) != arr.shape:
            return {"problem": f"the weight {var.path} has shape {tuple(var.shape)}; expected {arr.shape}."}
        var.assign(arr)
    got = model(inp, tar, training=False)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return {"out": None, "got": _describe(got), "n": len(arrays)}
    return {"out": np.asarray(got[0]), "n": len(arrays), "keys": sorted(str(k) for k in dict(got[1]))}


@exercise(
    params=(
        "num_layers",
        "d_model",
        "num_heads",
        "dff",
        "input_vocab_size",
        "target_vocab_size",
        "pe_input",
        "pe_target",
        "rate",
    ),
    hints=[
        "enc_padding_mask = create_padding_mask(inp); look_ahead_mask = create_look_ahead_mask(T) * "
        "create_padding_mask(tar); encoder -> decoder (cross-attention with enc_padding_mask) -> final_layer."
    ],
)
def Transformer(ck: Check) -> None:
    cases = ck.pick([(1, 8, 2, 12, 9, 7, 10, 8, 2, 6, 5)], [(2, 4, 2, 6, 6, 5, 7, 5, 3, 7, 4)])
    for j, (n, d, h, dff, v_in, v_out, pe_in, pe_out, m, Tx, Ty) in enumerate(cases):
        seed = ck.seed_base + j
        with ck.case(
            f"num_layers={n}, d_model={d}, num_heads={h}, inp ({m}, {Tx}), tar ({m}, {Ty}), seed {seed}"
        ):
            info = ck.in_kernel(_transformer_probe, n, d, h, dff, v_in, v_out, pe_in, pe_out, m, Tx, Ty, seed)
            _layer_result(
                ck, {**info, "n": info.get("n", 0)}, info.get("n", 0), "(final_output, attention_weights)", ()
            )
            weights = transformer_weights(seed, n, d, dff, v_in, v_out)
            inp, tar = _transformer_inputs(seed, m, Tx, Ty, v_in, v_out)
            want, want_w = keras_transformer(weights, inp, tar, h)
            ck.that(
                info["keys"] == sorted(want_w),
                f"attention_weights has the keys {info['keys']}; expected {sorted(want_w)}.",
                "Return the decoder's dict as it is.",
            )
            _lazy(
                ck,
                info["out"],
                want,
                "the logits on seeded weights (training=False)",
                lambda: {
                    hint: keras_transformer(weights, inp, tar, h, k)[0]
                    for k, hint in _TRANSFORMER_MISTAKES.items()
                },
            )

"""Checks for course 4, notebook 7: face verification and recognition with a triplet loss.

Oracles, none of them a copy of the notebook's solution:

* ``triplet_loss``: scikit-learn's ``paired_distances`` (Euclidean) squared, in float64, on
  seeded anchor / positive / negative batches of several sizes and margins; the five mistakes
  of the issue (distances summed over the batch axis, no max(., 0), a mean over the batch, the
  margin subtracted, unsquared distances) are computed from the same oracle distances and
  shown as hints.  A batch where every triplet is already satisfied must give exactly 0.
* ``verify`` and ``who_is_it``: a database whose entries are the stand-in model's own
  encodings of seeded images moved by a chosen distance (0.3, 0.55, 0.65, 0.9...), so that the
  expected distance is known exactly (``np.linalg.norm`` of the offset) and lies on both sides
  of the 0.6 threshold, where a squared or L1 distance or a reversed comparison changes the
  answer.  The stand-in model (global average pool, then a seeded dense layer to 128) is built
  in the kernel by the probe; the check computes the encodings with the same seeded weights
  in NumPy.  An unknown identity must raise ``KeyError``.
"""

from __future__ import annotations

import numpy as np

from shared_utils.engine.checking import Check, _describe, exercise

THRESHOLD = 0.6
SIZE = 150
NO_MAX = (
    "The max(..., 0) is missing: a triplet already satisfied must add 0, not a negative amount "
    "(tf.maximum(basic_loss, 0.0))."
)
LAST_ENTRY = "You returned the distance to the last entry of the database, not the smallest one."


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(4700 + seed)


# ----- triplet_loss ---------------------------------------------------------------------------


def _sq_dist(a, b) -> np.ndarray:
    from sklearn.metrics.pairwise import paired_distances

    return paired_distances(a, b, metric="euclidean") ** 2


def _triplet_probe(fn, a, p, n, alpha):
    import tensorflow as tf

    got = fn(None, (tf.constant(a), tf.constant(p), tf.constant(n)), alpha)
    return np.asarray(got)


@exercise(
    params=("y_true", "y_pred", "alpha"),
    hints=[
        "Per triplet: squared distances along the last axis (tf.reduce_sum(tf.square(...), axis=-1)), "
        "then max(pos - neg + alpha, 0), then the sum over the batch."
    ],
)
def triplet_loss(ck: Check) -> None:
    cases = ck.pick([(0, 4, 8, 0.2), (1, 7, 3, 0.5)], [(2, 1, 128, 0.2), (3, 16, 5, 0.05), (4, 9, 9, 1.0)])
    for base, m, d, alpha in cases:
        seed = ck.seed_base + base
        rng = _rng(seed)
        a = rng.normal(0, 1, (m, d)).astype(np.float32)
        p = (a + rng.normal(0, 0.6, (m, d))).astype(np.float32)
        n = (a + rng.normal(0, 0.8, (m, d))).astype(np.float32)
        with ck.case(f"{m} triplets of {d}-d encodings, alpha={alpha} (seed {seed})"):
            got = ck.in_kernel(_triplet_probe, a, p, n, alpha)
            a64, p64, n64 = (v.astype(np.float64) for v in (a, p, n))
            pos, neg = _sq_dist(a64, p64), _sq_dist(a64, n64)
            expected = float(np.sum(np.maximum(pos - neg + alpha, 0)))
            pos0, neg0 = np.sum((a64 - p64) ** 2, 0), np.sum((a64 - n64) ** 2, 0)
            mistakes = {
                "You summed the squared differences over the batch axis (axis=0): sum over the last axis "
                "(axis=-1), one distance per triplet.": float(np.sum(np.maximum(pos0 - neg0 + alpha, 0))),
                NO_MAX: float(np.sum(pos - neg + alpha)),
                "You took the mean over the triplets: the loss is their sum (tf.reduce_sum).": float(
                    np.mean(np.maximum(pos - neg + alpha, 0))
                ),
                "The margin has the wrong sign: pos_dist - neg_dist + alpha.": float(
                    np.sum(np.maximum(pos - neg - alpha, 0))
                ),
                "You used unsquared distances: both distances are squared (no tf.sqrt / tf.norm).": float(
                    np.sum(np.maximum(np.sqrt(pos) - np.sqrt(neg) + alpha, 0))
                ),
                "The negative's distance is not squared while the positive's is: square both.": float(
                    np.sum(np.maximum(pos - np.sqrt(neg) + alpha, 0))
                ),
                "The positive's distance is not squared while the negative's is: square both.": float(
                    np.sum(np.maximum(np.sqrt(pos) - neg + alpha, 0))
                ),
            }
            ck.scalar(got, expected, what="the loss", rtol=1e-4, atol=1e-5, mistakes=mistakes)
    with ck.case("4 triplets whose negatives are all far away: every term is 0"):
        rng = _rng(ck.seed_base + 9)
        a = rng.normal(0, 1, (4, 6)).astype(np.float32)
        got = ck.in_kernel(_triplet_probe, a, a + 0.01, a + 5.0, 0.2)
        ck.scalar(
            got,
            0.0,
            what="the loss",
            atol=1e-5,
            mistakes={NO_MAX: float(np.sum(_sq_dist(a, a + 0.01) - _sq_dist(a, a + 5.0) + 0.2))},
        )


# ----- the stand-in model and database of verify / who_is_it ---------------------------------


def _standin_kernel(seed: int) -> np.ndarray:
    return _rng(1000 + seed).normal(0, 0.05, (3, 128)).astype(np.float32)


def _standin_model(seed: int):
    """A tiny Keras model (1, 150, 150, 3) -> (1, 128): mean colour times a seeded matrix."""
    import keras

    inputs = keras.Input(shape=(SIZE, SIZE, 3))
    x = keras.layers.GlobalAveragePooling2D()(inputs)
    dense = keras.layers.Dense(128, use_bias=False, name="standin_dense")
    outputs = dense(x)
    model = keras.Model(inputs, outputs, name="standin_encoder")
    dense.set_weights([_standin_kernel(seed)])
    return model


def _faces(seed: int, k: int) -> np.ndarray:
    rng = _rng(2000 + seed)
    return rng.uniform(0, 255, (k, SIZE, SIZE, 3)).astype(np.uint8)


def _encoding(image: np.ndarray, seed: int) -> np.ndarray:
    return image.astype(np.float32).mean((0, 1)) @ _standin_kernel(seed)


def _offset(rng, distance: float) -> np.ndarray:
    v = rng.normal(size=128)
    return (distance * v / np.linalg.norm(v)).astype(np.float32)


def _database(seed: int, distances: dict[str, float], image: np.ndarray) -> dict[str, np.ndarray]:
    """Entries at exactly the given distances from the stand-in encoding of ``image``."""
    rng = _rng(3000 + seed)
    base = _encoding(image, seed)
    return {name: (base + _offset(rng, d)).astype(np.float32) for name, d in distances.items()}


def _verify_probe(fn, image, identity, database, seed):
    result = fn(image, identity, database, _standin_model(seed))
    return (
        tuple(np.asarray(r) if hasattr(r, "numpy") else r for r in result)
        if isinstance(result, tuple)
        else result
    )


def _unknown_probe(fn, image, database, seed):
    try:
        fn(image, "nobody_like_this", database, _standin_model(seed))
    except KeyError as exc:
        return "KeyError:" + str(exc)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return "no error"


VERIFY_CASES = [0.3, 0.55, 0.65, 0.9]


@exercise(
    params=("image", "identity", "database", "model"),
    hints=["dist = np.linalg.norm(encoding - database[identity]); the door opens when dist < 0.6."],
)
def verify(ck: Check) -> None:
    seed = ck.seed_base
    image = _faces(seed, 1)[0]
    distances = {
        f"person_{i}": d for i, d in enumerate(ck.pick(VERIFY_CASES, VERIFY_CASES + [0.1, 0.7, 1.3]))
    }
    database = _database(seed, distances, image)
    for identity, d in distances.items():
        with ck.case(f"verify(image, {identity!r}, ...) where the database entry is {d} away"):
            got = ck.in_kernel(_verify_probe, image, identity, database, seed)
            dist, door = ck.returns(got, "dist, door_open")
            expected = float(np.linalg.norm(_encoding(image, seed) - database[identity]))
            ck.scalar(
                dist,
                expected,
                what="dist",
                rtol=1e-4,
                atol=1e-5,
                mistakes={
                    "You returned the squared distance: take the Euclidean norm (np.linalg.norm).": expected
                    ** 2,
                    "You used the L1 distance (sum of absolute values): use the Euclidean norm.": float(
                        np.abs(_encoding(image, seed) - database[identity]).sum()
                    ),
                },
            )
            ck.that(
                isinstance(door, (bool, np.bool_)) and bool(door) == (expected < THRESHOLD),
                f"door_open: expected {expected < THRESHOLD} (distance {expected:.3f}, "
                f"threshold {THRESHOLD}), received {_describe(door)}.",
                "The door opens when the distance is BELOW the threshold: door_open = bool(dist < 0.6)."
                if isinstance(door, (bool, np.bool_))
                else "Return door_open as a bool (True or False).",
            )
    with ck.case("verify with an identity that is not in the database"):
        got = ck.in_kernel(_unknown_probe, image, database, seed)
        ck.that(
            got.startswith("KeyError") and "nobody_like_this" in got,
            f"expected a KeyError naming the unknown identity 'nobody_like_this'; received {got}.",
            'Test `if identity not in database:` first and raise KeyError(f"... {identity} ...").',
        )


def _who_probe(fn, image, database, seed):
    result = fn(image, database, _standin_model(seed))
    return (
        tuple(np.asarray(r) if hasattr(r, "numpy") else r for r in result)
        if isinstance(result, tuple)
        else result
    )


WHO_CASES = [
    {"ana": 0.9, "ben": 0.35, "cai": 0.5, "dee": 0.8},
    {"eve": 0.7, "fay": 0.95, "gus": 0.65},
    {"hal": 0.2, "ivy": 1.1},
]
WHO_EXTENDED = [{"jo": 0.58, "kim": 0.62, "lee": 0.61}, {"max": 0.45}, {"ned": 1.2, "oda": 0.75, "pia": 0.9}]


@exercise(
    params=("image", "database", "model"),
    hints=[
        "Loop over database.items(), keep the smallest distance and its name; identity is None "
        "unless that distance is below 0.6."
    ],
)
def who_is_it(ck: Check) -> None:
    for k, distances in enumerate(ck.pick(WHO_CASES, WHO_CASES + WHO_EXTENDED)):
        seed = ck.seed_base + k
        image = _faces(seed, 1)[0]
        database = _database(seed, distances, image)
        with ck.case(f"who_is_it with a database at distances {distances}"):
            got = ck.in_kernel(_who_probe, image, database, seed)
            min_dist, identity = ck.returns(got, "min_dist, identity")
            enc = _encoding(image, seed)
            real = {name: float(np.linalg.norm(enc - e)) for name, e in database.items()}
            nearest = min(real, key=real.get)
            farthest = max(real, key=real.get)
            ck.scalar(
                min_dist,
                real[nearest],
                what="min_dist",
                rtol=1e-4,
                atol=1e-5,
                mistakes={
                    "You kept the largest distance: keep the smallest one (dist < min_dist).": real[farthest],
                    "You returned the squared distance: take the Euclidean norm (np.linalg.norm).": real[
                        nearest
                    ]
                    ** 2,
                    LAST_ENTRY: real[list(real)[-1]],
                },
            )
            expected = nearest if real[nearest] < THRESHOLD else None
            hint = None
            if identity == nearest and expected is None:
                hint = (
                    "The nearest entry is too far (not below 0.6): return identity None, the face is unknown."
                )
            elif identity is None and expected is not None:
                hint = "The nearest entry is below the threshold: return its name."
            ck.that(
                identity == expected,
                f"identity: expected {expected!r}, received {_describe(identity)}.",
                hint,
            )

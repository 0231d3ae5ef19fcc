"""Checks for course 5, notebook 5: operations on word vectors, and debiasing.

Oracles:

* ``cosine_similarity``: scikit-learn's ``sklearn.metrics.pairwise.cosine_similarity`` on
  random vectors (float64), and the published GloVe 6B 50-d figures cos(father, mother) =
  0.8909 and cos(ball, crocodile) = 0.2744 (to 4 decimals); a zero vector must raise
  ``ValueError``.
* ``complete_analogy``: scikit-learn's cosine similarity of every GloVe row with
  e_c + e_b - e_a, in float64, the three input words left out; man:woman::king:queen and
  other analogies whose answers are known.  That the search is vectorized is checked by
  :func:`_lines_probe`, which counts the lines of the learner's own code that run during one
  analogy (a count, not a timing: a loaded computer cannot change the verdict).
* ``neutralize``: the projection written with ``np.linalg.lstsq`` (the least-squares
  coefficient of e on g), and the property that the result is perpendicular to g.
* ``equalize``: Bolukbasi et al.'s formulas in float64, plus the properties they guarantee:
  unit length, the same part perpendicular to g, difference parallel to g, first word on the
  side of g it started on.

Known mistakes (shown as specific hints, never used to pass) come from NumPy variants.
"""

from __future__ import annotations

import numpy as np

from shared_utils.engine.checking import Check, _describe, exercise

LINE_LIMIT = 200
PUBLISHED = [("father", "mother", 0.8909), ("ball", "crocodile", 0.2744)]
ANALOGIES = [
    ("man", "woman", "king", "queen"),
    ("italy", "italian", "spain", "spanish"),
    ("man", "woman", "boy", "girl"),
    ("small", "smaller", "large", "larger"),
]
ANALOGIES_EXTENDED = [("france", "paris", "japan", "tokyo"), ("brother", "sister", "son", "daughter")]


def _glove():
    from shared_utils.data.glove import load_glove

    return load_glove()


def _sk_cosine(a, b) -> np.ndarray:
    from sklearn.metrics.pairwise import cosine_similarity

    return cosine_similarity(
        np.atleast_2d(np.asarray(a, np.float64)), np.atleast_2d(np.asarray(b, np.float64))
    )


# ----- cosine_similarity ----------------------------------------------------------------------


@exercise(
    params=("u", "v"),
    hints=["Divide the dot product by the product of both norms (np.linalg.norm)."],
)
def cosine_similarity(ck: Check) -> None:
    for seed in ck.seeds(3, 8):
        rng = np.random.default_rng(5500 + seed)
        n = int(rng.integers(2, 60))
        u, v = rng.normal(0, 2, n), rng.normal(0, 0.5, n) + 0.3 * rng.normal(size=1)
        with ck.case(f"two random vectors of {n} numbers (seed {seed})"):
            got = ck.call(u, v)
            dot = float(u @ v)
            ck.scalar(
                got,
                float(_sk_cosine(u, v)[0, 0]),
                what="the cosine",
                rtol=1e-6,
                mistakes={
                    "You returned the dot product: divide it by the norms of both vectors.": dot,
                    "You divided by the norm of u only: divide by the product of both norms.": dot
                    / np.linalg.norm(u),
                    "You divided by the norm of v only: divide by the product of both norms.": dot
                    / np.linalg.norm(v),
                    "You divided by the norm of the sum (or difference) of the vectors.": dot
                    / np.linalg.norm(u + v),
                },
            )
    glove = _glove()
    for a, b, published in PUBLISHED:
        with ck.case(f"cos({a}, {b}) of GloVe, published as {published}"):
            got = ck.scalar(ck.call(glove[a], glove[b]), published, what="the cosine", atol=5e-5)
    with ck.case("a zero vector"):
        got = ck.in_kernel(_zero_probe)
        ck.that(
            got == "ValueError",
            f"the cosine of a zero vector should raise ValueError; yours gave {got}.",
            "Test the norms first and `raise ValueError(...)` when one of them is 0.",
        )


def _zero_probe(fn) -> str:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = fn(np.zeros(5), np.ones(5))
    except ValueError:
        return "ValueError"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return f"the value {_describe(value)}"


# ----- complete_analogy -----------------------------------------------------------------------


def _oracle_scores(a: str, b: str, c: str) -> np.ndarray:
    glove = _glove()
    target = glove[c].astype(np.float64) + glove[b] - glove[a]
    return _sk_cosine(glove.vectors, target)[:, 0]


def _analogy_probe(fn, a: str, b: str, c: str):
    return fn(a, b, c, _glove())


def _lines_probe(fn) -> dict:
    """How many lines of the learner's own code run during one analogy (in the kernel); the
    run is stopped once the count passes ``2 * LINE_LIMIT``."""
    import time

    from shared_utils.engine.checking import learner_lines

    glove = _glove()
    start = time.perf_counter()
    lines = learner_lines(fn, "man", "woman", "king", glove, cap=2 * LINE_LIMIT)
    return {"lines": lines, "seconds": time.perf_counter() - start}


@exercise(
    params=("word_a", "word_b", "word_c", "glove"),
    hints=[
        "Score every word at once: glove.vectors @ target, divided by the norms of the rows and "
        "of the target; leave out the three input words before np.argmax."
    ],
)
def complete_analogy(ck: Check) -> None:
    glove = _glove()
    for a, b, c, answer in ck.pick(ANALOGIES, ANALOGIES_EXTENDED):
        with ck.case(f"{a} : {b} :: {c} : ?"):
            got = ck.in_kernel(_analogy_probe, a, b, c)
            ck.instance(got, str, "the answer")
            scores = _oracle_scores(a, b, c)
            inputs = [glove.index(w) for w in (a, b, c)]
            if got in (a, b, c):
                ck.fail(
                    f"you returned {got!r}, one of the three input words; expected {answer!r}.",
                    "Leave out the three input words (set their cosines to -np.inf) before np.argmax.",
                )
            kept = scores.copy()
            kept[inputs] = -np.inf
            expected = glove.words[int(np.argmax(kept))]
            worst = scores.copy()
            worst[inputs] = np.inf
            hint = None
            if got == glove.words[int(np.argmin(worst))]:
                hint = "You returned the least similar word: the answer maximises the cosine (np.argmax)."
            ck.that(
                got == expected and expected == answer,
                f"expected {expected!r}, got {got!r}.",
                hint,
            )
    with ck.case("one analogy over the 400,000 words, counting the lines of your code that run"):
        probe = ck.in_kernel(_lines_probe)
        lines = int(probe["lines"])
        ck.that(
            lines < LINE_LIMIT,
            f"complete_analogy ran {'more than ' if lines > 2 * LINE_LIMIT else ''}{lines:,} lines of your "
            f"code for one analogy (in {probe['seconds']:.1f} s); a loop over the words runs at least "
            f"{len(glove):,}, a vectorized version a handful (the limit is {LINE_LIMIT}).",
            "No Python loop over the vocabulary: one matrix-vector product scores every word.",
        )
    if not ck.extended:
        print(f"   one analogy ran {lines} lines of your code in {probe['seconds'] * 1000:.0f} ms")


# ----- neutralize -----------------------------------------------------------------------------


@exercise(
    params=("e", "g"),
    hints=["The projection of e on g is (e . g / ||g||^2) g; subtract it from e."],
    in_place="Build a new array (`e - e_bias`), not `e -= ...`.",
)
def neutralize(ck: Check) -> None:
    for seed in ck.seeds(3, 8):
        rng = np.random.default_rng(5600 + seed)
        n = int(rng.integers(3, 50))
        e, g = rng.normal(0, 1.5, n), rng.normal(0, 0.7, n)
        with ck.case(f"random e and g of {n} numbers (seed {seed})"):
            got = ck.call(e, g)
            coef = np.linalg.lstsq(g[:, None], e, rcond=None)[0][0]
            expected = e - coef * g
            ck.array(
                got,
                expected,
                what="the neutralized vector",
                rtol=1e-6,
                atol=1e-9,
                mistakes={
                    "You forgot to divide by ||g||^2: the coefficient is e . g / (g . g).": e - (e @ g) * g,
                    "You divided by ||g||, not its square: the coefficient is e . g / (g . g).": e
                    - (e @ g) / np.linalg.norm(g) * g,
                    "You subtracted a multiple of e: the projection is along g.": e - (e @ g) / (g @ g) * e,
                    "You divided by ||e||^2: the coefficient is e . g / (g . g).": e - (e @ g) / (e @ e) * g,
                    "You returned the projection itself: subtract it from e.": coef * g,
                },
            )
            ck.that(
                abs(float(np.asarray(got) @ g)) < 1e-8 * np.linalg.norm(e) * np.linalg.norm(g) + 1e-10,
                "the result is not perpendicular to g.",
            )


# ----- equalize -------------------------------------------------------------------------------


def _equalize(e1, e2, g, sign=1.0, root=True):
    e1, e2 = e1 / np.linalg.norm(e1), e2 / np.linalg.norm(e2)
    proj = lambda x: (x @ g) / (g @ g) * g  # noqa: E731
    mu = (e1 + e2) / 2
    mu_b = proj(mu)
    nu = mu - mu_b
    scale = np.sqrt(abs(1 - nu @ nu)) if root else 1.0
    out = []
    for e in (e1, e2):
        d = proj(e) - mu_b
        out.append(nu + sign * scale * d / np.linalg.norm(d))
    return tuple(out)


@exercise(
    params=("e1", "e2", "g"),
    hints=["nu = mu - mu_B; each new vector is nu + sqrt(1 - ||nu||^2) (e_iB - mu_B) / ||e_iB - mu_B||."],
)
def equalize(ck: Check) -> None:
    cases = []
    for seed in ck.seeds(3, 8):
        rng = np.random.default_rng(5700 + seed)
        n = int(rng.integers(3, 50))
        g = rng.normal(size=n)
        base = rng.normal(size=n)
        cases.append(
            (
                f"random pair of {n} numbers (seed {seed})",
                base + 0.8 * g + rng.normal(0, 0.3, n),
                base - 0.5 * g + rng.normal(0, 0.3, n),
                g,
            )
        )
    glove = _glove()
    g = glove["woman"] - glove["man"]
    cases.append(("GloVe's actress and actor, g = woman - man", glove["actress"], glove["actor"], g))
    for what, e1, e2, g in cases:
        e1, e2, g = (np.asarray(x, np.float64) for x in (e1, e2, g))
        with ck.case(what):
            got = ck.returns(ck.call(e1, e2, g), "e1_new, e2_new")
            expected = _equalize(e1, e2, g)
            flipped = _equalize(e1, e2, g, sign=-1.0)
            no_root = _equalize(e1, e2, g, root=False)
            swapped = "The two words swapped sides of g: the sign of (e_iB - mu_B) is reversed."
            short = "Your vectors are not of length 1: the sqrt(1 - ||nu||^2) factor is missing."
            for k, name in enumerate(("e1_new", "e2_new")):
                mistakes = {swapped: flipped[k], short: no_root[k]}
                ck.array(got[k], expected[k], what=name, rtol=1e-6, atol=1e-9, mistakes=mistakes)
            ck.that(
                np.allclose([np.linalg.norm(got[0]), np.linalg.norm(got[1])], 1, atol=1e-6),
                "the new vectors should have length 1.",
            )

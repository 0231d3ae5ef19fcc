"""Plausible mistakes for course5_sequence/05_word_vectors."""

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- cosine_similarity -----

edit = wrong.edits("cosine_similarity")
edit(
    "cosine_dot_only",
    "return float(np.dot(u, v) / (norm_u * norm_v))",
    "return float(np.dot(u, v))",
    expect="You returned the dot product",
)
edit(
    "cosine_one_norm",
    "return float(np.dot(u, v) / (norm_u * norm_v))",
    "return float(np.dot(u, v) / norm_u)",
    expect="You divided by the norm of u only",
)
edit(
    "cosine_zero_nan",
    [
        ("    if norm_u == 0 or norm_v == 0:\n", ""),
        ('        raise ValueError("the cosine similarity of a zero vector is undefined")\n', ""),
    ],
    expect="should raise ValueError",
)

# ----- complete_analogy -----

edit = wrong.edits("complete_analogy")
edit(
    "analogy_returns_input",
    "    cosines[[glove.index(w) for w in (word_a, word_b, word_c)]] = -np.inf\n",
    "",
    expect="one of the three input words",
)
edit(
    "analogy_argmin",
    [
        ("= -np.inf", "= np.inf"),
        ("np.argmax(cosines)", "np.argmin(cosines)"),
    ],
    expect="You returned the least similar word",
)


@wrong("complete_analogy", expect="lines of your code for one analogy")
def analogy_loop(word_a, word_b, word_c, glove):  # a loop over the vocabulary
    e_a, e_b, e_c = glove[word_a], glove[word_b], glove[word_c]
    target = e_c + e_b - e_a
    best, best_word = -np.inf, None
    for w, e in zip(glove.words, glove.vectors):
        if w in (word_a, word_b, word_c):
            continue
        cos = e @ target / (np.linalg.norm(e) * np.linalg.norm(target))
        if cos > best:
            best, best_word = cos, w
    return best_word


# ----- neutralize -----

edit = wrong.edits("neutralize")
edit(
    "neutralize_no_square",
    "e_bias = np.dot(e, g) / np.dot(g, g) * g",
    "e_bias = np.dot(e, g) * g",
    expect="You forgot to divide by ||g||^2",
)
edit(
    "neutralize_wrong_vector",
    "e_bias = np.dot(e, g) / np.dot(g, g) * g",
    "e_bias = np.dot(e, g) / np.dot(g, g) * e",
    expect="You subtracted a multiple of e",
)
edit(
    "neutralize_norm_not_squared",
    "e_bias = np.dot(e, g) / np.dot(g, g) * g",
    "e_bias = np.dot(e, g) / np.linalg.norm(g) * g",
    expect="You divided by ||g||, not its square",
)

# ----- equalize -----

edit = wrong.edits("equalize")
edit(
    "equalize_sign",
    [("scale * (e1_b - mu_b)", "scale * (mu_b - e1_b)"), ("scale * (e2_b - mu_b)", "scale * (mu_b - e2_b)")],
    expect="The two words swapped sides of g",
)
edit(
    "equalize_no_sqrt",
    "scale = np.sqrt(abs(1 - np.dot(nu, nu)))",
    "scale = 1.0",
    expect="the sqrt(1 - ||nu||^2) factor is missing",
)

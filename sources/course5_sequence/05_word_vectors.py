# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Operations on word vectors, and debiasing
#     minutes: 1
#     fast:
#       timing_repeats: 1
# ---

# %% [markdown]
# # Operations on word vectors, and debiasing
#
# **What you will build:** the cosine similarity of two word vectors, an analogy solver
# ("man is to woman as king is to ?") that searches all 400,000 words of GloVe at once, and
# the two steps of Bolukbasi et al.'s (2016) debiasing: neutralizing a word along a bias
# direction and equalizing a pair of words around it.
#
# **What you will learn:** why the angle between word vectors, not their length, measures
# how related two words are; how differences between vectors carry relations; how a
# direction such as gender can be read off the vectors, how much of it occupations and names
# carry, and how to remove it from words that should not carry it.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes well under a minute.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import matplotlib.pyplot as plt
import numpy as np

from shared_utils import headline
from shared_utils.checks import c5_05_word_vectors as check
from shared_utils.course5 import word_vectors
from shared_utils.data.glove import load_glove

# %% tags=["parameters"]
# Repeats of the timing of the analogy search (section 2; the best is kept).
timing_repeats = 3

# %% [markdown]
# ## 0. The word vectors
#
# GloVe (Pennington et al., 2014) gives every word of its vocabulary a vector, here of 50
# numbers, learned so that words used in similar contexts get similar vectors. The given
# `load_glove()` returns an object `glove` holding them: `glove.vectors` is the
# `(400000, 50)` array, `glove.words` the list of words in the same order, `glove.index(word)`
# a word's row and `glove.vector(word)` (or `glove[word]`) its vector.

# %%
glove = load_glove()
print(f"{len(glove):,} words, vectors of {glove.dim} numbers")
print("the vector of 'king' starts with", np.round(glove["king"][:5], 3))

# %% [markdown]
# ## 1. Cosine similarity
#
# Two words are similar when their vectors point the same way. The cosine of the angle
# between $u$ and $v$ measures it:
#
# $$\operatorname{cosine\_similarity}(u, v) = \frac{u \cdot v}{\lVert u\rVert_2\,\lVert v\rVert_2} = \cos\theta$$
#
# It is 1 for vectors pointing the same way, 0 for perpendicular ones and -1 for opposite
# ones, whatever their lengths. A zero vector has no direction, so its cosine is undefined.
#
# **Exercise 1, `cosine_similarity`** (4 lines). Return the cosine as a Python `float`.
# If either vector has norm 0, raise `ValueError` with a message saying so (a silent NaN
# would spread through every later computation).

# %%
def cosine_similarity(u, v):
    """The cosine of the angle between the vectors u and v (ValueError if one is zero)."""
    ### BEGIN SOLUTION
    norm_u, norm_v = np.linalg.norm(u), np.linalg.norm(v)
    if norm_u == 0 or norm_v == 0:
        raise ValueError("the cosine similarity of a zero vector is undefined")
    return float(np.dot(u, v) / (norm_u * norm_v))
    ### END SOLUTION


# %%
check.cosine_similarity(cosine_similarity)

# %%
for a, b in [("father", "mother"), ("ball", "crocodile"), ("france", "paris"), ("france", "italy")]:
    print(f"cos({a}, {b}) = {cosine_similarity(glove[a], glove[b]):.4f}")
print(f"cos(france - paris, rome - italy) = "
      f"{cosine_similarity(glove['france'] - glove['paris'], glove['rome'] - glove['italy']):.4f}")

# %% [markdown]
# The last line compares two *differences*: "France minus Paris" points roughly opposite to
# "Rome minus Italy" (a clearly negative cosine), because each is the country-capital
# relation, once in each direction.
#
# ## 2. Word analogies
#
# "*a* is to *b* as *c* is to *d*": the relation from *a* to *b*, the vector $e_b - e_a$,
# should also lead from *c* to *d*, so $e_d \approx e_c + e_b - e_a$. The answer is the word
# whose vector points most nearly that way:
#
# $$d = \arg\max_{w} \ \cos\bigl(e_w,\ e_c + e_b - e_a\bigr)$$
#
# over every word except *a*, *b* and *c* themselves (otherwise *c* itself often wins).
#
# **Exercise 2, `complete_analogy`** (4 to 6 lines). With no Python loop over the words:
#
# 1. compute the cosine of every row of `glove.vectors` with `e_c + e_b - e_a` at once: one
#    matrix-vector product, divided by the norms of the rows (`np.linalg.norm(..., axis=1)`)
#    and of the target;
# 2. set the cosines of the three input words to `-np.inf`, and return the word of the
#    largest cosine (`np.argmax`), as a string.

# %%
def complete_analogy(word_a, word_b, word_c, glove):
    """The word d such that word_a is to word_b as word_c is to d, searched over all of glove."""
    e_a, e_b, e_c = glove[word_a], glove[word_b], glove[word_c]
    ### BEGIN SOLUTION
    target = e_c + e_b - e_a
    cosines = glove.vectors @ target / (np.linalg.norm(glove.vectors, axis=1) * np.linalg.norm(target))
    cosines[[glove.index(w) for w in (word_a, word_b, word_c)]] = -np.inf
    return glove.words[int(np.argmax(cosines))]
    ### END SOLUTION


# %%
check.complete_analogy(complete_analogy)

# %%
best = np.inf
for _ in range(timing_repeats):
    start = time.perf_counter()
    complete_analogy("man", "woman", "king", glove)
    best = min(best, time.perf_counter() - start)
print(f"one analogy over {len(glove):,} words: {best * 1000:.0f} ms")
solved = 0
for a, b, c, answer in word_vectors.ANALOGIES:
    found = complete_analogy(a, b, c, glove)
    solved += found == answer
    print(f"{a} -> {b}  ::  {c} -> {found:<10} {'(right)' if found == answer else f'(expected {answer})'}")
print(f"solved {solved} of {len(word_vectors.ANALOGIES)}")

# %% [markdown]
# ## 3. A gender direction, and what carries it
#
# The same arithmetic reveals what the vectors learned from the text they were trained on,
# stereotypes included. A **gender direction** $g$ is the average of the differences of a few
# pairs such as woman - man, she - he, mother - father. The cosine of a word with $g$ says how
# far towards "woman" (positive) or "man" (negative) the word leans:

# %%
g = np.mean([glove[f] - glove[m] for m, f in word_vectors.GENDER_PAIRS], axis=0)
words = word_vectors.NAMES + word_vectors.OCCUPATIONS
fig = word_vectors.projections(words, glove.matrix(words), None, g)
plt.show()
for w in words:
    print(f"{w:>13}: {cosine_similarity(glove[w], g):+.3f}")

# %% [markdown]
# Names leaning one way or the other is expected: they are used for women or men. For the
# occupations, the lean is a trace of how the training text spoke about them.
#
# ## 4. Neutralizing
#
# A word that should be neutral with respect to gender, such as an occupation, can be made
# so by removing its component along $g$, its projection:
#
# $$e^{\text{bias}} = \frac{e \cdot g}{\lVert g\rVert_2^2}\, g, \qquad e^{\text{debiased}} = e - e^{\text{bias}}$$
#
# What is left is perpendicular to $g$.
#
# **Exercise 3, `neutralize`** (2 lines). Return $e^{\text{debiased}}$ for a vector `e` and a
# bias direction `g` (of any length).

# %%
def neutralize(e, g):
    """e without its component along g: perpendicular to g."""
    ### BEGIN SOLUTION
    e_bias = np.dot(e, g) / np.dot(g, g) * g
    return e - e_bias
    ### END SOLUTION


# %%
check.neutralize(neutralize)

# %%
occupations = word_vectors.OCCUPATIONS
before = glove.matrix(occupations)
after = np.array([neutralize(glove[w], g) for w in occupations])
fig = word_vectors.projections(occupations, before, after, g)
plt.show()
neutral = [abs(cosine_similarity(e, g)) for e in after]
print(f"largest |cosine with g| before: {max(abs(cosine_similarity(e, g)) for e in before):.3f}, "
      f"after: {max(neutral):.1e}")

# %% [markdown]
# Before, the occupations lean in both directions; after, every bar has vanished: the
# neutralized vectors carry no component along $g$, and everything else about them is kept.
#
# ## 5. Equalizing
#
# Some pairs should differ *only* by gender: grandmother and grandfather, actress and actor.
# Their vectors may still differ in other ways, so that a neutral word such as "babysit"
# ends up nearer to one of them. Equalizing moves both words to the same distance from
# everything perpendicular to $g$. Bolukbasi et al. work with vectors of length 1; with
# $\mu = (e_1 + e_2)/2$ and the projection $x_B = \frac{x \cdot g}{\lVert g\rVert^2} g$ of
# a vector $x$ on $g$:
#
# $$\nu = \mu - \mu_B, \qquad
# e_i' = \nu + \sqrt{1 - \lVert \nu\rVert_2^2}\ \frac{e_{iB} - \mu_B}{\lVert e_{iB} - \mu_B\rVert_2}
# \quad (i = 1, 2)$$
#
# Both new vectors share the part $\nu$ perpendicular to $g$, differ only along $g$, and
# have length 1 (the square root makes up the length $\nu$ does not have).
#
# **Exercise 4, `equalize`** (8 to 10 lines). The given first line scales the two vectors to
# length 1. Compute $\mu$, $\mu_B$, $\nu$, $e_{1B}$, $e_{2B}$ and return `e1_new, e2_new`.

# %%
def equalize(e1, e2, g):
    """The pair (e1, e2) made of length 1, equal along everything perpendicular to g."""
    e1, e2 = e1 / np.linalg.norm(e1), e2 / np.linalg.norm(e2)
    ### BEGIN SOLUTION
    mu = (e1 + e2) / 2
    mu_b = np.dot(mu, g) / np.dot(g, g) * g
    nu = mu - mu_b
    e1_b = np.dot(e1, g) / np.dot(g, g) * g
    e2_b = np.dot(e2, g) / np.dot(g, g) * g
    scale = np.sqrt(abs(1 - np.dot(nu, nu)))
    e1_new = nu + scale * (e1_b - mu_b) / np.linalg.norm(e1_b - mu_b)
    e2_new = nu + scale * (e2_b - mu_b) / np.linalg.norm(e2_b - mu_b)
    ### END SOLUTION
    return e1_new, e2_new


# %%
check.equalize(equalize)

# %%
babysit = neutralize(glove["babysit"], g)
pairs = [("grandmother", "grandfather"), ("actress", "actor"), ("girl", "boy"), ("she", "he")]
distances = {}
for w1, w2 in pairs:
    e1_new, e2_new = equalize(glove[w1], glove[w2], g)
    distances[f"{w1}/{w2}"] = (cosine_similarity(glove[w1], babysit), cosine_similarity(glove[w2], babysit),
                               cosine_similarity(e1_new, babysit), cosine_similarity(e2_new, babysit))
fig = word_vectors.equalized_pairs(distances, "babysit")
plt.show()
for pair, (b1, b2, a1, a2) in distances.items():
    print(f"{pair:>22}: gap before {abs(b1 - b2):.3f}, after {abs(a1 - a2):.1e}")

# %% [markdown]
# Before equalizing, each pair sits at unequal distances from the neutralized "babysit";
# after, the two words of every pair are equally far from it (the gaps printed above), since
# they now differ only along $g$, to which "babysit" is perpendicular.
#
# ## 6. Headline: analogies solved
#
# The measure of this notebook: the share of the analogies of section 2 that your
# `complete_analogy` solves over the whole vocabulary (50-d GloVe is a small model, so a
# few misses are expected).

# %%
met = headline("share of the analogies solved", solved / len(word_vectors.ANALOGIES), target=0.7)

# %% [markdown]
# ## What you have learned
#
# - The cosine of two word vectors measures how related the words are, whatever the
#   vectors' lengths; differences of vectors carry relations, which solves analogies.
# - A search over a whole vocabulary is one matrix-vector product, not a loop over words.
# - The same arithmetic exposes biases learned from text: a gender direction, and the
#   lean of occupations along it.
# - Neutralizing removes a word's component along the bias direction; equalizing makes a
#   pair of words differ only along it, so both are equally far from every neutral word.
#
# Debiasing this way removes what a single direction measures, not every trace of bias
# (Gonen and Goldberg, 2019, show that neutralized words still cluster by their former lean).

"""GloVe 6B 50-d: the word list derived from the Parquet index and the published similarities."""

from __future__ import annotations

import numpy as np
import pytest

from tests.assets_testing import require


@pytest.fixture(scope="module")
def glove():
    require("glove-6b-50d.npy", "glove-6b-words.txt")
    from shared_utils.data.glove import load_glove

    return load_glove()


def test_published_similarities(glove):
    # reference values of glove.6B.50d (cosine similarity), to 4 decimals
    assert round(glove.cosine("father", "mother"), 4) == 0.8909
    assert round(glove.cosine("ball", "crocodile"), 4) == 0.2744
    # the same from the raw vectors, with scikit-learn as an independent formula
    from sklearn.metrics.pairwise import cosine_similarity

    v = np.stack([glove.vector("father"), glove.vector("mother")])
    assert cosine_similarity(v)[0, 1] == pytest.approx(0.8909, abs=5e-5)


def test_vocabulary_and_lookup(glove):
    assert len(glove) == 400_000 and glove.vectors.shape == (400_000, 50) and glove.dim == 50
    assert glove.words[:6] == ["the", ",", ".", "of", "to", "and"] and glove.words[-1] == "sandberger"
    assert "crocodile" in glove and "Crocodile" not in glove and 3 not in glove
    i = glove.index("king")
    np.testing.assert_array_equal(glove.vector("king"), glove.vectors[i])
    with pytest.raises(KeyError, match="lowercase"):
        glove.vector("King")
    with pytest.raises(ValueError):
        glove.vectors[0, 0] = 1.0  # the shared table is read-only
    m = glove.matrix(["king", "qwertyuiopasdf", "queen"])
    assert m.shape == (3, 50) and not m[1].any() and np.array_equal(m[2], glove.vector("queen"))


def test_most_similar(glove):
    near = glove.most_similar("frog", topn=5)
    assert len(near) == 5 and "frog" not in [w for w, _ in near]
    sims = [s for _, s in near]
    assert sims == sorted(sims, reverse=True)
    assert "toad" in [w for w, _ in near]
    for w, s in near:
        assert s == pytest.approx(glove.cosine("frog", w), abs=1e-5)
    # analogy by vector arithmetic: king - man + woman is nearest to queen
    v = glove.vector("king") - glove.vector("man") + glove.vector("woman")
    assert glove.most_similar(v, topn=1, exclude=["king", "man", "woman"])[0][0] == "queen"


def test_word_list_is_what_the_parquet_holds(glove):
    from shared_utils.data._parquet import read_string_column

    (index,) = require("glove-6b-index.parquet")
    words = read_string_column(index.read_bytes())
    assert words == glove.words and len(set(words)) == 400_000


def test_embedding_layer(glove):
    layer = glove.embedding_layer(["<pad>", "i", "love", "you"])
    out = np.asarray(layer(np.array([[1, 2, 3, 0]])))
    assert out.shape == (1, 4, 50) and not layer.trainable
    np.testing.assert_allclose(out[0, 1], glove.vector("love"))
    np.testing.assert_allclose(out[0, 2], glove.vector("you"))
    assert not out[0, 3].any()

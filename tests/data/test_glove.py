"""GloVe 6B 50-d: the word list derived from the Parquet index (pyarrow) and the published similarities."""

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


def test_word_list_is_derived_from_the_parquet_index(glove, tmp_path):
    """The fetch-time derivation (pyarrow) gives the catalogued bytes, the words load_glove reads."""
    from shared_utils.data import catalog, registry
    from shared_utils.data.glove import build_word_list

    (index,) = require("glove-6b-index.parquet")
    out = tmp_path / "words.txt"
    build_word_list({"glove-6b-index.parquet": index}, out)
    assert registry.file_sha256(out) == catalog.DERIVED["glove-6b-words.txt"].sha256
    assert out.read_text(encoding="utf-8").split("\n")[:-1] == glove.words


def test_derivation_refuses_an_index_that_is_not_glove(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from shared_utils.data.glove import build_word_list

    def index_of(words, name="index.parquet"):
        p = tmp_path / name
        pq.write_table(pa.table({"index": words}), p)
        return {"glove-6b-index.parquet": p}

    words = [f"w{i}" for i in range(400_000)]
    build_word_list(index_of(words), tmp_path / "ok.txt")
    assert (tmp_path / "ok.txt").read_text(encoding="utf-8").startswith("w0\nw1\n")
    for bad in (words[:-1], words[:-1] + ["two\nlines"], words[:-1] + ["w0"]):
        with pytest.raises(ValueError, match="unexpected GloVe index"):
            build_word_list(index_of(bad), tmp_path / "bad.txt")
    pq.write_table(pa.table({"index": list(range(3))}), tmp_path / "ints.parquet")
    with pytest.raises(ValueError, match="one string column"):
        build_word_list({"glove-6b-index.parquet": tmp_path / "ints.parquet"}, tmp_path / "bad.txt")


def test_embedding_layer(glove):
    layer = glove.embedding_layer(["<pad>", "i", "love", "you"])
    out = np.asarray(layer(np.array([[1, 2, 3, 0]])))
    assert out.shape == (1, 4, 50) and not layer.trainable
    np.testing.assert_allclose(out[0, 1], glove.vector("love"))
    np.testing.assert_allclose(out[0, 2], glove.vector("you"))
    assert not out[0, 3].any()

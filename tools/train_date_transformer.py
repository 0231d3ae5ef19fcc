"""Train the date Transformer of course 5, notebook 9, and ship its weights with their card.

    nice -n 5 python tools/train_date_transformer.py            # a few minutes on 2 cores
    nice -n 5 python tools/train_date_transformer.py --dry-run  # train and measure, write nothing

The model is built here with code of its own (``keras.ops.einsum`` for the attention, the
positional encoding in NumPy), with the layer attributes the notebook's classes use, so that
:func:`shared_utils.course5.transformer.ordered_weights` finds the same tensors in both:
2 encoder and 2 decoder layers, d_model 64, 4 heads, feed-forward 128 wide, dropout 0.1.

Data: :func:`shared_utils.data.dates.make_splits` (``N_TRAIN`` training pairs from seed 0,
``N_TEST`` held-out pairs from seed 1 that share no written date with them), the same as the
date translators of notebook 7. The card's figure is the exact match (all ten characters)
of greedy decoding on the held-out dates, measured with the float16 weights as stored.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from shared_utils.course5 import transformer  # noqa: E402
from shared_utils.data import dates  # noqa: E402
from shared_utils.models import trained  # noqa: E402

NAME = "date_transformer"
CONFIG = {"num_layers": 2, "d_model": 64, "num_heads": 4, "dff": 128, "rate": 0.1}
N_TRAIN, N_TEST = 20000, 2000
EPOCHS, BATCH, LEARNING_RATE, SEED = 15, 64, 2e-3, 0


def sinusoids(length: int, d: int) -> np.ndarray:
    i = np.arange(d)
    rates = 1.0 / np.power(10000.0, (i - i % 2) / d)
    angles = np.arange(length)[:, None] * rates[None, :]
    return np.where(i % 2 == 0, np.sin(angles), np.cos(angles))[None].astype("float32")


class Attention(keras.layers.Layer):
    def __init__(self, d_model, num_heads, **kw):
        super().__init__(**kw)
        self.h, self.d = num_heads, d_model
        self.wq, self.wk, self.wv, self.dense = (keras.layers.Dense(d_model) for _ in range(4))

    def call(self, q, k, v, attention_mask=None):
        def heads(x):
            return keras.ops.reshape(x, (keras.ops.shape(x)[0], -1, self.h, self.d // self.h))

        q, k, v = heads(self.wq(q)), heads(self.wk(k)), heads(self.wv(v))
        scores = keras.ops.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(self.d // self.h)
        if attention_mask is not None:
            scores = scores - 1e9 * (1.0 - keras.ops.cast(attention_mask, "float32"))
        w = keras.ops.softmax(scores, axis=-1)
        out = keras.ops.einsum("bhqk,bkhd->bqhd", w, v)
        return self.dense(keras.ops.reshape(out, (keras.ops.shape(out)[0], -1, self.d))), w


def feed_forward(d_model, dff):
    return keras.Sequential([keras.layers.Dense(dff, activation="relu"), keras.layers.Dense(d_model)])


def norm():
    return keras.layers.LayerNormalization(epsilon=1e-6)


class EncLayer(keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate, **kw):
        super().__init__(**kw)
        self.mha, self.ffn = Attention(d_model, num_heads), feed_forward(d_model, dff)
        self.layernorm1, self.layernorm2 = norm(), norm()
        self.drops = [keras.layers.Dropout(rate) for _ in range(2)]

    def call(self, x, padding_mask=None, training=False):
        a, _ = self.mha(x, x, x, padding_mask)
        x = self.layernorm1(x + self.drops[0](a, training=training))
        return self.layernorm2(x + self.drops[1](self.ffn(x), training=training))


class DecLayer(keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate, **kw):
        super().__init__(**kw)
        self.mha1, self.mha2 = Attention(d_model, num_heads), Attention(d_model, num_heads)
        self.ffn = feed_forward(d_model, dff)
        self.layernorm1, self.layernorm2, self.layernorm3 = norm(), norm(), norm()
        self.drops = [keras.layers.Dropout(rate) for _ in range(3)]

    def call(self, x, enc, training=False, look_ahead_mask=None, padding_mask=None):
        a, w1 = self.mha1(x, x, x, look_ahead_mask)
        x = self.layernorm1(x + self.drops[0](a, training=training))
        a, w2 = self.mha2(x, enc, enc, padding_mask)
        x = self.layernorm2(x + self.drops[1](a, training=training))
        return self.layernorm3(x + self.drops[2](self.ffn(x), training=training)), w1, w2


class Stack(keras.layers.Layer):
    def __init__(self, kind, num_layers, d_model, num_heads, dff, vocab, length, rate, **kw):
        super().__init__(**kw)
        self.d_model = d_model
        self.embedding = keras.layers.Embedding(vocab, d_model)
        self.pos = sinusoids(length, d_model)
        self.dropout = keras.layers.Dropout(rate)
        made = [
            (EncLayer if kind == "enc" else DecLayer)(d_model, num_heads, dff, rate)
            for _ in range(num_layers)
        ]
        if kind == "enc":
            self.enc_layers = made
        else:
            self.dec_layers = made

    def build(self, input_shape):  # the layers are called by DateTransformer.call, not here
        self.embedding.build(input_shape)

    def call(self, x, training=False):
        e = self.embedding(x) * np.sqrt(self.d_model).astype("float32")
        return self.dropout(e + self.pos[:, : keras.ops.shape(x)[1]], training=training)


class DateTransformer(keras.Model):
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
        rate,
        **kw,
    ):
        super().__init__(**kw)
        args = (num_layers, d_model, num_heads, dff)
        self.encoder = Stack("enc", *args, input_vocab_size, pe_input, rate)
        self.decoder = Stack("dec", *args, target_vocab_size, pe_target, rate)
        self.final_layer = keras.layers.Dense(target_vocab_size)

    def call(self, inp, tar, training=False):
        T = keras.ops.shape(tar)[1]
        pad = keras.ops.cast(keras.ops.not_equal(inp, 0), "float32")[:, None, None, :]
        causal = (
            keras.ops.tril(keras.ops.ones((T, T)))
            * keras.ops.cast(keras.ops.not_equal(tar, 0), "float32")[:, None, None, :]
        )
        x = self.encoder(inp, training=training)
        for layer in self.encoder.enc_layers:
            x = layer(x, padding_mask=pad, training=training)
        y, weights = self.decoder(tar, training=training), {}
        for i, layer in enumerate(self.decoder.dec_layers):
            y, w1, w2 = layer(y, x, training=training, look_ahead_mask=causal, padding_mask=pad)
            weights[f"decoder_layer{i + 1}_block1"], weights[f"decoder_layer{i + 1}_block2"] = w1, w2
        return self.final_layer(y), weights


def build() -> DateTransformer:
    model = DateTransformer(
        input_vocab_size=len(dates.human_vocabulary()),
        target_vocab_size=transformer.target_vocabulary_size(),
        pe_input=dates.TX,
        pe_target=dates.TY,
        name=NAME,
        **CONFIG,
    )
    model(np.zeros((1, dates.TX), "int32"), np.ones((1, dates.TY), "int32"))
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--n-train", type=int, default=N_TRAIN)
    parser.add_argument("--dry-run", action="store_true", help="train and measure, write nothing")
    args = parser.parse_args()
    keras.utils.set_random_seed(SEED)
    train_pairs, test_pairs = dates.make_splits(args.n_train, N_TEST, seed=SEED)
    X, Y, _, _ = dates.dataset(train_pairs)
    Xt, _, _, _ = dates.dataset(test_pairs)
    expected = [iso for _, iso in test_pairs]
    model = build()
    began = time.time()
    history = transformer.fit(model, X, Y, args.epochs, BATCH, LEARNING_RATE, seed=SEED, compiled=True)
    seconds = time.time() - began
    trained.quantize(model)
    predicted = dates.decode(transformer.greedy_decode(model, Xt)[0], dates.machine_vocabulary())
    match = transformer.exact_match(predicted, expected)
    print(f"{NAME}: exact match {match:.4f} on {N_TEST} held-out dates (float16 weights)")
    if args.dry_run:
        return
    card = trained.save(
        model,
        NAME,
        tool="python tools/train_date_transformer.py",
        data=f"{args.n_train} written dates (shared_utils.data.dates.make_splits, seed {SEED}): "
        f"{len(dates.FORMATS)} formats in {len({loc for loc, _ in dates.FORMATS})} locales, days 1950-2049",
        epochs=args.epochs,
        seed=SEED,
        metric={
            "name": "exact match",
            "value": match,
            "split": f"{N_TEST} held-out dates (make_splits({args.n_train}, {N_TEST}), none read in "
            "training)",
        },
        licence="weights: same terms as the workbook; data: generated (Faker MIT, babel/CLDR BSD-3-Clause)",
        seconds=seconds,
        notes="2+2 layers, d_model 64, 4 heads, dff 128; greedy decoding; weights in the order of "
        "transformer.ordered_weights",
        variables=transformer.ordered_weights(model),
        config=CONFIG,
        Tx=dates.TX,
        Ty=dates.TY,
        n_train=args.n_train,
        n_test=N_TEST,
        seconds_per_epoch=round(seconds / args.epochs, 1),
        final_loss=round(history[-1]["loss"], 5),
        optimizer=f"Adam({LEARNING_RATE}), batch {BATCH}",
    )
    print(f"wrote {card['file']} ({card['size']:,} bytes), sha256 {card['sha256']}")


if __name__ == "__main__":
    main()

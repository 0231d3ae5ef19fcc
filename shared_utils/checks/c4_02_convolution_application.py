"""Checks for course 4, notebook 2: convolutional networks with Keras's Sequential and Functional APIs.

Oracles:

- ``happy_model``: a Keras ``Sequential`` model the check builds itself from the exercise's
  description (ZeroPadding2D 3, Conv2D 32 7x7 stride 1, BatchNormalization, ReLU,
  MaxPooling2D 2, Flatten, Dense 1 sigmoid), compared with the learner's layer by layer by
  :meth:`Check.model` through the public Keras API (``get_config()``, the layers' input and
  output shapes, ``count_params()``): exact, as both describe the same configuration.
- ``convolutional_model``: the same, with a Functional model the check builds for each input
  shape it tries (64x64x3, then other sizes and channel counts), so that a shape written into
  the function instead of read from its argument is caught; the learner's model must also be
  a Functional model (not a ``Sequential`` one), as the exercise asks.

The checks' models name every layer ("check_..."), so that they take none of the automatic
names (``conv2d_3``) a learner's ``model.summary()`` shows.
"""

from __future__ import annotations

from shared_utils.engine.checking import Check, exercise

HAPPY_INPUT = (64, 64, 3)
N_CLASSES = 6


def expected_happy_model(input_shape: tuple[int, ...] = HAPPY_INPUT):
    """The model the happy_model exercise describes, built by the check (every layer named)."""
    import keras

    return keras.Sequential(
        [
            keras.Input(shape=input_shape, name="check_happy_input"),
            keras.layers.ZeroPadding2D(padding=3, name="check_happy_pad"),
            keras.layers.Conv2D(32, 7, strides=1, name="check_happy_conv"),
            keras.layers.BatchNormalization(axis=-1, name="check_happy_bn"),
            keras.layers.ReLU(name="check_happy_relu"),
            keras.layers.MaxPooling2D(pool_size=2, name="check_happy_pool"),
            keras.layers.Flatten(name="check_happy_flatten"),
            keras.layers.Dense(1, activation="sigmoid", name="check_happy_dense"),
        ],
        name="check_happy_model",
    )


def expected_convolutional_model(input_shape: tuple[int, ...]):
    """The model the convolutional_model exercise describes, for ``input_shape`` (every layer named)."""
    import keras

    inputs = keras.Input(shape=input_shape, name="check_signs_input")
    z = keras.layers.Conv2D(16, 5, strides=1, padding="same", name="check_signs_conv1")(inputs)
    a = keras.layers.ReLU(name="check_signs_relu1")(z)
    p = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same", name="check_signs_pool1")(a)
    z = keras.layers.Conv2D(32, 3, strides=1, padding="same", name="check_signs_conv2")(p)
    a = keras.layers.ReLU(name="check_signs_relu2")(z)
    p = keras.layers.MaxPooling2D(pool_size=4, strides=4, padding="same", name="check_signs_pool2")(a)
    f = keras.layers.Flatten(name="check_signs_flatten")(p)
    outputs = keras.layers.Dense(N_CLASSES, activation="softmax", name="check_signs_dense")(f)
    return keras.Model(inputs=inputs, outputs=outputs, name="check_signs_model")


@exercise(
    params=(),
    hints=[
        "Follow the list of layers in the exercise, in order, inside keras.Sequential([...]), starting "
        "with keras.Input(shape=(64, 64, 3))."
    ],
)
def happy_model(ck: Check) -> None:
    import keras

    with ck.case("happy_model(), on 64x64 RGB pictures"):
        got = ck.call()
        ck.instance(got, keras.Model, "happy_model()")
        ck.that(
            ck_is(got, keras.Sequential),
            f"should return a keras.Sequential model, got a {_kind(got)}.",
            "Build it with keras.Sequential([...]): the list of layers, in order.",
        )
        ck.model(got, expected_happy_model(), what="your happy model", input_shape=HAPPY_INPUT)


@exercise(
    params=("input_shape",),
    hints=[
        "Chain the layers with the Functional API: call each layer on the previous one's output, starting "
        "from keras.Input(shape=input_shape), and end with keras.Model(inputs=..., outputs=...)."
    ],
)
def convolutional_model(ck: Check) -> None:
    import keras

    shapes = ck.pick([(64, 64, 3), (32, 48, 3)], [(40, 24, 1)])
    for shape in shapes:
        with ck.case(f"convolutional_model(input_shape={shape})"):
            got = ck.call(shape)
            ck.instance(got, keras.Model, "convolutional_model(...)")
            ck.that(
                not ck_is(got, keras.Sequential),
                "should return a Functional model (keras.Model(inputs, outputs)), "
                "got a keras.Sequential one.",
                "This exercise practises the Functional API: x = keras.Input(shape=input_shape), then "
                "y = layer(x) for each layer, then keras.Model(inputs=x, outputs=y).",
            )
            ck.model(got, expected_convolutional_model(shape), what="your model", input_shape=shape)


def ck_is(got, kind) -> bool:
    """``got`` is a ``kind`` (here, or a reference to one in the learner's kernel)."""
    from shared_utils.engine.remote import RemoteRef

    return isinstance(got, kind) or (isinstance(got, RemoteRef) and got.is_a(kind))


def _kind(got) -> str:
    from shared_utils.engine.remote import RemoteRef

    if isinstance(got, RemoteRef):
        return str(got.info.get("type", "model"))
    return type(got).__name__

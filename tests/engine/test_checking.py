"""The check engine: wrong kinds of input are reported plainly, never as deep tracebacks."""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.checks import c1_01_python_numpy as check
from shared_utils.engine.checking import Check, CheckFailed, NotImplementedYet


def test_success_prints_one_line(capsys):
    check.sigmoid(lambda x: 1 / (1 + np.exp(-x)))
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("✅ sigmoid")


def test_not_a_function():
    with pytest.raises(CheckFailed, match="expected your function `sigmoid`, got int"):
        check.sigmoid(3)


def test_wrong_signature_named():
    with pytest.raises(CheckFailed, match=r"should take 1 argument\(s\) \(x\), but yours takes \(x, y\)"):
        check.sigmoid(lambda x, y: x)


def test_returns_none_says_forgot_return():
    with pytest.raises(CheckFailed, match="is None") as info:
        check.sigmoid(lambda x: None)
    assert "return" in str(info.value)


def test_wrong_shape_names_both_shapes():
    with pytest.raises(CheckFailed, match=r"shape \(1, 3\); expected shape \(3,\)"):
        check.sigmoid(lambda x: (1 / (1 + np.exp(-x))).reshape(1, -1))


def test_transposed_shape_gets_a_hint():
    with pytest.raises(CheckFailed, match="transposed"):
        check.softmax(lambda x: np.exp(x.T) / np.exp(x.T).sum(axis=0))


def test_learner_exception_is_reported_with_their_line():
    def broken(x):
        return x.nonexistent_method()

    with pytest.raises(CheckFailed, match="your code raised AttributeError") as info:
        check.sigmoid(broken)
    assert "x.nonexistent_method()" in str(info.value)


def test_mutating_the_input_is_caught():
    def in_place(x):
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return x

    with pytest.raises(CheckFailed, match="changed its argument `x` in place"):
        check.normalize_rows(in_place)


def test_known_mistake_gets_its_specific_hint():
    with pytest.raises(CheckFailed, match="normalised the columns"):
        check.normalize_rows(lambda x: x / np.linalg.norm(x, axis=0, keepdims=True))


def test_failure_names_case_expected_and_received():
    with pytest.raises(CheckFailed) as info:
        check.sigmoid(lambda x: np.tanh(x))
    msg = str(info.value)
    assert (
        "[case: x of shape" in msg and "expected: array of shape" in msg and "received: array of shape" in msg
    )


def test_blank_stub_is_not_implemented_yet():
    def stub(x):
        raise NotImplementedError()

    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        check.sigmoid(stub)


def test_tensorflow_tensor_results_are_accepted():
    import tensorflow as tf

    check.sigmoid(lambda x: tf.sigmoid(tf.constant(x)))


def test_integer_result_is_refused_with_dtype_hint():
    with pytest.raises(CheckFailed, match="dtype"):
        check.relu(lambda z: np.maximum(0, z).astype(int))


def test_unfinished_helper_is_named_when_it_raises_not_implemented():
    def helper(x):
        raise NotImplementedError()

    def sigmoid(x):
        return helper(x)

    with pytest.raises(NotImplementedYet, match="it calls `helper`, which still raises"):
        check.sigmoid(sigmoid)


def test_a_blank_class_is_not_told_to_complete_its_own_init():
    class Layer:
        def __init__(self, n):
            raise NotImplementedError()

    with pytest.raises(NotImplementedYet, match="Replace `raise NotImplementedError\\(\\)`") as info:
        Check("Layer", "m", Layer, extended=False, hints=[]).call(3)
    assert "__init__" not in str(info.value)


def test_another_blank_class_used_by_a_class_is_named_with_its_method():
    class Attention:
        def __init__(self):
            raise NotImplementedError()

    class Encoder:
        def __init__(self):
            self.attention = Attention()

    with pytest.raises(NotImplementedYet, match="it calls `Attention.__init__`, which still raises"):
        Check("Encoder", "m", Encoder, extended=False, hints=[]).call()


def test_returns_unpacks_a_tuple_and_names_the_expected_values():
    ck = Check("f", "m", None, extended=False, hints=[])
    assert ck.returns([1, 2], "w, b") == (1, 2)
    with pytest.raises(
        CheckFailed,
        match=r"should return 2 values \(w, b\), got .*\nHint: End the function with `return w, b`",
    ):
        ck.returns((1, 2, 3), "w, b")
    with pytest.raises(CheckFailed, match="Hint: return the pair"):
        ck.returns(None, "A, cache", hint="return the pair")


def _ck(obj=None) -> Check:
    return Check("f", "m", obj, extended=False, hints=[])


def test_returns_names_the_part_that_should_be_a_tuple():
    with pytest.raises(CheckFailed, match=r"the cache should be a tuple of 3 values \(A, W, b\), got list"):
        _ck().returns([1, 2], "A, W, b", what="the cache")


def test_shape_returns_the_array_and_names_both_shapes():
    assert _ck().shape([[1.0, 2.0]], (1, 2), lists=True).shape == (1, 2)
    with pytest.raises(
        CheckFailed, match=r"W has shape \(2, 3\); expected shape \(3, 2\)\.\nHint: .*transposed"
    ):
        _ck().shape(np.zeros((2, 3)), (3, 2), "W")
    with pytest.raises(CheckFailed, match="Hint: rows are units"):
        _ck().shape(np.zeros((2, 3)), (3, 2), "W", hint="rows are units")
    with pytest.raises(CheckFailed, match="W is None"):
        _ck().shape(None, (3, 2), "W")


def test_dict_compares_every_entry_and_names_the_key():
    expected = {"dW": np.ones((2, 2)), "db": 0.5}
    got = _ck().dict({"dW": np.ones((2, 2)), "db": np.array([[0.5]]), "extra": 1}, expected, "grads")
    assert "extra" in got
    with pytest.raises(CheckFailed, match=r"grads is missing the key\(s\) 'db'"):
        _ck().dict({"dW": np.ones((2, 2))}, expected, "grads")
    with pytest.raises(CheckFailed, match=r'grads\["dW"\] is wrong') as info:
        _ck().dict(
            {"dW": 2 * np.ones((2, 2)), "db": 0.5},
            expected,
            "grads",
            {"Divide by m.": {"dW": 2 * np.ones((2, 2))}},
        )
    assert "Hint: Divide by m." in str(info.value)
    with pytest.raises(CheckFailed, match=r'grads\["db"\] is wrong') as info:
        _ck().dict({"dW": np.ones((2, 2)), "db": 1.0}, expected, "grads", {"Divide by m.": {"dW": 0}})
    assert "Divide by m." not in str(info.value)  # that mistake holds no value for db


def test_dict_uses_the_tolerances_given():
    _ck().dict({"a": np.array([1.001])}, {"a": np.array([1.0])}, "d", rtol=1e-2)
    with pytest.raises(CheckFailed):
        _ck().dict({"a": np.array([1.001])}, {"a": np.array([1.0])}, "d", rtol=1e-6)


HELPER = "learner's"


def _learner_function():
    return HELPER, globals().get("NOT_THERE", "absent")


def test_planted_replaces_globals_for_the_duration_only():
    ck = _ck(_learner_function)
    with ck.planted(HELPER="stand-in", NOT_THERE="planted"):
        assert _learner_function() == ("stand-in", "planted")
    assert _learner_function() == ("learner's", "absent")
    assert "NOT_THERE" not in globals()


def test_planted_restores_even_when_the_check_fails():
    ck = _ck(_learner_function)
    with pytest.raises(CheckFailed), ck.planted(HELPER="stand-in"):
        ck.fail("wrong")
    assert _learner_function()[0] == "learner's"


def test_planted_refuses_an_object_without_globals():
    with pytest.raises(CheckFailed, match="defined with `def`"), _ck(np.sum).planted(x=1):
        pass


# ----- Check.model -----------------------------------------------------------------------------


def _cnn(padding="same", strides=1, activation="relu", units=6, pool=True):
    import keras

    layers = [
        keras.Input((16, 16, 3)),
        keras.layers.Conv2D(8, 3, strides=strides, padding=padding, activation=activation),
    ]
    if pool:
        layers.append(keras.layers.MaxPooling2D(2))
    layers += [keras.layers.Flatten(), keras.layers.Dense(units, activation="softmax")]
    return keras.Sequential(layers)


def test_model_passes_an_identical_model():
    _ck().model(_cnn(), _cnn())


def test_model_passes_a_functional_model_against_a_sequential_one():
    import keras

    x = keras.Input((16, 16, 3))
    y = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(x)
    y = keras.layers.MaxPooling2D(2)(y)
    y = keras.layers.Dense(6, activation="softmax")(keras.layers.Flatten()(y))
    _ck().model(keras.Model(x, y), _cnn())


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"padding": "valid"}, r"layer 1 of your model \(conv2d\w*\) has padding 'valid'; expected 'same'"),
        ({"strides": 2}, r"layer 1 of your model \(conv2d\w*\) has strides \(2, 2\); expected \(1, 1\)"),
        (
            {"activation": "tanh"},
            r"layer 1 of your model \(conv2d\w*\) has activation 'tanh'; expected 'relu'",
        ),
        ({"units": 5}, r"layer 4 of your model \(dense\w*\) has units 5; expected 6"),
        (
            {"pool": False},
            r"your model is missing a MaxPooling2D layer: the expected layer 2 should come after layer 1 "
            r"\(conv2d\w*\), before layer 2 \(flatten\w*\)\. Your model has 3 layer\(s\); expected 4",
        ),
    ],
    ids=["padding", "stride", "activation", "units", "missing layer"],
)
def test_model_names_the_first_layer_that_differs(kwargs, message):
    with pytest.raises(CheckFailed, match=message) as info:
        _ck().model(_cnn(**kwargs), _cnn())
    text = str(info.value)
    assert "\n  expected: " in text and "\n  received: " in text


def test_model_catches_a_missing_last_layer_and_an_extra_one():
    import keras

    short = keras.Sequential(_cnn().layers[:-1])
    short.build((None, 16, 16, 3))
    with pytest.raises(CheckFailed, match="stops after layer 3: layer 4 is missing"):
        _ck().model(short, _cnn())
    with pytest.raises(CheckFailed, match=r"has an extra layer 4 \(dense\w*\)"):
        _ck().model(_cnn(), short)


def test_model_compares_only_what_a_specification_gives():
    specs = [
        {"class": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"},
        {"class": "MaxPooling2D", "pool_size": 2},
        {"class": "Flatten", "output_shape": (None, 512)},
        {"class": "Dense", "units": 6, "params": 512 * 6 + 6},
    ]
    _ck().model(_cnn(), specs)
    specs[3]["params"] = 100
    with pytest.raises(CheckFailed, match="has parameter count 3078; expected 100"):
        _ck().model(_cnn(), specs)


def test_model_refuses_what_is_not_a_built_model():
    import keras

    with pytest.raises(CheckFailed, match="your model should be a Model, got None"):
        _ck().model(None, _cnn())
    with pytest.raises(CheckFailed, match="has not been built"):
        _ck().model(keras.Sequential([keras.layers.Dense(3)]), _cnn())


def _happy(
    size=24,
    pad=3,
    filters=8,
    kernel=7,
    conv_strides=1,
    padding="valid",
    order=None,
    pool=(2, 2),
    activation="sigmoid",
    extra=None,
    drop=None,
    relu_layer=True,
):
    """A small happy model (ZeroPadding2D, Conv2D, BatchNormalization, ReLU, MaxPooling2D, Flatten,
    Dense 1), with one change at a time."""
    import keras

    layers = {
        "pad": keras.layers.ZeroPadding2D(pad),
        "conv": keras.layers.Conv2D(
            filters, kernel, strides=conv_strides, padding=padding, activation=None if relu_layer else "relu"
        ),
        "bn": keras.layers.BatchNormalization(),
        "relu": keras.layers.ReLU() if relu_layer else None,
        "pool": keras.layers.MaxPooling2D(pool),
        "flat": keras.layers.Flatten(),
        "out": keras.layers.Dense(1, activation=activation),
    }
    names = order or ["pad", "conv", "bn", "relu", "pool", "flat", "out"]
    chosen = [layers[n] for n in names if n != drop and layers[n] is not None]
    if extra is not None:
        position, layer = extra
        chosen.insert(position, layer)
    return keras.Sequential([keras.Input((size, size, 3)), *chosen])


def test_model_passes_the_happy_model_against_itself_and_its_specifications():
    from shared_utils.engine.checking import model_summary

    _ck().model(_happy(), _happy())
    specs = model_summary(_happy())
    assert specs[0]["input_shape"] == (None, 24, 24, 3) and specs[0]["padding"] == ((3, 3), (3, 3))
    _ck().model(_happy(), specs)
    _ck().model(_happy(), _happy(), input_shape=(24, 24, 3))


@pytest.mark.parametrize(
    "kwargs,message,hint",
    [
        (
            {"drop": "bn"},
            r"is missing a BatchNormalization layer: the expected layer 3 should come after layer 2 "
            r"\(conv2d\w*\), before layer 3 \(re_lu\w*\)\. Your model has 6 layer\(s\); expected 7",
            "Add it where the exercise puts it",
        ),
        (
            {"drop": "pad"},
            r"is missing a ZeroPadding2D layer: the expected layer 1 should come first, before layer 1 ",
            "Add it",
        ),
        (
            {"drop": "out"},
            r"stops after layer 6: layer 7 is missing",
            "Add the missing layer",
        ),
        (
            {"relu_layer": False},
            r"is missing a ReLU layer: the expected layer 4 should come after layer 3 \(batch_normalization",
            "applies the activation itself",
        ),
        (
            {"extra": (4, "dropout")},
            r"has an extra layer 5 \(dropout\w*\), a Dropout layer the exercise does not ask for",
            "Remove the layer",
        ),
        (
            {"extra": (0, "dense")},
            r"has an extra layer 1 \(dense\w*\), a Dense layer the exercise does not ask for",
            "Remove the layer",
        ),
        (
            {"order": ["pad", "conv", "relu", "bn", "pool", "flat", "out"]},
            r"layers 3 and 4 of your model \(re_lu\w*, batch_normalization\w*\) are swapped: "
            r"expected BatchNormalization\(\) then ReLU\(\)",
            "order the exercise gives",
        ),
        (
            {"order": ["pad", "bn", "conv", "relu", "pool", "flat", "out"]},
            r"layers 2 and 3 of your model \(batch_normalization\w*, conv2d\w*\) are swapped",
            "order the exercise gives",
        ),
        (
            {"activation": "softmax"},
            r"layer 7 of your model \(dense\w*\) has activation 'softmax'; expected 'sigmoid'",
            None,
        ),
        (
            {"padding": "same"},
            r"layer 2 of your model \(conv2d\w*\) has padding 'same'; expected 'valid'",
            None,
        ),
        (
            {"filters": 16},
            r"layer 2 of your model \(conv2d\w*\) has filters 16; expected 8",
            None,
        ),
        (
            {"kernel": 5},
            r"layer 2 of your model \(conv2d\w*\) has kernel_size \(5, 5\); expected \(7, 7\)",
            None,
        ),
        (
            {"conv_strides": 2},
            r"layer 2 of your model \(conv2d\w*\) has strides \(2, 2\); expected \(1, 1\)",
            None,
        ),
        (
            {"pool": (3, 3)},
            r"layer 5 of your model \(max_pooling2d\w*\) has pool_size \(3, 3\); expected \(2, 2\)",
            None,
        ),
        (
            {"pad": 2},
            r"layer 1 of your model \(zero_padding2d\w*\) has padding \(\(2, 2\), \(2, 2\)\); "
            r"expected \(\(3, 3\), \(3, 3\)\)",
            None,
        ),
        (
            {"size": 32},
            r"your model takes inputs of shape \(None, 32, 32, 3\); expected \(None, 24, 24, 3\)",
            r"keras.Input(shape=(24, 24, 3))",
        ),
    ],
    ids=[
        "missing middle layer",
        "missing first layer",
        "missing last layer",
        "activation folded into the convolution",
        "extra middle layer",
        "extra first layer",
        "two layers swapped",
        "convolution and batch norm swapped",
        "activation",
        "same for valid",
        "filter count",
        "kernel size",
        "strides",
        "pool size",
        "zero padding",
        "input shape",
    ],
)
def test_model_names_what_is_wrong_with_a_happy_model(kwargs, message, hint):
    import keras

    extra = kwargs.get("extra")
    if extra is not None:
        layer = keras.layers.Dropout(0.5) if extra[1] == "dropout" else keras.layers.Dense(3)
        kwargs = {**kwargs, "extra": (extra[0], layer)}
    with pytest.raises(CheckFailed, match=message) as info:
        _ck().model(_happy(**kwargs), _happy())
    text = str(info.value)
    assert "\n  received" in text, text
    if hint is not None:
        assert hint in text.split("Hint:", 1)[1], text


def test_model_names_two_swapped_convolutions_of_different_widths():
    import keras

    def cnn(first, second):
        x = keras.Input((16, 16, 3))
        y = keras.layers.Conv2D(first, 3, padding="same", activation="relu")(x)
        y = keras.layers.Conv2D(second, 3, padding="same", activation="relu")(y)
        return keras.Model(x, keras.layers.Dense(2)(keras.layers.Flatten()(y)))

    with pytest.raises(
        CheckFailed, match=r"layers 1 and 2 of your model \(conv2d\w*, conv2d\w*\) are swapped"
    ):
        _ck().model(cnn(16, 8), cnn(8, 16))
    with pytest.raises(CheckFailed, match=r"layer 1 of your model \(conv2d\w*\) has filters 4; expected 8"):
        _ck().model(cnn(4, 16), cnn(8, 16))


def test_model_names_an_activation_layer_where_a_relu_layer_is_asked():
    import keras

    model = _happy(
        order=["pad", "conv", "bn", "pool", "flat", "out"], extra=(3, keras.layers.Activation("relu"))
    )
    with pytest.raises(
        CheckFailed,
        match=r"layer 4 of your model \(activation\w*\) is an Activation layer; "
        r"expected a ReLU layer",
    ) as info:
        _ck().model(model, _happy())
    assert "compute the same" in str(info.value)


def test_model_a_wrong_output_shape_from_a_right_layer_points_before_it():
    specs = [
        {"class": "Conv2D", "filters": 8, "output_shape": (None, 16, 16, 8)},
        {"class": "MaxPooling2D", "output_shape": (None, 4, 4, 8)},
    ]
    import keras

    model = keras.Sequential(
        [keras.Input((16, 16, 3)), keras.layers.Conv2D(8, 3, padding="same"), keras.layers.MaxPooling2D(2)]
    )
    with pytest.raises(
        CheckFailed,
        match=r"layer 2 of your model \(max_pooling2d\w*\) has output shape "
        r"\(None, 8, 8, 8\); expected \(None, 4, 4, 8\)",
    ):
        _ck().model(model, specs)


def test_the_alignment_is_the_cheapest_edit():
    from shared_utils.engine.checking import _align

    def specs(*kinds):
        return [{"class": k} for k in kinds]

    assert [op for op, _, _ in _align(specs("A", "B", "C"), specs("A", "B", "C"))] == ["match"] * 3
    assert _align(specs("A", "B", "C"), specs("A", "C")) == [
        ("match", 0, 0),
        ("missing", 1, 1),
        ("match", 2, 1),
    ]
    assert _align(specs("A", "C"), specs("A", "B", "C")) == [
        ("match", 0, 0),
        ("extra", 1, 1),
        ("match", 1, 2),
    ]
    assert _align(specs("A", "B", "C"), specs("B", "A", "C")) == [("swapped", 0, 0), ("match", 2, 2)]
    assert _align(specs("A", "B", "C"), specs("A", "D", "C")) == [
        ("match", 0, 0),
        ("other", 1, 1),
        ("match", 2, 2),
    ]
    assert _align([], []) == [] and _align(specs("A"), []) == [("missing", 0, 0)]


# ----- messages that name the real mistake ------------------------------------------------


def test_a_specific_hint_replaces_the_generic_one():
    ck = Check("f", "m", None, extended=False, hints=["the generic formula"])
    with pytest.raises(CheckFailed) as info:
        ck.array(np.ones(3) * 2, np.ones(3), mistakes={"You doubled it.": np.ones(3) * 2})
    assert "You doubled it." in str(info.value) and "generic" not in str(info.value)
    with pytest.raises(CheckFailed, match="Hint: the generic formula"):
        ck.array(np.ones(3) * 3, np.ones(3), mistakes={"You doubled it.": np.ones(3) * 2})


def test_a_list_is_refused_where_an_array_is_asked():
    with pytest.raises(CheckFailed, match="should be a NumPy array, got list"):
        _ck().array([1.0, 2.0], np.array([1.0, 2.0]))
    assert _ck().array([1.0, 2.0], np.array([1.0, 2.0]), lists=True).shape == (2,)


def test_many_values_where_a_number_is_asked_means_a_missing_sum():
    with pytest.raises(CheckFailed, match="5 values came back where one number is asked") as info:
        _ck().scalar(np.ones(5), 5.0)
    assert "squeeze" not in str(info.value)


def test_a_number_where_an_array_is_asked_suggests_an_element_wise_product():
    with pytest.raises(CheckFailed, match=r"np.dot \(or a sum\) where an element-wise product"):
        _ck().array(np.float64(3.0), np.ones(4))


def test_an_extra_dimension_of_one_is_named():
    with pytest.raises(CheckFailed, match="extra dimension of size 1"):
        _ck().array(np.ones((1, 4)), np.ones(4))


def test_nan_results_say_how_many_and_where():
    with pytest.raises(CheckFailed) as info:
        _ck().array(np.array([1.0, np.nan, 3.0, np.nan]), np.arange(4.0))
    msg = str(info.value)
    assert "2 NaN value(s) of 4, the first at index (1,)" in msg and "largest difference" not in msg


def test_values_that_look_alike_are_shown_where_they_differ():
    with pytest.raises(CheckFailed) as info:
        _ck().array(np.array([1.0, 2.0, 3.0000001]), np.array([1.0, 2.0, 3.0]), rtol=1e-10, atol=0)
    assert "first differ at index (2,): expected 3.0, received 3.0000001" in str(info.value)
    with pytest.raises(CheckFailed, match=r"expected: 1.0\n  received: 1.00000001"):
        _ck().scalar(1.00000001, 1.0, rtol=1e-12, atol=0)


def test_a_read_only_input_changed_in_place_is_named_by_its_parameter():
    def update(w, dw):
        w -= dw
        return w

    w = np.ones(3)
    w.setflags(write=False)
    ck = Check("f", "m", update, extended=False, hints=[], in_place={"w": "Write `w = w - dw`."})
    with pytest.raises(CheckFailed, match=r"changed its argument `w` in place\.\nHint: Write `w = w - dw`"):
        ck.call(w, np.ones(3))
    assert np.array_equal(w, np.ones(3))


def test_a_dict_entry_changed_in_place_is_named():
    def update(params):
        params["W1"] += 1
        return params

    with pytest.raises(CheckFailed, match=r"argument `params` in place \(params\['W1'\] changed\)"):
        _ck(update).call({"W1": np.ones(2), "b1": np.zeros(1)})


def test_the_traceback_shows_only_the_learners_frames():
    def broken(x):
        return np.linalg.inv(x)  # raises deep inside NumPy

    with pytest.raises(CheckFailed, match="your code raised LinAlgError") as info:
        _ck(broken).call(np.zeros((2, 2)))
    frames = [line for line in str(info.value).splitlines() if line.startswith("    line ")]
    assert frames and all("in broken" in line for line in frames), str(info.value)


def test_the_checks_models_take_none_of_the_learners_layer_names():
    import keras

    from shared_utils.checks import c1_03_planar_one_hidden_layer as planar

    before = keras.layers.Dense(1).name
    planar._keras_predict(
        np.zeros((2, 3)),
        {"W1": np.ones((4, 2)), "b1": np.zeros((4, 1)), "W2": np.ones((1, 4)), "b2": np.zeros((1, 1))},
    )
    after = keras.layers.Dense(1).name
    assert _name_number(after) == _name_number(before) + 1, (before, after)


def _name_number(name: str) -> int:
    """The counter Keras appends to an automatic layer name: dense -> 0, dense_7 -> 7."""
    return int(name.rsplit("_", 1)[1]) if "_" in name else 0


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({}, None),
        ({"drop": "bn"}, "is missing a BatchNormalization layer"),
        ({"order": ["pad", "bn", "conv", "relu", "pool", "flat", "out"]}, "are swapped"),
        ({"size": 32}, r"takes inputs of shape \(None, 32, 32, 3\)"),
        ({"pad": 2}, r"has padding \(\(2, 2\), \(2, 2\)\)"),
    ],
    ids=["right", "missing", "swapped", "input shape", "zero padding"],
)
def test_model_compares_a_model_described_by_the_kernel_as_one_here(kwargs, message):
    """When grading, the learner's model stays in the kernel: the agent's description is enough."""
    from tests.loopback import remote_function

    got = remote_function("happy_model", lambda: _happy(**kwargs))()
    if message is None:
        _ck().model(got, _happy())
        return
    with pytest.raises(CheckFailed, match=message):
        _ck().model(got, _happy())


def test_layer_names_get_the_article_they_are_read_with():
    from shared_utils.engine.checking import _article

    said = {k: _article(k) for k in ["LSTM", "GRU", "RNN", "SimpleRNN", "Embedding", "Dense", "Input"]}
    assert said == {
        "LSTM": "an LSTM",
        "GRU": "a GRU",
        "RNN": "an RNN",
        "SimpleRNN": "a SimpleRNN",
        "Embedding": "an Embedding",
        "Dense": "a Dense",
        "Input": "an Input",
    }


def test_the_kernel_agent_reports_the_method_that_raised():
    from shared_utils.engine.agent import _error

    class Layer:
        def call(self):
            raise NotImplementedError()

    try:
        Layer().call()
    except NotImplementedError as exc:
        error = _error(exc)
    assert error["raiser"] == "Layer.call" and error["not_implemented"]

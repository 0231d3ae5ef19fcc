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

    with pytest.raises(CheckFailed, match="changed its argument #1 in place"):
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

"""The Transformer helpers of course 5, notebook 9, and the shipped date Transformer."""

from __future__ import annotations

import functools
import importlib.util

import numpy as np
import pytest

from shared_utils.course5 import transformer
from shared_utils.data import dates, registry
from shared_utils.models import trained
from tests.namespaces import solution_namespace


@functools.cache
def _tools():
    path = registry.REPO_ROOT / "tools" / "train_date_transformer.py"
    spec = importlib.util.spec_from_file_location("train_date_transformer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _held_out(n: int = 200):
    card = trained.card("date_transformer")
    _, test_pairs = dates.make_splits(card["n_train"], card["n_test"])
    X, _, _, _ = dates.dataset(test_pairs[:n])
    return X, [iso for _, iso in test_pairs[:n]]


@functools.cache
def _solution_model():
    ns = solution_namespace("09_transformer")
    card = trained.card("date_transformer")
    model = ns["Transformer"](
        input_vocab_size=len(dates.human_vocabulary()),
        target_vocab_size=transformer.target_vocabulary_size(),
        pe_input=dates.TX,
        pe_target=dates.TY,
        **card["config"],
    )
    model(np.zeros((1, dates.TX), "int32"), np.ones((1, dates.TY), "int32"))
    trained.load(model, "date_transformer", variables=transformer.ordered_weights(model))
    return model


def test_decoder_inputs_start_with_start_and_shift_the_targets():
    Y = np.array([[0, 3, 10], [5, 5, 1]])
    dec_in, target = transformer.decoder_inputs(Y)
    np.testing.assert_array_equal(target, Y + 2)
    np.testing.assert_array_equal(dec_in[:, 0], [transformer.START] * 2)
    np.testing.assert_array_equal(dec_in[:, 1:], target[:, :-1])
    assert transformer.PAD not in target  # "-" (index 0 of the machine vocabulary) is not a pad
    with pytest.raises(ValueError, match="2-D array of integer"):
        transformer.decoder_inputs(np.zeros(3))


def test_check_mask_refuses_a_mask_that_does_not_broadcast_and_names_the_convention():
    assert transformer.check_mask(None, 3, 4) is None
    assert np.asarray(transformer.check_mask(np.ones((2, 1, 1, 4), bool), 3, 4)).dtype == np.float32
    transformer.check_mask(np.ones((3, 4)), 3, 4)
    transformer.check_mask(np.ones((2, 1, 3, 4)), None, 4)  # a length not known yet is not checked
    for bad in (np.ones((3, 3)), np.ones((2, 1, 1, 5)), np.ones(4)):
        with pytest.raises(ValueError, match="1 means attend, 0 means masked"):
            transformer.check_mask(bad, 3, 4)


def test_check_length_refuses_a_sequence_longer_than_the_positional_encoding():
    transformer.check_length(30, 30)
    transformer.check_length(None, 30)
    with pytest.raises(ValueError, match="more than the 30 .* truncate it to 30"):
        transformer.check_length(31, 30, "the input")


def test_reason_drops_the_frame_keras_puts_around_a_message():
    error = ValueError(
        "Exception encountered when calling Encoder.call().\n\n\x1b[1mthe input has 40\x1b[0m\n\nArgs"
    )
    assert transformer.reason(error) == "the input has 40"


def test_stored_arrays_are_the_cards_tensors():
    card = trained.card("date_transformer")
    arrays = transformer.stored_arrays("date_transformer")
    assert len(arrays) == card["tensors"]
    assert sum(a.size for a in arrays) == card["parameters"]
    assert all(a.dtype == np.float32 for a in arrays)


def test_the_tools_model_reaches_the_cards_figure_on_held_out_dates():
    tools = _tools()
    model = tools.build()
    trained.load(model, "date_transformer", variables=transformer.ordered_weights(model))
    X, expected = _held_out()
    written, weights = transformer.greedy_decode(model, X)
    match = transformer.exact_match(dates.decode(written, dates.machine_vocabulary()), expected)
    assert match >= 0.98
    assert weights["decoder_layer2_block2"].shape == (len(X), 4, dates.TY, dates.TX)


def test_the_notebooks_solution_writes_what_the_tools_model_writes():
    tools_model = _tools().build()
    trained.load(tools_model, "date_transformer", variables=transformer.ordered_weights(tools_model))
    model = _solution_model()
    X, expected = _held_out(100)
    inp, tar = X[:8], np.tile(np.arange(1, dates.TY + 1, dtype=np.int32), (8, 1))
    np.testing.assert_allclose(
        np.asarray(model(inp, tar)[0]), np.asarray(tools_model(inp, tar)[0]), atol=2e-4
    )
    assert transformer.translate(model, ["24 de septiembre de 2021", "9/24/21"]) == ["2021-09-24"] * 2


def test_cross_attention_rows_sum_to_one_and_skip_the_pads():
    model = _solution_model()
    x = dates.encode(["3 may 1979"], dates.human_vocabulary(), dates.TX)
    _, weights = transformer.greedy_decode(model, x)
    w = weights["decoder_layer2_block2"][0]  # (heads, Ty, Tx)
    np.testing.assert_allclose(w.sum(-1), 1.0, atol=1e-5)
    assert w[..., len("3 may 1979") :].max() < 1e-6


def test_the_model_refuses_an_input_longer_than_its_positional_encoding():
    model = _solution_model()
    with pytest.raises(ValueError) as info:
        model(np.ones((1, dates.TX + 5), "int32"), np.ones((1, 2), "int32"))
    assert "truncate it to 30" in transformer.reason(info.value)


def test_fit_prints_a_line_per_epoch_and_lowers_the_loss():
    tools = _tools()
    model = tools.DateTransformer(
        num_layers=1,
        d_model=16,
        num_heads=2,
        dff=16,
        rate=0.0,
        input_vocab_size=len(dates.human_vocabulary()),
        target_vocab_size=transformer.target_vocabulary_size(),
        pe_input=dates.TX,
        pe_target=dates.TY,
    )
    pairs = dates.make_dates(64, 3)
    X, Y, _, _ = dates.dataset(pairs)
    lines = []
    history = transformer.fit(model, X, Y, epochs=2, batch_size=32, learning_rate=3e-3, log=lines.append)
    assert len(history) == len(lines) == 2 and lines[0].startswith("epoch 1/2: loss ")
    assert history[1]["loss"] < history[0]["loss"]


def test_ordered_weights_names_a_missing_attribute():
    class Bare:
        encoder = object()

    with pytest.raises(ValueError, match="no attribute 'decoder'"):
        transformer.ordered_weights(Bare())


def test_plot_heads_draws_one_panel_per_head():
    import matplotlib

    matplotlib.use("Agg")
    fig = transformer.plot_heads(np.full((4, 10, 30), 1 / 30), "3 may 1979", "1979-05-03")
    assert len(fig.axes) == 4

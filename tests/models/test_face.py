"""Face encoder port: the Keras model read from dlib's .dat gives dlib's own descriptors.

The reference is dlib itself: tests/fixtures/assets/dlib_face_reference.npz holds five aligned
crops (three people) and the descriptors dlib-bin 20.0.1 computed for them
(tools/record_face_reference.py; tools/verify_face_encoder.py repeats the comparison live on
60 faces).  Needs the asset ``dlib-face-resnet.dat``: skipped with the fetch command when it is
missing, failed under CI.
"""

from __future__ import annotations

import numpy as np
import pytest

from shared_utils.models import face
from tests.assets_testing import require


@pytest.fixture(scope="module")
def dat_file():
    return require(face.ASSET)[0]


@pytest.fixture(scope="module")
def network(dat_file):
    return face.read_dlib_network(dat_file)


@pytest.fixture(scope="module")
def model(dat_file, network):
    return face.face_encoder(network=network)


@pytest.fixture(scope="module")
def reference():
    return face.load_reference()


def test_reference_fixture_is_what_the_tests_expect(reference):
    assert reference["crops"].shape == (5, 150, 150, 3) and reference["crops"].dtype == np.uint8
    assert reference["dlib_descriptors"].shape == (5, 128)
    assert reference["person"].tolist() == [0, 0, 1, 1, 2]


def test_dlib_file_parses_into_the_published_architecture(network):
    assert [layer["type"] for layer in network.layers] == face.expected_layer_types()
    assert network.input_size == (150, 150)
    np.testing.assert_allclose(network.channel_means, [122.782, 117.001, 104.298], atol=1e-3)
    assert network.distance_threshold == pytest.approx(face.SAME_PERSON_THRESHOLD)
    convs = [layer for layer in network.layers if layer["type"] == "con_4"]
    assert len(convs) == 29
    assert convs[0]["kernel"].shape == (32, 3, 7, 7) and convs[0]["strides"] == (2, 2)
    fc = network.layers[-1]
    assert fc["kernel"].shape == (256, 128)


def test_truncated_or_padded_file_is_refused(tmp_path, dat_file):
    data = dat_file.read_bytes()
    for name, content in (("short.dat", data[:-10]), ("long.dat", data + b"\x00" * 4)):
        bad = tmp_path / name
        bad.write_bytes(content)
        with pytest.raises(face.DlibFormatError):
            face.read_dlib_network(bad)


def test_descriptors_equal_dlibs(model, reference):
    ours = face.face_embeddings(reference["crops"], model)
    assert ours.shape == (5, 128)
    diff = float(np.max(np.abs(ours - reference["dlib_descriptors"])))
    assert diff <= face.TOLERANCE, f"port differs from dlib by {diff:.3g} (measured 3.6e-7)"


def test_same_person_close_different_people_far(model, reference):
    fig = face.compare_with_dlib(model, reference)
    assert fig["same_person_max"] < 0.3  # measured 0.238 (dlib: 0.238)
    assert fig["different_person_min"] > face.SAME_PERSON_THRESHOLD  # measured 0.726


def test_single_crop_and_float_input(model, reference):
    one = face.face_embeddings(reference["crops"][0], model)
    both = face.face_embeddings(reference["crops"][:2].astype(np.float32), model)
    assert one.shape == (1, 128)
    np.testing.assert_allclose(one[0], both[0], atol=1e-6)


def test_verifier_is_registered():
    from shared_utils.data import store as assets

    assert assets.VERIFIERS.get("face") is face.verify

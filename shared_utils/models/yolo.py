"""YOLOv3-tiny (Darknet, COCO's 80 classes) as a Keras 3 model, with real weights.

    from shared_utils.models import yolo
    model = yolo.yolov3_tiny()                       # 416 x 416 input, 2 output grids
    x = yolo.preprocess(image)                       # RGB uint8 (H, W, 3) -> (1, 416, 416, 3) in [0, 1]
    grids = model(x)                                 # [(1, 13, 13, 255), (1, 26, 26, 255)]
    boxes, scores, classes = yolo.decode_outputs(grids, image_size=image.shape[:2])
    keep = yolo.reference_filter_and_nms(boxes, scores, classes)   # what learners build later
    yolo.detect(image)                               # all of it: [(class name, score, box), ...]

The model is built from the Darknet ``.cfg`` by a small parser (convolution + batch norm +
leaky ReLU, max-pool, up-sample, route, shortcut, yolo) and the ``.weights`` file is read
in Darknet's order (per convolution: BN beta, gamma, mean, variance - or the bias - then the
kernel as out x in x h x w); the parser checks that it consumes the file to the last byte.

Boxes follow TensorFlow's convention: ``(y1, x1, y2, x2)`` corners, in pixels of the original
image when ``image_size`` is given (else as fractions of it). The image is resized to the
network's square input without letterboxing (as OpenCV's ``blobFromImage`` does), so box
fractions map straight back onto the original image.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from shared_utils.common.timing import best_time, timed
from shared_utils.data import store

WEIGHTS = "yolov3-tiny.weights"
CFG = "yolov3-tiny.cfg"
INPUT_SIZE = 416


# ---------------------------------------------------------------------------------------------
# Darknet cfg + weights -> Keras
# ---------------------------------------------------------------------------------------------


def parse_cfg(text: str) -> list[dict]:
    """Darknet's ini-like cfg as a list of ``{"type": section, key: value, ...}`` (strings)."""
    sections: list[dict] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            sections.append({"type": line.strip("[]").strip()})
        else:
            key, value = (s.strip() for s in line.split("=", 1))
            sections[-1][key] = value
    return sections


class YoloHead(NamedTuple):
    anchors: np.ndarray  # (3, 2) anchor (width, height) in input pixels
    classes: int


def _ints(s: str) -> list[int]:
    return [int(v) for v in s.split(",") if v.strip()]


def build_darknet(cfg_text: str, weights: bytes, input_size: int | None = INPUT_SIZE):
    """Keras model of a Darknet cfg with its weights. Returns ``(model, heads)`` where the
    model outputs the raw grid of each ``[yolo]`` section and ``heads`` describes them."""
    import keras
    from keras import layers

    sections = parse_cfg(cfg_text)
    net, body = sections[0], sections[1:]
    if net["type"] not in ("net", "network"):
        raise ValueError("a Darknet cfg starts with [net]")
    header = np.frombuffer(weights, np.int32, 3)
    major, minor = int(header[0]), int(header[1])
    offset = 12 + (8 if major * 10 + minor >= 2 else 4)  # 'seen' is 64-bit since version 0.2
    floats = np.frombuffer(weights, np.float32, (len(weights) - offset) // 4, offset)
    pos = 0

    def take(n: int) -> np.ndarray:
        nonlocal pos
        if pos + n > len(floats):
            raise ValueError("the weights file ends before the network does")
        out = floats[pos : pos + n]
        pos += n
        return out

    channels = int(net.get("channels", 3))
    size = input_size
    inputs = keras.Input((size, size, channels), name="image")
    outputs: list = []  # output tensor of every section, by index
    heads: list[YoloHead] = []
    grids = []
    x = inputs
    pending: list[tuple] = []  # (layer, weights) to set after the model exists
    for i, s in enumerate(body):
        t = s["type"]
        if t == "convolutional":
            filters, k = int(s["filters"]), int(s["size"])
            stride, bn = int(s.get("stride", 1)), int(s.get("batch_normalize", 0))
            pad = k // 2 if int(s.get("pad", 0)) else int(s.get("padding", 0))
            in_ch = x.shape[-1]
            if bn:
                beta, gamma, mean, var = (take(filters) for _ in range(4))
            else:
                bias = take(filters)
            kernel = take(filters * in_ch * k * k).reshape(filters, in_ch, k, k).transpose(2, 3, 1, 0)
            if stride == 1 and pad == k // 2:
                padding = "same"
            else:  # Darknet pads top/left by `pad` and lets the window run past the bottom/right
                x = layers.ZeroPadding2D(((pad, 0), (pad, 0)), name=f"pad_{i}")(x)
                padding = "valid"
            conv = layers.Conv2D(
                filters, k, strides=stride, padding=padding, use_bias=not bn, name=f"conv_{i}"
            )
            x = conv(x)
            if bn:
                norm = layers.BatchNormalization(epsilon=1e-6, name=f"bn_{i}")
                x = norm(x)
                pending += [(conv, [kernel]), (norm, [gamma, beta, mean, var])]
            else:
                pending.append((conv, [kernel, bias]))
            act = s.get("activation", "linear")
            if act == "leaky":
                x = layers.LeakyReLU(negative_slope=0.1, name=f"leaky_{i}")(x)
            elif act != "linear":
                raise ValueError(f"activation {act} is not supported")
        elif t == "maxpool":
            k, stride = int(s["size"]), int(s["stride"])
            x = layers.MaxPooling2D(k, stride, padding="same", name=f"maxpool_{i}")(x)
        elif t == "upsample":
            x = layers.UpSampling2D(int(s["stride"]), name=f"upsample_{i}")(x)
        elif t == "route":
            srcs = [outputs[j if j >= 0 else i + j] for j in _ints(s["layers"])]
            x = srcs[0] if len(srcs) == 1 else layers.Concatenate(name=f"route_{i}")(srcs)
        elif t == "shortcut":
            x = layers.Add(name=f"shortcut_{i}")([x, outputs[i + int(s["from"])]])
        elif t == "yolo":
            mask = _ints(s["mask"])
            anchors = np.array(_ints(s["anchors"]), np.float32).reshape(-1, 2)[mask]
            heads.append(YoloHead(anchors, int(s["classes"])))
            grids.append(x)
        else:
            raise ValueError(f"Darknet section [{t}] is not supported")
        outputs.append(x)
    if pos != len(floats) or (len(weights) - offset) % 4:
        raise ValueError(f"the weights file has {len(floats) - pos} floats left after the last layer")
    model = keras.Model(inputs, grids, name="yolov3_tiny")
    for layer, ws in pending:
        layer.set_weights([np.array(w) for w in ws])
    return model, heads


@lru_cache(maxsize=1)
def _heads() -> tuple[YoloHead, ...]:
    heads = []
    for s in parse_cfg(store.path(CFG).read_text()):
        if s["type"] == "yolo":
            anchors = np.array(_ints(s["anchors"]), np.float32).reshape(-1, 2)[_ints(s["mask"])]
            heads.append(YoloHead(anchors, int(s["classes"])))
    return tuple(heads)


def yolov3_tiny(input_size: int = INPUT_SIZE):
    """YOLOv3-tiny with its COCO weights: input (N, size, size, 3) RGB in [0, 1] (size a multiple
    of 32), outputs ``[(N, size/32, size/32, 255), (N, size/16, size/16, 255)]``: per cell, 3
    anchors x (tx, ty, tw, th, objectness logit, 80 class logits)."""
    if input_size % 32:
        raise ValueError("the input size must be a multiple of 32")
    model, _ = build_darknet(store.path(CFG).read_text(), store.path(WEIGHTS).read_bytes(), input_size)
    return model


def coco_classes() -> list[str]:
    """The 80 COCO class names in the detector's order (from shared_data/)."""
    from shared_utils.data import samples

    return samples.coco_classes()


# ---------------------------------------------------------------------------------------------
# input and output
# ---------------------------------------------------------------------------------------------


def preprocess(image: np.ndarray, input_size: int = INPUT_SIZE) -> np.ndarray:
    """RGB uint8 image (H, W, 3) -> batch (1, size, size, 3) of floats in [0, 1] (plain resize)."""
    from PIL import Image

    img = Image.fromarray(np.asarray(image, np.uint8)).resize((input_size, input_size), Image.BILINEAR)
    return (np.asarray(img, np.float32) / 255.0)[None]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def decode_grids(
    outputs: Sequence, heads: Sequence[YoloHead] | None = None, input_size: int | None = None
) -> list[dict[str, np.ndarray]]:
    """Per grid, for the first image of the batch: ``xywh`` (S, S, 3, 4) box centre and size as
    fractions of the image, ``objectness`` (S, S, 3, 1), ``class_probs`` (S, S, 3, C)."""
    heads = heads or _heads()
    size = input_size or _input_from(outputs)  # anchors are in pixels of the network's input
    out = []
    for grid, head in zip(outputs, heads):
        g = np.asarray(grid, np.float32)[0]
        s_h, s_w = g.shape[:2]
        g = g.reshape(s_h, s_w, len(head.anchors), 5 + head.classes)
        cy, cx = np.meshgrid(
            np.arange(s_h, dtype=np.float32), np.arange(s_w, dtype=np.float32), indexing="ij"
        )
        x = (cx[..., None] + _sigmoid(g[..., 0])) / s_w
        y = (cy[..., None] + _sigmoid(g[..., 1])) / s_h
        w = head.anchors[:, 0] * np.exp(g[..., 2]) / size
        h = head.anchors[:, 1] * np.exp(g[..., 3]) / size
        out.append(
            {
                "xywh": np.stack([x, y, w, h], -1),
                "objectness": _sigmoid(g[..., 4:5]),
                "class_probs": _sigmoid(g[..., 5:]),
            }
        )
    return out


def _input_from(outputs: Sequence) -> int:
    """Network input size from the coarsest grid (stride 32)."""
    return 32 * min(np.shape(o)[1] for o in outputs)


def decode_outputs(
    outputs: Sequence, image_size: tuple[int, int] | None = None, heads: Sequence[YoloHead] | None = None
):
    """Both grids -> flat arrays over every anchor box of the first image of the batch:

    * ``boxes`` (N, 4) float32 ``(y1, x1, y2, x2)``: pixels of an image of ``image_size``
      ``(height, width)``, or fractions of the image when ``image_size`` is None;
    * ``scores`` (N,) objectness x probability of the most likely class;
    * ``classes`` (N,) int index of that class.

    N = 3 x (13 x 13 + 26 x 26) = 2535 for a 416 input. Nothing is filtered here.
    """
    boxes, scores, classes = [], [], []
    for d in decode_grids(outputs, heads):
        xywh = d["xywh"].reshape(-1, 4)
        probs = (d["objectness"] * d["class_probs"]).reshape(len(xywh), -1)
        x, y, w, h = xywh.T
        boxes.append(np.stack([y - h / 2, x - w / 2, y + h / 2, x + w / 2], -1))
        classes.append(probs.argmax(-1))
        scores.append(probs.max(-1))
    boxes = np.concatenate(boxes).astype(np.float32)
    if image_size is not None:
        hgt, wid = image_size[:2]
        boxes *= np.array([hgt, wid, hgt, wid], np.float32)
    return boxes, np.concatenate(scores).astype(np.float32), np.concatenate(classes).astype(np.int32)


def reference_filter_and_nms(
    boxes, scores, classes, score_threshold: float = 0.5, iou_threshold: float = 0.45, max_boxes: int = 100
):
    """Reference answer for the learners' filter + non-max suppression: keep the boxes scoring
    at least ``score_threshold``, then, class by class, ``tf.image.non_max_suppression``.
    Returns ``(boxes, scores, classes)`` of the kept boxes, best score first."""
    import tensorflow as tf

    boxes, scores, classes = (np.asarray(a) for a in (boxes, scores, classes))
    keep = scores >= score_threshold
    boxes, scores, classes = boxes[keep], scores[keep], classes[keep]
    chosen = []
    for c in np.unique(classes):
        idx = np.flatnonzero(classes == c)
        sel = tf.image.non_max_suppression(boxes[idx], scores[idx], max_boxes, iou_threshold).numpy()
        chosen.extend(idx[sel].tolist())
    chosen = np.array(sorted(chosen, key=lambda i: -scores[i])[:max_boxes], np.int64)
    return boxes[chosen], scores[chosen], classes[chosen]


@lru_cache(maxsize=1)
def _shared_model():
    return yolov3_tiny()


def detect(
    image: np.ndarray, score_threshold: float = 0.5, iou_threshold: float = 0.45, model=None
) -> list[tuple[str, float, tuple[float, float, float, float]]]:
    """Detections on one RGB image: ``[(class name, score, (y1, x1, y2, x2) pixels), ...]``."""
    model = model or _shared_model()
    grids = model(preprocess(image, model.input_shape[1]), training=False)
    boxes, scores, classes = decode_outputs([np.asarray(g) for g in grids], image.shape[:2])
    b, s, c = reference_filter_and_nms(boxes, scores, classes, score_threshold, iou_threshold)
    names = coco_classes()
    return [(names[int(k)], float(v), tuple(float(u) for u in box)) for box, v, k in zip(b, s, c)]


def show_detections(image: np.ndarray, detections, ax=None, title: str | None = None):
    """Draw ``detect``'s output on the image with matplotlib."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 6))
    ax.imshow(image)
    colours = plt.get_cmap("tab10")
    for name, score, (y1, x1, y2, x2) in detections:
        colour = colours(hash(name) % 10)
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, lw=2, ec=colour))
        ax.text(
            x1,
            y1,
            f"{name} {score:.2f}",
            color="white",
            fontsize=8,
            va="bottom",
            bbox=dict(fc=colour, ec="none", pad=1),
        )
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------------------------------------
# reference check
# ---------------------------------------------------------------------------------------------

REFERENCE_FRAME = "vtest_0750.jpg"

# Independent reference: OpenCV 4.14's own Darknet importer (cv2.dnn.readNetFromDarknet, from the
# opencv-python-headless 4.14.0.94 wheel) run on the same cfg, weights and input (our preprocess
# of the committed image). Per image: the sum of the 2535 objectness values, and the boxes whose
# best class score exceeds 0.3 as (row, (cx, cy, w, h, objectness), class, score); rows are in
# decode_outputs' order (grid 13 then 26; cell row, cell column, anchor).
OPENCV_REFERENCE = {
    "vtest_0750.jpg": (
        13.52971,
        [
            (1390, (0.33287, 0.44762, 0.03337, 0.06613, 0.98346), 0, 0.98334),
            (1041, (0.87906, 0.25734, 0.01303, 0.05693, 0.92348), 0, 0.92082),
            (1260, (0.679, 0.37389, 0.017, 0.06421, 0.86169), 0, 0.85945),
            (1510, (0.85371, 0.4664, 0.03402, 0.09036, 0.79772), 0, 0.79742),
            (811, (0.89391, 0.12032, 0.06789, 0.04134, 0.97381), 7, 0.7916),
            (1432, (0.85542, 0.45688, 0.0304, 0.08457, 0.75241), 0, 0.75134),
            (1405, (0.52785, 0.44013, 0.03862, 0.08057, 0.69651), 0, 0.69266),
            (1384, (0.25507, 0.42659, 0.03868, 0.05931, 0.65348), 0, 0.6523),
            (1306, (0.25357, 0.41939, 0.03836, 0.06041, 0.64108), 0, 0.64008),
            (816, (0.97149, 0.13291, 0.02118, 0.04236, 0.78408), 2, 0.52963),
            (1261, (0.68071, 0.37447, 0.02912, 0.04963, 0.40567), 0, 0.40524),
            (1389, (0.32707, 0.4412, 0.01995, 0.0588, 0.384), 0, 0.33855),
            (1327, (0.51477, 0.40338, 0.03342, 0.06753, 0.31579), 0, 0.30952),
            (808, (0.88056, 0.11944, 0.0641, 0.04696, 0.39353), 7, 0.30297),
        ],
    ),
    "messi5.jpg": (
        11.52786,
        [
            (2353, (0.66204, 0.91547, 0.05522, 0.06616, 0.76346), 32, 0.7593),
        ],
    ),
}


def compare_with_opencv(model, name: str) -> float:
    """Largest difference between our decoded grids and OpenCV's recorded rows for sample ``name``
    (box, objectness, best score), including the objectness sum over all rows."""
    from shared_utils.data import samples

    obj_sum, rows = OPENCV_REFERENCE[name]
    grids = [np.asarray(g) for g in model(preprocess(samples.image(name)), training=False)]
    d = decode_grids(grids)
    xywh = np.concatenate([g["xywh"].reshape(-1, 4) for g in d])
    obj = np.concatenate([g["objectness"].reshape(-1) for g in d])
    probs = np.concatenate(
        [(g["objectness"] * g["class_probs"]).reshape(len(g["xywh"].reshape(-1, 4)), -1) for g in d]
    )
    worst = abs(float(obj.astype(np.float64).sum()) - obj_sum) / len(obj)
    for row, (cx, cy, w, h, o), cls, score in rows:
        worst = max(worst, float(np.abs(np.append(xywh[row], obj[row]) - [cx, cy, w, h, o]).max()))
        worst = max(worst, abs(float(probs[row, cls]) - score), float(int(probs[row].argmax()) != cls))
    return worst


def verify() -> dict:
    import keras  # noqa: F401  (TensorFlow's import, several seconds, is not the port's load time)

    from shared_utils.data import samples

    model, load_s = timed(yolov3_tiny)
    frame = samples.image(REFERENCE_FRAME)
    x = preprocess(frame)
    model(x, training=False)  # warm-up (traces the graph)
    forward_s = best_time(lambda: model(x, training=False), repeats=3)  # best of 3: the machine is shared
    diff = max(compare_with_opencv(model, n) for n in OPENCV_REFERENCE)
    dets = detect(frame, model=model)
    persons = [s for n, s, _ in dets if n == "person"]
    messi = detect(samples.image("messi5.jpg"), score_threshold=0.2, model=model)
    return {
        "ok": diff < 1e-3 and sum(s >= 0.85 for s in persons) >= 3,
        "load_s": load_s,
        "forward_s": forward_s,
        "max_diff_vs_opencv": diff,
        "frame": REFERENCE_FRAME,
        "frame_detections": [(n, round(s, 3)) for n, s, _ in dets],
        "messi5_detections": [(n, round(s, 3)) for n, s, _ in messi],
    }


store.register_verifier("yolo", verify)

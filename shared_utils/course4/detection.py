"""Helpers of course 4, notebook 5 (car detection with YOLO): the figure of the grids and
anchors, boxes drawn on frames, the animation, and the comparison of two sets of
detections.

* :func:`as_rgb_uint8` - the pipeline's guard: an RGB uint8 image, or a clear error;
* :func:`to_corners` - centre and size to corners;
* :func:`anchor_heads`, :func:`plot_grids_and_anchors` - the detector's two grids and their
  anchor boxes, drawn on a real frame;
* :func:`pairwise_iou` - IoU of every box of one set with every box of another, vectorized;
* :func:`same_detections` - do two detections of one frame agree (same classes, boxes matched
  one to one at an IoU of at least 0.99)?
* :func:`run_on_clip` - the detector and a learner's ``yolo_eval`` on every frame, with a
  progress bar, the frames per second, and the reference answer of each frame;
* :func:`draw_detections`, :func:`count_per_frame`, :func:`gif_bytes`, :func:`show_gif` - the
  annotated frames, the number of cars and people in each, and an animation that plays inline.

Boxes are ``(y1, x1, y2, x2)`` corners, as in :mod:`shared_utils.models.yolo`. The street clip
itself is read by :func:`shared_utils.data.street.load_street_clip`.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

# ---------------------------------------------------------------------------------------------
# input guard
# ---------------------------------------------------------------------------------------------


def as_rgb_uint8(image) -> np.ndarray:
    """``image`` as an RGB uint8 array (H, W, 3); any size is fine (the detector resizes it).

    Refused with a ValueError that says how to fix it: a greyscale (H, W) or (H, W, 1) image, an
    RGBA (H, W, 4) one, a batch, a float or other non-uint8 array, an empty image.
    """
    arr = np.asarray(image)
    if arr.ndim == 4:
        raise ValueError(
            f"the pipeline takes one image (H, W, 3), got a batch of shape {arr.shape}: pass image[i]."
        )
    if arr.ndim == 2 or (arr.ndim == 3 and arr.shape[-1] == 1):
        raise ValueError(
            f"the image is greyscale, shape {arr.shape}; the detector needs RGB (H, W, 3): "
            "np.repeat(image.reshape(image.shape[0], image.shape[1], 1), 3, axis=-1)."
        )
    if arr.ndim != 3 or arr.shape[-1] not in (3, 4):
        raise ValueError(f"an image should have shape (H, W, 3), got {arr.shape}.")
    if arr.shape[-1] == 4:
        raise ValueError(f"the image is RGBA, shape {arr.shape}: drop the alpha channel with image[..., :3].")
    if min(arr.shape[:2]) < 1:
        raise ValueError(f"the image is empty, shape {arr.shape}.")
    if arr.dtype != np.uint8:
        raise ValueError(
            f"the image has dtype {arr.dtype}; the pipeline takes uint8 pixels 0-255 "
            "(for floats in [0, 1]: (image * 255).round().astype(np.uint8))."
        )
    return arr


# ---------------------------------------------------------------------------------------------
# the grids and their anchors
# ---------------------------------------------------------------------------------------------


def anchor_heads():
    """The two ``[yolo]`` heads of YOLOv3-tiny's cfg, coarse grid first: each has ``anchors``
    (3, 2) anchor (width, height) in pixels of the 416 x 416 input, and ``classes`` (80)."""
    from shared_utils.data import store
    from shared_utils.models import yolo

    heads = []
    for s in yolo.parse_cfg(store.path(yolo.CFG).read_text()):
        if s["type"] == "yolo":
            mask = [int(v) for v in s["mask"].split(",")]
            anchors = np.array([int(v) for v in s["anchors"].split(",")], np.float32).reshape(-1, 2)
            heads.append(yolo.YoloHead(anchors[mask], int(s["classes"])))
    return heads


def to_corners(xywh) -> np.ndarray:
    """Boxes (N, 4) as centre x, centre y, width, height -> corners (y1, x1, y2, x2)."""
    xywh = np.asarray(xywh)
    x, y, w, h = xywh[:, 0], xywh[:, 1], xywh[:, 2], xywh[:, 3]
    return np.stack([y - h / 2, x - w / 2, y + h / 2, x + w / 2], axis=-1)


def plot_grids_and_anchors(frame: np.ndarray, point: tuple[float, float], input_size: int = 416):
    """Figure: the frame as the network sees it (resized to ``input_size`` square), once with
    the 13 x 13 grid and once with the 26 x 26 grid; the cell holding ``point`` (row, column in
    pixels of the resized frame) is filled and its three anchor boxes are drawn centred on it."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle
    from PIL import Image

    img = np.asarray(Image.fromarray(as_rgb_uint8(frame)).resize((input_size, input_size), Image.BILINEAR))
    heads = anchor_heads()
    fig, axes = plt.subplots(1, len(heads), figsize=(5.2 * len(heads), 5.4))
    colours = ("tab:red", "tab:orange", "tab:purple")
    for ax, head, stride in zip(axes, heads, (32, 16)):
        s = input_size // stride
        ax.imshow(img)
        for k in range(1, s):
            ax.axhline(k * stride - 0.5, color="white", lw=0.5, alpha=0.7)
            ax.axvline(k * stride - 0.5, color="white", lw=0.5, alpha=0.7)
        row, col = int(point[0] // stride), int(point[1] // stride)
        ax.add_patch(Rectangle((col * stride, row * stride), stride, stride, fc="yellow", alpha=0.45))
        cy, cx = (row + 0.5) * stride, (col + 0.5) * stride
        for (w, h), colour in zip(head.anchors, colours):
            ax.add_patch(Rectangle((cx - w / 2, cy - h / 2), w, h, fill=False, ec=colour, lw=2))
        sizes = ", ".join(f"{int(w)}x{int(h)}" for w, h in head.anchors)
        ax.set_title(f"{s} x {s} grid (cells of {stride} px); anchors {sizes}", fontsize=9)
        ax.set_xlim(0, input_size)
        ax.set_ylim(input_size, 0)
        ax.set_axis_off()
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# comparing detections
# ---------------------------------------------------------------------------------------------


def pairwise_iou(a, b) -> np.ndarray:
    """IoU (len(a), len(b)) of every box of ``a`` (n, 4) with every box of ``b`` (m, 4), boxes
    ``(y1, x1, y2, x2)`` with their two corners in either order; 0 where boxes do not overlap
    or where both boxes are empty."""
    a, b = np.asarray(a, np.float64).reshape(-1, 4), np.asarray(b, np.float64).reshape(-1, 4)
    a = np.concatenate([np.minimum(a[:, :2], a[:, 2:]), np.maximum(a[:, :2], a[:, 2:])], 1)
    b = np.concatenate([np.minimum(b[:, :2], b[:, 2:]), np.maximum(b[:, :2], b[:, 2:])], 1)
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(bottom_right - top_left, 0, None), axis=-1)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=-1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=-1)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def same_detections(mine: Sequence, reference: Sequence, min_iou: float = 0.99) -> bool:
    """Whether two detections ``(boxes, scores, classes)`` of one frame agree: as many boxes,
    and each reference box matched to its own box of ``mine`` of the same class with an IoU of
    at least ``min_iou`` (greedily, best reference score first)."""
    boxes, _, classes = (np.asarray(x) for x in mine)
    ref_boxes, ref_scores, ref_classes = (np.asarray(x) for x in reference)
    if len(boxes) != len(ref_boxes):
        return False
    if len(ref_boxes) == 0:
        return True
    iou = pairwise_iou(ref_boxes, boxes)
    iou[ref_classes.reshape(-1, 1) != classes.reshape(1, -1)] = -1
    free = np.ones(len(boxes), bool)
    for i in np.argsort(-ref_scores, kind="stable"):
        candidates = np.where(free, iou[i], -1)
        j = int(np.argmax(candidates))
        if candidates[j] < min_iou:
            return False
        free[j] = False
    return True


# ---------------------------------------------------------------------------------------------
# the clip through the pipeline
# ---------------------------------------------------------------------------------------------


@dataclass
class ClipRun:
    """What :func:`run_on_clip` found: per frame, ``(boxes, scores, classes)`` of the learner's
    ``yolo_eval`` and of the reference; the pipeline's frames per second (the network, the
    decoding and ``yolo_eval``); whether each frame agrees with the reference."""

    detections: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    reference: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    seconds: float
    agree: np.ndarray

    @property
    def fps(self) -> float:
        return len(self.detections) / self.seconds

    @property
    def agreement(self) -> float:
        return float(self.agree.mean())


def detect_frame(image, model, yolo_eval: Callable, **kwargs):
    """The whole pipeline on one image: check it (:func:`as_rgb_uint8`), resize it to the
    network's input, run the network, decode the grids, and hand them to ``yolo_eval`` with the
    image's (height, width). Returns ``(boxes, scores, classes, raw_grids)``."""
    from shared_utils.models import yolo

    image = as_rgb_uint8(image)
    raw = [np.asarray(g) for g in model.predict_on_batch(yolo.preprocess(image, model.input_shape[1]))]
    scores, boxes, classes = yolo_eval(yolo.decode_grids(raw), image.shape[:2], **kwargs)
    return (np.asarray(boxes), np.asarray(scores), np.asarray(classes)), raw


def run_on_clip(
    frames: np.ndarray,
    model,
    yolo_eval: Callable,
    score_threshold: float = 0.5,
    iou_threshold: float = 0.45,
    max_boxes: int = 20,
    min_iou: float = 0.99,
) -> ClipRun:
    """Run the detector and ``yolo_eval(grids, image_shape, max_boxes, score_threshold,
    iou_threshold)`` (returning scores, boxes, classes) on every frame, with a progress bar;
    the reference (``yolo.reference_filter_and_nms`` on the same grids) is computed outside the
    timing."""
    from tqdm.auto import tqdm

    from shared_utils.models import yolo

    model.predict_on_batch(yolo.preprocess(frames[0], model.input_shape[1]))  # warm-up: builds the graph
    found, reference, agree, seconds = [], [], [], 0.0
    options = dict(max_boxes=max_boxes, score_threshold=score_threshold, iou_threshold=iou_threshold)
    for frame in tqdm(frames, desc="frames", unit="frame"):
        start = time.perf_counter()
        mine, raw = detect_frame(frame, model, yolo_eval, **options)
        seconds += time.perf_counter() - start
        boxes, scores, classes = yolo.decode_outputs(raw, frame.shape[:2])
        ref = yolo.reference_filter_and_nms(boxes, scores, classes, score_threshold, iou_threshold, max_boxes)
        found.append(mine)
        reference.append(ref)
        agree.append(same_detections(mine, ref, min_iou))
    return ClipRun(found, reference, seconds, np.array(agree))


def count_per_frame(detections: Sequence, names: Sequence[str], wanted: Sequence[str] = ("car", "person")):
    """``{class name: (n_frames,) int array}``: how many boxes of each wanted class each frame has."""
    index = {n: i for i, n in enumerate(names)}
    missing = [w for w in wanted if w not in index]
    if missing:
        raise ValueError(f"unknown class name(s) {missing}; the detector's classes are COCO's 80")
    return {w: np.array([int(np.sum(np.asarray(c) == index[w])) for _, _, c in detections]) for w in wanted}


# ---------------------------------------------------------------------------------------------
# drawing and the animation
# ---------------------------------------------------------------------------------------------

PALETTE = {"person": (230, 60, 60), "car": (40, 140, 255), "truck": (250, 170, 20), "bus": (40, 200, 120)}
OTHER = (200, 80, 220)


def draw_detections(image: np.ndarray, boxes, scores, classes, names: Sequence[str], scale: float = 1.0):
    """A PIL image of ``image`` (resized by ``scale``) with each box outlined and labelled with
    its class and score."""
    from PIL import Image, ImageDraw

    img = Image.fromarray(as_rgb_uint8(image))
    if scale != 1.0:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.BILINEAR)
    draw = ImageDraw.Draw(img)
    for (y1, x1, y2, x2), score, cls in zip(np.asarray(boxes) * scale, scores, classes):
        name = names[int(cls)]
        colour = PALETTE.get(name, OTHER)
        draw.rectangle((float(x1), float(y1), float(x2), float(y2)), outline=colour, width=2)
        label = f"{name} {float(score):.2f}"
        left, top, right, bottom = draw.textbbox((float(x1), float(y1)), label)
        top_y = max(0.0, float(y1) - (bottom - top) - 2)
        draw.rectangle(
            (float(x1), top_y, float(x1) + right - left + 2, top_y + bottom - top + 2), fill=colour
        )
        draw.text((float(x1) + 1, top_y), label, fill=(255, 255, 255))
    return img


def gif_bytes(images: Sequence, fps: float = 5.0, colours: int = 64) -> bytes:
    """An animated GIF (looping) of PIL images or RGB arrays, ``fps`` frames a second, each
    frame reduced to ``colours`` colours of its own (Pillow's fast octree quantizer)."""
    from PIL import Image

    if not len(images):
        raise ValueError("no frames to animate")
    frames = [(im if isinstance(im, Image.Image) else Image.fromarray(as_rgb_uint8(im))) for im in images]
    frames = [f.convert("RGB").quantize(colours, method=Image.Quantize.FASTOCTREE) for f in frames]
    buf = io.BytesIO()
    frames[0].save(
        buf, format="GIF", save_all=True, append_images=frames[1:], duration=round(1000 / fps), loop=0
    )
    return buf.getvalue()


def show_gif(data: bytes):
    """Display GIF bytes inline in a notebook (an ``IPython.display.Image``, stored in the page
    itself, so it plays offline)."""
    from IPython.display import Image

    return Image(data=data, format="gif")

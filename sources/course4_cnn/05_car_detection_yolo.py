# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   workbook:
#     title: Car detection with YOLO
#     minutes: 1
#     fast:
#       clip_frames: 16
# ---

# %% [markdown]
# # Car detection with YOLO
#
# **What you will build:** the part of a YOLO object detector that turns the network's raw
# grids into a short list of boxes: keep the confident boxes, measure how much two boxes
# overlap, suppress the duplicates class by class, and put it all together so that the boxes
# come out in pixels of the image. The network itself is real: **YOLOv3-tiny** with its
# COCO weights (80 classes, cars and people among them), ported to Keras. At the end your
# code finds the cars and people of a street video, frame after frame, and you watch the
# result.
#
# **What you will learn:**
# - how a single-shot detector describes boxes: a grid of cells, a few anchor boxes per
#   cell, and for each anchor a box, an objectness and class probabilities;
# - why the class score of a box is its objectness times its class probability, and how a
#   threshold prunes thousands of candidate boxes to a handful;
# - intersection over union (IoU), and non-max suppression done within each class;
# - what such a pipeline costs on a CPU, in frames per second.
#
# **Time:** about 45 minutes of work; a full run of the notebook takes about a minute on a
# two-core laptop CPU.
#
# Write your code where it says `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
# line), run the cell, then run the check cell below it.

# %% tags=["setup"]
import keras
import matplotlib.pyplot as plt
import numpy as np

from shared_utils import headline
from shared_utils.checks import c4_05_car_detection_yolo as check
from shared_utils.course4 import detection
from shared_utils.data import samples
from shared_utils.data.street import load_street_clip
from shared_utils.models import yolo

print("Keras", keras.__version__)

# %% tags=["parameters"]
# Frames of the street clip run through the detector in section 6 (at most 80).
clip_frames = 80
# A box is kept when its class score is at least score_threshold; two boxes of one class
# overlap too much when their IoU exceeds iou_threshold; at most max_boxes boxes per frame.
score_threshold = 0.5
iou_threshold = 0.45
max_boxes = 20

# %% [markdown]
# ## 1. The detector and its grids
#
# YOLO ("you only look once", Redmon et al., 2016; version 3, 2018) looks at the whole image
# once: one pass of a convolutional network, with no separate step that proposes regions.
# YOLOv3-tiny takes a $416 \times 416$ RGB image and returns two grids:
#
# - a coarse $13 \times 13$ grid (each cell covers $32 \times 32$ pixels of the input), for
#   large objects, and
# - a fine $26 \times 26$ grid (cells of $16 \times 16$ pixels), for small ones.
#
# Every cell holds **3 anchor boxes**, boxes of typical shapes fixed before training (found by
# clustering the boxes of COCO). For each anchor the network predicts 85 numbers: 4 for the box
# (its centre as an offset within the cell, its width and height as a stretch of the anchor),
# 1 for the **objectness** $p_o$ (how sure it is that some object is centred there) and 80
# class probabilities $c_1, \dots, c_{80}$ (what the object is, if there is one). That is
# $3 \times 85 = 255$ channels per cell, and
# $3 \times (13 \times 13 + 26 \times 26) = 2535$ candidate boxes per image.
#
# The figure shows a frame of the street video as the network sees it (squeezed to a square),
# with both grids. One cell, where a person walks, is filled, and its three anchors are drawn
# centred on it: the coarse grid's anchors are far too large for a person here, the fine
# grid's smallest ones are about right, which is why people in this video are found on the
# fine grid.

# %%
model = yolo.yolov3_tiny()
names = yolo.coco_classes()
frame = samples.image("vtest_0750.jpg")
print("frame:", frame.shape, frame.dtype)
raw = [np.asarray(g) for g in model.predict_on_batch(yolo.preprocess(frame))]
print("raw grids:", [g.shape for g in raw])
fig = detection.plot_grids_and_anchors(frame, point=(186, 138))
plt.show()

# %% [markdown]
# Decoding the raw numbers into boxes is given (`yolo.decode_grids`): the sigmoid turns the
# first two numbers into the centre's offset within its cell, the exponential of the next two
# stretches the anchor, and sigmoids turn the last 81 into probabilities. For each grid you get
# a dict of arrays:
#
# - `"xywh"` $(S, S, 3, 4)$: the box centre $x, y$ and its width and height, as fractions of
#   the image (so they fit an image of any size);
# - `"objectness"` $(S, S, 3, 1)$: $p_o$;
# - `"class_probs"` $(S, S, 3, 80)$: $c_1, \dots, c_{80}$.

# %%
grids = yolo.decode_grids(raw)
for g in grids:
    print({k: v.shape for k, v in g.items()})
obj = np.concatenate([g["objectness"].ravel() for g in grids])
print(f"{obj.size} anchor boxes; objectness above 0.5 for {int((obj > 0.5).sum())} of them")

# %% [markdown]
# ## 2. Keeping the confident boxes
#
# The **class score** of a box for class $c$ is the probability that the box holds an object
# *and* that the object is of class $c$:
#
# $$\text{score}_c = p_o \times c_c$$
#
# Each box gets the class of its largest score, and is kept only if that score reaches the
# threshold: `score >= threshold` (a box exactly at the threshold is kept).
#
# **Exercise 1, `yolo_filter_boxes`** (4 or 5 lines). The inputs are flat: `boxes` $(N, 4)$,
# `box_confidence` $(N, 1)$, `box_class_probs` $(N, C)$. Compute the scores of every box and
# class $(N, C)$, the best class of each box (`np.argmax` over the last axis) and its score
# (`np.max`), then keep the boxes whose score is at least `threshold` with a boolean mask.
# Return `scores` $(K,)$, `boxes` $(K, 4)$ and `classes` $(K,)$ of the $K$ boxes kept, in the
# order they came in.

# %%
def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.6):
    """The boxes whose best class score (objectness x class probability) is >= threshold:
    returns scores (K,), boxes (K, 4), classes (K,)."""
    ### BEGIN SOLUTION
    box_scores = box_confidence * box_class_probs
    box_classes = np.argmax(box_scores, axis=-1)
    box_class_scores = np.max(box_scores, axis=-1)
    mask = box_class_scores >= threshold
    scores, boxes, classes = box_class_scores[mask], boxes[mask], box_classes[mask]
    ### END SOLUTION
    return scores, boxes, classes


# %%
check.yolo_filter_boxes(yolo_filter_boxes)

# %% [markdown]
# On the frame, with the centre-and-size boxes turned into corners by the given
# `detection.to_corners`, the threshold leaves a handful of the 2535 boxes; where two of them
# mark the same person, section 4 removes the weaker one:

# %%
flat_boxes = detection.to_corners(np.concatenate([g["xywh"].reshape(-1, 4) for g in grids]))
flat_conf = np.concatenate([g["objectness"].reshape(-1, 1) for g in grids])
flat_probs = np.concatenate([g["class_probs"].reshape(-1, 80) for g in grids])
scores, kept_boxes, classes = yolo_filter_boxes(flat_boxes, flat_conf, flat_probs, threshold=score_threshold)
print(f"kept {len(scores)} of {len(flat_boxes)} boxes:",
      ", ".join(f"{names[c]} {s:.2f}" for s, c in zip(scores, classes)))

# %% [markdown]
# ## 3. Intersection over union
#
# Two boxes that mark the same object overlap a lot. **Intersection over union** measures
# how much: the area they share divided by the area they cover together,
#
# $$\text{IoU}(A, B) = \frac{|A \cap B|}{|A \cup B|} = \frac{|A \cap B|}{|A| + |B| - |A \cap B|}$$
#
# 1 for the same box, 0 for boxes that do not touch. The intersection of two boxes
# $(y_1, x_1, y_2, x_2)$ is the box from the larger of the two top-left corners to the smaller
# of the two bottom-right ones; when they do not overlap, that "box" has a negative height or
# width, and its area must count as 0 (clip each side at 0 *before* multiplying: two negative
# sides would otherwise give a positive area).
#
# **Exercise 2, `iou`** (7 to 9 lines). `box1` and `box2` are `(y1, x1, y2, x2)`, but, as
# `tf.image.non_max_suppression` allows, the two corners may come in either order: sort each
# box's two $y$ and two $x$ first (`sorted(...)` or `min`/`max`). Return the IoU as a Python
# `float`; return 0.0 when the union is empty (two boxes of area 0).

# %%
def iou(box1, box2):
    """Intersection over union of two boxes (y1, x1, y2, x2), corners in either order."""
    ### BEGIN SOLUTION
    (a_y1, a_y2), (a_x1, a_x2) = sorted(box1[0::2]), sorted(box1[1::2])
    (b_y1, b_y2), (b_x1, b_x2) = sorted(box2[0::2]), sorted(box2[1::2])
    inter_h = max(0.0, min(a_y2, b_y2) - max(a_y1, b_y1))
    inter_w = max(0.0, min(a_x2, b_x2) - max(a_x1, b_x1))
    inter = inter_h * inter_w
    union = (a_y2 - a_y1) * (a_x2 - a_x1) + (b_y2 - b_y1) * (b_x2 - b_x1) - inter
    return float(inter / union) if union > 0 else 0.0
    ### END SOLUTION


# %%
check.iou(iou)

# %%
print("same box:         ", iou((0, 0, 2, 2), (0, 0, 2, 2)))
print("half of it:       ", iou((0, 0, 2, 2), (0, 0, 2, 1)))
print("side by side:     ", iou((0, 0, 2, 2), (0, 3, 2, 5)))
print("corners reversed: ", iou((2, 2, 0, 0), (0, 0, 2, 1)))

# %% [markdown]
# ## 4. Non-max suppression, class by class
#
# Several anchors of neighbouring cells often find the same person. **Non-max suppression**
# keeps the best of them: take the box with the highest score, keep it, drop every remaining
# box whose IoU with it is *greater* than `iou_threshold`, and repeat with the best box left.
#
# It is done **within each class**: a person standing in front of a car should not make the
# car's box disappear, however much the two boxes overlap.
#
# **Exercise 3, `yolo_non_max_suppression`** (8 to 10 lines). For each class of
# `np.unique(classes)`: list that class's box indices from best score to worst
# (`np.argsort(-scores)`), and while the list is not empty take its first index, keep it, and
# keep in the list only the indices whose `iou` with it is at most `iou_threshold`. Then sort
# all kept indices by score, best first, and keep at most `max_boxes` of them. Return the
# `scores`, `boxes` and `classes` of the kept boxes, in that order.

# %%
def yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
    """Non-max suppression within each class: returns scores, boxes, classes of at most
    max_boxes kept boxes, best score first."""
    ### BEGIN SOLUTION
    keep = []
    for c in np.unique(classes):
        remaining = [i for i in np.argsort(-scores, kind="stable") if classes[i] == c]
        while remaining:
            best = remaining.pop(0)
            keep.append(best)
            remaining = [i for i in remaining if iou(boxes[best], boxes[i]) <= iou_threshold]
    keep = sorted(keep, key=lambda i: -scores[i])[:max_boxes]
    keep = np.array(keep, dtype=int)
    ### END SOLUTION
    return scores[keep], boxes[keep], classes[keep]


# %%
check.yolo_non_max_suppression(yolo_non_max_suppression)

# %% [markdown]
# ## 5. The whole filter: `yolo_eval`
#
# **Exercise 4, `yolo_eval`** (4 lines). The given first lines flatten the decoded grids into
# one list of 2535 boxes. Then:
#
# 1. turn the boxes into corners with `detection.to_corners`;
# 2. keep the confident ones with `yolo_filter_boxes` (threshold `score_threshold`);
# 3. scale them back to the image: the corners are fractions of it, so multiply the $y$'s by
#    the image's height and the $x$'s by its width (`image_shape` is `(height, width)`);
# 4. suppress the duplicates with `yolo_non_max_suppression` (`max_boxes`, `iou_threshold`).
#
# Return `scores`, `boxes` (in pixels of the image) and `classes`.

# %%
def yolo_eval(grids, image_shape, max_boxes=20, score_threshold=0.5, iou_threshold=0.45):
    """Decoded YOLO grids -> the final scores (K,), boxes (K, 4) in pixels of an image of
    image_shape (height, width), and classes (K,)."""
    xywh = np.concatenate([g["xywh"].reshape(-1, 4) for g in grids])
    box_confidence = np.concatenate([g["objectness"].reshape(-1, 1) for g in grids])
    box_class_probs = np.concatenate([g["class_probs"].reshape(-1, g["class_probs"].shape[-1]) for g in grids])
    ### BEGIN SOLUTION
    boxes = detection.to_corners(xywh)
    scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)
    height, width = image_shape[:2]
    boxes = boxes * np.array([height, width, height, width], dtype=boxes.dtype)
    scores, boxes, classes = yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)
    ### END SOLUTION
    return scores, boxes, classes


# %%
check.yolo_eval(yolo_eval)

# %% [markdown]
# The whole pipeline on the frame: the network, the given decoding, and your `yolo_eval`.
# `detection.detect_frame` checks the image first (an RGB image of `uint8` pixels, of any size:
# the network's input is a resized copy), and `detection.draw_detections` draws each box with
# its class and score.

# %%
(boxes, scores, classes), _ = detection.detect_frame(frame, model, yolo_eval, max_boxes=max_boxes,
                                                     score_threshold=score_threshold,
                                                     iou_threshold=iou_threshold)
for s, b, c in zip(scores, boxes, classes):
    print(f"{names[c]:>8} {s:.2f}  box (y1, x1, y2, x2) = {np.round(b).astype(int).tolist()}")
plt.figure(figsize=(9, 7))
plt.imshow(detection.draw_detections(frame, boxes, scores, classes, names))
plt.axis("off")
plt.show()

# %% [markdown]
# An image the detector cannot read is refused with a message that says how to fix it; one of
# another size is simply resized by the pipeline, and its boxes come back in its own pixels:

# %%
for bad in (frame.mean(axis=-1), frame.astype(np.float32) / 255, np.dstack([frame, frame[..., :1]])):
    try:
        detection.detect_frame(bad, model, yolo_eval)
    except ValueError as err:
        print("refused:", err)
half = frame[::2, ::2]
(small_boxes, small_scores, _), _ = detection.detect_frame(half, model, yolo_eval)
print(f"a {half.shape[1]} x {half.shape[0]} copy: {len(small_scores)} boxes, "
      f"all within it: {bool((small_boxes[:, 2] <= half.shape[0] + 5).all())}")

# %% [markdown]
# ## 6. Detection on a video
#
# The clip is `clip_frames` frames of OpenCV's street video (`vtest.avi`, derived by
# `tools/derive_street_clip.py`: every second frame, 5 frames a second of the street, at
# $480 \times 360$). `detection.run_on_clip` runs the network, the decoding and your
# `yolo_eval` on every frame (timing them), and also computes the reference answer of each
# frame (`yolo.reference_filter_and_nms`, built on `tf.image.non_max_suppression`) from the
# same grids, outside the timing.

# %%
clip = load_street_clip(clip_frames)
print(f"{len(clip.frames)} frames of {clip.frames.shape[2]} x {clip.frames.shape[1]}, "
      f"vtest.avi frames {clip.source_frame[0]}-{clip.source_frame[-1]}; licence: {clip.licence}")
result = detection.run_on_clip(clip.frames, model, yolo_eval, score_threshold=score_threshold,
                               iou_threshold=iou_threshold, max_boxes=max_boxes)
print(f"the pipeline ran at {result.fps:.1f} frames per second on this CPU "
      f"({result.seconds / len(clip.frames) * 1000:.0f} ms per frame)")

# %%
counts = detection.count_per_frame(result.detections, names, ("car", "person"))
plt.figure(figsize=(9, 3))
for name, n in counts.items():
    plt.plot(clip.source_frame, n, marker=".", label=name)
plt.xlabel("frame of vtest.avi")
plt.ylabel("boxes")
plt.title("cars and people found in each frame")
plt.legend()
plt.show()
print("people per frame:", counts["person"].tolist())
print("cars per frame:  ", counts["car"].tolist())

# %% [markdown]
# The animation: every frame with your boxes, at the speed of the street (drawn at 60% of
# the clip's size to keep it light). Watch who is found and who is missed: people far up the
# street are small, and two people crossing each other look to the network like one shape.

# %%
drawn = [detection.draw_detections(f, b, s, c, names, scale=0.6)
         for f, (b, s, c) in zip(clip.frames, result.detections)]
gif = detection.gif_bytes(drawn, fps=clip.fps)
print(f"animation: {len(drawn)} frames, {len(gif) / 1e6:.2f} MB")
detection.show_gif(gif)

# %% [markdown]
# ## 7. The headline
#
# The headline of this notebook is how often your pipeline gives exactly the reference's
# answer: the share of the clip's frames where your boxes and the reference's boxes match one
# to one, with the same class and an IoU of at least 0.99.

# %%
print(f"frames agreeing with the reference: {int(result.agree.sum())} of {len(result.agree)}")
met = headline("frames where yolo_eval agrees with the reference (IoU >= 0.99)", result.agreement, target=1.0)

# %% [markdown]
# ## What you built
#
# - `yolo_filter_boxes`: scores as objectness times class probability, the best class of each
#   box, and a threshold that keeps a box at exactly the threshold;
# - `iou`: intersection over union with corners in either order, 0 for boxes that do not meet;
# - `yolo_non_max_suppression`: greedy suppression within each class;
# - `yolo_eval`: the whole filter, with the boxes back in the image's pixels, running on a
#   video at the frames per second printed above.

"""Plausible mistakes for course4_cnn/05_car_detection_yolo."""

from tests.checks.wrong import Wrongs

wrong = Wrongs(__name__)

# ----- yolo_filter_boxes -----

edit = wrong.edits("yolo_filter_boxes")
edit(
    "filter_strict_threshold",
    "mask = box_class_scores >= threshold",
    "mask = box_class_scores > threshold",
    expect="use >=, not >",
)
edit(
    "filter_objectness_only",
    "box_scores = box_confidence * box_class_probs",
    "box_scores = box_confidence * np.ones_like(box_class_probs)",
    expect="You thresholded the objectness alone",
)
edit(
    "filter_probs_only",
    "box_scores = box_confidence * box_class_probs",
    "box_scores = box_class_probs",
    expect="You thresholded the class probabilities alone",
)
edit(
    "filter_sum_over_classes",
    "box_class_scores = np.max(box_scores, axis=-1)",
    "box_class_scores = np.sum(box_scores, axis=-1)",
    expect="You summed the scores over the classes",
)
edit(
    "filter_wrong_order",
    "return scores, boxes, classes",
    "return boxes, scores, classes",
    expect="Return `scores, boxes, classes`, in that order",
)

# ----- iou -----

edit = wrong.edits("iou")
edit(
    "iou_no_clip",
    [
        (
            "inter_h = max(0.0, min(a_y2, b_y2) - max(a_y1, b_y1))",
            "inter_h = min(a_y2, b_y2) - max(a_y1, b_y1)",
        ),
        (
            "inter_w = max(0.0, min(a_x2, b_x2) - max(a_x1, b_x1))",
            "inter_w = min(a_x2, b_x2) - max(a_x1, b_x1)",
        ),
    ],
    expect="Clip the intersection's height and width at 0",
)
edit(
    "iou_clip_product",
    [
        (
            "inter_h = max(0.0, min(a_y2, b_y2) - max(a_y1, b_y1))",
            "inter_h = min(a_y2, b_y2) - max(a_y1, b_y1)",
        ),
        (
            "inter_w = max(0.0, min(a_x2, b_x2) - max(a_x1, b_x1))",
            "inter_w = min(a_x2, b_x2) - max(a_x1, b_x1)",
        ),
        ("inter = inter_h * inter_w", "inter = max(0.0, inter_h * inter_w)"),
    ],
    expect="Clip the intersection's height and width at 0",
)
edit(
    "iou_unsorted_corners",
    [
        (
            "(a_y1, a_y2), (a_x1, a_x2) = sorted(box1[0::2]), sorted(box1[1::2])",
            "a_y1, a_x1, a_y2, a_x2 = box1",
        ),
        (
            "(b_y1, b_y2), (b_x1, b_x2) = sorted(box2[0::2]), sorted(box2[1::2])",
            "b_y1, b_x1, b_y2, b_x2 = box2",
        ),
    ],
    expect="Sort each box's corners first",
)
edit(
    "iou_union_without_intersection",
    "union = (a_y2 - a_y1) * (a_x2 - a_x1) + (b_y2 - b_y1) * (b_x2 - b_x1) - inter",
    "union = (a_y2 - a_y1) * (a_x2 - a_x1) + (b_y2 - b_y1) * (b_x2 - b_x1)",
    expect="The union is |A| + |B| minus the intersection",
)
edit(
    "iou_over_first_box",
    "union = (a_y2 - a_y1) * (a_x2 - a_x1) + (b_y2 - b_y1) * (b_x2 - b_x1) - inter",
    "union = (a_y2 - a_y1) * (a_x2 - a_x1)",
    expect="You divided by the area of box1",
)
edit(
    "iou_empty_union",
    "return float(inter / union) if union > 0 else 0.0",
    "return float(inter / union)",
    expect="return 0.0 when it is",
)

# ----- yolo_non_max_suppression -----

edit = wrong.edits("yolo_non_max_suppression")
edit(
    "nms_across_classes",
    [
        ("    for c in np.unique(classes):\n", "    for c in [None]:\n"),
        ("if classes[i] == c]", "]"),
    ],
    expect="You suppressed boxes across classes",
)
edit(
    "nms_suppress_at_threshold",
    "iou(boxes[best], boxes[i]) <= iou_threshold",
    "iou(boxes[best], boxes[i]) < iou_threshold",
    expect="drop only those with an IoU greater than it",
)
edit(
    "nms_no_max_boxes",
    "keep = sorted(keep, key=lambda i: -scores[i])[:max_boxes]",
    "keep = sorted(keep, key=lambda i: -scores[i])",
    expect="Keep at most max_boxes boxes",
)
edit(
    "nms_not_sorted",
    "keep = sorted(keep, key=lambda i: -scores[i])[:max_boxes]",
    "keep = keep[:max_boxes]",
    expect="Sort the kept boxes by score, best first",
)
edit(
    "nms_hard_coded_threshold",
    "iou(boxes[best], boxes[i]) <= iou_threshold",
    "iou(boxes[best], boxes[i]) <= 0.5",
    expect="Use the iou_threshold argument",
)

# ----- yolo_eval -----

edit = wrong.edits("yolo_eval")
edit(
    "eval_not_scaled",
    "    boxes = boxes * np.array([height, width, height, width], dtype=boxes.dtype)\n",
    "",
    expect="The boxes are still fractions of the image",
)
edit(
    "eval_scaled_width_height",
    "np.array([height, width, height, width], dtype=boxes.dtype)",
    "np.array([width, height, width, height], dtype=boxes.dtype)",
    expect="You scaled the y's by the width",
)
edit(
    "eval_default_score_threshold",
    "yolo_filter_boxes(boxes, box_confidence, box_class_probs, score_threshold)",
    "yolo_filter_boxes(boxes, box_confidence, box_class_probs)",
    expect="Pass score_threshold on",
)
edit(
    "eval_arguments_swapped",
    "yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold)",
    "yolo_non_max_suppression(scores, boxes, classes, iou_threshold=iou_threshold)",
    expect="Pass max_boxes and iou_threshold on",
)

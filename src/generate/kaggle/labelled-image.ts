/**
 * The two-channel images of the published recipe's steps 6–9: a grey plane and a label plane of
 * whole numbers (numpy int64 there). Both can leave their nominal range: the spline rotation
 * rings below 0 at sharp edges and above a mask's value, and overlapping grey values add up.
 */
import { centringOffset } from "../../image/centre.js";
import { cropPlane, positiveBox } from "../../image/crop.js";

export interface LabelledImage {
  width: number;
  height: number;
  /** width × height, row-major. */
  grey: Int32Array;
  /** width × height, row-major: 0 background, 1 or 2 a chromosome, 3 their overlap (and noise). */
  labels: Int32Array;
}

export function emptyLabelledImage(width: number, height: number): LabelledImage {
  const size = width * height;
  return { width, height, grey: new Int32Array(size), labels: new Int32Array(size) };
}

/**
 * The image cut to the bounding box of its labels above 0 (the notebook's
 * clip_img_to_bounding_box: `nd.find_objects(img[:, :, -1] > 0)`).
 */
export function clipToLabels(image: LabelledImage): LabelledImage {
  const { width, height, labels } = image;
  const box = positiveBox(labels, width, height);
  if (!box) throw new Error("clipToLabels: the image has no label above 0");
  return {
    width: box.x1 - box.x0,
    height: box.y1 - box.y0,
    grey: cropPlane(image.grey, width, box),
    labels: cropPlane(labels, width, box),
  };
}

/** Where `image` lies when centred in a frame (the notebook's ResizeImages). */
export function centredPosition(
  image: { width: number; height: number },
  frame: { width: number; height: number },
): { top: number; left: number } {
  return {
    top: centringOffset(image.height, frame.height),
    left: centringOffset(image.width, frame.width),
  };
}

/** The largest height and the largest width among `images` (the frame ResizeImages pads to). */
export function largestSize(images: Iterable<{ width: number; height: number }>): {
  width: number;
  height: number;
} {
  let width = 0;
  let height = 0;
  for (const image of images) {
    width = Math.max(width, image.width);
    height = Math.max(height, image.height);
  }
  return { width, height };
}

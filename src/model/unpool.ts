/**
 * True SegNet upsampling: unpool into the positions the encoder's 2 × 2 max pooling chose (its
 * "pooling switches").
 *
 * Written with plain ops so the ONNX export can express it the same way:
 *   switches = relu(1 − (upsample(maxpool(x)) − x) / τ),  out = upsample(y) × switches
 * where x is the encoder's activation before pooling, y the decoder's input at the pooled size
 * and τ the layer's `tolerance`: the maximum gets weight 1, a value τ or more below it weight 0,
 * one in between (a near tie) a share. τ = 0 gives hard switches, x == max (ties share).
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Default width of the switches' ramp for new models, in activation units (activations after batch norm and ReLU are of
 * order 1: half below 0.3, 99 % below 5 in a trained lite model).
 *
 * Hard switches (x == max) are discontinuous, and the two engines do not compute the same x:
 * onnxruntime sums its convolutions in another order than tfjs, and batch norm amplifies the
 * rounding to about 1e-5 on the activations. In flat regions (padding, even background) several
 * positions tie and each engine breaks the ties its own way; elsewhere near-ties flip. Exports
 * with hard switches differed from tfjs by up to 2e-2 in probability. A ramp of width τ turns the
 * 1e-5 into at most 1e-5 / τ in a switch. Measured on a lite model after two epochs, max
 * |Δ probability| of the export was 1.5e-4 at τ = 0.1, 7.2e-5 at 0.3 and 4.3e-5 at 0.5 (the
 * limit is 1e-4); τ = 0.5 leaves a margin of two.
 */
export const SWITCH_TOLERANCE = 0.5;

/** Nearest-neighbour doubling: each value repeated 2 × 2. [N, h, w, C] → [N, 2h, 2w, C]. */
function upsample2(t: tf.Tensor4D): tf.Tensor4D {
  return tf.image.resizeNearestNeighbor(t, [2 * t.shape[1], 2 * t.shape[2]]);
}

/**
 * 1 where `x` [N, H, W, C] holds the maximum of its pooling window, else 0, given the windows'
 * maxima [N, H / sh, W / sw, C] of non-overlapping windows that tile x. Computed as
 * 1 − step(upsample(maxima) − x), equal to (x == upsample(maxima)) since x never exceeds its
 * window's maximum, and several times faster on wasm than Equal and a Cast.
 */
export function windowMaximaMask(x: tf.Tensor4D, maxima: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sub(1, tf.step(tf.sub(spreadMaxima(x, maxima), x))));
}

/** Each window's maximum repeated over the window: [N, H, W, C]. */
function spreadMaxima(x: tf.Tensor4D, maxima: tf.Tensor4D): tf.Tensor4D {
  return tf.image.resizeNearestNeighbor(maxima, [x.shape[1], x.shape[2]]);
}

/** The weight of each position of `x` [N, H, W, C] in its 2 × 2 window (see the top of the file). */
function poolingSwitches(x: tf.Tensor4D, tolerance: number): tf.Tensor4D {
  return tf.tidy(() => {
    const maxima = tf.maxPool(x, 2, 2, "valid");
    if (tolerance === 0) return windowMaximaMask(x, maxima);
    const belowMax = tf.sub(spreadMaxima(x, maxima), x);
    return tf.relu(tf.sub(1, tf.mul(belowMax, 1 / tolerance)));
  });
}

type Unpool = (y: tf.Tensor4D, x: tf.Tensor4D) => tf.Tensor4D;
const unpools = new Map<number, Unpool>();

/**
 * Unpools `y` [N, h, w, C] into the switches of `x` [N, 2h, 2w, C]. The switches are treated as
 * constants: the gradient flows to `y` only (through the positions chosen), as in SegNet.
 */
export function maxUnpool(y: tf.Tensor4D, x: tf.Tensor4D, tolerance: number): tf.Tensor4D {
  let unpool = unpools.get(tolerance);
  if (!unpool) {
    unpool = tf.customGrad(((y: tf.Tensor, x: tf.Tensor, save: tf.GradSaveFunc) => {
      const switches = poolingSwitches(x as tf.Tensor4D, tolerance);
      save([switches]);
      return {
        value: tf.mul(upsample2(y as tf.Tensor4D), switches),
        // The adjoint of the 2 × 2 repeat is the 2 × 2 window sum.
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
          tf.mul(tf.avgPool(tf.mul(dy, saved[0]) as tf.Tensor4D, 2, 2, "valid"), 4),
          tf.zerosLike(x),
        ],
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Unpool;
    unpools.set(tolerance, unpool);
  }
  return unpool(y, x);
}

export interface MaxUnpooling2DArgs {
  name?: string;
  /**
   * Width of the switches' ramp; 0 for hard switches. Absent from models saved before the ramp
   * existed, which were trained with hard switches and so load with 0.
   * @default 0
   */
  tolerance?: number;
}

/** Keras layer over `maxUnpool`: inputs [decoder tensor, encoder activation before pooling]. */
export class MaxUnpooling2D extends tf.layers.Layer {
  static readonly className = "MaxUnpooling2D";
  /** See MaxUnpooling2DArgs; the exporter reads it, `export --switch-tolerance` sets it. */
  tolerance: number;

  constructor(args: MaxUnpooling2DArgs = {}) {
    super({ name: args.name });
    this.tolerance = args.tolerance ?? 0;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), tolerance: this.tolerance };
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [decoded, encoded] = inputShape as tf.Shape[];
    return [decoded[0], encoded[1], encoded[2], decoded[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [decoded, encoded] = inputs as tf.Tensor4D[];
    return maxUnpool(decoded, encoded, this.tolerance);
  }
}
tf.serialization.registerClass(MaxUnpooling2D);

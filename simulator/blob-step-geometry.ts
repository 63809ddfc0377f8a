// What a convolution's own kernel parameters say about its geometry, for a model known only by its blob (no IR):
// the blob stores each call's scalars in its kernel layout's order, and the cost model needs output pixels and
// element counts, and the depthwise class the depth multiplier.
import { CONV2D_1X1_S8, CONV2D_S8 } from '../compiler/prepare/conv2d.ts';
import { DEPTHWISE_CONV2D_S8 } from '../compiler/prepare/depthwise-conv2d.ts';
import { DEQUANTIZE_S8_F32 } from '../compiler/prepare/dequantize.ts';
import type { KernelLayout } from '../compiler/prepare/kernel-layout.ts';
import type { BlobStep } from '../runtime-as/host/read-blob.ts';

function scalar(step: BlobStep, layout: KernelLayout<string, string>, name: string): number {
  const at = layout.scalars.indexOf(name);
  if (at < 0 || at >= step.scalars.length) throw new Error(`blob step ${step.kernel}: no scalar '${name}'`);
  return step.scalars[at]!;
}

/** Output pixels (batches × height × width) of a convolution call; undefined for other kernels. */
export function blobStepPixels(step: BlobStep): number | undefined {
  switch (step.kernel) {
    case CONV2D_1X1_S8.name: return scalar(step, CONV2D_1X1_S8, 'pixels');
    case CONV2D_S8.name: return scalar(step, CONV2D_S8, 'batches') * scalar(step, CONV2D_S8, 'output_h') * scalar(step, CONV2D_S8, 'output_w');
    case DEPTHWISE_CONV2D_S8.name:
      return scalar(step, DEPTHWISE_CONV2D_S8, 'batches') * scalar(step, DEPTHWISE_CONV2D_S8, 'output_h') * scalar(step, DEPTHWISE_CONV2D_S8, 'output_w');
    default: return undefined;
  }
}

/** Filter taps of a convolution call over all its output pixels (pixels × filter height × filter width); undefined
 * for other kernels. */
export function blobStepTaps(step: BlobStep): number | undefined {
  switch (step.kernel) {
    case CONV2D_1X1_S8.name: return scalar(step, CONV2D_1X1_S8, 'pixels');
    case CONV2D_S8.name: return blobStepPixels(step)! * scalar(step, CONV2D_S8, 'filter_h') * scalar(step, CONV2D_S8, 'filter_w');
    case DEPTHWISE_CONV2D_S8.name: return blobStepPixels(step)! * scalar(step, DEPTHWISE_CONV2D_S8, 'filter_h') * scalar(step, DEPTHWISE_CONV2D_S8, 'filter_w');
    default: return undefined;
  }
}

/** A depthwise convolution call's depth multiplier; undefined for other kernels. */
export function blobStepDepthMultiplier(step: BlobStep): number | undefined {
  return step.kernel === DEPTHWISE_CONV2D_S8.name ? scalar(step, DEPTHWISE_CONV2D_S8, 'depth_multiplier') : undefined;
}

/** Output elements of a call: bytes written, except where the output is float32 (dequantize: 4 bytes each). */
export function blobStepOutputs(step: BlobStep): number {
  return step.kernel === DEQUANTIZE_S8_F32.name ? scalar(step, DEQUANTIZE_S8_F32, 'size') : step.bytesWritten;
}

// TFLite's CalculateActivationRangeQuantized: a fused activation as a clamp range on the int8 output.
// The real bounds are quantized in float32 (x / scale, rounded half away from zero), as TFLite does.
import type { FusedActivation } from '../../formats/ir/op-types.ts';

export interface ActivationRange {
  min: number;
  max: number;
}

const INT8_MIN = -128;
const INT8_MAX = 127;

/** roundf: float32 rounding, halves away from zero. */
function roundf(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function quantizeBound(x: number, scale: number, zeroPoint: number): number {
  return zeroPoint + roundf(Math.fround(x / Math.fround(scale)));
}

/**
 * The int8 clamp range of a fused activation on an output with this scale and zero point.
 * Activations without a clamp form (NONE, TANH, SIGN_BIT) give the full int8 range, as TFLite does.
 */
export function activationRangeInt8(activation: FusedActivation, scale: number, zeroPoint: number): ActivationRange {
  switch (activation) {
    case 'RELU':
      return { min: Math.max(INT8_MIN, quantizeBound(0, scale, zeroPoint)), max: INT8_MAX };
    case 'RELU6':
      return {
        min: Math.max(INT8_MIN, quantizeBound(0, scale, zeroPoint)),
        max: Math.min(INT8_MAX, quantizeBound(6, scale, zeroPoint)),
      };
    case 'RELU_N1_TO_1':
      return {
        min: Math.max(INT8_MIN, quantizeBound(-1, scale, zeroPoint)),
        max: Math.min(INT8_MAX, quantizeBound(1, scale, zeroPoint)),
      };
    default:
      return { min: INT8_MIN, max: INT8_MAX };
  }
}

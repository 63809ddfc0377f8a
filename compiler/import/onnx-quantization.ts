// The quantization an already-quantized ONNX model carries (QuantizeLinear/DequantizeLinear operands,
// QLinear* op operands), restated in TFLite's int8 terms: a uint8 tensor is the int8 tensor 128 lower
// with its zero point 128 lower (the same real values), int8 weights must be symmetric, and int32
// biases are taken as they are. Nothing here re-derives a scale: the model's own numbers are kept.
import type { Quantization } from '../../formats/ir/graph.ts';
import { quantizeBias } from '../quantize/quantization-params.ts';

export const ONNX_INT8 = 3;
export const ONNX_UINT8 = 2;
export const ONNX_INT32 = 6;

/** Integer contents of an ONNX constant with the DequantizeLinear parameters that give its real values. */
export interface QuantizedConstant {
  /** Stored integers, in ONNX order, as the file holds them (uint8 not yet shifted). */
  values: Float32Array;
  /** ONNX data type of the integers (ONNX_INT8, ONNX_UINT8 or ONNX_INT32). */
  dataType: number;
  scale: number[];
  /** Zero points in the stored type (uint8 not yet shifted). */
  zeroPoint: number[];
  /** The ONNX axis the scales run along (meaningful when there is more than one). */
  axis: number;
}

export interface Affine {
  scale: number;
  zeroPoint: number;
}

/** Where an int8 restatement is impossible; the importer turns it into a refusal naming the node. */
export class QuantizationMismatch extends Error {}

/** The int8 zero point of a per-tensor activation quantization (uint8 → int8 by −128). */
export function int8Affine(scale: number, zeroPoint: number, dataType: number): Affine {
  if (dataType !== ONNX_INT8 && dataType !== ONNX_UINT8) throw new QuantizationMismatch(`zero point of ONNX data type ${dataType} (tinyforge reads int8 and uint8 activations)`);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new QuantizationMismatch(`scale ${scale} (a scale must be positive)`);
  return { scale: Math.fround(scale), zeroPoint: dataType === ONNX_UINT8 ? zeroPoint - 128 : zeroPoint };
}

export function irQuant(p: Affine): Quantization {
  return { scale: [p.scale], zeroPoint: [p.zeroPoint], axis: 0 };
}

export function sameAffine(a: Affine, b: Affine): boolean {
  return a.scale === b.scale && a.zeroPoint === b.zeroPoint;
}

/** Integers of a constant in int8 (uint8 shifted by −128) with the shifted zero points. */
export function int8Integers(c: QuantizedConstant): { values: Float32Array; zeroPoint: number[] } {
  if (c.dataType === ONNX_INT8) return { values: c.values, zeroPoint: c.zeroPoint };
  if (c.dataType === ONNX_UINT8) return { values: c.values.map((v) => v - 128), zeroPoint: c.zeroPoint.map((z) => z - 128) };
  throw new QuantizationMismatch(`integers of ONNX data type ${c.dataType} where int8 or uint8 is needed`);
}

/**
 * Weights as TFLite's int8 kernels take them: symmetric (zero point 0 once in int8), one scale per
 * tensor or one per output channel. `outAxis` is the ONNX axis of the output channels.
 */
export function int8Weights(c: QuantizedConstant, outAxis: number, rank: number): { values: Float32Array; scale: number[] } {
  const { values, zeroPoint } = int8Integers(c);
  const asym = zeroPoint.find((z) => z !== 0);
  if (asym !== undefined) {
    throw new QuantizationMismatch(`asymmetric weights (zero point ${c.dataType === ONNX_UINT8 ? asym + 128 : asym} ${c.dataType === ONNX_UINT8 ? 'uint8' : 'int8'}); TFLite's int8 kernels need symmetric weights (int8 zero point 0, or uint8 128)`);
  }
  if (c.scale.length > 1) {
    const axis = c.axis < 0 ? c.axis + rank : c.axis;
    if (axis !== outAxis) throw new QuantizationMismatch(`weights quantized per channel along axis ${c.axis}, not the output channels (axis ${outAxis})`);
  }
  return { values, scale: c.scale.map((s) => Math.fround(s)) };
}

/** An int32 bias: the model's integers when it has them (int32, zero point 0), else the float bias quantized. */
export function int32Bias(bias: { ints?: QuantizedConstant; values?: Float32Array } | undefined, inputScale: number, weightScales: number[], channels: number): { data: Int32Array; scale: number[] } {
  const scales = weightScales.map((w) => Math.fround(inputScale * w));
  if (!bias) return { data: new Int32Array(channels), scale: scales };
  if (bias.ints) {
    if (bias.ints.dataType !== ONNX_INT32 || bias.ints.zeroPoint.some((z) => z !== 0)) {
      throw new QuantizationMismatch(`bias of ONNX data type ${bias.ints.dataType} with zero point ${bias.ints.zeroPoint[0]} (an int8 kernel's bias is int32 with zero point 0)`);
    }
    return { data: Int32Array.from(bias.ints.values), scale: scales };
  }
  const q = quantizeBias(bias.values!, inputScale, weightScales);
  return { data: q.data, scale: q.scales };
}

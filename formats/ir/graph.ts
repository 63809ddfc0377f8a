// The IR: a model as tinyforge's later stages need it, independent of any file format.
import type { OpAttrs, OpType } from './op-types.ts';

export type DType = 'int8' | 'uint8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float16' | 'bool';

/** Per-tensor quantization has one scale/zeroPoint; per-axis has one per slice along `axis`. */
export interface Quantization {
  scale: number[];
  zeroPoint: number[];
  /** The quantized dimension for per-axis quantization (TFLite's `quantized_dimension`). */
  axis: number;
}

export interface Tensor {
  id: number;
  name: string;
  shape: number[];
  dtype: DType;
  quant?: Quantization;
  /** Constant contents (little-endian, row-major); undefined for activations. */
  data?: Uint8Array;
}

export interface Op<T extends OpType = OpType> {
  /** Position in execution order at import time. */
  index: number;
  type: T;
  /** Tensor ids; -1 marks an omitted optional input (for example a missing bias). */
  inputs: number[];
  outputs: number[];
  attrs: OpAttrs[T];
}

export interface Graph {
  name: string;
  tensors: Tensor[];
  ops: Op[];
  inputs: number[];
  outputs: number[];
}

export const DTYPE_BYTES: Record<DType, number> = {
  int8: 1, uint8: 1, bool: 1, int16: 2, float16: 2, int32: 4, float32: 4, int64: 8,
};

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function tensorBytes(t: Pick<Tensor, 'shape' | 'dtype'>): number {
  return elementCount(t.shape) * DTYPE_BYTES[t.dtype];
}

export function isPerAxis(q: Quantization | undefined): boolean {
  return q !== undefined && q.scale.length > 1;
}

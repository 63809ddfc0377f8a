// Every op the IR knows, with its typed attributes. Names follow TFLite's builtin operator names.

export type Padding = 'SAME' | 'VALID';
export type FusedActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

export interface Conv2DAttrs {
  padding: Padding;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  activation: FusedActivation;
}
export interface DepthwiseConv2DAttrs extends Conv2DAttrs {
  depthMultiplier: number;
}
export interface FullyConnectedAttrs {
  activation: FusedActivation;
  keepNumDims: boolean;
}
export interface Pool2DAttrs {
  padding: Padding;
  strideH: number;
  strideW: number;
  filterH: number;
  filterW: number;
  activation: FusedActivation;
}
export interface SoftmaxAttrs {
  beta: number;
}
export interface ElementwiseAttrs {
  activation: FusedActivation;
}
export interface ReshapeAttrs {
  /** From the options table when present; the shape input tensor otherwise. */
  newShape?: number[];
}
export interface ConcatenationAttrs {
  axis: number;
  activation: FusedActivation;
}
export interface MeanAttrs {
  keepDims: boolean;
}
export type NoAttrs = Record<string, never>;
/** Float-only (import time): y = (x - mean) / sqrt(variance + epsilon) * gamma + beta, per last-axis channel. */
export interface BatchNormAttrs {
  epsilon: number;
}

export interface OpAttrs {
  CONV_2D: Conv2DAttrs;
  DEPTHWISE_CONV_2D: DepthwiseConv2DAttrs;
  FULLY_CONNECTED: FullyConnectedAttrs;
  AVERAGE_POOL_2D: Pool2DAttrs;
  MAX_POOL_2D: Pool2DAttrs;
  SOFTMAX: SoftmaxAttrs;
  ADD: ElementwiseAttrs;
  MUL: ElementwiseAttrs;
  RESHAPE: ReshapeAttrs;
  PAD: NoAttrs;
  MEAN: MeanAttrs;
  CONCATENATION: ConcatenationAttrs;
  QUANTIZE: NoAttrs;
  DEQUANTIZE: NoAttrs;
  LOGISTIC: NoAttrs;
  TANH: NoAttrs;
  RELU: NoAttrs;
  RELU6: NoAttrs;
  HARD_SWISH: NoAttrs;
  // Float-only ops: importers produce them and graph passes remove them before quantization
  // (they are not in SUPPORTED_OPS, which lists what runs in int8). Inputs of BATCH_NORM:
  // x, gamma, beta, mean, variance. IDENTITY passes its input through (Dropout and the like).
  BATCH_NORM: BatchNormAttrs;
  IDENTITY: NoAttrs;
}

export type OpType = keyof OpAttrs;

export const SUPPORTED_OPS: readonly OpType[] = [
  'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'SOFTMAX',
  'ADD', 'MUL', 'RESHAPE', 'PAD', 'MEAN', 'CONCATENATION', 'QUANTIZE', 'DEQUANTIZE', 'LOGISTIC',
  'TANH', 'RELU', 'RELU6', 'HARD_SWISH',
];

export function isSupportedOp(name: string): name is OpType {
  return (SUPPORTED_OPS as readonly string[]).includes(name);
}

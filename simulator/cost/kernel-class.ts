// Which cost coefficients a kernel call uses: the op type, refined by filter shape for convolutions
// (a 1x1, stride-1 conv runs as a plain matrix product, several times cheaper per MAC) and for
// depthwise convolutions by depth multiplier (above 1, kernels take a slower generic path).

export const KERNEL_CLASSES = [
  'conv1x1', 'conv', 'depthwise', 'depthwiseMultiplier', 'fullyConnected', 'pool', 'softmax', 'elementwise', 'activation',
  'quantize', 'reduce', 'copy',
] as const;
export type KernelClass = (typeof KERNEL_CLASSES)[number];

/** The cost entry of each op type: every op with a prepare file has one (tests/structure/op-registry.test.ts). */
export const KERNEL_CLASS_BY_OP: Record<string, KernelClass> = {
  CONV_2D: 'conv', DEPTHWISE_CONV_2D: 'depthwise', FULLY_CONNECTED: 'fullyConnected',
  AVERAGE_POOL_2D: 'pool', MAX_POOL_2D: 'pool', SOFTMAX: 'softmax', ADD: 'elementwise', MUL: 'elementwise',
  RELU: 'activation', RELU6: 'activation', LOGISTIC: 'activation', TANH: 'activation', HARD_SWISH: 'activation',
  QUANTIZE: 'quantize', DEQUANTIZE: 'quantize', MEAN: 'reduce', RESHAPE: 'copy', PAD: 'copy', CONCATENATION: 'copy',
};

/**
 * @param filter the weight tensor's shape ([out, h, w, in] for CONV_2D) when the IR is known
 * @param strides [strideH, strideW] when known
 * @param depthMultiplier DEPTHWISE_CONV_2D's depth multiplier when known
 */
export function kernelClass(opType: string, kernel: string, filter?: number[], strides?: [number, number], depthMultiplier?: number): KernelClass {
  const cls = KERNEL_CLASS_BY_OP[opType];
  if (!cls) return 'elementwise';
  if (cls === 'depthwise' && depthMultiplier !== undefined && depthMultiplier > 1) return 'depthwiseMultiplier';
  if (cls === 'conv') {
    const pointwise = filter ? filter.length === 4 && filter[1] === 1 && filter[2] === 1 : /1x1/.test(kernel);
    const unitStride = strides ? strides[0] === 1 && strides[1] === 1 : true;
    if (pointwise && unitStride) return 'conv1x1';
  }
  return cls;
}

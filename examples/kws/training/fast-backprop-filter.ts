// Faster filter gradients for tfjs's `cpu` backend. The stock Conv2DBackpropFilter and
// DepthwiseConv2dNativeBackpropFilter read every element through TensorBuffer.get (index arithmetic per access),
// which makes a DS-CNN training step ~10× slower than it needs to be. These replacements walk the typed arrays
// directly and accumulate each weight's gradient in a float64 in the stock order (batch, output row, output
// column), so they produce bit-identical gradients.
import * as tf from '@tensorflow/tfjs';

type KernelArgs = {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  backend: { data: { get(id: object): { values: Float32Array } }; makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
  attrs: Record<string, unknown>;
};

function convInfoOf(args: KernelArgs, depthwise: boolean) {
  const { x } = args.inputs;
  const a = args.attrs as {
    strides: [number, number] | number; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number]; dilations?: [number, number] | number; dataFormat?: 'NHWC' | 'NCHW';
  };
  return tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], a.filterShape, a.strides, depthwise ? (a.dilations ?? 1) : 1, a.pad,
    a.dimRoundingMode, depthwise, tf.backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC'),
  );
}

type ConvInfo = ReturnType<typeof convInfoOf>;

/** For each filter tap: clears `acc`, calls `visit` with the flat bases of every (batch, output position) whose
 *  input pixel lies inside the input, and stores `acc` as that tap's slice of `dw`. */
function accumulatePerTap(info: ConvInfo, acc: Float64Array, dw: Float32Array, visit: (xBase: number, dyBase: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let wr = 0; wr < filterHeight; wr++) {
    const yrMin = Math.max(0, Math.ceil((top - wr) / strideHeight));
    const yrMax = Math.min(outHeight, (inHeight + top - wr) / strideHeight);
    for (let wc = 0; wc < filterWidth; wc++) {
      const ycMin = Math.max(0, Math.ceil((left - wc) / strideWidth));
      const ycMax = Math.min(outWidth, (inWidth + left - wc) / strideWidth);
      acc.fill(0);
      for (let b = 0; b < batchSize; b++) {
        for (let yr = yrMin; yr < yrMax; yr++) {
          const xr = wr + yr * strideHeight - top;
          for (let yc = ycMin; yc < ycMax; yc++) {
            const xc = wc + yc * strideWidth - left;
            visit(((b * inHeight + xr) * inWidth + xc) * inChannels, ((b * outHeight + yr) * outWidth + yc) * outChannels);
          }
        }
      }
      dw.set(acc, (wr * filterWidth + wc) * acc.length);
    }
  }
}

function conv2dBackpropFilterFast(args: KernelArgs, stock: tf.KernelFunc): tf.TensorInfo {
  const info = convInfoOf(args, false);
  if (info.dataFormat !== 'channelsLast') return stock(args as never) as tf.TensorInfo;
  const xv = args.backend.data.get(args.inputs.x.dataId).values;
  const dyv = args.backend.data.get(args.inputs.dy.dataId).values;
  const { inChannels, outChannels, filterHeight, filterWidth } = info;
  const dw = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  const acc = new Float64Array(inChannels * outChannels);
  accumulatePerTap(info, acc, dw, (xBase, dyBase) => {
    for (let d1 = 0; d1 < inChannels; d1++) {
      const xval = xv[xBase + d1];
      const row = d1 * outChannels;
      for (let d2 = 0; d2 < outChannels; d2++) acc[row + d2] += xval * dyv[dyBase + d2];
    }
  });
  return args.backend.makeTensorInfo(info.filterShape, 'float32', dw);
}

function depthwiseBackpropFilterFast(args: KernelArgs, stock: tf.KernelFunc): tf.TensorInfo {
  const info = convInfoOf(args, true);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return stock(args as never) as tf.TensorInfo;
  const xv = args.backend.data.get(args.inputs.x.dataId).values;
  const dyv = args.backend.data.get(args.inputs.dy.dataId).values;
  const { inChannels, outChannels, filterHeight, filterWidth } = info;
  const chMul = outChannels / inChannels;
  // Filter layout [fh][fw][inChannels][chMul] = [fh][fw][outChannels]: output channel d2 reads input channel d2/chMul.
  const dw = new Float32Array(filterHeight * filterWidth * outChannels);
  const acc = new Float64Array(outChannels);
  accumulatePerTap(info, acc, dw, (xBase, dyBase) => {
    for (let d2 = 0; d2 < outChannels; d2++) acc[d2] += xv[xBase + Math.trunc(d2 / chMul)] * dyv[dyBase + d2];
  });
  return args.backend.makeTensorInfo(info.filterShape, 'float32', dw);
}

const stockKernels = new Map<string, tf.KernelFunc>();

/** The cpu backend's original kernel function, kept for fallbacks and equality tests. */
export function stockKernel(name: 'Conv2DBackpropFilter' | 'DepthwiseConv2dNativeBackpropFilter'): tf.KernelFunc {
  const k = stockKernels.get(name) ?? tf.getKernel(name, 'cpu')?.kernelFunc;
  if (!k) throw new Error(`tfjs cpu backend has no ${name} kernel`);
  return k;
}

/** Replaces the two filter-gradient kernels of the `cpu` backend (idempotent). */
export function registerFastBackpropFilters(): void {
  const replacements: [string, (a: KernelArgs, stock: tf.KernelFunc) => tf.TensorInfo][] = [
    ['Conv2DBackpropFilter', conv2dBackpropFilterFast],
    ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilterFast],
  ];
  for (const [name, fast] of replacements) {
    if (stockKernels.has(name)) continue;
    const stock = stockKernel(name as 'Conv2DBackpropFilter');
    stockKernels.set(name, stock);
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: ((a: KernelArgs) => fast(a, stock)) as unknown as tf.KernelFunc });
  }
}

/** Puts the stock kernels back (for comparisons). */
export function unregisterFastBackpropFilters(): void {
  for (const [name, stock] of stockKernels) {
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: stock });
  }
  stockKernels.clear();
}

// TFLite Micro's int8 pooling, softmax, mean, pad and concatenation reference kernels in plain
// TypeScript, from the prepared scalars.
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul as mul } from './fixed-point.ts';
import { expOnNegativeValues, oneOverOnePlusX } from './gemmlowp-exp.ts';
import { bitsToFloat } from './elementwise.ts';

type S = Record<string, number>;

export function poolReference(kind: 'avg' | 'max', input: Int8Array, s: S): Int8Array {
  const out = new Int8Array(s.batches * s.outH * s.outW * s.depth);
  let o = 0;
  for (let b = 0; b < s.batches; b++) for (let oy = 0; oy < s.outH; oy++) for (let ox = 0; ox < s.outW; ox++) for (let c = 0; c < s.depth; c++) {
    const y0 = oy * s.strideH - s.padH;
    const x0 = ox * s.strideW - s.padW;
    let acc = 0;
    let count = 0;
    let max = -128;
    for (let fy = Math.max(0, -y0); fy < Math.min(s.filterH, s.inH - y0); fy++) {
      for (let fx = Math.max(0, -x0); fx < Math.min(s.filterW, s.inW - x0); fx++) {
        const v = input[((b * s.inH + y0 + fy) * s.inW + x0 + fx) * s.depth + c];
        acc += v;
        count++;
        max = Math.max(max, v);
      }
    }
    let r = max;
    if (kind === 'avg') {
      const half = Math.trunc(count / 2);
      r = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
    }
    out[o++] = Math.min(s.actMax, Math.max(s.actMin, r));
  }
  return out;
}

/** RoundingDivideByPOT with gemmlowp's int64 mask narrowed to int32 and x86's shift count modulo 32. */
function divideByPOTAsX86(x: number, exponent: number): number {
  if (exponent <= 31) return roundingDivideByPOT(x, exponent);
  const mask = -1;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> (exponent % 32)) + ((x & mask) > threshold ? 1 : 0);
}

export function softmaxReference(input: Int8Array, s: S): Int8Array {
  const out = new Int8Array(input.length);
  for (let r = 0; r < s.rows; r++) {
    const row = input.subarray(r * s.depth, (r + 1) * s.depth);
    const max = Math.max(...row);
    const exps = Array.from(row, (v) => {
      const diff = v - max;
      if (diff < s.diffMin) return undefined;
      return expOnNegativeValues(mul(diff * 2 ** s.inputLeftShift | 0, s.inputMultiplier), 5);
    });
    let sum = 0;
    for (const e of exps) if (e !== undefined) sum = (sum + roundingDivideByPOT(e, 12)) | 0;
    const headroomPlusOne = Math.clz32(sum);
    const bitsOverUnit = 12 - headroomPlusOne;
    const shiftedSumMinusOne = ((sum * 2 ** headroomPlusOne) - 2 ** 31) | 0;
    const scale = oneOverOnePlusX(shiftedSumMinusOne);
    exps.forEach((e, c) => {
      out[r * s.depth + c] = e === undefined ? -128
        : Math.min(127, Math.max(-128, divideByPOTAsX86(mul(scale, e), bitsOverUnit + 23) - 128));
    });
  }
  return out;
}

/** Mean over axes given as a keep-mask over the input shape. */
export function meanReference(input: Int8Array, shape: number[], reduce: boolean[], s: S): Int8Array {
  const sums = new Array<number>(s.outputs).fill(0);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < input.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) if (!reduce[d]) o = o * shape[d] + index[d];
    sums[o] += input[i];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  const scale = bitsToFloat(s.scaleBits);
  const bias = bitsToFloat(s.biasBits);
  return Int8Array.from(sums, (sum) => {
    if (s.sameQuantization) return Math.trunc(sum / s.count);
    const mean = Math.fround(Math.fround(sum) / Math.fround(s.count));
    const v = Math.fround(Math.fround(mean * scale) + bias);
    const rounded = v < 0 ? -Math.round(-v) : Math.round(v);
    return Math.min(127, Math.max(-128, rounded + s.outputZeroPoint));
  });
}

export function padReference(input: Int8Array, inShape: number[], before: number[], outShape: number[], padValue: number): Int8Array {
  const out = new Int8Array(outShape.reduce((a, b) => a * b, 1)).fill(padValue);
  const index = new Array<number>(inShape.length).fill(0);
  for (let i = 0; i < input.length; i++) {
    let o = 0;
    for (let d = 0; d < inShape.length; d++) o = o * outShape[d] + index[d] + before[d];
    out[o] = input[i];
    for (let d = inShape.length - 1; d >= 0; d--) {
      if (++index[d] < inShape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

export function concatenationReference(inputs: { data: Int8Array; shape: number[] }[], axis: number): Int8Array {
  const outer = inputs[0].shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const parts: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const { data, shape } of inputs) {
      const block = shape.slice(axis).reduce((a, b) => a * b, 1);
      parts.push(...data.subarray(o * block, (o + 1) * block));
    }
  }
  return Int8Array.from(parts);
}

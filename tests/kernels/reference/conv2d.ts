// TFLite Micro's reference int8 CONV_2D (per-channel), in plain TypeScript: the test oracle.
import { convOutput, type ConvWindowParams } from './conv-window.ts';

export interface Conv2DParams extends ConvWindowParams {
  output_c: number;
}

export function conv2dReference(
  p: Conv2DParams, input: Int8Array, filter: Int8Array, bias: Int32Array | undefined,
  multipliers: Int32Array, shifts: Int32Array,
): Int8Array {
  const out = new Int8Array(p.batches * p.output_h * p.output_w * p.output_c);
  for (let b = 0; b < p.batches; b++) {
    for (let oy = 0; oy < p.output_h; oy++) {
      for (let ox = 0; ox < p.output_w; ox++) {
        for (let oc = 0; oc < p.output_c; oc++) {
          let acc = 0;
          for (let ky = 0; ky < p.filter_h; ky++) {
            const iy = oy * p.stride_h - p.pad_h + p.dilation_h * ky;
            if (iy < 0 || iy >= p.input_h) continue;
            for (let kx = 0; kx < p.filter_w; kx++) {
              const ix = ox * p.stride_w - p.pad_w + p.dilation_w * kx;
              if (ix < 0 || ix >= p.input_w) continue;
              for (let ic = 0; ic < p.input_c; ic++) {
                const x = input[((b * p.input_h + iy) * p.input_w + ix) * p.input_c + ic];
                const w = filter[((oc * p.filter_h + ky) * p.filter_w + kx) * p.input_c + ic];
                acc = (acc + w * (x + p.input_offset)) | 0;
              }
            }
          }
          out[((b * p.output_h + oy) * p.output_w + ox) * p.output_c + oc] = convOutput(p, acc, oc, bias, multipliers, shifts);
        }
      }
    }
  }
  return out;
}

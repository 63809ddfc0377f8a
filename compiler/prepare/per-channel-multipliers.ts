// Per-output-channel requantization, as TFLite's PopulateConvolutionQuantizationParams:
// effective scale = double(input_scale) * double(filter_scale[c]) / double(output_scale), then
// QuantizeMultiplier. Per-tensor weights use their one scale for every channel.
import { quantizeMultiplier } from './quantize-multiplier.ts';

export interface ChannelMultipliers {
  multipliers: Int32Array;
  shifts: Int32Array;
}

export function perChannelMultipliers(
  inputScale: number,
  filterScales: readonly number[],
  outputScale: number,
  channels: number,
): ChannelMultipliers {
  const multipliers = new Int32Array(channels);
  const shifts = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const filterScale = filterScales.length === 1 ? filterScales[0] : filterScales[c];
    // Scales are float32 in the model; widen each to double before multiplying, as TFLite does.
    const effective = Math.fround(inputScale) * Math.fround(filterScale) / Math.fround(outputScale);
    const q = quantizeMultiplier(effective);
    multipliers[c] = q.multiplier;
    shifts[c] = q.shift;
  }
  return { multipliers, shifts };
}

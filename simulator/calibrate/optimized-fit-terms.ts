// Which work counters the `optimized` profile's instruction model uses per kernel class, fitted on CMSIS-NN's
// measured layers (bench/fit-optimized-profile.ts) and checked against them (tests/simulator/cmsis-nn-measured.test.ts).
// The same terms step-cost.ts evaluates: per call, per MAC, per output element, per output pixel, per filter tap
// (pixels × filter height × width), per byte read.
export type FitTerm = 'perCall' | 'perMac' | 'perOutput' | 'perPixel' | 'perTap' | 'perByteRead';

export const OPTIMIZED_FIT_TERMS: Partial<Record<string, FitTerm[]>> = {
  // arm_convolve_s8: im2col per output pixel (one arm_q7_to_q15_with_offset call per filter tap), the 2x2 SMLAD
  // kernel per MAC, requantization per output.
  conv: ['perMac', 'perOutput', 'perPixel', 'perTap'],
  // arm_convolve_1x1_s8_fast → arm_nn_mat_mult_nt_t_s8: 2 rows × 2 channels per pass.
  conv1x1: ['perMac', 'perOutput', 'perPixel', 'perByteRead'],
  // arm_depthwise_conv_3x3_s8: 4 channels per pass, SMLABB/SMLATT per tap, edge taps skipped.
  depthwise: ['perMac', 'perPixel'],
  // arm_depthwise_conv_s8 (multiplier > 1): micro_speech_quantized's layer and, as microTVM lowers it, KWS's first
  // convolution (kernel-profiles.json lowering); requantization per output.
  depthwiseMultiplier: ['perMac', 'perOutput'],
  // arm_fully_connected_s8 → arm_nn_vec_mat_mult_t_s8: 2 output rows per pass, 4 columns per step.
  fullyConnected: ['perCall', 'perMac', 'perOutput'],
  // arm_elementwise_add_s8: three requantizations per element, 4 elements per pass (ADD; MUL not measured).
  elementwise: ['perOutput'],
};

/** Instructions of one call under a class's coefficients (as step-cost.ts computes them before the core's scale). */
export function predictInstructions(k: Partial<Record<FitTerm, number>>, s: { calls?: number; macs: number; outputs: number; pixels: number; taps?: number; bytesRead: number }): number {
  return (k.perCall ?? 0) * (s.calls ?? 1) + (k.perMac ?? 0) * s.macs + (k.perOutput ?? 0) * s.outputs + (k.perPixel ?? 0) * s.pixels
    + (k.perTap ?? 0) * (s.taps ?? 0) + (k.perByteRead ?? 0) * s.bytesRead;
}

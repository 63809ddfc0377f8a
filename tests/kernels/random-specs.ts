// Seeded random layer specs for the property tests: shapes, strides, dilations, zero points,
// scales (so multipliers and shifts vary widely), per-tensor or per-channel weights, activations.
import type { FusedActivation } from '../../formats/ir/op-types.ts';
import type { ConvSpec, FullyConnectedSpec, QuantSpec, Rng } from './layer-builder.ts';

const ACTIVATIONS: FusedActivation[] = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'];

function zeroPoint(r: Rng): number {
  return r.next() < 0.3 ? r.pick([-128, 127, 0]) : r.int(-128, 127);
}

export function randomQuant(r: Rng, channels: number, reduction: number): QuantSpec {
  const inputScale = 2 ** (r.next() * 8 - 8);
  const perChannel = r.next() < 0.6;
  const filterScales = Array.from({ length: perChannel ? channels : 1 }, () => 2 ** (r.next() * 6 - 9));
  // Effective scale around 1/sqrt(reduction)·2^±6: outputs from saturated to small, shifts from -20 to +3.
  const effective = 2 ** (r.next() * 12 - 6) / Math.sqrt(reduction * 128 * 128) * (r.next() < 0.1 ? 2 ** 10 : 1);
  const outputScale = inputScale * filterScales[0] / effective;
  return {
    inputZeroPoint: zeroPoint(r),
    outputZeroPoint: zeroPoint(r),
    inputScale, outputScale, filterScales,
    hasBias: r.next() < 0.8,
    biasRange: r.pick([0, 100, 10_000, 1_000_000]),
    activation: r.pick(ACTIVATIONS),
  };
}

/** `depthMultipliers` (depthwise only) picks the multiplier from that list instead of mostly 1, sometimes 2–3. */
export function randomConvSpec(r: Rng, depthwise: boolean, depthMultipliers?: number[]): ConvSpec {
  for (;;) {
    const filterH = r.int(1, 5);
    const filterW = r.int(1, 5);
    const dilationH = r.next() < 0.25 ? 2 : 1;
    const dilationW = r.next() < 0.25 ? 2 : 1;
    const inH = r.int(1, 10);
    const inW = r.int(1, 10);
    const padding = r.next() < 0.5 ? 'SAME' as const : 'VALID' as const;
    if (padding === 'VALID' && ((filterH - 1) * dilationH + 1 > inH || (filterW - 1) * dilationW + 1 > inW)) continue;
    const inC = r.next() < 0.3 ? r.pick([1, 3, 4, 8, 16]) : r.int(1, depthwise ? 40 : 24);
    const depthMultiplier = !depthwise ? 1 : depthMultipliers ? r.pick(depthMultipliers) : r.next() < 0.7 ? 1 : r.int(2, 3);
    const outC = depthwise ? inC * depthMultiplier : r.int(1, 24);
    return {
      batches: r.next() < 0.2 ? 2 : 1, inH, inW, inC, outC, filterH, filterW,
      strideH: r.int(1, 3), strideW: r.int(1, 3), dilationH, dilationW, padding, depthMultiplier,
      ...randomQuant(r, outC, depthwise ? filterH * filterW : filterH * filterW * inC),
    };
  }
}

export function randomFullyConnectedSpec(r: Rng): FullyConnectedSpec {
  const inDepth = r.int(1, 80);
  const outDepth = r.int(1, 24);
  return { batches: r.int(1, 4), inDepth, outDepth, ...randomQuant(r, outDepth, inDepth) };
}

// A row-streaming kernel's output may start below its dying input and overlap it: the planner finds
// the margin, uses it only where it makes the arena smaller, and never where the kernel does not stream.
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile-model.ts';
import { planArena } from '../../compiler/plan/arena-plan.ts';
import { rowStreamMargin } from '../../compiler/plan/row-stream-margin.ts';
import type { Graph } from '../../formats/ir/graph.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { wasmSimdPasses } from '../../compiler/prepare/depthwise-conv2d.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { randomLayerCases } from '../firmware/one-op-graphs.ts';

const conv = (strideH: number) => ({
  padding: 'SAME', strideH, strideW: strideH, dilationH: 1, dilationW: 1, activation: 'NONE',
}) as const;

/** x [1,h,w,cin] → CONV_2D 3×3 (or DEPTHWISE) → y → CONV_2D 3×3 → z, int8 with unit scales. */
function chain(type: 'CONV_2D' | 'DEPTHWISE_CONV_2D', h: number, w: number, c: number, stride = 1, dm = 1): Graph {
  const g = new GraphBuilder();
  const q = { scale: [0.05], zeroPoint: [0], axis: 0 };
  const x = g.tensor([1, h, w, c], 'int8', q);
  const oh = Math.ceil(h / stride), ow = Math.ceil(w / stride);
  const mid = type === 'CONV_2D' ? c : c * dm;
  const y = g.tensor([1, oh, ow, mid], 'int8', q);
  const z = g.tensor([1, oh, ow, mid], 'int8', q);
  const wq = (n: number, axis: number) => ({ scale: new Array(n).fill(0.02), zeroPoint: new Array(n).fill(0), axis });
  const w1 = type === 'CONV_2D'
    ? g.constant([mid, 3, 3, c], new Uint8Array(mid * 9 * c).fill(1), 'int8', wq(mid, 0))
    : g.constant([1, 3, 3, mid], new Uint8Array(9 * mid).fill(1), 'int8', wq(mid, 3));
  const w2 = g.constant([mid, 3, 3, mid], new Uint8Array(mid * 9 * mid).fill(1), 'int8', wq(mid, 0));
  const attrs = type === 'CONV_2D' ? conv(stride) : { ...conv(stride), depthMultiplier: dm };
  return g.op(type, [x, w1, -1], [y], attrs as never).op('CONV_2D', [y, w2, -1], [z], conv(1)).build([x], [z]);
}

describe('row-streaming overlap', () => {
  it('puts the output of a stride-1 3×3 conv two rows below its input', () => {
    // Row r needs input rows from r−1 on, and ends at (r+1)·outRow: the worst row is the last, with
    // 32 rows of 512 B written over 30 rows of 512 B read-ready → 2 rows = 1024 B.
    const margin = rowStreamMargin({ input: 0, output: 1, inRowBytes: 512, outRowBytes: 512, outRows: 32, strideH: 1, padTop: 1 });
    expect(margin).toBe(1024);
    // Stride 2 halves the output rows; each reads from 2r−1: for 8-byte rows the margin is one 16-byte unit.
    expect(rowStreamMargin({ input: 0, output: 1, inRowBytes: 8, outRowBytes: 8, outRows: 4, strideH: 2, padTop: 0 })).toBe(16);
  });

  it('overlaps a conv output with its dying input and chains the overlaps down the arena', () => {
    const compiled = compileGraph(chain('CONV_2D', 16, 16, 8));
    const at = new Map(compiled.plan.tensors.map((t) => [t.tensor, t]));
    const [x, y, z] = [0, 1, 2];
    // 2048 B per activation (16 rows of 128 B). Each conv's output starts its margin below its input.
    for (const [step, input, output] of [[0, x, y], [1, y, z]] as const) {
      const margin = rowStreamMargin(compiled.prepared[step].rowStream!);
      expect(margin).toBe(256);
      expect(at.get(output)!.overlapsWith ?? at.get(input)!.overlapsWith).toBeDefined();
      expect(at.get(input)!.offset - at.get(output)!.offset).toBe(margin);
    }
    // Without overlaps two activations are alive at each conv (4096 B) besides the im2col scratch.
    const plain = planArena(compiled.graph, compiled.prepared.map(({ rowStream: _, ...p }) => p));
    const scratch = Math.max(...compiled.prepared.map((p) => p.scratchBytes));
    expect(plain.arenaBytes).toBe(4096 + scratch);
    expect(compiled.plan.arenaBytes).toBe(2048 + 2 * 256 + scratch);
  });

  it('leaves alone the depthwise convs whose kernels walk blocks of channels over the whole image', () => {
    // C's 3×3 block path (multiplier 1): never overlapped.
    expect(compileGraph(chain('DEPTHWISE_CONV_2D', 16, 16, 8)).prepared[0].rowStream).toBeUndefined();
    // One input channel times 8 (micro_speech's shape): one SIMD pass, so it streams.
    expect(compileGraph(chain('DEPTHWISE_CONV_2D', 16, 16, 1, 1, 8)).prepared[0].rowStream).toBeDefined();
    // Two input channels times 2: the SIMD kernel makes four passes.
    expect(wasmSimdPasses(2, 2)).toBe(4);
    expect(compileGraph(chain('DEPTHWISE_CONV_2D', 16, 16, 2, 1, 2)).prepared[0].rowStream).toBeUndefined();
  });

  it('gives the same bytes with and without overlaps on 300 random conv and depthwise layers (WASM scalar and SIMD)', () => {
    let overlapped = 0;
    for (let seed = 1; seed <= 25; seed++) {
      for (const c of randomLayerCases(seed, 12)) {
        const compiled = compileGraph(c.graph);
        if (!compiled.plan.tensors.some((t) => t.overlapsWith !== undefined)) continue;
        overlapped++;
        const plain = { ...compiled, plan: planArena(compiled.graph, compiled.prepared.map(({ rowStream: _, ...p }) => p)) };
        for (const variant of ['scalar', 'simd'] as const) {
          const got = Buffer.concat(Runtime.create(writeBlob(compiled), { variant }).invoke(c.input));
          const want = Buffer.concat(Runtime.create(writeBlob(plain), { variant }).invoke(c.input));
          expect(got.equals(want), `${c.name} (seed ${seed}, ${variant})`).toBe(true);
        }
      }
    }
    expect(overlapped).toBeGreaterThan(50);
  });

  it('gives the same bytes with and without overlaps on wide 3×3 convs (the SIMD build reads inner pixels in place)', () => {
    let seed = 99;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    for (const [h, w, c, stride] of [[6, 32, 8, 1], [5, 40, 16, 1], [7, 48, 8, 2], [9, 24, 16, 1]]) {
      const compiled = compileGraph(chain('CONV_2D', h, w, c, stride));
      expect(compiled.plan.tensors.some((t) => t.overlapsWith !== undefined), `${w}×${h}×${c}`).toBe(true);
      const plain = { ...compiled, plan: planArena(compiled.graph, compiled.prepared.map(({ rowStream: _, ...p }) => p)) };
      const input = Uint8Array.from({ length: h * w * c }, next);
      for (const variant of ['scalar', 'simd'] as const) {
        const got = Buffer.concat(Runtime.create(writeBlob(compiled), { variant }).invoke(input));
        const want = Buffer.concat(Runtime.create(writeBlob(plain), { variant }).invoke(input));
        expect(got.equals(want), `${w}×${h}×${c} stride ${stride} (${variant})`).toBe(true);
      }
    }
  });

  it('never makes the arena larger than planning without overlaps', () => {
    for (const [h, c, s] of [[8, 4, 1], [12, 8, 2], [5, 16, 1], [20, 2, 2]] as const) {
      const compiled = compileGraph(chain('CONV_2D', h, h, c, s));
      const plain = planArena(compiled.graph, compiled.prepared.map(({ rowStream: _, ...p }) => p));
      expect(compiled.plan.arenaBytes).toBeLessThanOrEqual(plain.arenaBytes);
    }
  });
});

// Graph passes: each rewrites the float graph without changing what it computes.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../formats/ir/graph.ts';
import { bytesOf } from '../../compiler/ir/tensor-values.ts';
import { FloatExecutor } from '../../compiler/calibrate/float-executor.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { foldBatchNorm } from '../../compiler/passes/fold-batch-norm.ts';
import { fuseActivation } from '../../compiler/passes/fuse-activation.ts';
import { dropIdentity } from '../../compiler/passes/drop-identity.ts';
import { foldConstants } from '../../compiler/passes/fold-constants.ts';
import { lowerBatchNorm } from '../../compiler/passes/lower-batch-norm.ts';
import { PASSES, runPasses, selectPasses } from '../../compiler/passes/pass-list.ts';

const f32 = (...v: number[]) => bytesOf(new Float32Array(v));

/** x[1,2,2,2] → CONV_2D 1×1 (2→2) → BATCH_NORM → RELU6 → IDENTITY → ADD(constant made by MUL of constants). */
function graph(): Graph {
  return {
    name: 'p',
    tensors: [
      { id: 0, name: 'x', shape: [1, 2, 2, 2], dtype: 'float32' },
      { id: 1, name: 'w', shape: [2, 1, 1, 2], dtype: 'float32', data: f32(1, -2, 0.5, 3) },
      { id: 2, name: 'b', shape: [2], dtype: 'float32', data: f32(0.1, -0.3) },
      { id: 3, name: 'conv', shape: [1, 2, 2, 2], dtype: 'float32' },
      { id: 4, name: 'gamma', shape: [2], dtype: 'float32', data: f32(2, 0.5) },
      { id: 5, name: 'beta', shape: [2], dtype: 'float32', data: f32(0.25, -1) },
      { id: 6, name: 'mean', shape: [2], dtype: 'float32', data: f32(0.5, -0.5) },
      { id: 7, name: 'var', shape: [2], dtype: 'float32', data: f32(4, 0.25) },
      { id: 8, name: 'bn', shape: [1, 2, 2, 2], dtype: 'float32' },
      { id: 9, name: 'relu6', shape: [1, 2, 2, 2], dtype: 'float32' },
      { id: 10, name: 'dropout', shape: [1, 2, 2, 2], dtype: 'float32' },
      { id: 11, name: 'c1', shape: [2], dtype: 'float32', data: f32(1, 2) },
      { id: 12, name: 'c2', shape: [2], dtype: 'float32', data: f32(3, -1) },
      { id: 13, name: 'c1xc2', shape: [2], dtype: 'float32' },
      { id: 14, name: 'out', shape: [1, 2, 2, 2], dtype: 'float32' },
    ],
    ops: [
      { index: 0, type: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], attrs: { padding: 'VALID', strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'NONE' } },
      { index: 1, type: 'BATCH_NORM', inputs: [3, 4, 5, 6, 7], outputs: [8], attrs: { epsilon: 1e-3 } },
      { index: 2, type: 'RELU6', inputs: [8], outputs: [9], attrs: {} },
      { index: 3, type: 'IDENTITY', inputs: [9], outputs: [10], attrs: {} },
      { index: 4, type: 'MUL', inputs: [11, 12], outputs: [13], attrs: { activation: 'NONE' } },
      { index: 5, type: 'ADD', inputs: [10, 13], outputs: [14], attrs: { activation: 'NONE' } },
    ],
    inputs: [0],
    outputs: [14],
  };
}

const x = new Float32Array([0.3, -1.2, 2.5, 0.7, -0.4, 1.9, 3.1, -2.2]);
function run(g: Graph): number[] {
  const e = new FloatExecutor(g);
  try {
    return Array.from(e.run([x], 1)[0]!);
  } finally {
    e.dispose();
  }
}

describe('graph passes', () => {
  beforeAll(async () => { await useFloatBackend('cpu'); });

  it('each pass alone keeps the results and removes what it targets', () => {
    const want = run(graph());
    // RELU6 follows the BatchNormalization, so it fuses once that is folded into the conv.
    const cases = [
      [foldBatchNorm, 'BATCH_NORM', graph()], [fuseActivation, 'RELU6', foldBatchNorm.run(graph())],
      [dropIdentity, 'IDENTITY', graph()], [foldConstants, 'MUL', graph()],
    ] as const;
    for (const [pass, removed, input] of cases) {
      const g = pass.run(input);
      expect(g.ops.map((o) => o.type), pass.name).not.toContain(removed);
      expect(g.ops.length, pass.name).toBe(input.ops.length - 1);
      run(g).forEach((v, i) => expect(v, `${pass.name} value ${i}`).toBeCloseTo(want[i]!, 5));
    }
  });

  it('the pipeline leaves one conv with fused RELU6 and one ADD', () => {
    const { graph: g, results } = runPasses(graph(), PASSES);
    expect(g.ops.map((o) => o.type)).toEqual(['CONV_2D', 'ADD']);
    expect((g.ops[0]!.attrs as { activation: string }).activation).toBe('RELU6');
    expect(results.map((r) => [r.name, r.opsBefore, r.opsAfter])).toEqual([
      ['drop-identity', 6, 5], ['fold-constants', 5, 4], ['fold-batch-norm', 4, 3], ['lower-batch-norm', 3, 3], ['fuse-activation', 3, 2],
    ]);
    // orphaned constants (BatchNorm parameters, the folded MUL inputs) are gone, ids are dense again
    expect(g.tensors.every((t, i) => t.id === i)).toBe(true);
    expect(g.tensors.map((t) => t.name)).not.toContain('gamma');
    const want = run(graph());
    run(g).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
  });

  it('does not fold a BatchNormalization whose conv output has another reader; lowers it to MUL + ADD instead', () => {
    const g = graph();
    g.outputs = [14, 3];
    expect(foldBatchNorm.run(g).ops.map((o) => o.type)).toContain('BATCH_NORM');
    const lowered = lowerBatchNorm.run(foldBatchNorm.run(g));
    expect(lowered.ops.map((o) => o.type)).toEqual(['CONV_2D', 'MUL', 'ADD', 'RELU6', 'IDENTITY', 'MUL', 'ADD']);
    const want = run(graph());
    run(lowered).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
  });

  it('selects passes with --passes', () => {
    expect(selectPasses(undefined).map((p) => p.name)).toEqual(PASSES.map((p) => p.name));
    expect(selectPasses('none')).toEqual([]);
    expect(selectPasses('fuse-activation,drop-identity').map((p) => p.name)).toEqual(['drop-identity', 'fuse-activation']);
    expect(selectPasses('-fold-batch-norm').map((p) => p.name)).toEqual(['drop-identity', 'fold-constants', 'lower-batch-norm', 'fuse-activation']);
    expect(() => selectPasses('fold-bn')).toThrow(/unknown pass fold-bn; passes are drop-identity, fold-constants, fold-batch-norm, lower-batch-norm, fuse-activation/);
    expect(() => selectPasses('drop-identity,-fold-constants')).toThrow(/mixes/);
  });
});

// --per-channel-fc: FULLY_CONNECTED weights get one scale per output row, so a row of small
// weights is not rounded on the step of the largest row.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../formats/ir/graph.ts';
import { bytesOf } from '../../compiler/ir/tensor-values.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { FloatExecutor } from '../../compiler/calibrate/float-executor.ts';
import { calibrate } from '../../compiler/calibrate/calibrate.ts';
import { quantizeGraph } from '../../compiler/quantize/quantize-graph.ts';
import { Int8ReferenceRun } from '../../compiler/report/int8-reference-run.ts';

/** x[4] → FC(4→2): row 0 weights around 10, row 1 around 0.01. */
function fc(): Graph {
  const w = Float32Array.of(10, -7, 3, 9, 0.012, -0.02, 0.015, 0.005);
  return {
    name: 'fc',
    tensors: [
      { id: 0, name: 'x', shape: [1, 4], dtype: 'float32' },
      { id: 1, name: 'w', shape: [2, 4], dtype: 'float32', data: bytesOf(w) },
      { id: 2, name: 'y', shape: [1, 2], dtype: 'float32' },
    ],
    ops: [{ index: 0, type: 'FULLY_CONNECTED', inputs: [0, 1, -1], outputs: [2], attrs: { activation: 'NONE', keepNumDims: false } }],
    inputs: [0],
    outputs: [2],
  };
}

describe('per-channel fully connected weights', () => {
  beforeAll(async () => { await useFloatBackend('wasm'); });

  it('give each output row its own weight scale and the int8 runtime uses them', () => {
    const graph = fc();
    const x = Float32Array.from({ length: 4 * 50 }, (_, i) => Math.sin(i * 0.7));
    const ranges = calibrate(graph, { values: x, samples: 50, sampleSize: 4, source: 'sine' });
    const perTensor = quantizeGraph(graph, ranges, {});
    const perChannel = quantizeGraph(graph, ranges, { perChannelFullyConnected: true });
    expect(perTensor.tensors[1]!.quant!.scale).toEqual([Math.fround(10 / 127)]);
    expect(perChannel.tensors[1]!.quant!.scale).toEqual([Math.fround(10 / 127), Math.fround(0.02 / 127)]);
    expect(perChannel.tensors[1]!.quant!.axis).toBe(0);
    // Per tensor, row 1 rounds to all zeros; per channel its weights survive.
    expect(Array.from(new Int8Array(perTensor.tensors[1]!.data!.slice().buffer)).slice(4)).toEqual([0, 0, 0, 0]);
    expect(Array.from(new Int8Array(perChannel.tensors[1]!.data!.slice().buffer)).slice(4)).toEqual([76, -127, 95, 32]);

    const exec = new FloatExecutor(graph);
    const [f] = exec.run([x], 50);
    exec.dispose();
    const run = new Int8ReferenceRun(perChannel, []);
    const outStep = perChannel.tensors[2]!.quant!.scale[0]!;
    for (let s = 0; s < 50; s++) {
      const q = run.run(x.subarray(s * 4, (s + 1) * 4)).get(2)!;
      for (let c = 0; c < 2; c++) expect(Math.abs(q[c]! - f![s * 2 + c]!)).toBeLessThan(2 * outStep);
    }
  });
});

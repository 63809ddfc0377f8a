// Each of these ops in every corpus model, run alone on the golden input tensors, gives the golden
// output tensor byte for byte (TFLite Micro's reference kernels), in both kernel builds.
import { describe, expect, it } from 'vitest';
import type { OpType } from '../../formats/ir/op-types.ts';
import { PREPARE } from '../../compiler/prepare/registry.ts';
import { loadTfliteGraph } from '../../compiler/tflite/read-tflite.ts';
import { corpusModelNames, goldenCases, readMeta, readModel } from '../conformance-corpus.ts';
import { runPrepared } from './kernel-harness.ts';

const OPS: ReadonlySet<OpType> = new Set<OpType>([
  'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'SOFTMAX', 'ADD', 'MUL', 'RESHAPE', 'PAD', 'MEAN', 'CONCATENATION',
  'QUANTIZE', 'DEQUANTIZE', 'LOGISTIC', 'TANH', 'RELU', 'RELU6', 'HARD_SWISH',
]);

describe('golden layers: non-conv int8 ops against TFLite Micro tensors', () => {
  const models = corpusModelNames().filter((m) => readMeta(m).cases.length > 0);
  for (const model of models) {
    const graph = loadTfliteGraph(readModel(model), model);
    const ops = graph.ops.filter((op) => OPS.has(op.type));
    if (ops.length === 0) continue;
    for (const variant of ['scalar', 'simd'] as const) {
      it(`${model}: ${ops.map((o) => `${o.type}#${o.index}`).join(', ')} (${variant})`, () => {
        let compared = 0;
        for (const c of goldenCases(model)) {
          for (const op of ops) {
            const calls = PREPARE[op.type]!(graph, op);
            const inputs = new Map(op.inputs.filter((t) => t >= 0 && !graph.tensors[t].data).map((t) => [t, c.tensor(t)]));
            const got = runPrepared(variant, graph, calls, inputs);
            for (const t of op.outputs) {
              const want = c.tensor(t);
              const out = got.get(t)!;
              const diff = out.findIndex((b, i) => b !== want[i]);
              expect(diff, `${c.name}: ${op.type} #${op.index} output ${t} differs first at byte ${diff}`).toBe(-1);
              expect(out.length).toBe(want.length);
              compared += out.length;
            }
          }
        }
        expect(compared).toBeGreaterThan(0);
      });
    }
  }
});

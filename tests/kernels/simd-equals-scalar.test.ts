// Property: the SIMD build gives the same bytes as the scalar build on thousands of seeded random
// shapes and quantization parameters, for every non-conv int8 kernel (SIMD paths: max pooling, RELU,
// RELU6; the rest must simply agree).
import { expect, it } from 'vitest';
import { elementCount, type Graph } from '../../formats/ir/graph.ts';
import type { FusedActivation } from '../../formats/ir/op-types.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { binaryGraph, unaryGraph } from './elementwise-graphs.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { bytesOf, runBoth } from './single-op.ts';

const ACTIVATIONS: FusedActivation[] = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'];

function randomCase(r: SeededRandom): { graph: Graph; inputs: Map<number, Uint8Array> } {
  const q = () => ({ scale: r.scale(-8, 1), zeroPoint: r.pick([-128, 127, 0, r.int(-128, 127)]) });
  const kind = r.pick(['pool', 'pool', 'unary', 'unary', 'binary', 'softmax'] as const);
  if (kind === 'pool') {
    const g = new GraphBuilder();
    const [n, h, w, d] = [r.int(1, 2), r.int(1, 12), r.int(1, 12), r.int(1, 70)];
    const [fh, fw, sh, sw] = [r.int(1, 5), r.int(1, 5), r.int(1, 3), r.int(1, 3)];
    const padding = fh > h || fw > w ? 'SAME' : r.pick(['SAME', 'VALID'] as const);
    const oh = padding === 'SAME' ? Math.ceil(h / sh) : Math.floor((h - fh) / sh) + 1;
    const ow = padding === 'SAME' ? Math.ceil(w / sw) : Math.floor((w - fw) / sw) + 1;
    const qq = q();
    const quant = { scale: [qq.scale], zeroPoint: [qq.zeroPoint], axis: 0 };
    const x = g.tensor([n, h, w, d], 'int8', quant);
    const y = g.tensor([n, oh, ow, d], 'int8', quant);
    g.op(r.pick(['MAX_POOL_2D', 'AVERAGE_POOL_2D'] as const), [x], [y], {
      padding, filterH: fh, filterW: fw, strideH: sh, strideW: sw, activation: r.pick(ACTIVATIONS),
    });
    return { graph: g.build([x], [y]), inputs: new Map([[x, bytesOf(r.int8s(n * h * w * d))]]) };
  }
  if (kind === 'unary') {
    const type = r.pick(['RELU', 'RELU6', 'QUANTIZE', 'HARD_SWISH'] as const);
    const n = r.int(1, 100);
    const qin = q();
    let qout = type === 'RELU6' || r.next() < 0.3 ? qin : q();
    if (type === 'HARD_SWISH') qout = { scale: qin.scale * (0.01 + r.next()), zeroPoint: qout.zeroPoint };
    const { graph, x } = unaryGraph(type, [n], qin, qout);
    return { graph, inputs: new Map([[x, bytesOf(r.int8s(n))]]) };
  }
  if (kind === 'binary') {
    const n = r.int(1, 100);
    const qa = q();
    const { graph, a, b } = binaryGraph(r.pick(['ADD', 'MUL'] as const), [[n], [n], [n]], [qa, q(), { scale: qa.scale * (0.5 + r.next()), zeroPoint: r.int(-128, 127) }], r.pick(ACTIVATIONS));
    return { graph, inputs: new Map([[a, bytesOf(r.int8s(n))], [b, bytesOf(r.int8s(n))]]) };
  }
  const g = new GraphBuilder();
  const shape = [r.int(1, 4), r.int(1, 64)];
  const qq = q();
  const x = g.tensor(shape, 'int8', { scale: [qq.scale], zeroPoint: [qq.zeroPoint], axis: 0 });
  const y = g.tensor(shape, 'int8', { scale: [1 / 256], zeroPoint: [-128], axis: 0 });
  g.op('SOFTMAX', [x], [y], { beta: 1 });
  return { graph: g.build([x], [y]), inputs: new Map([[x, bytesOf(r.int8s(elementCount(shape)))]]) };
}

it('SIMD build equals scalar build on 2000 random cases', () => {
  const r = new SeededRandom(2026);
  let compared = 0;
  for (let i = 0; i < 2000; i++) {
    const { graph, inputs } = randomCase(r);
    const { scalar, simd } = runBoth(graph, inputs);
    const diff = scalar.findIndex((v, k) => v !== simd[k]);
    expect(diff, `case ${i} (${graph.ops[0].type}): first difference at ${diff}`).toBe(-1);
    compared += scalar.length;
  }
  expect(compared).toBeGreaterThan(100_000);
});

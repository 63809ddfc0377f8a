import { describe, expect, it } from 'vitest';
import { planArena } from '../../compiler/plan/arena-plan.ts';
import { memoryAwareOrder } from '../../compiler/plan/op-order.ts';
import { GraphBuilder } from '../graph-builder.ts';

const oneStepPerOp = (n: number, scratch: number[] = []) =>
  Array.from({ length: n }, (_, i) => ({ opIndex: i, scratchBytes: scratch[i] ?? 0 }));
const relu = { activation: 'NONE' } as const;

describe('arena planner', () => {
  it('reuses the bytes of a tensor once nothing reads it', () => {
    // a(1000) -> MAX_POOL -> b(1000) -> MAX_POOL -> c(1000) -> MAX_POOL -> d(1000)
    const g = new GraphBuilder();
    const [a, b, c, d] = [g.tensor([1000]), g.tensor([1000]), g.tensor([1000]), g.tensor([1000])];
    const pool = { padding: 'VALID', strideH: 1, strideW: 1, filterH: 1, filterW: 1, activation: 'NONE' } as const;
    const graph = g.op('MAX_POOL_2D', [a], [b], pool).op('MAX_POOL_2D', [b], [c], pool).op('MAX_POOL_2D', [c], [d], pool).build([a], [d]);
    const plan = planArena(graph, oneStepPerOp(3));
    // Two 1000-byte buffers alive at once, each 16-aligned: 1008 + 1000 → 2016.
    expect(plan.arenaBytes).toBe(2016);
    const at = new Map(plan.tensors.map((t) => [t.tensor, t.offset]));
    expect(at.get(a)).toBe(at.get(c));
    expect(at.get(b)).toBe(at.get(d));
    expect(plan.liveBytes).toEqual([2000, 2000, 2000]);
  });

  it('aliases a reshape output to its input, and an element-wise op to an input that dies there', () => {
    const g = new GraphBuilder();
    const x = g.tensor([4, 100]);
    const y = g.tensor([400]);
    const k = g.constant([400], new Uint8Array(400));
    const z = g.tensor([400]);
    const graph = g.op('RESHAPE', [x], [y], {}).op('ADD', [y, k], [z], relu).build([x], [z]);
    const plan = planArena(graph, oneStepPerOp(2));
    expect(plan.arenaBytes).toBe(400);
    expect(plan.tensors.map((t) => t.offset)).toEqual([0, 0, 0]);
    expect(plan.tensors.find((t) => t.tensor === z)!.aliasOf).toBe(x);
  });

  it('does not write in place over a tensor read later', () => {
    const g = new GraphBuilder();
    const x = g.tensor([256]);
    const k = g.constant([256], new Uint8Array(256));
    const y = g.tensor([256]);
    const z = g.tensor([256]);
    const graph = g.op('ADD', [x, k], [y], relu).op('ADD', [x, y], [z], relu).build([x], [z]);
    const plan = planArena(graph, oneStepPerOp(2));
    const at = new Map(plan.tensors.map((t) => [t.tensor, t.offset]));
    expect(at.get(y)).not.toBe(at.get(x));
    // The second ADD may write over y (x is still needed by nobody after it either, but y is first in line).
    expect(plan.arenaBytes).toBe(512);
  });

  it('gives each scratch buffer its own step and counts it in the arena', () => {
    const g = new GraphBuilder();
    const a = g.tensor([64]);
    const b = g.tensor([64]);
    const pool = { padding: 'VALID', strideH: 1, strideW: 1, filterH: 1, filterW: 1, activation: 'NONE' } as const;
    const graph = g.op('MAX_POOL_2D', [a], [b], pool).build([a], [b]);
    const plan = planArena(graph, oneStepPerOp(1, [100]));
    expect(plan.scratch).toEqual([{ step: 0, offset: expect.any(Number), bytes: 100 }]);
    expect(plan.arenaBytes).toBe(240); // 100 → 112 aligned, + 64 + 64
    expect(plan.peak).toEqual({ step: 0, bytes: 240 });
  });

  it('reorders an interleaved branchy graph so each big intermediate dies before the next is made', () => {
    // Written interleaved: x → a1(1000), x → b1(1000), a1 → a2(10), b1 → b2(10), concat(a2, b2).
    const g = new GraphBuilder();
    const x = g.tensor([100]);
    const [a1, b1, a2, b2, out] = [g.tensor([1000]), g.tensor([1000]), g.tensor([10]), g.tensor([10]), g.tensor([20])];
    const pool = { padding: 'VALID', strideH: 1, strideW: 1, filterH: 1, filterW: 1, activation: 'NONE' } as const;
    const graph = g
      .op('MAX_POOL_2D', [x], [a1], pool)
      .op('MAX_POOL_2D', [x], [b1], pool)
      .op('MAX_POOL_2D', [a1], [a2], pool)
      .op('MAX_POOL_2D', [b1], [b2], pool)
      .op('CONCATENATION', [a2, b2], [out], { axis: 0, activation: 'NONE' })
      .build([x], [out]);
    const order = memoryAwareOrder(graph).map((o) => o.index);
    expect(order).toEqual([0, 2, 1, 3, 4]);
    const steps = (ops: number[]) => ops.map((opIndex) => ({ opIndex, scratchBytes: 0 }));
    // As written, a1 and b1 are alive together: 112 (x) + 1008 + 1000. Reordered, only one of them is.
    expect(planArena(graph, steps([0, 1, 2, 3, 4])).arenaBytes).toBe(2128);
    expect(planArena(graph, steps(order)).arenaBytes).toBeLessThan(1200);
  });
});

// Every conformance case, both kernel builds: the output bytes, and every intermediate tensor the
// model computes, equal what TensorFlow Lite Micro's reference kernels produced.
import { describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { corpusModelNames, goldenCases, readMeta, readModel } from '../conformance-corpus.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';

const runnable = corpusModelNames().filter((name) => readMeta(name).cases.length > 0);

describe('conformance: whole models against TFLite Micro goldens', () => {
  for (const name of runnable) {
    for (const variant of ['scalar', 'simd'] as const) {
      it(`${name} (${variant})`, () => {
        const compiled = compileTflite(readModel(name), name);
        const runtime = Runtime.create(writeBlob(compiled), { variant });
        const placements = new Map(compiled.plan.tensors.map((t) => [t.tensor, t]));
        for (const c of goldenCases(name)) {
          const mismatches: string[] = [];
          const outputs = runtime.invoke(c.input, {
            afterStep(step, arena) {
              const op = compiled.graph.ops.find((o) => o.index === compiled.prepared[step].opIndex)!;
              // Compare once the op's last kernel call has run.
              if (compiled.prepared[step + 1]?.opIndex === op.index) return;
              for (const t of op.outputs) {
                const p = placements.get(t)!;
                const got = arena.subarray(p.offset, p.offset + p.bytes);
                const want = c.tensor(t);
                const diff = got.findIndex((b, i) => b !== want[i]);
                if (diff >= 0) mismatches.push(`${c.name}: op ${op.index} ${op.type} output tensor ${t} differs first at byte ${diff} (got ${(got[diff] << 24) >> 24}, want ${(want[diff] << 24) >> 24})`);
              }
            },
          });
          expect(mismatches.slice(0, 3)).toEqual([]);
          const joined = Buffer.concat(outputs);
          expect(Buffer.compare(joined, Buffer.from(c.output))).toBe(0);
        }
      });
    }
  }
});

describe('conformance: arena at most 0.8× TFLite Micro arena_used_bytes', () => {
  for (const name of runnable) {
    it(name, () => {
      const meta = readMeta(name);
      const compiled = compileTflite(readModel(name), name);
      // Bytes are deterministic: the bound is exact, not a benchmark (npm run bench:arena prints the ratios).
      expect(compiled.plan.arenaBytes, `arena ${compiled.plan.arenaBytes} B vs TFLM ${meta.tflmArenaUsedBytes} B`)
        .toBeLessThanOrEqual(0.8 * meta.tflmArenaUsedBytes!);
    });
  }
});

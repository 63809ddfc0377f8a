// Long int8 ADDs run by lookup (runtime-as/host/add-tables.ts): the tables are filled by add_s8 itself, so a
// model gives the same bytes with and without them — checked here on ResNet-8's three residual ADDs against
// TensorFlow Lite Micro's goldens, with the memory the tables take, and the lookup kernel on its own.
import { describe, expect, it } from 'vitest';
import { compileGraph, compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { ADD_TABLE_BYTES, ADD_TABLE_MIN_ELEMENTS } from '../../runtime-as/host/add-tables.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { goldenCases, readModel } from '../conformance-corpus.ts';
import { binaryGraph, type Q } from '../kernels/elementwise-graphs.ts';
import { bytesOf, runBoth } from '../kernels/single-op.ts';

describe('ADD lookup tables', () => {
  const name = 'pretrainedResnet_quant';
  const blob = writeBlob(compileTflite(readModel(name), name));

  for (const variant of ['scalar', 'simd'] as const) {
    it(`ResNet-8 (${variant}): three tables after the arena, TFLite Micro's bytes with and without them`, () => {
      const withTables = Runtime.create(blob, { variant });
      const adds = withTables.ops.filter((o) => o.kernel === 'add_s8');
      expect(adds).toHaveLength(3);
      // 32×32×16, 16×16×32 and 8×8×64 elements: each its own parameters, each long enough for a table.
      expect(withTables.memory.tableBytes).toBe(3 * ADD_TABLE_BYTES + 512);
      // Module data, constants, arena; then the tables; then (SIMD) the packed convolution weights, each 16-aligned.
      const m = withTables.memory;
      const align = (n: number) => (n + 15) & ~15;
      const afterTables = align(m.heapBase + m.constBytes + m.arenaBytes) + m.tableBytes;
      expect(m.totalBytes).toBe(m.packedWeightBytes ? align(afterTables) + m.packedWeightBytes : afterTables);
      // A memory limit with no room for the tables: none are made, and nothing else changes.
      const modelBytes = withTables.memory.heapBase + withTables.memory.constBytes + withTables.memory.arenaBytes;
      const without = Runtime.create(blob, { variant, maxMemoryBytes: modelBytes });
      expect(without.memory.tableBytes).toBe(0);
      for (const c of goldenCases(name)) {
        expect(Buffer.compare(Buffer.concat(withTables.invoke(c.input)), Buffer.from(c.output)), c.name).toBe(0);
        expect(Buffer.compare(Buffer.concat(without.invoke(c.input)), Buffer.from(c.output)), c.name).toBe(0);
      }
    });
  }

  it('long ADDs through the runtime equal add_s8 run directly, on random data and odd lengths', () => {
    const r = new SeededRandom(5);
    for (const n of [ADD_TABLE_MIN_ELEMENTS - 1, ADD_TABLE_MIN_ELEMENTS, ADD_TABLE_MIN_ELEMENTS + 3, 10_007]) {
      const q: [Q, Q, Q] = [
        { scale: r.uniform(0.005, 0.05), zeroPoint: r.int(-128, 127) },
        { scale: r.uniform(0.005, 0.05), zeroPoint: r.int(-128, 127) },
        { scale: r.uniform(0.01, 0.1), zeroPoint: r.int(-128, 127) },
      ];
      const { graph, a, b } = binaryGraph('ADD', [[n], [n], [n]], q, r.pick(['NONE', 'RELU'] as const));
      const x = r.int8s(n);
      const z = r.int8s(n);
      const direct = runBoth(graph, new Map([[a, bytesOf(x)], [b, bytesOf(z)]]));
      for (const variant of ['scalar', 'simd'] as const) {
        const rt = Runtime.create(writeBlob(compileGraph(graph)), { variant });
        expect(rt.memory.tableBytes, `n ${n}`).toBe(n >= ADD_TABLE_MIN_ELEMENTS ? ADD_TABLE_BYTES + 512 : 0);
        const got = new Int8Array(Buffer.concat(rt.invoke(Buffer.concat([bytesOf(x), bytesOf(z)]))));
        expect(Array.from(got), `${variant} n ${n}`).toEqual(Array.from(direct[variant]));
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { GraphBuilder } from '../graph-builder.ts';

function reshapeModel() {
  const g = new GraphBuilder('reshape-chain');
  const x = g.tensor([2, 8]);
  const y = g.tensor([16]);
  const z = g.tensor([4, 4]);
  return compileGraph(g.op('RESHAPE', [x], [y], {}).op('RESHAPE', [y], [z], {}).build([x], [z]));
}

describe('model blob', () => {
  it('round-trips and runs', () => {
    const blob = writeBlob(reshapeModel());
    const model = readBlob(blob);
    expect(model.name).toBe('reshape-chain');
    expect(model.inputs[0]).toMatchObject({ shape: [2, 8], dtype: 'int8', bytes: 16, scale: expect.closeTo(0.1, 6), zeroPoint: 0 });
    expect(model.steps.map((s) => s.kernel)).toEqual(['reshape_s8', 'reshape_s8']);
    const input = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
    expect(Runtime.create(blob).invoke(input)[0]).toEqual(input);
  });

  it('refuses a corrupt byte anywhere past the header with the CRC message', () => {
    const blob = writeBlob(reshapeModel());
    for (let at = 32; at < blob.length; at += 7) {
      const bad = blob.slice();
      bad[at] ^= 0x40;
      expect(() => readBlob(bad)).toThrow(/corrupt: CRC-32/);
    }
  });

  it('refuses another format version, a truncated file and a foreign file', () => {
    const blob = writeBlob(reshapeModel());
    const v2 = blob.slice();
    v2[4] = 2;
    expect(() => readBlob(v2)).toThrow(/format version 2, this runtime reads version 1/);
    expect(() => readBlob(blob.subarray(0, blob.length - 5))).toThrow(/truncated/);
    expect(() => readBlob(new Uint8Array(100))).toThrow(/not a tinyforge model blob/);
  });

  it('names expected and actual bytes when the input has the wrong size', () => {
    const rt = Runtime.create(writeBlob(reshapeModel()));
    expect(() => rt.invoke(new Uint8Array(15))).toThrow(/input is 15 bytes, the model expects 16 bytes/);
  });

  it('sizes memory to exactly the pages the model needs, and refuses a smaller limit', () => {
    const rt = Runtime.create(writeBlob(reshapeModel()));
    expect(rt.memory.pages).toBe(Math.ceil(rt.memory.totalBytes / 65536));
    expect(rt.memory.totalBytes).toBe(rt.memory.heapBase + rt.memory.constBytes + rt.memory.arenaBytes);
    expect(() => Runtime.create(writeBlob(reshapeModel()), { maxMemoryBytes: 8 })).toThrow(/model needs .* limit is 8 B/);
  });
});

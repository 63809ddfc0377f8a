// Corrupt files never crash the reader: every truncation at 1 KB steps and thousands of seeded
// random byte flips of each corpus model either load (into a graph whose invariants hold) or end
// in ModelFormatError. A flip that turns one builtin op into another the runtime lacks is a
// well-formed model with an unsupported op, so UnsupportedOpsError is a clean outcome too.
import { describe, expect, it } from 'vitest';
import { loadTfliteGraph } from '../../compiler/tflite/read-tflite.ts';
import { readTflite } from '../../compiler/tflite/read-tflite.ts';
import { ModelFormatError } from '../../compiler/tflite/model-format-error.ts';
import { UnsupportedOpsError } from '../../compiler/ir/unsupported-ops.ts';
import { graphMacs } from '../../compiler/ir/macs.ts';
import { tensorBytes, type Graph } from '../../formats/ir/graph.ts';
import { corpusModelNames, readModel } from '../conformance-corpus.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';

const FLIPS_PER_MODEL = 500;

type Outcome = 'loaded' | 'ModelFormatError' | 'UnsupportedOpsError';

/** What the rest of tinyforge relies on in a graph that loaded. */
function checkInvariants(graph: Graph): void {
  const n = graph.tensors.length;
  for (const t of graph.tensors) {
    for (const d of t.shape) if (!(Number.isInteger(d) && d >= 0)) throw new Error(`tensor ${t.id}: bad dim ${d}`);
    if (t.data && t.data.length !== tensorBytes(t)) throw new Error(`tensor ${t.id}: ${t.data.length} data bytes`);
  }
  for (const op of graph.ops) {
    for (const id of [...op.inputs, ...op.outputs]) if (id < -1 || id >= n) throw new Error(`op ${op.index}: tensor ${id}`);
  }
  if (!Number.isFinite(graphMacs(graph))) throw new Error('MACs not finite');
}

function tryLoad(bytes: Uint8Array, name: string): Outcome {
  try {
    checkInvariants(loadTfliteGraph(bytes, name));
    return 'loaded';
  } catch (e) {
    if (e instanceof ModelFormatError) return 'ModelFormatError';
    if (e instanceof UnsupportedOpsError) return 'UnsupportedOpsError';
    throw new Error(`${name}: corrupt file escaped as ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
  }
}

/** Byte ranges holding constant data: flips there are harmless, so half the flips avoid them. */
function structuralPositions(bytes: Uint8Array, name: string): number[] {
  const inData = new Uint8Array(bytes.length);
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  for (const b of readTflite(bytes, name).buffers) {
    if (b.data.length < 16) continue;
    const at = file.indexOf(b.data);
    if (at >= 0) inData.fill(1, at, at + b.data.length);
  }
  const out: number[] = [];
  inData.forEach((v, i) => { if (!v) out.push(i); });
  return out;
}

describe('corrupt models', () => {
  for (const name of corpusModelNames()) {
    it(`${name}: every 1 KB truncation fails cleanly`, () => {
      const bytes = readModel(name);
      for (let len = 0; len < bytes.length; len += 1024) {
        const outcome = tryLoad(bytes.slice(0, len), name);
        // The root table sits at the front, the data it points to reaches to the end: no prefix is a model.
        expect(outcome, `truncated to ${len} bytes`).toBe('ModelFormatError');
      }
    });

    it(`${name}: ${FLIPS_PER_MODEL} seeded random byte flips load or fail cleanly`, () => {
      const original = readModel(name);
      const structural = structuralPositions(original, name);
      const random = new SeededRandom([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
      const pick = (n: number) => Math.floor(random.next() * n);
      const outcomes: Record<Outcome, number> = { loaded: 0, ModelFormatError: 0, UnsupportedOpsError: 0 };
      for (let trial = 0; trial < FLIPS_PER_MODEL; trial++) {
        const bytes = original.slice();
        const flips = 1 + pick(3);
        for (let k = 0; k < flips; k++) {
          const pos = trial % 2 === 0 ? structural[pick(structural.length)]! : pick(bytes.length);
          bytes[pos] ^= 1 + pick(255);
        }
        outcomes[tryLoad(bytes, name)]++;
      }
      // Both outcomes occur, so the flips reach the structure and not only the weights.
      expect(outcomes.loaded).toBeGreaterThan(0);
      expect(outcomes.ModelFormatError).toBeGreaterThan(0);
    });
  }
});

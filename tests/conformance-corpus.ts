// Locates the shared TFLite Micro conformance corpus and reads its cases.
// A fresh clone outside this project has no corpus: suites that need it skip with a visible notice.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function corpusDir(): string | undefined {
  const candidates = [process.env.TINYFORGE_CONFORMANCE, join(repoRoot, '..', 'shared', 'conformance')];
  return candidates.find((d): d is string => !!d && existsSync(join(d, 'models')));
}

let noticeShown = false;
/** `describe` when the corpus exists, `describe.skip` with a notice otherwise. */
export const describeCorpus: typeof describe = (() => {
  if (corpusDir()) return describe;
  if (!noticeShown) {
    noticeShown = true;
    console.warn('NOTICE: conformance corpus not found (../shared/conformance or $TINYFORGE_CONFORMANCE): corpus tests skipped');
  }
  return describe.skip;
})() as typeof describe;

export interface TensorInfo {
  type: string;
  shape: number[];
  bytes: number;
  scale?: number;
  zeroPoint?: number;
}

export interface CaseMeta {
  name: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  tflmArenaUsedBytes: number | null;
  ops: { index: number; op: string; inputs: number[]; outputs: number[]; macs?: number }[];
  totalMacs: number;
  model: string;
  cases: string[];
  note?: string;
}

export function corpusModelNames(): string[] {
  const dir = corpusDir();
  if (!dir) return [];
  return readdirSync(join(dir, 'cases')).sort();
}

export function readMeta(name: string): CaseMeta {
  const dir = corpusDir()!;
  return { name, ...JSON.parse(readFileSync(join(dir, 'cases', name, 'meta.json'), 'utf8')) };
}

export function readModel(name: string): Uint8Array {
  const meta = readMeta(name);
  return new Uint8Array(readFileSync(join(corpusDir()!, meta.model)));
}

export interface GoldenCase {
  model: string;
  name: string;
  input: Uint8Array;
  output: Uint8Array;
  /** Every tensor of subgraph 0 after one invocation, by tensor index. */
  tensor(index: number): Uint8Array;
}

export function goldenCases(model: string): GoldenCase[] {
  const dir = corpusDir()!;
  return readMeta(model).cases.map((rel) => {
    const caseDir = join(dir, rel);
    return {
      model,
      name: rel.split('/').pop()!,
      input: new Uint8Array(readFileSync(join(caseDir, 'input.bin'))),
      output: new Uint8Array(readFileSync(join(caseDir, 'output.bin'))),
      tensor: (index: number) =>
        new Uint8Array(readFileSync(join(caseDir, 'tensors', `t${String(index).padStart(4, '0')}.bin`))),
    };
  });
}

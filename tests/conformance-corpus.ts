// Locates the conformance corpus (tests/corpus/, or $TINYFORGE_CONFORMANCE) and reads its cases.
// The corpus ships inside the repository, so every suite that uses it runs on a bare clone.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The corpus folder: `$TINYFORGE_CONFORMANCE` when set, else the copy in `tests/corpus/`. */
export function corpusDir(): string {
  const dir = process.env.TINYFORGE_CONFORMANCE || join(repoRoot, 'tests', 'corpus');
  if (!existsSync(join(dir, 'models'))) {
    throw new Error(`conformance corpus not found: ${dir} has no models/ folder (unset TINYFORGE_CONFORMANCE to use tests/corpus/)`);
  }
  return dir;
}

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

// Builds the C twin's host harness with the host gcc and runs it on int16 samples.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureQuantization } from '../../frontend/fixed-point-format.ts';
import { repoRoot } from './test-clips.ts';

export function buildCFrontend(): string {
  const dir = join(repoRoot, 'frontend', 'c');
  const exe = join(mkdtempSync(join(tmpdir(), 'kws-c-')), 'kws_features');
  execFileSync('gcc', ['-std=c99', '-O2', '-Wall', '-Wextra', '-pedantic', '-Werror', '-o', exe, join(dir, 'kws_frontend.c'), join(dir, 'kws_features_main.c')]);
  return exe;
}

export function runCFrontend(exe: string, samples: Int16Array, q: FeatureQuantization): Int8Array {
  const out = execFileSync(exe, [String(q.multiplier), String(q.shift), String(q.zeroPoint)], {
    input: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
  });
  return new Int8Array(out.buffer, out.byteOffset, out.byteLength).slice();
}

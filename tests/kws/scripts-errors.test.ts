// The example's scripts fail with one clear line and a non-zero exit on bad input.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../examples/kws/data/dataset.ts';
import { repoRoot } from './test-clips.ts';

const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const run = (script: string, args: string[]) => spawnSync(tsx, [join(repoRoot, 'examples', 'kws', script), ...args], { encoding: 'utf8' });

describe('kws scripts on bad input', () => {
  it('generate.ts rejects a non-integer seed', () => {
    const r = run('data/generate.ts', ['--seed', 'abc']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('generate: --seed, --per-voice and --extra-test-per-voice must be integers (per-voice ≥ 1, extra ≥ 0), got abc, 4, 12');
  });

  it('pick-samples.ts names the missing data set and how to make it', () => {
    const r = run('data/pick-samples.ts', ['--data', '/nonexistent/kws']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pick-samples: no data set at \/nonexistent\/kws .*run `npx tsx examples\/kws\/data\/generate.ts` first\n$/);
    expect(() => readManifest('/nonexistent/kws')).toThrow(/missing or unreadable/);
  });
});

// The int8 keyword model against the float one on the synthetic test split (2,304 clips of unseen voices).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateKws, formatEvaluation } from '../../examples/kws/evaluate.ts';
import { repoRoot } from './test-clips.ts';

describe('int8 vs float keyword model (test split)', () => {
  it('stays within one point of the float model\'s accuracy, and the float graph reproduces the trained model', async () => {
    const e = await evaluateKws();
    const metrics = JSON.parse(readFileSync(join(repoRoot, 'examples/kws/model/metrics.json'), 'utf8'));
    expect(e.samples).toBe(metrics.testClips);
    expect(e.float.accuracy).toBeCloseTo(metrics.testAccuracy, 6);
    expect(e.float.confusion).toEqual(metrics.testConfusion);
    // The target: int8 within one point of float (the committed model: float 93.6%, int8 93.1%). Both models are
    // deterministic, so this is a count of clips, not a noisy measurement.
    expect(e.int8.accuracy).toBeGreaterThanOrEqual(e.float.accuracy - 0.01);
    expect(e.int8.accuracy).toBeGreaterThanOrEqual(0.92);
    expect(e.int8.confusion.flat().reduce((a, b) => a + b, 0)).toBe(e.samples);
    expect(formatEvaluation(e)).toMatch(/^float accuracy \d+\.\d%, int8 accuracy \d+\.\d%/m);
  }, 120_000);
});

// The real MLPerf Tiny int8 KWS model, run by tinyforge's runtime on our fixed-point features, recognizes our
// synthetic speech: the features are the ones it was trained on.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, beforeAll, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { createFixedFrontend } from '../../frontend/fixed-frontend-wasm.ts';
import { LABELS } from '../../examples/kws/data/labels.ts';
import { readModel } from '../conformance-corpus.ts';
import { repoRoot, sampleClips } from './test-clips.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';

describe('MLPerf Tiny KWS model on tinyforge features', () => {
  beforeAll(() => {
    execFileSync('node', [join(repoRoot, 'frontend', 'build.mjs')]);
  });

  it('classifies most sample clips correctly (chance is 1 in 12)', () => {
    const runtime = Runtime.create(writeBlob(compileTflite(readModel('kws_ref_model'))));
    const frontend = createFixedFrontend();
    const clips = sampleClips();
    let correct = 0;
    for (const c of clips) {
      const features = frontend.features(c.samples);
      const scores = new Int8Array(runtime.invoke(new Uint8Array(features.buffer))[0].buffer);
      let best = 0;
      for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
      if (LABELS[best] === c.label) correct++;
    }
    expect(clips.length).toBe(20);
    // Measured: 62.5% of the 576-clip test split; the calibration set's features reach 68.6%.
    expect(correct / clips.length).toBeGreaterThanOrEqual(0.5);
  });
});

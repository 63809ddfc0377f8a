// The fixed-point twins: AssemblyScript (simulator) and C (firmware) give identical int8 features, within one
// quantization step of the float front end.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFixedFrontend, type FixedFrontend } from '../../frontend/fixed-frontend-wasm.ts';
import { featureQuantization } from '../../frontend/fixed-point-format.ts';
import { assemblyScriptTables, AS_TABLES_PATH, cTables, C_TABLES_PATH } from '../../frontend/generate-tables.ts';
import { mfccFloat } from '../../frontend/mfcc-float.ts';
import { MLPERF_INPUT_SCALE, MLPERF_INPUT_ZERO_POINT } from '../../frontend/mfcc-config.ts';
import { quantizeFeatures } from '../../frontend/quantize-features.ts';
import { buildCFrontend, runCFrontend } from './c-frontend.ts';
import { repoRoot, sampleClips, syntheticClips } from './test-clips.ts';

const mlperf = featureQuantization(MLPERF_INPUT_SCALE, MLPERF_INPUT_ZERO_POINT);
const clips = [...syntheticClips(), ...sampleClips()];
let wasm: FixedFrontend;

beforeAll(() => {
  execFileSync('node', [join(repoRoot, 'frontend', 'build.mjs')]);
  wasm = createFixedFrontend(mlperf);
});

describe('fixed-point front end tables', () => {
  it('are the ones generate-tables.ts derives from the float definitions', () => {
    expect(readFileSync(AS_TABLES_PATH, 'utf8')).toBe(assemblyScriptTables());
    expect(readFileSync(C_TABLES_PATH, 'utf8')).toBe(cTables());
  });

  it('take the input quantization as an integer multiplier and shift', () => {
    expect(mlperf).toEqual({ multiplier: 1836388715, shift: 30, zeroPoint: 83 });
    expect(mlperf.multiplier * 2 ** -mlperf.shift).toBeCloseTo(1 / MLPERF_INPUT_SCALE, 8);
    expect(() => featureQuantization(0, 0)).toThrow(/positive finite/);
    expect(() => featureQuantization(0.5, 200)).toThrow(/int8/);
  });
});

describe('fixed-point front end (AssemblyScript twin) vs float front end', () => {
  it('stays within one int8 step of the quantized float features, and mostly equal', () => {
    let total = 0, equal = 0;
    for (const c of clips) {
      const fixed = wasm.features(c.samples);
      const float = quantizeFeatures(mfccFloat(c.samples), MLPERF_INPUT_SCALE, MLPERF_INPUT_ZERO_POINT);
      for (let i = 0; i < fixed.length; i++) {
        expect(Math.abs(fixed[i] - float[i]), `${c.name} feature ${i}`).toBeLessThanOrEqual(1);
        total++;
        if (fixed[i] === float[i]) equal++;
      }
    }
    // Measured on the 4,608-clip data set: 51 of 2,257,920 features differ by one step, none by more.
    expect(equal / total).toBeGreaterThan(0.999);
  });

  it('gives digital silence the bottom of the MLPerf input range', () => {
    const f = wasm.features(new Int16Array(16000));
    // c0 = −123.57 / 0.5847 + 83 = −128.3 → clamped to −128; the other coefficients are the zero point.
    expect(f[0]).toBe(-128);
    expect(Array.from(f.subarray(1, 10))).toEqual(new Array(9).fill(83));
  });

  it('refuses more than one second', () => {
    expect(() => wasm.features(new Int16Array(16001))).toThrow(/one second \(16000 samples\), got 16001/);
  });
});

describe('fixed-point front end: C twin (host gcc) vs AssemblyScript twin', () => {
  it('gives identical int8 features on every clip, for two input quantizations', () => {
    const exe = buildCFrontend();
    const other = featureQuantization(0.25, -10);
    const wasmOther = createFixedFrontend(other);
    for (const c of clips) {
      expect(Array.from(runCFrontend(exe, c.samples, mlperf)), c.name).toEqual(Array.from(wasm.features(c.samples)));
      expect(Array.from(runCFrontend(exe, c.samples, other)), c.name).toEqual(Array.from(wasmOther.features(c.samples)));
    }
    expect(sampleClips().length).toBeGreaterThanOrEqual(20);
  });
});

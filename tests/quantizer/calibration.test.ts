// Calibration inputs (a .npy batch, a folder of .npy/.bin samples), the split into calibration and
// held-back samples, and the range estimators.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../compiler/input-data/npy.ts';
import { loadCalibrationData, splitCalibration, spreadSamples } from '../../compiler/calibrate/calibration-data.ts';
import { createCollector } from '../../compiler/calibrate/range-estimators.ts';

describe('calibration data', () => {
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tinyforge-calib-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const f32npy = (shape: number[], values: number[]) =>
    writeNpy({ dtype: 'float32', shape, data: new Uint8Array(Float32Array.from(values).buffer) });

  it('reads a .npy whose first axis is the sample', () => {
    writeFileSync(join(dir, 'x.npy'), f32npy([3, 2, 2], Array.from({ length: 12 }, (_, i) => i)));
    const d = loadCalibrationData(join(dir, 'x.npy'), [1, 2, 2]);
    expect([d.samples, d.sampleSize]).toEqual([3, 4]);
    expect(Array.from(d.values.subarray(8))).toEqual([8, 9, 10, 11]);
  });

  it('reads a folder of .npy and raw float32 .bin samples in name order', () => {
    const folder = join(dir, 'samples');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.npy'), f32npy([2], [1, 2]));
    writeFileSync(join(folder, 'b.bin'), new Uint8Array(Float32Array.from([3, 4, 5, 6]).buffer));
    writeFileSync(join(folder, 'notes.txt'), 'ignored');
    const d = loadCalibrationData(folder, [1, 2]);
    expect(d.samples).toBe(3);
    expect(Array.from(d.values)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names the problem with data that does not fit', () => {
    writeFileSync(join(dir, 'odd.bin'), new Uint8Array(10));
    expect(() => loadCalibrationData(join(dir, 'odd.bin'), [1, 2])).toThrow(/10 bytes is not a whole number of float32 values/);
    writeFileSync(join(dir, 'i8.npy'), writeNpy({ dtype: 'int8', shape: [4], data: new Uint8Array(4) }));
    expect(() => loadCalibrationData(join(dir, 'i8.npy'), [1, 2])).toThrow(/element type int8; calibration data must be float32 or float64/);
    // The right number of values in the wrong layout would calibrate on garbage: the shape is checked.
    writeFileSync(join(dir, 't.npy'), f32npy([2, 3, 2], Array.from({ length: 12 }, (_, i) => i)));
    expect(() => loadCalibrationData(join(dir, 't.npy'), [1, 2, 3])).toThrow(/shape \[2, 3, 2\] is not samples of the model's input \[2, 3\]/);
    writeFileSync(join(dir, 'flat.npy'), f32npy([12], Array.from({ length: 12 }, (_, i) => i)));
    expect(() => loadCalibrationData(join(dir, 'flat.npy'), [1, 2, 3])).toThrow(/shape \[12\] is not samples/);
    // Axes of length 1 carry no layout; a scalar input takes a flat list.
    writeFileSync(join(dir, 's.npy'), f32npy([2, 1, 2, 3], Array.from({ length: 12 }, (_, i) => i)));
    expect(loadCalibrationData(join(dir, 's.npy'), [1, 2, 3, 1]).samples).toBe(2);
    expect(loadCalibrationData(join(dir, 'flat.npy'), [1, 1]).samples).toBe(12);
    writeFileSync(join(dir, 'nan.npy'), f32npy([2], [1, NaN]));
    expect(() => loadCalibrationData(join(dir, 'nan.npy'), [1, 2])).toThrow(/value 1 is NaN; calibration data must be finite/);
  });

  it('holds back an evenly spread fraction and spreads a sample limit', () => {
    const d = { values: Float32Array.from({ length: 10 }, (_, i) => i), samples: 10, sampleSize: 1, source: 't' };
    const { calibration, evaluation } = splitCalibration(d, 0.2);
    expect(Array.from(evaluation.values)).toEqual([4, 9]);
    expect(Array.from(calibration.values)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    expect(Array.from(spreadSamples(calibration, 4).values)).toEqual([0, 2, 5, 7]);
    expect(splitCalibration(d, 0).evaluation.samples).toBe(0);
  });
});

describe('range estimators', () => {
  // two samples of four values each; the second has one outlier
  const values = Float32Array.from([0, 1, 2, 3, -1, 0, 1, 40]);

  it('minmax takes the extremes', () => {
    const c = createCollector('minmax');
    c.observe(values, 2);
    expect(c.range()).toEqual({ min: -1, max: 40 });
  });

  it('moving-average averages per-sample extremes', () => {
    const c = createCollector('moving-average', { momentum: 0.5 });
    c.observe(values, 2);
    expect(c.range()).toEqual({ min: -0.5, max: 21.5 });
  });

  it('percentile clips rare outliers', () => {
    const c = createCollector('percentile', { percentile: 99 });
    const many = Float32Array.from({ length: 1000 }, (_, i) => (i === 500 ? 1000 : (i % 100) / 10));
    c.observe(many, 10);
    expect(c.range().max).toBeCloseTo(9.9, 5);
    expect(c.range().min).toBeCloseTo(0.1, 5); // the 1st percentile: ten 0s, then 0.1s
  });
});

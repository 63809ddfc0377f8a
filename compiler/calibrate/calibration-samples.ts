// Representative inputs for calibration, from files' bytes: a .npy whose first axis is the sample, or .npy / raw
// little-endian float32 .bin files with one sample (or a batch) each. Reads no file: calibration-data.ts does on
// Node, the playground hands over the files a user dropped.
import { readNpy, type NpyArray } from '../input-data/npy.ts';

export interface CalibrationData {
  /** Samples back to back, each `sampleSize` floats. */
  values: Float32Array;
  samples: number;
  sampleSize: number;
  source: string;
}

export class CalibrationDataError extends Error {
  override name = 'CalibrationDataError';
}

/** Calibration inputs for a model input of `inputShape` (batch dimension first), from files in order; `source`
 *  names them in the result. */
export function calibrationFromFiles(files: readonly { name: string; bytes: Uint8Array }[], inputShape: readonly number[], source: string): CalibrationData {
  const sampleSize = inputShape.slice(1).reduce((a, b) => a * b, 1);
  const shapeText = `[${inputShape.slice(1).join(', ')}]`;
  const chunks = files.map((f) => readSamples(f.name, f.bytes, inputShape, sampleSize, shapeText));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const values = new Float32Array(total);
  let at = 0;
  for (const c of chunks) { values.set(c, at); at += c.length; }
  return { values, samples: total / sampleSize, sampleSize, source };
}

/** Axes of length 1 carry no layout: [N, 49, 10] holds samples of a [1, 49, 10, 1] input, [N, 10, 49] does not. */
const withoutSingletons = (shape: readonly number[]) => shape.filter((d) => d !== 1);

function readSamples(file: string, bytes: Uint8Array, inputShape: readonly number[], sampleSize: number, shapeText: string): Float32Array {
  let floats: Float32Array;
  if (file.toLowerCase().endsWith('.npy')) {
    const array = readNpy(bytes, file);
    floats = npyFloats(array, file);
    // A .npy says its shape: [samples, ...input] or one sample alone. Samples laid out otherwise than the input
    // (transposed, flattened, another model's) would calibrate on wrong values without any error.
    const want = withoutSingletons(inputShape.slice(1)).join();
    if (withoutSingletons(array.shape.slice(1)).join() !== want && withoutSingletons(array.shape).join() !== want) {
      throw new CalibrationDataError(`${file}: shape [${array.shape.join(', ')}] is not samples of the model's input ${shapeText} (first axis = sample; axes of length 1 may differ): reshape the data, or give the data made for this model`);
    }
  } else {
    if (bytes.length % 4 !== 0) {
      throw new CalibrationDataError(`${file}: ${bytes.length} bytes is not a whole number of float32 values (raw .bin files hold little-endian float32)`);
    }
    floats = new Float32Array(bytes.slice().buffer);
  }
  if (floats.length === 0 || floats.length % sampleSize !== 0) {
    throw new CalibrationDataError(`${file}: ${floats.length} values are not a whole number of samples of the model's input shape ${shapeText} (${sampleSize} values each)`);
  }
  for (let i = 0; i < floats.length; i++) {
    if (!Number.isFinite(floats[i]!)) throw new CalibrationDataError(`${file}: value ${i} is ${floats[i]}; calibration data must be finite`);
  }
  return floats;
}

function npyFloats(a: NpyArray, file: string): Float32Array {
  const d = a.data;
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const n = a.shape.reduce((x, y) => x * y, 1);
  switch (a.dtype) {
    case 'float32': return Float32Array.from({ length: n }, (_, i) => dv.getFloat32(i * 4, true));
    case 'float64': return Float32Array.from({ length: n }, (_, i) => dv.getFloat64(i * 8, true));
    default:
      throw new CalibrationDataError(`${file}: element type ${a.dtype}; calibration data must be float32 or float64 (the float model's input values)`);
  }
}

/**
 * Holds back an evenly spread `fraction` of the samples for evaluation (sample i when
 * ⌊(i+1)·f⌋ > ⌊i·f⌋), so a data set sorted by class is represented in both parts; at least one
 * sample stays for calibration.
 */
export function splitCalibration(data: CalibrationData, fraction: number): { calibration: CalibrationData; evaluation: CalibrationData } {
  if (!(fraction >= 0 && fraction < 1)) throw new CalibrationDataError(`--eval-split ${fraction} must be at least 0 and below 1`);
  const held: number[] = [];
  const kept: number[] = [];
  for (let i = 0; i < data.samples; i++) (Math.floor((i + 1) * fraction) > Math.floor(i * fraction) ? held : kept).push(i);
  if (kept.length === 0) kept.push(held.shift()!);
  return { calibration: pickSamples(data, kept), evaluation: pickSamples(data, held) };
}

/** `count` samples spread evenly over the data (all of them when count ≥ samples). */
export function spreadSamples(data: CalibrationData, count: number): CalibrationData {
  if (count >= data.samples) return data;
  if (!(count >= 1)) throw new CalibrationDataError(`--calibration-samples ${count} must be at least 1`);
  return pickSamples(data, Array.from({ length: count }, (_, k) => Math.floor((k * data.samples) / count)));
}

function pickSamples(data: CalibrationData, indices: number[]): CalibrationData {
  const values = new Float32Array(indices.length * data.sampleSize);
  indices.forEach((s, k) => values.set(data.values.subarray(s * data.sampleSize, (s + 1) * data.sampleSize), k * data.sampleSize));
  return { values, samples: indices.length, sampleSize: data.sampleSize, source: data.source };
}

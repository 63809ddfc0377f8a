// Representative inputs for calibration from disk: a .npy whose first axis is the sample, or a folder of
// .npy / raw little-endian float32 .bin files with one sample (or a batch) each (calibration-samples.ts reads them).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { calibrationFromFiles, CalibrationDataError, type CalibrationData } from './calibration-samples.ts';

export { calibrationFromFiles, CalibrationDataError, splitCalibration, spreadSamples, type CalibrationData } from './calibration-samples.ts';

/** Reads calibration inputs for a model input of `inputShape` (batch dimension first). */
export function loadCalibrationData(path: string, inputShape: readonly number[]): CalibrationData {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new CalibrationDataError(`calibration data ${path} does not exist; give a .npy file (first axis = sample) or a folder of .npy/.bin files`);
  }
  let files: string[] = [path];
  if (stat.isDirectory()) {
    files = readdirSync(path).filter((f) => ['.npy', '.bin'].includes(extname(f).toLowerCase())).sort().map((f) => join(path, f));
    if (files.length === 0) throw new CalibrationDataError(`calibration folder ${path} holds no .npy or .bin files`);
  }
  return calibrationFromFiles(files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(f)) })), inputShape, path);
}

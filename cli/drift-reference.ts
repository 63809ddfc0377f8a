// The statistics a device's (or the simulator's) are compared with, for `monitor` and `simulate --stream --drift`:
// `--stats file.json`, `--calibration data.npy` (computed here as compile computes it), or the input-stats.json that
// `tinyforge compile` wrote beside the model.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCalibrationData } from '../compiler/calibrate/calibration-data.ts';
import type { InputStatsRecord } from '../formats/input-stats/input-stats-record.ts';
import type { BlobModel } from '../runtime-as/host/read-blob.ts';
import { referenceStats, statsFromJson } from '../simulator/drift/reference-stats.ts';
import { CliError, EXIT } from './cli-error.ts';

export interface ReferenceOptions {
  calibration?: string | undefined;
  stats?: string | undefined;
}

export function driftReference(verb: string, opts: ReferenceOptions, model: { path: string; blob: BlobModel } | undefined): InputStatsRecord & { source: string } {
  if (opts.calibration !== undefined && opts.stats !== undefined) throw new CliError(`tinyforge ${verb}: give --calibration or --stats, not both`, EXIT.usage);
  if (opts.stats !== undefined) {
    if (!existsSync(opts.stats)) throw new CliError(`tinyforge ${verb}: --stats ${opts.stats}: no such file`, EXIT.badInput);
    return statsFromJson(readFileSync(opts.stats, 'utf8'), opts.stats);
  }
  if (opts.calibration !== undefined) {
    if (!model) throw new CliError(`tinyforge ${verb}: --calibration needs the model (its input's scale and zero point quantize the data); or give --stats input-stats.json`, EXIT.usage);
    const input = model.blob.inputs[0]!;
    const data = loadCalibrationData(opts.calibration, input.shape);
    return { ...referenceStats(model.blob, data.values, data.samples), source: opts.calibration };
  }
  if (model) {
    const dir = statSync(model.path).isDirectory() ? model.path : dirname(model.path);
    const file = join(dir, 'input-stats.json');
    if (existsSync(file)) return statsFromJson(readFileSync(file, 'utf8'), file);
  }
  throw new CliError(`tinyforge ${verb}: no reference statistics: give --stats input-stats.json (written by 'tinyforge compile' beside the model), --calibration data.npy, or a compiled folder that holds input-stats.json`, EXIT.usage);
}

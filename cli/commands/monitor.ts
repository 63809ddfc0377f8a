// tinyforge monitor [model] --board B [--port P] [--calibration data.npy | --stats input-stats.json] [--feed F] [--reset] [--json]:
// reads the firmware's input statistics (STATS) and says whether the device's inputs drifted from the calibration data.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { loadModelFile, type LoadedModel } from '../../api/load-model.ts';
import { decodeStatsRecord } from '../../formats/input-stats/input-stats-record.ts';
import { createFixedFrontend } from '../../frontend/fixed-frontend-wasm.ts';
import { featureQuantization } from '../../frontend/fixed-point-format.ts';
import { CLIP_SAMPLES, FEATURE_COUNT, SAMPLE_RATE } from '../../frontend/mfcc-config.ts';
import { readWav } from '../../frontend/wav.ts';
import { compareStats, formatDrift } from '../../simulator/drift/drift-verdict.ts';
import { statsRecordJson } from '../../simulator/drift/stats-json.ts';
import { readLabels } from '../../simulator/stream/labels-file.ts';
import { DEFAULT_STRIDE_MS, windowStarts } from '../../simulator/stream/stream-detect.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { deviceBoard, openDeviceFor } from '../device-option.ts';
import { driftReference } from '../drift-reference.ts';
import { loadCompiled } from '../firmware-model.ts';
import { readInputFile } from '../input-file.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `usage: tinyforge monitor [<compiled dir|model.tflite>] (--board <id> | --board-file F) [--port <path>] [--baud N]
                        [--calibration data.npy | --stats input-stats.json] [--feed inputs.npy|inputs.bin|recording.wav] [--reset] [--json]
  Reads the input statistics the firmware keeps (per input channel: count, mean, variance, a 16-bin histogram of
  the int8 values; the top-1 class of a classifier) with the STATS frame and compares them with the calibration
  data's: population stability index per channel over the same 16 bins, mean shift and variance ratio, and a verdict
  (stable: PSI ≤ 0.1; watch: 0.1–0.25; drifting: PSI > 0.25) naming the channels that moved most.
  Reference: --stats FILE, --calibration data.npy (with the model), or input-stats.json in the compiled folder
  (written by 'tinyforge compile').
  --board B   without --port: qemu-mps2-an386 or qemu-riscv32 — the model's firmware is built and booted in QEMU
  --port P    a board on this serial port running tinyforge firmware
  --feed F    first send these inputs through INVOKE: a .npy (first axis = sample; float quantized as the model's
              input), raw bytes (whole inputs back to back), or for a keyword model a 16 kHz WAV whose one-second
              windows every ${DEFAULT_STRIDE_MS} ms go through the fixed-point front end (as simulate --stream)
  --reset     clear the device's statistics after reading them
  exit: 0 stable or watch, ${EXIT.drift} drifting, 1 when the device cannot be reached`;

const Options = z.object({
  positionals: z.array(z.string()),
  board: z.string().optional(),
  'board-file': z.string().optional(),
  port: z.string().optional(),
  baud: z.coerce.number().int().min(300).max(16_000_000).optional(),
  calibration: z.string().optional(),
  stats: z.string().optional(),
  feed: z.string().optional(),
  reset: z.boolean().default(false),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});

/** The inputs of --feed, one Uint8Array per inference. */
function feedInputs(path: string, model: LoadedModel): Uint8Array[] {
  if (!existsSync(path)) throw new CliError(`--feed ${path}: no such file`, EXIT.badInput);
  const input = model.blob.inputs[0]!;
  const size = model.blob.inputs.reduce((n, t) => n + t.bytes, 0);
  if (path.toLowerCase().endsWith('.wav')) {
    if (model.blob.inputs.length !== 1 || input.bytes !== FEATURE_COUNT || input.dtype !== 'int8' || input.scale === undefined) {
      throw new CliError(`--feed ${path}: a WAV feeds a keyword model (one int8 input of ${FEATURE_COUNT} MFCC features); this model takes ${size} B`, EXIT.usage);
    }
    const audio = readWav(new Uint8Array(readFileSync(path)), path);
    if (audio.sampleRate !== SAMPLE_RATE) throw new CliError(`--feed ${path}: sampled at ${audio.sampleRate} Hz; the keyword front end takes ${SAMPLE_RATE} Hz`, EXIT.badInput);
    const frontend = createFixedFrontend(featureQuantization(input.scale, input.zeroPoint ?? 0));
    const stride = Math.round((DEFAULT_STRIDE_MS * SAMPLE_RATE) / 1000);
    return windowStarts(audio.samples.length, stride).map((s) => {
      const f = frontend.features(audio.samples.subarray(s, s + CLIP_SAMPLES));
      return new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength));
    });
  }
  // A .npy may hold many samples (its first axis): read as run reads one, the size check is ours.
  const bytes = readInputFile(path, model.blob.inputs);
  if (bytes.length === 0 || bytes.length % size !== 0) throw new CliError(`--feed ${path}: ${bytes.length} B is not a whole number of ${size}-byte inputs`, EXIT.badInput);
  return Array.from({ length: bytes.length / size }, (_, i) => bytes.slice(i * size, (i + 1) * size));
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('monitor', args, {
    board: { type: 'string' }, 'board-file': { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' },
    calibration: { type: 'string' }, stats: { type: 'string' }, feed: { type: 'string' }, reset: { type: 'boolean' },
    json: { type: 'boolean' }, help: { type: 'boolean' },
  }, Options);
  if (opts.positionals.length > 1) throw new CliError(`expected at most one model path\n${HELP}`, EXIT.usage);
  const board = deviceBoard('monitor', opts);
  const modelPath = opts.positionals[0];
  const model = modelPath !== undefined ? loadModelFile(modelPath) : undefined;
  if (opts.feed !== undefined && !model) throw new CliError('--feed needs the model (to shape the inputs)', EXIT.usage);
  const reference = driftReference('monitor', opts, model);
  const compiled = modelPath !== undefined && opts.port === undefined ? loadCompiled(modelPath).compiled : undefined;
  const inputs = opts.feed !== undefined ? feedInputs(opts.feed, model!) : [];

  const device = await openDeviceFor('monitor', board, opts, compiled);
  let record;
  try {
    for (const x of inputs) await device.session.invoke(x);
    record = decodeStatsRecord(await device.session.stats(opts.reset));
  } finally {
    await device.close();
  }
  const verdict = compareStats(record, reference);
  const labels = model ? (() => { try { return readLabels(dirname(model.path), record.geometry.classes); } catch { return undefined; } })() : undefined;
  if (opts.json) {
    console.log(JSON.stringify({ board: board.id, device: device.where, model: device.info.modelName, fed: inputs.length, reference: reference.source, ...verdict, stats: statsRecordJson(record) }, null, 2));
  } else {
    console.log(`${device.where}, model '${device.info.modelName}'${inputs.length ? `: fed ${inputs.length} input(s) from ${opts.feed}` : ''}; reference: ${reference.source}`);
    console.log(formatDrift(verdict, labels));
  }
  return verdict.verdict === 'drifting' ? EXIT.drift : EXIT.ok;
}

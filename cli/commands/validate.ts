// tinyforge validate <model> --board B [--port P] [--vectors N] [--seed S] [--json]: the firmware on a device (or in
// QEMU) against the host's WASM runtime, byte for byte, with the device's cycles per inference.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { formatValidation, validateOnDevice, type ValidationCase } from '../../targets/device/validate-on-device.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { deviceBoard, openDeviceFor } from '../device-option.ts';
import { loadCompiled } from '../firmware-model.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `usage: tinyforge validate <model.tflite|compiled dir> (--board <id> | --board-file F) [--port <path>] [--baud N] [--vectors N] [--seed S] [--json]
  Sends N inputs to the device over the firmware's framed serial protocol, compares every output byte with the host
  runtime (WASM) and reports bit-exactness and the device's cycles (and time at the board's clock) per inference.
  Inputs: the model's conformance-corpus cases first (a model in a corpus's models/ folder, beside cases/NAME/ with
  TensorFlow Lite Micro's goldens, which are checked too), then random int8 drawn with --seed.
  --board B    without --port: qemu-mps2-an386 or qemu-riscv32 — the firmware is built from the model and run in QEMU
  --port P     a board on this serial port running tinyforge firmware ('tinyforge build' + 'tinyforge flash')
  --baud N     the port's baud rate (default 115200)
  --vectors N  how many inputs (default 10)
  --seed S     seed of the random inputs (default 1)
  exit: 0 bit-exact, ${EXIT.notBitExact} when any output byte differs, 1 when the device cannot be reached`;

const Options = z.object({
  positionals: z.array(z.string()),
  board: z.string().optional(),
  'board-file': z.string().optional(),
  port: z.string().optional(),
  baud: z.coerce.number().int().min(300).max(16_000_000).optional(),
  vectors: z.coerce.number().int().min(1).max(100_000).default(10),
  seed: z.coerce.number().int().min(0).max(0xffffffff).default(1),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});

/** A corpus model (`…/models/NAME.tflite` beside `…/cases/NAME/meta.json`): its cases' inputs and TFLM outputs. */
export function corpusCasesOf(modelPath: string): { name: string; input: Uint8Array; output: Uint8Array }[] {
  if (extname(modelPath) !== '.tflite' || basename(dirname(modelPath)) !== 'models') return [];
  const root = dirname(dirname(modelPath));
  const metaPath = join(root, 'cases', basename(modelPath, '.tflite'), 'meta.json');
  if (!existsSync(metaPath)) return [];
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { cases?: string[] };
  return (meta.cases ?? []).map((rel) => ({
    name: basename(rel),
    input: new Uint8Array(readFileSync(join(root, rel, 'input.bin'))),
    output: new Uint8Array(readFileSync(join(root, rel, 'output.bin'))),
  }));
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('validate', args, {
    board: { type: 'string' }, 'board-file': { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' },
    vectors: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
  }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`expected one model path\n${HELP}`, EXIT.usage);
  const board = deviceBoard('validate', opts);
  const { compiled } = loadCompiled(opts.positionals[0]!);
  const runtime = Runtime.create(writeBlob(compiled));
  const inputBytes = runtime.inputs.reduce((n, t) => n + t.bytes, 0);
  const host = (input: Uint8Array) => new Uint8Array(Buffer.concat(runtime.invoke(input)));

  const cases: ValidationCase[] = [];
  for (const c of corpusCasesOf(opts.positionals[0]!)) {
    if (cases.length >= opts.vectors || c.input.length !== inputBytes) break;
    cases.push({ name: c.name, input: c.input, expected: host(c.input), golden: c.output });
  }
  const rng = new SeededRandom(opts.seed);
  while (cases.length < opts.vectors) {
    const input = Uint8Array.from({ length: inputBytes }, () => rng.int(0, 255));
    cases.push({ name: `random ${cases.length}`, input, expected: host(input) });
  }

  const device = await openDeviceFor('validate', board, opts, compiled);
  let report;
  try {
    if (device.info.inputBytes !== inputBytes || device.info.outputBytes !== runtime.outputs.reduce((n, t) => n + t.bytes, 0)) {
      throw new CliError(`${device.where} runs model '${device.info.modelName}' (${device.info.inputBytes} B in, ${device.info.outputBytes} B out); ${basename(opts.positionals[0]!)} takes ${inputBytes} B in, ${runtime.outputs.reduce((n, t) => n + t.bytes, 0)} B out: flash the firmware built from this model`, EXIT.notBitExact);
    }
    const bar = process.stderr.isTTY && !opts.json
      ? new cliProgress.SingleBar({ stream: process.stderr, format: 'validate [{bar}] {value}/{total} inputs', hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
    bar?.start(cases.length, 0);
    try {
      report = await validateOnDevice(device.session, cases, { clockHz: board.clockHz, emulated: board.virtual === true, onCase: (d) => bar?.update(d) });
    } finally {
      bar?.stop();
    }
  } finally {
    await device.close();
  }
  if (opts.json) {
    console.log(JSON.stringify({ board: board.id, device: device.where, model: device.info.modelName, ...report }, null, 2));
  } else {
    console.log(formatValidation(report, device.where));
  }
  return report.bitExact ? EXIT.ok : EXIT.notBitExact;
}

// tinyforge simulate <model> --board <id>: does the model fit, how long does it take, what does it cost.
import { z } from 'zod';
import { loadModelFile } from '../../api/load-model.ts';
import { PROFILE_IDS } from '../../simulator/cost/cost-data.ts';
import { BatterySpecError, parseBattery } from '../../simulator/energy.ts';
import { formatSimulationText } from '../../simulator/format-report-text.ts';
import { htmlReport } from '../../simulator/report/html-report.ts';
import { simulate } from '../../simulator/simulate.ts';
import { simulationJson } from '../../simulator/simulation-json.ts';
import { loadAllBoards } from '../../targets/boards/load-board.ts';
import { resolveBoard } from '../board-option.ts';
import { readInputFile } from '../input-file.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';
import { writeFileAtomically } from '../write-file-atomically.ts';
import { streamCommand } from '../simulate-stream.ts';
import { STACK_OPTION_MAX, STACK_OPTION_MIN, StackOption } from '../stack-option.ts';

const HELP = `usage: tinyforge simulate <model.tflite|model.tfb|compiled dir> (--board <id> | --board-file <file.json>)
                          [--input file.bin] [--rate R | --stride-ms S] [--battery mAh[@V]]
                          [--kernels tinyforge|optimized|portable-c|tflm-reference] [--stack bytes] [--estimate-only] [--json] [--report report.html]
       tinyforge simulate <keyword model> --board <id> --stream <recording.wav> [--stride-ms 250] [--threshold 0.6]
                          [--average-ms 500] [--scores] [--drift [--stats input-stats.json | --calibration data.npy]] [--json]
  Checks that the model fits the board (SRAM: arena + runtime state + I/O buffers + stack; flash: weights +
  prepare parameters + runtime code), runs it in the WASM runtime sized to the board, and estimates cycles,
  time and energy per layer. Exit code 3 when it does not fit. 'tinyforge boards' lists the boards.
  --input F        raw input bytes (all inputs concatenated) or a .npy (as run takes it); default: every input element at its zero point
  --rate R         inferences per second for the duty-cycle and battery estimate (or --stride-ms, the period)
  --battery C[@V]  battery capacity in mAh, optionally its voltage (default: the board's supply voltage)
  --kernels K      kernel implementation to cost: tinyforge (its own firmware, measured; default), optimized
                   (CMSIS-NN / ESP-NN libraries), portable-c, tflm-reference
  --stack N        the stack the firmware reserves, as 'build --stack N' (and 'build --slots --stack N') links it:
                   counted for the plain firmware in place of the estimate and for the slot firmware in place of its
                   16 KiB (${STACK_OPTION_MIN} to ${STACK_OPTION_MAX} B); a stack that does not fit either is refused (exit 3)
  --estimate-only  skip running the model (budget and cost model only)
  --json           print the result as JSON
  --report F       write a self-contained HTML report (memory map over time, per-layer bars, budget gauges)
  --stream W       keyword spotting over a 16 kHz mono WAV of any length: the front end and the model slide over it
                   every --stride-ms (default 250), detections are printed with their time, and whether the board
                   keeps up in real time (--json: { detections: [{ timeMs, label, score }], perWindow: [{ timeMs, top,
                   score, scores }], realTime }); exit 3 when the model and front end do not fit. Labels come
                   from labels.txt beside the model (one per output). Class scores are averaged over the windows
                   starting within --average-ms (default 500; 0: none) so a window that cuts a word does not count
                   as a detection on its own; --threshold (default 0.6; 0 takes every keyword window) applies to the
                   average. --scores prints each window's top class and score and the next two
  --drift          with --stream: keep the firmware's input statistics over the windows (the TypeScript twin of
                   targets/firmware/common/input-stats.c) and compare them with the calibration data's (input-stats.json
                   beside the model, or --stats / --calibration): PSI per channel, verdict; exit ${EXIT.drift} when drifting`;

const positiveNumber = z.coerce.number().positive().finite();
const Options = z
  .object({
    positionals: z.array(z.string()),
    board: z.string().optional(),
    'board-file': z.string().optional(),
    input: z.string().optional(),
    rate: positiveNumber.optional(),
    'stride-ms': positiveNumber.optional(),
    battery: z.string().optional(),
    kernels: z.enum(PROFILE_IDS).default('tinyforge'),
    stack: StackOption.optional(),
    'estimate-only': z.boolean().default(false),
    json: z.boolean().default(false),
    report: z.string().optional(),
    stream: z.string().optional(),
    threshold: z.coerce.number().min(0).max(1).optional(),
    'average-ms': z.coerce.number().min(0).finite().optional(),
    scores: z.boolean().default(false),
    drift: z.boolean().default(false),
    stats: z.string().optional(),
    calibration: z.string().optional(),
  })
  .refine((o) => o.rate === undefined || o['stride-ms'] === undefined, { message: 'give --rate or --stride-ms, not both', path: ['rate'] })
  .refine((o) => o.battery === undefined || o.rate !== undefined || o['stride-ms'] !== undefined, {
    message: 'a battery estimate needs --rate <inferences/s> or --stride-ms <period>', path: ['battery'],
  });

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('simulate', args, {
    board: { type: 'string' }, 'board-file': { type: 'string' }, input: { type: 'string' }, rate: { type: 'string' },
    'stride-ms': { type: 'string' }, battery: { type: 'string' }, kernels: { type: 'string' }, stack: { type: 'string' },
    'estimate-only': { type: 'boolean' }, json: { type: 'boolean' }, report: { type: 'string' },
    stream: { type: 'string' }, threshold: { type: 'string' }, 'average-ms': { type: 'string' }, scores: { type: 'boolean' },
    drift: { type: 'boolean' }, stats: { type: 'string' }, calibration: { type: 'string' },
  }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`expected one model path\n${HELP}`, EXIT.usage);
  if (opts.stream !== undefined) {
    for (const o of ['input', 'rate', 'battery', 'report', 'estimate-only', 'stack'] as const) {
      if (opts[o] !== undefined && opts[o] !== false) throw new CliError(`--stream does not combine with --${o}`, EXIT.usage);
    }
  } else {
    for (const o of ['threshold', 'average-ms'] as const) {
      if (opts[o] !== undefined) throw new CliError(`--${o} applies to --stream only`, EXIT.usage);
    }
    if (opts.scores) throw new CliError('--scores applies to --stream only', EXIT.usage);
    if (opts.drift) throw new CliError('--drift applies to --stream only (a device: tinyforge monitor)', EXIT.usage);
  }
  if ((opts.stats !== undefined || opts.calibration !== undefined) && !opts.drift) throw new CliError('--stats and --calibration go with --drift', EXIT.usage);

  const board = resolveBoard('simulate', opts);
  const candidates = loadAllBoards();
  let battery;
  try {
    battery = opts.battery === undefined ? undefined : parseBattery(opts.battery);
  } catch (err) {
    if (err instanceof BatterySpecError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
  const rateHz = opts.rate ?? (opts['stride-ms'] !== undefined ? 1000 / opts['stride-ms'] : undefined);
  if (rateHz !== undefined && !board.power && !opts.json) {
    console.error(`note: ${board.id} has no power figures: no duty-cycle or battery estimate`);
  }

  const model = loadModelFile(opts.positionals[0]);
  if (opts.stream !== undefined) {
    return streamCommand(model, board, opts.stream, { strideMs: opts['stride-ms'], threshold: opts.threshold, averageMs: opts['average-ms'], scores: opts.scores, json: opts.json,
      ...(opts.drift ? { drift: { stats: opts.stats, calibration: opts.calibration } } : {}) });
  }
  let input: Uint8Array | undefined;
  if (opts.input) {
    input = readInputFile(opts.input, model.blob.inputs);
    const expected = model.blob.inputs.reduce((n, t) => n + t.bytes, 0);
    if (input.length !== expected) {
      const detail = model.blob.inputs.map((t) => `${t.name}: ${t.dtype} [${t.shape.join(',')}] = ${t.bytes} B`).join(', ');
      throw new CliError(`${opts.input} has ${input.length} bytes, the model expects ${expected} bytes (${detail})`, EXIT.badInput);
    }
  }

  const result = simulate(model.blob, model.compiled, {
    board, candidates, profile: opts.kernels, execute: !opts['estimate-only'], input, rateHz, battery, stackBytes: opts.stack,
  });
  if (opts.report) writeFileAtomically(opts.report, htmlReport(result));
  if (opts.json) console.log(JSON.stringify(simulationJson(result), null, 2));
  else console.log(formatSimulationText(result));
  if (!result.fits) {
    console.error(`tinyforge simulate: ${result.refusal}`);
    return EXIT.doesNotFit;
  }
  return EXIT.ok;
}

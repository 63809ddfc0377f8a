// tinyforge run <model> --input <file.bin|.npy> --output <file.bin> [--scalar] [--repeat N]
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import { compileTflite } from '../../compiler/compile-model.ts';
import { tensorBytes } from '../../formats/ir/graph.ts';
import { loadModelFile } from '../../api/load-model.ts';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { isBlob } from '../../runtime-as/host/read-blob.ts';
import { formatInstructionClasses, formatInstructionTable, instructionsJson, runModelOnQemu, type OpInstructions } from '../../targets/qemu/run-on-qemu.ts';
import { coreModel, type InstructionCycles } from '../../simulator/cost/cost-data.ts';
import { cyclesOfClasses } from '../../simulator/cost/instruction-cycles.ts';
import type { Board } from '../../targets/boards/board-schema.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { resolveBoard } from '../board-option.ts';
import { readInputFile } from '../input-file.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';
import { writeFileAtomically } from '../write-file-atomically.ts';
import { concatBytes } from '../../lib/concat-bytes.ts';

const HELP = `usage: tinyforge run <model.tflite|model.tfb|compiled dir> --input <file.bin|file.npy> --output <file.bin> [--scalar] [--repeat N]
       tinyforge run <model.tflite|compiled dir> (--board qemu-mps2-an386|qemu-riscv32 | --board-file F) --input <file> --output <file> [--count [--classes|--cycles]] [--slots] [--json]
  Runs one inference in the WASM runtime, or with --board in the generated firmware on an emulated board. Input: raw bytes of all inputs concatenated in graph order, or a .npy
  (int8 as is; float32 is quantized with the input's scale and zero point). Output: raw bytes of all outputs.
  --scalar      use the scalar kernels instead of WebAssembly SIMD
  --repeat N    run N more inferences and print median_us=<x> min_us=<y> per inference on stderr; each is timed
                as a user's loop would run it: input written into the runtime's input view, invokeInPlace()
  --warmup N    with --repeat: N untimed inferences first (default: as many as fit in 0.5 s, as TFLite's
                benchmark_model does, so that V8 has tiered the kernels up from its baseline compiler)
  --board B     build the firmware for B and run it in QEMU, input and output over the emulated UART
  --slots       with --board: run on the slot firmware (code only, tinyforge build --slots) with the model in its
                flash slot A, signed with a throw-away key; the same bytes must come out
  --count       with --board: exact instructions executed, in total and per op (a table, or JSON with --json)
  --classes     with --count: each op's instructions by class (single, pipelined and multiple loads and stores,
                multiplies/MACs, divides, taken and not-taken branches, other) and its loads from flash vs SRAM
  --cycles      with --count: the classes, and each op's cycles estimated from them with the board core's cycles per
                class (simulator/cost/cores/<core>.json, instructionCycles; zero memory wait states)`;

const Options = z.object({
  positionals: z.array(z.string()),
  input: z.string({ error: 'is required' }),
  output: z.string({ error: 'is required' }),
  scalar: z.boolean().default(false),
  repeat: z.coerce.number().int().min(0).max(1_000_000).default(0),
  warmup: z.coerce.number().int().min(0).max(1_000_000).optional(),
  board: z.string().optional(),
  'board-file': z.string().optional(),
  count: z.boolean().default(false),
  classes: z.boolean().default(false),
  cycles: z.boolean().default(false),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
  slots: z.boolean().default(false),
});

const WARMUP_MS = 500;

/**
 * Per-inference µs of `repeat` inferences through the zero-copy path: each writes the input views (the arena
 * reuses input bytes, so every inference needs its input again) and runs the steps in place.
 */
function timeInvokes(runtime: Runtime, input: Uint8Array, repeat: number, warmup: number | undefined): number[] {
  const views = runtime.inputs.map((_, i) => runtime.inputView(i));
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const v of views) parts.push(input.subarray(at, (at += v.length)));
  const once = () => {
    for (let i = 0; i < views.length; i++) views[i].set(parts[i]);
    runtime.invokeInPlace();
  };
  if (warmup === undefined) {
    const start = performance.now();
    do once(); while (performance.now() - start < WARMUP_MS);
  } else {
    for (let i = 0; i < warmup; i++) once();
  }
  const times = new Array<number>(repeat);
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    once();
    times[i] = (performance.now() - t0) * 1000;
  }
  return times;
}

function formatTimes(times: number[]): string {
  times.sort((a, b) => a - b);
  return `median_us=${times[Math.floor(times.length / 2)].toFixed(1)} min_us=${times[0].toFixed(1)}`;
}

/** The cycles per instruction class of the board's core, or a clear refusal where the core has no table yet. */
function instructionCyclesOf(board: Board): InstructionCycles {
  const table = coreModel(board.core).instructionCycles;
  if (!table) throw new CliError(`--cycles: no cycles-per-class table for ${board.core} (${board.id}) yet (cortex-m4, cortex-m7, cortex-m33 and rv32imc have one); --classes gives the counts`, EXIT.usage);
  return table;
}

function formatCycleTable(ops: OpInstructions[], cycles: number[], board: Board): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const total = cycles.reduce((a, b) => a + b, 0);
  const instructions = ops.reduce((a, o) => a + o.instructions, 0);
  return [
    `estimated cycles on ${board.core} (instruction classes × cycles per class, zero wait states):`,
    `${'op'.padStart(5)}  ${'kernel'.padEnd(22)} ${'instructions'.padStart(12)} ${'cycles'.padStart(12)} ${'CPI'.padStart(6)}`,
    ...ops.map((o, i) => `${String(o.index).padStart(5)}  ${o.kernel.padEnd(22)} ${n(o.instructions).padStart(12)} ${n(cycles[i]!).padStart(12)} ${(cycles[i]! / Math.max(1, o.instructions)).toFixed(2).padStart(6)}`),
    `total: ${n(total)} cycles for ${n(instructions)} instructions in the ops (CPI ${(total / Math.max(1, instructions)).toFixed(2)})`,
  ].join('\n');
}

/** A key made for one run: the slot firmware is built with its public half and slot A signed with it. */
function throwAwaySlotKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { publicKey: rawPublicKey(publicKey), sign: (blob: Uint8Array) => signUpdate(blob, privateKey, 1) };
}

/** The same inference in the generated firmware on an emulated board. */
async function runOnBoard(modelPath: string, board: Board, opts: { input: string; output: string; count: boolean; classes: boolean; cycles: boolean; json: boolean; slots: boolean }): Promise<number> {
  let path = modelPath;
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'model_int8.tflite');
  if (!existsSync(path)) throw new CliError(`no such file: ${path}`, EXIT.badInput);
  const bytes = new Uint8Array(readFileSync(path));
  if (isBlob(bytes)) throw new CliError(`${path} is a runtime blob; --board builds firmware from the .tflite (a 'tinyforge compile' folder has model_int8.tflite)`, EXIT.usage);
  const compiled = compileTflite(bytes, basename(path, extname(path)));
  const inputs = compiled.graph.inputs.map((id) => ({ bytes: tensorBytes(compiled.graph.tensors[id]) }));
  const input = new Uint8Array(readFileSync(opts.input));
  const expected = inputs.reduce((n, t) => n + t.bytes, 0);
  if (input.length !== expected) throw new CliError(`${opts.input} has ${input.length} bytes, the model expects ${expected} bytes`, EXIT.badInput);
  const cycleTable = opts.cycles ? instructionCyclesOf(board) : undefined;
  const result = await runModelOnQemu(compiled, board.id, input, { count: opts.count, classes: opts.classes || opts.cycles, slots: opts.slots ? throwAwaySlotKey() : undefined });
  writeFileAtomically(opts.output, result.output);
  if (result.count) {
    const cycles = cycleTable && result.count.ops.map((o) => cyclesOfClasses(o.classes!, cycleTable));
    if (opts.json) {
      const json = instructionsJson(result.count);
      console.log(JSON.stringify(cycles ? { ...json, cycles: cycles.reduce((a, b) => a + b, 0), ops: json.ops.map((o, i) => ({ ...o, cycles: cycles[i] })) } : json));
    } else {
      console.log([
        formatInstructionTable(result.count),
        ...(cycles ? [formatCycleTable(result.count.ops, cycles, board)] : []),
        ...(opts.classes || opts.cycles ? [formatInstructionClasses(result.count)] : []),
      ].join('\n\n'));
    }
  }
  return EXIT.ok;
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('run', args, {
    input: { type: 'string' },
    output: { type: 'string' },
    scalar: { type: 'boolean' },
    repeat: { type: 'string' },
    warmup: { type: 'string' },
    board: { type: 'string' },
    'board-file': { type: 'string' },
    count: { type: 'boolean' },
    classes: { type: 'boolean' },
    cycles: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
    slots: { type: 'boolean' },
  }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`expected one model path\n${HELP}`, EXIT.usage);
  if ((opts.classes || opts.cycles) && !opts.count) throw new CliError(`--${opts.classes ? 'classes' : 'cycles'} goes with --count (and --board qemu-…)`, EXIT.usage);
  if (opts.slots && opts.board === undefined && opts['board-file'] === undefined) throw new CliError('--slots goes with --board qemu-mps2-an386 or --board qemu-riscv32', EXIT.usage);
  if (opts.board !== undefined || opts['board-file'] !== undefined) return runOnBoard(opts.positionals[0], resolveBoard('run', opts), opts);
  if (opts.warmup !== undefined && opts.repeat === 0) throw new CliError('--warmup goes with --repeat N (it sets the untimed inferences before the timed ones)', EXIT.usage);
  if (opts.count) throw new CliError('--count needs --board qemu-mps2-an386 or --board qemu-riscv32', EXIT.usage);
  const model = loadModelFile(opts.positionals[0]);
  const runtime = Runtime.create(model.blob, { variant: opts.scalar ? 'scalar' : 'simd' });
  const input = readInputFile(opts.input, runtime.inputs);
  const expected = runtime.inputs.reduce((n, t) => n + t.bytes, 0);
  if (input.length !== expected) {
    const detail = runtime.inputs.map((t) => `${t.name}: ${t.dtype} [${t.shape.join(',')}] = ${t.bytes} B`).join(', ');
    throw new CliError(`${opts.input} has ${input.length} bytes, the model expects ${expected} bytes (${detail})`, EXIT.badInput);
  }
  writeFileAtomically(opts.output, concatBytes(runtime.invoke(input)));
  if (opts.repeat > 0) console.error(formatTimes(timeInvokes(runtime, input, opts.repeat, opts.warmup)));
  return EXIT.ok;
}

// tinyforge run <model> --input <file.bin|.npy> --output <file.bin> [--scalar] [--repeat N]
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { readNpy } from '../../compiler/formats/npy.ts';
import { loadModelFile } from '../../runtime-as/host/load-model.ts';
import { Runtime, type IoTensor } from '../../runtime-as/host/runtime.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';
import { writeFileAtomically } from '../write-file-atomically.ts';
import { quantizeFloat32ToInt8 } from '../../compiler/formats/quantize-input.ts';

const HELP = `usage: tinyforge run <model.tflite|model.tfb|compiled dir> --input <file.bin|file.npy> --output <file.bin> [--scalar] [--repeat N]
  Runs one inference in the WASM runtime. Input: raw bytes of all inputs concatenated in graph order, or a .npy
  (int8 as is; float32 is quantized with the input's scale and zero point). Output: raw bytes of all outputs.
  --scalar      use the scalar kernels instead of WebAssembly SIMD
  --repeat N    run N more inferences and print median_us=<x> min_us=<y> per inference on stderr`;

const Options = z.object({
  positionals: z.array(z.string()),
  input: z.string({ error: 'is required' }),
  output: z.string({ error: 'is required' }),
  scalar: z.boolean().default(false),
  repeat: z.coerce.number().int().min(0).max(1_000_000).default(0),
  help: z.boolean().default(false),
});

function readInput(path: string, inputs: IoTensor[]): Uint8Array {
  const bytes = new Uint8Array(readFileSync(path));
  if (extname(path).toLowerCase() !== '.npy') return bytes;
  const npy = readNpy(bytes, path);
  if (inputs.length !== 1) {
    if (npy.dtype === 'int8' || npy.dtype === 'uint8') return npy.data;
    throw new CliError(`${path}: a float .npy can feed a model with one input only; this one has ${inputs.length}`, EXIT.badInput);
  }
  const t = inputs[0];
  if (npy.dtype === t.dtype) return npy.data;
  if (npy.dtype === 'float32' && t.dtype === 'int8' && t.scale !== undefined) {
    return quantizeFloat32ToInt8(new Float32Array(npy.data.buffer, npy.data.byteOffset, npy.data.length / 4), t.scale, t.zeroPoint ?? 0);
  }
  throw new CliError(`${path}: .npy holds ${npy.dtype}, the model input '${t.name}' is ${t.dtype}`, EXIT.badInput);
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
    help: { type: 'boolean' },
  }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`expected one model path\n${HELP}`, EXIT.usage);
  const model = loadModelFile(opts.positionals[0]);
  const runtime = Runtime.create(model.blob, { variant: opts.scalar ? 'scalar' : 'simd' });
  const input = readInput(opts.input, runtime.inputs);
  const expected = runtime.inputs.reduce((n, t) => n + t.bytes, 0);
  if (input.length !== expected) {
    const detail = runtime.inputs.map((t) => `${t.name}: ${t.dtype} [${t.shape.join(',')}] = ${t.bytes} B`).join(', ');
    throw new CliError(`${opts.input} has ${input.length} bytes, the model expects ${expected} bytes (${detail})`, EXIT.badInput);
  }
  const outputs = runtime.invoke(input);
  const joined = new Uint8Array(outputs.reduce((n, o) => n + o.length, 0));
  let at = 0;
  for (const o of outputs) {
    joined.set(o, at);
    at += o.length;
  }
  writeFileAtomically(opts.output, joined);
  if (opts.repeat > 0) {
    const times: number[] = [];
    for (let i = 0; i < opts.repeat; i++) {
      const t0 = performance.now();
      runtime.invoke(input);
      times.push((performance.now() - t0) * 1000);
    }
    times.sort((a, b) => a - b);
    console.error(`median_us=${times[Math.floor(times.length / 2)].toFixed(1)} min_us=${times[0].toFixed(1)}`);
  }
  return EXIT.ok;
}

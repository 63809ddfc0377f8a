// tinyforge compile <model> --calibration <path> --out <dir>: float model (or, without --calibration, an already-quantized
// ONNX model with its own parameters) → int8 .tflite, C arrays,
// runtime blob and an accuracy report.
import { copyFileSync, existsSync, statSync } from 'node:fs';
import type { Graph } from '../../formats/ir/graph.ts';
import { dirname, extname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { importModel } from '../../compiler/import/import-model.ts';
import { nchwSamplesToNhwc } from '../../compiler/import/import-onnx.ts';
import { PASSES, selectPasses } from '../../compiler/passes/pass-list.ts';
import { loadCalibrationData } from '../../compiler/calibrate/calibration-data.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { referenceStats, statsToJson } from '../../simulator/drift/reference-stats.ts';
import { ESTIMATORS } from '../../compiler/calibrate/range-estimators.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { quantizeModel } from '../../compiler/quantize/quantize-model.ts';
import { emitTflite } from '../../compiler/emit/tflite/emit-tflite.ts';
import { cIdentifier, writeCArray } from '../../compiler/emit/c-array/write-c-array.ts';
import { compileGraph } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { blobWithSelftest } from '../../api/selftest-blob.ts';
import { accuracyReport, formatReport } from '../../compiler/report/accuracy-report.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';
import { writeFileAtomically } from '../write-file-atomically.ts';

const HELP = `usage: tinyforge compile <model.tflite|model.onnx|model.json|layers-model dir> --calibration <data.npy|dir> --out <dir>
       tinyforge compile <quantized model.onnx> --out <dir>
                         [--per-tensor] [--io int8|float32] [--name N] [--passes LIST] [--eval-split F]
                         [--calibration-samples N] [--estimator minmax|moving-average|percentile] [--percentile P]
                         [--per-channel-fc] [--no-bias-correction] [--softmax-headroom H]
  Quantizes a float model to int8 (TFLite's int8 specification) and writes to <dir>:
    model_int8.tflite   for TensorFlow Lite (Micro)      model_data.c / model_data.h   the .tflite as a C array
    model.tfb           tinyforge's runtime blob          quant-report.json             int8 vs float accuracy
  model.tfb carries 2 self-test vectors (inputs and the host runtime's outputs), which a slot firmware runs on
  trial of an update signed from it (tinyforge sign) before it confirms it.
  An already-quantized .onnx (QuantizeLinear/DequantizeLinear or QLinearConv/QLinearMatMul) keeps its own
  scales and zero points and needs no --calibration.
  --calibration P          representative inputs: a .npy whose first axis is the sample, or a folder of .npy / raw float32 .bin
                           (for an .onnx model with an image-like input, in the model's own NCHW order)
  --per-tensor             one weight scale per tensor instead of per output channel (conv, depthwise)
  --io float32             float32 model input/output with QUANTIZE/DEQUANTIZE at the edges (default int8)
  --name N                 C array name (default model_data)
  --passes LIST            graph passes to run, comma separated, or --passes=-name,-name to disable some;
                           'list' prints them, 'none' runs none (default all)
  --eval-split F           fraction of the samples held back for the accuracy report (default 0.2)
  --calibration-samples N  calibrate on at most N samples
  --estimator E            range estimator (default minmax); --percentile P for 'percentile' (default 99.99)
  --per-channel-fc         one weight scale per output row for fully connected layers too (default per tensor)
  --no-bias-correction     keep the biases as quantized; by default each conv / fully connected bias absorbs the
                           mean output error measured on the calibration samples
  --softmax-headroom H     a tensor read only by SOFTMAX gets its int8 range floored at (smallest per-sample top
                           value) − H/beta, so a few very negative logits no longer coarsen the step and make
                           near-equal classes tie (default off, as TFLite's converter; 16 loses nothing at 8 bits)
  example: tinyforge compile tests/onnx/models/ds-cnn-kws.onnx --calibration data.npy --out out/   (ONNX: data.npy in NCHW)`;

const Options = z.object({
  positionals: z.array(z.string()),
  calibration: z.string().optional(),
  out: z.string({ error: 'is required' }),
  'per-tensor': z.boolean().default(false),
  io: z.enum(['int8', 'float32']).default('int8'),
  name: z.string().default('model_data'),
  passes: z.string().optional(),
  'eval-split': z.coerce.number().min(0).max(0.9).default(0.2),
  'calibration-samples': z.coerce.number().int().min(1).optional(),
  estimator: z.enum(ESTIMATORS as [string, ...string[]]).default('minmax'),
  percentile: z.coerce.number().gt(50).max(100).default(99.99),
  'per-channel-fc': z.boolean().default(false),
  'no-bias-correction': z.boolean().default(false),
  'softmax-headroom': z.coerce.number().positive().optional(),
});

/** Errors from the compiler that describe bad input (model, data, options): reported as they are. */
const BAD_INPUT = new Set(['ImportError', 'CalibrationDataError', 'QuantizeError', 'PassSelectionError', 'CArrayNameError',
  'NpyFormatError', 'ModelFormatError', 'UnsupportedOpsError', 'FloatExecutionError', 'CompileError', 'PrepareError']);

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const passesAt = args.indexOf('--passes');
  if (passesAt >= 0 && args[passesAt + 1] === 'list') {
    for (const p of PASSES) console.log(`${p.name.padEnd(18)} ${p.description}`);
    return EXIT.ok;
  }
  const opts = parseOptions('compile', args, {
    calibration: { type: 'string' },
    out: { type: 'string' },
    'per-tensor': { type: 'boolean' },
    io: { type: 'string' },
    name: { type: 'string' },
    passes: { type: 'string' },
    'eval-split': { type: 'string' },
    'calibration-samples': { type: 'string' },
    estimator: { type: 'string' },
    percentile: { type: 'string' },
    'per-channel-fc': { type: 'boolean' },
    'no-bias-correction': { type: 'boolean' },
    'softmax-headroom': { type: 'string' },
  }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`tinyforge compile: expected one model path\n${HELP}`, EXIT.usage);
  try {
    return await compile(opts.positionals[0]!, opts);
  } catch (err) {
    if (err instanceof Error && BAD_INPUT.has(err.name)) throw new CliError(`tinyforge compile: ${err.message}`, EXIT.badInput);
    throw err;
  }
}

async function compile(modelPath: string, opts: z.infer<typeof Options>): Promise<number> {
  const passes = selectPasses(opts.passes);
  // Checked before the slow steps so a bad name fails at once.
  writeCArray(new Uint8Array(0), opts.name);
  const imported = importModel(modelPath);
  if (imported.tensors.every((t) => t.data !== undefined || t.dtype !== 'float32')) return compileQuantized(modelPath, imported, opts);
  if (opts.calibration === undefined) {
    throw new CliError(`tinyforge compile: ${modelPath} is a float model: give --calibration data.npy (representative inputs) to quantize it to int8`, EXIT.badInput);
  }
  if (imported.inputs.length !== 1) {
    throw new CliError(`tinyforge compile: ${imported.name} has ${imported.inputs.length} inputs; calibration supports single-input models`, EXIT.badInput);
  }
  const inputShape = imported.tensors[imported.inputs[0]!]!.shape;
  const loaded = loadCalibrationData(opts.calibration, inputShape);
  const calibration = opts.calibration;
  // ONNX models take NCHW data (as PyTorch has it); the imported graph reads NHWC.
  const data = extname(modelPath).toLowerCase() === '.onnx' && inputShape.length === 4
    ? { ...loaded, values: nchwSamplesToNhwc(loaded.values, inputShape) } : loaded;
  if (data.samples < 2 && opts['eval-split'] > 0) {
    throw new CliError(`tinyforge compile: ${calibration} holds ${data.samples} sample; give at least 2 (or --eval-split 0)`, EXIT.badInput);
  }
  const backend = await useFloatBackend('wasm');

  const bar = new cliProgress.SingleBar({
    format: 'calibrating [{bar}] {value}/{total} samples',
    stream: process.stderr,
    hideCursor: false,
    clearOnComplete: true,
    noTTYOutput: false,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const q = (() => {
    try {
      return quantizeModel(imported, data, {
        passes,
        evalSplit: opts['eval-split'],
        ...(opts['calibration-samples'] !== undefined ? { calibrationSamples: opts['calibration-samples'] } : {}),
        estimator: opts.estimator as (typeof ESTIMATORS)[number],
        percentile: opts.percentile,
        perTensor: opts['per-tensor'],
        io: opts.io,
        perChannelFullyConnected: opts['per-channel-fc'],
        biasCorrection: !opts['no-bias-correction'],
        ...(opts['softmax-headroom'] !== undefined ? { softmaxHeadroom: opts['softmax-headroom'] } : {}),
        onProgress: (done, total) => {
          if (!started) { bar.start(total, 0); started = true; }
          bar.update(done);
        },
      });
    } finally {
      if (started) bar.stop();
    }
  })();

  const tflite = emitTflite(q.int8Graph, { description: `tinyforge int8 from ${q.floatGraph.name}` });
  const c = writeCArray(tflite, opts.name);
  const blob = blobWithSelftest(writeBlob(compileGraph(q.int8Graph)));
  const report = q.evaluation.samples > 0 ? accuracyReport(q.floatGraph, q.int8Graph, q.evaluation) : undefined;
  const json = {
    model: modelPath,
    backend,
    calibration: { source: calibration, samples: q.calibration.samples, estimator: opts.estimator },
    passes: q.passes,
    options: { perTensor: opts['per-tensor'], io: opts.io, perChannelFullyConnected: opts['per-channel-fc'], biasCorrection: !opts['no-bias-correction'] },
    ...(report ? { accuracy: report } : { accuracy: null }),
  };

  const labels = writeCompiled(modelPath, opts.out, tflite, c, blob);
  // The calibration data's own input statistics, what `tinyforge monitor` compares a device's with.
  const blobModel = readBlob(blob);
  const stats = blobModel.inputs[0]?.dtype === 'int8' ? referenceStats(blobModel, data.values, data.samples) : undefined;
  if (stats) writeFileAtomically(join(opts.out, 'input-stats.json'), statsToJson(stats, { model: q.floatGraph.name, source: calibration }));
  writeFileAtomically(join(opts.out, 'quant-report.json'), JSON.stringify(json, (_, v) => (v === Infinity ? 'exact' : v), 2) + '\n');

  const passLine = q.passes.map((p) => `${p.name} ${p.opsBefore}→${p.opsAfter}`).join(', ') || 'none';
  console.log(`${q.floatGraph.name}: ${q.int8Graph.ops.length} int8 ops, calibrated on ${q.calibration.samples} samples (${opts.estimator}, ${backend}); passes: ${passLine}`);
  console.log(report ? formatReport(report) : 'no held-back samples (--eval-split 0): accuracy not measured');
  console.log(`wrote ${opts.out}/model_int8.tflite (${tflite.length} B), model_data.c/.h (${cIdentifier(opts.name)}), model.tfb (${blob.length} B, ${SELFTEST_NOTE}), quant-report.json${stats ? ', input-stats.json' : ''}${labels ? ', labels.txt' : ''}`);
  return EXIT.ok;
}

type CArray = ReturnType<typeof writeCArray>;

/** What model.tfb carries for a device's trial of an update signed from it (api/selftest-blob.ts). */
const SELFTEST_NOTE = '2 self-test vectors';

/** model_int8.tflite, model_data.c/.h, model.tfb and labels.txt (when the model's folder has one); returns the labels path. */
function writeCompiled(modelPath: string, out: string, tflite: Uint8Array, c: CArray, blob: Uint8Array): string | undefined {
  writeFileAtomically(join(out, 'model_int8.tflite'), tflite);
  writeFileAtomically(join(out, c.headerName), c.header);
  writeFileAtomically(join(out, 'model_data.c'), c.source);
  writeFileAtomically(join(out, 'model.tfb'), blob);
  // Class names travel with the model (tinyforge simulate --stream reads them from the compiled folder).
  const labelsDir = statSync(modelPath).isDirectory() ? modelPath : dirname(modelPath);
  const labels = existsSync(join(labelsDir, 'labels.txt')) ? join(labelsDir, 'labels.txt') : undefined;
  if (labels) copyFileSync(labels, join(out, 'labels.txt'));
  return labels;
}

/** An already-quantized model (an int8 import): compiled with its own parameters, no calibration. */
function compileQuantized(modelPath: string, graph: Graph, opts: z.infer<typeof Options>): number {
  const tflite = emitTflite(graph, { description: `tinyforge int8 from ${graph.name} (the model's own quantization)` });
  const c = writeCArray(tflite, opts.name);
  const blob = blobWithSelftest(writeBlob(compileGraph(graph)));
  const labels = writeCompiled(modelPath, opts.out, tflite, c, blob);
  const json = { model: modelPath, quantization: 'from the model', calibration: null, accuracy: null };
  writeFileAtomically(join(opts.out, 'quant-report.json'), JSON.stringify(json, null, 2) + '\n');
  if (opts.calibration !== undefined) console.error(`tinyforge compile: ${modelPath} is already quantized; --calibration ${opts.calibration} is not used`);
  console.log(`${graph.name}: ${graph.ops.length} int8 ops, already quantized: the model's own scales and zero points (no calibration)`);
  console.log(`wrote ${opts.out}/model_int8.tflite (${tflite.length} B), model_data.c/.h (${cIdentifier(opts.name)}), model.tfb (${blob.length} B, ${SELFTEST_NOTE}), quant-report.json${labels ? ', labels.txt' : ''}`);
  return EXIT.ok;
}

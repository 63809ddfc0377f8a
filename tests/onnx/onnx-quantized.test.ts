// Already-quantized ONNX models (QDQ and QLinear* forms, int8 and uint8) imported with their own
// scales and zero points and run on tinyforge's int8 runtime, checked against ONNX Runtime's int8
// execution of the same file. ONNX Runtime requantizes in float (multiply, round half to even);
// TFLite Micro's kernels, which tinyforge's match bit for bit, use fixed-point multipliers, and some
// ops compute differently altogether, so the two differ by a step here and there and the bounds are
// per model (measured, see BOUNDS): conv / depthwise / fully connected layers agree on ≥ 99% of their
// values (ties only), MEAN and the int8 ADD (TFLite's 20-bit left shift and two rescales) less often,
// AVERAGE_POOL_2D rounds ties away from zero where ONNX Runtime rounds them to even (a 2×2 average
// ties a quarter of the time), and a Sigmoid with a calibrated output scale runs as TFLite's LOGISTIC
// at 1/256 followed by a requantize (two roundings where ONNX Runtime has one).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { importOnnx } from '../../compiler/import/import-onnx.ts';
import { int8Affine, ONNX_INT8, ONNX_UINT8 } from '../../compiler/import/onnx-quantization.ts';
import { Runtime } from '../../runtime-as/index.ts';
import { OnnxModelWriter, QUANTIZED_MODELS, QuantizedModelWriter, type QParams } from './make-models.ts';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '../../bin/tinyforge.js');
const SAMPLES = 40;

/** Largest |difference| in output steps and smallest identical fraction, per model. */
const BOUNDS: Record<string, { maxLsb: number; identical: number }> = {
  'qdq-conv-layer': { maxLsb: 1, identical: 0.99 }, // one CONV_2D (+ fused Relu): ties only
  'qdq-depthwise-layer': { maxLsb: 1, identical: 0.99 }, // one DEPTHWISE_CONV_2D, uint8
  'qdq-conv-transpose-layer': { maxLsb: 1, identical: 0.99 }, // a stride-1 ConvTranspose → PAD + CONV_2D
  'qlinear-matmul-layer': { maxLsb: 1, identical: 0.99 }, // one FULLY_CONNECTED from QLinearMatMul, uint8
  'mlp-qdq': { maxLsb: 0, identical: 1 }, // FULLY_CONNECTED only
  'ds-cnn-qdq': { maxLsb: 2, identical: 0.95 }, // conv, depthwise, MEAN, FC (97% at ±1), then SOFTMAX (TFLite's integer exp) widens a logit step to 2
  'qlinear-cnn': { maxLsb: 1, identical: 0.88 }, // QLinearConv ×2, MEAN, QLinearMatMul, QLinearAdd (ADD)
  'mobilenet-qdq-u8': { maxLsb: 3, identical: 0.75 }, // + requantized MaxPool, ADD, AVERAGE_POOL_2D, LOGISTIC → requantize
};

const int8Of = (p: QParams) => int8Affine(p.scale, p.zeroPoint, p.type === 'int8' ? ONNX_INT8 : ONNX_UINT8);

/** Seeded inputs on the model's own input grid: the stored integers and the real values they stand for. */
function gridInputs(shape: number[], p: QParams): { int8: Int8Array; real: Float32Array } {
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const ip = int8Of(p);
  const int8 = Int8Array.from({ length: SAMPLES * per }, (_, i) => Math.max(-128, Math.min(127, Math.round(Math.sin(i * 0.731 + 0.3) * 90 + Math.cos(i * 0.113) * 40))));
  const real = Float32Array.from(int8, (q) => (q - ip.zeroPoint) * ip.scale);
  return { int8, real };
}

/** NCHW samples → NHWC (what the imported graph reads). */
function toNhwc(values: Int8Array, shape: number[]): Int8Array {
  if (shape.length !== 4) return values;
  const [, c, h, w] = shape as [number, number, number, number];
  const per = c * h * w;
  const out = new Int8Array(values.length);
  for (let s = 0; s < values.length / per; s++) for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    out[s * per + (y * w + x) * c + ci] = values[s * per + (ci * h + y) * w + x]!;
  }
  return out;
}

/** One NHWC output → NCHW (ONNX Runtime's order). */
function toNchw(values: Int8Array, nhwc: number[]): Int8Array {
  if (nhwc.length !== 4) return values;
  const [, h, w, c] = nhwc as [number, number, number, number];
  const out = new Int8Array(values.length);
  for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(ci * h + y) * w + x] = values[(y * w + x) * c + ci]!;
  return out;
}

describe('already-quantized ONNX models against ONNX Runtime (int8)', () => {
  it('the committed models are what make-models.ts writes', () => {
    for (const [name, m] of Object.entries(QUANTIZED_MODELS)) {
      expect(Buffer.from(m.build()).equals(readFileSync(join(here, 'models', `${name}.onnx`))), name).toBe(true);
    }
  });

  for (const [name, m] of Object.entries(QUANTIZED_MODELS)) {
    it(`${name}: int8 import keeps the model's parameters; outputs within ${BOUNDS[name]!.maxLsb} LSB of ONNX Runtime`, async () => {
      const bytes = new Uint8Array(readFileSync(join(here, 'models', `${name}.onnx`)));
      const graph = importOnnx(bytes, name);
      // No float op is left: the graph is int8 from input to output, with the model's own parameters.
      expect(graph.tensors.filter((t) => !t.data).every((t) => t.dtype === 'int8')).toBe(true);
      const inT = graph.tensors[graph.inputs[0]!]!;
      const outT = graph.tensors[graph.outputs[0]!]!;
      const ip = int8Of(m.inputParams);
      const op = int8Of(m.outputParams);
      expect(inT.quant).toEqual({ scale: [ip.scale], zeroPoint: [ip.zeroPoint], axis: 0 });
      expect(outT.quant).toEqual({ scale: [op.scale], zeroPoint: [op.zeroPoint], axis: 0 });

      const { int8, real } = gridInputs(m.input, m.inputParams);
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
      const theirs = (await session.run({ input: new ort.Tensor('float32', real, [SAMPLES, ...m.input.slice(1)]) })).output!.data as Float32Array;

      const runtime = Runtime.create(writeBlob(compileGraph(graph)));
      const nhwc = toNhwc(int8, m.input);
      const per = nhwc.length / SAMPLES;
      const outPer = theirs.length / SAMPLES;
      let identical = 0;
      let worst = 0;
      const steps = new Set<number>();
      for (let s = 0; s < SAMPLES; s++) {
        const input = new Uint8Array(nhwc.buffer, s * per, per);
        // The input the model quantizes is exactly the integers tinyforge reads (a grid value, no rounding).
        for (let i = 0; i < per; i++) expect(Math.round(real[s * per + i]! / ip.scale) + ip.zeroPoint).toBe(int8[s * per + i]);
        const ours = toNchw(new Int8Array(runtime.invoke([input])[0]!.buffer), outT.shape);
        for (let i = 0; i < outPer; i++) {
          const theirSteps = Math.round(theirs[s * outPer + i]! / op.scale);
          const ourSteps = ours[i]! - op.zeroPoint;
          steps.add(ourSteps);
          const d = Math.abs(theirSteps - ourSteps);
          if (d === 0) identical++;
          worst = Math.max(worst, d);
        }
      }
      const total = SAMPLES * outPer;
      console.log(`${name}: ${graph.ops.length} int8 ops (${[...new Set(graph.ops.map((o) => o.type))].join(', ')}); ` +
        `vs ONNX Runtime: ${identical}/${total} identical (${(100 * identical / total).toFixed(2)}%), max |diff| ${worst} LSB, ${steps.size} distinct output values`);
      expect(worst).toBeLessThanOrEqual(BOUNDS[name]!.maxLsb);
      expect(identical / total).toBeGreaterThanOrEqual(BOUNDS[name]!.identical);
      // The outputs are spread over the range, not pinned at a clamp.
      expect(steps.size).toBeGreaterThan(10);
    });
  }

  it('refusals name the node, the op, the attribute and the way out', () => {
    // Asymmetric uint8 weights (zero point 100): TFLite's int8 kernels need symmetric ones.
    const m = new QuantizedModelWriter(21);
    const D = 2;
    m.ints('w', [4, 4], Array.from({ length: 16 }, (_, i) => 90 + i), D);
    m.scalar('w_scale', 0.01);
    m.ints('w_zp', [], [100], D);
    const x = m.qdq('input', { scale: 0.05, zeroPoint: 128, type: 'uint8' });
    const y = m.node('Gemm', [x, m.node('DequantizeLinear', ['w', 'w_scale', 'w_zp']), m.floats('b', [4], 0.1)], { transB: 1 });
    const bytes = m.encode('asym', [1, 4], m.qdq(y, { scale: 0.05, zeroPoint: 128, type: 'uint8' }), [1, 4]);
    expect(() => importOnnx(bytes, 'asym')).toThrow(/node 'gemm_\d+' \(Gemm\): asymmetric weights \(zero point 100 uint8\).*; use symmetric int8 weights/);
    // A float op left between quantized ones.
    const f = new QuantizedModelWriter(22);
    const fx = f.qdq('input', { scale: 0.05, zeroPoint: 0, type: 'int8' });
    const mixed = f.encode('mixed', [1, 4], f.node('Sigmoid', [fx]), [1, 4]);
    expect(() => importOnnx(mixed, 'mixed')).toThrow(/node 'sigmoid_\d+' \(Sigmoid\): its output .* is never quantized .*; use QuantizeLinear\/DequantizeLinear around every op/);
    // Per-axis activation quantization.
    const p = new OnnxModelWriter(23);
    const s = p.floats('s', [4], 0.01, 0.05);
    const bad = p.encode('peraxis', [1, 4], p.node('QuantizeLinear', ['input', s]), [1, 4]);
    expect(() => importOnnx(bad, 'peraxis')).toThrow(/\(QuantizeLinear\): per-axis quantization of an activation \(4 scales\); use one scale/);
  });

  it('tinyforge inspect shows the model\'s quantization; compile needs no --calibration', () => {
    const model = join(here, 'models/ds-cnn-qdq.onnx');
    const r = spawnSync('node', [cli, 'inspect', model, '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    const input = summary.tensors.find((t: { index: number }) => t.index === 0);
    expect(input).toMatchObject({ dtype: 'int8', scale: Math.fround(2.5 / 127), zeroPoint: 0 });
    expect(summary.totals.runnable).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'tinyforge-onnxq-'));
    try {
      const c = spawnSync('node', [cli, 'compile', model, '--out', dir], { encoding: 'utf8' });
      expect(c.status, c.stderr).toBe(0);
      expect(c.stdout).toMatch(/already quantized/);
      for (const f of ['model_int8.tflite', 'model_data.c', 'model.tfb', 'quant-report.json']) expect(existsSync(join(dir, f)), f).toBe(true);
      const float = spawnSync('node', [cli, 'compile', join(here, 'models/ds-cnn-kws.onnx'), '--out', dir], { encoding: 'utf8' });
      expect(float.status).toBe(2);
      expect(float.stderr).toMatch(/float model.*--calibration/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

// ONNX import, checked against ONNX Runtime (onnxruntime-node, CPU): each committed test model
// (tests/onnx/make-models.ts writes them the way torch.onnx.export does) imports to an IR whose
// float reference output equals ONNX Runtime's on the same inputs, and quantizes to int8 whose
// agreement with the float model is reported. Unsupported ops end with an error naming the node.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { FloatExecutor } from '../../compiler/calibrate/float-executor.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { importOnnx } from '../../compiler/import/import-onnx.ts';
import { writeNpy } from '../../compiler/input-data/npy.ts';
import { quantizeModel } from '../../compiler/quantize/quantize-model.ts';
import { accuracyReport, formatReport } from '../../compiler/report/accuracy-report.ts';
import { MODELS, OnnxModelWriter } from './make-models.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SAMPLES = 40;

/** Seeded inputs in ONNX (NCHW) order and the same values in tinyforge's NHWC order. */
function inputs(shape: number[]): { nchw: Float32Array; nhwc: Float32Array } {
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const nchw = Float32Array.from({ length: SAMPLES * per }, (_, i) => Math.sin(i * 0.731 + 0.3) * 1.5 + Math.cos(i * 0.113));
  if (shape.length !== 4) return { nchw, nhwc: nchw };
  const [, c, h, w] = shape as [number, number, number, number];
  const nhwc = new Float32Array(nchw.length);
  for (let s = 0; s < SAMPLES; s++) for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    nhwc[s * per + (y * w + x) * c + ci] = nchw[s * per + (ci * h + y) * w + x]!;
  }
  return { nchw, nhwc };
}

describe('ONNX import against ONNX Runtime', () => {
  it('the committed models are what make-models.ts writes (seeded, reproducible)', () => {
    for (const [name, m] of Object.entries(MODELS)) {
      expect(Buffer.from(m.build()).equals(readFileSync(join(here, 'models', `${name}.onnx`))), name).toBe(true);
    }
  });

  for (const [name, m] of Object.entries(MODELS)) {
    it(`${name}: float reference equals ONNX Runtime; int8 agreement reported`, async () => {
      const bytes = new Uint8Array(readFileSync(join(here, 'models', `${name}.onnx`)));
      const { nchw, nhwc } = inputs(m.input);
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
      const feed = { input: new ort.Tensor('float32', nchw, [SAMPLES, ...m.input.slice(1)]) };
      const expected = (await session.run(feed)).output!.data as Float32Array;

      await useFloatBackend('wasm');
      const graph = importOnnx(bytes, name);
      const exec = new FloatExecutor(graph);
      const [ours] = exec.run([nhwc], SAMPLES);
      exec.dispose();
      expect(ours!.length).toBe(expected.length);
      let worst = 0;
      let peak = 0;
      for (let i = 0; i < ours!.length; i++) {
        worst = Math.max(worst, Math.abs(ours![i]! - expected[i]!));
        peak = Math.max(peak, Math.abs(expected[i]!));
      }
      console.log(`${name}: ${graph.ops.length} IR ops, max |tinyforge float − ONNX Runtime| = ${worst.toExponential(2)} (outputs up to ${peak.toFixed(3)})`);
      // The QDQ model rounds its activations in ONNX Runtime (steps 1/16, 1/8, 1/8); tinyforge keeps
      // them float until its own int8 quantization, so there the bound is a few of those steps.
      expect(worst).toBeLessThan(name === 'mlp-qdq' ? 0.25 : 1e-4 * Math.max(1, peak));

      const q = quantizeModel(graph, { values: nhwc, samples: SAMPLES, sampleSize: nhwc.length / SAMPLES, source: 'seeded' }, { evalSplit: 0.25 });
      expect(q.int8Graph.ops.some((o) => o.type === 'BATCH_NORM')).toBe(false);
      const report = accuracyReport(q.floatGraph, q.int8Graph, q.evaluation);
      console.log(`${name} int8:\n${formatReport(report)}`);
      const out = report.layers[report.layers.length - 1]!;
      expect(out.sqnrDb, `${name} output SQNR`).toBeGreaterThan(15);
    });
  }

  it('an unsupported op ends with an error naming the node, the op and the alternative', () => {
    const m = new OnnxModelWriter(9);
    const bytes = m.encode('leaky', [1, 4], m.node('LeakyRelu', ['input']), [1, 4]);
    expect(() => importOnnx(bytes, 'leaky')).toThrow(/node 'leakyrelu_0' \(LeakyRelu\): this op is not supported; use Relu instead/);
    const g = new OnnxModelWriter(9);
    const grouped = g.encode('grouped', [1, 8, 4, 4], g.conv('input', 8, 8, [3, 3], { group: 2, pad: [1, 1, 1, 1] }), [1, 8, 4, 4]);
    expect(() => importOnnx(grouped, 'grouped')).toThrow(/\(Conv\): grouped convolution \(group 2 of 8 channels\); use group=1 or a depthwise Conv/);
    const ct = new OnnxModelWriter(9);
    const strided = ct.encode('up', [1, 4, 4, 4], ct.convT('input', 4, 4, [2, 2], { stride: 2 }), [1, 4, 8, 8]);
    expect(() => importOnnx(strided, 'up')).toThrow(/node 'convtranspose_\d+' \(ConvTranspose\): strides \[2, 2\] \(only stride 1 becomes a Conv; tinyforge has no TRANSPOSE_CONV kernel\); use a stride-1 ConvTranspose/);
    const t = new OnnxModelWriter(9);
    const swapped = t.encode('swap', [1, 8, 4, 4], t.node('Transpose', [t.conv('input', 8, 8, [1, 1])], { perm: [0, 1, 3, 2] }), [1, 8, 4, 4]);
    expect(() => importOnnx(swapped, 'swap')).toThrow(/node 'transpose_\d+' \(Transpose\): perm \[0, 1, 3, 2\] of a \[1, 8, 4, 4\] tensor reorders its data \(tinyforge has no transpose kernel\); use no Transpose in the exported graph, or one that only undoes tinyforge's NCHW→NHWC/);
  });

  it('tinyforge inspect model.onnx prints the imported graph; an unsupported op exits 2', () => {
    const cli = join(here, '../../bin/tinyforge.js');
    const text = execFileSync('node', [cli, 'inspect', join(here, 'models/ds-cnn-kws.onnx')], { encoding: 'utf8' });
    expect(text).toMatch(/model ds-cnn-kws: \d+ ops/);
    expect(text).toMatch(/DEPTHWISE_CONV_2D/);
    const m = new OnnxModelWriter(9);
    const dir = mkdtempSync(join(tmpdir(), 'tinyforge-onnx-'));
    try {
      const bad = join(dir, 'leaky.onnx');
      writeFileSync(bad, m.encode('leaky', [1, 4], m.node('LeakyRelu', ['input']), [1, 4]));
      const r = spawnSync('node', [cli, 'inspect', bad], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/node 'leakyrelu_0' \(LeakyRelu\).*use Relu instead/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('tinyforge compile model.onnx --calibration data.npy (NCHW samples) writes the int8 model', () => {
    const cli = join(here, '../../bin/tinyforge.js');
    const dir = mkdtempSync(join(tmpdir(), 'tinyforge-onnx-'));
    try {
      const { nchw } = inputs(MODELS['ds-cnn-kws']!.input);
      writeFileSync(join(dir, 'data.npy'), writeNpy({ dtype: 'float32', shape: [SAMPLES, 1, 49, 10], data: new Uint8Array(nchw.buffer) }));
      const r = spawnSync('node', [cli, 'compile', join(here, 'models/ds-cnn-kws.onnx'), '--calibration', join(dir, 'data.npy'), '--out', join(dir, 'out')], { encoding: 'utf8' });
      expect(r.stderr + r.stdout).toMatch(/wrote/);
      expect(r.status).toBe(0);
      for (const f of ['model_int8.tflite', 'model_data.c', 'model.tfb', 'quant-report.json']) expect(existsSync(join(dir, 'out', f)), f).toBe(true);
      const report = JSON.parse(readFileSync(join(dir, 'out', 'quant-report.json'), 'utf8'));
      const acc = report.accuracy;
      console.log(`compile ds-cnn-kws.onnx: int8 top-1 agreement with float ${acc.top1Agreement}`);
      expect(acc.samples).toBe(8);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

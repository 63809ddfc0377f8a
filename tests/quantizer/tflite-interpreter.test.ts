// The emitted .tflite is a model the real TensorFlow Lite interpreter accepts and runs, and every
// op computes what tinyforge's runtime computes to within 1 LSB (TFLite requantizes through
// XNNPACK in float, TFLite Micro and tinyforge in fixed point). Ops are compared one at a time,
// each fed the runtime's own input bytes, since ±1 LSB differences grow through a deep model.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../formats/ir/graph.ts';
import { compactGraph } from '../../compiler/ir/compact-graph.ts';
import { importModel } from '../../compiler/import/import-model.ts';
import { importTflite } from '../../compiler/import/import-tflite.ts';
import { loadCalibrationData, type CalibrationData } from '../../compiler/calibrate/calibration-data.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { quantizeModel } from '../../compiler/quantize/quantize-model.ts';
import { selectPasses } from '../../compiler/passes/pass-list.ts';
import { emitTflite } from '../../compiler/emit/tflite/emit-tflite.ts';
import { compileGraph } from '../../compiler/compile-model.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { quantizeFloat32ToInt8 } from '../../compiler/input-data/quantize-input.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { loadXnnpackModel } from '../reference/xnnpack-interpreter.ts';
import { buildBranchyModel, randomInputs } from './branchy-model.ts';
import { saveLayersModel } from './tiny-ds-cnn.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';

/** Runs the whole int8 graph on the runtime with every activation exposed: bytes by tensor id. */
function runtimeTensors(g: Graph, input: Uint8Array): Map<number, Uint8Array> {
  const acts = [...new Set([...g.inputs, ...g.ops.flatMap((o) => o.outputs)])].filter((t) => !g.inputs.includes(t));
  const rt = Runtime.create(writeBlob(compileGraph({ ...g, outputs: acts })));
  const outs = rt.invoke([input]);
  return new Map<number, Uint8Array>([[g.inputs[0]!, input], ...acts.map((t, k) => [t, outs[k]!] as [number, Uint8Array])]);
}

function modelInput(g: Graph, x: Float32Array): Uint8Array {
  const t = g.tensors[g.inputs[0]!]!;
  return t.dtype === 'float32' ? new Uint8Array(Float32Array.from(x).buffer) : quantizeFloat32ToInt8(x, t.quant!.scale[0]!, t.quant!.zeroPoint[0]!);
}

/** Largest per-op difference, in LSB of the op's output, between TFLite and the runtime. */
async function perOpLsb(g: Graph, samples: CalibrationData, count: number): Promise<Map<string, number>> {
  const worst = new Map<string, number>();
  const interpreters = await Promise.all(g.ops.map(async (op) => {
    const inputs = op.inputs.filter((t) => t >= 0 && !g.tensors[t]!.data);
    const single = compactGraph({ ...g, ops: [op], inputs, outputs: op.outputs });
    return { op, inputs, interp: await loadXnnpackModel(emitTflite(single)) };
  }));
  for (let s = 0; s < count; s++) {
    const x = samples.values.subarray(s * samples.sampleSize, (s + 1) * samples.sampleSize);
    const bytes = runtimeTensors(g, modelInput(g, x));
    for (const { op, inputs, interp } of interpreters) {
      const out = g.tensors[op.outputs[0]!]!;
      const [got] = interp.invoke(inputs.map((t) => bytes.get(t)!));
      const want = bytes.get(out.id)!;
      let lsb = 0;
      if (out.dtype === 'int8') {
        const a = new Int8Array(got!.buffer);
        const b = new Int8Array(want.buffer, want.byteOffset, want.length);
        for (let i = 0; i < a.length; i++) lsb = Math.max(lsb, Math.abs(a[i]! - b[i]!));
      } else {
        const a = new Float32Array(got!.buffer);
        const b = new Float32Array(want.slice().buffer);
        const scale = g.tensors[op.inputs[0]!]!.quant!.scale[0]!;
        for (let i = 0; i < a.length; i++) lsb = Math.max(lsb, Math.round(Math.abs(a[i]! - b[i]!) / scale));
      }
      const key = `${op.index} ${op.type}`;
      worst.set(key, Math.max(worst.get(key) ?? 0, lsb));
    }
  }
  for (const { interp } of interpreters) interp.close();
  return worst;
}

describe('emitted .tflite in the real TFLite interpreter', () => {
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tinyforge-tflite-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a functional tfjs model (pad, max pool, add, relu6, mul, concatenation, lowered batch norm, separable conv, tanh, sigmoid): loads, runs, every op within 1 LSB', async () => {
    await tf.setBackend('cpu');
    await saveLayersModel(buildBranchyModel(), join(dir, 'branchy'));
    await useFloatBackend('wasm');
    const x = randomInputs(40, 11);
    const data = { values: x, samples: 40, sampleSize: 128, source: 'random' };
    const q = quantizeModel(importModel(join(dir, 'branchy')), data);
    expect(q.int8Graph.ops.map((o) => o.type)).toEqual([
      'PAD', 'CONV_2D', 'MAX_POOL_2D', 'DEPTHWISE_CONV_2D', 'TANH', 'CONV_2D', 'LOGISTIC', 'ADD', 'MUL', 'QUANTIZE',
      'CONCATENATION', 'MUL', 'ADD', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'AVERAGE_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX',
    ]);
    const whole = await loadXnnpackModel(emitTflite(q.int8Graph));
    const [out] = whole.invoke([modelInput(q.int8Graph, x.subarray(0, 128))]);
    expect(out!.length).toBe(3);
    whole.close();
    const lsb = await perOpLsb(q.int8Graph, q.evaluation, 4);
    expect(lsb.size).toBe(19);
    for (const [op, d] of lsb) expect(d, op).toBeLessThanOrEqual(1);

    // Without activation fusion the RELU and RELU6 ops stand alone (RELU6 shares its input's scale).
    const unfused = quantizeModel(importModel(join(dir, 'branchy')), data, { passes: selectPasses('-fuse-activation') });
    const lsbUnfused = await perOpLsb(unfused.int8Graph, unfused.evaluation, 4);
    expect([...lsbUnfused.keys()].filter((k) => /RELU/.test(k)).map((k) => k.split(' ')[1])).toEqual(['RELU', 'RELU6']);
    for (const [op, d] of lsbUnfused) expect(d, op).toBeLessThanOrEqual(1);
  });

  it('kws_ref_model_float32 quantized with float32 I/O: loads, runs, every op within 1 LSB', async () => {
    await useFloatBackend('wasm');
    const c = corpusDir();
    const graph = importTflite(new Uint8Array(readFileSync(join(c, 'models', 'kws_ref_model_float32.tflite'))), 'kws');
    const data = loadCalibrationData(join(c, 'calibration', 'kws_calib_x.npy'), graph.tensors[graph.inputs[0]!]!.shape);
    const q = quantizeModel(graph, data, { io: 'float32' });
    const lsb = await perOpLsb(q.int8Graph, q.evaluation, 3);
    expect([...lsb.keys()].map((k) => k.split(' ')[1])).toEqual([
      'QUANTIZE', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D',
      'DEPTHWISE_CONV_2D', 'CONV_2D', 'AVERAGE_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX', 'DEQUANTIZE',
    ]);
    for (const [op, d] of lsb) expect(d, op).toBeLessThanOrEqual(1);
  });
});

// The int8 .tflite writer: tinyforge's reader gets back the same graph, and running the file gives
// the same bytes as running the in-memory int8 graph; layout rules TFLite (Micro) relies on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, beforeAll, expect, it } from 'vitest';
import { importTflite } from '../../compiler/import/import-tflite.ts';
import { quantizeModel, type QuantizedModel } from '../../compiler/quantize/quantize-model.ts';
import { loadCalibrationData } from '../../compiler/calibrate/calibration-data.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { emitTflite } from '../../compiler/emit/tflite/emit-tflite.ts';
import { loadTfliteGraph, readTflite } from '../../compiler/tflite/read-tflite.ts';
import { FlatBufferView } from '../../compiler/tflite/flatbuffer-view.ts';
import { BufferFields, ModelFields } from '../../compiler/tflite/tflite-schema.ts';
import { compileGraph } from '../../compiler/compile-model.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { quantizeFloat32ToInt8 } from '../../compiler/input-data/quantize-input.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';

describe('int8 .tflite writer (kws float model quantized)', () => {
  const models: Record<string, QuantizedModel> = {};
  beforeAll(async () => {
    await useFloatBackend('wasm');
    const dir = corpusDir();
    const graph = importTflite(new Uint8Array(readFileSync(join(dir, 'models', 'kws_ref_model_float32.tflite'))), 'kws');
    const data = loadCalibrationData(join(dir, 'calibration', 'kws_calib_x.npy'), graph.tensors[graph.inputs[0]!]!.shape);
    models.int8 = quantizeModel(graph, data, { calibrationSamples: 64 });
    models.float32 = quantizeModel(graph, data, { calibrationSamples: 64, io: 'float32', perTensor: true });
  });

  for (const io of ['int8', 'float32'] as const) {
    it(`round trip (${io} I/O): the file runs to the same bytes as the in-memory graph`, () => {
      const q = models[io]!;
      const bytes = emitTflite(q.int8Graph);
      const back = loadTfliteGraph(bytes, 'back');
      expect(back.ops.map((o) => o.type)).toEqual(q.int8Graph.ops.map((o) => o.type));
      expect(back.tensors.map((t) => [t.dtype, t.shape, t.quant?.scale, t.quant?.zeroPoint]))
        .toEqual(q.int8Graph.tensors.map((t) => [t.dtype, t.shape, t.quant?.scale, t.quant?.zeroPoint]));
      const fromFile = Runtime.create(writeBlob(compileGraph(back)));
      const inMemory = Runtime.create(writeBlob(compileGraph(q.int8Graph)));
      const inT = q.int8Graph.tensors[q.int8Graph.inputs[0]!]!;
      for (let s = 0; s < 8; s++) {
        const x = q.evaluation.values.subarray(s * q.evaluation.sampleSize, (s + 1) * q.evaluation.sampleSize);
        const input = io === 'int8' ? quantizeFloat32ToInt8(x, inT.quant!.scale[0]!, inT.quant!.zeroPoint[0]!) : new Uint8Array(Float32Array.from(x).buffer);
        expect(fromFile.invoke([input])).toEqual(inMemory.invoke([input]));
      }
    });
  }

  it('writes TFLite-conformant structure: op versions, min_runtime_version, aligned constant data, no data on activations', () => {
    const bytes = emitTflite(models.float32!.int8Graph);
    const m = readTflite(bytes, 'x');
    expect(m.version).toBe(3);
    expect(Object.fromEntries(m.operatorCodes.map((c) => [c.name, c.version]))).toEqual({
      QUANTIZE: 1, CONV_2D: 3, DEPTHWISE_CONV_2D: 3, AVERAGE_POOL_2D: 2, RESHAPE: 1, FULLY_CONNECTED: 4, SOFTMAX: 2, DEQUANTIZE: 2,
    });
    expect(m.minRuntimeVersion).toBe('1.14.0');
    expect(m.buffers[0]!.data.length).toBe(0);
    const sg = m.subgraphs[0]!;
    const produced = new Set([...sg.inputs, ...sg.operators.flatMap((o) => o.outputs)]);
    // Per-channel weights were not asked for here (--per-tensor): one scale per filter.
    expect(sg.tensors.filter((t) => t.type === 'INT8' && t.buffer > 0).every((t) => t.quantization!.scale.length === 1)).toBe(true);

    const fb = new FlatBufferView(bytes, 'x');
    const buffers = fb.root('model').tables(ModelFields.buffers, (i) => `buffer ${i}`)!;
    sg.tensors.forEach((t) => {
      const data = buffers[t.buffer]!.byteView(BufferFields.data);
      if (produced.has(t.index)) {
        expect(t.buffer, `activation ${t.name}`).toBe(0);
      } else {
        expect(data, `constant ${t.name}`).toBeDefined();
        expect(data!.byteOffset % 16, `constant ${t.name} data offset`).toBe(0);
      }
    });
    expect(buffers[0]!.has(BufferFields.data)).toBe(false);
  });
});

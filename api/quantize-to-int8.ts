// The float half of `compile()`: a float graph and its calibration samples → the int8 graph, its kernel calls,
// blob and int8 .tflite, with TFLite's int8 rules. Reads no file (the caller brings the samples), so the playground
// quantizes with it as `tinyforge compile` does; the float reference runs on TensorFlow.js's WASM backend.
import type { CalibrationData } from '../compiler/calibrate/calibration-samples.ts';
import { useFloatBackend } from '../compiler/calibrate/tfjs-backend.ts';
import { compileGraph } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { emitTflite } from '../compiler/emit/tflite/emit-tflite.ts';
import type { Graph } from '../formats/ir/graph.ts';
import { quantizeModel, type QuantizeModelOptions } from '../compiler/quantize/quantize-model.ts';
import type { CompileResult } from './compile-int8.ts';

export async function quantizeToInt8(name: string, imported: Graph, data: CalibrationData, options: QuantizeModelOptions = {}): Promise<CompileResult> {
  await useFloatBackend('wasm');
  const quantization = quantizeModel(imported, data, options);
  const compiled = compileGraph(quantization.int8Graph);
  const tflite = emitTflite(quantization.int8Graph, { description: `tinyforge int8 from ${quantization.floatGraph.name}` });
  return { name, compiled, blob: writeBlob(compiled), tflite, quantization };
}

// Runs an int8 graph on tinyforge's WASM runtime with every activation exposed as an output,
// so the accuracy report can compare each layer with the float model.
import type { Graph, Tensor } from '../../formats/ir/graph.ts';
import { compileGraph } from '../compile-model.ts';
import { Runtime } from '../../runtime-as/index.ts';
import { quantizeFloat32ToInt8 } from '../input-data/quantize-input.ts';
import { writeBlob } from '../emit/blob/write-blob.ts';

export interface LayerRun {
  /** Dequantized (or float) values of each exposed tensor, by tensor id, for one sample. */
  values: Map<number, Float32Array>;
}

export class Int8ReferenceRun {
  private readonly runtime: Runtime;
  private readonly exposed: number[];

  constructor(readonly graph: Graph, tensors: readonly number[]) {
    this.exposed = [...new Set([...graph.outputs, ...tensors])];
    this.runtime = Runtime.create(writeBlob(compileGraph({ ...graph, outputs: this.exposed })));
  }

  /** One sample's float input values → every exposed tensor as float values. */
  run(input: Float32Array): Map<number, Float32Array> {
    const inT = this.graph.tensors[this.graph.inputs[0]!]!;
    const bytes = inT.dtype === 'float32'
      ? new Uint8Array(Float32Array.from(input).buffer)
      : quantizeFloat32ToInt8(input, inT.quant!.scale[0]!, inT.quant!.zeroPoint[0]!);
    const outs = this.runtime.invoke([bytes]);
    return new Map(this.exposed.map((id, k) => [id, toFloat(this.graph.tensors[id]!, outs[k]!)]));
  }
}

export function toFloat(t: Tensor, bytes: Uint8Array): Float32Array {
  if (t.dtype === 'float32') return new Float32Array(bytes.slice().buffer);
  if (t.dtype !== 'int8' || !t.quant) throw new Error(`tensor ${t.id} '${t.name}' is ${t.dtype}; expected int8 with quantization or float32`);
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const s = t.quant.scale[0]!;
  const z = t.quant.zeroPoint[0]!;
  return Float32Array.from(q, (v) => (v - z) * s);
}

// ONNX ModelProto (as PyTorch's exporter writes it: NCHW, Conv pads/strides/group/dilations,
// Gemm transB=1, Flatten, BatchNormalization) → IR in TFLite's layouts. 4-D activations
// become NHWC here: Conv weights [O, I, kh, kw] → [O, kh, kw, I], depthwise (group = channels)
// → [1, kh, kw, O], channel axes of Concat/Softmax move to the last axis, and a Flatten of a
// C×H×W tensor records the NCHW→NHWC order so the following Gemm's weight columns are permuted
// to match. A Transpose/Squeeze/Unsqueeze that leaves the data in order becomes a RESHAPE (or
// nothing), and a stride-1 ConvTranspose a Conv with the kernel flipped. A float model becomes a float
// IR (tinyforge quantizes it after calibration). An already-quantized model (QuantizeLinear on an
// activation, or QLinear* ops) becomes an int8 IR with the model's own scales and zero points: QDQ
// pairs disappear into the int8 tensors they describe,
// DequantizeLinear'd int8/uint8 weights and int32 biases are used as they are (uint8 shifted to int8),
// Conv/Gemm→Relu→QuantizeLinear fuses the Relu, and where a kernel needs equal input/output
// parameters (pooling, reshapes, concatenation) and the model has different ones, an int8 requantize
// (QUANTIZE) carries the values over.
// An unsupported op or attribute ends with ImportError naming the node, the op and what to use.
import onnxProto from 'onnx-proto';
import type { Graph, Op, Quantization, Tensor } from '../../formats/ir/graph.ts';
import type { FusedActivation, OpAttrs, OpType, Padding } from '../../formats/ir/op-types.ts';
import { bytesOf } from '../ir/tensor-values.ts';
import { ImportError } from './import-error.ts';
import {
  int32Bias, int8Affine, int8Integers, int8Weights, irQuant, ONNX_UINT8, QuantizationMismatch, sameAffine,
  type Affine, type QuantizedConstant,
} from './onnx-quantization.ts';

const { onnx } = onnxProto;
// Decoded messages carry every field (protobufjs fills defaults); these say so to the type checker.
type Long = number | { toNumber(): number };
interface TensorProto { name: string; dims: Long[]; dataType: number; rawData: Uint8Array; floatData: number[]; int32Data: number[]; int64Data: Long[] }
interface AttributeProto { name: string; type: number; i: Long; f: number; ints: Long[]; floats: number[]; s: Uint8Array; t?: TensorProto | null }
interface NodeProto { name: string; opType: string; input: string[]; output: string[]; attribute: AttributeProto[] }
interface ValueInfoProto { name: string; type?: { tensorType?: { shape?: { dim: { dimValue?: Long | null; dimParam?: string | null }[] } | null } | null } | null }
interface GraphProto { node: NodeProto[]; initializer: TensorProto[]; input: ValueInfoProto[]; output: ValueInfoProto[] }

/** An ONNX value as the importer tracks it. */
interface Value {
  /** IR tensor id, or -1 for a constant not yet materialized (it lives in `values`). */
  id: number;
  /** The shape in ONNX's (NCHW) order. */
  onnxShape: number[];
  /** True when the IR tensor holds the 4-D value in NHWC order. */
  nhwc: boolean;
  /** Constant contents in ONNX order (float32, or int64 numbers for shapes/axes). */
  values?: Float32Array;
  /** For a flattened NHWC tensor: column k of the ONNX (NCHW) flattening is IR column perm[k]. */
  flatPerm?: Int32Array;
  /** ONNX data type of a constant (an initializer or Constant). */
  dataType?: number;
  /** A DequantizeLinear'd constant: its integers and parameters (`values` holds the real values). */
  ints?: QuantizedConstant;
}

/** Ops whose int8 kernels move values without rescaling: output parameters = input parameters. */
const PASS_THROUGH = new Set<OpType>(['RESHAPE', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'PAD', 'RELU6', 'IDENTITY']);
/** Ops whose int8 output parameters TFLite fixes. */
const FIXED_OUTPUT: Partial<Record<OpType, Affine>> = {
  SOFTMAX: { scale: 1 / 256, zeroPoint: -128 }, LOGISTIC: { scale: 1 / 256, zeroPoint: -128 }, TANH: { scale: 1 / 128, zeroPoint: 0 },
};
const QUANTIZED_WAY_OUT = 'QuantizeLinear/DequantizeLinear around every op (onnxruntime quantize_static), or the float model with --calibration';

const ALTERNATIVES: Record<string, string> = {
  QGemm: 'QLinearMatMul, or the QDQ form (onnxruntime quantize_static with QuantFormat.QDQ)',
  QLinearConcat: 'the QDQ form (QuantizeLinear/DequantizeLinear around Concat)',
  QLinearAveragePool: 'the QDQ form (QuantizeLinear/DequantizeLinear around AveragePool)',
  QLinearSigmoid: 'the QDQ form (QuantizeLinear/DequantizeLinear around Sigmoid)',
  QLinearSoftmax: 'the QDQ form (QuantizeLinear/DequantizeLinear around Softmax)',
  LeakyRelu: 'Relu', PRelu: 'Relu', Elu: 'Relu', Selu: 'Relu', Gelu: 'Relu or HardSwish', Silu: 'HardSwish',
  HardSigmoid: 'Sigmoid', Resize: 'a strided Conv', Upsample: 'a strided Conv', ReduceMean: 'GlobalAveragePool',
  Div: 'Mul by a constant reciprocal', LSTM: 'Conv/Gemm layers (a DS-CNN)', GRU: 'Conv/Gemm layers (a DS-CNN)',
  Pad: 'the pads attribute of Conv', LogSoftmax: 'Softmax',
};

export const ONNX_SUPPORTED_OPS = [
  'Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'Add', 'Mul', 'Sub', 'Relu', 'Clip', 'Sigmoid', 'Tanh', 'HardSwish',
  'BatchNormalization', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Reshape', 'Flatten', 'Squeeze',
  'Unsqueeze', 'Transpose', 'Concat', 'Softmax', 'Identity', 'Dropout', 'Constant', 'QuantizeLinear', 'DequantizeLinear',
  'QLinearConv', 'QLinearMatMul', 'QLinearAdd', 'QLinearMul', 'QLinearGlobalAveragePool',
] as const;

export function importOnnx(bytes: Uint8Array, name = 'model'): Graph {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ImportError(`${name}: not a readable ONNX file (${(err as Error).message})`);
  }
  if (!model.graph) throw new ImportError(`${name}: the ONNX model has no graph`);
  return new OnnxImporter(name).run(model.graph as unknown as GraphProto);
}

class OnnxImporter {
  private tensors: Tensor[] = [];
  private ops: Op[] = [];
  private values = new Map<string, Value>();
  /** True for an already-quantized model: the IR is int8 with the model's parameters. */
  private quantized = false;
  /** How many node inputs read each ONNX value (a Relu fuses into its producer only when it is the sole reader). */
  private readers = new Map<string, NodeProto[]>();
  /** The ONNX node each IR op comes from, and the op producing each IR tensor. */
  private nodeOfOp = new Map<Op, NodeProto>();
  private producer = new Map<number, Op>();
  private current?: NodeProto;
  private graphOutputs = new Set<string>();
  /**
   * Quantized models, for an IR tensor without parameters yet: the tensors that must share its
   * parameters (itself and the reshapes/pools between it and the op that computes them).
   */
  private links = new Map<number, number[]>();

  constructor(private name: string) {}

  run(g: GraphProto): Graph {
    for (const init of g.initializer) this.values.set(init.name, { id: -1, onnxShape: dims(init.dims), nhwc: false, values: tensorValues(init, this.name), dataType: init.dataType });
    const constants = new Set([...g.initializer.map((t) => t.name), ...g.node.filter((n) => n.opType === 'Constant').flatMap((n) => n.output)]);
    this.quantized = g.node.some((n) => n.opType.startsWith('QLinear') || (n.opType === 'QuantizeLinear' && !constants.has(n.input[0]!)));
    for (const n of g.node) for (const i of n.input) if (i) this.readers.set(i, [...(this.readers.get(i) ?? []), n]);
    for (const o of g.output) this.graphOutputs.add(o.name);
    const inputs: number[] = [];
    for (const vi of g.input) {
      if (this.values.has(vi.name)) continue;
      const shape = (vi.type?.tensorType?.shape?.dim ?? []).map((d, k) => {
        const v = d.dimValue ? Number(typeof d.dimValue === 'number' ? d.dimValue : d.dimValue.toNumber()) : 0;
        if (v > 0) return v;
        if (k === 0) return 1; // a symbolic batch dimension
        throw new ImportError(`${this.name}: input ${vi.name} has unknown dimension ${k} ('${d.dimParam}'); export the model with a fixed input shape`);
      });
      const nhwc = shape.length === 4;
      const id = this.activation(vi.name, nhwc ? toNhwcShape(shape) : shape);
      this.values.set(vi.name, { id, onnxShape: shape, nhwc });
      inputs.push(id);
    }
    for (const node of g.node) this.node(node);
    if (this.quantized) this.checkAllInt8(inputs);
    const outputs = g.output.map((vi) => {
      const v = this.values.get(vi.name);
      if (!v || v.id < 0) throw new ImportError(`${this.name}: output ${vi.name} is not produced by any node`);
      return v.id;
    });
    return { name: this.name, tensors: this.tensors, ops: this.ops, inputs, outputs };
  }

  private refuse(node: NodeProto, why: string, alternative?: string): never {
    const alt = alternative ?? ALTERNATIVES[node.opType] ?? `one of the supported ops: ${ONNX_SUPPORTED_OPS.join(', ')}`;
    throw new ImportError(`${this.name}: node '${node.name || node.output[0]}' (${node.opType}): ${why}; use ${alt} instead`);
  }

  private get(node: NodeProto, k: number): Value {
    const v = this.values.get(node.input[k]!);
    if (!v) this.refuse(node, `input ${k} '${node.input[k]}' is not defined before the node`, 'a topologically sorted graph (re-export the model)');
    return v;
  }

  private constValues(node: NodeProto, k: number, what: string): Float32Array {
    const v = this.get(node, k);
    if (!v.values) this.refuse(node, `${what} (input ${k}) must be a constant initializer`, `a ${node.opType} whose ${what} is a constant`);
    return v.values;
  }

  private activation(name: string, shape: number[]): number {
    const id = this.tensors.length;
    this.tensors.push({ id, name, shape, dtype: 'float32' });
    return id;
  }

  private constant(name: string, shape: number[], values: Float32Array | Int32Array | Int8Array, quant?: Quantization): number {
    const id = this.tensors.length;
    const dtype = values instanceof Int32Array ? 'int32' : values instanceof Int8Array ? 'int8' : 'float32';
    this.tensors.push({ id, name, shape, dtype, data: new Uint8Array(bytesOf(values.slice())), ...(quant ? { quant } : {}) });
    return id;
  }

  /** The IR tensor of a value, materializing a constant (in NHWC when it is a 4-D per-channel constant). */
  private tensorOf(v: Value, name: string): number {
    if (v.id >= 0) return v.id;
    v.id = this.constant(name, v.onnxShape, v.values!);
    return v.id;
  }

  private op<T extends OpType>(type: T, inputs: number[], output: { name: string; onnxShape: number[]; nhwc: boolean; flatPerm?: Int32Array }, attrs: OpAttrs[T]): Value {
    const shape = output.nhwc ? toNhwcShape(output.onnxShape) : output.onnxShape;
    const id = this.activation(output.name, shape);
    const op = { index: this.ops.length, type, inputs, outputs: [id], attrs } as Op;
    this.ops.push(op);
    this.producer.set(id, op);
    if (this.current) this.nodeOfOp.set(op, this.current);
    const v: Value = { id, onnxShape: output.onnxShape, nhwc: output.nhwc, ...(output.flatPerm ? { flatPerm: output.flatPerm } : {}) };
    if (this.quantized && PASS_THROUGH.has(type)) {
      // An int8 kernel that moves values keeps its input's parameters: known now, or taken together later.
      const src = inputs[0]!;
      const q = this.quantOfId(src);
      if (q) this.setQuant([id], q);
      else this.links.set(id, [...(this.links.get(src) ?? [src]), id]);
    }
    this.values.set(output.name, v);
    return v;
  }

  /**
   * Transpose/Squeeze/Unsqueeze: `from[k]` is the input axis of output axis k (-1 for a new axis of 1).
   * tinyforge has no transpose kernel, so the op must leave the IR data in order: it becomes a RESHAPE
   * (or nothing) when the output, held as NHWC or as it is, reads the same bytes; otherwise refused.
   */
  private relayout(n: NodeProto, v: Value, from: number[], alternative: string): void {
    if (v.flatPerm) this.refuse(n, 'reorders a flattened NCHW tensor', alternative);
    const shape = from.map((a) => (a < 0 ? 1 : v.onnxShape[a]!));
    if (v.values) {
      const values = n.opType === 'Transpose' ? permute(v.values, v.onnxShape, from) : v.values;
      this.values.set(n.output[0]!, { id: -1, onnxShape: shape, nhwc: false, values, ...(v.dataType !== undefined ? { dataType: v.dataType } : {}) });
      return;
    }
    const irOrder = (rank: number, nhwc: boolean) => (nhwc ? [0, 2, 3, 1] : Array.from({ length: rank }, (_, k) => k));
    // The input's non-1 axes in IR (memory) order, and the output's, traced back to input axes.
    const inSeq = irOrder(v.onnxShape.length, v.nhwc).filter((a) => v.onnxShape[a] !== 1);
    for (const nhwc of shape.length === 4 ? [true, false] : [false]) {
      const outSeq = irOrder(shape.length, nhwc).map((k) => from[k]!).filter((a) => a >= 0 && v.onnxShape[a] !== 1);
      if (outSeq.join() !== inSeq.join()) continue;
      const irShape = nhwc ? toNhwcShape(shape) : shape;
      if (irShape.join() === this.tensors[v.id]!.shape.join()) { this.values.set(n.output[0]!, { id: v.id, onnxShape: shape, nhwc }); return; }
      this.op('RESHAPE', [v.id], { name: n.output[0]!, onnxShape: shape, nhwc }, { newShape: irShape });
      return;
    }
    const what = n.opType === 'Transpose' ? `perm [${from.join(', ')}]` : `axes → [${shape.join(', ')}]`;
    this.refuse(n, `${what} of a [${v.onnxShape.join(', ')}] tensor reorders its data (tinyforge has no transpose kernel)`, alternative);
  }

  // ---- already-quantized models ----

  private setQuant(ids: number[], p: Affine): void {
    for (const id of ids) {
      const t = this.tensors[id]!;
      t.dtype = 'int8';
      t.quant = irQuant(p);
    }
  }

  private quantOf(v: Value): Affine | undefined {
    return v.id >= 0 ? this.quantOfId(v.id) : undefined;
  }

  /** A tensor's parameters, or those a tensor it shares them with has received since. */
  private quantOfId(id: number): Affine | undefined {
    const chain = this.tensors[id]!.quant ? [id] : (this.links.get(id) ?? [id]);
    const q = chain.map((t) => this.tensors[t]!.quant).find((x) => x !== undefined);
    if (!q) return undefined;
    const p = { scale: q.scale[0]!, zeroPoint: q.zeroPoint[0]! };
    this.setQuant(chain.filter((t) => !this.tensors[t]!.quant), p);
    return p;
  }

  /** A per-tensor (scale, zero point) pair from a node's inputs, in int8 terms. */
  private affine(n: NodeProto, scaleAt: number, zpAt: number): Affine {
    const scale = this.constValues(n, scaleAt, 'scale');
    const zpv = n.input[zpAt] ? this.get(n, zpAt) : undefined;
    const zp = zpv ? this.constValues(n, zpAt, 'zero point') : Float32Array.of(0);
    if (scale.length !== 1 || zp.length !== 1) this.refuse(n, `per-axis quantization of an activation (${scale.length} scales)`, 'one scale and zero point per activation tensor');
    // No zero point: uint8 with zero point 0 (the ONNX default).
    return this.wrap(n, () => int8Affine(scale[0]!, zp[0]!, zpv?.dataType ?? ONNX_UINT8));
  }

  private wrap<T>(n: NodeProto, f: () => T, alternative = QUANTIZED_WAY_OUT): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof QuantizationMismatch) this.refuse(n, err.message, alternative);
      throw err;
    }
  }

  /** An int8 activation input of a quantized op: refused when it is still float (no QuantizeLinear before it). */
  private int8Input(n: NodeProto, k: number, expected?: Affine): Value {
    const v = this.get(n, k);
    if (v.values) this.refuse(n, `input ${k} '${n.input[k]}' is a float constant in a quantized model`, 'DequantizeLinear of int8 initializers');
    const q = this.quantOf(v);
    if (!q) this.refuse(n, `input ${k} '${n.input[k]}' is a float activation in a quantized model (no QuantizeLinear before it)`, QUANTIZED_WAY_OUT);
    return expected && !sameAffine(q, expected) ? this.requantize(`${n.input[k]}/requantized`, v, expected) : v;
  }

  /** An int8 → int8 QUANTIZE carrying `v` over to parameters `p` (TFLite's requantize). */
  private requantize(name: string, v: Value, p: Affine): Value {
    const out = this.op('QUANTIZE', [v.id], { name, onnxShape: v.onnxShape, nhwc: v.nhwc, ...(v.flatPerm ? { flatPerm: v.flatPerm } : {}) }, {});
    this.setQuant([out.id], p);
    return out;
  }

  /** QuantizeLinear of an activation: names the parameters of a pending value, or requantizes a quantized one. */
  private quantizeLinear(n: NodeProto): void {
    const v = this.get(n, 0);
    if (v.values) this.refuse(n, 'quantizing a constant float tensor', 'DequantizeLinear of int8 initializers');
    const p = this.affine(n, 1, 2);
    this.values.set(n.output[0]!, this.assign(n.output[0]!, v, p));
  }

  /** The value `v` with int8 parameters `p`: given to it if it has none yet, else carried over by a requantize. */
  private assign(name: string, v: Value, p: Affine): Value {
    const q = this.quantOf(v);
    if (q) return sameAffine(q, p) ? v : this.requantize(name, v, p);
    const chain = this.links.get(v.id) ?? [v.id];
    const fixed = FIXED_OUTPUT[this.producer.get(chain[0]!)?.type as OpType];
    if (fixed && !sameAffine(fixed, p)) {
      this.setQuant(chain, fixed);
      return this.requantize(name, v, p);
    }
    this.setQuant(chain, p);
    return v;
  }

  /** DequantizeLinear: of a constant, its real values and integers; of an activation, the int8 tensor itself. */
  private dequantizeLinearQuantized(n: NodeProto): void {
    const v = this.get(n, 0);
    if (v.values) return this.dequantizeLinear(n);
    const p = this.affine(n, 1, 2);
    const q = this.quantOf(v);
    if (!q) this.refuse(n, `input '${n.input[0]}' is not a quantized tensor`, QUANTIZED_WAY_OUT);
    this.values.set(n.output[0]!, sameAffine(q, p) ? v : this.refuse(n, `parameters (${p.scale}, ${p.zeroPoint}) differ from those its input was quantized with (${q.scale}, ${q.zeroPoint})`, 'the same scale and zero point on a QuantizeLinear/DequantizeLinear pair'));
  }

  /** A constant as an int8 (or int32) IR tensor with its own parameters. */
  private quantizedConstant(n: NodeProto, k: number): { id: number; values: Float32Array; quant: Affine } {
    const v = this.get(n, k);
    if (!v.ints) this.refuse(n, `constant input ${k} '${n.input[k]}' is float in a quantized model`, 'DequantizeLinear of an int8 initializer');
    const { values, zeroPoint } = this.wrap(n, () => int8Integers(v.ints!));
    if (v.ints.scale.length !== 1) this.refuse(n, `constant '${n.input[k]}' is quantized per axis`, 'one scale for an elementwise constant');
    return { id: -1, values, quant: { scale: Math.fround(v.ints.scale[0]!), zeroPoint: zeroPoint[0]! } };
  }

  /** Every IR activation is int8 by the end, or the model mixes float and int8 (refused, naming the node). */
  private checkAllInt8(inputs: number[]): void {
    for (const id of inputs) {
      const t = this.tensors[id]!;
      if (t.dtype !== 'int8') throw new ImportError(`${this.name}: input '${t.name}' is read as float by a quantized model; use a QuantizeLinear right after the input instead`);
    }
    for (const op of this.ops) {
      const t = this.tensors[op.outputs[0]!]!;
      if (t.dtype === 'int8') continue;
      const node = this.nodeOfOp.get(op);
      const label = node ? `node '${node.name || node.output[0]}' (${node.opType})` : `op ${op.type}`;
      throw new ImportError(`${this.name}: ${label}: its output '${t.name}' is never quantized (no QuantizeLinear after it) in a quantized model; use ${QUANTIZED_WAY_OUT} instead`);
    }
  }

  private node(n: NodeProto): void {
    this.current = n;
    const out = n.output[0]!;
    const attr = attrsOf(n);
    const x = () => this.get(n, 0);
    const same = (v: Value) => ({ name: out, onnxShape: v.onnxShape, nhwc: v.nhwc });
    switch (n.opType) {
      case 'Constant': {
        const t = n.attribute.find((a) => a.name === 'value')?.t;
        if (!t) this.refuse(n, 'only the tensor form (value=) of Constant is supported', 'an initializer');
        this.values.set(out, { id: -1, onnxShape: dims(t.dims), nhwc: false, values: tensorValues(t, this.name), dataType: t.dataType });
        return;
      }
      case 'Identity': case 'Dropout': {
        const v = x();
        if (v.values || this.quantized) { this.values.set(out, v); return; }
        this.op('IDENTITY', [v.id], { ...same(v), ...(v.flatPerm ? { flatPerm: v.flatPerm } : {}) }, {});
        return;
      }
      case 'DequantizeLinear': return this.quantized ? this.dequantizeLinearQuantized(n) : this.dequantizeLinear(n);
      case 'QLinearConv': return this.qlinearConv(n, attr);
      case 'QLinearMatMul': return this.qlinearMatMul(n);
      case 'QLinearAdd': case 'QLinearMul': return this.qlinearBinary(n);
      case 'QLinearGlobalAveragePool': return this.qlinearGlobalAveragePool(n, attr);
      case 'QuantizeLinear': {
        if (this.quantized) return this.quantizeLinear(n);
        // Its DequantizeLinear partner passes the float value on; the scale is re-derived by calibration.
        const v = x();
        if (v.values) this.refuse(n, 'quantizing a constant float tensor', 'DequantizeLinear of int8 initializers');
        this.values.set(out, v);
        return;
      }
      case 'Conv': this.conv(n, attr); return;
      case 'ConvTranspose': this.convTranspose(n, attr); return;
      case 'Gemm': case 'MatMul': this.gemm(n, attr); return;
      case 'Add': case 'Mul': case 'Sub': this.binary(n); return;
      case 'Relu': if (!this.fuseActivation(n, 'RELU')) this.op('RELU', [x().id], same(x()), {}); return;
      case 'Sigmoid': this.op('LOGISTIC', [x().id], same(x()), {}); return;
      case 'Tanh': this.op('TANH', [x().id], same(x()), {}); return;
      case 'HardSwish': this.op('HARD_SWISH', [x().id], same(x()), {}); return;
      case 'Clip': {
        const lo = n.input[1] ? this.constValues(n, 1, 'min')[0]! : (attr.min as number | undefined) ?? -Infinity;
        const hi = n.input[2] ? this.constValues(n, 2, 'max')[0]! : (attr.max as number | undefined) ?? Infinity;
        if (lo === 0 && hi === 6) { if (!this.fuseActivation(n, 'RELU6')) this.op('RELU6', [x().id], same(x()), {}); }
        else if (lo === 0 && hi === Infinity) { if (!this.fuseActivation(n, 'RELU')) this.op('RELU', [x().id], same(x()), {}); }
        else this.refuse(n, `Clip(${lo}, ${hi}) has no int8 kernel`, 'Clip(0, 6) (ReLU6) or Relu');
        return;
      }
      case 'BatchNormalization': {
        const v = x();
        if (this.quantized) this.refuse(n, 'BatchNormalization in a quantized model', 'a model quantized after folding BatchNormalization into the Conv (as onnxruntime quantize_static does)');
        if (!v.nhwc && v.onnxShape.length !== 2) this.refuse(n, `BatchNormalization of a rank-${v.onnxShape.length} tensor`, 'BatchNormalization after a Conv (NCHW)');
        const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((k) => this.tensorOf(this.get(n, k), n.input[k]!));
        this.op('BATCH_NORM', [v.id, gamma!, beta!, mean!, variance!], same(v), { epsilon: (attr.epsilon as number | undefined) ?? 1e-5 });
        return;
      }
      case 'MaxPool': case 'AveragePool': return this.pool(n, attr);
      case 'GlobalAveragePool': {
        const v = x();
        if (!v.nhwc) this.refuse(n, 'input is not a 4-D NCHW tensor', 'GlobalAveragePool after a Conv');
        const axes = this.constant(`${out}/axes`, [2], Int32Array.from([1, 2]));
        this.op('MEAN', [v.id, axes], { name: out, onnxShape: [v.onnxShape[0]!, v.onnxShape[1]!, 1, 1], nhwc: true }, { keepDims: true });
        return;
      }
      case 'Flatten': {
        const v = x();
        const axis = (attr.axis as number | undefined) ?? 1;
        if (axis !== 1) this.refuse(n, `Flatten axis ${axis}`, 'Flatten with axis=1');
        return this.flatten(n, v);
      }
      case 'Reshape': {
        const v = x();
        const target = Array.from(this.constValues(n, 1, 'shape'));
        const total = v.onnxShape.reduce((a, b) => a * b, 1);
        const known = target.reduce((a, d, k) => a * (d === -1 ? 1 : d === 0 ? v.onnxShape[k]! : d), 1);
        const shape = target.map((d, k) => (d === -1 ? total / known : d === 0 ? v.onnxShape[k]! : d));
        if (v.nhwc && shape.length === 2 && shape[0] === v.onnxShape[0]) return this.flatten(n, v);
        if (v.nhwc || shape.length === 4) this.refuse(n, `Reshape [${v.onnxShape.join(', ')}] → [${shape.join(', ')}] would reorder NCHW data`, 'Flatten (to [N, C·H·W]) or a Reshape between 2-D shapes');
        this.op('RESHAPE', [v.id], { name: out, onnxShape: shape, nhwc: false }, { newShape: shape });
        return;
      }
      case 'Squeeze': case 'Unsqueeze': {
        const v = x();
        const axes = n.input[1] ? Array.from(this.constValues(n, 1, 'axes')) : ((attr.axes as number[] | undefined) ?? []);
        const rank = v.onnxShape.length;
        let from: number[]; // the input axis of each output axis (-1: a new axis of 1)
        if (n.opType === 'Squeeze') {
          const drop = new Set((axes.length ? axes : v.onnxShape.flatMap((d, k) => (d === 1 ? [k] : []))).map((a) => (a < 0 ? a + rank : a)));
          from = v.onnxShape.flatMap((_, k) => (drop.has(k) ? [] : [k]));
        } else {
          from = v.onnxShape.map((_, k) => k);
          for (const a of [...axes].map((a) => (a < 0 ? a + rank + axes.length : a)).sort((p, q) => p - q)) from.splice(a, 0, -1);
        }
        this.relayout(n, v, from, 'Flatten, or a Squeeze/Unsqueeze of size-1 axes that leaves the data in order');
        return;
      }
      case 'Transpose': {
        const v = x();
        const rank = v.onnxShape.length;
        const perm = (attr.perm as number[] | undefined) ?? v.onnxShape.map((_, k) => rank - 1 - k);
        this.relayout(n, v, perm, `no Transpose in the exported graph, or one that only undoes tinyforge's NCHW→NHWC (perm [0, 2, 3, 1] after a Conv, [0, 3, 1, 2] before one)`);
        return;
      }
      case 'Concat': {
        const vs = n.input.map((_, k) => this.get(n, k));
        const rank = vs[0]!.onnxShape.length;
        let axis = attr.axis as number;
        if (axis < 0) axis += rank;
        const nhwc = vs[0]!.nhwc;
        const shape = [...vs[0]!.onnxShape];
        shape[axis] = vs.reduce((s, v) => s + v.onnxShape[axis]!, 0);
        const irAxis = nhwc ? [0, 3, 1, 2][axis]! : axis;
        if (!this.quantized) {
          this.op('CONCATENATION', vs.map((v, k) => this.tensorOf(v, n.input[k]!)), { name: out, onnxShape: shape, nhwc }, { axis: irAxis, activation: 'NONE' });
          return;
        }
        // int8 CONCATENATION copies bytes: every input takes the parameters of the QuantizeLinear after it.
        const readers = this.readers.get(out) ?? [];
        const next = readers.length === 1 && readers[0]!.opType === 'QuantizeLinear' ? readers[0]! : undefined;
        const target = next ? this.affine(next, 1, 2) : this.quantOf(this.int8Input(n, 0));
        const ins = vs.map((_, k) => this.int8Input(n, k, target).id);
        const cv = this.op('CONCATENATION', ins, { name: out, onnxShape: shape, nhwc }, { axis: irAxis, activation: 'NONE' });
        this.setQuant([cv.id], target!);
        return;
      }
      case 'Softmax': {
        const v = x();
        const rank = v.onnxShape.length;
        let axis = (attr.axis as number | undefined) ?? -1;
        if (axis < 0) axis += rank;
        if (v.nhwc || axis !== rank - 1) this.refuse(n, `Softmax over axis ${axis} of a rank-${rank} tensor`, 'Softmax over the last axis of a 2-D tensor');
        this.op('SOFTMAX', [v.id], same(v), { beta: 1 });
        return;
      }
      default:
        this.refuse(n, 'this op is not supported');
    }
  }

  private dequantizeLinear(n: NodeProto): void {
    const v = this.get(n, 0);
    const scale = this.constValues(n, 1, 'scale');
    const zp = n.input[2] ? this.constValues(n, 2, 'zero point') : new Float32Array(scale.length);
    if (!v.values) { this.values.set(n.output[0]!, v); return; } // the activation half of a Q/DQ pair
    const axisAttr = (attrsOf(n).axis as number | undefined) ?? 1;
    const inner = scale.length > 1 ? v.onnxShape.slice(axisAttr + 1).reduce((a, b) => a * b, 1) : 1;
    const out = Float32Array.from(v.values, (q, i) => {
      const c = scale.length > 1 ? Math.floor(i / inner) % scale.length : 0;
      return (q - zp[c]!) * scale[c]!;
    });
    const zpType = n.input[2] ? this.get(n, 2).dataType : undefined;
    const ints: QuantizedConstant = { values: v.values, dataType: v.dataType ?? zpType ?? ONNX_UINT8, scale: Array.from(scale), zeroPoint: Array.from(zp), axis: axisAttr };
    this.values.set(n.output[0]!, { id: -1, onnxShape: v.onnxShape, nhwc: false, values: out, ints });
  }

  /** Conv, or QLinearConv with its operands resolved (`ops`). Returns the output value. */
  private conv(n: NodeProto, attr: Record<string, unknown>, ops?: { x: Value; w: Value; b?: Value }): Value {
    const v = ops?.x ?? (this.quantized ? this.int8Input(n, 0) : this.get(n, 0));
    if (!v.nhwc) this.refuse(n, `input has rank ${v.onnxShape.length}`, 'a 2-D Conv on an NCHW input (Conv1d: export as Conv2d with height 1)');
    const wv = ops?.w ?? this.get(n, 1);
    const w = ops?.w.values ?? this.constValues(n, 1, 'weight');
    const [o, ipg, kh, kw] = wv.onnxShape as [number, number, number, number];
    if (wv.onnxShape.length !== 4) this.refuse(n, `weight of rank ${wv.onnxShape.length}`, 'Conv2d');
    const group = (attr.group as number | undefined) ?? 1;
    const cin = v.onnxShape[1]!;
    const [sh, sw] = (attr.strides as number[] | undefined) ?? [1, 1];
    const [dh, dw] = (attr.dilations as number[] | undefined) ?? [1, 1];
    if (attr.auto_pad && attr.auto_pad !== 'NOTSET') this.refuse(n, `auto_pad ${attr.auto_pad}`, 'explicit pads (as PyTorch writes them)');
    const pads = (attr.pads as number[] | undefined) ?? [0, 0, 0, 0];
    const [h, wd] = [v.onnxShape[2]!, v.onnxShape[3]!];
    const oh = Math.floor((h + pads[0]! + pads[2]! - (dh! * (kh - 1) + 1)) / sh!) + 1;
    const ow = Math.floor((wd + pads[1]! + pads[3]! - (dw! * (kw - 1) + 1)) / sw!) + 1;
    const depthwise = group !== 1 && group === cin && ipg === 1;
    if (group !== 1 && !depthwise) this.refuse(n, `grouped convolution (group ${group} of ${cin} channels)`, 'group=1 or a depthwise Conv (group = input channels)');
    const { input, padding } = this.padded(n, v, pads, [kh, kw], [sh!, sw!], [dh!, dw!]);
    const bv = ops ? ops.b : n.input[2] ? this.get(n, 2) : undefined;
    const outV = { name: n.output[0]!, onnxShape: [v.onnxShape[0]!, o, oh, ow], nhwc: true };
    const base = { padding, strideH: sh!, strideW: sw!, dilationH: dh!, dilationW: dw!, activation: 'NONE' as FusedActivation };
    // [O, I, kh, kw] → [O, kh, kw, I]; depthwise [O, 1, kh, kw] → [1, kh, kw, O] (output channel o reads
    // input channel floor(o / multiplier), as in TFLite).
    const [perm, shape] = depthwise ? [[1, 2, 3, 0], [1, kh, kw, o]] : [[0, 2, 3, 1], [o, kh, kw, ipg]];
    let filter: number;
    let bias: number;
    if (this.quantized) {
      if (!wv.ints) this.refuse(n, `float weights '${n.input[1]}' in a quantized model`, 'DequantizeLinear of int8 weights');
      const q = this.wrap(n, () => int8Weights(wv.ints!, 0, 4), 'symmetric int8 weights (onnxruntime quantize_static(weight_type=QInt8)), or the float model with --calibration');
      const quant = { scale: q.scale, zeroPoint: q.scale.map(() => 0), axis: depthwise ? 3 : 0 };
      filter = this.constant(n.input[1]!, shape, Int8Array.from(permute(q.values, [o, ipg, kh, kw], perm)), quant);
      const b = this.wrap(n, () => int32Bias(bv, this.quantOf(v)!.scale, q.scale, o));
      bias = this.constant(n.input[2] || `${n.input[1]}/bias`, [o], b.data, { scale: b.scale, zeroPoint: b.scale.map(() => 0), axis: 0 });
    } else {
      filter = this.constant(n.input[1]!, shape, permute(w, [o, ipg, kh, kw], perm));
      bias = bv ? this.tensorOf(bv, n.input[2]!) : -1;
    }
    return depthwise
      ? this.op('DEPTHWISE_CONV_2D', [input, filter, bias], outV, { ...base, depthMultiplier: o / cin })
      : this.op('CONV_2D', [input, filter, bias], outV, base);
  }

  /**
   * A stride-1 ConvTranspose is a Conv over the input padded by kernel − 1 − pads, with the kernel
   * flipped and its in/out channels swapped (depthwise: flipped only). Strided ones would need zeros
   * between the input values, which no int8 kernel here inserts: refused.
   */
  private convTranspose(n: NodeProto, attr: Record<string, unknown>): void {
    const wv = this.get(n, 1);
    const w = this.constValues(n, 1, 'weight');
    if (wv.onnxShape.length !== 4) this.refuse(n, `weight of rank ${wv.onnxShape.length}`, 'ConvTranspose2d');
    const [cin, opg, kh, kw] = wv.onnxShape as [number, number, number, number];
    const group = (attr.group as number | undefined) ?? 1;
    const strides = (attr.strides as number[] | undefined) ?? [1, 1];
    const alt = 'a stride-1 ConvTranspose (tinyforge rewrites it as a Conv), or a Conv decoder';
    if (strides.some((s) => s !== 1)) this.refuse(n, `strides [${strides.join(', ')}] (only stride 1 becomes a Conv; tinyforge has no TRANSPOSE_CONV kernel)`, alt);
    if (((attr.dilations as number[] | undefined) ?? [1, 1]).some((d) => d !== 1)) this.refuse(n, 'dilations other than 1', alt);
    if (attr.auto_pad && attr.auto_pad !== 'NOTSET') this.refuse(n, `auto_pad ${attr.auto_pad}`, 'explicit pads (as PyTorch writes them)');
    if (attr.output_shape) this.refuse(n, 'output_shape', 'explicit pads (as PyTorch writes them)');
    const pads = (attr.pads as number[] | undefined) ?? [0, 0, 0, 0];
    const extra = (attr.output_padding as number[] | undefined) ?? [0, 0];
    const convPads = [kh - 1 - pads[0]!, kw - 1 - pads[1]!, kh - 1 - pads[2]! + extra[0]!, kw - 1 - pads[3]! + extra[1]!];
    if (convPads.some((p) => p < 0)) this.refuse(n, `pads [${pads.join(', ')}] beyond kernel − 1 (${kh - 1}, ${kw - 1})`, 'pads of at most kernel − 1');
    const depthwise = group > 1 && group === cin && opg === 1;
    if (group !== 1 && !depthwise) this.refuse(n, `grouped ConvTranspose (group ${group} of ${cin} channels)`, 'group=1 or a depthwise ConvTranspose (group = channels)');
    const [cout, ci] = depthwise ? [cin, 1] : [opg, cin];
    // W'[o, i, a, b] = W[i, o, kh−1−a, kw−1−b]; depthwise W'[c, 0, a, b] = W[c, 0, kh−1−a, kw−1−b].
    const flip = (vals: Float32Array) => {
      const out = new Float32Array(vals.length);
      for (let o = 0; o < cout; o++) for (let i = 0; i < ci; i++) for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
        const src = depthwise ? ((o * kh + kh - 1 - a) * kw + kw - 1 - b) : (((i * opg + o) * kh + kh - 1 - a) * kw + kw - 1 - b);
        out[((o * ci + i) * kh + a) * kw + b] = vals[src]!;
      }
      return out;
    };
    const ints = wv.ints && { ...wv.ints, values: flip(wv.ints.values), axis: depthwise || wv.ints.scale.length === 1 ? 0 : wv.ints.axis === 1 ? 0 : 1 };
    const flipped: Value = { id: -1, onnxShape: [cout, ci, kh, kw], nhwc: false, values: flip(w), ...(ints ? { ints } : {}) };
    const x = this.quantized ? this.int8Input(n, 0) : this.get(n, 0);
    const b = n.input[2] ? this.get(n, 2) : undefined;
    this.conv(n, { ...attr, pads: convPads, strides: [1, 1], dilations: [1, 1], group, kernel_shape: [kh, kw] }, { x, w: flipped, ...(b ? { b } : {}) });
  }

  /** ONNX's explicit pads as TFLite padding: VALID, SAME when they equal TFLite's SAME split, else a PAD op first. */
  private padded(n: NodeProto, v: Value, pads: number[], k: number[], s: number[], d: number[]): { input: number; padding: Padding } {
    if (pads.every((p) => p === 0)) return { input: v.id, padding: 'VALID' };
    const sizes = [v.onnxShape[2]!, v.onnxShape[3]!];
    const sameOk = [0, 1].every((i) => {
      const out = Math.ceil(sizes[i]! / s[i]!);
      const total = Math.max((out - 1) * s[i]! + (k[i]! - 1) * d[i]! + 1 - sizes[i]!, 0);
      return pads[i] === Math.floor(total / 2) && pads[i + 2] === total - Math.floor(total / 2);
    });
    if (sameOk) return { input: v.id, padding: 'SAME' };
    if (!['Conv', 'ConvTranspose', 'QLinearConv'].includes(n.opType)) this.refuse(n, `pads [${pads.join(', ')}] differ from SAME padding`, 'pads that split like TensorFlow SAME, or none');
    const p = this.constant(`${n.output[0]}/pads`, [4, 2], Int32Array.from([0, 0, pads[0]!, pads[2]!, pads[1]!, pads[3]!, 0, 0]));
    const padShape = [v.onnxShape[0]!, v.onnxShape[1]!, sizes[0]! + pads[0]! + pads[2]!, sizes[1]! + pads[1]! + pads[3]!];
    const pv = this.op('PAD', [v.id, p], { name: `${n.output[0]}/padded`, onnxShape: padShape, nhwc: true }, {});
    return { input: pv.id, padding: 'VALID' };
  }

  private pool(n: NodeProto, attr: Record<string, unknown>): void {
    const v = this.get(n, 0);
    if (!v.nhwc) this.refuse(n, 'input is not 4-D NCHW', 'a 2-D pool after a Conv');
    const [kh, kw] = attr.kernel_shape as number[];
    const [sh, sw] = (attr.strides as number[] | undefined) ?? [1, 1];
    if ((attr.ceil_mode as number | undefined) ?? 0) this.refuse(n, 'ceil_mode=1', 'ceil_mode=0');
    if ((attr.dilations as number[] | undefined)?.some((d) => d !== 1)) this.refuse(n, 'dilated pooling', 'dilations=1');
    const pads = (attr.pads as number[] | undefined) ?? [0, 0, 0, 0];
    if (n.opType === 'AveragePool' && pads.some((p) => p > 0) && attr.count_include_pad) this.refuse(n, 'count_include_pad=1 with padding', 'count_include_pad=0');
    const { input, padding } = this.padded(n, v, pads, [kh!, kw!], [sh!, sw!], [1, 1]);
    const oh = Math.floor((v.onnxShape[2]! + pads[0]! + pads[2]! - kh!) / sh!) + 1;
    const ow = Math.floor((v.onnxShape[3]! + pads[1]! + pads[3]! - kw!) / sw!) + 1;
    this.op(n.opType === 'MaxPool' ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', [input],
      { name: n.output[0]!, onnxShape: [v.onnxShape[0]!, v.onnxShape[1]!, oh, ow], nhwc: true },
      { padding, strideH: sh!, strideW: sw!, filterH: kh!, filterW: kw!, activation: 'NONE' });
  }

  private flatten(n: NodeProto, v: Value): void {
    const [b, ...rest] = v.onnxShape as [number, ...number[]];
    const features = rest.reduce((a, d) => a * d, 1);
    let flatPerm: Int32Array | undefined;
    if (v.nhwc && (v.onnxShape[2]! > 1 || v.onnxShape[3]! > 1)) {
      const [, c, h, w] = v.onnxShape as [number, number, number, number];
      flatPerm = new Int32Array(features);
      for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) flatPerm[(ci * h + y) * w + xx] = (y * w + xx) * c + ci;
    }
    this.op('RESHAPE', [v.id], { name: n.output[0]!, onnxShape: [b, features], nhwc: false, ...(flatPerm ? { flatPerm } : {}) }, { newShape: [b, features] });
  }

  /** Gemm/MatMul, or QLinearMatMul with its operands resolved (`ops`). Returns the output value. */
  private gemm(n: NodeProto, attr: Record<string, unknown>, ops?: { a: Value; b: Value }): Value {
    const a = ops?.a ?? (this.quantized ? this.int8Input(n, 0) : this.get(n, 0));
    const bv = ops?.b ?? this.get(n, 1);
    if (a.nhwc || a.onnxShape.length !== 2) this.refuse(n, `input A has shape [${a.onnxShape.join(', ')}]`, 'Flatten before the Gemm/MatMul');
    const b = ops?.b.values ?? this.constValues(n, 1, 'B (the weights)');
    if (n.opType === 'Gemm') {
      if (((attr.alpha as number | undefined) ?? 1) !== 1 || ((attr.beta as number | undefined) ?? 1) !== 1) this.refuse(n, 'alpha/beta other than 1', 'Gemm with alpha=beta=1 (as torch.nn.Linear exports)');
      if (attr.transA) this.refuse(n, 'transA=1', 'transA=0');
    }
    const transB = n.opType === 'Gemm' && Boolean(attr.transB);
    if (bv.onnxShape.length !== 2) this.refuse(n, `B of rank ${bv.onnxShape.length}`, 'a 2-D weight matrix');
    const [r, c] = bv.onnxShape as [number, number];
    const [units, inUnits] = transB ? [r, c] : [c, r];
    let scales: number[] | undefined;
    let source = b;
    if (this.quantized) {
      if (!bv.ints) this.refuse(n, `float weights '${n.input[1]}' in a quantized model`, 'DequantizeLinear of int8 weights');
      const q = this.wrap(n, () => int8Weights(bv.ints!, transB ? 0 : 1, 2), 'symmetric int8 weights (onnxruntime quantize_static(weight_type=QInt8)), or the float model with --calibration');
      [source, scales] = [q.values, q.scale];
    }
    // FULLY_CONNECTED wants [out, in].
    let w = transB ? source : permute(source, [r, c], [1, 0]);
    if (a.flatPerm) {
      const p = new Float32Array(w.length);
      for (let u = 0; u < units; u++) for (let k = 0; k < inUnits; k++) p[u * inUnits + a.flatPerm[k]!] = w[u * inUnits + k]!;
      w = p;
    }
    let bias = -1;
    const cv = !ops && n.input[2] ? this.get(n, 2) : undefined;
    if (cv) {
      const count = cv.values?.length ?? 0;
      if (count !== units) this.refuse(n, `bias C of ${count} values for ${units} units`, 'a per-unit bias');
    }
    let weights: number;
    if (scales) {
      weights = this.constant(n.input[1]!, [units, inUnits], Int8Array.from(w), { scale: scales, zeroPoint: scales.map(() => 0), axis: 0 });
      if (cv) {
        const q = this.wrap(n, () => int32Bias(cv, this.quantOf(a)!.scale, scales!, units));
        bias = this.constant(n.input[2]!, [units], q.data, { scale: q.scale, zeroPoint: q.scale.map(() => 0), axis: 0 });
      }
    } else {
      weights = this.constant(n.input[1]!, [units, inUnits], w);
      if (cv) bias = this.constant(n.input[2]!, [units], this.constValues(n, 2, 'C (the bias)'));
    }
    return this.op('FULLY_CONNECTED', [a.id, weights, bias],
      { name: n.output[0]!, onnxShape: [a.onnxShape[0]!, units], nhwc: false }, { activation: 'NONE', keepNumDims: false });
  }

  /** Add/Mul/Sub, or QLinearAdd/QLinearMul with their operands resolved (`ops`). Returns the output value. */
  private binary(n: NodeProto, ops?: [Value, Value]): Value {
    let [p, q] = ops ?? [this.get(n, 0), this.get(n, 1)];
    if (p.values && !q.values) [p, q] = n.opType === 'Sub' ? this.refuse(n, 'constant minus activation', 'Add of a negated constant') : [q, p];
    const type: OpType = n.opType.endsWith('Mul') ? 'MUL' : 'ADD';
    let other: number;
    if (this.quantized) {
      if (n.opType === 'Sub') this.refuse(n, 'Sub in a quantized model (no int8 kernel)', 'Add of a negated constant, quantized');
      if (!this.quantOf(p)) this.refuse(n, 'an operand is a float activation in a quantized model (no QuantizeLinear before it)', QUANTIZED_WAY_OUT);
      if (q.values) {
        if (!q.ints) this.refuse(n, `constant '${n.input[1]}' is float in a quantized model`, 'DequantizeLinear of an int8 initializer');
        const c = this.wrap(n, () => int8Integers(q.ints!));
        if (q.ints.scale.length !== 1) this.refuse(n, 'a per-axis quantized constant operand', 'one scale for an elementwise constant');
        other = this.broadcastConstant(n, p, q, Int8Array.from(c.values), irQuant({ scale: Math.fround(q.ints.scale[0]!), zeroPoint: c.zeroPoint[0]! }));
      } else {
          if (!this.quantOf(q)) this.refuse(n, 'an operand is a float activation in a quantized model (no QuantizeLinear before it)', QUANTIZED_WAY_OUT);
        if (p.nhwc !== q.nhwc || p.onnxShape.join() !== q.onnxShape.join()) this.refuse(n, `operands of shapes [${p.onnxShape.join(', ')}] and [${q.onnxShape.join(', ')}]`, 'operands of equal shape');
        other = q.id;
      }
      return this.op(type, [p.id, other], { name: n.output[0]!, onnxShape: p.onnxShape, nhwc: p.nhwc }, { activation: 'NONE' });
    }
    if (q.values) {
      const vals = n.opType === 'Sub' ? q.values.map((x) => -x) : q.values;
      other = this.broadcastConstant(n, p, q, vals);
    } else {
      if (n.opType === 'Sub') this.refuse(n, 'subtracting two activations has no int8 kernel', 'Add');
      if (p.nhwc !== q.nhwc || p.onnxShape.join() !== q.onnxShape.join()) this.refuse(n, `operands of shapes [${p.onnxShape.join(', ')}] and [${q.onnxShape.join(', ')}]`, 'operands of equal shape');
      other = q.id;
    }
    return this.op(type, [p.id, other], { name: n.output[0]!, onnxShape: p.onnxShape, nhwc: p.nhwc }, { activation: 'NONE' });
  }

  /** A constant operand in the activation's IR layout: a scalar, a per-channel [C,1,1] / [1,C,1,1], or the last axis. */
  private broadcastConstant(n: NodeProto, act: Value, c: Value, vals: Float32Array | Int8Array, quant?: Quantization): number {
    const s = c.onnxShape;
    const count = vals.length;
    if (count === 1) return this.constant(`${n.output[0]}/const`, [1], vals, quant);
    if (act.nhwc) {
      const ch = act.onnxShape[1]!;
      const perChannel = count === ch && s.filter((d) => d !== 1).length === 1 && s[s.length - 3] === ch;
      if (!perChannel) this.refuse(n, `constant of shape [${s.join(', ')}] on an NCHW tensor`, 'a scalar or per-channel [C, 1, 1] constant');
      return this.constant(`${n.output[0]}/const`, [ch], vals, quant);
    }
    if (count !== act.onnxShape[act.onnxShape.length - 1]) this.refuse(n, `constant of shape [${s.join(', ')}]`, 'a scalar or a last-axis constant');
    return this.constant(`${n.output[0]}/const`, [count], vals, quant);
  }

  /**
   * Quantized models: Relu/Clip(0, 6) right after a Conv/Gemm/Add/Mul that is its only reader becomes
   * that op's fused activation (TFLite clamps the int8 output at the QuantizeLinear's parameters).
   */
  private fuseActivation(n: NodeProto, act: FusedActivation): boolean {
    if (!this.quantized) return false;
    const v = this.get(n, 0);
    const prod = v.id >= 0 ? this.producer.get(v.id) : undefined;
    const fusable = prod && !this.tensors[v.id]!.quant && ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'MUL'].includes(prod.type)
      && (prod.attrs as { activation: FusedActivation }).activation === 'NONE' && (this.readers.get(n.input[0]!) ?? []).length === 1 && !this.graphOutputs.has(n.input[0]!);
    if (!fusable) return false;
    (prod.attrs as { activation: FusedActivation }).activation = act;
    this.values.set(n.output[0]!, v);
    return true;
  }

  /** An activation operand of a QLinear op: int8 already, with exactly the parameters the op states. */
  private qlinearInput(n: NodeProto, k: number, scaleAt: number, zpAt: number): Value {
    const v = this.int8Input(n, k);
    const want = this.affine(n, scaleAt, zpAt);
    const have = this.quantOf(v)!;
    if (!sameAffine(have, want)) this.refuse(n, `input ${k} '${n.input[k]}' was quantized with (${have.scale}, ${have.zeroPoint}) but the op reads it as (${want.scale}, ${want.zeroPoint})`, 'consistent scales and zero points between ops');
    return v;
  }

  /** A constant operand of a QLinear op: its integers with the op's scale and zero point for it. */
  private qlinearConstant(n: NodeProto, k: number, scaleAt: number, zpAt: number, axis: number): Value {
    const v = this.get(n, k);
    const ints = this.constValues(n, k, 'constant operand');
    const scale = Array.from(this.constValues(n, scaleAt, 'scale'));
    const zeroPoint = n.input[zpAt] ? Array.from(this.constValues(n, zpAt, 'zero point')) : scale.map(() => 0);
    const dataType = v.dataType ?? ONNX_UINT8;
    return { ...v, ints: { values: ints, dataType, scale, zeroPoint, axis } };
  }

  private qlinearConv(n: NodeProto, attr: Record<string, unknown>): void {
    const x = this.qlinearInput(n, 0, 1, 2);
    const w = this.qlinearConstant(n, 3, 4, 5, 0);
    const b = n.input[8] ? { ...this.get(n, 8), ints: { values: this.constValues(n, 8, 'bias'), dataType: this.get(n, 8).dataType ?? 0, scale: [1], zeroPoint: [0], axis: 0 } } : undefined;
    const out = this.conv(n, attr, { x, w, ...(b ? { b } : {}) });
    this.setQuant([out.id], this.affine(n, 6, 7));
  }

  private qlinearMatMul(n: NodeProto): void {
    const a = this.qlinearInput(n, 0, 1, 2);
    if (!this.get(n, 3).values) this.refuse(n, 'B (the weights) must be a constant initializer', 'a QLinearMatMul whose B is a constant');
    const out = this.gemm(n, {}, { a, b: this.qlinearConstant(n, 3, 4, 5, 1) });
    this.setQuant([out.id], this.affine(n, 6, 7));
  }

  /** com.microsoft QLinearAdd / QLinearMul: A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp. */
  private qlinearBinary(n: NodeProto): void {
    const operand = (k: number) => (this.get(n, k).values ? this.qlinearConstant(n, k, k + 1, k + 2, 0) : this.qlinearInput(n, k, k + 1, k + 2));
    const out = this.binary(n, [operand(0), operand(3)]);
    this.setQuant([out.id], this.affine(n, 6, 7));
  }

  /** com.microsoft QLinearGlobalAveragePool: X, x_scale, x_zp, y_scale, y_zp (channels_last=0, NCHW). */
  private qlinearGlobalAveragePool(n: NodeProto, attr: Record<string, unknown>): void {
    if (attr.channels_last) this.refuse(n, 'channels_last=1', 'channels_last=0 (NCHW, as onnxruntime writes it)');
    const v = this.qlinearInput(n, 0, 1, 2);
    if (!v.nhwc) this.refuse(n, 'input is not a 4-D NCHW tensor', 'QLinearGlobalAveragePool after a Conv');
    const axes = this.constant(`${n.output[0]}/axes`, [2], Int32Array.from([1, 2]));
    const out = this.op('MEAN', [v.id, axes], { name: n.output[0]!, onnxShape: [v.onnxShape[0]!, v.onnxShape[1]!, 1, 1], nhwc: true }, { keepDims: true });
    this.setQuant([out.id], this.affine(n, 3, 4));
  }
}

function dims(d: Long[]): number[] {
  return d.map((x) => (typeof x === 'number' ? x : x.toNumber()));
}

function toNhwcShape(s: number[]): number[] {
  return [s[0]!, s[2]!, s[3]!, s[1]!];
}

/** Row-major permutation: output axis k is input axis perm[k]. */
function permute(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += idx[k]! * inStrides[perm[k]!]!;
    out[i] = values[src]!;
    for (let k = perm.length - 1; k >= 0; k--) { if (++idx[k]! < outShape[k]!) break; idx[k] = 0; }
  }
  return out;
}

function attrsOf(n: NodeProto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of n.attribute) {
    const t = a.type;
    const A = onnx.AttributeProto.AttributeType;
    out[a.name] = t === A.INT ? dims([a.i])[0] : t === A.FLOAT ? a.f : t === A.INTS ? dims(a.ints)
      : t === A.FLOATS ? a.floats : t === A.STRING ? new TextDecoder().decode(a.s) : t === A.TENSOR ? a.t : undefined;
  }
  return out;
}

/** Initializer contents as float32 (int8/uint8/int32/int64 become their numeric values). */
function tensorValues(t: TensorProto, model: string): Float32Array {
  const D = onnx.TensorProto.DataType;
  const n = dims(t.dims).reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  switch (t.dataType) {
    case D.FLOAT: return raw ? Float32Array.from({ length: n }, (_, i) => view!.getFloat32(i * 4, true)) : Float32Array.from(t.floatData);
    case D.INT64: return raw ? Float32Array.from({ length: n }, (_, i) => Number(view!.getBigInt64(i * 8, true))) : Float32Array.from(dims(t.int64Data));
    case D.INT32: return raw ? Float32Array.from({ length: n }, (_, i) => view!.getInt32(i * 4, true)) : Float32Array.from(t.int32Data);
    case D.INT8: return raw ? Float32Array.from({ length: n }, (_, i) => view!.getInt8(i)) : Float32Array.from(t.int32Data);
    case D.UINT8: return raw ? Float32Array.from({ length: n }, (_, i) => view!.getUint8(i)) : Float32Array.from(t.int32Data);
    default: throw new ImportError(`${model}: initializer ${t.name} has ONNX data type ${t.dataType}; tinyforge reads float32, int8, uint8, int32 and int64 tensors`);
  }
}

/** Samples of an ONNX model's 4-D input (NCHW, as PyTorch data is) in the NHWC order the imported graph reads. */
export function nchwSamplesToNhwc(values: Float32Array, nhwcShape: number[]): Float32Array {
  const [, h, w, c] = nhwcShape as [number, number, number, number];
  const per = h * w * c;
  const out = new Float32Array(values.length);
  for (let s = 0; s * per < values.length; s++) {
    for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      out[s * per + (y * w + x) * c + ci] = values[s * per + (ci * h + y) * w + x]!;
    }
  }
  return out;
}

// Writes an IR graph as a .tflite flatbuffer (schema version 3, file identifier "TFL3") that
// TensorFlow Lite and TensorFlow Lite Micro load: buffer 0 empty, one buffer per constant with
// its data aligned to 16 bytes, no data vector at all for activations (TFLite rejects an empty
// one), op versions as TFLite's versioning assigns them and `min_runtime_version` metadata.
import { Builder } from 'flatbuffers';
import type { DType, Graph, Op, Tensor } from '../../ir/graph.ts';
import {
  ACTIVATION_NAMES, BUILTIN_OPERATOR_NAMES, BufferFields, BuiltinOptionsType, ConcatenationOptionsFields,
  Conv2DOptionsFields, DepthwiseConv2DOptionsFields, FullyConnectedOptionsFields, MetadataFields, ModelFields,
  OperatorCodeFields, OperatorFields, PADDING_NAMES, Pool2DOptionsFields, QuantizationFields, ReducerOptionsFields,
  ReshapeOptionsFields, SoftmaxOptionsFields, SubGraphFields, TENSOR_TYPE_NAMES, TensorFields, AddOptionsFields,
  MulOptionsFields, FILE_IDENTIFIER, PLACEHOLDER_FOR_GREATER_OP_CODES,
} from '../../tflite/tflite-schema.ts';
import type {
  Conv2DAttrs, ConcatenationAttrs, DepthwiseConv2DAttrs, ElementwiseAttrs, FullyConnectedAttrs, FusedActivation,
  MeanAttrs, Padding, Pool2DAttrs, ReshapeAttrs, SoftmaxAttrs,
} from '../../ir/op-types.ts';
import { minRuntimeVersion, opVersion } from './op-versions.ts';

const SCHEMA_VERSION = 3;

const TENSOR_TYPE: Record<DType, number> = {
  float32: TENSOR_TYPE_NAMES.indexOf('FLOAT32'), float16: TENSOR_TYPE_NAMES.indexOf('FLOAT16'),
  int32: TENSOR_TYPE_NAMES.indexOf('INT32'), uint8: TENSOR_TYPE_NAMES.indexOf('UINT8'),
  int64: TENSOR_TYPE_NAMES.indexOf('INT64'), bool: TENSOR_TYPE_NAMES.indexOf('BOOL'),
  int16: TENSOR_TYPE_NAMES.indexOf('INT16'), int8: TENSOR_TYPE_NAMES.indexOf('INT8'),
};

export interface WriteTfliteOptions {
  description?: string;
}

export function writeTflite(graph: Graph, options: WriteTfliteOptions = {}): Uint8Array {
  const b = new Builder(1024 + graph.tensors.reduce((n, t) => n + (t.data?.length ?? 0), 0));

  // Buffers: 0 is the empty sentinel; constants get 1..n in tensor order; metadata last.
  const bufferData: (Uint8Array | undefined)[] = [undefined];
  const bufferOf = graph.tensors.map((t) => {
    if (!t.data) return 0;
    bufferData.push(t.data);
    return bufferData.length - 1;
  });

  // Operator codes in first-use order, with their versions.
  const codes: { op: string; version: number }[] = [];
  const opcodeIndex = graph.ops.map((op) => {
    const version = opVersion(graph, op);
    let k = codes.findIndex((c) => c.op === op.type && c.version === version);
    if (k < 0) { codes.push({ op: op.type, version }); k = codes.length - 1; }
    return k;
  });
  const runtime = minRuntimeVersion(codes);
  const runtimeBytes = new Uint8Array(16);
  runtimeBytes.set(new TextEncoder().encode(runtime));
  bufferData.push(runtimeBytes);
  const runtimeBuffer = bufferData.length - 1;

  // Children are written before the tables that point to them (flatbuffers build back to front).
  const tensorOffsets = graph.tensors.map((t) => writeTensor(b, t, bufferOf[t.id]!));
  const opOffsets = graph.ops.map((op, i) => writeOperator(b, op, opcodeIndex[i]!));
  const sgName = b.createString(graph.name);
  const sgTensors = vectorOfOffsets(b, tensorOffsets);
  const sgInputs = int32Vector(b, graph.inputs);
  const sgOutputs = int32Vector(b, graph.outputs);
  const sgOps = vectorOfOffsets(b, opOffsets);
  b.startObject(5);
  b.addFieldOffset(SubGraphFields.tensors.id, sgTensors, 0);
  b.addFieldOffset(SubGraphFields.inputs.id, sgInputs, 0);
  b.addFieldOffset(SubGraphFields.outputs.id, sgOutputs, 0);
  b.addFieldOffset(SubGraphFields.operators.id, sgOps, 0);
  b.addFieldOffset(SubGraphFields.name.id, sgName, 0);
  const subgraph = b.endObject();

  const codeOffsets = codes.map((c) => {
    const code = BUILTIN_OPERATOR_NAMES.indexOf(c.op);
    b.startObject(4);
    b.addFieldInt8(OperatorCodeFields.deprecated_builtin_code.id, Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
    b.addFieldInt32(OperatorCodeFields.version.id, c.version, 1);
    b.addFieldInt32(OperatorCodeFields.builtin_code.id, code, 0);
    return b.endObject();
  });

  const bufferOffsets = bufferData.map((data) => {
    const vec = data ? alignedBytes(b, data) : 0;
    b.startObject(3);
    if (vec) b.addFieldOffset(BufferFields.data.id, vec, 0);
    return b.endObject();
  });

  const metaName = b.createString('min_runtime_version');
  b.startObject(2);
  b.addFieldOffset(MetadataFields.name.id, metaName, 0);
  b.addFieldInt32(MetadataFields.buffer.id, runtimeBuffer, 0);
  const metadata = b.endObject();

  const description = b.createString(options.description ?? 'tinyforge int8');
  const codesVec = vectorOfOffsets(b, codeOffsets);
  const subgraphsVec = vectorOfOffsets(b, [subgraph]);
  const buffersVec = vectorOfOffsets(b, bufferOffsets);
  const metadataVec = vectorOfOffsets(b, [metadata]);
  b.startObject(8);
  b.addFieldInt32(ModelFields.version.id, SCHEMA_VERSION, 0);
  b.addFieldOffset(ModelFields.operator_codes.id, codesVec, 0);
  b.addFieldOffset(ModelFields.subgraphs.id, subgraphsVec, 0);
  b.addFieldOffset(ModelFields.description.id, description, 0);
  b.addFieldOffset(ModelFields.buffers.id, buffersVec, 0);
  b.addFieldOffset(ModelFields.metadata.id, metadataVec, 0);
  const model = b.endObject();
  b.finish(model, FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}

function alignedBytes(b: Builder, data: Uint8Array): number {
  b.startVector(1, data.length, 16);
  for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]!);
  return b.endVector();
}

function int32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

function vectorOfOffsets(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function writeTensor(b: Builder, t: Tensor, buffer: number): number {
  const name = b.createString(t.name);
  const shape = int32Vector(b, t.shape);
  let quant = 0;
  if (t.quant) {
    const scale = (() => {
      b.startVector(4, t.quant.scale.length, 4);
      for (let i = t.quant.scale.length - 1; i >= 0; i--) b.addFloat32(t.quant.scale[i]!);
      return b.endVector();
    })();
    const zp = (() => {
      b.startVector(8, t.quant.zeroPoint.length, 8);
      for (let i = t.quant.zeroPoint.length - 1; i >= 0; i--) b.addInt64(BigInt(t.quant.zeroPoint[i]!));
      return b.endVector();
    })();
    b.startObject(7);
    b.addFieldOffset(QuantizationFields.scale.id, scale, 0);
    b.addFieldOffset(QuantizationFields.zero_point.id, zp, 0);
    b.addFieldInt32(QuantizationFields.quantized_dimension.id, t.quant.scale.length > 1 ? t.quant.axis : 0, 0);
    quant = b.endObject();
  }
  b.startObject(10);
  b.addFieldOffset(TensorFields.shape.id, shape, 0);
  b.addFieldInt8(TensorFields.type.id, TENSOR_TYPE[t.dtype], 0);
  b.addFieldInt32(TensorFields.buffer.id, buffer, 0);
  b.addFieldOffset(TensorFields.name.id, name, 0);
  if (quant) b.addFieldOffset(TensorFields.quantization.id, quant, 0);
  return b.endObject();
}

const padding = (p: Padding) => PADDING_NAMES.indexOf(p);
const activation = (a: FusedActivation) => ACTIVATION_NAMES.indexOf(a);

/** The op's BuiltinOptions table and its union type (NONE for ops without options). */
function writeOptions(b: Builder, op: Op): { type: number; offset: number } {
  const T = BuiltinOptionsType;
  switch (op.type) {
    case 'CONV_2D': {
      const a = op.attrs as Conv2DAttrs;
      const F = Conv2DOptionsFields;
      b.startObject(7);
      b.addFieldInt8(F.padding.id, padding(a.padding), 0);
      b.addFieldInt32(F.stride_w.id, a.strideW, 0);
      b.addFieldInt32(F.stride_h.id, a.strideH, 0);
      b.addFieldInt8(F.fused_activation_function.id, activation(a.activation), 0);
      b.addFieldInt32(F.dilation_w_factor.id, a.dilationW, 1);
      b.addFieldInt32(F.dilation_h_factor.id, a.dilationH, 1);
      return { type: T.Conv2DOptions, offset: b.endObject() };
    }
    case 'DEPTHWISE_CONV_2D': {
      const a = op.attrs as DepthwiseConv2DAttrs;
      const F = DepthwiseConv2DOptionsFields;
      b.startObject(7);
      b.addFieldInt8(F.padding.id, padding(a.padding), 0);
      b.addFieldInt32(F.stride_w.id, a.strideW, 0);
      b.addFieldInt32(F.stride_h.id, a.strideH, 0);
      b.addFieldInt32(F.depth_multiplier.id, a.depthMultiplier, 0);
      b.addFieldInt8(F.fused_activation_function.id, activation(a.activation), 0);
      b.addFieldInt32(F.dilation_w_factor.id, a.dilationW, 1);
      b.addFieldInt32(F.dilation_h_factor.id, a.dilationH, 1);
      return { type: T.DepthwiseConv2DOptions, offset: b.endObject() };
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D': {
      const a = op.attrs as Pool2DAttrs;
      const F = Pool2DOptionsFields;
      b.startObject(6);
      b.addFieldInt8(F.padding.id, padding(a.padding), 0);
      b.addFieldInt32(F.stride_w.id, a.strideW, 0);
      b.addFieldInt32(F.stride_h.id, a.strideH, 0);
      b.addFieldInt32(F.filter_width.id, a.filterW, 0);
      b.addFieldInt32(F.filter_height.id, a.filterH, 0);
      b.addFieldInt8(F.fused_activation_function.id, activation(a.activation), 0);
      return { type: T.Pool2DOptions, offset: b.endObject() };
    }
    case 'FULLY_CONNECTED': {
      const a = op.attrs as FullyConnectedAttrs;
      const F = FullyConnectedOptionsFields;
      b.startObject(5);
      b.addFieldInt8(F.fused_activation_function.id, activation(a.activation), 0);
      b.addFieldInt8(F.keep_num_dims.id, a.keepNumDims ? 1 : 0, 0);
      return { type: T.FullyConnectedOptions, offset: b.endObject() };
    }
    case 'SOFTMAX': {
      b.startObject(1);
      b.addFieldFloat32(SoftmaxOptionsFields.beta.id, (op.attrs as SoftmaxAttrs).beta, 0);
      return { type: T.SoftmaxOptions, offset: b.endObject() };
    }
    case 'CONCATENATION': {
      const a = op.attrs as ConcatenationAttrs;
      b.startObject(2);
      b.addFieldInt32(ConcatenationOptionsFields.axis.id, a.axis, 0);
      b.addFieldInt8(ConcatenationOptionsFields.fused_activation_function.id, activation(a.activation), 0);
      return { type: T.ConcatenationOptions, offset: b.endObject() };
    }
    case 'ADD': {
      b.startObject(2);
      b.addFieldInt8(AddOptionsFields.fused_activation_function.id, activation((op.attrs as ElementwiseAttrs).activation), 0);
      return { type: T.AddOptions, offset: b.endObject() };
    }
    case 'MUL': {
      b.startObject(1);
      b.addFieldInt8(MulOptionsFields.fused_activation_function.id, activation((op.attrs as ElementwiseAttrs).activation), 0);
      return { type: T.MulOptions, offset: b.endObject() };
    }
    case 'RESHAPE': {
      const a = op.attrs as ReshapeAttrs;
      if (!a.newShape) return { type: T.NONE, offset: 0 };
      const v = int32Vector(b, a.newShape);
      b.startObject(1);
      b.addFieldOffset(ReshapeOptionsFields.new_shape.id, v, 0);
      return { type: T.ReshapeOptions, offset: b.endObject() };
    }
    case 'MEAN': {
      b.startObject(1);
      b.addFieldInt8(ReducerOptionsFields.keep_dims.id, (op.attrs as MeanAttrs).keepDims ? 1 : 0, 0);
      return { type: T.ReducerOptions, offset: b.endObject() };
    }
    case 'PAD': b.startObject(0); return { type: T.PadOptions, offset: b.endObject() };
    case 'QUANTIZE': b.startObject(0); return { type: T.QuantizeOptions, offset: b.endObject() };
    case 'DEQUANTIZE': b.startObject(0); return { type: T.DequantizeOptions, offset: b.endObject() };
    case 'HARD_SWISH': b.startObject(0); return { type: T.HardSwishOptions, offset: b.endObject() };
    default:
      return { type: T.NONE, offset: 0 };
  }
}

function writeOperator(b: Builder, op: Op, opcode: number): number {
  const opts = writeOptions(b, op);
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const F = OperatorFields;
  b.startObject(9);
  b.addFieldInt32(F.opcode_index.id, opcode, 0);
  b.addFieldOffset(F.inputs.id, inputs, 0);
  b.addFieldOffset(F.outputs.id, outputs, 0);
  if (opts.type !== 0) {
    b.addFieldInt8(F.builtin_options_type.id, opts.type, 0);
    b.addFieldOffset(F.builtin_options.id, opts.offset, 0);
  }
  return b.endObject();
}

// Turns an IR graph into the TfliteModel that TensorFlow Lite and TensorFlow Lite Micro load
// (schema version 3): buffer 0 empty, one buffer per constant, activations on buffer 0 (the
// writer stores no data vector for an empty buffer, which TFLite would reject), op versions as
// TFLite's versioning assigns them and `min_runtime_version` metadata. The bytes come from the
// one .tflite serializer, compiler/tflite/write-tflite.ts, which aligns constant data to 16.
import type { DType, Graph, Op, Tensor } from '../../../formats/ir/graph.ts';
import type {
  Conv2DAttrs, ConcatenationAttrs, DepthwiseConv2DAttrs, ElementwiseAttrs, FullyConnectedAttrs, MeanAttrs,
  Pool2DAttrs, ReshapeAttrs, SoftmaxAttrs,
} from '../../../formats/ir/op-types.ts';
import type {
  TfliteBuiltinOptions, TfliteModel, TfliteOperator, TfliteOperatorCode, TfliteTensor,
} from '../../tflite/tflite-model.ts';
import {
  BUILTIN_OPERATOR_NAMES, BuiltinOptionsType, PLACEHOLDER_FOR_GREATER_OP_CODES, type TensorTypeName,
} from '../../tflite/tflite-schema.ts';
import { writeTflite } from '../../tflite/write-tflite.ts';
import { minRuntimeVersion, opVersion } from './op-versions.ts';

const SCHEMA_VERSION = 3;

const TENSOR_TYPE: Record<DType, TensorTypeName> = {
  float32: 'FLOAT32', float16: 'FLOAT16', int32: 'INT32', uint8: 'UINT8',
  int64: 'INT64', bool: 'BOOL', int16: 'INT16', int8: 'INT8',
};

export interface EmitTfliteOptions {
  description?: string;
}

/** The graph as .tflite file bytes. */
export function emitTflite(graph: Graph, options: EmitTfliteOptions = {}): Uint8Array {
  return writeTflite(graphToTflite(graph, options));
}

/** The graph as the TfliteModel the file holds. */
export function graphToTflite(graph: Graph, options: EmitTfliteOptions = {}): TfliteModel {
  // Buffers: 0 is the empty sentinel; constants get 1..n in tensor order; metadata last.
  const buffers: { data: Uint8Array }[] = [{ data: new Uint8Array(0) }];
  const bufferOf = graph.tensors.map((t) => {
    if (!t.data) return 0;
    buffers.push({ data: t.data });
    return buffers.length - 1;
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
  buffers.push({ data: runtimeBytes });
  const runtimeBuffer = buffers.length - 1;

  const operatorCodes = codes.map((c): TfliteOperatorCode => {
    const code = BUILTIN_OPERATOR_NAMES.indexOf(c.op);
    return {
      builtinCode: code, name: c.op, deprecatedBuiltinCode: Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES), version: c.version,
    };
  });

  return {
    name: graph.name,
    version: SCHEMA_VERSION,
    description: options.description ?? 'tinyforge int8',
    operatorCodes,
    subgraphs: [{
      name: graph.name,
      tensors: graph.tensors.map((t) => tensor(t, bufferOf[t.id]!)),
      inputs: [...graph.inputs],
      outputs: [...graph.outputs],
      operators: graph.ops.map((op, i) => operator(op, i, opcodeIndex[i]!)),
    }],
    buffers,
    metadataBuffer: [],
    metadata: [{ name: 'min_runtime_version', buffer: runtimeBuffer, data: runtimeBytes }],
    minRuntimeVersion: runtime,
    signatureDefs: [],
  };
}

function tensor(t: Tensor, buffer: number): TfliteTensor {
  return {
    index: t.id,
    name: t.name,
    shape: [...t.shape],
    type: TENSOR_TYPE[t.dtype],
    buffer,
    ...(t.quant ? {
      quantization: {
        min: [], max: [], scale: [...t.quant.scale], zeroPoint: [...t.quant.zeroPoint],
        quantizedDimension: t.quant.scale.length > 1 ? t.quant.axis : 0, detailsType: 0,
      },
    } : {}),
    isVariable: false,
    isSparse: false,
  };
}

function operator(op: Op, index: number, opcodeIndex: number): TfliteOperator {
  const builtinOptions = options(op);
  return {
    index,
    opcodeIndex,
    inputs: [...op.inputs],
    outputs: [...op.outputs],
    intermediates: [],
    builtinOptionsType: builtinOptions && builtinOptions.type !== 'Other' ? BuiltinOptionsType[builtinOptions.type] : 0,
    ...(builtinOptions ? { builtinOptions } : {}),
  };
}

/** The op's BuiltinOptions (undefined for ops without options); fields TFLite defaults are left at them. */
function options(op: Op): TfliteBuiltinOptions | undefined {
  switch (op.type) {
    case 'CONV_2D': {
      const a = op.attrs as Conv2DAttrs;
      return {
        type: 'Conv2DOptions', padding: a.padding, strideW: a.strideW, strideH: a.strideH, activation: a.activation,
        dilationWFactor: a.dilationW, dilationHFactor: a.dilationH, quantizedBiasType: 0,
      };
    }
    case 'DEPTHWISE_CONV_2D': {
      const a = op.attrs as DepthwiseConv2DAttrs;
      return {
        type: 'DepthwiseConv2DOptions', padding: a.padding, strideW: a.strideW, strideH: a.strideH,
        depthMultiplier: a.depthMultiplier, activation: a.activation, dilationWFactor: a.dilationW, dilationHFactor: a.dilationH,
      };
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D': {
      const a = op.attrs as Pool2DAttrs;
      return {
        type: 'Pool2DOptions', padding: a.padding, strideW: a.strideW, strideH: a.strideH,
        filterWidth: a.filterW, filterHeight: a.filterH, activation: a.activation,
      };
    }
    case 'FULLY_CONNECTED': {
      const a = op.attrs as FullyConnectedAttrs;
      return {
        type: 'FullyConnectedOptions', activation: a.activation, weightsFormat: 0, keepNumDims: a.keepNumDims,
        asymmetricQuantizeInputs: false, quantizedBiasType: 0,
      };
    }
    case 'SOFTMAX':
      return { type: 'SoftmaxOptions', beta: (op.attrs as SoftmaxAttrs).beta };
    case 'CONCATENATION': {
      const a = op.attrs as ConcatenationAttrs;
      return { type: 'ConcatenationOptions', axis: a.axis, activation: a.activation };
    }
    // pot_scale_int16 is TFLite's default (true), so the file does not store it.
    case 'ADD':
      return { type: 'AddOptions', activation: (op.attrs as ElementwiseAttrs).activation, potScaleInt16: true };
    case 'MUL':
      return { type: 'MulOptions', activation: (op.attrs as ElementwiseAttrs).activation };
    case 'RESHAPE': {
      const a = op.attrs as ReshapeAttrs;
      return a.newShape ? { type: 'ReshapeOptions', newShape: [...a.newShape] } : undefined;
    }
    case 'MEAN':
      return { type: 'ReducerOptions', keepDims: (op.attrs as MeanAttrs).keepDims };
    case 'PAD': return { type: 'PadOptions' };
    case 'QUANTIZE': return { type: 'QuantizeOptions' };
    case 'DEQUANTIZE': return { type: 'DequantizeOptions' };
    case 'HARD_SWISH': return { type: 'HardSwishOptions' };
    default:
      return undefined;
  }
}

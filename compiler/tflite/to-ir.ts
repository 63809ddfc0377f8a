// Turns subgraph 0 of a validated TfliteModel into tinyforge's IR: tensor ids are TFLite tensor
// indices, constant data is the buffer contents (shared between tensors that share a buffer: never
// mutate it in place), op.index is the position. Arrays are copies, free to change.
// Graph-level faults (an op reading a tensor nothing produced yet, a tensor written twice, options
// that do not fit the op) are ModelFormatErrors; ops tinyforge cannot run end in UnsupportedOpsError.
import type { DType, Graph, Op, Quantization, Tensor } from '../../formats/ir/graph.ts';
import type { OpAttrs, OpType } from '../../formats/ir/op-types.ts';
import { checkSupportedOps } from '../ir/unsupported-ops.ts';
import { ModelFormatError } from './model-format-error.ts';
import type { TfliteBuiltinOptions, TfliteBuiltinOptionsName, TfliteModel, TfliteOperator, TfliteSubgraph } from './tflite-model.ts';
import type { TensorTypeName } from './tflite-schema.ts';

const DTYPES: Partial<Record<TensorTypeName, DType>> = {
  FLOAT32: 'float32', FLOAT16: 'float16', INT32: 'int32', UINT8: 'uint8', INT64: 'int64', BOOL: 'bool',
  INT16: 'int16', INT8: 'int8',
};

export function tfliteToGraph(model: TfliteModel): Graph {
  const sg = model.subgraphs[0];
  const fail = (where: string, problem: string): never => {
    throw new ModelFormatError({ model: model.name, where, problem });
  };
  if (!sg) fail('model', 'has no subgraphs');
  checkDataflow(sg!, model, fail);

  const opNames = sg!.operators.map((op) => {
    const code = model.operatorCodes[op.opcodeIndex]!;
    return code.customCode !== undefined ? `CUSTOM(${code.customCode})` : code.name;
  });
  checkSupportedOps(opNames, model.name);

  const tensors = sg!.tensors.map((t): Tensor => {
    const where = `tensor ${t.index}${t.name ? ` '${t.name}'` : ''}`;
    const dtype = DTYPES[t.type];
    if (dtype === undefined) {
      return fail(where, `has type ${t.type}, which tinyforge does not handle (it handles ${Object.keys(DTYPES).join(', ')})`);
    }
    if (t.isSparse) fail(where, 'is sparse; tinyforge needs dense tensors (convert without sparsification)');
    const q = t.quantization;
    const quant: Quantization | undefined = q && q.scale.length > 0
      ? { scale: [...q.scale], zeroPoint: [...q.zeroPoint], axis: q.quantizedDimension }
      : undefined;
    const data = model.buffers[t.buffer]!.data;
    return {
      id: t.index, name: t.name, shape: [...t.shape], dtype,
      ...(quant ? { quant } : {}),
      ...(data.length > 0 ? { data } : {}),
    };
  });

  const ops = sg!.operators.map((op): Op => {
    const type = opNames[op.index] as OpType;
    return { index: op.index, type, inputs: [...op.inputs], outputs: [...op.outputs], attrs: opAttrs(type, op, tensors, fail) };
  });

  return { name: model.name, tensors, ops, inputs: [...sg!.inputs], outputs: [...sg!.outputs] };
}

type Fail = (where: string, problem: string) => never;

/** Every op input must exist before the op runs: a graph input, a constant, a variable or an earlier op's output. */
function checkDataflow(sg: TfliteSubgraph, model: TfliteModel, fail: Fail): void {
  const producer = new Map<number, string>();
  const ready = new Set<number>();
  const describe = (t: number) => `tensor ${t}${sg.tensors[t]!.name ? ` '${sg.tensors[t]!.name}'` : ''}`;
  const isConstant = (t: number) => model.buffers[sg.tensors[t]!.buffer]!.data.length > 0;
  for (const t of sg.inputs) { ready.add(t); producer.set(t, 'the graph input list'); }
  sg.tensors.forEach((t) => { if (isConstant(t.index) || t.isVariable) ready.add(t.index); });

  const laterProducer = new Map<number, number>();
  sg.operators.forEach((op) => op.outputs.forEach((t) => { if (!laterProducer.has(t)) laterProducer.set(t, op.index); }));

  for (const op of sg.operators) {
    const where = `op ${op.index} (${model.operatorCodes[op.opcodeIndex]!.name})`;
    op.inputs.forEach((t, k) => {
      if (t < 0 || ready.has(t)) return;
      const later = laterProducer.get(t);
      if (later !== undefined) {
        fail(where, `input ${k} reads ${describe(t)}, which op ${later} produces ${later === op.index ? 'itself' : 'later'}: ` +
          'the graph has a cycle or its ops are out of order');
      }
      fail(where, `input ${k} reads ${describe(t)}, which no op produces and which is neither a constant nor a graph input (missing tensor)`);
    });
    op.outputs.forEach((t) => {
      if (isConstant(t)) fail(where, `writes ${describe(t)}, which is a constant`);
      const prior = producer.get(t);
      if (prior !== undefined) fail(where, `writes ${describe(t)}, which ${prior} already produces`);
      producer.set(t, `op ${op.index}`);
      ready.add(t);
    });
  }
  sg.outputs.forEach((t, k) => {
    if (!ready.has(t)) fail(`graph output ${k}`, `${describe(t)} is never produced by any op, nor is it a constant or graph input (missing tensor)`);
  });
}

function expectOptions<N extends TfliteBuiltinOptionsName>(
  op: TfliteOperator, type: OpType, name: N, required: boolean, fail: Fail,
): Extract<TfliteBuiltinOptions, { type: N }> | undefined {
  const o = op.builtinOptions;
  if (!o) {
    if (required) fail(`op ${op.index} (${type})`, `has no ${name}; the op cannot run without them`);
    return undefined;
  }
  if (o.type !== name) {
    const got = o.type === 'Other' ? `builtin options of union type ${o.unionType}` : o.type;
    fail(`op ${op.index} (${type})`, `carries ${got}, expected ${name}`);
  }
  return o as Extract<TfliteBuiltinOptions, { type: N }>;
}

function opAttrs(type: OpType, op: TfliteOperator, tensors: Tensor[], fail: Fail): OpAttrs[OpType] {
  const where = `op ${op.index} (${type})`;
  const rank = (k: number, io: 'input' | 'output', want: number) => {
    const t = io === 'input' ? op.inputs[k] : op.outputs[k];
    if (t === undefined || t < 0) fail(where, `${io} ${k} is missing`);
    const shape = tensors[t!]!.shape;
    if (shape.length !== want) fail(where, `${io} ${k} (tensor ${t}) has shape [${shape.join(', ')}], expected rank ${want}`);
    return shape;
  };
  const positive = (what: string, v: number) => {
    if (!(v >= 1)) fail(where, `${what} is ${v}, must be at least 1`);
    return v;
  };
  if (op.outputs.length === 0) fail(where, 'has no outputs');

  switch (type) {
    case 'CONV_2D':
    case 'DEPTHWISE_CONV_2D': {
      rank(0, 'input', 4); rank(1, 'input', 4); rank(0, 'output', 4);
      const conv = {
        strideH: 0, strideW: 0, dilationH: 0, dilationW: 0,
      };
      const o = type === 'CONV_2D'
        ? expectOptions(op, type, 'Conv2DOptions', true, fail)!
        : expectOptions(op, type, 'DepthwiseConv2DOptions', true, fail)!;
      conv.strideH = positive('stride_h', o.strideH);
      conv.strideW = positive('stride_w', o.strideW);
      conv.dilationH = positive('dilation_h_factor', o.dilationHFactor);
      conv.dilationW = positive('dilation_w_factor', o.dilationWFactor);
      const base = { padding: o.padding, ...conv, activation: o.activation };
      if (o.type === 'DepthwiseConv2DOptions') return { ...base, depthMultiplier: o.depthMultiplier };
      return base;
    }
    case 'FULLY_CONNECTED': {
      const filter = rank(1, 'input', 2);
      const input = op.inputs[0];
      if (input === undefined || input < 0) fail(where, 'input 0 is missing');
      const inUnits = filter[1]!;
      const elements = tensors[input!]!.shape.reduce((n, d) => n * d, 1);
      if (inUnits === 0 || elements % inUnits !== 0) {
        fail(where, `input (tensor ${input}) has ${elements} elements, not a multiple of the filter's ${inUnits} input units`);
      }
      const o = expectOptions(op, type, 'FullyConnectedOptions', false, fail);
      return { activation: o?.activation ?? 'NONE', keepNumDims: o?.keepNumDims ?? false };
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D': {
      rank(0, 'input', 4); rank(0, 'output', 4);
      const o = expectOptions(op, type, 'Pool2DOptions', true, fail)!;
      return {
        padding: o.padding, strideH: positive('stride_h', o.strideH), strideW: positive('stride_w', o.strideW),
        filterH: positive('filter_height', o.filterHeight), filterW: positive('filter_width', o.filterWidth),
        activation: o.activation,
      };
    }
    case 'SOFTMAX': {
      const o = expectOptions(op, type, 'SoftmaxOptions', true, fail)!;
      return { beta: o.beta };
    }
    case 'ADD':
      return { activation: expectOptions(op, type, 'AddOptions', false, fail)?.activation ?? 'NONE' };
    case 'MUL':
      return { activation: expectOptions(op, type, 'MulOptions', false, fail)?.activation ?? 'NONE' };
    case 'RESHAPE': {
      const fromOptions = expectOptions(op, type, 'ReshapeOptions', false, fail)?.newShape;
      if (fromOptions) return { newShape: [...fromOptions] };
      // Newer converters drop the options and pass the shape as a constant int32 input.
      const shape = op.inputs[1] !== undefined && op.inputs[1] >= 0 ? tensors[op.inputs[1]] : undefined;
      if (shape?.data && shape.dtype === 'int32' && shape.shape.length === 1) {
        const view = new DataView(shape.data.buffer, shape.data.byteOffset, shape.data.byteLength);
        return { newShape: Array.from({ length: shape.data.length / 4 }, (_, i) => view.getInt32(4 * i, true)) };
      }
      return {};
    }
    case 'CONCATENATION': {
      const o = expectOptions(op, type, 'ConcatenationOptions', true, fail)!;
      return { axis: o.axis, activation: o.activation };
    }
    case 'MEAN':
      return { keepDims: expectOptions(op, type, 'ReducerOptions', false, fail)?.keepDims ?? false };
    case 'PAD':
      expectOptions(op, type, 'PadOptions', false, fail);
      return {};
    case 'QUANTIZE':
      expectOptions(op, type, 'QuantizeOptions', false, fail);
      return {};
    case 'DEQUANTIZE':
      expectOptions(op, type, 'DequantizeOptions', false, fail);
      return {};
    case 'HARD_SWISH':
      expectOptions(op, type, 'HardSwishOptions', false, fail);
      return {};
    case 'LOGISTIC':
    case 'TANH':
    case 'RELU':
    case 'RELU6':
      return {};
    case 'BATCH_NORM':
    case 'IDENTITY':
      // Float-only IR ops made by importers; no TFLite builtin maps to them.
      return fail(where, 'is an import-only IR op that a .tflite file cannot contain');
  }
}

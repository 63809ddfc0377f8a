// Reads a .tflite file into a validated TfliteModel. Every structural fault (truncation, offsets
// out of range, wrong identifier, unknown enums, indices out of range, negative dimensions,
// constant buffers whose size does not match shape x type) is a ModelFormatError.
import { FlatBufferView, type Table } from './flatbuffer-view.ts';
import { decodeBuiltinOptions } from './builtin-options.ts';
import { ModelFormatError } from './model-format-error.ts';
import { tfliteToGraph } from './to-ir.ts';
import type { Graph } from '../../formats/ir/graph.ts';
import type {
  TfliteBuffer, TfliteMetadata, TfliteModel, TfliteOperator, TfliteOperatorCode, TfliteQuantization,
  TfliteSignatureDef, TfliteSubgraph, TfliteTensor,
} from './tflite-model.ts';
import {
  BUILTIN_OPTIONS_MAX, BufferFields, FILE_IDENTIFIER, SCHEMA_VERSION, MetadataFields, ModelFields, OperatorCodeFields, OperatorFields,
  QuantizationFields, SignatureDefFields, SubGraphFields, TENSOR_TYPE_BYTES, TENSOR_TYPE_NAMES, TensorFields,
  TensorMapFields, builtinOperatorName,
} from './tflite-schema.ts';

/** Tensors larger than this cannot be addressed by TFLite Micro's int32 sizes. */
export const MAX_TENSOR_BYTES = 0x7fffffff;

/** Reads a .tflite file and converts its main subgraph to the IR: what later stages call. */
export function loadTfliteGraph(bytes: Uint8Array, name?: string): Graph {
  return tfliteToGraph(readTflite(bytes, name));
}

export function readTflite(bytes: Uint8Array, name?: string): TfliteModel {
  const fb = new FlatBufferView(bytes, name);
  if (bytes.length < 8) {
    fb.fail('file header', `${bytes.length} bytes is too short for a TFLite file (needs at least 8: root offset and "TFL3")`, 0);
  }
  const ident = String.fromCharCode(...bytes.subarray(4, 8));
  if (ident !== FILE_IDENTIFIER) {
    fb.fail('file header', `file identifier is ${JSON.stringify(ident)}, expected "${FILE_IDENTIFIER}": not a TFLite flatbuffer`, 4);
  }
  const root = fb.root('model');
  const M = ModelFields;
  const version = root.u32(M.version);
  if (version !== SCHEMA_VERSION) {
    fb.fail('model', `schema version is ${version}; tinyforge reads version ${SCHEMA_VERSION} (every converter since TensorFlow 1.x writes it): re-convert the model`);
  }

  const buffers = (root.tables(M.buffers, (i) => `buffer ${i}`) ?? []).map((t, i) => readBuffer(fb, t, i));
  const operatorCodes = (root.tables(M.operator_codes, (i) => `operator code ${i}`) ?? []).map((t, i) => readOperatorCode(fb, t, i));
  const subgraphTables = root.tables(M.subgraphs, (i) => `subgraph ${i}`) ?? [];
  if (subgraphTables.length === 0) fb.fail('model', 'has no subgraphs');
  const subgraphs = subgraphTables.map((t, i) => readSubgraph(fb, t, i, buffers, operatorCodes.length));

  const bufferIndex = (b: number, where: string): number => {
    if (b < 0 || b >= buffers.length) fb.fail(where, `buffer index ${b} is out of range (the model has ${buffers.length} buffers)`);
    return b;
  };
  const metadataBuffer = (root.i32Vector(M.metadata_buffer) ?? []).map((b, i) => bufferIndex(b, `metadata_buffer ${i}`));
  const metadata: TfliteMetadata[] = (root.tables(M.metadata, (i) => `metadata ${i}`) ?? []).map((t, i) => {
    const buffer = bufferIndex(t.u32(MetadataFields.buffer), `metadata ${i}`);
    return { name: t.string(MetadataFields.name) ?? '', buffer, data: buffers[buffer]!.data };
  });
  const runtime = metadata.find((m) => m.name === 'min_runtime_version');
  const signatureDefs = (root.tables(M.signature_defs, (i) => `signature_def ${i}`) ?? []).map((t, i) =>
    readSignatureDef(fb, t, i, subgraphs));

  const description = root.string(M.description) ?? '';
  return {
    name: name ?? 'model',
    version,
    description,
    operatorCodes,
    subgraphs,
    buffers,
    metadataBuffer,
    metadata,
    minRuntimeVersion: runtime ? nulTerminated(runtime.data) : undefined,
    signatureDefs,
  };
}

function nulTerminated(data: Uint8Array): string {
  const end = data.indexOf(0);
  return new TextDecoder().decode(end < 0 ? data : data.subarray(0, end));
}

/** A copy in a fresh ArrayBuffer (offset 0, so typed views of it are aligned); Buffer.slice would alias. */
function copy(view: Uint8Array): Uint8Array {
  return new Uint8Array(view);
}

function readBuffer(fb: FlatBufferView, t: Table, index: number): TfliteBuffer {
  const F = BufferFields;
  const inline = t.byteView(F.data);
  const offset = t.u64(F.offset);
  const size = t.u64(F.size);
  // offset/size form: data outside the flatbuffer, at a file offset; only meaningful when offset > 1.
  if ((!inline || inline.length === 0) && offset > 1n) {
    const where = `buffer ${index}`;
    if (offset + size > BigInt(fb.length)) {
      fb.fail(where, `external data at offset ${offset}, ${size} bytes, runs past the end of the ${fb.length}-byte file`);
    }
    const start = Number(offset);
    const n = Number(size);
    fb.charge(n, where);
    return { data: copy(fb.bytes.subarray(start, start + n)), external: { offset: start, size: n } };
  }
  return { data: inline ? copy(inline) : new Uint8Array(0) };
}

function readOperatorCode(fb: FlatBufferView, t: Table, index: number): TfliteOperatorCode {
  const F = OperatorCodeFields;
  const deprecatedBuiltinCode = t.i8(F.deprecated_builtin_code);
  const builtin = t.i32(F.builtin_code);
  // Old files only set the int8 field; new ones set both (the old one saturated at 127).
  const builtinCode = Math.max(deprecatedBuiltinCode, builtin);
  if (builtinCode < 0) fb.fail(`operator code ${index}`, `builtin code ${builtinCode} is negative`, t.pos);
  const customCode = t.string(F.custom_code);
  const version = t.i32(F.version, 1);
  return {
    builtinCode,
    name: builtinOperatorName(builtinCode),
    deprecatedBuiltinCode,
    ...(customCode !== undefined ? { customCode } : {}),
    version,
  };
}

function readSubgraph(fb: FlatBufferView, t: Table, s: number, buffers: TfliteBuffer[], opcodeCount: number): TfliteSubgraph {
  const F = SubGraphFields;
  const prefix = s === 0 ? '' : `subgraph ${s} `;
  const tensors = (t.tables(F.tensors, (i) => `${prefix}tensor ${i}`) ?? []).map((tt, i) =>
    readTensor(fb, tt, i, `${prefix}tensor ${i}`, buffers));
  const tensorIndex = (v: number, where: string, optional: boolean): number => {
    if (optional && v === -1) return v;
    if (v < 0 || v >= tensors.length) {
      fb.fail(where, `tensor index ${v} is out of range (the subgraph has ${tensors.length} tensors)`);
    }
    return v;
  };
  const inputs = (t.i32Vector(F.inputs) ?? []).map((v, i) => tensorIndex(v, `${prefix}graph input ${i}`, false));
  const outputs = (t.i32Vector(F.outputs) ?? []).map((v, i) => tensorIndex(v, `${prefix}graph output ${i}`, false));
  const operators = (t.tables(F.operators, (i) => `${prefix}op ${i}`) ?? []).map((ot, i): TfliteOperator => {
    const where = `${prefix}op ${i}`;
    const O = OperatorFields;
    const opcodeIndex = ot.u32(O.opcode_index);
    if (opcodeIndex >= opcodeCount) {
      fb.fail(where, `opcode index ${opcodeIndex} is out of range (the model has ${opcodeCount} operator codes)`, ot.pos);
    }
    const builtinOptionsType = ot.u8(O.builtin_options_type);
    if (builtinOptionsType > BUILTIN_OPTIONS_MAX) {
      fb.fail(where, `builtin options type ${builtinOptionsType} is unknown (the schema defines 0..${BUILTIN_OPTIONS_MAX})`, ot.pos);
    }
    const optionsTable = builtinOptionsType !== 0 ? ot.table(O.builtin_options, `${where} builtin options`) : undefined;
    const custom = ot.byteView(O.custom_options);
    return {
      index: i,
      opcodeIndex,
      inputs: (ot.i32Vector(O.inputs) ?? []).map((v, k) => tensorIndex(v, `${where} input ${k}`, true)),
      outputs: (ot.i32Vector(O.outputs) ?? []).map((v, k) => tensorIndex(v, `${where} output ${k}`, false)),
      intermediates: (ot.i32Vector(O.intermediates) ?? []).map((v, k) => tensorIndex(v, `${where} intermediate ${k}`, false)),
      builtinOptionsType,
      ...(optionsTable ? { builtinOptions: decodeBuiltinOptions(builtinOptionsType, optionsTable) } : {}),
      ...(custom ? { customOptions: copy(custom) } : {}),
    };
  });
  return { name: t.string(F.name) ?? '', tensors, inputs, outputs, operators };
}

function readTensor(fb: FlatBufferView, t: Table, index: number, where: string, buffers: TfliteBuffer[]): TfliteTensor {
  const F = TensorFields;
  const name = t.string(F.name) ?? '';
  const at = name ? `${where} '${name}'` : where;
  const typeCode = t.i8(F.type);
  const type = TENSOR_TYPE_NAMES[typeCode];
  if (type === undefined) fb.fail(at, `unknown tensor type ${typeCode} (the schema defines 0..${TENSOR_TYPE_NAMES.length - 1})`, t.pos);
  const shape = t.i32Vector(F.shape) ?? [];
  shape.forEach((d, k) => {
    if (d < 0) fb.fail(at, `dimension ${k} of shape [${shape.join(', ')}] is negative (${d}); unknown sizes belong in shape_signature only`);
  });
  const shapeSignature = t.i32Vector(F.shape_signature);
  shapeSignature?.forEach((d, k) => {
    if (d < -1) fb.fail(at, `dimension ${k} of shape_signature [${shapeSignature.join(', ')}] is ${d}; only -1 (unknown) may be negative`);
  });
  const buffer = t.u32(F.buffer);
  if (buffer >= buffers.length) {
    fb.fail(at, `buffer index ${buffer} is out of range (the model has ${buffers.length} buffers)`, t.pos);
  }
  const isSparse = t.has(F.sparsity);
  const elementBytes = TENSOR_TYPE_BYTES[type];
  if (elementBytes !== undefined) {
    const bytes = shape.reduce((n, d) => n * d, 1) * elementBytes;
    if (bytes > MAX_TENSOR_BYTES) {
      fb.fail(at, `shape [${shape.join(', ')}] of ${type} needs ${bytes} bytes, more than the ${MAX_TENSOR_BYTES} a tensor may hold`);
    }
    const data = buffers[buffer]!.data;
    // Sparse tensors store compressed data; their size is not shape x type.
    if (data.length > 0 && !isSparse && data.length !== bytes) {
      fb.fail(at, `constant buffer ${buffer} holds ${data.length} bytes but shape [${shape.join(', ')}] of ${type} needs ${bytes}`);
    }
  }
  const q = t.table(F.quantization, `${at} quantization`);
  const quantization = q ? readQuantization(fb, q, at, shape) : undefined;
  return {
    index,
    name,
    shape,
    ...(shapeSignature ? { shapeSignature } : {}),
    type,
    buffer,
    ...(quantization ? { quantization } : {}),
    isVariable: t.bool(F.is_variable),
    isSparse,
  };
}

function readQuantization(fb: FlatBufferView, q: Table, at: string, shape: number[]): TfliteQuantization {
  const F = QuantizationFields;
  const scale = q.f32Vector(F.scale) ?? [];
  const zeroPoint = q.i64Vector(F.zero_point) ?? [];
  const quantizedDimension = q.i32(F.quantized_dimension);
  if (scale.length > 0 && zeroPoint.length !== scale.length) {
    fb.fail(at, `quantization has ${scale.length} scale(s) but ${zeroPoint.length} zero point(s)`);
  }
  if (scale.length > 1) {
    const dim = shape[quantizedDimension];
    if (quantizedDimension < 0 || dim === undefined) {
      fb.fail(at, `quantized_dimension ${quantizedDimension} is outside shape [${shape.join(', ')}]`);
    }
    if (dim !== scale.length) {
      fb.fail(at, `per-axis quantization has ${scale.length} scales but dimension ${quantizedDimension} of shape [${shape.join(', ')}] is ${dim}`);
    }
  }
  return {
    min: q.f32Vector(F.min) ?? [],
    max: q.f32Vector(F.max) ?? [],
    scale,
    zeroPoint,
    quantizedDimension,
    detailsType: q.u8(F.details_type),
  };
}

function readSignatureDef(fb: FlatBufferView, t: Table, index: number, subgraphs: TfliteSubgraph[]): TfliteSignatureDef {
  const F = SignatureDefFields;
  const where = `signature_def ${index}`;
  const subgraphIndex = t.u32(F.subgraph_index);
  const subgraph = subgraphs[subgraphIndex];
  if (!subgraph) fb.fail(where, `subgraph index ${subgraphIndex} is out of range (the model has ${subgraphs.length} subgraphs)`, t.pos);
  const maps = (list: Table[] | undefined, kind: string) => (list ?? []).map((m, k) => {
    const tensorIndex = m.u32(TensorMapFields.tensor_index);
    if (tensorIndex >= subgraph.tensors.length) {
      fb.fail(`${where} ${kind} ${k}`, `tensor index ${tensorIndex} is out of range (subgraph ${subgraphIndex} has ${subgraph.tensors.length} tensors)`);
    }
    return { name: m.string(TensorMapFields.name) ?? '', tensorIndex };
  });
  return {
    key: t.string(F.signature_key) ?? '',
    subgraphIndex,
    inputs: maps(t.tables(F.inputs, (k) => `${where} input ${k}`), 'input'),
    outputs: maps(t.tables(F.outputs, (k) => `${where} output ${k}`), 'output'),
  };
}

export { ModelFormatError };

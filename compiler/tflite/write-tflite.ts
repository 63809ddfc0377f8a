// The one .tflite serializer: a TfliteModel to flatbuffer bytes, for models read and rewritten,
// built in code (tests, demos) or emitted from the IR (compiler/emit/tflite/emit-tflite.ts).
// Constant data is 16-byte aligned, inline or, in the offset/size buffer form large models use,
// after the flatbuffer at 16-byte aligned file offsets.
import { Builder } from 'flatbuffers';
import type { Field } from './flatbuffer-view.ts';
import type { TfliteBuiltinOptions, TfliteModel, TfliteQuantization, TfliteSubgraph, TfliteTensor } from './tflite-model.ts';
import {
  ACTIVATION_NAMES, AddOptionsFields, BufferFields, BuiltinOptionsType, ConcatenationOptionsFields,
  Conv2DOptionsFields, DepthwiseConv2DOptionsFields, FILE_IDENTIFIER, FullyConnectedOptionsFields, MetadataFields,
  ModelFields, MulOptionsFields, OperatorCodeFields, OperatorFields, PADDING_NAMES, PLACEHOLDER_FOR_GREATER_OP_CODES,
  Pool2DOptionsFields, QuantizationFields, ReducerOptionsFields, ReshapeOptionsFields, SignatureDefFields,
  SoftmaxOptionsFields, SubGraphFields, TENSOR_TYPE_NAMES, TensorFields, TensorMapFields,
} from './tflite-schema.ts';

export interface WriteTfliteOptions {
  /** Store non-empty buffers outside the flatbuffer (Buffer.offset/size) instead of inline. */
  externalBuffers?: boolean;
}

const EXTERNAL_ALIGN = 16;

export function writeTflite(model: TfliteModel, options: WriteTfliteOptions = {}): Uint8Array {
  if (!options.externalBuffers) return build(model, undefined);
  // The flatbuffer's size does not depend on the offset values (u64 fields, always present), so a
  // first pass with placeholders fixes where the external data starts.
  const placeholder = model.buffers.map(() => 1n << 40n);
  const size = build(model, placeholder).length;
  const offsets: bigint[] = [];
  let end = align(size);
  for (const b of model.buffers) {
    offsets.push(BigInt(end));
    end = align(end + b.data.length);
  }
  const head = build(model, offsets);
  if (head.length !== size) throw new Error(`writeTflite: flatbuffer size changed between passes (${size} -> ${head.length})`);
  const out = new Uint8Array(end);
  out.set(head);
  model.buffers.forEach((b, i) => out.set(b.data, Number(offsets[i]!)));
  return out;
}

function align(n: number): number {
  return Math.ceil(n / EXTERNAL_ALIGN) * EXTERNAL_ALIGN;
}

function build(model: TfliteModel, externalOffsets: bigint[] | undefined): Uint8Array {
  const b = new Builder(1024);
  const str = (s: string | undefined) => (s === undefined ? 0 : b.createString(s));
  const i32s = (v: readonly number[] | undefined) => {
    if (v === undefined) return 0;
    b.startVector(4, v.length, 4);
    for (let i = v.length - 1; i >= 0; i--) b.addInt32(v[i]!);
    return b.endVector();
  };
  const f32s = (v: readonly number[]) => {
    b.startVector(4, v.length, 4);
    for (let i = v.length - 1; i >= 0; i--) b.addFloat32(v[i]!);
    return b.endVector();
  };
  const i64s = (v: readonly number[]) => {
    b.startVector(8, v.length, 8);
    for (let i = v.length - 1; i >= 0; i--) b.addInt64(BigInt(v[i]!));
    return b.endVector();
  };
  const bytes = (v: Uint8Array, alignment: number) => {
    // Pad so the data starts aligned; createByteVector then copies it in one go.
    b.prep(alignment, v.length);
    return b.createByteVector(v);
  };
  const tables = (offsets: number[]) => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
    return b.endVector();
  };
  const table = (fieldCount: number, fill: () => void) => {
    b.startObject(fieldCount);
    fill();
    return b.endObject();
  };
  const off = (f: Field, o: number) => { if (o) b.addFieldOffset(f.id, o, 0); };

  const quantization = (q: TfliteQuantization) => {
    const F = QuantizationFields;
    // Empty min/max read back as absent ones do; leaving them out keeps int8 files small.
    const min = q.min.length ? f32s(q.min) : 0, max = q.max.length ? f32s(q.max) : 0;
    const scale = f32s(q.scale), zp = i64s(q.zeroPoint);
    return table(7, () => {
      off(F.min, min); off(F.max, max); off(F.scale, scale); off(F.zero_point, zp);
      b.addFieldInt32(F.quantized_dimension.id, q.quantizedDimension, 0);
    });
  };
  const tensor = (t: TfliteTensor) => {
    const F = TensorFields;
    const shape = i32s(t.shape), name = str(t.name), sig = i32s(t.shapeSignature);
    const q = t.quantization ? quantization(t.quantization) : 0;
    return table(10, () => {
      off(F.shape, shape);
      b.addFieldInt8(F.type.id, TENSOR_TYPE_NAMES.indexOf(t.type), 0);
      b.addFieldInt32(F.buffer.id, t.buffer, 0);
      off(F.name, name); off(F.quantization, q); off(F.shape_signature, sig);
      b.addFieldInt8(F.is_variable.id, t.isVariable ? 1 : 0, 0);
    });
  };
  const subgraph = (sg: TfliteSubgraph) => {
    const F = SubGraphFields;
    const tensors = tables(sg.tensors.map(tensor));
    const ops = tables(sg.operators.map((op) => {
      const O = OperatorFields;
      const inputs = i32s(op.inputs), outputs = i32s(op.outputs);
      const intermediates = op.intermediates.length ? i32s(op.intermediates) : 0;
      const opts = op.builtinOptions ? builtinOptions(b, op.builtinOptions, i32s) : undefined;
      const custom = op.customOptions ? bytes(op.customOptions, 1) : 0;
      return table(13, () => {
        b.addFieldInt32(O.opcode_index.id, op.opcodeIndex, 0);
        off(O.inputs, inputs); off(O.outputs, outputs); off(O.intermediates, intermediates);
        if (opts) {
          b.addFieldInt8(O.builtin_options_type.id, opts.type, 0);
          off(O.builtin_options, opts.offset);
        }
        off(O.custom_options, custom);
      });
    }));
    const inputs = i32s(sg.inputs), outputs = i32s(sg.outputs), name = str(sg.name);
    return table(5, () => {
      off(F.tensors, tensors); off(F.inputs, inputs); off(F.outputs, outputs); off(F.operators, ops); off(F.name, name);
    });
  };

  const M = ModelFields;
  const codes = tables(model.operatorCodes.map((c) => {
    const F = OperatorCodeFields;
    const custom = str(c.customCode);
    return table(4, () => {
      b.addFieldInt8(F.deprecated_builtin_code.id, Math.min(c.builtinCode, PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
      off(F.custom_code, custom);
      b.addFieldInt32(F.version.id, c.version, 1);
      b.addFieldInt32(F.builtin_code.id, c.builtinCode, 0);
    });
  }));
  const subgraphs = tables(model.subgraphs.map(subgraph));
  const description = str(model.description);
  const buffers = tables(model.buffers.map((buf, i) => {
    const F = BufferFields;
    const external = externalOffsets && buf.data.length > 0;
    // An empty buffer (buffer 0, activations) gets no data vector at all: TFLite rejects an empty one.
    const data = external || buf.data.length === 0 ? 0 : bytes(buf.data, 16);
    return table(3, () => {
      off(F.data, data);
      if (external) {
        b.addFieldInt64(F.offset.id, externalOffsets[i]!, 0n);
        b.addFieldInt64(F.size.id, BigInt(buf.data.length), 0n);
      }
    });
  }));
  const metadataBuffer = model.metadataBuffer.length ? i32s(model.metadataBuffer) : 0;
  const metadata = model.metadata.length ? tables(model.metadata.map((m) => {
    const name = str(m.name);
    return table(2, () => { off(MetadataFields.name, name); b.addFieldInt32(MetadataFields.buffer.id, m.buffer, 0); });
  })) : 0;
  const signatureDefs = model.signatureDefs.length ? tables(model.signatureDefs.map((s) => {
    const maps = (list: { name: string; tensorIndex: number }[]) => tables(list.map((m) => {
      const name = str(m.name);
      return table(2, () => { off(TensorMapFields.name, name); b.addFieldInt32(TensorMapFields.tensor_index.id, m.tensorIndex, 0); });
    }));
    const F = SignatureDefFields;
    const inputs = maps(s.inputs), outputs = maps(s.outputs), key = str(s.key);
    return table(5, () => {
      off(F.inputs, inputs); off(F.outputs, outputs); off(F.signature_key, key);
      b.addFieldInt32(F.subgraph_index.id, s.subgraphIndex, 0);
    });
  })) : 0;

  const root = table(8, () => {
    b.addFieldInt32(M.version.id, model.version, 0);
    off(M.operator_codes, codes); off(M.subgraphs, subgraphs); off(M.description, description);
    off(M.buffers, buffers); off(M.metadata_buffer, metadataBuffer); off(M.metadata, metadata);
    off(M.signature_defs, signatureDefs);
  });
  b.finish(root, FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}

function builtinOptions(
  b: Builder, o: TfliteBuiltinOptions, i32s: (v: readonly number[] | undefined) => number,
): { type: number; offset: number } {
  const pad = (p: string) => PADDING_NAMES.indexOf(p as (typeof PADDING_NAMES)[number]);
  const act = (a: string) => ACTIVATION_NAMES.indexOf(a as (typeof ACTIVATION_NAMES)[number]);
  const obj = (n: number, fill: () => void) => { b.startObject(n); fill(); return b.endObject(); };
  const T = BuiltinOptionsType;
  switch (o.type) {
    case 'Conv2DOptions': {
      const F = Conv2DOptionsFields;
      return { type: T.Conv2DOptions, offset: obj(7, () => {
        b.addFieldInt8(F.padding.id, pad(o.padding), 0);
        b.addFieldInt32(F.stride_w.id, o.strideW, 0); b.addFieldInt32(F.stride_h.id, o.strideH, 0);
        b.addFieldInt8(F.fused_activation_function.id, act(o.activation), 0);
        b.addFieldInt32(F.dilation_w_factor.id, o.dilationWFactor, 1); b.addFieldInt32(F.dilation_h_factor.id, o.dilationHFactor, 1);
        b.addFieldInt8(F.quantized_bias_type.id, o.quantizedBiasType, 0);
      }) };
    }
    case 'DepthwiseConv2DOptions': {
      const F = DepthwiseConv2DOptionsFields;
      return { type: T.DepthwiseConv2DOptions, offset: obj(7, () => {
        b.addFieldInt8(F.padding.id, pad(o.padding), 0);
        b.addFieldInt32(F.stride_w.id, o.strideW, 0); b.addFieldInt32(F.stride_h.id, o.strideH, 0);
        b.addFieldInt32(F.depth_multiplier.id, o.depthMultiplier, 0);
        b.addFieldInt8(F.fused_activation_function.id, act(o.activation), 0);
        b.addFieldInt32(F.dilation_w_factor.id, o.dilationWFactor, 1); b.addFieldInt32(F.dilation_h_factor.id, o.dilationHFactor, 1);
      }) };
    }
    case 'Pool2DOptions': {
      const F = Pool2DOptionsFields;
      return { type: T.Pool2DOptions, offset: obj(6, () => {
        b.addFieldInt8(F.padding.id, pad(o.padding), 0);
        b.addFieldInt32(F.stride_w.id, o.strideW, 0); b.addFieldInt32(F.stride_h.id, o.strideH, 0);
        b.addFieldInt32(F.filter_width.id, o.filterWidth, 0); b.addFieldInt32(F.filter_height.id, o.filterHeight, 0);
        b.addFieldInt8(F.fused_activation_function.id, act(o.activation), 0);
      }) };
    }
    case 'FullyConnectedOptions': {
      const F = FullyConnectedOptionsFields;
      return { type: T.FullyConnectedOptions, offset: obj(5, () => {
        b.addFieldInt8(F.fused_activation_function.id, act(o.activation), 0);
        b.addFieldInt8(F.weights_format.id, o.weightsFormat, 0);
        b.addFieldInt8(F.keep_num_dims.id, o.keepNumDims ? 1 : 0, 0);
        b.addFieldInt8(F.asymmetric_quantize_inputs.id, o.asymmetricQuantizeInputs ? 1 : 0, 0);
        b.addFieldInt8(F.quantized_bias_type.id, o.quantizedBiasType, 0);
      }) };
    }
    case 'SoftmaxOptions':
      return { type: T.SoftmaxOptions, offset: obj(1, () => b.addFieldFloat32(SoftmaxOptionsFields.beta.id, o.beta, 0)) };
    case 'ConcatenationOptions': {
      const F = ConcatenationOptionsFields;
      return { type: T.ConcatenationOptions, offset: obj(2, () => {
        b.addFieldInt32(F.axis.id, o.axis, 0);
        b.addFieldInt8(F.fused_activation_function.id, act(o.activation), 0);
      }) };
    }
    case 'AddOptions': {
      const F = AddOptionsFields;
      return { type: T.AddOptions, offset: obj(2, () => {
        b.addFieldInt8(F.fused_activation_function.id, act(o.activation), 0);
        b.addFieldInt8(F.pot_scale_int16.id, o.potScaleInt16 ? 1 : 0, 1);
      }) };
    }
    case 'MulOptions':
      return { type: T.MulOptions, offset: obj(1, () => b.addFieldInt8(MulOptionsFields.fused_activation_function.id, act(o.activation), 0)) };
    case 'ReshapeOptions': {
      const shape = i32s(o.newShape);
      return { type: T.ReshapeOptions, offset: obj(1, () => { if (shape) b.addFieldOffset(ReshapeOptionsFields.new_shape.id, shape, 0); }) };
    }
    case 'ReducerOptions':
      return { type: T.ReducerOptions, offset: obj(1, () => b.addFieldInt8(ReducerOptionsFields.keep_dims.id, o.keepDims ? 1 : 0, 0)) };
    case 'PadOptions':
    case 'QuantizeOptions':
    case 'DequantizeOptions':
    case 'HardSwishOptions':
      return { type: T[o.type], offset: obj(0, () => {}) };
    case 'Other':
      throw new Error(`writeTflite: builtin options of union type ${o.unionType} cannot be written (not decoded on read)`);
  }
}

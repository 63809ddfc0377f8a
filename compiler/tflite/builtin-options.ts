// Decodes the BuiltinOptions union member of an operator for the ops tinyforge runs, with the
// schema's defaults for absent fields (dilation 1, pot_scale_int16 true, everything else 0).
import type { FusedActivation, Padding } from '../../formats/ir/op-types.ts';
import type { Field, Table } from './flatbuffer-view.ts';
import type { TfliteBuiltinOptions } from './tflite-model.ts';
import {
  ACTIVATION_NAMES, AddOptionsFields, BuiltinOptionsType, ConcatenationOptionsFields, Conv2DOptionsFields,
  DepthwiseConv2DOptionsFields, FullyConnectedOptionsFields, MulOptionsFields, PADDING_NAMES, Pool2DOptionsFields,
  ReducerOptionsFields, ReshapeOptionsFields, SoftmaxOptionsFields,
} from './tflite-schema.ts';

function padding(t: Table, f: Field): Padding {
  const v = t.i8(f);
  const name = PADDING_NAMES[v];
  if (name === undefined) t.fb.fail(`${t.where} field '${f.name}'`, `unknown padding ${v} (expected 0 SAME or 1 VALID)`, t.pos);
  return name;
}

function activation(t: Table, f: Field): FusedActivation {
  const v = t.i8(f);
  const name = ACTIVATION_NAMES[v];
  if (name === undefined) {
    t.fb.fail(`${t.where} field '${f.name}'`, `unknown fused activation ${v} (expected 0..${ACTIVATION_NAMES.length - 1})`, t.pos);
  }
  return name;
}

export function decodeBuiltinOptions(unionType: number, t: Table): TfliteBuiltinOptions {
  switch (unionType) {
    case BuiltinOptionsType.Conv2DOptions: {
      const F = Conv2DOptionsFields;
      return {
        type: 'Conv2DOptions', padding: padding(t, F.padding), strideW: t.i32(F.stride_w), strideH: t.i32(F.stride_h),
        dilationWFactor: t.i32(F.dilation_w_factor, 1), dilationHFactor: t.i32(F.dilation_h_factor, 1),
        activation: activation(t, F.fused_activation_function), quantizedBiasType: t.i8(F.quantized_bias_type),
      };
    }
    case BuiltinOptionsType.DepthwiseConv2DOptions: {
      const F = DepthwiseConv2DOptionsFields;
      return {
        type: 'DepthwiseConv2DOptions', padding: padding(t, F.padding), strideW: t.i32(F.stride_w), strideH: t.i32(F.stride_h),
        depthMultiplier: t.i32(F.depth_multiplier), dilationWFactor: t.i32(F.dilation_w_factor, 1),
        dilationHFactor: t.i32(F.dilation_h_factor, 1), activation: activation(t, F.fused_activation_function),
      };
    }
    case BuiltinOptionsType.Pool2DOptions: {
      const F = Pool2DOptionsFields;
      return {
        type: 'Pool2DOptions', padding: padding(t, F.padding), strideW: t.i32(F.stride_w), strideH: t.i32(F.stride_h),
        filterWidth: t.i32(F.filter_width), filterHeight: t.i32(F.filter_height),
        activation: activation(t, F.fused_activation_function),
      };
    }
    case BuiltinOptionsType.FullyConnectedOptions: {
      const F = FullyConnectedOptionsFields;
      return {
        type: 'FullyConnectedOptions', activation: activation(t, F.fused_activation_function),
        weightsFormat: t.i8(F.weights_format), keepNumDims: t.bool(F.keep_num_dims),
        asymmetricQuantizeInputs: t.bool(F.asymmetric_quantize_inputs), quantizedBiasType: t.i8(F.quantized_bias_type),
      };
    }
    case BuiltinOptionsType.SoftmaxOptions:
      return { type: 'SoftmaxOptions', beta: t.f32(SoftmaxOptionsFields.beta) };
    case BuiltinOptionsType.ConcatenationOptions: {
      const F = ConcatenationOptionsFields;
      return { type: 'ConcatenationOptions', axis: t.i32(F.axis), activation: activation(t, F.fused_activation_function) };
    }
    case BuiltinOptionsType.AddOptions: {
      const F = AddOptionsFields;
      return { type: 'AddOptions', activation: activation(t, F.fused_activation_function), potScaleInt16: t.bool(F.pot_scale_int16, true) };
    }
    case BuiltinOptionsType.MulOptions:
      return { type: 'MulOptions', activation: activation(t, MulOptionsFields.fused_activation_function) };
    case BuiltinOptionsType.ReshapeOptions:
      return { type: 'ReshapeOptions', newShape: t.i32Vector(ReshapeOptionsFields.new_shape) };
    case BuiltinOptionsType.ReducerOptions:
      return { type: 'ReducerOptions', keepDims: t.bool(ReducerOptionsFields.keep_dims) };
    case BuiltinOptionsType.PadOptions: return { type: 'PadOptions' };
    case BuiltinOptionsType.QuantizeOptions: return { type: 'QuantizeOptions' };
    case BuiltinOptionsType.DequantizeOptions: return { type: 'DequantizeOptions' };
    case BuiltinOptionsType.HardSwishOptions: return { type: 'HardSwishOptions' };
    default:
      return { type: 'Other', unionType };
  }
}

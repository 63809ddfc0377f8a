// The TFLite model as the file holds it (schema subset), after validation by readTflite:
// every index is in range, every buffer is inside the file, enums are known values.
import type { FusedActivation, Padding } from '../../formats/ir/op-types.ts';
import type { TensorTypeName } from './tflite-schema.ts';

export interface TfliteModel {
  /** File or model name given to readTflite, else "model"; prefixes error messages. */
  name: string;
  /** Schema version (3 for current files). */
  version: number;
  description: string;
  operatorCodes: TfliteOperatorCode[];
  subgraphs: TfliteSubgraph[];
  buffers: TfliteBuffer[];
  /** Deprecated buffer indices of metadata. */
  metadataBuffer: number[];
  metadata: TfliteMetadata[];
  /** Decoded `min_runtime_version` metadata entry, when present. */
  minRuntimeVersion?: string;
  signatureDefs: TfliteSignatureDef[];
}

export interface TfliteOperatorCode {
  /** Effective builtin code: max(deprecated_builtin_code, builtin_code). */
  builtinCode: number;
  /** BuiltinOperator name ('CUSTOM' for custom ops, 'BUILTIN_<n>' for codes newer than this reader). */
  name: string;
  deprecatedBuiltinCode: number;
  customCode?: string;
  version: number;
}

export interface TfliteBuffer {
  /** Contents (a copy of the file bytes); empty for activations' sentinel buffers. */
  data: Uint8Array;
  /** Set when the data lives outside the flatbuffer (offset/size form, models over 2 GB). */
  external?: { offset: number; size: number };
}

export interface TfliteMetadata {
  name: string;
  buffer: number;
  data: Uint8Array;
}

export interface TfliteTensorMap {
  name: string;
  tensorIndex: number;
}

export interface TfliteSignatureDef {
  key: string;
  subgraphIndex: number;
  inputs: TfliteTensorMap[];
  outputs: TfliteTensorMap[];
}

export interface TfliteSubgraph {
  name: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export interface TfliteQuantization {
  min: number[];
  max: number[];
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
  /** Union type of custom quantization details (0 = none). */
  detailsType: number;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  /** Shape with -1 for unknown dimensions, when the file records one. */
  shapeSignature?: number[];
  type: TensorTypeName;
  buffer: number;
  quantization?: TfliteQuantization;
  isVariable: boolean;
  isSparse: boolean;
}

export interface TfliteOperator {
  index: number;
  opcodeIndex: number;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  intermediates: number[];
  /** Raw BuiltinOptions union type (0 = none). */
  builtinOptionsType: number;
  builtinOptions?: TfliteBuiltinOptions;
  customOptions?: Uint8Array;
}

interface ConvLike {
  padding: Padding;
  strideW: number;
  strideH: number;
  dilationWFactor: number;
  dilationHFactor: number;
  activation: FusedActivation;
}

export type TfliteBuiltinOptions =
  | ({ type: 'Conv2DOptions'; quantizedBiasType: number } & ConvLike)
  | ({ type: 'DepthwiseConv2DOptions'; depthMultiplier: number } & ConvLike)
  | { type: 'Pool2DOptions'; padding: Padding; strideW: number; strideH: number; filterWidth: number; filterHeight: number; activation: FusedActivation }
  | { type: 'FullyConnectedOptions'; activation: FusedActivation; weightsFormat: number; keepNumDims: boolean; asymmetricQuantizeInputs: boolean; quantizedBiasType: number }
  | { type: 'SoftmaxOptions'; beta: number }
  | { type: 'ConcatenationOptions'; axis: number; activation: FusedActivation }
  | { type: 'AddOptions'; activation: FusedActivation; potScaleInt16: boolean }
  | { type: 'MulOptions'; activation: FusedActivation }
  | { type: 'ReshapeOptions'; newShape?: number[] }
  | { type: 'ReducerOptions'; keepDims: boolean }
  | { type: 'PadOptions' | 'QuantizeOptions' | 'DequantizeOptions' | 'HardSwishOptions' }
  /** A union member this reader does not decode (options of ops tinyforge does not run). */
  | { type: 'Other'; unionType: number };

export type TfliteBuiltinOptionsName = TfliteBuiltinOptions['type'];

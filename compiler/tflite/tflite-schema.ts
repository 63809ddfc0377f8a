// The subset of TFLite's schema (tensorflow/lite/schema/schema.fbs, file identifier "TFL3") that
// tinyforge reads: table field positions in declaration order, and the enums it decodes.
import { fieldIds } from './flatbuffer-view.ts';

export const FILE_IDENTIFIER = 'TFL3';
/** Model.version of every file this schema describes. */
export const SCHEMA_VERSION = 3;

export const ModelFields = fieldIds(['version', 'operator_codes', 'subgraphs', 'description', 'buffers',
  'metadata_buffer', 'metadata', 'signature_defs'] as const);
export const OperatorCodeFields = fieldIds(['deprecated_builtin_code', 'custom_code', 'version', 'builtin_code'] as const);
export const SubGraphFields = fieldIds(['tensors', 'inputs', 'outputs', 'operators', 'name'] as const);
export const TensorFields = fieldIds(['shape', 'type', 'buffer', 'name', 'quantization', 'is_variable', 'sparsity',
  'shape_signature', 'has_rank', 'variant_tensors'] as const);
export const QuantizationFields = fieldIds(['min', 'max', 'scale', 'zero_point', 'details_type', 'details',
  'quantized_dimension'] as const);
export const OperatorFields = fieldIds(['opcode_index', 'inputs', 'outputs', 'builtin_options_type', 'builtin_options',
  'custom_options', 'custom_options_format', 'mutating_variable_inputs', 'intermediates',
  'large_custom_options_offset', 'large_custom_options_size', 'builtin_options_2_type', 'builtin_options_2'] as const);
export const BufferFields = fieldIds(['data', 'offset', 'size'] as const);
export const MetadataFields = fieldIds(['name', 'buffer'] as const);
export const SignatureDefFields = fieldIds(['inputs', 'outputs', 'signature_key', 'deprecated_tag', 'subgraph_index'] as const);
export const TensorMapFields = fieldIds(['name', 'tensor_index'] as const);

// Options tables of the ops tinyforge supports.
export const Conv2DOptionsFields = fieldIds(['padding', 'stride_w', 'stride_h', 'fused_activation_function',
  'dilation_w_factor', 'dilation_h_factor', 'quantized_bias_type'] as const);
export const DepthwiseConv2DOptionsFields = fieldIds(['padding', 'stride_w', 'stride_h', 'depth_multiplier',
  'fused_activation_function', 'dilation_w_factor', 'dilation_h_factor'] as const);
export const Pool2DOptionsFields = fieldIds(['padding', 'stride_w', 'stride_h', 'filter_width', 'filter_height',
  'fused_activation_function'] as const);
export const FullyConnectedOptionsFields = fieldIds(['fused_activation_function', 'weights_format', 'keep_num_dims',
  'asymmetric_quantize_inputs', 'quantized_bias_type'] as const);
export const SoftmaxOptionsFields = fieldIds(['beta'] as const);
export const ConcatenationOptionsFields = fieldIds(['axis', 'fused_activation_function'] as const);
export const AddOptionsFields = fieldIds(['fused_activation_function', 'pot_scale_int16'] as const);
export const MulOptionsFields = fieldIds(['fused_activation_function'] as const);
export const ReshapeOptionsFields = fieldIds(['new_shape'] as const);
export const ReducerOptionsFields = fieldIds(['keep_dims'] as const);

/** Members of the BuiltinOptions union that tinyforge decodes, by union type value. */
export const BuiltinOptionsType = {
  NONE: 0,
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  ReshapeOptions: 17,
  MulOptions: 21,
  PadOptions: 22,
  ReducerOptions: 27,
  DequantizeOptions: 38,
  QuantizeOptions: 89,
  HardSwishOptions: 91,
} as const;

/** The highest BuiltinOptions union value the schema defines (RightShiftOptions). */
export const BUILTIN_OPTIONS_MAX = 126;

export const PADDING_NAMES = ['SAME', 'VALID'] as const;
export const ACTIVATION_NAMES = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'] as const;

/** TensorType enum, by value. */
export const TENSOR_TYPE_NAMES = ['FLOAT32', 'FLOAT16', 'INT32', 'UINT8', 'INT64', 'STRING', 'BOOL', 'INT16',
  'COMPLEX64', 'INT8', 'FLOAT64', 'COMPLEX128', 'UINT64', 'RESOURCE', 'VARIANT', 'UINT32', 'UINT16', 'INT4'] as const;
export type TensorTypeName = (typeof TENSOR_TYPE_NAMES)[number];

/** Bytes per element; undefined for types without a fixed element size (STRING, RESOURCE, VARIANT, packed INT4). */
export const TENSOR_TYPE_BYTES: Partial<Record<TensorTypeName, number>> = {
  FLOAT32: 4, FLOAT16: 2, INT32: 4, UINT8: 1, INT64: 8, BOOL: 1, INT16: 2, COMPLEX64: 8, INT8: 1, FLOAT64: 8,
  COMPLEX128: 16, UINT64: 8, UINT32: 4, UINT16: 2,
};

/** BuiltinOperator enum, by value (0..161; later values are reported as BUILTIN_<n>). */
export const BUILTIN_OPERATOR_NAMES: readonly string[] = [
  'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEPTH_TO_SPACE', 'DEQUANTIZE',
  'EMBEDDING_LOOKUP', 'FLOOR', 'FULLY_CONNECTED', 'HASHTABLE_LOOKUP', 'L2_NORMALIZATION', 'L2_POOL_2D',
  'LOCAL_RESPONSE_NORMALIZATION', 'LOGISTIC', 'LSH_PROJECTION', 'LSTM', 'MAX_POOL_2D', 'MUL', 'RELU',
  'RELU_N1_TO_1', 'RELU6', 'RESHAPE', 'RESIZE_BILINEAR', 'RNN', 'SOFTMAX', 'SPACE_TO_DEPTH', 'SVDF', 'TANH',
  'CONCAT_EMBEDDINGS', 'SKIP_GRAM', 'CALL', 'CUSTOM', 'EMBEDDING_LOOKUP_SPARSE', 'PAD',
  'UNIDIRECTIONAL_SEQUENCE_RNN', 'GATHER', 'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'TRANSPOSE', 'MEAN', 'SUB',
  'DIV', 'SQUEEZE', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'BIDIRECTIONAL_SEQUENCE_RNN', 'EXP', 'TOPK_V2',
  'SPLIT', 'LOG_SOFTMAX', 'DELEGATE', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'CAST', 'PRELU', 'MAXIMUM', 'ARG_MAX',
  'MINIMUM', 'LESS', 'NEG', 'PADV2', 'GREATER', 'GREATER_EQUAL', 'LESS_EQUAL', 'SELECT', 'SLICE', 'SIN',
  'TRANSPOSE_CONV', 'SPARSE_TO_DENSE', 'TILE', 'EXPAND_DIMS', 'EQUAL', 'NOT_EQUAL', 'LOG', 'SUM', 'SQRT', 'RSQRT',
  'SHAPE', 'POW', 'ARG_MIN', 'FAKE_QUANT', 'REDUCE_PROD', 'REDUCE_MAX', 'PACK', 'LOGICAL_OR', 'ONE_HOT',
  'LOGICAL_AND', 'LOGICAL_NOT', 'UNPACK', 'REDUCE_MIN', 'FLOOR_DIV', 'REDUCE_ANY', 'SQUARE', 'ZEROS_LIKE', 'FILL',
  'FLOOR_MOD', 'RANGE', 'RESIZE_NEAREST_NEIGHBOR', 'LEAKY_RELU', 'SQUARED_DIFFERENCE', 'MIRROR_PAD', 'ABS',
  'SPLIT_V', 'UNIQUE', 'CEIL', 'REVERSE_V2', 'ADD_N', 'GATHER_ND', 'COS', 'WHERE', 'RANK', 'ELU',
  'REVERSE_SEQUENCE', 'MATRIX_DIAG', 'QUANTIZE', 'MATRIX_SET_DIAG', 'ROUND', 'HARD_SWISH', 'IF', 'WHILE',
  'NON_MAX_SUPPRESSION_V4', 'NON_MAX_SUPPRESSION_V5', 'SCATTER_ND', 'SELECT_V2', 'DENSIFY', 'SEGMENT_SUM',
  'BATCH_MATMUL', 'PLACEHOLDER_FOR_GREATER_OP_CODES', 'CUMSUM', 'CALL_ONCE', 'BROADCAST_TO', 'RFFT2D', 'CONV_3D',
  'IMAG', 'REAL', 'COMPLEX_ABS', 'HASHTABLE', 'HASHTABLE_FIND', 'HASHTABLE_IMPORT', 'HASHTABLE_SIZE', 'REDUCE_ALL',
  'CONV_3D_TRANSPOSE', 'VAR_HANDLE', 'READ_VARIABLE', 'ASSIGN_VARIABLE', 'BROADCAST_ARGS', 'RANDOM_STANDARD_NORMAL',
  'BUCKETIZE', 'RANDOM_UNIFORM', 'MULTINOMIAL', 'GELU', 'DYNAMIC_UPDATE_SLICE', 'RELU_0_TO_1',
  'UNSORTED_SEGMENT_PROD', 'UNSORTED_SEGMENT_MAX', 'UNSORTED_SEGMENT_SUM', 'ATAN2', 'UNSORTED_SEGMENT_MIN', 'SIGN',
  'BITCAST', 'BITWISE_XOR', 'RIGHT_SHIFT',
];

export const BUILTIN_CUSTOM = 32;
/** deprecated_builtin_code is an int8; codes at or above this live only in builtin_code. */
export const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

export function builtinOperatorName(code: number): string {
  return BUILTIN_OPERATOR_NAMES[code] ?? `BUILTIN_${code}`;
}

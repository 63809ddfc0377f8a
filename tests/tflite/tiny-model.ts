// A three-op int8 model (CONV_2D -> AVERAGE_POOL_2D -> RESHAPE) built in code, for tests that
// need a small file to break in one specific way: mutate a fresh copy, then writeTflite it.
import type { TfliteModel, TfliteTensor } from '../../compiler/tflite/tflite-model.ts';

function tensor(index: number, name: string, type: TfliteTensor['type'], shape: number[], buffer = 0,
  scale = [0.5], zeroPoint = [-1], quantizedDimension = 0): TfliteTensor {
  return {
    index, name, shape, type, buffer, isVariable: false, isSparse: false,
    quantization: { min: [], max: [], scale, zeroPoint, quantizedDimension, detailsType: 0 },
  };
}

const le32 = (values: number[]) => new Uint8Array(new Int32Array(values).buffer);

export function tinyModel(): TfliteModel {
  return {
    name: 'tiny',
    version: 3,
    description: 'tinyforge test model',
    operatorCodes: [
      { builtinCode: 3, name: 'CONV_2D', deprecatedBuiltinCode: 3, version: 3 },
      { builtinCode: 1, name: 'AVERAGE_POOL_2D', deprecatedBuiltinCode: 1, version: 2 },
      { builtinCode: 22, name: 'RESHAPE', deprecatedBuiltinCode: 22, version: 1 },
    ],
    subgraphs: [{
      name: 'main',
      tensors: [
        tensor(0, 'input', 'INT8', [1, 4, 4, 2]),
        tensor(1, 'filter', 'INT8', [3, 1, 1, 2], 1, [0.1, 0.2, 0.3], [0, 0, 0], 0),
        tensor(2, 'bias', 'INT32', [3], 2, [0.05, 0.1, 0.15], [0, 0, 0], 0),
        tensor(3, 'conv', 'INT8', [1, 4, 4, 3]),
        tensor(4, 'pool', 'INT8', [1, 2, 2, 3]),
        tensor(5, 'output', 'INT8', [1, 12]),
        { index: 6, name: 'new_shape', shape: [2], type: 'INT32', buffer: 3, isVariable: false, isSparse: false },
      ],
      inputs: [0],
      outputs: [5],
      operators: [
        {
          index: 0, opcodeIndex: 0, inputs: [0, 1, 2], outputs: [3], intermediates: [], builtinOptionsType: 1,
          builtinOptions: {
            type: 'Conv2DOptions', padding: 'SAME', strideW: 1, strideH: 1, dilationWFactor: 1, dilationHFactor: 1,
            activation: 'RELU6', quantizedBiasType: 0,
          },
        },
        {
          index: 1, opcodeIndex: 1, inputs: [3], outputs: [4], intermediates: [], builtinOptionsType: 5,
          builtinOptions: {
            type: 'Pool2DOptions', padding: 'VALID', strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, activation: 'NONE',
          },
        },
        { index: 2, opcodeIndex: 2, inputs: [4, 6], outputs: [5], intermediates: [], builtinOptionsType: 0 },
      ],
    }],
    buffers: [
      { data: new Uint8Array(0) },
      { data: new Uint8Array([1, 2, 3, 4, 5, 6]) },
      { data: le32([100, -200, 300]) },
      { data: le32([1, 12]) },
      { data: new TextEncoder().encode('1.14.0\0\0') },
    ],
    metadataBuffer: [],
    metadata: [{ name: 'min_runtime_version', buffer: 4, data: new TextEncoder().encode('1.14.0\0\0') }],
    minRuntimeVersion: '1.14.0',
    signatureDefs: [],
  };
}

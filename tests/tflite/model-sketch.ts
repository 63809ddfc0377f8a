// Builds a TfliteModel tensor by tensor and op by op, for tests that need models with ops the
// corpus lacks. Writing it with writeTflite gives a real .tflite file.
import type { TfliteBuiltinOptions, TfliteModel, TfliteTensor } from '../../compiler/tflite/tflite-model.ts';
import { BUILTIN_OPERATOR_NAMES, BuiltinOptionsType } from '../../compiler/tflite/tflite-schema.ts';

export class ModelSketch {
  private readonly model: TfliteModel = {
    name: 'sketch', version: 3, description: '', operatorCodes: [],
    subgraphs: [{ name: 'main', tensors: [], inputs: [], outputs: [], operators: [] }],
    buffers: [{ data: new Uint8Array(0) }], metadataBuffer: [], metadata: [], signatureDefs: [],
  };
  private readonly sg = this.model.subgraphs[0]!;

  /** Adds a tensor (int8 with scale 1/128, zero point 0 unless said otherwise); returns its index. */
  tensor(shape: number[], options: { type?: TfliteTensor['type']; data?: Uint8Array; scale?: number[]; zeroPoint?: number[]; axis?: number } = {}): number {
    const index = this.sg.tensors.length;
    let buffer = 0;
    if (options.data) {
      buffer = this.model.buffers.length;
      this.model.buffers.push({ data: options.data });
    }
    const type = options.type ?? 'INT8';
    const scale = options.scale ?? (type === 'FLOAT32' ? [] : [1 / 128]);
    this.sg.tensors.push({
      index, name: `t${index}`, shape, type, buffer, isVariable: false, isSparse: false,
      ...(scale.length ? {
        quantization: { min: [], max: [], scale, zeroPoint: options.zeroPoint ?? scale.map(() => 0), quantizedDimension: options.axis ?? 0, detailsType: 0 },
      } : {}),
    });
    return index;
  }

  int32(values: number[]): number {
    return this.tensor([values.length], { type: 'INT32', data: new Uint8Array(new Int32Array(values).buffer), scale: [] });
  }

  op(name: string, inputs: number[], outputs: number[], builtinOptions?: TfliteBuiltinOptions): this {
    const code = BUILTIN_OPERATOR_NAMES.indexOf(name);
    if (code < 0) throw new Error(`unknown builtin ${name}`);
    let opcodeIndex = this.model.operatorCodes.findIndex((c) => c.builtinCode === code);
    if (opcodeIndex < 0) {
      opcodeIndex = this.model.operatorCodes.length;
      this.model.operatorCodes.push({ builtinCode: code, name, deprecatedBuiltinCode: Math.min(code, 127), version: 1 });
    }
    const builtinOptionsType = builtinOptions && builtinOptions.type !== 'Other' ? BuiltinOptionsType[builtinOptions.type] : 0;
    this.sg.operators.push({
      index: this.sg.operators.length, opcodeIndex, inputs, outputs, intermediates: [], builtinOptionsType,
      ...(builtinOptions ? { builtinOptions } : {}),
    });
    return this;
  }

  build(inputs: number[], outputs: number[]): TfliteModel {
    this.sg.inputs = inputs;
    this.sg.outputs = outputs;
    return this.model;
  }
}

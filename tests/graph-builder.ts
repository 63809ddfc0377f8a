// Builds small IR graphs by hand for tests: activations, constants and ops in a few lines.
import type { DType, Graph, Op, Quantization, Tensor } from '../formats/ir/graph.ts';
import type { OpAttrs, OpType } from '../formats/ir/op-types.ts';

export class GraphBuilder {
  private tensors: Tensor[] = [];
  private ops: Op[] = [];

  constructor(private name = 'test') {}

  tensor(shape: number[], dtype: DType = 'int8', quant: Quantization = { scale: [0.1], zeroPoint: [0], axis: 0 }, data?: Uint8Array): number {
    const id = this.tensors.length;
    this.tensors.push({ id, name: `t${id}`, shape, dtype, quant, ...(data ? { data } : {}) });
    return id;
  }

  constant(shape: number[], data: Uint8Array, dtype: DType = 'int8', quant?: Quantization): number {
    return this.tensor(shape, dtype, quant ?? { scale: [0.1], zeroPoint: [0], axis: 0 }, data);
  }

  op<T extends OpType>(type: T, inputs: number[], outputs: number[], attrs: OpAttrs[T]): this {
    this.ops.push({ index: this.ops.length, type, inputs, outputs, attrs } as Op);
    return this;
  }

  build(inputs: number[], outputs: number[]): Graph {
    return { name: this.name, tensors: this.tensors, ops: this.ops, inputs, outputs };
  }
}

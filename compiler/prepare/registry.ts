// Which prepare function turns each IR op into kernel calls. One file per op in this folder.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import type { OpType } from '../../formats/ir/op-types.ts';
import type { PreparedOp } from './kernel-layout.ts';
import { prepareConv2D } from './conv2d.ts';
import { prepareDepthwiseConv2D } from './depthwise-conv2d.ts';
import { prepareFullyConnected } from './fully-connected.ts';
import { prepareAdd } from './add.ts';
import { prepareAveragePool2D } from './average-pool2d.ts';
import { prepareConcatenation } from './concatenation.ts';
import { prepareDequantize } from './dequantize.ts';
import { prepareHardSwish } from './hard-swish.ts';
import { prepareLogistic } from './logistic.ts';
import { prepareMaxPool2D } from './max-pool2d.ts';
import { prepareMean } from './mean.ts';
import { prepareMul } from './mul.ts';
import { preparePad } from './pad.ts';
import { prepareQuantize } from './quantize.ts';
import { prepareRelu, prepareRelu6 } from './relu.ts';
import { prepareReshape } from './reshape.ts';
import { prepareSoftmax } from './softmax.ts';
import { prepareTanh } from './tanh.ts';

export type PrepareFn<T extends OpType = OpType> = (graph: Graph, op: Op<T>) => PreparedOp[];

/** Filled in as each op's prepare file lands: `OP_TYPE: prepareX as PrepareFn`. */
export const PREPARE: Partial<Record<OpType, PrepareFn>> = {
  CONV_2D: prepareConv2D as PrepareFn,
  DEPTHWISE_CONV_2D: prepareDepthwiseConv2D as PrepareFn,
  FULLY_CONNECTED: prepareFullyConnected as PrepareFn,
  AVERAGE_POOL_2D: prepareAveragePool2D as PrepareFn,
  MAX_POOL_2D: prepareMaxPool2D as PrepareFn,
  SOFTMAX: prepareSoftmax as PrepareFn,
  ADD: prepareAdd as PrepareFn,
  MUL: prepareMul as PrepareFn,
  RESHAPE: prepareReshape as PrepareFn,
  PAD: preparePad as PrepareFn,
  MEAN: prepareMean as PrepareFn,
  CONCATENATION: prepareConcatenation as PrepareFn,
  QUANTIZE: prepareQuantize as PrepareFn,
  DEQUANTIZE: prepareDequantize as PrepareFn,
  LOGISTIC: prepareLogistic as PrepareFn,
  TANH: prepareTanh as PrepareFn,
  RELU: prepareRelu as PrepareFn,
  RELU6: prepareRelu6 as PrepareFn,
  HARD_SWISH: prepareHardSwish as PrepareFn,
};

// A DS-CNN keyword model in the shape of MLPerf Tiny's (conv 10×4 stride 2 → depthwise-separable blocks →
// average pool → dense softmax) at 64 channels instead of MLPerf's 172, so weights and activations fit a 64 KB-SRAM
// board: int8 activations peak at two 25×5×C buffers (2·125·C bytes: 16 KB at C = 64). At 32 channels the int8 model
// fell 1.1–1.6 points behind the float one on unseen voices; at 64 the gap is 0.5 (examples/kws/README.md).
import * as tf from '@tensorflow/tfjs';
import { MFCC_COEFFICIENTS, NUM_FRAMES } from '../../../frontend/mfcc-config.ts';

export interface DsCnnOptions {
  channels: number;
  blocks: number;
  classes: number;
  dropout: number;
  seed: number;
  /** Batch normalization after each conv (folded away when compiling); slow to train on tfjs's cpu backend. */
  batchNorm: boolean;
}

export const DEFAULT_DS_CNN: DsCnnOptions = { channels: 64, blocks: 4, classes: 12, dropout: 0.2, seed: 8, batchNorm: false };

export function buildDsCnn(o: DsCnnOptions = DEFAULT_DS_CNN): tf.LayersModel {
  let seed = o.seed;
  // He initialization keeps activations from vanishing through nine ReLU layers without batch norm. tfjs counts a
  // depthwise kernel's fan-in as 3·3·channels; its true fan-in is 3·3, so it gets its own normal(0, √(2/9)).
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const depthwiseInit = () => tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / 9), seed: seed++ });
  const input = tf.input({ shape: [NUM_FRAMES, MFCC_COEFFICIENTS, 1], name: 'mfcc' });
  // With batch norm: conv → BN → ReLU as in MLPerf's model; without: the ReLU is the conv's own activation.
  const act = o.batchNorm ? 'linear' : 'relu';
  const finish = (t: tf.SymbolicTensor, name: string): tf.SymbolicTensor => {
    if (!o.batchNorm) return t;
    const bn = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(t) as tf.SymbolicTensor;
    return tf.layers.reLU({ name: `${name}_relu` }).apply(bn) as tf.SymbolicTensor;
  };
  let x = finish(tf.layers.conv2d({ filters: o.channels, kernelSize: [10, 4], strides: 2, padding: 'same', activation: act, kernelInitializer: init(), name: 'conv0' }).apply(input) as tf.SymbolicTensor, 'conv0');
  for (let b = 1; b <= o.blocks; b++) {
    x = finish(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: act, depthwiseInitializer: depthwiseInit(), name: `dw${b}` }).apply(x) as tf.SymbolicTensor, `dw${b}`);
    x = finish(tf.layers.conv2d({ filters: o.channels, kernelSize: 1, activation: act, kernelInitializer: init(), name: `pw${b}` }).apply(x) as tf.SymbolicTensor, `pw${b}`);
  }
  const [, h, w] = x.shape as number[];
  x = tf.layers.dropout({ rate: o.dropout, seed: seed++, name: 'dropout' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.averagePooling2d({ poolSize: [h, w], name: 'pool' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: o.classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }), name: 'logits' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'kws_ds_cnn' });
}

/** The width of a DS-CNN built here (its first conv's filter count). */
export function dsCnnChannels(model: tf.LayersModel): number {
  return (model.getLayer('conv0').getConfig() as { filters: number }).filters;
}

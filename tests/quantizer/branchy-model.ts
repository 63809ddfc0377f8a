// A small functional tfjs model (untrained: random weights suffice for format checks) that uses
// the layers a DS-CNN does not: ZeroPadding2D, MaxPooling2D, Add, ReLU(6), Multiply, Concatenate,
// an unfoldable BatchNormalization, SeparableConv2D and tanh / sigmoid activations.
import * as tf from '@tensorflow/tfjs';

export function buildBranchyModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const x = tf.input({ shape: [8, 8, 2], name: 'x' });
  const p = tf.layers.zeroPadding2d({ padding: 1, name: 'pad' }).apply(x) as tf.SymbolicTensor;
  const c = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: init(1), name: 'conv' }).apply(p) as tf.SymbolicTensor;
  const m = tf.layers.maxPooling2d({ poolSize: 2, name: 'maxpool' }).apply(c) as tf.SymbolicTensor;
  const a = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'tanh', depthwiseInitializer: init(2), name: 'dw_tanh' }).apply(m) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'sigmoid', kernelInitializer: init(3), name: 'pw_sigmoid' }).apply(m) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'add' }).apply([a, b]) as tf.SymbolicTensor;
  const clipped = tf.layers.reLU({ maxValue: 6, name: 'relu6' }).apply(sum) as tf.SymbolicTensor;
  const prod = tf.layers.multiply({ name: 'mul' }).apply([clipped, b]) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ name: 'concat' }).apply([prod, b]) as tf.SymbolicTensor;
  // A BatchNormalization after a concatenation cannot fold into a conv: it becomes MUL + ADD.
  const bn = tf.layers.batchNormalization({ name: 'bn_after_concat' }).apply(cat) as tf.SymbolicTensor;
  const s = tf.layers.separableConv2d({ filters: 6, kernelSize: 3, padding: 'same', depthMultiplier: 2, depthwiseInitializer: init(4), pointwiseInitializer: init(5), name: 'sep' }).apply(bn) as tf.SymbolicTensor;
  const g = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(s) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(6), name: 'fc' }).apply(g) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: y, name: 'branchy' });
  // Statistics as training would leave them: gamma, beta, moving mean, moving variance.
  const ch = [0.5, 1.5, -0.8, 1.2, 0.9, 2.0, 0.7, 1.1];
  model.getLayer('bn_after_concat').setWeights([
    tf.tensor1d(ch), tf.tensor1d(ch.map((v) => v / 4)), tf.tensor1d(ch.map((v) => v / 3)), tf.tensor1d(ch.map((v) => v * v)),
  ]);
  return model;
}

export function randomInputs(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count * 8 * 8 * 2 }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}

// The faster filter-gradient kernels registered on tfjs's cpu backend give bit-identical gradients.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFastBackpropFilters, unregisterFastBackpropFilters } from '../../examples/kws/training/fast-backprop-filter.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => unregisterFastBackpropFilters());

function gradients(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 13, 7, 5], 0, 1, 'float32', 1);
    const w = tf.randomNormal([4, 3, 5, 6], 0, 1, 'float32', 2);
    const dw = tf.randomNormal([3, 3, 6, 2], 0, 1, 'float32', 3);
    const w2 = tf.randomNormal([1, 1, 12, 4], 0, 1, 'float32', 4);
    // Strided 'same' conv, depthwise with channel multiplier 2 and 'valid' padding, 1×1 conv: the DS-CNN's shapes and more.
    const loss = (a: tf.Tensor, k: tf.Tensor, d: tf.Tensor, k2: tf.Tensor) => {
      const h = tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, [2, 1], 'same').relu();
      const g = tf.depthwiseConv2d(h as tf.Tensor4D, d as tf.Tensor4D, [1, 2], 'valid');
      return tf.conv2d(g as tf.Tensor4D, k2 as tf.Tensor4D, 1, 'same').square().sum();
    };
    return tf.grads(loss)([x, w, dw, w2]).map((g) => g.dataSync() as Float32Array);
  });
}

describe('fast Conv2DBackpropFilter / DepthwiseConv2dNativeBackpropFilter', () => {
  it('replace the stock cpu kernels and give identical gradients', () => {
    const stock = gradients();
    registerFastBackpropFilters();
    const fast = gradients();
    expect(fast.length).toBe(4);
    for (let i = 0; i < 4; i++) expect(Array.from(fast[i]), `gradient ${i}`).toEqual(Array.from(stock[i]));
    // Filter gradients are not all zero (the comparison means something).
    expect(fast[1].some((v) => v !== 0) && fast[2].some((v) => v !== 0)).toBe(true);
  });
});

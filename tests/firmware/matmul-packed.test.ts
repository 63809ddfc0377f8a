// The Cortex-M DSP packed matmul (targets/c/kernels/tf_matmul_packed_s8.c, layout compiler/emit/c/matmul-packed.ts)
// on the emulated Cortex-M4 against the WASM runtime (bit-exact with TensorFlow Lite Micro's reference kernels):
// 1×1 convolutions and fully connected layers of random quantization, odd row counts, fused activations, and
// pruned channels (all-zero weights, which the layout turns into constants).
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile-model.ts';
import { packMatmul } from '../../compiler/emit/c/matmul-packed.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { runOnQemu } from '../../targets/qemu/run-on-qemu.ts';
import { buildConv2D, buildFullyConnected, rng, type Layer } from '../kernels/layer-builder.ts';
import { randomQuant } from '../kernels/random-specs.ts';

function conv1x1(seed: number, inC: number, outC: number, pixels: [number, number]): Layer {
  const r = rng(seed);
  return buildConv2D({
    ...randomQuant(r, outC, inC), batches: 1, inH: pixels[0], inW: pixels[1], inC, outC, filterH: 1, filterW: 1,
    strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padding: 'VALID',
  }, r);
}

function fullyConnected(seed: number, batches: number, inDepth: number, outDepth: number): Layer {
  const r = rng(seed);
  return buildFullyConnected({ ...randomQuant(r, outDepth, inDepth), batches, inDepth, outDepth }, r);
}

/** Channel c's weights all zero (as in a pruned network): its output is a constant. */
function pruned(l: Layer, channels: number[]): Layer {
  const w = l.graph.tensors[1];
  const data = new Uint8Array(w.data!);
  const depth = data.length / w.shape[0];
  for (const c of channels) data.fill(0, c * depth, (c + 1) * depth);
  const tensors = l.graph.tensors.map((t) => (t.id === 1 ? { ...t, data } : t));
  return { ...l, graph: { ...l.graph, tensors } };
}

const layers: [string, Layer][] = [];
for (let seed = 1; seed <= 8; seed++) layers.push([`conv 1×1 24→10, 3×5 pixels, seed ${seed}`, conv1x1(seed, 24, 10, [3, 5])]);
layers.push(['conv 1×1 64→16, 2×4 pixels', conv1x1(31, 64, 16, [2, 4])]);
layers.push(['conv 1×1 256→8, 1×3 pixels', conv1x1(32, 256, 8, [1, 3])]);
layers.push(['conv 1×1 32→12 with channels 0, 5 and 11 pruned', pruned(conv1x1(33, 32, 12, [3, 3]), [0, 5, 11])]);
for (let seed = 41; seed <= 44; seed++) layers.push([`fully connected 3×40→8, seed ${seed}`, fullyConnected(seed, 3, 40, 8)]);
layers.push(['fully connected 1×64→12', fullyConnected(45, 1, 64, 12)]);

describe('tf_matmul_packed_s8 on qemu-mps2-an386 vs the WASM runtime', () => {
  it('takes most of these layers (the rest fall back to the generic kernels: shifts outside 1..20)', () => {
    const packed = layers.filter(([, l]) => {
      const c = compileGraph(l.graph);
      return packMatmul(c.graph, c.prepared[0]) !== null;
    });
    expect(packed.length).toBeGreaterThanOrEqual(layers.length - 4);
    // The pruned layer and both fully connected shapes are among them.
    expect(packed.map(([name]) => name)).toEqual(expect.arrayContaining([
      'conv 1×1 32→12 with channels 0, 5 and 11 pruned', 'fully connected 1×64→12', 'conv 1×1 256→8, 1×3 pixels',
    ]));
  });

  for (const [name, l] of layers) {
    it(name, async () => {
      const compiled = compileGraph(l.graph);
      const input = l.activations.get(0)!;
      const wasm = new Uint8Array(Buffer.concat(Runtime.create(writeBlob(compiled)).invoke(input)));
      const board = await runOnQemu(compiled, { board: 'qemu-mps2-an386', inputs: [input] });
      expect(board.outputs[0]).toEqual(wasm);
    }, 60_000);
  }
});

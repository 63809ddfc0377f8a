// Writes the ONNX test models in tests/onnx/models/ (run: npx tsx tests/onnx/make-models.ts).
// They follow what torch.onnx.export (opset 17) writes: NCHW, Conv with explicit pads/strides/
// group/dilations, BatchNormalization after Conv, Clip(min, max) inputs for ReLU6, Flatten then
// Gemm(transB=1), symbolic batch dimension 'N'. Weights come from a seeded generator, so the
// files are reproducible byte for byte.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** Mulberry32: small, seeded, good enough for weights. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class OnnxModelWriter {
  nodes: object[] = [];
  inits: object[] = [];
  private n = 0;
  private rand: () => number;
  constructor(seed: number) { this.rand = rng(seed); }

  floats(name: string, dims: number[], scale: number, offset = 0): string {
    const count = dims.reduce((a, b) => a * b, 1);
    const v = Float32Array.from({ length: count }, () => offset + (this.rand() * 2 - 1) * scale);
    this.inits.push({ name, dims, dataType: FLOAT, rawData: new Uint8Array(v.buffer) });
    return name;
  }
  ints(name: string, dims: number[], values: number[], dataType = onnx.TensorProto.DataType.INT64): string {
    const bytes = dataType === onnx.TensorProto.DataType.INT8 ? new Uint8Array(Int8Array.from(values).buffer)
      : new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
    this.inits.push({ name, dims, dataType, rawData: bytes });
    return name;
  }
  scalar(name: string, value: number): string {
    this.inits.push({ name, dims: [], dataType: FLOAT, rawData: new Uint8Array(Float32Array.of(value).buffer) });
    return name;
  }
  node(opType: string, inputs: string[], attrs: Record<string, number | number[]> = {}): string {
    const out = `/${opType.toLowerCase()}_${this.n++}/output_0`;
    const A = onnx.AttributeProto.AttributeType;
    const attribute = Object.entries(attrs).map(([name, v]) => (Array.isArray(v) ? { name, type: A.INTS, ints: v }
      : Number.isInteger(v) && !['epsilon', 'alpha', 'beta'].includes(name) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v }));
    this.nodes.push({ name: out.split('/')[1], opType, input: inputs, output: [out], attribute });
    return out;
  }
  conv(x: string, cin: number, cout: number, k: [number, number], o: { stride?: number; pad?: [number, number, number, number]; group?: number } = {}): string {
    const id = this.n;
    const g = o.group ?? 1;
    const w = this.floats(`conv${id}.weight`, [cout, cin / g, k[0], k[1]], 1 / Math.sqrt((cin / g) * k[0] * k[1]));
    const b = this.floats(`conv${id}.bias`, [cout], 0.1);
    return this.node('Conv', [x, w, b], { dilations: [1, 1], group: g, kernel_shape: k, pads: o.pad ?? [0, 0, 0, 0], strides: [o.stride ?? 1, o.stride ?? 1] });
  }
  bn(x: string, c: number): string {
    const id = this.n;
    return this.node('BatchNormalization', [x, this.floats(`bn${id}.weight`, [c], 0.3, 1), this.floats(`bn${id}.bias`, [c], 0.2),
      this.floats(`bn${id}.running_mean`, [c], 0.2), this.floats(`bn${id}.running_var`, [c], 0.3, 1)], { epsilon: 1e-5 });
  }
  gemm(x: string, cin: number, cout: number): string {
    const id = this.n;
    return this.node('Gemm', [x, this.floats(`fc${id}.weight`, [cout, cin], 1 / Math.sqrt(cin)), this.floats(`fc${id}.bias`, [cout], 0.1)], { alpha: 1.0, beta: 1.0, transB: 1 });
  }
  encode(name: string, input: number[], output: string, outShape: number[]): Uint8Array {
    const vi = (n: string, shape: number[]) => ({ name: n, type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d, k) => (k === 0 ? { dimParam: 'N' } : { dimValue: d })) } } } });
    const out = this.node('Identity', [output]);
    (this.nodes[this.nodes.length - 1] as { output: string[] }).output = ['output'];
    void out;
    const model = onnx.ModelProto.create({
      irVersion: 8, producerName: 'tinyforge-tests', producerVersion: '1',
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name, node: this.nodes, initializer: this.inits, input: [vi('input', input)], output: [vi('output', outShape)] },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

export const MODELS: Record<string, { input: number[]; build: () => Uint8Array }> = {
  'ds-cnn-kws': {
    input: [1, 1, 49, 10],
    build: () => {
      const m = new OnnxModelWriter(1);
      let x = m.node('Relu', [m.bn(m.conv('input', 1, 16, [10, 4], { stride: 2, pad: [4, 1, 4, 1] }), 16)]);
      for (let i = 0; i < 2; i++) {
        x = m.node('Relu', [m.bn(m.conv(x, 16, 16, [3, 3], { pad: [1, 1, 1, 1], group: 16 }), 16)]);
        x = m.node('Relu', [m.bn(m.conv(x, 16, 16, [1, 1]), 16)]);
      }
      x = m.node('Flatten', [m.node('GlobalAveragePool', [x])], { axis: 1 });
      return m.encode('ds_cnn', [1, 1, 49, 10], m.node('Softmax', [m.gemm(x, 16, 12)], { axis: 1 }), [1, 12]);
    },
  },
  'mobilenet-block': {
    input: [1, 8, 16, 16],
    build: () => {
      const m = new OnnxModelWriter(2);
      const lo = m.scalar('clip_min', 0);
      const hi = m.scalar('clip_max', 6);
      let x = m.node('Clip', [m.bn(m.conv('input', 8, 24, [1, 1]), 24), lo, hi]);
      x = m.node('Clip', [m.bn(m.conv(x, 24, 24, [3, 3], { stride: 2, pad: [1, 1, 1, 1], group: 24 }), 24), lo, hi]);
      x = m.node('HardSwish', [m.bn(m.conv(x, 24, 16, [1, 1]), 16)]);
      x = m.node('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 0 });
      x = m.node('Flatten', [x], { axis: 1 });
      return m.encode('mobilenet_block', [1, 8, 16, 16], m.node('Sigmoid', [m.gemm(x, 16 * 4 * 4, 10)]), [1, 10]);
    },
  },
  'resnet-block': {
    input: [1, 8, 8, 8],
    build: () => {
      const m = new OnnxModelWriter(3);
      const stem = m.node('Relu', [m.bn(m.conv('input', 8, 16, [3, 3], { pad: [1, 1, 1, 1] }), 16)]);
      let x = m.node('Relu', [m.bn(m.conv(stem, 16, 16, [3, 3], { pad: [1, 1, 1, 1] }), 16)]);
      x = m.bn(m.conv(x, 16, 16, [3, 3], { pad: [1, 1, 1, 1] }), 16);
      x = m.node('Relu', [m.node('Add', [x, stem])]);
      x = m.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 0, dilations: [1, 1] });
      x = m.node('Flatten', [x], { axis: 1 });
      return m.encode('resnet_block', [1, 8, 8, 8], m.gemm(x, 16 * 4 * 4, 10), [1, 10]);
    },
  },
  'mlp-autoencoder': {
    input: [1, 32],
    build: () => {
      const m = new OnnxModelWriter(4);
      let x = m.node('Relu', [m.gemm('input', 32, 16)]);
      x = m.node('Relu', [m.gemm(x, 16, 8)]);
      x = m.node('Relu', [m.gemm(x, 8, 16)]);
      x = m.node('MatMul', [x, m.floats('dec.weight', [16, 32], 0.25)]);
      x = m.node('Add', [x, m.floats('dec.bias', [32], 0.1)]);
      return m.encode('mlp_autoencoder', [1, 32], m.node('Tanh', [x]), [1, 32]);
    },
  },
  'concat-branches': {
    // Two branches concatenated on channels, per-channel Mul/Sub constants, GlobalAveragePool then
    // Squeeze (instead of Flatten), as exporters write Inception-style blocks.
    input: [1, 4, 10, 10],
    build: () => {
      const m = new OnnxModelWriter(6);
      const a = m.node('Relu', [m.conv('input', 4, 8, [1, 1])]);
      const b = m.node('Relu', [m.conv('input', 4, 8, [3, 3], { pad: [1, 1, 1, 1] })]);
      let x = m.node('Concat', [a, b], { axis: 1 });
      x = m.node('Mul', [x, m.floats('scale', [16, 1, 1], 0.5, 1)]);
      x = m.node('Sub', [x, m.floats('shift', [1, 16, 1, 1], 0.2)]);
      x = m.node('Squeeze', [m.node('GlobalAveragePool', [x]), m.ints('sq_axes', [2], [2, 3])]);
      return m.encode('concat_branches', [1, 4, 10, 10], m.gemm(x, 16, 6), [1, 6]);
    },
  },
  'mlp-qdq': {
    input: [1, 32],
    build: () => {
      // Static QDQ as onnxruntime's quantize_static writes it: int8 weights behind DequantizeLinear,
      // QuantizeLinear→DequantizeLinear pairs on activations.
      const m = new OnnxModelWriter(5);
      const qdq = (x: string, scale: number) => {
        const s = m.scalar(`s${m.nodes.length}`, scale);
        const z = m.ints(`z${m.nodes.length}`, [], [0], onnx.TensorProto.DataType.INT8);
        return m.node('DequantizeLinear', [m.node('QuantizeLinear', [x, s, z]), s, z]);
      };
      const weight = (name: string, out: number, inn: number) => {
        const r = rng(out * 31 + inn);
        const q = Array.from({ length: out * inn }, () => Math.round((r() * 2 - 1) * 127));
        return m.node('DequantizeLinear', [m.ints(name, [out, inn], q, onnx.TensorProto.DataType.INT8), m.scalar(`${name}_scale`, 0.5 / (127 * Math.sqrt(inn)) * 4)]);
      };
      let x = qdq('input', 1 / 16);
      x = m.node('Gemm', [x, weight('fc1', 16, 32), m.floats('fc1.bias', [16], 0.1)], { transB: 1 });
      x = qdq(m.node('Relu', [x]), 1 / 8);
      x = m.node('Gemm', [x, weight('fc2', 8, 16), m.floats('fc2.bias', [8], 0.1)], { transB: 1 });
      return m.encode('mlp_qdq', [1, 32], qdq(x, 1 / 8), [1, 8]);
    },
  },
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'models');
  mkdirSync(dir, { recursive: true });
  for (const [name, m] of Object.entries(MODELS)) {
    const bytes = m.build();
    writeFileSync(join(dir, `${name}.onnx`), bytes);
    console.log(`${name}.onnx ${bytes.length} B`);
  }
}

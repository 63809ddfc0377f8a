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
    const D = onnx.TensorProto.DataType;
    const bytes = dataType === D.INT8 ? new Uint8Array(Int8Array.from(values).buffer)
      : dataType === D.UINT8 ? Uint8Array.from(values)
        : dataType === D.INT32 ? new Uint8Array(Int32Array.from(values).buffer)
          : new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
    this.inits.push({ name, dims, dataType, rawData: bytes });
    return name;
  }
  scalar(name: string, value: number): string {
    this.inits.push({ name, dims: [], dataType: FLOAT, rawData: new Uint8Array(Float32Array.of(value).buffer) });
    return name;
  }
  node(opType: string, inputs: string[], attrs: Record<string, number | number[]> = {}, domain = ''): string {
    const out = `/${opType.toLowerCase()}_${this.n++}/output_0`;
    const A = onnx.AttributeProto.AttributeType;
    const attribute = Object.entries(attrs).map(([name, v]) => (Array.isArray(v) ? { name, type: A.INTS, ints: v }
      : Number.isInteger(v) && !['epsilon', 'alpha', 'beta'].includes(name) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v }));
    this.nodes.push({ name: out.split('/')[1], opType, input: inputs, output: [out], attribute, ...(domain ? { domain } : {}) });
    return out;
  }
  conv(x: string, cin: number, cout: number, k: [number, number], o: { stride?: number; pad?: [number, number, number, number]; group?: number } = {}): string {
    const id = this.n;
    const g = o.group ?? 1;
    const w = this.floats(`conv${id}.weight`, [cout, cin / g, k[0], k[1]], 1 / Math.sqrt((cin / g) * k[0] * k[1]));
    const b = this.floats(`conv${id}.bias`, [cout], 0.1);
    return this.node('Conv', [x, w, b], { dilations: [1, 1], group: g, kernel_shape: k, pads: o.pad ?? [0, 0, 0, 0], strides: [o.stride ?? 1, o.stride ?? 1] });
  }
  /** ConvTranspose as torch.nn.ConvTranspose2d exports it: weights [in, out/group, kh, kw]. */
  convT(x: string, cin: number, cout: number, k: [number, number], o: { pad?: [number, number, number, number]; group?: number; stride?: number } = {}): string {
    const id = this.n;
    const g = o.group ?? 1;
    const w = this.floats(`convt${id}.weight`, [cin, cout / g, k[0], k[1]], 1 / Math.sqrt((cin / g) * k[0] * k[1]));
    const b = this.floats(`convt${id}.bias`, [cout], 0.1);
    return this.node('ConvTranspose', [x, w, b], { dilations: [1, 1], group: g, kernel_shape: k, pads: o.pad ?? [0, 0, 0, 0], strides: [o.stride ?? 1, o.stride ?? 1] });
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
      opsetImport: [{ domain: '', version: 17 }, ...(this.nodes.some((n) => (n as { domain?: string }).domain === 'com.microsoft') ? [{ domain: 'com.microsoft', version: 1 }] : [])],
      graph: { name, node: this.nodes, initializer: this.inits, input: [vi('input', input)], output: [vi('output', outShape)] },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

type QType = 'int8' | 'uint8';
/** Activation quantization of a test model: scale and zero point in the stored type. */
export interface QParams { scale: number; zeroPoint: number; type: QType }

/**
 * Already-quantized models as onnxruntime's quantize_static writes them. QDQ: QuantizeLinear→
 * DequantizeLinear on every activation, int8 weights (per output channel, axis 0) and int32 biases
 * (scale = input scale × weight scale) behind DequantizeLinear, Conv→Relu→QuantizeLinear with the
 * Relu left in place. QOperator: QLinearConv/QLinearMatMul and com.microsoft QLinearAdd/
 * QLinearGlobalAveragePool on uint8 tensors, MaxPool/Flatten directly on them.
 */
export class QuantizedModelWriter extends OnnxModelWriter {
  private k = 0;
  private weightRand: () => number;
  constructor(seed: number) { super(seed); this.weightRand = rng(seed * 7 + 1); }

  params(p: QParams): [string, string] {
    const id = this.k++;
    const D = onnx.TensorProto.DataType;
    return [this.scalar(`q${id}.scale`, p.scale), this.ints(`q${id}.zero_point`, [], [p.zeroPoint], p.type === 'int8' ? D.INT8 : D.UINT8)];
  }
  q(x: string, p: QParams): string { return this.node('QuantizeLinear', [x, ...this.params(p)]); }
  dq(x: string, p: QParams): string { return this.node('DequantizeLinear', [x, ...this.params(p)]); }
  qdq(x: string, p: QParams): string { const [s, z] = this.params(p); return this.node('DequantizeLinear', [this.node('QuantizeLinear', [x, s, z]), s, z]); }

  /** Float weights drawn like OnnxModelWriter's, quantized symmetric int8 per row of axis 0 (or per tensor). */
  weights(name: string, dims: number[], perChannel: boolean, type: QType = 'int8', gain = 1): { q: number[]; scales: number[] } {
    const count = dims.reduce((a, b) => a * b, 1);
    const fan = count / dims[0]!;
    const w = Array.from({ length: count }, () => gain * (this.weightRand() * 2 - 1) / Math.sqrt(fan));
    const rows = perChannel ? dims[0]! : 1;
    const per = count / rows;
    const scales = Array.from({ length: rows }, (_, r) => Math.fround(Math.max(...w.slice(r * per, (r + 1) * per).map(Math.abs)) / 127));
    const q = w.map((v, i) => Math.round(v / scales[Math.floor(i / per)]!) + (type === 'uint8' ? 128 : 0));
    return { q, scales };
  }
  /** DequantizeLinear of int8 weights (axis 0 when per channel). */
  dqWeights(name: string, dims: number[], perChannel: boolean, gain = 1): { out: string; scales: number[] } {
    const D = onnx.TensorProto.DataType;
    const { q, scales } = this.weights(name, dims, perChannel, 'int8', gain);
    this.ints(name, dims, q, D.INT8);
    this.floatsOf(`${name}_scale`, perChannel ? [dims[0]!] : [], scales);
    this.ints(`${name}_zero_point`, perChannel ? [dims[0]!] : [], scales.map(() => 0), D.INT8);
    return { out: this.node('DequantizeLinear', [name, `${name}_scale`, `${name}_zero_point`], perChannel ? { axis: 0 } : {}), scales };
  }
  /** int32 bias at input scale × weight scale, behind DequantizeLinear. */
  dqBias(name: string, n: number, inScale: number, wScales: number[]): string {
    const D = onnx.TensorProto.DataType;
    const s = Array.from({ length: n }, (_, i) => Math.fround(inScale * wScales[wScales.length === 1 ? 0 : i]!));
    this.ints(name, [n], s.map((si) => Math.round(((this.weightRand() * 2 - 1) * 0.1) / si)), D.INT32);
    this.floatsOf(`${name}_scale`, wScales.length === 1 ? [] : [n], wScales.length === 1 ? [s[0]!] : s);
    this.ints(`${name}_zero_point`, wScales.length === 1 ? [] : [n], wScales.length === 1 ? [0] : s.map(() => 0), D.INT32);
    return this.node('DequantizeLinear', [name, `${name}_scale`, `${name}_zero_point`], wScales.length === 1 ? {} : { axis: 0 });
  }
  floatsOf(name: string, dims: number[], values: number[]): string {
    this.inits.push({ name, dims, dataType: FLOAT, rawData: new Uint8Array(Float32Array.from(values).buffer) });
    return name;
  }
  /** DQ → Conv (int8 weights, int32 bias) → [Relu] → Q → DQ; returns the DQ output. */
  qconv(x: string, xp: QParams, cin: number, cout: number, k: [number, number], yp: QParams, o: { stride?: number; pad?: [number, number, number, number]; group?: number; relu?: 'Relu' | 'Clip'; perTensor?: boolean } = {}): string {
    const id = this.k++;
    const g = o.group ?? 1;
    const w = this.dqWeights(`conv${id}.weight_quantized`, [cout, cin / g, k[0], k[1]], !o.perTensor);
    const b = this.dqBias(`conv${id}.bias_quantized`, cout, xp.scale, w.scales);
    let y = this.node('Conv', [x, w.out, b], { dilations: [1, 1], group: g, kernel_shape: k, pads: o.pad ?? [0, 0, 0, 0], strides: [o.stride ?? 1, o.stride ?? 1] });
    if (o.relu === 'Relu') y = this.node('Relu', [y]);
    if (o.relu === 'Clip') y = this.node('Clip', [y, this.scalar(`clip${id}.min`, 0), this.scalar(`clip${id}.max`, 6)]);
    return this.qdq(y, yp);
  }
  /** DQ → Gemm(transB=1, int8 weights per tensor, int32 bias) → Q → DQ. */
  qgemm(x: string, xp: QParams, cin: number, cout: number, yp: QParams, gain = 1): string {
    const id = this.k++;
    const w = this.dqWeights(`fc${id}.weight_quantized`, [cout, cin], false, gain);
    const b = this.dqBias(`fc${id}.bias_quantized`, cout, xp.scale, w.scales);
    return this.qdq(this.node('Gemm', [x, w.out, b], { alpha: 1.0, beta: 1.0, transB: 1 }), yp);
  }
}

const i8 = (scale: number, zeroPoint = 0): QParams => ({ scale, zeroPoint, type: 'int8' });
const u8 = (scale: number, zeroPoint = 128): QParams => ({ scale, zeroPoint, type: 'uint8' });

/** Already-quantized models: imported as int8 with their own parameters (no calibration). */
export const QUANTIZED_MODELS: Record<string, { input: number[]; inputParams: QParams; outputParams: QParams; build: () => Uint8Array }> = {
  'ds-cnn-qdq': {
    // int8 QDQ (S8S8), per-channel weights, Conv→Relu→Q, depthwise, GlobalAveragePool, Flatten, Gemm, Softmax.
    input: [1, 1, 49, 10], inputParams: i8(2.5 / 127), outputParams: i8(1 / 256, -128),
    build: () => {
      const m = new QuantizedModelWriter(11);
      const pin = i8(2.5 / 127);
      const act = i8(3 / 255, -128);
      let x = m.qdq('input', pin);
      x = m.qconv(x, pin, 1, 16, [10, 4], act, { stride: 2, pad: [4, 1, 4, 1], relu: 'Relu' });
      for (let i = 0; i < 2; i++) {
        x = m.qconv(x, act, 16, 16, [3, 3], act, { pad: [1, 1, 1, 1], group: 16, relu: 'Relu' });
        x = m.qconv(x, act, 16, 16, [1, 1], act, { relu: 'Relu' });
      }
      const pooled = i8(1.5 / 255, -128);
      x = m.qdq(m.node('Flatten', [m.qdq(m.node('GlobalAveragePool', [x]), pooled)], { axis: 1 }), pooled);
      x = m.qgemm(x, pooled, 16, 12, i8(6 / 127, 0), 12);
      return m.encode('ds_cnn_qdq', [1, 1, 49, 10], m.qdq(m.node('Softmax', [x], { axis: 1 }), i8(1 / 256, -128)), [1, 12]);
    },
  },
  'mobilenet-qdq-u8': {
    // uint8 activations with int8 weights (U8S8, onnxruntime's usual pairing): Clip(0, 6), depthwise
    // stride 2, a residual Add of two differently scaled tensors, MaxPool whose QuantizeLinear has its
    // own scale (a requantize), AveragePool, Flatten, Gemm, Sigmoid with a calibrated (not 1/256) scale.
    input: [1, 8, 16, 16], inputParams: u8(5 / 255), outputParams: u8(1 / 255, 0),
    build: () => {
      const m = new QuantizedModelWriter(12);
      const pin = u8(5 / 255);
      const a1 = u8(6 / 255, 0);
      let x = m.qdq('input', pin);
      const e = m.qconv(x, pin, 8, 24, [1, 1], a1, { relu: 'Clip' });
      x = m.qconv(e, a1, 24, 24, [3, 3], a1, { stride: 2, pad: [1, 1, 1, 1], group: 24, relu: 'Clip' });
      const p = m.qconv(x, a1, 24, 24, [1, 1], u8(4 / 255, 120));
      const skip = m.qdq(m.node('MaxPool', [e], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 0, dilations: [1, 1] }), u8(5 / 255, 0));
      const sum = u8(8 / 255, 100);
      x = m.qdq(m.node('Add', [p, skip]), sum);
      x = m.qdq(m.node('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 0 }), sum);
      x = m.qdq(m.node('Flatten', [x], { axis: 1 }), sum);
      x = m.qgemm(x, sum, 24 * 4 * 4, 10, u8(12 / 255, 128));
      return m.encode('mobilenet_qdq_u8', [1, 8, 16, 16], m.qdq(m.node('Sigmoid', [x]), u8(1 / 255, 0)), [1, 10]);
    },
  },
  'qlinear-cnn': {
    // QOperator form: QLinearConv (uint8 weights with zero point 128 per tensor, then int8 per channel),
    // MaxPool and Flatten on uint8, com.microsoft QLinearGlobalAveragePool, QLinearMatMul, QLinearAdd.
    input: [1, 3, 12, 12], inputParams: u8(5 / 255), outputParams: u8(6 / 255, 128),
    build: () => {
      const m = new QuantizedModelWriter(13);
      const D = onnx.TensorProto.DataType;
      const pin = u8(5 / 255);
      const p1 = u8(4 / 255, 0);
      const p2 = u8(3 / 255, 0);
      const qconv = (x: string, xp: QParams, cin: number, cout: number, yp: QParams, type: QType) => {
        const id = `qconv${m.nodes.length}`;
        const { q, scales } = m.weights(id, [cout, cin, 3, 3], type === 'int8', type);
        m.ints(`${id}.w`, [cout, cin, 3, 3], q, type === 'int8' ? D.INT8 : D.UINT8);
        m.floatsOf(`${id}.w_scale`, type === 'int8' ? [cout] : [], scales);
        m.ints(`${id}.w_zero_point`, type === 'int8' ? [cout] : [], scales.map(() => (type === 'int8' ? 0 : 128)), type === 'int8' ? D.INT8 : D.UINT8);
        m.ints(`${id}.b`, [cout], Array.from({ length: cout }, (_, c) => Math.round((((c * 37) % 11) - 5) * 0.02 / (xp.scale * scales[type === 'int8' ? c : 0]!))), D.INT32);
        const [xs, xz] = m.params(xp);
        const [ys, yz] = m.params(yp);
        return m.node('QLinearConv', [x, xs, xz, `${id}.w`, `${id}.w_scale`, `${id}.w_zero_point`, ys, yz, `${id}.b`], { dilations: [1, 1], group: 1, kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] });
      };
      let x = m.q('input', pin);
      x = qconv(x, pin, 3, 8, p1, 'uint8');
      x = m.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 0, dilations: [1, 1] });
      x = qconv(x, p1, 8, 16, p2, 'int8');
      const pg = u8(2 / 255, 0);
      x = m.node('QLinearGlobalAveragePool', [x, ...m.params(p2), ...m.params(pg)], { channels_last: 0 }, 'com.microsoft');
      x = m.node('Flatten', [x], { axis: 1 });
      const { q: wq, scales: ws } = m.weights('fc.w', [16, 10], false);
      m.ints('fc.w', [16, 10], wq, D.INT8);
      m.floatsOf('fc.w_scale', [], ws);
      m.ints('fc.w_zero_point', [], [0], D.INT8);
      const pm = u8(5 / 255, 128);
      x = m.node('QLinearMatMul', [x, ...m.params(pg), 'fc.w', 'fc.w_scale', 'fc.w_zero_point', ...m.params(pm)]);
      m.ints('fc.b', [10], Array.from({ length: 10 }, (_, i) => 118 + ((i * 7) % 21)), D.UINT8);
      const pout = u8(6 / 255, 128);
      x = m.node('QLinearAdd', [x, ...m.params(pm), 'fc.b', ...m.params(u8(0.5 / 255, 128)), ...m.params(pout)], {}, 'com.microsoft');
      return m.encode('qlinear_cnn', [1, 3, 12, 12], m.dq(x, pout), [1, 10]);
    },
  },
  // Single layers: one requantization between the model's input grid and its output, the closest
  // look at ONNX Runtime's float rounding against TFLite Micro's fixed-point multipliers.
  'qdq-conv-layer': {
    input: [1, 8, 12, 12], inputParams: i8(3 / 127), outputParams: i8(4 / 255, -128),
    build: () => {
      const m = new QuantizedModelWriter(14);
      const pin = i8(3 / 127);
      const x = m.qconv(m.qdq('input', pin), pin, 8, 16, [3, 3], i8(4 / 255, -128), { pad: [1, 1, 1, 1], relu: 'Relu' });
      return m.encode('qdq_conv_layer', [1, 8, 12, 12], x, [1, 16, 12, 12]);
    },
  },
  'qdq-depthwise-layer': {
    input: [1, 16, 10, 10], inputParams: u8(4 / 255), outputParams: u8(3 / 255, 130),
    build: () => {
      const m = new QuantizedModelWriter(15);
      const pin = u8(4 / 255);
      const x = m.qconv(m.qdq('input', pin), pin, 16, 16, [3, 3], u8(3 / 255, 130), { stride: 2, pad: [1, 1, 1, 1], group: 16 });
      return m.encode('qdq_depthwise_layer', [1, 16, 10, 10], x, [1, 16, 5, 5]);
    },
  },
  'qdq-conv-transpose-layer': {
    // DQ → ConvTranspose (stride 1, int8 weights [in, out, kh, kw] per tensor, int32 bias) → Q.
    input: [1, 6, 6, 6], inputParams: i8(3 / 127), outputParams: i8(4 / 255, -20),
    build: () => {
      const m = new QuantizedModelWriter(17);
      const pin = i8(3 / 127);
      const w = m.dqWeights('convt.weight_quantized', [6, 8, 3, 3], false);
      const b = m.dqBias('convt.bias_quantized', 8, pin.scale, w.scales);
      const y = m.node('ConvTranspose', [m.qdq('input', pin), w.out, b], { dilations: [1, 1], group: 1, kernel_shape: [3, 3], pads: [1, 0, 1, 2], strides: [1, 1] });
      return m.encode('qdq_conv_transpose_layer', [1, 6, 6, 6], m.qdq(y, i8(4 / 255, -20)), [1, 8, 6, 6]);
    },
  },
  'qlinear-matmul-layer': {
    input: [1, 64], inputParams: u8(4 / 255), outputParams: u8(3 / 255, 128),
    build: () => {
      const m = new QuantizedModelWriter(16);
      const D = onnx.TensorProto.DataType;
      const { q, scales } = m.weights('w', [64, 24], false);
      m.ints('w', [64, 24], q, D.INT8);
      m.floatsOf('w_scale', [], scales);
      m.ints('w_zero_point', [], [0], D.INT8);
      const pin = u8(4 / 255);
      const x = m.node('QLinearMatMul', [m.q('input', pin), ...m.params(pin), 'w', 'w_scale', 'w_zero_point', ...m.params(u8(3 / 255, 128))]);
      return m.encode('qlinear_matmul_layer', [1, 64], m.dq(x, u8(3 / 255, 128)), [1, 24]);
    },
  },
  'mlp-qdq': {
    input: [1, 32], inputParams: i8(1 / 16), outputParams: i8(1 / 8),
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
  'transpose-layouts': {
    // Transposes as exporters write them around NHWC-minded code: a round trip NCHW→NHWC→NCHW between
    // two Convs, then permute(0, 2, 3, 1) + reshape before the classifier (a channels-last flatten).
    input: [1, 4, 6, 6],
    build: () => {
      const m = new OnnxModelWriter(7);
      let x = m.node('Relu', [m.conv('input', 4, 8, [3, 3], { pad: [1, 1, 1, 1] })]);
      x = m.node('Transpose', [m.node('Transpose', [x], { perm: [0, 2, 3, 1] })], { perm: [0, 3, 1, 2] });
      x = m.node('Transpose', [m.conv(x, 8, 8, [1, 1])], { perm: [0, 2, 3, 1] });
      x = m.node('Reshape', [x, m.ints('flat_shape', [2], [0, -1])]);
      x = m.node('Unsqueeze', [m.gemm(x, 6 * 6 * 8, 5), m.ints('unsq_axes', [2], [2, 3])]);
      x = m.node('Squeeze', [m.node('Relu', [x]), m.ints('sq_axes2', [2], [2, 3])]);
      return m.encode('transpose_layouts', [1, 4, 6, 6], x, [1, 5]);
    },
  },
  'conv-transpose-decoder': {
    // Stride-1 ConvTranspose layers (a decoder's widening, depthwise, asymmetric pads), as
    // torch.nn.ConvTranspose2d exports them.
    input: [1, 4, 5, 5],
    build: () => {
      const m = new OnnxModelWriter(8);
      let x = m.node('Relu', [m.convT('input', 4, 8, [3, 3])]); // 5×5 → 7×7
      x = m.node('Relu', [m.convT(x, 8, 8, [3, 3], { pad: [1, 1, 1, 1], group: 8 })]); // 7×7, depthwise
      x = m.convT(x, 8, 6, [2, 2], { pad: [0, 0, 1, 1] }); // 7×7, pads end only
      x = m.node('Flatten', [x], { axis: 1 });
      return m.encode('conv_transpose_decoder', [1, 4, 5, 5], m.gemm(x, 6 * 7 * 7, 4), [1, 4]);
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
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'models');
  mkdirSync(dir, { recursive: true });
  for (const [name, m] of [...Object.entries(MODELS), ...Object.entries(QUANTIZED_MODELS)]) {
    const bytes = m.build();
    writeFileSync(join(dir, `${name}.onnx`), bytes);
    console.log(`${name}.onnx ${bytes.length} B`);
  }
}

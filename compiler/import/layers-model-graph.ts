// TF.js LayersModel (model.json + weight shards, as `model.save()` writes them) → float IR.
// Sequential and functional models, channels-last. Keras layouts become TFLite's: conv kernels
// [kh, kw, in, out] → [out, kh, kw, in], depthwise [kh, kw, in, m] → [1, kh, kw, in·m], dense
// [in, out] → [out, in]. Fused `activation`s become separate ops (the fuse-activation pass puts
// them back into the producer), BatchNormalization a BATCH_NORM op (folded by a pass), Dropout
// an IDENTITY (dropped by a pass). Every unsupported layer is reported at once, by name.
import type { Graph, Op, Tensor } from '../../formats/ir/graph.ts';
import type { FusedActivation, OpAttrs, OpType, Padding } from '../../formats/ir/op-types.ts';
import { bytesOf } from '../ir/tensor-values.ts';
import { ImportError } from './import-error.ts';
import { readLayersModelWeights, type NamedWeight, type WeightsGroup } from './layers-model-weights.ts';

type Config = Record<string, unknown>;
interface LayerJson {
  class_name: string;
  config: Config;
  name?: string;
  inbound_nodes?: unknown[];
}

const IDENTITY_LAYERS = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization']);

/** model.json's text and its weight shards (by the paths the manifest names) → float IR. Reads no file: the CLI's
 *  importLayersModel() reads them from a folder, the playground from the files a user dropped. */
export function layersModelFromJson(jsonText: string, shard: (path: string) => Uint8Array | undefined, name: string, origin: string, shardsWhere: string): Graph {
  let json: { modelTopology?: Config; weightsManifest?: WeightsGroup[] };
  try {
    json = JSON.parse(jsonText);
  } catch (err) {
    throw new ImportError(`${origin}: not a readable model.json (${(err as Error).message})`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ImportError(`${origin}: no modelTopology/weightsManifest: not a TF.js LayersModel (graph models from tfjs-converter are not supported; save the Keras/tfjs model as a LayersModel)`);
  }
  const weights = readLayersModelWeights(json.weightsManifest, shard, name, shardsWhere);
  return layersModelToGraph(json.modelTopology, weights, name);
}

export function layersModelToGraph(topology: Config, weights: Map<string, NamedWeight>, name: string): Graph {
  const top = (topology.model_config ?? topology) as { class_name: string; config: unknown };
  const b = new IrBuilder(name, weights);
  const layers: LayerJson[] = Array.isArray(top.config) ? top.config as LayerJson[] : ((top.config as Config)?.layers as LayerJson[] ?? []);
  if (layers.length === 0) throw new ImportError(`${name}: the model topology has no layers`);
  const unsupported: string[] = [];

  if (top.class_name === 'Sequential') {
    let x: number | undefined;
    const first = layers[0]!;
    const shape = batchShape(first.config);
    if (!shape) throw new ImportError(`${name}: the first layer (${layerName(first)}) has no batch_input_shape; build the model with an input shape before saving`);
    x = b.input(first.class_name === 'InputLayer' ? layerName(first) : 'input', shape);
    for (const layer of layers) {
      if (layer.class_name === 'InputLayer') continue;
      const out = b.layer(layer, [x!], unsupported);
      if (out !== undefined) x = out;
    }
    if (unsupported.length > 0) throw unsupportedError(name, unsupported);
    return b.build([x!]);
  }

  if (top.class_name !== 'Model' && top.class_name !== 'Functional') {
    throw new ImportError(`${name}: model class ${top.class_name} is not supported (expected Sequential, Model or Functional)`);
  }
  const cfg = top.config as Config;
  const byName = new Map<string, number>();
  for (const [lname] of (cfg.input_layers as [string, number, number][])) {
    const layer = layers.find((l) => layerName(l) === lname);
    const shape = layer ? batchShape(layer.config) : undefined;
    if (!shape) throw new ImportError(`${name}: input layer ${lname} has no batch_input_shape`);
    byName.set(lname, b.input(lname, shape));
  }
  for (const layer of layers) {
    if (layer.class_name === 'InputLayer') continue;
    const nodes = (layer.inbound_nodes ?? []) as unknown[];
    if (nodes.length !== 1) {
      unsupported.push(`${layerName(layer)} (${layer.class_name} called ${nodes.length} times; shared layers are not supported)`);
      continue;
    }
    const inbound = inboundNames(nodes[0], layerName(layer));
    const inputs = inbound.map((n) => byName.get(n));
    if (inputs.some((t) => t === undefined)) {
      // An input layer that failed (already reported) leaves its consumers unconnected.
      if (unsupported.length === 0) throw new ImportError(`${name}: layer ${layerName(layer)} reads ${inbound.join(', ')}, which no earlier layer produces`);
      unsupported.push(`${layerName(layer)} (${layer.class_name}, after an unsupported layer)`);
      continue;
    }
    const out = b.layer(layer, inputs as number[], unsupported);
    byName.set(layerName(layer), out ?? inputs[0]!);
  }
  if (unsupported.length > 0) throw unsupportedError(name, unsupported);
  const outputs = (cfg.output_layers as [string, number, number][]).map(([n]) => byName.get(n)!);
  return b.build(outputs);
}

function unsupportedError(model: string, list: string[]): ImportError {
  return new ImportError(`${model}: ${list.length} layer(s) cannot be imported: ${list.join('; ')}. ` +
    'Supported: InputLayer, Conv2D, DepthwiseConv2D, SeparableConv2D, Dense, BatchNormalization, ReLU, Activation, Softmax, ' +
    'MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Dropout, Add, Multiply, ' +
    'Concatenate, ZeroPadding2D (channels-last; activations relu, relu6, sigmoid, tanh, softmax, linear).');
}

function layerName(l: LayerJson): string {
  return (l.config?.name as string | undefined) ?? l.name ?? l.class_name;
}

function batchShape(c: Config): number[] | undefined {
  const s = (c.batch_input_shape ?? c.batch_shape ?? c.batchInputShape) as (number | null)[] | undefined;
  return s ? [1, ...s.slice(1).map((d) => d ?? -1)] : undefined;
}

/** Names of the layers feeding one call, from tfjs's [[name, node, tensor, kwargs], ...] form. */
function inboundNames(node: unknown, layer: string): string[] {
  if (!Array.isArray(node)) throw new ImportError(`layer ${layer}: inbound node format not understood (Keras 3 files are not supported; save with TF.js or Keras 2)`);
  return node.map((entry) => {
    if (Array.isArray(entry) && typeof entry[0] === 'string') return entry[0];
    throw new ImportError(`layer ${layer}: inbound node format not understood (Keras 3 files are not supported; save with TF.js or Keras 2)`);
  });
}

function pair(v: unknown, fallback: number): [number, number] {
  if (v === undefined || v === null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [a[0]!, a[1] ?? a[0]!];
}

class IrBuilder {
  private tensors: Tensor[] = [];
  private ops: Op[] = [];
  private inputs: number[] = [];

  constructor(private name: string, private weights: Map<string, NamedWeight>) {}

  input(name: string, shape: number[]): number {
    if (shape.some((d) => d < 0)) throw new ImportError(`${this.name}: input ${name} has unknown dimensions [${shape.slice(1).join(', ')}]; give the model a fixed input shape`);
    const id = this.activation(name, shape);
    this.inputs.push(id);
    return id;
  }

  build(outputs: number[]): Graph {
    return { name: this.name, tensors: this.tensors, ops: this.ops, inputs: this.inputs, outputs };
  }

  /** Adds one layer; returns its output tensor, or undefined when the layer is unsupported (reported). */
  layer(layer: LayerJson, inputs: number[], unsupported: string[]): number | undefined {
    const c = layer.config;
    const lname = layerName(layer);
    const x = inputs[0]!;
    const xs = this.tensors[x]!.shape;
    const fail = (why: string) => { unsupported.push(`${lname} (${layer.class_name}${why ? `: ${why}` : ''})`); return undefined; };
    if (c.data_format === 'channels_first') return fail('channels_first data format');
    const act = (c.activation as string | undefined) ?? 'linear';
    const activationOk = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax'].includes(act);
    const withActivation = (t: number) => this.activationOp(lname, act, t);

    switch (layer.class_name) {
      case 'Conv2D': {
        if (!activationOk) return fail(`activation ${act}`);
        if (c.padding === 'causal') return fail('causal padding');
        const k = this.weight(lname, 'kernel');
        if (!k) return fail('kernel weights missing from the manifest');
        const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
        const w = transpose(k.values, [kh, kw, cin, cout], [3, 0, 1, 2]);
        const y = this.conv('CONV_2D', lname, x, this.constant(`${lname}/kernel`, [cout, kh, kw, cin], w),
          c.use_bias !== false ? this.biasOf(lname, cout) : -1, c, cout, kh, kw);
        return withActivation(y);
      }
      case 'DepthwiseConv2D': {
        if (!activationOk) return fail(`activation ${act}`);
        const k = this.weight(lname, 'depthwise_kernel');
        if (!k) return fail('depthwise_kernel weights missing from the manifest');
        const [kh, kw, cin, m] = k.shape as [number, number, number, number];
        const y = this.conv('DEPTHWISE_CONV_2D', lname, x, this.constant(`${lname}/depthwise_kernel`, [1, kh, kw, cin * m], k.values),
          c.use_bias !== false ? this.biasOf(lname, cin * m) : -1, c, cin * m, kh, kw, m);
        return withActivation(y);
      }
      case 'SeparableConv2D': {
        if (!activationOk) return fail(`activation ${act}`);
        const dk = this.weight(lname, 'depthwise_kernel');
        const pk = this.weight(lname, 'pointwise_kernel');
        if (!dk || !pk) return fail('depthwise/pointwise weights missing from the manifest');
        const [kh, kw, cin, m] = dk.shape as [number, number, number, number];
        const cout = pk.shape[3]!;
        const dw = this.conv('DEPTHWISE_CONV_2D', `${lname}/depthwise`, x, this.constant(`${lname}/depthwise_kernel`, [1, kh, kw, cin * m], dk.values),
          -1, c, cin * m, kh, kw, m);
        const pw = transpose(pk.values, [1, 1, cin * m, cout], [3, 0, 1, 2]);
        const y = this.conv('CONV_2D', lname, dw, this.constant(`${lname}/pointwise_kernel`, [cout, 1, 1, cin * m], pw),
          c.use_bias !== false ? this.biasOf(lname, cout) : -1, { strides: [1, 1], padding: 'valid', dilation_rate: [1, 1] }, cout, 1, 1);
        return withActivation(y);
      }
      case 'Dense': {
        if (!activationOk) return fail(`activation ${act}`);
        const k = this.weight(lname, 'kernel');
        if (!k) return fail('kernel weights missing from the manifest');
        const [cin, cout] = k.shape as [number, number];
        if (xs[xs.length - 1] !== cin) return fail(`input has ${xs[xs.length - 1]} features, kernel expects ${cin}`);
        const w = transpose(k.values, [cin, cout], [1, 0]);
        const keep = xs.length > 2;
        const out = this.activation(lname, [...xs.slice(0, -1), cout]);
        this.op('FULLY_CONNECTED', [x, this.constant(`${lname}/kernel`, [cout, cin], w), c.use_bias !== false ? this.biasOf(lname, cout) : -1], out,
          { activation: 'NONE', keepNumDims: keep });
        return withActivation(out);
      }
      case 'BatchNormalization': {
        const axis = (Array.isArray(c.axis) ? c.axis[0] : c.axis) as number | undefined ?? -1;
        if (axis !== -1 && axis !== xs.length - 1) return fail(`axis ${axis}; only the channel (last) axis is supported`);
        const ch = xs[xs.length - 1]!;
        const get = (p: string, fill: number) => this.weight(lname, p)?.values ?? new Float32Array(ch).fill(fill);
        const mean = this.weight(lname, 'moving_mean');
        const variance = this.weight(lname, 'moving_variance');
        if (!mean || !variance) return fail('moving_mean/moving_variance missing from the manifest');
        const params = [
          this.constant(`${lname}/gamma`, [ch], c.scale === false ? new Float32Array(ch).fill(1) : get('gamma', 1)),
          this.constant(`${lname}/beta`, [ch], c.center === false ? new Float32Array(ch) : get('beta', 0)),
          this.constant(`${lname}/moving_mean`, [ch], mean.values),
          this.constant(`${lname}/moving_variance`, [ch], variance.values),
        ];
        const out = this.activation(lname, xs);
        this.op('BATCH_NORM', [x, ...params], out, { epsilon: (c.epsilon as number | undefined) ?? 1e-3 });
        return out;
      }
      case 'ReLU': {
        const max = c.max_value as number | null | undefined;
        if ((c.negative_slope as number | undefined ?? 0) !== 0 || (c.threshold as number | undefined ?? 0) !== 0) return fail('negative_slope/threshold');
        if (max !== undefined && max !== null && max !== 6) return fail(`max_value ${max} (only none or 6)`);
        return this.activationOp(lname, max === 6 ? 'relu6' : 'relu', x, true);
      }
      case 'Activation':
        if (!activationOk) return fail(`activation ${act}`);
        return this.activationOp(lname, act, x, true);
      case 'Softmax': {
        const axis = (c.axis as number | undefined) ?? -1;
        if (axis !== -1 && axis !== xs.length - 1) return fail(`axis ${axis}`);
        return this.activationOp(lname, 'softmax', x, true);
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [fh, fw] = pair(c.pool_size, 2);
        const [sh, sw] = c.strides ? pair(c.strides, 1) : [fh, fw];
        const padding = padOf(c.padding);
        const out = this.activation(lname, [xs[0]!, outDim(xs[1]!, fh, sh, 1, padding), outDim(xs[2]!, fw, sw, 1, padding), xs[3]!]);
        this.op(layer.class_name === 'MaxPooling2D' ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', [x], out,
          { padding, strideH: sh, strideW: sw, filterH: fh, filterW: fw, activation: 'NONE' });
        return out;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const pooled = this.activation(`${lname}/pool`, [xs[0]!, 1, 1, xs[3]!]);
        this.op(layer.class_name === 'GlobalMaxPooling2D' ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', [x], pooled,
          { padding: 'VALID', strideH: xs[1]!, strideW: xs[2]!, filterH: xs[1]!, filterW: xs[2]!, activation: 'NONE' });
        if (c.keepdims === true) return pooled;
        return this.reshape(lname, pooled, [xs[0]!, xs[3]!]);
      }
      case 'Flatten':
        return this.reshape(lname, x, [xs[0]!, xs.slice(1).reduce((a, d) => a * d, 1)]);
      case 'Reshape': {
        const target = (c.target_shape as number[]).slice();
        const known = target.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
        const total = xs.slice(1).reduce((a, d) => a * d, 1);
        const shape = target.map((d) => (d === -1 ? total / known : d));
        if (shape.reduce((a, d) => a * d, 1) !== total) return fail(`target shape [${target.join(', ')}] does not hold ${total} values`);
        return this.reshape(lname, x, [xs[0]!, ...shape]);
      }
      case 'Add':
      case 'Multiply': {
        if (inputs.length < 2) return fail('needs at least two inputs');
        let acc = inputs[0]!;
        for (let k = 1; k < inputs.length; k++) {
          const out = this.activation(k === inputs.length - 1 ? lname : `${lname}/${k}`, this.tensors[acc]!.shape);
          this.op(layer.class_name === 'Add' ? 'ADD' : 'MUL', [acc, inputs[k]!], out, { activation: 'NONE' });
          acc = out;
        }
        return acc;
      }
      case 'Concatenate': {
        const rank = xs.length;
        let axis = (c.axis as number | undefined) ?? -1;
        if (axis < 0) axis += rank;
        const shape = xs.slice();
        shape[axis] = inputs.reduce((n, t) => n + this.tensors[t]!.shape[axis]!, 0);
        const out = this.activation(lname, shape);
        this.op('CONCATENATION', inputs, out, { axis, activation: 'NONE' });
        return out;
      }
      case 'ZeroPadding2D': {
        const p = c.padding;
        const [[t, bo], [l, r]] = typeof p === 'number' ? [[p, p], [p, p]]
          : Array.isArray((p as unknown[])[0]) ? p as [[number, number], [number, number]]
            : [[(p as number[])[0]!, (p as number[])[0]!], [(p as number[])[1]!, (p as number[])[1]!]];
        const pads = this.constantInt32(`${lname}/paddings`, [4, 2], [0, 0, t, bo, l, r, 0, 0]);
        const out = this.activation(lname, [xs[0]!, xs[1]! + t + bo, xs[2]! + l + r, xs[3]!]);
        this.op('PAD', [x, pads], out, {});
        return out;
      }
      default:
        if (IDENTITY_LAYERS.has(layer.class_name)) {
          const out = this.activation(lname, xs);
          this.op('IDENTITY', [x], out, {});
          return out;
        }
        return fail('');
    }
  }

  private conv(type: 'CONV_2D' | 'DEPTHWISE_CONV_2D', name: string, x: number, w: number, bias: number, c: Config,
    cout: number, kh: number, kw: number, depthMultiplier?: number): number {
    const xs = this.tensors[x]!.shape;
    const [sh, sw] = pair(c.strides, 1);
    const [dh, dw] = pair(c.dilation_rate, 1);
    const padding = padOf(c.padding);
    const out = this.activation(name, [xs[0]!, outDim(xs[1]!, kh, sh, dh, padding), outDim(xs[2]!, kw, sw, dw, padding), cout]);
    const base = { padding, strideH: sh, strideW: sw, dilationH: dh, dilationW: dw, activation: 'NONE' as FusedActivation };
    if (type === 'CONV_2D') this.op('CONV_2D', [x, w, bias], out, base);
    else this.op('DEPTHWISE_CONV_2D', [x, w, bias], out, { ...base, depthMultiplier: depthMultiplier ?? 1 });
    return out;
  }

  private reshape(name: string, x: number, shape: number[]): number {
    const out = this.activation(name, shape);
    this.op('RESHAPE', [x, this.constantInt32(`${name}/shape`, [shape.length], shape)], out, { newShape: shape });
    return out;
  }

  /** The op for a Keras activation name (or none for 'linear'); `standalone` keeps a linear layer as a node. */
  private activationOp(name: string, act: string, x: number, standalone = false): number {
    const type = ({ relu: 'RELU', relu6: 'RELU6', sigmoid: 'LOGISTIC', tanh: 'TANH', softmax: 'SOFTMAX' } as Record<string, OpType>)[act];
    if (!type) {
      if (!standalone) return x;
      const out = this.activation(name, this.tensors[x]!.shape);
      this.op('IDENTITY', [x], out, {});
      return out;
    }
    const out = this.activation(standalone ? name : `${name}/${act}`, this.tensors[x]!.shape);
    this.op(type, [x], out, (type === 'SOFTMAX' ? { beta: 1 } : {}) as OpAttrs[typeof type]);
    return out;
  }

  private biasOf(layer: string, n: number): number {
    const b = this.weight(layer, 'bias');
    return this.constant(`${layer}/bias`, [n], b?.values ?? new Float32Array(n));
  }

  private weight(layer: string, param: string): NamedWeight | undefined {
    const exact = this.weights.get(`${layer}/${param}`);
    if (exact) return exact;
    for (const [k, v] of this.weights) if (k.endsWith(`/${layer}/${param}`)) return v;
    return undefined;
  }

  private activation(name: string, shape: number[]): number {
    const id = this.tensors.length;
    this.tensors.push({ id, name, shape, dtype: 'float32' });
    return id;
  }

  private constant(name: string, shape: number[], values: Float32Array): number {
    const id = this.tensors.length;
    this.tensors.push({ id, name, shape, dtype: 'float32', data: bytesOf(Float32Array.from(values)) });
    return id;
  }

  private constantInt32(name: string, shape: number[], values: number[]): number {
    const id = this.tensors.length;
    this.tensors.push({ id, name, shape, dtype: 'int32', data: bytesOf(Int32Array.from(values)) });
    return id;
  }

  private op<T extends OpType>(type: T, inputs: number[], output: number, attrs: OpAttrs[T]): void {
    this.ops.push({ index: this.ops.length, type, inputs, outputs: [output], attrs } as Op);
  }
}

function padOf(p: unknown): Padding {
  return p === 'same' ? 'SAME' : 'VALID';
}

function outDim(size: number, k: number, stride: number, dilation: number, padding: Padding): number {
  const eff = (k - 1) * dilation + 1;
  return padding === 'SAME' ? Math.ceil(size / stride) : Math.ceil((size - eff + 1) / stride);
}

/** Row-major transpose: `perm[i]` is the source axis of destination axis i. */
function transpose(v: Float32Array, shape: number[], perm: number[]): Float32Array {
  const dst = perm.map((p) => shape[p]!);
  const srcStride = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(v.length);
  const idx = new Array(dst.length).fill(0);
  for (let o = 0; o < v.length; o++) {
    let s = 0;
    for (let i = 0; i < dst.length; i++) s += idx[i] * srcStride[perm[i]!]!;
    out[o] = v[s]!;
    for (let i = dst.length - 1; i >= 0; i--) {
      if (++idx[i] < dst[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

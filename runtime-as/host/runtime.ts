// The WASM runtime: lays a model blob out in a WebAssembly.Memory of exactly the pages it needs
// (module data, then constants, then the arena) and runs its kernel calls in order.
import { PointerKind } from '../../formats/blob/blob-format.ts';
import { instantiateKernels, WASM_PAGE_BYTES, type KernelInstance, type KernelVariant } from './kernel-module.ts';
import { applyPackedWeights, planPackedWeights } from './packed-weights.ts';
import { readBlob, type BlobModel, type IoTensor } from './read-blob.ts';
import { stepSequence, type KernelFunction } from './step-sequence.ts';

export type { IoTensor } from './read-blob.ts';

export interface OpStats {
  step: number;
  opIndex: number;
  opType: string;
  kernel: string;
  macs: number;
  bytesRead: number;
  bytesWritten: number;
  scratchBytes: number;
}

export interface RuntimeMemory {
  /** The kernel module's own static data (below it nothing of the model lives). */
  heapBase: number;
  constBytes: number;
  arenaBytes: number;
  /** Bytes for inputs and outputs outside the arena: none, they live in the arena. */
  ioBytes: number;
  /** The SIMD build's interleaved copy of long convolutions' weights, after the arena (packed-weights.ts). */
  packedWeightBytes: number;
  /** heapBase + constants + arena + packed weights. */
  totalBytes: number;
  pages: number;
  constOffset: number;
  arenaOffset: number;
}

export interface RuntimeOptions {
  variant?: KernelVariant;
  /** Refuse to run when the laid-out model needs more linear memory than this. */
  maxMemoryBytes?: number;
  /** Time each kernel call (fills lastStepTimesUs). */
  profile?: boolean;
  /**
   * Whether the SIMD build may make an interleaved copy of long convolutions' weights at load (default true;
   * the output bytes are the same either way, the copy costs `memory.packedWeightBytes`).
   */
  packedWeights?: boolean;
}

export interface InvokeHooks {
  /** Called after each kernel call with a live view of the arena (for layer-by-layer checks). */
  afterStep?: (step: number, arena: Uint8Array) => void;
}

export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

const heapBases = new Map<KernelVariant, number>();
function heapBaseOf(variant: KernelVariant): number {
  let hb = heapBases.get(variant);
  if (hb === undefined) {
    hb = instantiateKernels(variant, 1).heapBase;
    heapBases.set(variant, hb);
  }
  return hb;
}

export class Runtime {
  readonly model: BlobModel;
  readonly variant: KernelVariant;
  readonly memory: RuntimeMemory;
  readonly ops: OpStats[];
  readonly lastStepTimesUs: Float64Array;
  private readonly instance: KernelInstance;
  private readonly calls: { fn: KernelFunction; args: number[] }[];
  private readonly profile: boolean;
  /** All kernel calls in order, as one function (step-sequence.ts). */
  private readonly runSteps: () => void;
  /** Linear memory never grows (initial = maximum pages), so views made once stay valid. */
  private readonly bytes: Uint8Array;
  private readonly inputViews: Uint8Array[];
  private readonly outputViews: Uint8Array[];

  /** A runtime for a model blob: its bytes (a `.tfb`, or `writeBlob(compiled)`), or the blob already read. */
  static create(model: Uint8Array | BlobModel, options: RuntimeOptions = {}): Runtime {
    const blob = model instanceof Uint8Array ? readBlob(model) : model;
    return new Runtime(blob, options);
  }

  private constructor(model: BlobModel, options: RuntimeOptions) {
    this.model = model;
    this.variant = options.variant ?? 'simd';
    this.profile = options.profile ?? false;
    const heapBase = heapBaseOf(this.variant);
    const constOffset = heapBase;
    const arenaOffset = constOffset + model.constBytes;
    const modelBytes = arenaOffset + model.arenaBytes;
    if (options.maxMemoryBytes !== undefined && modelBytes > options.maxMemoryBytes) {
      throw new RuntimeError(
        `model needs ${modelBytes.toLocaleString('en-US')} B of memory (constants ${model.constBytes.toLocaleString('en-US')} B + arena ${model.arenaBytes.toLocaleString('en-US')} B + runtime ${heapBase} B), limit is ${options.maxMemoryBytes.toLocaleString('en-US')} B`,
      );
    }
    // Packed weights only where the memory limit leaves room: they change speed, never bytes.
    const packedOffset = (modelBytes + 15) & ~15;
    let packed = planPackedWeights(this.variant === 'simd' && options.packedWeights !== false ? model.steps : []);
    if (options.maxMemoryBytes !== undefined && packedOffset + packed.bytes > options.maxMemoryBytes) packed = planPackedWeights([]);
    const totalBytes = packed.bytes ? packedOffset + packed.bytes : modelBytes;
    const pages = Math.max(1, Math.ceil(totalBytes / WASM_PAGE_BYTES));
    this.memory = {
      heapBase, constBytes: model.constBytes, arenaBytes: model.arenaBytes, ioBytes: 0, packedWeightBytes: packed.bytes,
      totalBytes, pages, constOffset, arenaOffset,
    };
    this.instance = instantiateKernels(this.variant, pages);
    new Uint8Array(this.instance.memory.buffer, constOffset, model.constBytes).set(model.constants);

    const calls = model.steps.map((s, step) => {
      const fn = this.instance.exports[s.kernel] as KernelFunction | undefined;
      if (!fn) {
        throw new RuntimeError(`step ${step} (${s.opType}) needs kernel '${s.kernel}', which this ${this.variant} runtime does not have: rebuild with 'npm run build'`);
      }
      const pointers = s.pointers.map((p) =>
        p.kind === PointerKind.None ? 0 : (p.kind === PointerKind.Arena ? arenaOffset : constOffset) + p.offset,
      );
      const args = [...pointers, ...s.scalars];
      if (fn.length !== args.length) {
        throw new RuntimeError(`kernel '${s.kernel}' takes ${fn.length} arguments, the blob gives ${args.length}: blob and runtime disagree`);
      }
      return { fn, args };
    });
    const exports = this.instance.exports as Record<string, KernelFunction>;
    this.calls = applyPackedWeights(packed, packedOffset, this.instance.memory, exports, calls);
    this.ops = model.steps.map((s, step) => ({
      step, opIndex: s.opIndex, opType: s.opType, kernel: s.kernel,
      macs: s.macs, bytesRead: s.bytesRead, bytesWritten: s.bytesWritten, scratchBytes: s.scratchBytes,
    }));
    this.lastStepTimesUs = new Float64Array(model.steps.length);
    this.runSteps = stepSequence(this.calls);
    this.bytes = new Uint8Array(this.instance.memory.buffer);
    const view = (t: IoTensor) => this.bytes.subarray(arenaOffset + t.arenaOffset, arenaOffset + t.arenaOffset + t.bytes);
    this.inputViews = model.inputs.map(view);
    this.outputViews = model.outputs.map(view);
  }

  get inputs(): IoTensor[] {
    return this.model.inputs;
  }
  get outputs(): IoTensor[] {
    return this.model.outputs;
  }

  /**
   * Inputs as one buffer (all inputs concatenated in graph order) or one buffer per input; outputs come back as
   * fresh copies the caller owns. For a loop of inferences without copies, see `inputView`/`invokeInPlace`.
   */
  invoke(inputs: Uint8Array | Uint8Array[], hooks?: InvokeHooks): Uint8Array[] {
    if (Array.isArray(inputs)) {
      if (inputs.length !== this.inputViews.length) {
        throw new RuntimeError(`model takes ${this.inputViews.length} input(s), got ${inputs.length}`);
      }
      for (let i = 0; i < inputs.length; i++) this.writeInput(i, inputs[i]);
    } else if (this.inputViews.length === 1 && inputs.length === this.inputViews[0].length) {
      this.inputViews[0].set(inputs);
    } else {
      const parts = this.splitInputs(inputs);
      for (let i = 0; i < parts.length; i++) this.writeInput(i, parts[i]);
    }
    if (hooks?.afterStep) {
      for (let s = 0; s < this.calls.length; s++) {
        this.calls[s].fn(...this.calls[s].args);
        hooks.afterStep(s, this.arena());
      }
    } else {
      this.invokeInPlace();
    }
    if (this.outputViews.length === 1) return [this.outputViews[0].slice()];
    const out = new Array<Uint8Array>(this.outputViews.length);
    for (let i = 0; i < out.length; i++) out[i] = this.outputViews[i].slice();
    return out;
  }

  /**
   * Input `index` as a live view into the runtime's memory: write the input here, then `invokeInPlace()`.
   * The arena reuses an input's bytes once the model has read it, so write the input again before every invoke.
   */
  inputView(index = 0): Uint8Array {
    const v = this.inputViews[index];
    if (!v) throw new RuntimeError(`model has ${this.inputViews.length} input(s), no input ${index}`);
    return v;
  }

  /** Output `index` as a live view into the runtime's memory: valid after `invokeInPlace()`, until the next invoke. */
  outputView(index = 0): Uint8Array {
    const v = this.outputViews[index];
    if (!v) throw new RuntimeError(`model has ${this.outputViews.length} output(s), no output ${index}`);
    return v;
  }

  /** One inference over what the input views hold, results left in the output views: no copy, no allocation. */
  invokeInPlace(): void {
    if (this.profile) {
      for (let s = 0; s < this.calls.length; s++) {
        const t0 = performance.now();
        this.calls[s].fn(...this.calls[s].args);
        this.lastStepTimesUs[s] = (performance.now() - t0) * 1000;
      }
    } else {
      this.runSteps();
    }
  }

  private writeInput(i: number, part: Uint8Array): void {
    const t = this.inputs[i];
    if (part.length !== t.bytes) {
      throw new RuntimeError(`input ${i} (${t.name}, ${t.dtype} [${t.shape.join(',')}]) needs ${t.bytes} bytes, got ${part.length}`);
    }
    this.inputViews[i].set(part);
  }

  private splitInputs(all: Uint8Array): Uint8Array[] {
    const expected = this.inputs.reduce((n, t) => n + t.bytes, 0);
    if (all.length !== expected) {
      const detail = this.inputs.map((t) => `${t.name} ${t.dtype} [${t.shape.join(',')}] ${t.bytes} B`).join(' + ');
      throw new RuntimeError(`input is ${all.length} bytes, the model expects ${expected} bytes (${detail})`);
    }
    let at = 0;
    return this.inputs.map((t) => all.subarray(at, (at += t.bytes)));
  }

  /** A view of the arena, for inspection and layer-by-layer comparison. */
  arena(): Uint8Array {
    return new Uint8Array(this.instance.memory.buffer, this.memory.arenaOffset, this.memory.arenaBytes);
  }
}

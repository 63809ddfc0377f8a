// The real TFLite interpreter (XNNPACK kernels) compiled to WebAssembly, from @tensorflow/tfjs-tflite,
// loaded straight from its Emscripten module so it runs in Node without browser shims.
// A devDependency: used by benchmarks and by tests as a second opinion that a written .tflite is a
// valid model, never by tinyforge itself. It runs int8 through XNNPACK, which requantizes in float,
// so its outputs may differ from TFLite Micro's by 1 LSB now and then.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface EmTensor { data(): Uint8Array | Int8Array | Float32Array; dataType: string; shape: string }
interface EmVector { size(): number; get(i: number): EmTensor; delete(): void }
interface EmRunner { GetInputs(): EmVector; GetOutputs(): EmVector; Infer(): boolean; delete(): void }
interface EmModule {
  _malloc(n: number): number;
  _free(p: number): void;
  HEAPU8: Uint8Array;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(ptr: number, len: number, opts: object): { ok(): boolean; errorMessage(): string; value(): EmRunner };
  };
}

let modulePromise: Promise<EmModule> | undefined;

function loadModule(): Promise<EmModule> {
  if (!modulePromise) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm');
    const factory = require(join(dir, 'tflite_web_api_cc_simd.js')) as (o: object) => Promise<EmModule>;
    modulePromise = factory({ wasmBinary: readFileSync(join(dir, 'tflite_web_api_cc_simd.wasm')) });
  }
  return modulePromise;
}

export interface XnnpackModel {
  /** Runs one inference: raw input bytes per model input in, raw output bytes per model output out. */
  invoke(inputs: Uint8Array[]): Uint8Array[];
  /**
   * Input `i`'s bytes in the interpreter's memory (taken once: the interpreter's tensors do not move after
   * allocation). With `outputView` and `infer`, the cheapest way to drive it: no embind vector per call.
   */
  inputView(i: number): Uint8Array;
  outputView(i: number): Uint8Array;
  /** One `Interpreter::Invoke()` over what the input views hold. */
  infer(): void;
  close(): void;
}

export async function loadXnnpackModel(tflite: Uint8Array): Promise<XnnpackModel> {
  const m = await loadModule();
  const ptr = m._malloc(tflite.length);
  m.HEAPU8.set(tflite, ptr);
  const created = m.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, tflite.length, {
    numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024,
  });
  if (!created.ok()) {
    m._free(ptr);
    throw new Error(`the TFLite interpreter refused the model: ${created.errorMessage()}`);
  }
  const runner = created.value();
  const bytes = (t: EmTensor) => {
    const d = t.data();
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  };
  const views = (v: EmVector) => {
    try {
      return Array.from({ length: v.size() }, (_, i) => bytes(v.get(i)));
    } finally {
      v.delete();
    }
  };
  let heap = m.HEAPU8.buffer;
  let inputViews = views(runner.GetInputs());
  let outputViews = views(runner.GetOutputs());
  // Views go stale only if the Emscripten heap grows (a new buffer): take them again then.
  const fresh = () => {
    if (m.HEAPU8.buffer !== heap) {
      heap = m.HEAPU8.buffer;
      inputViews = views(runner.GetInputs());
      outputViews = views(runner.GetOutputs());
    }
  };
  return {
    inputView(i) {
      fresh();
      return inputViews[i];
    },
    outputView(i) {
      fresh();
      return outputViews[i];
    },
    infer() {
      if (!runner.Infer()) throw new Error('the TFLite interpreter failed to run the model');
    },
    invoke(inputs) {
      const ins = runner.GetInputs();
      try {
        if (ins.size() !== inputs.length) throw new Error(`the model has ${ins.size()} inputs, got ${inputs.length}`);
        inputs.forEach((x, i) => bytes(ins.get(i)).set(x));
      } finally {
        ins.delete();
      }
      if (!runner.Infer()) throw new Error('the TFLite interpreter failed to run the model');
      const outs = runner.GetOutputs();
      try {
        return Array.from({ length: outs.size() }, (_, i) => bytes(outs.get(i)).slice());
      } finally {
        outs.delete();
      }
    },
    close() {
      runner.delete();
      m._free(ptr);
    },
  };
}

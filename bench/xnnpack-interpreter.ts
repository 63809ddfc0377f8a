// The real TFLite interpreter (XNNPACK kernels) compiled to WebAssembly, from @tensorflow/tfjs-tflite,
// loaded straight from its Emscripten module so it runs in Node without browser shims.
// A devDependency: used by benchmarks and tests, never by tinyforge itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

interface TfliteTensorHandle {
  data(): { set(values: ArrayLike<number>): void; slice(): ArrayLike<number> } & ArrayLike<number>;
}
interface TfliteRunner {
  GetInputs(): { size(): number; get(i: number): TfliteTensorHandle };
  GetOutputs(): { size(): number; get(i: number): TfliteTensorHandle };
  Infer(): boolean;
  delete(): void;
}
interface EmscriptenModule {
  _malloc(n: number): number;
  HEAPU8: Uint8Array;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(ptr: number, len: number, opts: object): { ok(): boolean; errorMessage(): string; value(): TfliteRunner };
  };
}

let modulePromise: Promise<EmscriptenModule> | undefined;

function loadModule(): Promise<EmscriptenModule> {
  if (!modulePromise) {
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm');
    const factory = require(join(wasmDir, 'tflite_web_api_cc_simd.js')) as (o: object) => Promise<EmscriptenModule>;
    modulePromise = factory({ wasmBinary: readFileSync(join(wasmDir, 'tflite_web_api_cc_simd.wasm')) });
  }
  return modulePromise;
}

export interface XnnpackModel {
  /** Runs one inference: raw input bytes per input, raw output bytes per output. */
  invoke(inputs: Uint8Array[]): Uint8Array[];
  close(): void;
}

export async function loadXnnpackModel(tflite: Uint8Array): Promise<XnnpackModel> {
  const m = await loadModule();
  const ptr = m._malloc(tflite.length);
  m.HEAPU8.set(tflite, ptr);
  const created = m.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, tflite.length, {
    numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024,
  });
  if (!created.ok()) throw new Error(`the TFLite interpreter refused the model: ${created.errorMessage()}`);
  const runner = created.value();
  const asBytes = (a: ArrayLike<number> & { buffer?: ArrayBufferLike; byteOffset?: number; byteLength?: number }) =>
    new Uint8Array(a.buffer as ArrayBuffer, a.byteOffset, a.byteLength).slice();
  return {
    invoke(inputs: Uint8Array[]): Uint8Array[] {
      const ins = runner.GetInputs();
      for (let i = 0; i < ins.size(); i++) {
        const d = ins.get(i).data() as unknown as { buffer: ArrayBuffer; byteOffset: number; byteLength: number };
        new Uint8Array(d.buffer, d.byteOffset, d.byteLength).set(inputs[i]);
      }
      if (!runner.Infer()) throw new Error('the TFLite interpreter failed to run the model');
      const outs = runner.GetOutputs();
      return Array.from({ length: outs.size() }, (_, i) => asBytes(outs.get(i).data() as never));
    },
    close() {
      runner.delete();
    },
  };
}

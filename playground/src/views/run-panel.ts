// Run the compiled model in the WASM runtime on an input: every element at its zero point, seeded random int8,
// or an uploaded file (raw bytes of all inputs, or a .npy, as `tinyforge run --input` takes them).
import { inputBytes, Runtime, SeededRandom, zeroPointInput, type BlobModel } from '../../../browser.ts';
import { byId, el, fixed } from '../dom.ts';
import type { Analysis } from '../pipeline.ts';
import { outputValues } from '../pipeline.ts';

let current: { runtime: Runtime; blob: BlobModel } | undefined;

export function setRunModel(a: Analysis): void {
  const runtime = Runtime.create(a.result.blob);
  current = { runtime, blob: runtime.model };
  byId('run-inputs').textContent = runtime.inputs.map((t) => `${t.name}: ${t.dtype} [${t.shape.join('×')}] = ${t.bytes} B${t.scale !== undefined ? `, scale ${t.scale.toPrecision(4)}, zero point ${t.zeroPoint}` : ''}`).join('; ');
  byId('run-output').replaceChildren();
}

/** Reproducible random bytes from the seed box. */
function randomBytes(n: number, seed: number): Uint8Array {
  const rand = new SeededRandom(seed);
  return Uint8Array.from({ length: n }, () => rand.int(0, 255));
}

function split(all: Uint8Array, blob: BlobModel): Uint8Array[] {
  const expected = blob.inputs.reduce((n, t) => n + t.bytes, 0);
  if (all.length !== expected) {
    throw new Error(`the input has ${all.length} bytes, the model expects ${expected} bytes (${blob.inputs.map((t) => `${t.name}: ${t.dtype} [${t.shape.join(',')}] = ${t.bytes} B`).join(', ')})`);
  }
  let at = 0;
  return blob.inputs.map((t) => all.subarray(at, (at += t.bytes)));
}

function runOn(inputs: Uint8Array[], what: string): void {
  const { runtime } = current!;
  const t0 = performance.now();
  const outputs = runtime.invoke(inputs);
  const ms = performance.now() - t0;
  const values = outputValues(outputs, runtime.outputs);
  const top = values.indexOf(Math.max(...values));
  byId('run-output').replaceChildren(
    el('p', {}, `${what}: ${values.length} output values in ${fixed(ms, 2)} ms (host); largest at index ${top} (${values[top]})`),
    el('pre', { id: 'run-values' }, JSON.stringify(values)),
  );
}

export function wireRunPanel(onError: (err: unknown) => void): void {
  const guarded = (f: () => void | Promise<void>) => async () => {
    if (!current) return;
    try { await f(); } catch (err) { onError(err); }
  };
  byId('run-zero').addEventListener('click', guarded(() => runOn(zeroPointInput(current!.blob), 'zero-point input')));
  byId('run-random').addEventListener('click', guarded(() => {
    const seed = Number(byId<HTMLInputElement>('run-seed').value) || 1;
    const total = current!.blob.inputs.reduce((n, t) => n + t.bytes, 0);
    runOn(split(randomBytes(total, seed), current!.blob), `random input (seed ${seed})`);
  }));
  byId<HTMLInputElement>('run-file').addEventListener('change', guarded(async () => {
    const file = byId<HTMLInputElement>('run-file').files?.[0];
    if (!file) return;
    const bytes = inputBytes(new Uint8Array(await file.arrayBuffer()), file.name, current!.blob.inputs);
    runOn(split(bytes, current!.blob), file.name);
  }));
}

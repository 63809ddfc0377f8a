// A model's kernel calls as one JavaScript function with every argument a literal, built once per Runtime.
// Why: a call through `fn(...args)` takes V8's generic spread path on every step of every invoke; a straight
// sequence of calls with constant integer arguments is compiled to direct WASM calls. On hello_world (three tiny
// fully-connected steps) that is most of an invoke. Where code generation is refused (a page whose
// Content-Security-Policy forbids 'unsafe-eval'), the calls are bound once instead: slower, same bytes.
export type KernelFunction = (...args: number[]) => unknown;

export interface KernelCall {
  fn: KernelFunction;
  args: readonly number[];
}

function assertIntegers(calls: readonly KernelCall[]): void {
  for (const c of calls) {
    for (const a of c.args) {
      // Only integers reach the generated source: the blob's pointers and int32 scalars.
      if (!Number.isSafeInteger(a)) throw new Error(`kernel argument ${a} is not an integer`);
    }
  }
}

function generatedSequence(calls: readonly KernelCall[]): () => void {
  const params = calls.map((_, i) => `k${i}`);
  const body = calls.map((c, i) => `k${i}(${c.args.join(',')});`).join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...params, `'use strict';\nreturn function invokeSteps() {\n${body}\n};`) as (...fns: KernelFunction[]) => () => void;
  return factory(...calls.map((c) => c.fn));
}

/** The fallback where code generation is refused: each call bound to its arguments once. */
export function boundSequence(calls: readonly KernelCall[]): () => void {
  const fns = calls.map((c) => c.fn.bind(null, ...c.args) as () => unknown);
  return () => {
    for (let i = 0; i < fns.length; i++) fns[i]();
  };
}

/** One function that makes every call in order. */
export function stepSequence(calls: readonly KernelCall[]): () => void {
  assertIntegers(calls);
  try {
    return generatedSequence(calls);
  } catch (err) {
    if (err instanceof EvalError) return boundSequence(calls);
    throw err;
  }
}

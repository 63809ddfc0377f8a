// Prepares the one op of a test graph through the registry and runs it in both kernel builds.
import type { Graph } from '../../formats/ir/graph.ts';
import type { PreparedOp } from '../../compiler/prepare/kernel-layout.ts';
import { PREPARE } from '../../compiler/prepare/registry.ts';
import { runPrepared, type RunOptions } from './kernel-harness.ts';

export function prepareOnly(graph: Graph): PreparedOp[] {
  const op = graph.ops[0];
  const prepare = PREPARE[op.type];
  if (!prepare) throw new Error(`no prepare registered for ${op.type}`);
  return prepare(graph, op);
}

export const bytesOf = (a: Int8Array | Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The op's first output in the scalar and the SIMD build, as int8. */
export function runBoth(graph: Graph, inputs: Map<number, Uint8Array>, options?: RunOptions): { scalar: Int8Array; simd: Int8Array; calls: PreparedOp[] } {
  const calls = prepareOnly(graph);
  const out = graph.ops[0].outputs[0];
  const scalar = runPrepared('scalar', graph, calls, inputs, options).get(out)!;
  const simd = runPrepared('simd', graph, calls, inputs, options).get(out)!;
  return { scalar: new Int8Array(scalar.buffer, scalar.byteOffset, scalar.length), simd: new Int8Array(simd.buffer, simd.byteOffset, simd.length), calls };
}

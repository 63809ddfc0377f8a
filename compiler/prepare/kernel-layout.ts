// A kernel's explicit parameter list: pointer arguments first, then int32 scalars, in call order.
// The AssemblyScript kernel's signature and the C kernel's parameter struct follow this order exactly,
// so one layout serves the WASM runtime, the model blob and the C emitter.
import type { RowStream } from './row-stream.ts';

export interface KernelLayout<P extends string = string, S extends string = string> {
  /** CMSIS-NN style name, also the WASM export and the C function name: `<op>_s8`, `quantize_f32_s8`, ... */
  name: string;
  pointers: readonly P[];
  scalars: readonly S[];
}

export function kernelLayout<const P extends string, const S extends string>(
  name: string,
  pointers: readonly P[],
  scalars: readonly S[],
): KernelLayout<P, S> {
  return { name, pointers, scalars };
}

/** Where a pointer argument points once the model is laid out in memory. */
export type BufferRef =
  /** A graph tensor: an activation placed in the arena, or a constant tensor placed in flash. */
  | { kind: 'tensor'; tensor: number }
  /** Data prepare computed (per-channel multipliers and shifts, lookup tables): placed in flash. */
  | { kind: 'const'; data: Uint8Array }
  /** The op's scratch buffer (`scratchBytes` long), live only while the op runs. */
  | { kind: 'scratch' }
  /** A null pointer (an omitted optional input such as a missing bias). */
  | { kind: 'none' };

export interface OpCounters {
  /** Multiply-accumulates, counted as TFLite's profilers do (conv, depthwise, fully connected). */
  macs: number;
  bytesRead: number;
  bytesWritten: number;
}

/** One kernel call, fully parameterized at compile time. An IR op prepares into one or more of these. */
export interface PreparedOp<P extends string = string, S extends string = string> {
  /** Index of the IR op this call implements. */
  opIndex: number;
  layout: KernelLayout<P, S>;
  pointers: Record<P, BufferRef>;
  /** Every value must fit in int32. Floats are passed as their IEEE-754 float32 bit pattern. */
  scalars: Record<S, number>;
  scratchBytes: number;
  counters: OpCounters;
  /** Present when the kernel streams rows, so the planner may overlap its output with its dying input. */
  rowStream?: RowStream;
}

/** The kernel call's arguments in order: pointer refs then scalars. */
export function orderedArgs(p: PreparedOp): { pointers: BufferRef[]; scalars: number[] } {
  return {
    pointers: p.layout.pointers.map((n) => p.pointers[n as keyof typeof p.pointers]),
    scalars: p.layout.scalars.map((n) => {
      const v = p.scalars[n as keyof typeof p.scalars];
      if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
        throw new RangeError(`kernel ${p.layout.name}: scalar ${n}=${v} is not an int32`);
      }
      return v;
    }),
  };
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** A float scalar as the int32 bit pattern of its float32 value (kernels reinterpret it). */
export function floatBits(x: number): number {
  f32[0] = x;
  return i32[0];
}

export function int32Bytes(values: ArrayLike<number>): Uint8Array {
  const a = Int32Array.from(values as ArrayLike<number>);
  return new Uint8Array(a.buffer);
}

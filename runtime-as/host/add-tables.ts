// Lookup tables for long int8 ADDs: one 65,536-byte table per distinct set of ADD parameters, filled at load by
// running `add_s8` itself over every pair of int8 inputs, then `add_table_s8` (one load per element) in its
// place. Same bytes by construction; the cost is the tables' memory, reported in RuntimeMemory.tableBytes.
// Short ADDs keep add_s8: filling a table costs about as much as 16 ADDs of 4,096 elements.
import type { KernelFunction } from './step-sequence.ts';
import type { BlobStep } from './read-blob.ts';

export const ADD_TABLE_BYTES = 65536;
/** ADDs of at least this many elements get a table. */
export const ADD_TABLE_MIN_ELEMENTS = 4096;
/** Staging for one table row: the 256 int8 values of input 1, then 256 copies of one input 2 value. */
const STAGING_BYTES = 512;

export interface AddTablePlan {
  /** For each step index with a table: which table (0, 1, …). */
  tableOf: Map<number, number>;
  /** Each table's add_s8 scalars after `size`. */
  params: number[][];
  /** Tables plus staging, 0 when no step qualifies. */
  bytes: number;
}

export function planAddTables(steps: readonly BlobStep[]): AddTablePlan {
  const tableOf = new Map<number, number>();
  const params: number[][] = [];
  const keys = new Map<string, number>();
  steps.forEach((s, i) => {
    if (s.kernel !== 'add_s8' || s.scalars[0]! < ADD_TABLE_MIN_ELEMENTS) return;
    const p = s.scalars.slice(1);
    const key = p.join(',');
    let t = keys.get(key);
    if (t === undefined) {
      t = params.length;
      keys.set(key, t);
      params.push(p);
    }
    tableOf.set(i, t);
  });
  return { tableOf, params, bytes: params.length ? params.length * ADD_TABLE_BYTES + STAGING_BYTES : 0 };
}

/**
 * Fills the plan's tables at `offset` with `addS8` and returns the calls with those steps turned into
 * `addTableS8(input1, input2, output, size, table)`.
 */
export function applyAddTables(
  plan: AddTablePlan, offset: number, memory: WebAssembly.Memory,
  addS8: KernelFunction, addTableS8: KernelFunction,
  calls: { fn: KernelFunction; args: number[] }[],
): { fn: KernelFunction; args: number[] }[] {
  if (plan.params.length === 0) return calls;
  const staging = offset + plan.params.length * ADD_TABLE_BYTES;
  const bytes = new Uint8Array(memory.buffer);
  for (let x = 0; x < 256; x++) bytes[staging + x] = x; // as int8: 0..127, then -128..-1
  plan.params.forEach((p, t) => {
    const table = offset + t * ADD_TABLE_BYTES;
    for (let y = 0; y < 256; y++) {
      bytes.fill(y, staging + 256, staging + 512);
      // Row y: entry x | y << 8 = ADD(int8 x, int8 y).
      addS8(staging, staging + 256, table + y * 256, 256, ...p);
    }
  });
  return calls.map((c, i) => {
    const t = plan.tableOf.get(i);
    if (t === undefined) return c;
    const [input1, input2, output, size] = c.args;
    return { fn: addTableS8, args: [input1!, input2!, output!, size!, offset + t * ADD_TABLE_BYTES] };
  });
}

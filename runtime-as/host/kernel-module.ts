// Instantiates the built kernel module (scalar or SIMD) over a host-owned WebAssembly.Memory.
import type { KernelVariant } from './kernel-variant.ts';
import { kernelModule } from './kernel-wasm.ts';

export type { KernelVariant } from './kernel-variant.ts';
export { kernelModule, kernelWasmPath, loadKernelModules } from './kernel-wasm.ts';

export const WASM_PAGE_BYTES = 65536;

export interface KernelInstance {
  variant: KernelVariant;
  memory: WebAssembly.Memory;
  /** Every kernel export by name, plus `heap_base`. */
  exports: Record<string, (...args: number[]) => number | void>;
  /** First byte the host may use (after the module's static data), 16-aligned. */
  heapBase: number;
}

/** Memory is exactly `pages` pages, fixed (initial = maximum), as a board's SRAM would be. */
export function instantiateKernels(variant: KernelVariant, pages: number): KernelInstance {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const instance = new WebAssembly.Instance(kernelModule(variant), {
    env: {
      memory,
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new Error(`WASM kernel aborted at line ${line}:${column}`);
      },
    },
  });
  const exports = instance.exports as unknown as KernelInstance['exports'];
  const heapBase = ((exports.heap_base() as number) + 15) & ~15;
  return { variant, memory, exports, heapBase };
}

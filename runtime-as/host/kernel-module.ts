// Instantiates the built kernel module (scalar or SIMD) over a host-owned WebAssembly.Memory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type KernelVariant = 'scalar' | 'simd';

export const WASM_PAGE_BYTES = 65536;

const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');

export function kernelWasmPath(variant: KernelVariant): string {
  return join(buildDir, `tinyforge-${variant}.wasm`);
}

const compiled = new Map<KernelVariant, WebAssembly.Module>();

export function kernelModule(variant: KernelVariant): WebAssembly.Module {
  let m = compiled.get(variant);
  if (!m) {
    const path = kernelWasmPath(variant);
    if (!existsSync(path)) {
      throw new Error(`the ${variant} WASM runtime is not built (${path} is missing): run 'npm run build'`);
    }
    m = new WebAssembly.Module(readFileSync(path));
    compiled.set(variant, m);
  }
  return m;
}

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

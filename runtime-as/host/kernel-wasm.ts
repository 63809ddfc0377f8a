// Where the built kernel module comes from on Node: the .wasm files beside the sources (or dist/), compiled on
// first use. The page's bundle takes kernel-wasm.browser.ts instead (fetched once, before the first Runtime).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelVariant } from './kernel-variant.ts';

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

/** Nothing to wait for on Node: modules are read on first use. (The browser twin fetches them here.) */
export async function loadKernelModules(): Promise<void> {}

// Where the built kernel module comes from in a browser: the bundler emits the .wasm files as assets (the
// `new URL(…, import.meta.url)` form every bundler understands), `loadKernelModules()` fetches and compiles both
// once, and from then on `kernelModule()` answers synchronously, as the Node twin (kernel-wasm.ts) does.
import type { KernelVariant } from './kernel-variant.ts';

const urls: Record<KernelVariant, URL> = {
  simd: new URL('../build/tinyforge-simd.wasm', import.meta.url),
  scalar: new URL('../build/tinyforge-scalar.wasm', import.meta.url),
};

const compiled = new Map<KernelVariant, WebAssembly.Module>();

export function kernelWasmPath(variant: KernelVariant): string {
  return urls[variant].href;
}

export function kernelModule(variant: KernelVariant): WebAssembly.Module {
  const m = compiled.get(variant);
  if (!m) throw new Error(`the ${variant} WASM runtime is not loaded yet: await loadKernelModules() before the first Runtime`);
  return m;
}

export async function loadKernelModules(): Promise<void> {
  await Promise.all((Object.keys(urls) as KernelVariant[]).map(async (variant) => {
    if (compiled.has(variant)) return;
    const response = await fetch(urls[variant]);
    if (!response.ok) throw new Error(`could not load the ${variant} WASM runtime from ${urls[variant].href}: HTTP ${response.status}`);
    compiled.set(variant, await WebAssembly.compile(await response.arrayBuffer()));
  }));
}

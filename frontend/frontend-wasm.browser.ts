// Where the front end's built module comes from in a browser: an asset the bundler emits, fetched and compiled
// once by `loadFrontendModule()`; from then on `frontendModule()` answers synchronously, as the Node twin does.
const url = new URL('./build/kws-frontend.wasm', import.meta.url);
let compiled: WebAssembly.Module | undefined;

export const FRONTEND_WASM_PATH = url.href;

export function frontendModule(): WebAssembly.Module {
  if (!compiled) throw new Error('the keyword front end is not loaded yet: await loadFrontendModule() first');
  return compiled;
}

export async function loadFrontendModule(): Promise<void> {
  if (compiled) return;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the keyword front end from ${url.href}: HTTP ${response.status}`);
  compiled = await WebAssembly.compile(await response.arrayBuffer());
}

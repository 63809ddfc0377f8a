// The Vite plugin that builds tinyforge's library for a browser: a project file `x.ts` that has a twin
// `x.browser.ts` beside it is replaced by the twin (the I/O leaves: kernel .wasm, simulator and board JSON,
// CRC-32), and any import of a Node built-in or a Node-only package ends the build with the importer named, so
// nothing Node-only reaches the bundle quietly stubbed; nor does a use of Node's globals (Buffer, process).
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { builtinModules } from 'node:module';
import type { Plugin } from 'vite';

const NODE_ONLY_PACKAGES = ['serialport', '@serialport/', 'onnxruntime-node', '@tensorflow/tfjs-node'];
const builtins = new Set(builtinModules);

export function isNodeOnly(source: string): boolean {
  if (source.startsWith('node:')) return true;
  if (builtins.has(source) || builtins.has(source.split('/')[0]!)) return true;
  return NODE_ONLY_PACKAGES.some((p) => (p.endsWith('/') ? source.startsWith(p) : source === p || source.startsWith(`${p}/`)));
}

/** Node globals a browser does not have, as project code would use them. */
const NODE_GLOBALS = /\b(?:Buffer\.(?:from|alloc|allocUnsafe|concat|compare|isBuffer)|process\.(?:env|stdout|stderr|stdin|argv|exit|cwd|platform|nextTick))\b/;

export function browserTwins(): Plugin {
  return {
    name: 'tinyforge-browser-twins',
    enforce: 'pre',
    transform(code, id) {
      if (id.includes('/node_modules/') || !/\.ts$/.test(id)) return null;
      const code0 = code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // comments may name them
      const m = NODE_GLOBALS.exec(code0);
      if (m) this.error(`${id} uses the Node global '${m[0]}', which a browser does not have: use Uint8Array / TextDecoder / a .browser.ts twin`);
      return null;
    },
    async resolveId(source, importer, options) {
      if (!importer || importer.includes('/node_modules/')) return null;
      if (isNodeOnly(source)) {
        this.error(`${importer} imports the Node-only module '${source}': the page cannot run it. Give that file a .browser.ts twin or keep it out of browser.ts's imports`);
      }
      if (!source.startsWith('.') && !isAbsolute(source)) return null; // a package: resolved as usual
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external || !resolved.id.endsWith('.ts') || resolved.id.endsWith('.browser.ts')) return resolved;
      const twin = resolved.id.replace(/\.ts$/, '.browser.ts');
      return existsSync(twin) ? { ...resolved, id: twin } : resolved;
    },
  };
}

// The browser build's twins: each `x.browser.ts` answers as its Node file `x.ts` does (same exports, same data, same
// CRC), and the Vite plugin that swaps them in refuses any Node-only import with the importer named.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { crc32 as browserCrc32 } from '../../lib/crc32.browser.ts';
import { crc32 as nodeCrc32 } from '../../lib/crc32.ts';
import { simulatorDataFile as browserData } from '../../simulator/data-file.browser.ts';
import { simulatorDataFile as nodeData } from '../../simulator/data-file.ts';
import * as browserBoards from '../../targets/boards/load-board.browser.ts';
import * as nodeBoards from '../../targets/boards/load-board.ts';
import { browserTwins, isNodeOnly } from '../../playground/vite/browser-twins.ts';
import { repoRoot } from '../structure/import-graph.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { inflateSync } from 'node:zlib';
import { md5Hex as browserMd5 } from '../../targets/flash/esp32/md5-hex.browser.ts';
import { md5Hex as nodeMd5 } from '../../targets/flash/esp32/md5-hex.ts';
import { zlibCompress as browserZlib } from '../../targets/flash/esp32/zlib-compress.browser.ts';
import { flasherStub as browserStub } from '../../targets/flash/esp32/flasher-stub.browser.ts';
import { flasherStub as nodeStub } from '../../targets/flash/esp32/flasher-stub.ts';

const twins = import.meta.glob(['../../{lib,runtime-as,simulator,targets,compiler,api,formats}/**/*.browser.ts']);

describe('browser twins', () => {
  it('CRC-32: the standard check value, and the same as zlib on every length', () => {
    const check = new TextEncoder().encode('123456789');
    expect(browserCrc32(check)).toBe(0xcbf43926); // the CRC-32/ISO-HDLC check value
    expect(nodeCrc32(check)).toBe(0xcbf43926);
    const rand = new SeededRandom(17);
    for (const n of [0, 1, 3, 64, 1000, 65_537]) {
      const bytes = Uint8Array.from({ length: n }, () => rand.int(0, 255));
      expect(browserCrc32(bytes), `${n} bytes`).toBe(nodeCrc32(bytes));
    }
  });

  it('the board catalog: same ids, same boards, same refusal of an unknown id', () => {
    expect(browserBoards.listBoards()).toEqual(nodeBoards.listBoards());
    expect(browserBoards.loadAllBoards()).toEqual(nodeBoards.loadAllBoards());
    expect(() => browserBoards.loadBoard('nope')).toThrow(/unknown board 'nope'; known boards: bluepill, /);
    expect(() => browserBoards.loadBoard('nope')).toThrow((() => { try { nodeBoards.loadBoard('nope'); } catch (e) { return (e as Error).message; } return ''; })());
  });

  it('the simulator data files: every one the Node side reads, with the same content', () => {
    const files = ['runtime-footprint.json', 'cost/kernel-profiles.json', 'cost/class-mix.json', ...nodeBoards.loadAllBoards().map((b) => `cost/cores/${b.core}.json`)];
    for (const f of new Set(files)) {
      expect(nodeData(f), f).toBeDefined();
      expect(browserData(f)?.json, f).toEqual(nodeData(f)!.json);
    }
    expect(browserData('cost/cores/no-such-core.json')).toBeUndefined();
    expect(nodeData('cost/cores/no-such-core.json')).toBeUndefined();
  });

  it('ESP32 flashing: MD5 as Node computes it, zlib data that inflates to the image, the flasher stubs of esptool-js', () => {
    const rand = new SeededRandom(5);
    const image = Uint8Array.from({ length: 70_000 }, (_, i) => (i % 3000 < 2000 ? rand.int(0, 40) : 0xff));
    expect(browserMd5(image)).toBe(nodeMd5(image));
    expect(browserMd5(new TextEncoder().encode('abc'))).toBe('900150983cd24fb0d6963f7d28e17f72'); // RFC 1321's test suite
    expect(Buffer.from(inflateSync(browserZlib(image))).equals(Buffer.from(image))).toBe(true);
    for (const chip of ['ESP32', 'ESP32-S2', 'ESP32-S3', 'ESP32-C3'] as const) expect(browserStub(chip), chip).toEqual(nodeStub(chip));
  });

  it('every twin exports only names its Node file exports (the Node file may have more: file paths, user files)', async () => {
    const paths = Object.keys(twins);
    expect(paths.length).toBeGreaterThanOrEqual(4);
    const nodeOnly: Record<string, string[]> = {};
    for (const path of paths) {
      const twin = await twins[path]!() as Record<string, unknown>;
      const node = await import(/* @vite-ignore */ path.replace(/\.browser\.ts$/, '.ts')) as Record<string, unknown>;
      expect(Object.keys(twin).filter((k) => !(k in node)), path).toEqual([]);
      for (const k of Object.keys(twin)) expect(typeof twin[k], `${path} ${k}`).toBe(typeof node[k]);
      const extra = Object.keys(node).filter((k) => !(k in twin));
      if (extra.length) nodeOnly[path.replace('../../', '')] = extra;
    }
    expect(nodeOnly).toEqual({ 'targets/boards/load-board.browser.ts': ['BOARDS_DIR', 'loadBoardFile'] });
  });

  it('no twin imports a Node module', () => {
    for (const path of Object.keys(twins)) {
      const source = readFileSync(join(repoRoot, path.replace('../../', '')), 'utf8');
      const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*'([^']+)'/gm)].map((m) => m[1]!);
      expect(specifiers.filter(isNodeOnly), path).toEqual([]);
    }
  });
});

describe('the browser build refuses Node-only modules', () => {
  it('knows the built-ins and the Node-only packages', () => {
    for (const m of ['node:fs', 'fs', 'fs/promises', 'child_process', 'zlib', 'serialport', '@serialport/bindings-cpp', 'onnxruntime-node']) expect(isNodeOnly(m), m).toBe(true);
    for (const m of ['zod', 'flatbuffers', 'chart.js', 'crc-32', 'serialport-like', './fs.ts']) expect(isNodeOnly(m), m).toBe(false);
  });

  const bundle = async (source: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-twins-'));
    writeFileSync(join(dir, 'entry.ts'), source);
    const out = await build({
      configFile: false, logLevel: 'silent', root: dir, plugins: [browserTwins()],
      build: { write: false, lib: { entry: join(dir, 'entry.ts'), formats: ['es'], fileName: 'entry' } },
    });
    const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; code?: string }[] }[];
    return outputs.flatMap((o) => o.output).map((c) => c.code ?? '').join('\n');
  };

  it('a Node built-in ends the build, naming the importer', async () => {
    await expect(bundle(`import { readFileSync } from 'node:fs';\nexport const x = readFileSync;`)).rejects.toThrow(/entry\.ts imports the Node-only module 'node:fs'/);
    await expect(bundle(`export { SerialPort } from 'serialport';`)).rejects.toThrow(/imports the Node-only module 'serialport'/);
  });

  it('a use of Node\'s Buffer or process ends the build too', async () => {
    await expect(bundle(`export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');`)).rejects.toThrow(/uses the Node global 'Buffer.from'/);
    await expect(bundle(`export const debug = () => process.env.DEBUG;`)).rejects.toThrow(/uses the Node global 'process.env'/);
    await expect(bundle(`// Buffer.from in a comment is fine\nexport const x = 1;`)).resolves.toContain('x');
  });

  it('a file with a twin is replaced by it: lib/crc32.ts (node:zlib) bundles as the crc-32 package', async () => {
    const code = await bundle(`export { crc32 } from '${join(repoRoot, 'lib', 'crc32.ts')}';`);
    expect(code).not.toMatch(/node:zlib/);
    expect(code).toMatch(/crc32|CRC32/);
  });
});

// The Vite plugin that ships prebuilt slot firmware: a slot firmware holds no model (the model is a signed image in
// flash slot A), so it is built once per slot board with the cross compiler, linked with a key placeholder
// (targets/firmware/update/slot-key-patch.ts), and the page writes its owner's public key over the placeholder and
// the model's signed slot image next to it. Emitted as firmware/index.json and firmware/<board>/firmware.{bin,elf},
// fetched only when the firmware download is asked for (not part of the first load). Built images are cached by a
// hash of the firmware's sources, so the tests' repeated playground builds compile each board once.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { buildSlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { codeBytes } from '../../targets/firmware/section-sizes.ts';
import { placeholderOffsets, SLOT_KEY_PLACEHOLDER } from '../../targets/firmware/update/slot-key-patch.ts';
import { SLOT_REGIONS } from '../../targets/firmware/update/slot-regions.ts';
import type { PrebuiltFirmwareIndex, PrebuiltSlotFirmware } from '../src/prebuilt-firmware.ts';

/** What the firmware is made of: a change to any file here rebuilds it. */
const SOURCE_DIRS = ['targets/firmware', 'targets/c', 'targets/boards', 'formats/update'];

function sourceHash(repoRoot: string): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(c|h|ld|S|s|ts|json)$/.test(name)) h.update(p.slice(repoRoot.length)).update(readFileSync(p));
    }
  };
  for (const d of SOURCE_DIRS) walk(join(repoRoot, d));
  // And this file: what it writes per board (entry.json) is part of the cache.
  return h.update(readFileSync(fileURLToPath(import.meta.url))).update(SLOT_KEY_PLACEHOLDER).digest('hex').slice(0, 16);
}

interface Built {
  index: PrebuiltFirmwareIndex;
  /** URL (relative to index.html) → file on disk. */
  files: Map<string, string>;
}

async function buildBoard(id: string, dir: string): Promise<PrebuiltSlotFirmware> {
  const done = join(dir, 'entry.json');
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8')) as PrebuiltSlotFirmware;
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const fw = await buildSlotFirmware({ target: firmwareTarget(id), outDir: staging, publicKey: SLOT_KEY_PLACEHOLDER });
  const bin = new Uint8Array(readFileSync(fw.image.bin));
  const elf = new Uint8Array(readFileSync(fw.image.elf));
  for (const [what, bytes] of [['firmware.bin', bin], ['firmware.elf', elf]] as const) {
    const n = placeholderOffsets(bytes).length;
    if (n !== 1) throw new Error(`${id} ${what} holds the key placeholder ${n} times (must be once for the page to patch it)`);
  }
  const entry: PrebuiltSlotFirmware = {
    board: id,
    codeBytes: codeBytes(fw.image.sizes),
    compiler: basename(fw.image.toolchain.gcc),
    // The page re-seals an ESP image's checksum and SHA-256 after writing the key (esp-image-format.ts sealEspImage).
    ...(firmwareTarget(id).espImage ? { espImage: true } : {}),
    bin: `firmware/${id}/firmware.bin`,
    elf: `firmware/${id}/firmware.elf`,
  };
  writeFileSync(join(staging, 'entry.json'), JSON.stringify(entry));
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return entry;
}

async function buildAll(repoRoot: string, log: (m: string) => void): Promise<Built> {
  const cache = join(repoRoot, 'node_modules', '.cache', 'tinyforge-slot-firmware', sourceHash(repoRoot));
  mkdirSync(cache, { recursive: true });
  const index: PrebuiltFirmwareIndex = { boards: [], unavailable: {} };
  const files = new Map<string, string>();
  for (const id of Object.keys(SLOT_REGIONS)) {
    try {
      const entry = await buildBoard(id, join(cache, id));
      index.boards.push(entry);
      files.set(entry.bin, join(cache, id, 'firmware.bin'));
      files.set(entry.elf, join(cache, id, 'firmware.elf'));
    } catch (err) {
      const why = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
      index.unavailable[id] = why;
      log(`tinyforge playground: no prebuilt slot firmware for ${id}: ${why}`);
    }
  }
  return { index, files };
}

export function prebuiltSlotFirmware(repoRoot: string): Plugin {
  let built: Promise<Built> | undefined;
  let log: (m: string) => void = (m) => console.warn(m);
  const build = () => (built ??= buildAll(repoRoot, log));
  return {
    name: 'tinyforge-slot-firmware',
    configResolved(config) {
      log = (m) => config.logger.warn(m);
    },
    async generateBundle() {
      const { index, files } = await build();
      this.emitFile({ type: 'asset', fileName: 'firmware/index.json', source: JSON.stringify(index, null, 2) });
      for (const [url, file] of files) this.emitFile({ type: 'asset', fileName: url, source: readFileSync(file) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = decodeURIComponent(req.url?.split('?')[0] ?? '').replace(/^\//, '');
        if (!url.startsWith('firmware/')) return next();
        build().then(({ index, files }) => {
          if (url === 'firmware/index.json') {
            res.setHeader('Content-Type', 'application/json');
            return res.end(JSON.stringify(index));
          }
          const file = files.get(url);
          if (!file) return next();
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(readFileSync(file));
        }, next);
      });
    },
  };
}

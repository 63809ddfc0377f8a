// The playground's firmware download: the page takes the prebuilt slot firmware of a board, writes the signing key's
// public half into it and the current model, signed in the page with WebCrypto, into slot A — and the files it
// hands out run. The .elf and slot A boot on the QEMU board and answer INVOKE with TensorFlow Lite Micro's goldens;
// the key the page made signs, with `tinyforge sign`, an update that device accepts over serial; with a key from
// `tinyforge keygen` uploaded instead, the page's update is byte for byte the CLI's. The Intel HEX holds exactly
// the code and slot A.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { rawPublicKey, readPrivateKey, readPublicKey } from '../../api/ed25519-keys.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { parseUpdateHeader, UPDATE_HEADER_BYTES } from '../../formats/update/update-format.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { placeholderOffsets, SLOT_KEY_PLACEHOLDER } from '../../targets/firmware/update/slot-key-patch.ts';
import { SLOT_STATE_BYTES } from '../../targets/firmware/update/slot-image.ts';
import { slotRegions } from '../../targets/firmware/update/slot-regions.ts';
import { startQemuOnPty } from '../../targets/qemu/qemu-on-pty.ts';
import { writeSlotFlashFile } from '../../targets/qemu/slot-flash-file.ts';
import { repoRoot, tinyforge } from '../cli/run-cli.ts';
import { loadCorpusModel } from '../firmware/int8-corpus-models.ts';
import { usePlayground } from './build-playground.ts';
import { expectRunning } from './expect-running.ts';
import { pageResult, watchedPage, type WatchedPage } from './chromium.ts';

const MemoryMap = createRequire(import.meta.url)('nrf-intel-hex') as typeof import('nrf-intel-hex').default;

const work = mkdtempSync(join(tmpdir(), 'tf-pg-firmware-'));
const pg = usePlayground();
afterAll(() => rmSync(work, { recursive: true, force: true }));

const corpusModel = (name: string) => join(repoRoot, 'tests', 'corpus', 'models', `${name}.tflite`);

/** The page on `model` and `board`, its firmware made (with `keyFile` uploaded, if given) and every file saved. */
async function makeFirmware(model: string, board: string, options: { keyFile?: string; version?: number } = {}): Promise<{ w: WatchedPage; dir: string; files: Record<string, Buffer>; status: string }> {
  const w = await watchedPage(pg.browser, pg.server.url);
  await w.page.goto(`${pg.server.url}/index.html?model=models/${model}.tflite&board=${board}`);
  expect((await pageResult(w.page, 120_000)).status).toBe('done');
  expect(await w.page.inputValue('#firmware-board')).toBe(board);
  if (options.keyFile) await w.page.setInputFiles('#firmware-key', options.keyFile);
  if (options.version !== undefined) await w.page.fill('#firmware-version', String(options.version));
  await w.page.click('#firmware-go');
  await w.page.waitForSelector('#firmware-status[data-status="done"], #firmware-status[data-status="error"]', { timeout: 60_000 });
  const status = (await w.page.textContent('#firmware-status')) ?? '';
  expect(await w.page.getAttribute('#firmware-status', 'data-status'), status).toBe('done');
  const dir = mkdtempSync(join(work, `${board}-`));
  const files: Record<string, Buffer> = {};
  for (const name of await w.page.$$eval('#firmware-files button', (bs) => bs.map((b) => b.getAttribute('data-file')!))) {
    files[name] = await download(w.page, name, join(dir, name));
  }
  return { w, dir, files, status };
}

async function download(page: Page, file: string, path: string): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`#firmware-files button[data-file="${file}"]`)]);
  await d.saveAs(path);
  return readFileSync(path);
}

/** Boots the page's .elf and slot A on the QEMU board; `check` talks to it over its pty. */
async function onQemu(board: string, dir: string, slotA: Uint8Array, check: (port: string) => Promise<void>): Promise<void> {
  const flash = join(dir, 'slots.bin');
  writeSlotFlashFile(board, flash, [{ address: slotRegions(board).slots[0], bytes: slotA }]);
  const qemu = await startQemuOnPty(firmwareTarget(board), join(dir, 'firmware.elf'), flash);
  try {
    await check(qemu.port);
  } finally {
    await qemu.stop();
  }
}

describe('firmware download from the playground', () => {
  it('qemu-riscv32: the page\'s firmware runs its model bit-exact, and the key it made signs a later update the device confirms', async () => {
    const board = 'qemu-riscv32';
    const { w, dir, files, status } = await makeFirmware('hello_world_int8', board);
    expect(Object.keys(files).sort()).toEqual(['firmware.bin', 'firmware.elf', 'hello_world_int8-qemu-riscv32.hex', 'hello_world_int8-v1.tfu', 'model-slot-a.bin', 'update-key.pem', 'update-key.pub.pem']);
    expect(status).toContain('signed with a new key made in this page');
    await w.page.locator('#download-view').screenshot({ path: join(repoRoot, 'playground', 'screenshots', 'firmware-download.png') });
    // The public key went in where the placeholder was, in the code and in the .elf alike.
    const pub = rawPublicKey(readPublicKey(join(dir, 'update-key.pub.pem')));
    expect(Buffer.from(rawPublicKey(readPrivateKey(join(dir, 'update-key.pem')))).equals(Buffer.from(pub))).toBe(true);
    for (const f of ['firmware.bin', 'firmware.elf']) {
      expect(placeholderOffsets(files[f]!)).toEqual([]);
      expect(files[f]!.includes(Buffer.from(pub)), f).toBe(true);
    }
    // Slot A is the state words and the signed update the page also handed out.
    expect(files['model-slot-a.bin']!.subarray(SLOT_STATE_BYTES).equals(files['hello_world_int8-v1.tfu']!)).toBe(true);
    expect(tinyforge(['verify', join(dir, 'hello_world_int8-v1.tfu'), '--pub', join(dir, 'update-key.pub.pem')]).code).toBe(0);

    const a = loadCorpusModel('hello_world_int8');
    const b = loadCorpusModel('micro_speech_quantized');
    await onQemu(board, dir, files['model-slot-a.bin']!, async (port) => {
      await expectRunning(port, a, 1);
      // The next model, from the CLI, signed with the key the page made: the firmware takes it.
      const out = join(dir, 'next');
      expect(tinyforge(['build', corpusModel(b.name), '--board', board, '--slots', '--pub', join(dir, 'update-key.pub.pem'), '--out', out], { timeoutMs: 240_000 }).code).toBe(0);
      expect(tinyforge(['sign', join(out, 'model.tfb'), '--key', join(dir, 'update-key.pem'), '--out', join(dir, 'next.tfu'), '--version', '2']).code).toBe(0);
      const r = tinyforge(['update', join(dir, 'next.tfu'), '--board', board, '--port', port], { timeoutMs: 180_000 });
      expect(r.code, r.stderr).toBe(0);
      await expectRunning(port, b, 2);
    });
    expect(w.problems).toEqual([]);
    expect(w.external).toEqual([]);
    await w.page.close();
  }, 600_000);

  it('qemu-mps2-an386 with a key from tinyforge keygen: the update is the CLI\'s byte for byte, the HEX holds code and slot A (and nothing between), and it boots', async () => {
    const board = 'qemu-mps2-an386';
    const keys = join(work, 'keys');
    expect(tinyforge(['keygen', '--out', keys]).code).toBe(0);
    const { w, dir, files, status } = await makeFirmware('kws_ref_model', board, { keyFile: join(keys, 'update-key.pem'), version: 7 });
    expect(status).toContain('signed with your key');
    expect(files['update-key.pem']).toBeUndefined(); // an uploaded private key is never handed back
    expect(files['update-key.pub.pem']!.toString()).toBe(readFileSync(join(keys, 'update-key.pub.pem'), 'utf8'));
    // Ed25519 is deterministic: the page's WebCrypto signature is node:crypto's for the same key and bytes.
    const tfu = files['kws_ref_model-v7.tfu']!;
    expect(parseUpdateHeader(tfu).modelVersion).toBe(7);
    const cli = signUpdate(tfu.subarray(UPDATE_HEADER_BYTES), readPrivateKey(join(keys, 'update-key.pem')), 7);
    expect(Buffer.from(cli).equals(tfu)).toBe(true);
    // One Intel HEX: the patched code at the code origin, then (after erased flash) slot A at its address.
    const regions = slotRegions(board);
    const blocks = [...MemoryMap.fromHex(files['kws_ref_model-qemu-mps2-an386.hex']!.toString()).entries()];
    expect(blocks.map(([address]) => address)).toEqual([regions.code.origin, regions.slots[0]]);
    expect(Buffer.from(blocks[0]![1]).equals(files['firmware.bin']!)).toBe(true);
    const slot = files['model-slot-a.bin']!;
    expect(Buffer.from(blocks[1]![1]).equals(slot)).toBe(true);
    expect(files['firmware.bin']!.includes(Buffer.from(rawPublicKey(readPublicKey(join(keys, 'update-key.pub.pem')))))).toBe(true);
    await onQemu(board, dir, slot, (port) => expectRunning(port, loadCorpusModel('kws_ref_model'), 7));
    expect(w.problems).toEqual([]);
    await w.page.close();
  }, 600_000);

  it('esp32-c3-devkitm: the page re-seals the ESP image after writing the key; it is byte for byte the CLI\'s, and an independent reader finds header, segments, checksum and SHA-256 right', async () => {
    const board = 'esp32-c3-devkitm';
    const keys = join(work, 'c3-keys');
    expect(tinyforge(['keygen', '--out', keys]).code).toBe(0);
    const { w, dir, files, status } = await makeFirmware('kws_ref_model', board, { keyFile: join(keys, 'update-key.pem') });
    const page = files['firmware.bin']!;
    // The CLI, given the same public key (--pub) and the same key pair (--key, which also signs slot A).
    const viaPub = join(dir, 'cli-pub'), viaKey = join(dir, 'cli-key');
    expect(tinyforge(['build', corpusModel('kws_ref_model'), '--board', board, '--slots', '--pub', join(keys, 'update-key.pub.pem'), '--out', viaPub], { timeoutMs: 240_000 }).code).toBe(0);
    expect(tinyforge(['build', corpusModel('kws_ref_model'), '--board', board, '--slots', '--key', join(keys, 'update-key.pem'), '--out', viaKey], { timeoutMs: 240_000 }).code).toBe(0);
    expect(page.equals(readFileSync(join(viaPub, 'firmware.bin')))).toBe(true);
    expect(page.equals(readFileSync(join(viaKey, 'firmware.bin')))).toBe(true);
    expect(files['model-slot-a.bin']!.equals(readFileSync(join(viaKey, 'model-slot-a.bin')))).toBe(true);
    expect(tinyforge(['verify', join(dir, 'kws_ref_model-v1.tfu'), '--pub', join(keys, 'update-key.pub.pem')]).code).toBe(0);

    // The key is in the image, and the image is one the C3 ROM takes.
    const pub = Buffer.from(rawPublicKey(readPublicKey(join(keys, 'update-key.pub.pem'))));
    expect(placeholderOffsets(page)).toEqual([]);
    expect(page.indexOf(pub)).toBeGreaterThan(0);
    const read = readEspImage(page);
    expect(read.problems).toEqual([]);
    expect(read.chipId).toBe(5);
    expect(read.hashAppended).toBe(true);
    expect(read.end).toBe(page.length);
    // One corrupted byte: in the key (segment data) the checksum and the digest both catch it; in the header only the
    // digest does; in the digest itself, the digest.
    const flipped = (at: number) => { const b = Buffer.from(page); b[at]! ^= 0x01; return b; };
    expect(readEspImage(flipped(page.indexOf(pub) + 5)).problems).toEqual(['checksum', 'sha256']);
    expect(readEspImage(flipped(2)).problems).toEqual(['sha256']);
    expect(readEspImage(flipped(page.length - 1)).problems).toEqual(['sha256']);
    // What the page had before it re-sealed: a key written over the placeholder of a sealed image is refused (the
    // digest always catches it; the checksum unless the two keys' XOR-sums happen to agree).
    const unsealed = Buffer.from(page);
    unsealed.set(SLOT_KEY_PLACEHOLDER, page.indexOf(pub));
    expect(readEspImage(unsealed).problems).toContain('sha256');

    // Files at the flash offsets esptool writes (no bootloader, no partition table: the ROM boots offset 0).
    const blocks = [...MemoryMap.fromHex(files['kws_ref_model-esp32-c3-devkitm.hex']!.toString()).entries()];
    expect(blocks.map(([address]) => address)).toEqual([0x0, 0x200000]);
    expect(Buffer.from(blocks[0]![1]).equals(page)).toBe(true);
    expect(Buffer.from(blocks[1]![1]).equals(files['model-slot-a.bin']!)).toBe(true);
    expect(status).toContain('flash offsets (what esptool writes, as tinyforge build --slots prints them): firmware.bin at 0x00000000, model-slot-a.bin at 0x00200000 (slot B 0x00300000), no second-stage bootloader or partition table');
    expect(w.problems).toEqual([]);
    await w.page.close();
  }, 600_000);

  it('refuses, by name, a key file that is not a private key, and a model the board\'s firmware cannot hold', async () => {
    const w = await watchedPage(pg.browser, pg.server.url);
    await w.page.goto(`${pg.server.url}/index.html?model=models/hello_world_int8.tflite&board=qemu-riscv32`);
    expect((await pageResult(w.page)).status).toBe('done');
    const pubOnly = join(work, 'only.pub.pem');
    expect(tinyforge(['keygen', '--out', join(work, 'k2')]).code).toBe(0);
    writeFileSync(pubOnly, readFileSync(join(work, 'k2', 'update-key.pub.pem')));
    await w.page.setInputFiles('#firmware-key', pubOnly);
    await w.page.click('#firmware-go');
    await w.page.waitForSelector('#firmware-status[data-status="error"]');
    expect(await w.page.textContent('#firmware-status')).toContain('only.pub.pem is not a PKCS#8 private key PEM');
    // VWW's 27,648 B input is more than the nRF52840 slot firmware's I/O buffers.
    await w.page.goto(`${pg.server.url}/index.html?model=models/vww_96_int8.tflite&board=nrf52840-dk`);
    expect((await pageResult(w.page, 120_000)).status).toBe('done');
    await w.page.click('#firmware-go');
    await w.page.waitForSelector('#firmware-status[data-status="error"]');
    expect(await w.page.textContent('#firmware-status')).toContain("vww_96_int8 has 27,648 B of input or output; the nrf52840-dk slot firmware's buffers hold 16,384 B");
    expect(await w.page.$$('#firmware-files button')).toEqual([]);
    await w.page.close();
  }, 300_000);
});

/**
 * An ESP image reader written from esptool's "Firmware Image Format" description, apart from the project's own
 * (targets/firmware/esp/): an 8-byte header (0xE9, segment count, ...), a 16-byte extended header (chip id at bytes
 * 4-5, "hash appended" at byte 15), segments of (load address, size, data), zeros up to one byte short of a 16-byte
 * multiple, a checksum byte (0xEF XOR every segment data byte), then — when hash appended is 1 — the SHA-256 of
 * everything before it. Returns which checks fail.
 */
function readEspImage(image: Buffer): { problems: string[]; chipId: number; hashAppended: boolean; end: number } {
  if (image[0] !== 0xe9) throw new Error('no ESP image magic');
  const extended = image.subarray(8, 24);
  const chipId = extended.readUInt16LE(4);
  const hashAppended = extended[15] === 1;
  let at = 24, checksum = 0xef;
  for (let i = 0; i < image[1]!; i++) {
    const size = image.readUInt32LE(at + 4);
    for (const byte of image.subarray(at + 8, at + 8 + size)) checksum ^= byte;
    at += 8 + size;
  }
  const problems: string[] = [];
  while (at % 16 !== 15) if (image[at++] !== 0) problems.push('padding');
  if (image[at] !== checksum) problems.push('checksum');
  let end = at + 1;
  if (hashAppended) {
    const digest = createHash('sha256').update(image.subarray(0, end)).digest();
    if (!digest.equals(image.subarray(end, end + 32))) problems.push('sha256');
    end += 32;
  }
  return { problems, chipId, hashAppended, end };
}

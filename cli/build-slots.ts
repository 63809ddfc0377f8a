// `tinyforge build <model> --board B --slots`: the slot firmware (code only; the model lives in a flash slot) and
// the model's slot A image, signed with --key or with a development key made in OUT/keys/.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { rawPublicKey, readPrivateKey, readPublicKey } from '../api/ed25519-keys.ts';
import { signUpdate } from '../api/signed-update.ts';
import type { CompiledModel } from '../compiler/compile-model.ts';
import { FirmwareBuildError } from '../targets/firmware/build-firmware.ts';
import type { FirmwareTarget } from '../targets/firmware/firmware-targets.ts';
import { codeBytes } from '../targets/firmware/section-sizes.ts';
import { formatSizeReport, sizeReport } from '../targets/firmware/size-report.ts';
import { buildSlotFirmware, slotModel } from '../targets/firmware/slot-firmware.ts';
import { SlotImageError } from '../targets/firmware/update/slot-image.ts';
import { SlotBoardError, slotFlashOffsets, slotRegions } from '../targets/firmware/update/slot-regions.ts';
import { CliError, EXIT } from './cli-error.ts';
import { writeKeyPair } from './commands/keygen.ts';
import { selftestVectors } from './firmware-model.ts';

export const SLOT_IMAGE_FILE = 'model-slot-a.bin';
export const SLOT_BLOB_FILE = 'model.tfb';

export interface BuildSlotsOptions {
  outDir: string;
  /** Private key to sign slot A with (its public half is compiled in); none: a new development key in OUT/keys/. */
  key?: string;
  /** Public key to compile in (build --pub); alone, the slots stay empty (the first model comes by update). */
  pub?: string;
  modelVersion: number;
  arena?: number;
  stack?: number;
  opt: 'O2' | 'Os' | 'O3';
  json: boolean;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

export async function buildSlots(compiled: CompiledModel, name: string, target: FirmwareTarget, opts: BuildSlotsOptions): Promise<number> {
  let regions;
  try {
    regions = slotRegions(target.id);
  } catch (err) {
    if (err instanceof SlotBoardError) throw new CliError(`tinyforge build --slots: ${err.message}`, EXIT.usage);
    throw err;
  }
  const { outDir } = opts;
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const pub = opts.pub !== undefined ? rawPublicKey(readPublicKey(opts.pub)) : undefined;
    if (pub && !opts.key) return await publicKeyOnly(compiled, name, target, opts, pub, staging);
    let keyPath = opts.key;
    if (!keyPath) keyPath = writeKeyPair(join(staging, 'keys')).privatePath;
    const key = readPrivateKey(keyPath);
    if (pub && !Buffer.from(pub).equals(Buffer.from(rawPublicKey(key)))) {
      throw new CliError(`tinyforge build --slots: --pub ${opts.pub} is not the public half of --key ${opts.key}: the firmware would refuse its own slot A`, EXIT.badInput);
    }
    const fw = await buildSlotFirmware({
      target, outDir: staging, publicKey: rawPublicKey(key), arenaBytes: opts.arena, optimize: `-${opts.opt}`, stackBytes: opts.stack,
    });
    const slot = slotModel(compiled, selftestVectors(compiled), (blob) => signUpdate(blob, key, opts.modelVersion), target.id, fw.arenaBytes);
    writeFileSync(join(staging, SLOT_IMAGE_FILE), slot.slotImage);
    writeFileSync(join(staging, SLOT_BLOB_FILE), slot.blob);
    mkdirSync(outDir, { recursive: true });
    const files = ['firmware.elf', 'firmware.bin', 'firmware.hex', 'src', SLOT_IMAGE_FILE, SLOT_BLOB_FILE, ...(opts.key ? [] : ['keys'])];
    for (const f of files) {
      rmSync(join(outDir, f), { recursive: true, force: true });
      renameSync(join(staging, f), join(outDir, f));
    }
    const report = sizeReport(fw.image.sizes);
    const offsets = slotFlashOffsets(regions);
    const slotsJson = {
      a: hex(regions.slots[0]), b: hex(regions.slots[1]), bytes: regions.slotBytes,
      image: join(outDir, SLOT_IMAGE_FILE), imageBytes: slot.slotImage.length, blobBytes: slot.blob.length,
      modelVersion: opts.modelVersion, arenaReserved: fw.arenaBytes, arenaModel: slot.arenaBytes,
      key: opts.key ?? join(outDir, 'keys', basename(keyPath)),
      // Where flash tools write them on a board that reads flash through a mapping (ESP32-C3: esptool offsets).
      ...(offsets ? { flashOffsets: { firmware: hex(offsets.firmware), a: hex(offsets.a), b: hex(offsets.b) } } : {}),
    };
    if (opts.json) {
      console.log(JSON.stringify({ board: target.id, model: name, out: outDir, firmware: 'slots', ...report, slots: slotsJson }, null, 2));
    } else {
      console.log(`slot firmware for ${target.id} (${basename(fw.image.toolchain.gcc)} -${opts.opt}): ${join(outDir, 'firmware.{elf,bin,hex}')}, code only`);
      console.log(formatSizeReport(report));
      console.log(`code besides the model: ${codeBytes(fw.image.sizes).toLocaleString('en-US')} B (interpreter, every kernel, slot boot with SHA-256 and Ed25519, serial protocol)`);
      console.log(`${name} as slot A: ${slotsJson.image}, ${slot.slotImage.length.toLocaleString('en-US')} B at ${slotsJson.a} ` +
        `(slot B at ${slotsJson.b}, ${regions.slotBytes.toLocaleString('en-US')} B each), model version ${opts.modelVersion}, arena ${slot.arenaBytes.toLocaleString('en-US')} of ${fw.arenaBytes.toLocaleString('en-US')} B reserved`);
      if (slotsJson.flashOffsets) {
        console.log(`flash offsets (what esptool writes): firmware.bin at ${slotsJson.flashOffsets.firmware}, ${SLOT_IMAGE_FILE} at ${slotsJson.flashOffsets.a} (slot B ${slotsJson.flashOffsets.b}); ` +
          `the firmware reads the slots at ${slotsJson.a} and ${slotsJson.b} through the cache`);
      }
      if (!opts.key) console.log(`signed with a new development key: ${slotsJson.key} (pass --key to use your own; keep the private key off the device)`);
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof SlotImageError) throw new CliError(`tinyforge build --slots: ${err.message}`, EXIT.doesNotFit);
    if (err instanceof FirmwareBuildError) {
      const doesNotFit = /needs .* of arena|buffers hold|overflowed/.test(err.message);
      throw new CliError(`tinyforge build --slots: ${err.message}`, doesNotFit ? EXIT.doesNotFit : EXIT.failure);
    }
    throw err;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** build --slots --pub without --key: the firmware with that public key and empty slots; the model as model.tfb,
 * for its owner to sign (tinyforge sign) and send (tinyforge update). */
async function publicKeyOnly(compiled: CompiledModel, name: string, target: FirmwareTarget, opts: BuildSlotsOptions, pub: Uint8Array, staging: string): Promise<number> {
  const fw = await buildSlotFirmware({ target, outDir: staging, publicKey: pub, arenaBytes: opts.arena, optimize: `-${opts.opt}`, stackBytes: opts.stack });
  const slot = slotModel(compiled, selftestVectors(compiled), (blob) => blob, target.id, fw.arenaBytes);
  writeFileSync(join(staging, SLOT_BLOB_FILE), slot.blob);
  mkdirSync(opts.outDir, { recursive: true });
  for (const f of ['firmware.elf', 'firmware.bin', 'firmware.hex', 'src', SLOT_BLOB_FILE]) {
    rmSync(join(opts.outDir, f), { recursive: true, force: true });
    renameSync(join(staging, f), join(opts.outDir, f));
  }
  const keyHex = Buffer.from(pub).toString('hex');
  if (opts.json) {
    console.log(JSON.stringify({ board: target.id, model: name, out: opts.outDir, firmware: 'slots', ...sizeReport(fw.image.sizes), publicKey: keyHex, slots: { empty: true, blob: join(opts.outDir, SLOT_BLOB_FILE) } }, null, 2));
  } else {
    console.log(`slot firmware for ${target.id} with public key ${keyHex.slice(0, 16)}… compiled in: ${join(opts.outDir, 'firmware.{elf,bin,hex}')}, slots empty`);
    console.log(`${name}: ${join(opts.outDir, SLOT_BLOB_FILE)}; sign it (tinyforge sign ${SLOT_BLOB_FILE} --key <private key> --out update.tfu) and send it with tinyforge update`);
  }
  return EXIT.ok;
}

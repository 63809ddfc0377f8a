// The firmware download: a prebuilt slot firmware for the board (code only, fetched from firmware/) with the
// signing key's public half written over its placeholder, and the current model as its slot A — blob with
// self-test vectors, signed in the page — together in one Intel HEX, and each part on its own as `tinyforge build
// --slots` writes them. An ESP32-C3 firmware.bin is an ESP image whose checksum and SHA-256 cover the key: the page
// seals it again after the patch (sealEspImage), and places the files at the flash offsets esptool writes.
import {
  patchSlotKey, sealEspImage, selftestVectors, slotFlashOffsets, SLOT_REGIONS, slotImage, slotPayload, writeIntelHex, type CompileResult,
} from '../../browser.ts';
import { fetchBytes, type PrebuiltSlotFirmware } from './prebuilt-firmware.ts';
import { signUpdateInPage, type SigningKey } from './update-signing.ts';

export interface FirmwareFile {
  name: string;
  label: string;
  data: Uint8Array | string;
  type: string;
}

export interface FirmwareFiles {
  files: FirmwareFile[];
  /** Code and slot A where a flasher writes them (the HEX's two blocks), for the flash view. */
  parts: { address: number; bytes: Uint8Array; name: string }[];
  summary: string;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const int = (n: number) => n.toLocaleString('en-US');
const BIN = 'application/octet-stream';

export async function firmwareFiles(result: CompileResult, name: string, fw: PrebuiltSlotFirmware, key: SigningKey, modelVersion: number): Promise<FirmwareFiles> {
  const regions = SLOT_REGIONS[fw.board];
  if (!regions) throw new Error(`${fw.board} is not a slot firmware board of this page (rebuild the playground: npm run playground:build)`);
  if (!Number.isInteger(modelVersion) || modelVersion < 0 || modelVersion > 0xffffffff) throw new Error(`model version ${modelVersion} is not a 32-bit unsigned integer`);
  const payload = slotPayload(result.compiled, selftestVectors(result.blob), fw.board, regions, regions.arenaBytes);
  const update = await signUpdateInPage(payload.blob, key, modelVersion);
  const slot = slotImage(update, regions);
  const [bin, elf] = await Promise.all([fetchBytes(fw.bin), fetchBytes(fw.elf)]);
  const patched = patchSlotKey(bin, key.publicRaw, `${fw.board} firmware.bin`);
  const code = fw.espImage ? await sealEspImage(patched) : patched;
  // Where a flasher writes them: the addresses, or on a board that maps its flash (ESP32-C3) the flash offsets.
  const offsets = slotFlashOffsets(regions);
  const codeAt = offsets?.firmware ?? regions.code.origin, slotAt = offsets?.a ?? regions.slots[0];
  const where = offsets ? 'at flash offset' : 'at';
  const parts = [{ address: codeAt, bytes: code, name: 'firmware.bin' }, { address: slotAt, bytes: slot, name: 'model-slot-a.bin' }];
  const hexText = writeIntelHex([
    { address: codeAt, bytes: code, name: 'the firmware code' },
    { address: slotAt, bytes: slot, name: 'model slot A' },
  ]);
  const files: FirmwareFile[] = [
    { name: `${name}-${fw.board}.hex`, label: `firmware with the model (code + slot A, Intel HEX${offsets ? ' at flash offsets' : ''})`, data: hexText, type: 'text/plain' },
    { name: 'firmware.elf', label: `firmware code (.elf, for ${offsets ? 'a debugger' : 'QEMU or a debugger'})`, data: patchSlotKey(elf, key.publicRaw, `${fw.board} firmware.elf`), type: BIN },
    { name: 'firmware.bin', label: `firmware code (${fw.espImage ? 'ESP image, ' : ''}.bin ${where} ${hex(codeAt)})`, data: code, type: BIN },
    { name: 'model-slot-a.bin', label: `model slot A (.bin ${where} ${hex(slotAt)})`, data: slot, type: BIN },
    { name: `${name}-v${modelVersion}.tfu`, label: 'the model as a signed update (.tfu, for tinyforge update)', data: update, type: BIN },
    ...(key.privatePem ? [{ name: 'update-key.pem', label: 'private signing key (keep it off devices)', data: key.privatePem, type: 'application/x-pem-file' }] : []),
    { name: 'update-key.pub.pem', label: 'public key (compiled into this firmware)', data: key.publicPem, type: 'application/x-pem-file' },
  ];
  const summary = `slot firmware for ${fw.board} (${fw.compiler}, built with the playground): code ${int(fw.codeBytes)} B at ${hex(regions.code.origin)}; ` +
    `${name} version ${modelVersion} as slot A, ${int(slot.length)} B at ${hex(regions.slots[0])} (slot B at ${hex(regions.slots[1])}, ${int(regions.slotBytes)} B each), ` +
    `arena ${int(payload.arenaBytes)} of ${int(regions.arenaBytes)} B reserved, 2 self-test vectors; signed with ${key.madeHere ? 'a new key made in this page (download it to sign later updates)' : 'your key'}` +
    (offsets
      ? `; flash offsets (what esptool writes, as tinyforge build --slots prints them): firmware.bin at ${hex(offsets.firmware)}, model-slot-a.bin at ${hex(offsets.a)} ` +
        `(slot B ${hex(offsets.b)}), no second-stage bootloader or partition table (the ROM boots the image at ${hex(offsets.firmware)}): ` +
        `esptool.py --chip esp32c3 write_flash ${hex(offsets.firmware)} firmware.bin ${hex(offsets.a)} model-slot-a.bin`
      : '');
  return { files, parts, summary };
}

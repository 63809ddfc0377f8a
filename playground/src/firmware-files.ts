// The firmware download: a prebuilt slot firmware for the board (code only, fetched from firmware/) with the
// signing key's public half written over its placeholder, and the current model as its slot A — blob with
// self-test vectors, signed in the page — together in one Intel HEX, and each part on its own as `tinyforge build
// --slots` writes them.
import { patchSlotKey, selftestVectors, SLOT_REGIONS, slotImage, slotPayload, writeIntelHex, type CompileResult } from '../../browser.ts';
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
  const code = patchSlotKey(bin, key.publicRaw, `${fw.board} firmware.bin`);
  const hexText = writeIntelHex([
    { address: regions.code.origin, bytes: code, name: 'the firmware code' },
    { address: regions.slots[0], bytes: slot, name: 'model slot A' },
  ]);
  const files: FirmwareFile[] = [
    { name: `${name}-${fw.board}.hex`, label: 'firmware with the model (code + slot A, Intel HEX)', data: hexText, type: 'text/plain' },
    { name: 'firmware.elf', label: 'firmware code (.elf, for QEMU or a debugger)', data: patchSlotKey(elf, key.publicRaw, `${fw.board} firmware.elf`), type: BIN },
    { name: 'firmware.bin', label: `firmware code (.bin at ${hex(regions.code.origin)})`, data: code, type: BIN },
    { name: 'model-slot-a.bin', label: `model slot A (.bin at ${hex(regions.slots[0])})`, data: slot, type: BIN },
    { name: `${name}-v${modelVersion}.tfu`, label: 'the model as a signed update (.tfu, for tinyforge update)', data: update, type: BIN },
    ...(key.privatePem ? [{ name: 'update-key.pem', label: 'private signing key (keep it off devices)', data: key.privatePem, type: 'application/x-pem-file' }] : []),
    { name: 'update-key.pub.pem', label: 'public key (compiled into this firmware)', data: key.publicPem, type: 'application/x-pem-file' },
  ];
  const summary = `slot firmware for ${fw.board} (${fw.compiler}, built with the playground): code ${int(fw.codeBytes)} B at ${hex(regions.code.origin)}; ` +
    `${name} version ${modelVersion} as slot A, ${int(slot.length)} B at ${hex(regions.slots[0])} (slot B at ${hex(regions.slots[1])}, ${int(regions.slotBytes)} B each), ` +
    `arena ${int(payload.arenaBytes)} of ${int(regions.arenaBytes)} B reserved, 2 self-test vectors; signed with ${key.madeHere ? 'a new key made in this page (download it to sign later updates)' : 'your key'}`;
  return { files, summary };
}

// The prebuilt slot firmware the playground ships (playground/vite/slot-firmware.ts writes firmware/index.json):
// per slot board, code without a model and with a key placeholder.
export interface PrebuiltSlotFirmware {
  /** Its code and slot addresses, arena and I/O buffers are the board's SLOT_REGIONS, as the page's own. */
  board: string;
  codeBytes: number;
  compiler: string;
  /** firmware.bin is an ESP image (ESP32-C3): after the key patch its checksum and SHA-256 are made again. */
  espImage?: boolean;
  /** URLs relative to index.html. */
  bin: string;
  elf: string;
}

export interface PrebuiltFirmwareIndex {
  boards: PrebuiltSlotFirmware[];
  /** Slot boards the build could not make firmware for, and why (e.g. no cross compiler on the build machine). */
  unavailable: Record<string, string>;
}

export async function fetchFirmwareIndex(): Promise<PrebuiltFirmwareIndex> {
  const r = await fetch('firmware/index.json');
  if (!r.ok) throw new Error(`firmware/index.json: HTTP ${r.status} (this build of the playground has no prebuilt firmware)`);
  return (await r.json()) as PrebuiltFirmwareIndex;
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

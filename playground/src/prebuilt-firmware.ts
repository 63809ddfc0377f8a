// The prebuilt slot firmware the playground ships (playground/vite/slot-firmware.ts writes firmware/index.json):
// per slot board, code without a model and with a key placeholder, and where its model slots are.
export interface PrebuiltSlotFirmware {
  board: string;
  /** Where firmware.bin's first byte goes in flash. */
  codeOrigin: number;
  /** Slot A and slot B addresses. */
  slots: [number, number];
  slotBytes: number;
  /** Arena and I/O buffer bytes the firmware reserves: a model needing more cannot run in it. */
  arenaBytes: number;
  ioBytes: number;
  codeBytes: number;
  compiler: string;
  /** URLs relative to index.html. */
  bin: string;
  elf: string;
}

export interface PrebuiltFirmwareIndex {
  placeholder: string;
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

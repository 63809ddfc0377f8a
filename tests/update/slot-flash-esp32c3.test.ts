// The ESP32-C3 slot firmware (`build --slots --board esp32-c3-devkitm`): it compiles and links with no warning, its
// flash driver (targets/firmware/update/drivers/flash-esp32c3-rom.c) calls the chip ROM's SPI flash and cache
// functions at the addresses ESP-IDF's ROM linker script gives, each flash operation with the cache suspended and
// the range invalidated after it, and the image puts the code in IRAM (an ESP image the ROM loads from flash offset
// 0, inside the slot table's code region) and the slots where the slot table says. No emulator here runs an
// ESP32-C3: none of this code has run; these are checks of what was built.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESP32C3FirmwareImage } from 'esptool-js/lib/image/others.js';
import { ESP32C3ROM } from 'esptool-js/lib/targets/esp32c3.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { loadBoard } from '../../targets/boards/load-board.ts';
import { slotLayout } from '../../targets/boards/model-slot-layout.ts';
import { espImageProblems, parseEspImage } from '../../targets/firmware/esp/parse-esp-image.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildSlotFirmware, type SlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { flashDriverFile } from '../../targets/firmware/update/model-slot-sources.ts';
import { slotRegions } from '../../targets/firmware/update/slot-regions.ts';

const BOARD = 'esp32-c3-devkitm';
const work = mkdtempSync(join(tmpdir(), 'tinyforge-slots-c3-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** ESP-IDF components/esp_rom/esp32c3/ld/esp32c3.rom.ld (ECO 0 and later): the ROM functions the driver calls. */
const ROM = {
  esp_rom_spiflash_erase_sector: 0x40000128,
  esp_rom_spiflash_write: 0x4000012c,
  esp_rom_spiflash_read: 0x40000130,
  esp_rom_spiflash_config_param: 0x40000134,
  esp_rom_spiflash_unlock: 0x40000140,
  Cache_Invalidate_Addr: 0x400004d4,
  Cache_Invalidate_ICache_All: 0x400004d8,
  Cache_Suspend_ICache: 0x40000524,
  Cache_Resume_ICache: 0x40000528,
  Cache_Dbus_MMU_Set: 0x40000564,
} as const;
type RomName = keyof typeof ROM;

let fw: SlotFirmware;
let symbols: Map<string, { address: number; type: string }>;
/** Per function of the ELF, the ROM functions it calls, in code order (binutils' objdump, not the project's reader). */
let romCalls: Map<string, RomName[]>;

beforeAll(async () => {
  fw = await buildSlotFirmware({ target: firmwareTarget(BOARD), outDir: join(work, 'fw'), publicKey: rawPublicKey(generateKeyPairSync('ed25519').publicKey) });
  symbols = new Map(execFileSync(fw.image.toolchain.nm, [fw.image.elf], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.trim().split(/\s+/)).map(([a, t, n]) => [n!, { address: parseInt(a!, 16), type: t! }]));
  romCalls = new Map();
  let fn = '';
  for (const line of execFileSync('riscv64-unknown-elf-objdump', ['-d', fw.image.elf], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n')) {
    const head = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (head) fn = head[1]!;
    const call = /\bjalr?\b.*# [0-9a-f]+ <([A-Za-z_]+)>/.exec(line);
    if (call && call[1]! in ROM) romCalls.set(fn, [...(romCalls.get(fn) ?? []), call[1] as RomName]);
  }
}, 240_000);

describe('the ESP32-C3 slot firmware', () => {
  it('links the ROM flash driver, with no compiler or linker warning', () => {
    expect(flashDriverFile(BOARD)).toBe('flash-esp32c3-rom.c');
    expect(fw.image.objects.map((o) => o.source).some((s) => s.endsWith('flash-esp32c3-rom.c'))).toBe(true);
    expect(fw.image.warnings).toEqual([]);
  });

  it('calls each ROM function at the address of ESP-IDF\'s esp32c3.rom.ld', () => {
    for (const [name, address] of Object.entries(ROM)) expect(symbols.get(name), name).toEqual({ address, type: 'A' });
    const called = new Set([...romCalls.values()].flat());
    expect([...called].sort()).toEqual(Object.keys(ROM).sort());
  });

  it('drives the flash with the cache suspended and invalidates what it changed; maps the slots before use, then sets the flash size (4 MB) and unlocks', () => {
    const sequences = [...romCalls.values()].map((calls) => calls.join(' '));
    expect(sequences).toContain('Cache_Suspend_ICache esp_rom_spiflash_erase_sector Cache_Resume_ICache Cache_Invalidate_Addr');
    expect(sequences).toContain('Cache_Suspend_ICache esp_rom_spiflash_write Cache_Resume_ICache Cache_Invalidate_Addr');
    expect(sequences).toContain('Cache_Suspend_ICache esp_rom_spiflash_read Cache_Resume_ICache');
    expect(romCalls.get('tf_board_flash')).toEqual(['Cache_Suspend_ICache', 'Cache_Dbus_MMU_Set', 'Cache_Invalidate_ICache_All', 'Cache_Resume_ICache', 'esp_rom_spiflash_config_param', 'esp_rom_spiflash_unlock']);
  });

  it('puts slots A and B where the slot table says, at the cache-mapped addresses of flash offsets 0x200000 and 0x300000', () => {
    const layout = slotLayout(loadBoard(BOARD))!;
    const r = slotRegions(BOARD);
    expect([symbols.get('__tf_slot_a')!.address, symbols.get('__tf_slot_b')!.address, symbols.get('__tf_slot_bytes')!.address])
      .toEqual([layout.slotA.base, layout.slotB.base, layout.slotBytes]);
    expect([layout.slotA.base, layout.slotB.base, layout.slotBytes]).toEqual([0x3c200000, 0x3c300000, 0x100000]);
    expect([r.slots[0] - r.flashMappedAt!, r.slots[1] - r.flashMappedAt!]).toEqual([0x200000, 0x300000]);
    expect(fw.image.sizes.weights).toBe(0);
  });

  it('is an ESP image of code in IRAM and data in DRAM, stored at flash offset 0 inside the code region below slot A', async () => {
    const bin = new Uint8Array(readFileSync(fw.image.bin));
    const image = parseEspImage(bin);
    expect(espImageProblems(image, 5)).toEqual([]);
    const r = slotRegions(BOARD);
    expect(r.code.origin - r.flashMappedAt!).toBe(0);
    expect(image.length).toBeLessThanOrEqual(r.code.length);
    expect(image.length).toBeLessThanOrEqual(r.slots[0] - r.flashMappedAt!);
    expect(image.header.entry).toBe(0x40380000);
    const [iram, dram] = firmwareTarget(BOARD).espImage!.loadable;
    for (const s of image.segments) {
      const inside = [iram!, dram!].some((m) => s.address >= m.start && s.address + s.data.length <= m.end);
      expect(inside, `segment at 0x${s.address.toString(16)}`).toBe(true);
    }
    expect(image.segments.some((s) => s.address === iram!.start)).toBe(true);
    // esptool-js's loader reads the same segments (an ESP image reader that is not the project's).
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const theirs = new ESP32C3FirmwareImage(new ESP32C3ROM(), null, true);
    await theirs.loadFromFile(bin);
    vi.restoreAllMocks();
    expect(theirs.segments.map((s) => s.addr)).toEqual(image.segments.map((s) => s.address));
    expect(theirs.checksum).toBe(theirs.calculateChecksum());
    // Code, data, buffers, the reserved arena and the stack all fit the SRAM the ROM leaves (memory.ld: 378,624 B).
    const s = fw.image.sizes;
    expect(s.text + s.rodata + s.data + s.bss + s.stack).toBeLessThanOrEqual(378_624);
  });
});

// The simulator's slot-firmware SRAM against the slot firmware itself: linked for the QEMU boards and the ESP32-C3 as
// `build --slots` links it, its objects' sizes read from the ELF's symbol table (nm -S), and — for the part that depends on the model —
// the STATS answer of the firmware running KWS and VWW from slot A under QEMU.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { selftestVectors } from '../../cli/firmware-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { decodeStatsRecord, statsRecordBytes } from '../../formats/input-stats/input-stats-record.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { formatSimulationText } from '../../simulator/format-report-text.ts';
import { slotFirmwareSram } from '../../simulator/memory-budget.ts';
import { simulate } from '../../simulator/simulate.ts';
import { loadBoard } from '../../targets/boards/load-board.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildSlotFirmware, slotModel, type SlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { COMMAND, encodeRequest, parseResponses } from '../../targets/qemu/serial-frames.ts';
import { writeSlotFlashFile } from '../../targets/qemu/slot-flash-file.ts';
import { loadCorpusModel } from '../firmware/int8-corpus-models.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-slot-sram-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const MODELS = ['kws_ref_model', 'vww_96_int8'];

function simulated(name: string, board: string) {
  const { compiled } = loadCorpusModel(name);
  return { compiled, sim: simulate(readBlob(writeBlob(compiled)), compiled, { board: loadBoard(board), execute: false }) };
}

/** Each object's size (nm -S) and each section's (size -A) in the slot firmware's ELF. */
function elfSizes(fw: SlotFirmware) {
  const symbols = new Map<string, number>();
  for (const line of execFileSync(fw.image.toolchain.nm, ['-S', fw.image.elf], { encoding: 'utf8' }).split('\n')) {
    const [, size, , name] = line.trim().split(/\s+/);
    if (name && size) symbols.set(name, parseInt(size, 16));
  }
  const sections = new Map<string, number>();
  const size = fw.image.toolchain.nm.replace(/nm$/, 'size');
  for (const line of execFileSync(size, ['-A', fw.image.elf], { encoding: 'utf8' }).split('\n')) {
    const [name, bytes] = line.trim().split(/\s+/);
    if (name?.startsWith('.') && bytes) sections.set(name, Number(bytes));
  }
  const sym = (name: string) => {
    const n = symbols.get(name);
    if (n === undefined) throw new Error(`${fw.image.elf}: no object ${name}`);
    return n;
  };
  return { sym, sections };
}

for (const board of ['qemu-mps2-an386', 'qemu-riscv32', 'esp32-c3-devkitm']) {
  describe(`simulate's slot firmware SRAM on ${board}`, () => {
    let fw: SlotFirmware;
    beforeAll(async () => {
      fw = await buildSlotFirmware({ target: firmwareTarget(board), outDir: join(work, board), publicKey: rawPublicKey(publicKey) });
    }, 240_000);

    for (const name of MODELS) {
      it(`${name}: drift STATS, arena, I/O buffers and stack are the ELF's objects, byte for byte`, () => {
        const { sym, sections } = elfSizes(fw);
        const sf = simulated(name, board).sim.memory.slotFirmware!;
        // main.c's tf_input_stats and its groups' storage (16 groups whatever the model: slots/model.h).
        expect(sf.stats).toBe(sym('input_stats') + sym('input_stats_groups'));
        expect(sf.stats).toBe(1572);
        expect(sf.arenaReserved).toBe(sym('arena'));
        expect(sf.ioBuffers).toBe(sym('input_buffer') + sym('output_buffer'));
        expect(sf.stack).toBe(sections.get('.stack'));
        expect(sf.used).toBe(sf.arenaReserved + sf.ioBuffers + sf.stats + sf.stack);
        // What the simulator leaves out: the slot boot's, update service's and flash driver's few variables.
        const ram = (sections.get('.data') ?? 0) + (sections.get('.bss') ?? 0) + sections.get('.stack')!;
        expect(ram - sf.used).toBeGreaterThan(0);
        expect(ram - sf.used).toBeLessThan(1200);
      });
    }
  });
}

describe('the groups a model keeps in the slot firmware, from its STATS answer under QEMU (qemu-mps2-an386)', () => {
  const board = 'qemu-mps2-an386';
  let fw: SlotFirmware;
  beforeAll(async () => {
    fw = await buildSlotFirmware({ target: firmwareTarget(board), outDir: join(work, `${board}-run`), publicKey: rawPublicKey(publicKey) });
  }, 240_000);

  for (const [name, groups] of [['kws_ref_model', 10], ['vww_96_int8', 3]] as const) {
    it(`${name}: ${groups} groups, as simulate says`, async () => {
      const { compiled, sim } = simulated(name, board);
      const slotA = slotModel(compiled, selftestVectors(compiled), (blob) => signUpdate(blob, privateKey, 1), board, fw.arenaBytes);
      const slotFlash = join(work, `${name}-slots.bin`);
      writeSlotFlashFile(board, slotFlash, [{ address: slotA.address, bytes: slotA.slotImage }]);
      const run = await runQemu({
        target: firmwareTarget(board), elf: fw.image.elf, slotFlash, timeoutMs: 120_000,
        serialInput: Buffer.concat([encodeRequest(COMMAND.stats, new Uint8Array([0])), encodeRequest(COMMAND.quit, new Uint8Array([0]))]),
      });
      const { responses } = parseResponses(run.serialOutput, 'TF-READY\n');
      const record = responses[0]!.payload;
      const sf = sim.memory.slotFirmware!;
      expect(sf.statsGroupsUsed).toBe(groups);
      expect(decodeStatsRecord(record).geometry.groups).toBe(sf.statsGroupsUsed);
      expect(record.length).toBe(statsRecordBytes(sf.statsGroupsUsed));
      expect(sf.fits).toBe(true);
      const text = formatSimulationText(sim);
      expect(text).toContain('+ drift STATS 1,572 + stack 16,384; fits');
      expect(text).toContain(`drift STATS 1,572 B: the statistics header and 16 channel groups of storage, for whatever model a slot holds (this model keeps ${groups})`);
    }, 180_000);
  }
});

describe('the slot firmware verdict', () => {
  it('a model whose arena or I/O exceeds what the slot firmware reserves does not fit it, with the numbers', () => {
    const { compiled, sim } = simulated('vww_96_int8', 'nrf52840-dk');
    const { inputs, outputs } = readBlob(writeBlob(compiled));
    // VWW's 96×96×3 input, with an arena larger than its own.
    const sf = slotFirmwareSram({ inputs, outputs, arenaBytes: 200_000 }, loadBoard('nrf52840-dk'))!;
    expect(sf.fits).toBe(false);
    // nRF52840's slot firmware reserves a 128 KiB arena and 16 KiB I/O buffers.
    expect(sf.problems).toEqual([
      "the model's 200,000 B arena exceeds the 131,072 B the slot firmware reserves (build --slots --arena)",
      "a 27,648 B model input or output exceeds the slot firmware's 16,384 B I/O buffers",
    ]);
    expect(formatSimulationText({ ...sim, memory: { ...sim.memory, slotFirmware: sf } })).toContain(`; does not fit: the model's 200,000 B arena exceeds`);
  });

  it('boards without slot firmware have no slot firmware figure', () => {
    expect(simulated('kws_ref_model', 'esp32-devkitc').sim.memory.slotFirmware).toBeUndefined();
  });
});

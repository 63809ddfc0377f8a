// The simulator's slot-firmware SRAM against the slot firmware itself: linked for every slot firmware board as
// `build --slots` links it, its total equal to the ELF's .data + .bss + .stack and each part to its objects (nm -S); the
// part that depends on the model against the STATS answer of the firmware running KWS and VWW from slot A under QEMU;
// and `simulate --stack` against the firmwares `build --stack` links.
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
import { simulationJson } from '../../simulator/simulation-json.ts';
import { simulate as simulateWithLibrary } from '../../index.ts';
import { loadBoard } from '../../targets/boards/load-board.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildSlotFirmware, slotModel, type SlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { COMMAND, encodeRequest, parseResponses } from '../../targets/qemu/serial-frames.ts';
import { writeSlotFlashFile } from '../../targets/qemu/slot-flash-file.ts';
import { loadCorpusModel } from '../firmware/int8-corpus-models.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { corpusDir, readMeta } from '../conformance-corpus.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-slot-sram-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const MODELS = ['kws_ref_model', 'vww_96_int8'];
const RISCV_NM = 'riscv64-unknown-elf-nm';

function simulated(name: string, board: string) {
  const { compiled } = loadCorpusModel(name);
  return { compiled, sim: simulate(readBlob(writeBlob(compiled)), compiled, { board: loadBoard(board), execute: false }) };
}

/** Each object's size (nm -S) and each section's (size -A) in the slot firmware's ELF. */
function elfSizes(fw: SlotFirmware | { elf: string; nm: string }) {
  const { elf, nm } = 'image' in fw ? { elf: fw.image.elf, nm: fw.image.toolchain.nm } : fw;
  const symbols = new Map<string, number>();
  for (const line of execFileSync(nm, ['-S', elf], { encoding: 'utf8' }).split('\n')) {
    const [, size, , name] = line.trim().split(/\s+/);
    if (name && size) symbols.set(name, parseInt(size, 16));
  }
  const sections = new Map<string, number>();
  const size = nm.replace(/nm$/, 'size');
  for (const line of execFileSync(size, ['-A', elf], { encoding: 'utf8' }).split('\n')) {
    const [name, bytes] = line.trim().split(/\s+/);
    if (name?.startsWith('.') && bytes) sections.set(name, Number(bytes));
  }
  const sym = (name: string) => {
    const n = symbols.get(name);
    if (n === undefined) throw new Error(`${elf}: no object ${name}`);
    return n;
  };
  return { sym, sections };
}

// Every slot firmware board: the three the issue names, and the three real boards whose statics figure the simulator
// carries too (slot-regions.ts), so that no committed figure goes stale.
for (const board of ['qemu-mps2-an386', 'qemu-riscv32', 'esp32-c3-devkitm', 'nucleo-l4r5zi', 'stm32f746g-disco', 'nrf52840-dk']) {
  describe(`simulate's slot firmware SRAM on ${board}`, () => {
    let fw: SlotFirmware;
    beforeAll(async () => {
      fw = await buildSlotFirmware({ target: firmwareTarget(board), outDir: join(work, board), publicKey: rawPublicKey(publicKey) });
    }, 240_000);

    for (const name of MODELS) {
      it(`${name}: the total is the ELF's .data + .bss + .stack exactly, and each part its objects`, () => {
        const { sym, sections } = elfSizes(fw);
        const sf = simulated(name, board).sim.memory.slotFirmware!;
        // main.c's tf_input_stats and its groups' storage (16 groups whatever the model: slots/model.h).
        expect(sf.stats).toBe(sym('input_stats') + sym('input_stats_groups'));
        expect(sf.stats).toBe(1572);
        expect(sf.arenaReserved).toBe(sym('arena'));
        expect(sf.ioBuffers).toBe(sym('input_buffer') + sym('output_buffer'));
        expect(sf.stack).toBe(sections.get('.stack'));
        expect(sf.used).toBe(sf.arenaReserved + sf.ioBuffers + sf.stats + sf.statics + sf.stack);
        // Everything else in RAM (the slot boot's, update service's and flash driver's variables, with padding) is
        // the statics figure: the simulator's total is the ELF's RAM to the byte.
        expect(sf.used).toBe(sections.get('.data')! + sections.get('.bss')! + sections.get('.stack')!);
        // The objects the statics name are in this ELF (nm), and they are all of it but the alignment padding.
        const named = ['tf_slot_model', 'tf_slot_model_name', 'xfer', 'slots', 'running', 'answering', 'on_trial', 'has_driver'];
        const namedBytes = named.reduce((n, o) => n + sym(o), 0);
        expect(namedBytes).toBeLessThan(sf.statics);
      });
    }
  });
}

describe('simulate --stack against the firmware linked with build --stack (qemu-riscv32)', () => {
  const board = 'qemu-riscv32';
  const kws = join(corpusDir(), readMeta('kws_ref_model').model);
  const STACK = 6000;

  it(`the slot firmware and the plain firmware reserve the ${STACK} B simulate counts, and the slot firmware's total is its ELF's RAM`, () => {
    const slotsOut = join(work, 'stack-slots'), plainOut = join(work, 'stack-plain');
    const built = tinyforge(['build', kws, '--board', board, '--slots', '--stack', String(STACK), '--out', slotsOut, '--json'], { timeoutMs: 240_000 });
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const plain = tinyforge(['build', kws, '--board', board, '--stack', String(STACK), '--out', plainOut, '--json'], { timeoutMs: 240_000 });
    expect(plain.code).toBe(0);
    const sim = tinyforge(['simulate', kws, '--board', board, '--stack', String(STACK), '--estimate-only', '--json']);
    expect(sim.stderr).toBe('');
    expect(sim.code).toBe(0);
    const memory = JSON.parse(sim.stdout).memory;
    expect(memory.stackOption).toEqual({ bytes: STACK, measuredNeed: 348 });

    const slotElf = elfSizes({ elf: join(slotsOut, 'firmware.elf'), nm: RISCV_NM });
    expect(slotElf.sections.get('.stack')).toBe(STACK);
    expect(memory.slotFirmware.stack).toBe(STACK);
    expect(memory.slotFirmware.used).toBe(slotElf.sections.get('.data')! + slotElf.sections.get('.bss')! + STACK);
    const plainElf = elfSizes({ elf: join(plainOut, 'firmware.elf'), nm: RISCV_NM });
    expect(plainElf.sections.get('.stack')).toBe(STACK);
    expect(memory.sram.stack).toBe(STACK);

    // The library's simulate() takes it too, with the same figures.
    const lib = simulateWithLibrary(kws, { board, stackBytes: STACK, execute: false });
    expect(simulationJson(lib).memory).toEqual(memory);

    const text = tinyforge(['simulate', kws, '--board', board, '--stack', String(STACK), '--estimate-only']).stdout;
    expect(text).toContain(`+ stack 6,000 (--stack); peak at op`);
    expect(text).toContain(`+ statics 364 + stack 6,000 (--stack); fits`);
  }, 300_000);

  it('a stack too large for the slot firmware is refused (exit 3) with the numbers and the largest stack that fits', () => {
    // nRF52840: 256 KiB of SRAM; its slot firmware takes 128 KiB of arena, 32 KiB of I/O buffers, STATS and statics.
    const r = tinyforge(['simulate', kws, '--board', 'nrf52840-dk', '--stack', '200000', '--estimate-only']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('does not fit nrf52840-dk: the slot firmware needs 365,776 B of SRAM, the board has 262,144 B (with the 200,000 B --stack: pass --stack 96,368 or less)');
    expect(r.stdout).toContain('stack 200,000 (--stack); does not fit: the slot firmware needs 365,776 B');
    expect(tinyforge(['simulate', kws, '--board', 'nrf52840-dk', '--stack', '96368', '--estimate-only']).code).toBe(0);
    expect(tinyforge(['simulate', kws, '--board', 'nrf52840-dk', '--stack', '96369', '--estimate-only']).code).toBe(3);
  });

  it('a stack too large for the plain firmware is refused with the way out too', () => {
    // A 1 MiB stack on the STM32F746 (320 KiB SRAM): the plain figure overflows first.
    const r = tinyforge(['simulate', kws, '--board', 'stm32f746g-disco', '--stack', String(1 << 20), '--estimate-only', '--json']);
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout);
    expect(json.fits).toBe(false);
    expect(json.memory.sram.stack).toBe(1 << 20);
    expect(json.refusal).toMatch(/SRAM needs 1,066,128 B of [\d,]+ B \(peak at op 1 DEPTHWISE_CONV_2D\); with the 1,048,576 B --stack: pass --stack [\d,]+ or less \(this model needs 976 B\)/);
  });

  it('takes build\'s bounds (and refuses --stack with --stream, which keeps its own figures)', () => {
    for (const bad of ['100', String((1 << 20) + 1), '1e3.5', 'lots']) {
      const s = tinyforge(['simulate', kws, '--board', board, '--stack', bad, '--estimate-only']);
      const b = tinyforge(['build', kws, '--board', board, '--stack', bad, '--out', join(work, 'never')]);
      expect(s.code, bad).toBe(64);
      expect(b.code, bad).toBe(64);
      expect(s.stderr.replace('simulate', 'build'), bad).toBe(b.stderr);
    }
    const below = tinyforge(['simulate', kws, '--board', board, '--stack', '256', '--estimate-only']);
    expect(below.code).toBe(0);
    expect(below.stdout).toContain('note: the 256 B --stack is below the 348 B this model\'s kernels were measured to use');
    const stream = tinyforge(['simulate', kws, '--board', board, '--stream', 'x.wav', '--stack', '4096']);
    expect(stream.code).toBe(64);
    expect(stream.stderr).toContain('--stream does not combine with --stack');
  });
});

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
      expect(text).toContain('+ drift STATS 1,572 + statics 1,144 + stack 16,384; fits');
      expect(text).toContain('statics 1,144 B: the slot boot\'s, update service\'s and flash driver\'s own variables (open model and its name, update transfer state, slot state, flash driver records, protocol flags; semihosting path and command-line buffers)');
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

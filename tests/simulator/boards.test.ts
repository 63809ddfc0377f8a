import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flashBudget, largestSramSpan, psramBytes, sramBudget } from '../../targets/boards/board-memory.ts';
import { BOARDS_DIR, listBoards, loadAllBoards, loadBoard, loadBoardFile } from '../../targets/boards/load-board.ts';

const ISSUE_BOARDS = [
  'nucleo-l4r5zi', 'stm32f746g-disco', 'nucleo-h7a3zi', 'nrf52840-dk', 'rpi-pico', 'bluepill',
  'esp32-devkitc', 'esp32-s3-devkitc', 'esp32-c3-devkitm', 'qemu-mps2-an386',
];

function brokenCopy(id: string, mutate: (json: Record<string, any>) => void): string {
  const json = JSON.parse(readFileSync(join(BOARDS_DIR, `${id}.json`), 'utf8'));
  mutate(json);
  const path = join(mkdtempSync(join(tmpdir(), 'tf-board-')), 'my-board.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('board catalog', () => {
  it('has every board of the issue, and every file validates with a source for each figure', () => {
    expect(listBoards()).toEqual(expect.arrayContaining(ISSUE_BOARDS));
    for (const b of loadAllBoards()) {
      for (const r of b.memory) expect(b.sources[`memory.${r.name}`], `${b.id} memory.${r.name}`).toBeTruthy();
      expect(b.sources.clockHz).toBeTruthy();
      if (b.power) expect(b.sources['power.activeCurrentMa']).toBeTruthy();
      else expect(b.virtual).toBe(true);
    }
  });

  it('derives the budgets the simulator checks against', () => {
    const l4 = loadBoard('nucleo-l4r5zi');
    expect(sramBudget(l4)).toBe(655_360); // SRAM1 192 KB + SRAM2 64 KB + SRAM3 384 KB, contiguous
    expect(largestSramSpan(l4)).toBe(655_360);
    expect(flashBudget(l4)).toBe(2_097_152);
    // H7A3: 1.28 MB of data SRAM, but one arena fits only in the 1 MB of contiguous AXI SRAM (ITCM is code-only).
    const h7 = loadBoard('nucleo-h7a3zi');
    expect(sramBudget(h7)).toBe((128 + 1024 + 128 + 32) * 1024);
    expect(largestSramSpan(h7)).toBe(1024 * 1024);
    expect(sramBudget(loadBoard('bluepill'))).toBe(20 * 1024);
    expect(flashBudget(loadBoard('bluepill'))).toBe(64 * 1024);
    // The ESP32-S3 loses ESP-IDF's share of SRAM and has 8 MB of PSRAM besides.
    const s3 = loadBoard('esp32-s3-devkitc');
    expect(sramBudget(s3)).toBe((416 + 64 - 64) * 1024);
    expect(psramBytes(s3)).toBe(8 * 1024 * 1024);
    expect(loadBoard('rpi-pico').core).toBe('cortex-m0plus');
  });

  it('names the bad field of a broken board file', () => {
    const wrongType = brokenCopy('bluepill', (j) => { j.clockHz = '72 MHz'; });
    expect(() => loadBoardFile(wrongType)).toThrow(/invalid board file .*my-board\.json: clockHz: .*number/);
    const negative = brokenCopy('bluepill', (j) => { j.memory[0].bytes = -20480; });
    expect(() => loadBoardFile(negative)).toThrow(/memory\.0\.bytes: /);
    const unsourced = brokenCopy('bluepill', (j) => { delete j.sources['power.activeCurrentMa']; });
    expect(() => loadBoardFile(unsourced)).toThrow(/sources\.power\.activeCurrentMa: missing the source of power\.activeCurrentMa/);
    const unknownCore = brokenCopy('bluepill', (j) => { j.core = 'cortex-m99'; });
    expect(() => loadBoardFile(unknownCore)).toThrow(/core: .*cortex-m0plus/);
    const typo = brokenCopy('bluepill', (j) => { j.clockHZ = 72e6; });
    expect(() => loadBoardFile(typo)).toThrow(/clockHZ/);
  });

  it('keeps a flashing section it does not interpret, and refuses unknown ids and bad JSON clearly', () => {
    const withFlash = brokenCopy('bluepill', (j) => { j.flash = { family: 'stm32', baud: 115200 }; });
    expect(loadBoardFile(withFlash).flash).toEqual({ family: 'stm32', baud: 115200 });
    expect(() => loadBoard('arduino-uno')).toThrow(/unknown board 'arduino-uno'; known boards: bluepill, .*--board-file/);
    const dir = mkdtempSync(join(tmpdir(), 'tf-board-'));
    writeFileSync(join(dir, 'bad.json'), '{ "id": ');
    expect(() => loadBoardFile(join(dir, 'bad.json'))).toThrow(/is not valid JSON/);
  });
});

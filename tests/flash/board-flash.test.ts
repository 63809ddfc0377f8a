// Every catalog board that can be flashed over serial says how, in terms the flasher understands.
import { describe, expect, it } from 'vitest';
import { listBoards, loadBoard } from '../../targets/boards/load-board.ts';
import { espChipByName } from '../../targets/flash/esp32/chip-detect.ts';
import { loadFlashTarget } from '../../targets/flash/board-flash.ts';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { flashSize, stm32ChipById } from '../../targets/flash/stm32/chip-ids.ts';

const FLASHABLE = ['bluepill', 'nucleo-l4r5zi', 'stm32f746g-disco', 'nucleo-h7a3zi', 'esp32-devkitc', 'esp32-s3-devkitc', 'esp32-c3-devkitm'];

describe('board flash sections', () => {
  it('cover the boards tinyforge flashes over serial', () => {
    const withFlash = listBoards().filter((id) => loadBoard(id).flash !== undefined);
    expect(withFlash.sort()).toEqual([...FLASHABLE].sort());
  });

  it.each(FLASHABLE)('%s: its chip is known and the image address lies in its flash', (id) => {
    const { board, flash } = loadFlashTarget(id);
    const flashRegion = board.memory.find((r) => r.kind === 'flash')!;
    if (flash.family === 'stm32') {
      for (const pid of flash.chipIds) {
        const chip = stm32ChipById(pid)!;
        expect(chip).toBeDefined();
        expect(flash.address).toBe(chip.flashBase);
        // The chip table's geometry covers at least the board's flash.
        expect(flashSize(chip)).toBeGreaterThanOrEqual(flashRegion.bytes);
      }
    } else {
      expect(espChipByName(flash.chip)).toBeDefined();
      expect(flash.flashBytes).toBe(flashRegion.bytes);
      expect(flash.address % 4096).toBe(0);
    }
    expect(flash.bootloaderEntry.length).toBeGreaterThan(20);
  });

  it('names the board when its flash section is missing', () => {
    expect(() => loadFlashTarget('rpi-pico')).toThrow(FlashError);
    expect(() => loadFlashTarget('rpi-pico')).toThrow(/board 'rpi-pico' has no "flash" section/);
  });
});

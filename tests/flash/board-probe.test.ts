// Every catalog board that flashes over SWD names OpenOCD scripts that Debian's openocd 0.12 ships and
// loads: each file exists under /usr/share/openocd/scripts, and `openocd <the board's arguments> -c shutdown`
// gets through OpenOCD's config stage (valid script, transport and adapter names) without a probe attached.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBoards, loadBoard } from '../../targets/boards/load-board.ts';
import { boardProbeOf, openocdConfigArgs } from '../../targets/flash/openocd/board-probe.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { requireTool } from './required-tool.ts';

const SWD = ['nrf52840-dk', 'nucleo-l4r5zi', 'stm32f746g-disco', 'nucleo-h7a3zi', 'bluepill', 'rpi-pico'];
const SCRIPTS = '/usr/share/openocd/scripts';
const dir = mkdtempSync(join(tmpdir(), 'tf-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => requireTool('openocd'));

describe('board probe sections', () => {
  it('cover the boards tinyforge flashes over SWD', () => {
    expect(listBoards().filter((id) => loadBoard(id).probe !== undefined).sort()).toEqual([...SWD].sort());
  });

  it.each(SWD)("%s: Debian's openocd ships and loads its scripts", (id) => {
    const board = loadBoard(id);
    const probe = boardProbeOf(board);
    const args = openocdConfigArgs(probe);
    for (const file of args.filter((_, i) => args[i - 1] === '-f')) expect(existsSync(join(SCRIPTS, file)), file).toBe(true);
    expect(board.sources.probe).toMatch(/openocd 0\.12/);
    const r = spawnSync('openocd', [...args, ...(probe.speedKhz ? ['-c', `adapter speed ${probe.speedKhz}`] : []), '-c', 'shutdown'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/^Error:/m);
  });

  it('the nRF52840 DK goes through the nrf52 target and its nrf5 flash driver', () => {
    const args = openocdConfigArgs(boardProbeOf(loadBoard('nrf52840-dk')));
    expect(args).toEqual(['-f', 'board/nordic_nrf52_dk.cfg']);
    const script = readFileSync(join(SCRIPTS, 'board/nordic_nrf52_dk.cfg'), 'utf8');
    expect(script).toMatch(/interface\/jlink\.cfg/);
    expect(readFileSync(join(SCRIPTS, 'target/nrf52.cfg'), 'utf8')).toMatch(/flash bank \$_CHIPNAME\.flash nrf5 0x00000000/);
  });

  it('a board file with a malformed probe section is refused with the field named', () => {
    const board = { ...JSON.parse(readFileSync(new URL('../../targets/boards/nrf52840-dk.json', import.meta.url), 'utf8')), id: 'my-nrf' };
    board.probe = { openocd: { board: 'nordic_nrf52_dk' }, adapter: 'J-Link', connect: 'USB' };
    const file = join(dir, 'my-nrf.json');
    writeFileSync(file, JSON.stringify(board));
    writeFileSync(join(dir, 'a.bin'), new Uint8Array(4));
    const r = tinyforge(['flash', join(dir, 'a.bin'), '--board-file', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/board 'my-nrf' has an invalid "probe" section: probe\.openocd/);
  });
});

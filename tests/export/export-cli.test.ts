// `tinyforge export` as a user meets it: one line on stderr and exit 64 for a usage problem (system, board,
// output folder), exit 2 for a bad model; the project appears whole or not at all.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run as exportCommand } from '../../cli/commands/export.ts';
import { ProjectDir } from '../../targets/export/project-dir.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { corpusDir } from '../conformance-corpus.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-export-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
const model = join(corpusDir(), 'models', 'hello_world_int8.tflite');

function expectOneLine(r: { code: number; stderr: string }, code: number, pattern: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe('tinyforge export (command line)', () => {
  it('--help shows every system and an example', () => {
    const r = tinyforge(['export', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['cmake', 'platformio', 'arduino', 'zephyr']) expect(r.stdout).toContain(`  ${s} `);
    expect(r.stdout).toContain('example:  tinyforge export model.tflite --as cmake --board qemu-mps2-an386');
  });

  it('refuses an unknown or missing --as with the systems (exit 64)', () => {
    expectOneLine(tinyforge(['export', model, '--as', 'makefile', '--board', 'qemu-mps2-an386']), 64,
      /unknown --as 'makefile'; systems: cmake, platformio, arduino, zephyr/);
    expectOneLine(tinyforge(['export', model, '--board', 'qemu-mps2-an386']), 64, /--as is required: one of cmake, platformio, arduino, zephyr/);
  });

  it('refuses a board the system does not know, naming the boards it does (exit 64)', () => {
    expectOneLine(tinyforge(['export', model, '--as', 'cmake', '--board', 'rpi-pico', '--out', join(work, 'x')]), 64,
      /board 'rpi-pico' cannot be exported --as cmake; boards for cmake: qemu-mps2-an386, nucleo-l4r5zi, stm32f746g-disco, nrf52840-dk/);
    expectOneLine(tinyforge(['export', model, '--as', 'arduino', '--board', 'qemu-mps2-an386', '--out', join(work, 'x')]), 64,
      /board 'qemu-mps2-an386' cannot be exported --as arduino; boards for arduino: nucleo-l4r5zi, /);
    expect(existsSync(join(work, 'x'))).toBe(false);
  });

  it('refuses a non-empty --out unless --force, which replaces it; an empty folder is used as it is', () => {
    const out = join(work, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'mine.txt'), 'keep');
    expectOneLine(tinyforge(['export', model, '--as', 'zephyr', '--board', 'rpi-pico', '--out', out]), 64, /taken exists and is not empty; .*--force/);
    expect(readdirSync(out)).toEqual(['mine.txt']);
    const forced = tinyforge(['export', model, '--as', 'zephyr', '--board', 'rpi-pico', '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/zephyr project in .*taken \(\d+ files\); build it with: west build -b rpi_pico app/);
    expect(existsSync(join(out, 'mine.txt'))).toBe(false);
    expect(existsSync(join(out, 'zephyr', 'module.yml'))).toBe(true);
    const empty = join(work, 'empty');
    mkdirSync(empty);
    expect(tinyforge(['export', model, '--as', 'arduino', '--board', 'rpi-pico', '--out', empty]).code).toBe(0);
    expect(existsSync(join(empty, 'library.properties'))).toBe(true);
  });

  it('refuses a missing model or one that is not an int8 .tflite (exit 2)', () => {
    expectOneLine(tinyforge(['export', join(work, 'nope.tflite'), '--as', 'cmake', '--board', 'qemu-mps2-an386', '--out', join(work, 'y')]), 2, /no such file or folder: .*nope\.tflite/);
    const json = join(work, 'model.json');
    writeFileSync(json, '{}');
    expectOneLine(tinyforge(['export', json, '--as', 'cmake', '--board', 'qemu-mps2-an386', '--out', join(work, 'y')]), 2, /takes an int8 \.tflite or a compiled folder/);
    expect(existsSync(join(work, 'y'))).toBe(false);
  });

  it('a failure half-way leaves no project and no staging folder, and keeps the project --force would replace', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(work, 'atomic');
    expect(await exportCommand([model, '--as', 'cmake', '--board', 'qemu-mps2-an386', '--out', out])).toBe(0);
    const before = readFileSync(join(out, 'CMakeLists.txt'), 'utf8');
    let copies = 0;
    const copy = ProjectDir.prototype.copy;
    vi.spyOn(ProjectDir.prototype, 'copy').mockImplementation(function (this: ProjectDir, path: string, from: string) {
      if (++copies === 5) throw new Error('disk full'); // the fifth file of each export
      copy.call(this, path, from);
    });
    await expect(exportCommand([model, '--as', 'platformio', '--board', 'nucleo-l4r5zi', '--out', out, '--force'])).rejects.toThrow('disk full');
    copies = 0;
    await expect(exportCommand([model, '--as', 'cmake', '--board', 'qemu-mps2-an386', '--out', join(work, 'fresh')])).rejects.toThrow('disk full');
    expect(readFileSync(join(out, 'CMakeLists.txt'), 'utf8')).toBe(before);
    expect(existsSync(join(out, 'platformio.ini'))).toBe(false);
    expect(existsSync(join(work, 'fresh'))).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

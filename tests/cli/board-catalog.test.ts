// One board catalog for every verb: each board of `boards --json` says which verbs it supports, and each verb
// accepts exactly those boards. An unsupported or unknown board ends with exit 64 and the boards that can.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOARD_VERBS, type BoardVerb } from '../../cli/board-option.ts';
import { exportSystemsFor } from '../../targets/export/export-systems.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { tinyforge } from './run-cli.ts';

const model = join(corpusDir(), 'models', 'hello_world_int8.tflite');

/** The cheapest call of each verb that gets past board checking; what fails after it is not about the board. */
function call(verb: BoardVerb, boardArgs: string[], dir: string, board?: { flash?: unknown }): string[] {
  switch (verb) {
    case 'simulate': return ['simulate', model, ...boardArgs, '--estimate-only', '--json'];
    case 'build': return ['build', model, ...boardArgs, '--out', join(dir, 'fw'), '--json'];
    case 'run': return ['run', model, ...boardArgs, '--input', join(dir, 'x.bin'), '--output', join(dir, 'y.bin')];
    // Boards without a serial bootloader flash over SWD (OpenOCD, which then finds no probe): no --port.
    case 'flash': return ['flash', join(dir, 'x.bin'), ...boardArgs, ...(board && !board.flash ? [] : ['--port', join(dir, 'no-such-port')])];
    case 'export': {
      // The first system that knows the board (cmake for an unknown one, which fails on the board anyway).
      const id = boardArgs[0] === '--board' ? boardArgs[1]! : '';
      const system = exportSystemsFor(id)[0] ?? 'cmake';
      return ['export', model, '--as', system, ...boardArgs, '--out', join(dir, `export-${id}`), '--force'];
    }
  }
}

describe('board catalog × verbs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-boards-'));
  let boards: { id: string; verbs: BoardVerb[]; flash?: unknown }[];
  beforeAll(() => {
    writeFileSync(join(dir, 'x.bin'), new Uint8Array(1));
    const r = tinyforge(['boards', '--json']);
    expect(r.code).toBe(0);
    boards = JSON.parse(r.stdout) as typeof boards;
  });

  it('lists every board with its verbs, the QEMU boards among them', () => {
    const byId = new Map(boards.map((b) => [b.id, b.verbs]));
    expect(byId.get('qemu-mps2-an386')).toEqual(['simulate', 'build', 'run', 'export']);
    expect(byId.get('qemu-riscv32')).toEqual(['simulate', 'build', 'run']);
    expect(byId.get('nucleo-l4r5zi')).toEqual(['simulate', 'build', 'flash', 'export']);
    expect(byId.get('rpi-pico')).toEqual(['simulate', 'flash', 'export']); // over SWD: a CMSIS-DAP probe through OpenOCD
    expect(byId.get('nrf52840-dk')).toEqual(['simulate', 'build', 'flash', 'export']);
    for (const b of boards) expect(b.verbs[0]).toBe('simulate');
  });

  for (const verb of BOARD_VERBS) {
    it(`${verb}: accepts the boards that list it, refuses the others with exit 64 naming the boards that can`, () => {
      for (const b of boards) {
        const r = tinyforge(call(verb, ['--board', b.id], dir, b), { timeoutMs: 180_000 });
        if (b.verbs.includes(verb)) {
          expect(r.stderr, `${verb} --board ${b.id}`).not.toMatch(/unknown board|not (simulate|build|run|flash|export);/);
          expect(r.code, `${verb} --board ${b.id}: ${r.stderr}`).not.toBe(64);
        } else {
          expect(r.code, `${verb} --board ${b.id}`).toBe(64);
          expect(r.stderr).toMatch(new RegExp(`board '${b.id}' can ${b.verbs.join(', ')}, not ${verb}; boards that `));
        }
      }
    }, 600_000);

    it(`${verb}: an unknown board is exit 64 with the list`, () => {
      const r = tinyforge(call(verb, ['--board', 'no-such-board'], dir));
      expect(r.code).toBe(64);
      expect(r.stderr).toMatch(/unknown board 'no-such-board'; boards that .*: [a-z0-9-]+(, [a-z0-9-]+)*/);
    });

    it(`${verb}: takes --board-file`, () => {
      const r = tinyforge(call(verb, ['--board-file', join(dir, 'missing.json')], dir));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/board file .*missing\.json does not exist/);
    });
  }
});

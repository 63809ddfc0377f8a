// The power-cut harness's simulated flash on its own (targets/firmware/update/host/sim-nor-flash.c), in both
// geometries: 32-bit NOR words, and the STM32L4R5's 64-bit ECC double-words (RM0432 §3.3.7: a double-word is
// programmed once, from erased; a cut one fails its ECC on read).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UPDATE_C_DIR } from '../../targets/firmware/update/model-slot-sources.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-sim-flash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(): Record<'word' | 'ecc-dword', Record<string, number>> {
  const exe = join(work, 'sim-flash-semantics');
  execFileSync('gcc', [
    '-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all',
    `-I${UPDATE_C_DIR}`, `-I${join(UPDATE_C_DIR, 'host')}`,
    join(import.meta.dirname, 'c', 'sim-flash-semantics.c'), join(UPDATE_C_DIR, 'host', 'sim-nor-flash.c'), '-o', exe,
  ]);
  return JSON.parse(execFileSync(exe, { encoding: 'utf8' }));
}

describe('the simulated flash of the power-cut harness', () => {
  const r = run();
  // What both geometries share: a cell is programmed once between erases, cell-aligned; a cut before an operation
  // leaves nothing; an erase makes the page programmable again.
  for (const geometry of ['word', 'ecc-dword'] as const) {
    it(`${geometry}: a cell is programmed once from erased, read back, and erased again`, () => {
      expect(r[geometry]).toMatchObject({
        program: 0, readBack: 1, programAgainSame: -1, programAgainZero: -1, misaligned: -1,
        tornCut: 1, tornErased: 0, tornReprogram: -1, neighboursReadable: 1,
        beforeCut: 1, beforeErased: 1, programAfterCutBefore: 0,
        eraseThenReadable: 1, reprogramAfterErase: 0, eraseCut: 1, tornEraseFirstHalfReadable: 1, otherPageReadable: 1, eraseHeals: 1,
        // The same value again, all zeros, and the torn cell: three refused second programs.
        rewriteViolations: 3,
      });
    });
  }

  it('word: a cell is two word programs, and a cut one reads back half-programmed', () => {
    expect(r.word).toMatchObject({ opsPerCell: 2, tornReadable: 1, tornEraseSecondHalfReadable: 1, eccReadErrors: 0 });
  });

  it('ecc-dword: a double-word is one program; a cut program or erase leaves it unreadable until the page is erased', () => {
    expect(r['ecc-dword']).toMatchObject({ opsPerCell: 1, tornReadable: 0, tornEraseSecondHalfReadable: 0, eccReadErrors: 2 });
  });
});

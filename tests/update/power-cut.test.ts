// The firmware's model-slot C over a simulated NOR flash, in both geometries (32-bit words; the STM32L4R5's ECC
// double-words): every power cut during an update (before each erase and cell program, and inside each one) boots a
// complete verified model; bad updates are refused with the running slot untouched. The harness is the one
// `npm run bench:power-cut` runs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FLASH_GEOMETRIES, prepareScenario, runCuts, runRefusals } from './power-cut-scenario.ts';
import { readModel } from '../conformance-corpus.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-power-cut-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// From model-slots.h.
const INSTALL = { ok: 0, badHeader: -1, tooLarge: -2, badSignature: -3, notNewer: -4, truncated: -5, badHash: -6 };

describe.each(FLASH_GEOMETRIES)('A/B model slots under power cuts (host build over a simulated %s flash)', (geometry) => {
  it('boots a verified model, old or new, after a cut at each of the hundreds of points of an update', () => {
    const dir = join(work, `cuts-${geometry}`);
    mkdirSync(dir);
    const r = runCuts(prepareScenario(dir, readModel('hello_world_int8')), geometry);
    expect(r.bootedValid).toBe(r.cutPoints);
    expect(r.bootedNew + r.bootedOld).toBe(r.cutPoints);
    // Before each operation, inside each (torn), and after the last one.
    expect(r.cutPoints).toBe(2 * r.flashOps + 1);
    expect(r.cutPoints).toBeGreaterThan(400);
    // The new model boots only once PENDING is complete and its trial is not cut: a cut before TRIED, or none. A
    // cut inside TRIED (the trial began), or after it and before CONFIRMED is complete, counts as a failed trial,
    // as a reset would, and rolls back.
    expect(r.bootedNew).toBe(2);
    expect(r.unstableBoots).toBe(0);
    expect(r.bitSetViolations).toBe(0);
    // No cell was programmed twice, torn ones included: what the L4R5's ECC flash forbids.
    expect(r.rewriteViolations).toBe(0);
    // On the ECC flash the torn state cells were met (unreadable) and taken as their rule says; the word flash
    // has no unreadable cells.
    if (geometry === 'ecc-dword') expect(r.eccReadErrors).toBeGreaterThan(0);
    else expect(r.eccReadErrors).toBe(0);
    // And after every cut, the update sent again installs and boots.
    expect(r.retriedToNew).toBe(r.cutPoints);
  });

  it('refuses unsigned, wrong-key, truncated, tampered, re-versioned, older and replayed updates; the running model is untouched and still boots', () => {
    const dir = join(work, `refusals-${geometry}`);
    mkdirSync(dir);
    const { running, refusals } = runRefusals(prepareScenario(dir, readModel('hello_world_int8'), true), geometry);
    const byName = Object.fromEntries(refusals.map((r) => [r.name, r]));
    expect(running).toBe(1); // V2 in slot B
    // The control: a valid newer update installs (else the refusals below would prove nothing).
    expect(byName['valid v3 (control)']).toMatchObject({ result: INSTALL.ok, runningUntouched: true });
    const expected: Record<string, number> = {
      unsigned: INSTALL.badSignature,
      'wrong key': INSTALL.badSignature,
      truncated: INSTALL.truncated,
      'tampered model': INSTALL.badHash,
      'version changed after signing': INSTALL.badSignature,
      'older version (v1)': INSTALL.notNewer,
      'same version again (v2 replay)': INSTALL.notNewer,
    };
    for (const [name, result] of Object.entries(expected)) {
      expect(byName[name], name).toEqual({ name, result, runningUntouched: true, bootedSlot: running });
    }
  });
});

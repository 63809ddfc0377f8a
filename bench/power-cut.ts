// npm run bench:power-cut [-- --json]: cuts power before and inside every flash operation of a model update
// (install into the inactive slot, reboot, trial, confirm) and boots after each; every boot must find a complete,
// verified model, old or new. Run on both simulated flashes: 32-bit NOR words and the STM32L4R5's ECC
// double-words. The JSON's top-level counts are the sums over both; `geometries` has each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel } from '../tests/conformance-corpus.ts';
import { FLASH_GEOMETRIES, prepareScenario, runCuts } from '../tests/update/power-cut-scenario.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-power-cut-'));
try {
  const scenario = prepareScenario(work, readModel('hello_world_int8'));
  const runs = FLASH_GEOMETRIES.map((g) => runCuts(scenario, g));
  const sum = (k: 'cutPoints' | 'bootedValid' | 'bootedNew' | 'bootedOld') => runs.reduce((n, r) => n + r[k], 0);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({
      cutPoints: sum('cutPoints'), bootedValid: sum('bootedValid'), bootedNew: sum('bootedNew'), bootedOld: sum('bootedOld'),
      geometries: Object.fromEntries(runs.map((r) => [r.geometry, {
        cutPoints: r.cutPoints, bootedValid: r.bootedValid, bootedNew: r.bootedNew, bootedOld: r.bootedOld, flashOps: r.flashOps, pageBytes: r.pageBytes,
        unstableBoots: r.unstableBoots, bitSetViolations: r.bitSetViolations, rewriteViolations: r.rewriteViolations, eccReadErrors: r.eccReadErrors, retriedToNew: r.retriedToNew,
      }])),
    }));
  } else {
    for (const r of runs) {
      console.log(`${r.geometry === 'word' ? '32-bit NOR words' : 'ECC double-words (STM32L4R5)'}, ${r.pageBytes} B pages: ${r.cutPoints} cut points ` +
        `(before each of ${r.flashOps} flash operations of the update and inside each one, torn), ` +
        `${r.bootedValid} booted a verified model (${r.bootedNew} the new one, ${r.bootedOld} the old one); unstable boots ${r.unstableBoots}, ` +
        `writes that set a bit ${r.bitSetViolations}, second programs of a cell ${r.rewriteViolations}, unreadable cells read ${r.eccReadErrors}; the update sent again installed after ${r.retriedToNew} of them`);
    }
  }
  process.exitCode = runs.every((r) => r.bootedValid === r.cutPoints && r.unstableBoots === 0 && r.rewriteViolations === 0 && r.bitSetViolations === 0 && r.retriedToNew === r.cutPoints) ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

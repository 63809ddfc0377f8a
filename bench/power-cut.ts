// npm run bench:power-cut [-- --json]: cuts power before and inside every flash operation of a model update
// (install into the inactive slot, reboot, trial, confirm) and boots after each; every boot must find a complete,
// verified model, old or new.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel } from '../tests/conformance-corpus.ts';
import { prepareScenario, runCuts } from '../tests/update/power-cut-scenario.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-power-cut-'));
try {
  const r = runCuts(prepareScenario(work, readModel('hello_world_int8')));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ cutPoints: r.cutPoints, bootedValid: r.bootedValid, bootedNew: r.bootedNew, bootedOld: r.bootedOld }));
  } else {
    console.log(`power cuts: ${r.cutPoints} points (before each of ${r.flashOps} flash operations of the update and inside each one, torn), ` +
      `${r.bootedValid} booted a verified model (${r.bootedNew} the new one, ${r.bootedOld} the old one); unstable boots ${r.unstableBoots}, writes that set a bit ${r.bitSetViolations}`);
  }
  process.exitCode = r.bootedValid === r.cutPoints ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

// npm run soak: at least 1,000 seeded flashing sessions, each with one injected line or device fault, over
// both simulated bootloaders. Passes only if no session was reported successful with the wrong flash
// contents, every failure was a named error that came within the hang limit, and every following clean
// attempt on the same port succeeded. Then fleets: `--fleets F` rounds (default 25) of 8 boards flashed at
// once through the fleet runner, each board with its own fault, judged the same way.
// `--sessions N`, `--seed S` replay or extend a run.
import { parseArgs } from 'node:util';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { runFleet } from './fleet.ts';
import { FAULT_KINDS, HANG_LIMIT_MS, runFaultSession, type Family, type FaultSessionResult } from './sim/fault-session.ts';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '1200' }, seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '4' }, fleets: { type: 'string', default: '25' } } });
const sessions = Number(values.sessions);
const firstSeed = Number(values.seed);
const concurrency = Number(values.concurrency);
const fleets = Number(values.fleets);
if (!Number.isInteger(sessions) || sessions < 1 || !Number.isInteger(firstSeed) || !Number.isInteger(concurrency) || concurrency < 1 || !Number.isInteger(fleets) || fleets < 0) {
  console.error('soak: --sessions, --seed, --concurrency and --fleets take positive integers');
  process.exit(2);
}

const families: Family[] = ['stm32', 'esp32', 'esp32-stub'];
// About one session in ten (disconnects aside), drawn by seed, runs over a real socat pty instead of the
// in-process binding.
const plan = Array.from({ length: sessions }, (_, i) => {
  const kind = FAULT_KINDS[Math.floor(i / families.length) % FAULT_KINDS.length]!;
  const overPty = kind !== 'disconnect' && new SeededRandom(firstSeed + i + 0x5eed).next() < 0.1;
  return { family: families[i % families.length]!, kind, seed: firstSeed + i, transport: (overPty ? 'pty' : 'binding') as 'pty' | 'binding' };
});

const results: FaultSessionResult[] = [];
const t0 = Date.now();
let next = 0;
async function worker(): Promise<void> {
  while (next < plan.length) {
    const p = plan[next++]!;
    results.push(await runFaultSession(p.family, p.seed, p.kind, p.transport));
    if (results.length % 100 === 0) process.stderr.write(`  ${results.length}/${sessions} sessions, ${Math.round((Date.now() - t0) / 1000)} s\n`);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));

// Fleets: 8 boards at once, one session per port, as `flash --port P1 … --port P8` runs them. A board's
// fault must not touch another board's outcome: each is judged against its own flash.
const FLEET_SIZE = 8;
let fleetSessions = 0;
let fleetRunnerErrors = 0;
for (let f = 0; f < fleets; f++) {
  const members = Array.from({ length: FLEET_SIZE }, (_, k) => {
    const i = sessions + f * FLEET_SIZE + k;
    const kind = FAULT_KINDS[(f + k) % FAULT_KINDS.length]!;
    return { port: `fleet${f}-board${k}`, family: families[i % families.length]!, kind, seed: firstSeed + i };
  });
  const outcomes = await runFleet(members.map((m) => m.port), (port) => {
    const m = members.find((x) => x.port === port)!;
    return runFaultSession(m.family, m.seed, m.kind, 'binding');
  });
  for (const o of outcomes) {
    if (o.ok) results.push(o.result);
    else fleetRunnerErrors++;
  }
  fleetSessions += outcomes.length;
}

const bad = results.filter((r) => r.falseSuccess || r.unnamedOrHung || !r.recovered);
if (fleetRunnerErrors > 0) console.log(`  fleet sessions that threw instead of reporting: ${fleetRunnerErrors}`);
console.log(`\nflash soak: ${results.length} sessions (seeds ${firstSeed}..${firstSeed + sessions - 1}), ${Math.round((Date.now() - t0) / 1000)} s`);
console.log(`  ${'family'.padEnd(10)} ${'fault'.padEnd(10)} ${'sessions'.padStart(8)} ${'hit'.padStart(5)} ${'ok'.padStart(5)}  failures (named)                     ${'max ms'.padStart(7)}`);
for (const family of families) {
  for (const kind of FAULT_KINDS) {
    const rs = results.filter((r) => r.family === family && r.fault.kind === kind);
    if (rs.length === 0) continue;
    const codes = new Map<string, number>();
    for (const r of rs) if (r.outcome !== 'ok') codes.set(r.outcome, (codes.get(r.outcome) ?? 0) + 1);
    const failures = [...codes].map(([c, n]) => `${c} ${n}`).join(', ') || '-';
    console.log(
      `  ${family.padEnd(10)} ${kind.padEnd(10)} ${String(rs.length).padStart(8)} ${String(rs.filter((r) => r.fired > 0).length).padStart(5)} ${String(rs.filter((r) => r.outcome === 'ok').length).padStart(5)}  ${failures.padEnd(36)} ${String(Math.max(...rs.map((r) => r.ms))).padStart(7)}`,
    );
  }
}
const ok = results.filter((r) => r.outcome === 'ok').length;
console.log(`  in fleets of ${FLEET_SIZE} at once: ${fleetSessions} sessions (${fleets} fleets)`);
console.log(`  over a socat pty: ${results.filter((r) => r.transport === 'pty').length} sessions, the rest through the in-process binding`);
console.log(`  total: ${ok} succeeded, ${results.length - ok} failed with a named error`);
console.log(`  false successes (flash differs but reported ok): ${results.filter((r) => r.falseSuccess).length}`);
console.log(`  unnamed errors or hangs (> ${HANG_LIMIT_MS} ms): ${results.filter((r) => r.unnamedOrHung).length}`);
console.log(`  clean retry on the same port failed: ${results.filter((r) => !r.recovered).length}`);
for (const r of bad.slice(0, 10)) console.log(`  BAD ${r.family} (${r.transport}) seed ${r.seed} ${JSON.stringify(r.fault)}: outcome ${r.outcome}${r.unnamedOrHung ? ` (${r.unnamedOrHung})` : ''}, recovered ${r.recovered}`);
const failed = bad.length + fleetRunnerErrors;
console.log(failed === 0 ? 'soak passed' : `soak FAILED: ${failed} bad sessions`);
process.exit(failed === 0 ? 0 : 1);

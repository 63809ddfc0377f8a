// npm run soak: at least 1,000 seeded flashing sessions, each with one injected line or device fault, over
// both simulated bootloaders. Passes only if no session was reported successful with the wrong flash
// contents, every failure was a named error that came within the hang limit, and every following clean
// attempt on the same port succeeded. `--sessions N`, `--seed S` replay or extend a run.
import { parseArgs } from 'node:util';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { FAULT_KINDS, HANG_LIMIT_MS, runFaultSession, type Family, type FaultSessionResult } from './sim/fault-session.ts';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '1200' }, seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '4' } } });
const sessions = Number(values.sessions);
const firstSeed = Number(values.seed);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(sessions) || sessions < 1 || !Number.isInteger(firstSeed) || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('soak: --sessions, --seed and --concurrency take positive integers');
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

const bad = results.filter((r) => r.falseSuccess || r.unnamedOrHung || !r.recovered);
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
console.log(`  over a socat pty: ${results.filter((r) => r.transport === 'pty').length} sessions, the rest through the in-process binding`);
console.log(`  total: ${ok} succeeded, ${results.length - ok} failed with a named error`);
console.log(`  false successes (flash differs but reported ok): ${results.filter((r) => r.falseSuccess).length}`);
console.log(`  unnamed errors or hangs (> ${HANG_LIMIT_MS} ms): ${results.filter((r) => r.unnamedOrHung).length}`);
console.log(`  clean retry on the same port failed: ${results.filter((r) => !r.recovered).length}`);
for (const r of bad.slice(0, 10)) console.log(`  BAD ${r.family} (${r.transport}) seed ${r.seed} ${JSON.stringify(r.fault)}: outcome ${r.outcome}${r.unnamedOrHung ? ` (${r.unnamedOrHung})` : ''}, recovered ${r.recovered}`);
console.log(bad.length === 0 ? 'soak passed' : `soak FAILED: ${bad.length} bad sessions`);
process.exit(bad.length === 0 ? 0 : 1);

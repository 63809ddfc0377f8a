// The timing model against its references, honestly: for every corpus model and every board, predicted ms and µJ
// (simulate, --kernels tinyforge and optimized) and the ratio of the simulator's zero-wait-state cycles to the
// QEMU-class estimate (the model's own measured instruction classes, class-mix.json, × the board core's table);
// per kernel class on Cortex-M4, predicted vs QEMU-estimated cycles; and NUCLEO-L4R5ZI against the published
// MLPerf Tiny v1.0 microTVM + CMSIS-NN results. Fitted to them: the cycles nothing; NUCLEO-L4R5ZI's run current
// alone, to the KWS energy run's power (the one published figure issue 16 allows; targets/boards/nucleo-l4r5zi.json).
//   npm run bench:cycles [-- --json] [-- --html cycles.html]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTflite } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { readBlob } from '../runtime-as/host/read-blob.ts';
import { classMixFile, classMixTarget, CLASS_MIX_MODELS } from '../simulator/cost/class-mix.ts';
import { coreModel } from '../simulator/cost/cost-data.ts';
import { cyclesOfClasses } from '../simulator/cost/instruction-cycles.ts';
import { simulate } from '../simulator/simulate.ts';
import { loadAllBoards } from '../targets/boards/load-board.ts';
import type { InstructionClasses } from '../targets/qemu/instruction-counts.ts';
import { corpusDir } from '../tests/conformance-corpus.ts';
import { PUBLISHED_L4R5 } from './published-mlperf-tiny.ts';

const json = process.argv.includes('--json');
const htmlAt = process.argv.indexOf('--html');
const htmlFile = htmlAt >= 0 ? process.argv[htmlAt + 1] : undefined;
if (htmlAt >= 0 && !htmlFile) {
  console.error('bench:cycles: --html needs a file name');
  process.exit(1);
}
const n = (v: number, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const models = CLASS_MIX_MODELS.map((name) => {
  const compiled = compileTflite(new Uint8Array(readFileSync(join(corpusDir(), 'models', `${name}.tflite`))), name);
  return { name, compiled, blob: readBlob(writeBlob(compiled)) };
});
const mix = classMixFile();

/** The QEMU-class estimate: this model's measured class counts × the core's table, zero wait states. */
function qemuCycles(name: string, core: Parameters<typeof coreModel>[0], kernelClass?: string): number | undefined {
  const target = classMixTarget(core);
  const table = coreModel(core).instructionCycles;
  const sums = target && mix.targets[target]?.models[name];
  if (!table || !sums) return undefined;
  return Object.entries(sums).filter(([c]) => !kernelClass || c === kernelClass)
    .reduce((a, [, s]) => a + cyclesOfClasses(s as unknown as InstructionClasses, table), 0);
}

const rows: object[] = [];
const lines: string[] = [];
lines.push('every corpus model on every board, tinyforge and optimized kernels; sim/QEMU = the simulator\'s tinyforge cycles at zero wait states / the QEMU-class estimate');
lines.push(`${'model'.padEnd(24)} ${'board'.padEnd(18)} ${'ms'.padStart(10)} ${'µJ'.padStart(10)} ${'ms (optimized)'.padStart(15)} ${'µJ (optimized)'.padStart(15)} ${'sim/QEMU'.padStart(9)}`);
for (const m of models) {
  for (const board of loadAllBoards()) {
    const sim = (profile: 'tinyforge' | 'optimized') => simulate(m.blob, m.compiled, { board, profile, execute: false });
    const t = sim('tinyforge');
    const o = sim('optimized');
    const q = qemuCycles(m.name, board.core);
    const zeroWs = t.layers.reduce((a, l) => a + l.cycles - l.stallCycles, 0);
    const ratio = q ? zeroWs / q : undefined;
    rows.push({ model: m.name, board: board.id, fits: t.fits, ms: t.totals.latencyMs, uJ: t.totals.energyUj, msOptimized: o.totals.latencyMs, uJOptimized: o.totals.energyUj, qemuCycles: q ?? null, simZeroWaitCycles: zeroWs, ratio: ratio ?? null });
    const uj = (x: number | null) => (x === null ? '—' : n(x));
    lines.push(`${m.name.padEnd(24)} ${board.id.padEnd(18)} ${n(t.totals.latencyMs, 2).padStart(10)} ${uj(t.totals.energyUj).padStart(10)} ${n(o.totals.latencyMs, 2).padStart(15)} ${uj(o.totals.energyUj).padStart(15)} ${(ratio ? ratio.toFixed(3) : 'no table').padStart(9)}${t.fits ? '' : '  (does not fit)'}`);
  }
}

lines.push('', 'per kernel class on Cortex-M4 (qemu-mps2-an386, zero wait states): simulator (pooled class mix × its instruction model) vs QEMU-class estimate (this model\'s own counts × the cortex-m4 table)');
lines.push(`${'model'.padEnd(24)} ${'kernel class'.padEnd(16)} ${'instructions'.padStart(12)} ${'predicted'.padStart(12)} ${'QEMU-class'.padStart(12)} ${'ratio'.padStart(7)}`);
const an386 = loadAllBoards().find((b) => b.id === 'qemu-mps2-an386')!;
const perClass: object[] = [];
for (const m of models) {
  const r = simulate(m.blob, m.compiled, { board: an386, profile: 'tinyforge', execute: false });
  const sums = mix.targets['qemu-mps2-an386']!.models[m.name]!;
  for (const cls of Object.keys(sums)) {
    const predicted = r.layers.filter((l) => l.kernelClass === cls).reduce((a, l) => a + l.cycles, 0);
    const q = qemuCycles(m.name, 'cortex-m4', cls)!;
    perClass.push({ model: m.name, kernelClass: cls, instructions: sums[cls]!.instructions, predicted, qemu: q });
    lines.push(`${m.name.padEnd(24)} ${cls.padEnd(16)} ${n(sums[cls]!.instructions).padStart(12)} ${n(predicted).padStart(12)} ${n(q).padStart(12)} ${(predicted / q).toFixed(3).padStart(7)}`);
  }
}

lines.push('', 'NUCLEO-L4R5ZI, --kernels optimized, against MLPerf Tiny v1.0 (closed, OctoML, microTVM + CMSIS-NN); cycles fitted: nothing');
lines.push(`${'benchmark'.padEnd(28)} ${'model'.padEnd(24)} ${'predicted ms'.padStart(13)} ${'published ms'.padStart(13)} ${'error'.padStart(8)} ${'predicted µJ'.padStart(13)} ${'published µJ'.padStart(13)} ${'error'.padStart(8)}`);
const l4 = loadAllBoards().find((b) => b.id === 'nucleo-l4r5zi')!;
const published: object[] = [];
for (const p of PUBLISHED_L4R5) {
  const m = models.find((x) => x.name === p.model)!;
  const r = simulate(m.blob, m.compiled, { board: l4, profile: 'optimized', execute: false });
  const e = r.totals.energyUj!;
  published.push({ ...p, predictedMs: r.totals.latencyMs, predictedUj: e, msError: r.totals.latencyMs / p.ms - 1, ujError: p.uJ ? e / p.uJ - 1 : null });
  lines.push(`${p.benchmark.padEnd(28)} ${p.model.padEnd(24)} ${n(r.totals.latencyMs, 1).padStart(13)} ${n(p.ms, 1).padStart(13)} ${pct(r.totals.latencyMs / p.ms - 1).padStart(8)} ${n(e).padStart(13)} ${(p.uJ ? n(p.uJ) : '—').padStart(13)} ${(p.uJ ? pct(e / p.uJ - 1) : '').padStart(8)}`);
}
lines.push('(µJ: the board\'s run current is fitted to the v1.0 KWS energy run\'s power, so the KWS energy error is (nearly) its latency error; VWW, IC and AD energies are independent checks)');
if (json) console.log(JSON.stringify({ boards: rows, perKernelClass: perClass, published }, null, 1));
else console.log(lines.join('\n'));
if (htmlFile) {
  // One self-contained page: the same three tables, no scripts, no external references.
  const esc = (x: unknown) => String(x ?? '—').replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const table = (title: string, data: object[]) => {
    const keys = Object.keys(data[0] ?? {});
    const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? n(v) : v.toFixed(3)) : esc(v));
    return `<h2>${esc(title)}</h2><table><tr>${keys.map((k) => `<th>${esc(k)}</th>`).join('')}</tr>${data.map((r) => `<tr>${Object.values(r).map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`).join('')}</table>`;
  };
  writeFileSync(htmlFile, `<!doctype html><meta charset="utf-8"><title>tinyforge cycles vs references</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#eee}</style>
<h1>Cycles, not instructions: the timing model against its references</h1><p>Fitted to the published figures: the cycles nothing; the run current, to the KWS energy run's power.</p>
${table('NUCLEO-L4R5ZI, --kernels optimized, vs MLPerf Tiny v1.0 (microTVM + CMSIS-NN)', published)}
${table('Per kernel class on Cortex-M4, zero wait states: predicted vs QEMU-class cycles', perClass)}
${table('Every corpus model on every board', rows)}`);
  console.log(`wrote ${htmlFile}`);
}

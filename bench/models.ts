// Microseconds per inference for each corpus model: tinyforge's WASM runtime against the XNNPACK-backed TFLite
// interpreter of @tensorflow/tfjs-tflite (both WebAssembly SIMD, one thread), in this one process, alternating
// invoke by invoke so that the machine's load falls on both alike. Each side is timed the way its user calls it:
// - tinyforge in place: write the input view, `invokeInPlace()` (what `tinyforge run --repeat` times);
// - tinyforge invoke(): `runtime.invoke(input)`, outputs returned as fresh copies (the library's plain call);
// - XNNPACK in place: write its input tensor, `Infer()`; XNNPACK with copy: the same plus a copy of the output.
// The ratio is XNNPACK's median over tinyforge's (> 1: tinyforge is faster), like against like.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTflite } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { Runtime } from '../index.ts';
import { instantiateKernels } from '../runtime-as/host/kernel-module.ts';
import { corpusModelNames, goldenCases, readMeta, readModel } from '../tests/conformance-corpus.ts';
import { loadXnnpackModel } from '../tests/reference/xnnpack-interpreter.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Spread {
  medianUs: number;
  p25Us: number;
  p75Us: number;
}

export interface ModelComparison {
  invokes: number;
  /** tinyforge SIMD, input view written + invokeInPlace(). */
  inPlace: Spread;
  /** tinyforge SIMD, invoke(input) returning output copies. */
  invoke: Spread;
  /** tinyforge scalar build, in place (for the SIMD gain). */
  scalarInPlace: Spread;
  xnnpackInPlace: Spread;
  xnnpackWithCopy: Spread;
  /** xnnpackInPlace / inPlace medians; and the spread of the per-round ratios. */
  ratio: number;
  ratioSpread: [number, number];
  /** xnnpackWithCopy / invoke medians. */
  ratioWithCopies: number;
  /** `tinyforge run --repeat` in its own process (not alternated: a check that the CLI times the same thing). */
  cliMedianUs: number | null;
}

function quantile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))];
}

function spread(samples: Float64Array): Spread {
  const s = Float64Array.from(samples).sort();
  return { medianUs: quantile(s, 0.5), p25Us: quantile(s, 0.25), p75Us: quantile(s, 0.75) };
}

/**
 * Runs every side once per round, the order rotated each round, for `rounds` rounds after a warm-up;
 * returns each side's per-invoke times in µs.
 */
export function alternate(sides: Record<string, () => void>, rounds: number, warmup = 30): Record<string, Float64Array> {
  const names = Object.keys(sides);
  const fns = names.map((n) => sides[n]);
  const times = names.map(() => new Float64Array(rounds));
  for (let w = 0; w < warmup; w++) for (const f of fns) f();
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < fns.length; j++) {
      const k = (r + j) % fns.length;
      const t0 = performance.now();
      fns[k]();
      times[k][r] = (performance.now() - t0) * 1000;
    }
  }
  return Object.fromEntries(names.map((n, i) => [n, times[i]]));
}

/** Enough rounds for ~`budgetMs` of work, never fewer than 200 (timed after a warm-up: V8 tiers kernels up). */
function roundsFor(sides: (() => void)[], budgetMs: number): number {
  const warm = performance.now();
  while (performance.now() - warm < 200) for (const f of sides) f();
  const t0 = performance.now();
  for (let r = 0; r < 5; r++) for (const f of sides) f();
  const perRound = Math.max((performance.now() - t0) / 5, 1e-3);
  return Math.max(200, Math.min(20_000, Math.ceil(budgetMs / perRound)));
}

function cliMedianUs(model: string, input: Uint8Array, repeat: number): number | null {
  const dir = mkdtempSync(join(tmpdir(), 'tinyforge-bench-'));
  try {
    writeFileSync(join(dir, 'input.bin'), input);
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'tinyforge.js'), 'run', model, '--input', join(dir, 'input.bin'),
      '--output', join(dir, 'output.bin'), '--repeat', String(repeat)], { encoding: 'utf8' });
    const m = /median_us=([\d.]+)/.exec(r.stderr ?? '');
    return r.status === 0 && m ? Number(m[1]) : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchModels(options: { budgetMs?: number; cli?: boolean; models?: string[] } = {}): Promise<Record<string, ModelComparison>> {
  const budgetMs = options.budgetMs ?? 1500;
  const results: Record<string, ModelComparison> = {};
  for (const name of corpusModelNames()) {
    if (options.models && !options.models.includes(name)) continue;
    if (readMeta(name).cases.length === 0) continue;
    const meta = readMeta(name);
    const bytes = readModel(name);
    const input = goldenCases(name)[0].input;
    const blob = writeBlob(compileTflite(bytes, name));
    const simd = Runtime.create(blob, { variant: 'simd' });
    const scalar = Runtime.create(blob, { variant: 'scalar' });
    const x = await loadXnnpackModel(bytes);
    const [simdIn, scalarIn, xIn, xOut] = [simd.inputView(0), scalar.inputView(0), x.inputView(0), x.outputView(0)];
    const sides = {
      inPlace: () => { simdIn.set(input); simd.invokeInPlace(); },
      invoke: () => { simd.invoke(input); },
      scalarInPlace: () => { scalarIn.set(input); scalar.invokeInPlace(); },
      xnnpackInPlace: () => { xIn.set(input); x.infer(); },
      xnnpackWithCopy: () => { xIn.set(input); x.infer(); xOut.slice(); },
    };
    const rounds = roundsFor(Object.values(sides), budgetMs);
    const t = alternate(sides, rounds);
    x.close();
    const perRound = Float64Array.from(t.xnnpackInPlace, (v, i) => v / t.inPlace[i]).sort();
    const s = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, spread(v)])) as Record<keyof typeof sides, Spread>;
    results[name] = {
      invokes: rounds,
      ...s,
      ratio: s.xnnpackInPlace.medianUs / s.inPlace.medianUs,
      ratioSpread: [quantile(perRound, 0.25), quantile(perRound, 0.75)],
      ratioWithCopies: s.xnnpackWithCopy.medianUs / s.invoke.medianUs,
      cliMedianUs: options.cli === false ? null : cliMedianUs(join(repoRoot, 'tests', 'corpus', meta.model), input, 200),
    };
  }
  return results;
}

export interface OverheadBreakdown {
  steps: number;
  invokes: number;
  /** Median µs of each piece, timed alone, alternating in one run. */
  parts: Record<string, number>;
}

/**
 * hello_world's invoke taken apart: where there is almost no arithmetic, what the pieces around it cost.
 * A call of the module's trivial `heap_base` export, once per step, stands for the JS↔WASM crossings.
 */
export async function benchOverhead(name = 'hello_world_int8', rounds = 20_000): Promise<OverheadBreakdown> {
  const bytes = readModel(name);
  const input = goldenCases(name)[0].input;
  const rt = Runtime.create(writeBlob(compileTflite(bytes, name)), { variant: 'simd' });
  const x = await loadXnnpackModel(bytes);
  const steps = rt.ops.length;
  const probe = instantiateKernels('simd', 1).exports.heap_base;
  const [inV, outV, xIn, xOut] = [rt.inputView(0), rt.outputView(0), x.inputView(0), x.outputView(0)];
  const t = alternate({
    'timer alone': () => {},
    [`${steps} empty WASM calls`]: () => { for (let i = 0; i < steps; i++) probe(); },
    'input write (view.set)': () => { inV.set(input); },
    'kernel steps (invokeInPlace)': () => { rt.invokeInPlace(); },
    'output copy (view.slice)': () => { outV.slice(); },
    'in place: write + invokeInPlace': () => { inV.set(input); rt.invokeInPlace(); },
    'invoke(input) with copies': () => { rt.invoke(input); },
    'XNNPACK input write': () => { xIn.set(input); },
    'XNNPACK Infer()': () => { x.infer(); },
    'XNNPACK write + Infer() + copy': () => { xIn.set(input); x.infer(); xOut.slice(); },
  }, rounds);
  x.close();
  return { steps, invokes: rounds, parts: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, spread(v).medianUs])) };
}

const us = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));

export function formatModelBench(models: Record<string, ModelComparison>): string {
  const head = `  ${'model'.padEnd(24)} ${'invokes'.padStart(7)} ${'tinyforge µs'.padStart(20)} ${'XNNPACK µs'.padStart(20)} ${'ratio'.padStart(18)}   ${'invoke() µs'.padStart(11)} ${'XNN+copy µs'.padStart(11)} ${'ratio'.padStart(6)}   ${'scalar µs'.padStart(9)} ${'CLI µs'.padStart(7)}`;
  const sp = (s: Spread) => `${us(s.medianUs)} [${us(s.p25Us)}–${us(s.p75Us)}]`;
  return [
    head,
    ...Object.entries(models).map(([name, m]) =>
      `  ${name.padEnd(24)} ${String(m.invokes).padStart(7)} ${sp(m.inPlace).padStart(20)} ${sp(m.xnnpackInPlace).padStart(20)} ${`${m.ratio.toFixed(2)}× [${m.ratioSpread[0].toFixed(2)}–${m.ratioSpread[1].toFixed(2)}]`.padStart(18)}   ${us(m.invoke.medianUs).padStart(11)} ${us(m.xnnpackWithCopy.medianUs).padStart(11)} ${`${m.ratioWithCopies.toFixed(2)}×`.padStart(6)}   ${us(m.scalarInPlace.medianUs).padStart(9)} ${(m.cliMedianUs === null ? '—' : us(m.cliMedianUs)).padStart(7)}`),
  ].join('\n');
}

export function formatOverhead(o: OverheadBreakdown): string {
  return Object.entries(o.parts).map(([k, v]) => `  ${k.padEnd(34)} ${v.toFixed(3).padStart(7)} µs`).join('\n');
}

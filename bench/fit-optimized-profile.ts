// Fits the `optimized` profile's instruction model (kernel-profiles.json profiles.optimized.classes) on CMSIS-NN's
// own instruction counts per corpus layer (simulator/cost/cmsis-nn-measured.json, measured under QEMU beside the
// project), by relative least squares: each layer's error as a fraction of its measured count, plus each model's
// class total (weight MODEL_WEIGHT), so that no model's total drifts while single layers vary. Prints the fitted
// coefficients, every layer's error and each model's total error; --write puts them into kernel-profiles.json.
// Classes that cmsis-nn-measured.json does not cover are left as they are.
//   npx tsx bench/fit-optimized-profile.ts [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cmsisNnLayers, type CmsisNnLayer } from '../simulator/cost/cmsis-nn-measured.ts';
import { OPTIMIZED_FIT_TERMS, predictInstructions, type FitTerm } from '../simulator/calibrate/optimized-fit-terms.ts';

const MODEL_WEIGHT = 3;
const profilesPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'simulator', 'cost', 'kernel-profiles.json');

/** Solves the normal equations of min Σ w_i² (a_i·x − b_i)² (Gaussian elimination with partial pivoting). */
function weightedLeastSquares(rows: { a: number[]; b: number; w: number }[]): number[] {
  const n = rows[0]!.a.length;
  const m = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (const { a, b, w } of rows) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) m[i]![j]! += w * w * a[i]! * a[j]!;
      m[i]![n]! += w * w * a[i]! * b;
    }
  }
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

const feature = (l: CmsisNnLayer, t: FitTerm) => ({ perCall: l.calls, perMac: l.macs, perOutput: l.outputs, perPixel: l.pixels, perTap: l.taps, perByteRead: l.bytesRead })[t];
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;

const layers = cmsisNnLayers();
const fitted: Record<string, Record<string, number>> = {};
for (const [cls, terms] of Object.entries(OPTIMIZED_FIT_TERMS) as [string, FitTerm[]][]) {
  const own = layers.filter((l) => l.kernelClass === cls);
  if (!own.length) continue;
  const rows = own.map((l) => ({ a: terms.map((t) => feature(l, t)), b: l.instructions, w: 1 / l.instructions }));
  for (const model of new Set(own.map((l) => l.model))) {
    const of = own.filter((l) => l.model === model);
    const b = of.reduce((s, l) => s + l.instructions, 0);
    rows.push({ a: terms.map((t) => of.reduce((s, l) => s + feature(l, t), 0)), b, w: MODEL_WEIGHT / b });
  }
  const x = weightedLeastSquares(rows);
  // Three significant decimals are plenty for instruction counts; the test checks the rounded values.
  fitted[cls] = Object.fromEntries(terms.map((t, i) => [t, Math.round(x[i]! * 1000) / 1000]));
  console.log(`${cls}: ${JSON.stringify(fitted[cls])}`);
  for (const l of own) {
    const p = predictInstructions(fitted[cls]!, l);
    console.log(`  ${l.model.padEnd(24)} step ${String(l.step).padStart(3)} ${l.cmsisNn.padEnd(26)} measured ${String(l.instructions).padStart(9)} (${l.macs ? `${(l.instructions / l.macs).toFixed(3)}/MAC` : `${(l.instructions / l.outputs).toFixed(2)}/output`}) fit ${pct(p / l.instructions - 1)}`);
  }
  for (const model of new Set(own.map((l) => l.model))) {
    const of = own.filter((l) => l.model === model);
    const m = of.reduce((s, l) => s + l.instructions, 0), p = of.reduce((s, l) => s + predictInstructions(fitted[cls]!, l), 0);
    console.log(`  total ${model.padEnd(24)} ${pct(p / m - 1)}`);
  }
}
if (process.argv.includes('--write')) {
  const json = JSON.parse(readFileSync(profilesPath, 'utf8'));
  for (const [cls, k] of Object.entries(fitted)) json.profiles.optimized.classes[cls] = k;
  writeFileSync(profilesPath, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${Object.keys(fitted).join(', ')} into ${profilesPath}`);
}

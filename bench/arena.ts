// Arena per corpus model: tinyforge's plan against TensorFlow Lite Micro's arena_used_bytes (recorded
// when the goldens were made), the plan without row-streaming overlaps (the baseline, planned in the
// same run), and the busiest step's live bytes (a floor no placement of those buffers goes below).
// npm run bench:arena [-- --json]
import { pathToFileURL } from 'node:url';
import { compileTflite } from '../compiler/compile-model.ts';
import { planArena } from '../compiler/plan/arena-plan.ts';
import { corpusModelNames, readMeta, readModel } from '../tests/conformance-corpus.ts';

export interface ArenaRow {
  model: string;
  arenaBytes: number;
  tflmArenaUsedBytes: number;
  ratio: number;
  withoutOverlapBytes: number;
  floorBytes: number;
}

export function benchArena(): ArenaRow[] {
  const rows: ArenaRow[] = [];
  for (const model of corpusModelNames()) {
    const tflm = readMeta(model).tflmArenaUsedBytes;
    if (!tflm) continue;
    let compiled;
    try {
      compiled = compileTflite(readModel(model), model);
    } catch {
      continue; // float models: their arena is measured after quantization, elsewhere
    }
    // The same kernel calls in the same order, with no call allowed to overlap its input.
    const without = planArena(compiled.graph, compiled.prepared.map(({ rowStream: _, ...p }) => p));
    rows.push({
      model,
      arenaBytes: compiled.plan.arenaBytes,
      tflmArenaUsedBytes: tflm,
      ratio: compiled.plan.arenaBytes / tflm,
      withoutOverlapBytes: without.arenaBytes,
      floorBytes: Math.max(...compiled.plan.liveBytes),
    });
  }
  return rows;
}

export function formatArenaBench(rows: ArenaRow[]): string {
  const head = `  ${'model'.padEnd(24)} ${'tinyforge'.padStart(9)} ${'TFLM'.padStart(8)} ${'ratio'.padStart(6)}  ${'no overlap'.padStart(10)} ${'floor'.padStart(8)}`;
  return [head, ...rows.map((r) =>
    `  ${r.model.padEnd(24)} ${String(r.arenaBytes).padStart(9)} ${String(r.tflmArenaUsedBytes).padStart(8)} ${r.ratio.toFixed(3).padStart(6)}  ${String(r.withoutOverlapBytes).padStart(10)} ${String(r.floorBytes).padStart(8)}`)].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = benchArena();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log('arena bytes per model (ratio = tinyforge / TFLite Micro arena_used_bytes)');
    console.log(formatArenaBench(rows));
  }
}

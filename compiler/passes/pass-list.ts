// The graph passes in the order they run, and `--passes` handling: a comma list of names to run,
// or of names prefixed with '-' to disable (`--passes -fold-batch-norm`), or 'none'.
import type { Graph } from '../../formats/ir/graph.ts';
import type { GraphPass, PassResult } from './graph-pass.ts';
import { dropIdentity } from './drop-identity.ts';
import { foldConstants } from './fold-constants.ts';
import { foldBatchNorm } from './fold-batch-norm.ts';
import { fuseActivation } from './fuse-activation.ts';
import { lowerBatchNorm } from './lower-batch-norm.ts';

export const PASSES: readonly GraphPass[] = [dropIdentity, foldConstants, foldBatchNorm, lowerBatchNorm, fuseActivation];

export class PassSelectionError extends Error {
  override name = 'PassSelectionError';
}

/** Resolves a `--passes` value to the passes to run, in pipeline order. */
export function selectPasses(spec: string | undefined): GraphPass[] {
  if (spec === undefined || spec.trim() === '' || spec.trim() === 'all') return [...PASSES];
  if (spec.trim() === 'none') return [];
  const names = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const known = new Set(PASSES.map((p) => p.name));
  const unknown = names.map((n) => n.replace(/^-/, '')).filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new PassSelectionError(`unknown pass${unknown.length > 1 ? 'es' : ''} ${unknown.join(', ')}; passes are ${PASSES.map((p) => p.name).join(', ')} (or 'all', 'none')`);
  }
  const negative = names.filter((n) => n.startsWith('-'));
  if (negative.length > 0 && negative.length !== names.length) {
    throw new PassSelectionError(`--passes mixes names to run and names to disable (${spec}); use either 'a,b' or '-a,-b'`);
  }
  if (negative.length > 0) {
    const off = new Set(negative.map((n) => n.slice(1)));
    return PASSES.filter((p) => !off.has(p.name));
  }
  const on = new Set(names);
  return PASSES.filter((p) => on.has(p.name));
}

export function runPasses(graph: Graph, passes: readonly GraphPass[]): { graph: Graph; results: PassResult[] } {
  const results: PassResult[] = [];
  let g = graph;
  for (const pass of passes) {
    const before = g.ops.length;
    g = pass.run(g);
    results.push({ name: pass.name, opsBefore: before, opsAfter: g.ops.length });
  }
  return { graph: g, results };
}

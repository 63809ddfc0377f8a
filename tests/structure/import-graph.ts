// The repository's import graph, read from the sources: every relative import of every TypeScript and JavaScript
// file (AssemblyScript kernels excepted: they import only each other), as edges between repo-relative paths.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIP = new Set(['node_modules', 'dist', 'build', 'assembly', 'corpus', '.git']);
// Static imports and re-exports start a line; dynamic imports may stand anywhere.
const IMPORT = /^\s*(?:import|export)\s[^'"`;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return SKIP.has(e.name) || e.name.startsWith('.') ? [] : sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

export interface ImportEdge {
  from: string;
  to: string;
}

export function importEdges(): ImportEdge[] {
  return sourceFiles('').flatMap((from) =>
    [...readFileSync(join(repoRoot, from), 'utf8').matchAll(IMPORT)].map((m) => ({
      from,
      to: relative(repoRoot, normalize(join(repoRoot, dirname(from), m[1] ?? m[2]!))),
    })),
  );
}

/** The folder `depth` levels deep that holds a file, or undefined for a file that lies higher up. A folder's own
 *  files and its subfolders are one unit at its parent's level: cycles are looked for between folders of one depth. */
export function folderAt(path: string, depth: number): string | undefined {
  const parts = path.split('/').slice(0, -1);
  return parts.length >= depth ? parts.slice(0, depth).join('/') : undefined;
}

/** Strongly connected groups of more than one node: each is a cycle of imports. */
export function cycles(edges: readonly [string, string][]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    if (!next.has(b)) next.set(b, new Set());
    next.get(a)!.add(b);
  }
  // Tarjan's algorithm.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

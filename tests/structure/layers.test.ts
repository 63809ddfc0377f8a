// The layering rules of ARCHITECTURE.md, checked on the real import graph: a new import that breaks one fails here,
// naming the file and what it imports.
import { describe, expect, it } from 'vitest';
import { cycles, folderAt, importEdges } from './import-graph.ts';

const edges = importEdges();
const top = (p: string) => p.split('/')[0]!;
const PRODUCT = ['formats', 'lib', 'compiler', 'runtime-as', 'frontend', 'simulator', 'targets', 'api', 'cli', 'index.ts'];

function importsFrom(folder: string, allowed: (to: string) => boolean): string[] {
  return edges.filter((e) => top(e.from) === folder && top(e.to) !== folder && !allowed(e.to)).map((e) => `${e.from} → ${e.to}`);
}

describe('import graph', () => {
  it('has no cycle between files', () => {
    expect(cycles(edges.map((e) => [e.from, e.to]))).toEqual([]);
  });

  for (const depth of [1, 2, 3, 4]) {
    it(`has no cycle between folders ${depth} level${depth > 1 ? 's' : ''} deep`, () => {
      const folderEdges = edges.flatMap((e) => {
        const [a, b] = [folderAt(e.from, depth), folderAt(e.to, depth)];
        return a !== undefined && b !== undefined ? [[a, b] as [string, string]] : [];
      });
      expect(cycles(folderEdges)).toEqual([]);
    });
  }

  it('finds a cycle when there is one (the check itself)', () => {
    expect(folderAt('targets/flash/esp32/slip.ts', 2)).toBe('targets/flash');
    expect(folderAt('targets/flash/board-flash.ts', 3)).toBeUndefined();
    expect(cycles([['a/x', 'b/y'], ['b/y', 'c/z'], ['c/z', 'a/x'], ['c/z', 'd/w']])).toEqual([['a/x', 'b/y', 'c/z']]);
    expect(cycles([['a', 'b'], ['b', 'c']])).toEqual([]);
  });

  it('formats/ depends on nothing', () => {
    expect(importsFrom('formats', () => false)).toEqual([]);
  });

  it('runtime-as/ depends only on formats/ and lib/, never on the compiler', () => {
    expect(importsFrom('runtime-as', (to) => ['formats', 'lib'].includes(top(to)))).toEqual([]);
  });

  it('frontend/ depends only on lib/', () => {
    expect(importsFrom('frontend', (to) => top(to) === 'lib')).toEqual([]);
  });

  it('the compiler depends on formats/ and lib/, and on the runtime only through its public API (runtime-as/index.ts)', () => {
    expect(importsFrom('compiler', (to) => ['formats', 'lib'].includes(top(to)) || to === 'runtime-as/index.ts')).toEqual([]);
  });

  it('lib/ depends on nothing of the project', () => {
    expect(importsFrom('lib', () => false)).toEqual([]);
  });

  it('product code imports nothing from examples/, tests/ or bench/', () => {
    const outside = edges
      .filter((e) => PRODUCT.includes(top(e.from)) && ['examples', 'tests', 'bench'].includes(top(e.to)))
      .map((e) => `${e.from} → ${e.to}`);
    expect(outside).toEqual([]);
  });
});

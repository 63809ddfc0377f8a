// An op lives in one place per runtime: its prepare file (compiler/prepare/<op>.ts, registered in registry.ts),
// one AssemblyScript kernel export and one C kernel file per kernel layout that prepare declares, and one cost entry.
// Adding an op and forgetting one of them fails here, by name.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverKernelLayouts } from '../../compiler/emit/c/kernel-params-header.ts';
import { PREPARE } from '../../compiler/prepare/registry.ts';
import { instantiateKernels } from '../../runtime-as/host/kernel-module.ts';
import { KERNEL_CLASS_BY_OP } from '../../simulator/cost/kernel-class.ts';
import { C_KERNELS_DIR } from '../../targets/firmware/model-firmware.ts';
import { repoRoot } from './import-graph.ts';

describe('op registry', async () => {
  const layouts = (await discoverKernelLayouts()).map((l) => l.name);

  it('every kernel layout has a WASM kernel in both builds and a C kernel', () => {
    for (const variant of ['scalar', 'simd'] as const) {
      const { exports } = instantiateKernels(variant, 1);
      expect(layouts.filter((name) => typeof exports[name] !== 'function')).toEqual([]);
    }
    expect(layouts.filter((name) => !existsSync(join(C_KERNELS_DIR, `${name}.c`)))).toEqual([]);
  });

  it('no kernel file without a layout: each AssemblyScript and C kernel file is named after one', () => {
    const asFiles = readdirSync(join(repoRoot, 'runtime-as', 'assembly', 'kernels')).map((f) => f.replace(/\.ts$/, ''));
    const cFiles = readdirSync(C_KERNELS_DIR).filter((f) => f.endsWith('.c') && !f.startsWith('tf_')).map((f) => f.replace(/\.c$/, ''));
    expect(asFiles.filter((n) => !layouts.includes(n))).toEqual([]);
    expect(cFiles.filter((n) => !layouts.includes(n))).toEqual([]);
  });

  it('every op with a prepare function has a cost entry, and no cost entry lacks a prepare function', () => {
    const prepared = Object.keys(PREPARE).sort();
    expect(Object.keys(KERNEL_CLASS_BY_OP).sort()).toEqual(prepared);
  });
});

// The checked-in C parameter structs are exactly what the KernelLayouts in compiler/prepare/ generate, and
// every layout has its C kernel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverKernelLayouts, kernelParamsHeader } from '../../compiler/emit/c/kernel-params-header.ts';
import { kernelTableC } from '../../compiler/emit/c/kernel-table-c.ts';
import { INTERPRETER_DIR } from '../../targets/firmware/interpreter/interpreter-sources.ts';
import { C_KERNELS_DIR } from '../../targets/firmware/model-firmware.ts';

describe('C kernel parameter structs', () => {
  it('match the prepare layouts (regenerate with `npx tsx targets/c/generate-kernel-params.ts`)', async () => {
    const layouts = await discoverKernelLayouts();
    expect(layouts.map((l) => l.name)).toContain('conv2d_s8');
    expect(readFileSync(join(C_KERNELS_DIR, 'tf_kernel_params.h'), 'utf8')).toBe(kernelParamsHeader(layouts));
  });

  it('the blob interpreter\'s kernel table maps every layout once (regenerate the same way)', async () => {
    const layouts = await discoverKernelLayouts();
    const table = readFileSync(join(INTERPRETER_DIR, 'tf_kernel_table.c'), 'utf8');
    expect(table).toBe(kernelTableC(layouts));
    for (const l of layouts) expect(table.split(`{"${l.name}", `).length - 1, l.name).toBe(1);
  });

  it('declare pointers first, then int32 scalars, in layout order', () => {
    const header = kernelParamsHeader([{ name: 'demo_s8', pointers: ['input', 'output'], scalars: ['size', 'zero_point'] }]);
    expect(header).toContain('typedef struct {\n  const void *input;\n  void *output;\n  int32_t size;\n  int32_t zero_point;\n} demo_s8_params;\nvoid demo_s8(const demo_s8_params *p);');
  });
});

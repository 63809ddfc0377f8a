// Regenerates targets/c/kernels/tf_kernel_params.h and the interpreter's kernel table
// (targets/firmware/interpreter/tf_kernel_table.c) from the layouts in compiler/prepare/.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverKernelLayouts, kernelParamsHeader } from '../../compiler/emit/c/kernel-params-header.ts';
import { kernelTableC } from '../../compiler/emit/c/kernel-table-c.ts';

const here = dirname(fileURLToPath(import.meta.url));
const layouts = await discoverKernelLayouts();
const outputs: [string, string][] = [
  [join(here, 'kernels', 'tf_kernel_params.h'), kernelParamsHeader(layouts)],
  [join(here, '..', 'firmware', 'interpreter', 'tf_kernel_table.c'), kernelTableC(layouts)],
];
for (const [target, text] of outputs) {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}

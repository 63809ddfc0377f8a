// Regenerates targets/c/kernels/tf_kernel_params.h from the layouts in compiler/prepare/.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverKernelLayouts, kernelParamsHeader } from '../../compiler/emit/c/kernel-params-header.ts';

const target = join(dirname(fileURLToPath(import.meta.url)), 'kernels', 'tf_kernel_params.h');
writeFileSync(target, kernelParamsHeader(await discoverKernelLayouts()));
console.log(`wrote ${target}`);

// Stack one inference needs, per architecture and deepest kernel: measured on QEMU (-O2) with the painted
// stack the firmware reports in its INVOKE answer, over the six int8 corpus models. The firmware reserves
// at least this much (plus a margin) so that the stack never grows into the arena unnoticed.
import type { Arch } from '../toolchain/find-toolchain.ts';

const MEASURED_BYTES: Record<Arch, { base: number; kernels: Record<string, number> }> = {
  // Cortex-M4 DSP paths: the 3×3 depthwise buffers three padded rows and widened weights on the stack,
  // the matmul helper widens two input rows (fully connected, 1×1 and im2col convolution).
  arm: { base: 576, kernels: { depthwise_conv2d_s8: 976, conv2d_s8: 664 } },
  riscv: { base: 280, kernels: { depthwise_conv2d_s8: 348, conv2d_s8: 348, add_s8: 348 } },
};

/** Bytes of stack measured for a model calling these kernels. */
export function measuredStackBytes(arch: Arch, kernels: readonly string[]): number {
  const m = MEASURED_BYTES[arch];
  return Math.max(m.base, ...kernels.map((k) => m.kernels[k] ?? m.base));
}

/** Stack of a Cortex-M DSP inference whose deepest packed matmul (tf_matmul_packed_s8) widens rows of `depth`
 * values: two widened rows on the stack (4·depth bytes) over the rest of the call chain. Measured 4·depth + 304
 * (hello_world_int8 depth 16: 360 B, ad01_int8 depth 128: 816 B, vww_96_int8 depth 256: 1,328 B). */
export function packedMatmulStackBytes(depth: number): number {
  return depth > 0 ? 4 * depth + 320 : 0;
}

/** What `tinyforge build` reserves beyond the simulator's stack estimate, by default. */
export const BUILD_STACK_MARGIN = 512;

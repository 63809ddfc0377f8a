// Every buffer in the arena starts on this boundary (SIMD loads, and the C kernels' word accesses).
export const ARENA_ALIGNMENT = 16;

export function alignUp(n: number, alignment = ARENA_ALIGNMENT): number {
  return Math.ceil(n / alignment) * alignment;
}

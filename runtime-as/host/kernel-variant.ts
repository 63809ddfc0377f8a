// The two builds of the kernel module: plain WebAssembly and WebAssembly SIMD, from the same sources, same bytes out.
export type KernelVariant = 'scalar' | 'simd';

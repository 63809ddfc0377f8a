import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2-core machines: keep workers few so heavy suites (QEMU, WASM builds) do not starve each other.
    maxWorkers: 2,
  },
});

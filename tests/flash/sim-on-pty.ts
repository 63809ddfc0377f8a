// Test helpers: a simulated device served on a real socat pty for the length of a test body, and console
// output captured the way a user would read it.
import { vi } from 'vitest';
import type { Esp32RomSim } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { serveOnPty, type ServedPty } from '../../targets/flash/sim/pty-endpoint.ts';
import type { Stm32BootloaderSim } from '../../targets/flash/sim/stm32-bootloader-sim.ts';

export async function withPty<T extends Stm32BootloaderSim | Esp32RomSim>(sim: T, body: (pty: ServedPty, sim: T) => Promise<void>): Promise<void> {
  const pty = await serveOnPty(sim);
  try {
    await body(pty, sim);
  } finally {
    await pty.close();
    sim.stop();
  }
}

/** console.log / console.error lines from now on (restore with vi.restoreAllMocks). */
export function captureConsole(): { out: string[]; err: string[] } {
  const c = { out: [] as string[], err: [] as string[] };
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void c.out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void c.err.push(a.join(' ')));
  return c;
}

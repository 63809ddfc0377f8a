// One seeded flashing session against a simulated device with a fault plan, judged the way the soak and the
// tests judge it: a session reported successful must have left exactly the image in flash, a failure must be
// a named FlashError, nothing may hang, and a clean attempt on the same port right afterwards must succeed.
import { deflateSync } from 'node:zlib';
import { flashEsp32 } from '../esp32/flash-esp32.ts';
import { FlashError } from '../flash-error.ts';
import { SerialLink } from '../serial-link.ts';
import { flashStm32 } from '../stm32/flash-stm32.ts';
import { Esp32RomSim } from './esp32-rom-sim.ts';
import type { Fault, FaultKind } from './fault-injector.ts';
import { FaultInjector } from './fault-injector.ts';
import { SeededRandom } from '../../../lib/seeded-random.ts';
import { serveOnPty, type ServedPty } from './pty-endpoint.ts';
import { SimBinding } from './sim-binding.ts';
import { Stm32BootloaderSim } from './stm32-bootloader-sim.ts';

export type Family = 'stm32' | 'esp32' | 'esp32-stub';

export interface FaultSessionResult {
  family: Family;
  transport: 'binding' | 'pty';
  seed: number;
  fault: Fault;
  /** The faulted attempt: 'ok' or the FlashError code. */
  outcome: 'ok' | string;
  /** The error message of a failed attempt. */
  message?: string;
  /** A success whose flash differs from the image: must never happen. */
  falseSuccess: boolean;
  /** A failure that was not a FlashError, or an attempt that outlived the hang limit. */
  unnamedOrHung: string | undefined;
  /** The clean attempt that follows on the same port succeeded and left the image in flash. */
  recovered: boolean;
  /** How many times the fault actually hit (0 when it was placed beyond the traffic of the session). */
  fired: number;
  ms: number;
}

/** Short timeouts: the simulator answers in microseconds, so faults are detected quickly. */
const STM32_TIMEOUTS = { syncMs: 40, ackMs: 120, writeMs: 150, eraseBaseMs: 300, erasePerSectorMs: 20, massEraseMs: 1000 };
const ESP32_TIMEOUTS = { syncMs: 60, commandMs: 200, eraseBaseMs: 300, erasePerMiBMs: 1000, blockMs: 250, md5BaseMs: 300, md5PerMiBMs: 1000 };
export const HANG_LIMIT_MS = 20_000;

export const FAULT_KINDS: readonly FaultKind[] = ['drop', 'corrupt', 'delay', 'nack', 'stall', 'disconnect'];

/** Rough wire volume of one session, to place faults inside it rather than after it. */
function volume(family: Family, imageBytes: number): { bytesToDevice: number; bytesToHost: number; commands: number } {
  if (family === 'stm32') {
    const blocks = Math.ceil(imageBytes / 256);
    return { bytesToDevice: 20 + blocks * 266 + blocks * 9, bytesToHost: 30 + blocks * 3 + imageBytes + blocks * 3, commands: 5 + blocks * 2 };
  }
  // The stub upload (about 9 KB in 6 KiB MEM_DATA packets), then 16 KiB data packets.
  if (family === 'esp32-stub')
    return { bytesToDevice: 160 + 9200 + imageBytes + 30 * Math.ceil(imageBytes / 16384), bytesToHost: 230 + 120 + 20 * Math.ceil(imageBytes / 16384) + 40, commands: 12 + Math.ceil(imageBytes / 16384) };
  // SYNC and its 8 answers, READ_REG, SPI setup, one packet per KiB each way, MD5.
  return { bytesToDevice: 160 + imageBytes + 30 * Math.ceil(imageBytes / 1024), bytesToHost: 230 + 20 * Math.ceil(imageBytes / 1024) + 50, commands: 6 + Math.ceil(imageBytes / 1024) };
}

/**
 * `transport: 'pty'` serves the device on a real socat pseudo-terminal and opens it with the native binding
 * (8N1, no DTR/RTS); a disconnect there removes the port for good, so pty sessions take the other faults.
 */
export async function runFaultSession(family: Family, seed: number, kind: FaultKind, transport: 'binding' | 'pty' = 'binding'): Promise<FaultSessionResult> {
  if (transport === 'pty' && kind === 'disconnect') throw new Error('a pty session cannot recover from a disconnect: use the binding transport');
  const rng = new SeededRandom(seed);
  const image = rng.bytes(rng.int(200, 6000));
  // Some images compress well, as real firmware with zero-filled tables does.
  if (rng.next() < 0.5) image.fill(0, rng.int(0, image.length >> 1), image.length);
  const compress = family !== 'stm32' && rng.next() < 0.6;
  const sent = compress ? deflateSync(image, { level: 9 }).length : image.length;
  const fault = FaultInjector.random(seed * 7919 + 1, kind, { ...volume(family, sent), maxDelayMs: 150, stallMs: 400 });

  const overPty = transport === 'pty';
  const device =
    family === 'stm32'
      ? new Stm32BootloaderSim({ pid: rng.pick([0x410, 0x470, 0x449]) })
      : new Esp32RomSim({ chip: 'ESP32', wiring: overPty ? 'none' : 'classic' });
  let binding: SimBinding | undefined;
  let pty: ServedPty | undefined;
  let path: string;
  if (overPty) {
    pty = await serveOnPty(device);
    path = pty.hostPath;
  } else {
    binding = new SimBinding();
    path = `sim:${family}:${seed}`;
    binding.attach(path, device);
  }
  const attempt = async (): Promise<void> => {
    const link = await SerialLink.open({ path, baudRate: 115200, serialMode: family === 'stm32' && !overPty ? '8e1' : '8n1', binding });
    try {
      if (family === 'stm32') await flashStm32(link, image, { client: { timeouts: STM32_TIMEOUTS } });
      else await flashEsp32(link, image, { address: 0x10000, compress, stub: family === 'esp32-stub', resetMode: overPty ? 'none' : 'classic', client: { timeouts: ESP32_TIMEOUTS } });
    } finally {
      await link.close();
    }
  };
  const flashHolds = () =>
    family === 'stm32'
      ? Buffer.compare((device as Stm32BootloaderSim).flash.read(0x0800_0000, image.length), image) === 0
      : Buffer.compare((device as Esp32RomSim).flash.read(0x10000, image.length), image) === 0;

  const t0 = Date.now();
  device.setFaults([fault]);
  let outcome = 'ok';
  let message: string | undefined;
  let unnamedOrHung: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      attempt(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`hung for ${HANG_LIMIT_MS} ms`)), HANG_LIMIT_MS);
      }),
    ]);
  } catch (err) {
    message = (err as Error).message;
    if (err instanceof FlashError) outcome = err.code;
    else {
      outcome = 'unnamed';
      unnamedOrHung = (err as Error).message;
    }
  } finally {
    clearTimeout(timer);
  }
  const ms = Date.now() - t0;
  const falseSuccess = outcome === 'ok' && !flashHolds();

  const fired = device.faults?.fired.length ?? 0;
  device.setFaults(undefined);
  let recovered = false;
  try {
    await attempt();
    recovered = flashHolds();
  } catch {
    recovered = false;
  }
  await pty?.close();
  device.stop();
  return { family, transport, seed, fault, outcome, message, falseSuccess, unnamedOrHung, recovered, fired, ms };
}

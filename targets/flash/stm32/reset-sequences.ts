// How common USB-serial wirings put an STM32 into its ROM bootloader and back into the application. DTR/RTS
// are "asserted" = true; the usual transistor/inverter wiring turns an asserted line into NRST low or BOOT0 high.
import type { SerialTransport } from '../serial-transport.ts';

export const STM32_RESET_MODES = ['none', 'dtr-reset-rts-boot0', 'rts-reset-dtr-boot0'] as const;
export type Stm32ResetMode = (typeof STM32_RESET_MODES)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lines(mode: Exclude<Stm32ResetMode, 'none'>, reset: boolean, boot0: boolean): { dtr: boolean; rts: boolean } {
  return mode === 'dtr-reset-rts-boot0' ? { dtr: reset, rts: boot0 } : { dtr: boot0, rts: reset };
}

/** BOOT0 high, pulse NRST: the chip starts in system memory (the bootloader). */
export async function enterBootloader(link: SerialTransport, mode: Stm32ResetMode, pulseMs = 50): Promise<void> {
  if (mode === 'none') return;
  await link.setLines(lines(mode, true, true));
  await sleep(pulseMs);
  await link.setLines(lines(mode, false, true));
  await sleep(pulseMs);
  await link.setLines(lines(mode, false, false));
}

/** BOOT0 low, pulse NRST: the chip starts the application from flash. */
export async function runApplication(link: SerialTransport, mode: Stm32ResetMode, pulseMs = 50): Promise<void> {
  if (mode === 'none') return;
  await link.setLines(lines(mode, true, false));
  await sleep(pulseMs);
  await link.setLines(lines(mode, false, false));
}

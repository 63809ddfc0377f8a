// The auto-reset circuit on ESP32 dev boards (two cross-coupled transistors): RTS asserted alone pulls EN
// low (reset), DTR asserted alone pulls GPIO0 low (download mode when EN rises). Same timing as esptool.
import type { SerialTransport } from '../serial-transport.ts';

export const ESP32_RESET_MODES = ['classic', 'none'] as const;
export type Esp32ResetMode = (typeof ESP32_RESET_MODES)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function enterDownloadMode(link: SerialTransport, mode: Esp32ResetMode, resetDelayMs = 50): Promise<void> {
  if (mode === 'none') return;
  await link.setLines({ dtr: false, rts: true }); // EN low, GPIO0 high
  await sleep(100);
  await link.setLines({ dtr: true, rts: false }); // EN released while GPIO0 is low: ROM download mode
  await sleep(resetDelayMs);
  await link.setLines({ dtr: false, rts: false }); // GPIO0 released
}

/** Pulse EN with GPIO0 high: the chip boots the application from flash. */
export async function hardReset(link: SerialTransport, mode: Esp32ResetMode): Promise<void> {
  if (mode === 'none') return;
  await link.setLines({ dtr: false, rts: true });
  await sleep(100);
  await link.setLines({ dtr: false, rts: false });
}

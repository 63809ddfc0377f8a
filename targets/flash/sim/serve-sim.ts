// Serves a simulated bootloader on a fresh pseudo-terminal until interrupted, so `tinyforge flash` (or
// stm32flash, esptool) can be tried without a board:
//   npx tsx targets/flash/sim/serve-sim.ts stm32 0x410     →  prints the port, e.g. /dev/pts/7
//   npx tsx targets/flash/sim/serve-sim.ts esp32 ESP32-S3
//   tinyforge flash app.bin --board bluepill --port /dev/pts/7 --serial-mode 8n1
import { createHash } from 'node:crypto';
import { knownEspChipByName } from '../esp32/chip-detect.ts';
import { stm32ChipById } from '../stm32/chip-ids.ts';
import { Esp32RomSim } from './esp32-rom-sim.ts';
import { serveOnPty } from './pty-endpoint.ts';
import { Stm32BootloaderSim } from './stm32-bootloader-sim.ts';

const [family, which] = process.argv.slice(2);
let device: Stm32BootloaderSim | Esp32RomSim;
if (family === 'stm32') {
  const pid = parseInt(which ?? '0x410', 16);
  if (!stm32ChipById(pid)) {
    console.error(`serve-sim: unknown STM32 product id '${which}' (e.g. 0x410, 0x470, 0x449)`);
    process.exit(2);
  }
  device = new Stm32BootloaderSim({ pid });
} else if (family === 'esp32') {
  const chip = knownEspChipByName(which ?? 'ESP32');
  if (!chip) {
    console.error(`serve-sim: unknown ESP chip '${which}' (ESP32, ESP32-S2, ESP32-S3, ESP32-C3, or one to be refused such as ESP32-C6)`);
    process.exit(2);
  }
  device = new Esp32RomSim({ chip: chip.name });
} else {
  console.error('usage: serve-sim.ts stm32 [product id] | esp32 [chip]');
  process.exit(2);
}

const served = await serveOnPty(device);
console.log(served.hostPath);

async function shutDown(): Promise<void> {
  // Leave a fingerprint of what was flashed, so a script can check it.
  const bytes = device.flash.bytes;
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0xff) end--;
  console.log(`flash used up to offset ${end}, md5 of that span ${createHash('md5').update(bytes.subarray(0, end)).digest('hex')}`);
  await served.close();
  device.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutDown());
process.on('SIGTERM', () => void shutDown());

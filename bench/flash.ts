// Serial flashing efficiency, measured against the simulated devices through the in-process binding:
// payload bytes / bytes on the wire (both directions) during the write phase, and the line-limited rate
// that follows at common baud rates (bits per byte: 11 for 8E1, 10 for 8N1; device erase/program time and
// USB turnaround latency come on top on real hardware).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flashEsp32 } from '../targets/flash/esp32/flash-esp32.ts';
import { SerialLink, type LinkStats } from '../targets/flash/serial-link.ts';
import { Esp32RomSim } from '../targets/flash/sim/esp32-rom-sim.ts';
import { SimBinding } from '../targets/flash/sim/sim-binding.ts';
import { Stm32BootloaderSim } from '../targets/flash/sim/stm32-bootloader-sim.ts';
import { flashStm32 } from '../targets/flash/stm32/flash-stm32.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A real ~100 KB int8 model from the conformance corpus when present, else model-like synthetic bytes. */
function modelImage(): { name: string; bytes: Uint8Array } {
  for (const dir of [process.env.TINYFORGE_CONFORMANCE, join(repoRoot, '..', 'shared', 'conformance')]) {
    const path = dir && join(dir, 'models', 'pretrainedResnet_quant.tflite');
    if (path && existsSync(path)) return { name: 'pretrainedResnet_quant.tflite', bytes: new Uint8Array(readFileSync(path)) };
  }
  let x = 7;
  const bytes = Uint8Array.from({ length: 100_000 }, () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return ((x >>> 16) % 61) - 30; // int8 weights clustered around zero
  });
  return { name: 'synthetic int8 weights (100,000 B)', bytes };
}

interface WireFigures {
  payloadBytes: number;
  wireBytes: number;
  efficiency: number;
  /** Image bytes per second when the serial line is the only limit. */
  lineLimitedBytesPerSecond: Record<string, number>;
  simulatedMs: number;
}

function figures(payload: number, wire: LinkStats, bitsPerByte: number, bauds: number[], ms: number): WireFigures {
  const wireBytes = wire.bytesSent + wire.bytesReceived;
  const rates: Record<string, number> = {};
  for (const baud of bauds) rates[String(baud)] = Math.round(payload / ((wireBytes * bitsPerByte) / baud));
  return { payloadBytes: payload, wireBytes, efficiency: Math.round((payload / wireBytes) * 10000) / 10000, lineLimitedBytesPerSecond: rates, simulatedMs: ms };
}

async function linkTo(device: Stm32BootloaderSim | Esp32RomSim, serialMode: '8e1' | '8n1'): Promise<SerialLink> {
  const binding = new SimBinding();
  binding.attach('/dev/ttyBENCH', device);
  return SerialLink.open({ path: '/dev/ttyBENCH', baudRate: 115200, serialMode, binding });
}

export async function benchFlash(): Promise<object> {
  const model = modelImage();
  const image = model.bytes;

  const stm = new Stm32BootloaderSim({ pid: 0x470 });
  let link = await linkTo(stm, '8e1');
  let t0 = performance.now();
  const s = await flashStm32(link, image, {});
  const stm32 = figures(image.length, s.writeWire, 11, [57600, 115200], performance.now() - t0);
  await link.close();
  stm.stop();

  const esp = new Esp32RomSim({ chip: 'ESP32' });
  link = await linkTo(esp, '8n1');
  t0 = performance.now();
  const plain = await flashEsp32(link, image, { address: 0x10000, compress: false, resetMode: 'none' });
  const esp32Plain = figures(image.length, plain.writeWire, 10, [115200, 460800, 921600], performance.now() - t0);
  t0 = performance.now();
  const packed = await flashEsp32(link, image, { address: 0x10000, compress: true, resetMode: 'none' });
  const esp32Deflate = {
    ...figures(image.length, packed.writeWire, 10, [115200, 460800, 921600], performance.now() - t0),
    compressedBytes: packed.bytesSent,
    compressionRatio: Math.round((image.length / packed.bytesSent) * 1000) / 1000,
  };
  await link.close();
  esp.stop();

  return {
    image: model.name,
    imageBytes: image.length,
    note: 'efficiency = image bytes / bytes on the wire both ways during the write phase; compressed efficiency counts image bytes, so it can exceed 1',
    stm32Write8e1: stm32,
    esp32WriteUncompressed: esp32Plain,
    esp32WriteDeflate: esp32Deflate,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchFlash(), null, 2));
}

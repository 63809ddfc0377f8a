// Serial flashing efficiency, measured against the simulated devices through the in-process binding:
// payload bytes / bytes on the wire (both directions) during the write phase, and the line-limited rate
// that follows at common baud rates (bits per byte: 11 for 8E1, 10 for 8N1; device erase/program time and
// USB turnaround latency come on top on real hardware).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESPLoader, Transport } from 'esptool-js';
import { flashEsp32 } from '../targets/flash/esp32/flash-esp32.ts';
import { NodeWebSerialPort } from '../tests/flash/node-web-serial-port.ts';
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

  const esp32OneMiB = await benchEsp32OneMiB();
  return {
    esp32OneMiB,
    image: model.name,
    imageBytes: image.length,
    note: 'efficiency = image bytes / bytes on the wire both ways during the write phase; compressed efficiency counts image bytes, so it can exceed 1',
    stm32Write8e1: stm32,
    esp32WriteUncompressed: esp32Plain,
    esp32WriteDeflate: esp32Deflate,
  };
}

/** Model-like 1 MiB: int8 weights around zero with stretches of zero padding. */
function oneMiB(): Uint8Array {
  let x = 99;
  return Uint8Array.from({ length: 1024 * 1024 }, (_, i) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return i % 8192 > 7000 ? 0 : ((x >>> 16) % 61) - 30;
  });
}

interface OneRun {
  client: 'tinyforge' | 'esptool-js';
  loader: 'ROM' | 'stub';
  baud: number;
  compress: boolean;
  wireBytes: number;
  efficiency: number;
  lineSeconds: number;
  ok: boolean;
}

/**
 * A whole session (sync, stub upload, baud change, write, MD5) of a 1 MiB image on the simulated ESP32,
 * timed by the simulator's line model (bytes x 10 bits at the rate in force, both ways): tinyforge and
 * esptool-js 0.7.0 on the same simulator, ROM loader and flasher stub, two baud rates.
 */
async function benchEsp32OneMiB(): Promise<{ note: string; runs: OneRun[]; table: string }> {
  const img = oneMiB();
  const want = createHash('md5').update(img).digest('hex');
  const runs: OneRun[] = [];
  for (const compress of [false, true])
    for (const baud of [115200, 921600])
      for (const loader of ['ROM', 'stub'] as const)
        for (const client of ['tinyforge', 'esptool-js'] as const) {
          const sim = new Esp32RomSim({ chip: 'ESP32' });
          const binding = new SimBinding();
          binding.attach('/dev/ttyBENCH', sim);
          let ok = false;
          if (client === 'tinyforge') {
            const link = await SerialLink.open({ path: '/dev/ttyBENCH', baudRate: 115200, serialMode: '8n1', binding });
            const r = await flashEsp32(link, img, { address: 0x10000, compress, stub: loader === 'stub', baudRate: baud, resetMode: 'none' });
            ok = r.verified;
            await link.close();
          } else {
            const transport = new Transport(new NodeWebSerialPort('/dev/ttyBENCH', binding) as unknown as ConstructorParameters<typeof Transport>[0], false);
            const esp = new ESPLoader({ transport, baudrate: baud, terminal: { clean() {}, writeLine() {}, write() {} } });
            await esp.connect('no_reset');
            if (loader === 'stub') await esp.runStub();
            if (baud !== 115200) await esp.changeBaud();
            await esp.flashSpiAttach(0);
            await esp.writeFlash({ fileArray: [{ data: img, address: 0x10000 }], flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress });
            let md5 = await esp.flashMd5sum(0x10000, img.length);
            if (loader === 'ROM') md5 = Buffer.from(md5, 'hex').toString('latin1'); // the ROM's ASCII hex, hex-encoded again
            ok = md5 === want;
            await transport.disconnect();
          }
          ok = ok && Buffer.compare(sim.flash.read(0x10000, img.length), img) === 0;
          const wireBytes = sim.line.bytesToDevice + sim.line.bytesToHost;
          runs.push({ client, loader, baud, compress, wireBytes, efficiency: Math.round((img.length / wireBytes) * 1000) / 1000, lineSeconds: Math.round(sim.line.seconds * 100) / 100, ok });
          sim.stop();
        }
  const rows = ['compress  baud     loader  tinyforge s  esptool-js s  ratio   tinyforge eff  esptool-js eff'];
  for (const compress of [false, true])
    for (const baud of [115200, 921600])
      for (const loader of ['ROM', 'stub'] as const) {
        const t = runs.find((r) => r.client === 'tinyforge' && r.baud === baud && r.loader === loader && r.compress === compress)!;
        const e = runs.find((r) => r.client === 'esptool-js' && r.baud === baud && r.loader === loader && r.compress === compress)!;
        rows.push(
          `${String(compress).padEnd(9)} ${String(baud).padEnd(8)} ${loader.padEnd(7)} ${t.lineSeconds.toFixed(2).padStart(11)}  ${e.lineSeconds.toFixed(2).padStart(12)}  ${(t.lineSeconds / e.lineSeconds).toFixed(3).padStart(5)}   ${t.efficiency.toFixed(3).padStart(13)}  ${e.efficiency.toFixed(3).padStart(14)}` +
            (t.ok && e.ok ? '' : `  (verified: tinyforge ${t.ok}, esptool-js ${e.ok})`),
        );
      }
  return {
    note: 'whole session on the simulated ESP32 (1 MiB image at 0x10000); seconds = line time, bytes x 10 bits at the rate in force both ways, without flash erase/program time or USB latency; efficiency = image bytes / wire bytes',
    runs,
    table: rows.join('\n'),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = (await benchFlash()) as { esp32OneMiB: { table: string } };
  console.log(JSON.stringify(r, null, 2));
  console.log(`\nESP32, 1 MiB, tinyforge vs esptool-js on the same simulator (line time):\n${r.esp32OneMiB.table}`);
}

// Flash a firmware image onto a board over Web Serial: the browser's port (navigator.serial) as a SerialTransport,
// the board's flashing facts from the catalog, and the same STM32 (AN3155) and ESP32 (ROM loader, flasher stub)
// code as `tinyforge flash`, with progress and verify: an image file, or the firmware made in the page for the model.
import { flashBoardImage, flashEsp32Parts, flashTargetOf, loadAllBoards, openingLine, parseImage, WebSerialLink, type FlashTarget, type ProgressSink, type WebSerialPort } from '../../../browser.ts';
import { byId, el } from '../dom.ts';
import { madeFirmware } from './firmware-panel.ts';

type SerialNavigator = Navigator & { serial?: { requestPort(options?: object): Promise<WebSerialPort> } };

function flashTargets(): FlashTarget[] {
  return loadAllBoards().filter((b) => b.flash).map(flashTargetOf);
}

function progressSink(): ProgressSink {
  const bar = byId<HTMLProgressElement>('flash-progress');
  const phase = byId('flash-phase');
  let total = 1;
  let name = '';
  return {
    start(p, totalBytes) { name = p; total = Math.max(1, totalBytes); bar.value = 0; phase.textContent = `${p} 0 / ${totalBytes}`; },
    update(done) { bar.value = done / total; phase.textContent = `${name} ${done} / ${total}`; },
    stop() { bar.value = 1; },
  };
}

export function wireFlashPanel(onError: (err: unknown) => void): void {
  const targets = flashTargets();
  const select = byId<HTMLSelectElement>('flash-board');
  select.replaceChildren(...targets.map((t) => el('option', { value: t.board.id }, `${t.board.id} — ${t.board.name} (${t.flash.family === 'stm32' ? 'STM32 ROM bootloader' : `${t.flash.chip} ROM loader`})`)));
  const target = () => targets.find((t) => t.board.id === select.value)!;
  const hint = () => { byId('flash-hint').textContent = `To enter the bootloader: ${target().flash.bootloaderEntry}`; };
  select.addEventListener('change', hint);
  hint();
  const serial = (navigator as SerialNavigator).serial;
  byId('flash-support').textContent = serial
    ? 'This browser has Web Serial: pick a board and an image, then choose the port when asked.'
    : 'This browser has no Web Serial (navigator.serial): flashing needs Chromium or Edge, over http://localhost or https.';
  const status = byId('flash-status');
  type Source = { bytes: Uint8Array; name: string; parts?: { address: number; bytes: Uint8Array; name: string }[] };
  const flash = async (source: () => Promise<Source>) => {
    try {
      if (!serial) throw new Error('no Web Serial in this browser (navigator.serial): use Chromium or Edge, over http://localhost or https');
      const { bytes, name, parts } = await source();
      const t = target();
      // An ESP32 takes the made firmware's parts at their flash offsets (the C3's slot A is 2 MB past its code).
      const esp = parts && t.flash.family === 'esp32' ? parts : undefined;
      const image = esp ? undefined : parseImage(bytes, name);
      const total = esp ? esp.reduce((n, p) => n + p.bytes.length, 0) : image!.bytes.length;
      status.dataset.status = 'running';
      status.textContent = `choose the serial port of the ${t.board.name}…`;
      const port = await serial.requestPort();
      const link = await WebSerialLink.open(port, { ...openingLine(t), name: 'the Web Serial port' });
      try {
        status.textContent = `flashing ${name} (${total} bytes) onto the ${t.board.name}…`;
        const options = { stub: byId<HTMLInputElement>('flash-stub').checked, progress: progressSink() };
        const r = esp ? await flashEsp32Parts(link, t, esp, options) : await flashBoardImage(link, t, image!, name, options);
        status.textContent = r.summary;
        status.dataset.status = 'done';
      } finally {
        await link.close();
      }
    } catch (err) {
      status.dataset.status = 'error';
      status.textContent = err instanceof Error ? err.message : String(err);
      onError(err);
    }
  };
  byId<HTMLButtonElement>('flash-go').addEventListener('click', () => flash(async () => {
    const file = byId<HTMLInputElement>('flash-file').files?.[0];
    if (!file) throw new Error('choose a firmware image first (.bin, .hex or .elf, e.g. from `tinyforge build`)');
    return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
  }));
  // The firmware the Downloads section made for this model (code + signed slot A, one Intel HEX), on its own board.
  byId<HTMLButtonElement>('flash-made').addEventListener('click', () => flash(async () => {
    const made = madeFirmware();
    if (!made) throw new Error('make the firmware first (Downloads: "make the firmware")');
    if (!targets.some((t) => t.board.id === made.board)) {
      throw new Error(`${made.board} is not flashed over a serial bootloader here (boards that are: ${targets.map((t) => t.board.id).join(', ')}); on a QEMU board run firmware.elf with model-slot-a.bin instead`);
    }
    select.value = made.board;
    hint();
    return { bytes: new TextEncoder().encode(made.hex), name: made.name, parts: made.parts };
  }));
}

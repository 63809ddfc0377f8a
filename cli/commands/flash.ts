// `tinyforge flash <image> --board <id> --port <path>`: writes an image over the board's ROM serial
// bootloader (STM32 AN3155 or ESP32 ROM loader), verifies it, and exits 0 only when the device holds it.
// On ESP32 boards it also takes an ESP-IDF build folder (its flasher_args.json, like `idf.py flash`) and
// `--image OFFSET FILE` (repeatable), all written in one loader session.
import { parseArgs } from 'node:util';
import type { BindingInterface } from '@serialport/bindings-cpp';
import { z } from 'zod';
import { defaultImageAddress, flashTargetOf, type BoardFlash } from '../../targets/flash/board-flash.ts';
import { resolveBoard } from '../board-option.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { flashOverProbe } from '../flash-over-probe.ts';
import { ESP32_RESET_MODES, type Esp32ResetMode } from '../../targets/flash/esp32/classic-reset.ts';
import { espChipByName } from '../../targets/flash/esp32/chip-detect.ts';
import { ESP32_ERASE, checkLayout, flashEsp32Images, type Esp32Image } from '../../targets/flash/esp32/flash-esp32.ts';
import { loadIdfBuild, readBinary } from '../../targets/flash/esp32/flasher-args.ts';
import { flashSizeBytes, withFlashParams, type FlashParams } from '../../targets/flash/esp32/image-flash-params.ts';
import { statSync } from 'node:fs';
import { FlashError, hex32 } from '../../targets/flash/flash-error.ts';
import { loadImage } from '../../targets/flash/image/load-image.ts';
import { SILENT_PROGRESS, fleetProgress, terminalProgress, type ProgressSink } from '../../targets/flash/progress.ts';
import { expandPortGlob } from '../port-glob.ts';
import { runFleet } from '../../targets/flash/fleet.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { flashStm32 } from '../../targets/flash/stm32/flash-stm32.ts';
import { STM32_RESET_MODES, type Stm32ResetMode } from '../../targets/flash/stm32/reset-sequences.ts';

const USAGE = `usage: tinyforge flash <image.bin|.hex|.elf> (--board <id> | --board-file <file.json>) --port <path> [options]
       tinyforge flash <image.bin|.hex|.elf> --board <id> --probe openocd [--openocd-config my.cfg] [--probe-speed kHz]
       tinyforge flash <esp-idf build/> --board <esp32 board> --port <path> [options]
       tinyforge flash <image> --board <id> --port P1 --port P2 ... | --ports '/dev/ttyUSB*'   (a fleet, in parallel)
  --port P             the serial port; repeat it to flash several boards at once
  --ports GLOB         every port the glob names (quote it), e.g. '/dev/serial/by-id/*'
  --json               the per-port summary (port, chip, mac, bytes, seconds, verified, error) as JSON on stdout
  --probe P            serial (the chip's ROM bootloader over --port) | openocd (SWD debug probe through OpenOCD);
                       default: serial where the board has a ROM serial bootloader, else openocd (nrf52840-dk, rpi-pico)
  --openocd-config F   OpenOCD: your own script instead of the board's (implies --probe openocd)
  --probe-speed K      OpenOCD: SWD clock in kHz (default: the board's, else the scripts')
  --image OFFSET FILE  ESP32: also write FILE at OFFSET (repeatable; all images in one session)
  --baud B             transfer baud rate (default: the board's; STM32 autobauds, ESP32 starts at 115200 and switches)
  --address A          where the image goes (hex like 0x08004000 or decimal; default: the .hex/.elf address, else the board's;
                       an ESP32-C3 image that loads only into RAM, as tinyforge's firmware.bin, goes to 0x0)
  --no-verify          skip the read-back (STM32) / MD5 (ESP32) check
  --verify read-back   ESP32: also read every written region back through the stub and compare it (STM32 always does)
  --erase all|regions  ESP32 (stub): erase the whole chip, or the sectors about to be written, before writing
  --reset-mode M       STM32: none | dtr-reset-rts-boot0 | rts-reset-dtr-boot0; ESP32: classic | none (default: the board's)
  --serial-mode S      STM32 framing: 8e1 (AN3155, default) | 8n1 (pseudo-terminals, adapters without parity)
  --unprotect          STM32: lift write and readout protection first (readout unprotect erases the whole chip)
  --no-compress        ESP32: send the image uncompressed
  --no-stub            ESP32: flash through the ROM loader, without esptool's flasher stub (default: load the stub)
  --progress           show the progress bar even when stderr is not a terminal`;

const integer = z.string().transform((s, ctx) => {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  if (/^\d+$/.test(s)) return parseInt(s, 10);
  ctx.addIssue({ code: 'custom', message: `expected a decimal number or hex like 0x08000000, got '${s}'` });
  return z.NEVER;
});

const OptionsSchema = z.strictObject({
  image: z.string(),
  images: z.array(z.object({ address: z.number().int().nonnegative(), file: z.string().min(1) })),
  board: z.string().min(1).optional(),
  boardFile: z.string().min(1).optional(),
  ports: z.array(z.string().min(1)),
  probe: z.enum(['serial', 'openocd']).optional(),
  openocdConfig: z.string().min(1).optional(),
  probeSpeed: integer.pipe(z.number().int().min(1, 'probe speed below 1 kHz').max(100_000, 'probe speed above 100000 kHz')).optional(),
  portGlob: z.string().min(1).optional(),
  json: z.boolean(),
  readBack: z.boolean(),
  erase: z.enum(ESP32_ERASE, { error: '--erase takes all or regions' }).optional(),
  baud: integer.pipe(z.number().int().min(1200, 'baud below 1200').max(5_000_000, 'baud above 5000000')).optional(),
  address: integer.optional(),
  verify: z.boolean(),
  resetMode: z.enum([...STM32_RESET_MODES, ...ESP32_RESET_MODES]).optional(),
  serialMode: z.enum(['8e1', '8n1']).optional(),
  unprotect: z.boolean(),
  compress: z.boolean(),
  stub: z.boolean().default(true),
  progress: z.boolean(),
});
export type FlashCommandOptions = z.infer<typeof OptionsSchema>;

/** Test seams: an in-process serial binding (the simulators) and where progress goes. */
export interface FlashCommandDeps {
  binding?: BindingInterface;
  progress?: ProgressSink;
}

/** `--image OFFSET FILE` takes two values, which parseArgs cannot express: taken out before it runs. */
function takeImageArgs(args: string[]): { rest: string[]; images: { address: string; file: string }[] } {
  const rest: string[] = [];
  const images: { address: string; file: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--image') {
      rest.push(args[i]!);
      continue;
    }
    const [address, file] = [args[i + 1], args[i + 2]];
    if (address === undefined || file === undefined || address.startsWith('--') || file.startsWith('--')) throw new Error('--image takes an offset and a file: --image 0x10000 app.bin');
    images.push({ address, file });
    i += 2;
  }
  return { rest, images };
}

export async function run(args: string[], deps: FlashCommandDeps = {}): Promise<number> {
  let parsed;
  let extra: { address: string; file: string }[];
  try {
    const taken = takeImageArgs(args);
    extra = taken.images;
    parsed = parseArgs({
      args: taken.rest,
      allowPositionals: true,
      strict: true,
      options: {
        board: { type: 'string' },
        'board-file': { type: 'string' },
        port: { type: 'string', multiple: true },
        ports: { type: 'string' },
        probe: { type: 'string' },
        'openocd-config': { type: 'string' },
        'probe-speed': { type: 'string' },
        json: { type: 'boolean' },
        verify: { type: 'string' },
        erase: { type: 'string' },
        baud: { type: 'string' },
        address: { type: 'string' },
        'no-verify': { type: 'boolean' },
        'reset-mode': { type: 'string' },
        'serial-mode': { type: 'string' },
        unprotect: { type: 'boolean' },
        'no-compress': { type: 'boolean' },
        'no-stub': { type: 'boolean' },
        progress: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`tinyforge flash: ${(err as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    console.error(`tinyforge flash: one image at a time (got ${parsed.positionals.join(', ')})`);
    return EXIT.usage;
  }
  const badOffset = extra.find((e) => !integer.safeParse(e.address).success);
  if (badOffset) {
    console.error(`tinyforge flash: --image: expected an offset like 0x10000 before ${badOffset.file}, got '${badOffset.address}'\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.positionals.length === 0 && extra.length === 0) {
    console.error(`tinyforge flash: image: the image path is missing\n${USAGE}`);
    return EXIT.usage;
  }
  if (v.verify !== undefined && v.verify !== 'read-back' && v.verify !== 'md5') {
    console.error(`tinyforge flash: --verify takes md5 or read-back, got '${v.verify}'\n${USAGE}`);
    return EXIT.usage;
  }
  if (v.verify !== undefined && v['no-verify']) {
    console.error(`tinyforge flash: --verify ${v.verify} and --no-verify at once: pick one`);
    return EXIT.usage;
  }
  const globbed = v.ports === undefined ? [] : expandPortGlob(v.ports);
  if (v.ports !== undefined && globbed.length === 0) {
    console.error(`tinyforge flash: --ports '${v.ports}' matches no port (is the glob quoted, the boards plugged in? \`tinyforge ports\` lists them)`);
    return 2;
  }
  const checked = OptionsSchema.safeParse({
    image: parsed.positionals[0] ?? '',
    images: extra.map((e) => ({ address: integer.parse(e.address), file: e.file })),
    board: v.board,
    boardFile: v['board-file'],
    ports: [...new Set([...(v.port ?? []), ...globbed])],
    portGlob: v.ports,
    probe: v.probe,
    openocdConfig: v['openocd-config'],
    probeSpeed: v['probe-speed'],
    json: v.json ?? false,
    readBack: v.verify === 'read-back',
    erase: v.erase,
    baud: v.baud,
    address: v.address,
    verify: !v['no-verify'],
    resetMode: v['reset-mode'],
    serialMode: v['serial-mode'],
    unprotect: v.unprotect ?? false,
    compress: !v['no-compress'],
    stub: !v['no-stub'],
    progress: v.progress ?? false,
  });
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => (i.path.length ? `${optionName(String(i.path[0]))}: ${i.message}` : i.message));
    console.error(`tinyforge flash: ${problems.join('; ')}\n${USAGE}`);
    return EXIT.usage;
  }
  // An unknown board, or one without a serial bootloader, ends here with exit 64 and the boards that flash.
  let board;
  try {
    board = resolveBoard('flash', { board: checked.data.board, 'board-file': checked.data.boardFile });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    console.error(err.message);
    return err.exitCode;
  }
  const options = { ...checked.data, board: board.id };
  const probe = options.probe ?? (options.openocdConfig || !board.flash ? 'openocd' : 'serial');
  if (probe === 'openocd') {
    if (options.probe === 'openocd' && !board.probe && !options.openocdConfig)
      return usageError(`board '${board.id}' has no OpenOCD config in tinyforge; give one with --openocd-config my.cfg`);
    if (options.ports.length > 0 || options.images.length > 0) return usageError(`${options.ports.length > 0 ? '--port' : '--image'} is for the serial ROM bootloader, not --probe openocd`);
    try {
      return await flashOverProbe({
        board, image: options.image, address: options.address, verify: options.verify,
        openocdConfig: options.openocdConfig, speedKhz: options.probeSpeed,
        progress: deps.progress ?? (options.progress || process.stderr.isTTY ? terminalProgress() : SILENT_PROGRESS),
      });
    } catch (err) {
      if (!(err instanceof FlashError)) throw err;
      // explain() speaks of serial bootloaders; the probe path's messages already say what to do.
      console.error(`tinyforge flash: ${err.code === 'VERIFY_MISMATCH' ? explain(err, options, '', undefined) : err.message}`);
      return EXIT.failure;
    }
  }
  if (!board.flash) return usageError(`board '${board.id}' has no serial ROM bootloader tinyforge knows; flash it over SWD: --probe openocd`);
  if (options.ports.length === 0) return usageError('--port <path> (or --ports GLOB) is required (`tinyforge ports` lists them)');
  let flash: BoardFlash | undefined;
  let plan: FlashPlan;
  try {
    flash = flashTargetOf(board).flash;
    plan = prepare(options, flash);
  } catch (err) {
    if (err instanceof FlashError) {
      console.error(`tinyforge flash: ${explain(err, options, options.ports[0]!, flash)}`);
      return 1;
    }
    throw err;
  }
  if (options.ports.length > 1 || options.portGlob !== undefined || options.json) return flashFleet(options, flash, plan, deps);
  const port = options.ports[0]!;
  const progress = deps.progress ?? (options.progress || process.stderr.isTTY ? terminalProgress() : SILENT_PROGRESS);
  try {
    const r = await flashPort(options, flash, plan, port, deps, progress);
    console.log(r.summary);
    return 0;
  } catch (err) {
    if (err instanceof FlashError) {
      console.error(`tinyforge flash: ${explain(err, options, port, flash)}`);
      return 1;
    }
    throw err;
  } finally {
    progress.stop();
  }
}

function usageError(message: string): number {
  console.error(`tinyforge flash: ${message}\n${USAGE}`);
  return EXIT.usage;
}

function optionName(key: string): string {
  return key === 'image' ? 'image' : `--${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
}

/** What gets written, checked once before any port is opened (the same for every port of a fleet). */
type FlashPlan =
  | { family: 'stm32'; bytes: Uint8Array; address: number; resetMode: Stm32ResetMode }
  | { family: 'esp32'; images: Esp32Image[]; flashBytes: number; resetMode: Esp32ResetMode };

/** One port's outcome: the table row, and the sentence a single-port run prints. */
export interface PortResult {
  port: string;
  chip: string;
  /** ESP32: the factory MAC from the eFuses; STM32 parts have none. */
  mac: string | null;
  bytes: number;
  seconds: number;
  /** 'md5', 'md5+read-back' (ESP32), 'read-back' (STM32) or 'no' (--no-verify). */
  verified: string;
  summary: string;
}

function prepare(options: FlashCommandOptions, flash: BoardFlash): FlashPlan {
  if (flash.family === 'stm32') {
    if (options.images.length > 0) throw new FlashError('BOARD', `--image is for ESP32 boards; ${options.board} takes one image (use --address)`);
    if (options.erase) throw new FlashError('BOARD', `--erase is for ESP32 boards; the STM32 bootloader erases the pages it writes`);
    const image = loadImage(options.image);
    const resetMode = options.resetMode ?? flash.resetMode;
    if (!(STM32_RESET_MODES as readonly string[]).includes(resetMode))
      throw new FlashError('BOARD', `--reset-mode ${resetMode} is not a STM32 reset mode; use one of ${STM32_RESET_MODES.join(', ')}`);
    return { family: 'stm32', bytes: image.bytes, address: options.address ?? image.address ?? defaultImageAddress(flash, image.bytes), resetMode: resetMode as Stm32ResetMode };
  }
  const resetMode = (options.resetMode ?? flash.resetMode) as Esp32ResetMode;
  if (!(ESP32_RESET_MODES as readonly string[]).includes(resetMode))
    throw new FlashError('BOARD', `--reset-mode ${resetMode} is not a ESP32 reset mode; use one of ${ESP32_RESET_MODES.join(', ')}`);
  if (options.serialMode === '8e1') throw new FlashError('BOARD', 'the ESP32 ROM loader uses 8N1 framing: drop --serial-mode 8e1');
  if (!options.stub && options.readBack)
    throw new FlashError('BOARD', '--verify read-back needs the flasher stub: the ESP ROM loader has no READ_FLASH. Drop --no-stub, or verify by MD5 alone (the default)');
  if (!options.stub && options.erase)
    throw new FlashError('BOARD', `--erase ${options.erase} needs the flasher stub: the ESP ROM loader has no ERASE_FLASH / ERASE_REGION (FLASH_BEGIN erases what it writes). Drop --no-stub`);
  const isDir = options.image !== '' && statSync(options.image, { throwIfNoEntry: false })?.isDirectory();
  return { family: 'esp32', ...espImageSet(options, flash, isDir === true), resetMode };
}

/** The image, an ESP-IDF build folder and/or `--image` pairs: every image, for one loader session, checked before a port opens. */
function espImageSet(options: FlashCommandOptions, flash: Extract<BoardFlash, { family: 'esp32' }>, isDir: boolean): { images: Esp32Image[]; flashBytes: number } {
  const chip = espChipByName(flash.chip)!;
  let images: Esp32Image[] = [];
  let params: FlashParams = {};
  let bootloaderOffset = chip.bootloaderOffset;
  if (isDir) {
    const build = loadIdfBuild(options.image);
    const want = flash.chip.toLowerCase().replace('-', '');
    if (build.chip && build.chip.toLowerCase() !== want)
      throw new FlashError('BOARD', `${options.image} was built for ${build.chip}, but ${options.board} carries an ${flash.chip}: rebuild with \`idf.py set-target ${want}\` or pick the right --board`);
    if (build.bootloaderOffset !== undefined && build.bootloaderOffset !== chip.bootloaderOffset)
      throw new FlashError('IMAGE', `${options.image}: the bootloader is at ${hex32(build.bootloaderOffset)}, but an ${chip.name} boots it from ${hex32(chip.bootloaderOffset)}`);
    images = build.images;
    params = build.params;
    bootloaderOffset = build.bootloaderOffset ?? chip.bootloaderOffset;
  } else if (options.image) {
    const single = loadImage(options.image);
    if (single.format === 'elf') throw new FlashError('IMAGE', `${options.image}: an ESP32 boots an app image, not an ELF: convert it first (esptool elf2image) and flash the .bin`);
    images.push({ address: options.address ?? single.address ?? defaultImageAddress(flash, single.bytes), bytes: single.bytes, name: options.image });
  }
  for (const extra of options.images) images.push({ address: extra.address, bytes: readBinary(extra.file), name: extra.file });
  // As esptool does: the flash parameters live in the bootloader's header, so only that image is patched.
  images = images.map((i) => (i.address === bootloaderOffset ? { ...i, bytes: withFlashParams(i.bytes, params).bytes } : i));
  const flashBytes = (params.size && flashSizeBytes(params.size)) || flash.flashBytes;
  if (flashBytes > flash.flashBytes)
    throw new FlashError('IMAGE', `the build says flash_size ${params.size}, but the ${options.board} has ${flash.flashBytes / 1024 / 1024} MB: rebuild with the right CONFIG_ESPTOOLPY_FLASHSIZE`);
  checkLayout(images, flashBytes); // before the port is opened
  return { images, flashBytes };
}

/** One port, one session; throws the session's FlashError. */
async function flashPort(options: FlashCommandOptions, flash: BoardFlash, plan: FlashPlan, port: string, deps: FlashCommandDeps, progress: ProgressSink): Promise<PortResult> {
  const t0 = Date.now();
  const baud = options.baud ?? flash.baudRate;
  const link = await SerialLink.open({
    path: port,
    // The ESP32 ROM listens at 115200 after reset; the transfer rate is negotiated afterwards.
    baudRate: plan.family === 'esp32' ? 115200 : baud,
    serialMode: plan.family === 'esp32' ? '8n1' : (options.serialMode ?? '8e1'),
    binding: deps.binding,
  });
  try {
    if (plan.family === 'stm32' && flash.family === 'stm32') {
      const r = await flashStm32(link, plan.bytes, {
        address: plan.address,
        verify: options.verify,
        resetMode: plan.resetMode,
        unprotect: options.unprotect,
        expectedPids: flash.chipIds,
        run: plan.resetMode !== 'none',
        progress,
      });
      const summary =
        `flashed ${r.bytes} bytes to the ${r.chip.name} at ${hex32(r.address)} on ${port}, ${r.verified ? 'verified by read-back' : 'NOT verified (--no-verify)'}` +
        (plan.resetMode === 'none' ? '; set BOOT0 low and press RESET to run it' : '; reset into the application');
      return { port, chip: r.chip.name, mac: null, bytes: r.bytes, seconds: (Date.now() - t0) / 1000, verified: r.verified ? 'read-back' : 'no', summary };
    }
    if (plan.family !== 'esp32' || flash.family !== 'esp32') throw new Error('unreachable: plan and board differ in family');
    const r = await flashEsp32Images(link, plan.images, {
      verify: options.verify,
      readBack: options.readBack,
      erase: options.erase,
      resetMode: plan.resetMode,
      baudRate: baud,
      compress: options.compress,
      stub: options.stub,
      expectedChip: flash.chip,
      flashSize: plan.flashBytes,
      run: plan.resetMode !== 'none',
      progress,
    });
    const how = r.verified ? (r.readBack ? 'MD5 verified and read back' : 'MD5 verified') : 'NOT verified (--no-verify)';
    const erased = options.erase === 'all' ? ', whole flash erased first' : options.erase === 'regions' ? ', its sectors erased first' : '';
    const tail = how + erased + (options.stub ? ' through the flasher stub' : ' through the ROM loader (--no-stub)') + (plan.resetMode === 'none' ? '; press RST to run it' : '; reset into the application');
    const total = r.images.reduce((n, i) => n + i.bytes, 0);
    let summary: string;
    if (r.images.length === 1) {
      const one = r.images[0]!;
      summary = `flashed ${one.bytes} bytes to the ${r.chip.name} at ${hex32(one.address)} on ${port} (${one.bytesSent} bytes sent), ${tail}`;
    } else {
      const list = r.images.map((i, k) => `${hex32(i.address)} ${plan.images[k]!.name ?? 'image'} (${i.bytes} bytes)`).join(', ');
      summary = `flashed ${r.images.length} images, ${total} bytes, to the ${r.chip.name} on ${port} in one session: ${list}; ${tail}`;
    }
    return { port, chip: r.chip.name, mac: r.mac, bytes: total, seconds: (Date.now() - t0) / 1000, verified: r.verified ? (r.readBack ? 'md5+read-back' : 'md5') : 'no', summary };
  } finally {
    await link.close();
  }
}

/**
 * Every port at once, each in its own session: a port that fails (its error caught, whatever it is) is
 * reported and the others carry on; the exit code is 1 if any failed, each failed port named with why.
 */
async function flashFleet(options: FlashCommandOptions, flash: BoardFlash, plan: FlashPlan, deps: FlashCommandDeps): Promise<number> {
  const show = deps.progress === undefined && (options.progress || process.stderr.isTTY);
  const bars = show ? fleetProgress(options.ports) : undefined;
  const outcomes = await runFleet(options.ports, async (port) => {
    try {
      const r = await flashPort(options, flash, plan, port, deps, bars?.sinkFor(port) ?? deps.progress ?? SILENT_PROGRESS);
      bars?.finish(port, 'done');
      return r;
    } catch (err) {
      bars?.finish(port, 'FAILED');
      throw err;
    }
  });
  const settled = outcomes.map((o) => {
    if (o.ok) return { ...o.result, ok: true as const };
    const err = o.error;
    const why = err instanceof FlashError ? explain(err, options, o.port, flash) : `internal error: ${(err as Error).message}`;
    return { port: o.port, ok: false as const, seconds: o.seconds, code: err instanceof FlashError ? err.code : 'INTERNAL', error: why };
  });
  bars?.stop();
  const failed = settled.filter((r) => !r.ok);
  if (options.json) {
    const ports = settled.map((r) =>
      r.ok
        ? { port: r.port, ok: true, chip: r.chip, mac: r.mac, bytes: r.bytes, seconds: round(r.seconds), verified: r.verified }
        : { port: r.port, ok: false, chip: null, mac: null, bytes: 0, seconds: round(r.seconds), verified: 'no', code: r.code, error: r.error },
    );
    console.log(JSON.stringify({ board: options.board, ok: failed.length === 0, succeeded: settled.length - failed.length, failed: failed.length, ports }, null, 2));
  } else {
    const rows = settled.map((r) => (r.ok ? [r.port, r.chip, r.mac ?? '-', String(r.bytes), r.seconds.toFixed(2), r.verified] : [r.port, '-', '-', '-', r.seconds.toFixed(2), `FAILED (${r.code})`]));
    console.log(table(['port', 'chip', 'MAC', 'bytes', 'seconds', 'verified'], rows));
    console.log(`${settled.length - failed.length} of ${settled.length} ports flashed and verified${failed.length ? `, ${failed.length} failed` : ''}`);
  }
  for (const f of failed) if (!f.ok) console.error(`tinyforge flash: ${f.port} failed: ${f.error}`);
  return failed.length === 0 ? 0 : 1;
}

const round = (s: number) => Math.round(s * 1000) / 1000;

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One line that says what happened and what to do about it. */
export function explain(err: FlashError, options: FlashCommandOptions, port: string, flash: BoardFlash | undefined): string {
  const baud = flash?.family === 'esp32' ? 115200 : (options.baud ?? flash?.baudRate);
  switch (err.code) {
    case 'NO_ANSWER': {
      const wiring =
        (options.resetMode ?? flash?.resetMode) === 'none'
          ? ''
          : ` If the board has no DTR/RTS auto-reset wiring, enter the bootloader by hand and use --reset-mode none.`;
      return (
        `no answer from the ${flash?.family.toUpperCase()} bootloader on ${port} at ${baud} baud (${err.message}). ` +
        `Put the ${options.board} into its bootloader: ${flash?.bootloaderEntry}.${wiring} If it still does not answer, try --baud 115200` +
        (flash?.family === 'stm32' && options.serialMode !== '8n1' ? ' (and --serial-mode 8n1 if the adapter cannot do even parity).' : '.')
      );
    }
    case 'WRITE_PROTECTED':
      return `${err.message}: the flash is write-protected. Rerun with --unprotect (sends Write Unprotect 0x73, like stm32flash -u).`;
    case 'READ_PROTECTED':
      return `${err.message}: the chip is read-protected (RDP). Rerun with --unprotect (Readout Unprotect 0x92, like stm32flash -k); this ERASES the whole flash.`;
    case 'VERIFY_MISMATCH':
      return `${err.message}. The device does not hold the image: run the command again; if the same address fails again, the flash there may be protected or worn.`;
    case 'TIMEOUT':
    case 'NACK':
    case 'PROTOCOL':
    case 'DEVICE_ERROR':
      return `${err.message}. The session was abandoned; run the command again (a noisy or long cable? try --baud 115200).`;
    default:
      return err.message;
  }
}

// `tinyforge flash … --probe openocd`: the SWD path. Starts Debian's OpenOCD with the board's scripts (or the
// user's --openocd-config), flashes through tinyforge's GDB client and prints one summary line. A probe
// OpenOCD cannot reach becomes one message naming the board, the probe, OpenOCD's error and the way out.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Board } from '../targets/boards/board-schema.ts';
import { FlashError, hex32 } from '../targets/flash/flash-error.ts';
import { elf32LoadSegments, type LoadSegment } from '../targets/flash/image/elf32-segments.ts';
import { loadImage } from '../targets/flash/image/load-image.ts';
import { boardProbeOf, openocdConfigArgs, type BoardProbe } from '../targets/flash/openocd/board-probe.ts';
import { flashOverOpenOcd } from '../targets/flash/openocd/flash-over-openocd.ts';
import { OpenOcdStartError } from '../targets/flash/openocd/openocd-server.ts';
import type { ProgressSink } from '../targets/flash/progress.ts';

export interface ProbeFlashRequest {
  board: Board;
  image: string;
  address?: number;
  verify: boolean;
  openocdConfig?: string;
  speedKhz?: number;
  progress: ProgressSink;
}

const UDEV = "check that you may use the probe's USB device (Debian's openocd installs /lib/udev/rules.d/60-openocd.rules: add yourself to the plugdev group, then unplug and replug)";

export async function flashOverProbe(req: ProbeFlashRequest): Promise<number> {
  const { board } = req;
  // The user's config replaces the board's; without either there is nothing to start.
  const probe: BoardProbe | undefined = req.openocdConfig ? (board.probe ? boardProbeOf(board) : undefined) : boardProbeOf(board);
  const configArgs = req.openocdConfig ? ['-f', resolve(req.openocdConfig)] : openocdConfigArgs(probe!);
  const configName = req.openocdConfig ?? configArgs.filter((a, i) => configArgs[i - 1] === '-f').join(' + ');
  const { segments, address } = imageSegments(req, board);
  try {
    const r = await flashOverOpenOcd(segments, {
      configArgs,
      speedKhz: req.speedKhz ?? (req.openocdConfig ? undefined : probe?.speedKhz),
      verify: req.verify,
      progress: req.progress,
      handleSignals: true,
    });
    const paths = [...new Set(r.parts.map((p) => p.path))].join(' and ');
    console.log(
      `flashed ${r.bytes} bytes${segments.length > 1 ? ` in ${segments.length} parts` : ''} to the ${board.name} at ${hex32(address)} over SWD (OpenOCD, ${configName}; written by ${paths}), ` +
        `${r.verified ? 'verified by read-back' : 'NOT verified (--no-verify)'}; ${r.ran ? 'reset into the application' : 'left halted'}`,
    );
    return 0;
  } catch (err) {
    if (err instanceof OpenOcdStartError && !/not installed/.test(err.message)) {
      const cause = err.errorLines[0] ?? err.message;
      const looked = probe ? `${probe.adapter}, through ${configName}` : configName;
      throw new FlashError(
        'PROBE',
        `OpenOCD could not reach the ${board.id}'s debug probe (${looked}): "${cause}". ` +
          `${probe && !req.openocdConfig ? probe.connect.charAt(0).toUpperCase() + probe.connect.slice(1) : 'Plug the probe in'}; ${UDEV}; ` +
          `or give your own OpenOCD script with --openocd-config my.cfg`,
      );
    }
    throw err;
  }
}

/**
 * An ELF's loadable segments go as they are (the GDB stub's memory map routes each one: the nRF52's UICR at
 * 0x10001000 is a flash bank of its own); a .bin goes to --address or the board's flash base, a .hex where it says.
 */
function imageSegments(req: ProbeFlashRequest, board: Board): { segments: LoadSegment[]; address: number } {
  if (/\.(elf|axf|out)$/i.test(req.image) && req.address === undefined) {
    let segments: LoadSegment[];
    try {
      segments = elf32LoadSegments(new Uint8Array(readFileSync(req.image)));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new FlashError('IMAGE', e.code ? `cannot read image ${req.image}: ${e.code}` : `${req.image}: ${e.message}`);
    }
    return { segments, address: segments[0]!.address };
  }
  const image = loadImage(req.image);
  const address = req.address ?? image.address ?? board.memory.find((r) => r.kind === 'flash')!.base;
  return { segments: [{ address, bytes: image.bytes }], address };
}

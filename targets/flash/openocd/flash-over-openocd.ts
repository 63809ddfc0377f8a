// One SWD flashing session: start OpenOCD with the board's scripts, connect tinyforge's GDB client to it,
// `reset halt`, write the image (vFlash into flash, memory writes elsewhere), read it back, `reset run`,
// detach, and stop OpenOCD — whatever happened.
import { FlashError } from '../flash-error.ts';
import { GdbRemote } from '../gdb/gdb-remote-client.ts';
import { loadOverGdb, type GdbLoadResult } from '../gdb/load-over-gdb.ts';
import type { LoadSegment } from '../image/elf32-segments.ts';
import type { ProgressSink } from '../progress.ts';
import { OpenOcdServer } from './openocd-server.ts';

export interface OpenOcdFlashOptions {
  configArgs: string[];
  speedKhz?: number;
  verify?: boolean;
  /** `monitor reset run` afterwards (default true). */
  run?: boolean;
  progress?: ProgressSink;
  handleSignals?: boolean;
  startTimeoutMs?: number;
}

export interface OpenOcdFlashResult extends GdbLoadResult {
  gdbPort: number;
  ran: boolean;
}

export async function flashOverOpenOcd(segments: readonly LoadSegment[], options: OpenOcdFlashOptions): Promise<OpenOcdFlashResult> {
  const server = await OpenOcdServer.start({
    configArgs: options.configArgs,
    speedKhz: options.speedKhz,
    handleSignals: options.handleSignals,
    timeoutMs: options.startTimeoutMs,
  });
  let gdb: GdbRemote | undefined;
  try {
    gdb = await GdbRemote.connect('127.0.0.1', server.port, { name: `OpenOCD (GDB port ${server.port})`, timeoutMs: 15_000 });
    await gdb.handshake();
    await gdb.monitor('reset halt');
    const loaded = await loadOverGdb(gdb, segments, { verify: options.verify, progress: options.progress });
    const run = options.run ?? true;
    if (run) await gdb.monitor('reset run');
    await gdb.detach();
    return { ...loaded, gdbPort: server.port, ran: run };
  } catch (err) {
    // OpenOCD's log says what the target did (a locked chip, a failed erase); the GDB reply only says "E0x".
    const why = server.lastError();
    if (!(err instanceof FlashError) || err.code === 'VERIFY_MISMATCH') throw err;
    // The two ways a present probe still cannot flash, as nrf52.cfg and OpenOCD's GDB server log them.
    if (server.log.some((l) => /AP lock engaged/.test(l)))
      throw new FlashError('READ_PROTECTED', `the chip is locked by APPROTECT (openocd: "nRF52 device has AP lock engaged"): unlock it with \`openocd ${options.configArgs.join(' ')} -c init -c nrf52_recover -c exit\`, which ERASES the whole chip, then flash again`);
    const unexamined = server.log.find((l) => /not examined yet/.test(l));
    if (unexamined)
      throw new FlashError('NO_ANSWER', `the probe is there but the chip does not answer over SWD (openocd: "${unexamined.replace(/^Error:\s*/, '')}"): check that the board is powered and the SWD wires (SWDIO, SWCLK, GND) are connected; try a lower --probe-speed`);
    if (why) throw new FlashError(err.code, `${err.message}; openocd: ${why}`, err.address);
    throw err;
  } finally {
    gdb?.close();
    await server.stop();
  }
}

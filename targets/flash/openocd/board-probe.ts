// The `probe` object of a board file: how OpenOCD reaches the board's chip over SWD — the config files of
// Debian's openocd (under /usr/share/openocd/scripts) to load, the debug probe they expect, and how a person
// attaches it. The board catalog keeps this object opaque; it is validated here.
import { z } from 'zod';
import type { Board } from '../../boards/board-schema.ts';
import { FlashError } from '../flash-error.ts';

const cfgName = z.string().regex(/^(board|interface|target)\/[A-Za-z0-9_.-]+\.cfg$/, 'an OpenOCD script name like board/st_nucleo_l4.cfg');

export const BoardProbeSchema = z.strictObject({
  openocd: z.union([
    /** One board script that sources its interface and target (board/st_nucleo_l4.cfg). */
    z.strictObject({ board: cfgName }),
    /** An interface script, the transport and a target script (interface/cmsis-dap.cfg + target/rp2040.cfg). */
    z.strictObject({ interface: cfgName, transport: z.enum(['swd', 'hla_swd', 'jtag', 'dapdirect_swd']).optional(), target: cfgName }),
  ]),
  /** The debug probe OpenOCD looks for, as a user would name it. */
  adapter: z.string().min(1),
  /** SWD clock in kHz when the scripts set none (`--probe-speed` overrides). */
  speedKhz: z.number().int().positive().optional(),
  /** How to attach the probe, shown when OpenOCD cannot reach it. */
  connect: z.string().min(1),
});
export type BoardProbe = z.infer<typeof BoardProbeSchema>;

/** A board's probe facts (its "probe" section, checked). */
export function boardProbeOf(board: Board): BoardProbe {
  if (!board.probe) throw new FlashError('BOARD', `board '${board.id}' has no "probe" section: tinyforge does not know which OpenOCD config reaches it (give one with --openocd-config)`);
  const parsed = BoardProbeSchema.safeParse(board.probe);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `probe.${i.path.join('.')}: ${i.message}`);
    throw new FlashError('BOARD', `board '${board.id}' has an invalid "probe" section: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** OpenOCD arguments that load the board's scripts (before tinyforge's own -c commands). */
export function openocdConfigArgs(probe: BoardProbe): string[] {
  const o = probe.openocd;
  if ('board' in o) return ['-f', o.board];
  return ['-f', o.interface, ...(o.transport ? ['-c', `transport select ${o.transport}`] : []), '-f', o.target];
}

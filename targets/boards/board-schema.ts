// What tinyforge knows about a board: memories, core, clock and power, each figure with its source.
// Board files are user input (`--board-file`), so they are validated here with zod and then used as plain objects.
import { z } from 'zod';

export const CORE_IDS = [
  'cortex-m0plus', 'cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33', 'cortex-m55',
  'xtensa-lx6', 'xtensa-lx7', 'rv32imc',
] as const;
export type CoreId = (typeof CORE_IDS)[number];

const positiveInt = z.number().int().positive();

export const MemoryRegionSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['sram', 'flash', 'psram']),
  /** Bus address of the first byte; regions whose address ranges touch form one contiguous span. */
  base: z.number().int().nonnegative(),
  bytes: positiveInt,
  /** `code`: instruction-only RAM (the arena cannot live there). Default `data`. */
  use: z.enum(['data', 'code']).optional(),
  /** CPU cycles lost per line fill on a miss (flash wait states, PSRAM/SPI latency). 0 for SRAM. */
  missCycles: z.number().nonnegative().optional(),
  /** Bytes fetched per line fill (prefetch buffer, cache line). */
  lineBytes: positiveInt.optional(),
  /** Flash only: the erase unit (bytes per sector/page), which sizes and aligns the model slots. */
  eraseBytes: positiveInt.optional(),
});
export type MemoryRegion = z.infer<typeof MemoryRegionSchema>;

export const PowerSchema = z.strictObject({
  /** Volts at the pins the current figures are measured on. */
  supplyVoltage: z.number().positive(),
  /** Typical current while running compute code at `clockHz`. */
  activeCurrentMa: z.number().positive(),
  /** Current in `sleepMode` between inferences. */
  sleepCurrentUa: z.number().nonnegative(),
  sleepMode: z.string().min(1),
});
export type BoardPower = z.infer<typeof PowerSchema>;

export const BoardSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    name: z.string().min(1),
    mcu: z.string().min(1),
    core: z.enum(CORE_IDS),
    clockHz: positiveInt,
    memory: z.array(MemoryRegionSchema).min(1),
    /** SRAM the board's own software keeps (bootloader, RTOS, SDK) and a model cannot use. */
    reservedSramBytes: z.number().int().nonnegative(),
    /** Data cache in front of flash/PSRAM, 0 when none: weights that fit in it are fetched once. */
    dataCacheBytes: z.number().int().nonnegative(),
    /** Absent for virtual boards, which have no meaningful power figures. */
    power: PowerSchema.optional(),
    virtual: z.boolean().optional(),
    /** Owned by the flashing code (family, flash base, baud, bootloader entry); kept as is. */
    flash: z.looseObject({}).optional(),
    /** Owned by the SWD flashing code (OpenOCD scripts, the debug probe, how to attach it); kept as is. */
    probe: z.looseObject({}).optional(),
    /** Figure path (`clockHz`, `memory.SRAM1`, `power.activeCurrentMa`, ...) → where it comes from. */
    sources: z.record(z.string(), z.string().min(1)),
    notes: z.string().optional(),
  })
  .superRefine((b, ctx) => {
    const need = ['core', 'clockHz', 'reservedSramBytes', 'dataCacheBytes', ...b.memory.map((r) => `memory.${r.name}`)];
    if (b.power) need.push('power.supplyVoltage', 'power.activeCurrentMa', 'power.sleepCurrentUa');
    for (const key of need) {
      if (!b.sources[key]) ctx.addIssue({ code: 'custom', path: ['sources', key], message: `missing the source of ${key}` });
    }
    const names = new Set<string>();
    b.memory.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: ['memory', i, 'name'], message: `duplicate region name ${r.name}` });
      names.add(r.name);
    });
    if (!b.memory.some((r) => r.kind === 'sram' && r.use !== 'code')) {
      ctx.addIssue({ code: 'custom', path: ['memory'], message: 'needs at least one data SRAM region' });
    }
    if (!b.memory.some((r) => r.kind === 'flash')) {
      ctx.addIssue({ code: 'custom', path: ['memory'], message: 'needs a flash region' });
    }
  });

export type Board = z.infer<typeof BoardSchema>;

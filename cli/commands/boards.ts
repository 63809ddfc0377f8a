// tinyforge boards [--json]: the board catalog with the figures the simulator uses.
import { z } from 'zod';
import { flashBudget, largestSramSpan, psramBytes, sramBudget } from '../../targets/boards/board-memory.ts';
import { loadAllBoards } from '../../targets/boards/load-board.ts';
import { boardVerbs } from '../board-option.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `usage: tinyforge boards [--json]
  Lists the boards every verb knows (targets/boards/<id>.json) and what each can do: simulate (every board),
  build (firmware, or an ESP-IDF component for ESP32 boards), run (in QEMU), flash (over its ROM
  bootloader, or over SWD through OpenOCD), export (a CMake, PlatformIO, Arduino or Zephyr project).
  --json   print the full board records (memory regions, power, sources, verbs) as JSON`;

const Options = z.object({
  positionals: z.array(z.string()).max(0, 'boards takes no arguments'),
  json: z.boolean().default(false),
});

const kib = (n: number) => `${Math.round(n / 1024).toLocaleString('en-US')} KB`;

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('boards', args, { json: { type: 'boolean' } }, Options);
  let boards;
  try {
    boards = loadAllBoards();
  } catch (err) {
    throw new CliError((err as Error).message, EXIT.badInput);
  }
  if (opts.json) {
    console.log(JSON.stringify(boards.map((b) => ({ ...b, verbs: boardVerbs(b), sramBudget: sramBudget(b), flashBudget: flashBudget(b), psramBytes: psramBytes(b) })), null, 2));
    return EXIT.ok;
  }
  const rows = boards.map((b) => [
    b.id, b.core, `${b.clockHz / 1e6} MHz`, kib(sramBudget(b)), kib(largestSramSpan(b)), kib(flashBudget(b)),
    psramBytes(b) ? kib(psramBytes(b)) : '-',
    b.power ? `${b.power.activeCurrentMa} mA @ ${b.power.supplyVoltage} V` : '(virtual)',
    b.power ? `${b.power.sleepCurrentUa} µA` : '-',
    boardVerbs(b).join(' '),
  ]);
  const header = ['board', 'core', 'clock', 'SRAM', 'largest block', 'flash', 'PSRAM', 'active', 'sleep', 'verbs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  console.log([line(header), ...rows.map(line)].join('\n'));
  return EXIT.ok;
}

// tinyforge update update.tfu --board B --port P: a signed model update over the serial line to a slot firmware.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { SILENT_PROGRESS, terminalProgress } from '../../targets/flash/progress.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { SLOT_REGIONS } from '../../targets/firmware/update/slot-regions.ts';
import { sendUpdate } from '../../targets/update/send-update.ts';
import { confirmedText, failedVerdict } from '../../targets/update/update-verdict.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `usage: tinyforge update <update.tfu> --board <id> --port <port> [--baud 115200] [--progress] [--json]
  Sends a signed model update (tinyforge sign) to a slot firmware over its serial port, in acknowledged chunks
  (a dropped link is reopened and the transfer resumes where the device stands). The device checks the header
  and the Ed25519 signature with the key built into it (build --pub) before it writes, the SHA-256 after, then
  reboots into the new slot, runs the model's self-test vectors and confirms it — or rolls back.
  QEMU boards: start the slot firmware with its serial port on a pseudo-terminal and pass that as --port, e.g.
    qemu-system-arm -M mps2-an386 -semihosting-config enable=on,target=native -display none -monitor none \\
      -serial pty -kernel firmware.elf -append slot-flash=$PWD/slots.bin      (prints: char device redirected to /dev/pts/N)
  boards: ${Object.keys(SLOT_REGIONS).join(', ')}
  exit: 0 installed and confirmed; 4 refused by the device (header, signature, hash, version, truncated); 3 the model
  does not fit a slot; 7 installed but rolled back (failed self-test, crash or reset on trial); 1 link or device failure`;

const Options = z.object({
  positionals: z.array(z.string()),
  board: z.string({ error: 'required: --board <id> (a slot firmware board)' }),
  port: z.string({ error: 'required: --port <serial port> (for QEMU boards: the pty QEMU prints with -serial pty)' }),
  baud: z.coerce.number().int().positive().default(115200),
  progress: z.boolean().default(false),
  json: z.boolean().default(false),
});

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('update', args, {
    board: { type: 'string' }, port: { type: 'string' }, baud: { type: 'string' }, progress: { type: 'boolean' }, json: { type: 'boolean' },
  }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`tinyforge update: expected one update file (.tfu)\n${HELP}`, EXIT.usage);
  if (!SLOT_REGIONS[opts.board]) {
    throw new CliError(`tinyforge update: --board ${opts.board} runs no slot firmware; slot firmware boards are: ${Object.keys(SLOT_REGIONS).join(', ')}`, EXIT.usage);
  }
  const path = opts.positionals[0]!;
  let update: Uint8Array;
  try {
    update = new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new CliError(`tinyforge update: cannot read ${path}: ${(err as Error).message}`, EXIT.badInput);
  }
  try {
    const outcome = await sendUpdate(update, {
      openLink: () => SerialLink.open({ path: opts.port, baudRate: opts.baud, serialMode: '8n1' }),
      progress: opts.progress || process.stderr.isTTY ? terminalProgress() : SILENT_PROGRESS,
    });
    const slot = 'AB'[outcome.after.running ?? 0];
    if (opts.json) {
      console.log(JSON.stringify({ ok: true, board: opts.board, modelVersion: outcome.version, slot, previousVersion: outcome.before.runningVersion, bytes: update.length, resumes: outcome.resumes }));
    } else {
      console.log(confirmedText(path, opts.board, outcome, update.length));
    }
    return EXIT.ok;
  } catch (err) {
    const failed = failedVerdict(path, err);
    if (failed?.verdict === 'refused') {
      const code = failed.status === 'TOO_LARGE' ? EXIT.doesNotFit : ['NO_KEY', 'NO_FLASH_DRIVER', 'FLASH_ERROR', 'UNKNOWN_COMMAND'].includes(failed.status) ? EXIT.failure : EXIT.badUpdate;
      if (opts.json) console.log(JSON.stringify({ ok: false, status: failed.status, message: (err as Error).message }));
      throw new CliError(`tinyforge update: ${failed.text}`, code);
    }
    if (failed?.verdict === 'rolled-back') {
      if (opts.json) console.log(JSON.stringify({ ok: false, status: failed.status, message: (err as Error).message }));
      throw new CliError(`tinyforge update: ${failed.text}`, EXIT.rolledBack);
    }
    if (err instanceof FlashError) throw new CliError(`tinyforge update: ${err.message}`, EXIT.failure);
    throw err;
  }
}

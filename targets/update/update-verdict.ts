// What became of a signed update, in words: one wording for `tinyforge update` and the playground's update
// panel, so the terminal and the page name a refusal, a roll-back or a confirmation alike.
import type { UpdateOutcome } from './send-update.ts';
import { UpdateRolledBackError } from './send-update.ts';
import { UpdateRefusedError } from './update-protocol.ts';

/** A failed update the device itself decided: refused with a named status, or installed and rolled back. */
export type FailedUpdate =
  | { verdict: 'refused'; status: string; text: string }
  | { verdict: 'rolled-back'; status: 'ROLLED_BACK'; text: string };

/** `file`: how the update is named (its path in the CLI, its file name in the page); `board`: where it went. */
export function confirmedText(file: string, board: string, outcome: UpdateOutcome, bytes: number): string {
  const slot = 'AB'[outcome.after.running ?? 0];
  return `${file}: model version ${outcome.version} installed in slot ${slot}, booted, self-tested and confirmed on ${board} ` +
    `(was version ${outcome.before.runningVersion}; ${bytes.toLocaleString('en-US')} B${outcome.resumes ? `, resumed ${outcome.resumes}× after a dropped link` : ''})`;
}

/** The device's verdict on a failed update, or undefined when the error is not one (a link failure, a bug). */
export function failedVerdict(file: string, err: unknown): FailedUpdate | undefined {
  if (err instanceof UpdateRefusedError) return { verdict: 'refused', status: err.status, text: `${file}: ${err.message}; the running model keeps running` };
  if (err instanceof UpdateRolledBackError) return { verdict: 'rolled-back', status: 'ROLLED_BACK', text: `${file}: ${err.message}` };
  return undefined;
}

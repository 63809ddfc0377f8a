// How a failed command ends: one line on stderr naming the problem, and an exit code.
import { CliError, EXIT } from './cli-error.ts';

/** Errors that describe bad user input (a file, a model): reported as they are, exit 2. */
const BAD_INPUT_ERRORS = new Set([
  'ModelFormatError', 'UnsupportedOpsError', 'BlobFormatError', 'NpyFormatError', 'CompileError', 'PrepareError',
]);

export function reportError(command: string, err: unknown): number {
  if (err instanceof CliError) {
    console.error(err.message.startsWith('tinyforge') ? err.message : `tinyforge ${command}: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof Error && BAD_INPUT_ERRORS.has(err.name)) {
    console.error(`tinyforge ${command}: ${err.message}`);
    return EXIT.badInput;
  }
  if (err instanceof Error && err.name === 'RuntimeError') {
    console.error(`tinyforge ${command}: ${err.message}`);
    return EXIT.failure;
  }
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && ['ENOENT', 'EACCES', 'EISDIR', 'ENOSPC'].includes(err.code)) {
    console.error(`tinyforge ${command}: ${err.message}`);
    return EXIT.failure;
  }
  // Anything else is a bug in tinyforge: still one line, with a way to see more.
  console.error(`tinyforge ${command}: internal error: ${err instanceof Error ? err.message : String(err)} (set TINYFORGE_DEBUG=1 for details)`);
  if (process.env.TINYFORGE_DEBUG) console.error(err);
  return 70;
}

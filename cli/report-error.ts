// How a failed command ends: one line on stderr naming the problem, and an exit code.
import { CliError, EXIT } from './cli-error.ts';

/** Errors that describe bad user input (a file, a model): exit 2. */
const BAD_INPUT_ERRORS = new Set([
  'ModelFormatError', 'UnsupportedOpsError', 'BlobFormatError', 'NpyFormatError', 'CompileError', 'PrepareError',
  'ImportError', 'ModelFileError', 'CalibrationDataError', 'QuantizeError', 'WavFormatError', 'BoardFileError', 'CArrayNameError',
  'KeyFileError', 'UpdateFormatError', 'StatsFileError',
]);

/** JavaScript's own error classes: reaching the user, they mean a bug in tinyforge. */
const BUG_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError']);

export function reportError(command: string, err: unknown): number {
  if (err instanceof CliError) {
    console.error(err.message.startsWith('tinyforge') ? err.message : `tinyforge ${command}: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && ['ENOENT', 'EACCES', 'EISDIR', 'ENOSPC', 'ENOTDIR'].includes(err.code)) {
    console.error(`tinyforge ${command}: ${err.message}`);
    return EXIT.failure;
  }
  // tinyforge's own error classes (each names itself) carry messages written for users.
  if (err instanceof Error && !BUG_ERRORS.has(err.name)) {
    console.error(`tinyforge ${command}: ${err.message}`);
    return BAD_INPUT_ERRORS.has(err.name) ? EXIT.badInput : EXIT.failure;
  }
  console.error(`tinyforge ${command}: internal error: ${err instanceof Error ? err.message : String(err)} (set TINYFORGE_DEBUG=1 for details)`);
  if (process.env.TINYFORGE_DEBUG) console.error(err);
  return 70;
}

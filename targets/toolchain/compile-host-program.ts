// Compiles C sources into a program for the build machine (tests and host tools): C99, warnings as errors,
// optionally under AddressSanitizer and UndefinedBehaviorSanitizer.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findHostCompiler } from './find-toolchain.ts';

const execFileAsync = promisify(execFile);

/** `what` names the program in the error, which quotes the compiler's first lines. */
export async function compileHostProgram(p: { sources: string[]; includeDirs: readonly string[]; executable: string; sanitize?: boolean; what: string }): Promise<void> {
  const args = [
    '-std=c99', '-ffp-contract=off', '-O1', '-g', '-Wall', '-Wextra', '-Werror',
    ...(p.sanitize ? ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'] : []),
    ...p.includeDirs.map((d) => `-I${d}`),
    ...p.sources,
    '-o', p.executable,
  ];
  try {
    await execFileAsync(findHostCompiler(), args, { maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`host build of ${p.what} failed:\n${(e.stderr ?? e.message).trim().split('\n').slice(0, 30).join('\n')}`);
  }
}

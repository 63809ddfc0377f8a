// Builds the blob interpreter for the build machine (host/blob-host-main.c), optionally under ASan + UBSan:
// one program runs any model blob, the way a slot firmware does on a board.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findHostCompiler } from '../../toolchain/find-toolchain.ts';
import { INTERPRETER_DIR, INTERPRETER_HOST_SOURCES, INTERPRETER_INCLUDE_DIRS, interpreterSources } from './interpreter-sources.ts';

const execFileAsync = promisify(execFile);

export async function buildHostInterpreter(outDir: string, options: { sanitize?: boolean } = {}): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const executable = join(outDir, 'blob-host');
  const args = [
    '-std=c99', '-ffp-contract=off', '-O1', '-g', '-Wall', '-Wextra', '-Werror',
    ...(options.sanitize ? ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'] : []),
    ...INTERPRETER_INCLUDE_DIRS.map((d) => `-I${d}`),
    join(INTERPRETER_DIR, 'host', 'blob-host-main.c'), ...interpreterSources(), ...INTERPRETER_HOST_SOURCES,
    '-o', executable,
  ];
  try {
    await execFileAsync(findHostCompiler(), args, { maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`host build of the blob interpreter failed:\n${(e.stderr ?? e.message).trim().split('\n').slice(0, 30).join('\n')}`);
  }
  return executable;
}

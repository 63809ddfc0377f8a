// Builds the blob interpreter for the build machine (host/blob-host-main.c), optionally under ASan + UBSan:
// one program runs any model blob, the way a slot firmware does on a board.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileHostProgram } from '../../toolchain/compile-host-program.ts';
import { INTERPRETER_DIR, INTERPRETER_HOST_SOURCES, INTERPRETER_INCLUDE_DIRS, interpreterSources } from './interpreter-sources.ts';

export async function buildHostInterpreter(outDir: string, options: { sanitize?: boolean } = {}): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const executable = join(outDir, 'blob-host');
  await compileHostProgram({
    sources: [join(INTERPRETER_DIR, 'host', 'blob-host-main.c'), ...interpreterSources(), ...INTERPRETER_HOST_SOURCES],
    includeDirs: INTERPRETER_INCLUDE_DIRS, executable, sanitize: options.sanitize, what: 'the blob interpreter',
  });
  return executable;
}

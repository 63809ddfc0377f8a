// Builds the instruction-count TCG plugin (plugin/insn-count.c) with the host compiler at first use and
// caches the shared library by the hash of its sources.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findHostCompiler } from '../toolchain/find-toolchain.ts';

const pluginDir = join(dirname(fileURLToPath(import.meta.url)), 'plugin');

export function pluginCacheDir(): string {
  return process.env.TINYFORGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tinyforge');
}

export function insnCountPlugin(): string {
  const files = ['insn-count.c', 'insn-class.h', 'qemu-plugin-api.h'].map((f) => join(pluginDir, f));
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(f));
  const lib = join(pluginCacheDir(), `insn-count-${hash.digest('hex').slice(0, 16)}.so`);
  if (existsSync(lib)) return lib;
  mkdirSync(dirname(lib), { recursive: true });
  const tmp = `${lib}.${process.pid}.tmp`;
  try {
    execFileSync(findHostCompiler(), ['-shared', '-fPIC', '-O2', '-fvisibility=hidden', '-Wall', '-o', tmp, files[0]], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`building the QEMU instruction-count plugin failed: ${(e.stderr?.toString() ?? e.message).trim()}`);
  }
  renameSync(tmp, lib); // atomic: a concurrent build never sees a half-written library
  return lib;
}

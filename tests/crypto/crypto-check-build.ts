// Builds tests/crypto/crypto-check.c with the firmware's C crypto twice: for this machine (gcc, under ASan and
// UBSan) and for the QEMU Cortex-M4F board (arm-none-eabi-gcc, the board's startup and UART), plus a client
// that frames requests for either.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CRYPTO_DIR, CRYPTO_SOURCES } from '../../targets/firmware/crypto/crypto-sources.ts';
import { FIRMWARE_DIR } from '../../targets/firmware/build-firmware.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { findCrossToolchain } from '../../targets/toolchain/find-toolchain.ts';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'crypto-check.c');
const STRICT = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic'];

/** `sanitize`: under ASan + UBSan (about 10x slower); else -O2, for bulk runs. */
export function buildHostCheck(dir: string, sanitize = true): string {
  const exe = join(dir, sanitize ? 'crypto-check-sanitized' : 'crypto-check');
  const flags = sanitize ? ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'] : ['-O2'];
  execFileSync('gcc', [...STRICT, ...flags, '-DCRYPTO_CHECK_HOST', `-I${CRYPTO_DIR}`, DRIVER, ...CRYPTO_SOURCES, '-o', exe]);
  return exe;
}

export interface BoardCheck {
  elf: string;
  markers: { begin: number; op: number; end: number };
}

export function buildBoardCheck(dir: string): BoardCheck {
  const target = firmwareTarget('qemu-mps2-an386');
  const tc = findCrossToolchain('arm');
  const elf = join(dir, 'crypto-check.elf');
  const sources = [join(FIRMWARE_DIR, 'cortex-m', 'startup.c'), join(FIRMWARE_DIR, 'boards', target.id, 'board.c'), join(FIRMWARE_DIR, 'common', 'profile-markers.c')];
  execFileSync(tc.gcc, [
    ...target.cpuFlags, ...STRICT.filter((f) => f !== '-pedantic'), '-O2', '-ffreestanding', '-nostartfiles', '-ffunction-sections', '-fdata-sections', '-DTF_PROFILE',
    `-I${CRYPTO_DIR}`, `-I${join(FIRMWARE_DIR, 'common')}`, `-I${join(FIRMWARE_DIR, 'cortex-m')}`,
    DRIVER, ...CRYPTO_SOURCES, ...sources, '-Wl,--gc-sections', `-L${join(FIRMWARE_DIR, 'cortex-m')}`, `-L${join(FIRMWARE_DIR, 'update')}`, '-T', join(FIRMWARE_DIR, 'boards', target.id, 'memory.ld'),
    ...tc.linkLibraries, '-o', elf,
  ]);
  const symbols = new Map<string, number>();
  for (const line of execFileSync(tc.nm, [elf], { encoding: 'utf8' }).split('\n')) {
    const [addr, , name] = line.trim().split(/\s+/);
    if (name) symbols.set(name, (parseInt(addr, 16) & ~1) >>> 0);
  }
  return { elf, markers: { begin: symbols.get('tf_mark_invoke_begin')!, op: symbols.get('tf_mark_op_end')!, end: symbols.get('tf_mark_invoke_end')! } };
}

/** Code (.text + .rodata) of the crypto files compiled alone for the Cortex-M4F at `optimize`, per file. */
export function cortexM4CodeBytes(dir: string, optimize: '-O2' | '-Os'): Record<string, number> {
  const target = firmwareTarget('qemu-mps2-an386');
  const tc = findCrossToolchain('arm');
  const sizes: Record<string, number> = {};
  for (const src of CRYPTO_SOURCES) {
    const name = src.split('/').pop()!.replace(/\.c$/, '');
    const obj = join(dir, `${name}${optimize}.o`);
    execFileSync(tc.gcc, [...target.cpuFlags, '-std=c99', optimize, '-ffreestanding', '-c', src, '-o', obj]);
    const [, row] = execFileSync(tc.size, ['-A', obj], { encoding: 'utf8' }).split('\n').reduce<[string, number]>((acc, line) => {
      const m = /^\.(text|rodata)\S*\s+(\d+)/.exec(line);
      return m ? [acc[0], acc[1] + Number(m[2])] : acc;
    }, ['', 0]);
    sizes[name] = row;
  }
  return sizes;
}

export type CheckRequest =
  | { op: 'sha256' | 'sha512'; message: Uint8Array }
  | { op: 'verify'; publicKey: Uint8Array; signature: Uint8Array; message: Uint8Array };

export function encodeRequests(requests: CheckRequest[], quit = false): Buffer {
  const parts: Buffer[] = [];
  for (const r of requests) {
    const head = Buffer.alloc(5);
    head.writeUInt8(r.op === 'sha256' ? 0x68 : r.op === 'sha512' ? 0x48 : 0x76, 0);
    head.writeUInt32LE(r.message.length, 1);
    parts.push(head);
    if (r.op === 'verify') parts.push(Buffer.from(r.publicKey), Buffer.from(r.signature));
    parts.push(Buffer.from(r.message));
  }
  if (quit) parts.push(Buffer.from('q'));
  return Buffer.concat(parts);
}

/** Splits the driver's answers: a digest per hash request, a boolean per verification. */
export function decodeAnswers(requests: CheckRequest[], out: Uint8Array): (Uint8Array | boolean)[] {
  let at = 0;
  return requests.map((r) => {
    const n = r.op === 'sha256' ? 32 : r.op === 'sha512' ? 64 : 1;
    const chunk = out.subarray(at, at + n);
    at += n;
    if (chunk.length !== n) throw new Error(`crypto-check answered ${out.length} bytes, short of request ${requests.indexOf(r)}`);
    return r.op === 'verify' ? chunk[0] === 1 : new Uint8Array(chunk);
  });
}

export function runHostCheck(exe: string, requests: CheckRequest[]): (Uint8Array | boolean)[] {
  const run = spawnSync(exe, [], { input: encodeRequests(requests), maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`crypto-check exited ${run.status}: ${run.stderr.toString().slice(0, 2000)}`);
  return decodeAnswers(requests, run.stdout);
}

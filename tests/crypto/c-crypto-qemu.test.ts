// The same C crypto cross-compiled for the Cortex-M4F and run on QEMU's mps2-an386: FIPS 180-4 and RFC 8032
// vectors and node:crypto-signed cases over the emulated UART, instructions per verification from the TCG
// plugin, and the code size the verifier adds to a firmware.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { parseInstructionLog } from '../../targets/qemu/instruction-counts.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { buildBoardCheck, cortexM4CodeBytes, decodeAnswers, encodeRequests, type CheckRequest } from './crypto-check-build.ts';
import { nodeSignedCases } from './ed25519-cases.ts';
import { FIPS180_VECTORS } from './fips180-vectors.ts';
import { RFC8032_VECTORS } from './rfc8032-vectors.ts';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const work = mkdtempSync(join(tmpdir(), 'tinyforge-crypto-qemu-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('C crypto on qemu-mps2-an386 (Cortex-M4F)', () => {
  it('gives FIPS 180-4 digests, accepts RFC 8032 vectors and agrees with node:crypto on signed and flipped cases', async () => {
    const board = buildBoardCheck(work);
    const shaVectors = FIPS180_VECTORS.filter((v) => v.message.length < 100_000); // a million bytes over the UART is slow
    const cases = nodeSignedCases(60, 86, 300);
    const requests: CheckRequest[] = [
      ...shaVectors.flatMap((v) => [{ op: 'sha256', message: v.message }, { op: 'sha512', message: v.message }] as CheckRequest[]),
      ...RFC8032_VECTORS.map((v) => ({ op: 'verify', publicKey: hex(v.publicKey), signature: hex(v.signature), message: hex(v.message) }) as CheckRequest),
      ...cases.map((c) => ({ op: 'verify', publicKey: c.publicKey, signature: c.signature, message: c.message }) as CheckRequest),
    ];
    const run = await runQemu({ target: firmwareTarget('qemu-mps2-an386'), elf: board.elf, serialInput: encodeRequests(requests, true), markers: board.markers, timeoutMs: 240_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    const answers = decodeAnswers(requests, run.serialOutput);
    shaVectors.forEach((v, i) => {
      expect(Buffer.from(answers[2 * i] as Uint8Array).toString('hex'), `${v.name} SHA-256`).toBe(v.sha256);
      expect(Buffer.from(answers[2 * i + 1] as Uint8Array).toString('hex'), `${v.name} SHA-512`).toBe(v.sha512);
    });
    const verdicts = answers.slice(2 * shaVectors.length);
    expect(verdicts.slice(0, RFC8032_VECTORS.length)).toEqual(RFC8032_VECTORS.map(() => true));
    expect(verdicts.slice(RFC8032_VECTORS.length)).toEqual(cases.map((c) => c.nodeAccepts));

    // One begin/end marker pair per verification: QEMU's instruction count (not cycles; platform.md).
    const counts = parseInstructionLog(run.instructionLog ?? '').map((c) => c.instructions);
    expect(counts.length).toBe(RFC8032_VECTORS.length + cases.length);
    const accepted = counts.slice(0, RFC8032_VECTORS.length);
    console.log(`ed25519_verify on Cortex-M4F (QEMU): ${Math.min(...accepted).toLocaleString('en-US')}–${Math.max(...accepted).toLocaleString('en-US')} instructions per accepted RFC 8032 vector`);
  }, 300_000);

  it('reports the code the verifier adds (arm-none-eabi-size, -O2 and -Os)', () => {
    for (const optimize of ['-O2', '-Os'] as const) {
      const sizes = cortexM4CodeBytes(work, optimize);
      const verify = sizes['sha512']! + sizes['field25519']! + sizes['ed25519-point']! + sizes['scalar25519']! + sizes['ed25519-verify']!;
      console.log(`Cortex-M4F ${optimize}: Ed25519 verify (with SHA-512) ${verify} B of code and constants, SHA-256 ${sizes['sha256']} B (${JSON.stringify(sizes)})`);
      expect(verify).toBeGreaterThan(1000);
      expect(sizes['sha256']).toBeGreaterThan(256); // at least its 64 round constants
    }
  });
});

// Seeded fault injection: a few dozen sessions with one fault each (the long run is `npm run soak`).
// A session reported successful must have left exactly the image in flash; a failure must be a named
// FlashError; and a clean attempt on the same port right after must succeed without a manual reset.
import { beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../targets/flash/sim/fault-injector.ts';
import { FAULT_KINDS, runFaultSession, type Family } from '../../targets/flash/sim/fault-session.ts';
import { requireTool } from './required-tool.ts';

const NAMED = ['ok', 'PORT_CLOSED', 'NO_ANSWER', 'TIMEOUT', 'NACK', 'PROTOCOL', 'DEVICE_ERROR', 'VERIFY_MISMATCH', 'WRITE_PROTECTED', 'READ_PROTECTED'];

describe('fault plans', () => {
  it('are reproducible from their seed', () => {
    const opts = { bytesToDevice: 5000, bytesToHost: 900, commands: 40 };
    for (const kind of FAULT_KINDS) expect(FaultInjector.random(42, kind, opts)).toEqual(FaultInjector.random(42, kind, opts));
    expect(FaultInjector.random(1, 'drop', opts)).not.toEqual(FaultInjector.random(2, 'drop', opts));
  });

  it('drop, corrupt and delay exactly the bytes they name', async () => {
    const injector = new FaultInjector([
      { kind: 'drop', direction: 'toDevice', atByte: 1 },
      { kind: 'corrupt', direction: 'toDevice', atByte: 3, xor: 0x80 },
      { kind: 'delay', direction: 'toHost', atByte: 0, ms: 30 },
    ]);
    const got: number[] = [];
    injector.pass('toDevice', Uint8Array.of(10, 11, 12, 13), (b) => got.push(...b));
    expect(got).toEqual([10, 12, 13 ^ 0x80]);
    const late: number[] = [];
    injector.pass('toHost', Uint8Array.of(1, 2), (b) => late.push(...b));
    expect(late).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(late).toEqual([1, 2]);
    injector.dispose();
  });
});

describe.each(['stm32', 'esp32'] as Family[])('%s sessions under injected faults', (family) => {
  it.each(FAULT_KINDS.flatMap((kind) => [1, 2, 3].map((n) => ({ kind, seed: n * 1000 + FAULT_KINDS.indexOf(kind) * 10 + (family === 'esp32' ? 5 : 0) }))))(
    '$kind, seed $seed: never a false success, always a named error, then a clean retry succeeds',
    async ({ kind, seed }) => {
      const r = await runFaultSession(family, seed, kind);
      expect(r.unnamedOrHung).toBeUndefined();
      expect(NAMED).toContain(r.outcome);
      expect(r.falseSuccess).toBe(false);
      expect(r.recovered).toBe(true);
      if (kind === 'disconnect' && r.fired > 0) expect(r.outcome).toBe('PORT_CLOSED');
    },
  );
});

describe('sessions under injected faults over a real pty', () => {
  beforeAll(() => requireTool('socat'));
  it.each([
    { family: 'stm32' as Family, kind: 'drop' as const, seed: 71 },
    { family: 'stm32' as Family, kind: 'stall' as const, seed: 72 },
    { family: 'esp32' as Family, kind: 'corrupt' as const, seed: 73 },
    { family: 'esp32' as Family, kind: 'delay' as const, seed: 74 },
  ])('$family, $kind, seed $seed', async ({ family, kind, seed }) => {
    const r = await runFaultSession(family, seed, kind, 'pty');
    expect(r.transport).toBe('pty');
    expect(r.unnamedOrHung).toBeUndefined();
    expect(NAMED).toContain(r.outcome);
    expect(r.falseSuccess).toBe(false);
    expect(r.recovered).toBe(true);
  });
});

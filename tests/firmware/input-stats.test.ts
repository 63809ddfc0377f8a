// The firmware's drift statistics (targets/firmware/common/input-stats.c, built with the host's gcc under ASan and
// UBSan) against their TypeScript twin (simulator/drift/input-stats.ts): the same record, byte for byte, over
// random inputs on the geometries of the corpus models and odd ones.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeStatsRecord, encodeStatsRecord, groupChannels, groupMoments, statsGeometry, statsRecordBytes } from '../../formats/input-stats/input-stats-record.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { InputStats } from '../../simulator/drift/input-stats.ts';
import { FIRMWARE_DIR } from '../../targets/firmware/build-firmware.ts';

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tf-input-stats-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const exe = join(work, 'input-stats-host');
function buildHost(): void {
  const r = spawnSync('gcc', ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-fsanitize=address,undefined', '-fno-sanitize-recover=all',
    `-I${join(FIRMWARE_DIR, 'common')}`, join(FIRMWARE_DIR, 'common', 'input-stats.c'), join(here, 'input-stats-host.c'), '-o', exe], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };

describe('input statistics: C firmware code vs TypeScript twin', () => {
  it('builds with the host gcc', buildHost);

  const shapes: { name: string; input: number[]; outputs: number }[] = [
    { name: 'keyword spotting [1,49,10,1], 12 classes', input: [1, 49, 10, 1], outputs: 12 },
    { name: 'anomaly detection [1,640] (640 channels in 16 groups)', input: [1, 640], outputs: 640 },
    { name: 'visual wake words [1,96,96,3], 2 classes', input: [1, 96, 96, 3], outputs: 2 },
    { name: 'hello world [1,1]', input: [1, 1], outputs: 1 },
    { name: '[2,7,1,1] (19 classes: not tracked)', input: [2, 7, 1, 1], outputs: 19 },
    { name: '[1,5,17] (17 channels in 16 groups)', input: [1, 5, 17], outputs: 16 },
  ];
  for (const [si, shape] of shapes.entries()) {
    it(shape.name, () => {
      const g = statsGeometry(shape.input, { elements: shape.outputs, dtype: 'int8' });
      const rng = new SeededRandom(100 + si);
      const twin = new InputStats(g);
      const parts: Buffer[] = [u32(g.channels), u32(g.stride), u32(g.elements), u32(g.classes)];
      const expected: Uint8Array[] = [];
      for (let round = 0; round < 3; round++) {
        for (let n = 0; n < 20; n++) {
          // Extremes included: -128 and 127 sit at the histogram's ends and the sums' limits.
          const input = Int8Array.from({ length: g.elements }, () => (rng.next() < 0.1 ? (rng.next() < 0.5 ? -128 : 127) : rng.int(-128, 127)));
          const output = Int8Array.from({ length: g.classes }, () => rng.int(-128, 127));
          twin.update(input, output);
          parts.push(Buffer.from('u'), Buffer.from(input.buffer), Buffer.from(output.buffer));
        }
        parts.push(Buffer.from(round === 1 ? 'z' : 'r'));
        expected.push(encodeStatsRecord(twin.snapshot()));
        if (round === 1) twin.reset();
      }
      const run = spawnSync(exe, [], { input: Buffer.concat(parts), maxBuffer: 16 << 20 });
      expect(run.stderr.toString()).toBe('');
      expect(run.status).toBe(0);
      const size = statsRecordBytes(g.groups);
      expect(run.stdout.length).toBe(3 * size);
      expected.forEach((e, i) => expect(new Uint8Array(run.stdout.subarray(i * size, (i + 1) * size)), `record ${i}`).toEqual(e));
      const decoded = decodeStatsRecord(new Uint8Array(run.stdout.subarray(0, size)));
      expect(decoded.invocations).toBe(20);
      expect(decoded.groups.reduce((n, s) => n + Number(s.count), 0)).toBe(20 * g.elements);
    });
  }

  it('keeps KWS statistics per MFCC coefficient: mean and variance as computed directly', () => {
    const g = statsGeometry([1, 49, 10, 1], { elements: 12, dtype: 'int8' });
    expect(g).toEqual({ channels: 10, stride: 1, groups: 10, elements: 490, classes: 12 });
    const twin = new InputStats(g);
    const rng = new SeededRandom(7);
    const inputs = Array.from({ length: 30 }, () => Int8Array.from({ length: 490 }, (_, i) => rng.int(-128, 127) >> (i % 10 === 3 ? 4 : 0)));
    for (const x of inputs) twin.update(x, new Int8Array(12));
    const coefficient3 = inputs.flatMap((x) => Array.from(x).filter((_, i) => i % 10 === 3));
    const mean = coefficient3.reduce((a, b) => a + b, 0) / coefficient3.length;
    const variance = coefficient3.reduce((a, b) => a + (b - mean) ** 2, 0) / coefficient3.length;
    const m = groupMoments(twin.snapshot().groups[3]!);
    expect(m.mean).toBeCloseTo(mean, 12);
    expect(m.variance).toBeCloseTo(variance, 9);
    expect(groupChannels(statsGeometry([1, 640]), 15)).toEqual({ first: 600, last: 639 });
  });
});

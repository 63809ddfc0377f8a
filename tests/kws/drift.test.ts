// The KWS drift demo: the project's 20 test clips as one 20-second recording, clean, with the microphone's gain
// turned up until it clips, and with added noise. Clean stays quiet; clipping and noise raise the alarm — on QEMU
// through the firmware's own statistics (real INVOKE and STATS frames), and in the simulator (simulate --stream
// --drift), whose TypeScript twin must give the firmware's record exactly.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWav } from '../../frontend/wav.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { compileTflite } from '../../compiler/compile-model.ts';
import { qemuOnPty } from '../cli/qemu-on-pty.ts';
import { repoRoot, tinyforge, tinyforgeAsync } from '../cli/run-cli.ts';
import { sampleClips } from './test-clips.ts';

const work = mkdtempSync(join(tmpdir(), 'tf-kws-drift-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const out = join(work, 'kws');
const wav = (name: string) => join(work, `${name}.wav`);
const clamp = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));

beforeAll(() => {
  const r = tinyforge(['compile', join(repoRoot, 'examples/kws/model/model.json'), '--calibration', join(repoRoot, 'examples/kws/model/calibration-x.npy'), '--softmax-headroom', '16', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const clips = sampleClips();
  expect(clips).toHaveLength(20);
  const rec = new Int16Array(clips.reduce((n, c) => n + c.samples.length, 0));
  let at = 0;
  for (const c of clips) {
    rec.set(c.samples, at);
    at += c.samples.length;
  }
  const rms = Math.sqrt(rec.reduce((a, v) => a + v * v, 0) / rec.length);
  const rng = new SeededRandom(3);
  const write = (name: string, f: (v: number) => number) => writeFileSync(wav(name), writeWav({ samples: rec.map(f), sampleRate: 16000 }));
  write('clean', (v) => v);
  write('quieter', (v) => clamp(v / 4)); // gain down 12 dB: the front end divides each window by its peak
  write('clipped', (v) => clamp(v * 4)); // gain up 12 dB into the converter's limits
  write('noise-20db', (v) => clamp(v + 0.1 * rms * rng.gaussian()));
}, 120_000);

interface DriftJson { verdict: string; message: string; maxPsi: number; invocations: number; channels: { name: string; psi: number }[]; stats: unknown }

describe('KWS drift demo', () => {
  it('compile writes the calibration data\'s statistics beside the model: 10 MFCC channels over 240 clips, 12 classes', () => {
    const stats = JSON.parse(readFileSync(join(out, 'input-stats.json'), 'utf8'));
    expect(stats.format).toBe('tinyforge-input-stats/1');
    expect(stats.geometry).toEqual({ channels: 10, stride: 1, groups: 10, elements: 490, classes: 12 });
    expect(stats.invocations).toBe(240);
    expect(stats.groups.map((g: { count: number }) => g.count)).toEqual(new Array(10).fill(240 * 49));
  });

  const simulateDrift = (name: string) => {
    const r = tinyforge(['simulate', out, '--board', 'nucleo-l4r5zi', '--stream', wav(name), '--drift', '--json']);
    return { code: r.code, stderr: r.stderr, drift: JSON.parse(r.stdout).drift as DriftJson };
  };

  it('in the simulator: clean and quieter stay below the alarm, clipped and noisy raise it (exit 6)', () => {
    const clean = simulateDrift('clean');
    expect(clean.code).toBe(0);
    expect(clean.drift.invocations).toBe(77);
    expect(clean.drift.maxPsi).toBeLessThan(0.25);
    expect(clean.drift.verdict).not.toBe('drifting');
    const quieter = simulateDrift('quieter');
    expect(quieter.code).toBe(0);
    expect(quieter.drift.maxPsi).toBeLessThan(0.25);
    for (const name of ['clipped', 'noise-20db']) {
      const r = simulateDrift(name);
      expect(r.code, name).toBe(6);
      expect(r.drift.verdict).toBe('drifting');
      expect(r.drift.maxPsi).toBeGreaterThan(0.25);
      expect(r.drift.message).toMatch(/^drifting: channels? [\d, ]+ moved most, PSI \d+\.\d\d > 0\.25/);
    }
    // The reference computed from the calibration data here is the one compile wrote.
    const fromData = tinyforge(['simulate', out, '--board', 'nucleo-l4r5zi', '--stream', wav('noise-20db'), '--drift', '--calibration', join(repoRoot, 'examples/kws/model/calibration-x.npy'), '--json']);
    expect(JSON.parse(fromData.stdout).drift.channels).toEqual(simulateDrift('noise-20db').drift.channels);
    const text = tinyforge(['simulate', out, '--board', 'nucleo-l4r5zi', '--stream', wav('noise-20db'), '--drift']);
    expect(text.code).toBe(6);
    expect(text.stdout).toMatch(/^drifting: channels 0, 1, 2 moved most, PSI 1\.\d\d > 0\.25 \(3 of 10 over\)$/m);
  });

  for (const board of ['qemu-mps2-an386', 'qemu-riscv32']) {
    it(`on ${board}: the firmware's STATS after the same windows equal the simulator's twin; clean quiet, noisy alarms`, () => {
      for (const [name, code] of [['clean', 0], ['noise-20db', 6]] as const) {
        if (board === 'qemu-riscv32' && name === 'clean') continue; // one recording on the second board is enough
        const r = tinyforge(['monitor', out, '--board', board, '--feed', wav(name), '--json']);
        expect(r.stderr).toBe('');
        expect(r.code, name).toBe(code);
        const device = JSON.parse(r.stdout) as DriftJson & { fed: number };
        expect(device.fed).toBe(77);
        expect(device.invocations).toBe(77);
        const sim = simulateDrift(name);
        expect(device.stats).toEqual(sim.drift.stats);
        expect(device.verdict).toBe(sim.drift.verdict);
      }
    });
  }

  it('over a real pty (--port): reads, resets, and then has nothing to compare', async () => {
    const board = await qemuOnPty(compileTflite(new Uint8Array(readFileSync(join(out, 'model_int8.tflite'))), 'kws'), 'qemu-mps2-an386', join(work, 'pty'));
    const cli = tinyforgeAsync;
    try {
      const first = await cli(['monitor', out, '--board', 'qemu-mps2-an386', '--port', board.path, '--feed', wav('clipped'), '--reset']);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(6);
      expect(first.stdout).toMatch(/^drifting: channel/m);
      const second = await cli(['monitor', '--board', 'qemu-mps2-an386', '--port', board.path, '--stats', join(out, 'input-stats.json')]);
      expect(second.code).toBe(1);
      expect(second.stderr.trim()).toBe('tinyforge monitor: no inferences since the statistics were last reset: nothing to compare yet');
    } finally {
      board.stop();
    }
  });
});

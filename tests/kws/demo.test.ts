// npm run demo as a test: its main function, with its output collected.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../examples/kws/demo.ts';
import { LABELS } from '../../examples/kws/data/labels.ts';
import { readWav, writeWav } from '../../frontend/wav.ts';
import { repoRoot, sampleClips } from './test-clips.ts';

const dir = mkdtempSync(join(tmpdir(), 'kws-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run demo (keyword spotting)', () => {
  it('prints every clip, both accuracies and the board table, and writes the report', async () => {
    const lines: string[] = [];
    const reportPath = join(dir, 'demo-report.html');
    const r = await runDemo({ outDir: join(dir, 'kws'), reportPath, log: (l) => lines.push(...l.split('\n')), progress: false });
    const text = lines.join('\n');
    const label = `(?:${LABELS.join('|')})`;
    const clipLine = new RegExp(`^ {3}\\S+ +(${label}) +(${label}) +\\d+\\.\\d% (ok  |MISS) +(${label}) +\\d+\\.\\d%$`);
    const clipLines = lines.filter((l) => clipLine.test(l));
    expect(clipLines).toHaveLength(sampleClips().length);
    for (const l of clipLines) {
      const [, truth, int8, verdict] = clipLine.exec(l)!;
      expect(verdict!.trim()).toBe(truth === int8 ? 'ok' : 'MISS');
    }
    const n = clipLines.length;
    expect(text).toContain(`accuracy on the samples: float ${r.floatCorrect}/${n} (${((100 * r.floatCorrect) / n).toFixed(1)}%), int8 ${r.int8Correct}/${n}`);
    expect(r.int8Correct).toBe(clipLines.filter((l) => l.includes(' ok ')).length);
    expect(r.int8Correct).toBeGreaterThanOrEqual(n / 2);
    expect(text).toMatch(/^ {3}SRAM +[\d,]+ B +655,360 B +\d+\.\d%: model/m);
    expect(text).toMatch(/^ {3}flash +[\d,]+ B +2,097,152 B +\d+\.\d%: model/m);
    expect(text).toMatch(/^ {3}latency +\d+\.\d ms +front end \d+\.\d ms .* \+ model \d+\.\d ms/m);
    expect(text).toMatch(/^ {3}energy +[\d,]+ µJ +per inference/m);
    expect(text).toMatch(/^ {3}battery +\d+ days +2×AA/m);
    expect(r.duty.latencyMs).toBeCloseTo(r.frontend.ms + r.simulation.totals.latencyMs, 9);
    // Duty-cycled: 2 × 2500 mAh at 3.0 V over the average power at the board's supply.
    expect(r.duty.battery!.hours).toBeCloseTo((2500 * 3.0) / r.duty.averagePowerMw, 6);

    const html = readFileSync(reportPath, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Keyword spotting: sample clips');
    expect(html.match(/<tr><td>[^<]+\.wav<\/td>/g)).toHaveLength(n);
    expect(existsSync(join(dir, 'kws', 'model.tfb')) && existsSync(join(dir, 'kws', 'labels.txt'))).toBe(true);
  }, 120_000);

  it('runs on a recording the user gives it (npm run demo -- --wav FILE): each window\'s scores, then the detections', async () => {
    // Two sample clips back to back with a quiet noise floor between: a recording the demo has not seen whole.
    const yes = readWav(new Uint8Array(readFileSync(join(repoRoot, 'examples/kws/samples', sampleClips().find((c) => c.name.startsWith('yes'))!.name))));
    const samples = new Int16Array(3 * 16000);
    samples.set(yes.samples, 16000);
    for (let i = 0; i < 16000; i++) samples[i] = ((i * 7919) % 201) - 100;
    const wav = join(dir, 'mine.wav');
    writeFileSync(wav, writeWav({ sampleRate: 16000, samples }));
    const lines: string[] = [];
    await runDemo({ outDir: join(dir, 'kws2'), reportPath: join(dir, 'r2.html'), wav, log: (l) => lines.push(...l.split('\n')), progress: false });
    const text = lines.join('\n');
    expect(text).toContain(`6. your recording ${wav}`);
    expect(text).toMatch(/per window \(time of its middle, top class, its score, the next two\):\n(\s+\d+\.\d\d s  \w+ .*\n)+\s+detections:\n\s+\d\.\d\d s  yes /);
  }, 120_000);
});

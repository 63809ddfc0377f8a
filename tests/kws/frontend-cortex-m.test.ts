// The C front end cross-compiled for Cortex-M4 and run under QEMU (mps2-an386) gives the same int8 features as the
// AssemblyScript twin: the firmware's front end is the simulator's, instruction set and all.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFixedFrontend } from '../../frontend/fixed-frontend-wasm.ts';
import { featureQuantization } from '../../frontend/fixed-point-format.ts';
import { MLPERF_INPUT_SCALE, MLPERF_INPUT_ZERO_POINT } from '../../frontend/mfcc-config.ts';
import { repoRoot, sampleClips, syntheticClips } from './test-clips.ts';


describe('C front end on Cortex-M4 (QEMU mps2-an386)', () => {
  it('gives the AssemblyScript twin’s features on sample and synthetic clips', () => {
    execFileSync('node', [join(repoRoot, 'frontend', 'build.mjs')]);
    const q = featureQuantization(MLPERF_INPUT_SCALE, MLPERF_INPUT_ZERO_POINT);
    const dir = mkdtempSync(join(tmpdir(), 'kws-m4-'));
    const here = join(repoRoot, 'tests', 'kws', 'cortex-m');
    const frontendC = join(repoRoot, 'frontend', 'c');
    execFileSync('arm-none-eabi-gcc', [
      '-std=c99', '-mcpu=cortex-m4', '-mthumb', '-O2', '-ffreestanding', '-nostartfiles', '-nostdlib', '-Wall', '-Wextra', '-Werror',
      `-DQUANT_MULTIPLIER=${q.multiplier}`, `-DQUANT_SHIFT=${q.shift}`, `-DZERO_POINT=${q.zeroPoint}`,
      '-I', frontendC, '-T', join(here, 'link.ld'), join(here, 'harness.c'), join(frontendC, 'kws_frontend.c'), '-lgcc', '-o', join(dir, 'fe.elf'),
    ]);
    // Whole seconds only: the harness reads 16,000 samples per clip.
    const clips = [...sampleClips().slice(0, 6), ...syntheticClips().filter((c) => c.samples.length === 16000)];
    const raw = new Int16Array(clips.length * 16000);
    clips.forEach((c, i) => raw.set(c.samples, i * 16000));
    writeFileSync(join(dir, 'clips.raw'), raw);
    const run = spawnSync('qemu-system-arm', ['-M', 'mps2-an386', '-nographic', '-monitor', 'none', '-semihosting-config', 'enable=on,target=native', '-kernel', 'fe.elf'], { cwd: dir, timeout: 60_000 });
    expect(run.status, run.stderr.toString()).toBe(0);
    const features = new Int8Array(readFileSync(join(dir, 'features.raw')));
    expect(features.length).toBe(clips.length * 490);
    const wasm = createFixedFrontend(q);
    clips.forEach((c, i) => expect(Array.from(features.subarray(i * 490, (i + 1) * 490)), c.name).toEqual(Array.from(wasm.features(c.samples))));
  });
});

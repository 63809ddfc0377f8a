// tinyforge monitor's refusals: each names what is missing and the way out, before any device is opened.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusDir, readMeta } from '../conformance-corpus.ts';
import { tinyforge } from './run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'tf-monitor-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hello = () => join(corpusDir(), readMeta('hello_world_int8').model);

describe('tinyforge monitor refuses', () => {
  it('a model without reference statistics (usage, 64)', () => {
    const r = tinyforge(['monitor', hello(), '--board', 'qemu-mps2-an386']);
    expect(r.code).toBe(64);
    expect(r.stderr.trim()).toBe("tinyforge monitor: no reference statistics: give --stats input-stats.json (written by 'tinyforge compile' beside the model), --calibration data.npy, or a compiled folder that holds input-stats.json");
  });

  it('a real board without --port (usage, 64)', () => {
    const r = tinyforge(['monitor', '--board', 'nucleo-l4r5zi', '--stats', join(work, 'x.json')]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^tinyforge monitor: --board nucleo-l4r5zi is a real board: give --port <path>/);
  });

  it('a statistics file that is not one (bad input, 2)', () => {
    writeFileSync(join(work, 'bogus.json'), '{"format":"something else"}');
    const r = tinyforge(['monitor', hello(), '--board', 'qemu-mps2-an386', '--stats', join(work, 'bogus.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/bogus\.json: not an input-statistics file \(format "tinyforge-input-stats\/1", as 'tinyforge compile' writes input-stats\.json\)$/);
  });

  it('a WAV for a model that is not a keyword model (usage, 64)', () => {
    writeFileSync(join(work, 'a.wav'), new Uint8Array(44));
    const r = tinyforge(['monitor', hello(), '--board', 'qemu-mps2-an386', '--calibration', join(corpusDir(), 'calibration', 'hello_world_calib_x.npy'), '--feed', join(work, 'a.wav')]);
    expect(r.code).toBe(64);
    expect(r.stderr.trim()).toMatch(/--feed .*a\.wav: a WAV feeds a keyword model \(one int8 input of 490 MFCC features\); this model takes 1 B$/);
  });
});

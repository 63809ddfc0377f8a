// The progress bar shows the phase, bytes done and the rate in bytes/s; on a non-terminal stream (a log file,
// CI) it prints whole lines instead of redrawing.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../targets/flash/progress.ts';

describe('terminalProgress', () => {
  it('reports the phase, the byte count and a bytes/s rate', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    const progress = terminalProgress(stream as unknown as NodeJS.WriteStream);
    progress.start('write', 2048);
    await new Promise((r) => setTimeout(r, 20));
    progress.update(2048);
    progress.stop();
    const last = text.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^write +\[█+\] 100% 2048\/2048 B \d+(\.\d)? KiB\/s$/);
  });
});

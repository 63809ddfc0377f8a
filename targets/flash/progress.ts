// Progress of a flashing phase. The CLI shows a cli-progress bar with bytes/s on stderr (only on a TTY or
// when asked); library callers and tests pass nothing and get silence.
import cliProgress from 'cli-progress';
import type { ProgressSink } from './progress-sink.ts';

export { SILENT_PROGRESS, type ProgressSink } from './progress-sink.ts';

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  let bar: cliProgress.SingleBar | undefined;
  let t0 = 0;
  const rate = (done: number) => {
    const s = (Date.now() - t0) / 1000;
    return s > 0 ? `${Math.round(done / s / 102.4) / 10} KiB/s` : '-';
  };
  return {
    start(phase, totalBytes) {
      bar?.stop();
      t0 = Date.now();
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${phase.padEnd(9)} [{bar}] {percentage}% {value}/{total} B {rate}`,
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 1000,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(totalBytes, 0, { rate: '-' });
    },
    update(done) {
      bar?.update(done, { rate: rate(done) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

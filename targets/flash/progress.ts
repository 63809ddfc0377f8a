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

/**
 * A fleet: one cli-progress line per port (MultiBar), each a ProgressSink whose phases replace each other on
 * the same line; `finish` leaves the line with the port's outcome.
 */
export interface FleetProgress {
  sinkFor(port: string): ProgressSink;
  finish(port: string, outcome: string): void;
  stop(): void;
}

export function fleetProgress(ports: readonly string[], stream: NodeJS.WriteStream = process.stderr): FleetProgress {
  const width = Math.max(...ports.map((p) => p.length));
  const multi = new cliProgress.MultiBar(
    { stream, format: `{port} {phase} [{bar}] {percentage}% {value}/{total} B {rate}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 1000, clearOnComplete: false, autopadding: true },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  for (const port of ports) bars.set(port, multi.create(1, 0, { port: port.padEnd(width), phase: 'waiting'.padEnd(9), rate: '' }));
  return {
    sinkFor(port) {
      const bar = bars.get(port)!;
      let t0 = 0;
      return {
        start(phase, totalBytes) {
          t0 = Date.now();
          bar.setTotal(Math.max(1, totalBytes));
          bar.update(0, { phase: phase.padEnd(9), rate: '-' });
        },
        update(done) {
          const s = (Date.now() - t0) / 1000;
          bar.update(done, { rate: s > 0 ? `${Math.round(done / s / 102.4) / 10} KiB/s` : '-' });
        },
        stop() {},
      };
    },
    finish(port, outcome) {
      const bar = bars.get(port)!;
      bar.update(bar.getTotal(), { phase: outcome.padEnd(9), rate: '' });
    },
    stop() {
      multi.stop();
    },
  };
}

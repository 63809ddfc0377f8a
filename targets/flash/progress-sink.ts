// Where a flashing phase reports its progress: the CLI's terminal bar (progress.ts), the playground's progress
// element, or nowhere (library callers and tests).
export interface ProgressSink {
  start(phase: string, totalBytes: number): void;
  update(doneBytes: number): void;
  stop(): void;
}

export const SILENT_PROGRESS: ProgressSink = { start() {}, update() {}, stop() {} };

// A real pseudo-terminal pair made by socat: the simulator serves one end, the flashing tool opens the other
// as if it were a USB serial adapter.
import { spawn, type ChildProcess } from 'node:child_process';

export interface PtyPair {
  /** The end a flashing tool opens. */
  hostPath: string;
  /** The end the simulator serves. */
  devicePath: string;
  process: ChildProcess;
  close(): Promise<void>;
}

export async function createPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  let child: ChildProcess;
  try {
    child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(`cannot start socat (${(err as Error).message}): install it with apt-get install socat`);
  }
  const paths: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`socat printed no pty paths within ${timeoutMs} ms: ${text}`)), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start socat (${err.message}): install it with apt-get install socat`));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const m of text.matchAll(/PTY is (\/dev\/\S+)/g)) if (!paths.includes(m[1]!)) paths.push(m[1]!);
      if (paths.length === 2 && /starting data transfer loop/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.stderr!.resume();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.on('exit', () => resolve());
  });
  return {
    devicePath: paths[0]!,
    hostPath: paths[1]!,
    process: child,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

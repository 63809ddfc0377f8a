// OpenOCD as tinyforge runs it: started with the board's scripts and its GDB server on a port the OS picks
// (`gdb_port 0`; OpenOCD logs the one it got), telnet and Tcl servers off, ready once it logs
// "Listening on port N for gdb connections". If it exits first, its `Error:` lines say why. It is always
// stopped afterwards — also on errors and on Ctrl-C — so no openocd is left holding the probe.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { FlashError } from '../flash-error.ts';

export interface OpenOcdStart {
  /** Script arguments: `-f board/…cfg` or the user's `-f my.cfg`. */
  configArgs: string[];
  speedKhz?: number;
  timeoutMs?: number;
  executable?: string;
  /** Kill openocd and exit 130 on SIGINT/SIGTERM (the CLI); library callers handle signals themselves. */
  handleSignals?: boolean;
}

export class OpenOcdStartError extends FlashError {
  constructor(
    message: string,
    /** OpenOCD's own `Error:` lines (the first names the cause: "No J-Link device found"). */
    readonly errorLines: string[],
  ) {
    super('PROBE', message);
  }
}

export class OpenOcdServer {
  private stopped = false;
  private readonly onSignal = () => {
    this.killNow();
    process.exit(130);
  };
  private readonly onExit = () => this.killNow();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly log: string[],
    private readonly signals: boolean,
    private readonly exited: Promise<void>,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(options: OpenOcdStart): Promise<OpenOcdServer> {
    const exe = options.executable ?? 'openocd';
    if (spawnSync('sh', ['-c', `command -v ${exe}`], { stdio: 'pipe' }).status !== 0)
      throw new OpenOcdStartError(`${exe} is not installed: apt-get install -y openocd (Debian's OpenOCD 0.12)`, []);
    const args = [
      ...options.configArgs,
      ...(options.speedKhz ? ['-c', `adapter speed ${options.speedKhz}`] : []),
      '-c', 'gdb_port 0', '-c', 'tcl_port disabled', '-c', 'telnet_port disabled',
    ];
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const signals = options.handleSignals ?? false;
    const timeoutMs = options.timeoutMs ?? 20_000;
    // Until it is ready, Ctrl-C must still take openocd down with us.
    const onEarlySignal = () => {
      child.kill('SIGKILL');
      process.exit(130);
    };
    if (signals) {
      process.once('SIGINT', onEarlySignal);
      process.once('SIGTERM', onEarlySignal);
    }
    const ready = new Promise<OpenOcdServer>((resolve, reject) => {
      let partial = '';
      let done = false;
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        f();
      };
      const errors = () => log.filter((l) => /^Error:/.test(l)).map((l) => l.replace(/^Error:\s*/, ''));
      const onData = (b: Buffer) => {
        partial += b.toString('utf8');
        const lines = partial.split(/\r?\n/);
        partial = lines.pop()!;
        for (const line of lines) {
          log.push(line);
          const m = /Listening on port (\d+) for gdb connections/.exec(line);
          if (m) finish(() => resolve(new OpenOcdServer(child, Number(m[1]), log, signals, exited)));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      const timer = setTimeout(() => {
        finish(() => {
          child.kill('SIGKILL');
          reject(new OpenOcdStartError(`openocd did not start its GDB server within ${timeoutMs / 1000} s${errors()[0] ? `: ${errors()[0]}` : ''}`, errors()));
        });
      }, timeoutMs);
      child.once('error', (e) => finish(() => reject(new OpenOcdStartError(`cannot start ${exe}: ${e.message}`, []))));
      child.once('close', (code, signal) => {
        if (partial) log.push(partial);
        const e = errors();
        finish(() => reject(new OpenOcdStartError(`openocd exited (${signal ?? `status ${code}`}) before its GDB server was up${e[0] ? `: ${e[0]}` : ''}`, e)));
      });
    });
    let server: OpenOcdServer;
    try {
      server = await ready;
    } finally {
      process.removeListener('SIGINT', onEarlySignal);
      process.removeListener('SIGTERM', onEarlySignal);
    }
    process.on('exit', server.onExit);
    if (signals) {
      process.once('SIGINT', server.onSignal);
      process.once('SIGTERM', server.onSignal);
    }
    return server;
  }

  /** The last `Error:` line OpenOCD logged (e.g. after a failed vFlashDone), for messages. */
  lastError(): string | undefined {
    return [...this.log].reverse().find((l) => /^Error:/.test(l))?.replace(/^Error:\s*/, '');
  }

  private killNow(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Asks openocd to quit (SIGTERM: it shuts down cleanly), SIGKILL after 3 s; resolves once it is gone. */
  async stop(): Promise<void> {
    if (this.stopped) return this.exited;
    this.stopped = true;
    process.removeListener('exit', this.onExit);
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.killNow(), 3_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}

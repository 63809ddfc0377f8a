// `tinyforge ports`: lists serial ports. serialport's Linux lister spawns `udevadm`; where udevadm is missing
// (containers, minimal images) that spawn fails, so it is only called when udevadm is on PATH, and /dev is
// scanned otherwise.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SerialPort } from 'serialport';

export interface ListedPort {
  path: string;
  description: string;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** Serial devices visible in /dev, with their /dev/serial/by-id names when udev made them. */
export function scanDev(devDir = '/dev'): ListedPort[] {
  const byId = new Map<string, string>();
  const idDir = join(devDir, 'serial', 'by-id');
  if (existsSync(idDir)) {
    for (const name of readdirSync(idDir)) {
      try {
        byId.set(realpathSync(join(idDir, name)), name);
      } catch {
        // dangling link: the device just went away
      }
    }
  }
  let names: string[] = [];
  try {
    names = readdirSync(devDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^tty(USB|ACM|AMA|XRUSB|SC)\d+$|^cu\.|^rfcomm\d+$/.test(n))
    .sort()
    .map((n) => {
      const path = join(devDir, n);
      return { path, description: byId.get(path) ?? '' };
    });
}

export async function listPorts(options: { udevadmAvailable?: boolean } = {}): Promise<{ ports: ListedPort[]; note?: string }> {
  const canList = process.platform !== 'linux' || (options.udevadmAvailable ?? onPath('udevadm'));
  if (!canList) return { ports: scanDev(), note: 'udevadm not found: listed from /dev, without USB descriptions' };
  try {
    const infos = await SerialPort.list();
    return {
      ports: infos.map((p) => ({
        path: p.path,
        description: [p.manufacturer, p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : undefined, p.serialNumber].filter(Boolean).join(' '),
      })),
    };
  } catch (err) {
    return { ports: scanDev(), note: `the system port list failed (${(err as Error).message}): listed from /dev` };
  }
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: tinyforge ports\nLists serial ports to pass to `tinyforge flash --port`.');
    return 0;
  }
  if (args.length > 0) {
    console.error(`tinyforge ports: unexpected argument '${args[0]}' (the command takes no options)`);
    return 2;
  }
  const { ports, note } = await listPorts();
  if (note) console.error(`note: ${note}`);
  if (ports.length === 0) console.log('no serial ports found (is the board plugged in? USB adapters appear as /dev/ttyUSB* or /dev/ttyACM*)');
  for (const p of ports) console.log(p.description ? `${p.path}\t${p.description}` : p.path);
  return 0;
}

// `--ports '/dev/ttyUSB*'`: the serial ports a glob names. Glob libraries that walk with readdir's file
// types skip character devices (a tty is neither file nor directory), so the walk is done here and only
// the matching is left to picomatch.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

/** Paths matching `pattern`, sorted; devices, symlinks (/dev/serial/by-id/*) and files alike. */
export function expandPortGlob(pattern: string): string[] {
  const scan = picomatch.scan(pattern);
  if (!scan.isGlob) return statSync(pattern, { throwIfNoEntry: false }) ? [pattern] : [];
  const isMatch = picomatch(pattern, { dot: false });
  const base = scan.base || '.';
  // A pattern without ** never matches deeper than its own number of segments.
  const depth = scan.glob.includes('**') ? 8 : scan.glob.split('/').length;
  const found: string[] = [];
  const walk = (dir: string, level: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable or vanished: nothing there for us
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (isMatch(path)) found.push(path);
      if (e.isDirectory() && level + 1 < depth) walk(path, level + 1);
    }
  };
  walk(base, 0);
  return found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

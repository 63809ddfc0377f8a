// Peer checks need real tools; a missing one must fail the suite loudly, never skip it.
import { execFileSync } from 'node:child_process';

export function requireTool(command: string, debianPackage = command): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'pipe' });
  } catch {
    throw new Error(`${command} is not installed: apt-get install -y ${debianPackage} (.ci/run installs it)`);
  }
}

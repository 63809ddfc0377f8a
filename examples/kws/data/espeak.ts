// espeak-ng as a speech source: installed on demand (Debian package), one word per call, WAV on stdout.
import { execFileSync, spawnSync } from 'node:child_process';
import { readWav, type PcmAudio } from '../../../frontend/wav.ts';

export function ensureEspeak(): void {
  if (spawnSync('espeak-ng', ['--version']).status === 0) return;
  console.log('espeak-ng is missing: running `apt-get install -y espeak-ng` (needs root or sudo)…');
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(asRoot ? 'apt-get' : 'sudo', asRoot ? ['install', '-y', 'espeak-ng'] : ['apt-get', 'install', '-y', 'espeak-ng'], { stdio: 'inherit' });
  if (r.status !== 0 || spawnSync('espeak-ng', ['--version']).status !== 0) {
    throw new Error('could not install espeak-ng: install it yourself (`sudo apt-get install -y espeak-ng`) and run again');
  }
}

export interface Utterance {
  text: string;
  /** espeak-ng voice, optionally with a variant: `en-us+f3`. */
  voice: string;
  wordsPerMinute: number;
  /** 0–99, 50 is the voice's default. */
  pitch: number;
}

export function speak(u: Utterance): PcmAudio {
  const wav = execFileSync('espeak-ng', ['-v', u.voice, '-s', String(u.wordsPerMinute), '-p', String(u.pitch), '--stdout', u.text], {
    maxBuffer: 16 << 20,
  });
  return readWav(new Uint8Array(wav.buffer, wav.byteOffset, wav.byteLength), `espeak-ng output for "${u.text}" (${u.voice})`);
}

// 16-bit PCM mono WAV files: the sample clips, the data set, and espeak-ng's output.
export interface PcmAudio {
  sampleRate: number;
  samples: Int16Array;
}

export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/**
 * Reads a RIFF/WAVE file holding 16-bit PCM mono. A data chunk declaring more bytes than the file holds is read
 * to the end of the file: streaming writers (espeak-ng --stdout) cannot know the length and put a placeholder.
 */
export function readWav(bytes: Uint8Array, what = 'WAV file'): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || fourCC(bytes, 0) !== 'RIFF' || fourCC(bytes, 8) !== 'WAVE') {
    throw new WavFormatError(`${what}: not a RIFF/WAVE file (${bytes.length} bytes, starts with "${fourCC(bytes, 0)}"); expected 16-bit PCM mono WAV`);
  }
  let format: { tag: number; channels: number; sampleRate: number; bits: number } | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = fourCC(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new WavFormatError(`${what}: fmt chunk of ${size} bytes is too short`);
      format = {
        tag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
      // WAVE_FORMAT_EXTENSIBLE carries the real format in its sub-format GUID's first two bytes.
      if (format.tag === 0xfffe && size >= 26 && body + 26 <= bytes.length) format.tag = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      if (!format) throw new WavFormatError(`${what}: data chunk before the fmt chunk`);
      if (format.tag !== 1 || format.bits !== 16 || format.channels !== 1) {
        throw new WavFormatError(
          `${what}: format tag ${format.tag}, ${format.bits}-bit, ${format.channels} channel(s); only 16-bit PCM mono is read ` +
            `(convert with e.g. \`sox in.wav -b 16 -c 1 out.wav\`)`,
        );
      }
      const available = Math.min(size, bytes.length - body) & ~1;
      const samples = new Int16Array(available / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { sampleRate: format.sampleRate, samples };
    }
    at = body + size + (size & 1);
  }
  throw new WavFormatError(`${what}: no data chunk found`);
}

/** A canonical 44-byte-header 16-bit PCM mono WAV. */
export function writeWav(audio: PcmAudio): Uint8Array {
  const dataBytes = audio.samples.length * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i); };
  put(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < audio.samples.length; i++) view.setInt16(44 + 2 * i, audio.samples[i], true);
  return bytes;
}

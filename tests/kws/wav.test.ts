import { describe, expect, it } from 'vitest';
import { readWav, writeWav, WavFormatError } from '../../frontend/wav.ts';

describe('WAV reader/writer (16-bit PCM mono)', () => {
  it('round-trips samples and sample rate through a canonical 44-byte header', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321]);
    const bytes = writeWav({ sampleRate: 16000, samples });
    expect(bytes.length).toBe(44 + 2 * samples.length);
    const back = readWav(bytes);
    expect(back.sampleRate).toBe(16000);
    expect(Array.from(back.samples)).toEqual(Array.from(samples));
  });

  it('reads a streaming header whose data size is a placeholder (espeak-ng --stdout)', () => {
    const bytes = writeWav({ sampleRate: 22050, samples: Int16Array.from([5, -6, 7]) });
    new DataView(bytes.buffer).setUint32(40, 0x7ffff000, true);
    expect(Array.from(readWav(bytes).samples)).toEqual([5, -6, 7]);
  });

  it('skips unknown chunks before the data', () => {
    const plain = writeWav({ sampleRate: 8000, samples: Int16Array.from([9, 10]) });
    const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
    const withList = new Uint8Array([...plain.subarray(0, 36), ...list, ...plain.subarray(36)]);
    expect(Array.from(readWav(withList).samples)).toEqual([9, 10]);
  });

  it('names the problem for stereo, 8-bit and non-WAV input', () => {
    const stereo = writeWav({ sampleRate: 16000, samples: new Int16Array(4) });
    new DataView(stereo.buffer).setUint16(22, 2, true);
    expect(() => readWav(stereo, 'x.wav')).toThrow(/x\.wav: .*2 channel\(s\); only 16-bit PCM mono/);
    const eightBit = writeWav({ sampleRate: 16000, samples: new Int16Array(4) });
    new DataView(eightBit.buffer).setUint16(34, 8, true);
    expect(() => readWav(eightBit)).toThrow(WavFormatError);
    expect(() => readWav(new TextEncoder().encode('hello, not audio'))).toThrow(/not a RIFF\/WAVE file/);
  });
});

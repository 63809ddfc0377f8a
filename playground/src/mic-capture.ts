// The microphone as 16 kHz int16 samples: getUserMedia into an AudioContext running at 16 kHz (the browser
// resamples), an AudioWorklet that posts each render quantum to the page. The worklet's code is a Blob URL: no
// extra file to serve, nothing fetched from elsewhere.
import { SAMPLE_RATE } from '../../browser.ts';

const WORKLET = `registerProcessor('tinyforge-capture', class extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
});`;

export interface MicCapture {
  stop(): Promise<void>;
}

export async function startMicrophone(onSamples: (samples: Int16Array) => void): Promise<MicCapture> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser gives no microphone to pages (navigator.mediaDevices is missing: is the page served over http://localhost or https?)');
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const context = new AudioContext({ sampleRate: SAMPLE_RATE });
  const url = URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' }));
  try {
    await context.audioWorklet.addModule(url);
  } finally {
    URL.revokeObjectURL(url);
  }
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'tinyforge-capture');
  node.port.onmessage = (e: MessageEvent<Float32Array>) => {
    const f = e.data;
    const out = new Int16Array(f.length);
    for (let i = 0; i < f.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(f[i]! * 32767)));
    onSamples(out);
  };
  source.connect(node);
  return {
    async stop() {
      source.disconnect();
      node.port.onmessage = null;
      for (const t of stream.getTracks()) t.stop();
      await context.close();
    },
  };
}

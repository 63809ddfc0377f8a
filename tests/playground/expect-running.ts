// From the Node side, over a slot firmware's pty: the version it runs is confirmed, and the model answers INVOKE
// with its TensorFlow Lite Micro goldens.
import { expect } from 'vitest';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { UpdateClient } from '../../targets/update/update-protocol.ts';
import type { CorpusModel } from '../firmware/int8-corpus-models.ts';

export async function expectRunning(port: string, m: CorpusModel, version: number): Promise<void> {
  const link = await SerialLink.open({ path: port, baudRate: 115200, serialMode: '8n1' });
  try {
    const client = new UpdateClient(link);
    const status = await client.status();
    expect(status.runningVersion).toBe(version);
    expect(status.slotStates[status.running!]).toBe('confirmed');
    for (const c of m.cases) expect(await client.invoke(c.input), `${m.name}/${c.name}`).toEqual(c.output);
  } finally {
    await link.close();
  }
}

// Send a signed model update (.tfu, from `tinyforge sign`) to a slot firmware over Web Serial: the same sendUpdate()
// as `tinyforge update`, through a WebSerialLink, with its progress (chunks acknowledged, resumes after a dropped
// link) and the device's verdict in the CLI's words (confirmed, refused with the status name, rolled back).
import { confirmedText, failedVerdict, sendUpdate, SLOT_REGIONS, WebSerialLink, type ProgressSink, type WebSerialPort } from '../../../browser.ts';
import { byId, el } from '../dom.ts';

type SerialNavigator = Navigator & { serial?: { requestPort(options?: object): Promise<WebSerialPort> } };

/** The progress line: bytes the device holds, chunks it acknowledged, how often the link was reopened. */
function updateProgress(resumes: () => number): ProgressSink {
  const bar = byId<HTMLProgressElement>('update-progress');
  const phase = byId('update-phase');
  let total = 1;
  let chunks = 0;
  let held = 0;
  const show = () => {
    const r = resumes();
    phase.textContent = `${held.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} B held by the device, ${chunks} chunks acknowledged` +
      (r ? `, resumed ${r}× after a dropped link` : '');
  };
  return {
    start(_p, totalBytes) { total = Math.max(1, totalBytes); bar.value = 0; show(); },
    update(done) { chunks++; held = done; bar.value = done / total; show(); },
    stop() { show(); },
  };
}

export function wireUpdatePanel(): void {
  const select = byId<HTMLSelectElement>('update-board');
  select.replaceChildren(...Object.keys(SLOT_REGIONS).map((id) => el('option', { value: id }, id)));
  const status = byId('update-status');
  byId<HTMLButtonElement>('update-go').addEventListener('click', async () => {
    const serial = (navigator as SerialNavigator).serial;
    const file = byId<HTMLInputElement>('update-file').files?.[0];
    status.dataset.verdict = '';
    try {
      if (!serial) throw new Error('no Web Serial in this browser (navigator.serial): use Chromium or Edge, over http://localhost or https');
      if (!file) throw new Error('choose a signed update first (.tfu, from `tinyforge sign`)');
      const board = select.value;
      status.dataset.status = 'running';
      status.textContent = `choose the serial port of the ${board}…`;
      const port = await serial.requestPort();
      const update = new Uint8Array(await file.arrayBuffer());
      let opens = 0;
      status.textContent = `sending ${file.name} (${update.length.toLocaleString('en-US')} B) to the ${board}…`;
      try {
        const outcome = await sendUpdate(update, {
          // A dropped link is reopened on the same port (sendUpdate retries, then resumes where the device stands).
          openLink: async () => {
            const link = await WebSerialLink.open(port, { baudRate: 115200, serialMode: '8n1', name: 'the Web Serial port' });
            opens++;
            return link;
          },
          progress: updateProgress(() => Math.max(0, opens - 1)),
        });
        status.textContent = confirmedText(file.name, board, outcome, update.length);
        status.dataset.verdict = 'confirmed';
        status.dataset.status = 'done';
      } catch (err) {
        const failed = failedVerdict(file.name, err);
        if (!failed) throw err;
        // The device answered and said no (or rolled back): its verdict, not a failure of the page.
        status.textContent = failed.text;
        status.dataset.verdict = failed.verdict;
        status.dataset.deviceStatus = failed.status;
        status.dataset.status = 'done';
      }
    } catch (err) {
      status.dataset.status = 'error';
      status.textContent = err instanceof Error ? err.message : String(err);
    }
  });
}

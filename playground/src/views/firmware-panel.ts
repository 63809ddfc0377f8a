// Firmware for the current model, made in the page: pick a slot board, a model version and a signing key (yours from
// `tinyforge keygen`, or one made here and kept for the session), and the page gives the prebuilt slot firmware with
// that key and the model signed into slot A — one Intel HEX to flash, and each part as its own file.
import { byId, el } from '../dom.ts';
import { firmwareFiles, type FirmwareFiles } from '../firmware-files.ts';
import type { Analysis } from '../pipeline.ts';
import { fetchFirmwareIndex, type PrebuiltFirmwareIndex } from '../prebuilt-firmware.ts';
import { saveFile } from '../save-file.ts';
import { keyFingerprint, newSigningKey, signingKeyFromPem, type SigningKey } from '../update-signing.ts';

let current: Analysis | undefined;
let index: Promise<PrebuiltFirmwareIndex> | undefined;
let sessionKey: Promise<SigningKey> | undefined;
let made: { board: string; name: string; hex: string; parts: FirmwareFiles['parts'] } | undefined;

/** The last firmware made for the current model: its board, its Intel HEX (code + slot A) and the two parts, for the flash panel. */
export const madeFirmware = () => made;

const firmwareIndex = () => (index ??= fetchFirmwareIndex().catch((err) => { index = undefined; throw err; }));

/** A new analysis: the firmware made for the last one no longer holds this model. */
export function setFirmwareModel(a: Analysis): void {
  current = a;
  const select = byId<HTMLSelectElement>('firmware-board');
  if ([...select.options].some((o) => o.value === a.board.id)) select.value = a.board.id;
  made = undefined;
  byId('firmware-files').replaceChildren();
  const status = byId('firmware-status');
  status.dataset.status = 'idle';
  status.textContent = '';
}

async function signingKey(): Promise<SigningKey> {
  const file = byId<HTMLInputElement>('firmware-key').files?.[0];
  if (file) return signingKeyFromPem(await file.text(), file.name);
  sessionKey ??= newSigningKey().catch((err) => { sessionKey = undefined; throw err; });
  return sessionKey;
}

export function wireFirmwarePanel(slotBoards: readonly string[], onError: (err: unknown) => void): void {
  const select = byId<HTMLSelectElement>('firmware-board');
  select.replaceChildren(...slotBoards.map((id) => el('option', { value: id }, id)));
  const status = byId('firmware-status');
  byId<HTMLButtonElement>('firmware-go').addEventListener('click', async () => {
    status.dataset.status = 'running';
    status.textContent = 'making the firmware…';
    byId('firmware-files').replaceChildren();
    made = undefined;
    try {
      const a = current;
      if (!a) throw new Error('load a model first');
      const board = select.value;
      const idx = await firmwareIndex();
      const fw = idx.boards.find((b) => b.board === board);
      if (!fw) {
        const why = idx.unavailable[board];
        throw new Error(`this build of the playground has no prebuilt firmware for ${board}${why ? `: ${why}` : ''} (it is built by npm run playground:build with the cross compilers of scripts/install-system-deps.sh)`);
      }
      const key = await signingKey();
      const version = Number(byId<HTMLInputElement>('firmware-version').value);
      const out = await firmwareFiles(a.result, a.name, fw, key, version);
      const hexFile = out.files[0]!;
      made = { board, name: hexFile.name, hex: hexFile.data as string, parts: out.parts };
      byId('firmware-files').replaceChildren(...out.files.map((f) => {
        const b = el('button', { type: 'button', 'data-file': f.name }, `${f.label} · ${f.name}`);
        b.addEventListener('click', () => saveFile(f.name, f.data, f.type));
        return b;
      }));
      status.textContent = `${out.summary} (key ${keyFingerprint(key)}…)`;
      status.dataset.status = 'done';
    } catch (err) {
      status.dataset.status = 'error';
      status.textContent = err instanceof Error ? err.message : String(err);
      onError(err);
    }
  });
}

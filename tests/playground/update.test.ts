// A signed model update from the page over Web Serial to a real device: Chromium runs the playground, whose
// `navigator.serial` is bridged to the pseudo-terminal of a slot firmware running in QEMU (qemu-riscv32 and qemu-mps2-an386). The page
// sends the update with the CLI's sendUpdate(); the device checks the signature and hash, reboots, self-tests and
// confirms, and then answers INVOKE with the new model's TensorFlow Lite Micro goldens — or refuses a tampered
// update by its status name while the old model keeps answering.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildSlotFirmware, slotModel, type SlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { startQemuOnPty, type QemuOnPty } from '../../targets/qemu/qemu-on-pty.ts';
import { writeSlotFlashFile } from '../../targets/qemu/slot-flash-file.ts';
import { repoRoot } from '../cli/run-cli.ts';
import { loadCorpusModel, type CorpusModel } from '../firmware/int8-corpus-models.ts';
import { usePlayground } from './build-playground.ts';
import { expectRunning } from './expect-running.ts';
import { pageResult, watchedPage } from './chromium.ts';
import { bridgeWebSerialToPort } from './fake-web-serial.ts';

const work = mkdtempSync(join(tmpdir(), 'tf-pg-update-'));
const pg = usePlayground();
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const modelA = loadCorpusModel('hello_world_int8');
const modelB = loadCorpusModel('micro_speech_quantized');
const vectors = (m: CorpusModel) => m.cases.map((c) => ({ input: c.input, expected: c.output }));

afterAll(() => rmSync(work, { recursive: true, force: true }));

// The same page code for both QEMU slot boards (Cortex-M4 with a semihosted slot file, RV32 with CFI pflash).
for (const board of ['qemu-riscv32', 'qemu-mps2-an386']) {
  describe(`signed model update from the page over Web Serial (Chromium → fake navigator.serial → QEMU ${board} slot firmware)`, () => {
    let fw: SlotFirmware;
    let qemu: QemuOnPty;
    const flash = join(work, board, 'slots.bin');

    beforeAll(async () => {
      fw = await buildSlotFirmware({ target: firmwareTarget(board), outDir: join(work, board, 'fw'), publicKey: rawPublicKey(publicKey) });
      // The factory image: model A, version 1, confirmed in slot A.
      const a = slotModel(modelA.compiled, vectors(modelA), (b) => signUpdate(b, privateKey, 1), board, fw.arenaBytes);
      writeSlotFlashFile(board, flash, [{ address: a.address, bytes: a.slotImage }]);
      qemu = await startQemuOnPty(firmwareTarget(board), fw.image.elf, flash);
    }, 240_000);
    afterAll(async () => {
      await qemu?.stop();
    });

    function updateFile(name: string, m: CorpusModel, version: number, selftest = vectors(m)): { path: string; bytes: Uint8Array } {
      const bytes = signUpdate(slotModel(m.compiled, selftest, (b) => signUpdate(b, privateKey, 1), board, fw.arenaBytes).blob, privateKey, version);
      const path = join(work, board, name);
      writeFileSync(path, bytes);
      return { path, bytes };
    }

    async function sendInPage(file: string, bridgeOptions: { dropAtDataFrame?: number } = {}) {
      const w = await watchedPage(pg.browser, pg.server.url);
      const bridge = await bridgeWebSerialToPort(w.page, qemu.port, bridgeOptions);
      await w.page.goto(`${pg.server.url}/index.html`);
      expect((await pageResult(w.page)).status).toBe('done');
      await w.page.selectOption('#update-board', board);
      await w.page.setInputFiles('#update-file', file);
      await w.page.click('#update-go');
      await w.page.waitForSelector('#update-status[data-status="done"], #update-status[data-status="error"]', { timeout: 180_000 });
      const attr = async (name: string) => (await w.page.getAttribute('#update-status', name)) ?? '';
      return {
        ...w, bridge,
        status: await attr('data-status'), verdict: await attr('data-verdict'), deviceStatus: await attr('data-device-status'),
        text: (await w.page.textContent('#update-status'))!, phase: (await w.page.textContent('#update-phase'))!,
      };
    }

      it('a good update: sent in acknowledged chunks, rebooted into slot B, self-tested, confirmed; the new model answers', async () => {
        await expectRunning(qemu.port, modelA, 1);
        const u = updateFile('v2.tfu', modelB, 2);
        const r = await sendInPage(u.path);
        expect(r.status, r.text).toBe('done');
        expect(r.verdict, r.text).toBe('confirmed');
        // The CLI's words (confirmedText is shared with `tinyforge update`).
        expect(r.text).toBe(`v2.tfu: model version 2 installed in slot B, booted, self-tested and confirmed on ${board} (was version 1; ${u.bytes.length.toLocaleString('en-US')} B)`);
        const chunks = Math.ceil((u.bytes.length - 128) / 1024);
        expect(r.phase).toBe(`${u.bytes.length.toLocaleString('en-US')} / ${u.bytes.length.toLocaleString('en-US')} B held by the device, ${chunks} chunks acknowledged`);
        expect(await r.page.getAttribute('#update-progress', 'value')).toBe('1');
        expect(r.bridge.opens).toEqual([115200]);
        if (board === 'qemu-riscv32') await r.page.locator('#flash-view').screenshot({ path: join(repoRoot, 'playground', 'screenshots', 'update-view.png') });
        expect(r.problems).toEqual([]);
        expect(r.external).toEqual([]);
        await r.page.close();
        await expectRunning(qemu.port, modelB, 2);
      }, 300_000);

      it('a tampered update: refused by name (BAD_HASH), the running model keeps running and answering', async () => {
        const u = updateFile('v3.tfu', modelA, 3);
        const tampered = u.bytes.slice();
        tampered[200] ^= 0x01;
        const path = join(work, board, 'v3-tampered.tfu');
        writeFileSync(path, tampered);
        const r = await sendInPage(path);
        expect(r.status, r.text).toBe('done');
        expect(r.verdict).toBe('refused');
        expect(r.deviceStatus).toBe('BAD_HASH');
        expect(r.text).toBe('v3-tampered.tfu: the device refused the update: BAD_HASH: the model bytes do not hash to the signed SHA-256 (tampered or corrupted); the running model keeps running');
        expect(r.problems).toEqual([]);
        await r.page.close();
        await expectRunning(qemu.port, modelB, 2);
      }, 300_000);

      it('a dropped link: the page reopens the port, resumes where the device stands, and shows the resume', async () => {
        const u = updateFile('v3.tfu', modelB, 3);
        const r = await sendInPage(u.path, { dropAtDataFrame: 4 });
        expect(r.status, r.text).toBe('done');
        expect(r.verdict, r.text).toBe('confirmed');
        expect(r.text).toBe(`v3.tfu: model version 3 installed in slot A, booted, self-tested and confirmed on ${board} (was version 2; ${u.bytes.length.toLocaleString('en-US')} B, resumed 1× after a dropped link)`);
        const chunks = Math.ceil((u.bytes.length - 128) / 1024); // the dropped chunk was never acknowledged
        expect(r.phase).toBe(`${u.bytes.length.toLocaleString('en-US')} / ${u.bytes.length.toLocaleString('en-US')} B held by the device, ${chunks} chunks acknowledged, resumed 1× after a dropped link`);
        expect(r.bridge.opens).toEqual([115200, 115200]);
        expect(r.problems).toEqual([]);
        await r.page.close();
        await expectRunning(qemu.port, modelB, 3);
      }, 300_000);

      it('an update whose self-test fails: installed, rebooted, rolled back — the page says so, the previous model answers', async () => {
        const wrong = vectors(modelA).map((v) => ({ input: v.input, expected: v.expected.map((b) => (b + 1) & 0xff) }));
        const u = updateFile('v4-bad-selftest.tfu', modelA, 4, wrong);
        const r = await sendInPage(u.path);
        expect(r.status, r.text).toBe('done');
        expect(r.verdict, r.text).toBe('rolled-back');
        expect(r.deviceStatus).toBe('ROLLED_BACK');
        expect(r.text).toMatch(/^v4-bad-selftest\.tfu: the device installed model version 4 and rebooted into it, but it did not confirm it .*: it runs model version 3 from slot A again \(slots: A confirmed, B bad\)$/);
        expect(r.problems).toEqual([]);
        await r.page.close();
        await expectRunning(qemu.port, modelB, 3);
      }, 300_000);
  });
}

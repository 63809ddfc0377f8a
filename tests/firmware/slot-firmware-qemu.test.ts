// One slot firmware per emulated board — code only, no model compiled in — runs every int8 corpus model from a
// signed slot image written into the board's persistent slot flash (targets/qemu/slot-flash-file.ts): it verifies and opens the slot at boot, checks the TFLite Micro
// goldens that came with the model (self-test), then answers the same inputs over the emulated UART.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { codeBytes } from '../../targets/firmware/section-sizes.ts';
import { buildSlotFirmware, type SlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { QEMU_BOARDS, runOnQemu } from '../../targets/qemu/run-on-qemu.ts';
import { int8CorpusModels, loadCorpusModel } from './int8-corpus-models.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-slot-qemu-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const slots = (firmware: SlotFirmware, key = privateKey) => ({ publicKey: rawPublicKey(publicKey), sign: (blob: Uint8Array) => signUpdate(blob, key, 1), firmware });

for (const board of QEMU_BOARDS) {
  describe(`slot firmware on ${board}`, () => {
    let firmware: SlotFirmware;
    beforeAll(async () => {
      firmware = await buildSlotFirmware({ target: firmwareTarget(board), outDir: join(work, board), publicKey: rawPublicKey(publicKey) });
    }, 240_000);

    it('holds no model: no weights, and the code is the same whatever the slot holds', () => {
      expect(firmware.image.sizes.weights).toBe(0);
      expect(codeBytes(firmware.image.sizes)).toBeGreaterThan(10_000);
      expect(codeBytes(firmware.image.sizes)).toBeLessThan(firmware.regions.code.length);
    });

    for (const name of int8CorpusModels()) {
      it(`${name}: from slot A, self-test passes and every case is bit-exact`, async () => {
        const { compiled, cases } = loadCorpusModel(name);
        const result = await runOnQemu(compiled, {
          board,
          inputs: cases.map((c) => c.input),
          selftest: cases.map((c) => ({ input: c.input, expected: c.output })),
          slots: slots(firmware),
          workDir: join(work, `${board}-${name}`),
          timeoutMs: 120_000,
        });
        expect(result.bootText).toMatch(/slots: slot A confirmed, model version 1, \d+ B blob/);
        expect(result.bootText).toContain(`tinyforge firmware, model ${compiled.graph.name}\n`);
        expect(result.bootText).toContain(`selftest: ${cases.length}/${cases.length} pass\n`);
        cases.forEach((c, i) => expect(result.outputs[i], `${name}/${c.name}`).toEqual(c.output));
      }, 180_000);
    }

    it('refuses a slot signed with another key: no model runs and the boot fails loudly', async () => {
      const { compiled, cases } = loadCorpusModel('hello_world_int8');
      const other = generateKeyPairSync('ed25519').privateKey;
      await expect(runOnQemu(compiled, {
        board, inputs: [cases[0].input], slots: slots(firmware, other), workDir: join(work, `${board}-wrong-key`), timeoutMs: 60_000,
      })).rejects.toThrow(/slots: no slot holds a valid model[\s\S]*selftest: no model to test, FAILED/);
    }, 120_000);
  });
}

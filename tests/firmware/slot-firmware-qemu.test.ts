// One slot firmware per emulated board — code only, no model compiled in — runs every int8 corpus model from a
// signed slot image written into the board's persistent slot flash (targets/qemu/slot-flash-file.ts): it verifies and opens the slot at boot, checks the TFLite Micro
// goldens that came with the model (self-test), then answers the same inputs over the emulated UART.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { codeBytes } from '../../targets/firmware/section-sizes.ts';
import { buildSlotFirmware, type SlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { slotImage } from '../../targets/firmware/update/slot-image.ts';
import { QEMU_BOARDS, runOnQemu } from '../../targets/qemu/run-on-qemu.ts';
import { writeSlotFlashFile } from '../../targets/qemu/slot-flash-file.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { COMMAND, encodeRequest, parseResponses } from '../../targets/qemu/serial-frames.ts';
import { selftestVectors } from '../../cli/firmware-model.ts';
import { slotModel } from '../../targets/firmware/slot-firmware.ts';
import { int8CorpusModels, loadCorpusModel } from './int8-corpus-models.ts';
import { decodeStatsRecord, encodeStatsRecord, statsGeometry } from '../../formats/input-stats/input-stats-record.ts';
import { InputStats } from '../../simulator/drift/input-stats.ts';
import { readBlob } from '../../runtime-as/index.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';

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

    // Slot A confirmed (hello_world, version 1), slot B pending (kws, version 2): boot tries B. Its self-test decides.
    const trial = async (breakB: boolean) => {
      const a = loadCorpusModel('hello_world_int8');
      const b = loadCorpusModel('kws_ref_model');
      const slotA = slotModel(a.compiled, selftestVectors(a.compiled), (blob) => signUpdate(blob, privateKey, 1), board, firmware.arenaBytes);
      const vectorsB = selftestVectors(b.compiled).map((v, i) => (breakB && i === 1 ? { ...v, expected: v.expected.map((x) => x ^ 1) } : v));
      const blobB = slotModel(b.compiled, vectorsB, (blob) => blob, board, firmware.arenaBytes).blob;
      const files = [['a', slotA.slotImage], ['b', slotImage(signUpdate(blobB, privateKey, 2), firmware.regions, 'pending')]] as const;
      // Both slots into the board's persistent slot flash file, where the firmware's flash driver reads them.
      const slotFlash = join(work, `${board}-trial-${breakB}-slots.bin`);
      writeSlotFlashFile(board, slotFlash, files.map(([, bytes], i) => ({ address: firmware.regions.slots[i]!, bytes })));
      const run = await runQemu({
        target: firmwareTarget(board), elf: firmware.image.elf, slotFlash, timeoutMs: 60_000,
        serialInput: Buffer.concat([encodeRequest(COMMAND.info, new Uint8Array(0)), encodeRequest(COMMAND.quit, new Uint8Array([0]))]),
      });
      const { text, responses } = parseResponses(run.serialOutput, 'TF-READY\n');
      return { text, exitCode: run.exitCode, model: Buffer.from(responses[0]!.payload.subarray(12)).toString() };
    };

    it('boots a pending slot on trial and confirms it when its self-test passes', async () => {
      const r = await trial(false);
      expect(r.text).toContain('slots: slot B on trial, model version 2');
      expect(r.text).toContain('selftest: 2/2 pass\nslots: trial passed, slot confirmed\n');
      expect(r.model).toBe('kws_ref_model');
      expect(r.exitCode).toBe(0);
    }, 120_000);

    it('rolls back to the confirmed slot when the trial fails its self-test', async () => {
      const r = await trial(true);
      expect(r.text).toContain('slots: slot B on trial, model version 2');
      expect(r.text).toMatch(/selftest 1: FAIL[\s\S]*slots: trial failed its self-test, slot marked bad; back to the other slot\nslots: slot A confirmed, model version 1/);
      expect(r.text).toMatch(/selftest: 2\/2 pass\nTF-READY/);
      expect(r.model).toBe('hello_world_int8');
      expect(r.exitCode).toBe(0);
    }, 120_000);

    it('keeps drift statistics per input channel for the model in its slot (KWS: 10 MFCC groups), equal to the TypeScript twin', async () => {
      const { compiled, cases } = loadCorpusModel('kws_ref_model');
      const slotA = slotModel(compiled, selftestVectors(compiled), (blob) => signUpdate(blob, privateKey, 1), board, firmware.arenaBytes);
      const slotFlash = join(work, `${board}-stats-slots.bin`);
      writeSlotFlashFile(board, slotFlash, [{ address: slotA.address, bytes: slotA.slotImage }]);
      const rng = new SeededRandom(21);
      const inputs = [...cases.map((c) => c.input), ...Array.from({ length: 6 }, () => Uint8Array.from({ length: cases[0]!.input.length }, () => rng.int(0, 255)))];
      const run = await runQemu({
        target: firmwareTarget(board), elf: firmware.image.elf, slotFlash, timeoutMs: 60_000,
        serialInput: Buffer.concat([...inputs.map((i) => encodeRequest(COMMAND.invoke, i)), encodeRequest(COMMAND.stats, new Uint8Array([0])), encodeRequest(COMMAND.quit, new Uint8Array([0]))]),
      });
      const { responses } = parseResponses(run.serialOutput, 'TF-READY\n');
      expect(responses).toHaveLength(inputs.length + 2);
      // The geometry the compiler gives a firmware built for this model (model.h), from the blob's input shape.
      const { inputs: io, outputs } = readBlob(writeBlob(compiled));
      const geometry = statsGeometry(io[0]!.shape, { elements: outputs[0]!.bytes, dtype: outputs[0]!.dtype });
      expect(geometry).toMatchObject({ channels: 10, stride: 1, groups: 10, elements: 490, classes: 12 });
      const twin = new InputStats(geometry);
      inputs.forEach((input, i) => twin.update(new Int8Array(input.buffer, input.byteOffset, input.length), new Int8Array(responses[i]!.payload.buffer, responses[i]!.payload.byteOffset + 8, 12)));
      const record = responses[inputs.length]!.payload;
      expect(decodeStatsRecord(record)).toMatchObject({ groups: expect.any(Array), invocations: inputs.length });
      expect(decodeStatsRecord(record).groups).toHaveLength(10);
      expect(new Uint8Array(record)).toEqual(encodeStatsRecord(twin.snapshot()));
    }, 120_000);

    it('refuses a slot signed with another key: no model runs and the boot fails loudly', async () => {
      const { compiled, cases } = loadCorpusModel('hello_world_int8');
      const other = generateKeyPairSync('ed25519').privateKey;
      await expect(runOnQemu(compiled, {
        board, inputs: [cases[0].input], slots: slots(firmware, other), workDir: join(work, `${board}-wrong-key`), timeoutMs: 60_000,
      })).rejects.toThrow(/slots: no slot holds a valid model[\s\S]*selftest: no model to test, FAILED/);
    }, 120_000);
  });
}

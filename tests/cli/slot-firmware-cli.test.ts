// `tinyforge build --slots` and `tinyforge run --board … --slots`, as a user runs them: code-only firmware plus the
// model's slot A image, which the firmware boots in QEMU from flash and answers with TensorFlow Lite Micro's bytes.
import { readPublicKey } from '../../api/ed25519-keys.ts';
import { checkUpdate } from '../../api/signed-update.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { SLOT_MARK, SLOT_STATE_BYTES } from '../../targets/firmware/update/slot-image.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { startQemuOnPty } from '../../targets/qemu/qemu-on-pty.ts';
import { writeSlotFlashFile } from '../../targets/qemu/slot-flash-file.ts';
import { COMMAND, encodeRequest, parseResponses } from '../../targets/qemu/serial-frames.ts';
import { corpusDir, goldenCases, readMeta } from '../conformance-corpus.ts';
import { tinyforge } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tf-slots-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const modelPath = (name: string) => join(corpusDir(), readMeta(name).model);

describe('tinyforge build --slots', () => {
  it('writes code-only firmware and a signed, confirmed slot A that the board boots and serves', async () => {
    const out = join(dir, 'kws');
    const r = tinyforge(['build', modelPath('kws_ref_model'), '--board', 'qemu-mps2-an386', '--slots', '--model-version', '3', '--out', out, '--json'], { timeoutMs: 240_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.firmware).toBe('slots');
    expect(report.sections.weights).toBe(0);
    expect(report.slots).toMatchObject({ a: '0x00200000', b: '0x00300000', bytes: 1 << 20, modelVersion: 3, arenaModel: 16000 });
    for (const f of ['firmware.elf', 'firmware.bin', 'firmware.hex', 'model-slot-a.bin', 'model.tfb', 'keys/update-key.pem']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(statSync(join(out, 'keys', 'update-key.pem')).mode & 0o777).toBe(0o600);

    // Slot A: four 8-byte state cells (pending + confirmed), then a .tfu the public key verifies, whose payload is
    // model.tfb.
    const slot = new Uint8Array(readFileSync(join(out, 'model-slot-a.bin')));
    const erased = new Uint8Array(8).fill(0xff);
    expect([0, 8, 16, 24].map((o) => [...slot.subarray(o, o + 8)])).toEqual([SLOT_MARK.pending, erased, SLOT_MARK.confirmed, erased].map((c) => [...c]));
    expect(Buffer.from(slot.subarray(0, 8)).toString('latin1')).toBe('PENDING.');
    const check = checkUpdate(slot.subarray(32), readPublicKey(join(out, 'keys', 'update-key.pub.pem')));
    expect(check.ok && check.header.modelVersion).toBe(3);
    expect(Buffer.from(slot.subarray(32 + 128))).toEqual(readFileSync(join(out, 'model.tfb')));

    const [c] = goldenCases('kws_ref_model');
    // The board's slot flash (a host file behind semihosting on mps2) gets slot A where the table puts it.
    const slotFlash = join(dir, 'kws-slots.bin');
    writeSlotFlashFile('qemu-mps2-an386', slotFlash, [{ address: 0x200000, bytes: slot }]);
    const boot = await runQemu({
      target: firmwareTarget('qemu-mps2-an386'), elf: join(out, 'firmware.elf'),
      serialInput: Buffer.concat([encodeRequest(COMMAND.info, new Uint8Array(0)), encodeRequest(COMMAND.invoke, c.input), encodeRequest(COMMAND.quit, new Uint8Array([0]))]),
      slotFlash,
    });
    const { text, responses } = parseResponses(boot.serialOutput, 'TF-READY\n');
    expect(text).toContain('slots: slot A confirmed, model version 3');
    expect(text).toContain('selftest: 2/2 pass\nTF-READY\n');
    const info = Buffer.from(responses[0].payload);
    expect([info.readUInt32LE(0), info.readUInt32LE(4), info.readUInt32LE(8), info.subarray(12).toString()]).toEqual([490, 12, 16000, 'kws_ref_model']);
    expect(new Uint8Array(responses[1].payload.slice(8))).toEqual(c.output);
    expect(boot.exitCode).toBe(0);
  }, 300_000);

  it('signs slot A with the key given by --key (tinyforge keygen) and writes no development key', () => {
    const keys = join(dir, 'my-keys');
    expect(tinyforge(['keygen', '--out', keys]).code).toBe(0);
    const out = join(dir, 'hello-key');
    const r = tinyforge(['build', modelPath('hello_world_int8'), '--board', 'qemu-riscv32', '--slots', '--key', join(keys, 'update-key.pem'), '--out', out], { timeoutMs: 240_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hello_world_int8 as slot A: .*model-slot-a\.bin, [\d,]+ B at 0x22000000 \(slot B at 0x22100000/);
    expect(existsSync(join(out, 'keys'))).toBe(false);
    const slot = new Uint8Array(readFileSync(join(out, 'model-slot-a.bin')));
    expect(checkUpdate(slot.subarray(SLOT_STATE_BYTES), readPublicKey(join(keys, 'update-key.pub.pem'))).ok).toBe(true);
  }, 300_000);

  it('esp32-c3-devkitm: the bare-metal slot firmware, with the flash offsets esptool writes its parts to', () => {
    const out = join(dir, 'c3');
    const r = tinyforge(['build', modelPath('hello_world_int8'), '--board', 'esp32-c3-devkitm', '--slots', '--json', '--out', out], { timeoutMs: 240_000 });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.slots).toMatchObject({ a: '0x3c200000', b: '0x3c300000', bytes: 1_048_576, flashOffsets: { firmware: '0x00000000', a: '0x00200000', b: '0x00300000' } });
    expect(existsSync(join(out, 'model-slot-a.bin'))).toBe(true);
  }, 300_000);

  it('refuses what it cannot do, by name: a board without slots, an arena too small, slot options without --slots', () => {
    const hello = modelPath('hello_world_int8');
    const esp = tinyforge(['build', hello, '--board', 'esp32-devkitc', '--slots', '--out', join(dir, 'esp')]);
    expect(esp.code).toBe(64);
    expect(esp.stderr).toContain('slot firmware is built for qemu-mps2-an386, qemu-riscv32, nucleo-l4r5zi, stm32f746g-disco, nrf52840-dk, esp32-c3-devkitm, not esp32-devkitc');
    const idf = tinyforge(['build', hello, '--board', 'esp32-c3-devkitm', '--as', 'esp-idf', '--slots', '--out', join(dir, 'idf')]);
    expect(idf.code).toBe(64);
    expect(idf.stderr).toContain('not an ESP-IDF component (drop --as esp-idf for the bare-metal slot firmware)');
    expect(existsSync(join(dir, 'idf'))).toBe(false);
    const small = tinyforge(['build', modelPath('kws_ref_model'), '--board', 'qemu-riscv32', '--slots', '--arena', '4096', '--out', join(dir, 'small')], { timeoutMs: 240_000 });
    expect(small.code).toBe(3);
    expect(small.stderr).toContain('kws_ref_model needs 16,000 B of arena; the slot firmware reserves 4,096 B (build it with a larger --arena)');
    expect(existsSync(join(dir, 'small', 'firmware.elf'))).toBe(false);
    const stray = tinyforge(['build', hello, '--board', 'qemu-riscv32', '--arena', '4096', '--out', join(dir, 'stray')]);
    expect(stray.code).toBe(64);
    expect(stray.stderr).toContain('--key, --pub, --model-version and --arena go with --slots');
  }, 300_000);
});

describe('tinyforge build --slots --pub', () => {
  it('compiles the public key in and leaves the slots empty; the first model arrives signed by tinyforge update', async () => {
    const keys = join(dir, 'keys');
    expect(tinyforge(['keygen', '--out', keys]).code).toBe(0);
    const pub = join(keys, 'update-key.pub.pem');
    const out = join(dir, 'pub-only');
    const r = tinyforge(['build', modelPath('hello_world_int8'), '--board', 'qemu-riscv32', '--slots', '--pub', pub, '--out', out, '--json'], { timeoutMs: 240_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const raw = Buffer.from(readPublicKey(pub).export({ format: 'der', type: 'spki' })).subarray(-32);
    expect(JSON.parse(r.stdout).publicKey).toBe(raw.toString('hex'));
    const keyC = readFileSync(join(out, 'src', 'slot-key.c'), 'utf8');
    expect(keyC).toContain(`{${[...raw].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}}`);
    expect(keyC).toContain('tf_slot_key_present = 1;');
    expect(existsSync(join(out, 'model-slot-a.bin'))).toBe(false);
    expect(existsSync(join(out, 'keys'))).toBe(false);

    // Sign the blob, start the board on a pty with an erased slot flash, and send it.
    expect(tinyforge(['sign', join(out, 'model.tfb'), '--key', join(keys, 'update-key.pem'), '--out', join(out, 'update.tfu')]).code).toBe(0);
    const flash = join(dir, 'pub-only-slots.bin');
    writeSlotFlashFile('qemu-riscv32', flash, []);
    const qemu = await startQemuOnPty(firmwareTarget('qemu-riscv32'), join(out, 'firmware.elf'), flash);
    try {
      const u = tinyforge(['update', join(out, 'update.tfu'), '--board', 'qemu-riscv32', '--port', qemu.port], { timeoutMs: 120_000 });
      expect(u.stderr).toBe('');
      expect(u.code).toBe(0);
      expect(u.stdout).toMatch(/installed in slot A, booted, self-tested and confirmed on qemu-riscv32 \(was version 0;/);
    } finally {
      await qemu.stop();
    }
  }, 300_000);

  it('refuses a --pub that is not the public half of --key', () => {
    const a = join(dir, 'keys-a');
    const b = join(dir, 'keys-b');
    expect(tinyforge(['keygen', '--out', a]).code).toBe(0);
    expect(tinyforge(['keygen', '--out', b]).code).toBe(0);
    const r = tinyforge(['build', modelPath('hello_world_int8'), '--board', 'qemu-riscv32', '--slots', '--key', join(a, 'update-key.pem'), '--pub', join(b, 'update-key.pub.pem'), '--out', join(dir, 'mismatch')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pub .* is not the public half of --key .*: the firmware would refuse its own slot A/);
    expect(existsSync(join(dir, 'mismatch', 'firmware.elf'))).toBe(false);
  });
});

describe('tinyforge run --board … --slots', () => {
  for (const board of ['qemu-mps2-an386', 'qemu-riscv32']) {
    it(`gives the golden bytes from slot A on ${board}`, () => {
      const [c] = goldenCases('micro_speech_quantized');
      writeFileSync(join(dir, `in-${board}.bin`), c.input);
      const r = tinyforge(['run', modelPath('micro_speech_quantized'), '--board', board, '--slots', '--input', join(dir, `in-${board}.bin`), '--output', join(dir, `out-${board}.bin`)], { timeoutMs: 240_000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(new Uint8Array(readFileSync(join(dir, `out-${board}.bin`)))).toEqual(c.output);
    }, 300_000);
  }
});

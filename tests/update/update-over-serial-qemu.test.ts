// Signed model updates over the framed serial protocol, end to end on real QEMU boards: the slot firmware runs on a
// pseudo-terminal (-serial pty) with its persistent slot flash, `tinyforge update` (the real CLI, real crypto on
// both sides) installs, reboots, self-tests and confirms; bad updates are refused with named statuses while the
// running model keeps answering; a dropped link resumes; a failed self-test, a crash and a reset on trial roll back.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildSlotFirmware, slotModel, type SlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { startQemuOnPty, type QemuOnPty } from '../../targets/qemu/qemu-on-pty.ts';
import { writeSlotFlashFile } from '../../targets/qemu/slot-flash-file.ts';
import { sendUpdate } from '../../targets/update/send-update.ts';
import { UpdateClient } from '../../targets/update/update-protocol.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { loadCorpusModel, type CorpusModel } from '../firmware/int8-corpus-models.ts';

const work = mkdtempSync(join(tmpdir(), 'tf-update-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const otherKey = generateKeyPairSync('ed25519').privateKey;

const modelA = loadCorpusModel('hello_world_int8');
const modelB = loadCorpusModel('micro_speech_quantized');
const vectors = (m: CorpusModel) => m.cases.map((c) => ({ input: c.input, expected: c.output }));

/** The model's blob with its self-test vectors, as a slot payload. */
function payload(m: CorpusModel, board: string, fw: SlotFirmware, selftest = vectors(m)): Uint8Array {
  return slotModel(m.compiled, selftest, (b) => signUpdate(b, privateKey, 1), board, fw.arenaBytes).blob;
}

function updateFile(name: string, bytes: Uint8Array): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}

const open = (port: string) => SerialLink.open({ path: port, baudRate: 115200, serialMode: '8n1' });

/** INVOKE over the same serial line, as the device answers it now. */
async function invokeAll(port: string, m: CorpusModel): Promise<Uint8Array[]> {
  const link = await open(port);
  try {
    const client = new UpdateClient(link);
    const out: Uint8Array[] = [];
    for (const c of m.cases) out.push(await client.invoke(c.input));
    return out;
  } finally {
    await link.close();
  }
}

async function expectRunning(port: string, m: CorpusModel, version: number): Promise<void> {
  const link = await open(port);
  try {
    const status = await new UpdateClient(link).status();
    expect(status.runningVersion).toBe(version);
    expect(status.slotStates[status.running!]).toBe('confirmed');
  } finally {
    await link.close();
  }
  const outputs = await invokeAll(port, m);
  m.cases.forEach((c, i) => expect(outputs[i], `${m.name}/${c.name}`).toEqual(c.output));
}

for (const board of ['qemu-mps2-an386', 'qemu-riscv32']) {
  describe(`model update over serial on ${board}`, () => {
    let fw: SlotFirmware;
    let qemu: QemuOnPty;
    const flash = join(work, `${board}-slots.bin`);
    const log = join(work, `${board}-serial.log`);
    const update = (file: string) => tinyforge(['update', file, '--board', board, '--port', qemu.port], { timeoutMs: 180_000 });

    beforeAll(async () => {
      fw = await buildSlotFirmware({ target: firmwareTarget(board), outDir: join(work, board), publicKey: rawPublicKey(publicKey) });
      // The factory image: model A, version 1, confirmed in slot A.
      const a = slotModel(modelA.compiled, vectors(modelA), (b) => signUpdate(b, privateKey, 1), board, fw.arenaBytes);
      writeSlotFlashFile(board, flash, [{ address: a.address, bytes: a.slotImage }]);
      qemu = await startQemuOnPty(firmwareTarget(board), fw.image.elf, flash, 10_000, log);
    }, 240_000);
    afterAll(async () => qemu?.stop());

    it('installs a good update: rebooted into slot B, self-tested, confirmed, answers with the new model\'s golden bytes', async () => {
      await expectRunning(qemu.port, modelA, 1);
      const r = update(updateFile(`${board}-v2.tfu`, signUpdate(payload(modelB, board, fw), privateKey, 2)));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/model version 2 installed in slot B, booted, self-tested and confirmed on /);
      await expectRunning(qemu.port, modelB, 2);
    }, 240_000);

    it('refuses tampered, unsigned, wrong-key, truncated and replayed updates with named statuses; the model keeps running', async () => {
      const good = signUpdate(payload(modelA, board, fw), privateKey, 3);
      const tamperedModel = good.slice();
      tamperedModel[200] ^= 0x01;
      const tamperedHeader = good.slice();
      tamperedHeader[8] = 9; // model version 3 → 9, under the old signature
      const unsigned = good.slice();
      unsigned.fill(0, 64, 128);
      const cases: [string, Uint8Array, RegExp][] = [
        ['tampered-model', tamperedModel, /BAD_HASH/],
        ['tampered-header', tamperedHeader, /BAD_SIGNATURE/],
        ['unsigned', unsigned, /BAD_SIGNATURE/],
        ['wrong-key', signUpdate(payload(modelA, board, fw), otherKey, 3), /BAD_SIGNATURE/],
        ['truncated', good.subarray(0, good.length - 100), /TRUNCATED/],
        ['replayed-older', signUpdate(payload(modelA, board, fw), privateKey, 1), /NOT_NEWER/],
        ['replayed-same', signUpdate(payload(modelB, board, fw), privateKey, 2), /NOT_NEWER/],
      ];
      for (const [name, bytes, status] of cases) {
        const r = update(updateFile(`${board}-${name}.tfu`, bytes));
        expect(r.code, `${name}: ${r.stderr}`).toBe(4);
        expect(r.stderr, name).toMatch(status);
        expect(r.stderr, name).toMatch(/the running model keeps running/);
      }
      await expectRunning(qemu.port, modelB, 2);
    }, 300_000);

    it('resumes after a dropped link: the device says how many bytes it holds, the host goes on from there', async () => {
      const bytes = signUpdate(payload(modelB, board, fw), privateKey, 3); // 23 chunks of 1 KiB
      let opened = 0;
      const outcome = await sendUpdate(bytes, {
        openLink: async () => {
          const link = await open(qemu.port);
          // The first link is pulled after three chunks (the port closes under the host, as with a cable pulled).
          if (opened++ === 0) {
            let chunks = 0;
            const write = link.write.bind(link);
            link.write = async (b: Uint8Array) => {
              if (b[3] === 0x44 && ++chunks === 4) {
                await link.close();
                throw new (await import('../../targets/flash/flash-error.ts')).FlashError('PORT_CLOSED', 'link dropped by the test');
              }
              return write(b);
            };
          }
          return link;
        },
      });
      expect(outcome.resumes).toBe(1);
      expect(opened).toBe(2);
      expect(outcome.version).toBe(3);
      // Resumed where the device stood, not from the start: every byte after the header went out once.
      expect(outcome.bytesSent).toBe(bytes.length - 128);
      await expectRunning(qemu.port, modelB, 3);
    }, 240_000);

    it('rolls back an update whose self-test fails: exit 7, the previous model answers', async () => {
      const wrong = vectors(modelB).map((v) => ({ input: v.input, expected: v.expected.map((b) => (b + 1) & 0xff) as unknown as Uint8Array }));
      const bad = signUpdate(payload(modelB, board, fw, wrong.map((w) => ({ input: w.input, expected: new Uint8Array(w.expected) }))), privateKey, 4);
      const r = update(updateFile(`${board}-v4-bad-selftest.tfu`, bad));
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toMatch(/did not confirm it .*: it runs model version 3 from slot A again \(slots: A confirmed, B bad\)/);
      await expectRunning(qemu.port, modelB, 3);
    }, 240_000);

    it('runs the self-test vectors of an update signed from compile\'s model.tfb on trial (2/2), then confirms it', async () => {
      const out = join(work, `${board}-compiled`);
      const c = tinyforge(['compile', join(corpusDir(), 'models', 'hello_world_float.tflite'), '--calibration', join(corpusDir(), 'calibration', 'hello_world_calib_x.npy'), '--out', out]);
      expect(c.code, c.stderr).toBe(0);
      const key = updateFile(`${board}-key.pem`, new TextEncoder().encode(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string));
      const tfu = join(work, `${board}-v5-compiled.tfu`);
      const signed = tinyforge(['sign', join(out, 'model.tfb'), '--key', key, '--out', tfu, '--version', '5']);
      expect(signed.stdout).toMatch(/2 self-test vectors/);
      const before = readFileSync(log, 'latin1').length;
      const r = update(tfu);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/model version 5 installed in slot B, booted, self-tested and confirmed on /);
      // The trial boot's own text: both vectors ran and passed before the slot was confirmed (not 0/0).
      const trial = readFileSync(log, 'latin1').slice(before);
      expect(trial).toMatch(/slots: slot B on trial, model version 5,[^]*selftest 0: pass\r?\nselftest 1: pass\r?\nselftest: 2\/2 pass\r?\nslots: trial passed, slot confirmed/);
    }, 240_000);
  });
}

// A crash, a watchdog reset or a reset during the trial boot, after the slot is marked TRIED and before it confirms,
// from test-only builds (trialFailure): 'fault' executes an undefined instruction — a real fault (HardFault on the
// M4, illegal-instruction trap on rv32) taken by the startup's handler, whose tf_on_fault resets the chip; 'watchdog'
// (mps2-an386) hangs under QEMU's CMSDK APB watchdog, whose second expiry resets the chip itself; 'reset' (rv32,
// whose QEMU board has no watchdog) resets it from the firmware, the reset a watchdog would cause. The next boot
// must find the slot TRIED, mark it bad and run the confirmed model. The board's boot text (QEMU's serial log)
// shows the path the failure took.
const FAULT = { kind: 'fault', what: 'crashes (undefined instruction)', path: [/slots: slot B on trial/, /undefined instruction on trial/, /FAULT: the core took an? (exception|trap)/, /slots: fault on trial, resetting/, /slots: slot A confirmed, model version 1,/] } as const;
const trialFailures = {
  'qemu-mps2-an386': [FAULT, { kind: 'watchdog', what: 'hangs until the watchdog resets the chip', path: [/slots: slot B on trial/, /watchdog armed, trial hangs/, /watchdog: first expiry \(NMI\) not serviced/, /slots: slot A confirmed, model version 1,/] }],
  'qemu-riscv32': [FAULT, { kind: 'reset', what: 'is reset', path: [/slots: slot B on trial/, /slots: test build: reset on trial/, /slots: slot A confirmed, model version 1,/] }],
} as const;

for (const [board, failures] of Object.entries(trialFailures)) {
  for (const { kind, what, path } of failures) {
    it(`${board}: an update that ${what} on its trial boot is rolled back: exit 7, the confirmed model answers`, async () => {
      const dir = join(work, `${board}-trial-${kind}`);
      const fw = await buildSlotFirmware({ target: firmwareTarget(board), outDir: dir, publicKey: rawPublicKey(publicKey), trialFailure: kind });
      const a = slotModel(modelA.compiled, vectors(modelA), (b) => signUpdate(b, privateKey, 1), board, fw.arenaBytes);
      const flash = join(dir, 'slots.bin');
      const log = join(dir, 'serial.log');
      writeSlotFlashFile(board, flash, [{ address: a.address, bytes: a.slotImage }]);
      const qemu = await startQemuOnPty(firmwareTarget(board), fw.image.elf, flash, 10_000, log);
      try {
        await expectRunning(qemu.port, modelA, 1);
        const file = updateFile(`${board}-v2-trial-${kind}.tfu`, signUpdate(payload(modelB, board, fw), privateKey, 2));
        const r = tinyforge(['update', file, '--board', board, '--port', qemu.port], { timeoutMs: 180_000 });
        expect(r.code, r.stderr).toBe(7);
        expect(r.stderr).toMatch(/did not confirm it \(failed self-test, crash or reset on trial\): it runs model version 1 from slot A again \(slots: A confirmed, B bad\)/);
        await expectRunning(qemu.port, modelA, 1);
        // The boot text after REBOOT, in order: the trial, the failure, the handler's reset, the confirmed model.
        const after = readFileSync(log, 'latin1').split('slots: slot B on trial').slice(1).join('slots: slot B on trial');
        let rest = `slots: slot B on trial${after}`;
        for (const step of path) {
          const m = step.exec(rest);
          expect(m, `${step} in the boot text after the reboot:\n${rest.slice(0, 600)}`).not.toBeNull();
          rest = rest.slice(m!.index + m![0].length);
        }
        if (kind !== 'fault') expect(after).not.toMatch(/FAULT|fault on trial/);
      } finally {
        await qemu.stop();
      }
    }, 300_000);
  }
}

describe('a slot firmware built without a key (no build --pub)', () => {
  it('refuses every update with NO_KEY', async () => {
    const board = 'qemu-mps2-an386';
    const fw = await buildSlotFirmware({ target: firmwareTarget(board), outDir: join(work, 'no-key') });
    const flash = join(work, 'no-key-slots.bin');
    writeSlotFlashFile(board, flash, []);
    const qemu = await startQemuOnPty(firmwareTarget(board), fw.image.elf, flash);
    try {
      const file = updateFile('no-key.tfu', signUpdate(slotModel(modelA.compiled, vectors(modelA), (b) => b, board, fw.arenaBytes).blob, privateKey, 1));
      const r = tinyforge(['update', file, '--board', board, '--port', qemu.port], { timeoutMs: 120_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/NO_KEY: the firmware was built without a public key \(build --pub KEY\.pub\.pem\)/);
      expect(readFileSync(flash).every((b) => b === 0xff)).toBe(true); // nothing written
    } finally {
      await qemu.stop();
    }
  }, 240_000);
});

// The power-cut experiment: builds the firmware's model-slot C with the host compiler over a simulated NOR flash
// (targets/firmware/update/host), signs two versions of a real model and the refused variants, runs the harness.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { UPDATE_FIELDS, UPDATE_HEADER_BYTES } from '../../formats/update/update-format.ts';
import { CRYPTO_DIR, CRYPTO_SOURCES } from '../../targets/firmware/crypto/crypto-sources.ts';
import { MODEL_SLOT_SOURCES, POWER_CUT_HARNESS_SOURCES, TFU_FORMAT_DIR, UPDATE_C_DIR } from '../../targets/firmware/update/model-slot-sources.ts';

/** The simulated flash (targets/firmware/update/host/sim-nor-flash.h): 32-bit NOR words (STM32F7, nRF52, the QEMU
 * boards), or the STM32L4R5's ECC double-words (programmed once; a cut one is unreadable). */
export const FLASH_GEOMETRIES = ['word', 'ecc-dword'] as const;
export type FlashGeometry = (typeof FLASH_GEOMETRIES)[number];

export interface PowerCutResult {
  geometry: FlashGeometry;
  pageBytes: number;
  cutPoints: number;
  bootedValid: number;
  bootedNew: number;
  bootedOld: number;
  flashOps: number;
  unstableBoots: number;
  bitSetViolations: number;
  /** Second programs of a cell (or of an ECC double-word): the slot code writes each once. */
  rewriteViolations: number;
  /** Reads that met an unreadable (cut) ECC double-word, which the slot code took as not written. */
  eccReadErrors: number;
  /** Cut points after which the same update, sent again uncut, installed and booted. */
  retriedToNew: number;
}

export interface Refusal {
  name: string;
  result: number;
  runningUntouched: boolean;
  bootedSlot: number;
}

export interface PowerCutScenario {
  harness: string;
  args: string[];
  refusalFiles: Record<string, string>;
}

export function buildHarness(dir: string, sanitize = false): string {
  const exe = join(dir, 'power-cut-harness');
  execFileSync('gcc', [
    '-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', ...(sanitize ? ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'] : ['-O2']),
    `-I${UPDATE_C_DIR}`, `-I${join(UPDATE_C_DIR, 'host')}`, `-I${CRYPTO_DIR}`, `-I${TFU_FORMAT_DIR}`,
    ...POWER_CUT_HARNESS_SOURCES, ...MODEL_SLOT_SOURCES, ...CRYPTO_SOURCES, '-o', exe,
  ]);
  return exe;
}

/** Keys, V1/V2 of a real model blob (the MLPerf Tiny anomaly model of the corpus, or `model`) and refused variants. */
export function prepareScenario(dir: string, model: Uint8Array, sanitize = false): PowerCutScenario {
  const key = generateKeyPairSync('ed25519');
  const otherKey = generateKeyPairSync('ed25519');
  const blob = writeBlob(compileTflite(model));
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const pub = write('update.pub', rawPublicKey(key.publicKey));
  // V2 differs from V1 in its bytes too (a changed last weight byte), so the harness can tell which one booted.
  const blob2 = blob.slice();
  blob2[blob2.length - 1] ^= 0x5a;
  const v1 = write('v1.tfu', signUpdate(blob, key.privateKey, 1));
  const v2 = write('v2.tfu', signUpdate(blob2, key.privateKey, 2));
  const v3 = signUpdate(blob, key.privateKey, 3);
  const unsigned = v3.slice();
  unsigned.fill(0, UPDATE_FIELDS.signature.offset, UPDATE_HEADER_BYTES);
  const tampered = v3.slice();
  tampered[UPDATE_HEADER_BYTES + 100] ^= 0x01;
  const reversioned = v3.slice();
  reversioned[UPDATE_FIELDS.modelVersion.offset] = 4;
  const refusalFiles = {
    'valid v3 (control)': write('v3.tfu', v3),
    unsigned: write('unsigned.tfu', unsigned),
    'wrong key': write('wrong-key.tfu', signUpdate(blob, otherKey.privateKey, 3)),
    truncated: write('truncated.tfu', v3.subarray(0, v3.length - 100)),
    'tampered model': write('tampered.tfu', tampered),
    'version changed after signing': write('reversioned.tfu', reversioned),
    'older version (v1)': v1,
    'same version again (v2 replay)': v2,
  };
  return { harness: buildHarness(dir, sanitize), args: [pub, v1, v2], refusalFiles };
}

export function runCuts(s: PowerCutScenario, geometry: FlashGeometry): PowerCutResult {
  return JSON.parse(execFileSync(s.harness, ['cut', geometry, ...s.args], { encoding: 'utf8', maxBuffer: 16 << 20 })) as PowerCutResult;
}

export function runRefusals(s: PowerCutScenario, geometry: FlashGeometry): { running: number; refusals: Refusal[] } {
  const pairs = Object.entries(s.refusalFiles).map(([name, path]) => `${name}=${path}`);
  return JSON.parse(execFileSync(s.harness, ['refuse', geometry, ...s.args, ...pairs], { encoding: 'utf8' }));
}

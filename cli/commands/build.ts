// tinyforge build <model.tflite|compiled dir> --board <id> [--out dir] [--stack bytes] [-O2|-Os|-O3 via --opt]
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { FirmwareBuildError } from '../../targets/firmware/build-firmware.ts';
import { FIRMWARE_TARGETS, firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildModelFirmware } from '../../targets/firmware/model-firmware.ts';
import { ESP_IDF_BOARDS, exportEspIdfComponent } from '../../targets/firmware/esp-idf-component.ts';
import { formatSizeReport, sizeReport } from '../../targets/firmware/size-report.ts';
import { ToolchainMissingError } from '../../targets/toolchain/find-toolchain.ts';
import { resolveBoard } from '../board-option.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { firmwareStackBytes, loadCompiled, predictSizes, refuseIfOverBudget, selftestVectors } from '../firmware-model.ts';
import { parseOptions } from '../parse-options.ts';
import { buildSlots } from '../build-slots.ts';
import { SLOT_REGIONS } from '../../targets/firmware/update/slot-regions.ts';
import { StackOption } from '../stack-option.ts';


const HELP = `usage: tinyforge build <model.tflite|compiled dir> (--board <id> | --board-file <file.json>) [--out <dir>] [--stack <bytes>] [--opt O2|Os|O3] [--as firmware|esp-idf] [--json]
       tinyforge build <model> --board <id> --slots [--key KEY.pem] [--pub KEY.pub.pem] [--model-version N] [--arena <bytes>] [--out <dir>] [--json]
  Generates C for the model (no interpreter: one kernel call per op, weights in flash, one static arena),
  builds firmware with the cross compiler and writes firmware.elf, firmware.bin, firmware.hex and src/.
  The firmware checks two embedded test vectors at boot, then serves the framed serial protocol.
  boards: ${FIRMWARE_TARGETS.map((t) => t.id).join(', ')}
  esp32-c3-devkitm: firmware.bin is an ESP image the C3 ROM boots from flash offset 0x0 (no ESP-IDF needed;
  not yet booted on silicon); \`tinyforge flash firmware.bin --board esp32-c3-devkitm\` puts it there.
  --as esp-idf writes an ESP-IDF component (CMakeLists.txt + C sources) instead, to build with your own ESP-IDF;
  it is the only output for ${ESP_IDF_BOARDS.filter((b) => !FIRMWARE_TARGETS.some((t) => t.id === b)).join(', ')} (Xtensa: Debian packages no compiler for it).
  --out     output folder (default: firmware-<board>)
  --stack   stack bytes to reserve (default: the simulator's estimate + 512, at least the measured need + 256)
  --json    print the size report as JSON
  --slots   slot firmware instead: code only (a model-blob interpreter, every kernel), two model slots reserved in
            flash (A/B); the model goes into model-slot-a.bin (slot header, signed update header, its blob with
            self-test vectors) to load at slot A's address. The firmware boots the slot it verifies, runs the
            model's self-test vectors and serves the same serial protocol.
  --key     with --slots: the private key (tinyforge keygen) that signs slot A; its public key is compiled in.
            Without it a new development key pair is written to <out>/keys/
  --pub     with --slots: the Ed25519 public key (tinyforge keygen) compiled into the firmware, which accepts
            only updates (tinyforge update) and slots signed with its private key. Alone, the slots stay empty
            and model.tfb is written for you to sign; with --key, the two must be one pair.
  --model-version N  with --slots: the slot's model version (default 1)
  --arena   with --slots: arena bytes to reserve for any model (default: the board's, slot-regions.ts)`;

const Options = z.object({
  positionals: z.array(z.string()),
  board: z.string().optional(),
  'board-file': z.string().optional(),
  out: z.string().optional(),
  stack: StackOption.optional(),
  opt: z.enum(['O2', 'Os', 'O3']).default('O2'),
  as: z.enum(['firmware', 'esp-idf']).optional(),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
  slots: z.boolean().default(false),
  key: z.string().optional(),
  pub: z.string().optional(),
  'model-version': z.coerce.number().int().min(0).max(0xffffffff).default(1),
  arena: z.coerce.number().int().min(16).max(1 << 30).optional(),
});

export { predictSizes, selftestVectors };

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('build', args, {
    board: { type: 'string' },
    'board-file': { type: 'string' },
    out: { type: 'string' },
    stack: { type: 'string' },
    opt: { type: 'string' },
    as: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
    slots: { type: 'boolean' },
    key: { type: 'string' },
    pub: { type: 'string' },
    'model-version': { type: 'string' },
    arena: { type: 'string' },
  }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`expected one model path\n${HELP}`, EXIT.usage);
  const board = resolveBoard('build', opts);
  const boardId = board.id;
  const hasFirmware = FIRMWARE_TARGETS.some((t) => t.id === boardId);
  if (opts.as === 'esp-idf' && !ESP_IDF_BOARDS.includes(boardId)) {
    throw new CliError(`tinyforge build: --as esp-idf is for ESP32 boards (${ESP_IDF_BOARDS.join(', ')}), not ${boardId}`, EXIT.usage);
  }
  if (opts.as === 'firmware' && !hasFirmware) {
    throw new CliError(`tinyforge build: tinyforge builds no firmware image for ${boardId} (an Xtensa core); use --as esp-idf and your own ESP-IDF`, EXIT.usage);
  }
  if (opts.slots && (opts.as === 'esp-idf' || !hasFirmware)) {
    // An ESP-IDF component is the model compiled into the user's own IDF app: no slots, no update service.
    throw new CliError(`tinyforge build --slots: slot firmware is built for ${Object.keys(SLOT_REGIONS).join(', ')}, not ${opts.as === 'esp-idf' ? 'an ESP-IDF component (drop --as esp-idf for the bare-metal slot firmware)' : boardId}`, EXIT.usage);
  }
  if (opts.as === 'esp-idf' || (ESP_IDF_BOARDS.includes(boardId) && !hasFirmware)) {
    const { compiled, name } = loadCompiled(opts.positionals[0]);
    const outDir = resolve(opts.out ?? `esp-idf-${boardId}`);
    const staging = `${outDir}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    try {
      const component = exportEspIdfComponent(compiled, staging, name);
      rmSync(outDir, { recursive: true, force: true });
      renameSync(staging, outDir);
      console.log(`${name} for ${boardId}: ESP-IDF component in ${outDir} (${component.sources.length} C files); ` +
        `copy it into your project's components/ folder and call tf_${component.cName}_invoke() from model.h`);
      return EXIT.ok;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  if (!opts.slots && (opts.key !== undefined || opts.pub !== undefined || opts.arena !== undefined || args.includes('--model-version'))) {
    throw new CliError('tinyforge build: --key, --pub, --model-version and --arena go with --slots', EXIT.usage);
  }
  const target = firmwareTarget(boardId);
  const { compiled, name } = loadCompiled(opts.positionals[0]);
  if (opts.slots) {
    return buildSlots(compiled, name, target, {
      outDir: resolve(opts.out ?? `firmware-${target.id}`), key: opts.key, pub: opts.pub, modelVersion: opts['model-version'], arena: opts.arena, stack: opts.stack, opt: opts.opt, json: opts.json,
    });
  }
  const prediction = refuseIfOverBudget('build', compiled, name, board, opts);
  const stackBytes = opts.stack ?? firmwareStackBytes(compiled, target, prediction);
  const outDir = resolve(opts.out ?? `firmware-${target.id}`);
  // Build beside the destination and move the results in only when everything succeeded.
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const fw = await buildModelFirmware(compiled, {
      target, outDir: staging, name, selftest: selftestVectors(compiled), optimize: `-${opts.opt}`, stackBytes,
    });
    mkdirSync(outDir, { recursive: true });
    for (const f of ['firmware.elf', 'firmware.bin', 'firmware.hex', 'src']) {
      rmSync(join(outDir, f), { recursive: true, force: true });
      renameSync(join(staging, f), join(outDir, f));
    }
    const report = sizeReport(fw.image.sizes, prediction && { modelFlash: prediction.modelFlash, code: prediction.code, ram: prediction.ram });
    if (opts.json) {
      console.log(JSON.stringify({ board: target.id, model: name, out: outDir, ...report }, null, 2));
    } else {
      console.log(`${name} for ${target.id} (${basename(fw.image.toolchain.gcc)} -${opts.opt}): ${join(outDir, 'firmware.{elf,bin,hex}')}`);
      console.log(formatSizeReport(report));
      if (target.espImage) {
        console.log(`firmware.bin is an ESP image for the ${target.espImage.chip} ROM (segments to IRAM/DRAM, checksum, SHA-256): ` +
          `flash it at 0x0 with 'tinyforge flash ${join(outDir, 'firmware.bin')} --board ${target.id} --port <port>'; the framed protocol runs on UART0 at 115200`);
      }
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ToolchainMissingError) throw new CliError(`tinyforge build: ${err.message}`, EXIT.failure);
    const overflow = err instanceof FirmwareBuildError && target.espImage ? /region `DRAM' overflowed by (\d+) bytes/.exec(err.message) : null;
    if (overflow) {
      // The ROM loads the bare-metal image into SRAM, weights included (no flash mapping without a bootloader).
      const sram = target.espImage!.loadable.find((r) => r.name === 'DRAM')!;
      throw new CliError(`tinyforge build: ${name} does not fit the bare-metal ${target.id} image: weights, code and RAM all live in SRAM there, ` +
        `${Number(overflow[1]).toLocaleString('en-US')} B more than the ${(sram.end - sram.start).toLocaleString('en-US')} B the ROM can load; ` +
        `build an ESP-IDF component instead (--as esp-idf), which keeps the weights in flash`, EXIT.doesNotFit);
    }
    if (err instanceof FirmwareBuildError) throw new CliError(`tinyforge build: ${err.message}`, EXIT.failure);
    throw err;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

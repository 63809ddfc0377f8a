// tinyforge export <model.tflite|compiled dir> --as cmake|platformio|arduino|zephyr --board <id> --out <dir> [--force]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ARDUINO_BOARDS, EXPORT_SYSTEMS, exportBoards, PLATFORMIO_BOARDS, ZEPHYR_BOARDS, type ExportSystem } from '../../targets/export/export-systems.ts';
import { exportProject } from '../../targets/export/export-project.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { BUILD_STACK_MARGIN } from '../../targets/firmware/stack-estimate.ts';
import { FirmwareBuildError } from '../../targets/firmware/build-firmware.ts';
import { resolveBoard } from '../board-option.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { firmwareStackBytes, loadCompiled, refuseIfOverBudget, selftestVectors } from '../firmware-model.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `usage: tinyforge export <model.tflite|compiled dir> --as cmake|platformio|arduino|zephyr (--board <id> | --board-file <file.json>) [--out <dir>] [--force]
  Writes a project that builds with that system's own tools: the model as generated C (the same code as
  'tinyforge build'), the C kernels it calls, and a minimal program that runs the embedded self-test at boot
  and prints "selftest: 2/2 pass".
  cmake       CMakeLists.txt + arm-none-eabi.cmake: tinyforge's own firmware (startup, linker script, serial
              protocol), byte for byte the image 'build' links; -DTINYFORGE_HOST=ON builds it for this computer.
              boards: ${exportBoards('cmake').join(', ')}
  platformio  platformio.ini (Arduino framework), src/main.cpp, lib/<name>/.   boards: ${Object.keys(PLATFORMIO_BOARDS).join(', ')}
  arduino     a library (Arduino library specification 1.5): library.properties, src/, examples/SelfTest/.
              boards: ${Object.keys(ARDUINO_BOARDS).join(', ')}
  zephyr      a module (zephyr/module.yml, CMakeLists.txt, Kconfig; sources in lib/) and app/ (prj.conf,
              src/main.c with printk).   boards: ${Object.keys(ZEPHYR_BOARDS).join(', ')}
  --out     output folder (default: <system>-<board>); an existing non-empty folder is refused
  --force   replace an existing output folder
  example:  tinyforge export model.tflite --as cmake --board qemu-mps2-an386 --out kws-cmake`;

const Options = z.object({
  positionals: z.array(z.string()),
  as: z.string().optional(),
  board: z.string().optional(),
  'board-file': z.string().optional(),
  out: z.string().optional(),
  force: z.boolean().default(false),
  help: z.boolean().default(false),
});

function isSystem(s: string): s is ExportSystem {
  return (EXPORT_SYSTEMS as readonly string[]).includes(s);
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('export', args, {
    as: { type: 'string' },
    board: { type: 'string' },
    'board-file': { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean' },
  }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`tinyforge export: expected one model path\n${HELP}`, EXIT.usage);
  if (opts.as === undefined) throw new CliError(`tinyforge export: --as is required: one of ${EXPORT_SYSTEMS.join(', ')}`, EXIT.usage);
  const system = opts.as;
  if (!isSystem(system)) throw new CliError(`tinyforge export: unknown --as '${system}'; systems: ${EXPORT_SYSTEMS.join(', ')}`, EXIT.usage);
  const board = resolveBoard('export', opts);
  if (!exportBoards(system).includes(board.id)) {
    throw new CliError(`tinyforge export: board '${board.id}' cannot be exported --as ${system}; boards for ${system}: ${exportBoards(system).join(', ')}`, EXIT.usage);
  }
  const outDir = resolve(opts.out ?? `${system}-${board.id}`);
  if (existsSync(outDir) && !opts.force && (!statSync(outDir).isDirectory() || readdirSync(outDir).length > 0)) {
    throw new CliError(`tinyforge export: ${outDir} exists and is not empty; choose another --out or pass --force to replace it`, EXIT.usage);
  }
  const { compiled, name } = loadCompiled(opts.positionals[0]!);
  const prediction = refuseIfOverBudget('export', compiled, name, board, opts);
  // CMake links tinyforge's firmware and reserves its stack as 'build' does; Zephyr's main thread also runs printk.
  const stackBytes = system === 'cmake'
    ? firmwareStackBytes(compiled, firmwareTarget(board.id), prediction)
    : Math.ceil(((prediction?.stack ?? 1024) + BUILD_STACK_MARGIN + 1024) / 16) * 16;
  try {
    const project = exportProject(compiled, outDir, { system, boardId: board.id, name, selftest: selftestVectors(compiled), stackBytes, force: opts.force });
    console.log(`${name} for ${board.id}: ${system} project in ${outDir} (${project.files.length} files); build it with: ${project.buildHint}`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof FirmwareBuildError) throw new CliError(`tinyforge export: ${err.message}`, EXIT.badInput);
    throw err;
  }
}

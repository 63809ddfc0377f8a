// `tinyforge export`: one compiled model written as a project of the chosen system, into a staging folder
// beside the destination that is renamed into place only when every file is written.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import type { SelftestVector } from '../../compiler/emit/c/emit-selftest-c.ts';
import { firmwareTarget } from '../firmware/firmware-targets.ts';
import { writeArduinoLibrary } from './arduino-library.ts';
import { writeCmakeProject } from './cmake-project.ts';
import { ZEPHYR_BOARDS, type ExportSystem } from './export-systems.ts';
import { writePlatformioProject } from './platformio-project.ts';
import { ProjectDir } from './project-dir.ts';
import { writeZephyrModule } from './zephyr-module.ts';

export interface ExportOptions {
  system: ExportSystem;
  boardId: string;
  name: string;
  selftest: readonly SelftestVector[];
  /** Stack the firmware (CMake) or the main thread (Zephyr) reserves. */
  stackBytes: number;
  /** Replace an existing folder. */
  force?: boolean;
}

export interface ExportedProject {
  dir: string;
  /** Every file written, relative to `dir`. */
  files: string[];
  /** How to build it, one line. */
  buildHint: string;
}

export function exportProject(model: CompiledModel, outDir: string, options: ExportOptions): ExportedProject {
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const project = new ProjectDir(staging);
    const buildHint = writeProject(model, project, options);
    if (existsSync(outDir)) {
      // An empty folder is taken as it is; anything else only with force (the CLI asked before any work).
      const empty = statSync(outDir).isDirectory() && readdirSync(outDir).length === 0;
      if (!empty && !options.force) throw new Error(`${outDir} exists and is not empty`);
      rmSync(outDir, { recursive: true, force: true });
    }
    renameSync(staging, outDir);
    return { dir: outDir, files: project.files, buildHint };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function writeProject(model: CompiledModel, project: ProjectDir, options: ExportOptions): string {
  const { boardId, name, selftest } = options;
  switch (options.system) {
    case 'cmake':
      writeCmakeProject(model, project.root, { target: firmwareTarget(boardId), name, selftest, stackBytes: options.stackBytes })
        .files.forEach((f) => project.files.push(f));
      return 'cmake -S . -B build && cmake --build build';
    case 'arduino': {
      const lib = writeArduinoLibrary(model, project, { boardId, name, selftest });
      return `copy it into your Arduino libraries folder as ${lib.libName}/ and open File > Examples > ${lib.libName} > SelfTest`;
    }
    case 'platformio':
      writePlatformioProject(model, project, { boardId, name, selftest });
      return `pio run -e ${boardId}`;
    case 'zephyr':
      writeZephyrModule(model, project, { boardId, name, selftest, stackBytes: options.stackBytes });
      return `west build -b ${ZEPHYR_BOARDS[boardId]} app`;
  }
}

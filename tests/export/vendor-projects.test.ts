// `tinyforge export --as arduino|platformio|zephyr`: each project follows its system's documented layout (checked
// rule by rule below), and the sources it ships — library, sketch or app — compile with the cross compiler here
// under a vendor-style build (gnu11, -Os, -Werror, no -ffp-contract flag) against a test-only framework shim and
// run on QEMU's Cortex-M4F, printing the self-test's pass. Where the system's own tool is on PATH (arduino-cli,
// pio, west with ZEPHYR_BASE) it builds the project as well; Debian packages none of them for these boards.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run as exportCommand } from '../../cli/commands/export.ts';
import { ARDUINO_BOARDS, PLATFORMIO_BOARDS, ZEPHYR_BOARDS } from '../../targets/export/export-systems.ts';
import { whichProgram } from '../../targets/toolchain/find-toolchain.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { C_KERNELS_DIR } from '../../targets/firmware/model-firmware.ts';
import { crossCompile, runOnAn386, VENDOR_C_FLAGS, writeShim } from './vendor-shims.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-export-vendor-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
const model = (name: string) => join(corpusDir(), 'models', `${name}.tflite`);

async function exportAs(system: string, board: string, name: string): Promise<string> {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const out = join(work, `${system}-${board}-${name}`);
  expect(await exportCommand([model(name), '--as', system, '--board', board, '--out', out])).toBe(0);
  return out;
}

function properties(file: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([a-z_.]+)=(.*)$/.exec(line);
    if (m) map.set(m[1]!, m[2]!);
  }
  return map;
}

const files = (dir: string, ext: RegExp) => readdirSync(dir).filter((f) => ext.test(f)).map((f) => join(dir, f));

/** Every `#include "x"` of the folder's files is a file of the same folder (the sources are flat). */
function expectIncludesResolve(dir: string): void {
  for (const f of files(dir, /\.(c|h)$/)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^#include "([^"]+)"/gm)) expect(existsSync(join(dir, m[1]!)), `${basename(f)} includes ${m[1]}`).toBe(true);
  }
}

async function expectSelftestPasses(dir: string, sources: string[], includeDirs: string[], framework: 'arduino' | 'zephyr', renameMain?: string) {
  const shim = writeShim(join(dir, 'shim'), framework);
  const elf = crossCompile(join(dir, 'cross'), [...sources, ...shim.sources], [shim.includeDir, ...includeDirs], { renameMain });
  const run = await runOnAn386(elf);
  expect(run.text).toMatch(/tinyforge model \w+\nselftest 0: pass\nselftest 1: pass\nselftest: 2\/2 pass\nTF-SELFTEST-OK\n/);
  expect(run.exitCode).toBe(0);
}

/** Runs the system's own build when its tool is installed; says so when it is not. */
function vendorBuild(tool: string, args: string[], cwd: string, env: Record<string, string> = {}): void {
  if (!whichProgram(tool)) {
    console.info(`${tool} is not on PATH: layout checked and sources cross-compiled, ${tool}'s own build skipped`);
    return;
  }
  execFileSync(tool, args, { cwd, stdio: 'pipe', env: { ...process.env, ...env } });
}

const ARDUINO_CATEGORIES = ['Display', 'Communication', 'Signal Input/Output', 'Sensors', 'Device Control', 'Timing', 'Data Storage', 'Data Processing', 'Other'];

describe('tinyforge export --as arduino', () => {
  it('writes a 1.5-format library whose sources and SelfTest sketch build and pass on a Cortex-M4F (kws_ref_model)', async () => {
    const root = await exportAs('arduino', 'nucleo-l4r5zi', 'kws_ref_model');
    const props = properties(join(root, 'library.properties'));
    for (const field of ['name', 'version', 'author', 'maintainer', 'sentence', 'paragraph', 'category', 'url', 'architectures']) {
      expect(props.get(field), `library.properties ${field}`).toBeTruthy();
    }
    const name = props.get('name')!;
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).not.toMatch(/^Arduino/i);
    expect(props.get('version')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ARDUINO_CATEGORIES).toContain(props.get('category'));
    expect(props.get('url')).toMatch(/^https?:\/\//);
    expect(props.get('architectures')).toBe(ARDUINO_BOARDS['nucleo-l4r5zi']!.architecture);
    // Source layout: everything compiled lives in src/ (the root holds no code, there is no utility/ folder).
    expect(files(root, /\.(c|cpp|h)$/)).toEqual([]);
    expect(existsSync(join(root, 'utility'))).toBe(false);
    const src = join(root, 'src');
    expect(readdirSync(src).every((f) => statSync(join(src, f)).isFile())).toBe(true);
    expect(existsSync(join(src, props.get('includes')!))).toBe(true);
    expectIncludesResolve(src);
    // examples/<Name>/<Name>.ino
    const examples = readdirSync(join(root, 'examples'));
    expect(examples).toEqual(['SelfTest']);
    for (const e of examples) expect(existsSync(join(root, 'examples', e, `${e}.ino`))).toBe(true);

    await expectSelftestPasses(root, [...files(src, /\.c$/), join(root, 'examples', 'SelfTest', 'SelfTest.ino')], [src], 'arduino');
    vendorBuild('arduino-cli', ['compile', '--fqbn', ARDUINO_BOARDS['nucleo-l4r5zi']!.fqbn, '--library', root, join(root, 'examples', 'SelfTest')], root);
  }, 120_000);
});

describe('tinyforge export --as platformio', () => {
  it('writes platformio.ini for the board, src/main.cpp and the model in lib/, which build and pass (hello_world_int8)', async () => {
    const root = await exportAs('platformio', 'stm32f746g-disco', 'hello_world_int8');
    const ini = readFileSync(join(root, 'platformio.ini'), 'utf8');
    const env = /^\[env:([\w-]+)\]\n((?:[a-z_]+ = .*\n)+)/m.exec(ini);
    expect(env?.[1]).toBe('stm32f746g-disco');
    const options = new Map(env![2]!.trim().split('\n').map((l) => l.split(' = ') as [string, string]));
    expect(options.get('board')).toBe(PLATFORMIO_BOARDS['stm32f746g-disco']!.board);
    expect(options.get('platform')).toBe('ststm32');
    expect(options.get('framework')).toBe('arduino');
    const libs = readdirSync(join(root, 'lib'));
    expect(libs).toEqual([options.get('lib_deps')]);
    const lib = join(root, 'lib', libs[0]!);
    expect(properties(join(lib, 'library.properties')).get('name')).toBe(libs[0]);
    expectIncludesResolve(join(lib, 'src'));
    expect(readdirSync(join(root, 'src'))).toEqual(['main.cpp']);

    await expectSelftestPasses(root, [...files(join(lib, 'src'), /\.c$/), join(root, 'src', 'main.cpp')], [join(lib, 'src')], 'arduino');
    vendorBuild('pio', ['run'], root);
  }, 120_000);
});

describe('tinyforge export --as zephyr', () => {
  it('writes a module (module.yml, CMakeLists.txt, Kconfig) and an app whose sources build and pass (hello_world_int8)', async () => {
    const root = await exportAs('zephyr', 'nrf52840-dk', 'hello_world_int8');
    const yml = readFileSync(join(root, 'zephyr', 'module.yml'), 'utf8');
    expect(yml).toMatch(/^name: tinyforge_hello_world_int8$/m);
    expect(yml).toMatch(/^build:\n {2}cmake: zephyr\n {2}kconfig: zephyr\/Kconfig$/m);
    const kconfig = readFileSync(join(root, 'zephyr', 'Kconfig'), 'utf8');
    const symbol = /^config (\w+)\n\tbool "/m.exec(kconfig)?.[1];
    expect(symbol).toBe('TINYFORGE_HELLO_WORLD_INT8');
    const cmake = readFileSync(join(root, 'zephyr', 'CMakeLists.txt'), 'utf8');
    expect(cmake).toContain(`if(CONFIG_${symbol})\n  zephyr_library()`);
    const listed = [...cmake.matchAll(/\$\{CMAKE_CURRENT_LIST_DIR\}\/\.\.\/(lib\/[\w.-]+\.c)/g)].map((m) => m[1]).sort();
    expect(listed).toEqual(files(join(root, 'lib'), /\.c$/).map((f) => `lib/${basename(f)}`).sort());
    expectIncludesResolve(join(root, 'lib'));
    const app = readFileSync(join(root, 'app', 'CMakeLists.txt'), 'utf8');
    expect(app).toContain('list(APPEND ZEPHYR_EXTRA_MODULES ${CMAKE_CURRENT_SOURCE_DIR}/..)');
    expect(app).toMatch(/find_package\(Zephyr REQUIRED HINTS \$ENV\{ZEPHYR_BASE\}\)\nproject\(\w+\)\ntarget_sources\(app PRIVATE src\/main\.c\)/);
    expect(app).toContain(`west build -b ${ZEPHYR_BOARDS['nrf52840-dk']} app`);
    const conf = readFileSync(join(root, 'app', 'prj.conf'), 'utf8');
    expect(conf).toContain(`CONFIG_${symbol}=y\n`);
    expect(conf).toMatch(/^CONFIG_MAIN_STACK_SIZE=\d+$/m);
    const main = join(root, 'app', 'src', 'main.c');
    expect(readFileSync(main, 'utf8')).toMatch(/#include <zephyr\/kernel.h>[\s\S]*printk\(/);

    await expectSelftestPasses(root, [...files(join(root, 'lib'), /\.c$/), main], [join(root, 'lib')], 'zephyr', main);
    if (process.env.ZEPHYR_BASE) vendorBuild('west', ['build', '-b', ZEPHYR_BOARDS['nrf52840-dk']!, '-d', join(work, 'west-build'), 'app'], root);
    else console.info('ZEPHYR_BASE is not set: layout checked and sources cross-compiled, west build skipped');
  }, 120_000);
});


describe('the kernels under a vendor build', () => {
  it('compile without fused multiply-add although the build leaves -ffp-contract at its default (tf_float_bits.h pragma)', () => {
    // Without the pragma GCC fuses mean_s8's rescale into a vfma, which rounds differently from TFLite Micro.
    const obj = join(work, 'kernel.o');
    for (const c of files(C_KERNELS_DIR, /\.c$/)) {
      execFileSync('arm-none-eabi-gcc', [...VENDOR_C_FLAGS, '-O2', `-I${C_KERNELS_DIR}`, '-c', c, '-o', obj], { stdio: 'pipe' });
      const code = execFileSync('arm-none-eabi-objdump', ['-d', obj], { encoding: 'utf8' });
      expect(code.match(/\bvfn?m[as]\.f32\b/g) ?? [], basename(c)).toEqual([]);
    }
  }, 60_000);
});

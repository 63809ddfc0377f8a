// Test-only stand-ins for what a vendor's framework provides, so the sources an Arduino, PlatformIO or Zephyr
// export ships can be compiled by the cross compiler here and run on QEMU's mps2-an386 (a Cortex-M4F like the
// boards they are exported for): Arduino.h with a Serial object, zephyr/kernel.h with printk. Both write through
// the an386 board.c of tinyforge's firmware, whose startup code calls main() and exits QEMU with its result.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIRMWARE_DIR } from '../../targets/firmware/build-firmware.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';

const ARDUINO_H = `#pragma once
#include <stddef.h>
#include <stdint.h>
extern "C" void board_init(void);
extern "C" void board_putc(uint8_t c);
struct ShimSerial {
  void begin(unsigned long) { board_init(); }
  size_t write(uint8_t c) { board_putc(c); return 1; }
  size_t print(const char *s) { size_t n = 0; for (; *s; n++) board_putc((uint8_t)*s++); return n; }
  explicit operator bool() const { return true; }
};
extern ShimSerial Serial;
`;

const ARDUINO_MAIN = `#include <Arduino.h>
ShimSerial Serial;
void setup();
void loop();
int main() { setup(); loop(); return 0; }
`;

// printk's %s, %c, %d and %u (what the exported app uses), without newlib's heap-using printf.
const ZEPHYR_KERNEL_H = `#pragma once
#include <stdarg.h>
#include <stdint.h>
void board_init(void);
void board_putc(uint8_t c);
static inline void printk_uint(unsigned v) {
  char d[10];
  int n = 0;
  do d[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n > 0) board_putc((uint8_t)d[--n]);
}
static inline void printk(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (; *fmt; fmt++) {
    if (*fmt != '%') { board_putc((uint8_t)*fmt); continue; }
    switch (*++fmt) {
      case 's': for (const char *s = va_arg(ap, const char *); *s; s++) board_putc((uint8_t)*s); break;
      case 'c': board_putc((uint8_t)va_arg(ap, int)); break;
      case 'u': printk_uint(va_arg(ap, unsigned)); break;
      case 'd': { int v = va_arg(ap, int); if (v < 0) { board_putc('-'); printk_uint(0u - (unsigned)v); } else printk_uint((unsigned)v); break; }
      default: board_putc('%'); board_putc((uint8_t)*fmt);
    }
  }
  va_end(ap);
}
`;

const ZEPHYR_MAIN = `#include <zephyr/kernel.h>
int app_main(void);
int main(void) { board_init(); return app_main(); }
`;

export type Framework = 'arduino' | 'zephyr';

/** Writes the framework shim into `dir`; returns its include folder and the sources that stand in for the framework. */
export function writeShim(dir: string, framework: Framework): { includeDir: string; sources: string[] } {
  const includeDir = join(dir, 'include');
  if (framework === 'arduino') {
    mkdirSync(includeDir, { recursive: true });
    writeFileSync(join(includeDir, 'Arduino.h'), ARDUINO_H);
    writeFileSync(join(dir, 'arduino-main.cpp'), ARDUINO_MAIN);
    return { includeDir, sources: [join(dir, 'arduino-main.cpp')] };
  }
  mkdirSync(join(includeDir, 'zephyr'), { recursive: true });
  writeFileSync(join(includeDir, 'zephyr', 'kernel.h'), ZEPHYR_KERNEL_H);
  writeFileSync(join(dir, 'zephyr-main.c'), ZEPHYR_MAIN);
  return { includeDir, sources: [join(dir, 'zephyr-main.c')] };
}

const CPU = firmwareTarget('qemu-mps2-an386').cpuFlags;
// A vendor build's flags, not tinyforge's: GNU C, -Os, fp contraction left at GCC's default (the kernels'
// pragma must turn it off), -Wall warnings as errors.
export const VENDOR_C_FLAGS = [...CPU, '-Os', '-std=gnu11', '-ffunction-sections', '-fdata-sections', '-Wall', '-Werror'];
const CXX_FLAGS = [...CPU, '-Os', '-std=gnu++17', '-fno-exceptions', '-fno-rtti', '-ffunction-sections', '-fdata-sections', '-Wall', '-Werror'];

/** Compiles each source (C or C++ by extension; `.ino` as C++), links with the an386 startup and board code.
 * `renameMain`: the app file whose main() the shim's main() calls as app_main() (Zephyr's main thread). */
export function crossCompile(dir: string, sources: string[], includeDirs: string[], options: { renameMain?: string } = {}): string {
  const objDir = join(dir, 'obj');
  mkdirSync(objDir, { recursive: true });
  const board = [join(FIRMWARE_DIR, 'cortex-m', 'startup.c'), join(FIRMWARE_DIR, 'boards', 'qemu-mps2-an386', 'board.c')];
  const incs = [...includeDirs, join(FIRMWARE_DIR, 'common'), join(FIRMWARE_DIR, 'cortex-m')].map((d) => `-I${d}`);
  const objects = [...sources, ...board].map((src, i) => {
    const obj = join(objDir, `${i}.o`);
    const cxx = /\.(cpp|ino)$/.test(src);
    execFileSync(cxx ? 'arm-none-eabi-g++' : 'arm-none-eabi-gcc', [...(cxx ? CXX_FLAGS : VENDOR_C_FLAGS), ...(cxx ? ['-x', 'c++'] : []), ...incs, ...(src === options.renameMain ? ['-Dmain=app_main'] : []), '-c', src, '-o', obj], { stdio: 'pipe' });
    return obj;
  });
  const elf = join(dir, 'app.elf');
  // Linked as C: the shims use no C++ run time (no exceptions, RTTI or static constructors).
  execFileSync('arm-none-eabi-gcc', [...CPU, '-nostartfiles', '-Wl,--gc-sections', ...objects, `-L${join(FIRMWARE_DIR, 'cortex-m')}`, `-L${join(FIRMWARE_DIR, 'update')}`,
    '-T', join(FIRMWARE_DIR, 'boards', 'qemu-mps2-an386', 'memory.ld'), '--specs=nano.specs', '-lc', '-lgcc', '-o', elf], { stdio: 'pipe' });
  return elf;
}

export async function runOnAn386(elf: string): Promise<{ text: string; exitCode: number }> {
  const r = await runQemu({ target: firmwareTarget('qemu-mps2-an386'), elf, serialInput: new Uint8Array(0), timeoutMs: 30_000 });
  return { text: Buffer.from(r.serialOutput).toString('latin1'), exitCode: r.exitCode };
}

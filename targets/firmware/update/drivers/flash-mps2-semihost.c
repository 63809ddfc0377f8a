/* QEMU mps2-an386 has no flash controller: its 4 MB of code memory is RAM, refilled from the ELF at every reset.
 * The model slots (code memory 0x200000..0x3FFFFF, model-slots.ld) are therefore backed by a host file, through
 * Arm semihosting file I/O (QEMU -semihosting-config enable=on,target=native): at first use the file's bytes are
 * read into the slot window, and every erase and word write goes to both the window (so the model is memory-
 * mapped, as in real flash) and the file (so it survives a reset, a crash and a QEMU restart). The file is named
 * on QEMU's command line (`-append slot-flash=PATH`, which QEMU hands to SYS_GET_CMDLINE after the kernel's name;
 * targets/qemu/run-qemu.ts passes it), else TF_SLOT_FLASH_FILE in QEMU's working directory; it is created erased
 * (0xFF) when missing. The slot interface's rule is enforced as the strictest chip does it: a cell (8 bytes) is
 * programmed only when erased, or the driver reports an error. */
#include <string.h>

#include "slot-flash.h"

#ifndef TF_SLOT_FLASH_FILE
#define TF_SLOT_FLASH_FILE "tinyforge-slots.bin"
#endif
#define PAGE_BYTES 4096u

extern uint8_t __tf_slot_a[], __tf_slot_bytes[];

enum { SYS_OPEN = 0x01, SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_SEEK = 0x0A, SYS_FLEN = 0x0C, SYS_GET_CMDLINE = 0x15 };
enum { MODE_RB_PLUS = 3, MODE_WB_PLUS = 7 }; /* "r+b", "w+b" */

static int semihost(int op, const void *args) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = args;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

typedef struct {
  tf_flash driver;
  int handle;
  uint8_t *window;
  uint32_t bytes;
} semihost_flash;

static semihost_flash flash;

/* Writes [offset, offset + len) of the window to the file. */
static int sync_to_file(uint32_t offset, uint32_t len) {
  uint32_t seek[2] = {(uint32_t)flash.handle, offset};
  if (semihost(SYS_SEEK, seek) != 0) return -1;
  uint32_t write[3] = {(uint32_t)flash.handle, (uint32_t)(uintptr_t)(flash.window + offset), len};
  return semihost(SYS_WRITE, write) == 0 ? 0 : -1; /* SYS_WRITE returns the bytes NOT written */
}

static int in_range(uint32_t addr, uint32_t len) {
  uint32_t base = (uint32_t)(uintptr_t)flash.window;
  return addr >= base && addr - base <= flash.bytes && len <= flash.bytes - (addr - base);
}

static int erase_page(tf_flash *f, uint32_t addr) {
  (void)f;
  if (addr % PAGE_BYTES != 0 || !in_range(addr, PAGE_BYTES)) return -1;
  uint32_t offset = addr - (uint32_t)(uintptr_t)flash.window;
  memset(flash.window + offset, 0xFF, PAGE_BYTES);
  return sync_to_file(offset, PAGE_BYTES);
}

static int program_cell(tf_flash *f, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]) {
  (void)f;
  if (addr % TF_FLASH_CELL_BYTES != 0 || !in_range(addr, TF_FLASH_CELL_BYTES)) return -1;
  uint32_t offset = addr - (uint32_t)(uintptr_t)flash.window;
  for (unsigned i = 0; i < TF_FLASH_CELL_BYTES; i++)
    if (flash.window[offset + i] != 0xFF) return -1; /* programmed once between erases */
  memcpy(flash.window + offset, data, TF_FLASH_CELL_BYTES);
  return sync_to_file(offset, TF_FLASH_CELL_BYTES);
}

static int read(tf_flash *f, uint32_t addr, uint8_t *out, uint32_t len) {
  (void)f;
  if (!in_range(addr, len)) return -1;
  memcpy(out, (const uint8_t *)(uintptr_t)addr, len);
  return 0;
}

static char path[256];

/* The file name: `slot-flash=PATH` from the command line, else the default. */
static void find_path(void) {
  static char line[512];
  uint32_t args[2] = {(uint32_t)(uintptr_t)line, sizeof line - 1};
  const char *key = "slot-flash=";
  if (semihost(SYS_GET_CMDLINE, args) == 0) {
    line[args[1] < sizeof line ? args[1] : sizeof line - 1] = 0;
    for (const char *p = line; *p; p++) {
      if (strncmp(p, key, strlen(key)) != 0 || (p != line && p[-1] != ' ')) continue;
      p += strlen(key);
      size_t n = 0;
      while (p[n] && p[n] != ' ' && n < sizeof path - 1) n++;
      memcpy(path, p, n);
      path[n] = 0;
      return;
    }
  }
  memcpy(path, TF_SLOT_FLASH_FILE, sizeof TF_SLOT_FLASH_FILE);
}

static int open_file(int mode) {
  uint32_t args[3] = {(uint32_t)(uintptr_t)path, (uint32_t)mode, (uint32_t)strlen(path)};
  return semihost(SYS_OPEN, args);
}

tf_flash *tf_board_flash(void) {
  if (flash.driver.page_bytes) return &flash.driver;
  flash.window = __tf_slot_a;
  flash.bytes = 2u * (uint32_t)(uintptr_t)__tf_slot_bytes;
  find_path();
  flash.handle = open_file(MODE_RB_PLUS);
  uint32_t flen[1] = {(uint32_t)flash.handle};
  if (flash.handle >= 0 && (uint32_t)semihost(SYS_FLEN, flen) == flash.bytes) {
    uint32_t rd[3] = {(uint32_t)flash.handle, (uint32_t)(uintptr_t)flash.window, flash.bytes};
    if (semihost(SYS_READ, rd) != 0) return 0;
  } else {
    /* No file (or one of another size): a fresh, erased flash. */
    flash.handle = open_file(MODE_WB_PLUS);
    if (flash.handle < 0) return 0;
    memset(flash.window, 0xFF, flash.bytes);
    if (sync_to_file(0, flash.bytes) != 0) return 0;
  }
  flash.driver.page_bytes = PAGE_BYTES;
  flash.driver.erase_page = erase_page;
  flash.driver.program_cell = program_cell;
  flash.driver.read = read;
  return &flash.driver;
}

/* The simulated NOR flash (sim-nor-flash.h): erase-before-write, word or ECC double-word programming, power cuts. */
#include "sim-nor-flash.h"

#include <string.h>

enum { DW_ERASED = 0, DW_PROGRAMMED = 1, DW_ECC_FAIL = 2 };

/* 1 when the operation about to run is the one the power cut stops (torn or not). */
static int cut_now(const sim_nor_flash *f) { return f->cut_at >= 0 && f->ops == f->cut_at; }

static void maybe_cut(sim_nor_flash *f) {
  if (cut_now(f)) longjmp(*f->power_cut, 1);
}

static int erase_page(tf_flash *d, uint32_t addr) {
  sim_nor_flash *f = (sim_nor_flash *)d->context;
  if (addr % d->page_bytes != 0 || addr + d->page_bytes > f->size) return -1;
  if (cut_now(f) && f->cut_torn) {
    /* The cut stops the erase half way: the first half erased, the second neither erased nor what it was. */
    memset(f->memory + addr, 0xff, d->page_bytes / 2);
    if (f->geometry == SIM_FLASH_ECC_DOUBLE_WORD) {
      memset(f->dword_state + addr / 8, DW_ERASED, d->page_bytes / 16);
      memset(f->dword_state + (addr + d->page_bytes / 2) / 8, DW_ECC_FAIL, d->page_bytes / 16);
    }
  }
  maybe_cut(f);
  f->ops++;
  memset(f->memory + addr, 0xff, d->page_bytes);
  if (f->geometry == SIM_FLASH_ECC_DOUBLE_WORD) memset(f->dword_state + addr / 8, DW_ERASED, d->page_bytes / 8);
  return 0;
}

static int erased(const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (p[i] != 0xff) return 0;
  return 1;
}

/* One 32-bit word program: an operation of its own. */
static int program_word(sim_nor_flash *f, uint32_t addr, const uint8_t value[4]) {
  uint32_t old, v;
  memcpy(&old, f->memory + addr, 4); /* host little-endian, like the boards */
  memcpy(&v, value, 4);
  if ((old & v) != v) {
    f->bit_set_violations++;
    return -1;
  }
  if (cut_now(f) && f->cut_torn) {
    uint32_t half = old & (v | 0xffff0000u); /* only the low half-word got programmed */
    memcpy(f->memory + addr, &half, 4);
  }
  maybe_cut(f);
  f->ops++;
  memcpy(f->memory + addr, &v, 4);
  return 0;
}

/* One ECC double-word program: once from erased; cut, it is unreadable. */
static int program_dword(sim_nor_flash *f, uint32_t addr, const uint8_t value[8]) {
  uint8_t *state = &f->dword_state[addr / 8];
  if (*state != DW_ERASED) {
    f->rewrite_violations++;
    return -1;
  }
  if (cut_now(f) && f->cut_torn) {
    for (unsigned i = 0; i < 4; i++) f->memory[addr + i] &= value[i]; /* some bits programmed, the ECC not */
    *state = DW_ECC_FAIL;
  }
  maybe_cut(f);
  f->ops++;
  memcpy(f->memory + addr, value, 8);
  *state = DW_PROGRAMMED;
  return 0;
}

static int program_cell(tf_flash *d, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]) {
  sim_nor_flash *f = (sim_nor_flash *)d->context;
  if (addr % TF_FLASH_CELL_BYTES != 0 || addr + TF_FLASH_CELL_BYTES > f->size) return -1;
  if (f->geometry == SIM_FLASH_ECC_DOUBLE_WORD) return program_dword(f, addr, data);
  /* The interface's rule on every flash: a cell is programmed only from erased. */
  if (!erased(f->memory + addr, TF_FLASH_CELL_BYTES)) {
    f->rewrite_violations++;
    return -1;
  }
  if (program_word(f, addr, data) != 0) return -1;
  return program_word(f, addr + 4, data + 4);
}

static int read(tf_flash *d, uint32_t addr, uint8_t *out, uint32_t len) {
  sim_nor_flash *f = (sim_nor_flash *)d->context;
  if (addr > f->size || len > f->size - addr) return -1;
  if (f->geometry == SIM_FLASH_ECC_DOUBLE_WORD && len > 0) {
    for (uint32_t dw = addr / 8; dw <= (addr + len - 1) / 8; dw++)
      if (f->dword_state[dw] == DW_ECC_FAIL) {
        f->ecc_read_errors++;
        return -1;
      }
  }
  memcpy(out, f->memory + addr, len);
  return 0;
}

void sim_nor_flash_init(sim_nor_flash *f, sim_flash_geometry geometry, uint8_t *memory, uint8_t *dword_state, uint32_t size, uint32_t page_bytes) {
  memset(f, 0, sizeof *f);
  f->geometry = geometry;
  f->driver.page_bytes = page_bytes;
  f->driver.erase_page = erase_page;
  f->driver.program_cell = program_cell;
  f->driver.read = read;
  f->driver.context = f;
  f->memory = memory;
  f->dword_state = dword_state;
  f->size = size;
  f->cut_at = -1;
}

void sim_nor_flash_copy(sim_nor_flash *to, const sim_nor_flash *from) {
  memcpy(to->memory, from->memory, from->size);
  if (to->dword_state && from->dword_state) memcpy(to->dword_state, from->dword_state, from->size / 8);
}

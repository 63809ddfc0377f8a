/* The simulated NOR flash: erase-before-write, word granularity, 1 -> 0 only, and scheduled power cuts. */
#include "sim-nor-flash.h"

#include <string.h>

static void maybe_cut(sim_nor_flash *f) {
  if (f->cut_at >= 0 && f->ops == f->cut_at) longjmp(*f->power_cut, 1);
}

static int erase_page(tf_flash *d, uint32_t addr) {
  sim_nor_flash *f = (sim_nor_flash *)d->context;
  if (addr % d->page_bytes != 0 || addr + d->page_bytes > f->size) return -1;
  if (f->cut_at >= 0 && f->ops == f->cut_at && f->cut_torn) {
    memset(f->memory + addr, 0xff, d->page_bytes / 2); /* the cut stops the erase half way */
  }
  maybe_cut(f);
  f->ops++;
  memset(f->memory + addr, 0xff, d->page_bytes);
  return 0;
}

static int write_word(tf_flash *d, uint32_t addr, uint32_t value) {
  sim_nor_flash *f = (sim_nor_flash *)d->context;
  if (addr % 4 != 0 || addr + 4 > f->size) return -1;
  uint32_t old;
  memcpy(&old, f->memory + addr, 4); /* host little-endian, like the boards */
  if ((old & value) != value) {
    f->bit_set_violations++;
    return -1;
  }
  if (f->cut_at >= 0 && f->ops == f->cut_at && f->cut_torn) {
    uint32_t half = old & (value | 0xffff0000u); /* only the low half-word got programmed */
    memcpy(f->memory + addr, &half, 4);
  }
  maybe_cut(f);
  f->ops++;
  memcpy(f->memory + addr, &value, 4);
  return 0;
}

static int read(tf_flash *d, uint32_t addr, uint8_t *out, uint32_t len) {
  sim_nor_flash *f = (sim_nor_flash *)d->context;
  if (addr + len > f->size) return -1;
  memcpy(out, f->memory + addr, len);
  return 0;
}

void sim_nor_flash_init(sim_nor_flash *f, uint8_t *memory, uint32_t size, uint32_t page_bytes) {
  memset(f, 0, sizeof *f);
  f->driver.page_bytes = page_bytes;
  f->driver.erase_page = erase_page;
  f->driver.write_word = write_word;
  f->driver.read = read;
  f->driver.context = f;
  f->memory = memory;
  f->size = size;
  f->cut_at = -1;
}

#include "mapped-flash.h"

#include <string.h>

static int read_mapped(tf_flash *flash, uint32_t addr, uint8_t *out, uint32_t len) {
  (void)flash;
  memcpy(out, (const void *)(uintptr_t)addr, len);
  return 0;
}

static int erase_mapped(tf_flash *flash, uint32_t addr) {
  if (!flash->context || addr % flash->page_bytes != 0) return -1;
  memset((void *)(uintptr_t)addr, 0xff, flash->page_bytes);
  return 0;
}

static int write_mapped(tf_flash *flash, uint32_t addr, uint32_t value) {
  if (!flash->context || addr % 4u != 0) return -1;
  volatile uint32_t *word = (volatile uint32_t *)(uintptr_t)addr;
  *word &= value; /* NOR programming only clears bits */
  return 0;
}

void tf_mapped_flash_init(tf_flash *flash, uint32_t page_bytes, int writable) {
  flash->page_bytes = page_bytes;
  flash->erase_page = erase_mapped;
  flash->write_word = write_mapped;
  flash->read = read_mapped;
  /* Non-null: writable in place. */
  flash->context = writable ? (void *)flash : 0;
}

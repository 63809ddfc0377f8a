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

static int program_mapped(tf_flash *flash, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]) {
  if (!flash->context || addr % TF_FLASH_CELL_BYTES != 0) return -1;
  volatile uint8_t *cell = (volatile uint8_t *)(uintptr_t)addr;
  for (unsigned i = 0; i < TF_FLASH_CELL_BYTES; i++)
    if (cell[i] != 0xff) return -1; /* a cell is programmed once between erases (flash-driver.h) */
  for (unsigned i = 0; i < TF_FLASH_CELL_BYTES; i++) cell[i] = data[i];
  return 0;
}

void tf_mapped_flash_init(tf_flash *flash, uint32_t page_bytes, int writable) {
  flash->page_bytes = page_bytes;
  flash->erase_page = erase_mapped;
  flash->program_cell = program_mapped;
  flash->read = read_mapped;
  /* Non-null: writable in place. */
  flash->context = writable ? (void *)flash : 0;
}

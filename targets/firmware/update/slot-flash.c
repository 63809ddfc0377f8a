/* The slots where the linker script put them, over the board's flash driver. */
#include "slot-flash.h"

#include <string.h>

/* From model-slots.ld: addresses, not objects (their "values" are the symbols' addresses). */
extern const uint8_t __tf_slot_a[], __tf_slot_b[], __tf_slot_bytes[];

int tf_board_slots(tf_slots *slots, const uint8_t public_key[32]) {
  tf_flash *flash = tf_board_flash();
  if (!flash) return -1;
  slots->flash = flash;
  slots->base[0] = (uint32_t)(uintptr_t)__tf_slot_a;
  slots->base[1] = (uint32_t)(uintptr_t)__tf_slot_b;
  slots->slot_bytes = (uint32_t)(uintptr_t)__tf_slot_bytes;
  slots->public_key = public_key;
  return 0;
}

int tf_flash_read_mapped(tf_flash *flash, uint32_t addr, uint8_t *out, uint32_t len) {
  (void)flash;
  memcpy(out, (const uint8_t *)(uintptr_t)addr, len);
  return 0;
}

uint32_t tf_cell_word(const uint8_t cell[TF_FLASH_CELL_BYTES], unsigned i) {
  const uint8_t *p = cell + 4u * i;
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

int tf_cell_erased(uint32_t addr) {
  const volatile uint32_t *w = (const volatile uint32_t *)(uintptr_t)addr;
  return w[0] == 0xFFFFFFFFu && w[1] == 0xFFFFFFFFu;
}

int tf_program_cell_by_words(uint32_t addr, const uint8_t cell[TF_FLASH_CELL_BYTES], int (*program_word)(uint32_t addr, uint32_t value)) {
  if (!tf_cell_erased(addr)) return -1;
  if (program_word(addr, tf_cell_word(cell, 0)) != 0) return -1;
  return program_word(addr + 4, tf_cell_word(cell, 1));
}

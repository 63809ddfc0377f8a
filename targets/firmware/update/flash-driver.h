/* What the model-slot code needs from a flash: NOR semantics (erase a page to 0xFF, then program 32-bit words,
 * which can only clear bits), and reads. Each board (and the host's simulated NOR) implements it. */
#ifndef TF_FLASH_DRIVER_H
#define TF_FLASH_DRIVER_H

#include <stdint.h>

typedef struct tf_flash {
  uint32_t page_bytes;
  /* 0 on success. `addr` is page-aligned. */
  int (*erase_page)(struct tf_flash *flash, uint32_t addr);
  /* 0 on success. `addr` is 4-aligned; the word must be erased (or `value` only clear bits). */
  int (*write_word)(struct tf_flash *flash, uint32_t addr, uint32_t value);
  int (*read)(struct tf_flash *flash, uint32_t addr, uint8_t *out, uint32_t len);
  void *context;
} tf_flash;

#endif

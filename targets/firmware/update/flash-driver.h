/* What the model-slot code needs from a flash: erase a page to 0xFF, program 8-byte cells, read.
 *
 * The cell is the unit every board can program exactly once between erases. It is 8 bytes because the strictest
 * flash here, the STM32L4R5's, programs 64-bit double-words with ECC and forbids a second program of a double-word
 * (RM0432 §3.3.7); on the 32-bit word flashes (STM32F7, nRF52, the QEMU boards) a cell is two word writes. The
 * slot code writes each cell at most once between erases, so the same layout is safe on all of them. Each board
 * (and the host's simulated flash) implements it. */
#ifndef TF_FLASH_DRIVER_H
#define TF_FLASH_DRIVER_H

#include <stdint.h>

#define TF_FLASH_CELL_BYTES 8u

typedef struct tf_flash {
  uint32_t page_bytes;
  /* 0 on success. `addr` is page-aligned. */
  int (*erase_page)(struct tf_flash *flash, uint32_t addr);
  /* 0 on success. `addr` is TF_FLASH_CELL_BYTES-aligned and the cell erased (all 0xFF): a cell already
   * programmed is refused (-1), as the L4R5 refuses it (PROGERR). */
  int (*program_cell)(struct tf_flash *flash, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]);
  /* 0 on success; -1 where a byte cannot be read, e.g. a cell whose program was cut (an ECC double error). */
  int (*read)(struct tf_flash *flash, uint32_t addr, uint8_t *out, uint32_t len);
  void *context;
} tf_flash;

#endif

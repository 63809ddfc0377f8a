/* The board's model-slot flash: one driver per board (drivers/flash-*.c, chosen by model-slot-sources.ts) and
 * the slot addresses the linker script gives (model-slots.ld, from targets/boards/model-slot-layout.ts). */
#ifndef TF_SLOT_FLASH_H
#define TF_SLOT_FLASH_H

#include <stdint.h>

#include "model-slots.h"

/* The board's flash driver over the slot region, ready to use; NULL when the board has none yet. */
tf_flash *tf_board_flash(void);

/* A driver's read where the flash is memory-mapped (every driver here): a plain copy. */
int tf_flash_read_mapped(tf_flash *flash, uint32_t addr, uint8_t *out, uint32_t len);

/* Word `i` (0 or 1) of a cell, little-endian: the two 32-bit programs of a cell on a word-programmed flash. */
uint32_t tf_cell_word(const uint8_t cell[TF_FLASH_CELL_BYTES], unsigned i);

/* 1 when the memory-mapped cell at `addr` reads erased (all 0xFF): the only state a cell is programmed from. */
int tf_cell_erased(uint32_t addr);

/* A cell on a flash programmed 32 bits at a time (STM32F7, nRF52, the CFI flash of QEMU virt): refused (-1) unless
 * erased, then its two words through the driver's `program_word` (0 on success). */
int tf_program_cell_by_words(uint32_t addr, const uint8_t cell[TF_FLASH_CELL_BYTES], int (*program_word)(uint32_t addr, uint32_t value));

/* Fills `slots` with the board's driver and slot addresses. -1 when the board has no flash driver. */
int tf_board_slots(tf_slots *slots, const uint8_t public_key[32]);

#endif

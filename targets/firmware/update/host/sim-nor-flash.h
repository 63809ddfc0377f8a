/* A NOR flash in host memory for the power-cut harness: pages erase to 0xFF, 32-bit word writes can only clear
 * bits (a write that would set one is an error), and a power cut can be scheduled before any operation, or in
 * the middle of one (half a page erased, half a word programmed). */
#ifndef TF_SIM_NOR_FLASH_H
#define TF_SIM_NOR_FLASH_H

#include <setjmp.h>
#include <stdint.h>

#include "flash-driver.h"

typedef struct {
  tf_flash driver;
  uint8_t *memory;
  uint32_t size;
  /* Operations (erases + word writes) performed; the cut happens when it reaches cut_at (-1: never). */
  long ops;
  long cut_at;
  /* 1: the cut operation is half done (torn); 0: it does not happen at all. */
  int cut_torn;
  /* Writes that tried to set a bit (0 -> 1): a bug in the code under test. */
  long bit_set_violations;
  jmp_buf *power_cut;
} sim_nor_flash;

void sim_nor_flash_init(sim_nor_flash *f, uint8_t *memory, uint32_t size, uint32_t page_bytes);

#endif

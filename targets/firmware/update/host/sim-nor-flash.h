/* A NOR flash in host memory for the power-cut harness, in one of two geometries:
 *   SIM_FLASH_WORD: 32-bit words, programming can only clear bits (a write that would set one is an error); an
 *     8-byte cell is two word programs, each its own operation (STM32F7, nRF52, the QEMU boards).
 *   SIM_FLASH_ECC_DOUBLE_WORD: 64-bit double-words with ECC, as the STM32L4R5's (RM0432 §3.3.7): a double-word is
 *     programmed once, from erased, in one operation; programming it again is an error, and a double-word whose
 *     program or erase was cut holds bits its ECC does not match, so reading it fails (an ECC double error).
 * Pages erase to 0xFF. A power cut can be scheduled before any operation, or in the middle of one (torn: half a
 * page erased, the rest left unreadable on the ECC flash; half a word programmed; a double-word unreadable). */
#ifndef TF_SIM_NOR_FLASH_H
#define TF_SIM_NOR_FLASH_H

#include <setjmp.h>
#include <stdint.h>

#include "flash-driver.h"

typedef enum { SIM_FLASH_WORD, SIM_FLASH_ECC_DOUBLE_WORD } sim_flash_geometry;

typedef struct {
  tf_flash driver;
  sim_flash_geometry geometry;
  uint8_t *memory;
  /* ECC geometry: per double-word, 1 once programmed (until erased), 2 when its ECC fails (a cut operation). */
  uint8_t *dword_state;
  uint32_t size;
  /* Operations (erases + word or double-word programs) performed; the cut happens when it reaches cut_at (-1:
   * never). */
  long ops;
  long cut_at;
  /* 1: the cut operation is half done (torn); 0: it does not happen at all. */
  int cut_torn;
  /* Programs the flash refuses, each a bug in the code under test: a word write that would set a bit, or a
   * second program of a double-word (ECC) or of a cell (either geometry: the slot code writes a cell once). */
  long bit_set_violations;
  long rewrite_violations;
  /* Reads that hit an unreadable (ECC-failed) double-word. */
  long ecc_read_errors;
  jmp_buf *power_cut;
} sim_nor_flash;

/* `dword_state` has size / 8 bytes (the ECC geometry's bookkeeping; may be NULL for SIM_FLASH_WORD). */
void sim_nor_flash_init(sim_nor_flash *f, sim_flash_geometry geometry, uint8_t *memory, uint8_t *dword_state, uint32_t size, uint32_t page_bytes);
/* Copies another flash's contents and ECC state (a saved device state) into this one. */
void sim_nor_flash_copy(sim_nor_flash *to, const sim_nor_flash *from);

#endif

/* QEMU virt (riscv32): the model slots live in CFI pflash bank 1 at 0x2200_0000 (model-slots.ld), an Intel/Sharp
 * command-set flash (QEMU hw/block/pflash_cfi01.c, 4-byte bank width, 256 KiB sectors) backed by the raw file of
 * `-drive if=pflash,unit=1,format=raw,file=F` (32 MiB, erased = 0xFF). QEMU writes every program and erase
 * through to F, so the slots survive a reset and a QEMU restart. Bank 0 is left alone: with it present QEMU
 * would start the CPU there instead of at the ELF entry. Reads are memory-mapped (read-array mode). */
#include "slot-flash.h"

#define SECTOR_BYTES (256u * 1024u)
#define CMD_BLOCK_ERASE 0x20u
#define CMD_ERASE_CONFIRM 0xD0u
#define CMD_PROGRAM 0x40u
#define CMD_CLEAR_STATUS 0x50u
#define CMD_READ_ARRAY 0xFFu
#define STATUS_READY 0x80u
#define STATUS_ERRORS 0x3Au /* erase, program, VPP and block-lock errors */

#define CELL(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* Waits for the write state machine, then returns to read-array mode; 0 when no error bit is set. */
static int finish(uint32_t addr) {
  uint32_t status;
  do status = CELL(addr); while (!(status & STATUS_READY));
  int failed = (status & STATUS_ERRORS) != 0;
  if (failed) CELL(addr) = CMD_CLEAR_STATUS;
  CELL(addr) = CMD_READ_ARRAY;
  return failed ? -1 : 0;
}

static int erase_page(tf_flash *f, uint32_t addr) {
  (void)f;
  if (addr % SECTOR_BYTES != 0) return -1;
  CELL(addr) = CMD_BLOCK_ERASE;
  CELL(addr) = CMD_ERASE_CONFIRM;
  return finish(addr);
}

/* One 32-bit program (the bank width). */
static int program_word(uint32_t addr, uint32_t value) {
  CELL(addr) = CMD_PROGRAM;
  CELL(addr) = value;
  return finish(addr);
}

static int program_cell(tf_flash *f, uint32_t addr, const uint8_t data[TF_FLASH_CELL_BYTES]) {
  (void)f;
  if (addr % TF_FLASH_CELL_BYTES != 0) return -1;
  /* The chip ANDs a program into the cell; QEMU's model stores the value as given. The slot interface programs a
   * cell once, from erased: refuse the rest, as the strictest flash (the L4R5's ECC) does. */
  return tf_program_cell_by_words(addr, data, program_word);
}

static tf_flash flash = {SECTOR_BYTES, erase_page, program_cell, tf_flash_read_mapped, 0};

tf_flash *tf_board_flash(void) { return &flash; }
